//! The municipality's own Word template (`.dotx`, or a `.docx` used as
//! one) for the memo and the review document.
//!
//! The export is poured into the template's package: its styles (a style
//! the template has wins over Kryphål's of the same built-in name, so the
//! headings look like the kommun's), its page setup, headers and footers
//! with their pictures (a first-page logo stays on the first page), its
//! numbering and settings. The memo also keeps the template's own body (a
//! letterhead table, say) and goes after it, or in place of a block content
//! control tagged `kryphal.body`. Fields are filled wherever they are: a
//! content control tagged `kryphal.<field>` or a bookmark named
//! `kryphal_<field>` (Word allows no dot in bookmark names) gets the value,
//! in the body, the headers and the footers. The fields are
//! [`TEMPLATE_FIELDS`]: `dnr`, `datum`, `namnd`, `handlaggare`, `arende`,
//! `kommun` (å, ä, ö and English names are accepted too).
//!
//! A template with none of these fields still gives its styles, page and
//! logo; [`inspect_template`] tells the caller which fields it has, so that
//! it can say so.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde::Serialize;

use crate::ExportError;
use crate::ooxml::{self, DECL, PackageReader, esc, is_w, w_attr};
use crate::wordml::{self, Part, StyleMap, WordDoc};

/// A municipality's template: the file's name and bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Template {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The fields a template can carry, by their canonical names.
pub const TEMPLATE_FIELDS: &[&str] = &["dnr", "datum", "namnd", "handlaggare", "arende", "kommun"];

/// What a template holds that an export uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TemplateInfo {
    /// The fields found (canonical names, in [`TEMPLATE_FIELDS`] order).
    pub fields: Vec<String>,
    /// Header and footer parts.
    pub headers: u32,
    pub footers: u32,
    /// Pictures (a logo).
    pub images: u32,
    /// The first page has a header of its own (a letterhead logo).
    pub first_page_header: bool,
    /// Paragraph and character styles defined.
    pub styles: u32,
    /// The body has a place for the memo (`kryphal.body`).
    pub body_placeholder: bool,
}

/// The canonical field a content control tag or bookmark name stands for.
pub(crate) fn field_name(tag: &str) -> Option<&'static str> {
    let lower: String = tag
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            c => c,
        })
        .collect();
    let rest = ["kryphal.", "kryphal_", "kryphal-"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))?;
    Some(match rest {
        "dnr" | "diarienummer" | "case_dnr" => "dnr",
        "datum" | "date" => "datum",
        "namnd" | "committee" => "namnd",
        "handlaggare" | "official" | "responsible_official" => "handlaggare",
        "arende" | "subject" | "title" | "rubrik" => "arende",
        "kommun" | "municipality" => "kommun",
        "body" | "innehall" | "text" => "body",
        _ => return None,
    })
}

fn template_err(name: &str, why: impl std::fmt::Display) -> ExportError {
    ExportError::Template(format!("the template {name} cannot be used: {why}"))
}

/// Reads what a template holds, refusing what is not a usable Word template.
pub fn inspect_template(template: &Template) -> Result<TemplateInfo, ExportError> {
    LoadedTemplate::load(template, "sv", &BTreeMap::new(), true).map(|t| t.info)
}

/// A template read and checked, ready to take an export.
pub(crate) struct LoadedTemplate {
    name: String,
    parts: Vec<(String, Vec<u8>)>,
    styles: StyleMap,
    /// Kryphål's styles the template lacks: their XML, to add.
    missing_styles: String,
    numbering: Option<NumberingPlan>,
    values: BTreeMap<&'static str, String>,
    keep_body: bool,
    pub(crate) info: TemplateInfo,
}

struct NumberingPlan {
    abstract_id: u32,
    num_id: u32,
}

fn part<'a>(parts: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a [u8]> {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
}

fn text_of<'a>(
    name: &str,
    parts: &'a [(String, Vec<u8>)],
    part_name: &str,
) -> Result<Option<&'a str>, ExportError> {
    part(parts, part_name)
        .map(|b| {
            std::str::from_utf8(b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b))
                .map_err(|_| template_err(name, format!("its part {part_name} is not UTF-8 text")))
        })
        .transpose()
}

