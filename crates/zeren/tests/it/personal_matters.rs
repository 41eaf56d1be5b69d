//! Personal-matters reports (个人有关事项报告) and 凡提四必: access for the
//! organisation department only, every reading audited, the random draw reproducible
//! from its seed, the 31 January deadline, the truthful-reporting rate, and the
//! promotion record's counts that never carry an informant.
//!
//! Demo (`zeren-demo/src/cadre.rs`): `orgdept` holds the organisation-department role
//! over the whole tree; the year's filers (副处级 and above), their reports, one random
//! batch with a fixed seed, one targeted check and one promotion record.
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

async fn one(t: &TestApp, sql: &str) -> i64 {
    let n = t.count(sql).await;
    assert!(n > 0, "demo data for: {sql}");
    n
}

async fn reads(t: &TestApp) -> i64 {
    t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'personal_matters_read' AND result = 'ok'")
        .await
}

/// The demo's reporting year.
async fn demo_year(t: &TestApp) -> i64 {
    one(t, "SELECT MAX(year) FROM pm_filers").await
}

#[tokio::test]
async fn only_the_organisation_department_reaches_personal_matters() {
    let t = spawn_app().await;
    let filer = one(&t, "SELECT MIN(id) FROM pm_filers").await;
    let batch = one(&t, "SELECT MIN(id) FROM pm_batches").await;
    let check = one(&t, "SELECT MIN(id) FROM pm_checks").await;
    let person = one(&t, "SELECT MIN(person_id) FROM pm_filers").await;
    let lists = [
        "/api/v1/personal-matters".to_string(),
        "/api/v1/personal-matters/figures".into(),
        "/api/v1/personal-matters/batches".into(),
    ];
    let records = [
        format!("/api/v1/personal-matters/{filer}"),
        format!("/api/v1/personal-matters/batches/{batch}"),
        format!("/api/v1/personal-matters/checks/{check}"),
    ];
    let writes = [
        (
            "/api/v1/personal-matters".to_string(),
            json!({"year": 2026, "person_id": person, "basis": "测试"}),
        ),
        (
            "/api/v1/personal-matters/generate".into(),
            json!({"year": 2026}),
        ),
        (
            "/api/v1/personal-matters/batches".into(),
            json!({"year": 2026, "percent": 50}),
        ),
        (
            "/api/v1/personal-matters/batches/targeted".into(),
            json!({"year": 2026, "reason": "petition", "person_ids": [person]}),
        ),
        (
            format!("/api/v1/personal-matters/{filer}/submit"),
            json!({"submitted_on": "2026-01-10"}),
        ),
        (
            format!("/api/v1/personal-matters/checks/{check}"),
            json!({"outcome": "truthful", "checked_on": "2026-03-01"}),
        ),
    ];
    let pages = [
        "/personal-matters".to_string(),
        "/personal-matters/batches".into(),
        format!("/personal-matters/{filer}"),
        format!("/personal-matters/batches/{batch}"),
        format!("/personal-matters/checks/{check}"),
    ];
    let audit_before = t.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'personal_matters%' AND result = 'ok'").await;
    for who in [
        "commission",
        "unit1",
        "branch1",
        "leader1",
        "member1",
        "discipline",
        "discipline1",
        "secadmin",
        "sysadmin",
        "auditor",
    ] {
        let tok = t.login_api(who).await;
        for p in &lists {
            let r = t.get(&tok, p).await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{who} GET {p}: {}",
                r.text()
            );
        }
        for p in &records {
            let r = t.get(&tok, p).await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{who} GET {p}: {}",
                r.text()
            );
        }
        for (p, body) in &writes {
            let r = t.post(&tok, p, body).await;
            assert!(
                matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{who} POST {p}: {} {}",
                r.status,
                r.text()
            );
        }
        let s = t.login_page(who).await;
        for p in &pages {
            let r = s.get(p).await;
            assert!(
                matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{who} page {p}: {}",
                r.status
            );
            assert!(!r.text().contains("如实报告率"), "{who} page {p}");
        }
        let home = s.get("/").await.text();
        assert!(!home.contains("href=\"/personal-matters\""), "{who}'s menu");
    }
    let audit_after = t.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'personal_matters%' AND result = 'ok'").await;
    assert_eq!(
        audit_before, audit_after,
        "nothing read or written by the others"
    );
    // positive control: the organisation department reaches every one of them
    let od = t.login_api("orgdept").await;
    for p in lists.iter().chain(records.iter()) {
        t.get_ok(&od, p).await;
    }
    let s = t.login_page("orgdept").await;
    for p in &pages {
        assert_eq!(s.get(p).await.status, StatusCode::OK, "orgdept page {p}");
    }
    assert!(s
        .get("/personal-matters")
        .await
        .text()
        .contains("如实报告率"));
    assert!(s.get("/promotion-checks").await.status == StatusCode::OK);
}

