//! Rulebook packs per document: the packs a user can choose from (the
//! built-in ones and the active pack), and screening a document with its
//! own pack. A document's `rulebook` is the pack that screens it: the
//! active pack at import, then whatever the user chooses
//! ([`Library::screen_with`]). The finding form (questions, scale, crime
//! types) stays the active pack's; the built-in packs share them.

use std::borrow::Cow;

use kryphal_domain::{Outline, Suggestion};
use kryphal_rules::{Category, Rulebook};
use serde::Serialize;
use ts_rs::TS;

use crate::{AppError, AppResult, ErrorCode, Library, ScreenReport};

/// A pack the user can choose for a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RulebookChoice {
    pub id: String,
    pub version: String,
    pub name: String,
    pub language: String,
    pub description: String,
    /// The library's active pack (new documents get it).
    pub active: bool,
    /// Its vulnerability families, for labelling suggestions.
    pub categories: Vec<Category>,
}

fn choice(book: &Rulebook, active: bool) -> RulebookChoice {
    RulebookChoice {
        id: book.pack.id.clone(),
        version: book.pack.version.clone(),
        name: book.pack.name.clone(),
        language: book.pack.language.clone(),
        description: book.pack.description.trim().to_string(),
        active,
        categories: book.categories.clone(),
    }
}

impl Library {
    /// The packs a document can be screened with: the active pack first,
    /// then the built-in packs it does not stand for.
    pub fn rulebooks(&self) -> Vec<RulebookChoice> {
        let mut out = vec![choice(&self.rulebook, true)];
        for id in Rulebook::builtin_ids() {
            if id != self.rulebook.pack.id {
                out.push(choice(&self.book_for(id), false));
            }
        }
        out
    }

    /// The pack with `id`: the active pack when it has that id, else a
    /// built-in pack (loaded once per session), else the active pack.
    pub(crate) fn book_for(&self, id: &str) -> Cow<'_, Rulebook> {
        if id == self.rulebook.pack.id {
            return Cow::Borrowed(&self.rulebook);
        }
        if let Some(book) = self.packs.borrow().get(id) {
            return Cow::Owned(book.clone());
        }
        match Rulebook::builtin_pack(id) {
            Some(book) => {
                self.packs.borrow_mut().insert(id.to_string(), book.clone());
                Cow::Owned(book)
            }
            None => Cow::Borrowed(&self.rulebook),
        }
    }

    /// Whether a pack with `id` can be chosen.
    fn knows_pack(&self, id: &str) -> bool {
        id == self.rulebook.pack.id || Rulebook::builtin_ids().contains(&id)
    }

    /// The suggestions of `pack` (by id) for an outline, all open.
    pub(crate) fn screening(
        &self,
        document_id: &str,
        title: &str,
        pack: &str,
        outline: &Outline,
    ) -> Vec<Suggestion> {
        crate::screening::screen(&self.book_for(pack), document_id, title, outline)
    }

    /// Makes the pack `pack_id` the document's pack and screens the document
    /// with it, in one transaction: open suggestions are replaced, decided
    /// ones stay decided.
    pub fn screen_with(&mut self, reference: &str, pack_id: &str) -> AppResult<ScreenReport> {
        let pack_id = pack_id.trim();
        if !self.knows_pack(pack_id) {
            let known: Vec<String> = self.rulebooks().into_iter().map(|c| c.id).collect();
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!(
                    "There is no rulebook pack “{pack_id}”; choose one of {}.",
                    known.join(", ")
                ),
            ));
        }
        let document = self.resolve_document(reference)?;
        self.screen_document(&document, pack_id)
    }

    /// Screens `document` with the pack `pack_id` and stores the result and
    /// the pack on the document.
    pub(crate) fn screen_document(
        &mut self,
        document: &kryphal_domain::Document,
        pack_id: &str,
    ) -> AppResult<ScreenReport> {
        let outline = self.store.outline(&document.id)?;
        let book = self.book_for(pack_id).into_owned();
        // A clause that is not a rule is not screened.
        let not_rules = self.not_rules(&document.id)?;
        let fresh: Vec<_> =
            crate::screening::screen(&book, &document.id, &document.meta.title, &outline)
                .into_iter()
                .filter(|s| !not_rules.contains(&s.clause_id))
                .collect();
        let stamp = self.stamp();
        let rulebook = book.reference();
        let open = self
            .store
            .replace_open_suggestions(&stamp, &document.id, &rulebook, &fresh)?;
        Ok(ScreenReport {
            document_id: document.id.clone(),
            rulebook,
            open: open as u32,
            suggestions: self.store.suggestions(&document.id)?,
        })
    }
}
