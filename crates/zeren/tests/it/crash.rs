//! Durability: the real binary is killed with SIGKILL in the middle of a burst of
//! writes; every write it acknowledged must be in the database afterwards, and the
//! database must be sound.
//!
//! SQLite only, whatever `ZEREN_TEST_PG` says: the binary runs on its own data
//! directory, and with PostgreSQL durability would be the database server's, which
//! this kill does not touch.
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

/// Kills the server if the test fails before it does.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn zeren() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zeren"));
    for (k, _) in std::env::vars() {
        if k.starts_with("ZEREN_") {
            c.env_remove(k);
        }
    }
    c.env("ZEREN_LOG", "warn");
    c
}

const BURST: usize = 200;
const WORKERS: usize = 8;
/// Acknowledged writes before the kill.
const KILL_AFTER: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_burst_loses_no_acknowledged_write() {
    let dir = TempDir::new("crash");
    let data = dir.path().join("data");
    let log_path = dir.path().join("server.log");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = Server(
        zeren()
            .args(["serve", "--demo", "--demo-password", PASSWORD, "--data"])
            .arg(&data)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start zeren serve"),
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            panic!(
                "zeren serve exited ({status}): {}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status() == StatusCode::OK {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "server not up: {}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let login: Value = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": "unit1", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().expect("token").to_string();
    let orgs: Value = client
        .get(format!("{base}/api/v1/orgs?levels=0"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let org = orgs["items"][0]["id"].as_i64().expect("unit1's org");

    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(Mutex::new(Vec::<i64>::new()));
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let (next, acked, client, token, base) = (
            next.clone(),
            acked.clone(),
            client.clone(),
            token.clone(),
            base.clone(),
        );
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= BURST {
                    return;
                }
                let body = problem_body(org, &format!("崩溃测试问题 {i}"));
                let Ok(r) = client
                    .post(format!("{base}/api/v1/problems"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                else {
                    return; // the server is gone
                };
                if r.status() != StatusCode::CREATED {
                    return;
                }
                // acknowledged only once the whole answer has arrived
                let Ok(v) = r.json::<Value>().await else {
                    return;
                };
                acked.lock().unwrap().push(v["id"].as_i64().expect("id"));
            }
        }));
    }
    let burst = Instant::now();
    while acked.lock().unwrap().len() < KILL_AFTER {
        assert!(
            burst.elapsed() < Duration::from_secs(120),
            "the burst stalled: {}",
            std::fs::read_to_string(&log_path).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.0.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
    let status = server.0.wait().unwrap();
    assert!(!status.success(), "killed, not exited");
    for w in workers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() < BURST,
        "the kill came after the burst ({} acknowledged)",
        acked.len()
    );
    assert!(acked.len() >= KILL_AFTER);

    // reopen the file as the next start would
    let db = data.join("zeren.db");
    assert!(db.exists());
    let url = format!("sqlite://{}", db.display());
    let app = zeren_app::App::open(&url, zeren_app::AppConfig::new(data.clone()))
        .await
        .expect("reopen after the crash");
    let pool = app.store.pool();
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let list = acked
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let (found,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM problems WHERE id IN ({list}) AND title LIKE '崩溃测试问题 %'"
    ))
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        found,
        acked.len() as i64,
        "acknowledged problems missing after the crash"
    );
    // each came with its history and audit event, in the same transaction
    let (audited,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'problem_create' AND object_id IN ({})",
        acked
            .iter()
            .map(|i| format!("'{i}'"))
            .collect::<Vec<_>>()
            .join(",")
    ))
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(audited, acked.len() as i64);
    let (created,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM problems WHERE title LIKE '崩溃测试问题 %'")
            .fetch_one(pool)
            .await
            .unwrap();
    let (histories,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM history h JOIN problems p ON h.object_kind = 'problem' \
         AND h.object_id = p.id WHERE p.title LIKE '崩溃测试问题 %' AND h.action = '登记问题'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(histories, created, "a problem without its history");
    let report = app.audit_verify().await.unwrap();
    assert_eq!(report.first_bad, None, "audit chain broken by the crash");
    eprintln!(
        "crash: {} of {BURST} creations acknowledged before SIGKILL, {created} committed",
        acked.len()
    );
    app.store.close().await;

    // the operator's tools agree
    let out = zeren()
        .args(["audit", "verify", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "zeren audit verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("哈希链校验通过"));
    let backup = dir.path().join("backup.db");
    let out = zeren()
        .args(["backup", "--data"])
        .arg(&data)
        .arg("--to")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "zeren backup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // a restore is the database and the data-key file (kept apart from backups)
    std::fs::create_dir_all(dir.path().join("restored")).unwrap();
    std::fs::copy(
        data.join("zeren.keys"),
        dir.path().join("restored/zeren.keys"),
    )
    .unwrap();
    let copy = zeren_app::App::open(
        &format!("sqlite://{}", backup.display()),
        zeren_app::AppConfig::new(dir.path().join("restored")),
    )
    .await
    .expect("open the backup");
    let (copied,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM problems WHERE title LIKE '崩溃测试问题 %'")
            .fetch_one(copy.store.pool())
            .await
            .unwrap();
    assert_eq!(copied, created, "the backup holds every row");
    copy.store.close().await;
}
