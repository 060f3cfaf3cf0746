//! The edges a race, a crash or an odd file leaves (issue 21): libraries
//! created by several processes at once, one file imported by several at
//! once, the copies a killed backup or restore left, pipes and devices
//! given as files, hidden characters in trigger words, bundles with
//! duplicate entries, forged authors and signatures, and the messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{SAMPLE, kryphal, kryphal_with, succeeded};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn lib(&self) -> PathBuf {
        self.dir.path().join("lib.kryphal")
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn run(&self, args: &[&str]) -> Output {
        // A preferences folder of the test's own: signing keys land there.
        kryphal_with(
            &self.lib(),
            args,
            &[("KRYPHAL_CONFIG_DIR", &self.path("config"))],
            None,
        )
    }
    fn ok(&self, args: &[&str]) -> String {
        succeeded(args, self.run(args))
    }
    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
    /// Fails with exit 1; the first line of stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?} should fail: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr)
            .unwrap()
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    }
}

fn spawn(library: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_kryphal"))
        .arg("--library")
        .arg(library)
        .args(args)
        .env("KRYPHAL_USER", "testare")
        .env_remove("KRYPHAL_LIBRARY")
        .env_remove("KRYPHAL_PASSPHRASE_FILE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn three_processes_creating_one_library_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..10 {
        let lib = dir.path().join(format!("ny-{round}.kryphal"));
        let children: Vec<_> = (0..3).map(|_| spawn(&lib, &["list"])).collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let out = kryphal(&lib, &["list"], None);
        assert!(out.status.success());
    }
}

#[test]
fn one_file_imported_by_parallel_processes_is_stored_once_and_refused_with_the_sentence() {
    let env = Env::new();
    env.ok(&["list"]);
    for _ in 0..3 {
        let children: Vec<_> = (0..4)
            .map(|_| spawn(&env.lib(), &["import", SAMPLE]))
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!err.contains("UNIQUE"), "{err}");
            assert!(!err.contains("constraint"), "{err}");
            if !out.status.success() {
                assert!(err.contains("is already in the library as"), "{err}");
            }
        }
    }
    let list = env.json(&["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
}

/// Makes `path` look a few minutes old, as a leftover of a killed process.
fn age(path: &Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(300))
        .unwrap();
}

#[cfg(unix)]
#[test]
fn copies_a_killed_backup_or_restore_left_are_removed_at_the_next_open() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    // What a backup and a restore killed midway left (names of before and of now).
    let library = std::fs::read(env.lib()).unwrap();
    let leftovers = [
        ".lib-backup.kryphal.0123456789abcdef0123456789abcdef.tmp",
        ".restore-0123456789abcdef0123456789abcdef.tmp",
        ".lib-backup.kryphal.kryphal-0123456789abcdef0123456789abcdef.tmp",
    ];
    for name in leftovers {
        let p = env.file(name, &library);
        age(&p);
    }
    // Not ours, and one in use by a live process: both stay.
    let foreign = env.file(".notes.txt.0123456789abcdef0123456789abcdef.tmp", b"mine");
    age(&foreign);
    let busy = env.file(
        ".other.kryphal.kryphal-fedcba9876543210fedcba9876543210.tmp",
        &library,
    );
    age(&busy);
    let holder = std::fs::File::open(&busy).unwrap();
    holder.try_lock().unwrap();
    env.ok(&["list"]);
    for name in leftovers {
        assert!(!env.path(name).exists(), "{name} was left");
    }
    assert!(foreign.exists());
    assert!(busy.exists());
    drop(holder);
    // A backup is readable by its owner only, and leaves no temporary file.
    let backup = env.path("kopia.kryphal");
    env.ok(&["backup", "--out", backup.to_str().unwrap()]);
    let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "{mode:o}");
    env.ok(&["restore", backup.to_str().unwrap()]);
    let temps: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && n.contains("kryphal-"))
        .collect();
    // The copy that was in use is a leftover too once its holder let go
    // (it is old and unlocked): the backup's sweep took it.
    assert_eq!(temps, Vec::<String>::new());
    assert!(!busy.exists());
}

