//! Which clause of the old version is which clause of the new one. Pure:
//! outlines in, pairs out.
//!
//! 1. **Stable ids.** A clause id is `{lineage}-{hash of the normalised
//!    text}`, so two clauses whose ids end alike (after each version's
//!    lineage) have the same text — wherever they stand and whatever their
//!    number (`p. 16` that became `p. 17` is the same clause).
//! 2. **Same text** (normalised), for clauses whose ids do not follow that
//!    pattern (split clauses, analyses from elsewhere).
//! 3. **Text similarity** for the rest: every remaining pair is scored by
//!    the share of words the two texts have in common (or that the new text
//!    has in common with a wording proposed for the old clause, so a clause
//!    rewritten as proposed is still found); the best pairs at or above
//!    [`MATCH_THRESHOLD`] are taken greedily, ties going to the pair whose
//!    number or position agrees.
//!
//! A matched clause is *moved* when it is not part of the longest run of
//! matched clauses that keep their relative order.

use std::collections::HashMap;

use kryphal_domain::Clause;
use kryphal_export::{WordDiffPart, word_diff};

/// The least similarity at which two different texts are the same clause.
pub const MATCH_THRESHOLD: f64 = 0.5;

/// The similarity at which a proposed wording counts as standing in the text.
pub const IMPLEMENTED_THRESHOLD: f64 = 0.9;

/// Whitespace collapsed, case folded.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The share (0–1) of the two texts' word characters that the word diff
/// keeps in common: 1 for the same text, 0 for nothing shared.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalise(a), normalise(b));
    if a == b {
        return 1.0;
    }
    let total = a.chars().filter(|c| !c.is_whitespace()).count()
        + b.chars().filter(|c| !c.is_whitespace()).count();
    if total == 0 {
        return 0.0;
    }
    let same: usize = word_diff(&a, &b)
        .iter()
        .map(|p| match p {
            WordDiffPart::Same(s) => s.chars().filter(|c| !c.is_whitespace()).count(),
            _ => 0,
        })
        .sum();
    (2 * same) as f64 / total as f64
}

/// The words of a text (runs of letters and digits, case folded) with their
/// counts: the cheap measure that rules out pairs before the word diff.
fn bag(text: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *out.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    out
}

/// The share of word characters two bags have in common: never (much)
/// below what [`similarity`] gives, so a pair under the threshold here
/// need not be diffed.
fn bag_overlap(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> f64 {
    let size = |m: &HashMap<String, usize>| -> usize {
        m.iter().map(|(w, n)| w.chars().count() * n).sum()
    };
    let total = size(a) + size(b);
    if total == 0 {
        return 0.0;
    }
    let common: usize = a
        .iter()
        .filter_map(|(w, n)| b.get(w).map(|m| w.chars().count() * n.min(m)))
        .sum();
    (2 * common) as f64 / total as f64
}

/// One clause of the old version paired with one of the new.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Indexes into the old and the new clauses.
    pub old: usize,
    pub new: usize,
    /// 1 when the texts are the same.
    pub similarity: f64,
    pub moved: bool,
}

/// The pairs of `old` and `new` clauses (each in document order), matched as
/// the module explains. `old_lineage`/`new_lineage` are the versions' id
/// prefixes; `hints` maps an old clause id to wordings proposed for it.
pub fn match_clauses(
    old: &[Clause],
    old_lineage: &str,
    new: &[Clause],
    new_lineage: &str,
    hints: &HashMap<String, Vec<String>>,
) -> Vec<Pair> {
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    let mut pairs = Vec::new();

    // 1. Stable ids.
    let stem = |id: &str, lineage: &str| {
        id.strip_prefix(lineage)
            .and_then(|s| s.strip_prefix('-'))
            .map(str::to_string)
    };
    let by_stem: HashMap<String, usize> = old
        .iter()
        .enumerate()
        .filter_map(|(i, c)| stem(&c.id, old_lineage).map(|s| (s, i)))
        .collect();
    for (j, c) in new.iter().enumerate() {
        if let Some(&i) = stem(&c.id, new_lineage).and_then(|s| by_stem.get(&s))
            && !old_used[i]
            && normalise(&old[i].text) == normalise(&c.text)
        {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((i, j, 1.0));
        }
    }

    // 2. Same text.
    let mut by_text: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in old.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
        by_text.entry(normalise(&c.text)).or_default().push(i);
    }
    for (j, c) in new.iter().enumerate() {
        if new_used[j] {
            continue;
        }
        if let Some(list) = by_text.get_mut(&normalise(&c.text))
            && !list.is_empty()
        {
            let i = list.remove(0);
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((i, j, 1.0));
        }
    }

    // 3. Similarity.
    let mut scored: Vec<(f64, u8, usize, usize)> = Vec::new();
    let new_bags: Vec<Option<HashMap<String, usize>>> = new
        .iter()
        .enumerate()
        .map(|(j, n)| (!new_used[j]).then(|| bag(&n.text)))
        .collect();
    // Leaves room for punctuation, which the bags leave out.
    let worth = |a: &HashMap<String, usize>, b: &HashMap<String, usize>| {
        bag_overlap(a, b) >= MATCH_THRESHOLD - 0.1
    };
    for (i, o) in old.iter().enumerate().filter(|(i, _)| !old_used[*i]) {
        let proposals = hints.get(&o.id);
        let old_bag = bag(&o.text);
        let proposal_bags: Vec<(&String, HashMap<String, usize>)> = proposals
            .map(|ps| ps.iter().map(|p| (p, bag(p))).collect())
            .unwrap_or_default();
        for (j, n) in new.iter().enumerate().filter(|(j, _)| !new_used[*j]) {
            let Some(new_bag) = &new_bags[j] else {
                continue;
            };
            let mut score = 0.0_f64;
            if worth(&old_bag, new_bag) {
                score = similarity(&o.text, &n.text);
            }
            for (p, pb) in &proposal_bags {
                if worth(pb, new_bag) {
                    score = score.max(similarity(p, &n.text));
                }
            }
            if score >= MATCH_THRESHOLD {
                // A tie goes to the pair whose number, then section, agrees.
                let agree = u8::from(!o.number.is_empty() && o.number == n.number)
                    + u8::from(o.section_id.is_some() && o.label_section() == n.label_section());
                scored.push((score, agree, i, j));
            }
        }
    }
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    for (score, _, i, j) in scored {
        if !old_used[i] && !new_used[j] {
            old_used[i] = true;
            new_used[j] = true;
            pairs.push((i, j, score));
        }
    }

    // Moved: not on the longest run that keeps its order.
    pairs.sort_by_key(|p| p.0);
    let keep = longest_increasing(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    pairs
        .iter()
        .enumerate()
        .map(|(k, &(old, new, similarity))| Pair {
            old,
            new,
            similarity,
            moved: !keep[k],
        })
        .collect()
}

