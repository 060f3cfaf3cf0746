//! What a word is to the search: its lemmas from the lexicon, and, for a
//! compound, its parts.
//!
//! - A word the lexicon knows (`kostnaderna`) is its lemma(s) (`kostnad`);
//!   an ambiguous form is all of its lemmas (`stöd`: `stöd`, `stöda`).
//! - A compound is split by the lexicon (Hunspell's compounding: a first
//!   part that may begin a compound, in its linking form — `sjöfarts`,
//!   `skade`, `gåvo` —, middle parts, and a last part, the *head*, that may
//!   end one): `sjöfartsstöd` = `sjöfart` + `stöd`, `hemtjänstutförare` =
//!   `hemtjänst` + `utförare`. The longest head wins, then the fewest parts.
//!   Every part has at least [`MIN_PART_CHARS`] letters, so a known word is
//!   not cut into short words it happens to contain: `kontor` is not
//!   `kon` + `tor`, `bilaga` is not `bil` + `aga` (`aga` may not end a
//!   compound, `kon` may not begin one). A known word that splits keeps its
//!   own lemma (`biltvätt`) and gets its parts (`bil`, `tvätt`); an unknown
//!   one (`hemtjänstutförarna`) is keyed by its first parts as written and
//!   its head's lemma (`hemtjänstutförare`), so that its inflections meet.
//! - A word the lexicon cannot read at all (a name, a code) falls back to
//!   the Snowball stemmer.
//!
//! Analyses are cached per word (process-wide, bounded), so indexing and
//! snippets pay for each distinct word once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};

use crate::lexicon::{self, Lexicon, Map, ROLE_BEGIN, ROLE_END, ROLE_MIDDLE, ROLE_WORD, fold};

/// Every part of a compound has at least this many characters.
pub(crate) const MIN_PART_CHARS: usize = 3;
/// Words shorter than this are never split.
const MIN_COMPOUND_CHARS: usize = 2 * MIN_PART_CHARS;
/// At most this many analyses are cached; then the cache starts over.
const CACHE_LIMIT: usize = 400_000;

/// One part of a compound: its lemmas and where it is in the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub lemmas: Vec<String>,
    /// Byte range in the (lower-cased) word.
    pub start: usize,
    pub end: usize,
}

/// How the word was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The lexicon knows the word.
    Known,
    /// The lexicon knows its parts: an unlisted compound.
    Compound,
    /// Neither: stemmed.
    Unknown,
}

/// A word as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// Keys of the whole word (see the module docs).
    pub keys: Vec<String>,
    /// A compound's head lemmas (empty for a word that does not split).
    pub heads: Vec<String>,
    /// The parts in order; one part, the whole word, when it does not split.
    pub parts: Vec<Piece>,
    pub kind: Kind,
}

impl Word {
    pub fn is_compound(&self) -> bool {
        self.parts.len() > 1
    }

    /// The same analysis ASCII-folded (for the folded fields).
    pub fn folded(&self) -> Word {
        let f = |v: &[String]| unique(v.iter().map(|s| fold(s)).collect());
        Word {
            keys: f(&self.keys),
            heads: f(&self.heads),
            parts: self
                .parts
                .iter()
                .map(|p| Piece {
                    lemmas: f(&p.lemmas),
                    start: p.start,
                    end: p.end,
                })
                .collect(),
            kind: self.kind,
        }
    }
}

fn unique(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

fn lemmas_with(readings: &[lexicon::Reading], roles: u8) -> Vec<String> {
    unique(
        readings
            .iter()
            .filter(|r| r.roles & roles != 0)
            .map(|r| r.lemma.clone())
            .collect(),
    )
}

/// Stems an unknown word (Snowball, Swedish).
pub(crate) fn stem(word: &str) -> String {
    thread_local! {
        static STEM: RefCell<TextAnalyzer> = RefCell::new(
            TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::Swedish))
                .build(),
        );
    }
    STEM.with(|s| {
        let mut s = s.borrow_mut();
        let mut stream = s.token_stream(word);
        match stream.next() {
            Some(t) => t.text.clone(),
            None => word.to_owned(),
        }
    })
}