impl LoadedTemplate {
    /// Reads `template`; `values` are the fields to fill (canonical names);
    /// `keep_body`: the memo keeps the template's body, the review document
    /// does not.
    pub(crate) fn load(
        template: &Template,
        lang: &str,
        values: &BTreeMap<&'static str, String>,
        keep_body: bool,
    ) -> Result<LoadedTemplate, ExportError> {
        let name = if template.name.trim().is_empty() {
            "(unnamed)".to_string()
        } else {
            template.name.clone()
        };
        let mut reader = PackageReader::open(&template.bytes)
            .map_err(|e| ExportError::Template(e.sentence(&format!("The template {name}"))))?;
        let mut parts = Vec::new();
        for n in reader.names() {
            if n.ends_with('/') {
                continue;
            }
            let bytes = reader
                .bytes(&n)
                .map_err(|e| ExportError::Template(e.sentence(&format!("The template {name}"))))?
                .unwrap_or_default();
            parts.push((n, bytes));
        }
        let types = text_of(&name, &parts, "[Content_Types].xml")?.ok_or_else(|| {
            template_err(
                &name,
                "it is not a Word file (it has no [Content_Types].xml)",
            )
        })?;
        if types.contains("macroEnabled") {
            return Err(template_err(
                &name,
                "it is a macro-enabled template (.dotm); save it as a Word template (.dotx) without macros",
            ));
        }
        let main = text_of(&name, &parts, "word/document.xml")?.ok_or_else(|| {
            template_err(
                &name,
                "it is not a Word document or template (it has no word/document.xml)",
            )
        })?;
        let doc = ooxml::parse(main)
            .map_err(|e| template_err(&name, format!("its document part is damaged ({e})")))?;
        if doc.root_element().tag_name().namespace() != Some(ooxml::NS_W) {
            return Err(template_err(
                &name,
                "it is saved in the Strict Open XML format; save it as an ordinary Word template (.dotx)",
            ));
        }
        let mut info = TemplateInfo::default();
        let mut found: BTreeSet<&'static str> = BTreeSet::new();
        for (n, bytes) in &parts {
            let lower = n.to_lowercase();
            if lower.starts_with("word/media/") {
                info.images += 1;
            }
            let is_header = lower.starts_with("word/header") && lower.ends_with(".xml");
            let is_footer = lower.starts_with("word/footer") && lower.ends_with(".xml");
            if is_header {
                info.headers += 1;
            }
            if is_footer {
                info.footers += 1;
            }
            if is_header || is_footer || n == "word/document.xml" {
                let xml = std::str::from_utf8(bytes)
                    .map_err(|_| template_err(&name, format!("its part {n} is not UTF-8 text")))?;
                let d = ooxml::parse(xml)
                    .map_err(|e| template_err(&name, format!("its part {n} is damaged ({e})")))?;
                for f in fields_in(&d) {
                    found.insert(f);
                }
            }
        }
        if let Some(body) = doc.descendants().find(|n| is_w(*n, "body"))
            && let Some(sect) = body.children().rfind(|c| is_w(*c, "sectPr"))
        {
            let title_pg = sect.children().any(|c| is_w(c, "titlePg"));
            let first = sect
                .children()
                .any(|c| is_w(c, "headerReference") && w_attr(c, "type") == Some("first"));
            info.first_page_header = title_pg && first;
        }
        info.body_placeholder = found.contains("body");
        info.fields = TEMPLATE_FIELDS
            .iter()
            .filter(|f| found.contains(*f))
            .map(|f| f.to_string())
            .collect();

        // Styles: the template's win by built-in name; the rest are added.
        let defs = wordml::style_defs(lang);
        let mut ids = BTreeMap::new();
        let mut missing = String::new();
        match text_of(&name, &parts, "word/styles.xml")? {
            Some(xml) => {
                let d = ooxml::parse(xml)
                    .map_err(|e| template_err(&name, format!("its styles are damaged ({e})")))?;
                let mut by_name: BTreeMap<(String, String), String> = BTreeMap::new();
                let mut taken: BTreeSet<String> = BTreeSet::new();
                let mut default_para = None;
                for s in d.descendants().filter(|n| is_w(*n, "style")) {
                    let kind = w_attr(s, "type").unwrap_or("paragraph").to_string();
                    let Some(id) = w_attr(s, "styleId") else {
                        continue;
                    };
                    if kind == "paragraph" || kind == "character" {
                        info.styles += 1;
                    }
                    taken.insert(id.to_string());
                    if kind == "paragraph" && w_attr(s, "default") == Some("1") {
                        default_para = Some(id.to_string());
                    }
                    if let Some(n) = s
                        .children()
                        .find(|c| is_w(*c, "name"))
                        .and_then(|c| w_attr(c, "val"))
                    {
                        by_name.insert((kind, n.to_lowercase()), id.to_string());
                    }
                }
                for def in &defs {
                    let theirs = if def.id == wordml::style::NORMAL {
                        default_para.clone().or_else(|| {
                            by_name.get(&("paragraph".into(), "normal".into())).cloned()
                        })
                    } else {
                        by_name
                            .get(&(def.kind.to_string(), def.name.to_lowercase()))
                            .cloned()
                    };
                    match theirs {
                        Some(id) => {
                            ids.insert(def.id, id);
                        }
                        None if taken.contains(def.id) => {
                            // Their id names another style: ours gets a name of its own.
                            let id = format!("Kryphal{}", def.id);
                            missing.push_str(&def.xml.replace(
                                &format!("w:styleId=\"{}\"", def.id),
                                &format!("w:styleId=\"{id}\""),
                            ));
                            ids.insert(def.id, id);
                        }
                        None => missing.push_str(&def.xml),
                    }
                }
                // Kryphål's styles are based on Normal: point them at the template's.
                if let Some(normal) = ids.get(wordml::style::NORMAL).cloned()
                    && normal != "Normal"
                {
                    missing = missing
                        .replace(
                            "<w:basedOn w:val=\"Normal\"/>",
                            &format!("<w:basedOn w:val=\"{}\"/>", esc(&normal)),
                        )
                        .replace(
                            "<w:next w:val=\"Normal\"/>",
                            &format!("<w:next w:val=\"{}\"/>", esc(&normal)),
                        );
                }
            }
            None => {
                for def in &defs {
                    missing.push_str(&def.xml);
                }
            }
        }
        let numbering = match text_of(&name, &parts, "word/numbering.xml")? {
            Some(xml) => {
                let d = ooxml::parse(xml)
                    .map_err(|e| template_err(&name, format!("its numbering is damaged ({e})")))?;
                let max = |el: &str, attr: &str| {
                    d.descendants()
                        .filter(|n| is_w(*n, el))
                        .filter_map(|n| w_attr(n, attr)?.parse::<u32>().ok())
                        .max()
                        .unwrap_or(0)
                };
                Some(NumberingPlan {
                    abstract_id: max("abstractNum", "abstractNumId") + 1,
                    num_id: max("num", "numId") + 1,
                })
            }
            None => None,
        };
        let bullets = numbering.as_ref().map_or(1, |n| n.num_id);
        Ok(LoadedTemplate {
            name,
            parts,
            styles: StyleMap::with(ids, bullets),
            missing_styles: missing,
            numbering,
            values: values.clone(),
            keep_body,
            info,
        })
    }