#[tokio::test]
async fn every_reading_is_audited_and_the_details_are_sealed() {
    let t = spawn_app().await;
    let od = t.login_api("orgdept").await;
    let year = demo_year(&t).await;
    let filer = one(
        &t,
        "SELECT MIN(id) FROM pm_filers WHERE declared IS NOT NULL",
    )
    .await;
    let batch = one(&t, "SELECT MIN(id) FROM pm_batches").await;
    let check = one(
        &t,
        "SELECT MIN(id) FROM pm_checks WHERE finding IS NOT NULL",
    )
    .await;
    let paths = [
        format!("/api/v1/personal-matters?year={year}"),
        format!("/api/v1/personal-matters/{filer}"),
        "/api/v1/personal-matters/batches".into(),
        format!("/api/v1/personal-matters/batches/{batch}"),
        format!("/api/v1/personal-matters/checks/{check}"),
        format!("/api/v1/personal-matters/figures?year={year}"),
    ];
    for p in &paths {
        let before = reads(&t).await;
        let v = t.get_ok(&od, p).await;
        assert_eq!(reads(&t).await, before + 1, "{p} is one audited reading");
        if p.contains("/checks/") {
            assert!(
                v["finding"].as_str().is_some_and(|f| f.contains("漏报")),
                "{v}"
            );
        }
        if p.ends_with(&format!("/personal-matters/{filer}")) {
            assert!(
                v["declared"].as_str().is_some_and(|d| d.contains("房产")),
                "{v}"
            );
            assert_eq!(v["filer"]["status"], "on_time");
        }
    }
    let s = t.login_page("orgdept").await;
    let before = reads(&t).await;
    s.get(&format!("/personal-matters/{filer}")).await;
    assert_eq!(reads(&t).await, before + 1, "a page reading too");
    let who = t
        .count("SELECT COUNT(*) FROM audit_events e JOIN users u ON u.id = e.actor_id WHERE e.action = 'personal_matters_read' AND u.username = 'orgdept'")
        .await;
    assert_eq!(who, reads(&t).await, "each names the reader");
    // sealed at rest
    for (tbl, col) in [("pm_filers", "declared"), ("pm_checks", "finding")] {
        let plain = t
            .count(&format!(
                "SELECT COUNT(*) FROM {tbl} WHERE {col} IS NOT NULL AND {col} NOT LIKE 'sm4gcm$%'"
            ))
            .await;
        assert_eq!(plain, 0, "{tbl}.{col} holds only sealed values");
    }
    let leaked = t
        .count("SELECT COUNT(*) FROM history WHERE detail LIKE '%车位%'")
        .await;
    assert_eq!(leaked, 0, "no finding in the history");
}