/// Particles and prefixes that a listed word begins with far more often as a
/// derivation than as a compound (`förändra`, `överföra`, `genomföra`,
/// `utanordning`, `tillgång`): a known word is never split after one.
const PARTICLES: &[&str] = &[
    "an", "av", "be", "bort", "efter", "er", "fram", "för", "före", "genom", "in", "kring", "med",
    "miss", "mot", "om", "på", "sam", "till", "under", "upp", "ur", "ut", "utan", "åter", "över",
];

/// The roles of a fallback first part that ends in a linking `s`.
const LINKED: u8 = 0x80;

/// A part found in a word: where, its lemmas, and whether the lexicon's
/// compounding flags allow it (strict) or only the fallback does.
#[derive(Debug, Clone)]
struct Found {
    end: usize,
    lemmas: Vec<String>,
    /// Roles the lexicon gives it (0 for a fallback part).
    roles: u8,
}

/// Endings a known word split by the fallback must share with its head:
/// every one of these the word takes, the head takes too (`kostpolicy`,
/// `policy`: `-n`, `-er`; `mutbrott`, `brott`: `-et`, `-en`; not
/// `handling`, `ling`: `handlingen` but no `lingen`).
const PARADIGM: [&str; 9] = ["en", "et", "n", "t", "er", "ar", "or", "na", "s"];

fn inflects_like(lex: &Lexicon, map: Map, whole: &str, head: &str) -> bool {
    let mut any = false;
    for e in PARADIGM {
        if lex.is_word(map, &format!("{whole}{e}")) {
            if !lex.is_word(map, &format!("{head}{e}")) {
                return false;
            }
            any = true;
        }
    }
    any
}

/// The words a compound-only form (`löne`, `kyrko`, `skol`) is made from:
/// without its linking letter, with `a` for its last vowel, or with `a`/`e`
/// added, when that is a lemma; failing those, its linking `s` for an `e`
/// (`arbets` for `arbete`).
fn linked_words(lex: &Lexicon, map: Map, form: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut candidates: Vec<String> = Vec::new();
    if let Some(bare) = form.strip_suffix(['s', 'e', 'a', 'o', 'u']) {
        candidates.push(bare.to_owned());
        if form.ends_with(['o', 'e', 'u']) {
            candidates.push(format!("{bare}a"));
        }
    }
    candidates.push(format!("{form}a"));
    candidates.push(format!("{form}e"));
    for c in candidates {
        if c.chars().count() >= MIN_PART_CHARS && lex.is_lemma(map, &c) {
            out.push(c);
        }
    }
    if out.is_empty() {
        // `arbets` for `arbete`: the `-e` of a neuter gives way to the `s`.
        if let Some(bare) = form.strip_suffix('s') {
            let c = format!("{bare}e");
            if lex.is_lemma(map, &c) {
                out.push(c);
            }
        }
    }
    out
}

