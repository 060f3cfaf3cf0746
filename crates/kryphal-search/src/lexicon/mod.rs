//! The Swedish lexicon: every inflected form of the Swedish Hunspell
//! dictionary (`hunspell-sv-se`, LGPL-3, from LibreOffice's dictionaries)
//! mapped to its lemma(s) and to the roles it can play in a compound.
//!
//! The compiled file (`lexicon/sv_SE.lex`, made by `scripts/gen-lexicon.sh`
//! with [`build`]) is embedded in the program, so no system dictionary is
//! needed at run time (Windows included). It stays a separate, replaceable
//! file: `KRYPHAL_LEXICON=<path>` makes the program read that file instead
//! (an index built with another lexicon is rebuilt, see
//! [`Lexicon::fingerprint`]).
//!
//! Layout (little-endian): the magic `KRYLEX1\n`; the source description
//! (u32 length + UTF-8); the endings table (u32 count; per ending: characters
//! to strip (u8), bytes to append (u8 length + UTF-8)); the analysis sets
//! (u32 count; per set: u8 count, then per analysis an ending id (u32) and
//! its roles (u8)); then two FST maps (u32 length + bytes each), form →
//! analysis set: the forms as written, and the forms ASCII-folded (whose
//! endings give folded lemmas).

#[doc(hidden)]
pub mod build;

use std::cell::RefCell;
use std::ops::Deref;
use std::sync::OnceLock;

use tantivy::tokenizer::{AsciiFoldingFilter, RawTokenizer, TextAnalyzer};
use tantivy_fst::Streamer;
use tantivy_fst::raw::Fst;

/// The compiled lexicon shipped with the program.
static EMBEDDED: &[u8] = include_bytes!("../../lexicon/sv_SE.lex");

pub(crate) const FORMAT_MAGIC: &[u8] = b"KRYLEX1\n";

/// A form that is a word of its own (not only a compound's linking form).
pub(crate) const ROLE_WORD: u8 = 1;
/// A form that may begin a compound (`sjöfarts`, `hemtjänst`).
pub(crate) const ROLE_BEGIN: u8 = 2;
/// A form that may stand inside a compound (`kostnads` in `…kostnadsfri…`).
pub(crate) const ROLE_MIDDLE: u8 = 4;
/// A form that may end a compound (`stöd`, `utförare`, `kostnader`).
pub(crate) const ROLE_END: u8 = 8;

/// Bytes of the lexicon: embedded, or read from a replacement file.
enum Bytes {
    Static(&'static [u8]),
    Owned(Vec<u8>),
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Owned(b) => b,
        }
    }
}

/// One reading of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    pub lemma: String,
    pub roles: u8,
}

/// Which of the two maps to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Map {
    /// Forms as written (lower-case).
    Exact,
    /// Forms ASCII-folded (`gavorna`); lemmas come back folded.
    Folded,
}

/// The lexicon (see the module docs).
pub struct Lexicon {
    source: String,
    endings: Vec<(usize, String)>,
    sets: Vec<Vec<(u32, u8)>>,
    exact: Fst<Bytes>,
    folded: Fst<Bytes>,
    fingerprint: u64,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Reads the sections of a lexicon file.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len());
        let end = end.ok_or("the lexicon file is cut short")?;
        let out = &self.data[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<usize, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    fn str(&mut self, n: usize) -> Result<String, String> {
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| "the lexicon file is not UTF-8".into())
    }
}