/// Marks the members of one longest strictly increasing subsequence.
fn longest_increasing(v: &[usize]) -> Vec<bool> {
    let n = v.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if v[j] < v[i] && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let mut keep = vec![false; n];
    let Some(mut at) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) else {
        return keep;
    };
    loop {
        keep[at] = true;
        if prev[at] == usize::MAX {
            break;
        }
        at = prev[at];
    }
    keep
}

trait LabelSection {
    fn label_section(&self) -> &str;
}

impl LabelSection for Clause {
    /// The section part of the label (`Ekonomi och ledning` of `Ekonomi och ledning › p. 2`).
    fn label_section(&self) -> &str {
        self.label.rsplit_once(" › ").map(|(s, _)| s).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kryphal_domain::ClauseKind;

    fn clause(lineage: &str, n: usize, number: &str, text: &str) -> Clause {
        Clause {
            id: format!("{lineage}-{:08x}", text.len() * 7919 + text.chars().count()),
            section_id: Some("s".into()),
            number: number.into(),
            label: format!("Avsnitt › p. {number}"),
            kind: ClauseKind::Numbered,
            text: text.into(),
            position: n as u32,
        }
    }

    #[test]
    fn similarity_is_one_for_the_same_text_and_low_for_unrelated_text() {
        assert_eq!(similarity("Ett  två tre", "ett två tre"), 1.0);
        assert!(similarity("Nämnden fattar beslut", "Kunden väljer leverantör fritt") < 0.3);
        let s = similarity(
            "Leverantören ska inom skälig tid anmäla ändringar till nämnden.",
            "Leverantören ska inom två veckor anmäla ändringar till nämnden.",
        );
        assert!(s > 0.7 && s < 1.0, "{s}");
    }

    #[test]
    fn renumbered_changed_removed_added_and_moved_clauses_are_told_apart() {
        let old = vec![
            clause("a", 0, "1", "Första punkten gäller alla leverantörer."),
            clause(
                "a",
                1,
                "2",
                "Andra punkten tas bort helt i den nya versionen.",
            ),
            clause(
                "a",
                2,
                "3",
                "Tredje punkten ska lämnas inom skälig tid till nämnden.",
            ),
            clause("a", 3, "4", "Fjärde punkten flyttas sist i dokumentet."),
            clause("a", 4, "5", "Femte punkten står kvar men får nytt nummer."),
        ];
        let new = vec![
            clause("b", 0, "1", "Första punkten gäller alla leverantörer."),
            clause(
                "b",
                1,
                "2",
                "En helt ny punkt om ansvarsförsäkring för leverantören.",
            ),
            clause(
                "b",
                2,
                "3",
                "Tredje punkten ska lämnas inom en månad till nämnden.",
            ),
            clause("b", 3, "4", "Femte punkten står kvar men får nytt nummer."),
            clause("b", 4, "5", "Fjärde punkten flyttas sist i dokumentet."),
        ];
        let pairs = match_clauses(&old, "a", &new, "b", &HashMap::new());
        let find = |o: usize| pairs.iter().find(|p| p.old == o);
        assert_eq!(find(0).map(|p| (p.new, p.moved)), Some((0, false)));
        assert!(
            find(1).is_none(),
            "removed clause must not match: {pairs:?}"
        );
        let changed = find(2).unwrap();
        assert_eq!(changed.new, 2);
        assert!(changed.similarity < 1.0 && changed.similarity >= MATCH_THRESHOLD);
        assert_eq!(find(4).map(|p| (p.new, p.similarity)), Some((3, 1.0)));
        let moved: Vec<usize> = pairs.iter().filter(|p| p.moved).map(|p| p.old).collect();
        assert_eq!(moved.len(), 1, "{pairs:?}");
        assert!(moved[0] == 3 || moved[0] == 4);
        assert!(
            !pairs.iter().any(|p| p.new == 1),
            "added clause must not match"
        );
    }

    #[test]
    fn a_clause_rewritten_as_proposed_is_found_through_the_proposal() {
        let old = vec![clause(
            "a",
            0,
            "1",
            "Utdraget får vara högst ett år gammalt.",
        )];
        let proposal = "Utdrag ur belastningsregistret ska begäras in varje år och får då vara högst tre månader gamla; kommunen kontrollerar dem själv.";
        let new = vec![clause("b", 0, "1", proposal)];
        assert!(match_clauses(&old, "a", &new, "b", &HashMap::new()).is_empty());
        let hints = HashMap::from([(old[0].id.clone(), vec![proposal.to_string()])]);
        assert_eq!(match_clauses(&old, "a", &new, "b", &hints).len(), 1);
    }
}
