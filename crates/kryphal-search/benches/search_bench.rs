//! Search benchmark: tantivy (this crate) side by side with SQLite FTS5.
//!
//! ```text
//! CARGO_TARGET_DIR=… cargo bench -p kryphal-search --bench search_bench
//! ```
//!
//! Builds a library of `BENCH_DOCS` documents (default 1,000) with
//! `BENCH_CLAUSES` clauses each (default 200) from the real corpus in
//! `../shared/corpus` (or `KRYPHAL_CORPUS`) and the sample document,
//! recombining paragraphs and sentences with a seeded generator, plus
//! findings and dismissals. It indexes the same rows with tantivy and with
//! an FTS5 table, writes a library-like SQLite file with them, runs a fixed
//! set of queries `BENCH_ROUNDS` times (default 10) on both and prints the
//! figures. Corpus files are read, never copied.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kryphal_search::{
    Facet, IndexedClause, IndexedDismissal, IndexedDocument, IndexedFinding, RebuildStats,
    SearchIndex, SearchRequest,
};
use rusqlite::{Connection, params};

/// SplitMix64: small, deterministic, good enough to shuffle text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "nbsp" => Some(' '),
            "auml" => Some('ä'),
            "aring" => Some('å'),
            "ouml" => Some('ö'),
            "Auml" => Some('Ä'),
            "Aring" => Some('Å'),
            "Ouml" => Some('Ö'),
            e if e.starts_with('#') => e[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn strip_tags(s: &str) -> String {
    let lower = s.to_ascii_lowercase().into_bytes();
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0;
    let find = |from: usize, needle: &[u8]| {
        lower[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| from + p)
    };
    while i < bytes.len() {
        let rest = &lower[i..];
        if rest.starts_with(b"<script") || rest.starts_with(b"<style") {
            let end: &[u8] = if rest.starts_with(b"<script") {
                b"</script>"
            } else {
                b"</style>"
            };
            match find(i, end) {
                Some(j) => i = j + end.len(),
                None => break,
            }
            continue;
        }
        if bytes[i] == b'<' {
            if rest.starts_with(b"<br") || rest.starts_with(b"</p") || rest.starts_with(b"</div") {
                out.extend_from_slice(b"\n\n");
            }
            match find(i, b">") {
                Some(j) => i = j + 1,
                None => break,
            }
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Paragraphs of plain text: blank-line separated, lines joined, Markdown
/// markers and links dropped, very short ones skipped.
fn paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let text = match text
        .strip_prefix("---\n")
        .and_then(|t| t.find("\n---\n").map(|e| &t[e + 5..]))
    {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let joined: Vec<&str> = block
            .lines()
            .map(|l| {
                l.trim()
                    .trim_start_matches('#')
                    .trim_start_matches(['-', '*', '>'])
                    .trim()
            })
            .filter(|l| !l.is_empty())
            .collect();
        let mut p = joined.join(" ");
        // Markdown links: keep the text.
        while let (Some(a), Some(b)) = (
            p.find("]("),
            p.find("](").and_then(|a| p[a..].find(')').map(|b| a + b)),
        ) {
            p.replace_range(a..=b, "");
        }
        let p = p.replace(['[', ']'], "");
        if p.chars().count() >= 40 && p.chars().filter(|c| c.is_alphabetic()).count() * 2 > p.len()
        {
            out.push(p);
        }
    }
    out
}

fn sentences(paragraphs: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in paragraphs {
        for s in p.split_inclusive(". ") {
            let s = s.trim();
            if s.chars().count() >= 30 {
                out.push(s.to_owned());
            }
        }
    }
    out
}

fn read_corpus(dir: &Path, sample: &Path) -> Vec<String> {
    let mut pool = Vec::new();
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.push(sample.to_owned());
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name == "MANIFEST.md" || name.ends_with(".source.txt") {
            continue;
        }
        let Ok(raw) = fs::read_to_string(&path) else {
            continue;
        };
        let text = if name.ends_with(".html") {
            decode_entities(&strip_tags(&raw))
        } else if name.ends_with(".md") {
            raw
        } else {
            continue;
        };
        let found = paragraphs(&text);
        eprintln!("  {name}: {} paragraphs", found.len());
        pool.extend(found);
    }
    pool
}

const DOC_TYPES: &[&str] = &[
    "Riktlinje",
    "Reglemente",
    "Auktorisationsvillkor",
    "Policy",
    "Rutin",
    "Förfrågningsunderlag",
    "Delegationsordning",
    "Tillämpningsanvisning",
];
const SUBJECTS: &[&str] = &[
    "hemtjänst",
    "ekonomiskt bistånd",
    "upphandling",
    "mutor och jäv",
    "betal- och drivmedelskort",
    "bostadsanpassning",
    "färdtjänst",
    "serveringstillstånd",
    "föreningsbidrag",
    "insatser enligt LSS",
    "skolskjuts",
    "bygglov",
    "personlig assistans",
    "kundval inom daglig verksamhet",
    "representation",
    "arbetsmiljö",
];
const OWNERS: &[(&str, &str)] = &[
    ("Kommunstyrelsen", "KS"),
    ("Socialnämnden", "SN"),
    ("Vård- och omsorgsnämnden", "VON"),
    ("Tekniska nämnden", "TN"),
    ("Utbildningsnämnden", "UN"),
    ("Kultur- och fritidsnämnden", "KFN"),
    ("Bygg- och miljönämnden", "BMN"),
    ("Arbetsmarknadsnämnden", "AMN"),
];
const CRIMES: &[(&str, &str)] = &[
    ("BID", "Bidragsbrott"),
    ("BED", "Bedrägeri"),
    ("MUT", "Mutbrott"),
    ("ORG", "Organiserad brottslighet"),
    ("PEN", "Penningtvätt"),
    ("ARB", "Arbetslivskriminalitet"),
    ("HOT", "Otillåten påverkan"),
];
const RISKS: &[&str] = &["lag", "medel", "hog", "mycket_hog"];
const STATUSES: &[&str] = &["draft", "reviewed", "agreed", "rejected"];
const ANALYSIS: &[&str] = &[
    "Villkoret kontrolleras bara vid auktorisationen och inte under avtalstiden.",
    "En oseriös leverantör kan använda målvakter i ledningen för att klara prövningen.",
    "Registerutdraget från belastningsregistret kan vara inaktuellt när det lämnas in.",
    "Ersättningen betalas ut utan att utförd tid stäms av mot beslutet.",
    "Sökande kan lämna oriktiga uppgifter om inkomster utan att det upptäcks.",
    "Handläggaren får besluta ensam även i ärenden med stora belopp.",
    "Underleverantörer omfattas inte av kraven på kontroll av ägare och ledning.",
    "Formuleringen ”i regel” lämnar utrymme för godtyckliga undantag.",
    "Åtgärdsplanen saknar tidsgränser och ansvarig funktion.",
    "Gåvor till anställda regleras inte när de ges via ett bolag.",
    "Uppföljningen bygger på leverantörens egen redovisning utan stickprov.",
    "Det saknas krav på att anmäla förändringar i ägarstrukturen.",
    "Kortet kan användas för privata inköp utan att det syns i attesten.",
    "Beslutet kan inte överklagas, vilket minskar insynen.",
    "Kravet på skatteskulder kontrolleras endast en gång per år.",
];
const PROPOSALS: &[&str] = &[
    "Leverantören ska varje år lämna nytt registerutdrag för samtliga personer i ledningen.",
    "Nämnden ska göra oanmälda kontroller av utförd tid minst två gånger per år.",
    "Beslut över ett prisbasbelopp ska fattas av två handläggare gemensamt.",
    "Förändringar i ägarstrukturen ska anmälas till nämnden inom 14 dagar.",
    "Uppgifterna ska stämmas av mot Skatteverket och Försäkringskassan före beslut.",
];
const REASONS: &[&str] = &[
    "Frågan regleras redan i avtalet.",
    "Begreppet är definierat i lagen och behöver inte preciseras.",
    "Kontrollen görs enligt en separat rutin för egenkontroll.",
    "Bedömningen ska vara skönsmässig av hänsyn till den enskilde.",
    "Risken bedöms som låg eftersom beloppen är små.",
];

fn generate(pool: &[String], docs: usize, clauses_per_doc: usize) -> Vec<IndexedDocument> {
    let sentences = sentences(pool);
    let mut rng = Rng(0x4B52_5950_4841_4C00);
    let mut out = Vec::with_capacity(docs);
    for d in 0..docs {
        let doc_type = *rng.pick(DOC_TYPES);
        let subject = *rng.pick(SUBJECTS);
        let (owner, short) = *rng.pick(OWNERS);
        let id = format!("doc-{d:04}");
        let mut clauses = Vec::with_capacity(clauses_per_doc);
        let start = rng.below(pool.len());
        for c in 0..clauses_per_doc {
            let text = match rng.below(10) {
                // Mostly real paragraphs, in runs as in a real document.
                0..=5 => pool[(start + c) % pool.len()].clone(),
                6..=7 => pool[rng.below(pool.len())].clone(),
                // Recombined sentences.
                _ => (0..2 + rng.below(2))
                    .map(|_| rng.pick(&sentences).as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let section = c / 10 + 1;
            clauses.push(IndexedClause {
                id: format!("{id}-c{c:03}"),
                label: format!("Avsnitt {section} › p. {section}.{}", c % 10 + 1),
                text,
                position: c as u32,
            });
        }
        let findings = (0..5)
            .map(|f| {
                let clause = &clauses[rng.below(clauses.len())];
                let crimes: Vec<(&str, &str)> =
                    (0..1 + rng.below(2)).map(|_| *rng.pick(CRIMES)).collect();
                IndexedFinding {
                    id: format!("{id}-f{f}"),
                    clause_id: clause.id.clone(),
                    consequence: rng.pick(ANALYSIS).to_string(),
                    exploitation: rng.pick(ANALYSIS).to_string(),
                    act_on_reason: rng.pick(ANALYSIS).to_string(),
                    alternatives: vec![format!(
                        "{} Fördel: tydligare krav. Nackdel: mer administration.",
                        rng.pick(PROPOSALS)
                    )],
                    proposed_wording: rng.pick(PROPOSALS).to_string(),
                    responsible_body: owner.to_owned(),
                    comments: vec![rng.pick(ANALYSIS).to_string()],
                    crime_types: crimes.iter().map(|c| c.0.to_owned()).collect(),
                    crime_type_names: crimes.iter().map(|c| c.1.to_owned()).collect(),
                    risk_level: Some(rng.pick(RISKS).to_string()),
                    status: rng.pick(STATUSES).to_string(),
                }
            })
            .collect();
        let dismissals = (0..3)
            .map(|s| IndexedDismissal {
                suggestion_id: format!("{id}-s{s}"),
                clause_id: clauses[rng.below(clauses.len())].id.clone(),
                reason: rng.pick(REASONS).to_string(),
                message: "Vag term".into(),
            })
            .collect();
        out.push(IndexedDocument {
            id,
            title: format!("{doc_type} för {subject} ({})", 2010 + d % 16),
            doc_type: doc_type.to_owned(),
            owner: owner.to_owned(),
            dnr: format!("{short} {}/{:04}", 2010 + d % 16, rng.below(2000)),
            other_metadata: vec!["Kommunfullmäktige".into()],
            clauses,
            findings,
            dismissals,
        });
    }
    out
}

/// One row of the FTS5 table: the same items the tantivy index holds.
struct Row<'a> {
    kind: &'static str,
    doc: &'a IndexedDocument,
    item_id: &'a str,
    body: String,
    context: String,
    crime: String,
    risk: &'a str,
    status: &'a str,
}

fn rows(doc: &IndexedDocument) -> Vec<Row<'_>> {
    let base_ctx = format!("{} · {} · {}", doc.title, doc.doc_type, doc.owner);
    let label_of = |id: &str| {
        doc.clauses
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.label.as_str())
            .unwrap_or("")
    };
    let mut out = vec![Row {
        kind: "document",
        doc,
        item_id: &doc.id,
        body: doc.title.clone(),
        context: format!(
            "{} · {} · {} · {}",
            doc.doc_type,
            doc.owner,
            doc.dnr,
            doc.other_metadata.join(" · ")
        ),
        crime: String::new(),
        risk: "",
        status: "",
    }];
    for c in &doc.clauses {
        out.push(Row {
            kind: "clause",
            doc,
            item_id: &c.id,
            body: c.text.clone(),
            context: format!("{} · {base_ctx}", c.label),
            crime: String::new(),
            risk: "",
            status: "",
        });
    }
    for f in &doc.findings {
        let mut body = vec![f.consequence.as_str(), &f.exploitation, &f.act_on_reason];
        body.extend(f.alternatives.iter().map(String::as_str));
        body.push(&f.proposed_wording);
        body.extend(f.comments.iter().map(String::as_str));
        out.push(Row {
            kind: "finding",
            doc,
            item_id: &f.id,
            body: body.join("\n"),
            context: format!(
                "{} · {} · {} · {base_ctx}",
                f.crime_type_names.join(" · "),
                label_of(&f.clause_id),
                f.responsible_body
            ),
            crime: f.crime_types.join(" "),
            risk: f.risk_level.as_deref().unwrap_or(""),
            status: &f.status,
        });
    }
    for s in &doc.dismissals {
        out.push(Row {
            kind: "dismissal",
            doc,
            item_id: &s.suggestion_id,
            body: s.reason.clone(),
            context: format!("{} · {} · {base_ctx}", s.message, label_of(&s.clause_id)),
            crime: String::new(),
            risk: "",
            status: "",
        });
    }
    out
}

/// A library-like SQLite file (the real schema's tables for documents,
/// clauses, findings, suggestions; without the original files' bytes).
fn write_library(path: &Path, docs: &[IndexedDocument]) -> rusqlite::Result<()> {
    let mut db = Connection::open(path)?;
    db.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE documents (id TEXT PRIMARY KEY, lineage TEXT NOT NULL, meta TEXT NOT NULL) STRICT;
         CREATE TABLE clauses (document_id TEXT NOT NULL, id TEXT NOT NULL, section_id TEXT, number TEXT NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (document_id, id)) STRICT;
         CREATE INDEX clauses_id ON clauses (id);
         CREATE TABLE findings (id TEXT PRIMARY KEY, document_id TEXT NOT NULL, clause_id TEXT NOT NULL, body TEXT NOT NULL, comments TEXT NOT NULL, status TEXT NOT NULL) STRICT;
         CREATE INDEX findings_clause ON findings (document_id, clause_id);
         CREATE TABLE suggestions (id TEXT PRIMARY KEY, document_id TEXT NOT NULL, clause_id TEXT NOT NULL, rule_id TEXT NOT NULL, body TEXT NOT NULL) STRICT;",
    )?;
    let tx = db.transaction()?;
    for d in docs {
        let meta = format!(
            r#"{{"title":{:?},"doc_type":{:?},"owner":{:?},"dnr":{:?}}}"#,
            d.title, d.doc_type, d.owner, d.dnr
        );
        tx.execute(
            "INSERT INTO documents VALUES (?1, ?1, ?2)",
            params![d.id, meta],
        )?;
        for c in &d.clauses {
            tx.execute(
                "INSERT INTO clauses VALUES (?1, ?2, NULL, '', ?3, 'paragraph', ?4, ?5)",
                params![d.id, c.id, c.label, c.text, c.position],
            )?;
        }
        for f in &d.findings {
            let body = format!(
                r#"{{"unintended_consequence":{:?},"exploitation":{:?},"act_on_reason":{:?},"alternatives":[{:?}],"proposed_wording":{:?},"crime_types":{:?},"risk_level":{:?}}}"#,
                f.consequence,
                f.exploitation,
                f.act_on_reason,
                f.alternatives.join(""),
                f.proposed_wording,
                f.crime_types,
                f.risk_level
            );
            tx.execute(
                "INSERT INTO findings VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    f.id,
                    d.id,
                    f.clause_id,
                    body,
                    format!("{:?}", f.comments),
                    f.status
                ],
            )?;
        }
        for s in &d.dismissals {
            let body = format!(
                r#"{{"message":{:?},"state":{{"state":"dismissed","reason":{:?}}}}}"#,
                s.message, s.reason
            );
            tx.execute(
                "INSERT INTO suggestions VALUES (?1, ?2, ?3, 'vag-term', ?4)",
                params![s.suggestion_id, d.id, s.clause_id, body],
            )?;
        }
    }
    tx.commit()?;
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")?;
    Ok(())
}

