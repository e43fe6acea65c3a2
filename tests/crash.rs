//! Crash safety, proven by killing the real binary.
//!
//! Each cycle runs `claimdb DB --echo --keep-going` on a script of adds,
//! status changes, deletes and imports fed through stdin, reads its output
//! as it comes, and kills it with SIGKILL after a random delay. Then the
//! database is reopened and checked:
//!
//! - the integrity check passes (every index matches the records);
//! - every add whose `added claim #N` was printed is there, in full;
//! - every acknowledged status change is in the claim's history, every
//!   acknowledged delete is gone;
//! - no claim is partial: every claim present matches, field by field, one
//!   of the claims the scripts asked for;
//! - every import is all or nothing: 0 or all of its claims are present.
//!
//! The database carries over from cycle to cycle, so later cycles also
//! exercise recovery after recovery. `CLAIMDB_CRASH_CYCLES` sets the number
//! of cycles (default 50).
//!
//! Two more tests kill the binary inside long operations, at moments spread
//! over their length:
//!
//! - imports of 30,000 claims into a database: after the reopen the import
//!   is all there, or the database is byte for byte what it was before (no
//!   orphan source, no used-up id); `CLAIMDB_CRASH_IMPORT_CYCLES` (6);
//! - the upgrade of a 20,000-claim database of the first format at open:
//!   after the reopen the database is the upgraded one, exactly (the same
//!   export as an upgrade that ran to the end); `CLAIMDB_CRASH_UPGRADE_CYCLES`
//!   (6).

use claimdb::{Claim, Db, Kind, Status};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_claimdb");

/// Statements per cycle: enough that most runs are killed before the end.
const OPS_PER_CYCLE: usize = 150;

/// Claims per import file.
const IMPORT_SIZE: usize = 100;

/// Cycles that share one database before a fresh one is started (the
/// checks after each cycle read the whole database).
const CYCLES_PER_DATABASE: usize = 10;

/// A small deterministic random source (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// What a claim added by the scripts must look like, found by its text.
#[derive(Clone, Debug)]
struct Spec {
    source: String,
    outlets: Vec<String>,
    topics: Vec<String>,
}

fn spec_for(n: u64) -> Spec {
    Spec {
        source: format!("source {}", n % 7),
        outlets: if n.is_multiple_of(2) { vec!["Reuters".into(), "AFP".into()] } else { vec!["AP".into()] },
        topics: vec![format!("topic {}", n % 5)],
    }
}

fn add_statement(text: &str, spec: &Spec) -> String {
    let outlets: Vec<String> = spec.outlets.iter().map(|o| format!("\"{o}\"")).collect();
    format!(
        "add claim \"{text}\" by \"{}\" as anonymous official via {} on 2024-11-09 about \"{}\";\n",
        spec.source,
        outlets.join(", "),
        spec.topics[0]
    )
}

fn write_import(path: &Path, prefix: &str, specs: &mut HashMap<String, Spec>, serial: &mut u64) {
    let mut out = String::new();
    for j in 0..IMPORT_SIZE {
        *serial += 1;
        let text = format!("{prefix} claim {j}");
        let spec = spec_for(*serial);
        let line = serde_json::json!({
            "text": text,
            "source": {"name": spec.source, "kind": "official", "anonymous": true},
            "outlets": spec.outlets,
            "topics": spec.topics,
            "date": "2024-11-09",
        });
        out.push_str(&line.to_string());
        out.push('\n');
        specs.insert(text, spec);
    }
    std::fs::write(path, out).expect("write import file");
}

/// What the killed process acknowledged, in order: the statement echoed and
/// the first line of its result.
fn acknowledgements(lines: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut statement: Option<String> = None;
    for line in lines {
        if let Some(s) = line.strip_prefix("> ") {
            statement = Some(s.to_string());
        } else if let Some(s) = statement.take() {
            out.push((s, line.clone()));
        }
    }
    out
}

