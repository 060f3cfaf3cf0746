//! Reading a review document back ([`read_review`]): what became of each
//! finding's proposal, the replies to its comment, and new comments.
//!
//! The file must carry the manifest `review.rs` wrote (a custom XML part in
//! [`REVIEW_NAMESPACE`]); without it the file is not ours and is refused.
//! The body is read as a stream of text pieces, each marked as present in
//! the text *before* the changes (not inside `w:ins`/`w:moveTo`) and
//! *after* them (not inside `w:del`/`w:moveFrom`), with paragraph marks
//! that may themselves be inserted or deleted; from it come both views of
//! every paragraph. Word's markup is read as Word writes it: runs split
//! anywhere, `w:proofErr`, `w:smartTag`, content controls, hyperlinks,
//! field codes (only their results count), nested revisions (a reviewer's
//! deletion inside our insertion), moves, rsids and the `w14`/`w15` parts.
//!
//! Each finding's clause is found through its comment (matched by the
//! comment's paragraph id, which Word keeps, or else by its text, which
//! LibreOffice keeps), else through the clause's hidden bookmark, else
//! through its text if exactly one paragraph reads so; a clause found by
//! none of these is reported, never guessed. The outcome of a tracked
//! proposal: no revision marks left and the clause reads as proposed —
//! accepted; as before — rejected; otherwise — edited (the text is the new
//! proposal); marks left and the text after them is the proposal — still
//! pending.
//!
//! A reply is a comment whose thread parent (`commentsExtended`) leads to a
//! finding's comment; in a file without threads (LibreOffice 7.4 writes
//! none) a comment anchored exactly where one finding's comment starts is
//! taken as its reply. Every other new comment is a note on the clause its
//! paragraph belongs to (or on the document).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::ExportError;
use crate::ooxml::{self, PackageReader, fnv64, is_w, squash, w_attr};
use crate::review::{REVIEW_FORMAT, REVIEW_NAMESPACE};

/// The manifest of a review document: what was sent out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewManifest {
    pub format: u32,
    pub document_id: String,
    pub title: String,
    /// `internal` or `public`.
    pub variant: String,
    pub lang: String,
    /// The export's date, `YYYY-MM-DD`.
    pub exported: String,
    pub clauses: Vec<ManifestClause>,
}

/// A clause of the review document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestClause {
    pub clause_id: String,
    pub bookmark: String,
    pub number: String,
    /// The clause's text as exported (clauses with findings only).
    pub text: Option<String>,
    pub findings: Vec<ManifestFinding>,
}

/// A finding as the review document carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestFinding {
    pub finding_id: String,
    /// The last `w14:paraId` of its comment.
    pub para_id: String,
    /// Hash of the comment's text, whitespace squashed.
    pub sig: u64,
    /// Who wrote the finding (the comment's author).
    pub author: String,
    /// Who last changed it (the tracked change's author).
    pub reviser: String,
    /// Its proposal is the clause's tracked change.
    pub tracked: bool,
    /// The proposed wording as exported.
    pub proposed: String,
}

/// What the reviewer did with a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The change was accepted: the clause now reads as proposed, no marks left.
    Accepted,
    /// The change was rejected: the clause reads as before, no marks left.
    Rejected,
    /// The change is still there, neither accepted nor rejected.
    Pending,
    /// The reviewer changed the proposed text: [`FindingReading::text`] is the new proposal.
    Edited,
    /// The finding had no tracked change; only its comment (and replies) count.
    Commented,
    /// Neither its comment, nor its clause's bookmark, nor its text is in the file.
    NotFound,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Rejected => "rejected",
            Outcome::Pending => "pending",
            Outcome::Edited => "edited",
            Outcome::Commented => "commented",
            Outcome::NotFound => "not_found",
        }
    }
}

/// A comment read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentReading {
    pub author: String,
    /// RFC 3339 UTC (`YYYY-MM-DDTHH:MM:SSZ`); empty when the file has no usable date.
    pub at: String,
    pub text: String,
}

