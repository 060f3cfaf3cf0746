//! Page furniture and tables of contents: text that belongs to the page or
//! the navigation, not to the document's clauses.
//!
//! - Running headers and footers: lines that recur at the top or bottom of
//!   most pages (digits ignored, so `Sida 3 av 9` matches `Sida 4 av 9`), and
//!   page-number lines (`3`, `- 3 -`, `3 (9)`, `3 [8]`, `Sida 3 av 9`).
//! - In text converted from a PDF (Markdown or plain text), the page breaks
//!   are found by their page-number lines; lines that recur next to most of
//!   them are the header or footer.
//! - Table-of-contents lines end in a page number after dot leaders or a tab.

use std::collections::{HashMap, HashSet};

use crate::pdf::Line;

/// `Sida 3 av 9` → `sida # av #`: what running lines are compared by.
fn key(s: &str) -> String {
    let mut out = String::new();
    let mut last_digit = false;
    for c in s.trim().trim_start_matches('#').trim().chars() {
        if c.is_ascii_digit() {
            if !last_digit {
                out.push('#');
            }
            last_digit = true;
        } else {
            last_digit = false;
            out.extend(c.to_lowercase());
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line that is nothing but a page number.
pub fn is_page_number(s: &str) -> bool {
    // The longest form, `sida 123 av 456`, is short: longer lines are text.
    if s.len() > 40 {
        return false;
    }
    let k = key(s);
    matches!(
        k.as_str(),
        "#" | "- # -"
            | "-#-"
            | "# (#)"
            | "#(#)"
            | "# [#]"
            | "#[#]"
            | "# / #"
            | "#/#"
            | "# av #"
            | "sida #"
            | "sida # av #"
            | "sida # (#)"
            | "sid #"
            | "page #"
            | "page # of #"
    )
}

/// A line of a table of contents: a title ending in a page number after dot
/// leaders or a tab, or the heading `Innehåll` / `Innehållsförteckning`.
pub fn is_toc_line(s: &str) -> bool {
    let t = s.trim();
    if t.len() <= 24 {
        let lower = t.to_lowercase();
        if matches!(
            lower.trim_end_matches(':'),
            "innehåll" | "innehållsförteckning" | "table of contents"
        ) {
            return true;
        }
    }
    let digits = t.chars().rev().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 || digits == t.len() {
        return false;
    }
    let before = &t[..t.len() - digits];
    if before.ends_with('\t') {
        return before.trim().chars().any(char::is_alphabetic);
    }
    let trimmed = before.trim_end();
    let dots = trimmed
        .chars()
        .rev()
        .take_while(|c| matches!(c, '.' | '…' | ' ' | '·' | '_'))
        .filter(|c| *c != ' ')
        .count();
    dots >= 4 || trimmed.ends_with("…")
}

/// Indices of the lines in the top and bottom `zone` positions of a page (by height).
fn edge_lines(page: &[Line], zone: usize) -> HashSet<usize> {
    let mut order: Vec<usize> = (0..page.len()).collect();
    order.sort_by(|&a, &b| page[b].y.total_cmp(&page[a].y));
    let n = order.len();
    order
        .iter()
        .enumerate()
        .filter(|(rank, _)| *rank < zone || *rank + zone >= n)
        .map(|(_, &i)| i)
        .collect()
}

/// Drops the running headers and footers of PDF pages.
pub(crate) fn drop_running_lines(pages: &mut [Vec<Line>]) {
    const ZONE: usize = 3;
    let n = pages.len();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let zone: HashSet<String> = edge_lines(page, ZONE)
            .into_iter()
            .map(|i| key(&page[i].text))
            .collect();
        for k in zone {
            *counts.entry(k).or_default() += 1;
        }
    }
    let threshold = if n <= 2 {
        n.max(2)
    } else {
        n.div_ceil(2).max(2)
    };
    for page in pages.iter_mut() {
        let edges = edge_lines(page, ZONE);
        let mut i = 0;
        page.retain(|l| {
            let in_zone = edges.contains(&i);
            i += 1;
            !(in_zone
                && (is_page_number(&l.text)
                    || counts.get(&key(&l.text)).is_some_and(|c| *c >= threshold)))
        });
    }
}

/// A table of contents whose page numbers follow the titles after spaces
/// only (a Word TOC in a PDF): four or more lines in a row ending in
/// non-decreasing page numbers. Returns one flag per line.
pub fn toc_runs(lines: &[&str]) -> Vec<bool> {
    let page_no = |s: &str| -> Option<u32> {
        let t = s.trim();
        let digits = t.chars().rev().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 3 || digits == t.len() {
            return None;
        }
        let before = t[..t.len() - digits].trim_end();
        (t[..t.len() - digits].ends_with([' ', '\t', '.'])
            && before.chars().any(char::is_alphabetic))
        .then(|| t[t.len() - digits..].parse().ok())
        .flatten()
    };
    let mut out = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        let mut last = 0;
        let mut numbered = 0;
        let mut gap = 0;
        while j < lines.len() {
            match page_no(lines[j]) {
                Some(p) if p >= last => {
                    last = p;
                    numbered += 1;
                    gap = 0;
                }
                // A title wrapped onto two lines carries its number on the second.
                None if gap == 0 && numbered > 0 && lines[j].chars().count() < 100 => gap += 1,
                _ => break,
            }
            j += 1;
        }
        let end = j - gap;
        if numbered >= 4 {
            out[i..end].iter_mut().for_each(|f| *f = true);
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// For line-based text converted from a PDF: which lines are page furniture.
/// Page breaks are found by page-number lines (`2 [8]`, `Sida 2 av 9`); a
/// line that recurs within a few lines of most of them is a running header
/// or footer. Returns one flag per line (true: drop it).
pub fn running_text_lines(lines: &[&str]) -> Vec<bool> {
    const WINDOW: usize = 6;
    let mut drop = vec![false; lines.len()];
    let breaks: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let k = key(l);
            // A lone number is too common in running text to mark a page.
            k != "#" && is_page_number(l)
        })
        .map(|(i, _)| i)
        .collect();
    if breaks.len() < 2 {
        return drop;
    }
    // A short document has too few pages for a header to recur, but a
    // later page's header repeats what its first page showed (the unit, the
    // date) and names the organisation in capitals.
    let first_page: HashSet<String> = lines
        .iter()
        .take((breaks[0] + 30).min(breaks[1].saturating_sub(4)))
        .map(|l| key(l))
        .filter(|k| !k.is_empty())
        .collect();
    for &b in &breaks[1..] {
        for i in b.saturating_sub(4)..(b + 5).min(lines.len()) {
            let t = lines[i].trim().trim_start_matches('#').trim();
            let caps_name = t.chars().any(char::is_alphabetic)
                && !t.chars().any(|c| c.is_lowercase() || c.is_ascii_digit())
                && ["KOMMUN", "STAD", "REGION", "LANDSTING", "FÖRVALTNINGEN"]
                    .iter()
                    .any(|n| t.ends_with(n));
            if (i != b && first_page.contains(&key(lines[i])) && t.chars().count() < 60)
                || caps_name
            {
                drop[i] = true;
            }
        }
    }
    // Occurrences (distinct lines) of each text near a page break.
    let near: HashSet<usize> = breaks
        .iter()
        .flat_map(|&b| b.saturating_sub(WINDOW)..(b + WINDOW + 1).min(lines.len()))
        .collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for &i in &near {
        let k = key(lines[i]);
        if !k.is_empty() {
            *counts.entry(k).or_default() += 1;
        }
    }
    let threshold = breaks.len().div_ceil(2).max(2);
    for &b in &breaks {
        drop[b] = true;
        for i in b.saturating_sub(WINDOW)..(b + WINDOW + 1).min(lines.len()) {
            let k = key(lines[i]);
            if !k.is_empty()
                && counts.get(&k).is_some_and(|c| *c >= threshold)
                && lines[i].chars().count() < 80
            {
                drop[i] = true;
            }
        }
    }
    drop
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_in_their_usual_forms() {
        for s in ["3", "- 3 -", "3 (9)", "3 [8]", "Sida 3 av 9", "12/40"] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["3 §", "2013-12-13", "3 kap.", "Sida"] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn toc_lines_with_leaders_or_tabs() {
        assert!(is_toc_line("2.1 Information till den enskilde\t8"));
        assert!(is_toc_line("1 Förslag till riksdagsbeslut ..........3"));
        assert!(is_toc_line("Utdrag ur protokoll … 11"));
        assert!(is_toc_line("Innehållsförteckning"));
        assert!(!is_toc_line("Avgiften är 300 kronor per år 2024"));
        assert!(!is_toc_line("Se punkt 3"));
        assert!(!is_toc_line("2024"));
    }

    #[test]
    fn a_toc_without_leaders_is_a_run_of_page_numbers() {
        let lines = [
            "Innehåll",
            "Syfte och tillämpningsområde 4",
            "Definitioner 4",
            "Undersökning och riskbedömning 5",
            "Särskilda bestämmelser om",
            "cancerogena ämnen 12",
            "Bilaga 1 17",
            "1 § Syftet med dessa föreskrifter är 3 saker.",
        ];
        let flags = toc_runs(&lines);
        assert_eq!(
            flags,
            vec![false, true, true, true, true, true, true, false]
        );
        assert!(
            !toc_runs(&["Avgiften är 300", "Taxan 2024"])
                .iter()
                .any(|f| *f)
        );
    }

    #[test]
    fn running_headers_around_page_numbers_are_found() {
        let lines = [
            "# RIKTLINJER",
            "2013-12-13",
            "1 [8]",
            "Text på sidan ett.",
            "## BOTKYRKA KOMMUN",
            "Förvaltningen",
            "2013-12-13",
            "2 [8]",
            "Text på sidan två.",
            "## BOTKYRKA KOMMUN",
            "Förvaltningen",
            "2013-12-13",
            "3 [8]",
            "Text på sidan tre.",
        ];
        let drop = running_text_lines(&lines);
        let kept: Vec<&str> = lines
            .iter()
            .zip(&drop)
            .filter(|(_, d)| !**d)
            .map(|(l, _)| *l)
            .collect();
        assert_eq!(
            kept,
            vec![
                "# RIKTLINJER",
                "Text på sidan ett.",
                "Text på sidan två.",
                "Text på sidan tre."
            ]
        );
    }
}
