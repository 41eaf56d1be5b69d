//! The audit chain against someone who holds the database: `zeren audit verify`
//! (the real binary) on a log edited, cut, filled and rewritten with plain SQL after
//! the append-only triggers are dropped, as an attacker with the file would.
use std::process::Command;

use sqlx::Row;
use zeren_app::rows::AuditRow;

use crate::harness::*;

/// Runs `zeren audit ARGS… --data DIR` against the test's database.
fn zeren_audit(t: &TestApp, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zeren"))
        .arg("audit")
        .args(args)
        .arg("--data")
        .arg(&t.data_dir)
        .arg("--database")
        .arg(&t.db_url)
        .env_remove("ZEREN_CONFIG")
        .output()
        .expect("run zeren audit");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn checkpoint_file(t: &TestApp) -> String {
    t.data_dir
        .join("audit-checkpoints.txt")
        .display()
        .to_string()
}

/// Removes the guards against UPDATE and DELETE, as an attacker with the database
/// would.
async fn drop_guards(t: &TestApp) {
    let pool = t.app.store.pool();
    match t.db {
        Db::Sqlite => {
            for tr in ["audit_events_no_update", "audit_events_no_delete"] {
                sqlx::query(&format!("DROP TRIGGER {tr}"))
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
        Db::Postgres => {
            sqlx::query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

async fn ids(t: &TestApp) -> Vec<i64> {
    sqlx::query("SELECT id FROM audit_events ORDER BY id")
        .fetch_all(t.app.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect()
}

async fn event(t: &TestApp, id: i64) -> AuditRow {
    sqlx::query_as(
        "SELECT id, at, actor_id, actor_name, action, object_kind, object_id, scope, result, \
         source, detail, prev_hash, hash FROM audit_events WHERE id = $1",
    )
    .bind(id)
    .fetch_one(t.app.store.pool())
    .await
    .unwrap()
}

/// Some traffic of our own on top of the demo's, and a checkpoint of it all.
async fn with_checkpoint() -> TestApp {
    let t = spawn_app().await;
    let u1 = t.login_api("unit1").await;
    let org = t.home_org(&u1).await["id"].as_i64().unwrap();
    t.create_problem(&u1, org, "集成测试：审计链").await;
    let (ok, out) = zeren_audit(&t, &["checkpoint"]);
    assert!(ok, "{out}");
    assert!(out.contains("已写检查点"), "{out}");
    t
}

#[tokio::test]
async fn verify_counts_every_event_of_an_intact_chain() {
    let t = with_checkpoint().await;
    let n = t.count("SELECT COUNT(*) FROM audit_events").await;
    let (ok, out) = zeren_audit(&t, &["verify", "--checkpoint", &checkpoint_file(&t)]);
    assert!(ok, "{out}");
    assert!(out.contains(&format!("已校验 {n} 条事件")), "{out}");
    assert!(out.contains("与 1 个检查点相符"), "{out}");
    // the checkpoint file is plain text the audit administrator can read and keep
    let text = std::fs::read_to_string(checkpoint_file(&t)).unwrap();
    let last = ids(&t).await.last().copied().unwrap();
    let line = text.lines().last().unwrap();
    assert!(
        line.starts_with(&format!("{n} {last} {} ", event(&t, last).await.hash)),
        "{line}"
    );
    // a second checkpoint with nothing new adds nothing; new events, a new line
    let (ok, out) = zeren_audit(&t, &["checkpoint"]);
    assert!(ok && out.contains("已是最新"), "{out}");
    t.login_api("branch1").await;
    let (ok, _) = zeren_audit(&t, &["checkpoint"]);
    assert!(ok);
    let text = std::fs::read_to_string(checkpoint_file(&t)).unwrap();
    assert_eq!(text.lines().filter(|l| !l.starts_with('#')).count(), 2);
    // every event of the demo and of this test is SM3-chained
    let report = t.app.audit_verify().await.unwrap();
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.legacy, 0);
}

#[tokio::test]
async fn an_edited_event_is_named() {
    let t = with_checkpoint().await;
    let all = ids(&t).await;
    let victim = all[all.len() / 2];
    drop_guards(&t).await;
    sqlx::query("UPDATE audit_events SET actor_name = 'someone-else' WHERE id = $1")
        .bind(victim)
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let (ok, out) = zeren_audit(&t, &["verify"]);
    assert!(!ok, "{out}");
    assert!(out.contains(&format!("编号 {victim}")), "{out}");
    assert!(out.contains("被改动"), "{out}");
}

#[tokio::test]
async fn a_deleted_event_is_found_at_the_gap() {
    let t = with_checkpoint().await;
    let all = ids(&t).await;
    let k = all.len() / 3;
    let (gone, next) = (all[k], all[k + 1]);
    drop_guards(&t).await;
    sqlx::query("DELETE FROM audit_events WHERE id = $1")
        .bind(gone)
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let (ok, out) = zeren_audit(&t, &["verify"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("第一个问题事件：编号 {next}")),
        "{out}"
    );
    assert!(out.contains("删除"), "{out}");
}

#[tokio::test]
async fn an_inserted_event_is_named_even_with_a_correct_link() {
    let t = with_checkpoint().await;
    let all = ids(&t).await;
    let k = all.len() / 2;
    let before = event(&t, all[k]).await;
    drop_guards(&t).await;
    let pool = t.app.store.pool();
    // make room after event k by moving the later events up by one id
    let big = 1_000_000_000i64;
    sqlx::query("UPDATE audit_events SET id = id + $1 WHERE id > $2")
        .bind(big)
        .bind(before.id)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_events SET id = id - $1 + 1 WHERE id > $1")
        .bind(big)
        .execute(pool)
        .await
        .unwrap();
    // a forged login, hashed and linked exactly as Zeren would
    let mut forged = AuditRow {
        id: before.id + 1,
        at: before.at,
        actor_id: None,
        actor_name: "commission".into(),
        action: "login_ok".into(),
        object_kind: "user".into(),
        object_id: "1".into(),
        scope: String::new(),
        result: "ok".into(),
        source: "10.9.9.9".into(),
        detail: String::new(),
        prev_hash: before.hash.clone(),
        hash: String::new(),
    };
    forged.hash = zeren_app::audit::chain_hash(&forged.prev_hash, &forged);
    sqlx::query(
        "INSERT INTO audit_events (id, at, actor_id, actor_name, action, object_kind, object_id, \
         scope, result, source, detail, prev_hash, hash) \
         VALUES ($1,$2,NULL,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
    )
    .bind(forged.id)
    .bind(forged.at)
    .bind(&forged.actor_name)
    .bind(&forged.action)
    .bind(&forged.object_kind)
    .bind(&forged.object_id)
    .bind(&forged.scope)
    .bind(&forged.result)
    .bind(&forged.source)
    .bind(&forged.detail)
    .bind(&forged.prev_hash)
    .bind(&forged.hash)
    .execute(pool)
    .await
    .unwrap();
    let (ok, out) = zeren_audit(&t, &["verify"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("第一个问题事件：编号 {}", forged.id)),
        "{out}"
    );
    assert!(out.contains("插入"), "{out}");

    // and one appended with a made-up hash
    let t2 = with_checkpoint().await;
    let last = *ids(&t2).await.last().unwrap();
    sqlx::query(
        "INSERT INTO audit_events (id, at, actor_name, action, result, prev_hash, hash) \
         VALUES ($1, 0, 'x', 'login_ok', 'ok', $2, $3)",
    )
    .bind(last + 1)
    .bind(event(&t2, last).await.hash)
    .bind("0".repeat(64))
    .execute(t2.app.store.pool())
    .await
    .unwrap();
    let (ok, out) = zeren_audit(&t2, &["verify"]);
    assert!(!ok, "{out}");
    assert!(out.contains(&format!("编号 {}", last + 1)), "{out}");
}

#[tokio::test]
async fn a_cut_tail_is_found_with_the_checkpoint() {
    let t = with_checkpoint().await;
    let all = ids(&t).await;
    let n = all.len();
    drop_guards(&t).await;
    sqlx::query("DELETE FROM audit_events WHERE id > $1")
        .bind(all[n - 4])
        .execute(t.app.store.pool())
        .await
        .unwrap();
    // the chain itself is whole: only the checkpoint knows what was there
    let missing = t.data_dir.join("no-such-checkpoints.txt");
    let (ok, out) = zeren_audit(
        &t,
        &["verify", "--checkpoint", &missing.display().to_string()],
    );
    assert!(ok, "{out}");
    assert!(out.contains(&format!("已校验 {} 条事件", n - 3)), "{out}");
    let (ok, out) = zeren_audit(&t, &["verify", "--checkpoint", &checkpoint_file(&t)]);
    assert!(!ok, "{out}");
    assert!(out.contains("截断"), "{out}");
    assert!(out.contains(&format!("第 {} 条事件起", n - 2)), "{out}");
    // and no checkpoint is written over a damaged log
    let (ok, out) = zeren_audit(&t, &["checkpoint"]);
    assert!(!ok, "{out}");
    assert!(out.contains("未写检查点"), "{out}");
}

#[tokio::test]
async fn a_rewritten_chain_disagrees_with_the_checkpoint() {
    let t = with_checkpoint().await;
    let all = ids(&t).await;
    let from = all.len() - 10;
    drop_guards(&t).await;
    // edit one event and recompute every link after it, with Zeren's own function
    let mut prev = event(&t, all[from - 1]).await.hash;
    for (i, id) in all[from..].iter().enumerate() {
        let mut r = event(&t, *id).await;
        if i == 0 {
            r.detail = "rewritten".into();
        }
        r.prev_hash = prev.clone();
        r.hash = zeren_app::audit::chain_hash(&prev, &r);
        sqlx::query("UPDATE audit_events SET detail = $1, prev_hash = $2, hash = $3 WHERE id = $4")
            .bind(&r.detail)
            .bind(&r.prev_hash)
            .bind(&r.hash)
            .bind(r.id)
            .execute(t.app.store.pool())
            .await
            .unwrap();
        prev = r.hash;
    }
    let missing = t.data_dir.join("no-such-checkpoints.txt");
    let (ok, out) = zeren_audit(
        &t,
        &["verify", "--checkpoint", &missing.display().to_string()],
    );
    assert!(
        ok,
        "a keyless chain recomputed whole verifies on its own: {out}"
    );
    let (ok, out) = zeren_audit(&t, &["verify"]);
    assert!(!ok, "{out}");
    assert!(out.contains("检查点"), "{out}");
}

#[tokio::test]
async fn the_jobs_loop_writes_checkpoints_every_n_events() {
    let t = spawn_app_with(|cfg| cfg.audit_checkpoint_every = 3).await;
    let file = t.app.cfg.audit_checkpoint_file.clone();
    // the first one is due at once (no file yet)
    let cp = t.app.audit_checkpoint_due().await.unwrap().expect("first");
    assert_eq!(cp.seq, t.count("SELECT COUNT(*) FROM audit_events").await);
    assert_eq!(t.app.audit_checkpoint_due().await.unwrap(), None);
    t.login_api("unit1").await;
    assert_eq!(
        t.app.audit_checkpoint_due().await.unwrap(),
        None,
        "one event"
    );
    for _ in 0..2 {
        t.login_api("branch1").await;
    }
    let cp2 = t.app.audit_checkpoint_due().await.unwrap().expect("three");
    assert_eq!(cp2.seq, cp.seq + 3);
    let cps = t.app.audit_checkpoints(&file).unwrap();
    assert_eq!(cps, vec![cp, cp2]);
    // the audit page checks against them too
    let a = t.login_page("auditor").await;
    let html = a.get("/admin/audit").await.text();
    assert!(html.contains("哈希链校验通过"), "{html}");
    assert!(html.contains("检查点"), "{html}");
}
