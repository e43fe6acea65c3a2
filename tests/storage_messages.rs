//! The storage engine's own wording never reaches people: a damaged or
//! edited settings file, damaged log data and a full disk are told in the
//! user's terms, with what to do.

mod common;

use common::Dir;

/// Texts of sled's errors that must never be shown.
const SLED_WORDING: [&str; 7] =
    ["file offset", "backtrace", "sled version", "0.29", "please change it back", "Unsupported", "Os {"];

fn assert_plain(stderr: &str) {
    for text in SLED_WORDING {
        assert!(!stderr.contains(text), "{text:?} in: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_damaged_or_edited_settings_file_is_told_plainly() {
    for (what, conf) in [
        ("not text", vec![0xff, 0xfe, 0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86]),
        (
            "another segment size",
            b"segment_size: 262144\nuse_compression: false\nversion: 0.34\n\x00\x00\x00\x00".to_vec(),
        ),
        (
            "compression switched on",
            b"segment_size: 524288\nuse_compression: true\nversion: 0.34\n\x00\x00\x00\x00".to_vec(),
        ),
    ] {
        let dir = Dir::new();
        dir.run(&["-c", "add claim \"x\" by y on 2024-11-09"]).code(0);
        std::fs::write(dir.db().join("conf"), &conf).unwrap();
        let run = dir.run(&["-c", "count claims"]);
        assert_eq!(run.code, Some(2), "{what}: {}", run.stderr);
        assert_plain(&run.stderr);
        assert!(
            run.stderr.contains("settings file") && run.stderr.contains("restore the database from a backup"),
            "{what}: {}",
            run.stderr
        );
    }
}

#[test]
fn damaged_log_data_is_told_plainly() {
    let dir = Dir::new();
    let mut args = Vec::new();
    for i in 0..40 {
        args.push("-c".to_string());
        args.push(format!("add claim \"claim {i} with words\" by \"source {i}\" via AP on 2024-11-09"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    dir.run(&args).code(0);
    // Garbage over the whole log: whatever sled makes of it, the message
    // is claimdb's.
    let path = dir.db().join("db");
    let mut bytes = std::fs::read(&path).unwrap();
    for (i, b) in bytes.iter_mut().enumerate().skip(64) {
        *b ^= (i % 251) as u8 | 1;
    }
    std::fs::write(&path, &bytes).unwrap();
    let run = dir.run(&["-c", "count claims", "-c", ".check"]);
    assert_ne!(run.code, Some(0), "{}", run.stdout);
    assert_plain(&run.stderr);
    assert!(run.stderr.contains("damaged") || run.stderr.contains("has lost acknowledged writes"), "{}", run.stderr);
}