/// FNV-1a, 64 bits: a stable fingerprint of a byte string.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Lexicon {
    /// Reads a lexicon file.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Lexicon, String> {
        Self::read(Bytes::Owned(bytes))
    }

    fn read(bytes: Bytes) -> Result<Lexicon, String> {
        let data: &[u8] = &bytes;
        let mut r = Reader { data, at: 0 };
        if r.take(FORMAT_MAGIC.len())? != FORMAT_MAGIC {
            return Err("not a Kryphål lexicon file".into());
        }
        let n = r.u32()?;
        let source = r.str(n)?;
        let n = r.u32()?;
        let mut endings = Vec::with_capacity(n);
        for _ in 0..n {
            let strip = r.u8()? as usize;
            let len = r.u8()? as usize;
            endings.push((strip, r.str(len)?));
        }
        let n = r.u32()?;
        let mut sets = Vec::with_capacity(n);
        for _ in 0..n {
            let k = r.u8()? as usize;
            let mut set = Vec::with_capacity(k);
            for _ in 0..k {
                let ending = r.u32()?;
                if ending >= endings.len() {
                    return Err("the lexicon file is damaged".into());
                }
                set.push((ending as u32, r.u8()?));
            }
            sets.push(set);
        }
        let n = r.u32()?;
        let exact_at = (r.at, r.at + n);
        r.take(n)?;
        let n = r.u32()?;
        let folded_at = (r.at, r.at + n);
        r.take(n)?;
        let fingerprint = fnv(&data[..exact_at.0]) ^ (data.len() as u64);
        let slice = |(s, e): (usize, usize)| -> Bytes {
            match &bytes {
                Bytes::Static(b) => Bytes::Static(&b[s..e]),
                Bytes::Owned(b) => Bytes::Owned(b[s..e].to_vec()),
            }
        };
        let exact = Fst::new(slice(exact_at)).map_err(|e| e.to_string())?;
        let folded = Fst::new(slice(folded_at)).map_err(|e| e.to_string())?;
        let lexicon = Lexicon {
            source,
            endings,
            sets,
            exact,
            folded,
            fingerprint,
        };
        // A replacement file: every value must name a set, checked once so
        // that lookups cannot fail (the embedded file is checked by a test).
        if matches!(bytes, Bytes::Owned(_)) {
            for (s, e) in [exact_at, folded_at] {
                let fst = Fst::new(&data[s..e]).map_err(|e| e.to_string())?;
                let map = tantivy_fst::Map::from(fst);
                let mut values = map.values();
                while let Some(v) = values.next() {
                    if v as usize >= lexicon.sets.len() {
                        return Err("the lexicon file is damaged".into());
                    }
                }
            }
        }
        Ok(lexicon)
    }

    /// The lexicon in use: the file named by `KRYPHAL_LEXICON` when it is
    /// set and readable, otherwise the embedded one.
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            if let Some(path) = std::env::var_os("KRYPHAL_LEXICON") {
                match std::fs::read(&path)
                    .map_err(|e| e.to_string())
                    .and_then(Lexicon::from_bytes)
                {
                    Ok(l) => return l,
                    Err(e) => eprintln!(
                        "kryphal: the lexicon {} cannot be used ({e}); the built-in one is used.",
                        std::path::Path::new(&path).display()
                    ),
                }
            }
            Lexicon::read(Bytes::Static(EMBEDDED)).expect("the embedded lexicon is valid (tested)")
        })
    }

    /// Where the lexicon came from (package, version, checksums).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Identifies the lexicon's content: an index records it and is rebuilt
    /// when another lexicon is in use.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    fn fst(&self, map: Map) -> &Fst<Bytes> {
        match map {
            Map::Exact => &self.exact,
            Map::Folded => &self.folded,
        }
    }

    /// The readings of analysis set `set` for `form`.
    pub(crate) fn readings(&self, form: &str, set: u64, out: &mut Vec<Reading>) {
        let Some(set) = self.sets.get(set as usize) else {
            return;
        };
        for &(ending, roles) in set {
            let (strip, add) = &self.endings[ending as usize];
            let keep = form.chars().count().saturating_sub(*strip);
            let end = form.char_indices().nth(keep).map_or(form.len(), |(i, _)| i);
            let lemma = format!("{}{add}", &form[..end]);
            out.push(Reading { lemma, roles });
        }
    }

    /// Every reading of `form` in `map`.
    pub(crate) fn lookup(&self, map: Map, form: &str) -> Vec<Reading> {
        let mut out = Vec::new();
        if let Some(set) = self.fst(map).get(form) {
            self.readings(form, set.value(), &mut out);
        }
        out
    }

    /// Readings of a form as written (tests).
    #[cfg(test)]
    pub(crate) fn exact(&self, form: &str) -> Vec<Reading> {
        self.lookup(Map::Exact, form)
    }

    /// Readings of a folded form (tests).
    #[cfg(test)]
    pub(crate) fn folded(&self, form: &str) -> Vec<Reading> {
        self.lookup(Map::Folded, form)
    }

    /// Every form as written with its readings, one line each (`form`,
    /// `lemma`, roles: W word, B begins, M middle, E ends a compound).
    pub fn dump(&self) -> String {
        let mut out = String::new();
        let mut stream = self.exact.stream();
        let mut readings = Vec::new();
        while let Some((form, set)) = stream.next() {
            let form = String::from_utf8_lossy(form);
            readings.clear();
            self.readings(&form, set.value(), &mut readings);
            for r in &readings {
                let roles: String = [
                    (ROLE_WORD, 'W'),
                    (ROLE_BEGIN, 'B'),
                    (ROLE_MIDDLE, 'M'),
                    (ROLE_END, 'E'),
                ]
                .iter()
                .filter(|(bit, _)| r.roles & bit != 0)
                .map(|(_, c)| *c)
                .collect();
                out.push_str(&format!("{form}\t{}\t{roles}\n", r.lemma));
            }
        }
        out
    }

    /// Every form of `map` that begins `word[start..]`: calls `found(end,
    /// set, extra)` for each, shortest first (`end` is a byte offset in
    /// `word`, on a character boundary). `extra` is `None` for the form
    /// `word[start..end]`, or `Some(b)` for the form `word[start..end]`
    /// followed by the letter `b` (`a` or `e`, the vowel a compound drops:
    /// `mut|brott` from `muta`).
    pub(crate) fn prefixes(
        &self,
        map: Map,
        word: &str,
        start: usize,
        mut found: impl FnMut(usize, u64, Option<u8>),
    ) {
        let fst = self.fst(map);
        let bytes = word.as_bytes();
        let mut node = fst.root();
        let mut out = tantivy_fst::raw::Output::zero();
        for (i, &b) in bytes.iter().enumerate().skip(start) {
            let Some(t) = node.find_input(b) else {
                return;
            };
            let t = node.transition(t);
            out = out.cat(t.out);
            node = fst.node(t.addr);
            let end = i + 1;
            if !word.is_char_boundary(end) {
                continue;
            }
            if node.is_final() {
                found(end, out.cat(node.final_output()).value(), None);
            }
            for vowel in [b'a', b'e'] {
                if bytes.get(end) == Some(&vowel) {
                    continue; // the word itself goes on with it
                }
                if let Some(t) = node.find_input(vowel) {
                    let t = node.transition(t);
                    let next = fst.node(t.addr);
                    if next.is_final() {
                        found(
                            end,
                            out.cat(t.out).cat(next.final_output()).value(),
                            Some(vowel),
                        );
                    }
                }
            }
        }
    }

    /// Whether `form` is a word (not only a compound's part) in `map`.
    pub(crate) fn is_word(&self, map: Map, form: &str) -> bool {
        self.lookup(map, form)
            .iter()
            .any(|r| r.roles & ROLE_WORD != 0)
    }

    /// Whether `form` is a word and its own lemma (`kost`, `muta`).
    pub(crate) fn is_lemma(&self, map: Map, form: &str) -> bool {
        self.lookup(map, form)
            .iter()
            .any(|r| r.roles & ROLE_WORD != 0 && r.lemma == form)
    }
}