    /// The style ids to write the body with.
    pub(crate) fn styles(&self) -> &StyleMap {
        &self.styles
    }

    fn err(&self, why: impl std::fmt::Display) -> ExportError {
        template_err(&self.name, why)
    }

    fn text(&self, part_name: &str) -> Result<Option<&str>, ExportError> {
        text_of(&self.name, &self.parts, part_name)
    }

    /// The package of `doc` in this template.
    pub(crate) fn package(&self, doc: &WordDoc) -> Result<Vec<u8>, ExportError> {
        let ours: BTreeSet<&str> = doc.parts.iter().map(|p| p.path.as_str()).collect();
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        let mut extra_rels: Vec<(String, String, String)> = Vec::new();
        let mut extra_types: Vec<(String, String)> = Vec::new();
        // The custom XML item of a review document must not take the
        // template's own item's name.
        let mut renames: BTreeMap<String, String> = BTreeMap::new();
        for p in &doc.parts {
            if p.path.starts_with("customXml/") && part(&self.parts, &p.path).is_some() {
                let mut n = 1;
                while self.parts.iter().any(|(x, _)| {
                    x == &format!("customXml/item{n}.xml")
                        || x == &format!("customXml/itemKryphal{n}.xml")
                }) {
                    n += 1;
                }
                renames.insert(
                    p.path.clone(),
                    p.path.replace("item", &format!("itemKryphal{n}_")),
                );
            }
        }
        let path_of = |p: &Part| {
            renames
                .get(&p.path)
                .cloned()
                .unwrap_or_else(|| p.path.clone())
        };
        for (i, p) in doc.parts.iter().enumerate() {
            let path = path_of(p);
            if let Some((kind, target)) = &p.rel {
                let target = renames.iter().fold(target.clone(), |t, (from, to)| {
                    t.replace(
                        from.trim_start_matches("customXml/"),
                        to.trim_start_matches("customXml/"),
                    )
                });
                extra_rels.push((format!("rIdKryphal{}", i + 1), (*kind).to_string(), target));
            }
            if let Some(ct) = p.content_type {
                extra_types.push((format!("/{path}"), ct.to_string()));
            }
            let bytes = if renames.is_empty() {
                p.bytes.clone()
            } else {
                // The item's own relationship file names its properties part.
                let mut s = String::from_utf8_lossy(&p.bytes).into_owned();
                for (from, to) in &renames {
                    s = s.replace(
                        from.trim_start_matches("customXml/"),
                        to.trim_start_matches("customXml/"),
                    );
                }
                s.into_bytes()
            };
            out.push((path, bytes));
        }
        // Styles.
        let styles = match self.text("word/styles.xml")? {
            Some(xml) => insert_before_close(xml, "styles", &self.missing_styles)
                .ok_or_else(|| self.err("its styles part has no end"))?,
            None => {
                extra_rels.push((
                    "rIdKryphalStyles".into(),
                    ooxml::REL_STYLES.into(),
                    "styles.xml".into(),
                ));
                extra_types.push(("/word/styles.xml".into(), ooxml::CT_STYLES.into()));
                format!(
                    "{DECL}<w:styles xmlns:w=\"{}\">{}</w:styles>",
                    ooxml::NS_W,
                    self.missing_styles
                )
            }
        };
        // Numbering for the bullet list.
        let numbering = if doc.bullets {
            match (&self.numbering, self.text("word/numbering.xml")?) {
                (Some(plan), Some(xml)) => Some(
                    merge_numbering(xml, plan)
                        .ok_or_else(|| self.err("its numbering part has no end"))?,
                ),
                _ => {
                    extra_rels.push((
                        "rIdKryphalNumbering".into(),
                        ooxml::REL_NUMBERING.into(),
                        "numbering.xml".into(),
                    ));
                    extra_types.push(("/word/numbering.xml".into(), ooxml::CT_NUMBERING.into()));
                    let (a, n) = wordml::bullet_numbering(1, 1);
                    Some(format!(
                        "{DECL}<w:numbering xmlns:w=\"{}\">{a}{n}</w:numbering>",
                        ooxml::NS_W
                    ))
                }
            }
        } else {
            None
        };
        // Settings: the review document tracks changes.
        let settings = match self.text("word/settings.xml")? {
            Some(xml) if doc.track_changes => Some(
                with_track_revisions(xml)
                    .ok_or_else(|| self.err("its settings part is damaged"))?,
            ),
            Some(_) => None,
            None => {
                extra_rels.push((
                    "rIdKryphalSettings".into(),
                    ooxml::REL_SETTINGS.into(),
                    "settings.xml".into(),
                ));
                extra_types.push(("/word/settings.xml".into(), ooxml::CT_SETTINGS.into()));
                Some(wordml::default_settings(doc.track_changes, doc.lang))
            }
        };
        // The main document.
        let main = self
            .text("word/document.xml")?
            .ok_or_else(|| self.err("it has no document part"))?;
        let document = self.document(main, &doc.body)?;

        let mut w = ooxml::PackageWriter::new(doc.format);
        let mut wrote_core = false;
        for (n, bytes) in &self.parts {
            let replaced_by_us = ours.contains(n.as_str()) && !renames.contains_key(n);
            match n.as_str() {
                "word/document.xml" => w.add(n, document.as_bytes())?,
                "word/styles.xml" => w.add(n, styles.as_bytes())?,
                "word/numbering.xml" => match &numbering {
                    Some(x) => w.add(n, x.as_bytes())?,
                    None => w.add(n, bytes)?,
                },
                "word/settings.xml" => match &settings {
                    Some(x) => w.add(n, x.as_bytes())?,
                    None => w.add(n, bytes)?,
                },
                "docProps/core.xml" => {
                    w.add(n, wordml::core_props(doc).as_bytes())?;
                    wrote_core = true;
                }
                "[Content_Types].xml" => {
                    let types = self.text(n)?.unwrap_or_default();
                    w.add(
                        n,
                        content_types(types, &extra_types, doc, &renames).as_bytes(),
                    )?;
                }
                "word/_rels/document.xml.rels" => {
                    let rels = self.text(n)?.unwrap_or_default();
                    let dropped: Vec<&str> = doc
                        .parts
                        .iter()
                        .filter(|p| !renames.contains_key(&p.path))
                        .filter_map(|p| p.path.strip_prefix("word/"))
                        .collect();
                    w.add(n, merge_rels(rels, &extra_rels, &dropped).as_bytes())?;
                }
                _ if replaced_by_us => {}
                _ if n.starts_with("word/header") || n.starts_with("word/footer") => {
                    let xml = std::str::from_utf8(bytes)
                        .map_err(|_| self.err(format!("its part {n} is not UTF-8 text")))?;
                    w.add(
                        n,
                        fill(xml, &self.values)
                            .map_err(|e| self.err(format!("its part {n} is damaged ({e})")))?
                            .as_bytes(),
                    )?;
                }
                _ => w.add(n, bytes)?,
            }
        }
        if !self
            .parts
            .iter()
            .any(|(n, _)| n == "word/_rels/document.xml.rels")
        {
            w.add(
                "word/_rels/document.xml.rels",
                merge_rels("", &extra_rels, &[]).as_bytes(),
            )?;
        }
        if !self.parts.iter().any(|(n, _)| n == "word/styles.xml") {
            w.add("word/styles.xml", styles.as_bytes())?;
        }
        if let (Some(x), false) = (
            &numbering,
            self.parts.iter().any(|(n, _)| n == "word/numbering.xml"),
        ) {
            w.add("word/numbering.xml", x.as_bytes())?;
        }
        if let (Some(x), false) = (
            &settings,
            self.parts.iter().any(|(n, _)| n == "word/settings.xml"),
        ) {
            w.add("word/settings.xml", x.as_bytes())?;
        }
        if !wrote_core {
            // No core properties in the template: the package still has ours
            // (the root relationship may not point at them; Word does not mind).
            w.add("docProps/core.xml", wordml::core_props(doc).as_bytes())?;
        }
        for (n, bytes) in &out {
            w.add(n, bytes)?;
        }
        w.finish()
    }