fn build_fts(path: &Path, docs: &[IndexedDocument]) -> rusqlite::Result<Connection> {
    let mut db = Connection::open(path)?;
    db.execute_batch(
        "CREATE VIRTUAL TABLE fts USING fts5(body, context, kind UNINDEXED, doc_id UNINDEXED, item_id UNINDEXED, doc_type UNINDEXED, owner UNINDEXED, crime UNINDEXED, risk UNINDEXED, status UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');",
    )?;
    let tx = db.transaction()?;
    {
        let mut insert =
            tx.prepare("INSERT INTO fts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
        for d in docs {
            for r in rows(d) {
                insert.execute(params![
                    r.body,
                    r.context,
                    r.kind,
                    r.doc.id,
                    r.item_id,
                    r.doc.doc_type,
                    r.doc.owner,
                    r.crime,
                    r.risk,
                    r.status
                ])?;
            }
        }
    }
    tx.commit()?;
    db.execute_batch("INSERT INTO fts(fts) VALUES ('optimize'); VACUUM;")?;
    Ok(db)
}

/// What was typed, as an FTS5 MATCH expression: every token quoted (no
/// syntax gets through); words of six letters or more as prefix queries
/// (FTS5's closest thing to compound matching); "phrases" kept.
fn fts_match(query: &str) -> String {
    let mut parts = Vec::new();
    for (i, segment) in query.split('"').enumerate() {
        let tokens: Vec<String> = segment
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| t.to_lowercase())
            .collect();
        if tokens.is_empty() {
            continue;
        }
        if i % 2 == 1 {
            parts.push(format!("\"{}\"", tokens.join(" ")));
        } else {
            for t in tokens {
                if t.chars().count() >= 6 {
                    parts.push(format!("\"{t}\"*"));
                } else {
                    parts.push(format!("\"{t}\""));
                }
            }
        }
    }
    parts.join(" ")
}

