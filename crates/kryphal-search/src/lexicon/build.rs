//! Compiling a Hunspell dictionary (`.aff` + `.dic`) into the lexicon file
//! ([`super::Lexicon`]). Used by `scripts/gen-lexicon.sh` (through the
//! `build_lexicon` example), never at run time.
//!
//! Every entry of the `.dic` is expanded with the suffix rules its flags
//! name (the Swedish dictionary has no prefixes and no two-level suffixes);
//! each resulting form is recorded with its lemma (the entry's word) and its
//! *roles*: a word of its own, the first, a middle or the last part of a
//! compound (Hunspell's `COMPOUNDBEGIN`/`COMPOUNDMIDDLE`/`COMPOUNDEND`
//! flags, and the linking forms — `sjöfarts`, `skade`, `gåvo` — that
//! suffixes with `COMPOUNDPERMITFLAG` make). Entries marked forbidden are
//! left out.
//!
//! The dictionary lists some irregular plurals as entries of their own
//! (`ledamöter`, `böcker`, `män`): an entry that reads as an umlaut plural
//! of another noun entry (`ledamöter` = `ledamot` with ö for o and `-er`),
//! and that has no singular forms itself, is given that noun as its lemma,
//! so that `ledamot` and `ledamöterna` meet.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::{FORMAT_MAGIC, ROLE_BEGIN, ROLE_END, ROLE_MIDDLE, ROLE_WORD, fold};

/// One character class of an affix condition.
#[derive(Debug, Clone)]
enum Class {
    Any,
    Set { negated: bool, chars: Vec<char> },
}

impl Class {
    fn matches(&self, c: char) -> bool {
        match self {
            Class::Any => true,
            Class::Set { negated, chars } => chars.contains(&c) != *negated,
        }
    }
}

fn parse_condition(s: &str) -> Vec<Class> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => out.push(Class::Any),
            '[' => {
                let mut negated = false;
                let mut set = Vec::new();
                for c in chars.by_ref() {
                    match c {
                        ']' => break,
                        '^' if set.is_empty() && !negated => negated = true,
                        c => set.push(c),
                    }
                }
                out.push(Class::Set {
                    negated,
                    chars: set,
                });
            }
            c => out.push(Class::Set {
                negated: false,
                chars: vec![c],
            }),
        }
    }
    out
}

/// A suffix rule: strip `strip` from the end (when the word ends as
/// `condition` says), append `add`; the result carries `flags`.
#[derive(Debug, Clone)]
struct Suffix {
    strip: String,
    add: String,
    flags: Vec<char>,
    condition: Vec<Class>,
}

impl Suffix {
    fn apply(&self, word: &str) -> Option<String> {
        let chars: Vec<char> = word.chars().collect();
        if self.condition.len() > chars.len() || !word.ends_with(&self.strip) {
            return None;
        }
        let tail = &chars[chars.len() - self.condition.len()..];
        if !self.condition.iter().zip(tail).all(|(k, c)| k.matches(*c)) {
            return None;
        }
        let stem = &word[..word.len() - self.strip.len()];
        Some(format!("{stem}{}", self.add))
    }
}

/// The parts of an `.aff` file the expansion needs.
#[derive(Debug, Default)]
pub struct Affixes {
    suffixes: HashMap<char, Vec<Suffix>>,
    begin: Option<char>,
    middle: Option<char>,
    end: Option<char>,
    only_in_compound: Option<char>,
    permit: Option<char>,
    forbidden: Option<char>,
    need_affix: Option<char>,
}

fn flag(value: Option<&str>) -> Option<char> {
    value.and_then(|v| v.chars().next())
}