    /// The template's main document with `body` poured in.
    fn document(&self, main: &str, body: &str) -> Result<String, ExportError> {
        let d = ooxml::parse(main)
            .map_err(|e| self.err(format!("its document part is damaged ({e})")))?;
        let b = d
            .descendants()
            .find(|n| is_w(*n, "body"))
            .ok_or_else(|| self.err("its document part has no body"))?;
        let sect = b.children().rfind(|c| is_w(*c, "sectPr"));
        let root = d.root_element();
        // The opening tag of the root, with namespaces Kryphål's body needs.
        let root_open_end = main[root.range().start..]
            .find('>')
            .map(|i| root.range().start + i)
            .ok_or_else(|| self.err("its document part is damaged"))?;
        let mut head = main[..root_open_end].to_string();
        let self_closing = head.ends_with('/');
        if self_closing {
            return Err(self.err("its document part is empty"));
        }
        if root.lookup_namespace_uri(Some("r")).is_none() {
            let _ = write!(head, " xmlns:r=\"{}\"", ooxml::NS_R);
        }
        let body_inner_start = b.first_child().map_or(b.range().end, |c| c.range().start);
        let sect_start = sect.map_or_else(
            || main[..b.range().end].rfind('<').unwrap_or(b.range().end),
            |s| s.range().start,
        );
        let mut out = head;
        out.push_str(&main[root_open_end..body_inner_start]);
        if self.keep_body {
            // The template's own body, its fields filled, with the export in
            // place of `kryphal.body` or after it.
            let own = &main[body_inner_start..sect_start];
            let placeholder = b
                .descendants()
                .filter(|n| is_w(*n, "sdt"))
                .find(|n| sdt_tag(*n).and_then(field_name) == Some("body"))
                .map(|n| {
                    (
                        n.range().start - body_inner_start,
                        n.range().end - body_inner_start,
                    )
                });
            let filled_own = |s: &str| -> Result<String, ExportError> {
                let wrapped = format!(
                    "<w:body xmlns:w=\"{}\" xmlns:r=\"{}\">{s}</w:body>",
                    ooxml::NS_W,
                    ooxml::NS_R
                );
                if s.trim().is_empty() {
                    return Ok(String::new());
                }
                // Parsed alone, the part must carry the namespaces the root declared.
                let with_ns = main[root.range().start..root_open_end]
                    .split_whitespace()
                    .filter(|a| {
                        a.starts_with("xmlns:")
                            && !a.starts_with("xmlns:w=")
                            && !a.starts_with("xmlns:r=")
                    })
                    .fold(wrapped.clone(), |acc, a| {
                        acc.replacen("<w:body ", &format!("<w:body {a} "), 1)
                    });
                let filled = fill(&with_ns, &self.values)
                    .map_err(|e| self.err(format!("its body is damaged ({e})")))?;
                let start = filled.find('>').map_or(0, |i| i + 1);
                let end = filled.rfind("</w:body>").unwrap_or(filled.len());
                Ok(filled[start..end].to_string())
            };
            match placeholder {
                Some((a, z)) => {
                    out.push_str(&filled_own(&own[..a])?);
                    out.push_str(body);
                    out.push_str(&filled_own(&own[z..])?);
                }
                None => {
                    out.push_str(&filled_own(own)?);
                    out.push_str(body);
                }
            }
        } else {
            out.push_str(body);
        }
        out.push_str(&main[sect_start..]);
        Ok(out)
    }
}

