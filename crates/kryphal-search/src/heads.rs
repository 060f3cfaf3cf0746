//! Compound heads: finding `belastningsregister` for `register`. A typed
//! word long enough for compounds also reaches the indexed terms that end
//! with it (plus a short inflection ending), found by one substring search
//! over a cached copy of each segment's term list, so a search pays
//! microseconds for it, not a scan of the term dictionary.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::SegmentReader;
use tantivy::index::SegmentId;
use tantivy::schema::Field;

use crate::analysis::is_head;

/// The terms of one field of one segment, separated by `\n`, with their
/// document frequencies.
pub(crate) struct TermList {
    text: String,
    /// Byte offset of each term in `text`.
    starts: Vec<u32>,
    doc_freqs: Vec<u32>,
}

impl TermList {
    fn build(segment: &SegmentReader, field: Field) -> tantivy::Result<Self> {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        let mut list = TermList {
            text: String::new(),
            starts: Vec::new(),
            doc_freqs: Vec::new(),
        };
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            list.starts.push(list.text.len() as u32);
            list.text.push_str(term);
            list.text.push('\n');
            list.doc_freqs.push(stream.value().doc_freq);
        }
        Ok(list)
    }

    /// Every term of which `key` is the head, with its document frequency.
    pub fn heads<'a>(&'a self, key: &'a str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        let mut last = usize::MAX;
        self.text.match_indices(key).filter_map(move |(at, _)| {
            let i = self.starts.partition_point(|&s| s as usize <= at) - 1;
            if i == last {
                return None;
            }
            let start = self.starts[i] as usize;
            let end = self
                .starts
                .get(i + 1)
                .map_or(self.text.len(), |&s| s as usize)
                - 1;
            let term = &self.text[start..end];
            is_head(key, term).then(|| {
                last = i;
                (term, self.doc_freqs[i])
            })
        })
    }
}

/// Term lists by segment and field, built on first use; lists of segments
/// gone from the index are dropped on the next search.
#[derive(Default)]
pub(crate) struct TermListCache {
    lists: Mutex<HashMap<(SegmentId, Field), Arc<TermList>>>,
}

impl TermListCache {
    pub fn get(&self, segment: &SegmentReader, field: Field) -> tantivy::Result<Arc<TermList>> {
        let key = (segment.segment_id(), field);
        if let Some(list) = self
            .lists
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(Arc::clone(list));
        }
        let list = Arc::new(TermList::build(segment, field)?);
        self.lists
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, Arc::clone(&list));
        Ok(list)
    }

    /// Forgets the lists of segments not in `live`.
    pub fn retain(&self, live: &[SegmentId]) {
        self.lists
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(id, _), _| live.contains(id));
    }
}
