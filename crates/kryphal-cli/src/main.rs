//! `kryphal`: the headless command line over the same core as the desktop
//! app. Every command exits 0 on success; on failure it prints one plain
//! sentence on stderr and exits 1 (2 for a malformed command line).
//!
//! `--json` output is documented in `docs/cli.md`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kryphal_app::{AppError, ErrorCode, Library};
use kryphal_domain::FindingInput;

mod search;
mod secret;

#[derive(Parser)]
#[command(
    name = "kryphal",
    version,
    about = "Crime-proof governing documents: import, analyse, export."
)]
struct Cli {
    /// The library file (default: $KRYPHAL_LIBRARY, else the OS data directory).
    #[arg(long, global = true, value_name = "PATH")]
    library: Option<PathBuf>,
    /// A rulebook pack folder to use instead of the built-in one (default: $KRYPHAL_RULEBOOK).
    #[arg(long, global = true, value_name = "DIR")]
    rulebook: Option<PathBuf>,
    /// The name the audit trail, memo and minutes show for what this
    /// command changes, e.g. `--as "Anna Berg"` (default: $KRYPHAL_USER,
    /// else the name saved in the app's Settings, else the OS user name).
    #[arg(
        long = "as",
        visible_alias = "user",
        global = true,
        value_name = "NAME"
    )]
    user: Option<String>,
    /// A file holding the passphrase of an encrypted library, for scripts
    /// (default: $KRYPHAL_PASSPHRASE_FILE; else it is asked on the terminal).
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty library (with --encrypt: encrypted with a passphrase).
    Init {
        /// Encrypt the library with a passphrase (asked twice on the
        /// terminal, or read from --passphrase-file).
        #[arg(long)]
        encrypt: bool,
    },
    /// Import documents (DOCX, PDF, ODT, HTML, Markdown, plain text) into the
    /// library; a `.json` file is read as a Kryphål analysis (a `json` export).
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Import the (one) file as the next version of this document and
        /// carry its findings over.
        #[arg(long, value_name = "DOC")]
        as_version_of: Option<String>,
        /// The files are already in the library: read each again and make it
        /// a new version of the newest version it is in, carrying the
        /// findings over (instead of refusing it as a duplicate).
        #[arg(long, conflicts_with = "as_version_of")]
        replace: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make a document already imported the next version of another and
    /// carry that one's findings over.
    Link {
        /// The newer document.
        doc: String,
        /// The version it replaces.
        #[arg(long, value_name = "DOC")]
        as_version_of: String,
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions of a document clause by clause.
    Compare {
        /// The older version.
        old: String,
        /// The newer version.
        new: String,
        /// Write the comparison to this file instead of printing it.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// The file's format with --out: md or docx.
        #[arg(long, default_value = "md")]
        format: String,
        #[arg(long)]
        json: bool,
    },
    /// List the versions of a document, oldest first.
    Versions {
        doc: String,
        #[arg(long)]
        json: bool,
    },
    /// List the documents in the library.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a document's outline: clause id, label and text.
    Show {
        /// Document id, id prefix or unique title prefix.
        doc: String,
        #[arg(long)]
        json: bool,
    },
    /// Give clauses a verdict: checked (no risk), not-a-rule (a heading,
    /// letterhead, contact details, background text; not screened, left out
    /// of the memo) or not-assessed. A clause with findings is a risk.
    Verdict {
        /// Clause ids (`CLAUSE_ID` or `DOC_ID/CLAUSE_ID`), all of one document.
        #[arg(
            value_name = "CLAUSE_ID",
            required_unless_present = "section",
            conflicts_with = "section"
        )]
        clauses: Vec<String>,
        /// Every clause under this heading (`SECTION_ID` or `DOC_ID/SECTION_ID`), its subsections' too.
        #[arg(long, value_name = "SECTION_ID")]
        section: Option<String>,
        /// checked, not-a-rule or not-assessed.
        #[arg(
            long,
            value_name = "VERDICT",
            required_unless_present = "clear",
            conflicts_with = "clear"
        )]
        set: Option<String>,
        /// Take the verdict set by hand away again.
        #[arg(long)]
        clear: bool,
        #[arg(long)]
        json: bool,
    },
    /// Mark a document's review final, or say what is missing (clauses
    /// without a verdict, open suggestions). With --reopen, take the mark away.
    Final {
        doc: String,
        #[arg(long)]
        reopen: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete a document with its findings, suggestions, workshops, versions
    /// link, verdicts and search entries. Asks first unless --yes.
    Delete {
        doc: String,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Add, update or list findings.
    Finding {
        #[command(subcommand)]
        command: FindingCommand,
    },
    /// Export a document's analysis: memo-docx, memo-pdf, tracked-docx, review-docx, xlsx, csv, md, html or json.
    Export {
        doc: String,
        /// Export format: memo-docx, memo-pdf, tracked-docx, review-docx, xlsx, csv, md, html, json.
        #[arg(long, default_value = "md")]
        format: String,
        /// File to write.
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// internal (everything) or public (leaves out sensitive answers and comments).
        #[arg(long, default_value = "internal")]
        variant: String,
        /// Language of the export's fixed texts: sv or en.
        #[arg(long, default_value = "sv")]
        lang: String,
    },
    /// Show or set the library's memo settings: the header fields (municipality, committee,
    /// responsible_official), the Word template, and with --doc a document's memo fields
    /// (case_dnr, subject, decision_proposal, background).
    Settings {
        /// Set a field: municipality, committee or responsible_official; with --doc:
        /// case_dnr, subject, decision_proposal or background. Repeatable.
        #[arg(long = "set", value_name = "FIELD=VALUE")]
        set: Vec<String>,
        /// The memo fields of this document (id, id prefix or unique title prefix).
        #[arg(long, value_name = "DOC")]
        doc: Option<String>,
        /// Use this Word template (.dotx or .docx) for the memo and the review document.
        #[arg(long, value_name = "FILE.dotx", conflicts_with = "no_template")]
        template: Option<PathBuf>,
        /// Go back to Kryphål's own layout.
        #[arg(long)]
        no_template: bool,
        #[arg(long)]
        json: bool,
    },
    /// Read a reviewed Word file (a review-docx export answered in Word or LibreOffice) back in.
    Review {
        #[command(subcommand)]
        command: ReviewCommand,
    },
    /// Screen a document with its pack and list its suggestions. `--pack ID`
    /// (or a pack given with --rulebook / KRYPHAL_RULEBOOK) becomes the
    /// document's pack first.
    Screen {
        doc: String,
        /// The pack to screen with from now on: a built-in pack id
        /// (`kryphal rulebook list`) or the id of the --rulebook pack.
        #[arg(long, value_name = "ID")]
        pack: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Accept or dismiss a screening suggestion.
    Suggestion {
        #[command(subcommand)]
        command: SuggestionCommand,
    },
    /// Work with rulebook packs.
    Rulebook {
        #[command(subcommand)]
        command: RulebookCommand,
    },
    /// Your key for signing bundles (made on first use, kept beside the preferences).
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Show or correct a document's metadata (title, Dnr, dates, …).
    Meta {
        doc: String,
        /// Set a field: title, doc_type, owner, dnr, decided, decided_by,
        /// responsible, valid_from, valid_to or version_label. Repeatable.
        #[arg(long = "set", value_name = "FIELD=VALUE")]
        set: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Split or merge clauses where the import guessed wrong.
    Clause {
        #[command(subcommand)]
        command: ClauseCommand,
    },
    /// Correct the structure the import guessed: make a clause a heading or a
    /// heading a clause, move a clause under another heading, renumber a
    /// clause. Corrections are kept and made again on a new version.
    Outline {
        #[command(subcommand)]
        command: OutlineCommand,
    },
    /// Workshops: sessions in which the room judges findings and decides on clauses.
    Workshop {
        #[command(subcommand)]
        command: WorkshopCommand,
    },
    /// The overview of a document's analysis, or of the whole library's
    /// without DOC: risk matrix counts, crime types, statuses, coverage and
    /// where the risks sit. With --image, an image of it for slides and memos.
    Overview {
        /// The document; without it, every document in the library.
        doc: Option<String>,
        #[arg(long)]
        json: bool,
        /// Write the overview as an image instead: svg or png.
        #[arg(long, value_name = "FORMAT", requires = "out", conflicts_with = "json")]
        image: Option<String>,
        /// The image file to write (with --image).
        #[arg(long, value_name = "PATH", requires = "image")]
        out: Option<PathBuf>,
        /// Which chart: all, matrix, crime-types, status, coverage or strip.
        #[arg(long, default_value = "all", requires = "image")]
        part: String,
        /// Language of the image's fixed texts: sv or en.
        #[arg(long, default_value = "sv", requires = "image")]
        lang: String,
    },
    /// Search everything: clauses, findings, dismissals, document metadata.
    Search {
        /// Words and "quoted phrases"; any text is read as plain words.
        query: String,
        /// Narrow the results: KEY=VALUE with KEY one of document, type,
        /// owner, crime, risk, status, kind. Repeatable.
        #[arg(long = "filter", value_name = "KEY=VALUE")]
        filters: Vec<String>,
        /// Hits to show (default 20, at most 200).
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index from the library.
    Reindex {
        #[arg(long)]
        json: bool,
    },
    /// Exchange analyses with other libraries as bundle files (.kryphal).
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// List the conflicts left by merging bundles: findings, metadata and
    /// decisions on suggestions changed in both libraries.
    Conflicts {
        /// Resolved conflicts too.
        #[arg(long)]
        all: bool,
        /// Only the conflicts about metadata and suggestions' decisions
        /// (with --json: an array of RecordConflict).
        #[arg(long)]
        records: bool,
        #[arg(long)]
        json: bool,
    },
    /// Resolve a conflict.
    Conflict {
        #[command(subcommand)]
        command: ConflictCommand,
    },
    /// Write a consistent copy of the whole library to a file (works while the app is open).
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the library with a backup; the current library is copied aside first.
    Restore { file: PathBuf },
    /// Change the passphrase of an encrypted library (close the app first).
    Rekey {
        /// A file holding the new passphrase (else it is typed twice on the terminal).
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Show the audit trail: who changed what, and when.
    History {
        /// Only the events of this document, clause or finding id.
        entity: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ReviewCommand {
    /// Read what the reviewers did: each finding's change accepted, rejected, edited or
    /// still pending, the replies to its comment, new comments as notes. Stored as one
    /// change (undoable in the app); nothing guessed.
    Import {
        file: PathBuf,
        /// Show what would be stored, and store nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// List a document's notes and the reviewers' decisions on its findings.
    Notes {
        doc: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BundleCommand {
    /// Write the analyses of one or more documents to one bundle file.
    Export {
        /// Document ids, id prefixes or unique title prefixes.
        #[arg(required = true, value_name = "DOC")]
        docs: Vec<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Encrypt the bundle with a passphrase of its own (asked twice on
        /// the terminal, or read from --bundle-passphrase-file).
        #[arg(long)]
        encrypt: bool,
        /// A file holding the bundle's passphrase (default:
        /// $KRYPHAL_BUNDLE_PASSPHRASE_FILE).
        #[arg(long, value_name = "FILE")]
        bundle_passphrase_file: Option<PathBuf>,
        /// Sign the bundle with your key (`kryphal key show`), so that the
        /// recipient can check who made it and that nothing was changed.
        #[arg(long)]
        sign: bool,
        #[arg(long)]
        json: bool,
    },
    /// Merge a bundle into the library.
    Import {
        file: PathBuf,
        /// A file holding the passphrase of an encrypted bundle (default:
        /// $KRYPHAL_BUNDLE_PASSPHRASE_FILE; else it is asked on the terminal).
        #[arg(long, value_name = "FILE")]
        bundle_passphrase_file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ConflictCommand {
    /// Keep this library's version (mine), the bundle's (theirs), or combined
    /// answers read as finding JSON from --combined FILE|-.
    Resolve {
        id: String,
        #[arg(long, value_name = "mine|theirs|combined")]
        keep: String,
        #[arg(long, value_name = "FILE|-")]
        combined: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum WorkshopCommand {
    /// Open a session on a document. Prints the session.
    Start {
        doc: String,
        #[arg(long)]
        title: String,
        /// The day it is held, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// An attendee (repeat for each).
        #[arg(long = "attendee", value_name = "NAME")]
        attendees: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// List a document's sessions, the latest first.
    List {
        doc: String,
        #[arg(long)]
        json: bool,
    },
    /// Record the room's likelihood × consequence judgement of a finding.
    Judge {
        session: String,
        finding: String,
        likelihood: u8,
        impact: u8,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Record the room's decision on a clause: adopt, reject or defer.
    Decide {
        session: String,
        clause: String,
        decision: String,
        #[arg(long, default_value = "")]
        dissent: String,
    },
    /// Close a session.
    End { session: String },
    /// Show a session with its judgements and decisions.
    Show {
        session: String,
        #[arg(long)]
        json: bool,
    },
    /// Write a session's minutes to --out, as md (default) or docx.
    Minutes {
        session: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "md")]
        format: String,
    },
}

#[derive(Subcommand)]
enum SuggestionCommand {
    /// Accept a suggestion: a draft finding prefilled from its rule. Prints the finding.
    Accept { id: String },
    /// Dismiss a suggestion; the reason is remembered.
    Dismiss {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Put a dismissed suggestion back among the open ones.
    Reopen { id: String },
}

#[derive(Subcommand)]
enum RulebookCommand {
    /// Validate a pack folder and run every screening rule's hit and near-miss examples.
    Check { dir: PathBuf },
    /// List the packs a document can be screened with (`screen DOC --pack ID`).
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Show the fingerprint of your signing key (made now if you have none),
    /// for recipients of your signed bundles to compare.
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ClauseCommand {
    /// Split a clause in two: before the first occurrence of --before TEXT, or at byte --at N.
    /// The first part keeps the clause's id and findings.
    Split {
        clause: String,
        #[arg(
            long,
            value_name = "TEXT",
            conflicts_with = "at",
            required_unless_present = "at"
        )]
        before: Option<String>,
        #[arg(long, value_name = "BYTE")]
        at: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Merge a clause with the clause that follows it; findings of both are kept.
    Merge {
        clause: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum OutlineCommand {
    /// Make a clause (CLAUSE_ID or DOC_ID/CLAUSE_ID) a heading; the clauses
    /// after it in its section go under it. A clause with findings stays a clause.
    Promote {
        clause: String,
        /// The heading's level, 1 for the top (default: one below the
        /// heading the clause is under).
        #[arg(long, value_name = "N")]
        level: Option<u8>,
        #[arg(long)]
        json: bool,
    },
    /// Make a heading (SECTION_ID or DOC_ID/SECTION_ID, as `show` lists them)
    /// a clause; its subsections move up a level.
    Demote {
        section: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a clause under another heading of its document (a heading id or
    /// the heading's title), after that heading's own clauses.
    Move {
        clause: String,
        #[arg(long, value_name = "SECTION")]
        under: String,
        #[arg(long)]
        json: bool,
    },
    /// Give a clause another number (4.3, 3 §, b)); its label follows.
    Renumber {
        clause: String,
        number: String,
        #[arg(long)]
        json: bool,
    },
    /// List the corrections kept for a document, oldest first.
    Corrections {
        doc: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum FindingCommand {
    /// Add a finding to a clause (CLAUSE_ID or DOC_ID/CLAUSE_ID), read as JSON from FILE or - (stdin).
    Add {
        clause: String,
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
    },
    /// Replace a finding's answers with the JSON in FILE or - (stdin).
    Update {
        finding: String,
        #[arg(long = "json", value_name = "FILE|-")]
        input: String,
    },
    /// Add a comment to a finding, signed with your name. Prints the finding.
    Comment { finding: String, text: String },
    /// List the findings of a document.
    List {
        doc: String,
        #[arg(long)]
        json: bool,
    },
}

/// Prints a line on stdout. A reader that went away (`kryphal show X | head`)
/// ends the program quietly instead of with a panic.
fn emit(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("kryphal: cannot write the output: {e}.");
        std::process::exit(1);
    }
}

/// A value from a document or a bundle as one field of a line of text
/// output: line breaks, tabs and other control characters are written as
/// escapes (`\n`, `\t`, `\u{1b}`), so that a title cannot split a line or
/// drive the terminal.
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

macro_rules! outln {
    ($($arg:tt)*) => { emit(&format!($($arg)*)) };
}

fn assignment(a: &str) -> Result<(&str, &str), AppError> {
    a.split_once('=').ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("--set needs FIELD=VALUE, not “{a}”."),
        )
    })
}

/// `kryphal settings`: the header fields, the template, a document's memo fields.
fn settings(
    lib: &mut Library,
    set: &[String],
    doc: Option<&str>,
    template: Option<&Path>,
    no_template: bool,
    json: bool,
) -> Result<(), AppError> {
    if let Some(path) = template {
        lib.set_export_template(Some(path))?;
    } else if no_template {
        lib.set_export_template(None)?;
    }
    if let Some(doc) = doc {
        for a in set {
            let (field, value) = assignment(a)?;
            lib.set_memo_field(doc, field, value)?;
        }
        let view = lib.memo_fields(doc)?;
        if json {
            print_json(&view)?;
        } else {
            let line = |name: &str, saved: &str, generated: &str| {
                if saved.is_empty() && !generated.is_empty() {
                    format!("{name}\t{generated}\t(generated)")
                } else {
                    format!("{name}\t{saved}")
                }
            };
            outln!("{}", line("case_dnr", &view.saved.case_dnr, ""));
            outln!(
                "{}",
                line("subject", &view.saved.subject, &view.defaults.subject)
            );
            outln!(
                "{}",
                line(
                    "decision_proposal",
                    &view.saved.decision_proposal,
                    &view.defaults.decision_proposal
                )
            );
            outln!(
                "{}",
                line(
                    "background",
                    &view.saved.background,
                    &view.defaults.background
                )
            );
        }
        return Ok(());
    }
    for a in set {
        let (field, value) = assignment(a)?;
        lib.set_export_setting(field, value)?;
    }
    let settings = lib.export_settings()?;
    let template = lib.export_template()?;
    let no_fields = template
        .as_ref()
        .is_some_and(|t| t.problem.is_none() && t.fields.is_empty());
    if json {
        #[derive(serde::Serialize)]
        struct All {
            #[serde(flatten)]
            settings: kryphal_app::ExportSettings,
            template: Option<kryphal_app::TemplateStatus>,
        }
        print_json(&All { settings, template })?;
    } else {
        outln!("municipality\t{}", settings.municipality);
        outln!("committee\t{}", settings.committee);
        outln!("responsible_official\t{}", settings.responsible_official);
        match template {
            None => outln!("template\t"),
            Some(t) => {
                outln!("template\t{}", t.path);
                match &t.problem {
                    Some(p) => outln!("template_problem\t{p}"),
                    None => outln!("template_fields\t{}", t.fields.join(",")),
                }
            }
        }
    }
    if no_fields {
        eprintln!(
            "kryphal: the template has no kryphal.* fields (content controls tagged kryphal.dnr, kryphal.datum, kryphal.namnd, kryphal.handlaggare, kryphal.arende, kryphal.kommun, or bookmarks kryphal_dnr …): the memo takes its styles, page, headers and logo, and prints its header fields in the body"
        );
    }
    Ok(())
}

/// `kryphal review …`.
fn review(lib: &mut Library, command: ReviewCommand) -> Result<(), AppError> {
    match command {
        ReviewCommand::Import {
            file,
            dry_run,
            json,
        } => {
            let report = lib.import_review_file(&file, dry_run)?;
            if json {
                print_json(&report)?;
            } else {
                for item in &report.items {
                    let mut line = format!(
                        "{}\t{}\t{}→{}\t{}",
                        item.finding_id,
                        item.outcome,
                        item.status_before.as_str(),
                        item.status_after.as_str(),
                        item.clause_label
                    );
                    if let Some(why) = &item.skipped {
                        line.push_str(&format!("\tnot applied: {why}"));
                    }
                    outln!("{line}");
                    for r in &item.replies {
                        outln!("\treply\t{}\t{}\t{}", r.author, r.at, r.text);
                    }
                }
                for n in &report.notes {
                    outln!(
                        "note\t{}\t{}\t{}\t{}{}",
                        n.clause_label.as_deref().unwrap_or("(document)"),
                        n.author,
                        n.at,
                        n.text,
                        if n.duplicate { "\t(already there)" } else { "" }
                    );
                }
                for p in &report.problems {
                    outln!("problem\t{}\t{}", p.code, p.message);
                }
            }
            let c = &report.counts;
            eprintln!(
                "kryphal: read {} (review of “{}”): {} accepted, {} rejected, {} edited, {} pending, {} commented only, {} not found; {} replies, {} notes; {} findings changed, {} not applied{}",
                report.file_name,
                report.title,
                c.accepted,
                c.rejected,
                c.edited,
                c.pending,
                c.commented,
                c.not_found,
                c.replies,
                c.notes,
                c.changed,
                c.skipped,
                if report.stored {
                    "; stored as one change"
                } else if dry_run {
                    "; dry run: nothing stored"
                } else {
                    "; nothing to store"
                }
            );
        }
        ReviewCommand::Notes { doc, json } => {
            let notes = lib.clause_notes(&doc)?;
            let decisions = lib.review_decisions(&doc)?;
            if json {
                #[derive(serde::Serialize)]
                struct Both {
                    notes: Vec<kryphal_domain::ClauseNote>,
                    decisions: Vec<kryphal_domain::ReviewDecision>,
                }
                print_json(&Both { notes, decisions })?;
            } else {
                for d in &decisions {
                    outln!(
                        "decision\t{}\t{}\t{}\t{}\t{}",
                        d.finding_id,
                        d.outcome.as_str(),
                        d.decided_by,
                        d.decided_at,
                        d.source
                    );
                }
                for n in &notes {
                    outln!(
                        "note\t{}\t{}\t{}\t{}",
                        n.clause_id.as_deref().unwrap_or("-"),
                        n.author,
                        n.at,
                        n.text
                    );
                }
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kryphal: {}", e.message);
            ExitCode::FAILURE
        }
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    outln!("{text}");
    Ok(())
}

/// Asks on stderr and reads one line from stdin: true for "yes" (or "ja").
fn confirm(question: &str) -> Result<bool, AppError> {
    use std::io::Write;
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        AppError::new(
            ErrorCode::Internal,
            format!("Could not read the answer: {e}"),
        )
    })?;
    Ok(matches!(line.trim().to_lowercase().as_str(), "yes" | "ja"))
}

/// A document's coverage in one line on stdout.
fn print_coverage(c: &kryphal_domain::Coverage) {
    let state = if c.is_final() {
        "final"
    } else if c.complete {
        "complete"
    } else {
        "incomplete"
    };
    outln!(
        "{}: {} of {} clauses have a verdict (risk {}, checked {}, not a rule {}, not assessed {}, none {}); {} open suggestions; {state}",
        c.document_id,
        c.decided(),
        c.clauses,
        c.risk,
        c.checked,
        c.not_a_rule,
        c.not_assessed,
        c.none,
        c.open_suggestions
    );
}

fn read_finding_input(source: &str) -> Result<FindingInput, AppError> {
    let text = if source == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            AppError::new(ErrorCode::Io, format!("Cannot read standard input: {e}."))
        })?;
        s
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| AppError::new(ErrorCode::Io, format!("Cannot read {source}: {e}.")))?
    };
    serde_json::from_str(&text).map_err(|e| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("The finding JSON in {source} is not valid: {e}."),
        )
    })
}

fn run(cli: Cli) -> Result<(), AppError> {
    // Checking a rulebook needs no library.
    if let Command::Rulebook {
        command: RulebookCommand::Check { dir },
    } = &cli.command
    {
        return check_rulebook(dir);
    }
    // Neither does the signing key.
    if let Command::Key {
        command: KeyCommand::Show { json },
    } = &cli.command
    {
        return key_show(*json);
    }
    let path = kryphal_app::resolve_library_path(cli.library);
    let user = kryphal_app::acting_user(cli.user);
    let passphrase_file = secret::file_from(cli.passphrase_file, "KRYPHAL_PASSPHRASE_FILE");
    if let Command::Init { encrypt } = &cli.command {
        return init(&path, user, *encrypt, passphrase_file.as_deref());
    }
    let mut lib = secret::open_library(&path, user, passphrase_file.as_deref())?;
    // A pack named on the command line (or in KRYPHAL_RULEBOOK) that loads is
    // the one `screen` applies.
    let mut chosen_pack = None;
    if let Some(dir) = kryphal_app::resolve_rulebook_dir(cli.rulebook) {
        match lib.use_rulebook_dir(&dir) {
            Some(warning) => eprintln!("kryphal: warning: {warning}"),
            None => chosen_pack = Some(lib.rulebook().pack.id.clone()),
        }
    }
    match cli.command {
        Command::Import {
            files,
            replace: true,
            json,
            ..
        } => {
            let mut results = Vec::new();
            let mut failed = 0;
            for file in &files {
                match lib.import_file_replacing(file) {
                    Ok(report) => {
                        if !json {
                            print_version_report(&report);
                            for w in &report.warnings {
                                eprintln!("kryphal: warning: {}: {w}", file.display());
                            }
                        }
                        results
                            .push(serde_json::json!({"file": file, "ok": true, "report": report}));
                    }
                    Err(e) => {
                        failed += 1;
                        if !json {
                            eprintln!("kryphal: {}", e.message);
                        }
                        results.push(serde_json::json!({"file": file, "ok": false, "error": e}));
                    }
                }
            }
            finish_files(json, &results, failed, files.len(), "replaced")?;
        }
        Command::Import {
            files,
            as_version_of: Some(previous),
            json,
            ..
        } => {
            let [file] = files.as_slice() else {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    "Give exactly one file with --as-version-of; nothing was imported.",
                ));
            };
            let report = lib.import_file_as_version(file, &previous)?;
            if json {
                print_json(&serde_json::json!({"file": file, "ok": true, "report": report}))?;
            } else {
                print_version_report(&report);
                for w in &report.warnings {
                    eprintln!("kryphal: warning: {}: {w}", file.display());
                }
            }
        }
        Command::Link {
            doc,
            as_version_of,
            json,
        } => {
            let report = lib.link_as_version(&doc, &as_version_of)?;
            if json {
                print_json(&report)?;
            } else {
                print_version_report(&report);
            }
        }
        Command::Compare {
            old,
            new,
            out,
            format,
            json,
        } => compare(&lib, &old, &new, out, &format, json)?,
        Command::Versions { doc, json } => {
            let versions = lib.versions(&doc)?;
            if json {
                print_json(&versions)?;
            } else {
                for v in versions {
                    outln!(
                        "{}\t{}\t{}\t{}{}",
                        v.number,
                        v.document_id,
                        clean(&v.title),
                        clean(&v.version_label),
                        if v.open_rereview > 0 {
                            format!("\t{} to review again", v.open_rereview)
                        } else {
                            String::new()
                        }
                    );
                }
            }
        }
        Command::Import {
            files,
            as_version_of: None,
            json,
            ..
        } => {
            let mut results = Vec::new();
            let mut failed = 0;
            for file in &files {
                match import_one(&mut lib, file) {
                    Ok(report) => {
                        if !json {
                            outln!(
                                "{}\t{}\t{} clauses, {} sections",
                                report.document_id,
                                clean(&report.title),
                                report.clauses,
                                report.sections
                            );
                            for w in &report.warnings {
                                eprintln!("kryphal: warning: {}: {w}", file.display());
                            }
                            for c in &report.version_candidates {
                                eprintln!(
                                    "kryphal: hint: {} may be a new version of “{}” ({}, same {}); `kryphal link {} --as-version-of {}` keeps them as versions and carries the findings over.",
                                    file.display(),
                                    c.title,
                                    c.document_id,
                                    match c.reason.as_str() {
                                        "title_and_dnr" => "title and Dnr",
                                        "dnr" => "Dnr",
                                        _ => "title",
                                    },
                                    report.document_id,
                                    c.document_id
                                );
                            }
                        }
                        results
                            .push(serde_json::json!({"file": file, "ok": true, "report": report}));
                    }
                    Err(e) => {
                        failed += 1;
                        if !json {
                            eprintln!("kryphal: {}", e.message);
                            if e.code == ErrorCode::Duplicate {
                                eprintln!(
                                    "kryphal: hint: `kryphal import --replace {}` reads it again as a new version and carries the findings over.",
                                    file.display()
                                );
                            }
                        }
                        results.push(serde_json::json!({"file": file, "ok": false, "error": e}));
                    }
                }
            }
            finish_files(json, &results, failed, files.len(), "imported")?;
        }
        Command::Search {
            query,
            filters,
            limit,
            json,
        } => search::search(&mut lib, query, &filters, limit, json)?,
        Command::Reindex { json } => search::reindex(&mut lib, json)?,
        Command::List { json } => {
            let docs = lib.documents()?;
            if json {
                print_json(&docs)?;
            } else if docs.is_empty() {
                outln!("The library is empty. Import a document with `kryphal import FILE`.");
            } else {
                for d in docs {
                    outln!(
                        "{}\t{}\t{} clauses\t{} findings",
                        d.id,
                        clean(&d.title),
                        d.clause_count,
                        d.finding_count
                    );
                }
            }
        }
        Command::Show { doc, json } => {
            let view = lib.document(&doc)?;
            if json {
                print_json(&view)?;
            } else {
                let m = &view.document.meta;
                outln!("{} ({})", clean(&m.title), view.document.id);
                if !m.dnr.is_empty() {
                    outln!("Dnr {}", clean(&m.dnr));
                }
                let mut items: Vec<(u32, String)> = view
                    .outline
                    .sections
                    .iter()
                    .map(|s| {
                        let indent = "  ".repeat(usize::from(s.level.saturating_sub(1)));
                        (
                            s.position,
                            format!(
                                "\n{indent}{}\t{}",
                                format!("{} {}", clean(&s.number), clean(&s.title)).trim(),
                                s.id
                            ),
                        )
                    })
                    .collect();
                items.extend(view.outline.clauses.iter().map(|c| {
                    (
                        c.position,
                        format!("{}\t{}\t{}", c.id, clean(&c.label), clean(&c.text)),
                    )
                }));
                items.sort_by_key(|(p, _)| *p);
                for (_, line) in items {
                    outln!("{line}");
                }
            }
        }
        Command::Verdict {
            clauses,
            section,
            set,
            clear,
            json,
        } => {
            let verdict = match set.as_deref() {
                None => None,
                Some(name) => Some(kryphal_domain::Verdict::parse(name).ok_or_else(|| {
                    AppError::new(
                        ErrorCode::InvalidInput,
                        format!("“{name}” is no verdict: use checked, not-a-rule or not-assessed."),
                    )
                })?),
            };
            debug_assert!(verdict.is_some() || clear);
            let report = match section {
                Some(section) => lib.set_section_verdict(&section, verdict)?,
                None => lib.set_verdicts(&clauses, verdict)?,
            };
            if json {
                print_json(&report)?;
            } else {
                for v in &report.verdicts {
                    outln!("{}\t{}", v.clause_id, v.verdict.as_str());
                }
                for s in &report.skipped {
                    eprintln!(
                        "kryphal: {} ({}) keeps its verdict: it has findings, so it is a risk",
                        s.label, s.clause_id
                    );
                }
                print_coverage(&report.coverage);
            }
        }
        Command::Final { doc, reopen, json } => {
            let coverage = if reopen {
                lib.reopen_review(&doc)?
            } else {
                lib.mark_final(&doc)?
            };
            if json {
                print_json(&coverage)?;
            } else {
                print_coverage(&coverage);
            }
        }
        Command::Delete { doc, yes, json } => {
            let preview = lib.deletion_preview(&doc)?;
            if !yes {
                eprintln!(
                    "kryphal: delete “{}” ({}) with {} clauses, {} findings, {} suggestions, {} workshops and {} verdicts?",
                    preview.title,
                    preview.document_id,
                    preview.clauses,
                    preview.findings,
                    preview.suggestions,
                    preview.workshops,
                    preview.verdicts
                );
                if !confirm("Type yes to delete: ")? {
                    return Err(AppError::new(
                        ErrorCode::InvalidInput,
                        "Not confirmed: nothing was deleted.",
                    ));
                }
            }
            let gone = lib.delete_document(&preview.document_id)?;
            if json {
                print_json(&gone)?;
            } else {
                outln!(
                    "deleted {} ({}): {} clauses, {} findings, {} suggestions",
                    gone.title,
                    gone.document_id,
                    gone.clauses,
                    gone.findings,
                    gone.suggestions
                );
            }
        }
        Command::Finding { command } => match command {
            FindingCommand::Add { clause, input } => {
                let f = lib.add_finding(&clause, read_finding_input(&input)?)?;
                print_json(&f)?;
            }
            FindingCommand::Update { finding, input } => {
                let f = lib.update_finding(&finding, read_finding_input(&input)?)?;
                print_json(&f)?;
            }
            FindingCommand::Comment { finding, text } => {
                print_json(&lib.add_comment(&finding, &text)?)?
            }
            FindingCommand::List { doc, json } => {
                let findings = lib.findings(&doc)?;
                if json {
                    print_json(&findings)?;
                } else {
                    for f in findings {
                        outln!(
                            "{}\t{}\t{}\t{}\t{}",
                            f.id,
                            f.clause_id,
                            f.input.status.as_str(),
                            f.risk_level.as_deref().unwrap_or("-"),
                            clean(&f.input.unintended_consequence)
                        );
                    }
                }
            }
        },
        Command::Export {
            doc,
            format,
            out,
            variant,
            lang,
        } => {
            let choices = kryphal_app::ExportChoices { variant, lang };
            let report = lib.export(&doc, &format, &choices, &out)?;
            eprintln!("kryphal: wrote {} ({} bytes)", report.path, report.bytes);
            if let Some(t) = &report.template {
                if report.template_fields.is_empty() {
                    eprintln!(
                        "kryphal: made with the template {t}, which has no kryphal.* fields: its styles, page, headers and logo are used, and the header fields are printed in the body"
                    );
                } else {
                    eprintln!(
                        "kryphal: made with the template {t}; filled its fields {}",
                        report.template_fields.join(", ")
                    );
                }
            }
        }
        Command::Settings {
            set,
            doc,
            template,
            no_template,
            json,
        } => settings(
            &mut lib,
            &set,
            doc.as_deref(),
            template.as_deref(),
            no_template,
            json,
        )?,
        Command::Review { command } => review(&mut lib, command)?,
        Command::Rulebook {
            command: RulebookCommand::List { json },
        } => {
            let packs = lib.rulebooks();
            if json {
                print_json(&packs)?;
            } else {
                for p in &packs {
                    outln!(
                        "{}\t{}\t{}\t{}{}",
                        p.id,
                        p.version,
                        p.language,
                        p.name,
                        if p.active { "\t(active)" } else { "" }
                    );
                }
            }
        }
        Command::Rulebook { .. } => unreachable!("handled before the library is opened"),
        Command::Screen { doc, pack, json } => {
            let report = match pack.or(chosen_pack) {
                Some(pack) => lib.screen_with(&doc, &pack)?,
                None => lib.screen(&doc)?,
            };
            if json {
                print_json(&report)?;
            } else {
                let view = lib.document(&doc)?;
                for s in &report.suggestions {
                    let label = view
                        .outline
                        .clauses
                        .iter()
                        .find(|c| c.id == s.clause_id)
                        .map(|c| c.label.as_str())
                        .unwrap_or("?");
                    let state = match &s.state {
                        kryphal_domain::SuggestionState::Open => "open",
                        kryphal_domain::SuggestionState::Accepted { .. } => "accepted",
                        kryphal_domain::SuggestionState::Dismissed { .. } => "dismissed",
                    };
                    outln!("{}\t{state}\t{}\t{}", s.id, clean(label), clean(&s.message));
                }
                eprintln!(
                    "kryphal: {} open suggestions ({} {})",
                    report.open, report.rulebook.id, report.rulebook.version
                );
            }
        }
        Command::Suggestion { command } => match command {
            SuggestionCommand::Accept { id } => print_json(&lib.accept_suggestion(&id)?)?,
            SuggestionCommand::Dismiss { id, reason } => {
                print_json(&lib.dismiss_suggestion(&id, &reason)?)?
            }
            SuggestionCommand::Reopen { id } => print_json(&lib.reopen_suggestion(&id)?)?,
        },
        Command::Meta { doc, set, json } => {
            let mut meta = lib.resolve_document(&doc)?.meta;
            if !set.is_empty() {
                let mut value = serde_json::to_value(&meta)
                    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
                for assignment in &set {
                    let Some((field, text)) = assignment.split_once('=') else {
                        return Err(AppError::new(
                            ErrorCode::InvalidInput,
                            format!("--set needs FIELD=VALUE, not “{assignment}”."),
                        ));
                    };
                    let fields = value.as_object_mut().expect("metadata is an object");
                    if !fields.contains_key(field) {
                        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
                        return Err(AppError::new(
                            ErrorCode::InvalidInput,
                            format!(
                                "“{field}” is not a metadata field; use one of {}.",
                                names.join(", ")
                            ),
                        ));
                    }
                    fields.insert(
                        field.to_string(),
                        serde_json::Value::String(text.to_string()),
                    );
                }
                meta = serde_json::from_value(value)
                    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
                meta = lib.update_metadata(&doc, meta)?.meta;
            }
            if json {
                print_json(&meta)?;
            } else {
                let value = serde_json::to_value(&meta)
                    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
                for (k, v) in value.as_object().expect("metadata is an object") {
                    outln!("{k}\t{}", v.as_str().unwrap_or_default());
                }
            }
        }
        Command::Clause { command } => {
            let (clause, json) = match command {
                ClauseCommand::Split {
                    clause,
                    before,
                    at,
                    json,
                } => {
                    let at = match (at, before) {
                        (Some(at), _) => at,
                        (None, Some(marker)) => {
                            let text = lib.clause_text(&clause)?;
                            text.find(&marker).ok_or_else(|| {
                                AppError::new(
                                    ErrorCode::InvalidInput,
                                    format!("The clause's text does not contain “{marker}”."),
                                )
                            })?
                        }
                        (None, None) => unreachable!("clap requires --at or --before"),
                    };
                    (lib.split_clause(&clause, at)?, json)
                }
                ClauseCommand::Merge { clause, json } => (lib.merge_with_next(&clause)?, json),
            };
            if json {
                print_json(&clause)?;
            } else {
                outln!(
                    "{}\t{}\t{}",
                    clause.id,
                    clean(&clause.label),
                    clean(&clause.text)
                );
            }
        }
        Command::Outline { command } => outline(&mut lib, command)?,
        Command::Workshop { command } => workshop(&mut lib, command)?,
        Command::Overview {
            image: Some(format),
            out: Some(out),
            doc,
            part,
            lang,
            ..
        } => {
            let report = lib.export_overview_image(doc.as_deref(), &format, &part, &lang, &out)?;
            eprintln!("kryphal: wrote {} ({} bytes)", report.path, report.bytes);
        }
        Command::Overview { doc, json, .. } => {
            let o = match &doc {
                Some(doc) => lib.overview(doc)?,
                None => lib.library_overview()?,
            };
            if json {
                print_json(&o)?;
            } else {
                if doc.is_some() {
                    outln!("{} of {} clauses reviewed", o.reviewed, o.clauses);
                } else {
                    outln!(
                        "{} of {} clauses reviewed in {} documents{}",
                        o.reviewed,
                        o.clauses,
                        o.documents.len(),
                        match o.earlier_versions {
                            0 => String::new(),
                            n => format!(" ({n} earlier versions not counted)"),
                        }
                    );
                }
                for d in &o.documents {
                    outln!(
                        "{}\t{}\t{} of {} clauses reviewed\t{} findings\t{}",
                        d.document_id,
                        clean(&d.title),
                        d.reviewed,
                        d.clauses,
                        d.findings,
                        d.level.as_deref().unwrap_or("-")
                    );
                }
                for c in o.cells.iter().filter(|c| !c.finding_ids.is_empty()) {
                    outln!(
                        "likelihood {} × consequence {}\t{}\t{} findings",
                        c.likelihood,
                        c.impact,
                        c.level.as_deref().unwrap_or("-"),
                        c.finding_ids.len()
                    );
                }
                if o.unassessed > 0 {
                    outln!("not rated\t{} findings", o.unassessed);
                }
                for c in &o.by_crime_type {
                    outln!("{}\t{}\t{}", c.key, c.label, c.count);
                }
            }
        }
        Command::Bundle { command } => bundle(&mut lib, command)?,
        Command::Init { .. } => unreachable!("handled before the library is opened"),
        Command::Key { .. } => unreachable!("handled before the library is opened"),
        Command::Rekey {
            new_passphrase_file,
        } => {
            if !lib.is_encrypted() {
                return Err(AppError::new(
                    ErrorCode::NotEncrypted,
                    format!(
                        "{} is not an encrypted library, so it has no passphrase to change. Nothing was changed.",
                        path.display()
                    ),
                ));
            }
            let new = secret::new_passphrase(new_passphrase_file.as_deref(), "the library")?;
            lib.change_passphrase(&new)?;
            eprintln!(
                "kryphal: the passphrase of {} was changed; backups made before keep the old one.",
                path.display()
            );
        }
        Command::Conflicts { all, records, json } => {
            let list = if records {
                Vec::new()
            } else {
                lib.conflicts(all)?
            };
            let record_list = lib.record_conflicts(all)?;
            if json && records {
                print_json(&record_list)?;
            } else if json {
                print_json(&list)?;
            } else if list.is_empty() && record_list.is_empty() {
                outln!("No conflicts to resolve.");
            } else {
                for c in list {
                    let state = c.resolution.map(|r| r.as_str()).unwrap_or("open");
                    let mine = c
                        .mine
                        .as_ref()
                        .map(|m| m.input.unintended_consequence.as_str())
                        .unwrap_or("(deleted here)");
                    outln!(
                        "{}\t{}\t{}\t{state}\tfrom {} ({})\tmine: {}\ttheirs: {}",
                        c.id,
                        c.finding_id,
                        c.document_id,
                        clean(&c.origin.author),
                        clean(&c.origin.file),
                        clean(mine),
                        clean(&c.theirs.input.unintended_consequence)
                    );
                }
                for c in record_list {
                    let state = c.resolution.map(|r| r.as_str()).unwrap_or("open");
                    outln!(
                        "{}\t{} {}\t{}\t{state}\tfrom {} ({})\tmine: {}\ttheirs: {}",
                        c.id,
                        c.theirs.kind(),
                        c.entity_id,
                        c.document_id,
                        clean(&c.origin.author),
                        clean(&c.origin.file),
                        clean(&record_text(&c.mine)),
                        clean(&record_text(&c.theirs))
                    );
                }
            }
        }
        Command::Conflict {
            command:
                ConflictCommand::Resolve {
                    id,
                    keep,
                    combined,
                    json,
                },
        } => {
            let resolution = kryphal_domain::Resolution::parse(&keep).ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    format!("“{keep}” is not a choice; use mine, theirs or combined."),
                )
            })?;
            if id.starts_with("r-") {
                let c = lib.resolve_record_conflict(&id, resolution)?;
                if json {
                    print_json(&c)?;
                } else {
                    outln!("{}\t{}\t{}", c.id, c.entity_id, resolution.as_str());
                }
                return Ok(());
            }
            let input = combined.as_deref().map(read_finding_input).transpose()?;
            let c = lib.resolve_conflict(&id, resolution, input)?;
            if json {
                print_json(&c)?;
            } else {
                outln!("{}\t{}\t{}", c.id, c.finding_id, resolution.as_str());
            }
        }
        Command::Backup { out } => {
            let report = lib.backup(&out)?;
            eprintln!("kryphal: wrote {} ({} bytes)", report.path, report.bytes);
        }
        Command::Restore { file } => {
            let report = lib.restore(&file)?;
            outln!(
                "Restored {} ({} documents); the library as it was is kept in {}.",
                report.restored_from,
                report.documents,
                report.previous_saved_to
            );
        }
        Command::History { entity, json } => {
            let events = lib.history(entity.as_deref())?;
            if json {
                print_json(&events)?;
            } else {
                for e in events {
                    outln!("{}\t{}\t{}\t{}", e.at, e.actor, e.action, e.entity_id);
                }
            }
        }
    }
    Ok(())
}

/// A record conflict's side in one line: the metadata's title and Dnr, or the decision.
fn record_text(v: &kryphal_domain::RecordValue) -> String {
    match v {
        kryphal_domain::RecordValue::Metadata(m) => format!("{} (Dnr {})", m.title, m.dnr),
        kryphal_domain::RecordValue::Suggestion(s) => match s {
            kryphal_domain::SuggestionState::Open => "open".into(),
            kryphal_domain::SuggestionState::Accepted { finding_id } => {
                format!("accepted ({finding_id})")
            }
            kryphal_domain::SuggestionState::Dismissed { reason, .. } => {
                format!("dismissed: {reason}")
            }
        },
    }
}

fn workshop(lib: &mut kryphal_app::Library, command: WorkshopCommand) -> Result<(), AppError> {
    match command {
        WorkshopCommand::Start {
            doc,
            title,
            date,
            attendees,
            json,
        } => {
            let s = lib.start_workshop(&doc, &title, date.as_deref(), attendees)?;
            if json {
                print_json(&s)?;
            } else {
                outln!("{}\t{}\t{}", s.id, s.held_on, clean(&s.title));
            }
        }
        WorkshopCommand::List { doc, json } => {
            let sessions = lib.workshops(&doc)?;
            if json {
                print_json(&sessions)?;
            } else {
                for s in sessions {
                    let state = if s.ended_at.is_some() {
                        "closed"
                    } else {
                        "open"
                    };
                    outln!("{}\t{}\t{}\t{}", s.id, s.held_on, state, clean(&s.title));
                }
            }
        }
        WorkshopCommand::Judge {
            session,
            finding,
            likelihood,
            impact,
            note,
        } => {
            let j = lib.record_judgement(&session, &finding, likelihood, impact, &note)?;
            outln!(
                "{}\t{} × {}\t{}",
                j.finding_id,
                j.likelihood,
                j.impact,
                j.risk_level.as_deref().unwrap_or("-")
            );
        }
        WorkshopCommand::Decide {
            session,
            clause,
            decision,
            dissent,
        } => {
            let kind = kryphal_domain::DecisionKind::parse(&decision).ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    format!("“{decision}” is not a decision; use adopt, reject or defer."),
                )
            })?;
            let d = lib.record_decision(&session, &clause, kind, &dissent)?;
            outln!("{}\t{}", d.clause_id, d.decision.as_str());
        }
        WorkshopCommand::End { session } => lib.end_workshop(&session)?,
        WorkshopCommand::Show { session, json } => {
            let record = lib.workshop(&session)?;
            if json {
                print_json(&record)?;
            } else {
                outln!("{}", lib.workshop_minutes(&session)?.trim_end());
            }
        }
        WorkshopCommand::Minutes {
            session,
            out,
            format,
        } => lib.export_minutes(&session, &format, &out)?,
    }
    Ok(())
}

/// `kryphal init`: creates a new library, refusing a file that exists.
fn init(
    path: &std::path::Path,
    user: String,
    encrypt: bool,
    passphrase_file: Option<&std::path::Path>,
) -> Result<(), AppError> {
    if path.exists() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "{} already exists; choose another path for the new library. Nothing was changed.",
                path.display()
            ),
        ));
    }
    let passphrase = match (encrypt, passphrase_file) {
        (true, _) => Some(secret::new_passphrase(passphrase_file, "the new library")?),
        (false, Some(_)) => {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "A passphrase was given but not --encrypt: add --encrypt to create an encrypted library. Nothing was created.",
            ));
        }
        (false, None) => None,
    };
    let lib = Library::open_with(path, user, passphrase.as_ref())?;
    drop(lib);
    eprintln!(
        "kryphal: created {} library {}",
        if encrypt { "the encrypted" } else { "the" },
        path.display()
    );
    Ok(())
}

