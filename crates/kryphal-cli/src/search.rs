//! `kryphal search` and `kryphal reindex`.

use kryphal_app::{
    AppError, ErrorCode, Library, SearchAnswer, SearchFilter, SearchQuery, SearchStatus,
};

/// Reads `KEY=VALUE` filters.
pub fn parse_filters(raw: &[String]) -> Result<Vec<SearchFilter>, AppError> {
    raw.iter()
        .map(|f| match f.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => Ok(SearchFilter {
                key: key.trim().to_owned(),
                value: value.to_owned(),
            }),
            _ => Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("The filter \"{f}\" is not KEY=VALUE (e.g. --filter kind=finding)."),
            )),
        })
        .collect()
}

/// Runs a search and prints it.
pub fn search(
    lib: &mut Library,
    query: String,
    filters: &[String],
    limit: Option<u32>,
    json: bool,
) -> Result<(), AppError> {
    let query = SearchQuery {
        query,
        filters: parse_filters(filters)?,
        limit,
    };
    let answer = lib.search(&query)?;
    if answer.status != SearchStatus::Ready {
        return Err(AppError::new(
            ErrorCode::SearchUnavailable,
            answer
                .message
                .unwrap_or_else(|| "Search is not available right now.".into()),
        ));
    }
    if let Some(note) = &answer.message {
        eprintln!("kryphal: warning: {note}");
    }
    if json {
        return crate::print_json(&answer);
    }
    print_text(&answer);
    Ok(())
}

/// Text output: a count line, then per document its title and one hit per
/// paragraph: kind, label, clause or finding id, and the snippet with the
/// matched words in «…».
fn print_text(answer: &SearchAnswer) {
    if answer.total == 0 {
        crate::emit("No results.");
        return;
    }
    let shown = answer.hits.len();
    let mut head = if answer.total_is_lower_bound {
        // Counting stopped at the cap: the total is a lower bound.
        format!("{}+ results, the first {shown} shown", answer.total)
    } else if answer.total == 1 {
        "1 result".to_owned()
    } else if shown as u32 == answer.total {
        format!("{} results", answer.total)
    } else {
        format!("{} results, the first {shown} shown", answer.total)
    };
    if answer.relaxed {
        head.push_str(" (no item holds every word; items with some of them)");
    }
    crate::emit(&head);
    let mut current: Option<&str> = None;
    for hit in &answer.hits {
        if current != Some(hit.document_id.as_str()) {
            crate::emit(&format!(
                "\n{} ({})",
                crate::clean(&hit.document_title),
                hit.document_id
            ));
            current = Some(hit.document_id.as_str());
        }
        let id = hit
            .finding_id
            .as_deref()
            .or(hit.suggestion_id.as_deref())
            .or(hit.clause_id.as_deref())
            .unwrap_or(&hit.document_id);
        let label = if hit.label.is_empty() { "" } else { &hit.label };
        crate::emit(&format!("  {}\t{}\t{id}", hit.kind, crate::clean(label)));
        let mut snippet = String::new();
        if hit.cut_before {
            snippet.push('…');
        }
        for s in &hit.segments {
            if s.highlighted {
                snippet.push('«');
                snippet.push_str(&s.text);
                snippet.push('»');
            } else {
                snippet.push_str(&s.text);
            }
        }
        if hit.cut_after {
            snippet.push('…');
        }
        crate::emit(&format!(
            "    {}",
            crate::clean(&snippet.replace('\n', " "))
        ));
    }
}

/// Rebuilds the index and says how much it holds. An index that could only
/// be rebuilt in memory (its folder cannot be written) is a failure (exit
/// 1): nothing was saved for the next search. An encrypted library's index
/// is in memory by design and is no failure.
pub fn reindex(lib: &mut Library, json: bool) -> Result<(), AppError> {
    let report = lib.reindex()?;
    if let Some(note) = &report.message {
        eprintln!("kryphal: warning: {note}");
    }
    let not_saved = || {
        AppError::new(
            kryphal_app::ErrorCode::SearchUnavailable,
            "The search index could not be saved beside the library, so it was rebuilt for this command only; make the library's folder writable and run kryphal reindex again.",
        )
    };
    let unsaved = report.path.is_none() && report.message.is_some();
    if json {
        crate::print_json(&report)?;
        return if unsaved { Err(not_saved()) } else { Ok(()) };
    }
    if unsaved {
        return Err(not_saved());
    }
    crate::emit(&format!(
        "Search index rebuilt: {} documents, {} items{}.",
        report.documents,
        report.items,
        report
            .path
            .as_deref()
            .map(|p| format!(", in {p}"))
            .unwrap_or_default()
    ));
    Ok(())
}