impl Affixes {
    /// Reads an `.aff` file (UTF-8, one-character flags).
    pub fn parse(text: &str) -> Result<Affixes, String> {
        let mut a = Affixes::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("");
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.first().copied() {
                Some("COMPOUNDBEGIN") => a.begin = flag(f.get(1).copied()),
                Some("COMPOUNDMIDDLE") => a.middle = flag(f.get(1).copied()),
                Some("COMPOUNDEND") => a.end = flag(f.get(1).copied()),
                Some("ONLYINCOMPOUND") => a.only_in_compound = flag(f.get(1).copied()),
                Some("COMPOUNDPERMITFLAG") => a.permit = flag(f.get(1).copied()),
                Some("FORBIDDENWORD") => a.forbidden = flag(f.get(1).copied()),
                Some("NEEDAFFIX") => a.need_affix = flag(f.get(1).copied()),
                Some("PFX") if f.len() >= 5 => {
                    return Err(format!(
                        "line {}: prefixes are not supported (the Swedish dictionary has none)",
                        n + 1
                    ));
                }
                Some("SFX") if f.len() >= 5 => {
                    let Some(name) = flag(f.get(1).copied()) else {
                        continue;
                    };
                    let strip = if f[2] == "0" { "" } else { f[2] };
                    let (add, flags) = match f[3].split_once('/') {
                        Some((add, flags)) => (add, flags.chars().collect()),
                        None => (f[3], Vec::new()),
                    };
                    let add = if add == "0" { "" } else { add };
                    a.suffixes.entry(name).or_default().push(Suffix {
                        strip: strip.to_owned(),
                        add: add.to_owned(),
                        flags,
                        condition: parse_condition(f[4]),
                    });
                }
                _ => {}
            }
        }
        Ok(a)
    }
}

/// One entry of the `.dic` file.
#[derive(Debug, Clone)]
struct Entry {
    word: String,
    flags: Vec<char>,
    /// Written with a capital (a name): never linked to another entry.
    name: bool,
}

fn parse_dic(text: &str) -> Vec<Entry> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let line = line.trim_end();
            if line.is_empty() || line.contains(char::is_whitespace) {
                return None; // multi-word entries ("ad hoc") are never one token
            }
            let (word, flags) = line.split_once('/').unwrap_or((line, ""));
            Some(Entry {
                word: word.to_lowercase(),
                flags: flags.chars().collect(),
                name: word.chars().next().is_some_and(char::is_uppercase),
            })
        })
        .collect()
}

/// A form the tokenizer can produce: letters and digits only.
fn tokenizable(form: &str) -> bool {
    !form.is_empty() && form.chars().all(char::is_alphanumeric)
}

/// How a form reaches its lemma: strip this many characters, then append.
type Transform = (u8, String);

fn transform(form: &str, lemma: &str) -> Option<Transform> {
    let f: Vec<char> = form.chars().collect();
    let l: Vec<char> = lemma.chars().collect();
    let common = f.iter().zip(&l).take_while(|(a, b)| a == b).count();
    let strip = u8::try_from(f.len() - common).ok()?;
    Some((strip, l[common..].iter().collect()))
}

/// What a build produced, for the script's report.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub entries: usize,
    pub forms: usize,
    pub folded_forms: usize,
    pub lemmas: usize,
    pub transforms: usize,
    pub sets: usize,
    pub bytes: usize,
    /// Entries given another entry's lemma (`ledamöter → ledamot`,
    /// `anhöriga → anhörig`).
    pub linked: Vec<(String, String)>,
    /// Of those, adjectives' forms (`anhöriga`, `allmänt`).
    pub adjective_links: usize,
    /// Of those, verbs' passives (`avgörs`, `bedöm`).
    pub verb_links: usize,
    /// Siblings whose `-er` plurals also get a noun's lemma (`åtgärda` →
    /// `åtgärd`, `regla` → `regel`).
    pub syncopated: Vec<(String, String)>,
    /// `-ning`/`-ing` nouns whose forms also get an `-an` noun's lemma
    /// (`ansökning` → `ansökan`).
    pub verbal_nouns: Vec<(String, String)>,
}

/// The forms of every entry: form → lemma → roles.
type Forms = BTreeMap<String, BTreeMap<String, u8>>;

fn put(forms: &mut Forms, form: &str, lemma: &str, roles: u8) {
    if roles != 0 && tokenizable(form) {
        *forms
            .entry(form.to_owned())
            .or_default()
            .entry(lemma.to_owned())
            .or_default() |= roles;
    }
}