fn bundle(lib: &mut Library, command: BundleCommand) -> Result<(), AppError> {
    match command {
        BundleCommand::Export {
            docs,
            out,
            encrypt,
            bundle_passphrase_file,
            sign,
            json,
        } => {
            let file = secret::file_from(bundle_passphrase_file, "KRYPHAL_BUNDLE_PASSPHRASE_FILE");
            let passphrase = if encrypt {
                Some(secret::new_passphrase(file.as_deref(), "the bundle")?)
            } else {
                None
            };
            let key = if sign {
                kryphal_app::prefs::signing_key(true)?
            } else {
                None
            };
            if let Some((_, info)) = &key
                && info.created
            {
                eprintln!(
                    "kryphal: made your signing key, fingerprint {} (kept in {}; `kryphal key show` shows it again).",
                    info.fingerprint, info.path
                );
            }
            let report = lib.export_bundle_signed(
                &docs,
                &out,
                passphrase.as_ref(),
                key.as_ref().map(|(k, _)| k),
            )?;
            if json {
                print_json(&report)?;
            }
            if let Some(fp) = &report.signed_by {
                eprintln!("kryphal: signed with your key {fp}");
            }
            eprintln!(
                "kryphal: wrote {}{} ({} bytes: {} documents, {} findings)",
                if report.encrypted {
                    "the encrypted bundle "
                } else {
                    ""
                },
                report.path,
                report.bytes,
                report.documents,
                report.findings
            );
        }
        BundleCommand::Import {
            file,
            bundle_passphrase_file,
            json,
        } => {
            let source =
                secret::file_from(bundle_passphrase_file, "KRYPHAL_BUNDLE_PASSPHRASE_FILE");
            let report = lib.import_bundle_file_with(&file, || {
                secret::existing_passphrase(source.as_deref(), &file, "bundle")
            })?;
            if json {
                print_json(&report)?;
            } else {
                match &report.origin.signed_by {
                    Some(fp) => eprintln!(
                        "kryphal: {} is signed by the key {fp}; it says it was made by {}. Compare the fingerprint with the one the sender sees with `kryphal key show`.",
                        file.display(),
                        clean(&report.origin.author)
                    ),
                    None => eprintln!(
                        "kryphal: {} is unsigned: nothing shows who made it or that it is unchanged since; it says it was made by {}.",
                        file.display(),
                        clean(&report.origin.author)
                    ),
                }
                for d in &report.documents {
                    outln!(
                        "{}\t{}\t{}\t{} added, {} updated, {} unchanged, {} comments, {} conflicts",
                        d.document_id,
                        clean(&d.title),
                        if d.new_document { "new" } else { "merged" },
                        d.findings_added,
                        d.findings_updated,
                        d.findings_unchanged,
                        d.comments_added,
                        d.conflicts
                    );
                }
                for w in &report.warnings {
                    eprintln!("kryphal: warning: {w}");
                }
            }
            if report.conflicts > 0 {
                eprintln!(
                    "kryphal: {} findings were edited in both libraries; both versions are kept until you resolve them (`kryphal conflicts`).",
                    report.conflicts
                );
            }
            if report.record_conflicts > 0 {
                eprintln!(
                    "kryphal: {} metadata or suggestion decisions were changed in both libraries; both versions are kept until you resolve them (`kryphal conflicts`).",
                    report.record_conflicts
                );
            }
        }
    }
    Ok(())
}