fn sdt_tag<'a>(sdt: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    sdt.children()
        .find(|c| is_w(*c, "sdtPr"))?
        .children()
        .find(|c| is_w(*c, "tag"))
        .and_then(|t| w_attr(t, "val"))
}

/// The canonical fields a part carries.
fn fields_in(d: &roxmltree::Document<'_>) -> Vec<&'static str> {
    let mut out = Vec::new();
    for n in d.descendants() {
        if is_w(n, "sdt") {
            if let Some(f) = sdt_tag(n).and_then(field_name) {
                out.push(f);
            }
        } else if is_w(n, "bookmarkStart")
            && let Some(f) = w_attr(n, "name").and_then(field_name)
        {
            out.push(f);
        }
    }
    out
}

/// The qualified name of an element as the source writes it (`w:sdtContent`).
fn qname<'a>(xml: &'a str, node: roxmltree::Node<'_, '_>) -> &'a str {
    let s = &xml[node.range().start + 1..];
    let end = s
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(s.len());
    &s[..end]
}

/// The source text of the first `w:rPr` of the first run inside `node`.
fn first_rpr<'a>(xml: &'a str, node: roxmltree::Node<'_, '_>) -> &'a str {
    node.descendants()
        .find(|n| is_w(*n, "r"))
        .and_then(|r| r.children().find(|c| is_w(*c, "rPr")))
        .map_or("", |rpr| &xml[rpr.range()])
}

