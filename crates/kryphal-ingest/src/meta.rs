//! Metadata a document states about itself: YAML-style front matter
//! (`key: value` lines between `---`) and Swedish metadata lines such as
//! `Diarienummer: KS 2024/113` or `Beslutsdatum: 2024-03-20`.

use kryphal_domain::DocumentMeta;

/// Sets the field of `meta` named by `key` (English front-matter keys or
/// Swedish labels) to `value`. Returns false when the key means nothing to us.
pub fn set_field(meta: &mut DocumentMeta, key: &str, value: &str) -> bool {
    let value = value.trim().trim_matches('"').trim();
    let key = key.trim().to_lowercase();
    let key = key.trim_end_matches(':').trim();
    let field = match key {
        "title" | "titel" => &mut meta.title,
        "doc_type" | "dokumenttyp" | "typ" => &mut meta.doc_type,
        "owner" | "ägare" | "dokumentet gäller för" | "nämnd" => &mut meta.owner,
        "dnr" | "diarienummer" | "dnr." | "ärendenummer" | "målnummer" => &mut meta.dnr,
        "decided"
        | "beslutsdatum"
        | "beslutad"
        | "dokumentet beslutades den"
        | "fastställd"
        | "beslutad den"
        | "antagen"
        | "antagen den"
        | "fastställd den"
        | "utfärdad"
        | "utfardad_datum"
        | "avgörandedatum" => &mut meta.decided,
        "decided_by"
        | "beslutad av"
        | "fastställd av"
        | "dokumentet är beslutat av"
        | "beslutsinstans" => &mut meta.decided_by,
        "responsible" | "dokumentansvarig" | "dokumentansvarig är" | "ansvarig" => {
            &mut meta.responsible
        }
        "valid_from"
        | "gäller från"
        | "giltig från"
        | "gäller fr.o.m."
        | "ikraft"
        | "ikraft_datum"
        | "träder i kraft"
        | "dokumentet gäller från" => &mut meta.valid_from,
        "valid_to" | "gäller till" | "dokumentet gäller till den" | "giltig till" => {
            &mut meta.valid_to
        }
        "version_label" | "version" => &mut meta.version_label,
        _ => return false,
    };
    if is_placeholder(value) {
        // A template's unfilled prompt ("skriv nummer exempelvis KS/xxx:xx"):
        // a metadata line, but no value.
        return true;
    }
    if value.is_empty() || !field.is_empty() {
        // Keep the first value found; an empty one says nothing.
        return !value.is_empty();
    }
    *field = value.to_string();
    true
}

/// An unfilled template field: `skriv datum så här xx månad 20xx`.
/// A title that is really a file name (`Riktlinjer-Mot_mutor_och_jäv-20131213`,
/// `omslag.indd`, `Microsoft Word - Dokument1`): no title of the document.
pub fn is_file_name_like(title: &str) -> bool {
    let t = title.trim();
    let lower = t.to_lowercase();
    let extension = [
        ".doc", ".docx", ".indd", ".pdf", ".odt", ".rtf", ".pages", ".qxd", ".dotx", ".txt",
    ]
    .iter()
    .any(|e| lower.ends_with(e));
    extension
        || lower.starts_with("microsoft word")
        || (t.contains('_') && !t.contains(' '))
        || (!t.contains(' ') && t.matches('-').count() >= 2)
}

/// A Swedish date as printed (`25 februari 2016`, `den 1 mars 2024`,
/// `2016-02-25`) → `2016-02-25`; the first date in `text`.
pub fn swedish_date(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, ',' | '.' | ';' | ':' | '(' | ')' | '[' | ']'))
        })
        .collect();
    for (i, w) in words.iter().enumerate() {
        if is_iso_date(w) {
            return Some(w.to_string());
        }
        if let Some(m) = MONTHS.iter().position(|m| w.eq_ignore_ascii_case(m))
            && i >= 1
            && i + 1 < words.len()
            && let Ok(day) = words[i - 1].parse::<u32>()
            && let Ok(year) = words[i + 1].parse::<u32>()
            && (1..=31).contains(&day)
            && (1800..=2200).contains(&year)
        {
            return Some(format!("{year:04}-{:02}-{day:02}", m + 1));
        }
    }
    None
}

