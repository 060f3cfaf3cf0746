//! How expectations and the program's text are compared: case, whitespace,
//! typographic quotes and dashes, soft hyphens and invisible characters do
//! not count; words and punctuation do.

/// Lower-case, single-spaced, with typographic variants made plain.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => continue,
            '\u{A0}' | '\u{2007}' | '\u{202F}' | '\t' | '\n' | '\r' => ' ',
            '“' | '”' | '„' | '″' | '«' | '»' => '"',
            '‘' | '’' | '‚' | '′' | '´' | '`' => '\'',
            '–' | '—' | '‑' | '‐' | '−' => '-',
            '…' => {
                out.push_str("...");
                continue;
            }
            c => c,
        };
        out.extend(c.to_lowercase());
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A number as printed, for comparison: `3 §` = `3§`, `4.` = `4`, `a)` = `a)`.
pub fn norm_number(s: &str) -> String {
    let n = norm(s).replace(' ', "");
    n.trim_end_matches('.').to_string()
}

/// A heading for comparison: its number and title read together, without
/// spaces, full stops or colons, so that `[Steg 1]` = `Steg 1` and
/// `[2 kap.] Ansökan` = `2 kap. Ansökan`.
pub fn norm_heading(number: &str, title: &str) -> String {
    norm(&format!("{number} {title}"))
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | ':'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typography_and_spacing_do_not_count() {
        assert_eq!(
            norm("  ”Brott”\u{a0}som –  av\u{ad}ser\n"),
            "\"brott\" som - avser"
        );
        assert_eq!(norm_number("3 §"), norm_number("3§"));
        assert_eq!(norm_number("4."), "4");
        assert_eq!(norm_heading("2 kap.", "Ansökan:"), "2kapansökan");
        assert_eq!(norm_heading("Steg 1", ""), norm_heading("", "Steg 1"));
    }
}