#[cfg(unix)]
#[test]
fn pipes_devices_and_oversized_files_are_refused_before_reading() {
    let env = Env::new();
    env.ok(&["list"]);
    let fifo = env.path("ror.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let start = std::time::Instant::now();
    let err = env.fails(&["import", fifo.to_str().unwrap()]);
    assert!(
        err.contains("is a device, pipe or socket, not a file"),
        "{err}"
    );
    let err = env.fails(&["import", "/dev/zero"]);
    assert!(
        err.contains("is a device, pipe or socket, not a file"),
        "{err}"
    );
    let err = env.fails(&["bundle", "import", "/dev/zero"]);
    assert!(
        err.contains("is a device, pipe or socket, not a file"),
        "{err}"
    );
    let err = env.fails(&["restore", "/dev/zero"]);
    assert!(err.contains("is not a file"), "{err}");
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    // Sparse files: huge on paper, refused by their size without being read.
    let big = env.path("stor.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(60 << 20)
        .unwrap();
    let err = env.fails(&["import", big.to_str().unwrap()]);
    assert!(err.contains("more than the limit of"), "{err}");
    let huge = env.path("stor.kryphal");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len((1 << 30) + 1)
        .unwrap();
    let err = env.fails(&["bundle", "import", huge.to_str().unwrap()]);
    assert!(
        err.contains("more than the 1073741824 bytes a bundle may hold"),
        "{err}"
    );
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

#[test]
fn hidden_characters_do_not_hide_trigger_words_from_screening_or_search() {
    let plain = "# Villkor\n\nDet är osannolikt att kontroll sker. Egenförsäkran räcker.\n";
    let hidden = "# Villkor\n\nDet är osanno\u{200B}likt att k\u{43E}ntroll sker. Egenf\u{4E7}rs\u{4D3}kran räcker.\n";
    let env = Env::new();
    let a = env.file("ren.md", plain.as_bytes());
    let b = env.file("dold.md", hidden.as_bytes());
    let plain_id = env.ok(&["import", a.to_str().unwrap()]);
    let plain_id = plain_id.split('\t').next().unwrap();
    let hidden_id = env.ok(&["import", b.to_str().unwrap()]);
    let hidden_id = hidden_id.split('\t').next().unwrap();
    let rules = |id: &str| -> Vec<String> {
        let mut r: Vec<String> = env.json(&["screen", id, "--json"])["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["rule_id"].as_str().unwrap().to_string())
            .collect();
        r.sort();
        r
    };
    let mut expected = rules(plain_id);
    expected.push("dold-text".into());
    expected.sort();
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(rules(hidden_id), expected);
    // The stored text is what the document said.
    let view = env.json(&["show", hidden_id, "--json"]);
    assert!(
        view["outline"]["clauses"][0]["text"]
            .as_str()
            .unwrap()
            .contains("osanno\u{200B}likt")
    );
    // Search finds the disguised words in both documents.
    for word in ["kontroll", "egenförsäkran", "osannolikt"] {
        let hits = env.json(&["search", word, "--json"]);
        let docs: Vec<&str> = hits["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["document_id"].as_str().unwrap())
            .collect();
        assert!(docs.contains(&hidden_id), "{word}: {hits}");
        assert!(docs.contains(&plain_id), "{word}: {hits}");
    }
}

/// Rewrites a bundle's zip: `edit` may change entries (by name); the
/// manifest's checksums are recomputed for the entries, as a forger would.
fn reforge(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let name = f.name().unwrap().to_string();
        entries.push((name.clone(), edit(&name, data)));
    }
    let sums: std::collections::HashMap<String, (u64, String)> = entries
        .iter()
        .map(|(n, d)| (n.clone(), (d.len() as u64, kryphal_bundle::sha256_hex(d))))
        .collect();
    for (name, data) in &mut entries {
        if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(data).unwrap();
            for e in m["entries"].as_array_mut().unwrap() {
                let (size, sum) = &sums[e["name"].as_str().unwrap()];
                e["size"] = (*size).into();
                e["sha256"] = sum.clone().into();
            }
            *data = serde_json::to_vec_pretty(&m).unwrap();
        }
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, data) in entries {
        w.start_file(name, opts).unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn bundles_say_who_signed_them_and_a_forged_author_is_never_taken_as_verified() {
    let sender = Env::new();
    sender.ok(&["import", SAMPLE]);
    let key = sender.json(&["key", "show", "--json"]);
    let fingerprint = key["fingerprint"].as_str().unwrap().to_string();
    assert_eq!(fingerprint.len(), 39, "{key}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key["path"].as_str().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    // The same key again, and nowhere in the output its secret.
    let again = sender.json(&["key", "show", "--json"]);
    assert_eq!(again["fingerprint"], key["fingerprint"]);
    let signed = sender.path("signerad.kryphal");
    let plain = sender.path("osignerad.kryphal");
    let out = sender.run(&[
        "bundle",
        "export",
        "Reglemente",
        "--out",
        signed.to_str().unwrap(),
        "--sign",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let secret = std::fs::read_to_string(key["path"].as_str().unwrap()).unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains(secret.trim()));
    sender.ok(&[
        "bundle",
        "export",
        "Reglemente",
        "--out",
        plain.to_str().unwrap(),
    ]);

    let receiver = Env::new();
    let out = receiver.run(&["bundle", "import", signed.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("is signed by the key {fingerprint}")),
        "{err}"
    );
    let history = receiver.json(&["history", "--json"]);
    let from = history
        .as_array()
        .unwrap()
        .iter()
        .find_map(|e| e["after"].get("from").cloned())
        .unwrap();
    assert_eq!(from["signed_by"], fingerprint.as_str());

    // Unsigned, with the author forged and the checksums recomputed:
    // imported (checksums prove no authorship), shown and audited as unsigned.
    let forged = reforge(&std::fs::read(&plain).unwrap(), |name, data| {
        if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&data).unwrap();
            m["author"] = "Kommunchefen".into();
            serde_json::to_vec_pretty(&m).unwrap()
        } else {
            data
        }
    });
    let forged_path = receiver.file("forged.kryphal", &forged);
    let other = Env::new();
    let out = other.run(&["bundle", "import", forged_path.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["origin"]["author"], "Kommunchefen");
    assert!(report["origin"]["signed_by"].is_null(), "{report}");
    let history = other.json(&["history", "--json"]);
    for e in history.as_array().unwrap() {
        if let Some(from) = e["after"].get("from") {
            assert!(from["signed_by"].is_null(), "{e}");
        }
    }
    let out = other.run(&["bundle", "import", forged_path.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is unsigned"));

    // A signed bundle changed after signing, checksums recomputed: refused.
    let tampered = reforge(&std::fs::read(&signed).unwrap(), |name, data| {
        if name.ends_with("analysis.json") {
            String::from_utf8(data)
                .unwrap()
                .replacen("Reglemente", "Regelverk", 1)
                .into_bytes()
        } else {
            data
        }
    });
    let tampered_path = receiver.file("tampered.kryphal", &tampered);
    let fresh = Env::new();
    let err = fresh.fails(&["bundle", "import", tampered_path.to_str().unwrap()]);
    assert!(
        err.contains("its signature does not match its contents"),
        "{err}"
    );
    assert!(
        fresh
            .json(&["list", "--json"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_bundle_with_two_entries_of_one_name_is_refused() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    let out = env.path("b.kryphal");
    env.ok(&[
        "bundle",
        "export",
        "Reglemente",
        "--out",
        out.to_str().unwrap(),
    ]);
    // Add a second analysis.json under a name of the same length, then
    // give it the first one's name in the zip's headers.
    let view = env.json(&["list", "--json"]);
    let id = view[0]["id"].as_str().unwrap().to_string();
    let real = format!("documents/{id}/analysis.json");
    let twin = format!("documents/{id}/analysis.jsoX");
    let mut copy = {
        use std::io::{Read, Write};
        let bytes = std::fs::read(&out).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut entries = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            entries.push((f.name().unwrap().to_string(), data));
        }
        let analysis = entries.iter().find(|(n, _)| *n == real).unwrap().1.clone();
        let other = String::from_utf8(analysis)
            .unwrap()
            .replacen("Reglemente", "Regelverk", 1);
        entries.push((twin.clone(), other.into_bytes()));
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, d) in entries {
            w.start_file(n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&d).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    let mut i = 0;
    while let Some(p) = copy[i..]
        .windows(twin.len())
        .position(|w| w == twin.as_bytes())
    {
        let at = i + p + twin.len() - 1;
        copy[at] = b'n';
        i = at;
    }
    let dup = env.file("dubbel.kryphal", &copy);
    let fresh = Env::new();
    let err = fresh.fails(&["bundle", "import", dup.to_str().unwrap()]);
    assert!(err.contains("two entries with the same name"), "{err}");
}

#[test]
fn messages_keep_file_names_as_written_and_titles_on_one_line() {
    let env = Env::new();
    let not_a_library = env.file("lib.kryphal", b"just some text, not a database at all");
    let _ = not_a_library;
    let err = env.fails(&["list"]);
    assert!(
        err.starts_with(&format!("kryphal: {}", env.lib().display())),
        "{err}"
    );
    std::fs::remove_file(env.lib()).unwrap();

    env.ok(&["import", SAMPLE]);
    let list = env.json(&["list", "--json"]);
    let id = list[0]["id"].as_str().unwrap().to_string();
    env.ok(&["meta", &id, "--set", "title=Rad ett\nRad två\tflik"]);
    let text = env.ok(&["list"]);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("Rad ett\\nRad två\\tflik"), "{text}");
    let show = env.ok(&["show", &id]);
    assert!(
        show.lines().next().unwrap().contains("Rad ett\\nRad två"),
        "{show}"
    );
}

#[cfg(unix)]
#[test]
fn reindex_fails_when_the_index_cannot_be_saved() {
    let env = Env::new();
    env.ok(&["import", SAMPLE]);
    // A dangling link where the index folder must go, into a path that no
    // one (root neither) can make: the folder cannot be made. (A plain file
    // there is moved aside and the index made.)
    let mut index = env.lib().into_os_string();
    index.push(".search");
    std::os::unix::fs::symlink("/dev/null/kryphal-index", PathBuf::from(&index)).unwrap();
    let out = env.run(&["reindex"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not be saved"), "{err}");
    // Searching still works, from the index in memory.
    env.ok(&["search", "hemtjänst"]);
}
