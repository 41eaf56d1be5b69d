//! The reminder engine over a simulated calendar: every stage on its day, once; a
//! restart in the middle; catch-up after downtime; two engines on one database; real
//! SMTP and webhook deliveries to local listeners, with retry after failure.
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, TimeDelta};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use zeren_app::delivery::SmtpConfig;
use zeren_app::{App, AppConfig};
use zeren_core::reminder::Policy;

use serde_json::json;

use crate::harness::*;

type Fired = BTreeSet<(String, i64, String, String)>;

/// Open items and their deadlines, straight from the tables.
async fn open_items(app: &App) -> Vec<(String, i64, NaiveDate)> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT 'task', id, deadline FROM tasks WHERE state IN ('not_started', 'in_progress', 'returned') \
         UNION ALL SELECT 'measure', id, deadline FROM measures WHERE state = 'todo' \
         UNION ALL SELECT 'notice', id, answer_due FROM supervision_notices WHERE state = 'open'",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(k, id, d)| (k, id, NaiveDate::parse_from_str(&d, "%Y-%m-%d").unwrap()))
        .collect()
}

/// What the rules say must fire between `from` and `to`, computed from the ladder
/// alone (no engine code): each stage on its own trigger day.
fn expected(items: &[(String, i64, NaiveDate)], from: NaiveDate, to: NaiveDate) -> Fired {
    let p = Policy::default();
    let mut out = Fired::new();
    for (kind, id, deadline) in items {
        for (stage, off) in p.ladder() {
            let day = *deadline + TimeDelta::days(off);
            if day >= from && day <= to {
                out.insert((kind.clone(), *id, stage.key(), day.to_string()));
            }
        }
    }
    out
}

async fn fired(app: &App) -> (Fired, i64) {
    let rows: Vec<(String, i64, String, String)> =
        sqlx::query_as("SELECT item_type, item_id, stage, day FROM notifications")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    let n = rows.len() as i64;
    (rows.into_iter().collect(), n)
}

fn span(items: &[(String, i64, NaiveDate)]) -> (NaiveDate, NaiveDate) {
    let min = items.iter().map(|i| i.2).min().unwrap();
    let max = items.iter().map(|i| i.2).max().unwrap();
    (min - TimeDelta::days(10), max + TimeDelta::days(10))
}

#[tokio::test]
async fn a_simulated_year_fires_every_stage_on_its_day_once_across_a_restart() {
    let t = spawn_app().await;
    let items = open_items(&t.app).await;
    assert!(items.len() > 100, "the demo has open items");
    let (from, to) = span(&items);
    let middle = from + (to - from) / 2;

    let mut printed = 0usize;
    let mut day = from;
    while day <= middle {
        printed += t.app.reminder_cycle(day).await.unwrap().created.len();
        day = day.succ_opt().unwrap();
    }
    // restart: a new application on the same database carries on
    let again = App::open(&t.db_url, AppConfig::new(t.data_dir.clone()))
        .await
        .unwrap();
    while day <= to {
        let r = again.reminder_cycle(day).await.unwrap();
        printed += r.created.len();
        // the same day twice: nothing new
        assert!(again.reminder_cycle(day).await.unwrap().created.is_empty());
        day = day.succ_opt().unwrap();
    }

    let want = expected(&items, from, to);
    let (got, rows) = fired(&t.app).await;
    assert_eq!(rows as usize, got.len(), "no (item, stage, day) twice");
    assert_eq!(printed, got.len(), "every row was reported once");
    let missing: Vec<_> = want.difference(&got).take(5).collect();
    let extra: Vec<_> = got.difference(&want).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, unexpected {extra:?}"
    );
    // seven stages per item whose ladder lies in the window
    assert_eq!(want.len(), items.len() * 7);
    // nothing left to look at once every ladder is done
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tasks WHERE remind_on <= '9999-12-30' AND state IN ('not_started', 'in_progress', 'returned')")
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn after_downtime_only_the_latest_stage_is_sent() {
    let t = spawn_app().await;
    let items = open_items(&t.app).await;
    let today = zeren_app::clock::today();
    let p = Policy::default();
    let want: Fired = items
        .iter()
        .filter_map(|(k, id, d)| {
            p.stage_on(*d, today)
                .map(|s| (k.clone(), *id, s.key(), today.to_string()))
        })
        .collect();
    assert!(!want.is_empty());
    let r = t.app.reminder_cycle(today).await.unwrap();
    assert_eq!(r.created.len(), want.len());
    let (got, _) = fired(&t.app).await;
    assert_eq!(got, want, "one notification per item: its latest stage");
    // a week later, items already escalated to supervision get nothing more
    let later = today + TimeDelta::days(7);
    let r = t.app.reminder_cycle(later).await.unwrap();
    let already: BTreeSet<(String, i64)> = want
        .iter()
        .filter(|w| w.2 == "supervise")
        .map(|w| (w.0.clone(), w.1))
        .collect();
    assert!(r
        .created
        .iter()
        .all(|c| !already.contains(&(c.item_type.clone(), c.item_id))));
}

