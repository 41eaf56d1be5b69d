//! The store suite. Every test runs on SQLite, and on PostgreSQL too when
//! `ZEREN_TEST_PG` names a server (e.g. postgres://postgres@127.0.0.1:5432/test);
//! each run gets a fresh database.

use sqlx::Executor;
use zeren_store::org::{self, NewOrg, OrgRow};
use zeren_store::problem::{self, ProblemFilter, ProblemRow};
use zeren_store::task::{self, TaskFilter, TaskRow};
use zeren_store::{audit, counters, Scope, Store};

async fn stores() -> Vec<(&'static str, Store)> {
    let mut out = Vec::new();
    let dir = std::env::temp_dir().join(format!(
        "zeren-store-{}-{}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("t.db").display());
    out.push(("sqlite", Store::open(&url, 4).await.expect("open sqlite")));
    if let Ok(pg) = std::env::var("ZEREN_TEST_PG") {
        out.push(("postgres", fresh_pg(&pg).await));
    }
    out
}

async fn fresh_pg(admin_url: &str) -> Store {
    sqlx::any::install_default_drivers();
    let name = format!("zeren_t_{}", rand::random::<u32>());
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url)
        .await
        .expect("connect ZEREN_TEST_PG");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let mut u = url::Url::parse(admin_url).unwrap();
    u.set_path(&format!("/{name}"));
    Store::open(u.as_str(), 4).await.expect("open postgres")
}

async fn tree(s: &Store) -> (OrgRow, OrgRow, OrgRow, OrgRow) {
    let mut tx = s.begin_write().await.unwrap();
    let c = tx.conn();
    let root = org::insert(
        c,
        NewOrg {
            parent: None,
            name: "委党委",
            kind: "commission",
            code: None,
            sort_order: 0,
            term_start: None,
            term_end: None,
            now: 1,
        },
    )
    .await
    .unwrap();
    let a = org::insert(
        c,
        NewOrg {
            parent: Some(&root),
            name: "市第一医院党委",
            kind: "committee",
            code: None,
            sort_order: 1,
            term_start: None,
            term_end: None,
            now: 1,
        },
    )
    .await
    .unwrap();
    let b = org::insert(
        c,
        NewOrg {
            parent: Some(&root),
            name: "市疾控中心党委",
            kind: "committee",
            code: None,
            sort_order: 2,
            term_start: None,
            term_end: None,
            now: 1,
        },
    )
    .await
    .unwrap();
    let a1 = org::insert(
        c,
        NewOrg {
            parent: Some(&a),
            name: "内科党支部",
            kind: "branch",
            code: None,
            sort_order: 1,
            term_start: None,
            term_end: None,
            now: 1,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (root, a, b, a1)
}

fn problem_at(o: &OrgRow, issuing: i64, title: &str, deadline: &str, state: &str) -> ProblemRow {
    ProblemRow {
        id: 0,
        org_id: o.id,
        org_path: o.path.clone(),
        issuing_org_id: issuing,
        source: "local_inspection".into(),
        source_ref: Some("第三轮巡察".into()),
        title: title.into(),
        description: String::new(),
        category: String::new(),
        leader_id: None,
        department: None,
        person_id: None,
        found_on: "2026-01-10".into(),
        deadline: deadline.into(),
        state: state.into(),
        recurrence_of: None,
        closed_at: None,
        created_at: 1,
        updated_at: 1,
    }
}

#[tokio::test]
async fn org_paths_follow_the_tree_and_moves() {
    for (name, s) in stores().await {
        let (root, a, b, a1) = tree(&s).await;
        assert_eq!(root.path, format!("/{}/", root.id), "{name}");
        assert_eq!(
            a1.path,
            format!("/{}/{}/{}/", root.id, a.id, a1.id),
            "{name}"
        );
        let mut c = s.conn().await.unwrap();
        let sub = org::subtree(&mut c, &a.path, 10, 100).await.unwrap();
        assert_eq!(
            sub.iter().map(|o| o.id).collect::<Vec<_>>(),
            vec![a.id, a1.id],
            "{name}"
        );
        drop(c);

        // A problem in the branch moves with it.
        let mut tx = s.begin_write().await.unwrap();
        problem::insert(
            tx.conn(),
            &problem_at(&a1, a.id, "学习不深入", "2026-03-01", "open"),
        )
        .await
        .unwrap();
        // so do its reminders and the queue entries addressed to it
        zeren_store::notification::insert(
            tx.conn(),
            &zeren_store::notification::NewNotification {
                key: "task:1:2026-03-01:supervise:o1",
                item_type: "task",
                item_id: 1,
                stage: "supervise",
                org_id: a1.id,
                org_path: &a1.path,
                recipient_person_id: None,
                recipient_org_id: Some(a1.id),
                recipient_org_path: Some(&a1.path),
                title: "t",
                deadline: "2026-03-01",
                day: "2026-03-08",
                created_at: 0,
            },
        )
        .await
        .unwrap();
        org::move_subtree(tx.conn(), &a1, &b).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = s.conn().await.unwrap();
        let moved = org::get(&mut c, a1.id).await.unwrap();
        assert_eq!(moved.path, format!("{}{}/", b.path, a1.id), "{name}");
        let (np, rp): (String, Option<String>) =
            sqlx::query_as("SELECT org_path, recipient_org_path FROM notifications")
                .fetch_one(&mut *c)
                .await
                .unwrap();
        assert_eq!(
            (np.as_str(), rp.as_deref()),
            (moved.path.as_str(), Some(moved.path.as_str())),
            "{name}"
        );
        assert_eq!(moved.parent_id, Some(b.id), "{name}");
        let in_b = Scope::Subtrees(vec![b.path.clone()]);
        let in_a = Scope::Subtrees(vec![a.path.clone()]);
        let f = ProblemFilter {
            limit: 50,
            ..Default::default()
        };
        assert_eq!(
            problem::list(&mut c, &in_b, &f).await.unwrap().1,
            1,
            "{name}: counted under new parent"
        );
        assert_eq!(
            problem::list(&mut c, &in_a, &f).await.unwrap().1,
            0,
            "{name}: gone from old parent"
        );
        assert_eq!(
            problem::list(
                &mut c,
                &in_a,
                &ProblemFilter {
                    q: Some("学习".into()),
                    limit: 50,
                    ..Default::default()
                }
            )
            .await
            .unwrap()
            .1,
            0,
            "{name}"
        );
    }
}

#[tokio::test]
async fn lists_are_scoped_filtered_sorted_and_paged() {
    for (name, s) in stores().await {
        let (root, a, b, a1) = tree(&s).await;
        let mut tx = s.begin_write().await.unwrap();
        for i in 0..30 {
            let org = if i % 3 == 0 {
                &b
            } else if i % 3 == 1 {
                &a
            } else {
                &a1
            };
            let state = if i % 5 == 0 { "closed" } else { "open" };
            let p = problem_at(
                org,
                root.id,
                &format!("问题{i:02}"),
                &format!("2026-{:02}-15", 1 + i % 12),
                state,
            );
            problem::insert(tx.conn(), &p).await.unwrap();
        }
        tx.commit().await.unwrap();
        let mut c = s.conn().await.unwrap();
        let scope_a = Scope::Subtrees(vec![a.path.clone()]);
        let all = ProblemFilter {
            limit: 100,
            ..Default::default()
        };
        let (rows, total) = problem::list(&mut c, &scope_a, &all).await.unwrap();
        assert_eq!(total, 20, "{name}");
        assert_eq!(rows.len(), 20, "{name}");
        assert!(
            rows.iter().all(|r| r.org_id == a.id || r.org_id == a1.id),
            "{name}: nothing of unit b"
        );
        assert!(
            rows.windows(2).all(|w| w[0].deadline <= w[1].deadline),
            "{name}: sorted by deadline"
        );

        let open = ProblemFilter {
            states: vec!["open".into()],
            limit: 5,
            offset: 5,
            ..Default::default()
        };
        let (rows, total) = problem::list(&mut c, &scope_a, &open).await.unwrap();
        assert_eq!(total, 16, "{name}: counters agree with rows");
        assert_eq!(rows.len(), 5, "{name}");
        let overdue = ProblemFilter {
            overdue_on: Some("2026-03-01".into()),
            limit: 100,
            ..Default::default()
        };
        let (rows, total) = problem::list(&mut c, &scope_a, &overdue).await.unwrap();
        assert_eq!(total as usize, rows.len(), "{name}");
        assert!(
            rows.iter()
                .all(|r| r.deadline.as_str() < "2026-03-01" && r.state != "closed"),
            "{name}"
        );
        let none = problem::list(&mut c, &Scope::Nothing, &all).await.unwrap();
        assert_eq!(
            (none.0.len(), none.1),
            (0, 0),
            "{name}: administrators see nothing"
        );
        // a detail outside the scope is "not found"
        let b_row = problem::list(&mut c, &Scope::Subtrees(vec![b.path.clone()]), &all)
            .await
            .unwrap()
            .0[0]
            .clone();
        assert!(
            problem::get_in(&mut c, &scope_a, b_row.id).await.is_err(),
            "{name}"
        );
        // the LIKE search treats % literally
        let pct = ProblemFilter {
            q: Some("%".into()),
            limit: 100,
            ..Default::default()
        };
        assert_eq!(
            problem::list(&mut c, &scope_a, &pct).await.unwrap().1,
            0,
            "{name}"
        );
    }
}

#[tokio::test]
async fn task_state_changes_keep_counters_and_refuse_stale_writes() {
    for (name, s) in stores().await {
        let (root, a, _b, _a1) = tree(&s).await;
        let t = TaskRow {
            id: 0,
            plan_id: None,
            parent_id: None,
            org_id: a.id,
            org_path: a.path.clone(),
            issuing_org_id: root.id,
            category: "政治建设".into(),
            subject: "committee".into(),
            title: "专题研究部署全面从严治党工作".into(),
            content: String::new(),
            leader_id: None,
            person_id: None,
            deadline: "2026-03-31".into(),
            state: "not_started".into(),
            created_at: 1,
            updated_at: 1,
            completed_at: None,
        };
        let mut tx = s.begin_write().await.unwrap();
        let id = task::insert(tx.conn(), &t).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = s.conn().await.unwrap();
        let row = task::get(&mut c, id).await.unwrap();
        task::set_state(&mut c, &row, "in_progress", 2)
            .await
            .unwrap();
        // the same stale row again: someone else already moved it
        assert!(
            matches!(
                task::set_state(&mut c, &row, "pending_review", 3).await,
                Err(zeren_store::StoreError::Conflict)
            ),
            "{name}"
        );
        let scope = Scope::Subtrees(vec![root.path.clone()]);
        assert_eq!(
            counters::sum(&mut c, "task", &scope, None, &["in_progress"])
                .await
                .unwrap(),
            1,
            "{name}"
        );
        assert_eq!(
            counters::sum(&mut c, "task", &scope, None, &["not_started"])
                .await
                .unwrap(),
            0,
            "{name}"
        );
        let (_, n) = task::list(
            &mut c,
            &scope,
            &TaskFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(n, 1, "{name}");
    }
}

#[tokio::test]
async fn audit_log_is_append_only() {
    for (name, s) in stores().await {
        let mut c = s.conn().await.unwrap();
        let r = audit::AuditRow {
            id: 0,
            at: 1,
            actor_id: None,
            actor_name: "x".into(),
            action: "login".into(),
            object_kind: String::new(),
            object_id: String::new(),
            scope: String::new(),
            result: "ok".into(),
            source: String::new(),
            detail: String::new(),
            prev_hash: String::new(),
            hash: "h".into(),
        };
        audit::append(&mut c, &r).await.unwrap();
        assert!(
            c.execute("UPDATE audit_events SET actor_name = 'y'")
                .await
                .is_err(),
            "{name}: update refused"
        );
        assert!(
            c.execute("DELETE FROM audit_events").await.is_err(),
            "{name}: delete refused"
        );
        assert_eq!(
            audit::last_hash(&mut c).await.unwrap().as_deref(),
            Some("h"),
            "{name}"
        );
    }
}

/// SQLite: a commit writes the WAL only — nobody waits for its pages to be copied into
/// the database file — and the background checkpointer copies them soon after; what
/// was committed reads back the same before and after.
#[tokio::test]
async fn commits_leave_the_wal_copy_to_the_checkpointer() {
    let dir = std::env::temp_dir().join(format!(
        "zeren-store-ckpt-{}-{}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("t.db");
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let s = Store::open(&format!("sqlite://{}", db.display()), 4)
        .await
        .expect("open sqlite");
    let mut tx = s.begin_write().await.unwrap();
    tx.conn()
        .execute("CREATE TABLE bulk (id INTEGER PRIMARY KEY, body TEXT)")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // the migrations' and the table's pages reach the file first
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let before = size(&db);

    let mut tx = s.begin_write().await.unwrap();
    tx.conn()
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000) \
             INSERT INTO bulk (id, body) SELECT i, printf('%.500c', 'x') FROM n",
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let right_after = size(&db);
    assert!(
        right_after < before + 1_000_000,
        "the commit itself copied the WAL into the file ({before} → {right_after} bytes)"
    );
    let wal = size(&dir.join("t.db-wal"));
    assert!(wal > 5_000_000, "the rows are in the WAL ({wal} bytes)");
    let mut grown = false;
    for _ in 0..200 {
        if size(&db) > before + 5_000_000 {
            grown = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(grown, "the checkpointer copied the WAL into the file");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bulk")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(n, 12000);
    s.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The data version moves with every commit — one through a write transaction, and one
/// made on a plain connection as another process would — and, on SQLite, with nothing
/// else (reads leave it). PostgreSQL's is cluster-wide: only "moves" is asserted there.
#[tokio::test]
async fn the_data_version_moves_with_every_commit() {
    for (name, s) in stores().await {
        let (root, ..) = tree(&s).await;
        let v0 = s.data_version().await.unwrap();
        let mut c = s.conn().await.unwrap();
        let _ = zeren_store::org::get(&mut c, root.id).await.unwrap();
        drop(c);
        if name == "sqlite" {
            assert_eq!(s.data_version().await.unwrap(), v0, "{name}: a read");
        }
        let mut tx = s.begin_write().await.unwrap();
        tx.conn()
            .execute(format!("UPDATE orgs SET name = '改名一' WHERE id = {}", root.id).as_str())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let v1 = s.data_version().await.unwrap();
        assert_ne!(v1, v0, "{name}: a write transaction");
        s.pool()
            .execute(format!("UPDATE orgs SET name = '改名二' WHERE id = {}", root.id).as_str())
            .await
            .unwrap();
        let v2 = s.data_version().await.unwrap();
        assert_ne!(v2, v1, "{name}: a plain statement");
        if name == "sqlite" {
            assert_eq!(s.data_version().await.unwrap(), v2, "{name}: nothing new");
        }
    }
}
