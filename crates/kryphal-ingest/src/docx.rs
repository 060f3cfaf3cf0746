//! DOCX (Office Open XML) through `zip` + `quick-xml`.
//!
//! Reads `word/document.xml` in reading order: paragraphs; headings by style
//! (following the `basedOn` chain, Swedish style ids such as `Rubrik1`) or
//! `outlineLvl`; Word's automatic numbering from `numbering.xml` turned into
//! the labels the reader sees (levels, restarts, `%1.%2` patterns); tables row
//! by row (a one-cell layout row is read as its paragraphs); footnotes and
//! endnotes appended to the paragraph that first cites them (a later citation
//! points to it by its number); tracked changes as accepted (insertions kept,
//! deletions dropped). Headers and footers live in other parts and are never
//! read, so page furniture does not reach the outline.
//!
//! Everything read is spent against the import's [`Budget`]: the text, each
//! paragraph and cell, and the nesting of tables and text boxes. List labels
//! are short whatever `numbering.xml` asks for (a start value is capped as
//! Word caps it, a level text is cut at [`MAX_LEVEL_TEXT`] characters).

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use crate::budget::Budget;
use crate::xml::{Xml, attr, local, reference, text};
use crate::zipped::Archive;
use crate::{Block, IngestError, Limits, RawDocument};

/// The longest level text (`%1.%2.`) of a list level that is read; Word's
/// own are a few characters.
const MAX_LEVEL_TEXT: usize = 32;
/// The highest start value of a list level (Word's own limit).
const MAX_START: u32 = 32_767;

/// Reads a DOCX file.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<RawDocument, IngestError> {
    let mut budget = Budget::new(name, bytes.len(), limits);
    let mut zip = Archive::open(name, bytes, limits)?;
    let document = zip
        .text("word/document.xml")?
        .ok_or_else(|| IngestError::Damaged {
            name: name.to_string(),
            reason: "the Word document part word/document.xml is missing".into(),
        })?;
    let styles = match zip.text("word/styles.xml")? {
        Some(s) => Styles::parse(name, &s)?,
        None => Styles::default(),
    };
    let numbering = match zip.text("word/numbering.xml")? {
        Some(s) => Numbering::parse(name, &s)?,
        None => Numbering::default(),
    };
    let mut notes = HashMap::new();
    for (part, tag) in [
        ("word/footnotes.xml", "footnote"),
        ("word/endnotes.xml", "endnote"),
    ] {
        if let Some(s) = zip.text(part)? {
            read_notes(name, part, &s, tag, &mut notes)?;
        }
    }
    let mut doc = RawDocument::default();
    if let Some(core) = zip.text("docProps/core.xml")? {
        // A title without a space ("ReferatLagrummet") is a template's, not the document's.
        let title = core_title(name, &core)?;
        if title.contains(' ') {
            doc.meta.title = title;
        }
    }
    let mut reader = Reader {
        styles: &styles,
        numbering,
        notes: &notes,
        note_count: 0,
        cited: HashMap::new(),
        budget: &mut budget,
    };
    reader.body(name, &document, &mut doc)?;
    Ok(doc)
}

/// What a style contributes, directly or through `basedOn`.
#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

#[derive(Debug, Default)]
struct Styles(HashMap<String, Style>);

