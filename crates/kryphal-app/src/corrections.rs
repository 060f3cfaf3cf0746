//! Corrections of an imported outline, as a pure function.
//!
//! The importer guesses the structure; an analyst fixes what it got wrong
//! without importing again: a clause that is really a heading is *promoted*,
//! a heading that is really a clause is *demoted*, a clause is *moved* under
//! another section, a clause is *renumbered*. Each correction is data
//! ([`OutlineChange`]) keyed by **text**, not by place or id: the normalised
//! text of the clause or heading it applies to ([`TextKey`]). So the same
//! corrections can be made again on a new version of the document, where
//! positions and ids differ but the words are mostly the same.
//!
//! [`apply`] makes a list of corrections on an outline and says which were
//! made and which no longer match. It keeps what the rest of Kryphål relies
//! on: clause ids never change (findings hang on them; a demoted heading's
//! new clause gets the id an import of its text would give), sections and
//! clauses share one `position` sequence in which a clause belongs to the
//! nearest heading before it and a heading to the nearest shallower one,
//! and labels read `<section title> › <number or st. N>` as the importer
//! writes them (`kryphal_ingest::structure`): the labels of what changed are
//! recomputed, paragraph counts (`st. 2`) of the sections touched included.

use std::collections::{BTreeSet, HashMap, HashSet};

use kryphal_domain::{Clause, ClauseKind, Outline, OutlineChange, Section, TextKey};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The text a correction is keyed by: lower-case and single-spaced, the
/// same normalisation clause ids are derived from
/// (`kryphal_ingest::structure::clause_id`).
pub fn text_key(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key text of a heading: its title as a table of contents lists it
/// (`kryphal_ingest::structure::toc_key`: no trailing colon or full stop),
/// or its number when it has no title.
fn heading_text(s: &Section) -> String {
    let title = text_key(s.title.trim().trim_end_matches([':', '.']));
    if title.is_empty() {
        text_key(&s.number)
    } else {
        title
    }
}

/// The key of a clause of `outline`.
pub fn clause_key(outline: &Outline, clause_id: &str) -> Option<TextKey> {
    let mut clauses: Vec<&Clause> = outline.clauses.iter().collect();
    clauses.sort_by_key(|c| c.position);
    let target = clauses.iter().find(|c| c.id == clause_id)?;
    let text = text_key(&target.text);
    let occurrence = clauses
        .iter()
        .take_while(|c| c.id != clause_id)
        .filter(|c| text_key(&c.text) == text)
        .count() as u32
        + 1;
    Some(TextKey { text, occurrence })
}

/// The key of a heading of `outline`.
pub fn section_key(outline: &Outline, section_id: &str) -> Option<TextKey> {
    let mut sections: Vec<&Section> = outline.sections.iter().collect();
    sections.sort_by_key(|s| s.position);
    let target = sections.iter().find(|s| s.id == section_id)?;
    let text = heading_text(target);
    let occurrence = sections
        .iter()
        .take_while(|s| s.id != section_id)
        .filter(|s| heading_text(s) == text)
        .count() as u32
        + 1;
    Some(TextKey { text, occurrence })
}

/// Why a correction could not be made on an outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// No clause has the text any more.
    ClauseGone,
    /// No heading has the text any more.
    HeadingGone,
    /// The heading a clause was moved under is gone.
    TargetGone,
    /// The clause has findings or workshop records, so it cannot become a heading.
    HasFindings,
    /// The clause carries another number than the one the correction changed.
    NumberChanged,
}

/// A correction that was not made, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub reason: SkipReason,
    /// The clause's number now (for [`SkipReason::NumberChanged`]).
    pub number_now: String,
}

impl Skip {
    fn new(reason: SkipReason) -> Skip {
        Skip {
            reason,
            number_now: String::new(),
        }
    }

    /// Why, in one sentence (English; the UI words it by `reason`).
    pub fn sentence(&self) -> String {
        match self.reason {
            SkipReason::ClauseGone => "no clause has this text any more".into(),
            SkipReason::HeadingGone => "no heading has this text any more".into(),
            SkipReason::TargetGone => "the heading it was moved under is gone".into(),
            SkipReason::HasFindings => {
                "the clause has findings or workshop records, so it stays a clause".into()
            }
            SkipReason::NumberChanged => format!(
                "the clause is numbered {} now",
                if self.number_now.is_empty() {
                    "not at all".to_string()
                } else {
                    format!("“{}”", self.number_now)
                }
            ),
        }
    }
}

/// A correction in a few words, for lists and messages:
/// `renumbered 6.5 → 6.5 a`, `moved under “personal”`.
pub fn describe(change: &OutlineChange) -> String {
    match change {
        OutlineChange::Promote { level, .. } => format!("made a heading (level {level})"),
        OutlineChange::Demote { .. } => "made a clause".to_string(),
        OutlineChange::Move { under, .. } => format!("moved under “{}”", under.text),
        OutlineChange::Renumber { from, to, .. } if from.is_empty() => format!("numbered {to}"),
        OutlineChange::Renumber { from, to, .. } => format!("renumbered {from} → {to}"),
    }
}

/// What [`apply`] needs besides the outline.
pub struct Context<'a> {
    /// The document's lineage: new ids start with it.
    pub lineage: &'a str,
    /// Clauses that must stay clauses (they have findings).
    pub protected: &'a HashSet<String>,
}

