//! Responsibility letters (责任书): a letter's duties are the responsibility list's
//! tasks (links, so an edited task reads edited, and a task added to the list shows as
//! a difference until the duties are re-drawn); parties are checked against their
//! positions level by level; signatures by the signer's own account or a scanned page;
//! unsigned letters are reminded exactly once per stage; `zeren letters status` counts
//! what the tables hold. Expected values come from plain SQL here.
use chrono::Duration;
use zeren_app::evidence::Upload;
use zeren_app::letter::{IssueInput, SignInput, TemplateInput};
use zeren_app::{Actor, AppError};

use crate::harness::*;

pub async fn actor(t: &TestApp, user: &str) -> Actor {
    let mut c = t.app.store.conn().await.unwrap();
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(user)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    t.app.actor_of(&mut c, id, "test").await.unwrap()
}

pub fn year() -> i32 {
    chrono::Datelike::year(&zeren_app::clock::today())
}

async fn ids(t: &TestApp, sql: &str) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(sql)
        .fetch_all(t.app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|r| r.0).collect()
}

/// The person holding `kind` at the org named `org` (first by id).
async fn holder(t: &TestApp, kind: &str, org_sql: &str) -> i64 {
    t.count(&format!(
        "SELECT MIN(x.person_id) FROM positions x WHERE x.kind = '{kind}' AND x.org_id = ({org_sql})"
    ))
    .await
}

const ROOT: &str = "SELECT id FROM orgs WHERE parent_id IS NULL";
const UNIT1: &str = "SELECT id FROM orgs WHERE name = '市第一人民医院党委'";

