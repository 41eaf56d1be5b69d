//! Cadre records (干部工作): the organisation department records appointments,
//! part-time posts with their approval, training and 容错纠错 for people of its scope;
//! the annual report's seven cadre figures equal counts made here with plain SQL and
//! grow by exactly what the test recorded; bad input names its field and writes
//! nothing; party offices read but do not record.
use chrono::Duration;
use zeren_app::cadre_work::CadreInput;
use zeren_app::rows::CadreFilter;
use zeren_app::{AppError, Paging};

use crate::harness::*;
use crate::letters::{actor, year};

const UNIT1: &str = "SELECT id FROM orgs WHERE name = '市第一人民医院党委'";

/// The seven figures of a subtree and year, counted with SQL written here.
async fn hand_counts(t: &TestApp, path: &str, y: i32) -> Vec<(&'static str, i64)> {
    let up = format!("{}0", &path[..path.len() - 1]);
    let w = |col: &str| {
        format!(
            "org_path >= '{path}' AND org_path < '{up}' AND {col} >= '{y}-01-01' AND {col} <= '{y}-12-31'"
        )
    };
    vec![
        (
            "cadre_promoted",
            t.count(&format!("SELECT COUNT(*) FROM (SELECT DISTINCT person_id FROM cadre_appointments WHERE kind IN ('promotion','further_use') AND {}) x", w("appointed_on"))).await,
        ),
        (
            "cadre_rank_promoted",
            t.count(&format!("SELECT COUNT(*) FROM (SELECT DISTINCT person_id FROM cadre_appointments WHERE kind = 'rank_promotion' AND {}) x", w("appointed_on"))).await,
        ),
        (
            "cadre_part_time_approved",
            t.count(&format!("SELECT COUNT(*) FROM (SELECT DISTINCT person_id FROM cadre_part_time WHERE decision IS NOT NULL AND {}) x", w("decided_on"))).await,
        ),
        (
            "cadre_training_people",
            t.count(&format!("SELECT COUNT(*) FROM cadre_trainings WHERE {}", w("started_on"))).await,
        ),
        (
            "cadre_training_classes",
            t.count(&format!("SELECT COUNT(*) FROM (SELECT DISTINCT class_name, started_on FROM cadre_trainings WHERE {}) x", w("started_on"))).await,
        ),
        (
            "cadre_training_hours",
            t.count(&format!("SELECT CAST(COALESCE(SUM(hours), 0) AS BIGINT) FROM cadre_trainings WHERE {}", w("started_on"))).await,
        ),
        (
            "cadre_tolerance",
            t.count(&format!("SELECT COUNT(*) FROM (SELECT DISTINCT person_id FROM cadre_tolerance WHERE {}) x", w("decided_on"))).await,
        ),
    ]
}

async fn report_values(t: &TestApp, org: i64, y: i32) -> Vec<(&'static str, i64)> {
    let com = actor(t, "commission").await;
    let r = t.app.annual_report(&com, Some(org), y).await.unwrap();
    zeren_core::cadre_work::FIGURE_KEYS
        .iter()
        .map(|k| (*k, r.value(k)))
        .collect()
}