/// The outline after corrections, and what became of each.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub outline: Outline,
    /// Indexes of the corrections made, or already true of the outline.
    pub applied: Vec<usize>,
    /// Indexes of the corrections that could not be made, with the reason.
    pub not_applicable: Vec<(usize, Skip)>,
}

/// Makes `corrections` on `outline`, in order. A correction whose text is
/// not found (or that cannot be made) is listed as not applicable and the
/// rest go on; one that is already true (a clause already under the
/// section, already so numbered) counts as applied.
pub fn apply(outline: &Outline, corrections: &[OutlineChange], ctx: &Context<'_>) -> Applied {
    let mut w = Work::new(outline);
    let mut applied = Vec::new();
    let mut not_applicable = Vec::new();
    for (i, change) in corrections.iter().enumerate() {
        let result = match change {
            OutlineChange::Promote { clause, level, .. } => w.promote(clause, *level, ctx),
            OutlineChange::Demote { section } => w.demote(section, ctx),
            OutlineChange::Move { clause, under } => w.move_clause(clause, under),
            OutlineChange::Renumber { clause, from, to } => w.renumber(clause, from, to),
        };
        match result {
            Ok(()) => applied.push(i),
            Err(skip) => not_applicable.push((i, skip)),
        }
    }
    Applied {
        outline: w.finish(),
        applied,
        not_applicable,
    }
}

/// The deepest level a heading put in place of the clause `clause_id` may
/// have: one below the nearest heading before it (1 when there is none).
pub fn deepest_level(outline: &Outline, clause_id: &str) -> Option<u8> {
    let c = outline.clauses.iter().find(|c| c.id == clause_id)?;
    Some(
        outline
            .sections
            .iter()
            .filter(|s| s.position < c.position)
            .max_by_key(|s| s.position)
            .map(|s| s.level.saturating_add(1))
            .unwrap_or(1),
    )
}

/// The outline being corrected, with each clause's label tail (the label
/// without its section's title) kept apart while sections change.
struct Work {
    sections: Vec<Section>,
    clauses: Vec<Clause>,
    tails: HashMap<String, String>,
    /// Sections (`None`: before any heading) whose clauses are relabelled.
    touched: BTreeSet<Option<String>>,
    /// Clauses whose own tail is recomputed from their number (moved to
    /// another chapter, renumbered, made from a heading).
    own: HashSet<String>,
}

const SEPARATOR: &str = " › ";

/// `label` without the `title › ` it starts with.
fn tail_of(label: &str, title: Option<&str>) -> String {
    match title.filter(|t| !t.is_empty()) {
        Some(t) => label
            .strip_prefix(t)
            .and_then(|rest| rest.strip_prefix(SEPARATOR))
            .map(str::to_string)
            .or_else(|| label.split_once(SEPARATOR).map(|(_, r)| r.to_string()))
            .unwrap_or_else(|| label.to_string()),
        None => label.to_string(),
    }
}

/// A paragraph count the importer wrote: `st. 3`, or `p. 4.2 st. 2`.
fn is_count(tail: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match tail.rsplit_once("st. ") {
        Some((before, n)) => digits(n) && (before.is_empty() || before.ends_with(' ')),
        None => false,
    }
}

/// How a clause number reads in a label (`p. 4.2`, `3 §`, `punkt 16`, `a)`),
/// as `kryphal_ingest::structure` writes it.
fn point(number: &str) -> String {
    if number.ends_with('§')
        || number.starts_with("punkt")
        || number.ends_with(')')
        || number.starts_with(|c: char| c.is_alphabetic())
    {
        number.to_string()
    } else {
        format!("p. {}", number.trim_end_matches('.'))
    }
}

fn short_hash(text: &str) -> String {
    hex::encode(&Sha256::digest(text_key(text).as_bytes())[..4])
}

/// `base`, or `base-2`, `base-3` … whichever is not taken.
fn unique(base: String, taken: impl Fn(&str) -> bool) -> String {
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|id| !taken(id))
        .expect("an unused id exists")
}