fn expand(
    affixes: &Affixes,
    entries: &[Entry],
    lemma_of: &HashMap<String, String>,
    extra: &HashMap<(String, char), String>,
    also: &HashMap<String, String>,
) -> Forms {
    let mut forms: Forms = BTreeMap::new();
    let has = |flags: &[char], f: Option<char>| f.is_some_and(|f| flags.contains(&f));
    for e in entries {
        if has(&e.flags, affixes.forbidden) {
            continue;
        }
        let lemma = lemma_of.get(&e.word).unwrap_or(&e.word);
        let second = also.get(&e.word);
        let end = if has(&e.flags, affixes.end) {
            ROLE_END
        } else {
            0
        };
        let mut bare = end;
        if !has(&e.flags, affixes.only_in_compound) && !has(&e.flags, affixes.need_affix) {
            bare |= ROLE_WORD;
        }
        if has(&e.flags, affixes.begin) {
            bare |= ROLE_BEGIN;
        }
        if has(&e.flags, affixes.middle) {
            bare |= ROLE_MIDDLE;
        }
        put(&mut forms, &e.word, lemma, bare);
        if let Some(l) = second {
            put(&mut forms, &e.word, l, bare);
        }
        for f in &e.flags {
            let Some(rules) = affixes.suffixes.get(f) else {
                continue;
            };
            let also = extra.get(&(e.word.clone(), *f));
            for rule in rules {
                let Some(form) = rule.apply(&e.word) else {
                    continue;
                };
                if let Some(other) = also {
                    put(&mut forms, &form, other, ROLE_WORD | end);
                }
                let mut roles = 0;
                let permit = has(&rule.flags, affixes.permit);
                if permit && has(&rule.flags, affixes.begin) {
                    roles |= ROLE_BEGIN;
                }
                if permit && has(&rule.flags, affixes.middle) {
                    roles |= ROLE_MIDDLE;
                }
                if !has(&rule.flags, affixes.only_in_compound) && roles == 0 {
                    // An inflected form: a word, and the end of a compound
                    // when its entry may end one.
                    roles |= ROLE_WORD | end;
                }
                put(&mut forms, &form, lemma, roles);
                if let Some(l) = second {
                    put(&mut forms, &form, l, roles);
                }
            }
        }
    }
    forms
}

/// Irregular plurals listed as entries of their own: `ledamöter` (no
/// singular forms of its own, a definite plural `ledamöterna`) is `ledamot`
/// with the last vowel umlauted and `-er` added; likewise `böcker`/`bok`,
/// `städer`/`stad`, `män`/`man`. The singular must be a noun entry without
/// a regular plural of its own (`bock` has `bockar`, so `böcker` is `bok`)
/// that may end a compound (an ordinary noun: `grand` may not, so `gränder`
/// is `gränd`: a singular that has the umlaut itself is tried after the
/// umlauted candidates).
fn link_irregular_plurals(affixes: &Affixes, entries: &[Entry]) -> HashMap<String, String> {
    let forms_of = |e: &Entry| -> Vec<String> {
        e.flags
            .iter()
            .filter_map(|f| affixes.suffixes.get(f))
            .flatten()
            .filter(|r| {
                !affixes
                    .only_in_compound
                    .is_some_and(|z| r.flags.contains(&z))
            })
            .filter_map(|r| r.apply(&e.word))
            .collect()
    };
    let forbidden = |e: &Entry| affixes.forbidden.is_some_and(|f| e.flags.contains(&f));
    // Singular nouns without a regular plural: a definite singular form
    // (-en, -et, -n, -t) and no form in -ar, -er, -or.
    let mut bases: HashMap<&str, bool> = HashMap::new();
    for e in entries.iter().filter(|e| !forbidden(e)) {
        let forms = forms_of(e);
        let rest = |f: &String| f.strip_prefix(e.word.as_str()).map(str::to_owned);
        let singular = forms
            .iter()
            .filter_map(rest)
            .any(|r| ["en", "et", "n", "t", "nen", "net", "men", "met"].contains(&r.as_str()));
        let plural = forms
            .iter()
            .any(|f| f != &e.word && (f.ends_with("ar") || f.ends_with("er") || f.ends_with("or")));
        let noun = affixes.end.is_some_and(|y| e.flags.contains(&y));
        let ok = singular && !plural && noun;
        // A homograph with a plural spoils it.
        let slot = bases.entry(e.word.as_str()).or_insert(ok);
        *slot &= ok;
    }
    let mut links = HashMap::new();
    for e in entries.iter().filter(|e| !forbidden(e)) {
        if affixes
            .only_in_compound
            .is_some_and(|z| e.flags.contains(&z))
        {
            continue;
        }
        let w = &e.word;
        let forms = forms_of(e);
        let (stems, definite): (Vec<String>, String) = if let Some(s) = w.strip_suffix("er") {
            let mut stems = vec![s.to_owned()];
            // gemination after a short vowel: böck-er → bok, fött-er → fot
            for (double, single) in [("ck", "k"), ("tt", "t"), ("dd", "d"), ("nn", "n")] {
                if let Some(t) = s.strip_suffix(double) {
                    stems.insert(0, format!("{t}{single}"));
                }
            }
            (stems, format!("{w}na"))
        } else if w.ends_with("män") {
            (vec![w.clone()], format!("{w}nen"))
        } else {
            continue;
        };
        // A plural of its own: its definite plural, and no singular forms.
        if !forms.contains(&definite)
            || forms
                .iter()
                .any(|f| f != &definite && (f.ends_with("en") || f.ends_with("et")))
        {
            continue;
        }
        let mut candidates: Vec<String> = Vec::new();
        for stem in &stems {
            let chars: Vec<char> = stem.chars().collect();
            let Some(i) = chars.iter().rposition(|c| matches!(c, 'ä' | 'ö')) else {
                continue;
            };
            // The umlaut must be in the last syllable.
            if chars[i + 1..].iter().any(|c| "aeiouyåäö".contains(*c)) {
                continue;
            }
            let backs: &[char] = if chars[i] == 'ö' {
                &['o']
            } else {
                &['a', 'å']
            };
            for b in backs {
                let mut cand = chars.clone();
                cand[i] = *b;
                candidates.push(cand.into_iter().collect());
            }
        }
        // A singular that has the umlaut itself (`gränd`, `vän`), never one
        // without (`musiker` is not `musik`).
        candidates.extend(stems.iter().filter(|s| s.contains(['ä', 'ö'])).cloned());
        let found = candidates
            .into_iter()
            .find(|c| bases.get(c.as_str()).copied().unwrap_or(false));
        if let Some(base) = found {
            links.insert(w.clone(), base);
        }
    }
    links
}