#[tokio::test]
async fn two_engines_on_one_database_create_each_notification_once() {
    let t = spawn_app().await;
    let today = zeren_app::clock::today();
    let a = App::open(&t.db_url, AppConfig::new(t.data_dir.clone()))
        .await
        .unwrap();
    let b = App::open(&t.db_url, AppConfig::new(t.data_dir.clone()))
        .await
        .unwrap();
    let mut total = 0;
    for k in 0..3 {
        let day = today + TimeDelta::days(k * 5);
        let (ra, rb) = tokio::join!(a.reminder_cycle(day), b.reminder_cycle(day));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        total += ra.created.len() + rb.created.len();
        let ids_a: BTreeSet<i64> = ra.created.iter().map(|c| c.id).collect();
        assert!(rb.created.iter().all(|c| !ids_a.contains(&c.id)));
    }
    let (got, rows) = fired(&t.app).await;
    assert!(rows > 0);
    assert_eq!(rows as usize, got.len());
    assert_eq!(
        total as i64, rows,
        "each created row reported by exactly one engine"
    );
    let (keys,): (i64,) = sqlx::query_as("SELECT COUNT(DISTINCT key) FROM notifications")
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    assert_eq!(keys, rows);
}

#[tokio::test]
async fn run_once_prints_what_it_created_and_nothing_the_second_time() {
    let dir = TempDir::new("jobs");
    let bin = env!("CARGO_BIN_EXE_zeren");
    let data = dir.path().display().to_string();
    let out = std::process::Command::new(bin)
        .args(["demo", "--data", &data, "--demo-password", PASSWORD])
        .env_remove("ZEREN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = |now: &str| {
        let out = std::process::Command::new(bin)
            .args(["jobs", "run-once", "--data", &data, "--now", now])
            .env_remove("ZEREN_DATABASE_URL")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let today = zeren_app::clock::today().to_string();
    let first = run(&today);
    assert!(first.lines().count() > 10, "{first}");
    assert!(first.contains("督导") && first.contains("期限"), "{first}");
    assert_eq!(run(&today), "", "the same date again creates nothing");
    let bad = std::process::Command::new(bin)
        .args(["jobs", "run-once", "--data", &data, "--now", "2026-13-01"])
        .env_remove("ZEREN_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

/// A local SMTP receiver: speaks enough of RFC 5321 for one client, keeps each message.
async fn smtp_receiver() -> (u16, Arc<Mutex<Vec<(String, String)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let keep = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                w.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut rcpt = String::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.trim_end().to_ascii_uppercase();
                    if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        w.write_all(b"250-test\r\n250 8BITMIME\r\n").await.unwrap();
                    } else if cmd.starts_with("RCPT TO:") {
                        rcpt = line.trim_end()[8..]
                            .trim()
                            .trim_matches(['<', '>'])
                            .to_string();
                        w.write_all(b"250 ok\r\n").await.unwrap();
                    } else if cmd == "DATA" {
                        w.write_all(b"354 go\r\n").await.unwrap();
                        let mut body = String::new();
                        loop {
                            line.clear();
                            r.read_line(&mut line).await.unwrap();
                            if line == ".\r\n" {
                                break;
                            }
                            body.push_str(&line);
                        }
                        keep.lock().unwrap().push((rcpt.clone(), body));
                        w.write_all(b"250 queued\r\n").await.unwrap();
                    } else if cmd == "QUIT" {
                        w.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        w.write_all(b"250 ok\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (port, got)
}

/// A local webhook listener: answers 500 to the first `fail_first` requests, then 200.
async fn webhook_listener(fail_first: usize) -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/robot", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = got.clone();
    let seen = Arc::new(Mutex::new(0usize));
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let keep = keep.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                let mut len = 0usize;
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0u8; len];
                r.read_exact(&mut body).await.unwrap();
                let n = {
                    let mut s = seen.lock().unwrap();
                    *s += 1;
                    *s
                };
                let status = if n <= fail_first {
                    "500 Internal Server Error"
                } else {
                    keep.lock()
                        .unwrap()
                        .push(serde_json::from_slice(&body).unwrap());
                    "200 OK"
                };
                w.write_all(
                    format!(
                        "HTTP/1.1 {status}\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                    )
                    .as_bytes(),
                )
                .await
                .unwrap();
            });
        }
    });
    (url, got)
}

