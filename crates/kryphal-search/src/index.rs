//! Opening, checking, recovering and updating the index.

use std::collections::HashMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};

use tantivy::collector::DocSetCollector;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::TermQuery;
use tantivy::schema::{Facet as TFacet, IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::HitKind;
use crate::analysis::{self, Analyzers};
use crate::error::{Result, SearchError};
use crate::facets::FacetMapCache;
use crate::heads::TermListCache;
use crate::lexicon::Lexicon;
use crate::model::IndexedDocument;
use crate::schema::{Fields, SCHEMA_VERSION, build_schema};

/// Memory the single indexing thread may use before it writes a segment.
const WRITER_MEMORY_BYTES: usize = 50_000_000;
/// The file that marks a folder as ours, so that a broken index can be
/// wiped without risk of deleting anything else.
pub(crate) const MARKER_FILE: &str = "KRYPHAL-SEARCH-INDEX.txt";
const MARKER_TEXT: &str = "This folder is Kryphål's search index. It is rebuilt from the library \
whenever it is missing or damaged, so it is safe to delete.\n";
/// Separates the parts of a stored context text.
pub(crate) const CONTEXT_SEPARATOR: &str = " · ";

/// What [`SearchIndex::open`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexHealth {
    /// The index was opened as it was. `generation` is the library change
    /// counter of its last update (`None` if it never had one); compare it
    /// with the library's with [`IndexHealth::needs_rebuild`].
    Ready { generation: Option<u64> },
    /// There was no index: an empty one was created. Rebuild it.
    Created,
    /// The index was unusable (damaged, written by another version of
    /// Kryphål, or not an index at all) and was replaced by an empty one.
    /// Rebuild it.
    Recreated {
        /// Why, in words a user can read.
        reason: String,
        /// Where the old folder was moved when it did not look like ours
        /// (it is left there untouched); `None` when it was wiped.
        moved_aside_to: Option<PathBuf>,
    },
}

impl IndexHealth {
    /// Whether the index must be rebuilt to match a library whose change
    /// counter is `library_generation`.
    pub fn needs_rebuild(&self, library_generation: u64) -> bool {
        !matches!(self, IndexHealth::Ready { generation: Some(g) } if *g == library_generation)
    }
}

/// Counts from a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildStats {
    pub documents: usize,
    /// Searchable items: documents, clauses, findings and dismissals.
    pub items: usize,
}

/// The search index of one library. Share it between threads (`&self`
/// everywhere); one write runs at a time, searches run alongside writes
/// and see the last committed state.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    pub(crate) fields: Fields,
    pub(crate) analyzers: Analyzers,
    generation: Mutex<Option<u64>>,
    /// Document id → title, for labelling the document facet.
    pub(crate) titles: RwLock<HashMap<String, String>>,
    pub(crate) facet_maps: FacetMapCache,
    /// Term lists for finding compound heads, by segment and field.
    pub(crate) term_lists: TermListCache,
    /// Matches counted exactly per search ([`crate::COUNT_CAP`] unless set).
    count_cap: AtomicUsize,
    dir: Option<PathBuf>,
}

/// The analysis an index was written with: the schema version and the
/// lexicon's fingerprint. Another one means a rebuild.
fn analysis_version() -> String {
    format!("{SCHEMA_VERSION}-{:016x}", Lexicon::get().fingerprint())
}

fn payload(generation: u64) -> String {
    format!(
        "kryphal-search;schema={};generation={generation}",
        analysis_version()
    )
}

/// Reads `(analysis version, generation)` from a commit payload.
fn parse_payload(p: &str) -> Option<(String, u64)> {
    let mut schema = None;
    let mut generation = None;
    let mut parts = p.split(';');
    if parts.next() != Some("kryphal-search") {
        return None;
    }
    for kv in parts {
        match kv.split_once('=') {
            Some(("schema", v)) => schema = Some(v.to_owned()),
            Some(("generation", v)) => generation = v.parse().ok(),
            _ => {}
        }
    }
    Some((schema?, generation?))
}

enum OpenProblem {
    Busy,
    Unusable(String),
}

