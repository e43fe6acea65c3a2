//! The rating scale and the track records that count it, through the real
//! binary (issue 14): `rate claim 13 banana` was accepted; on LIAR2, `track
//! record of "donald trump"` showed 34 "false" ratings beside
//! `retracted/false 0%`. A new database starts with PolitiFact's scale, so
//! the README's LIAR2 import works; ratings off the scale are refused by
//! `rate` and, per record, by imports, with how to widen the scale; the
//! scale is kept in the database; track records count what the ratings say.

mod common;

use common::{repo_file, Dir};

/// The README's LIAR2 import statement.
fn liar2_import(path: &std::path::Path, labels: &str) -> String {
    format!(
        "import csv \"{}\" map text = statement, source = speaker, date = date, rating = label ({labels}), \
         topics = subject split \";\", kind = \"person\"",
        path.display()
    )
}

const LABELS: &str =
    "0 = \"pants-fire\", 1 = \"false\", 2 = \"barely-true\", 3 = \"half-true\", 4 = \"mostly-true\", 5 = \"true\"";

/// A database holding LIAR2's test split, imported as the README says.
fn liar2() -> Dir {
    let dir = Dir::new();
    let run = dir.run(&["--create", "-c", &liar2_import(&repo_file("tests/data/liar2/test.csv"), LABELS)]);
    run.code(0);
    assert!(run.stdout.starts_with("imported 2296 claims (#1–#2296); rejected 0 records"), "{}", run.stdout);
    dir
}

#[test]
fn ratings_off_the_scale_are_refused_with_what_to_do() {
    let dir = Dir::with_database();
    dir.run(&["-c", "add claim \"x\" by someone on 2024-11-09"]).code(0);
    let run = dir.run(&["-c", "rate claim 1 banana"]);
    run.code(1);
    assert!(run.stderr.contains("\"banana\" is not on the rating scale (politifact: true, mostly-true, half-true, mostly-false (or barely-true), false, pants-fire (or pants-on-fire))"), "{}", run.stderr);
    assert!(run.stderr.contains("add rating banana to rating scale as false"), "{}", run.stderr);
    assert!(run.stderr.contains("set rating scale to any"), "{}", run.stderr);
    let run = dir.run(&["-c", "rate claim 1 \"mostly-ture\""]);
    run.code(1);
    assert!(run.stderr.contains("did you mean 'mostly-true'?"), "{}", run.stderr);
    let run = dir.run(&["--format", "json", "-c", "claim 1"]);
    assert!(run.stdout.contains("\"rating\":null"), "nothing was stored: {}", run.stdout);
    // Any case and punctuation of a grade is that grade, stored as the
    // scale spells it.
    dir.run(&["-c", "rate claim 1 \"Mostly True\""]).code(0);
    let run = dir.run(&["--format", "json", "-c", "claim 1"]);
    assert!(run.stdout.contains("\"rating\":\"mostly-true\""), "{}", run.stdout);
    let run = dir.run(&["-c", "count claims rated \"MOSTLY TRUE\""]);
    assert_eq!(run.stdout, "1 claim\n");
    // Widened, the scale takes it; the scale is kept in the database.
    dir.run(&["-c", "add rating banana to rating scale as false"]).code(0);
    dir.run(&["-c", "rate claim 1 banana"]).code(0);
    let run = dir.run(&["-c", ".mode lines", "-c", "rating scale"]);
    assert!(run.stdout.starts_with("rating scale politifact, changed: other ratings are refused\n"), "{}", run.stdout);
    assert!(run.stdout.contains("\nbanana | - | false-ish | 1\n"), "{}", run.stdout);
    // Removing a grade claims have is refused, naming them; nothing changes.
    let run = dir.run(&["-c", "remove rating banana from rating scale"]);
    run.code(1);
    assert!(
        run.stderr
            .contains("claims have ratings the scale \"politifact, changed\" does not have: \"banana\" (1 claim)"),
        "{}",
        run.stderr
    );
    let run = dir.run(&["-c", ".mode lines", "-c", "rating scale"]);
    assert!(run.stdout.contains("\nbanana | - | false-ish | 1\n"), "{}", run.stdout);
}

