//! Load on the real server: 16 clients at once mixing reads and writes,
//! then exact counts and a passing integrity check; then the server is
//! killed with SIGKILL in the middle of a load of writes, and every write
//! that was answered 2xx is found after the restart (and nothing that was
//! never sent). Loops are bounded in count as well as in time.

mod server_support;

use server_support::{direct, get, query, sample_db, try_post, Server};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;

#[test]
fn sixteen_clients_mixing_reads_and_writes_leave_exact_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Arc::new(Server::start(dir.path(), &db, &[]));
    // The sample's own confirmed claims, before the clients confirm theirs.
    let confirmed_before =
        get(&server.url("/v1/stats"), &[]).status(200).json()["per_status"]["confirmed"].as_u64().unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(3);
    let handles: Vec<_> = (0..CLIENTS)
        .map(|t| {
            let server = server.clone();
            std::thread::spawn(move || {
                // This client's claims: id → the status it last set.
                let mut mine: BTreeMap<u64, &str> = BTreeMap::new();
                let source = format!("load source {t}");
                for j in 0..300 {
                    if Instant::now() > deadline {
                        break;
                    }
                    match j % 4 {
                        0 => {
                            let add = format!("add claim \"load {t} {j}\" by \"{source}\" via AP on 2024-11-12");
                            let id = query(&server, &add, &[]).status(200).json()[0]["added"].as_u64().unwrap();
                            mine.insert(id, "unverified");
                        }
                        1 => {
                            if let Some((&id, _)) = mine.iter().next_back() {
                                let set = format!("set status of claim {id} to confirmed on 2024-11-13");
                                query(&server, &set, &[]).status(200);
                                mine.insert(id, "confirmed");
                            }
                        }
                        2 => {
                            let n =
                                query(&server, "count claims", &[]).status(200).json()[0]["count"].as_u64().unwrap();
                            assert!(n >= 10 + mine.len() as u64, "a read sees every acknowledged write");
                        }
                        _ => {
                            // Read your own writes, exactly.
                            let list = query(&server, &format!("claims by \"{source}\""), &[]).status(200).json();
                            let seen: BTreeMap<u64, String> = list
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|c| (c["id"].as_u64().unwrap(), c["status"].as_str().unwrap().to_string()))
                                .collect();
                            let want: BTreeMap<u64, String> = mine.iter().map(|(k, v)| (*k, v.to_string())).collect();
                            assert_eq!(seen, want, "client {t}");
                        }
                    }
                }
                mine
            })
        })
        .collect();
    let per_client: Vec<BTreeMap<u64, &str>> =
        handles.into_iter().map(|h| h.join().expect("a client failed")).collect();
    let added: usize = per_client.iter().map(|m| m.len()).sum();
    assert!(added >= CLIENTS, "every client wrote at least once");
    let ids: BTreeSet<u64> = per_client.iter().flat_map(|m| m.keys().copied()).collect();
    assert_eq!(ids.len(), added, "no id was given twice");

    let count = query(&server, "count claims", &[]).status(200).json()[0]["count"].as_u64().unwrap();
    assert_eq!(count, 10 + added as u64);
    eprintln!("{CLIENTS} clients: {added} claims added, {} claims in all", count);
    let confirmed: usize = per_client.iter().flat_map(|m| m.values()).filter(|s| **s == "confirmed").count();
    let per_status = get(&server.url("/v1/stats"), &[]).status(200).json();
    assert_eq!(per_status["per_status"]["confirmed"].as_u64().unwrap(), confirmed_before + confirmed as u64);
    let check = query(&server, ".check", &[]).status(200).json();
    assert_eq!(check[0]["ok"], true, "{check}");
    assert_eq!(check[0]["claims"].as_u64().unwrap(), count);
    let server = Arc::try_unwrap(server).ok().expect("clients are done");
    assert_eq!(server.stop().0, Some(0));
    let (code, _, err) = direct(dir.path(), &db, &["-c", ".check"]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn after_sigkill_mid_load_every_acknowledged_write_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path(), "news.db");
    let server = Server::start(dir.path(), &db, &[]);
    let url = server.url("/v1/query");
    let acked_total = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let handles: Vec<_> = (0..CLIENTS)
        .map(|t| {
            let (url, acked_total, stop) = (url.clone(), acked_total.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                let mut sent = Vec::new();
                for j in 0..2000 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let text = format!("kill {t} {j}");
                    let statement = format!("add claim \"{text}\" by \"kill source\" via Reuters on 2024-11-12");
                    let body = serde_json::json!({ "statement": statement }).to_string();
                    sent.push(text.clone());
                    match try_post(&url, &[("content-type", "application/json")], &body) {
                        Ok(answer) if answer.status / 100 == 2 => {
                            acked.push(text);
                            acked_total.fetch_add(1, Ordering::SeqCst);
                        }
                        // The server is gone (or going): this client is done.
                        _ => break,
                    }
                }
                (acked, sent)
            })
        })
        .collect();
    // Kill it once the load is well under way.
    assert!(
        server_support::wait_until(Duration::from_secs(120), || acked_total.load(Ordering::SeqCst) >= 200),
        "the load did not get going"
    );
    server.kill();
    stop.store(true, Ordering::SeqCst);
    let mut acked = BTreeSet::new();
    let mut sent = BTreeSet::new();
    for h in handles {
        let (a, s) = h.join().expect("a client failed");
        acked.extend(a);
        sent.extend(s);
    }
    assert!(acked.len() >= 200);
    eprintln!("killed with {} writes acknowledged of {} sent", acked.len(), sent.len());

    // Restart: the database opens, every acknowledged write is there, and
    // nothing that was never sent.
    let server = Server::start(dir.path(), &db, &[]);
    let list = query(&server, "claims by \"kill source\"", &[]).status(200).json();
    let found: BTreeSet<String> =
        list.as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap().to_string()).collect();
    let lost: Vec<&String> = acked.difference(&found).collect();
    assert!(lost.is_empty(), "acknowledged but lost after SIGKILL: {lost:?}");
    let phantom: Vec<&String> = found.difference(&sent).collect();
    assert!(phantom.is_empty(), "never sent but present: {phantom:?}");
    let check = query(&server, ".check", &[]).status(200).json();
    assert_eq!(check[0]["ok"], true, "{check}");
    drop(server);
}