/// Forms of adjectives (and of a few participles and verbs) are often
/// listed as entries of their own, without inflection: `anhöriga`,
/// `offentliga`, `allmänna`, `allmänt`, `kastandet`. Such an entry (one
/// that ends in `-a` or `-t`, with no forms but a genitive) gets as its
/// lemma the entry it is made from (less its `-a`/`-t`, or its doubled
/// consonant and `-a`: `allmän|na`, `nytt`), when that entry is an
/// adjective (it has `-e`, `-t`, `-a` or `-are` forms) or has no
/// inflection of its own either (`allmän`).
fn link_adjective_forms(affixes: &Affixes, entries: &[Entry]) -> HashMap<String, String> {
    let forms_of = |e: &Entry| -> Vec<String> {
        e.flags
            .iter()
            .filter_map(|f| affixes.suffixes.get(f))
            .flatten()
            .filter(|r| {
                !affixes
                    .only_in_compound
                    .is_some_and(|z| r.flags.contains(&z))
            })
            .filter_map(|r| r.apply(&e.word))
            .collect()
    };
    let forbidden = |e: &Entry| affixes.forbidden.is_some_and(|f| e.flags.contains(&f));
    // Entries that may be the base: adjectives, or words without inflection.
    let mut bases: HashMap<&str, bool> = HashMap::new();
    for e in entries.iter().filter(|e| !forbidden(e) && !e.name) {
        let forms = forms_of(e);
        let has = |end: &str| forms.contains(&format!("{}{end}", e.word));
        let uninflected = e.flags.iter().all(|f| !affixes.suffixes.contains_key(f));
        if has("e") || has("t") || has("a") || has("are") || uninflected {
            bases.insert(e.word.as_str(), true);
        }
    }
    let mut links = HashMap::new();
    for e in entries.iter().filter(|e| !forbidden(e) && !e.name) {
        let w = &e.word;
        if w.chars().count() < 4 || !(w.ends_with('a') || w.ends_with('t')) {
            continue;
        }
        let genitive = format!("{w}s");
        if !forms_of(e).iter().all(|f| *f == genitive) {
            continue;
        }
        let chars: Vec<char> = w.chars().collect();
        let k = chars.len();
        let mut candidates: Vec<String> = vec![chars[..k - 1].iter().collect()];
        if chars[k - 2] == chars[k - 3] && (chars[k - 1] == 'a' || chars[k - 1] == 't') {
            candidates.push(chars[..k - 2].iter().collect());
        }
        if let Some(base) = candidates
            .into_iter()
            .find(|b| b != w && bases.contains_key(b.as_str()))
        {
            links.insert(w.clone(), base);
        }
    }
    links
}

