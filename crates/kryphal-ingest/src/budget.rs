//! The work budget of one import, spent where the work happens.
//!
//! The byte limits of [`Limits`] bound what a file may *be*; a budget bounds
//! what reading it may *produce*. A small file can still ask for a lot: a
//! footnote cited ten thousand times, a page drawn with a hundred million
//! operators, markup nested a million deep. Each reader charges what it
//! builds against one [`Budget`] as it builds it, so memory and time stay
//! bounded whatever the file says, and an exceeded budget is a refusal that
//! names what was too large ([`IngestError::TooComplex`]).

use crate::{IngestError, Limits};

/// What one block, table cell or text run costs on top of its text: the
/// bookkeeping a reader keeps for it. Charging it keeps a flood of empty
/// paragraphs or cells as bounded as a flood of text.
pub(crate) const ITEM_COST: usize = 48;

/// The budget of one import.
#[derive(Debug)]
pub(crate) struct Budget {
    name: String,
    /// The file's size, for messages.
    input: u64,
    /// Text (and per-item bookkeeping) still allowed, in bytes.
    text_left: u64,
    text_limit: u64,
    max_nesting: usize,
}

impl Budget {
    pub(crate) fn new(name: &str, input: usize, limits: &Limits) -> Budget {
        let text_limit = limits.text_budget(input as u64);
        Budget {
            name: name.to_string(),
            input: input as u64,
            text_left: text_limit,
            text_limit,
            max_nesting: limits.max_nesting,
        }
    }

    /// The file's name, for messages.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Spends `bytes` of produced text (plus `items` × [`ITEM_COST`]).
    pub(crate) fn spend(&mut self, bytes: usize, items: usize) -> Result<(), IngestError> {
        let cost = (bytes as u64).saturating_add((items * ITEM_COST) as u64);
        match self.text_left.checked_sub(cost) {
            Some(left) => {
                self.text_left = left;
                Ok(())
            }
            None => {
                self.text_left = 0;
                Err(self.too_much_text())
            }
        }
    }

    /// The refusal for a file whose text outgrew the budget.
    pub(crate) fn too_much_text(&self) -> IngestError {
        IngestError::TooComplex {
            name: self.name.clone(),
            what: format!(
                "its text grows past {} when it is read, far more than a document of {} holds",
                human_bytes(self.text_limit),
                human_bytes(self.input)
            ),
        }
    }

    /// Refuses nesting deeper than the limit; `what` names the elements
    /// (`tables inside tables`, `elements`).
    pub(crate) fn nesting(&self, depth: usize, what: &str) -> Result<(), IngestError> {
        if depth <= self.max_nesting {
            return Ok(());
        }
        Err(IngestError::TooComplex {
            name: self.name.clone(),
            what: format!("it nests {what} more than {} deep", self.max_nesting),
        })
    }

    /// A refusal naming what was too large, for limits a reader keeps itself.
    pub(crate) fn refuse(&self, what: String) -> IngestError {
        IngestError::TooComplex {
            name: self.name.clone(),
            what,
        }
    }
}

/// `2031` → `2 KB`, `67108864` → `64 MB` (binary units, as a file manager shows them).
pub(crate) fn human_bytes(n: u64) -> String {
    const K: u64 = 1024;
    if n < K {
        format!("{n} bytes")
    } else if n < K * K {
        format!("{} KB", n.div_ceil(K))
    } else {
        format!("{} MB", n.div_ceil(K * K))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_refuses_once_spent_and_names_the_sizes() {
        let limits = Limits {
            max_text_bytes: 1000,
            ..Limits::default()
        };
        let mut b = Budget::new("a.docx", 2031, &limits);
        assert!(b.spend(900, 1).is_ok());
        let err = b.spend(100, 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.docx is too large to import: its text grows past 1000 bytes when it is read, far more than a document of 2 KB holds; split the document, or save the part you need as a new file, and import that."
        );
        assert!(b.nesting(limits.max_nesting, "tables").is_ok());
        assert!(b.nesting(limits.max_nesting + 1, "tables").is_err());
        assert_eq!(human_bytes(64 << 20), "64 MB");
    }
}
