//! Words a pattern cannot match without: for each pattern that screening
//! runs on its own (a raw regex with gaps of "up to N words", a threshold,
//! an anchored role signal), a set of byte strings of which every match
//! contains at least one. One Aho-Corasick search of a clause for all of
//! them together tells which of these patterns can match there at all; only
//! those are run, and only on those clauses.
//!
//! A pattern whose every match starts with a common word (`får`, `ska`)
//! usually also needs a rarer one later (`avstå från`): of the sets that
//! would do, the one whose shortest string is longest is kept. A pattern
//! with no such set of strings of at least [`MIN_LEN`] bytes is searched as
//! before, over the whole document.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Shorter strings would let too many clauses through to be worth it.
pub(crate) const MIN_LEN: usize = 3;
/// A bound on the strings one set may hold (alternations multiplied out).
const MAX_SET: usize = 64;
/// A character class with more characters than this is not multiplied out.
const MAX_CLASS: u32 = 8;

type Set = Vec<Vec<u8>>;

/// What a piece of a pattern tells: every string it can match when there
/// are few (`exact`), and a set every match contains one of (`need`).
struct Info {
    exact: Option<Set>,
    need: Option<Set>,
}

/// How good a set is as a filter: the length of its shortest string (then
/// fewer strings is better).
fn score(set: &Set) -> (usize, std::cmp::Reverse<usize>) {
    (
        set.iter().map(Vec::len).min().unwrap_or(0),
        std::cmp::Reverse(set.len()),
    )
}

fn better(a: Option<Set>, b: Option<Set>) -> Option<Set> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, None) => a,
        (None, b) => b,
    }
}

/// The best filter a piece offers on its own.
fn filter_of(info: &Info) -> Option<Set> {
    better(info.exact.clone(), info.need.clone())
}

fn dedup(mut set: Set) -> Set {
    set.sort();
    set.dedup();
    set
}

fn cross(a: &Set, b: &Set) -> Option<Set> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    Some(dedup(out))
}

fn info(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info {
            exact: Some(vec![Vec::new()]),
            need: None,
        },
        HirKind::Literal(lit) => Info {
            exact: Some(vec![lit.0.to_vec()]),
            need: None,
        },
        HirKind::Class(class) => Info {
            exact: class_strings(class),
            need: None,
        },
        HirKind::Capture(c) => info(&c.sub),
        HirKind::Repetition(rep) => {
            let sub = info(&rep.sub);
            let exact = match (rep.min, rep.max) {
                (1, Some(1)) => sub.exact.clone(),
                (0, Some(1)) => sub.exact.clone().map(|mut s| {
                    s.push(Vec::new());
                    dedup(s)
                }),
                _ => None,
            };
            let need = if rep.min >= 1 { filter_of(&sub) } else { None };
            Info { exact, need }
        }
        HirKind::Alternation(subs) => {
            let infos: Vec<Info> = subs.iter().map(info).collect();
            let exact = infos
                .iter()
                .map(|i| i.exact.clone())
                .collect::<Option<Vec<Set>>>()
                .map(|sets| dedup(sets.concat()))
                .filter(|s| s.len() <= MAX_SET);
            let need = infos
                .iter()
                .map(filter_of)
                .collect::<Option<Vec<Set>>>()
                .map(|sets| dedup(sets.concat()))
                .filter(|s| s.len() <= MAX_SET);
            Info { exact, need }
        }
        HirKind::Concat(subs) => {
            // Runs of pieces with exact strings are multiplied out (`ska`
            // then ` ` then `inte` gives `ska inte`); every run and every
            // piece's own filter is a candidate.
            let mut best: Option<Set> = None;
            let mut run: Option<Set> = Some(vec![Vec::new()]);
            let mut whole_exact = true;
            for sub in subs {
                let i = info(sub);
                match &i.exact {
                    Some(e) => {
                        run = match &run {
                            Some(r) => match cross(r, e) {
                                Some(next) => Some(next),
                                None => {
                                    // Too many strings: keep what the run
                                    // had, start again from this piece.
                                    best = better(best, run.take());
                                    whole_exact = false;
                                    Some(e.clone())
                                }
                            },
                            None => Some(e.clone()),
                        };
                    }
                    None => {
                        best = better(best, run.take());
                        best = better(best, i.need);
                        whole_exact = false;
                        run = Some(vec![Vec::new()]);
                    }
                }
            }
            let exact = if whole_exact { run.clone() } else { None };
            best = better(best, run);
            Info { exact, need: best }
        }
    }
}