/// Passive forms of some verbs are listed on their own: `avgörs`,
/// `utgörs` (no forms), or under a stem entry whose only forms are
/// passives (`bedöm` → `bedömas`). Such an entry gets the verb's lemma: the
/// entry plus `-a` (`bedöma`), or less its `-s` plus `-a` (`avgöra`), when
/// that is a verb (it has a present participle in `-ande`, or forms in
/// `-ar`, `-er`, `-de`, `-te`). Forms made only for compounds are left out.
fn link_verb_stems(affixes: &Affixes, entries: &[Entry]) -> HashMap<String, String> {
    let forms_of = |e: &Entry| -> Vec<String> {
        e.flags
            .iter()
            .filter_map(|f| affixes.suffixes.get(f))
            .flatten()
            .filter_map(|r| r.apply(&e.word))
            .collect()
    };
    let forbidden = |e: &Entry| affixes.forbidden.is_some_and(|f| e.flags.contains(&f));
    let mut verbs: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for e in entries.iter().filter(|e| !forbidden(e) && !e.name) {
        let Some(stem) = e.word.strip_suffix('a') else {
            continue;
        };
        let forms = forms_of(e);
        let verb = forms.iter().any(|f| *f == format!("{}nde", e.word))
            || ["ar", "er", "de", "te"]
                .iter()
                .any(|end| forms.contains(&format!("{stem}{end}")));
        if verb {
            verbs.insert(e.word.as_str());
        }
    }
    let mut links = HashMap::new();
    // A form made only for compounds (`arbets`, `armbågs`) is a linking
    // form, not a passive: it keeps its own reading.
    let compound_only = |e: &Entry| {
        affixes
            .only_in_compound
            .is_some_and(|f| e.flags.contains(&f))
    };
    for e in entries
        .iter()
        .filter(|e| !forbidden(e) && !e.name && !compound_only(e))
    {
        if e.word.chars().count() < 4 {
            continue;
        }
        let forms = forms_of(e);
        let verb = if forms.is_empty() {
            e.word.strip_suffix('s').map(|stem| format!("{stem}a"))
        } else if forms.iter().all(|f| f.ends_with("as") || f.ends_with("es")) {
            Some(format!("{}a", e.word))
        } else {
            None
        };
        if let Some(verb) = verb.filter(|v| verbs.contains(v.as_str())) {
            links.insert(e.word.clone(), verb);
        }
    }
    links
}