#[test]
fn scales_built_in_declared_and_open() {
    let dir = Dir::with_database();
    let run = dir.run(&[
        "-c",
        "set rating scale to snopes",
        "-c",
        "add claim \"x\" by y on 2024-11-09 rated \"Mostly False\"",
    ]);
    run.code(0);
    assert!(
        run.stdout.starts_with("the rating scale is now snopes: true, mostly true, mixture, mostly false, false\n"),
        "{}",
        run.stdout
    );
    let run = dir.run(&["-c", "rate claim 1 \"pants-fire\""]);
    run.code(1);
    assert!(run.stderr.contains("(snopes: true, mostly true, mixture, mostly false, false)"), "{}", run.stderr);
    let own = "set rating scale to newsroom (true: accurate; mixed: \"needs context\"; \
               false: misleading or \"misleading claim\", fabricated, \"mostly false\") allowing others";
    let run = dir.run(&[
        "-c",
        own,
        "-c",
        "rate claim 1 \"Misleading Claim\"",
        "-c",
        "add claim \"y\" by y on 2024-11-09 rated satire",
    ]);
    run.code(0);
    assert!(run.stdout.contains("newsroom: accurate, needs context, misleading (or misleading claim), fabricated, mostly false, and any other rating"), "{}", run.stdout);
    let run = dir.run(&["--format", "json", "-c", "rating scale"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["scale"], "newsroom");
    assert_eq!(v[0]["open"], true);
    assert_eq!(
        v[0]["grades"][2],
        serde_json::json!({"rating": "misleading", "also": ["misleading claim"], "leaning": "false-ish", "claims": 1})
    );
    assert_eq!(v[0]["off_scale"], serde_json::json!([{"rating": "satire", "claims": 1}]));
    // A scale of one's own is checked where it is written.
    let run = dir.run(&["-c", "set rating scale to mine (true: accurate; false: \"Accurate!\")"]);
    run.code(1);
    assert!(run.stderr.contains("column 50: \"Accurate!\" is given twice"), "{}", run.stderr);
    let run = dir.run(&["-c", "set rating scale to snoops"]);
    run.code(1);
    assert!(run.stderr.contains("did you mean 'snopes'?"), "{}", run.stderr);
    // A change that would leave claims off the scale is refused.
    let run = dir.run(&["-c", "set rating scale to politifact"]);
    run.code(1);
    assert!(
        run.stderr.contains("\"Misleading Claim\" (1 claim)"),
        "as written (case aside, it is the grade): {}",
        run.stderr
    );
    assert!(run.stderr.contains("\"satire\" (1 claim)"), "{}", run.stderr);
    dir.run(&["-c", "set rating scale to any"]).code(0);
    dir.run(&["-c", "rate claim 1 banana"]).code(0);
}

#[test]
fn the_readme_liar2_import_works_on_a_new_database_and_imports_check_the_scale() {
    let dir = Dir::new();
    // One label outside the scale: a per-record error naming the scale and
    // how to widen it, and nothing imported.
    let sample = dir.path().join("sample.csv");
    let text = std::fs::read_to_string(repo_file("tests/data/liar2/test.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut writer = csv::Writer::from_path(&sample).unwrap();
    writer.write_record(reader.headers().unwrap()).unwrap();
    for record in reader.records().take(40) {
        writer.write_record(&record.unwrap()).unwrap();
    }
    writer.flush().unwrap();
    let odd = LABELS.replace("\"barely-true\"", "\"misleading\"");
    let run = dir.run(&["--create", "-c", &liar2_import(&sample, &odd)]);
    run.code(1);
    assert!(run.stderr.contains("nothing was imported"), "{}", run.stderr);
    assert!(run.stderr.contains("rating: \"misleading\" is not on the rating scale (politifact:"), "{}", run.stderr);
    assert!(run.stderr.contains("add rating misleading to rating scale as false"), "{}", run.stderr);
    assert!(
        run.stderr.contains("is not on the rating scale either (see line"),
        "later records point back: {}",
        run.stderr
    );
    assert_eq!(dir.run(&["-c", "count claims"]).stdout, "0 claims\n");
    dir.run(&["-c", "add rating misleading to rating scale as false"]).code(0);
    let run = dir.run(&["-c", &liar2_import(&sample, &odd)]);
    run.code(0);
    assert!(run.stdout.starts_with("imported 40 claims"), "{}", run.stdout);
    // And the README's statement, on a new database, as it is.
    liar2();
}

#[test]
fn track_records_count_what_the_ratings_say() {
    let dir = liar2();
    let run = dir.run(&["--format", "json", "-c", "track record of \"donald trump\""]);
    run.code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let trump = &v[0];
    assert_eq!(trump["claims"], 92);
    assert_eq!(trump["per_rating"]["false"], 34);
    assert_eq!(trump["retracted_share"], 0.0, "statuses are one thing…");
    assert_eq!(trump["rated"], 92);
    // 34 false + 17 barely-true + 17 pants-fire; 9 mostly-true + 2 true.
    assert_eq!(trump["per_leaning"], serde_json::json!({"true-ish": 11, "mixed": 13, "false-ish": 68}));
    let false_share = trump["rated_false_share"].as_f64().unwrap();
    assert!((false_share - 68.0 / 92.0).abs() < 1e-9, "{false_share}");
    assert!((trump["rated_true_share"].as_f64().unwrap() - 11.0 / 92.0).abs() < 1e-9);
    // …and the table says both.
    let run = dir.run(&["-c", "track record of \"donald trump\""]);
    assert!(
        run.stdout.contains("confirmed 0%, retracted/false 0%, rated true-ish 12%, false-ish 74%"),
        "{}",
        run.stdout
    );
    let wide = dir
        .cmd()
        .arg(dir.db())
        .args(["-c", "track record of \"donald trump\""])
        .env("COLUMNS", "140")
        .output()
        .unwrap();
    let wide = String::from_utf8(wide.stdout).unwrap();
    assert!(wide.lines().next().unwrap().ends_with("confirmed  retracted/false  true-ish  false-ish"), "{wide}");
    assert!(wide.lines().nth(2).unwrap().ends_with("0%               0%       12%        74%"), "{wide}");
    // Ranked by what the ratings say.
    let run = dir.run(&["--format", "csv", "-c", "sources ranked by false-ish with at least 20 claims limit 3"]);
    let names: Vec<&str> = run.stdout.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(names, vec!["viral image", "instagram posts", "bloggers"], "{}", run.stdout);
    let run =
        dir.run(&["--format", "json", "-c", "sources ranked by rating \"False\" with at least 10 claims limit 1"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["name"], "viral image");
    assert!((v[0]["ranked_share"].as_f64().unwrap() - 79.0 / 114.0).abs() < 1e-9, "{}", run.stdout);
    // A scale that would strand LIAR2's ratings is refused.
    let run = dir.run(&["-c", "set rating scale to snopes"]);
    run.code(1);
    assert!(run.stderr.contains("\"half-true\" (371 claims)"), "{}", run.stderr);
    assert!(dir.run(&["-c", "rating scale"]).stdout.starts_with("rating scale politifact:"));
}