struct Query {
    text: &'static str,
    filter: Option<(Facet, &'static str)>,
}

const fn q(text: &'static str) -> Query {
    Query { text, filter: None }
}

const fn qf(text: &'static str, facet: Facet, value: &'static str) -> Query {
    Query {
        text,
        filter: Some((facet, value)),
    }
}

fn queries() -> Vec<Query> {
    vec![
        // Single words.
        q("registerutdrag"),
        q("auktorisation"),
        q("belastningsregister"),
        q("bidragsbrott"),
        q("delegationsordning"),
        q("ersättning"),
        q("leverantör"),
        q("kontroll"),
        q("jäv"),
        q("mutor"),
        q("upphandling"),
        q("sekretess"),
        q("förfrågningsunderlag"),
        q("socialtjänstlagen"),
        q("hemtjänst"),
        q("uppföljning"),
        q("hävning"),
        q("underleverantör"),
        q("drivmedelskort"),
        q("representation"),
        q("bisyssla"),
        q("valfrihetssystem"),
        q("anbud"),
        q("tilldelningsbeslut"),
        q("egenkontroll"),
        q("ramavtal"),
        q("tröskelvärde"),
        q("kemiska"),
        q("försörjningsstöd"),
        q("vård"),
        // Typed without å/ä/ö.
        q("atgardsplan"),
        q("bistand"),
        q("handlaggning"),
        q("overprovning"),
        q("leverantorer"),
        q("arende"),
        q("forvaltningen"),
        q("nämnd"),
        // Several words.
        q("registerutdrag hemtjänst"),
        q("bidragsbrott inkomster"),
        q("gåva leverantör"),
        q("kontroll av ersättning"),
        q("ekonomiskt bistånd"),
        q("upphandlande myndighet anbud"),
        q("oriktiga uppgifter"),
        q("personlig assistans"),
        // Phrases.
        q("\"ekonomiskt bistånd\""),
        q("\"upphandlande myndighet\""),
        q("\"lagen om valfrihetssystem\""),
        q("\"offentlig upphandling\""),
        q("\"oriktiga uppgifter\""),
        q("\"enligt första stycket\""),
        // Filters.
        qf("leverantör", Facet::DocumentType, "Riktlinje"),
        qf("avtal", Facet::Owner, "Socialnämnden"),
        qf("kontroll", Facet::Kind, "finding"),
        qf("ersättning", Facet::Status, "agreed"),
        qf("registerutdrag", Facet::Document, "doc-0042"),
    ]
}

fn fts_filter(filter: Option<(Facet, &str)>) -> (String, String) {
    match filter {
        None => (String::new(), String::new()),
        Some((facet, value)) => {
            let column = match facet {
                Facet::Document => "doc_id",
                Facet::DocumentType => "doc_type",
                Facet::Owner => "owner",
                Facet::Kind => "kind",
                Facet::Status => "status",
                Facet::RiskLevel => "risk",
                Facet::CrimeType => "crime",
            };
            (format!(" AND {column} = ?2"), value.to_owned())
        }
    }
}

/// One FTS5 search: top 20 by bm25 (text weighted 3:1 over context) with a
/// snippet each, and the total count.
fn fts_search(db: &Connection, query: &Query) -> rusqlite::Result<(usize, usize)> {
    let expr = fts_match(query.text);
    let (filter, value) = fts_filter(query.filter);
    let sql = format!(
        "SELECT item_id, kind, doc_id, snippet(fts, 0, '[', ']', '…', 24) FROM fts WHERE fts MATCH ?1{filter} ORDER BY bm25(fts, 3.0, 1.0) LIMIT 20"
    );
    let mut stmt = db.prepare_cached(&sql)?;
    let mut hits = 0;
    let mut rows = if filter.is_empty() {
        stmt.query(params![expr])?
    } else {
        stmt.query(params![expr, value])?
    };
    while let Some(row) = rows.next()? {
        let _: String = row.get(3)?;
        hits += 1;
    }
    drop(rows);
    let count_sql = format!("SELECT count(*) FROM fts WHERE fts MATCH ?1{filter}");
    let mut count = db.prepare_cached(&count_sql)?;
    let total: i64 = if filter.is_empty() {
        count.query_row(params![expr], |r| r.get(0))?
    } else {
        count.query_row(params![expr, value], |r| r.get(0))?
    };
    Ok((hits, total as usize))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // nothing to list or test here
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = std::env::var_os("KRYPHAL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    let sample = root.join("crates/kryphal-app/sample/reglemente-kundval-hemtjanst.md");
    let n_docs = env_usize("BENCH_DOCS", 1_000);
    let per_doc = env_usize("BENCH_CLAUSES", 200);
    let rounds = env_usize("BENCH_ROUNDS", 10);

    eprintln!("reading corpus from {}", corpus.display());
    let pool = read_corpus(&corpus, &sample);
    assert!(
        pool.len() > 100,
        "too little corpus text in {}",
        corpus.display()
    );
    let docs = generate(&pool, n_docs, per_doc);
    let clauses: usize = docs.iter().map(|d| d.clauses.len()).sum();
    let findings: usize = docs.iter().map(|d| d.findings.len()).sum();
    let dismissals: usize = docs.iter().map(|d| d.dismissals.len()).sum();
    let text_bytes: usize = docs
        .iter()
        .flat_map(|d| d.clauses.iter())
        .map(|c| c.text.len())
        .sum();
    eprintln!(
        "{} paragraphs in the pool; {n_docs} documents, {clauses} clauses, {findings} findings, {dismissals} dismissals, {:.1} MB of clause text",
        pool.len(),
        text_bytes as f64 / 1e6
    );

    let tmp = std::env::temp_dir().join(format!("kryphal-search-bench-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir_all(&tmp).expect("temp dir");

    let library = tmp.join("library.kryphal");
    let t = Instant::now();
    write_library(&library, &docs).expect("library");
    let library_time = t.elapsed();
    let library_size = fs::metadata(&library).map(|m| m.len()).unwrap_or(0);

    // `BENCH_INDEX=DIR` keeps the index in DIR and reuses it when it is
    // already there (for profiling the queries alone).
    let kept = std::env::var_os("BENCH_INDEX").map(PathBuf::from);
    let index_dir = kept
        .clone()
        .unwrap_or_else(|| tmp.join("library.kryphal.search"));
    let (index, health) = SearchIndex::open(&index_dir).expect("open index");
    let t = Instant::now();
    let stats = if kept.is_some() && !health.needs_rebuild(1) {
        RebuildStats {
            documents: docs.len(),
            items: index.item_count() as usize,
        }
    } else {
        index.rebuild(docs.iter().cloned(), 1).expect("rebuild")
    };
    let index_time = t.elapsed();
    let index_size = dir_size(&index_dir);

    // `BENCH_FTS=0` leaves FTS5 out (for profiling tantivy alone).
    let with_fts = std::env::var("BENCH_FTS").map_or(true, |v| v != "0");
    let fts_path = tmp.join("fts.sqlite");
    let t = Instant::now();
    let fts = build_fts(&fts_path, if with_fts { &docs } else { &[] }).expect("fts");
    let fts_time = t.elapsed();
    let fts_size = fs::metadata(&fts_path).map(|m| m.len()).unwrap_or(0);

    // `BENCH_ONLY=TEXT` runs only the queries containing TEXT.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let queries: Vec<Query> = queries()
        .into_iter()
        .filter(|q| q.text.contains(only.as_str()))
        .collect();
    let mut tantivy_times = Vec::new();
    let mut fts_times = Vec::new();
    let mut per_query: BTreeMap<usize, (Vec<Duration>, Vec<Duration>, String, usize)> =
        BTreeMap::new();
    // `BENCH_COUNT_CAP=N` counts exactly up to N matches instead of the
    // default (a huge N: every match, as before the cap).
    if let Ok(cap) = std::env::var("BENCH_COUNT_CAP") {
        index.set_count_cap(cap.parse().expect("BENCH_COUNT_CAP is a number"));
    }
    let request = |query: &Query| {
        let mut r = SearchRequest::new(query.text);
        if let Some((f, v)) = query.filter {
            r = r.filter(f, v);
        }
        r
    };
    // The first search after opening builds the per-segment caches (facet
    // combinations, term lists): timed on its own.
    let t = Instant::now();
    if let Some(query) = queries.first() {
        let _ = index.search(&request(query)).expect("search");
    }
    let first_search = t.elapsed();
    // Warm-up: one pass each.
    for query in &queries {
        let _ = index.search(&request(query)).expect("search");
        if with_fts {
            let _ = fts_search(&fts, query).expect("fts search");
        }
    }
    for _ in 0..rounds {
        for (i, query) in queries.iter().enumerate() {
            let r = request(query);
            let t = Instant::now();
            let results = index.search(&r).expect("search");
            let d1 = t.elapsed();
            let t = Instant::now();
            let (_, fts_total) = if with_fts {
                fts_search(&fts, query).expect("fts search")
            } else {
                (0, 0)
            };
            let d2 = t.elapsed();
            tantivy_times.push(d1);
            fts_times.push(d2);
            let e = per_query.entry(i).or_default();
            e.0.push(d1);
            e.1.push(d2);
            e.2 = if results.total_is_lower_bound {
                format!("{}+", results.total)
            } else {
                results.total.to_string()
            };
            e.3 = fts_total;
        }
    }
    tantivy_times.sort();
    fts_times.sort();

    println!("## Corpus\n");
    println!(
        "{n_docs} documents, {clauses} clauses, {findings} findings, {dismissals} dismissals ({} items); {:.1} MB of clause text from {} corpus paragraphs.\n",
        stats.items,
        text_bytes as f64 / 1e6,
        pool.len()
    );
    println!("## Build and size\n");
    println!("| | build time | size on disk |\n|---|---:|---:|");
    println!(
        "| library-like SQLite file (no original files) | {:.1} s | {:.1} MB |",
        library_time.as_secs_f64(),
        library_size as f64 / 1e6
    );
    println!(
        "| tantivy index (this crate) | {:.1} s | {:.1} MB ({:.0} % of the library) |",
        index_time.as_secs_f64(),
        index_size as f64 / 1e6,
        100.0 * index_size as f64 / library_size as f64
    );
    println!(
        "| SQLite FTS5 table | {:.1} s | {:.1} MB |",
        fts_time.as_secs_f64(),
        fts_size as f64 / 1e6
    );
    println!(
        "\nFirst search after opening the index (builds the per-segment caches): {:.1} ms.",
        ms(first_search)
    );
    println!(
        "\n## Latency over {} queries × {rounds} rounds\n",
        queries.len()
    );
    println!("| engine | p50 | p95 | p99 | max | mean |\n|---|---:|---:|---:|---:|---:|");
    for (name, times) in [
        (
            "tantivy (hits + snippets + count + 7 facets)",
            &tantivy_times,
        ),
        ("FTS5 (hits + snippets + count)", &fts_times),
    ] {
        let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
        println!(
            "| {name} | {:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms |",
            ms(percentile(times, 0.5)),
            ms(percentile(times, 0.95)),
            ms(percentile(times, 0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
            ms(mean)
        );
    }
    // The best of the rounds of each query: what a query costs when the
    // machine is not busy with something else (robust to other load).
    let best = |engine: usize| {
        let mut v: Vec<Duration> = per_query
            .values()
            .map(|e| {
                let times = if engine == 0 { &e.0 } else { &e.1 };
                times.iter().min().copied().unwrap_or_default()
            })
            .collect();
        v.sort();
        v
    };
    let (best_t, best_f) = (best(0), best(1));
    println!(
        "\nBest of {rounds} rounds per query, over the {} queries:\n",
        queries.len()
    );
    println!("| engine | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|");
    for (name, times) in [("tantivy", &best_t), ("FTS5", &best_f)] {
        println!(
            "| {name} | {:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms |",
            ms(percentile(times, 0.5)),
            ms(percentile(times, 0.95)),
            ms(percentile(times, 0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
        );
    }
    println!(
        "\nRatio FTS5 / tantivy: p50 {:.1}×, p99 {:.1}×.",
        ms(percentile(&fts_times, 0.5)) / ms(percentile(&tantivy_times, 0.5)),
        ms(percentile(&fts_times, 0.99)) / ms(percentile(&tantivy_times, 0.99))
    );
    println!("\n## Per query (median and best of {rounds})\n");
    println!(
        "| query | filter | tantivy ms | best | hits | FTS5 ms | best | hits |\n|---|---|---:|---:|---:|---:|---:|---:|"
    );
    for (i, (mut a, mut b, ta, tb)) in per_query {
        a.sort();
        b.sort();
        let query = &queries[i];
        let filter = query
            .filter
            .map(|(f, v)| format!("{f:?}={v}"))
            .unwrap_or_default();
        println!(
            "| `{}` | {filter} | {:.3} | {:.3} | {ta} | {:.3} | {:.3} | {tb} |",
            query.text.replace('|', "\\|"),
            ms(percentile(&a, 0.5)),
            ms(percentile(&a, 0.0)),
            ms(percentile(&b, 0.5)),
            ms(percentile(&b, 0.0))
        );
    }
    drop(index);
    drop(fts);
    let _ = fs::remove_dir_all(&tmp);
}