/// The decision date a short line states: `Beslut vid regeringssammanträde
/// den 25 februari 2016`, `beslutade den 29 november 2011`, `Antagen av
/// kommunfullmäktige § 117, 2011-06-16`, `Stockholm den 14 oktober 1999`.
pub fn decision_date(line: &str) -> Option<String> {
    let t = line.trim();
    if t.split_whitespace().count() > 16 {
        return None;
    }
    let lower = t.to_lowercase();
    let verb = [
        "beslut",
        "antagen",
        "antaget",
        "antogs",
        "fastställd",
        "fastställt",
        "fastställdes",
    ]
    .iter()
    .any(|v| lower.starts_with(v));
    // `<Ort> den <datum>`: where and when a government decision was signed.
    let place = {
        let mut w = t.split_whitespace();
        matches!((w.next(), w.next()), (Some(p), Some("den")) if p.starts_with(char::is_uppercase))
            && t.split_whitespace().count() <= 5
    };
    if !(verb || place) {
        return None;
    }
    swedish_date(t)
}

/// Who decided, as a decision line says it: `Antagen av kommunfullmäktige §
/// 117, 2011-06-16` → `Kommunfullmäktige`.
pub fn decision_body(line: &str) -> Option<String> {
    let t = line.trim();
    let lower = t.to_lowercase();
    let at = [
        "antagen av ",
        "antaget av ",
        "beslutad av ",
        "beslutat av ",
        "fastställd av ",
        "fastställt av ",
    ]
    .iter()
    .find_map(|p| lower.starts_with(p).then_some(p.len()))?;
    let rest = &t[at..];
    let end = rest
        .find(|c: char| c == '§' || c == ',' || c.is_ascii_digit())
        .unwrap_or(rest.len());
    let body = rest[..end].trim().trim_end_matches(" den").trim();
    let mut chars = body.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

pub fn is_placeholder(value: &str) -> bool {
    let v = value.to_lowercase();
    v.starts_with("skriv ")
        || v.starts_with("ange ")
        || v.contains("xxx")
        || v.contains("20xx")
        || v.contains("åååå")
        || v.contains("yyyy")
}

/// Reads metadata printed on a cover page without a colon: `Dnr` on one line
/// and the number on the next (`KS/2013:635`), and a lone date near the top
/// (the document's date). Returns the indices of the lines it consumed.
pub fn read_cover_lines(lines: &[&str], meta: &mut DocumentMeta) -> Vec<usize> {
    let clean = |s: &str| s.trim().trim_start_matches('#').trim().to_string();
    let mut used = Vec::new();
    for i in 0..lines.len().min(40) {
        let l = clean(lines[i]);
        let lower = l.to_lowercase();
        if matches!(
            lower.as_str(),
            "dnr" | "dnr:" | "dnr." | "diarienummer" | "diarienummer:"
        ) && meta.dnr.is_empty()
            && let Some(j) = (i + 1..lines.len().min(i + 4)).find(|&j| !clean(lines[j]).is_empty())
        {
            let v = clean(lines[j]);
            if v.chars().any(|c| c.is_ascii_digit())
                && v.chars().count() <= 30
                && !is_placeholder(&v)
            {
                meta.dnr = v;
                used.extend([i, j]);
            }
        }
        if i < 15 && meta.decided.is_empty() && is_iso_date(&l) {
            meta.decided = l;
        }
    }
    used
}

/// `2013-12-13`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Splits `--- … ---` front matter off the start of `text`, filling `meta`.
/// Returns the rest of the text.
pub fn split_front_matter<'a>(text: &'a str, meta: &mut DocumentMeta) -> &'a str {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        let trimmed = line.trim();
        if trimmed == "---" || trimmed == "..." {
            return &rest[offset..];
        }
        if let Some((k, v)) = trimmed.split_once(':') {
            set_field(meta, k, v);
        }
    }
    // No closing fence: not front matter after all.
    text
}

