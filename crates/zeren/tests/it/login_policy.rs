//! Authentication rules on the application's clock (`AppConfig::clock`, moved by the
//! tests): TOTP two-factor login and enrolment, lockout over the window, idle and
//! absolute session expiry, password rules, history and age.
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

const MIN: i64 = 60;
const DAY: i64 = 86_400;

/// A raw API login with an optional TOTP code.
async fn api_login(t: &TestApp, user: &str, password: &str, totp: Option<&str>) -> Resp {
    let mut body = json!({"username": user, "password": password});
    if let Some(c) = totp {
        body["totp"] = json!(c);
    }
    Resp::read(
        t.api
            .post(t.url("/api/v1/session"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn code(t: &TestApp, secret: &str, offset: i64) -> String {
    let key = zeren_app::totp::base32_decode(secret).unwrap();
    zeren_app::totp::code_at(&key, t.app.cfg.clock.now() + offset)
}

/// Posts a form of a login step with the step page's token.
async fn post_step(t: &TestApp, c: &reqwest::Client, step: &str, form: &[(&str, &str)]) -> Resp {
    let page = Resp::read(c.get(t.url(step)).send().await.unwrap()).await;
    assert_eq!(page.status, StatusCode::OK, "{step}: {}", page.text());
    let csrf = csrf_of(&page.text()).unwrap();
    let mut f = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(form);
    Resp::read(c.post(t.url(step)).form(&f).send().await.unwrap()).await
}

#[tokio::test]
async fn a_new_administrator_enrols_an_authenticator_and_sets_a_password_first() {
    let t = spawn_app().await;
    let sec = t.app.actor_by_username("secadmin").await.unwrap();
    let uid = t
        .app
        .user_create(&sec, "it-auditor2", "第二审计员", PASSWORD, None)
        .await
        .unwrap();
    let root = t.home_org(&t.login_api("commission").await).await["id"]
        .as_i64()
        .unwrap();
    t.app
        .user_add_role(&sec, uid, "auditor", root)
        .await
        .unwrap();
    // the API will not open a session for an account that has not enrolled
    let r = api_login(&t, "it-auditor2", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.json()["error"].as_str().unwrap().contains("动态口令"));

    let c = t.page_client();
    let r = t.page_login_attempt(&c, "it-auditor2", PASSWORD).await;
    assert_eq!(r.location(), "/login/enrol");
    // half logged in opens nothing
    let r2 = Resp::read(c.get(t.url("/admin/audit")).send().await.unwrap()).await;
    assert_eq!(r2.status, StatusCode::SEE_OTHER);
    assert!(r2.location().starts_with("/login"));
    let page = Resp::read(c.get(t.url("/login/enrol")).send().await.unwrap()).await;
    // (askama escapes the slashes of the text)
    let html = page.text().replace("&#x2f;", "/").replace("&amp;", "&");
    let secret = secret_of(&html).expect("the secret is shown as text");
    assert!(
        html.contains(&format!(
            "otpauth://totp/Zeren:it-auditor2?secret={secret}&issuer=Zeren"
        )),
        "{html}"
    );
    // no QR service, no picture from anywhere
    assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("<img"));
    // the same secret until enrolment ends
    assert_eq!(
        secret_of(
            &Resp::read(c.get(t.url("/login/enrol")).send().await.unwrap())
                .await
                .text()
        ),
        Some(secret.clone())
    );
    let r = post_step(&t, &c, "/login/enrol", &[("code", "000000")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("动态口令不正确"), "{}", r.text());
    // the offered secret rests sealed in the session row, not as the text shown
    let pending: (Option<String>,) = sqlx::query_as(
        "SELECT totp_pending FROM sessions WHERE totp_pending IS NOT NULL AND user_id = $1",
    )
    .bind(uid)
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    let pending = pending.0.unwrap();
    assert!(
        pending.starts_with("sm4gcm$") && !pending.contains(&secret),
        "{pending}"
    );
    let good = code(&t, &secret, 0);
    let r = post_step(&t, &c, "/login/enrol", &[("code", &good)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // … and so does the enrolled one (SM4-GCM, bound to its column)
    let (stored,): (Option<String>,) =
        sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1")
            .bind(uid)
            .fetch_one(t.app.store.pool())
            .await
            .unwrap();
    let stored = stored.unwrap();
    assert!(
        stored.starts_with("sm4gcm$") && !stored.contains(&secret),
        "{stored}"
    );
    let keys = t.app.crypto();
    use zeren_app::crypto::CryptoProvider;
    assert_eq!(
        keys.open(zeren_app::auth::TOTP_FIELD, &stored).unwrap(),
        secret
    );
    assert!(keys.open("petitions.informant_name", &stored).is_err());
    // the security administrator chose the password: its holder sets their own
    assert_eq!(r.location(), "/login/password");
    let new_pw = "Audit-Own-2026!";
    for (pw, pw2, why) in [
        ("Short-1a", "Short-1a", "密码至少10位"),
        ("onlylowercase", "onlylowercase", "至少3类"),
        (PASSWORD, PASSWORD, "不能与最近5次使用过的密码相同"),
        (new_pw, "Other-Pass-2026!", "两次输入的新密码不一致"),
    ] {
        let r = post_step(
            &t,
            &c,
            "/login/password",
            &[
                ("old_password", PASSWORD),
                ("password", pw),
                ("password2", pw2),
            ],
        )
        .await;
        assert!(r.text().contains(why), "{pw}: {}", r.text());
    }
    let r = post_step(
        &t,
        &c,
        "/login/password",
        &[
            ("old_password", PASSWORD),
            ("password", new_pw),
            ("password2", new_pw),
        ],
    )
    .await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    let r = Resp::read(c.get(t.url("/admin/audit")).send().await.unwrap()).await;
    assert_eq!(r.status, StatusCode::OK);
    // the API now wants the code with the new password; the old one is gone
    t.app.cfg.clock.advance(30);
    let r = api_login(&t, "it-auditor2", new_pw, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = api_login(&t, "it-auditor2", PASSWORD, Some(&code(&t, &secret, 0))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = api_login(&t, "it-auditor2", new_pw, Some(&code(&t, &secret, 0))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    for action in ["totp_enrol", "password_change", "login_ok"] {
        let n = t
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = '{action}' \
                 AND actor_name = 'it-auditor2'"
            ))
            .await;
        assert!(n >= 1, "{action}");
    }
    // a lost phone: the security administrator clears the authenticator
    let s = t.login_page("secadmin").await;
    let r = s
        .post_form(
            &format!("/admin/users/{uid}/totp-reset"),
            &[("csrf", s.csrf.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let c = t.page_client();
    let r = t.page_login_attempt(&c, "it-auditor2", new_pw).await;
    assert_eq!(r.location(), "/login/enrol");
}

#[tokio::test]
async fn totp_codes_follow_the_clock_and_are_good_once() {
    let t = spawn_app().await;
    // administrators need the code; business accounts do not
    assert_eq!(
        api_login(&t, "secadmin", PASSWORD, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api_login(&t, "unit1", PASSWORD, None).await.status,
        StatusCode::OK
    );
    let c = t.page_client();
    let r = t.page_login_attempt(&c, "auditor", PASSWORD).await;
    assert_eq!(r.location(), "/login/totp");
    // a code of four minutes ago is outside the window
    let stale = code(&t, TOTP_SECRET, -4 * MIN);
    let r = post_step(&t, &c, "/login/totp", &[("code", &stale)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("动态口令错误"));
    let now_code = code(&t, TOTP_SECRET, 0);
    let r = post_step(&t, &c, "/login/totp", &[("code", &now_code)]).await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (StatusCode::SEE_OTHER, "/")
    );
    // the same code again (another login within its 30 seconds) is refused
    let r = api_login(&t, "auditor", PASSWORD, Some(&now_code)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "replayed code");
    // the clock moves on: the next step's code opens a session
    t.app.cfg.clock.advance(30);
    let r = api_login(&t, "auditor", PASSWORD, Some(&code(&t, TOTP_SECRET, 0))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        t.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'login_failed' \
             AND actor_name = 'auditor' AND detail = '动态口令错误'"
        )
        .await
            >= 2
    );
    // a login left at the code step expires
    let c = t.page_client();
    t.page_login_attempt(&c, "sysadmin", PASSWORD).await;
    t.app.cfg.clock.advance(6 * MIN);
    let r = Resp::read(c.get(t.url("/login/totp")).send().await.unwrap()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?msg="));
}

#[tokio::test]
async fn wrong_codes_lock_the_account_until_the_window_passes() {
    let t = spawn_app().await;
    let c = t.page_client();
    let r = t.page_login_attempt(&c, "secadmin", PASSWORD).await;
    assert_eq!(r.location(), "/login/totp");
    for _ in 0..5 {
        let r = post_step(&t, &c, "/login/totp", &[("code", "000000")]).await;
        assert_ne!(r.location(), "/");
    }
    // locked: the right code fails too, and the half-open login ends
    let good = t.totp_code("secadmin").await.unwrap();
    let r = post_step(&t, &c, "/login/totp", &[("code", &good)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login?msg="), "{}", r.location());
    assert_eq!(
        api_login(
            &t,
            "secadmin",
            PASSWORD,
            Some(&t.totp_code("secadmin").await.unwrap())
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    // re-entering the password does not reset the count
    let c2 = t.page_client();
    let r = t.page_login_attempt(&c2, "secadmin", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // fifteen minutes later the window has passed
    t.app.cfg.clock.advance(16 * MIN);
    t.login_page("secadmin").await;
}

#[tokio::test]
async fn password_lockout_follows_the_clock() {
    let t = spawn_app().await;
    for _ in 0..5 {
        t.try_login_api("unit1", "Wrong-Pass-2026!").await;
    }
    assert_eq!(
        t.try_login_api("unit1", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    t.app.cfg.clock.advance(14 * MIN);
    assert_eq!(
        t.try_login_api("unit1", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED,
        "still inside the 15-minute window"
    );
    t.app.cfg.clock.advance(2 * MIN);
    assert_eq!(
        t.try_login_api("unit1", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn sessions_end_when_idle_and_after_their_lifetime() {
    let t = spawn_app().await;
    let idle = t.login_api("unit1").await;
    let busy = t.login_api("branch1").await;
    for _ in 0..4 {
        t.app.cfg.clock.advance(25 * MIN);
        assert_eq!(t.get(&busy, "/api/v1/orgs").await.status, StatusCode::OK);
    }
    // 100 minutes on: the busy one lives, the idle one (30 minutes) is over
    assert_eq!(
        t.get(&idle, "/api/v1/orgs").await.status,
        StatusCode::UNAUTHORIZED
    );
    // however busy, a session ends 12 hours after login
    let mut lived = 100;
    loop {
        t.app.cfg.clock.advance(25 * MIN);
        lived += 25;
        if t.get(&busy, "/api/v1/orgs").await.status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(lived <= 12 * 60, "a session outlived 12 hours");
    }
    assert!(lived > 12 * 60 - 25, "ended after {lived} minutes");
}

#[tokio::test]
async fn passwords_expire_and_may_not_come_back() {
    let t = spawn_app().await;
    t.app.cfg.clock.advance(91 * DAY);
    // the API sends the user to the pages
    let r = api_login(&t, "unit1", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.json()["error"].as_str().unwrap().contains("修改密码"));
    let c = t.page_client();
    let r = t.page_login_attempt(&c, "unit1", PASSWORD).await;
    assert_eq!(r.location(), "/login/password");
    let r = Resp::read(c.get(t.url("/problems")).send().await.unwrap()).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "nothing opens before the change"
    );
    let r = post_step(
        &t,
        &c,
        "/login/password",
        &[
            ("old_password", "Wrong-Pass-2026!"),
            ("password", "Fresh-Pass-2026!"),
            ("password2", "Fresh-Pass-2026!"),
        ],
    )
    .await;
    assert!(r.text().contains("原密码不正确"));
    let r = post_step(
        &t,
        &c,
        "/login/password",
        &[
            ("old_password", PASSWORD),
            ("password", "Fresh-Pass-2026!"),
            ("password2", "Fresh-Pass-2026!"),
        ],
    )
    .await;
    assert_eq!(r.location(), "/");
    // the user changes it again, and again: none of the last five may return
    let s = PageSession {
        csrf: csrf_of(
            &Resp::read(c.get(t.url("/account/password")).send().await.unwrap())
                .await
                .text(),
        )
        .unwrap(),
        client: c,
        base: t.base.clone(),
    };
    let mut current = "Fresh-Pass-2026!".to_string();
    for i in 0..4 {
        let next = format!("Round-{i}-Pass-2026!");
        let r = s
            .post_form(
                "/account/password",
                &[
                    ("csrf", &s.csrf),
                    ("old_password", &current),
                    ("password", &next),
                    ("password2", &next),
                ],
            )
            .await;
        assert_eq!(r.location(), "/", "round {i}");
        current = next;
    }
    // history: PASSWORD, Fresh, Round-0..2 are the five before Round-3
    for old in ["Fresh-Pass-2026!", "Round-0-Pass-2026!", &current] {
        let r = s
            .post_form(
                "/account/password",
                &[
                    ("csrf", &s.csrf),
                    ("old_password", &current),
                    ("password", old),
                    ("password2", old),
                ],
            )
            .await;
        assert_eq!(r.location(), "/account/password", "{old} came back");
        let page = s.get("/account/password").await.text();
        assert!(page.contains("不能与最近5次使用过的密码相同"), "{page}");
    }
    // the first one is six changes back and may be used again
    let r = s
        .post_form(
            "/account/password",
            &[
                ("csrf", &s.csrf),
                ("old_password", &current),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
    assert_eq!(
        t.try_login_api("unit1", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_password_policy_is_configurable() {
    let t = spawn_app_with(|cfg| {
        cfg.security.password.min_len = 14;
        cfg.security.password.min_classes = 4;
    })
    .await;
    let s = t.login_page("secadmin").await;
    for (pw, why) in [
        ("Abc-12345678", "密码至少14位"),
        ("Abcdefgh12345678", "至少4类"),
    ] {
        s.post_form(
            "/admin/users",
            &[
                ("csrf", s.csrf.as_str()),
                ("username", "it-policy"),
                ("display_name", "策略"),
                ("password", pw),
            ],
        )
        .await;
        let html = s.get("/admin/users").await.text();
        assert!(html.contains(why), "{pw}: {why}");
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM users WHERE username = 'it-policy'")
            .await,
        0
    );
    let r = s
        .post_form(
            "/admin/users",
            &[
                ("csrf", s.csrf.as_str()),
                ("username", "it-policy"),
                ("display_name", "策略"),
                ("password", "Abcdefg-12345678"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM users WHERE username = 'it-policy'")
            .await,
        1
    );
}

/// A TOTP secret an earlier version stored as plain base32 is sealed when the
/// application next starts, and the account logs in with the same authenticator.
#[tokio::test]
async fn plain_totp_secrets_of_earlier_versions_are_sealed_at_start() {
    let t = spawn_app().await;
    let plain = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF";
    sqlx::query("UPDATE users SET totp_secret = $1 WHERE username = 'auditor'")
        .bind(plain)
        .execute(t.app.store.pool())
        .await
        .unwrap();
    // before the restart the plain value still works (read as it was written)
    let now = t.app.cfg.clock.now();
    let key = zeren_app::totp::base32_decode(plain).unwrap();
    let r = api_login(
        &t,
        "auditor",
        PASSWORD,
        Some(&zeren_app::totp::code_at(&key, now)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let again = zeren_app::App::open(&t.db_url, zeren_app::AppConfig::new(t.data_dir.clone()))
        .await
        .unwrap();
    let (stored,): (Option<String>,) =
        sqlx::query_as("SELECT totp_secret FROM users WHERE username = 'auditor'")
            .fetch_one(again.store.pool())
            .await
            .unwrap();
    let stored = stored.unwrap();
    assert!(
        stored.starts_with("sm4gcm$") && !stored.contains(plain),
        "{stored}"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM users WHERE totp_secret IS NOT NULL AND totp_secret NOT LIKE 'sm4gcm$%'")
            .await,
        0,
        "no secret is left in plain text"
    );
    // the next 30-second step's code opens the sealed secret (a step is good once)
    let r = api_login(
        &t,
        "auditor",
        PASSWORD,
        Some(&zeren_app::totp::code_at(&key, now + 30)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}