/// ASCII-folds a (lower-case) word as the index's folded fields do.
pub(crate) fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_owned();
    }
    thread_local! {
        static FOLD: RefCell<TextAnalyzer> = RefCell::new(
            TextAnalyzer::builder(RawTokenizer::default())
                .filter(AsciiFoldingFilter)
                .build(),
        );
    }
    FOLD.with(|f| {
        let mut f = f.borrow_mut();
        let mut stream = f.token_stream(word);
        match stream.next() {
            Some(t) => t.text.clone(),
            None => word.to_owned(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_lexicon_reads_and_knows_swedish() {
        let lex = Lexicon::get();
        assert!(lex.source().contains("hunspell-sv-se"), "{}", lex.source());
        let lemmas = |w: &str| -> Vec<String> {
            let mut v: Vec<String> = lex
                .exact(w)
                .into_iter()
                .filter(|r| r.roles & ROLE_WORD != 0)
                .map(|r| r.lemma)
                .collect();
            v.sort();
            v.dedup();
            v
        };
        for (form, lemma) in [
            ("kostnader", "kostnad"),
            ("kostnaden", "kostnad"),
            ("gåvan", "gåva"),
            ("ledamöterna", "ledamot"),
            ("nycklar", "nyckel"),
            ("böckerna", "bok"),
            ("regler", "regel"),
            ("åtgärder", "åtgärd"),
            ("avgifterna", "avgift"),
            ("ansökningar", "ansökan"),
            ("anhöriga", "anhörig"),
            ("timmarna", "timme"),
            ("avgörs", "avgöra"),
        ] {
            assert!(
                lemmas(form).contains(&lemma.to_owned()),
                "{form}: {:?}",
                lemmas(form)
            );
        }
        assert!(lex.folded("gavorna").iter().any(|r| r.lemma == "gava"));
    }

    /// The committed file is what `scripts/gen-lexicon.sh` makes from the
    /// dictionary installed here (skipped where `hunspell-sv-se` is not).
    #[test]
    fn the_committed_lexicon_is_what_the_generator_makes() {
        let dir = std::path::Path::new("/usr/share/hunspell");
        let (Ok(aff), Ok(dic)) = (
            std::fs::read_to_string(dir.join("sv_SE.aff")),
            std::fs::read_to_string(dir.join("sv_SE.dic")),
        ) else {
            eprintln!("SKIPPED: hunspell-sv-se is not installed");
            return;
        };
        let (bytes, _) = build::build(&aff, &dic, Lexicon::get().source()).expect("build");
        assert!(
            bytes == EMBEDDED,
            "lexicon/sv_SE.lex is not what the generator makes from {} \
             (the generator changed, or this machine has another hunspell-sv-se \
             than the one recorded in the file: {}): run scripts/gen-lexicon.sh",
            dir.display(),
            Lexicon::get().source()
        );
    }

    #[test]
    fn a_damaged_file_is_refused() {
        assert!(Lexicon::from_bytes(b"nonsense".to_vec()).is_err());
        let mut cut = EMBEDDED.to_vec();
        cut.truncate(cut.len() / 2);
        assert!(Lexicon::from_bytes(cut).is_err());
    }
}
