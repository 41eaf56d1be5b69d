//! Lockout, CSRF, cross-origin writes, idle sessions, headers, password storage and
//! the audit log.
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Row;

use crate::harness::*;

#[tokio::test]
async fn five_failures_lock_an_account_without_saying_so() {
    let t = spawn_app().await;
    let wrong = t.try_login_api("unit1", "Wrong-Pass-2026!").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let wrong_body = wrong.json();
    for _ in 0..4 {
        let r = t.try_login_api("unit1", "Wrong-Pass-2026!").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json(), wrong_body);
    }
    // the right password now fails exactly like a wrong one
    let r = t.try_login_api("unit1", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.json(),
        wrong_body,
        "a locked account answers like a wrong password"
    );
    let c = t.page_client();
    let page = t.page_login_attempt(&c, "unit1", PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.text().contains("用户名或密码错误"));
    let c2 = t.page_client();
    let page_wrong = t.page_login_attempt(&c2, "unit1", "Wrong-Pass-2026!").await;
    assert_eq!(page_wrong.status, page.status);
    // no session was opened
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.username = 'unit1'"
        )
        .await,
        0
    );
    // other accounts are not affected
    let token = t.login_api("branch1").await;
    assert_eq!(
        t.get(&token, "/api/v1/problems").await.status,
        StatusCode::OK
    );
    t.login_page("commission").await;
    // and the lockout is on the record
    assert!(
        t.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'login_locked' \
             AND actor_name = 'unit1' AND result = 'failed'"
        )
        .await
            >= 2
    );
}