#[tokio::test]
async fn reminders_go_out_by_smtp_and_webhook_and_failures_are_retried() {
    let (smtp_port, mails) = smtp_receiver().await;
    let (hook, posts) = webhook_listener(3).await;
    let hook2 = hook.clone();
    let t = spawn_app_with(move |cfg| {
        cfg.reminders.smtp = Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: "none".into(),
            username: None,
            password: None,
            from: "zeren@intranet.test".into(),
        });
        cfg.reminders.webhook_url = Some(hook2);
    })
    .await;
    sqlx::query("UPDATE users SET email = username || '@intranet.test'")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let r = t.app.jobs_once(zeren_app::clock::today()).await.unwrap();
    assert!(!r.lines.is_empty());
    let emails = t
        .count("SELECT COUNT(*) FROM deliveries WHERE channel = 'email'")
        .await;
    let hooks = t
        .count("SELECT COUNT(*) FROM deliveries WHERE channel = 'webhook'")
        .await;
    assert!(emails > 0, "office accounts receive their orgs' reminders");
    assert_eq!(
        hooks,
        r.lines.len() as i64,
        "one webhook post per notification"
    );
    // every email went out, the real SMTP conversation delivered each one
    assert_eq!(
        t.count("SELECT COUNT(*) FROM deliveries WHERE channel = 'email' AND state = 'sent'")
            .await,
        emails
    );
    {
        let got = mails.lock().unwrap();
        assert_eq!(got.len() as i64, emails);
        assert!(got
            .iter()
            .all(|(to, body)| to.ends_with("@intranet.test") && body.contains("Subject:")));
    }
    // the first three webhook posts were refused: kept for retry with the reason
    let failed: Vec<(i64, i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT attempts, next_at, last_error, id FROM deliveries WHERE channel = 'webhook' AND state = 'pending'",
    )
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    assert_eq!(failed.len(), 3);
    let now = zeren_app::clock::now();
    for (attempts, next_at, err, _) in &failed {
        assert_eq!(*attempts, 1);
        assert!(*next_at > now + 30, "backed off");
        assert!(err.as_deref().unwrap_or("").contains("500"));
    }
    assert_eq!(posts.lock().unwrap().len() as i64, hooks - 3);
    // not yet due again: nothing happens
    assert_eq!(t.app.deliver_due().await.unwrap(), (0, 0));
    // when the backoff has passed they go out
    sqlx::query("UPDATE deliveries SET next_at = 0 WHERE state = 'pending'")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    assert_eq!(t.app.deliver_due().await.unwrap(), (3, 0));
    let posted = posts.lock().unwrap().clone();
    assert_eq!(posted.len() as i64, hooks);
    let by_id: HashMap<i64, &serde_json::Value> = posted
        .iter()
        .map(|p| (p["zeren"]["notification_id"].as_i64().unwrap(), p))
        .collect();
    assert_eq!(by_id.len() as i64, hooks, "each notification posted once");
    assert!(posted
        .iter()
        .all(|p| p["msgtype"] == "text"
            && p["text"]["content"].as_str().unwrap().contains("【责任】")));
}