impl Work {
    fn new(outline: &Outline) -> Work {
        let titles: HashMap<&str, &str> = outline
            .sections
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str()))
            .collect();
        let tails = outline
            .clauses
            .iter()
            .map(|c| {
                let title = c.section_id.as_deref().and_then(|s| titles.get(s).copied());
                (c.id.clone(), tail_of(&c.label, title))
            })
            .collect();
        Work {
            sections: outline.sections.clone(),
            clauses: outline.clauses.clone(),
            tails,
            touched: BTreeSet::new(),
            own: HashSet::new(),
        }
    }

    fn find_clause(&self, key: &TextKey) -> Option<usize> {
        let mut order: Vec<usize> = (0..self.clauses.len()).collect();
        order.sort_by_key(|&i| self.clauses[i].position);
        order
            .into_iter()
            .filter(|&i| text_key(&self.clauses[i].text) == key.text)
            .nth(key.occurrence.max(1) as usize - 1)
    }

    fn find_section(&self, key: &TextKey) -> Option<usize> {
        let mut order: Vec<usize> = (0..self.sections.len()).collect();
        order.sort_by_key(|&i| self.sections[i].position);
        order
            .into_iter()
            .filter(|&i| heading_text(&self.sections[i]) == key.text)
            .nth(key.occurrence.max(1) as usize - 1)
    }

    fn section_position(&self, id: &str) -> Option<u32> {
        self.sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.position)
    }

    /// The sections after `position`, in order, up to (not including) the
    /// first one at `level` or shallower.
    fn subtree_after(&self, position: u32, level: u8) -> Vec<usize> {
        let mut after: Vec<usize> = (0..self.sections.len())
            .filter(|&i| self.sections[i].position > position)
            .collect();
        after.sort_by_key(|&i| self.sections[i].position);
        after
            .into_iter()
            .take_while(|&i| self.sections[i].level > level)
            .collect()
    }

    fn promote(&mut self, key: &TextKey, level: u8, ctx: &Context<'_>) -> Result<(), Skip> {
        let i = self
            .find_clause(key)
            .ok_or_else(|| Skip::new(SkipReason::ClauseGone))?;
        if ctx.protected.contains(&self.clauses[i].id) {
            return Err(Skip::new(SkipReason::HasFindings));
        }
        let clause = self.clauses.remove(i);
        self.tails.remove(&clause.id);
        let at = clause.position;
        let before = |s: &&Section| s.position < at;
        let deepest = self
            .sections
            .iter()
            .filter(before)
            .max_by_key(|s| s.position)
            .map(|s| s.level.saturating_add(1))
            .unwrap_or(1);
        let level = level.clamp(1, deepest);
        let parent_id = self
            .sections
            .iter()
            .filter(before)
            .filter(|s| s.level < level)
            .max_by_key(|s| s.position)
            .map(|s| s.id.clone());
        let title = clause.text.trim().to_string();
        let id = unique(
            format!(
                "{}-s{}",
                ctx.lineage,
                short_hash(&format!("{} {title}", clause.number))
            ),
            |id| self.sections.iter().any(|s| s.id == id),
        );
        // Headings that follow, deeper than the new one, whose parent came
        // before it, now hang under it.
        for j in self.subtree_after(at, level) {
            let parent_before = match &self.sections[j].parent_id {
                None => true,
                Some(p) => self.section_position(p).is_none_or(|pos| pos < at),
            };
            if parent_before {
                self.sections[j].parent_id = Some(id.clone());
            }
        }
        // The clauses after it, up to the next heading, are its own.
        let next = self
            .sections
            .iter()
            .filter(|s| s.position > at)
            .map(|s| s.position)
            .min()
            .unwrap_or(u32::MAX);
        for c in &mut self.clauses {
            if c.position > at && c.position < next {
                c.section_id = Some(id.clone());
                self.own.insert(c.id.clone());
            }
        }
        self.touched.insert(clause.section_id.clone());
        self.touched.insert(Some(id.clone()));
        self.sections.push(Section {
            id,
            parent_id,
            level,
            number: clause.number,
            title,
            position: at,
        });
        Ok(())
    }

    fn demote(&mut self, key: &TextKey, ctx: &Context<'_>) -> Result<(), Skip> {
        let i = self
            .find_section(key)
            .ok_or_else(|| Skip::new(SkipReason::HeadingGone))?;
        let section = self.sections.remove(i);
        let (number, text) = if section.title.trim().is_empty() {
            (String::new(), section.number.trim().to_string())
        } else {
            (section.number.clone(), section.title.trim().to_string())
        };
        for j in self.subtree_after(section.position, section.level) {
            let s = &mut self.sections[j];
            s.level = s.level.saturating_sub(1).max(1);
            if s.parent_id.as_deref() == Some(section.id.as_str()) {
                s.parent_id = section.parent_id.clone();
            }
        }
        // Its clauses (and the clause it becomes) follow, in document order,
        // whatever came before it: the last heading before it, which is its
        // parent unless an earlier sibling's section ends there.
        let before = self
            .sections
            .iter()
            .filter(|s| s.position < section.position)
            .max_by_key(|s| s.position)
            .map(|s| s.id.clone());
        for c in &mut self.clauses {
            if c.section_id.as_deref() == Some(section.id.as_str()) {
                c.section_id = before.clone();
                self.own.insert(c.id.clone());
            }
        }
        let id = unique(
            kryphal_ingest::structure::clause_id(ctx.lineage, &text),
            |id| self.clauses.iter().any(|c| c.id == id),
        );
        let kind = if number.is_empty() {
            ClauseKind::Paragraph
        } else {
            ClauseKind::Numbered
        };
        // A paragraph's count is worked out with its section's.
        self.tails.insert(id.clone(), "st. 0".into());
        self.own.insert(id.clone());
        self.touched.insert(before.clone());
        self.clauses.push(Clause {
            id,
            section_id: before,
            number,
            label: String::new(),
            kind,
            text,
            position: section.position,
        });
        Ok(())
    }

    fn move_clause(&mut self, key: &TextKey, under: &TextKey) -> Result<(), Skip> {
        let i = self
            .find_clause(key)
            .ok_or_else(|| Skip::new(SkipReason::ClauseGone))?;
        let t = self
            .find_section(under)
            .ok_or_else(|| Skip::new(SkipReason::TargetGone))?;
        let target = self.sections[t].clone();
        let clause_id = self.clauses[i].id.clone();
        if self.clauses[i].section_id.as_deref() == Some(target.id.as_str()) {
            return Ok(());
        }
        // After the heading's own clauses (before its first subsection).
        let anchor = self
            .clauses
            .iter()
            .filter(|c| c.id != clause_id && c.section_id.as_deref() == Some(target.id.as_str()))
            .map(|c| c.position)
            .chain(std::iter::once(target.position))
            .max()
            .unwrap_or(target.position);
        for s in &mut self.sections {
            if s.position > anchor {
                s.position += 1;
            }
        }
        for c in &mut self.clauses {
            if c.id != clause_id && c.position > anchor {
                c.position += 1;
            }
        }
        let c = &mut self.clauses[i];
        self.touched.insert(c.section_id.clone());
        self.touched.insert(Some(target.id.clone()));
        self.own.insert(c.id.clone());
        c.position = anchor + 1;
        c.section_id = Some(target.id);
        Ok(())
    }

    fn renumber(&mut self, key: &TextKey, from: &str, to: &str) -> Result<(), Skip> {
        let i = self
            .find_clause(key)
            .ok_or_else(|| Skip::new(SkipReason::ClauseGone))?;
        let c = &mut self.clauses[i];
        if c.number == to {
            return Ok(());
        }
        if c.number != from {
            return Err(Skip {
                reason: SkipReason::NumberChanged,
                number_now: c.number.clone(),
            });
        }
        match c.kind {
            ClauseKind::ListItem => {
                // `p. 1.4 a)` → `p. 1.4 b)`; `punkt 2` → `punkt 3`;
                // `strecksats 2` → `punkt 7`.
                let tail = self.tails.get(&c.id).cloned().unwrap_or_default();
                let (old, new) = (from.trim_end_matches('.'), to.trim_end_matches('.'));
                let renamed = if !old.is_empty() && tail.ends_with(old) {
                    format!("{}{new}", &tail[..tail.len() - old.len()])
                } else if let Some((base, n)) = tail.rsplit_once("strecksats ")
                    && n.chars().all(|d| d.is_ascii_digit())
                {
                    format!("{base}punkt {new}")
                } else {
                    point(to)
                };
                self.tails.insert(c.id.clone(), renamed);
            }
            ClauseKind::Paragraph => {
                c.kind = ClauseKind::Numbered;
                self.own.insert(c.id.clone());
            }
            ClauseKind::Numbered | ClauseKind::TableRow => {
                self.own.insert(c.id.clone());
            }
        }
        c.number = to.to_string();
        self.touched.insert(c.section_id.clone());
        Ok(())
    }

    /// How `number` reads in a label in `section`: inside a chapter
    /// (`2 kap.`) a paragraph number reads `2 kap. 3 §`.
    fn point_in(&self, number: &str, section: Option<&str>) -> String {
        if number.ends_with('§') {
            let mut at = section;
            let mut steps = 0;
            while let Some(id) = at
                && steps <= self.sections.len()
            {
                let Some(s) = self.sections.iter().find(|s| s.id == id) else {
                    break;
                };
                if s.number.ends_with("kap.") {
                    return format!("{} {number}", s.number);
                }
                at = s.parent_id.as_deref();
                steps += 1;
            }
        }
        point(number)
    }

    /// The outline with the labels of the touched sections written again.
    fn finish(mut self) -> Outline {
        let titles: HashMap<String, String> = self
            .sections
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect();
        let mut order: Vec<usize> = (0..self.clauses.len()).collect();
        order.sort_by_key(|&i| self.clauses[i].position);
        for section in self.touched.clone() {
            let mut anchor: Option<String> = None;
            let mut count = 0u32;
            for &i in &order {
                if self.clauses[i].section_id != section {
                    continue;
                }
                let c = &self.clauses[i];
                let mut tail = self.tails.get(&c.id).cloned().unwrap_or_default();
                if self.own.contains(&c.id)
                    && !c.number.is_empty()
                    && c.kind != ClauseKind::ListItem
                {
                    tail = self.point_in(&c.number, c.section_id.as_deref());
                }
                if c.kind == ClauseKind::Numbered {
                    anchor = Some(tail.clone());
                    count = 0;
                } else if c.kind == ClauseKind::Paragraph && c.number.is_empty() && is_count(&tail)
                {
                    count += 1;
                    tail = match &anchor {
                        Some(a) => format!("{a} st. {}", count + 1),
                        None => format!("st. {count}"),
                    };
                }
                let title = section
                    .as_ref()
                    .and_then(|s| titles.get(s))
                    .filter(|t| !t.is_empty());
                let label = match title {
                    Some(t) => format!("{t}{SEPARATOR}{tail}"),
                    None => tail.clone(),
                };
                let id = c.id.clone();
                self.tails.insert(id, tail);
                self.clauses[i].label = label;
            }
        }
        let mut sections = self.sections;
        sections.sort_by_key(|s| s.position);
        let mut clauses = self.clauses;
        clauses.sort_by_key(|c| c.position);
        Outline { sections, clauses }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An outline written out by hand, one line per row in document order:
    /// `## 4.2 | Title` is a heading (its level by the `#`s, the number
    /// before `|` if any), `TAIL | NUMBER | TEXT` a clause (`-` for no
    /// number; its label is `<heading title> › TAIL`). Ids are derived as
    /// the importer derives them, with lineage `d`.
    fn outline(lines: &[&str]) -> Outline {
        let mut o = Outline::default();
        let mut stack: Vec<(u8, String, String)> = Vec::new();
        for (position, line) in lines.iter().enumerate() {
            let position = position as u32;
            if let Some(rest) = line.strip_prefix('#') {
                let level = 1 + rest.chars().take_while(|c| *c == '#').count() as u8;
                let rest = rest.trim_start_matches('#').trim();
                let (number, title) = rest.split_once(" | ").unwrap_or(("", rest));
                while stack.last().is_some_and(|(l, ..)| *l >= level) {
                    stack.pop();
                }
                let id = unique(
                    format!("d-s{}", short_hash(&format!("{number} {title}"))),
                    |id| o.sections.iter().any(|s| s.id == id),
                );
                o.sections.push(Section {
                    id: id.clone(),
                    parent_id: stack.last().map(|s| s.1.clone()),
                    level,
                    number: number.into(),
                    title: title.into(),
                    position,
                });
                stack.push((level, id, title.to_string()));
            } else {
                let parts: Vec<&str> = line.splitn(3, " | ").collect();
                let [tail, number, text] = parts.as_slice() else {
                    panic!("a clause line is TAIL | NUMBER | TEXT: {line}");
                };
                let number = if *number == "-" { "" } else { number };
                let kind = if number.is_empty() {
                    ClauseKind::Paragraph
                } else if number.ends_with(')') || tail.contains("punkt") {
                    ClauseKind::ListItem
                } else {
                    ClauseKind::Numbered
                };
                let id = unique(kryphal_ingest::structure::clause_id("d", text), |id| {
                    o.clauses.iter().any(|c| c.id == id)
                });
                o.clauses.push(Clause {
                    id,
                    section_id: stack.last().map(|s| s.1.clone()),
                    number: number.into(),
                    label: match stack.last() {
                        Some((_, _, title)) => format!("{title} › {tail}"),
                        None => tail.to_string(),
                    },
                    kind,
                    text: text.to_string(),
                    position,
                });
            }
        }
        o
    }

    /// One line per heading (`# 4 Title`, indented by level, `< parent`)
    /// and clause (`[label] text`), in document order.
    fn render(o: &Outline) -> Vec<String> {
        let title = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| o.sections.iter().find(|s| &s.id == id))
                .map(|s| s.title.clone())
                .unwrap_or_else(|| "-".into())
        };
        let mut rows: Vec<(u32, String)> = o
            .sections
            .iter()
            .map(|s| {
                (
                    s.position,
                    format!(
                        "{}# {}{} < {}",
                        "  ".repeat(usize::from(s.level) - 1),
                        if s.number.is_empty() {
                            String::new()
                        } else {
                            format!("{} ", s.number)
                        },
                        s.title,
                        title(&s.parent_id)
                    ),
                )
            })
            .collect();
        rows.extend(
            o.clauses
                .iter()
                .map(|c| (c.position, format!("[{}] {}", c.label, c.text))),
        );
        rows.sort_by_key(|(p, _)| *p);
        rows.into_iter().map(|(_, r)| r).collect()
    }

    fn key(text: &str) -> TextKey {
        TextKey {
            text: text_key(text),
            occurrence: 1,
        }
    }

    /// Applies `corrections` to the outline of `before` and compares the
    /// result, line by line, with `expect`; every correction must apply.
    fn check(before: &[&str], corrections: &[OutlineChange], expect: &[&str]) {
        let o = outline(before);
        let protected = HashSet::new();
        let done = apply(
            &o,
            corrections,
            &Context {
                lineage: "d",
                protected: &protected,
            },
        );
        assert_eq!(done.not_applicable, vec![], "every correction applies");
        assert_eq!(render(&done.outline), expect);
        // Clause ids never change: every clause of before that is still a
        // clause keeps its id and text.
        for c in &o.clauses {
            if let Some(after) = done.outline.clauses.iter().find(|a| a.id == c.id) {
                assert_eq!(after.text, c.text);
            }
        }
        // A clause belongs to the nearest heading before it, a heading to the
        // nearest shallower one; positions are unique.
        let mut positions: Vec<u32> = done
            .outline
            .sections
            .iter()
            .map(|s| s.position)
            .chain(done.outline.clauses.iter().map(|c| c.position))
            .collect();
        positions.sort();
        let n = positions.len();
        positions.dedup();
        assert_eq!(positions.len(), n, "positions are unique");
        for c in &done.outline.clauses {
            let nearest = done
                .outline
                .sections
                .iter()
                .filter(|s| s.position < c.position)
                .max_by_key(|s| s.position)
                .map(|s| s.id.clone());
            assert_eq!(
                c.section_id, nearest,
                "{} belongs to the heading before it",
                c.text
            );
        }
        for s in &done.outline.sections {
            let nearest = done
                .outline
                .sections
                .iter()
                .filter(|p| p.position < s.position && p.level < s.level)
                .max_by_key(|p| p.position);
            assert_eq!(s.parent_id, nearest.map(|p| p.id.clone()), "{}", s.title);
            assert_eq!(
                s.level,
                nearest.map(|p| p.level + 1).unwrap_or(1),
                "{}",
                s.title
            );
        }
    }

    const DOC: &[&str] = &[
        "# 1. | Allmänt",
        "p. 1.1 | 1.1 | Reglementet gäller hemtjänst.",
        "p. 1.1 st. 2 | - | Ett stycke utan nummer.",
        "p. 1.2 | 1.2 | Definitioner",
        "p. 1.2 a) | a) | kund: den som har beslut;",
        "p. 1.2 b) | b) | leverantör: den som har avtal.",
        "# 2. | Ansökan",
        "p. 2.1 | 2.1 | Ansökan görs skriftligen.",
        "p. 2.1 st. 2 | - | Ett andra stycke.",
        "## Krav",
        "p. 2.2 | 2.2 | Leverantören ska ha tillstånd.",
        "p. 2.3 | 2.3 | Leverantören ska ha ordnad ekonomi.",
    ];

    #[test]
    fn nothing_to_correct_leaves_the_outline_as_it_was() {
        check(
            DOC,
            &[],
            &[
                "# 1. Allmänt < -",
                "[Allmänt › p. 1.1] Reglementet gäller hemtjänst.",
                "[Allmänt › p. 1.1 st. 2] Ett stycke utan nummer.",
                "[Allmänt › p. 1.2] Definitioner",
                "[Allmänt › p. 1.2 a)] kund: den som har beslut;",
                "[Allmänt › p. 1.2 b)] leverantör: den som har avtal.",
                "# 2. Ansökan < -",
                "[Ansökan › p. 2.1] Ansökan görs skriftligen.",
                "[Ansökan › p. 2.1 st. 2] Ett andra stycke.",
                "  # Krav < Ansökan",
                "[Krav › p. 2.2] Leverantören ska ha tillstånd.",
                "[Krav › p. 2.3] Leverantören ska ha ordnad ekonomi.",
            ],
        );
    }

    #[test]
    fn a_promoted_clause_heads_the_clauses_after_it_in_its_section() {
        check(
            DOC,
            &[OutlineChange::Promote {
                clause: key("Definitioner"),
                level: 2,
                number: "1.2".into(),
                title: "Definitioner".into(),
            }],
            &[
                "# 1. Allmänt < -",
                "[Allmänt › p. 1.1] Reglementet gäller hemtjänst.",
                "[Allmänt › p. 1.1 st. 2] Ett stycke utan nummer.",
                "  # 1.2 Definitioner < Allmänt",
                "[Definitioner › p. 1.2 a)] kund: den som har beslut;",
                "[Definitioner › p. 1.2 b)] leverantör: den som har avtal.",
                "# 2. Ansökan < -",
                "[Ansökan › p. 2.1] Ansökan görs skriftligen.",
                "[Ansökan › p. 2.1 st. 2] Ett andra stycke.",
                "  # Krav < Ansökan",
                "[Krav › p. 2.2] Leverantören ska ha tillstånd.",
                "[Krav › p. 2.3] Leverantören ska ha ordnad ekonomi.",
            ],
        );
    }

    #[test]
    fn a_heading_promoted_to_a_shallower_level_takes_the_following_subsections() {
        check(
            DOC,
            &[OutlineChange::Promote {
                clause: key("Ett andra stycke."),
                level: 1,
                number: String::new(),
                title: String::new(),
            }],
            &[
                "# 1. Allmänt < -",
                "[Allmänt › p. 1.1] Reglementet gäller hemtjänst.",
                "[Allmänt › p. 1.1 st. 2] Ett stycke utan nummer.",
                "[Allmänt › p. 1.2] Definitioner",
                "[Allmänt › p. 1.2 a)] kund: den som har beslut;",
                "[Allmänt › p. 1.2 b)] leverantör: den som har avtal.",
                "# 2. Ansökan < -",
                "[Ansökan › p. 2.1] Ansökan görs skriftligen.",
                "# Ett andra stycke. < -",
                "  # Krav < Ett andra stycke.",
                "[Krav › p. 2.2] Leverantören ska ha tillstånd.",
                "[Krav › p. 2.3] Leverantören ska ha ordnad ekonomi.",
            ],
        );
    }

    #[test]
    fn a_promotion_deeper_than_one_below_the_heading_before_is_kept_one_below() {
        check(
            &[
                "# 1. | Allmänt",
                "p. 1.1 | 1.1 | Rubrik",
                "p. 1.2 | 1.2 | Text.",
            ],
            &[OutlineChange::Promote {
                clause: key("Rubrik"),
                level: 5,
                number: String::new(),
                title: String::new(),
            }],
            &[
                "# 1. Allmänt < -",
                "  # 1.1 Rubrik < Allmänt",
                "[Rubrik › p. 1.2] Text.",
            ],
        );
    }

    #[test]
    fn a_demoted_heading_becomes_a_clause_and_its_content_moves_to_its_parent() {
        check(
            DOC,
            &[OutlineChange::Demote {
                section: key("Krav"),
            }],
            &[
                "# 1. Allmänt < -",
                "[Allmänt › p. 1.1] Reglementet gäller hemtjänst.",
                "[Allmänt › p. 1.1 st. 2] Ett stycke utan nummer.",
                "[Allmänt › p. 1.2] Definitioner",
                "[Allmänt › p. 1.2 a)] kund: den som har beslut;",
                "[Allmänt › p. 1.2 b)] leverantör: den som har avtal.",
                "# 2. Ansökan < -",
                "[Ansökan › p. 2.1] Ansökan görs skriftligen.",
                "[Ansökan › p. 2.1 st. 2] Ett andra stycke.",
                "[Ansökan › p. 2.1 st. 3] Krav",
                "[Ansökan › p. 2.2] Leverantören ska ha tillstånd.",
                "[Ansökan › p. 2.3] Leverantören ska ha ordnad ekonomi.",
            ],
        );
    }

    #[test]
    fn a_demoted_top_heading_lifts_its_subsections_one_level() {
        check(
            DOC,
            &[OutlineChange::Demote {
                section: key("Ansökan"),
            }],
            &[
                "# 1. Allmänt < -",
                "[Allmänt › p. 1.1] Reglementet gäller hemtjänst.",
                "[Allmänt › p. 1.1 st. 2] Ett stycke utan nummer.",
                "[Allmänt › p. 1.2] Definitioner",
                "[Allmänt › p. 1.2 a)] kund: den som har beslut;",
                "[Allmänt › p. 1.2 b)] leverantör: den som har avtal.",
                "[Allmänt › p. 2] Ansökan",
                "[Allmänt › p. 2.1] Ansökan görs skriftligen.",
                "[Allmänt › p. 2.1 st. 2] Ett andra stycke.",
                "# Krav < -",
                "[Krav › p. 2.2] Leverantören ska ha tillstånd.",
                "[Krav › p. 2.3] Leverantören ska ha ordnad ekonomi.",
            ],
        );
    }

    #[test]
    fn a_moved_clause_goes_after_the_sections_own_clauses_and_counts_restart() {
        check(
            DOC,
            &[OutlineChange::Move {
                clause: key("Ett stycke utan nummer."),
                under: key("Krav"),
            }],
            &[
                "# 1. Allmänt < -",
                "[Allmänt › p. 1.1] Reglementet gäller hemtjänst.",
                "[Allmänt › p. 1.2] Definitioner",
                "[Allmänt › p. 1.2 a)] kund: den som har beslut;",
                "[Allmänt › p. 1.2 b)] leverantör: den som har avtal.",
                "# 2. Ansökan < -",
                "[Ansökan › p. 2.1] Ansökan görs skriftligen.",
                "[Ansökan › p. 2.1 st. 2] Ett andra stycke.",
                "  # Krav < Ansökan",
                "[Krav › p. 2.2] Leverantören ska ha tillstånd.",
                "[Krav › p. 2.3] Leverantören ska ha ordnad ekonomi.",
                "[Krav › p. 2.3 st. 2] Ett stycke utan nummer.",
            ],
        );
    }

    #[test]
    fn a_clause_moved_under_a_heading_with_subsections_goes_before_them() {
        check(
            DOC,
            &[OutlineChange::Move {
                clause: key("Leverantören ska ha tillstånd."),
                under: key("Allmänt"),
            }],
            &[
                "# 1. Allmänt < -",
                "[Allmänt › p. 1.1] Reglementet gäller hemtjänst.",
                "[Allmänt › p. 1.1 st. 2] Ett stycke utan nummer.",
                "[Allmänt › p. 1.2] Definitioner",
                "[Allmänt › p. 1.2 a)] kund: den som har beslut;",
                "[Allmänt › p. 1.2 b)] leverantör: den som har avtal.",
                "[Allmänt › p. 2.2] Leverantören ska ha tillstånd.",
                "# 2. Ansökan < -",
                "[Ansökan › p. 2.1] Ansökan görs skriftligen.",
                "[Ansökan › p. 2.1 st. 2] Ett andra stycke.",
                "  # Krav < Ansökan",
                "[Krav › p. 2.3] Leverantören ska ha ordnad ekonomi.",
            ],
        );
    }

    #[test]
    fn a_renumbered_clause_gets_its_new_number_in_the_label_and_anchors_paragraphs() {
        check(
            DOC,
            &[
                OutlineChange::Renumber {
                    clause: key("Ansökan görs skriftligen."),
                    from: "2.1".into(),
                    to: "2.0".into(),
                },
                OutlineChange::Renumber {
                    clause: key("leverantör: den som har avtal."),
                    from: "b)".into(),
                    to: "c)".into(),
                },
                OutlineChange::Renumber {
                    clause: key("Ett stycke utan nummer."),
                    from: String::new(),
                    to: "1.1 a".into(),
                },
            ],
            &[
                "# 1. Allmänt < -",
                "[Allmänt › p. 1.1] Reglementet gäller hemtjänst.",
                "[Allmänt › p. 1.1 a] Ett stycke utan nummer.",
                "[Allmänt › p. 1.2] Definitioner",
                "[Allmänt › p. 1.2 a)] kund: den som har beslut;",
                "[Allmänt › p. 1.2 c)] leverantör: den som har avtal.",
                "# 2. Ansökan < -",
                "[Ansökan › p. 2.0] Ansökan görs skriftligen.",
                "[Ansökan › p. 2.0 st. 2] Ett andra stycke.",
                "  # Krav < Ansökan",
                "[Krav › p. 2.2] Leverantören ska ha tillstånd.",
                "[Krav › p. 2.3] Leverantören ska ha ordnad ekonomi.",
            ],
        );
    }

    #[test]
    fn paragraph_numbers_read_with_their_chapter_when_moved_into_one() {
        check(
            &[
                "# 1 kap. | Allmänt",
                "1 kap. 1 § | 1 § | Lagen gäller.",
                "# Övrigt",
                "st. 1 | - | Sista stycket.",
            ],
            &[
                OutlineChange::Renumber {
                    clause: key("Sista stycket."),
                    from: String::new(),
                    to: "2 §".into(),
                },
                OutlineChange::Move {
                    clause: key("Sista stycket."),
                    under: key("Allmänt"),
                },
            ],
            &[
                "# 1 kap. Allmänt < -",
                "[Allmänt › 1 kap. 1 §] Lagen gäller.",
                "[Allmänt › 1 kap. 2 §] Sista stycket.",
                "# Övrigt < -",
            ],
        );
    }

    #[test]
    fn a_promotion_and_a_demotion_of_the_same_text_give_back_the_clause_id() {
        let o = outline(DOC);
        let protected = HashSet::new();
        let ctx = Context {
            lineage: "d",
            protected: &protected,
        };
        let done = apply(
            &o,
            &[
                OutlineChange::Promote {
                    clause: key("Definitioner"),
                    level: 2,
                    number: String::new(),
                    title: String::new(),
                },
                OutlineChange::Demote {
                    section: key("Definitioner"),
                },
            ],
            &ctx,
        );
        assert_eq!(done.applied, vec![0, 1]);
        assert_eq!(done.outline, o, "the same outline, ids and labels included");
    }

    #[test]
    fn corrections_whose_text_is_gone_are_listed_and_the_rest_still_apply() {
        let o = outline(DOC);
        let protected: HashSet<String> = o
            .clauses
            .iter()
            .filter(|c| c.text == "Ansökan görs skriftligen.")
            .map(|c| c.id.clone())
            .collect();
        let done = apply(
            &o,
            &[
                OutlineChange::Promote {
                    clause: key("Ansökan görs skriftligen."),
                    level: 2,
                    number: String::new(),
                    title: String::new(),
                },
                OutlineChange::Demote {
                    section: key("Bilagor"),
                },
                OutlineChange::Move {
                    clause: key("Ett andra stycke."),
                    under: key("Bilagor"),
                },
                OutlineChange::Move {
                    clause: key("Ett tredje stycke."),
                    under: key("Krav"),
                },
                OutlineChange::Renumber {
                    clause: key("Definitioner"),
                    from: "1.3".into(),
                    to: "1.4".into(),
                },
                OutlineChange::Renumber {
                    clause: key("Definitioner"),
                    from: "1.1".into(),
                    to: "1.2".into(),
                },
                OutlineChange::Move {
                    clause: key("  LEVERANTÖREN ska ha   tillstånd. "),
                    under: key(" KRAV "),
                },
            ],
            &Context {
                lineage: "d",
                protected: &protected,
            },
        );
        let reasons: Vec<(usize, SkipReason)> = done
            .not_applicable
            .iter()
            .map(|(i, s)| (*i, s.reason))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (0, SkipReason::HasFindings),
                (1, SkipReason::HeadingGone),
                (2, SkipReason::TargetGone),
                (3, SkipReason::ClauseGone),
                (4, SkipReason::NumberChanged),
            ]
        );
        assert_eq!(done.not_applicable[3].1.number_now, "");
        assert_eq!(done.not_applicable[4].1.number_now, "1.2");
        assert_eq!(
            done.not_applicable[4].1.sentence(),
            "the clause is numbered “1.2” now"
        );
        // Already numbered 1.2, already under Krav (case and spaces aside):
        // applied, nothing changed.
        assert_eq!(done.applied, vec![5, 6]);
        assert_eq!(done.outline, o);
    }

    #[test]
    fn repeated_texts_are_told_apart_by_their_occurrence() {
        let o = outline(&[
            "# A",
            "st. 1 | - | Se ovan.",
            "# B",
            "st. 1 | - | Se ovan.",
            "st. 2 | - | Slut.",
        ]);
        let protected = HashSet::new();
        let second = clause_key(&o, &o.clauses[1].id).unwrap();
        assert_eq!(second.occurrence, 2);
        let done = apply(
            &o,
            &[OutlineChange::Move {
                clause: second,
                under: key("A"),
            }],
            &Context {
                lineage: "d",
                protected: &protected,
            },
        );
        assert_eq!(
            render(&done.outline),
            vec![
                "# A < -",
                "[A › st. 1] Se ovan.",
                "[A › st. 2] Se ovan.",
                "# B < -",
                "[B › st. 1] Slut.",
            ]
        );
        assert_eq!(done.outline.clauses[1].id, o.clauses[1].id);
    }

    #[test]
    fn relabelling_an_untouched_imported_document_changes_nothing() {
        // Every section of the sample, imported as the app imports it,
        // touched at once: the labels come out as the importer wrote them.
        let o = kryphal_ingest::import(
            crate::sample::FILE_NAME,
            crate::sample::TEXT.as_bytes(),
            "d",
            &kryphal_ingest::Limits::default(),
        )
        .unwrap()
        .outline;
        let mut w = Work::new(&o);
        w.touched = o.sections.iter().map(|s| Some(s.id.clone())).collect();
        w.touched.insert(None);
        w.own = o.clauses.iter().map(|c| c.id.clone()).collect();
        assert_eq!(w.finish(), o);
    }

    #[test]
    fn the_key_normalises_like_clause_ids() {
        for (a, b) in [
            ("Ansökan  görs\nskriftligen.", "ansökan görs skriftligen."),
            ("ÅTERKRAV ska ske", "återkrav ska ske"),
        ] {
            assert_eq!(text_key(a), text_key(b));
            assert_eq!(
                kryphal_ingest::structure::clause_id("d", a),
                kryphal_ingest::structure::clause_id("d", b)
            );
        }
        assert_ne!(text_key("a b"), text_key("ab"));
    }
}