#[tokio::test]
async fn page_forms_need_the_sessions_csrf_token() {
    let t = spawn_app().await;
    let u1 = t.login_api("unit1").await;
    let org = t.home_org(&u1).await["id"].as_i64().unwrap();
    let pid = t.create_problem(&u1, org, "集成测试：CSRF").await;
    let s = t.login_page("unit1").await;
    let other = t.login_page("commission").await;
    assert_ne!(s.csrf, other.csrf);
    let path = format!("/problems/{pid}/measures");
    let deadline = days_from_today(10);
    let count = format!("SELECT COUNT(*) FROM measures WHERE problem_id = {pid}");

    for bad in ["", "0000000000000000", other.csrf.as_str()] {
        let r = s
            .post_form(
                &path,
                &[
                    ("csrf", bad),
                    ("content", "错误令牌"),
                    ("deadline", &deadline),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "csrf {bad:?}");
    }
    assert_eq!(
        t.count(&count).await,
        0,
        "nothing written without the token"
    );

    let r = s
        .post_form(
            &path,
            &[
                ("csrf", &s.csrf),
                ("content", "正确令牌"),
                ("deadline", &deadline),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/problems/{pid}"));
    assert_eq!(t.count(&count).await, 1);
    let html = s.get(&format!("/problems/{pid}")).await.text();
    assert!(
        html.contains("整改措施已添加"),
        "the flash message is shown"
    );
    assert!(html.contains("正确令牌"));

    // logging out needs the token too
    let r = s.post_form("/logout", &[("csrf", "forged")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.get("/problems").await.status,
        StatusCode::OK,
        "still logged in"
    );
    let r = s.post_form("/logout", &[("csrf", &s.csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        s.get("/problems").await.status,
        StatusCode::SEE_OTHER,
        "logged out"
    );

    // the login form itself is protected: a post without the form's cookie is refused
    let r = Resp::read(
        t.api
            .post(t.url("/login"))
            .form(&[
                ("username", "unit1"),
                ("password", PASSWORD),
                ("csrf", "guess"),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.header("set-cookie").is_empty() || !r.header("set-cookie").contains("zeren_session"));
}

#[tokio::test]
async fn a_page_form_without_any_csrf_field_is_forbidden() {
    let t = spawn_app().await;
    let u1 = t.login_api("unit1").await;
    let org = t.home_org(&u1).await["id"].as_i64().unwrap();
    let pid = t.create_problem(&u1, org, "集成测试：缺少令牌").await;
    let s = t.login_page("unit1").await;
    let deadline = days_from_today(10);
    let r = s
        .post_form(
            &format!("/problems/{pid}/measures"),
            &[("content", "无令牌"), ("deadline", &deadline)],
        )
        .await;
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM measures WHERE problem_id = {pid}"
        ))
        .await,
        0,
        "nothing written without the token"
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
}

#[tokio::test]
async fn cross_origin_writes_are_refused() {
    let t = spawn_app().await;
    let u1 = t.login_api("unit1").await;
    let org = t.home_org(&u1).await["id"].as_i64().unwrap();
    let pid = t.create_problem(&u1, org, "集成测试：跨站").await;
    let s = t.login_page("unit1").await;
    let path = format!("/problems/{pid}/measures");
    let deadline = days_from_today(10);
    let count = format!("SELECT COUNT(*) FROM measures WHERE problem_id = {pid}");
    for origin in [
        "http://evil.example",
        "null",
        "http://127.0.0.1.evil.example",
    ] {
        let r = Resp::read(
            s.client
                .post(t.url(&path))
                .header("origin", origin)
                .form(&[
                    ("csrf", s.csrf.as_str()),
                    ("content", "跨站措施"),
                    ("deadline", deadline.as_str()),
                ])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "Origin: {origin}");
    }
    // the API too, even with a valid token
    let r = Resp::read(
        t.api
            .post(t.url(&format!("/api/v1/problems/{pid}/measures")))
            .bearer_auth(&u1)
            .header("origin", "http://evil.example")
            .json(&json!({"content": "跨站措施", "deadline": deadline}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.count(&count).await, 0, "nothing written cross-origin");
    // our own origin is fine
    let r = Resp::read(
        s.client
            .post(t.url(&path))
            .header("origin", &t.base)
            .form(&[
                ("csrf", s.csrf.as_str()),
                ("content", "同源措施"),
                ("deadline", deadline.as_str()),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.count(&count).await, 1);
}

#[tokio::test]
async fn idle_sessions_expire() {
    let t = spawn_app_with(|cfg| cfg.session_idle_secs = 2).await;
    let s = t.login_page("unit1").await;
    let token = t.login_api("unit1").await;
    assert_eq!(s.get("/problems").await.status, StatusCode::OK);
    assert_eq!(
        t.get(&token, "/api/v1/problems").await.status,
        StatusCode::OK
    );
    // instants are whole seconds: 3.2 s is always more than 2 idle seconds
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let r = s.get("/problems").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    let r = t.get(&token, "/api/v1/problems").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.json()["error"].is_string());
    // expired sessions are gone, not merely refused
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.username = 'unit1'"
        )
        .await,
        0
    );
    // and an expired session cannot write either
    let r = s
        .post_form(
            "/problems/new",
            &[("csrf", s.csrf.as_str()), ("title", "过期会话")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
}

#[tokio::test]
async fn responses_carry_strict_security_headers() {
    let t = spawn_app().await;
    let s = t.login_page("commission").await;
    let token = t.login_api("commission").await;
    let problem = t.get_ok(&token, "/api/v1/problems?per_page=1").await["items"][0]["id"].clone();
    let mut answers = vec![
        (
            "/login".to_string(),
            Resp::read(t.api.get(t.url("/login")).send().await.unwrap()).await,
        ),
        (
            "/healthz".to_string(),
            Resp::read(t.api.get(t.url("/healthz")).send().await.unwrap()).await,
        ),
        (
            "/api/v1/problems".to_string(),
            t.get(&token, "/api/v1/problems").await,
        ),
    ];
    for p in [
        "/".to_string(),
        "/problems".to_string(),
        "/tasks".to_string(),
        format!("/problems/{problem}"),
        "/problems/new".to_string(),
        "/problems/999999999".to_string(),
    ] {
        answers.push((p.clone(), s.get(&p).await));
    }
    for (path, r) in &answers {
        let csp = r.header("content-security-policy");
        assert!(csp.contains("default-src 'self'"), "{path}: CSP {csp:?}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-eval"), "{path}: {csp}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
        let referrer = r.header("referrer-policy");
        assert!(!referrer.is_empty(), "{path}");
        // Under `no-referrer` browsers send `Origin: null` with every form post, even to
        // the same origin, and the cross-origin check (rightly) refuses null: no form
        // of the UI would work in a real browser.
        assert_ne!(referrer, "no-referrer", "{path}: breaks every form post");
        if r.header("content-type").starts_with("text/html") {
            assert_eq!(r.header("cache-control"), "no-store", "{path}");
            // with that CSP an inline script or style would simply not work
            let html = r.text();
            assert!(!html.contains("<script>"), "{path} has an inline script");
            assert!(!html.contains(" style=\""), "{path} has an inline style");
            assert!(!html.contains("<style"), "{path} has a style element");
            assert!(!html.contains(" onclick="), "{path} has an inline handler");
        }
    }
    // the session cookie is out of reach of scripts and other sites
    let c = t.page_client();
    let r = t.page_login_attempt(&c, "commission", PASSWORD).await;
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("zeren_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id() {
    let t = spawn_app().await;
    let rows = sqlx::query("SELECT username, password_hash FROM users")
        .fetch_all(t.app.store.pool())
        .await
        .unwrap();
    assert!(rows.len() >= 8, "the demo accounts exist");
    for r in &rows {
        let user: String = r.get(0);
        let hash: String = r.get(1);
        assert!(hash.starts_with("$argon2id$"), "{user}: {hash}");
        assert!(!hash.contains(PASSWORD), "{user}");
    }
    // an account made by the security administrator gets a hash (and salt) of its own
    let s = t.login_page("secadmin").await;
    let r = s
        .post_form(
            "/admin/users",
            &[
                ("csrf", s.csrf.as_str()),
                ("username", "it-newcomer"),
                ("display_name", "新同志"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM users WHERE username = 'it-newcomer'")
            .fetch_one(t.app.store.pool())
            .await
            .expect("the new account");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    for r in &rows {
        let demo: String = r.get(1);
        assert_ne!(hash, demo, "same password, same hash: no salt");
    }
    // sessions are stored as token hashes, never the token the client holds
    let token = t.login_api("unit1").await;
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );
}

#[tokio::test]
async fn the_audit_log_records_logins_exports_and_writes_with_their_source() {
    let t = spawn_app().await;
    let (start,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM audit_events")
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    assert_eq!(
        t.try_login_api("unit1", "Wrong-Pass-2026!").await.status,
        StatusCode::UNAUTHORIZED
    );
    let u1 = t.login_api("unit1").await;
    let s = t.login_page("commission").await;
    let r = s.get("/problems/export.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    let org = t.home_org(&u1).await;
    let pid = t
        .create_problem(&u1, org["id"].as_i64().unwrap(), "集成测试：审计")
        .await;

    let rows = sqlx::query(
        "SELECT action, actor_name, source, result, object_id, scope FROM audit_events \
         WHERE id > $1 ORDER BY id",
    )
    .bind(start)
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    let events: Vec<(String, String, String, String, String, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
        .collect();
    let find = |action: &str, actor: &str| {
        events
            .iter()
            .find(|e| e.0 == action && e.1 == actor)
            .unwrap_or_else(|| panic!("no {action} by {actor} in {events:?}"))
            .clone()
    };
    let e = find("login_failed", "unit1");
    assert_eq!((e.2.as_str(), e.3.as_str()), ("127.0.0.1", "failed"));
    let e = find("login_ok", "unit1");
    assert_eq!((e.2.as_str(), e.3.as_str()), ("127.0.0.1", "ok"));
    let e = find("login_ok", "commission");
    assert_eq!(e.2, "127.0.0.1");
    let e = find("export", "commission");
    assert_eq!(e.2, "127.0.0.1");
    let e = find("problem_create", "unit1");
    assert_eq!(e.2, "127.0.0.1");
    assert_eq!(e.4, pid.to_string());
    assert_eq!(e.5, org["path"].as_str().unwrap());

    // the auditor reads the same in the audit page
    let a = t.login_page("auditor").await;
    let html = a.get("/admin/audit?action=login_failed").await.text();
    assert!(html.contains("127.0.0.1") && html.contains("unit1"));
    assert!(html.contains("哈希链校验通过"));
}

#[tokio::test]
async fn the_audit_log_is_append_only_and_its_chain_verifies() {
    let t = spawn_app().await;
    // some traffic of our own on top of the demo's
    let u1 = t.login_api("unit1").await;
    let org = t.home_org(&u1).await["id"].as_i64().unwrap();
    t.create_problem(&u1, org, "集成测试：审计链").await;
    let pool = t.app.store.pool();
    let n = t.count("SELECT COUNT(*) FROM audit_events").await;
    assert!(n > 3);
    let upd = sqlx::query(
        "UPDATE audit_events SET detail = 'tampered' \
         WHERE id = (SELECT MIN(id) FROM audit_events)",
    )
    .execute(pool)
    .await;
    assert!(upd.is_err(), "UPDATE on audit_events succeeded");
    let del = sqlx::query("DELETE FROM audit_events WHERE id = (SELECT MIN(id) FROM audit_events)")
        .execute(pool)
        .await;
    assert!(del.is_err(), "DELETE on audit_events succeeded");
    if t.db == Db::Postgres {
        let tr = sqlx::query("TRUNCATE audit_events").execute(pool).await;
        assert!(tr.is_err(), "TRUNCATE on audit_events succeeded");
    }
    assert_eq!(t.count("SELECT COUNT(*) FROM audit_events").await, n);
    let report = t.app.audit_verify().await.unwrap();
    assert_eq!(report.first_bad, None);
    assert_eq!(report.events, n);

    // someone with the keys to the database removes the guard and edits an event:
    // the chain names that event
    let (victim,): (i64,) =
        sqlx::query_as("SELECT id FROM audit_events WHERE action = 'login_ok' ORDER BY id LIMIT 1")
            .fetch_one(pool)
            .await
            .unwrap();
    let unguard = match t.db {
        Db::Sqlite => "DROP TRIGGER audit_events_no_update",
        Db::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change",
    };
    sqlx::query(unguard).execute(pool).await.unwrap();
    sqlx::query("UPDATE audit_events SET source = '10.0.0.1' WHERE id = $1")
        .bind(victim)
        .execute(pool)
        .await
        .unwrap();
    let report = t.app.audit_verify().await.unwrap();
    assert_eq!(report.first_bad, Some(victim));
    let a = t.login_page("auditor").await;
    assert!(a
        .get("/admin/audit")
        .await
        .text()
        .contains("哈希链校验失败"));
}
