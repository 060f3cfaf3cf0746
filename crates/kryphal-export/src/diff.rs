//! Word-level difference between a clause's current text and a proposed
//! wording, for the *Nuvarande | Föreslagen lydelse* table and for tracked
//! changes.

use similar::{Algorithm, ChangeTag, TextDiff};

/// One piece of the difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// In both texts.
    Same(String),
    /// Only in the current text.
    Deleted(String),
    /// Only in the proposed text.
    Inserted(String),
}

/// The word-level difference from `old` to `new`. Adjacent pieces of the same
/// kind are merged; whitespace standing alone between two changes joins
/// them, so "a b c" → "x y z" reads as one replacement, not three.
pub fn words(old: &str, new: &str) -> Vec<Part> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_unicode_words(old, new);
    let mut raw: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        push(&mut raw, change.tag(), change.value());
    }
    // Whitespace-only equal runs between changes become delete + insert.
    let mut merged: Vec<(ChangeTag, String)> = Vec::new();
    for i in 0..raw.len() {
        let (tag, text) = &raw[i];
        let between_changes = *tag == ChangeTag::Equal
            && text.trim().is_empty()
            && i > 0
            && i + 1 < raw.len()
            && raw[i - 1].0 != ChangeTag::Equal
            && raw[i + 1].0 != ChangeTag::Equal;
        if between_changes {
            push(&mut merged, ChangeTag::Delete, text);
            push(&mut merged, ChangeTag::Insert, text);
        } else {
            push(&mut merged, *tag, text);
        }
    }
    // Group each run of changes as all deletions, then all insertions.
    let mut out = Vec::new();
    let mut del = String::new();
    let mut ins = String::new();
    let flush = |out: &mut Vec<Part>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            out.push(Part::Deleted(std::mem::take(del)));
        }
        if !ins.is_empty() {
            out.push(Part::Inserted(std::mem::take(ins)));
        }
    };
    for (tag, text) in merged {
        match tag {
            ChangeTag::Equal => {
                flush(&mut out, &mut del, &mut ins);
                out.push(Part::Same(text));
            }
            ChangeTag::Delete => del.push_str(&text),
            ChangeTag::Insert => ins.push_str(&text),
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

fn push(v: &mut Vec<(ChangeTag, String)>, tag: ChangeTag, text: &str) {
    match v.last_mut() {
        Some((t, s)) if *t == tag => s.push_str(text),
        _ => v.push((tag, text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old_new(parts: &[Part]) -> (String, String) {
        let mut old = String::new();
        let mut new = String::new();
        for p in parts {
            match p {
                Part::Same(s) => {
                    old.push_str(s);
                    new.push_str(s);
                }
                Part::Deleted(s) => old.push_str(s),
                Part::Inserted(s) => new.push_str(s),
            }
        }
        (old, new)
    }

    #[test]
    fn a_changed_phrase_is_one_replacement_and_both_texts_come_back() {
        let old = "Utdraget får vara högst ett år gammalt.";
        let new = "Utdraget får vara högst tre månader gammalt.";
        let parts = words(old, new);
        assert_eq!(old_new(&parts), (old.to_string(), new.to_string()));
        assert!(parts.contains(&Part::Deleted("ett år".into())), "{parts:?}");
        assert!(
            parts.contains(&Part::Inserted("tre månader".into())),
            "{parts:?}"
        );
    }

    #[test]
    fn identical_texts_have_no_changes() {
        assert_eq!(
            words("3 § Lika.", "3 § Lika."),
            vec![Part::Same("3 § Lika.".into())]
        );
    }
}