#[tokio::test]
async fn cadre_figures_equal_a_count_of_the_records() {
    let t = spawn_app().await;
    let od = actor(&t, "orgdept").await;
    let unit1 = t.count(UNIT1).await;
    let (path,): (String,) = sqlx::query_as(&format!("SELECT path FROM orgs WHERE id = {unit1}"))
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    let y = year();
    let today = zeren_app::clock::today();
    let day = today.to_string();
    let last_year = (today - Duration::days(400)).to_string();
    // six people of unit1's subtree with no cadre record yet
    let people: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM people WHERE org_path >= '{path}' AND org_path < '{}0' \
           AND id NOT IN (SELECT person_id FROM cadre_appointments) AND id NOT IN (SELECT person_id FROM cadre_part_time) \
           AND id NOT IN (SELECT person_id FROM cadre_trainings) AND id NOT IN (SELECT person_id FROM cadre_tolerance) \
         ORDER BY id LIMIT 6",
        &path[..path.len() - 1]
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    let p: Vec<i64> = people.into_iter().map(|r| r.0).collect();
    assert_eq!(p.len(), 6);
    let before = report_values(&t, unit1, y).await;
    assert_eq!(before, hand_counts(&t, &path, y).await);

    let appoint = |person: i64, kind: &str, on: &str| CadreInput::Appointment {
        person_id: person,
        kind: kind.into(),
        post: "医务部副主任".into(),
        from_rank: Some("正科级".into()),
        to_rank: "副处级".into(),
        appointed_on: on.into(),
    };
    // p0 promoted and further used: one person; p1 promoted; p2 rank; p3 last year
    for input in [
        appoint(p[0], "promotion", &day),
        appoint(p[0], "further_use", &day),
        appoint(p[1], "promotion", &day),
        appoint(p[2], "rank_promotion", &day),
        appoint(p[3], "promotion", &last_year),
    ] {
        t.app.cadre_record_create(&od, input).await.unwrap();
    }
    let part = |person: i64, decision: Option<&str>| CadreInput::PartTime {
        person_id: person,
        society: "市医学会".into(),
        post: "常务理事".into(),
        applied_on: day.clone(),
        decision: decision.map(str::to_string),
        decided_on: decision.map(|_| day.clone()),
        paid: false,
    };
    t.app
        .cadre_record_create(&od, part(p[3], Some("approved")))
        .await
        .unwrap();
    t.app
        .cadre_record_create(&od, part(p[4], Some("refused")))
        .await
        .unwrap();
    let pending = t
        .app
        .cadre_record_create(&od, part(p[5], None))
        .await
        .unwrap();
    let train = |person: i64, class: &str, hours: i64| CadreInput::Training {
        person_id: person,
        class_name: class.into(),
        organizer: Some("市委党校".into()),
        started_on: day.clone(),
        hours,
    };
    t.app
        .cadre_record_create(&od, train(p[0], "中青年干部培训班", 40))
        .await
        .unwrap();
    t.app
        .cadre_record_create(&od, train(p[1], "中青年干部培训班", 40))
        .await
        .unwrap();
    t.app
        .cadre_record_create(&od, train(p[2], "党务干部示范培训班", 24))
        .await
        .unwrap();
    t.app
        .cadre_record_create(
            &od,
            CadreInput::Tolerance {
                person_id: p[4],
                kind: "reuse".into(),
                matter: "改革探索中出现失误，已纠正，影响期满后重新使用".into(),
                post: Some("门诊部副主任".into()),
                decided_on: day.clone(),
            },
        )
        .await
        .unwrap();
    // what this test recorded, counted by hand
    let delta = [
        ("cadre_promoted", 2),
        ("cadre_rank_promoted", 1),
        ("cadre_part_time_approved", 2),
        ("cadre_training_people", 3),
        ("cadre_training_classes", 2),
        ("cadre_training_hours", 104),
        ("cadre_tolerance", 1),
    ];
    let after = report_values(&t, unit1, y).await;
    assert_eq!(
        after,
        hand_counts(&t, &path, y).await,
        "the report counts the records"
    );
    for ((k, a), (_, b)) in after.iter().zip(before.iter()) {
        let d = delta.iter().find(|x| x.0 == *k).unwrap().1;
        assert_eq!(a - b, d, "{k}");
    }
    // deciding the pending application counts its person
    t.app
        .cadre_part_time_decide(&od, pending, "approved", &day)
        .await
        .unwrap();
    assert!(matches!(
        t.app
            .cadre_part_time_decide(&od, pending, "approved", &day)
            .await,
        Err(AppError::Conflict(_))
    ));
    let again = report_values(&t, unit1, y).await;
    assert_eq!(again, hand_counts(&t, &path, y).await);
    assert_eq!(again[2].1, after[2].1 + 1);
    // the whole tree counts at least unit1's
    let root = t.count("SELECT id FROM orgs WHERE parent_id IS NULL").await;
    let tree = report_values(&t, root, y).await;
    for ((k, a), (_, b)) in tree.iter().zip(again.iter()) {
        assert!(a >= b, "{k}");
    }
    // the figures page data of the module say the same
    let figs = t.app.cadre_figures(&od, unit1, y).await.unwrap();
    assert_eq!(
        figs.iter().map(|f| (f.key, f.value)).collect::<Vec<_>>(),
        again
    );
}