/// What the file says about one finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingReading {
    pub finding_id: String,
    pub clause_id: String,
    pub outcome: Outcome,
    /// The clause's text in the file with every change accepted, its number left off.
    pub text: String,
    /// Someone else than the finding's reviser made changes in the clause:
    /// the first of them (an edited proposal's author).
    pub reviser: Option<String>,
    /// Replies to the finding's comment, in the file's order.
    pub replies: Vec<CommentReading>,
    /// How the clause was found: `comment`, `bookmark` or `text`.
    pub located_by: Option<String>,
    /// The finding's own comment is still in the file.
    pub comment_found: bool,
}

/// A new comment that is not a reply to a finding's comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteReading {
    /// The clause its paragraph belongs to; `None` for a heading or other text.
    pub clause_id: Option<String>,
    pub comment: CommentReading,
    /// The commented paragraph's text (shortened), so a note on no clause keeps its place.
    pub context: String,
}

/// Something in the file that could not be read as it should.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadProblem {
    /// `clause_not_found`, `ambiguous_reply`.
    pub code: String,
    pub clause_id: Option<String>,
    pub finding_id: Option<String>,
    /// One plain sentence (English; the app words it in the user's language).
    pub detail: String,
}

/// Everything read from a review document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewReading {
    pub manifest: ReviewManifest,
    /// `cp:lastModifiedBy` of the file (who saved it last), may be empty.
    pub modified_by: String,
    /// `dcterms:modified`, RFC 3339, may be empty.
    pub modified_at: String,
    pub findings: Vec<FindingReading>,
    pub notes: Vec<NoteReading>,
    pub problems: Vec<ReadProblem>,
}

/// One piece of the body.
#[derive(Debug, Clone)]
enum Item {
    Text {
        s: String,
        old: bool,
        new: bool,
        author: Option<String>,
    },
    Break {
        old: bool,
        new: bool,
    },
    CommentStart(String),
    CommentRef(String),
    Bookmark(String),
}

#[derive(Default)]
struct Walk {
    items: Vec<Item>,
    ins: u32,
    del: u32,
    authors: Vec<String>,
    /// Per open field: whether its instruction is being read (not its result).
    fields: Vec<bool>,
}

impl Walk {
    fn text(&mut self, s: &str) {
        if s.is_empty() || self.fields.iter().any(|instr| *instr) {
            return;
        }
        let (old, new) = (self.ins == 0, self.del == 0);
        let author = if old && new {
            None
        } else {
            self.authors.last().cloned()
        };
        if let Some(Item::Text {
            s: prev,
            old: o,
            new: n,
            author: a,
        }) = self.items.last_mut()
            && *o == old
            && *n == new
            && *a == author
        {
            prev.push_str(s);
            return;
        }
        self.items.push(Item::Text {
            s: s.to_string(),
            old,
            new,
            author,
        });
    }