/// A run's properties without their character style.
fn without_rstyle(rpr: &str) -> String {
    let Some(at) = rpr.find("<w:rStyle") else {
        return rpr.to_string();
    };
    let end = rpr[at..].find("/>").map_or(rpr.len(), |e| at + e + 2);
    let mut out = rpr.to_string();
    out.replace_range(at..end, "");
    if out.replace(' ', "") == "<w:rPr></w:rPr>" {
        String::new()
    } else {
        out
    }
}

fn text_run(rpr: &str, value: &str) -> String {
    let mut s = format!("<w:r>{rpr}");
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            s.push_str("<w:br/>");
        }
        let _ = write!(s, "<w:t xml:space=\"preserve\">{}</w:t>", esc(line));
    }
    s.push_str("</w:r>");
    s
}

/// `xml` with every field of `values` filled: content controls get the
/// value as their content (no longer showing the placeholder, no data
/// binding to overwrite it), bookmarks get it between their start and end.
pub(crate) fn fill(xml: &str, values: &BTreeMap<&'static str, String>) -> Result<String, String> {
    if values.is_empty() {
        return Ok(xml.to_string());
    }
    let d = ooxml::parse(xml)?;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for n in d.descendants() {
        if is_w(n, "sdt") {
            let Some(field) = sdt_tag(n).and_then(field_name) else {
                continue;
            };
            let Some(value) = values.get(field) else {
                continue;
            };
            let Some(content) = n.children().find(|c| is_w(*c, "sdtContent")) else {
                continue;
            };
            let mut placeholder = false;
            if let Some(pr) = n.children().find(|c| is_w(*c, "sdtPr")) {
                for c in pr
                    .children()
                    .filter(|c| is_w(*c, "showingPlcHdr") || is_w(*c, "dataBinding"))
                {
                    placeholder |= is_w(c, "showingPlcHdr");
                    edits.push((c.range().start, c.range().end, String::new()));
                }
            }
            // The placeholder's grey character style is not the value's.
            let rpr_of = |node: roxmltree::Node<'_, '_>| -> String {
                let rpr = first_rpr(xml, node);
                if placeholder {
                    without_rstyle(rpr)
                } else {
                    rpr.to_string()
                }
            };
            let q = qname(xml, content);
            let inner = match content.descendants().find(|c| is_w(*c, "p")) {
                Some(p) => {
                    let ppr = p
                        .children()
                        .find(|c| is_w(*c, "pPr"))
                        .map_or("", |x| &xml[x.range()]);
                    let para = format!("<w:p>{ppr}{}</w:p>", text_run(&rpr_of(p), value));
                    if content.children().any(|c| is_w(c, "p")) {
                        para
                    } else {
                        // A cell- or row-level control: fill its first paragraph in place.
                        edits.push((p.range().start, p.range().end, para));
                        continue;
                    }
                }
                None => text_run(&rpr_of(content), value),
            };
            edits.push((
                content.range().start,
                content.range().end,
                format!("<{q}>{inner}</{q}>"),
            ));
        } else if is_w(n, "bookmarkStart") {
            let Some(field) = w_attr(n, "name").and_then(field_name) else {
                continue;
            };
            let Some(value) = values.get(field) else {
                continue;
            };
            let id = w_attr(n, "id");
            let end = n
                .next_siblings()
                .skip(1)
                .find(|s| is_w(*s, "bookmarkEnd") && w_attr(*s, "id") == id);
            match end {
                Some(end) => {
                    let between: Vec<_> = n
                        .next_siblings()
                        .skip(1)
                        .take_while(|s| *s != end)
                        .filter(|s| s.is_element())
                        .collect();
                    if between
                        .iter()
                        .all(|s| is_w(*s, "r") || is_w(*s, "proofErr"))
                    {
                        let rpr = between.first().map_or("", |r| first_rpr(xml, *r));
                        edits.push((n.range().end, end.range().start, text_run(rpr, value)));
                    } else {
                        edits.push((n.range().end, n.range().end, text_run("", value)));
                    }
                }
                None => edits.push((n.range().end, n.range().end, text_run("", value))),
            }
        }
    }
    // Apply from the end; an edit inside one already made is dropped.
    edits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut out = xml.to_string();
    let mut floor = usize::MAX;
    for (a, z, text) in edits {
        if z > floor {
            continue;
        }
        out.replace_range(a..z, &text);
        floor = a;
    }
    Ok(out)
}