#[tokio::test]
async fn cadre_records_are_checked_scoped_and_kept_by_the_organisation_department() {
    let t = spawn_app().await;
    let od = actor(&t, "orgdept").await;
    let u1 = actor(&t, "unit1").await;
    let unit1 = t.count(UNIT1).await;
    let person = t
        .count(&format!(
            "SELECT MIN(id) FROM people WHERE org_id = {unit1}"
        ))
        .await;
    let before = t.count("SELECT COUNT(*) FROM cadre_trainings").await
        + t.count("SELECT COUNT(*) FROM cadre_appointments").await;
    // every bad field named, nothing written
    let e = t
        .app
        .cadre_record_create(
            &od,
            CadreInput::Appointment {
                person_id: person,
                kind: "nope".into(),
                post: "".into(),
                from_rank: None,
                to_rank: "".into(),
                appointed_on: "2099-01-01".into(),
            },
        )
        .await
        .unwrap_err();
    let AppError::Invalid(v) = e else {
        panic!("{e:?}")
    };
    let fields: Vec<&str> = v.errors.iter().map(|f| f.field.as_str()).collect();
    for f in ["kind", "post", "to_rank", "appointed_on"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let e = t
        .app
        .cadre_record_create(
            &od,
            CadreInput::Training {
                person_id: person,
                class_name: "培训班".into(),
                organizer: None,
                started_on: zeren_app::clock::today().to_string(),
                hours: 0,
            },
        )
        .await
        .unwrap_err();
    let AppError::Invalid(v) = e else {
        panic!("{e:?}")
    };
    assert_eq!(v.errors[0].field, "hours");
    let e = t
        .app
        .cadre_record_create(
            &od,
            CadreInput::Training {
                person_id: 999_999,
                class_name: "培训班".into(),
                organizer: None,
                started_on: zeren_app::clock::today().to_string(),
                hours: 8,
            },
        )
        .await
        .unwrap_err();
    let AppError::Invalid(v) = e else {
        panic!("{e:?}")
    };
    assert_eq!(v.errors[0].field, "person_id");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM cadre_trainings").await
            + t.count("SELECT COUNT(*) FROM cadre_appointments").await,
        before
    );
    // a party office reads but does not record
    assert!(matches!(
        t.app
            .cadre_record_create(
                &u1,
                CadreInput::Tolerance {
                    person_id: person,
                    kind: "exempt".into(),
                    matter: "x".into(),
                    post: None,
                    decided_on: zeren_app::clock::today().to_string(),
                },
            )
            .await,
        Err(AppError::Forbidden(_))
    ));
    // one record in unit1, one elsewhere: unit1 reads only its own
    let other = t
        .count(&format!(
            "SELECT MIN(id) FROM people WHERE org_path NOT LIKE (SELECT path FROM orgs WHERE id = {unit1}) || '%' AND org_id <> (SELECT id FROM orgs WHERE parent_id IS NULL)"
        ))
        .await;
    let day = zeren_app::clock::today().to_string();
    for pid in [person, other] {
        t.app
            .cadre_record_create(
                &od,
                CadreInput::Training {
                    person_id: pid,
                    class_name: "范围测试培训班".into(),
                    organizer: None,
                    started_on: day.clone(),
                    hours: 8,
                },
            )
            .await
            .unwrap();
    }
    let f = CadreFilter {
        kind: "training".into(),
        ..Default::default()
    };
    let mine = t
        .app
        .cadre_records(&u1, f.clone(), Paging::new(None, Some(500)))
        .await
        .unwrap();
    let all = t
        .app
        .cadre_records(&od, f, Paging::new(None, Some(500)))
        .await
        .unwrap();
    assert!(mine.total < all.total);
    assert!(mine.items.iter().any(|r| r.person_id == person));
    assert!(!mine.items.iter().any(|r| r.person_id == other));
    let outside = all.items.iter().find(|r| r.person_id == other).unwrap().id;
    assert!(matches!(
        t.app.cadre_record(&u1, "training", outside).await,
        Err(AppError::NotFound)
    ));
}

/// The page picks the person from the chosen unit's people (nobody types an internal
/// number), records through the form and comes back to the same tab and unit.
#[tokio::test]
async fn the_page_records_a_person_picked_from_the_unit() {
    let t = spawn_app().await;
    let unit1 = t.count(UNIT1).await;
    let (pid, name): (i64, String) = sqlx::query_as(&format!(
        "SELECT id, name FROM people WHERE org_id = {unit1} AND left_on IS NULL ORDER BY id LIMIT 1"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    let s = t.login_page("orgdept").await;
    // without a unit: no form, a hint where to pick one
    let html = s.get("/cadre-work?kind=training").await.text();
    assert!(html.contains("请先在上方“单位”中选择") && !html.contains("name=\"person_id\""));
    let html = s
        .get(&format!("/cadre-work?kind=training&org={unit1}"))
        .await
        .text();
    assert!(
        html.contains(&format!("<option value=\"{pid}\">{name}")),
        "the unit's people are offered"
    );
    assert!(!html.contains("人员编号"));
    let unit = unit1.to_string();
    let pid_s = pid.to_string();
    let r = s
        .post_form(
            "/cadre-work",
            &[
                ("csrf", s.csrf.as_str()),
                ("record", "training"),
                ("org", unit.as_str()),
                ("person_id", pid_s.as_str()),
                ("class_name", "页面登记测试培训班"),
                ("started_on", &days_from_today(-3)),
                ("hours", "16"),
            ],
        )
        .await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.location(),
        format!("/cadre-work?kind=training&org={unit1}")
    );
    let html = s.get(&r.location()).await.text();
    assert!(html.contains("页面登记测试培训班") && html.contains(&name));
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM cadre_trainings WHERE person_id = {pid} AND class_name = '页面登记测试培训班'"
        ))
        .await,
        1
    );
}