/// A noun may have its plural listed under a sibling entry in `-a` (a verb
/// or a pseudo-entry) with the `-er` plural rule: `åtgärder`, `avgifter`,
/// `processer` come from `åtgärda`, `avgifta`, `processa`, while `åtgärd`,
/// `avgift`, `process` have no plural; likewise `regler` from `regla`, the
/// `e` of `regel` dropped. Such plural forms also get the noun's lemma:
/// entry `X` (or `X-e-C`, C = l, n, r), a noun of common gender (its
/// definite form in `-en`/`-n`, none in `-et`/`-t`) with no plural, that may
/// end a compound, and entry `X-a` (`X-C-a`) with the rule. Likewise a
/// noun in `-e` without a plural gets the `-ar` plurals of its sibling in
/// `-a` (`timme`: `timmar` from `timma`).
/// Returns (entry, flag) → the additional lemma.
fn link_er_plurals(affixes: &Affixes, entries: &[Entry]) -> HashMap<(String, char), String> {
    let by_word: HashMap<&str, &Entry> = entries.iter().map(|e| (e.word.as_str(), e)).collect();
    // The flags whose rules make a plural in -er from a word in -a.
    let er_flags: Vec<char> = affixes
        .suffixes
        .iter()
        .filter(|(_, rules)| rules.iter().any(|r| r.strip == "a" && r.add == "er"))
        .map(|(f, _)| *f)
        .collect();
    let forms_of = |e: &Entry| -> Vec<String> {
        e.flags
            .iter()
            .filter_map(|f| affixes.suffixes.get(f))
            .flatten()
            .filter_map(|r| r.apply(&e.word))
            .collect()
    };
    let mut out = HashMap::new();
    for e in entries {
        if e.name || affixes.forbidden.is_some_and(|f| e.flags.contains(&f)) {
            continue;
        }
        if !affixes.end.is_some_and(|y| e.flags.contains(&y)) {
            continue;
        }
        let chars: Vec<char> = e.word.chars().collect();
        let k = chars.len();
        if k < 3 {
            continue;
        }
        let forms = forms_of(e);
        let has = |end: &str| forms.contains(&format!("{}{end}", e.word));
        // A noun of common gender (`åtgärden`): a neuter's plural is its
        // own form (`besök`, `fall`), and the sibling's `-er` form is then a
        // verb (`besöker`, `faller`).
        let common = has("en") || has("n");
        let neuter = has("et") || has("t");
        let plural = forms.iter().any(|f| {
            f.ends_with("er") || f.ends_with("ar") || f.ends_with("or") || f.ends_with("na")
        });
        if !common || neuter || plural {
            continue;
        }
        let mut siblings = vec![format!("{}a", e.word)];
        if k >= 4 && chars[k - 2] == 'e' && matches!(chars[k - 1], 'l' | 'n' | 'r') {
            siblings.push(chars[..k - 2].iter().chain([&chars[k - 1], &'a']).collect());
        }
        for sibling in siblings {
            let Some(p) = by_word.get(sibling.as_str()) else {
                continue;
            };
            for f in p.flags.iter().filter(|f| er_flags.contains(f)) {
                out.insert((p.word.clone(), *f), e.word.clone());
            }
        }
        // `timme` and `timma` are one word: the plurals `timmar`,
        // `timmarna` listed under `timma` are `timme`'s too.
        if let Some(stem) = e.word.strip_suffix('e')
            && let Some(p) = by_word.get(format!("{stem}a").as_str())
        {
            // The flags that decline it as a noun with a plural in
            // `-ar` (`timmar`, `timmarna`), not as a verb.
            let (ar, arna) = (format!("{stem}ar"), format!("{stem}arna"));
            for f in &p.flags {
                let made: Vec<String> = affixes
                    .suffixes
                    .get(f)
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.apply(&p.word))
                    .collect();
                if made.contains(&ar) && made.contains(&arna) {
                    out.insert((p.word.clone(), *f), e.word.clone());
                }
            }
        }
    }
    out
}

/// Verbal nouns in `-an` (`ansökan`, `fordran`, `förfrågan`) have no plural
/// in the dictionary; their plural is that of a sibling in `-ning`/`-ing`
/// (`ansökningar`, `fordringar`). Every form of the sibling also gets the
/// `-an` noun as a lemma: entry `X-an` (only genitive and compound flags)
/// that may end a compound, and entry `X-ning` or `X-ing`. Returns sibling →
/// the `-an` noun.
fn link_verbal_nouns(affixes: &Affixes, entries: &[Entry]) -> HashMap<String, String> {
    let by_word: HashMap<&str, &Entry> = entries
        .iter()
        .filter(|e| !affixes.forbidden.is_some_and(|f| e.flags.contains(&f)))
        .map(|e| (e.word.as_str(), e))
        .collect();
    let compound_flags: Vec<char> = [affixes.begin, affixes.middle, affixes.end]
        .into_iter()
        .flatten()
        .collect();
    let mut out = HashMap::new();
    for e in by_word.values() {
        let Some(x) = e.word.strip_suffix("an") else {
            continue;
        };
        if e.name
            || x.chars().count() < 3
            || x.ends_with(|c: char| "aeiouyåäö".contains(c))
            || !affixes.end.is_some_and(|y| e.flags.contains(&y))
        {
            continue;
        }
        // No forms but the genitive: its own inflection is missing.
        let genitive = format!("{}s", e.word);
        let only_genitive = e.flags.iter().all(|f| {
            compound_flags.contains(f)
                || affixes.suffixes.get(f).is_none_or(|rules| {
                    rules
                        .iter()
                        .all(|r| r.apply(&e.word).is_none_or(|form| form == genitive))
                })
        });
        if !only_genitive {
            continue;
        }
        for suffix in ["ning", "ing"] {
            let sibling = format!("{x}{suffix}");
            if by_word.contains_key(sibling.as_str()) {
                out.insert(sibling, e.word.clone());
                break;
            }
        }
    }
    out
}

fn put_u32(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u32).to_le_bytes());
}