/// `xml` with `insert` placed just before the closing tag of its root `local` element.
fn insert_before_close(xml: &str, local: &str, insert: &str) -> Option<String> {
    let close = xml
        .rfind(&format!(":{local}>"))
        .or_else(|| xml.rfind(&format!("</{local}>")))?;
    let lt = xml[..close].rfind("</")?;
    let mut out = xml.to_string();
    out.insert_str(lt, insert);
    Some(out)
}

/// The template's numbering with Kryphål's bullet list added: the abstract
/// definition after the last one (they come before the `w:num`s), the
/// number at the end.
fn merge_numbering(xml: &str, plan: &NumberingPlan) -> Option<String> {
    let (a, n) = wordml::bullet_numbering(plan.abstract_id, plan.num_id);
    let d = ooxml::parse(xml).ok()?;
    let root = d.root_element();
    let first_num = root
        .children()
        .find(|c| is_w(*c, "num") || is_w(*c, "numIdMacAtCleanup"));
    let cleanup = root.children().find(|c| is_w(*c, "numIdMacAtCleanup"));
    let mut out = xml.to_string();
    // Insert the later position first.
    match cleanup {
        Some(c) => out.insert_str(c.range().start, &n),
        None => out = insert_before_close(&out, "numbering", &n)?,
    }
    match first_num {
        Some(f) => out.insert_str(f.range().start, &a),
        None => {
            // No numbers at all: the definition goes right before ours.
            let at = out.find(&n)?;
            out.insert_str(at, &a);
        }
    }
    Some(out)
}

/// Elements of `w:settings` that come after `w:trackRevisions` in the schema.
const AFTER_TRACK: &[&str] = &[
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
];

/// The settings with `w:trackRevisions` on, in its place in the schema's order.
fn with_track_revisions(xml: &str) -> Option<String> {
    let d = ooxml::parse(xml).ok()?;
    let root = d.root_element();
    if root.children().any(|c| is_w(c, "trackRevisions")) {
        return Some(xml.to_string());
    }
    let before = root.children().find(|c| {
        c.is_element()
            && (c.tag_name().namespace() != Some(ooxml::NS_W)
                || AFTER_TRACK.contains(&c.tag_name().name()))
    });
    let mut out = xml.to_string();
    match before {
        Some(b) => out.insert_str(b.range().start, "<w:trackRevisions/>"),
        None => out = insert_before_close(&out, "settings", "<w:trackRevisions/>")?,
    }
    Some(out)
}