    fn node(&mut self, n: roxmltree::Node<'_, '_>) {
        if !n.is_element() {
            return;
        }
        if n.tag_name().namespace() != Some(ooxml::NS_W) {
            // mc:AlternateContent, w14 extensions, drawings: not the text.
            return;
        }
        match n.tag_name().name() {
            "pPr" | "rPr" | "sectPr" | "tblPr" | "trPr" | "tcPr" | "tblGrid" | "sdtPr"
            | "sdtEndPr" | "tblPrEx" | "drawing" | "pict" | "object" | "instrText"
            | "delInstrText" | "footnoteReference" | "endnoteReference" | "softHyphen" | "sym"
            | "ruby" | "rt" => {}
            "p" => {
                let (mut mark_ins, mut mark_del) = (false, false);
                if let Some(rpr) = n
                    .children()
                    .find(|c| is_w(*c, "pPr"))
                    .and_then(|p| p.children().find(|c| is_w(*c, "rPr")))
                {
                    mark_ins = rpr.children().any(|c| is_w(c, "ins") || is_w(c, "moveTo"));
                    mark_del = rpr
                        .children()
                        .any(|c| is_w(c, "del") || is_w(c, "moveFrom"));
                }
                for c in n.children() {
                    self.node(c);
                }
                // Inside an inserted or deleted block the mark counts as such too.
                self.items.push(Item::Break {
                    old: !mark_ins && self.ins == 0,
                    new: !mark_del && self.del == 0,
                });
            }
            "ins" | "moveTo" => {
                self.ins += 1;
                self.authors
                    .push(w_attr(n, "author").unwrap_or_default().to_string());
                for c in n.children() {
                    self.node(c);
                }
                self.authors.pop();
                self.ins -= 1;
            }
            "del" | "moveFrom" => {
                self.del += 1;
                self.authors
                    .push(w_attr(n, "author").unwrap_or_default().to_string());
                for c in n.children() {
                    self.node(c);
                }
                self.authors.pop();
                self.del -= 1;
            }
            "t" | "delText" => {
                let s: String = n.children().filter_map(|c| c.text()).collect();
                self.text(&s);
            }
            "tab" | "ptab" => self.text("\t"),
            "br" | "cr" => self.text("\n"),
            "noBreakHyphen" => self.text("-"),
            "fldChar" => match w_attr(n, "fldCharType") {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(top) = self.fields.last_mut() {
                        *top = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            "commentRangeStart" => {
                if let Some(id) = w_attr(n, "id") {
                    self.items.push(Item::CommentStart(id.to_string()));
                }
            }
            "commentReference" => {
                if let Some(id) = w_attr(n, "id") {
                    self.items.push(Item::CommentRef(id.to_string()));
                }
            }
            "bookmarkStart" => {
                if let Some(name) = w_attr(n, "name") {
                    self.items.push(Item::Bookmark(name.to_string()));
                }
            }
            _ => {
                for c in n.children() {
                    self.node(c);
                }
            }
        }
    }
}

/// The body read: both views of every paragraph, and where each item sits.
struct Views {
    old: Vec<String>,
    new: Vec<String>,
    /// Per item: (old paragraph, new paragraph, position group).
    place: Vec<(usize, usize, usize)>,
    /// Paragraphs (old view index) with revision marks, and the authors of the marks.
    marked_old: BTreeMap<usize, Vec<String>>,
    marked_new: BTreeMap<usize, Vec<String>>,
}

fn views(items: &[Item]) -> Views {
    let mut v = Views {
        old: vec![String::new()],
        new: vec![String::new()],
        place: Vec::with_capacity(items.len()),
        marked_old: BTreeMap::new(),
        marked_new: BTreeMap::new(),
    };
    let (mut o, mut n, mut group) = (0usize, 0usize, 0usize);
    for item in items {
        v.place.push((o, n, group));
        match item {
            Item::Text {
                s,
                old,
                new,
                author,
            } => {
                if *old {
                    v.old[o].push_str(s);
                }
                if *new {
                    v.new[n].push_str(s);
                }
                if old != new {
                    let a = author.clone().unwrap_or_default();
                    v.marked_old.entry(o).or_default().push(a.clone());
                    v.marked_new.entry(n).or_default().push(a);
                }
                group += 1;
            }
            Item::Break { old, new } => {
                if old != new {
                    v.marked_old.entry(o).or_default();
                    v.marked_new.entry(n).or_default();
                }
                if *old {
                    o += 1;
                    v.old.push(String::new());
                }
                if *new {
                    n += 1;
                    v.new.push(String::new());
                }
                group += 1;
            }
            _ => {}
        }
    }
    v
}

/// A comment of `comments.xml`.
#[derive(Debug, Clone)]
struct FileComment {
    id: String,
    author: String,
    date: String,
    text: String,
    /// The last paragraph's `w14:paraId`.
    para_id: Option<String>,
}

fn damaged(what: &str) -> ExportError {
    ExportError::DamagedReview(format!(
        "The file is damaged: {what}; nothing was read from it."
    ))
}

/// `YYYY-MM-DDTHH:MM:SSZ` from a `w:date` or a W3CDTF time; empty when it is no real date.
fn normal_date(s: &str) -> String {
    let s = s.trim();
    let Some(head) = s.get(..19) else {
        return match s.get(..10) {
            Some(d) if valid_day(d) => format!("{d}T00:00:00Z"),
            _ => String::new(),
        };
    };
    if !head.is_ascii() || !valid_day(&head[..10]) || head.as_bytes()[10] != b'T' {
        return String::new();
    }
    format!("{head}Z")
}

fn valid_day(d: &str) -> bool {
    let b = d.as_bytes();
    d.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && d[..4]
            .parse::<u32>()
            .is_ok_and(|y| (1900..=9999).contains(&y))
        && d[5..7].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && d[8..10].parse::<u32>().is_ok_and(|x| (1..=31).contains(&x))
}

fn comments(xml: &str) -> Result<Vec<FileComment>, ExportError> {
    let d =
        ooxml::parse(xml).map_err(|e| damaged(&format!("its comments cannot be read ({e})")))?;
    let mut out = Vec::new();
    for c in d.root_element().children().filter(|c| is_w(*c, "comment")) {
        let mut paras = Vec::new();
        let mut para_id = None;
        for p in c.descendants().filter(|p| is_w(*p, "p")) {
            let mut w = Walk::default();
            for ch in p.children() {
                w.node(ch);
            }
            let text: String = w
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { s, new: true, .. } => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            paras.push(text);
            para_id = p
                .attribute((ooxml::NS_W14, "paraId"))
                .map(str::to_uppercase);
        }
        out.push(FileComment {
            id: w_attr(c, "id").unwrap_or_default().to_string(),
            author: w_attr(c, "author").unwrap_or_default().trim().to_string(),
            date: w_attr(c, "date").unwrap_or_default().to_string(),
            text: paras.join("\n").trim().to_string(),
            para_id,
        });
    }
    Ok(out)
}

fn manifest(xml: &str) -> Result<Option<ReviewManifest>, ExportError> {
    let Ok(d) = ooxml::parse(xml) else {
        return Ok(None);
    };
    let root = d.root_element();
    if root.tag_name().namespace() != Some(REVIEW_NAMESPACE) || root.tag_name().name() != "review" {
        return Ok(None);
    }
    let format: u32 = root
        .attribute("format")
        .and_then(|f| f.parse().ok())
        .unwrap_or(0);
    if format > REVIEW_FORMAT {
        return Err(ExportError::NotReview(format!(
            "The review document was written by a newer Kryphål (manifest format {format}, this version reads {REVIEW_FORMAT}); update Kryphål to read it. Nothing was read from it."
        )));
    }
    let ns = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.is_element()
            && n.tag_name().namespace() == Some(REVIEW_NAMESPACE)
            && n.tag_name().name() == name
    };
    let text_of = |n: roxmltree::Node<'_, '_>, name: &str| -> Option<String> {
        n.children()
            .find(|c| ns(*c, name))
            .map(|c| c.children().filter_map(|t| t.text()).collect())
    };
    let mut clauses = Vec::new();
    for c in root.children().filter(|c| ns(*c, "clause")) {
        let findings = c
            .children()
            .filter(|f| ns(*f, "finding"))
            .map(|f| ManifestFinding {
                finding_id: f.attribute("id").unwrap_or_default().to_string(),
                para_id: f.attribute("para").unwrap_or_default().to_uppercase(),
                sig: f
                    .attribute("sig")
                    .and_then(|s| u64::from_str_radix(s, 16).ok())
                    .unwrap_or(0),
                author: f.attribute("author").unwrap_or_default().to_string(),
                reviser: f.attribute("reviser").unwrap_or_default().to_string(),
                tracked: f.attribute("tracked") == Some("1"),
                proposed: text_of(f, "proposed").unwrap_or_default(),
            })
            .collect();
        clauses.push(ManifestClause {
            clause_id: c.attribute("id").unwrap_or_default().to_string(),
            bookmark: c.attribute("bookmark").unwrap_or_default().to_string(),
            number: c.attribute("number").unwrap_or_default().to_string(),
            text: text_of(c, "text"),
            findings,
        });
    }
    let document_id = root.attribute("document").unwrap_or_default().to_string();
    if document_id.is_empty() {
        return Ok(None);
    }
    Ok(Some(ReviewManifest {
        format,
        document_id,
        title: text_of(root, "title").unwrap_or_default(),
        variant: root.attribute("variant").unwrap_or("internal").to_string(),
        lang: root.attribute("lang").unwrap_or("sv").to_string(),
        exported: root.attribute("exported").unwrap_or_default().to_string(),
        clauses,
    }))
}

/// The paragraph's text without its leading clause number.
fn without_number(text: &str, number: &str, clause_text: Option<&str>) -> String {
    let t = squash(text);
    let number = number.trim();
    if number.is_empty() || clause_text.is_some_and(|c| c.trim_start().starts_with(number)) {
        return t;
    }
    match t.strip_prefix(number) {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => rest.trim_start().to_string(),
        _ => t,
    }
}

fn shorten(s: &str, n: usize) -> String {
    let s = squash(s);
    if s.chars().count() <= n {
        s
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

/// Reads a review document that came back. Refuses a file that is not a
/// Word file, is damaged or unsafe, or carries no Kryphål manifest.
pub fn read_review(bytes: &[u8]) -> Result<ReviewReading, ExportError> {
    let mut pkg = PackageReader::open(bytes).map_err(|e| match e {
        ooxml::ReadFailure::NotZip(_) => ExportError::NotReview(format!(
            "{}; a review document is the Word file Kryphål exported as \u{201c}review-docx\u{201d}, saved as .docx. Nothing was read from it.",
            e.sentence("The file")
        )),
        other => ExportError::DamagedReview(format!("{}. Nothing was read from it.", other.sentence("The file"))),
    })?;
    let fail = |e: ooxml::ReadFailure| {
        ExportError::DamagedReview(format!(
            "{}. Nothing was read from it.",
            e.sentence("The file")
        ))
    };
    // The manifest: any custom XML item in our namespace.
    let mut found = None;
    for name in pkg.names() {
        let lower = name.to_lowercase();
        if !lower.starts_with("customxml/")
            || lower.contains("/_rels/")
            || lower.contains("itemprops")
            || !lower.ends_with(".xml")
        {
            continue;
        }
        if let Some(xml) = pkg.text(&name).map_err(fail)?
            && let Some(m) = manifest(&xml)?
        {
            found = Some(m);
            break;
        }
    }
    let Some(manifest) = found else {
        let is_word = pkg.names().iter().any(|n| n == "word/document.xml");
        return Err(ExportError::NotReview(if is_word {
            "The Word file is not a review document exported by Kryphål: it has no Kryphål review marks (export the document again as \u{201c}review-docx\u{201d}, and save the reviewed file as .docx). Nothing was read from it.".to_string()
        } else {
            "The file is not a Word document (it has no word/document.xml). Nothing was read from it.".to_string()
        }));
    };
    let document = pkg
        .text("word/document.xml")
        .map_err(fail)?
        .ok_or_else(|| damaged("it has no word/document.xml"))?;
    let d =
        ooxml::parse(&document).map_err(|e| damaged(&format!("its text cannot be read ({e})")))?;
    let body = d
        .descendants()
        .find(|n| is_w(*n, "body"))
        .ok_or_else(|| damaged("its text has no body"))?;
    let mut walk = Walk::default();
    for c in body.children() {
        walk.node(c);
    }
    let items = walk.items;
    let v = views(&items);

    let file_comments = match pkg.text("word/comments.xml").map_err(fail)? {
        Some(xml) => comments(&xml)?,
        None => Vec::new(),
    };
    // Threads: paraId → parent paraId.
    let mut threads_known = false;
    let mut parent_of: HashMap<String, String> = HashMap::new();
    if let Some(xml) = pkg.text("word/commentsExtended.xml").map_err(fail)?
        && let Ok(x) = ooxml::parse(&xml)
    {
        threads_known = true;
        for e in x
            .descendants()
            .filter(|e| e.tag_name().name() == "commentEx")
        {
            if let (Some(p), Some(parent)) = (
                e.attribute((ooxml::NS_W15, "paraId")),
                e.attribute((ooxml::NS_W15, "paraIdParent")),
            ) {
                parent_of.insert(p.to_uppercase(), parent.to_uppercase());
            }
        }
    }
    // Word's UTC comment times: paraId → durableId → dateUtc.
    let mut utc: HashMap<String, String> = HashMap::new();
    if let (Some(ids), Some(ext)) = (
        pkg.text("word/commentsIds.xml").map_err(fail)?,
        pkg.text("word/commentsExtensible.xml").map_err(fail)?,
    ) && let (Ok(ids), Ok(ext)) = (ooxml::parse(&ids), ooxml::parse(&ext))
    {
        let mut by_durable = HashMap::new();
        for e in ext
            .descendants()
            .filter(|e| e.tag_name().name() == "commentExtensible")
        {
            let durable = e
                .attributes()
                .find(|a| a.name() == "durableId")
                .map(|a| a.value().to_uppercase());
            let date = e
                .attributes()
                .find(|a| a.name() == "dateUtc")
                .map(|a| a.value().to_string());
            if let (Some(k), Some(v)) = (durable, date) {
                by_durable.insert(k, v);
            }
        }
        for e in ids
            .descendants()
            .filter(|e| e.tag_name().name() == "commentId")
        {
            let para = e
                .attributes()
                .find(|a| a.name() == "paraId")
                .map(|a| a.value().to_uppercase());
            let durable = e
                .attributes()
                .find(|a| a.name() == "durableId")
                .map(|a| a.value().to_uppercase());
            if let (Some(p), Some(dur)) = (para, durable)
                && let Some(date) = by_durable.get(&dur)
            {
                utc.insert(p, date.clone());
            }
        }
    }
    let (mut modified_by, mut modified_at) = (String::new(), String::new());
    if let Some(xml) = pkg.text("docProps/core.xml").map_err(fail)?
        && let Ok(x) = ooxml::parse(&xml)
    {
        for e in x.root_element().children().filter(|e| e.is_element()) {
            let text: String = e.children().filter_map(|t| t.text()).collect();
            match e.tag_name().name() {
                "lastModifiedBy" => modified_by = text.trim().to_string(),
                "modified" => modified_at = normal_date(&text),
                _ => {}
            }
        }
    }
    let reading_of = |c: &FileComment| CommentReading {
        author: c.author.clone(),
        at: {
            let from_utc = c
                .para_id
                .as_ref()
                .and_then(|p| utc.get(p))
                .map(|d| normal_date(d))
                .unwrap_or_default();
            if from_utc.is_empty() {
                let own = normal_date(&c.date);
                if own.is_empty() {
                    modified_at.clone()
                } else {
                    own
                }
            } else {
                from_utc
            }
        },
        text: c.text.clone(),
    };

    // Where each comment and bookmark sits.
    let mut comment_at: HashMap<&str, usize> = HashMap::new();
    let mut bookmark_at: HashMap<&str, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::CommentStart(id) => {
                comment_at.entry(id.as_str()).or_insert(i);
            }
            Item::CommentRef(id) => {
                comment_at.entry(id.as_str()).or_insert(i);
            }
            Item::Bookmark(name) => {
                bookmark_at.entry(name.as_str()).or_insert(i);
            }
            _ => {}
        }
    }

    // Our comments: by paragraph id, else by text.
    let mut ours: HashMap<String, (usize, usize)> = HashMap::new(); // comment id → (clause idx, finding idx)
    let mut claimed: HashMap<(usize, usize), usize> = HashMap::new(); // (clause, finding) → file comment idx
    for (ci, c) in manifest.clauses.iter().enumerate() {
        for (fi, f) in c.findings.iter().enumerate() {
            let by_para = file_comments.iter().position(|fc| {
                !f.para_id.is_empty()
                    && fc.para_id.as_deref() == Some(f.para_id.as_str())
                    && !ours.contains_key(&fc.id)
            });
            let by_text = || {
                file_comments
                    .iter()
                    .position(|fc| fnv64(&squash(&fc.text)) == f.sig && !ours.contains_key(&fc.id))
            };
            if let Some(k) = by_para.or_else(by_text) {
                ours.insert(file_comments[k].id.clone(), (ci, fi));
                claimed.insert((ci, fi), k);
            }
        }
    }
    let bookmark_clause: HashMap<&str, usize> = manifest
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.bookmark.as_str(), i))
        .collect();

    let mut findings = Vec::new();
    let mut problems = Vec::new();
    // Old-view paragraph → clause, for notes.
    let mut para_clause: HashMap<usize, usize> = HashMap::new();
    for (name, &i) in &bookmark_at {
        if let Some(&ci) = bookmark_clause.get(name) {
            para_clause.insert(v.place[i].0, ci);
        }
    }
    for (ci, c) in manifest.clauses.iter().enumerate() {
        for (fi, f) in c.findings.iter().enumerate() {
            let comment = claimed.get(&(ci, fi)).map(|k| &file_comments[*k]);
            let mut located: Option<(usize, usize, &str)> = comment
                .and_then(|fc| comment_at.get(fc.id.as_str()))
                .map(|&i| (v.place[i].0, v.place[i].1, "comment"));
            if located.is_none()
                && let Some(&i) = bookmark_at.get(c.bookmark.as_str())
            {
                located = Some((v.place[i].0, v.place[i].1, "bookmark"));
            }
            if located.is_none()
                && let Some(text) = &c.text
            {
                let want_old = squash(text);
                let want_new = squash(&f.proposed);
                let hits_old: Vec<usize> = (0..v.old.len())
                    .filter(|&o| without_number(&v.old[o], &c.number, Some(text)) == want_old)
                    .collect();
                let hits_new: Vec<usize> = (0..v.new.len())
                    .filter(|&n| {
                        let t = without_number(&v.new[n], &c.number, Some(text));
                        t == want_new || t == want_old
                    })
                    .collect();
                if hits_old.len() == 1 && hits_new.len() == 1 {
                    located = Some((hits_old[0], hits_new[0], "text"));
                } else if hits_new.len() == 1 {
                    // The old view of the same paragraph: where its first item sits.
                    let n = hits_new[0];
                    if let Some(place) = v.place.iter().find(|p| p.1 == n) {
                        located = Some((place.0, n, "text"));
                    }
                } else if hits_old.len() == 1 {
                    let o = hits_old[0];
                    if let Some(place) = v.place.iter().find(|p| p.0 == o) {
                        located = Some((o, place.1, "text"));
                    }
                }
            }
            let replies = Vec::new();
            let Some((o, n, by)) = located else {
                problems.push(ReadProblem {
                    code: "clause_not_found".into(),
                    clause_id: Some(c.clause_id.clone()),
                    finding_id: Some(f.finding_id.clone()),
                    detail: format!(
                        "Neither the comment of finding {} nor its clause could be found in the file.",
                        f.finding_id
                    ),
                });
                findings.push(FindingReading {
                    finding_id: f.finding_id.clone(),
                    clause_id: c.clause_id.clone(),
                    outcome: Outcome::NotFound,
                    text: String::new(),
                    reviser: None,
                    replies,
                    located_by: None,
                    comment_found: comment.is_some(),
                });
                continue;
            };
            para_clause.entry(o).or_insert(ci);
            let clause_text = c.text.as_deref();
            let old = without_number(
                v.old.get(o).map_or("", String::as_str),
                &c.number,
                clause_text,
            );
            let new = without_number(
                v.new.get(n).map_or("", String::as_str),
                &c.number,
                clause_text,
            );
            let marks: Vec<String> = v
                .marked_old
                .get(&o)
                .into_iter()
                .chain(v.marked_new.get(&n))
                .flatten()
                .cloned()
                .collect();
            let marked = v.marked_old.contains_key(&o) || v.marked_new.contains_key(&n);
            let before = squash(clause_text.unwrap_or_default());
            let proposed = squash(&f.proposed);
            let reviser = marks
                .iter()
                .find(|a| !a.is_empty() && **a != f.reviser)
                .cloned();
            let outcome = if !f.tracked {
                Outcome::Commented
            } else if new == proposed {
                if marked {
                    Outcome::Pending
                } else {
                    Outcome::Accepted
                }
            } else if new == before {
                Outcome::Rejected
            } else {
                let _ = old;
                Outcome::Edited
            };
            findings.push(FindingReading {
                finding_id: f.finding_id.clone(),
                clause_id: c.clause_id.clone(),
                outcome,
                text: new,
                reviser,
                replies,
                located_by: Some(by.to_string()),
                comment_found: comment.is_some(),
            });
        }
    }

    // Replies and notes.
    let by_para_id: HashMap<&str, &FileComment> = file_comments
        .iter()
        .filter_map(|c| c.para_id.as_deref().map(|p| (p, c)))
        .collect();
    let finding_index: HashMap<(usize, usize), usize> = {
        let mut m = HashMap::new();
        let mut k = 0;
        for (ci, c) in manifest.clauses.iter().enumerate() {
            for fi in 0..c.findings.len() {
                m.insert((ci, fi), k);
                k += 1;
            }
        }
        m
    };
    let mut notes = Vec::new();
    for fc in &file_comments {
        if ours.contains_key(&fc.id) {
            continue;
        }
        // Follow the thread to its first comment.
        let mut root = None;
        if threads_known && let Some(mut p) = fc.para_id.clone() {
            let mut hops = 0;
            while let Some(parent) = parent_of.get(&p) {
                hops += 1;
                if hops > 1_000 {
                    break;
                }
                root = by_para_id.get(parent.as_str()).copied();
                p = parent.clone();
            }
        }
        let target: Option<(usize, usize)> = match root {
            Some(r) => ours.get(&r.id).copied(),
            None if !threads_known => {
                // No threads in the file: a comment starting where exactly one
                // of ours starts is its reply.
                let here = comment_at.get(fc.id.as_str()).map(|&i| v.place[i].2);
                let same: Vec<(usize, usize)> = match here {
                    Some(g) => ours
                        .iter()
                        .filter(|(id, _)| {
                            comment_at.get(id.as_str()).map(|&i| v.place[i].2) == Some(g)
                        })
                        .filter(|(id, _)| {
                            matches!(
                                items.get(comment_at[id.as_str()]),
                                Some(Item::CommentStart(_))
                            )
                        })
                        .map(|(_, k)| *k)
                        .collect(),
                    None => Vec::new(),
                };
                match same.len() {
                    1 => Some(same[0]),
                    0 => None,
                    _ => {
                        let ci = same[0].0;
                        problems.push(ReadProblem {
                            code: "ambiguous_reply".into(),
                            clause_id: Some(manifest.clauses[ci].clause_id.clone()),
                            finding_id: None,
                            detail: format!(
                                "A comment by {} sits where the comments of {} findings start, and the file does not say which one it answers; it is kept as a note on the clause.",
                                fc.author,
                                same.len()
                            ),
                        });
                        None
                    }
                }
            }
            None => None,
        };
        match target {
            Some(k) => {
                if let Some(&i) = finding_index.get(&k) {
                    findings[i].replies.push(reading_of(fc));
                }
            }
            None => {
                let at = comment_at.get(fc.id.as_str()).map(|&i| v.place[i]);
                let clause = at
                    .and_then(|(o, _, _)| para_clause.get(&o))
                    .map(|&ci| manifest.clauses[ci].clause_id.clone())
                    .or_else(|| {
                        root.and_then(|r| ours.get(&r.id))
                            .map(|(ci, _)| manifest.clauses[*ci].clause_id.clone())
                    });
                let context = at
                    .map(|(o, n, _)| {
                        let t = v
                            .new
                            .get(n)
                            .filter(|t| !t.trim().is_empty())
                            .or(v.old.get(o));
                        shorten(t.map_or("", String::as_str), 200)
                    })
                    .unwrap_or_default();
                notes.push(NoteReading {
                    clause_id: clause,
                    comment: reading_of(fc),
                    context,
                });
            }
        }
    }
    Ok(ReviewReading {
        manifest,
        modified_by,
        modified_at,
        findings,
        notes,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_that_are_no_dates_become_empty() {
        assert_eq!(normal_date("2026-11-20T09:30:00Z"), "2026-11-20T09:30:00Z");
        assert_eq!(normal_date("2026-11-20T09:30:00"), "2026-11-20T09:30:00Z");
        assert_eq!(normal_date("0-00-00T00:00:00Z"), "");
        assert_eq!(normal_date(""), "");
    }

    #[test]
    fn a_clause_number_is_left_off_the_text() {
        assert_eq!(
            without_number("4.5  Utdraget  får", "4.5", Some("Utdraget får")),
            "Utdraget får"
        );
        assert_eq!(
            without_number("4.5 Utdraget", "4.5", Some("4.5 Utdraget")),
            "4.5 Utdraget"
        );
        assert_eq!(without_number("4.51 x", "4.5", Some("x")), "4.51 x");
    }
}
