//! Preferences are kept in the config folder and decide who acts.

use kryphal_app::{Library, Preferences};

#[test]
fn the_saved_user_name_is_used_and_bad_values_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // The only test in this binary, so setting the variable races with nothing.
    unsafe { std::env::set_var("KRYPHAL_CONFIG_DIR", dir.path().join("conf")) };
    assert_eq!(Preferences::load(), Preferences::default());

    let prefs = Preferences {
        user_name: "Anna Analytiker".into(),
        language: "en".into(),
        name_asked: true,
    };
    prefs.save().unwrap();
    assert_eq!(Preferences::load(), prefs);
    assert_eq!(Preferences::load().effective_user(), "Anna Analytiker");

    let mut lib = Library::open(
        &dir.path().join("lib.kryphal"),
        Preferences::load().effective_user(),
    )
    .unwrap();
    lib.ensure_sample().unwrap();
    assert_eq!(lib.history(None).unwrap()[0].actor, "Anna Analytiker");
    lib.set_user("Bo");
    let doc = lib.documents().unwrap()[0].id.clone();
    let meta = lib.resolve_document(&doc).unwrap().meta;
    lib.update_metadata(
        &doc,
        kryphal_domain::DocumentMeta {
            dnr: "X 1".into(),
            ..meta
        },
    )
    .unwrap();
    assert_eq!(lib.history(None).unwrap().last().unwrap().actor, "Bo");

    let bad = Preferences {
        language: "fi".into(),
        ..prefs.clone()
    };
    assert!(bad.save().unwrap_err().message.contains("choose sv or en"));
    let bad = Preferences {
        user_name: "a\nb".into(),
        ..prefs.clone()
    };
    assert!(bad.save().is_err());
    assert_eq!(
        Preferences::load(),
        prefs,
        "a refused save leaves the old preferences"
    );

    // A file written before the first-start question reads as not asked yet.
    std::fs::write(
        dir.path().join("conf").join("preferences.json"),
        r#"{"user_name": "", "language": "sv"}"#,
    )
    .unwrap();
    let old = Preferences::load();
    assert_eq!((old.language.as_str(), old.name_asked), ("sv", false));
}