/// The template's content types with the main part made a document (not a
/// template) and Kryphål's parts added.
fn content_types(
    xml: &str,
    extra: &[(String, String)],
    doc: &WordDoc,
    renames: &BTreeMap<String, String>,
) -> String {
    let _ = renames;
    let mut defaults: Vec<(String, String)> = Vec::new();
    let mut overrides: Vec<(String, String)> = Vec::new();
    if let Ok(d) = ooxml::parse(xml) {
        for n in d.root_element().children().filter(|n| n.is_element()) {
            match n.tag_name().name() {
                "Default" => defaults.push((
                    n.attribute("Extension").unwrap_or_default().to_lowercase(),
                    n.attribute("ContentType").unwrap_or_default().to_string(),
                )),
                "Override" => {
                    let part = n.attribute("PartName").unwrap_or_default().to_string();
                    let mut ct = n.attribute("ContentType").unwrap_or_default().to_string();
                    if ct == ooxml::CT_TEMPLATE {
                        ct = ooxml::CT_DOCUMENT.to_string();
                    }
                    overrides.push((part, ct));
                }
                _ => {}
            }
        }
    }
    let _ = doc;
    for (part, ct) in extra {
        if !overrides.iter().any(|(p, _)| p.eq_ignore_ascii_case(part)) {
            overrides.push((part.clone(), ct.clone()));
        }
    }
    if !overrides.iter().any(|(p, _)| p == "/docProps/core.xml") {
        overrides.push(("/docProps/core.xml".into(), ooxml::CT_CORE.into()));
    }
    let mut s = format!("{DECL}<Types xmlns=\"{}\">", ooxml::NS_CT);
    let mut seen = BTreeSet::new();
    for (ext, ct) in defaults.iter().chain(
        [
            (
                "rels",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
            ("xml", "application/xml"),
            ("png", "image/png"),
            ("jpeg", "image/jpeg"),
        ]
        .iter()
        .map(|(e, c)| (e.to_string(), c.to_string()))
        .collect::<Vec<_>>()
        .iter(),
    ) {
        if seen.insert(ext.clone()) {
            let _ = write!(
                s,
                "<Default Extension=\"{}\" ContentType=\"{}\"/>",
                esc(ext),
                esc(ct)
            );
        }
    }
    for (part, ct) in overrides {
        let _ = write!(
            s,
            "<Override PartName=\"{}\" ContentType=\"{}\"/>",
            esc(&part),
            esc(&ct)
        );
    }
    s.push_str("</Types>");
    s
}

/// The template's relationships of the main document, without those to
/// parts Kryphål replaces, with Kryphål's added.
fn merge_rels(xml: &str, extra: &[(String, String, String)], dropped: &[&str]) -> String {
    let mut rels: Vec<(String, String, String, Option<String>)> = Vec::new();
    if let Ok(d) = ooxml::parse(xml) {
        for n in d.root_element().children().filter(|n| n.is_element()) {
            let target = n.attribute("Target").unwrap_or_default().to_string();
            if dropped.contains(&target.as_str()) {
                continue;
            }
            rels.push((
                n.attribute("Id").unwrap_or_default().to_string(),
                n.attribute("Type").unwrap_or_default().to_string(),
                target,
                n.attribute("TargetMode").map(str::to_string),
            ));
        }
    }
    let mut s = format!("{DECL}<Relationships xmlns=\"{}\">", ooxml::NS_PKG_REL);
    for (id, kind, target, mode) in &rels {
        let _ = write!(
            s,
            "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"{}/>",
            esc(id),
            esc(kind),
            esc(target),
            mode.as_deref()
                .map(|m| format!(" TargetMode=\"{}\"", esc(m)))
                .unwrap_or_default()
        );
    }
    for (id, kind, target) in extra {
        if rels.iter().any(|(_, k, _, _)| {
            k == kind
                && (kind == ooxml::REL_STYLES
                    || kind == ooxml::REL_SETTINGS
                    || kind == ooxml::REL_NUMBERING)
        }) {
            continue;
        }
        let _ = write!(
            s,
            "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"/>",
            esc(id),
            esc(kind),
            esc(target)
        );
    }
    s.push_str("</Relationships>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_accept_swedish_and_english_spellings() {
        assert_eq!(field_name("kryphal.dnr"), Some("dnr"));
        assert_eq!(field_name("Kryphal.Nämnd"), Some("namnd"));
        assert_eq!(field_name("kryphal_handlaggare"), Some("handlaggare"));
        assert_eq!(field_name("kryphal.ärende"), Some("arende"));
        assert_eq!(field_name("kryphal.municipality"), Some("kommun"));
        assert_eq!(field_name("dnr"), None);
        assert_eq!(field_name("kryphal.okänt"), None);
    }

    #[test]
    fn content_controls_and_bookmarks_are_filled_and_stop_showing_placeholders() {
        let xml = format!(
            "<w:hdr xmlns:w=\"{}\"><w:p><w:sdt><w:sdtPr><w:tag w:val=\"kryphal.dnr\"/><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:b/></w:rPr><w:t>Klicka här</w:t></w:r></w:sdtContent></w:sdt></w:p><w:p><w:bookmarkStart w:id=\"1\" w:name=\"kryphal_datum\"/><w:r><w:t>ÅÅÅÅ-MM-DD</w:t></w:r><w:bookmarkEnd w:id=\"1\"/></w:p></w:hdr>",
            ooxml::NS_W
        );
        let mut values = BTreeMap::new();
        values.insert("dnr", "VON 2026/0042 & co".to_string());
        values.insert("datum", "2026-12-01".to_string());
        let out = fill(&xml, &values).unwrap();
        assert!(
            out.contains(
                "<w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">VON 2026/0042 &amp; co</w:t>"
            ),
            "{out}"
        );
        assert!(!out.contains("showingPlcHdr"), "{out}");
        assert!(!out.contains("Klicka här"), "{out}");
        assert!(
            out.contains("<w:t xml:space=\"preserve\">2026-12-01</w:t></w:r><w:bookmarkEnd"),
            "{out}"
        );
        assert!(!out.contains("ÅÅÅÅ"), "{out}");
        ooxml::parse(&out).unwrap();
    }
}