/// Reads `Label: value` metadata lines among the first lines of a text
/// document. Returns the index of the first line of the body (the metadata
/// lines are not part of it when they form the document's head).
pub fn read_leading_metadata(lines: &[&str], meta: &mut DocumentMeta) -> usize {
    let mut last_meta_line = None;
    for (i, line) in lines.iter().enumerate().take(60) {
        if let Some((k, v)) = line.split_once(':')
            && k.chars().count() <= 40
            && set_field(meta, k, v)
        {
            last_meta_line = Some(i);
        }
    }
    // Only a block at the very top is cut off; metadata lines further down
    // stay in the text (they are read, but the body starts at the top).
    match last_meta_line {
        Some(i)
            if lines[..i]
                .iter()
                .all(|l| l.trim().is_empty() || l.contains(':') || l.chars().count() < 80)
                && i < 40 =>
        {
            i + 1
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fills_fields_and_is_removed() {
        let mut m = DocumentMeta::default();
        let rest = split_front_matter(
            "---\ntitle: \"Policy\"\ndnr: KS 2024/1\nunknown: x\n---\n# Body\n",
            &mut m,
        );
        assert_eq!(rest, "# Body\n");
        assert_eq!(m.title, "Policy");
        assert_eq!(m.dnr, "KS 2024/1");
    }

    #[test]
    fn unclosed_front_matter_is_left_as_text() {
        let mut m = DocumentMeta::default();
        let text = "---\ntitle: x\n\nBody";
        assert_eq!(split_front_matter(text, &mut m), text);
    }

    #[test]
    fn swedish_metadata_lines_are_read() {
        let mut m = DocumentMeta::default();
        let lines = [
            "Riktlinjer för handläggning",
            "Diarienummer: VON/2022:00276",
            "Dokumentet är beslutat av: Vård- och omsorgsnämnden",
            "Dokumentansvarig är: Kvalitetschef",
            "",
            "1. Inledning",
        ];
        let start = read_leading_metadata(&lines, &mut m);
        assert_eq!(m.dnr, "VON/2022:00276");
        assert_eq!(m.decided_by, "Vård- och omsorgsnämnden");
        assert_eq!(m.responsible, "Kvalitetschef");
        assert_eq!(start, 4);
    }

    #[test]
    fn decision_lines_give_date_and_body_and_running_text_does_not() {
        assert_eq!(
            decision_date("Beslut vid regeringssammanträde den 25 februari 2016"),
            Some("2016-02-25".into())
        );
        assert_eq!(
            decision_date("Antagen av kommunfullmäktige § 117, 2011-06-16"),
            Some("2011-06-16".into())
        );
        assert_eq!(
            decision_body("Antagen av kommunfullmäktige § 117, 2011-06-16"),
            Some("Kommunfullmäktige".into())
        );
        assert_eq!(
            decision_date("Stockholm den 14 oktober 1999"),
            Some("1999-10-14".into())
        );
        // A date in running text, or a line that is no decision line.
        assert_eq!(
            decision_date(
                "Nämnden har under år 2024 följt upp att rutinen gäller från den 1 mars 2024 och har därefter beslutat om nya villkor"
            ),
            None
        );
        assert_eq!(decision_date("Reviderad 2015-01-09"), None);
        assert_eq!(swedish_date("den 31 maj 2025"), Some("2025-05-31".into()));
        assert_eq!(swedish_date("den 32 maj 2025"), None);
    }

    #[test]
    fn template_placeholders_are_not_values() {
        let mut m = DocumentMeta::default();
        assert!(set_field(
            &mut m,
            "Diarienummer",
            "skriv nummer exempelvis KS/xxx:xx"
        ));
        assert!(set_field(
            &mut m,
            "Dokumentet beslutades den",
            "skriv datum så här xx månad 20xx"
        ));
        assert_eq!(m, DocumentMeta::default());
    }

    #[test]
    fn cover_page_dnr_and_date_without_colons() {
        let mut m = DocumentMeta::default();
        let lines = [
            "# RIKTLINJER",
            "2013-12-13",
            "1 [8]",
            "Dnr",
            "## KS/2013:635",
            "Text",
        ];
        let used = read_cover_lines(&lines, &mut m);
        assert_eq!(m.dnr, "KS/2013:635");
        assert_eq!(m.decided, "2013-12-13");
        assert_eq!(used, vec![3, 4]);
    }

    #[test]
    fn a_colon_in_running_text_is_not_metadata() {
        let mut m = DocumentMeta::default();
        let lines = ["Syftet är följande: att ge stöd."];
        assert_eq!(read_leading_metadata(&lines, &mut m), 0);
        assert_eq!(m, DocumentMeta::default());
    }
}