/// Splits `word` into parts (see the module docs): first by the lexicon's
/// compounding flags; when that fails, by a fallback that also accepts a
/// first part that is a lemma as it stands (`kost|policy`), with a linking
/// `-s` (`jävs|…`) or without its final vowel (`mut|brott`), and any word as
/// the head. The fallback needs longer first parts in a known word, and the
/// known word must inflect like its head. Returns the parts with their
/// lemmas; the last is the head.
fn split(lex: &Lexicon, map: Map, word: &str, known: &[String]) -> Option<Vec<Piece>> {
    let n = word.len();
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let chars = |a: usize, b: usize| word[a..b].chars().count();
    let min_relaxed = if known.is_empty() {
        MIN_PART_CHARS
    } else {
        MIN_PART_CHARS + 1
    };
    // Modifiers and heads by where they start.
    let mut mods: HashMap<usize, Vec<Found>> = HashMap::new();
    let mut heads: HashMap<usize, (Vec<String>, Vec<String>)> = HashMap::new();
    let mut readings = Vec::new();
    for &j in &bounds {
        lex.prefixes(map, word, j, |end, set, extra| {
            let form = match extra {
                None => word[j..end].to_owned(),
                Some(v) => format!("{}{}", &word[j..end], v as char),
            };
            readings.clear();
            lex.readings(&form, set, &mut readings);
            if extra.is_some() {
                // `mut` for `muta`: only as a fallback first part, of a
                // noun (`mutan`; not `rap` for the verb `rapa`).
                if end < n
                    && chars(j, end) >= MIN_PART_CHARS
                    && readings
                        .iter()
                        .any(|r| r.roles & ROLE_WORD != 0 && r.lemma == form)
                    && lex.is_word(map, &format!("{form}n"))
                {
                    mods.entry(j).or_default().push(Found {
                        end,
                        lemmas: vec![form],
                        roles: 0,
                    });
                }
                return;
            }
            if chars(j, end) < MIN_PART_CHARS {
                return;
            }
            if end == n {
                heads.insert(
                    j,
                    (
                        lemmas_with(&readings, ROLE_END),
                        lemmas_with(&readings, ROLE_WORD),
                    ),
                );
                return;
            }
            let roles = readings.iter().fold(0, |a, r| a | r.roles);
            if roles & (ROLE_BEGIN | ROLE_MIDDLE) != 0 {
                let mut lemmas = lemmas_with(&readings, 0xFF);
                if roles & ROLE_WORD == 0 {
                    // A form made only for compounds stands for the word
                    // it is made from: `löne` for `lön`, `kyrko` for
                    // `kyrka`, `skol` for `skola`.
                    lemmas.extend(linked_words(lex, map, &form));
                    lemmas = unique(lemmas);
                }
                mods.entry(j)
                    .or_default()
                    .push(Found { end, lemmas, roles });
            } else if chars(j, end) >= min_relaxed
                && readings
                    .iter()
                    .any(|r| r.roles & ROLE_WORD != 0 && r.lemma == form)
            {
                let list = mods.entry(j).or_default();
                list.push(Found {
                    end,
                    lemmas: vec![form.clone()],
                    roles: 0,
                });
                if word[end..].starts_with('s') && end + 1 < n {
                    // A word with a linking `s` is as good a first part as
                    // the lexicon's own (`folkbokförings|ort`).
                    list.push(Found {
                        end: end + 1,
                        lemmas: vec![form],
                        roles: LINKED,
                    });
                }
            }
        });
    }
    for strict in [true, false] {
        // cost[j]: fewest parts covering word[..j], and the last of them.
        let mut cost: HashMap<usize, (usize, usize, usize)> = HashMap::new();
        cost.insert(0, (0, 0, 0));
        for &j in &bounds {
            let Some(&(c, _, _)) = cost.get(&j) else {
                continue;
            };
            let allowed = if j == 0 {
                ROLE_BEGIN
            } else {
                ROLE_BEGIN | ROLE_MIDDLE
            };
            for (k, m) in mods.get(&j).into_iter().flatten().enumerate() {
                let fallback = m.roles == 0 || m.roles == LINKED;
                let ok = m.roles & allowed != 0 || (!strict && fallback);
                if ok && cost.get(&m.end).is_none_or(|&(old, _, _)| c + 1 < old) {
                    cost.insert(m.end, (c + 1, j, k));
                }
            }
        }
        // The longest head: the first start, after some first part, whose
        // rest of the word may end a compound.
        for &i in &bounds[1..] {
            if cost.get(&i).is_none_or(|&(c, _, _)| c == 0) {
                continue;
            }
            let Some((strict_lemmas, word_lemmas)) = heads.get(&i) else {
                continue;
            };
            let lemmas = if strict || !strict_lemmas.is_empty() {
                strict_lemmas.clone()
            } else {
                word_lemmas.clone()
            };
            if lemmas.is_empty() {
                continue;
            }
            // A linking `s` belongs to the first part: `folkbokförings|ort`,
            // not `folkbokföring|sort`.
            if word[i..].starts_with('s') && word[i + 1..].chars().count() >= MIN_PART_CHARS {
                let next = heads
                    .get(&(i + 1))
                    .is_some_and(|(s, w)| if strict { !s.is_empty() } else { !w.is_empty() });
                if next && cost.contains_key(&(i + 1)) {
                    continue;
                }
            }
            let head_strict = !strict_lemmas.is_empty();
            let head_chars = word[i..].chars().count();
            let mut parts = vec![Piece {
                lemmas,
                start: i,
                end: n,
            }];
            let mut all_strict = true;
            let mut shortest = usize::MAX;
            let mut at = i;
            while at > 0 {
                let (_, from, k) = cost[&at];
                let m = &mods[&from][k];
                all_strict &= m.roles != 0; // LINKED counts
                shortest = shortest.min(chars(from, at));
                parts.push(Piece {
                    lemmas: m.lemmas.clone(),
                    start: from,
                    end: at,
                });
                at = from;
            }
            if !known.is_empty() {
                // A listed word: not after a particle, a short first part
                // only if the lexicon lets that word begin compounds
                // (`bil|tvätt`; not `kon|sekvens` from `kona`), and the word
                // inflects like its head.
                let first = &parts[parts.len() - 1];
                let first_form = &word[first.start..first.end];
                if PARTICLES.contains(&first_form) {
                    continue;
                }
                let short = parts[1..]
                    .iter()
                    .any(|p| chars(p.start, p.end) <= MIN_PART_CHARS);
                let short_ok = parts[1..].iter().all(|p| {
                    let form = &word[p.start..p.end];
                    let readings = lex.lookup(map, form);
                    chars(p.start, p.end) > MIN_PART_CHARS
                        // a noun without its final vowel, unknown to the
                        // lexicon as a part (`mut` of `muta`; not `kon`,
                        // the lexicon's part of `kona`)
                        || (readings.iter().all(|r| r.roles & (ROLE_BEGIN | ROLE_MIDDLE) == 0)
                            && p.lemmas.iter().all(|l| l.chars().count() > MIN_PART_CHARS && l != form))
                        || readings.iter().any(|r| {
                            r.roles & (ROLE_WORD | ROLE_BEGIN) == ROLE_WORD | ROLE_BEGIN
                                && r.lemma == form
                        })
                });
                if short && !short_ok {
                    continue;
                }
                // (The lemma may be an irregular form itself, `nämndledamöter`:
                // then the word's and the head's forms are compared.)
                let head_form = &word[i..];
                let like = known.iter().any(|k| {
                    parts[0]
                        .lemmas
                        .iter()
                        .any(|h| k.ends_with(h.as_str()) && inflects_like(lex, map, k, h))
                }) || (!known
                    .iter()
                    .any(|k| parts[0].lemmas.iter().any(|h| k.ends_with(h.as_str())))
                    && inflects_like(lex, map, word, head_form));
                if !like {
                    continue;
                }
            }
            // The fallback never stands alone: either the head or the first
            // parts are the lexicon's (`kost|policy`, `födelse|ort`; not
            // `rapp|ort`).
            if !head_strict && !all_strict {
                continue;
            }
            // A head the lexicon does not mark follows only long first
            // parts in a known word (`födelse|ort`; not `bil|aga`).
            if !head_strict && !known.is_empty() && shortest.min(head_chars + 1) <= MIN_PART_CHARS {
                continue;
            }
            parts.reverse();
            return Some(parts);
        }
    }
    None
}