/// `kryphal outline …`: one correction, or the list of them.
fn outline(lib: &mut Library, command: OutlineCommand) -> Result<(), AppError> {
    let clause_line = |c: &kryphal_domain::Clause| format!("{}\t{}\t{}", c.id, c.label, c.text);
    match command {
        OutlineCommand::Promote {
            clause,
            level,
            json,
        } => {
            let s = lib.promote_clause(&clause, level)?;
            if json {
                print_json(&s)?;
            } else {
                outln!(
                    "{}\tlevel {}\t{}",
                    s.id,
                    s.level,
                    format!("{} {}", s.number, s.title).trim()
                );
            }
        }
        OutlineCommand::Demote { section, json } => {
            let c = lib.demote_section(&section)?;
            if json {
                print_json(&c)?;
            } else {
                outln!("{}", clause_line(&c));
            }
        }
        OutlineCommand::Move {
            clause,
            under,
            json,
        } => {
            let c = lib.move_clause(&clause, &under)?;
            if json {
                print_json(&c)?;
            } else {
                outln!("{}", clause_line(&c));
            }
        }
        OutlineCommand::Renumber {
            clause,
            number,
            json,
        } => {
            let c = lib.renumber_clause(&clause, &number)?;
            if json {
                print_json(&c)?;
            } else {
                outln!("{}", clause_line(&c));
            }
        }
        OutlineCommand::Corrections { doc, json } => {
            let list = lib.outline_corrections(&doc)?;
            if json {
                print_json(&list)?;
            } else if list.is_empty() {
                outln!("No corrections of the outline are kept for this document.");
            } else {
                for c in list {
                    outln!(
                        "{}\t{}\t{}\t{}\t{}{}",
                        c.id,
                        c.made_at,
                        c.made_by,
                        c.label,
                        kryphal_app::corrections::describe(&c.change),
                        c.carried_from
                            .map(|f| format!("\t(from {f})"))
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    Ok(())
}

/// The end of a command over several files: the JSON list of results, and
/// a refusal that counts the files that failed (`verb`: what was not done).
fn finish_files(
    json: bool,
    results: &[serde_json::Value],
    failed: usize,
    total: usize,
    verb: &str,
) -> Result<(), AppError> {
    if json {
        print_json(&results)?;
    }
    if failed > 0 {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            format!("{failed} of {total} files could not be {verb}."),
        ));
    }
    Ok(())
}

fn print_version_report(r: &kryphal_app::VersionReport) {
    outln!(
        "{}\t{}\tversion {} (after {})\t{} clauses",
        r.document_id,
        clean(&r.title),
        r.number,
        r.previous_id,
        r.clauses
    );
    let s = &r.summary;
    outln!(
        "Clauses: {} changed, {} added, {} removed, {} moved, {} unchanged.",
        s.changed,
        s.added,
        s.removed,
        s.moved,
        s.unchanged
    );
    outln!(
        "Findings: {} carried over, {} to review again, {} orphaned, {} implemented; {} suggestion decisions carried over.",
        r.carried,
        r.rereview,
        r.orphaned,
        r.implemented,
        r.decisions
    );
    if r.corrections_applied > 0 || !r.corrections_skipped.is_empty() {
        outln!(
            "Outline corrections: {} made again, {} no longer matched.",
            r.corrections_applied,
            r.corrections_skipped.len()
        );
        for s in &r.corrections_skipped {
            outln!("  {}", s.message);
        }
    }
}

/// The segments of a word diff as text: `[-deleted-]{+inserted+}`.
fn diff_text(diff: &[kryphal_app::DiffSegment]) -> String {
    diff.iter()
        .map(|d| match d.kind.as_str() {
            "deleted" => format!("[-{}-]", d.text),
            "inserted" => format!("{{+{}+}}", d.text),
            _ => d.text.clone(),
        })
        .collect()
}

/// `kryphal compare OLD NEW`: text, JSON, or an export written to `out`.
fn compare(
    lib: &Library,
    old: &str,
    new: &str,
    out: Option<PathBuf>,
    format: &str,
    json: bool,
) -> Result<(), AppError> {
    if let Some(out) = out {
        let n = lib.export_comparison(old, new, format, &out)?;
        eprintln!("kryphal: wrote {} ({n} bytes)", out.display());
        return Ok(());
    }
    let cmp = lib.compare_versions(old, new)?;
    if json {
        return print_json(&cmp);
    }
    let s = &cmp.summary;
    outln!(
        "{} changed, {} added, {} removed, {} moved, {} renumbered, {} unchanged.",
        s.changed,
        s.added,
        s.removed,
        s.moved,
        s.renumbered,
        s.unchanged
    );
    for c in &cmp.changes {
        use kryphal_app::ClauseChangeKind as K;
        if c.kind == K::Unchanged && !c.moved {
            continue;
        }
        let kind = match (c.kind, c.moved) {
            (K::Changed, true) => "changed, moved",
            (K::Changed, false) => "changed",
            (K::Added, _) => "added",
            (K::Removed, _) => "removed",
            (K::Unchanged, _) => "moved",
        };
        let label = match (&c.old, &c.new) {
            (Some(o), Some(n)) if o.label != n.label => format!("{} → {}", o.label, n.label),
            (_, Some(n)) => n.label.clone(),
            (Some(o), None) => o.label.clone(),
            (None, None) => String::new(),
        };
        outln!("{kind}\t{label}");
        match c.kind {
            K::Changed => outln!("  {}", diff_text(&c.diff)),
            K::Added => outln!(
                "  {{+{}+}}",
                c.new.as_ref().map(|n| n.text.as_str()).unwrap_or("")
            ),
            K::Removed => outln!(
                "  [-{}-]",
                c.old.as_ref().map(|o| o.text.as_str()).unwrap_or("")
            ),
            K::Unchanged => {}
        }
    }
    for c in &cmp.carried {
        outln!(
            "finding {}\t{}\t{}",
            c.carry.state.as_str(),
            c.carry
                .finding_id
                .as_deref()
                .unwrap_or(&c.carry.from_finding_id),
            c.new_label.as_deref().unwrap_or(&c.carry.from_label)
        );
    }
    Ok(())
}

/// Imports one file: a `.json` file is a Kryphål analysis (documents are
/// never JSON), anything else a document.
fn import_one(
    lib: &mut Library,
    file: &std::path::Path,
) -> Result<kryphal_app::ImportReport, AppError> {
    let is_json = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !is_json {
        return lib.import_file(file);
    }
    lib.import_analysis_file(file)
}

/// `kryphal key show`: the fingerprint and public key of the user's
/// signing key (made now when there is none).
fn key_show(json: bool) -> Result<(), AppError> {
    let (_, info) =
        kryphal_app::prefs::signing_key(true)?.expect("a key is made when there is none");
    if json {
        return print_json(&info);
    }
    if info.created {
        eprintln!("kryphal: made your signing key (kept in {}).", info.path);
    }
    outln!("fingerprint\t{}", info.fingerprint);
    outln!("public key\t{}", info.public_key);
    outln!("file\t{}", info.path);
    Ok(())
}

/// `kryphal rulebook check DIR`: every problem on its own line, exit 1 if any.
fn check_rulebook(dir: &std::path::Path) -> Result<(), AppError> {
    let report = kryphal_rules::check_pack(dir)
        .map_err(|e| AppError::new(ErrorCode::InvalidInput, e.to_string()))?;
    outln!("{report}");
    if report.passed() {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::InvalidInput,
            format!("the rulebook in {} has examples that fail.", dir.display()),
        ))
    }
}