/// Whether a class of ranges of these sizes holds more than `MAX_CLASS` characters.
fn too_many(sizes: impl Iterator<Item = u32>) -> bool {
    sizes.sum::<u32>() > MAX_CLASS
}

/// The strings of a small character class, as UTF-8 (or bytes).
fn class_strings(class: &Class) -> Option<Set> {
    match class {
        Class::Unicode(c) => {
            let sizes = c
                .ranges()
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1);
            if too_many(sizes) {
                return None;
            }
            let mut out = Vec::new();
            for r in c.ranges() {
                for ch in r.start()..=r.end() {
                    out.push(ch.to_string().into_bytes());
                }
            }
            Some(out)
        }
        Class::Bytes(c) => {
            let sizes = c
                .ranges()
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1);
            if too_many(sizes) {
                return None;
            }
            Some(
                c.ranges()
                    .iter()
                    .flat_map(|r| (r.start()..=r.end()).map(|b| vec![b]))
                    .collect(),
            )
        }
    }
}

/// A set of byte strings of which every match of `source` contains one,
/// each at least [`MIN_LEN`] bytes long; `None` when there is none (or the
/// pattern does not parse, which compiling it has already refused).
pub(crate) fn necessary_literals(source: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .nest_limit(64)
        .build()
        .parse(source)
        .ok()?;
    let i = info(&hir);
    let set = filter_of(&i)?;
    (score(&set).0 >= MIN_LEN).then(|| minimal(set))
}

/// Drops every string that holds another of the set: where the longer one
/// occurs, so does the shorter.
fn minimal(set: Set) -> Set {
    let holds = |s: &[u8], t: &[u8]| t.len() < s.len() && s.windows(t.len()).any(|w| w == t);
    set.iter()
        .filter(|s| !set.iter().any(|t| holds(s, t)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(source: &str) -> Option<Vec<String>> {
        necessary_literals(source).map(|s| {
            s.into_iter()
                .map(|b| String::from_utf8(b).unwrap())
                .collect()
        })
    }

    #[test]
    fn a_rare_word_after_a_gap_is_preferred_to_a_common_first_word() {
        assert_eq!(
            strs(r"(?:får|kan|bör) (?:\p{Latin}+ ){0,2}?avstå från (?:att )?"),
            Some(vec!["avstå från ".to_string()])
        );
    }

    #[test]
    fn alternatives_each_give_a_string() {
        assert_eq!(
            strs(r"(?:inte|ej|knappast) sannolik\p{Latin}*"),
            Some(vec![
                "ej sannolik".to_string(),
                "inte sannolik".to_string(),
                "knappast sannolik".to_string()
            ])
        );
        assert_eq!(
            strs(r"^(?:tips|obs) ?[:!]"),
            Some(
                [
                    "obs!", "obs:", "obs !", "obs :", "tips!", "tips:", "tips !", "tips :"
                ]
                .iter()
                .map(|s| s.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
            )
        );
    }

    #[test]
    fn a_pattern_without_a_long_enough_string_has_no_filter() {
        assert_eq!(strs(r"\p{Latin}+ \d+"), None);
        assert_eq!(strs(r"(?:a|bc) x?"), None);
        // An optional word is no filter: `kan` alone may match.
        assert_eq!(strs(r"(?:mycket )?kan"), Some(vec!["kan".to_string()]));
    }

    #[test]
    fn every_match_contains_one_of_the_strings() {
        let source = r"(?:utbetal\p{Latin}*|betala\p{Latin}* ut) (?:\p{Latin}+ ){0,3}?(?:direkt|omedelbart|samma dag)";
        let set = necessary_literals(source).unwrap();
        let re = regex::Regex::new(source).unwrap();
        for text in [
            "ersättningen utbetalas direkt",
            "beloppet betalas ut samma dag",
            "bidraget betalas ut till föreningen omedelbart",
        ] {
            assert!(re.is_match(text), "{text}");
            assert!(
                set.iter()
                    .any(|s| text.as_bytes().windows(s.len()).any(|w| w == s.as_slice())),
                "{text}: {set:?}"
            );
        }
    }
}