fn compute(word: &str, map: Map) -> Word {
    let lex = Lexicon::get();
    let readings = lex.lookup(map, word);
    let keys = lemmas_with(&readings, ROLE_WORD);
    let parts = if word.chars().count() >= MIN_COMPOUND_CHARS {
        split(lex, map, word, &keys)
    } else {
        None
    };
    let Some(parts) = parts else {
        let (keys, kind) = if keys.is_empty() {
            let stem = match map {
                Map::Exact => stem(word),
                Map::Folded => fold(&stem(word)),
            };
            (vec![stem], Kind::Unknown)
        } else {
            (keys, Kind::Known)
        };
        return Word {
            keys: keys.clone(),
            heads: Vec::new(),
            parts: vec![Piece {
                lemmas: keys,
                start: 0,
                end: word.len(),
            }],
            kind,
        };
    };
    // Parts that are compounds themselves are split too (`belastnings` +
    // `registerutdrag` is also `register` + `utdrag`), and the head of the
    // head is a head as well.
    let mut flat: Vec<Piece> = Vec::with_capacity(parts.len() + 2);
    let mut heads = parts[parts.len() - 1].lemmas.clone();
    for (k, p) in parts.iter().enumerate() {
        let form = &word[p.start..p.end];
        let inner = if form.chars().count() >= MIN_COMPOUND_CHARS && form != word {
            Some(analyse(form, map)).filter(|w| w.is_compound())
        } else {
            None
        };
        match inner {
            Some(w) => {
                if k == parts.len() - 1 {
                    heads.extend(w.heads.iter().cloned());
                }
                flat.extend(w.parts.iter().map(|q| Piece {
                    lemmas: q.lemmas.clone(),
                    start: p.start + q.start,
                    end: p.start + q.end,
                }));
            }
            None => flat.push(p.clone()),
        }
    }
    let heads = unique(heads);
    let head = parts[parts.len() - 1].clone();
    let top_heads = head.lemmas.clone();
    let parts = flat;
    if keys.is_empty() {
        let first = &word[..head.start];
        Word {
            keys: unique(top_heads.iter().map(|h| format!("{first}{h}")).collect()),
            heads,
            parts,
            kind: Kind::Compound,
        }
    } else {
        Word {
            keys,
            heads,
            parts,
            kind: Kind::Known,
        }
    }
}