/// Builds the lexicon file from the text of an `.aff` and a `.dic` file.
/// `source` describes where they came from (package, version, checksums);
/// it is stored in the file and shown by [`super::Lexicon::source`].
pub fn build(aff: &str, dic: &str, source: &str) -> Result<(Vec<u8>, BuildReport), String> {
    let affixes = Affixes::parse(aff)?;
    let entries = parse_dic(dic);
    let mut links = link_irregular_plurals(&affixes, &entries);
    let adjectives = link_adjective_forms(&affixes, &entries);
    let adjective_links = adjectives.len();
    for (k, v) in adjectives {
        links.entry(k).or_insert(v);
    }
    let verbs = link_verb_stems(&affixes, &entries);
    let verb_links = verbs.len();
    for (k, v) in verbs {
        links.entry(k).or_insert(v);
    }
    let syncopated = link_er_plurals(&affixes, &entries);
    let verbal = link_verbal_nouns(&affixes, &entries);
    let forms = expand(&affixes, &entries, &links, &syncopated, &verbal);

    let mut report = BuildReport {
        entries: entries.len(),
        forms: forms.len(),
        ..Default::default()
    };
    report.adjective_links = adjective_links;
    report.verb_links = verb_links;
    report.syncopated = syncopated.into_iter().map(|((w, _), l)| (w, l)).collect();
    report.syncopated.sort();
    report.syncopated.dedup();
    report.verbal_nouns = verbal.into_iter().collect();
    report.verbal_nouns.sort();
    let mut linked: Vec<(String, String)> = links.into_iter().collect();
    linked.sort();
    report.linked = linked;

    // Both maps share the tables of transforms and of analysis sets.
    let mut transforms: Vec<Transform> = Vec::new();
    let mut transform_ids: HashMap<Transform, usize> = HashMap::new();
    let mut sets: Vec<Vec<(usize, u8)>> = Vec::new();
    let mut set_ids: HashMap<Vec<(usize, u8)>, usize> = HashMap::new();
    let mut set_of = |analyses: &BTreeSet<(Transform, u8)>| -> usize {
        let set: Vec<(usize, u8)> = analyses
            .iter()
            .map(|(t, roles)| {
                let id = *transform_ids.entry(t.clone()).or_insert_with(|| {
                    transforms.push(t.clone());
                    transforms.len() - 1
                });
                (id, *roles)
            })
            .collect();
        *set_ids.entry(set.clone()).or_insert_with(|| {
            sets.push(set);
            sets.len() - 1
        })
    };

    let mut exact: Vec<(String, usize)> = Vec::with_capacity(forms.len());
    let mut folded: BTreeMap<String, BTreeSet<(Transform, u8)>> = BTreeMap::new();
    let mut lemmas: BTreeSet<&str> = BTreeSet::new();
    for (form, by_lemma) in &forms {
        let mut analyses = BTreeSet::new();
        let folded_form = fold(form);
        for (lemma, roles) in by_lemma {
            lemmas.insert(lemma);
            if let Some(t) = transform(form, lemma) {
                analyses.insert((t, *roles));
            }
            if let Some(t) = transform(&folded_form, &fold(lemma)) {
                folded
                    .entry(folded_form.clone())
                    .or_default()
                    .insert((t, *roles));
            }
        }
        if !analyses.is_empty() {
            exact.push((form.clone(), set_of(&analyses)));
        }
    }
    let folded: Vec<(String, usize)> = folded
        .iter()
        .map(|(form, analyses)| (form.clone(), set_of(analyses)))
        .collect();
    report.folded_forms = folded.len();
    report.lemmas = lemmas.len();

    let fst = |pairs: &[(String, usize)]| -> Result<Vec<u8>, String> {
        let mut b = tantivy_fst::MapBuilder::memory();
        for (k, v) in pairs {
            b.insert(k, *v as u64).map_err(|e| e.to_string())?;
        }
        b.into_inner().map_err(|e| e.to_string())
    };
    let exact = fst(&exact)?;
    let folded = fst(&folded)?;

    let mut out = Vec::new();
    out.extend_from_slice(FORMAT_MAGIC);
    put_u32(&mut out, source.len());
    out.extend_from_slice(source.as_bytes());
    put_u32(&mut out, transforms.len());
    for (strip, add) in &transforms {
        out.push(*strip);
        let bytes = add.as_bytes();
        out.push(u8::try_from(bytes.len()).map_err(|_| "ending too long".to_owned())?);
        out.extend_from_slice(bytes);
    }
    put_u32(&mut out, sets.len());
    for set in &sets {
        out.push(u8::try_from(set.len()).map_err(|_| "too many lemmas for a form".to_owned())?);
        for (t, roles) in set {
            put_u32(&mut out, *t);
            out.push(*roles);
        }
    }
    put_u32(&mut out, exact.len());
    out.extend_from_slice(&exact);
    put_u32(&mut out, folded.len());
    out.extend_from_slice(&folded);
    report.transforms = transforms.len();
    report.sets = sets.len();
    report.bytes = out.len();
    Ok((out, report))
}

