//! Facet counting through a per-segment table, built once per segment and
//! cached: every document of the segment gets the id of its *combination*
//! of facet values (the items of one document and kind mostly share one),
//! so that counting a match is one array read and one increment. The
//! counts per combination are spread over the facet values once per search,
//! at the end. (tantivy's `FacetCollector` rebuilds its mapping on every
//! search, and reading each match's facet ordinals from the fast field was
//! the largest single cost of a search matching many items.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet as TFacet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::search::Facet;

const NONE: u32 = u32::MAX;

/// For one segment: each document's combination of facet values.
pub(crate) struct SegmentFacetMap {
    /// Facet value of each slot.
    values: Vec<(Facet, String)>,
    /// Combination id of each document (by doc id).
    doc_combo: Vec<u32>,
    /// The slots of combination `c` are `slots[starts[c]..starts[c + 1]]`.
    starts: Vec<u32>,
    slots: Vec<u32>,
}

impl SegmentFacetMap {
    fn build(segment: &SegmentReader) -> tantivy::Result<Self> {
        let reader = segment.facet_reader("facets")?;
        let n = reader.num_facets();
        let mut slot_of = vec![NONE; n];
        let mut values = Vec::new();
        let mut facet = TFacet::root();
        for (ord, slot) in slot_of.iter_mut().enumerate() {
            reader.facet_from_ord(ord as u64, &mut facet)?;
            let path = facet.to_path();
            if let [root, value] = path.as_slice()
                && let Some(f) = Facet::ALL.iter().find(|f| f.root() == *root)
            {
                *slot = values.len() as u32;
                values.push((*f, (*value).to_owned()));
            }
        }
        let max_doc = segment.max_doc();
        let mut doc_combo = Vec::with_capacity(max_doc as usize);
        let mut starts = vec![0u32];
        let mut slots: Vec<u32> = Vec::new();
        let mut ids: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut current: Vec<u32> = Vec::new();
        let mut previous: Option<(Vec<u32>, u32)> = None;
        for doc in 0..max_doc {
            current.clear();
            current.extend(
                reader
                    .facet_ords(doc)
                    .filter_map(|ord| slot_of.get(ord as usize).copied())
                    .filter(|&s| s != NONE),
            );
            current.sort_unstable();
            current.dedup();
            // Neighbouring items mostly share their combination.
            if let Some((prev, id)) = &previous
                && *prev == current
            {
                doc_combo.push(*id);
                continue;
            }
            let id = match ids.get(&current) {
                Some(&id) => id,
                None => {
                    let id = (starts.len() - 1) as u32;
                    slots.extend_from_slice(&current);
                    starts.push(slots.len() as u32);
                    ids.insert(current.clone(), id);
                    id
                }
            };
            doc_combo.push(id);
            previous = Some((current.clone(), id));
        }
        Ok(SegmentFacetMap {
            values,
            doc_combo,
            starts,
            slots,
        })
    }

    fn combos(&self) -> usize {
        self.starts.len() - 1
    }
}

/// Cached maps by segment; entries of segments gone from the index are
/// dropped on the next search.
#[derive(Default)]
pub(crate) struct FacetMapCache {
    maps: Mutex<HashMap<SegmentId, Arc<SegmentFacetMap>>>,
}

impl FacetMapCache {
    fn get(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentFacetMap>> {
        let id = reader.segment_id();
        if let Some(map) = self.maps.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(Arc::clone(map));
        }
        let map = Arc::new(SegmentFacetMap::build(reader)?);
        self.maps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, Arc::clone(&map));
        Ok(map)
    }

    /// Forgets the maps of segments not in `live`.
    pub fn retain(&self, live: &[SegmentId]) {
        self.maps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|id, _| live.contains(id));
    }
}

/// Counts, per facet and value, the documents a query matches.
pub(crate) struct FacetCounter<'a> {
    pub cache: &'a FacetMapCache,
}

/// The matches of one segment, counted by combination.
pub(crate) struct SegmentCounts {
    map: Arc<SegmentFacetMap>,
    counts: Vec<u32>,
}

impl Collector for FacetCounter<'_> {
    type Fruit = Counts;
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let map = self.cache.get(reader)?;
        Ok(SegmentCounts {
            counts: vec![0; map.combos()],
            map,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<SegmentCounts>>) -> tantivy::Result<Counts> {
        Ok(Counts {
            segments: fruits.into_iter().flatten().collect(),
        })
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Vec<SegmentCounts>;

    #[inline]
    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(&c) = self.map.doc_combo.get(doc as usize) {
            self.counts[c as usize] += 1;
        }
    }

    fn harvest(self) -> Vec<SegmentCounts> {
        vec![self]
    }
}

/// The facet counts of one search, per segment until read.
#[derive(Default)]
pub(crate) struct Counts {
    segments: Vec<SegmentCounts>,
}

impl Counts {
    /// Every facet value with a count above zero, summed over segments (in
    /// no particular order).
    pub fn values(&self) -> Vec<(Facet, &str, u64)> {
        let per_segment = self.segments.iter().map(|s| {
            let mut by_slot = vec![0u64; s.map.values.len()];
            for (c, &n) in s.counts.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let range = s.map.starts[c] as usize..s.map.starts[c + 1] as usize;
                for &slot in &s.map.slots[range] {
                    by_slot[slot as usize] += u64::from(n);
                }
            }
            by_slot
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(slot, n)| {
                    let (facet, value) = &s.map.values[slot];
                    (*facet, value.as_str(), n)
                })
                .collect::<Vec<_>>()
        });
        let mut per_segment: Vec<_> = per_segment.collect();
        if per_segment.len() <= 1 {
            return per_segment.pop().unwrap_or_default();
        }
        let mut all: HashMap<(Facet, &str), u64> = HashMap::new();
        for (facet, value, n) in per_segment.into_iter().flatten() {
            *all.entry((facet, value)).or_default() += n;
        }
        all.into_iter().map(|((f, v), n)| (f, v, n)).collect()
    }
}