/// Quick reads answered while a slow one (a scan of 50,000 claims that no
/// index can answer: most of a second in a debug build) is still running,
/// and, with `write`, while a write waits behind it.
fn quick_reads_during_a_slow_one(server: &Arc<Server>, write: bool) -> u64 {
    let slow_done = Arc::new(AtomicBool::new(false));
    let slow = {
        let (server, slow_done) = (server.clone(), slow_done.clone());
        std::thread::spawn(move || {
            let answer = query(&server, "claims where text contains \"zzz\" or source contains \"qqq\"", &[]);
            slow_done.store(true, Ordering::SeqCst);
            answer.status
        })
    };
    // Let the scan reach the server (orchestration only; nothing is timed).
    std::thread::sleep(Duration::from_millis(30));
    let writer = write.then(|| {
        let server = server.clone();
        std::thread::spawn(move || query(&server, "add claim \"behind the scan\" by \"x\" on 2024-11-12", &[]).status)
    });
    std::thread::sleep(Duration::from_millis(20));
    let mut during = 0;
    for _ in 0..5000 {
        if slow_done.load(Ordering::SeqCst) {
            break;
        }
        query(server, "claim 7", &[]).status(200);
        if !slow_done.load(Ordering::SeqCst) {
            during += 1;
        }
    }
    assert_eq!(slow.join().unwrap(), 200);
    if let Some(w) = writer {
        assert_eq!(w.join().unwrap(), 200);
    }
    during
}

#[test]
fn a_long_query_does_not_hold_up_other_readers_even_with_a_write_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let db = server_support::generated_db(dir.path(), "news.db", 50_000);
    let server = Arc::new(Server::start(dir.path(), &db, &[]));
    let alone = quick_reads_during_a_slow_one(&server, false);
    assert!(alone >= 5, "only {alone} quick reads were answered while the slow one ran");
    // The database's lock lets a waiting write go before new reads: the
    // server keeps the write back until the long read is done.
    let with_write = quick_reads_during_a_slow_one(&server, true);
    assert!(with_write >= 5, "only {with_write} quick reads were answered while a write waited behind the slow one");
    eprintln!("quick reads during the slow one: {alone} alone, {with_write} with a write waiting");
}
