//! The analysis made ready for export: the variant's redactions applied,
//! findings ordered for the memo, labels looked up in the rulebook.

use kryphal_domain::{Clause, Confidence, Finding, FindingInput, FindingStatus, MeasureType};
use kryphal_rules::{FindingField, Level, Question, Rulebook};

use crate::texts::{Texts, texts};
use crate::{Analysis, ExportInput, ExportOptions, Variant};

/// An analysis ready to be written.
pub(crate) struct Prepared<'a> {
    /// The analysis, with the public variant's redactions applied.
    pub analysis: Analysis,
    pub rulebook: &'a Rulebook,
    pub options: &'a ExportOptions,
    pub t: &'static Texts,
}

impl<'a> Prepared<'a> {
    pub fn new(input: &ExportInput<'a>, options: &'a ExportOptions) -> Prepared<'a> {
        let mut analysis = input.analysis.clone();
        if options.variant == Variant::Public {
            redact(&mut analysis, input.rulebook);
        }
        Prepared {
            analysis,
            rulebook: input.rulebook,
            options,
            t: texts(options.lang),
        }
    }

    /// Whether the variant shows the answer to `q`.
    pub fn shows(&self, q: &Question) -> bool {
        self.options.variant == Variant::Internal || !q.sensitive
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.analysis.outline.clauses.iter().find(|c| c.id == id)
    }

    /// The risk level of a finding, looked up in the rulebook's banding.
    pub fn level(&self, f: &Finding) -> Option<&'a Level> {
        let book = self.rulebook;
        match (f.input.likelihood, f.input.impact) {
            (Some(l), Some(k)) => book.risk_level(l, k),
            _ => f
                .risk_level
                .as_deref()
                .and_then(|id| book.scale.levels.iter().find(|l| l.id == id)),
        }
    }

    /// 0 for the most serious level of the pack, growing for milder ones;
    /// unrated findings come last.
    pub fn severity_rank(&self, f: &Finding) -> usize {
        let levels = &self.rulebook.scale.levels;
        match self.level(f) {
            Some(level) => levels
                .iter()
                .rev()
                .position(|l| l.id == level.id)
                .unwrap_or(levels.len()),
            None => levels.len() + 1,
        }
    }

    /// The findings the memo reports on: not rejected, the most serious
    /// first, then in document order.
    pub fn memo_findings(&self) -> Vec<&Finding> {
        let mut out: Vec<&Finding> = self
            .analysis
            .findings
            .iter()
            .filter(|f| f.input.status != FindingStatus::Rejected && !self.not_a_rule(&f.clause_id))
            .collect();
        out.sort_by_key(|f| {
            (
                self.severity_rank(f),
                self.clause(&f.clause_id).map_or(u32::MAX, |c| c.position),
            )
        });
        out
    }

    /// The clause's verdict is *not a rule*: the memo leaves it out.
    pub fn not_a_rule(&self, clause_id: &str) -> bool {
        self.options
            .coverage
            .as_ref()
            .is_some_and(|c| c.not_a_rule.iter().any(|id| id == clause_id))
    }

    /// Every finding, in document order (the register's order).
    pub fn all_findings(&self) -> Vec<&Finding> {
        let mut out: Vec<&Finding> = self.analysis.findings.iter().collect();
        out.sort_by_key(|f| self.clause(&f.clause_id).map_or(u32::MAX, |c| c.position));
        out
    }

    /// `3 (Stor)`: a step of the likelihood scale with its label.
    pub fn likelihood_step(&self, v: u8) -> String {
        step(&self.rulebook.scale.likelihood, v)
    }

    /// `4 (Allvarlig)`: a step of the consequence scale with its label.
    pub fn impact_step(&self, v: u8) -> String {
        step(&self.rulebook.scale.impact, v)
    }

    /// `Bedrägeri (BrB 9 kap. 1 §)` for a crime type code.
    pub fn crime_type(&self, code: &str) -> String {
        match self.rulebook.crime_type(code) {
            Some(ct) if !ct.reference.is_empty() => format!("{} ({})", ct.name, ct.reference),
            Some(ct) => ct.name.clone(),
            None => code.to_string(),
        }
    }

    pub fn actor(&self, id: &str) -> String {
        self.rulebook
            .actors
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_string(), |a| a.label.clone())
    }

    pub fn countermeasure(&self, id: &str) -> String {
        self.rulebook
            .countermeasure_groups
            .iter()
            .find(|g| g.id == id)
            .map_or_else(|| id.to_string(), |g| g.label.clone())
    }

    pub fn status(&self, s: FindingStatus) -> &'static str {
        let t = self.t;
        match s {
            FindingStatus::Draft => t.status_draft,
            FindingStatus::Reviewed => t.status_reviewed,
            FindingStatus::Agreed => t.status_agreed,
            FindingStatus::Rejected => t.status_rejected,
        }
    }

    pub fn confidence(&self, c: Confidence) -> &'static str {
        match c {
            Confidence::Low => self.t.confidence_low,
            Confidence::Medium => self.t.confidence_medium,
            Confidence::High => self.t.confidence_high,
        }
    }

    pub fn measure(&self, m: MeasureType) -> &'static str {
        match m {
            MeasureType::RuleChange => self.t.measure_rule_change,
            MeasureType::Control => self.t.measure_control,
            MeasureType::Both => self.t.measure_both,
        }
    }

    pub fn yes_no(&self, b: bool) -> &'static str {
        if b { self.t.yes } else { self.t.no }
    }

    /// A residual risk `2 × 3 = Medel`.
    pub fn risk_product(&self, l: Option<u8>, k: Option<u8>) -> String {
        match (l, k) {
            (Some(l), Some(k)) => {
                let level = self
                    .rulebook
                    .risk_level(l, k)
                    .map(|lv| format!(" = {}", lv.label))
                    .unwrap_or_default();
                format!("{l} × {k}{level}")
            }
            _ => String::new(),
        }
    }

    /// The answer to a question as one line of text, for the register and
    /// the memo's list of further answers. Empty when unanswered.
    pub fn answer_text(&self, f: &Finding, q: &Question) -> String {
        let i = &f.input;
        let Some(field) = q.field else {
            return match i.answers.get(&q.id) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => choice_label(q, s),
                Some(serde_json::Value::Array(items)) => items
                    .iter()
                    .map(|v| match v {
                        serde_json::Value::String(s) => choice_label(q, s),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                Some(serde_json::Value::Bool(b)) => self.yes_no(*b).to_string(),
                Some(other) => other.to_string(),
            };
        };
        match field {
            FindingField::UnintendedConsequence => i.unintended_consequence.clone(),
            FindingField::Exploitation => i.exploitation.clone(),
            FindingField::Actors => join(i.actors.iter().map(|a| self.actor(a))),
            FindingField::CrimeTypes => join(i.crime_types.iter().map(|c| self.crime_type(c))),
            FindingField::Likelihood => i.likelihood.map(|v| v.to_string()).unwrap_or_default(),
            FindingField::Impact => i.impact.map(|v| v.to_string()).unwrap_or_default(),
            FindingField::Confidence => i
                .confidence
                .map(|c| self.confidence(c).to_string())
                .unwrap_or_default(),
            FindingField::ActOn => i
                .act_on
                .map(|b| self.yes_no(b).to_string())
                .unwrap_or_default(),
            FindingField::ActOnReason => i.act_on_reason.clone(),
            FindingField::Alternatives => i
                .alternatives
                .iter()
                .enumerate()
                .map(|(n, a)| {
                    let mut s = format!("{}. {}", n + 1, a.wording.trim());
                    if !a.pros.trim().is_empty() {
                        s.push_str(&format!(" {}: {}", self.t.pros, a.pros.trim()));
                    }
                    if !a.cons.trim().is_empty() {
                        s.push_str(&format!(" {}: {}", self.t.cons, a.cons.trim()));
                    }
                    let r = self.risk_product(a.residual_likelihood, a.residual_impact);
                    if !r.is_empty() {
                        s.push_str(&format!(" {}: {r}", self.t.residual_risk));
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join("\n"),
            FindingField::ProposedWording => i.proposed_wording.clone(),
            FindingField::MeasureType => i
                .measure_type
                .map(|m| self.measure(m).to_string())
                .unwrap_or_default(),
            FindingField::CountermeasureGroup => i
                .countermeasure_group
                .as_deref()
                .map(|g| self.countermeasure(g))
                .unwrap_or_default(),
            FindingField::ResponsibleBody => i.responsible_body.clone(),
            FindingField::Status => self.status(i.status).to_string(),
        }
    }

    /// The memo's date, `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        iso_date(&self.options.header.date)
    }
}

/// `2026-11-22` from `2026-11-22` or `2026-11-22T10:00:00Z`.
pub(crate) fn iso_date(s: &str) -> String {
    let s = s.trim();
    match s.get(..10) {
        Some(d) if s.len() > 10 && s.as_bytes().get(10) == Some(&b'T') => d.to_string(),
        _ => s.to_string(),
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

fn choice_label(q: &Question, value: &str) -> String {
    q.options
        .iter()
        .find(|c| c.value == value)
        .map_or_else(|| value.to_string(), |c| c.label.clone())
}

fn step(axis: &kryphal_rules::Axis, v: u8) -> String {
    match axis.steps.iter().find(|s| s.value == v) {
        Some(s) => format!("{v} ({})", s.label),
        None => v.to_string(),
    }
}

/// Removes what the public variant leaves out: every answer to a question
/// the rulebook marks sensitive, and the comments on findings.
fn redact(analysis: &mut Analysis, book: &Rulebook) {
    for f in &mut analysis.findings {
        for q in book.questions.iter().filter(|q| q.sensitive) {
            match q.field {
                Some(field) => clear_field(&mut f.input, field),
                None => {
                    f.input.answers.remove(&q.id);
                }
            }
        }
        f.comments.clear();
    }
}

fn clear_field(i: &mut FindingInput, field: FindingField) {
    match field {
        FindingField::UnintendedConsequence => i.unintended_consequence.clear(),
        FindingField::Exploitation => i.exploitation.clear(),
        FindingField::Actors => i.actors.clear(),
        FindingField::CrimeTypes => i.crime_types.clear(),
        FindingField::Likelihood => i.likelihood = None,
        FindingField::Impact => i.impact = None,
        FindingField::Confidence => i.confidence = None,
        FindingField::ActOn => i.act_on = None,
        FindingField::ActOnReason => i.act_on_reason.clear(),
        FindingField::Alternatives => i.alternatives.clear(),
        FindingField::ProposedWording => i.proposed_wording.clear(),
        FindingField::MeasureType => i.measure_type = None,
        FindingField::CountermeasureGroup => i.countermeasure_group = None,
        FindingField::ResponsibleBody => i.responsible_body.clear(),
        // The status is never secret: it decides what the memo contains.
        FindingField::Status => {}
    }
}

/// A copy of `analysis` whose strings carry no control characters other
/// than tab, line feed and carriage return: XML 1.0 (DOCX) cannot hold
/// them at all, and in HTML or PDF they only show as boxes. Text imported
/// from PDF or Word now and then carries form feeds or vertical tabs.
pub(crate) fn without_controls(analysis: &Analysis) -> Analysis {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) if s.chars().any(is_bad) => *s = clean(s),
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    let Ok(mut value) = serde_json::to_value(analysis) else {
        return analysis.clone();
    };
    walk(&mut value);
    serde_json::from_value(value).unwrap_or_else(|_| analysis.clone())
}

fn is_bad(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `s` with its control characters (tab and line breaks excepted) made spaces.
pub(crate) fn clean(s: &str) -> String {
    s.chars().map(|c| if is_bad(c) { ' ' } else { c }).collect()
}

/// `#rrggbb` as bytes.
pub(crate) fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((v(0)?, v(2)?, v(4)?))
}

/// Black or white, whichever contrasts more with the fill `#rrggbb`
/// (WCAG relative luminance), for text on a risk level's colour.
pub(crate) fn text_on(fill: &str) -> (u8, u8, u8) {
    let Some((r, g, b)) = parse_hex(fill) else {
        return (0, 0, 0);
    };
    let lin = |c: u8| {
        let c = f32::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    let with_white = 1.05 / (l + 0.05);
    let with_black = (l + 0.05) / 0.05;
    if with_white >= with_black {
        (255, 255, 255)
    } else {
        (17, 17, 17)
    }
}

/// Swedish typography for typeset output: a non-breaking space before `§`
/// and before `kap.`, so a reference never breaks across lines.
pub(crate) fn typo(s: &str) -> String {
    s.replace(" §", "\u{a0}§").replace(" kap.", "\u{a0}kap.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_a_level_colour_is_the_colour_that_contrasts_more() {
        assert_eq!(text_on("#b71c1c"), (255, 255, 255)); // dark red
        assert_eq!(text_on("#2f7d32"), (255, 255, 255)); // green
        assert_eq!(text_on("#b8860b"), (17, 17, 17)); // dark goldenrod
        assert_eq!(text_on("#d35400"), (17, 17, 17)); // orange
        assert_eq!(text_on("not a colour"), (0, 0, 0));
    }

    #[test]
    fn typography_keeps_section_signs_with_their_numbers() {
        assert_eq!(typo("BrB 9 kap. 1 §"), "BrB 9\u{a0}kap. 1\u{a0}§");
        assert_eq!(iso_date("2026-11-22T10:00:00Z"), "2026-11-22");
        assert_eq!(iso_date(" 2026-11-22 "), "2026-11-22");
    }
}