#[tokio::test]
async fn a_dead_mail_server_is_recorded_and_does_not_hold_up_webhooks() {
    // a port nobody listens on
    let dead = free_port();
    let (hook, posts) = webhook_listener(0).await;
    let hook2 = hook.clone();
    let t = spawn_app_with(move |cfg| {
        cfg.reminders.smtp = Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port: dead,
            security: "none".into(),
            username: None,
            password: None,
            from: "zeren@intranet.test".into(),
        });
        cfg.reminders.webhook_url = Some(hook2);
    })
    .await;
    sqlx::query("UPDATE users SET email = username || '@intranet.test'")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let r = t.app.jobs_once(zeren_app::clock::today()).await.unwrap();
    assert!(r.failed > 0 && r.sent > 0);
    assert_eq!(posts.lock().unwrap().len(), r.sent);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM deliveries WHERE channel = 'email' AND state = 'pending' AND attempts = 1 AND last_error LIKE '%邮件发送失败%'").await,
        r.failed as i64
    );
}

#[tokio::test]
async fn a_plan_can_carry_its_own_lead_days_and_users_choose_their_channels() {
    let t = spawn_app().await;
    let (plan_id,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM plans")
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    let commission = t.login_page("commission").await;
    let page = commission.get("/settings").await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("提前提示天数"));
    // bad input: a clear error, nothing stored
    let r = commission
        .post_form(
            &format!("/settings/plans/{plan_id}"),
            &[("csrf", &commission.csrf), ("days", "7,x")],
        )
        .await;
    assert!(r.status.is_redirection());
    let back = commission.get("/settings").await.text();
    assert!(back.contains("“x”不是1到366之间的天数"), "{back}");
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM plans WHERE id = {plan_id} AND remind_days IS NOT NULL"
        ))
        .await,
        0
    );
    // unit1 may not change the commission's plan
    let unit1 = t.login_page("unit1").await;
    unit1
        .post_form(
            &format!("/settings/plans/{plan_id}"),
            &[("csrf", &unit1.csrf), ("days", "30")],
        )
        .await;
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM plans WHERE id = {plan_id} AND remind_days IS NOT NULL"
        ))
        .await,
        0
    );
    // the commission sets 20 and 2 days
    commission
        .post_form(
            &format!("/settings/plans/{plan_id}"),
            &[("csrf", &commission.csrf), ("days", "2，20")],
        )
        .await;
    let (days,): (Option<String>,) = sqlx::query_as("SELECT remind_days FROM plans WHERE id = $1")
        .bind(plan_id)
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    assert_eq!(days.as_deref(), Some("20,2"));
    // an open task of the plan, due in 20 days: today is its first reminder
    let (task_id,): (i64,) = sqlx::query_as(
        "SELECT MIN(id) FROM tasks WHERE plan_id = $1 AND state IN ('not_started', 'in_progress', 'returned')",
    )
    .bind(plan_id)
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    let deadline = days_from_today(20);
    sqlx::query("UPDATE tasks SET deadline = $1, remind_on = '0000-00-00' WHERE id = $2")
        .bind(&deadline)
        .bind(task_id)
        .execute(t.app.store.pool())
        .await
        .unwrap();
    t.app
        .reminder_cycle(zeren_app::clock::today())
        .await
        .unwrap();
    assert_eq!(
        t.count(&format!("SELECT COUNT(*) FROM notifications WHERE item_type = 'task' AND item_id = {task_id} AND stage = 'before-20'")).await,
        1
    );
    // channels: a wrong address is refused, a right one kept
    commission
        .post_form(
            "/settings/channels",
            &[
                ("csrf", &commission.csrf),
                ("email", "wei@@x"),
                ("by_email", "1"),
            ],
        )
        .await;
    assert!(commission
        .get("/settings")
        .await
        .text()
        .contains("邮箱地址格式不正确"));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM users WHERE username = 'commission' AND email IS NOT NULL")
            .await,
        0
    );
    commission
        .post_form(
            "/settings/channels",
            &[
                ("csrf", &commission.csrf),
                ("email", "wei@wjw.gov.cn"),
                ("by_email", "1"),
            ],
        )
        .await;
    assert_eq!(t.count("SELECT COUNT(*) FROM users WHERE username = 'commission' AND email = 'wei@wjw.gov.cn' AND notify_email = 1 AND notify_webhook = 0").await, 1);
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('channels_set', 'plan_reminders_set')").await, 2);
}

