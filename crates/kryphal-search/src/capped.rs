//! Counting up to a cap: a collector wrapper that stops visiting matches
//! once it has passed a given number of them to the collector it wraps, and
//! remembers whether there were more.
//!
//! Why: counting every match exactly (and computing facets over all of
//! them) makes a common phrase cost one position check per candidate item;
//! above the cap the total is reported as a lower bound instead
//! ([`crate::SearchResults::total_is_lower_bound`]).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::{DocSet, SegmentOrdinal, SegmentReader, TERMINATED};

/// Passes at most `cap` matches (over all segments, in index order) to
/// `inner`.
pub(crate) struct Capped<C> {
    inner: C,
    /// Matches the remaining segments may still pass on.
    remaining: AtomicUsize,
    /// A match was left out.
    capped: AtomicBool,
}

impl<C> Capped<C> {
    pub fn new(inner: C, cap: usize) -> Self {
        Capped {
            inner,
            remaining: AtomicUsize::new(cap),
            capped: AtomicBool::new(false),
        }
    }

    /// Whether some match was not passed on (so counts are lower bounds).
    pub fn was_capped(&self) -> bool {
        self.capped.load(Ordering::Relaxed)
    }

    /// Takes `want` matches from the budget (or what is left of it).
    fn take(&self, want: usize) -> usize {
        let mut got = 0;
        let _ = self
            .remaining
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                got = left.min(want);
                Some(left - got)
            });
        got
    }
}

impl<C: Collector> Collector for Capped<C> {
    type Fruit = C::Fruit;
    type Child = C::Child;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        self.inner.for_segment(segment_ord, reader)
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        self.inner.merge_fruits(fruits)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<<Self::Child as SegmentCollector>::Fruit> {
        let mut child = self.inner.for_segment(segment_ord, reader)?;
        // The budget is taken per segment (segments are searched one after
        // the other) and what is not used is given back.
        let budget = self.take(usize::MAX);
        let alive = reader.alive_bitset();
        let scoring = self.requires_scoring();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut used = 0usize;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                if used == budget {
                    self.capped.store(true, Ordering::Relaxed);
                    break;
                }
                let score = if scoring { scorer.score() } else { 0.0 };
                child.collect(doc, score);
                used += 1;
            }
            doc = scorer.advance();
        }
        self.remaining.fetch_add(budget - used, Ordering::Relaxed);
        Ok(child.harvest())
    }
}