impl Styles {
    fn parse(name: &str, xml: &str) -> Result<Self, IngestError> {
        let mut map = HashMap::new();
        let mut x = Xml::new(name, "word/styles.xml", xml);
        let mut current: Option<(String, Style)> = None;
        loop {
            match x.next()? {
                Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                    "style" => {
                        if let Some((id, s)) = current.take() {
                            map.insert(id, s);
                        }
                        current = attr(&e, "styleId").map(|id| (id, Style::default()));
                    }
                    tag => {
                        if let Some((_, s)) = current.as_mut() {
                            let val = attr(&e, "val");
                            match tag {
                                "name" => s.name = val.unwrap_or_default().to_lowercase(),
                                "basedOn" => s.based_on = val,
                                "outlineLvl" => s.outline = val.and_then(|v| v.parse().ok()),
                                "numId" => s.num_id = val,
                                "ilvl" => s.ilvl = val.and_then(|v| v.parse().ok()),
                                _ => {}
                            }
                        }
                    }
                },
                Event::End(e) if e.local_name().as_ref() == "style" => {
                    if let Some((id, s)) = current.take() {
                        map.insert(id, s);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(Styles(map))
    }

    /// Follows the `basedOn` chain (at most 16 steps: chains can be cyclic).
    fn chain(&self, id: &str) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut next = Some(id.to_string());
        while let Some(id) = next.take() {
            let Some(s) = self.0.get(&id) else { break };
            out.push(s);
            if out.len() >= 16 {
                break;
            }
            next = s.based_on.clone();
        }
        out
    }

    /// Heading level of a style: by its name (`heading 2`, `Rubrik 2`), its id
    /// (`Rubrik2`) or its outline level, following `basedOn`.
    fn heading_level(&self, id: &str) -> Option<u8> {
        if let Some(level) = heading_level_from_name(id) {
            return Some(level);
        }
        for s in self.chain(id) {
            if let Some(level) = heading_level_from_name(&s.name) {
                return Some(level);
            }
            if let Some(o) = s.outline {
                return (o < 9).then_some(o + 1);
            }
        }
        None
    }

    /// A table-of-contents style (`toc 1` … `toc 9`, whatever its id).
    fn is_contents(&self, id: &str) -> bool {
        let lower = id.to_lowercase();
        lower.starts_with("toc")
            || self
                .chain(id)
                .first()
                .is_some_and(|s| s.name.starts_with("toc ") || s.name == "toc heading")
    }

    fn is_title(&self, id: &str) -> bool {
        let lower = id.to_lowercase();
        matches!(lower.as_str(), "title" | "titel" | "rubrik")
            || self.0.get(id).is_some_and(|s| s.name == "title")
    }

    fn numbering(&self, id: &str) -> (Option<String>, Option<u8>) {
        let mut num = None;
        let mut lvl = None;
        for s in self.chain(id) {
            num = num.or_else(|| s.num_id.clone());
            lvl = lvl.or(s.ilvl);
        }
        (num, lvl)
    }
}

/// `heading 2`, `Heading2`, `Rubrik 2`, `Rubrik2`, `Überschrift 2` → 2.
fn heading_level_from_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let rest = ["heading", "rubrik", "überschrift", "otsikko", "overskrift"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))?;
    let n: u8 = rest.trim().parse().ok()?;
    (1..=9).contains(&n).then_some(n)
}

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

#[derive(Debug, Default)]
struct Numbering {
    /// abstractNumId → levels.
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → (abstractNumId, start overrides per level).
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
    /// Counters, keyed by abstract list (or by num when it restarts).
    counters: HashMap<String, [u32; 9]>,
}