#[tokio::test]
async fn late_work_is_still_accepted_and_shown_as_late() {
    let t = spawn_app().await;
    let unit1 = t.login_api("unit1").await;
    let org = t.home_org(&unit1).await;
    let (task_id,): (i64,) = sqlx::query_as(
        "SELECT MIN(t.id) FROM tasks t JOIN orgs o ON o.id = t.issuing_org_id \
         WHERE t.org_id = $1 AND t.state IN ('not_started', 'in_progress') AND t.deadline < $2 AND o.parent_id IS NULL",
    )
    .bind(org["id"].as_i64().unwrap())
    .bind(days_from_today(-2))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    let r = t
        .post(
            &unit1,
            &format!("/api/v1/tasks/{task_id}/reports"),
            &json!({"body": "已补报完成情况", "submit": true, "files": [pdf_file("补报.pdf")]}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let commission = t.login_api("commission").await;
    let r = t
        .post(
            &commission,
            &format!("/api/v1/tasks/{task_id}/review"),
            &json!({"approve": true}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text());
    let page = t
        .login_page("unit1")
        .await
        .get(&format!("/tasks/{task_id}"))
        .await
        .text();
    assert!(
        page.contains("逾期完成，晚"),
        "late completion is recorded and shown"
    );
    assert!(
        !page.contains("warn-red"),
        "finished work no longer shows red"
    );
}

#[tokio::test]
async fn a_jobs_run_creates_the_occurrences_of_recurring_duties_once() {
    let t = spawn_app().await;
    let (task_id,): (i64,) = sqlx::query_as(
        "SELECT MIN(id) FROM tasks WHERE parent_id IS NULL AND state IN ('not_started', 'in_progress')",
    )
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    sqlx::query("UPDATE tasks SET cadence = 'quarterly' WHERE id = $1")
        .bind(task_id)
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let today = zeren_app::clock::today();
    let first = t.app.jobs_once(today).await.unwrap();
    assert!(
        first.occurrences >= 4,
        "four quarters: {}",
        first.occurrences
    );
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM tasks WHERE occurrence_of = {task_id} AND period LIKE '%-Q%'"
        ))
        .await,
        4,
        "one tracked item per quarter for the duty's own org"
    );
    let again = t.app.jobs_once(today).await.unwrap();
    assert_eq!(again.occurrences, 0, "a second run creates nothing");
}

#[tokio::test]
async fn compliance_flags_reach_the_org_concerned_once_a_day() {
    let t = spawn_app().await;
    let today = zeren_app::clock::today();
    let first = t.app.jobs_once(today).await.unwrap();
    let rules = t
        .count("SELECT COUNT(*) FROM notifications WHERE item_type = 'rule'")
        .await;
    assert!(rules > 0, "the demo breaks rules: its orgs are told");
    assert!(first.lines.iter().any(|l| l.contains("制度规定")));
    assert_eq!(
        t.count("SELECT COUNT(*) FROM notifications WHERE item_type = 'rule' AND recipient_org_id <> item_id")
            .await,
        0,
        "each flag goes to the org that has it"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM job_runs WHERE name = 'rules'")
            .await,
        1
    );
    // the same day again, or a second engine: nothing new
    let again = App::open(&t.db_url, AppConfig::new(t.data_dir.clone()))
        .await
        .unwrap();
    assert!(again.jobs_once(today).await.unwrap().lines.is_empty());
    assert_eq!(
        t.count("SELECT COUNT(*) FROM notifications WHERE item_type = 'rule'")
            .await,
        rules
    );
    // a flagged branch's secretary sees it in the inbox, linked to the compliance page
    let (org,): (i64,) = sqlx::query_as(
        "SELECT MIN(n.item_id) FROM notifications n JOIN user_roles r ON r.org_id = n.item_id \
         WHERE n.item_type = 'rule' AND r.role IN ('branch_secretary', 'unit_office')",
    )
    .fetch_one(t.app.store.pool())
    .await
    .unwrap_or((0,));
    if org > 0 {
        let (user,): (String,) = sqlx::query_as(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.org_id = $1 LIMIT 1",
        )
        .bind(org)
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
        let page = t.login_page(&user).await.get("/inbox").await.text();
        assert!(
            page.contains(&format!("/compliance?org={org}")),
            "{user}'s inbox links the flag"
        );
    }
}