fn person_ids(batch: &Value) -> Vec<i64> {
    batch["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["person_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_random_draw_repeats_from_its_seed() {
    let t = spawn_app().await;
    let od = t.login_api("orgdept").await;
    let year = demo_year(&t).await;
    let seed_a = "0123456789abcdef".repeat(4);
    let seed_b = "fedcba9876543210".repeat(4);
    let mut drawn = Vec::new();
    for seed in [&seed_a, &seed_a, &seed_b] {
        let r = t
            .post(
                &od,
                "/api/v1/personal-matters/batches",
                &json!({"year": year, "percent": 30, "seed": seed}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_i64().unwrap();
        let b = t
            .get_ok(&od, &format!("/api/v1/personal-matters/batches/{id}"))
            .await;
        assert_eq!(b["batch"]["seed"].as_str(), Some(seed.as_str()));
        assert_eq!(b["batch"]["percent"].as_i64(), Some(30));
        assert_eq!(b["redraw_matches"], Value::Bool(true));
        drawn.push((b["batch"]["population"].as_i64().unwrap(), person_ids(&b)));
    }
    let (pop, a) = &drawn[0];
    assert!(*pop >= 10, "a population to draw from: {pop}");
    assert_eq!(a.len() as i64, (pop * 30 + 99) / 100, "30% rounded up");
    assert_eq!(
        a, &drawn[1].1,
        "the same seed draws the same people in the same order"
    );
    assert_ne!(a, &drawn[2].1, "another seed draws others");
    // anyone can repeat it outside the system: the population in filer-id order and
    // the published algorithm
    let pop_rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT id, person_id FROM pm_filers WHERE year = {year} AND submitted_on IS NOT NULL ORDER BY id"
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    let key = zeren_app::personal_matters::parse_seed(&seed_a).unwrap();
    let again: Vec<i64> = zeren_app::personal_matters::draw(&key, pop_rows.len(), 30)
        .into_iter()
        .map(|i| pop_rows[i].1)
        .collect();
    assert_eq!(&again, a, "re-drawn independently");
    // the demo batch's seed is stored and its draw still matches
    let demo = one(&t, "SELECT MIN(id) FROM pm_batches WHERE seed IS NOT NULL").await;
    let b = t
        .get_ok(&od, &format!("/api/v1/personal-matters/batches/{demo}"))
        .await;
    assert_eq!(b["redraw_matches"], Value::Bool(true));
    // a bad seed is refused with a reason
    let r = t
        .post(
            &od,
            "/api/v1/personal-matters/batches",
            &json!({"year": year, "seed": "xyz"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("64 位十六进制"), "{}", r.text());
}

#[tokio::test]
async fn the_deadline_is_31_january() {
    let t = spawn_app().await;
    let od = t.login_api("orgdept").await;
    // three people put on the 2025 list by hand
    let people: Vec<(i64,)> = sqlx::query_as("SELECT id FROM people ORDER BY id LIMIT 3")
        .fetch_all(t.app.store.pool())
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (pid,) in &people {
        let r = t
            .post(
                &od,
                "/api/v1/personal-matters",
                &json!({"year": 2025, "person_id": pid, "basis": "测试：参照报告"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    // the same person twice is refused
    let r = t
        .post(
            &od,
            "/api/v1/personal-matters",
            &json!({"year": 2025, "person_id": people[0].0, "basis": "重复"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (id, day) in [(ids[0], "2025-01-31"), (ids[1], "2025-02-01")] {
        let r = t
            .post(
                &od,
                &format!("/api/v1/personal-matters/{id}/submit"),
                &json!({"submitted_on": day}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let status = |v: &Value, id: i64| -> String {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"].as_i64() == Some(id))
            .map(|f| f["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    for (as_of, third) in [("2025-01-31", "pending"), ("2025-02-01", "overdue")] {
        let v = t
            .get_ok(
                &od,
                &format!("/api/v1/personal-matters?year=2025&as_of={as_of}"),
            )
            .await;
        assert_eq!(status(&v, ids[0]), "on_time", "31 January is in time");
        assert_eq!(status(&v, ids[1]), "late", "1 February is late");
        assert_eq!(status(&v, ids[2]), third, "unreported, seen on {as_of}");
        assert_eq!(v["items"][0]["deadline"], "2025-01-31");
    }
    let late = t
        .count(&format!("SELECT late FROM pm_filers WHERE id = {}", ids[1]))
        .await;
    assert_eq!(late, 1);
    let v = t
        .get_ok(&od, "/api/v1/personal-matters?year=2025&status=late")
        .await;
    assert_eq!(v["total"].as_i64(), Some(1));
    // a report dated before the year begins is refused
    let r = t
        .post(
            &od,
            &format!("/api/v1/personal-matters/{}/submit", ids[2]),
            &json!({"submitted_on": "2024-12-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_truthful_rate_is_counted_per_year_and_org() {
    let t = spawn_app().await;
    let od = t.login_api("orgdept").await;
    let year = demo_year(&t).await;
    let fig = t
        .get_ok(
            &od,
            &format!("/api/v1/personal-matters/figures?year={year}"),
        )
        .await;
    let checked = t
        .count(&format!("SELECT COUNT(*) FROM pm_checks k JOIN pm_batches b ON b.id = k.batch_id WHERE b.year = {year} AND k.outcome IS NOT NULL"))
        .await;
    let truthful = t
        .count(&format!("SELECT COUNT(*) FROM pm_checks k JOIN pm_batches b ON b.id = k.batch_id WHERE b.year = {year} AND k.outcome = 'truthful'"))
        .await;
    assert!(
        checked >= 2 && truthful < checked,
        "the demo has an omission"
    );
    assert_eq!(fig["total"]["checked"].as_i64(), Some(checked));
    assert_eq!(fig["total"]["truthful"].as_i64(), Some(truthful));
    let rate = (truthful as f64 * 1000.0 / checked as f64).round() / 10.0;
    assert_eq!(fig["total"]["rate"].as_f64(), Some(rate));
    let per_org: i64 = fig["rates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["checked"].as_i64().unwrap())
        .sum();
    assert_eq!(per_org, checked, "the orgs add up to the total");
    assert_eq!(
        fig["filers"].as_i64(),
        Some(
            t.count(&format!(
                "SELECT COUNT(*) FROM pm_filers WHERE year = {year}"
            ))
            .await
        )
    );
    // an open check: 瞒报 without handling is refused, with it counted
    let open = one(&t, "SELECT MIN(id) FROM pm_checks WHERE outcome IS NULL").await;
    let today = days_from_today(0);
    let r = t
        .post(
            &od,
            &format!("/api/v1/personal-matters/checks/{open}"),
            &json!({"outcome": "concealed", "checked_on": today}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "handling required"
    );
    let r = t
        .post(&od, &format!("/api/v1/personal-matters/checks/{open}"), &json!({"outcome": "concealed", "checked_on": today, "handling": "诫勉", "finding": "隐瞒投资"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let fig2 = t
        .get_ok(
            &od,
            &format!("/api/v1/personal-matters/figures?year={year}"),
        )
        .await;
    assert_eq!(fig2["total"]["checked"].as_i64(), Some(checked + 1));
    assert_eq!(
        fig2["total"]["concealed"].as_i64(),
        Some(fig["total"]["concealed"].as_i64().unwrap() + 1)
    );
    assert_eq!(
        fig2["total"]["rate"].as_f64(),
        Some((truthful as f64 * 1000.0 / (checked + 1) as f64).round() / 10.0)
    );
}

#[tokio::test]
async fn promotion_checks_show_counts_and_never_an_informant() {
    let t = spawn_app().await;
    let od = t.login_api("orgdept").await;
    let disc = t.login_api("discipline").await;
    let pc = one(&t, "SELECT MIN(id) FROM promotion_checks").await;
    let person = one(
        &t,
        &format!("SELECT person_id FROM promotion_checks WHERE id = {pc}"),
    )
    .await;
    let org = one(
        &t,
        &format!("SELECT org_id FROM people WHERE id = {person}"),
    )
    .await;
    // a real-name petition about the candidate
    let informant = "钱多多举报人";
    let secret = "集成测试：反映候选人违规收受礼金的具体线索";
    let r = t
        .post(
            &disc,
            "/api/v1/petitions",
            &json!({
                "received_on": days_from_today(0), "channel": "letter", "signed": true,
                "informant_name": informant, "informant_contact": "13900000001",
                "reported_person_id": person, "org_id": org, "summary": secret, "content": secret,
                "level": "division", "category": "integrity",
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let path = format!("/api/v1/promotion-checks/{pc}");
    let seen_by_disc = t.get(&disc, &path).await;
    assert_eq!(seen_by_disc.status, StatusCode::OK);
    let d = seen_by_disc.json();
    let petitions = t
        .count(&format!(
            "SELECT COUNT(*) FROM petitions WHERE reported_person_id = {person}"
        ))
        .await;
    assert_eq!(d["discipline"]["petitions"].as_i64(), Some(petitions));
    assert!(d["discipline"]["petitions_open"].as_i64().unwrap() >= 1);
    assert!(
        d["pm_checks"].is_null(),
        "the discipline role sees no personal-matters results"
    );
    let od_view = t.get(&od, &path).await;
    let o = od_view.json();
    assert!(
        o["discipline"].is_null(),
        "the organisation department sees no petition counts"
    );
    assert!(o["pm_checks"].as_array().is_some_and(|a| !a.is_empty()));
    for (who, text) in [
        ("discipline", seen_by_disc.text()),
        ("orgdept", od_view.text()),
    ] {
        assert!(!text.contains(informant), "{who} sees the informant");
        assert!(!text.contains("13900000001"), "{who} sees the contact");
        assert!(!text.contains(secret), "{who} sees the petition's content");
    }
    let s = t.login_page("discipline").await;
    let page = s.get(&format!("/promotion-checks/{pc}")).await.text();
    assert!(page.contains("反映该人选的信访举报"));
    assert!(!page.contains(informant) && !page.contains(secret));
    // each side concludes its own checks only
    let on = days_from_today(0);
    let body = |check: &str| json!({"check": check, "verdict": "clear", "note": "", "on": on});
    let r = t
        .post(&disc, &format!("{path}/conclude"), &body("file"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post(&od, &format!("{path}/conclude"), &body("petitions"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post(
            &disc,
            &format!("{path}/conclude"),
            &json!({"check": "petitions", "verdict": "concern", "note": "", "on": on}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a concern needs its note"
    );
    let r = t.post(&disc, &format!("{path}/conclude"), &json!({"check": "petitions", "verdict": "concern", "note": "有1件线索具体的信访件正在核实", "on": on})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = t.get_ok(&od, &path).await;
    assert_eq!(v["check"]["petitions_verdict"], "concern");
    assert!(v["check"]["petitions_by"].is_string());
    // the others reach nothing
    for who in ["commission", "unit1", "member1", "auditor"] {
        let tok = t.login_api(who).await;
        assert_eq!(
            t.get(&tok, "/api/v1/promotion-checks").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            t.get(&tok, &path).await.status,
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
}

#[tokio::test]
async fn key_rotation_covers_the_sealed_reports() {
    let t = spawn_app().await;
    let od = t.login_api("orgdept").await;
    let filer = one(
        &t,
        "SELECT MIN(id) FROM pm_filers WHERE declared IS NOT NULL",
    )
    .await;
    let before = t
        .get_ok(&od, &format!("/api/v1/personal-matters/{filer}"))
        .await["declared"]
        .clone();
    let r = t.app.rotate_keys().await.expect("rotate");
    for (tbl, col) in [("pm_filers", "declared"), ("pm_checks", "finding")] {
        let stale = t
            .count(&format!(
                "SELECT COUNT(*) FROM {tbl} WHERE {col} IS NOT NULL AND {col} NOT LIKE 'sm4gcm${}$%'",
                r.new_key
            ))
            .await;
        assert_eq!(stale, 0, "{tbl}.{col} re-encrypted under the new key");
    }
    let after = t
        .get_ok(&od, &format!("/api/v1/personal-matters/{filer}"))
        .await["declared"]
        .clone();
    assert!(before.is_string());
    assert_eq!(before, after, "still readable after rotation");
}

#[tokio::test]
async fn the_candidate_never_sees_their_own_record() {
    let t = spawn_app().await;
    let od = t.login_api("orgdept").await;
    let d1 = t.login_api("discipline1").await;
    // discipline1's own person, put forward for promotion
    let me = one(
        &t,
        "SELECT person_id FROM users WHERE username = 'discipline1'",
    )
    .await;
    let r = t
        .post(
            &od,
            "/api/v1/promotion-checks",
            &json!({"person_id": me, "proposed_post": "院长"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let list = t.get_ok(&d1, "/api/v1/promotion-checks").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"].as_i64() != Some(id)),
        "not in the candidate's list"
    );
    let path = format!("/api/v1/promotion-checks/{id}");
    assert_eq!(t.get(&d1, &path).await.status, StatusCode::NOT_FOUND);
    let r = t
        .post(&d1, &format!("{path}/conclude"), &json!({"check": "discipline", "verdict": "clear", "note": "", "on": days_from_today(0)}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "nor concludes it");
    // the cleared discipline account does
    let disc = t.login_api("discipline").await;
    assert_eq!(t.get(&disc, &path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_pages_draw_and_record_through_their_forms() {
    let t = spawn_app().await;
    let s = t.login_page("orgdept").await;
    let year = demo_year(&t).await.to_string();
    let seed = "ab".repeat(32);
    let r = s
        .post_form(
            "/personal-matters/batches",
            &[
                ("csrf", s.csrf.as_str()),
                ("year", &year),
                ("percent", "20"),
                ("seed", &seed),
                ("note", "页面抽查"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.location();
    assert!(to.starts_with("/personal-matters/batches/"), "{to}");
    let page = s.get(&to).await.text();
    assert!(
        page.contains(&seed) && page.contains("结果一致"),
        "the seed and the redraw"
    );
    let check = linked_ids(&page, "/personal-matters/checks/")[0];
    let r = s
        .post_form(
            &format!("/personal-matters/checks/{check}"),
            &[
                ("csrf", s.csrf.as_str()),
                ("outcome", "omitted"),
                ("checked_on", &days_from_today(0)),
                ("handling", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = s
        .get(&format!("/personal-matters/checks/{check}"))
        .await
        .text();
    assert!(
        page.contains("漏报、瞒报须填写处理意见"),
        "the refusal says why"
    );
    let r = s
        .post_form(
            &format!("/personal-matters/checks/{check}"),
            &[
                ("csrf", s.csrf.as_str()),
                ("outcome", "omitted"),
                ("checked_on", &days_from_today(0)),
                ("handling", "批评教育"),
                ("finding", "漏报房产一处"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = s
        .get(&format!("/personal-matters/checks/{check}"))
        .await
        .text();
    assert!(page.contains("漏报房产一处") && page.contains("批评教育"));
    let home = s.get("/").await.text();
    assert!(
        home.contains("href=\"/personal-matters\""),
        "the menu entry"
    );
}