/// A word of a text as the index reads it: as written and ASCII-folded.
#[derive(Debug)]
pub(crate) struct Reading {
    pub word: Arc<Word>,
    pub folded: Arc<Word>,
}

#[derive(Default)]
struct Cache {
    /// Words of texts: both readings.
    text: HashMap<String, Arc<Reading>>,
    /// Typed words read folded (`gavor`).
    folded: HashMap<String, Arc<Word>>,
}

fn cache() -> std::sync::MutexGuard<'static, Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// How the index reads a lower-case word of a text (cached: a small cache
/// per thread in front of the shared one, so indexing takes no lock for
/// the words it meets again and again).
pub(crate) fn read(word: &str) -> Arc<Reading> {
    thread_local! {
        static RECENT: std::cell::RefCell<HashMap<String, Arc<Reading>, Fnv>> =
            std::cell::RefCell::new(HashMap::default());
    }
    if let Some(r) = RECENT.with(|c| c.borrow().get(word).cloned()) {
        return r;
    }
    let r = read_shared(word);
    RECENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= RECENT_LIMIT {
            c.clear();
        }
        c.insert(word.to_owned(), Arc::clone(&r));
    });
    r
}

/// FNV-1a: a fast hash for the short keys (words) of the per-thread cache.
#[derive(Default, Clone, Copy)]
struct Fnv;

struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// At most this many words are kept per thread.
const RECENT_LIMIT: usize = 50_000;

fn read_shared(word: &str) -> Arc<Reading> {
    if let Some(r) = cache().text.get(word) {
        return Arc::clone(r);
    }
    let w = compute(word, Map::Exact);
    let folded = w.folded();
    let r = Arc::new(Reading {
        word: Arc::new(w),
        folded: Arc::new(folded),
    });
    let mut c = cache();
    if c.text.len() >= CACHE_LIMIT {
        c.text.clear();
    }
    c.text.insert(word.to_owned(), Arc::clone(&r));
    r
}

