//! Facet counting with a per-segment map from facet ordinal to counter,
//! built once per segment and cached (tantivy's `FacetCollector` rebuilds
//! its mapping on every search, which costs milliseconds on a large index).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::schema::Facet as TFacet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::search::Facet;

const NONE: u32 = u32::MAX;

/// For one segment: which counter each facet ordinal feeds.
pub(crate) struct SegmentFacetMap {
    slots: Vec<u32>,
    values: Vec<(Facet, String)>,
}

impl SegmentFacetMap {
    fn build(reader: &FacetReader) -> tantivy::Result<Self> {
        let n = reader.num_facets();
        let mut slots = vec![NONE; n];
        let mut values = Vec::new();
        let mut facet = TFacet::root();
        for (ord, slot) in slots.iter_mut().enumerate() {
            reader.facet_from_ord(ord as u64, &mut facet)?;
            let path = facet.to_path();
            if let [root, value] = path.as_slice()
                && let Some(f) = Facet::ALL.iter().find(|f| f.root() == *root)
            {
                *slot = values.len() as u32;
                values.push((*f, (*value).to_owned()));
            }
        }
        Ok(SegmentFacetMap { slots, values })
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
        let map = Arc::new(SegmentFacetMap::build(&reader.facet_reader("facets")?)?);
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

pub(crate) struct FacetSegmentCounter {
    reader: FacetReader,
    map: Arc<SegmentFacetMap>,
    counts: Vec<u64>,
}

/// Counts by facet and value.
pub(crate) type Counts = HashMap<(Facet, String), u64>;

impl Collector for FacetCounter<'_> {
    type Fruit = Counts;
    type Child = FacetSegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCounter> {
        let map = self.cache.get(reader)?;
        Ok(FacetSegmentCounter {
            reader: reader.facet_reader("facets")?,
            counts: vec![0; map.values.len()],
            map,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::new();
        for fruit in fruits {
            for (k, v) in fruit {
                *all.entry(k).or_default() += v;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for FacetSegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for ord in self.reader.facet_ords(doc) {
            if let Some(&slot) = self.map.slots.get(ord as usize)
                && slot != NONE
            {
                self.counts[slot as usize] += 1;
            }
        }
    }

    fn harvest(self) -> Counts {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (self.map.values[i].clone(), *c))
            .collect()
    }
}