#[test]
fn killed_at_random_moments_nothing_acknowledged_is_lost_and_nothing_is_half_done() {
    let cycles: usize = std::env::var("CLAIMDB_CRASH_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db_path = dir.path().join("crash-0.db");
    let mut rng = Rng(0x0C1A_14DB);
    let mut specs: HashMap<String, Spec> = HashMap::new();
    let mut serial = 0u64;
    // Facts established by acknowledgements, checked after every cycle.
    let mut must_exist: BTreeMap<u64, String> = BTreeMap::new();
    let mut must_be_gone: BTreeSet<u64> = BTreeSet::new();
    let mut must_have_note: Vec<(u64, String)> = Vec::new();
    let mut delete_sent: BTreeSet<u64> = BTreeSet::new();
    let mut imports: Vec<(String, bool)> = Vec::new();
    let mut kills_mid_run = 0;
    let mut checked = 0;
    let started = Instant::now();

    for cycle in 0..cycles {
        if cycle > 0 && cycle % CYCLES_PER_DATABASE == 0 {
            db_path = dir.path().join(format!("crash-{cycle}.db"));
            must_exist.clear();
            must_be_gone.clear();
            must_have_note.clear();
            delete_sent.clear();
            imports.clear();
        }
        // The script for this cycle.
        let mut script = String::new();
        // The imports of this cycle: (the prefix of their claims' texts, file).
        let mut cycle_imports: Vec<(String, String)> = Vec::new();
        // Status changes and deletes go to claims added (and acknowledged)
        // by earlier cycles, never to imported ones, so that each import's
        // claims can be counted whole.
        let targets: Vec<u64> = must_exist.keys().filter(|id| !delete_sent.contains(id)).copied().collect();
        for i in 0..OPS_PER_CYCLE {
            let choice = rng.below(20);
            match choice {
                0 => {
                    let prefix = format!("import {cycle}-{i}");
                    let file = dir.path().join(format!("import-{cycle}-{i}.jsonl"));
                    write_import(&file, &prefix, &mut specs, &mut serial);
                    let path = file.display().to_string();
                    script.push_str(&format!("import \"{path}\";\n"));
                    cycle_imports.push((prefix, path));
                }
                1 | 2 if !targets.is_empty() => {
                    let id = targets[rng.below(targets.len() as u64) as usize];
                    let note = format!("cycle {cycle} op {i}");
                    script
                        .push_str(&format!("set status of claim {id} to disputed on 2024-11-10 because \"{note}\";\n"));
                }
                3 if !targets.is_empty() => {
                    let id = targets[rng.below(targets.len() as u64) as usize];
                    script.push_str(&format!("delete claim {id};\n"));
                    delete_sent.insert(id);
                }
                _ => {
                    serial += 1;
                    let text = format!("crash claim {cycle}-{i}");
                    let spec = spec_for(serial);
                    script.push_str(&add_statement(&text, &spec));
                    specs.insert(text.clone(), spec);
                }
            }
        }

        // Run it and kill it at a random moment.
        let mut child = Command::new(BIN)
            .arg(&db_path)
            .args(["--echo", "--keep-going"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn claimdb");
        let mut stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // The whole script is written at once; the process reads it all
        // before running the first statement.
        let _ = stdin.write_all(script.as_bytes());
        drop(stdin);
        std::thread::sleep(Duration::from_millis(5 + rng.below(300)));
        let finished = matches!(child.try_wait(), Ok(Some(_)));
        if !finished {
            kills_mid_run += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        reader.join().expect("reader");
        let lines: Vec<String> = rx.try_iter().collect();

        // What was acknowledged becomes a fact to check from now on.
        for (statement, result) in acknowledgements(&lines) {
            if let Some(rest) = result.strip_prefix("added claim #") {
                let id: u64 = rest.trim().parse().expect("an id");
                let text = statement.split('"').nth(1).expect("text").to_string();
                must_exist.insert(id, text);
            } else if result.starts_with("deleted claim #") {
                let id: u64 = result.trim_start_matches("deleted claim #").trim().parse().expect("an id");
                must_exist.remove(&id);
                must_be_gone.insert(id);
            } else if result.contains(" is now disputed") {
                let id: u64 = statement.split_whitespace().nth(4).and_then(|s| s.parse().ok()).expect("an id");
                let note = statement.rsplit('"').nth(1).expect("note").to_string();
                must_have_note.push((id, note));
            } else if result.starts_with("imported ") {
                let path = statement.split('"').nth(1).expect("path");
                let (prefix, _) = cycle_imports.iter().find(|(_, p)| p == path).expect("the import's prefix");
                imports.push((prefix.clone(), true));
            }
        }
        for (prefix, _) in &cycle_imports {
            if !imports.iter().any(|(p, _)| p == prefix) {
                imports.push((prefix.clone(), false));
            }
        }

        // Reopen and check everything.
        let db = Db::open(&db_path).unwrap_or_else(|e| panic!("cycle {cycle}: reopen failed: {e}"));
        let report = db.check().expect("check");
        assert!(report.is_ok(), "cycle {cycle}: integrity check failed: {:?}", report.problems);
        let mut present: BTreeMap<u64, Claim> = BTreeMap::new();
        db.for_each_claim(|c| {
            present.insert(c.id, c);
            Ok(())
        })
        .expect("scan");
        for claim in present.values() {
            let spec = specs.get(&claim.text).unwrap_or_else(|| panic!("cycle {cycle}: unknown claim {claim:?}"));
            assert_eq!(claim.source.name, spec.source, "cycle {cycle}: partial claim #{}", claim.id);
            assert_eq!(claim.source.kind, Kind::Official);
            assert!(claim.source.anonymous);
            assert_eq!(claim.outlets, spec.outlets, "cycle {cycle}: partial claim #{}", claim.id);
            assert_eq!(claim.topics, spec.topics, "cycle {cycle}: partial claim #{}", claim.id);
            let latest = claim.history.iter().map(|h| h.date).max();
            assert!(claim.history[0].status == Status::Unverified && latest.is_some());
        }
        for (id, text) in &must_exist {
            if delete_sent.contains(id) && !must_be_gone.contains(id) {
                continue; // a delete was sent; it may have run unacknowledged
            }
            let claim = present.get(id).unwrap_or_else(|| panic!("cycle {cycle}: acknowledged claim #{id} is lost"));
            assert_eq!(&claim.text, text, "cycle {cycle}: claim #{id}");
        }
        for id in &must_be_gone {
            assert!(!present.contains_key(id), "cycle {cycle}: deleted claim #{id} came back");
        }
        for (id, note) in &must_have_note {
            if let Some(claim) = present.get(id) {
                assert!(
                    claim.history.iter().any(|h| h.note.as_deref() == Some(note.as_str())),
                    "cycle {cycle}: acknowledged status change '{note}' of claim #{id} is lost"
                );
            } else {
                assert!(delete_sent.contains(id), "cycle {cycle}: claim #{id} with an acknowledged change is gone");
            }
        }
        for (prefix, acknowledged) in &imports {
            let n = present.values().filter(|c| c.text.starts_with(&format!("{prefix} claim "))).count();
            if *acknowledged {
                assert_eq!(n, IMPORT_SIZE, "cycle {cycle}: acknowledged import {prefix} is incomplete");
            }
            assert!(
                n == 0 || n == IMPORT_SIZE,
                "cycle {cycle}: import {prefix} left {n} of {IMPORT_SIZE} claims behind"
            );
        }
        checked += must_exist.len();
        drop(db);
    }
    eprintln!(
        "crash test: {cycles} cycles, {kills_mid_run} killed mid-run, {} acknowledged claims checked, {:.1?}",
        checked,
        started.elapsed()
    );
    assert!(kills_mid_run * 2 >= cycles, "most runs should be killed mid-run ({kills_mid_run} of {cycles})");
}

/// Copies a closed database directory.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}

/// Every stored key and value of a closed database.
fn dump(path: &Path) -> BTreeMap<(String, Vec<u8>), Vec<u8>> {
    use claimdb::storage::{Store, StoreOptions, Tree};
    let store = Store::open(path, &StoreOptions::default()).expect("open store");
    let mut out = BTreeMap::new();
    for tree in Tree::ALL {
        for item in store.scan_prefix(tree, &[]) {
            let (k, v) = item.expect("read");
            out.insert((tree.name().to_string(), k.to_vec()), v.to_vec());
        }
    }
    out
}

/// Runs claimdb on `db` with `args` and kills it after `delay` (unless it
/// finished); returns whether it finished by itself, and its stdout.
fn run_and_kill(db: &Path, args: &[&str], delay: Duration) -> (bool, String) {
    let mut child = Command::new(BIN)
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn claimdb");
    let started = Instant::now();
    let mut finished = false;
    while started.elapsed() < delay {
        if let Ok(Some(_)) = child.try_wait() {
            finished = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let output = child.wait_with_output().expect("wait");
    (finished, String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Claims per import in the large-import cycles: enough that the import
/// writes many chunks, index batches and undo journal entries, so that
/// kills land inside every part of it.
const LARGE_IMPORT: usize = 30_000;

#[test]
fn killed_during_large_imports_the_database_is_left_exactly_as_it_was() {
    let cycles: usize = std::env::var("CLAIMDB_CRASH_IMPORT_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().join("base.db");
    {
        let db = Db::open(&base).expect("open");
        let mut serial = 0;
        for i in 0..40 {
            serial += 1;
            db.execute(add_statement(&format!("base claim {i}"), &spec_for(serial)).trim_end_matches(";\n"))
                .expect("add");
        }
        db.execute("link claim 1 supports claim 2").expect("link");
    }
    let before = dump(&base);
    let file = dir.path().join("large.jsonl");
    let mut specs = HashMap::new();
    let mut serial = 1000;
    {
        let mut out = String::new();
        for j in 0..LARGE_IMPORT {
            serial += 1;
            let spec = spec_for(serial);
            let line = serde_json::json!({
                "text": format!("large import claim {j} about the talks and who said what"),
                "source": {"name": format!("import source {}", j % 2000), "kind": "official", "anonymous": true},
                "outlets": spec.outlets,
                "topics": spec.topics,
                "date": "2024-11-09",
            });
            out.push_str(&line.to_string());
            out.push('\n');
            specs.insert(j, spec);
        }
        std::fs::write(&file, out).expect("write import");
    }
    let import = format!("import \"{}\"", file.display());
    // How long a whole import takes here, to kill inside it.
    let full = dir.path().join("full.db");
    copy_dir(&base, &full);
    let t = Instant::now();
    let (finished, out) = run_and_kill(&full, &["-c", &import], Duration::from_secs(600));
    assert!(finished && out.contains(&format!("imported {LARGE_IMPORT} claims")), "{out}");
    let whole = t.elapsed();
    let mut rng = Rng(0x1A46E);
    let mut killed = 0;
    for cycle in 0..cycles {
        let copy = dir.path().join(format!("cycle-{cycle}.db"));
        copy_dir(&base, &copy);
        // Kills spread over the import, from its first chunk to its commit.
        let delay = whole.mul_f64(0.03 + 0.7 * (rng.below(1000) as f64 / 1000.0));
        let (finished, out) = run_and_kill(&copy, &["-c", &import], delay);
        let db = Db::open(&copy).unwrap_or_else(|e| panic!("cycle {cycle}: reopen failed: {e}"));
        let report = db.check().expect("check");
        assert!(report.is_ok(), "cycle {cycle}: {:?}", report.problems);
        let count = db.count().expect("count");
        if out.contains("imported ") {
            assert_eq!(count, 40 + LARGE_IMPORT as u64, "cycle {cycle}: an acknowledged import is incomplete");
        } else {
            assert!(
                count == 40 || count == 40 + LARGE_IMPORT as u64,
                "cycle {cycle}: the import left {} of {LARGE_IMPORT} claims",
                count - 40
            );
        }
        let rolled_back = count == 40;
        drop(db);
        if rolled_back {
            killed += 1;
            // Not just the claims: every stored byte is as it was (no
            // orphan source, no id used up, no index entry left over).
            let after = dump(&copy);
            let differing: Vec<_> = after.iter().filter(|(k, v)| before.get(*k) != Some(*v)).map(|(k, _)| k).collect();
            assert!(
                after.len() == before.len() && differing.is_empty(),
                "cycle {cycle} (killed after {delay:?}, finished: {finished}): {} keys differ, e.g. {:?}",
                differing.len(),
                differing.first()
            );
        }
        let _ = std::fs::remove_dir_all(&copy);
    }
    eprintln!(
        "large imports: {cycles} cycles, {killed} killed mid-import and rolled back exactly; a whole import takes {whole:.1?}"
    );
    assert!(killed * 2 >= cycles, "most kills should land inside the import ({killed} of {cycles})");
}

#[test]
fn killed_during_an_upgrade_the_database_is_the_old_or_the_new_never_a_mix() {
    use claimdb::model::date::parse_iso;
    use claimdb::{NewClaim, Relation, Source};
    let cycles: usize = std::env::var("CLAIMDB_CRASH_UPGRADE_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().join("v1.db");
    let day = parse_iso("2022-01-01").expect("day");
    let claims = (0..20_000u64).map(|i| {
        let source = Source::new(format!("source {}", i % 300)).kind(Kind::Official).anonymous(i % 2 == 0);
        let mut claim = NewClaim::new(format!("claim {i}: the talks resume, officials said {}", i % 97), source, day)
            .outlet(["Reuters", "AFP", "AP"][(i % 3) as usize])
            .topic(format!("topic {}", i % 17));
        claim.recorded_at = Some(chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("time"));
        claim
    });
    claimdb::engine::write_version_1(&base, claims, &[(1, Relation::Contradicts, 2)]).expect("write v1");
    // The upgraded reference, and how long the upgrade takes.
    let reference = dir.path().join("reference.db");
    copy_dir(&base, &reference);
    let t = Instant::now();
    let (finished, out) = run_and_kill(&reference, &["-c", "count claims"], Duration::from_secs(600));
    assert!(finished && out.contains("20000 claims"), "{out}");
    let whole = t.elapsed();
    let expected = {
        let db = Db::open(&reference).expect("open reference");
        let mut out = Vec::new();
        claimdb::interchange::jsonl::export(&db, &mut out).expect("export");
        out
    };
    let mut rng = Rng(0x0B6_4ADE);
    let mut interrupted = 0;
    for cycle in 0..cycles {
        let copy = dir.path().join(format!("upgrade-{cycle}.db"));
        copy_dir(&base, &copy);
        let delay = whole.mul_f64(0.03 + 0.7 * (rng.below(1000) as f64 / 1000.0));
        let (finished, _) = run_and_kill(&copy, &["-c", "count claims"], delay);
        if !finished {
            interrupted += 1;
        }
        // Whatever the moment, the next open finds the old database (and
        // upgrades it) or the new one: every claim is there, exactly.
        let db = Db::open(&copy).unwrap_or_else(|e| panic!("cycle {cycle}: reopen failed: {e}"));
        let report = db.check().expect("check");
        assert!(report.is_ok(), "cycle {cycle}: {:?}", report.problems);
        let mut got = Vec::new();
        claimdb::interchange::jsonl::export(&db, &mut got).expect("export");
        assert!(got == expected, "cycle {cycle}: the upgraded database differs from the reference");
        drop(db);
        let _ = std::fs::remove_dir_all(&copy);
    }
    eprintln!("upgrades: {cycles} cycles, {interrupted} killed mid-upgrade; a whole upgrade takes {whole:.1?}");
    assert!(interrupted * 2 >= cycles, "most kills should land inside the upgrade ({interrupted} of {cycles})");
}