/// The commission's template of `kind` for this year (the demo's, or a new one).
async fn template(t: &TestApp, com: &Actor, kind: &str) -> i64 {
    let root = t.count(ROOT).await;
    let existing = t
        .count(&format!(
            "SELECT COALESCE(MAX(id), 0) FROM letter_templates WHERE org_id = {root} AND year = {} AND kind = '{kind}'",
            year()
        ))
        .await;
    if existing > 0 {
        return existing;
    }
    t.app
        .letter_template_create(
            com,
            TemplateInput {
                org_id: Some(root),
                year: year(),
                kind: kind.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

fn in_list(cats: &str) -> String {
    cats.lines()
        .map(|c| format!("'{}'", c.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(",")
}

/// The tasks a letter must carry, by plain SQL: the org's tasks of the year's plans in
/// the template's categories (and for a team member, those they lead or nobody leads).
async fn expected_duties(t: &TestApp, template: i64, org: i64, led_by: Option<i64>) -> Vec<i64> {
    let (cats,): (String,) = sqlx::query_as(&format!(
        "SELECT categories FROM letter_templates WHERE id = {template}"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    let led = match led_by {
        Some(p) => {
            format!(" AND (leader_id = {p} OR (subject = 'team_member' AND leader_id IS NULL))")
        }
        None => String::new(),
    };
    ids(
        t,
        &format!(
            "SELECT id FROM tasks WHERE org_id = {org} AND plan_id IN (SELECT id FROM plans WHERE year = {}) \
             AND category IN ({}){led} ORDER BY id",
            year(),
            in_list(&cats)
        ),
    )
    .await
}

fn scan(party: &str, on: &str) -> SignInput {
    SignInput {
        party: party.into(),
        method: "scan".into(),
        signed_on: Some(on.into()),
        files: vec![Upload {
            filename: "签字页.pdf".into(),
            bytes: PDF.to_vec(),
        }],
    }
}

fn confirm(party: &str) -> SignInput {
    SignInput {
        party: party.into(),
        method: "confirm".into(),
        ..Default::default()
    }
}

fn fields(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.errors.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_letters_duties_follow_the_responsibility_list() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let tpl = template(&t, &com, "integrity").await;
    let root_secretary = holder(&t, "secretary", ROOT).await;
    let unit1 = t.count(UNIT1).await;
    let unit1_secretary = holder(&t, "secretary", UNIT1).await;
    sqlx::query(&format!(
        "DELETE FROM letter_signatures WHERE letter_id IN (SELECT id FROM letters WHERE signer_person_id = {unit1_secretary})"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "DELETE FROM letter_duties WHERE letter_id IN (SELECT id FROM letters WHERE signer_person_id = {unit1_secretary})"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "DELETE FROM letters WHERE signer_person_id = {unit1_secretary}"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let sign_by = days_from_today(20);

    // bad input: every field named, nothing written
    let before = t.count("SELECT COUNT(*) FROM letters").await;
    let e = t
        .app
        .letters_issue(
            &com,
            IssueInput {
                template_id: tpl,
                level: "nope".into(),
                issuer_person_id: None,
                signer_person_ids: vec![],
                sign_by: "2026-02-30".into(),
            },
        )
        .await
        .unwrap_err();
    let f = fields(e);
    for want in ["level", "sign_by", "signer_person_ids", "issuer_person_id"] {
        assert!(f.contains(&want.to_string()), "{want} in {f:?}");
    }
    // a branch secretary is not a unit secretary
    let branch_sec = t
        .count(&format!(
            "SELECT MIN(x.person_id) FROM positions x JOIN orgs o ON o.id = x.org_id WHERE x.kind = 'secretary' AND o.parent_id = {unit1}"
        ))
        .await;
    let e = t
        .app
        .letters_issue(
            &com,
            IssueInput {
                template_id: tpl,
                level: "unit".into(),
                issuer_person_id: Some(root_secretary),
                signer_person_ids: vec![unit1_secretary, branch_sec],
                sign_by: sign_by.clone(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["signer_person_ids"]);
    assert_eq!(t.count("SELECT COUNT(*) FROM letters").await, before);
    // unit1's office may not issue the commission's letters
    let u1 = actor(&t, "unit1").await;
    assert!(matches!(
        t.app
            .letters_issue(
                &u1,
                IssueInput {
                    template_id: tpl,
                    level: "unit".into(),
                    issuer_person_id: Some(root_secretary),
                    signer_person_ids: vec![unit1_secretary],
                    sign_by: sign_by.clone(),
                },
            )
            .await,
        Err(AppError::Forbidden(_))
    ));

    let ids_issued = t
        .app
        .letters_issue(
            &com,
            IssueInput {
                template_id: tpl,
                level: "unit".into(),
                issuer_person_id: Some(root_secretary),
                signer_person_ids: vec![unit1_secretary],
                sign_by: sign_by.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(ids_issued.len(), 1);
    let id = ids_issued[0];
    let want = expected_duties(&t, tpl, unit1, None).await;
    assert!(!want.is_empty());
    let d = t.app.letter_detail(&com, id).await.unwrap();
    let got: Vec<i64> = d.duties.iter().map(|x| x.task_id).collect();
    assert_eq!(got, want, "the letter carries exactly the list's tasks");
    assert!(d.drift.is_empty());
    assert_eq!(d.state, "pending");
    // the same letter twice: refused
    let e = t
        .app
        .letters_issue(
            &com,
            IssueInput {
                template_id: tpl,
                level: "unit".into(),
                issuer_person_id: Some(root_secretary),
                signer_person_ids: vec![unit1_secretary],
                sign_by: sign_by.clone(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["signer_person_ids"]);

    // a task's words change in the list: the letter reads the new words
    let first = want[0];
    sqlx::query(&format!(
        "UPDATE tasks SET title = '改写后的任务标题' WHERE id = {first}"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let d = t.app.letter_detail(&com, id).await.unwrap();
    assert_eq!(d.duties[0].title, "改写后的任务标题");
    // a task added to the list: shown as a difference, then drawn in
    let cat = d.duties[0].category.clone();
    let new_task = t
        .app
        .task_create(
            &u1,
            zeren_app::task::TaskInput {
                org_id: unit1,
                category: cat,
                subject: "committee".into(),
                title: "新增的廉政任务".into(),
                content: "测试".into(),
                leader_id: None,
                person_id: None,
                deadline: format!("{}-12-31", year()),
            },
        )
        .await
        .unwrap();
    let (plan,): (i64,) = sqlx::query_as(&format!(
        "SELECT MIN(id) FROM plans WHERE year = {}",
        year()
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "UPDATE tasks SET plan_id = {plan} WHERE id = {new_task}"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let d = t.app.letter_detail(&com, id).await.unwrap();
    assert_eq!(
        d.drift.added.iter().map(|x| x.task_id).collect::<Vec<_>>(),
        vec![new_task]
    );
    assert_eq!(
        t.app.letter_refresh_duties(&com, id).await.unwrap(),
        want.len() + 1
    );
    let d = t.app.letter_detail(&com, id).await.unwrap();
    assert!(d.drift.is_empty());
    assert_eq!(
        d.duties.iter().map(|x| x.task_id).collect::<Vec<_>>(),
        expected_duties(&t, tpl, unit1, None).await
    );

    // signatures: a scan needs a file; nobody confirms for someone else
    let mut no_file = scan("both", &zeren_app::clock::today().to_string());
    no_file.files.clear();
    assert_eq!(
        fields(t.app.letter_sign(&com, id, no_file).await.unwrap_err()),
        vec!["files"]
    );
    assert!(matches!(
        t.app.letter_sign(&com, id, confirm("signer")).await,
        Err(AppError::Forbidden(_))
    ));
    let today = zeren_app::clock::today().to_string();
    t.app
        .letter_sign(&com, id, scan("signer", &today))
        .await
        .unwrap();
    let d = t.app.letter_detail(&com, id).await.unwrap();
    assert_eq!(d.state, "partial");
    assert_eq!(d.evidence.len(), 1);
    assert!(
        t.app
            .letter_sign(&com, id, scan("signer", &today))
            .await
            .is_err(),
        "signed once"
    );
    t.app
        .letter_sign(&com, id, scan("issuer", &today))
        .await
        .unwrap();
    let d = t.app.letter_detail(&com, id).await.unwrap();
    assert_eq!(d.state, "signed");
    assert_eq!(d.signatures.len(), 2);
    assert!(matches!(
        t.app.letter_refresh_duties(&com, id).await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(
        t.count(&format!("SELECT signed FROM letters WHERE id = {id}"))
            .await,
        1
    );
}

#[tokio::test]
async fn a_team_member_confirms_with_their_own_account() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let leader = actor(&t, "leader1").await;
    let leader_person = leader.person_id.unwrap();
    let root = t.count(ROOT).await;
    let root_secretary = holder(&t, "secretary", ROOT).await;
    sqlx::query(&format!(
        "DELETE FROM letter_signatures WHERE letter_id IN (SELECT id FROM letters WHERE signer_person_id = {leader_person})"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "DELETE FROM letter_duties WHERE letter_id IN (SELECT id FROM letters WHERE signer_person_id = {leader_person})"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "DELETE FROM letters WHERE signer_person_id = {leader_person}"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let tpl = template(&t, &com, "party_building").await;
    let id = t
        .app
        .letters_issue(
            &com,
            IssueInput {
                template_id: tpl,
                level: "team".into(),
                issuer_person_id: Some(root_secretary),
                signer_person_ids: vec![leader_person],
                sign_by: days_from_today(10),
            },
        )
        .await
        .unwrap()[0];
    let want = expected_duties(&t, tpl, root, Some(leader_person)).await;
    let d = t.app.letter_detail(&leader, id).await.unwrap();
    assert_eq!(d.duties.iter().map(|x| x.task_id).collect::<Vec<_>>(), want);
    assert_eq!(d.can_confirm, Some("signer"));
    // the team member may not confirm as the issuer
    assert!(matches!(
        t.app.letter_sign(&leader, id, confirm("issuer")).await,
        Err(AppError::Forbidden(_))
    ));
    t.app
        .letter_sign(&leader, id, confirm("signer"))
        .await
        .unwrap();
    let (method, user): (String, Option<i64>) = sqlx::query_as(&format!(
        "SELECT method, user_id FROM letter_signatures WHERE letter_id = {id} AND party = 'signer'"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    assert_eq!(method, "confirm");
    assert_eq!(user, Some(leader.user_id));
    // a member who is no party reads nothing
    let member = actor(&t, "member1").await;
    assert!(matches!(
        t.app.letter_detail(&member, id).await,
        Err(AppError::NotFound)
    ));
}

async fn letter_reminders(t: &TestApp, id: i64) -> Vec<(String, String)> {
    let rows: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT stage, recipient_person_id, recipient_org_id FROM notifications \
         WHERE item_type = 'letter' AND item_id = {id} ORDER BY id"
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(s, p, o)| {
            let to = match (p, o) {
                (Some(p), _) => format!("p{p}"),
                (None, Some(o)) => format!("o{o}"),
                _ => "-".into(),
            };
            (s, to)
        })
        .collect()
}

/// Due within a week: each unsigned party is told once; past the deadline once more;
/// two weeks past the issuing org once; a signed party is not told again; running the
/// same day twice, or the next day in the same stage, adds nothing.
#[tokio::test]
async fn unsigned_letters_are_reminded_exactly_once_per_stage() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let leader = actor(&t, "leader1").await;
    let leader_person = leader.person_id.unwrap();
    let root = t.count(ROOT).await;
    let root_secretary = holder(&t, "secretary", ROOT).await;
    sqlx::query("DELETE FROM notifications WHERE item_type = 'letter'")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    for table in ["letter_signatures", "letter_duties"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE letter_id IN (SELECT id FROM letters WHERE signer_person_id = {leader_person})"
        ))
        .execute(t.app.store.pool())
        .await
        .unwrap();
    }
    sqlx::query(&format!(
        "DELETE FROM letters WHERE signer_person_id = {leader_person}"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let tpl = template(&t, &com, "party_building").await;
    let today = zeren_app::clock::today();
    let id = t
        .app
        .letters_issue(
            &com,
            IssueInput {
                template_id: tpl,
                level: "team".into(),
                issuer_person_id: Some(root_secretary),
                signer_person_ids: vec![leader_person],
                sign_by: (today + Duration::days(10)).to_string(),
            },
        )
        .await
        .unwrap()[0];
    let on = |n: i64| today + Duration::days(n);
    t.app.jobs_once(on(0)).await.unwrap();
    assert!(
        letter_reminders(&t, id).await.is_empty(),
        "ten days away: not yet"
    );
    t.app.jobs_once(on(3)).await.unwrap();
    let got = letter_reminders(&t, id).await;
    let due = |p: i64| ("letter-due".to_string(), format!("p{p}"));
    assert_eq!(got, vec![due(leader_person), due(root_secretary)]);
    t.app.jobs_once(on(3)).await.unwrap();
    t.app.jobs_once(on(5)).await.unwrap();
    assert_eq!(letter_reminders(&t, id).await.len(), 2, "once per stage");
    // the team member signs; past the deadline only the issuer is told
    t.app
        .letter_sign(&leader, id, confirm("signer"))
        .await
        .unwrap();
    t.app.jobs_once(on(11)).await.unwrap();
    t.app.jobs_once(on(12)).await.unwrap();
    let got = letter_reminders(&t, id).await;
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[2],
        ("letter-overdue".into(), format!("p{root_secretary}"))
    );
    // two weeks past: the issuing org, once
    t.app.jobs_once(on(25)).await.unwrap();
    t.app.jobs_once(on(26)).await.unwrap();
    let got = letter_reminders(&t, id).await;
    assert_eq!(got.len(), 4);
    assert_eq!(got[3], ("letter-escalate".into(), format!("o{root}")));
    // signed by both: nothing more
    let mut s = scan("issuer", &today.to_string());
    s.signed_on = Some(today.to_string());
    t.app.letter_sign(&com, id, s).await.unwrap();
    t.app.jobs_once(on(27)).await.unwrap();
    assert_eq!(letter_reminders(&t, id).await.len(), 4);
    // the inbox links the notification to the letter
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM notifications WHERE item_type = 'letter' AND item_id = {id} AND recipient_person_id = {leader_person}"
    ))
    .fetch_one(t.app.store.pool())
    .await
    .unwrap();
    assert_eq!(n, 1);
}

/// `zeren letters status --json`: one line per org, kind and level whose numbers are
/// those of the tables.
#[tokio::test]
async fn letters_status_counts_what_the_tables_hold() {
    let t = spawn_app().await;
    let com = actor(&t, "commission").await;
    let tpl = template(&t, &com, "conduct").await;
    let root_secretary = holder(&t, "secretary", ROOT).await;
    // every unit secretary not yet holding a conduct letter gets one
    let secs = ids(
        &t,
        &format!(
            "SELECT x.person_id FROM positions x JOIN orgs o ON o.id = x.org_id \
             WHERE x.kind = 'secretary' AND o.parent_id = ({ROOT}) AND x.person_id NOT IN \
             (SELECT signer_person_id FROM letters WHERE kind = 'conduct' AND level = 'unit' AND year = {}) ORDER BY x.person_id",
            year()
        ),
    )
    .await;
    if !secs.is_empty() {
        t.app
            .letters_issue(
                &com,
                IssueInput {
                    template_id: tpl,
                    level: "unit".into(),
                    issuer_person_id: Some(root_secretary),
                    signer_person_ids: secs.clone(),
                    sign_by: days_from_today(15),
                },
            )
            .await
            .unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_zeren");
    let out = std::process::Command::new(bin)
        .args([
            "letters",
            "status",
            "--data",
            &t.data_dir.display().to_string(),
            "--database",
            &t.db_url,
            "--year",
            &year().to_string(),
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = lines.as_array().unwrap();
    assert!(!lines.is_empty());
    let mut total = 0;
    for l in lines {
        let (org, kind, level) = (
            l["org_id"].as_i64().unwrap(),
            l["kind"].as_str().unwrap(),
            l["level"].as_str().unwrap(),
        );
        let col = if level == "department" {
            "issuer_org_id"
        } else {
            "org_id"
        };
        let cond = format!(
            "FROM letters WHERE year = {} AND kind = '{kind}' AND level = '{level}' AND {col} = {org}",
            year()
        );
        assert_eq!(
            l["issued"].as_i64(),
            Some(t.count(&format!("SELECT COUNT(*) {cond}")).await)
        );
        assert_eq!(
            l["signed"].as_i64(),
            Some(t.count(&format!("SELECT COUNT(*) {cond} AND id IN (SELECT letter_id FROM letter_signatures GROUP BY letter_id HAVING COUNT(*) = 2)")).await)
        );
        assert_eq!(
            l["partial"].as_i64(),
            Some(t.count(&format!("SELECT COUNT(*) {cond} AND id IN (SELECT letter_id FROM letter_signatures GROUP BY letter_id HAVING COUNT(*) = 1)")).await)
        );
        total += l["issued"].as_i64().unwrap();
    }
    assert_eq!(
        total,
        t.count(&format!(
            "SELECT COUNT(*) FROM letters WHERE year = {}",
            year()
        ))
        .await
    );
    let text = std::process::Command::new(bin)
        .args([
            "letters",
            "status",
            "--data",
            &t.data_dir.display().to_string(),
            "--database",
            &t.db_url,
            "--year",
            &year().to_string(),
        ])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&text.stdout);
    assert!(s.contains("行风建设责任书") && s.contains("已签订"), "{s}");
    // the summary keeps the one-side-signed apart from the unsigned
    let sum = |k: &str| -> i64 { lines.iter().map(|l| l[k].as_i64().unwrap()).sum() };
    let summary = String::from_utf8_lossy(&text.stderr);
    let want = format!(
        "下发 {} 份，双方已签订 {} 份，一方已签 {} 份，未签订 {} 份",
        sum("issued"),
        sum("signed"),
        sum("partial"),
        sum("unsigned")
    );
    assert!(summary.contains(&want), "{want} in {summary}");
    assert_eq!(
        sum("issued"),
        sum("signed") + sum("partial") + sum("unsigned")
    );
    // the list's filters give the same letters the columns count
    let com = t.login_api("commission").await;
    for (state, col) in [
        ("partial", "partial"),
        ("none", "unsigned"),
        ("signed", "signed"),
    ] {
        let v = t
            .get_ok(
                &com,
                &format!("/api/v1/letters?year={}&state={state}&per_page=1", year()),
            )
            .await;
        assert_eq!(v["total"].as_i64(), Some(sum(col)), "{state}");
    }
}

/// The text of every `<w:t>` of a .docx's word/document.xml, one a line.
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    for part in xml.split("<w:t").skip(1) {
        if !(part.starts_with('>') || part.starts_with(' ')) {
            continue;
        }
        let Some(open_end) = part.find('>') else {
            continue;
        };
        if part[..open_end].ends_with('/') {
            continue;
        }
        let rest = &part[open_end + 1..];
        if let Some(close) = rest.find("</w:t>") {
            out.push_str(&rest[..close]);
            out.push('\n');
        }
    }
    out
}

fn on_path(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Over HTTP: a scanned page signs both parties through the API; the Word letter
/// holds the parties, every duty the letter links and both signature blocks, and
/// (where LibreOffice is installed; required with `ZEREN_TEST_LIBREOFFICE=1`) opens
/// and converts to PDF; the team member confirms their own letter on its page.
#[tokio::test]
async fn the_letter_prints_with_both_signature_blocks_and_signs_over_http() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let id = t
        .count(
            "SELECT MIN(l.id) FROM letters l WHERE l.level = 'unit' AND NOT EXISTS \
             (SELECT 1 FROM letter_signatures g WHERE g.letter_id = l.id)",
        )
        .await;
    assert!(id > 0, "the demo leaves unit letters unsigned");
    let r = t
        .post(
            &com,
            &format!("/api/v1/letters/{id}/sign"),
            &serde_json::json!({"party": "both", "method": "scan",
                "signed_on": zeren_app::clock::today().to_string(),
                "files": [pdf_file("签字页.pdf")]}),
        )
        .await;
    assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.text());
    let d = t.get_ok(&com, &format!("/api/v1/letters/{id}")).await;
    assert_eq!(d["state"], "signed");
    let r = t
        .get(&com, &format!("/api/v1/letters/{id}/letter.docx"))
        .await;
    assert_eq!(r.status, reqwest::StatusCode::OK);
    let text = docx_text(&r.bytes);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for want in [
        "签字：",
        d["letter"]["issuer_name"].as_str().unwrap(),
        d["letter"]["signer_name"].as_str().unwrap(),
        d["template"]["title"].as_str().unwrap(),
        "上传签字扫描件",
    ] {
        assert!(flat.contains(want), "{want} in {flat}");
    }
    let titles: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT t.title FROM letter_duties d JOIN tasks t ON t.id = d.task_id WHERE d.letter_id = {id}"
    ))
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    assert!(!titles.is_empty());
    for (title,) in &titles {
        let title: String = title.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(&title), "duty {title}");
    }
    // LibreOffice opens it
    let required = std::env::var("ZEREN_TEST_LIBREOFFICE").is_ok_and(|v| v == "1");
    match on_path("soffice").or_else(|| on_path("libreoffice")) {
        None => assert!(
            !required,
            "ZEREN_TEST_LIBREOFFICE=1 but soffice is not on PATH"
        ),
        Some(soffice) => {
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("zeren-it-letter-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join("letter.docx");
            std::fs::write(&file, &r.bytes).unwrap();
            let fonts = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../zeren-docx/tests/fontconfig/fonts.conf");
            let out = std::process::Command::new(&soffice)
                .arg(format!(
                    "-env:UserInstallation=file://{}",
                    dir.join("profile").display()
                ))
                .args([
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                ])
                .arg(&dir)
                .arg(&file)
                .env("FONTCONFIG_FILE", &fonts)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let pdf = std::fs::read(dir.join("letter.pdf")).unwrap();
            assert!(pdf.starts_with(b"%PDF") && pdf.len() > 1000);
            if on_path("pdftotext").is_some() {
                let o = std::process::Command::new("pdftotext")
                    .arg(dir.join("letter.pdf"))
                    .arg("-")
                    .output()
                    .unwrap();
                let text: String = String::from_utf8_lossy(&o.stdout)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let signer: String = d["letter"]["signer_name"].as_str().unwrap().into();
                assert!(
                    text.contains(&format!("签字：{signer}")) && text.contains("乙方"),
                    "{text}"
                );
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    // leader1 confirms its own letter on the page
    let leader = actor(&t, "leader1").await;
    let lid = t
        .count(&format!(
            "SELECT MIN(l.id) FROM letters l WHERE l.signer_person_id = {} AND NOT EXISTS \
             (SELECT 1 FROM letter_signatures g WHERE g.letter_id = l.id AND g.party = 'signer')",
            leader.person_id.unwrap()
        ))
        .await;
    assert!(lid > 0, "the demo leaves leader1 a letter to confirm");
    let s = t.login_page("leader1").await;
    let html = s.get(&format!("/letters/{lid}")).await.text();
    assert!(html.contains("本人确认签署"), "{html}");
    let r = s
        .post_form(
            &format!("/letters/{lid}/confirm"),
            &[("csrf", s.csrf.as_str()), ("party", "signer")],
        )
        .await;
    assert_eq!(r.status, reqwest::StatusCode::SEE_OTHER);
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM letter_signatures WHERE letter_id = {lid} AND party = 'signer' AND method = 'confirm'"
        ))
        .await,
        1
    );
    // the coverage page shows the table
    let c = t.login_page("commission").await;
    let html = c.get("/letters").await.text();
    assert!(html.contains("签订情况") && html.contains("党风廉政建设责任书"));
}