impl From<TantivyError> for OpenProblem {
    fn from(e: TantivyError) -> Self {
        match e {
            TantivyError::LockFailure(..) => OpenProblem::Busy,
            other => OpenProblem::Unusable(other.to_string()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves the writer usable
    // (every call rolls back or commits as a whole).
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    let mut entries = fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
    Ok(entries.next().is_none())
}

impl SearchIndex {
    /// Opens the index in `dir` (created when missing), checking that it is
    /// whole and of this version. A damaged or foreign index is never an
    /// error: it is replaced by an empty one and the health says why.
    /// Errors are only for a folder that cannot be used at all, or an index
    /// another window is writing ([`SearchError::Busy`]).
    pub fn open(dir: impl AsRef<Path>) -> Result<(SearchIndex, IndexHealth)> {
        let dir = dir.as_ref();
        if !dir.exists() {
            return Ok((Self::create_in(dir)?, IndexHealth::Created));
        }
        if dir.is_dir() && is_empty_dir(dir)? {
            return Ok((Self::create_in(dir)?, IndexHealth::Created));
        }
        let problem = if dir.is_dir() {
            let attempt = catch_unwind(AssertUnwindSafe(|| Self::open_existing(dir)));
            match attempt {
                Ok(Ok((index, generation))) => {
                    return Ok((index, IndexHealth::Ready { generation }));
                }
                Ok(Err(OpenProblem::Busy)) => return Err(SearchError::Busy),
                Ok(Err(OpenProblem::Unusable(why))) => why,
                Err(_) => "the search engine failed while reading it".to_owned(),
            }
        } else {
            "it is a file, not a folder".to_owned()
        };
        let moved_aside_to = Self::clear(dir)?;
        let index = Self::create_in(dir)?;
        Ok((
            index,
            IndexHealth::Recreated {
                reason: format!("The search index could not be used ({problem}) and is rebuilt."),
                moved_aside_to,
            },
        ))
    }

    /// An index held in memory only (tests, previews).
    pub fn in_memory() -> Result<SearchIndex> {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        Self::from_index(index, fields, None).map_err(|p| match p {
            OpenProblem::Busy => SearchError::Busy,
            OpenProblem::Unusable(why) => SearchError::Engine(why),
        })
    }

    fn create_in(dir: &Path) -> Result<SearchIndex> {
        fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
        let marker = dir.join(MARKER_FILE);
        fs::write(&marker, MARKER_TEXT).map_err(|e| SearchError::io(&marker, e))?;
        let (schema, fields) = build_schema();
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Engine(e.to_string()))?;
        let index = Index::create(directory, schema, Default::default())?;
        Self::from_index(index, fields, Some(dir.to_owned())).map_err(|p| match p {
            OpenProblem::Busy => SearchError::Busy,
            OpenProblem::Unusable(why) => SearchError::Engine(why),
        })
    }

    fn open_existing(dir: &Path) -> std::result::Result<(SearchIndex, Option<u64>), OpenProblem> {
        let directory =
            MmapDirectory::open(dir).map_err(|e| OpenProblem::Unusable(e.to_string()))?;
        match Index::exists(&directory) {
            Ok(true) => {}
            Ok(false) => return Err(OpenProblem::Unusable("no index found in the folder".into())),
            Err(e) => return Err(OpenProblem::Unusable(e.to_string())),
        }
        let index = Index::open(directory)?;
        let (schema, fields) = build_schema();
        if index.schema() != schema {
            return Err(OpenProblem::Unusable(
                "it was made by another version of Kryphål".into(),
            ));
        }
        let metas = index.load_metas()?;
        let generation = match metas.payload.as_deref().map(parse_payload) {
            None => None,
            Some(Some((v, g))) if v == analysis_version() => Some(g),
            Some(_) => {
                return Err(OpenProblem::Unusable(
                    "it was made by another version of Kryphål".into(),
                ));
            }
        };
        let damaged = index.validate_checksum()?;
        if !damaged.is_empty() {
            return Err(OpenProblem::Unusable(format!(
                "{} damaged file(s)",
                damaged.len()
            )));
        }
        let search = Self::from_index(index, fields, Some(dir.to_owned()))?;
        *lock(&search.generation) = generation;
        Ok((search, generation))
    }

    fn from_index(
        index: Index,
        fields: Fields,
        dir: Option<PathBuf>,
    ) -> std::result::Result<SearchIndex, OpenProblem> {
        analysis::register(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        let search = SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            analyzers: Analyzers::new(),
            generation: Mutex::new(None),
            titles: RwLock::new(HashMap::new()),
            facet_maps: FacetMapCache::default(),
            term_lists: TermListCache::default(),
            count_cap: AtomicUsize::new(crate::COUNT_CAP),
            dir,
        };
        search.load_titles()?;
        Ok(search)
    }

    /// Empties `dir` when it carries our marker; otherwise moves it aside
    /// (never deleting what might not be ours) and returns where to.
    fn clear(dir: &Path) -> Result<Option<PathBuf>> {
        if dir.is_dir() && dir.join(MARKER_FILE).is_file() {
            let entries = fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
            for entry in entries {
                let path = entry.map_err(|e| SearchError::io(dir, e))?.path();
                let removed = if path.is_dir() {
                    fs::remove_dir_all(&path)
                } else {
                    fs::remove_file(&path)
                };
                removed.map_err(|e| SearchError::io(&path, e))?;
            }
            return Ok(None);
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "search-index".to_owned());
        let parent = dir.parent().unwrap_or_else(|| Path::new("."));
        let mut n = 1;
        let target = loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            let candidate = parent.join(format!("{name}.unreadable{suffix}"));
            if !candidate.exists() {
                break candidate;
            }
            n += 1;
        };
        fs::rename(dir, &target).map_err(|e| SearchError::io(dir, e))?;
        Ok(Some(target))
    }

    /// The library change counter the index was last brought up to.
    pub fn generation(&self) -> Option<u64> {
        *lock(&self.generation)
    }

    /// The folder the index lives in (`None` in memory).
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Sets how many matches a search counts exactly before it reports its
    /// total as a lower bound (at least 1; default [`crate::COUNT_CAP`]).
    /// For tests and measurements.
    pub fn set_count_cap(&self, cap: usize) {
        self.count_cap.store(cap.max(1), Ordering::Relaxed);
    }

    /// How many matches a search counts exactly.
    pub fn count_cap(&self) -> usize {
        self.count_cap.load(Ordering::Relaxed)
    }

    /// Number of searchable items (documents, clauses, findings, dismissals).
    pub fn item_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Size of the index folder in bytes (0 in memory).
    pub fn size_on_disk(&self) -> Result<u64> {
        let Some(dir) = &self.dir else { return Ok(0) };
        let mut total = 0;
        for entry in fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))? {
            let entry = entry.map_err(|e| SearchError::io(dir, e))?;
            let meta = entry
                .metadata()
                .map_err(|e| SearchError::io(entry.path(), e))?;
            if meta.is_file() {
                total += meta.len();
            }
        }
        Ok(total)
    }

    /// Puts `document` in the index (replacing what was there for its id)
    /// and records `generation`. Atomic: all of it or, on error, none.
    pub fn replace_document(&self, document: &IndexedDocument, generation: u64) -> Result<()> {
        let mut writer = lock(&self.writer);
        let result = (|| {
            writer.delete_term(Term::from_field_text(self.fields.doc_id, &document.id));
            for item in self.items(document) {
                writer.add_document(item)?;
            }
            Ok(())
        })();
        self.finish(&mut writer, result, generation)?;
        drop(writer);
        let mut titles = self.titles.write().unwrap_or_else(|e| e.into_inner());
        titles.insert(document.id.clone(), document.title.clone());
        Ok(())
    }

    /// Removes a document and everything on it, and records `generation`.
    pub fn remove_document(&self, document_id: &str, generation: u64) -> Result<()> {
        let mut writer = lock(&self.writer);
        writer.delete_term(Term::from_field_text(self.fields.doc_id, document_id));
        self.finish(&mut writer, Ok(()), generation)?;
        drop(writer);
        let mut titles = self.titles.write().unwrap_or_else(|e| e.into_inner());
        titles.remove(document_id);
        Ok(())
    }

    /// Records `generation` without changing any content (for a library
    /// change that touches nothing searchable).
    pub fn set_generation(&self, generation: u64) -> Result<()> {
        let mut writer = lock(&self.writer);
        self.finish(&mut writer, Ok(()), generation)
    }

    /// Replaces the whole index by `documents` (the library at
    /// `generation`). Searches keep answering from the old content until
    /// the new one is committed; other writes wait.
    pub fn rebuild(
        &self,
        documents: impl IntoIterator<Item = IndexedDocument>,
        generation: u64,
    ) -> Result<RebuildStats> {
        self.try_rebuild(
            documents.into_iter().map(Ok::<_, std::convert::Infallible>),
            generation,
        )
    }

    /// [`SearchIndex::rebuild`] from a source that can fail (reading the
    /// library): on the first error nothing changes and
    /// [`SearchError::Source`] is returned.
    pub fn try_rebuild<E: std::fmt::Display>(
        &self,
        documents: impl IntoIterator<Item = std::result::Result<IndexedDocument, E>>,
        generation: u64,
    ) -> Result<RebuildStats> {
        let mut writer = lock(&self.writer);
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut stats = RebuildStats {
            documents: 0,
            items: 0,
        };
        let mut titles = HashMap::new();
        let result = (|| {
            writer.delete_all_documents()?;
            for document in documents {
                let document = document.map_err(|e| SearchError::Source(e.to_string()))?;
                stats.documents += 1;
                for item in self.items(&document) {
                    writer.add_document(item)?;
                    stats.items += 1;
                }
                titles.insert(document.id, document.title);
            }
            Ok(())
        })();
        let committed = self.finish(&mut writer, result, generation);
        if committed.is_ok() {
            // One segment searches fastest and smallest; a failure here only
            // leaves several segments, which is still a whole index.
            if let Ok(ids) = self.index.searchable_segment_ids()
                && ids.len() > 1
            {
                let _ = writer.merge(&ids).wait();
            }
            let _ = self.reader.reload();
        }
        writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        drop(writer);
        committed?;
        *self.titles.write().unwrap_or_else(|e| e.into_inner()) = titles;
        Ok(stats)
    }

    /// Commits with the generation stamp, or rolls back on error.
    fn finish(
        &self,
        writer: &mut IndexWriter<TantivyDocument>,
        result: Result<()>,
        generation: u64,
    ) -> Result<()> {
        let committed = result.and_then(|()| {
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload(generation));
            prepared.commit()?;
            Ok(())
        });
        match committed {
            Ok(()) => {
                *lock(&self.generation) = Some(generation);
                self.reader.reload()?;
                Ok(())
            }
            Err(e) => {
                let _ = writer.rollback();
                Err(e)
            }
        }
    }

    fn load_titles(&self) -> tantivy::Result<()> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, HitKind::Document.as_str()),
            IndexRecordOption::Basic,
        );
        let mut titles = HashMap::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            titles.insert(get(self.fields.doc_id), get(self.fields.title));
        }
        *self.titles.write().unwrap_or_else(|e| e.into_inner()) = titles;
        Ok(())
    }

    /// The searchable items of a document.
    fn items(&self, d: &IndexedDocument) -> Vec<TantivyDocument> {
        let f = &self.fields;
        let mut out =
            Vec::with_capacity(1 + d.clauses.len() + d.findings.len() + d.dismissals.len());
        let base = |kind: HitKind, item_id: &str, position: u32| {
            let mut doc = TantivyDocument::new();
            doc.add_text(f.kind, kind.as_str());
            doc.add_text(f.doc_id, &d.id);
            doc.add_text(f.item_id, item_id);
            doc.add_text(f.title, &d.title);
            doc.add_u64(f.position, u64::from(position));
            doc.add_facet(f.facets, TFacet::from_path(["d", d.id.as_str()]));
            doc.add_facet(f.facets, TFacet::from_path(["k", kind.as_str()]));
            if !d.doc_type.trim().is_empty() {
                doc.add_facet(f.facets, TFacet::from_path(["t", d.doc_type.trim()]));
            }
            if !d.owner.trim().is_empty() {
                doc.add_facet(f.facets, TFacet::from_path(["o", d.owner.trim()]));
            }
            doc
        };
        // Own text, own metadata, surroundings (each field's tokenizer reads
        // the words: see `analysis.rs`).
        let texts = |doc: &mut TantivyDocument, body: &str, meta: &[&str], context: &[&str]| {
            doc.add_text(f.body, body);
            doc.add_text(f.body_folded, body);
            doc.add_text(f.parts, body);
            let meta = join(meta.iter().copied(), CONTEXT_SEPARATOR);
            if !meta.is_empty() {
                doc.add_text(f.meta, &meta);
                doc.add_text(f.meta_folded, &meta);
            }
            let context = join(context.iter().copied(), CONTEXT_SEPARATOR);
            if !context.is_empty() {
                doc.add_text(f.context, &context);
            }
        };
        let doc_context = [d.title.as_str(), d.doc_type.as_str(), d.owner.as_str()];

        let mut document = base(HitKind::Document, &d.id, 0);
        let mut meta: Vec<&str> = vec![&d.doc_type, &d.owner, &d.dnr];
        meta.extend(d.other_metadata.iter().map(String::as_str));
        texts(&mut document, &d.title, &meta, &[]);
        out.push(document);

        let mut clauses: HashMap<&str, (&str, u32)> = HashMap::new();
        for c in &d.clauses {
            clauses.insert(&c.id, (&c.label, c.position));
            let mut doc = base(HitKind::Clause, &c.id, c.position);
            doc.add_text(f.clause_id, &c.id);
            doc.add_text(f.label, &c.label);
            let mut context = vec![c.label.as_str()];
            context.extend(doc_context);
            texts(&mut doc, &c.text, &[], &context);
            out.push(doc);
        }
        for fi in &d.findings {
            let (label, position) = clauses
                .get(fi.clause_id.as_str())
                .copied()
                .unwrap_or(("", 0));
            let mut doc = base(HitKind::Finding, &fi.id, position);
            doc.add_text(f.clause_id, &fi.clause_id);
            doc.add_text(f.label, label);
            for c in &fi.crime_types {
                if !c.trim().is_empty() {
                    doc.add_facet(f.facets, TFacet::from_path(["c", c.trim()]));
                }
            }
            if let Some(r) = fi.risk_level.as_deref().filter(|r| !r.trim().is_empty()) {
                doc.add_facet(f.facets, TFacet::from_path(["r", r.trim()]));
            }
            if !fi.status.trim().is_empty() {
                doc.add_facet(f.facets, TFacet::from_path(["s", fi.status.trim()]));
            }
            let mut body: Vec<&str> = vec![&fi.consequence, &fi.exploitation, &fi.act_on_reason];
            body.extend(fi.alternatives.iter().map(String::as_str));
            body.push(&fi.proposed_wording);
            body.extend(fi.comments.iter().map(String::as_str));
            let body = join(body.into_iter(), "\n");
            let mut meta: Vec<&str> = fi.crime_type_names.iter().map(String::as_str).collect();
            meta.push(fi.responsible_body.as_str());
            let mut context = vec![label];
            context.extend(doc_context);
            texts(&mut doc, &body, &meta, &context);
            out.push(doc);
        }
        for di in &d.dismissals {
            let (label, position) = clauses
                .get(di.clause_id.as_str())
                .copied()
                .unwrap_or(("", 0));
            let mut doc = base(HitKind::Dismissal, &di.suggestion_id, position);
            doc.add_text(f.clause_id, &di.clause_id);
            doc.add_text(f.label, label);
            let mut context = vec![label];
            context.extend(doc_context);
            texts(&mut doc, &di.reason, &[di.message.as_str()], &context);
            out.push(doc);
        }
        out
    }
}

/// Joins the non-blank parts with `sep`.
fn join<'a>(parts: impl Iterator<Item = &'a str>, sep: &str) -> String {
    let mut out = String::new();
    for p in parts.map(str::trim).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trip() {
        assert_eq!(parse_payload(&payload(42)), Some((analysis_version(), 42)));
        assert_eq!(parse_payload("something else"), None);
        assert_eq!(parse_payload("kryphal-search;schema=1"), None);
    }
}