impl Numbering {
    fn parse(name: &str, xml: &str) -> Result<Self, IngestError> {
        let mut n = Numbering::default();
        let mut x = Xml::new(name, "word/numbering.xml", xml);
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut ilvl: u8 = 0;
        let mut override_lvl: Option<u8> = None;
        loop {
            match x.next()? {
                Event::Start(e) | Event::Empty(e) => {
                    let val = || attr(&e, "val");
                    match local(&e).as_str() {
                        "abstractNum" => {
                            abstract_id = attr(&e, "abstractNumId");
                            num_id = None;
                        }
                        "num" => {
                            num_id = attr(&e, "numId");
                            abstract_id = None;
                        }
                        "abstractNumId" => {
                            if let (Some(num), Some(a)) = (&num_id, val()) {
                                n.nums.insert(num.clone(), (a, HashMap::new()));
                            }
                        }
                        "lvlOverride" => {
                            override_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok())
                        }
                        "startOverride" => {
                            if let (Some(num), Some(l), Some(v)) = (&num_id, override_lvl, val())
                                && let Some((_, o)) = n.nums.get_mut(num)
                            {
                                o.insert(l, start_value(&v));
                            }
                        }
                        "lvl" => {
                            ilvl = attr(&e, "ilvl")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(0)
                                .min(8);
                            if let Some(a) = &abstract_id {
                                let levels = n.abstracts.entry(a.clone()).or_default();
                                if levels.len() <= usize::from(ilvl) {
                                    levels.resize(usize::from(ilvl) + 1, Level::default());
                                }
                                levels[usize::from(ilvl)].start = 1;
                            }
                        }
                        tag @ ("start" | "numFmt" | "lvlText") => {
                            if let Some(level) = abstract_id
                                .as_ref()
                                .and_then(|a| n.abstracts.get_mut(a))
                                .and_then(|l| l.get_mut(usize::from(ilvl)))
                            {
                                let v = val().unwrap_or_default();
                                match tag {
                                    "start" => level.start = start_value(&v),
                                    "numFmt" => level.format = v,
                                    _ => level.text = v.chars().take(MAX_LEVEL_TEXT).collect(),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(n)
    }

    /// Advances the counter of `num_id` at `ilvl` and returns the label the
    /// reader sees, and whether it is a bullet and how many levels it shows.
    fn next_label(&mut self, num_id: &str, ilvl: u8) -> Option<(String, bool, usize)> {
        let (abs, overrides) = self.nums.get(num_id)?;
        let levels = self.abstracts.get(abs)?;
        let ilvl = usize::from(ilvl.min(8));
        let level = levels.get(ilvl)?;
        let key = if overrides.is_empty() {
            abs.clone()
        } else {
            format!("num{num_id}")
        };
        let start_of = |i: usize| {
            overrides
                .get(&(i as u8))
                .copied()
                .or_else(|| levels.get(i).map(|l| l.start))
                .unwrap_or(1)
        };
        let counters = self.counters.entry(key).or_insert_with(|| {
            let mut c = [0u32; 9];
            for (i, v) in c.iter_mut().enumerate() {
                *v = start_of(i).saturating_sub(1);
            }
            c
        });
        counters[ilvl] = counters[ilvl].saturating_add(1);
        for (i, v) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            *v = start_of(i).saturating_sub(1);
        }
        if level.format == "bullet" {
            return Some(("•".into(), true, 1));
        }
        if level.format == "none" {
            return None;
        }
        let mut out = String::new();
        let mut shown = 0;
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                let i = (d as usize).saturating_sub(1).min(8);
                let fmt = levels
                    .get(i)
                    .map(|l| l.format.as_str())
                    .unwrap_or("decimal");
                let v = counters[i].max(1);
                out.push_str(&format_number(v, fmt));
                shown += 1;
            } else {
                out.push(c);
            }
        }
        Some((out.trim().to_string(), false, shown))
    }
}

/// A list's start value as Word reads it: a number from 0 to 32,767.
fn start_value(v: &str) -> u32 {
    v.trim()
        .parse::<i64>()
        .map_or(1, |n| n.clamp(0, i64::from(MAX_START)) as u32)
}

fn format_number(n: u32, fmt: &str) -> String {
    match fmt {
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

fn letters(n: u32) -> String {
    // Word repeats the letter: a … z, aa … zz (the count is capped: a counter
    // of a list that starts at 32,767 would otherwise repeat it 1,261 times).
    let n = n.max(1) - 1;
    let c = char::from(b'A' + (n % 26) as u8);
    c.to_string().repeat(((n / 26) as usize + 1).min(8))
}

fn roman(mut n: u32) -> String {
    if n >= 4000 {
        // Roman numerals end at 3,999; a larger counter is written in digits.
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn core_title(name: &str, xml: &str) -> Result<String, IngestError> {
    let mut x = Xml::new(name, "docProps/core.xml", xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match x.next()? {
            Event::Start(e) => in_title = local(&e) == "title",
            Event::End(_) => in_title = false,
            Event::Text(t) if in_title => title.push_str(&text(&t)),
            Event::GeneralRef(r) if in_title => title.push_str(&reference(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(title.trim().to_string())
}

/// Reads footnotes or endnotes: id → text.
fn read_notes(
    name: &str,
    part: &str,
    xml: &str,
    tag: &str,
    notes: &mut HashMap<String, String>,
) -> Result<(), IngestError> {
    let mut x = Xml::new(name, part, xml);
    let mut current: Option<(String, String)> = None;
    let mut in_t = false;
    loop {
        match x.next()? {
            Event::Start(e) => {
                let l = local(&e);
                if l == tag {
                    let special = attr(&e, "type").is_some_and(|t| t != "normal");
                    current = (!special)
                        .then(|| attr(&e, "id").map(|id| (id, String::new())))
                        .flatten();
                } else if l == "t" {
                    in_t = true;
                } else if l == "p"
                    && let Some((_, t)) = current.as_mut()
                    && !t.is_empty()
                {
                    t.push(' ');
                }
            }
            Event::End(e) => {
                let l = e.local_name();
                if l.as_ref() == tag {
                    if let Some((id, t)) = current.take() {
                        notes.insert(id, collapse(&t));
                    }
                } else if l.as_ref() == "t" {
                    in_t = false;
                }
            }
            Event::Text(t) if in_t => {
                if let Some((_, s)) = current.as_mut() {
                    s.push_str(&text(&t));
                }
            }
            Event::GeneralRef(r) if in_t => {
                if let Some((_, s)) = current.as_mut() {
                    s.push_str(&reference(&r));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    outline: Option<u8>,
    notes: Vec<String>,
}

/// A table being read: rows of cells of blocks.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<Block>>>,
    row: Vec<Vec<Block>>,
    cell: Vec<Block>,
}

struct Reader<'a> {
    styles: &'a Styles,
    numbering: Numbering,
    notes: &'a HashMap<String, String>,
    note_count: u32,
    /// The number each note got where it was first cited: a later citation
    /// points to it instead of copying the note again.
    cited: HashMap<String, u32>,
    budget: &'a mut Budget,
}

impl Reader<'_> {
    fn body(&mut self, name: &str, xml: &str, doc: &mut RawDocument) -> Result<(), IngestError> {
        let mut x = Xml::new(name, "word/document.xml", xml);
        let mut paras: Vec<Para> = Vec::new();
        let mut tables: Vec<Table> = Vec::new();
        // Depth inside elements whose text is not shown: deletions, moved-from
        // text, field instructions, fallback content.
        let mut hidden = 0u32;
        let mut in_t = false;
        let mut in_ppr = false;
        // Text a run's own properties hide (`w:vanish`: a template's
        // instructions), and the fields open around the text: a TOC field's
        // result is the table of contents, not the body.
        let mut run_vanish = false;
        let mut in_instr = false;
        let mut fields: Vec<bool> = Vec::new();
        loop {
            let event = x.next()?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    let l = local(e);
                    match l.as_str() {
                        "r" if !empty => run_vanish = false,
                        "vanish" if !in_ppr => {
                            run_vanish = !matches!(attr(e, "val").as_deref(), Some("0" | "false"));
                        }
                        "fldChar" => match attr(e, "fldCharType").as_deref() {
                            Some("begin") => fields.push(false),
                            Some("end") => {
                                fields.pop();
                            }
                            _ => {}
                        },
                        "instrText" if !empty => {
                            in_instr = true;
                            hidden += 1;
                        }
                        "del" | "moveFrom" | "instrText" | "delText" | "Fallback"
                        | "delInstrText"
                            if !empty && !in_ppr =>
                        {
                            hidden += 1
                        }
                        _ if hidden > 0 => {}
                        "p" if !empty => {
                            // Paragraphs nest through text boxes.
                            self.budget
                                .nesting(paras.len() + 1, "paragraphs in text boxes")?;
                            paras.push(Para::default())
                        }
                        "pPr" if !empty => in_ppr = true,
                        "tbl" if !empty => {
                            self.budget
                                .nesting(tables.len() + 1, "tables inside tables")?;
                            tables.push(Table::default())
                        }
                        "tc" if !empty => {
                            self.budget.spend(0, 1)?;
                            if let Some(t) = tables.last_mut() {
                                t.cell.clear();
                            }
                        }
                        "t" if !empty => in_t = true,
                        "tab" | "br" | "cr" if !in_ppr => {
                            if let Some(p) = paras.last_mut() {
                                self.budget.spend(1, 0)?;
                                p.text.push(' ');
                            }
                        }
                        "noBreakHyphen" => {
                            if let Some(p) = paras.last_mut() {
                                self.budget.spend(1, 0)?;
                                p.text.push('-');
                            }
                        }
                        "footnoteReference" | "endnoteReference" => {
                            self.note_reference(e, paras.last_mut())?
                        }
                        _ if in_ppr => self.paragraph_property(e, &l, paras.last_mut()),
                        _ => {}
                    }
                }
                Event::End(e) => {
                    let l = e.local_name();
                    if l.as_ref() == "instrText" {
                        in_instr = false;
                    }
                    if l.as_ref() == "r" {
                        run_vanish = false;
                    }
                    match l.as_ref() {
                        "del" | "moveFrom" | "instrText" | "delText" | "Fallback"
                        | "delInstrText"
                            if !in_ppr =>
                        {
                            hidden = hidden.saturating_sub(1)
                        }
                        _ if hidden > 0 => {}
                        "t" => in_t = false,
                        "pPr" => in_ppr = false,
                        "p" => {
                            let in_contents = fields.iter().any(|toc| *toc);
                            if let Some(p) = paras.pop()
                                && !in_contents
                                && !self.styles.is_contents(p.style.as_deref().unwrap_or(""))
                                && let Some(block) = self.finish(p, doc)?
                            {
                                match tables.last_mut() {
                                    Some(t) => t.cell.push(block),
                                    None => doc.blocks.push(block),
                                }
                            }
                        }
                        "tc" => {
                            if let Some(t) = tables.last_mut() {
                                let cell = std::mem::take(&mut t.cell);
                                t.row.push(cell);
                            }
                        }
                        "tr" => {
                            if let Some(t) = tables.last_mut() {
                                let row = std::mem::take(&mut t.row);
                                t.rows.push(row);
                            }
                        }
                        "tbl" => {
                            if let Some(t) = tables.pop() {
                                let blocks = table_blocks(t.rows);
                                match tables.last_mut() {
                                    Some(outer) => outer.cell.extend(blocks),
                                    None => doc.blocks.extend(blocks),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::Text(t) if in_instr => {
                    if text(&t).trim_start().starts_with("TOC")
                        && let Some(f) = fields.last_mut()
                    {
                        *f = true;
                    }
                }
                Event::Text(_) | Event::GeneralRef(_) if run_vanish => {}
                Event::Text(t) if in_t && hidden == 0 => {
                    if let Some(p) = paras.last_mut() {
                        let t = text(&t);
                        self.budget.spend(t.len(), 0)?;
                        p.text.push_str(&t);
                    }
                }
                Event::GeneralRef(r) if in_t && hidden == 0 => {
                    if let Some(p) = paras.last_mut() {
                        let r = reference(&r);
                        self.budget.spend(r.len(), 0)?;
                        p.text.push_str(&r);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(())
    }

    fn paragraph_property(&self, e: &BytesStart<'_>, l: &str, p: Option<&mut Para>) {
        let Some(p) = p else { return };
        let val = attr(e, "val");
        match l {
            "pStyle" => p.style = val,
            "numId" => p.num_id = val,
            "ilvl" => p.ilvl = val.and_then(|v| v.parse().ok()),
            "outlineLvl" => p.outline = val.and_then(|v| v.parse().ok()),
            _ => {}
        }
    }

    /// A citation of a footnote or endnote: its number in the text, and the
    /// note's text after the paragraph the first time it is cited. A note
    /// cited again is only pointed to (`[3]`), so a note cited a thousand
    /// times is read once.
    fn note_reference(
        &mut self,
        e: &BytesStart<'_>,
        p: Option<&mut Para>,
    ) -> Result<(), IngestError> {
        let Some(p) = p else { return Ok(()) };
        let Some(id) = attr(e, "id") else {
            return Ok(());
        };
        let Some(note) = self.notes.get(&id) else {
            return Ok(());
        };
        if let Some(number) = self.cited.get(&id) {
            let mark = format!("[{number}]");
            self.budget.spend(mark.len(), 0)?;
            p.text.push_str(&mark);
            return Ok(());
        }
        self.note_count += 1;
        let mark = format!("[{}]", self.note_count);
        let body = format!("[Fotnot {}: {note}]", self.note_count);
        self.budget.spend(mark.len() + body.len(), 1)?;
        self.cited.insert(id, self.note_count);
        p.text.push_str(&mark);
        p.notes.push(body);
        Ok(())
    }

    /// Turns a finished paragraph into a block (or nothing, when it is empty).
    fn finish(&mut self, p: Para, doc: &mut RawDocument) -> Result<Option<Block>, IngestError> {
        let style = p.style.as_deref().unwrap_or("");
        let (style_num, style_lvl) = self.styles.numbering(style);
        let num_id = p.num_id.or(style_num).filter(|n| n != "0");
        let ilvl = p.ilvl.or(style_lvl).unwrap_or(0);
        let label = num_id
            .as_deref()
            .and_then(|n| self.numbering.next_label(n, ilvl));
        let mut text = collapse(&p.text.replace('\u{AD}', ""));
        if text.is_empty() {
            return Ok(None);
        }
        // The label is built per paragraph: it is charged like its text.
        self.budget
            .spend(label.as_ref().map_or(0, |(l, _, _)| l.len()), 1)?;
        for note in &p.notes {
            text.push(' ');
            text.push_str(note);
        }
        if self.styles.is_title(style) && doc.meta.title.is_empty() {
            doc.meta.title = text;
            return Ok(None);
        }
        let heading = match p.outline {
            Some(o) if o < 9 => Some(o + 1),
            Some(_) => None,
            None => self.styles.heading_level(style),
        };
        if let Some(level) = heading {
            let text = match label {
                Some((l, false, _)) if !l.is_empty() => format!("{l} {text}"),
                _ => text,
            };
            return Ok(Some(Block::Heading { level, text }));
        }
        Ok(match label {
            Some((_, true, _)) => Some(Block::ListItem {
                depth: ilvl + 1,
                label: "•".into(),
                text,
            }),
            // A multi-level number (`4.2`) is the document's own clause number.
            Some((l, false, shown)) if shown > 1 => Some(Block::Paragraph {
                text: format!("{l} {text}"),
            }),
            Some((l, false, _)) if !l.is_empty() => Some(Block::ListItem {
                depth: ilvl + 1,
                label: l,
                text,
            }),
            _ => Some(Block::Paragraph { text }),
        })
    }
}

/// A table's rows as blocks: a row with a single non-empty cell is layout
/// (its paragraphs are read as they are); other rows become table rows.
fn table_blocks(rows: Vec<Vec<Vec<Block>>>) -> Vec<Block> {
    let mut out = Vec::new();
    for row in rows {
        let filled: Vec<&Vec<Block>> = row.iter().filter(|c| !c.is_empty()).collect();
        match filled.len() {
            0 => {}
            1 => out.extend(filled[0].iter().cloned()),
            _ => out.push(Block::TableRow {
                cells: row.iter().map(|c| cell_text(c)).collect(),
            }),
        }
    }
    out
}

fn cell_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| match b {
            Block::Heading { text, .. } | Block::Paragraph { text } => text.clone(),
            Block::ListItem { label, text, .. } => format!("{label} {text}"),
            Block::TableRow { cells } => cells.join(" | "),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