/// The analysis of a lower-case word, read in `map` (cached).
pub(crate) fn analyse(word: &str, map: Map) -> Arc<Word> {
    match map {
        Map::Exact => Arc::clone(&read(word).word),
        Map::Folded => {
            if let Some(w) = cache().folded.get(word) {
                return Arc::clone(w);
            }
            let w = Arc::new(compute(word, Map::Folded));
            let mut c = cache();
            if c.folded.len() >= CACHE_LIMIT {
                c.folded.clear();
            }
            c.folded.insert(word.to_owned(), Arc::clone(&w));
            w
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(word: &str) -> Vec<String> {
        let w = analyse(word, Map::Exact);
        w.parts
            .iter()
            .map(|p| word[p.start..p.end].to_owned())
            .collect()
    }

    #[test]
    fn known_words_are_their_lemmas() {
        for (form, lemma) in [
            ("kostnad", "kostnad"),
            ("kostnader", "kostnad"),
            ("kostnaden", "kostnad"),
            ("gåvan", "gåva"),
            ("ledamöterna", "ledamot"),
            ("anhöriga", "anhörig"),
            // Passives listed as entries of their own.
            ("avgörs", "avgöra"),
            ("utgörs", "utgöra"),
            ("bedömas", "bedöma"),
        ] {
            let w = analyse(form, Map::Exact);
            assert!(w.keys.contains(&lemma.to_owned()), "{form}: {w:?}");
        }
    }

    #[test]
    fn compounds_split_into_their_parts() {
        // `sjöfart` is a compound itself: its parts are parts too.
        assert_eq!(parts("sjöfartsstöd"), ["sjö", "farts", "stöd"]);
        assert_eq!(parts("rederistöd"), ["rederi", "stöd"]);
        assert_eq!(parts("hemtjänstutförare"), ["hem", "tjänst", "utförare"]);
        assert_eq!(parts("anhöriganställning"), ["anhörig", "anställning"]);
        assert_eq!(parts("folkbokföringsort"), ["folk", "bokförings", "ort"]);
        assert_eq!(parts("kostpolicyn"), ["kost", "policyn"]);
        assert_eq!(parts("mutbrott"), ["mut", "brott"]);
        // A part that is a compound itself is split too.
        assert_eq!(
            parts("belastningsregisterutdrag"),
            ["belastnings", "register", "utdrag"]
        );
        let w = analyse("belastningsregisterutdrag", Map::Exact);
        assert_eq!(w.heads, ["registerutdrag", "utdrag"]);
        let w = analyse("hemtjänstutförarna", Map::Exact);
        assert_eq!(w.kind, Kind::Compound);
        assert_eq!(w.keys, ["hemtjänstutförare"]);
        assert_eq!(w.heads, ["utförare"]);
        let w = analyse("sjöfartsstöd", Map::Exact);
        assert_eq!(w.parts[1].lemmas, ["fart"]);
        assert_eq!(w.heads, ["stöd"]);
        // A form made only for compounds stands for its noun, not for a
        // verb's passive: `arbets` is `arbete`.
        let w = analyse("arbetsmiljöfrågorna", Map::Exact);
        assert!(w.parts[0].lemmas.contains(&"arbete".to_owned()), "{w:?}");
        assert!(!w.parts[0].lemmas.contains(&"arbeta".to_owned()), "{w:?}");
    }

    #[test]
    fn known_words_are_not_cut_into_short_words() {
        for word in [
            "kontor",
            "bilaga",
            "konto",
            "transport",
            "rapport",
            "utbildning",
            "kostnad",
            "handling",
        ] {
            let p = parts(word);
            assert!(
                !p.iter()
                    .any(|x| ["ort", "bil", "kon", "nad", "aga", "ling"].contains(&x.as_str())),
                "{word}: {p:?}"
            );
        }
    }

    #[test]
    fn unknown_words_are_stemmed() {
        let w = analyse("xyzzyverket", Map::Exact);
        assert_eq!(w.kind, Kind::Unknown);
        assert_eq!(w.keys, [stem("xyzzyverket")]);
    }

    #[test]
    fn folded_reading_of_words_typed_without_diacritics() {
        let w = analyse("gavorna", Map::Folded);
        assert_eq!(w.keys, ["gava"]);
        let w = analyse("forsakringskassan", Map::Folded);
        assert!(w.keys.contains(&"forsakringskassa".to_owned()), "{w:?}");
    }
}
