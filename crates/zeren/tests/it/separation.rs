//! 三员分立: no account holds two of the system, security and audit administrator
//! roles (or an administrator role and a business one) whichever way a role is added;
//! each administrator does only their own work. (That none of them sees business
//! data on any route is walked in `authz_matrix.rs`.)
use reqwest::StatusCode;

use crate::harness::*;

async fn roles_of(t: &TestApp, user: &str) -> i64 {
    t.count(&format!(
        "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = '{user}'"
    ))
    .await
}

#[tokio::test]
async fn no_path_gives_one_account_two_administrator_roles() {
    let t = spawn_app().await;
    let sec = t.app.actor_by_username("secadmin").await.unwrap();
    let root = t.home_org(&t.login_api("commission").await).await["id"]
        .as_i64()
        .unwrap();
    let uid = |name: &'static str| {
        let t = &t;
        async move { t.app.actor_by_username(name).await.unwrap().user_id }
    };
    // the use case (pages, API and CLI share it)
    for (user, role) in [
        ("auditor", "sysadmin"),
        ("sysadmin", "secadmin"),
        ("auditor", "unit_office"),
        ("unit1", "auditor"),
        ("commission", "sysadmin"),
    ] {
        let e = t
            .app
            .user_add_role(&sec, uid(user).await, role, root)
            .await
            .expect_err(&format!("{user} + {role}"));
        assert!(e.to_string().contains("三员分立"), "{user} + {role}: {e}");
    }
    // the same administrator role twice (another scope) is still two roles
    let e = t
        .app
        .user_add_role(
            &sec,
            uid("auditor").await,
            "auditor",
            t.home_org(&t.login_api("unit1").await).await["id"]
                .as_i64()
                .unwrap(),
        )
        .await
        .expect_err("auditor twice");
    assert!(e.to_string().contains("三员分立"), "{e}");
    // the security administrator cannot take another role for themself
    let e = t
        .app
        .user_add_role(&sec, sec.user_id, "auditor", root)
        .await
        .expect_err("self");
    assert!(e.to_string().contains("自己"), "{e}");
    // the page
    let s = t.login_page("secadmin").await;
    let auditor = uid("auditor").await;
    let r = s
        .post_form(
            &format!("/admin/users/{auditor}/roles"),
            &[
                ("csrf", s.csrf.as_str()),
                ("role", "secadmin"),
                ("org_id", &root.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(s.get("/admin/users").await.text().contains("三员分立"));
    for u in ["auditor", "sysadmin", "secadmin"] {
        assert_eq!(roles_of(&t, u).await, 1, "{u}");
    }
    // and the database itself, for any path that skips the use case (an import, a
    // script): the trigger refuses
    for (user, role) in [
        ("auditor", "secadmin"),
        ("unit1", "sysadmin"),
        ("sysadmin", "unit_office"),
    ] {
        let r = sqlx::query("INSERT INTO user_roles (user_id, role, org_id) VALUES ($1, $2, $3)")
            .bind(uid(user).await)
            .bind(role)
            .bind(root)
            .execute(t.app.store.pool())
            .await;
        assert!(r.is_err(), "SQL gave {user} the role {role}");
    }
    assert_eq!(roles_of(&t, "unit1").await, 1);
    // an account with no role may become one administrator, and then nothing else
    let fresh = t
        .app
        .user_create(&sec, "it-sysadmin2", "第二系统管理员", PASSWORD, None)
        .await
        .unwrap();
    t.app
        .user_add_role(&sec, fresh, "sysadmin", root)
        .await
        .unwrap();
    assert!(t
        .app
        .user_add_role(&sec, fresh, "auditor", root)
        .await
        .is_err());
}

#[tokio::test]
async fn each_administrator_does_only_their_own_work() {
    let t = spawn_app().await;
    let unit1 = t.app.actor_by_username("unit1").await.unwrap().user_id;
    type Check<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let checks: [Check; 4] = [
        (
            "/admin/users",
            "账号",
            &[
                ("username", "it-x"),
                ("display_name", "x"),
                ("password", "Xyz-Pass-2026!"),
            ],
        ),
        (
            "/admin/users/{u}/password",
            "密码",
            &[("password", "Xyz-Pass-2026!")],
        ),
        ("/admin/users/{u}/disable", "停用", &[("disabled", "1")]),
        ("/admin/users/{u}/totp-reset", "动态口令", &[]),
    ];
    for admin in ["sysadmin", "auditor"] {
        let s = t.login_page(admin).await;
        let before = t
            .count("SELECT COUNT(*) FROM audit_events WHERE result = 'ok'")
            .await;
        for (path, what, form) in &checks {
            let path = path.replace("{u}", &unit1.to_string());
            let mut f = vec![("csrf", s.csrf.as_str())];
            f.extend_from_slice(form);
            let r = s.post_form(&path, &f).await;
            assert!(
                r.status == StatusCode::FORBIDDEN || r.location() == "/admin/users",
                "{admin} {path} ({what}): {}",
                r.status
            );
        }
        assert_eq!(
            t.count("SELECT COUNT(*) FROM audit_events WHERE result = 'ok'")
                .await,
            before,
            "{admin} changed accounts"
        );
        assert_eq!(
            t.count("SELECT COUNT(*) FROM users WHERE username = 'it-x'")
                .await,
            0
        );
        // reading accounts is the security administrator's too
        assert_eq!(
            s.get("/admin/users").await.status,
            StatusCode::FORBIDDEN,
            "{admin}"
        );
    }
    // the security administrator neither reads the audit log nor runs the system
    let s = t.login_page("secadmin").await;
    assert_eq!(s.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get("/admin/system").await.status, StatusCode::FORBIDDEN);
    let tok = t.login_api("secadmin").await;
    assert_eq!(
        t.get(&tok, "/api/v1/audit").await.status,
        StatusCode::FORBIDDEN
    );
    // and no role deletes audit records: there is no route for it (the matrix walks
    // every route) and the database refuses (security.rs)
}