impl BuildReport {
    /// A few lines for the generating script.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} entries → {} forms ({} folded), {} lemmas; {} endings, {} analysis sets; {} bytes",
            self.entries,
            self.forms,
            self.folded_forms,
            self.lemmas,
            self.transforms,
            self.sets,
            self.bytes
        );
        let _ = writeln!(
            s,
            "{} entries given another entry's lemma ({} irregular plurals, {} adjectives' forms, {} verbs' passives)",
            self.linked.len(),
            self.linked
                .len()
                .saturating_sub(self.adjective_links + self.verb_links),
            self.adjective_links,
            self.verb_links
        );
        let _ = writeln!(
            s,
            "{} siblings give their -er or -ar plurals to a noun (åtgärder, regler, timmar): {:?}",
            self.syncopated.len(),
            self.syncopated
        );
        let _ = writeln!(
            s,
            "{} -ning/-ing nouns give their forms to an -an noun: {:?}",
            self.verbal_nouns.len(),
            self.verbal_nouns
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    const AFF: &str = "SET UTF-8
COMPOUNDPERMITFLAG W
COMPOUNDBEGIN X
COMPOUNDMIDDLE U
COMPOUNDEND Y
ONLYINCOMPOUND Z
FORBIDDENWORD %
SFX D Y 2
SFX D 0 en [^a]
SFX D 0 ens [^a]
SFX H Y 4
SFX H 0 er [^a]
SFX H 0 erna [^a]
SFX H a er a
SFX H a erna a
SFX G Y 2
SFX G a or a
SFX G a orna a
SFX E Y 1
SFX E 0 n [^m]
SFX J Y 1
SFX J 0 na r
SFX v N 2
SFX v a s/WXZ a
SFX v 0 s/WXZ [^a]
";
    const DIC: &str = "9
kostnad/DHvY
gåva/EGY
sjöfart/DvY
stöd/Y
ledamot/DvY
ledamöter/JY
hemtjänst/DHXY
utförare/EY
felstavat/%
";

    fn lexicon() -> Lexicon {
        let (bytes, report) = build(AFF, DIC, "test").expect("build");
        assert_eq!(
            report.linked,
            [("ledamöter".to_owned(), "ledamot".to_owned())]
        );
        Lexicon::from_bytes(bytes).expect("read")
    }

    #[test]
    fn forms_reach_their_lemma_with_their_roles() {
        let lex = lexicon();
        let lemmas = |w: &str| -> Vec<String> {
            lex.exact(w)
                .into_iter()
                .filter(|a| a.roles & ROLE_WORD != 0)
                .map(|a| a.lemma)
                .collect()
        };
        assert_eq!(lemmas("kostnader"), ["kostnad"]);
        assert_eq!(lemmas("kostnaden"), ["kostnad"]);
        assert_eq!(lemmas("kostnad"), ["kostnad"]);
        assert_eq!(lemmas("gåvan"), ["gåva"]);
        assert_eq!(lemmas("gåvorna"), ["gåva"]);
        assert_eq!(lemmas("ledamöterna"), ["ledamot"]);
        assert!(lemmas("felstavat").is_empty());
        assert!(lemmas("kostnads").is_empty());
        // The linking form begins compounds only.
        let linking = lex.exact("sjöfarts");
        assert_eq!(linking.len(), 1);
        assert_eq!(linking[0].lemma, "sjöfart");
        assert_eq!(linking[0].roles, ROLE_BEGIN);
        assert_eq!(lex.exact("stöd")[0].roles, ROLE_WORD | ROLE_END);
        // Folded: typed without å/ä/ö.
        let folded: Vec<String> = lex.folded("gavorna").into_iter().map(|a| a.lemma).collect();
        assert_eq!(folded, ["gava"]);
    }
}
