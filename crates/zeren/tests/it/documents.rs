//! Word documents over HTTP: the 整改台账 of the problems list as filtered, a 督办单, a
//! problem's 销号单. Each is downloaded as a user would, opened as the zip it is, and
//! its word/document.xml read for what must and must not be in it; users outside the
//! scope get nothing. With LibreOffice on PATH (required when
//! `ZEREN_TEST_LIBREOFFICE=1`) the three are converted to PDF and read back.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The text of every `<w:t>` of word/document.xml, one a line (a line of a table cell
/// or a paragraph is one run, so a title is never split).
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<w:t") {
        rest = &rest[i + 4..];
        // <w:t> or <w:t xml:space="preserve">, not <w:tbl>, <w:tr>, <w:tc> …
        if !(rest.starts_with('>') || rest.starts_with(' ')) {
            continue;
        }
        let Some(open_end) = rest.find('>') else {
            break;
        };
        if rest[..open_end].ends_with('/') {
            continue;
        }
        rest = &rest[open_end + 1..];
        let Some(close) = rest.find("</w:t>") else {
            break;
        };
        out.push_str(
            &rest[..close]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        out.push('\n');
        rest = &rest[close..];
    }
    out
}

/// Table rows of word/document.xml (every table, header rows included).
fn table_rows(bytes: &[u8]) -> usize {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count()
}

/// A downloaded Word file: 200, the Word content type, an attachment; its bytes.
fn word_file(r: &Resp, what: &str) -> Vec<u8> {
    assert_eq!(r.status, StatusCode::OK, "{what}: {}", r.text());
    assert_eq!(r.header("content-type"), DOCX, "{what}");
    let cd = r.header("content-disposition");
    assert!(
        cd.starts_with("attachment;") && cd.ends_with("%2Edocx"),
        "{what}: {cd}"
    );
    assert!(r.bytes.starts_with(b"PK"), "{what} is no zip");
    r.bytes.clone()
}

fn titles(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

async fn word_exports(t: &TestApp, what: &str) -> i64 {
    t.count(&format!(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'export' AND detail LIKE '%{what}（Word）%'"
    ))
    .await
}

#[tokio::test]
async fn ledger_is_the_problems_list_as_filtered_and_scoped() {
    let t = spawn_app().await;
    let unit1 = t.login_api("unit1").await;
    let com = t.login_api("commission").await;
    let u1org = t.home_org(&unit1).await;
    let u1_id = u1org["id"].as_i64().unwrap();
    let other = t.other_unit(&com, &u1org).await;
    let other_id = other.org["id"].as_i64().unwrap();
    let mine = "集成测试：本单位登记的台账问题";
    let theirs = "集成测试：他单位登记的台账问题";
    t.create_problem(&unit1, u1_id, mine).await;
    t.create_problem(&com, other_id, theirs).await;
    let exports0 = word_exports(&t, "整改台账").await;

    // the list page offers the ledger of the list as filtered
    let s1 = t.login_page("unit1").await;
    let page = s1.get("/problems?state=closed").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let at = html
        .find("href=\"/problems/ledger.docx?")
        .expect("a Word ledger button");
    let href = &html[at..at + html[at..].find("\">").unwrap()];
    assert!(href.contains("state=closed"), "{href}");

    // everything unit1 sees, and nothing of the other unit
    let (all, total) = t.all_items(&unit1, "/api/v1/problems").await;
    assert!(total >= 5, "the demo gives unit1 problems: {total}");
    let doc = word_file(&s1.get("/problems/ledger.docx").await, "unit1 ledger");
    let text = docx_text(&doc);
    assert!(text.contains("问题整改台账"));
    assert!(text.contains("范围：本人权限范围内全部"), "{text}");
    for title in titles(&all) {
        assert!(text.contains(&title), "{title} missing from the ledger");
    }
    assert!(text.contains(mine));
    assert!(!text.contains(theirs), "another unit's problem leaked");
    assert_eq!(table_rows(&doc), 1 + total as usize, "one row per problem");

    // filtered: the closed ones only, with the state named under the title
    let (closed, n_closed) = t.all_items(&unit1, "/api/v1/problems?state=closed").await;
    assert!(n_closed >= 1, "the demo closes some of unit1's problems");
    let doc = word_file(
        &s1.get("/problems/ledger.docx?state=closed").await,
        "closed ledger",
    );
    let text = docx_text(&doc);
    assert!(text.contains("状态：已销号"), "{text}");
    let closed_titles = titles(&closed);
    for title in &closed_titles {
        assert!(text.contains(title.as_str()), "{title} missing");
    }
    // open titles are absent, except those a closed title contains (the demo repeats
    // a closed problem as "…（整改后反弹）")
    let absent: Vec<String> = titles(&all)
        .into_iter()
        .filter(|x| !closed_titles.iter().any(|c| c.contains(x.as_str())))
        .collect();
    assert!(absent.len() >= 3, "open problems to look for: {absent:?}");
    for title in &absent {
        assert!(
            !text.contains(title.as_str()),
            "{title} is outside the filter"
        );
    }
    assert_eq!(table_rows(&doc), 1 + n_closed as usize);
    // measures are listed with their owners and states
    assert!(text.contains("1."), "numbered measures");
    assert!(text.contains("，已完成）"), "{text}");

    // the commission sees both, by keyword
    let sc = t.login_page("commission").await;
    let doc = word_file(
        &sc.get("/problems/ledger.docx?q=%E9%9B%86%E6%88%90%E6%B5%8B%E8%AF%95")
            .await,
        "keyword ledger",
    );
    let text = docx_text(&doc);
    assert!(text.contains(mine) && text.contains(theirs));
    assert!(text.contains("关键词：集成测试"));
    let n_kw = t.total(&com, "/api/v1/problems?q=集成测试").await;
    assert_eq!(table_rows(&doc), 1 + n_kw as usize);

    // an org outside unit1's scope is not found, and writes no export
    let r = s1
        .get(&format!("/problems/ledger.docx?org={other_id}"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(word_exports(&t, "整改台账").await, exports0 + 3);

    // no session: the login page, no document
    let r = Resp::read(
        t.page_client()
            .get(t.url("/problems/ledger.docx"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(r.status.is_redirection(), "{}", r.status);
    assert!(r.location().starts_with("/login"), "{}", r.location());
}

#[tokio::test]
async fn ledger_above_the_cap_asks_to_filter() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let root = t.home_org(&com).await;
    let (id, path) = (root["id"].as_i64().unwrap(), root["path"].as_str().unwrap());
    sqlx::query(&format!(
        "INSERT INTO problems (org_id, org_path, issuing_org_id, source, title, description, category, found_on, deadline, state, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5001)
         SELECT {id}, '{path}', {id}, 'self_check', '容量测试问题' || i, '', '', '2026-01-01', '2026-12-31', 'open', 0, 0 FROM n"
    ))
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let sc = t.login_page("commission").await;
    let q = "/problems/ledger.docx?q=%E5%AE%B9%E9%87%8F%E6%B5%8B%E8%AF%95";
    let r = sc.get(q).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let text = r.text();
    assert!(
        text.contains("5001") && text.contains("5000") && text.contains("筛选"),
        "{text}"
    );
    // one fewer fits
    sqlx::query("DELETE FROM problems WHERE title = '容量测试问题5001'")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    let started = Instant::now();
    let doc = word_file(&sc.get(q).await, "5,000 problems");
    eprintln!(
        "a ledger of 5,000 problems: {:.1} s, {} KB",
        started.elapsed().as_secs_f64(),
        doc.len() / 1024
    );
    assert_eq!(table_rows(&doc), 5001);
}

/// A notice from the commission to unit1 pressing one overdue task, answered with a
/// piece of evidence; its id, code and task title.
async fn answered_notice(t: &TestApp, com: &str, unit1: &str) -> (i64, String, String) {
    let u1_id = t.home_org(unit1).await["id"].as_i64().unwrap();
    let task_title = "集成测试：逾期未报的专项检查";
    let r = t
        .post(
            com,
            "/api/v1/tasks",
            &json!({"org_id": u1_id, "title": task_title, "content": "集成测试", "deadline": days_from_today(-3)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let task = r.json()["id"].as_i64().unwrap();
    let r = t
        .post(
            com,
            "/api/v1/notices",
            &json!({
                "org_id": u1_id,
                "title": "关于专项检查逾期未报的督办通知",
                "body": "请于答复期限前报告逾期原因和整改措施。",
                "answer_due": days_from_today(7),
                "items": [{"item_type": "task", "item_id": task}],
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let r = t
        .post(
            unit1,
            &format!("/api/v1/notices/{id}/answer"),
            &json!({"answer": "已召开专题会议部署整改。", "files": [pdf_file("督办答复-会议纪要.pdf")]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "answer: {}", r.text());
    let code = t.get_ok(com, &format!("/api/v1/notices/{id}")).await["notice"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    (id, code, task_title.to_string())
}

#[tokio::test]
async fn notice_document_for_those_who_see_the_notice() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let unit1 = t.login_api("unit1").await;
    let (id, code, task_title) = answered_notice(&t, &com, &unit1).await;
    let d = t.get_ok(&com, &format!("/api/v1/notices/{id}")).await;
    let exports0 = word_exports(&t, "督办单").await;

    let sc = t.login_page("commission").await;
    let page = sc.get(&format!("/notices/{id}")).await;
    assert!(page
        .text()
        .contains(&format!("href=\"/notices/{id}/notice.docx\"")));
    for who in ["commission", "unit1"] {
        let s = t.login_page(who).await;
        let doc = word_file(&s.get(&format!("/notices/{id}/notice.docx")).await, who);
        let text = docx_text(&doc);
        for part in [
            "督办通知单",
            &format!("编号：{code}"),
            "关于专项检查逾期未报的督办通知",
            "请于答复期限前报告逾期原因和整改措施。",
            task_title.as_str(),
            &days_from_today(-3),
            d["org_name"].as_str().unwrap(),
            d["issuing_org_name"].as_str().unwrap(),
            "已召开专题会议部署整改。",
            "督办答复-会议纪要.pdf",
        ] {
            assert!(text.contains(part), "{who}: {part} missing:\n{text}");
        }
    }
    assert_eq!(word_exports(&t, "督办单").await, exports0 + 2);

    // a branch of unit1 and a member do not see the notice: not found, as the page
    for who in ["branch1", "member1"] {
        let s = t.login_page(who).await;
        assert_eq!(
            s.get(&format!("/notices/{id}")).await.status,
            StatusCode::NOT_FOUND,
            "{who} page"
        );
        let r = s.get(&format!("/notices/{id}/notice.docx")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}");
        assert!(!r.bytes.starts_with(b"PK"));
    }
    assert_eq!(word_exports(&t, "督办单").await, exports0 + 2);
}

/// A problem in unit1 with two measures completed with named evidence and put up for
/// closing by unit1; its id.
async fn problem_up_for_closing(t: &TestApp, unit1: &str) -> i64 {
    let org = t.home_org(unit1).await["id"].as_i64().unwrap();
    let pid = t
        .create_problem(unit1, org, "集成测试：销号单里的问题")
        .await;
    for (content, file) in [
        ("修订会议制度并印发执行", "制度修订-印发通知.pdf"),
        ("组织专题学习并检查学习记录", "专题学习-签到表.pdf"),
    ] {
        let m = t.add_measure(unit1, pid, content).await;
        let r = t
            .post(
                unit1,
                &format!("/api/v1/measures/{m}/complete"),
                &json!({"note": "已完成", "files": [pdf_file(file)]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let r = t
        .post(
            unit1,
            &format!("/api/v1/problems/{pid}/transition"),
            &json!({"action": "request_close"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    pid
}

#[tokio::test]
async fn closure_record_lists_measures_evidence_and_sign_off() {
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let unit1 = t.login_api("unit1").await;
    let pid = problem_up_for_closing(&t, &unit1).await;
    let exports0 = word_exports(&t, "销号单").await;
    let s1 = t.login_page("unit1").await;
    let page = s1.get(&format!("/problems/{pid}")).await;
    assert!(page
        .text()
        .contains(&format!("href=\"/problems/{pid}/closure.docx\"")));

    // put up for closing, not signed off: a progress sheet saying so
    let doc = word_file(
        &s1.get(&format!("/problems/{pid}/closure.docx")).await,
        "pending",
    );
    let text = docx_text(&doc);
    for part in [
        "问题整改销号单",
        &format!("编号：P-{pid}"),
        "集成测试：销号单里的问题",
        "修订会议制度并印发执行",
        "组织专题学习并检查学习记录",
        "制度修订-印发通知.pdf",
        "专题学习-签到表.pdf",
        "措施1",
        "措施2",
        "待审核",
        "未销号（已申请销号，待审核）",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    assert!(!text.contains("已销号（"), "{text}");

    let r = t
        .post(
            &com,
            &format!("/api/v1/problems/{pid}/transition"),
            &json!({"action": "approve_close"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let d = t.get_ok(&unit1, &format!("/api/v1/problems/{pid}")).await;
    let history = d["history"].as_array().unwrap();
    let signed = history
        .iter()
        .rev()
        .find(|h| h["action"] == "审核销号")
        .expect("the sign-off in the history");
    let reviewer = signed["actor_name"].as_str().unwrap();
    let requester = history.iter().find(|h| h["action"] == "申请销号").unwrap()["actor_name"]
        .as_str()
        .unwrap();
    let uploaded = d["measures"][0]["evidence"][0]["uploaded_at"]
        .as_i64()
        .unwrap();

    let doc = word_file(
        &s1.get(&format!("/problems/{pid}/closure.docx")).await,
        "closed",
    );
    let text = docx_text(&doc);
    for part in [
        "同意销号",
        reviewer,
        requester,
        "已销号（",
        zeren_app::clock::fmt_instant(uploaded).as_str(),
        "制度修订-印发通知.pdf",
        d["org_name"].as_str().unwrap(),
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    assert!(!text.contains("未销号"));

    // outside the scope: another unit's problem for unit1, unit1's problem for a
    // branch of unit1
    let other = t
        .other_unit(&com, &t.home_org(&unit1).await)
        .await
        .problem_ids[0];
    let r = s1.get(&format!("/problems/{other}/closure.docx")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let b1 = t.login_page("branch1").await;
    let r = b1.get(&format!("/problems/{pid}/closure.docx")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(word_exports(&t, "销号单").await, exports0 + 2);
}

fn required() -> bool {
    std::env::var("ZEREN_TEST_LIBREOFFICE").is_ok_and(|v| v == "1")
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Runs a command to completion within `limit`, returning its stdout.
fn run(cmd: &mut Command, limit: Duration) -> String {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start command");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("output");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn documents_convert_to_pdf_with_libreoffice() {
    let Some(soffice) = on_path("soffice").or_else(|| on_path("libreoffice")) else {
        assert!(
            !required(),
            "ZEREN_TEST_LIBREOFFICE=1 but neither soffice nor libreoffice is on PATH"
        );
        eprintln!("note: LibreOffice not found; .docx to PDF check skipped");
        return;
    };
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let unit1 = t.login_api("unit1").await;
    let (nid, code, _) = answered_notice(&t, &com, &unit1).await;
    let pid = problem_up_for_closing(&t, &unit1).await;
    let s1 = t.login_page("unit1").await;
    let duty = t
        .count(
            "SELECT r.id FROM duty_reports r JOIN orgs o ON o.id = r.org_id \
             WHERE o.name = '市第一人民医院党委' ORDER BY r.id LIMIT 1",
        )
        .await;
    let files = [
        ("ledger", s1.get("/problems/ledger.docx").await),
        (
            "duty",
            s1.get(&format!("/duty-reports/{duty}/report.docx")).await,
        ),
        (
            "notice",
            s1.get(&format!("/notices/{nid}/notice.docx")).await,
        ),
        (
            "closure",
            s1.get(&format!("/problems/{pid}/closure.docx")).await,
        ),
    ];
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zeren-it-documents");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut docx = Vec::new();
    for (name, r) in &files {
        let p = dir.join(format!("{name}.docx"));
        std::fs::write(&p, word_file(r, name)).unwrap();
        docx.push(p);
    }
    // a profile of its own, so a LibreOffice already running does not take the job;
    // the 公文 fonts' stand-ins of the docx crate's tests
    let profile = dir.join("profile");
    let fonts =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../zeren-docx/tests/fontconfig/fonts.conf");
    run(
        Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(&dir)
            .args(&docx)
            .env("FONTCONFIG_FILE", &fonts),
        Duration::from_secs(240),
    );
    let poppler = on_path("pdfinfo").is_some() && on_path("pdftotext").is_some();
    assert!(
        poppler || !required(),
        "ZEREN_TEST_LIBREOFFICE=1 but pdfinfo/pdftotext (poppler-utils) are not on PATH"
    );
    for (name, must) in [
        (
            "ledger",
            vec![
                "问题整改台账",
                "序号存在问题整改措施责任主体完成时限整改进度",
            ],
        ),
        (
            "notice",
            vec!["督办通知单", code.as_str(), "附件：督办事项清单"],
        ),
        (
            "closure",
            vec!["问题整改销号单", "佐证材料清单", "专题学习-签到表.pdf"],
        ),
        (
            "duty",
            vec![
                "抓基层党建工作述职报告",
                "一、履行抓基层党建第一责任人职责情况",
                "本年度召开党委会",
                "述职人：",
            ],
        ),
    ] {
        let pdf = dir.join(format!("{name}.pdf"));
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
        assert!(bytes.starts_with(b"%PDF") && bytes.len() > 1000, "{name}");
        if !poppler {
            continue;
        }
        let text: String = run(
            Command::new("pdftotext").arg(&pdf).arg("-"),
            Duration::from_secs(30),
        )
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
        for m in must {
            let m: String = m.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(text.contains(&m), "{name}.pdf lacks {m}: {text}");
        }
        // a duty report's figures are filled from the records, never left as tokens
        if name == "duty" {
            assert!(!text.contains('〔'), "an unfilled figure: {text}");
        }
        if name == "notice" {
            // the notice is one page; its items follow as an attachment
            let first: String = run(
                Command::new("pdftotext")
                    .args(["-f", "1", "-l", "1"])
                    .arg(&pdf)
                    .arg("-"),
                Duration::from_secs(30),
            )
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
            let today = zeren_app::documents::chinese_date(&days_from_today(0));
            for m in ["督办事项", "附件：督办事项清单", today.as_str(), "—1—"] {
                assert!(first.contains(m), "page 1 of the notice lacks {m}: {first}");
            }
            assert!(!first.contains("集成测试：逾期未报的专项检查"), "{first}");
        }
        let info = run(Command::new("pdfinfo").arg(&pdf), Duration::from_secs(30));
        // the ledger is landscape A4, the two forms portrait A4
        let size = info
            .lines()
            .find(|l| l.starts_with("Page size:"))
            .unwrap_or_default()
            .to_string();
        let dims: Vec<f64> = size
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        assert!(dims.len() >= 2, "{size}");
        let landscape = dims[0] > dims[1];
        assert_eq!(landscape, name == "ledger", "{name}: {size}");
    }
    eprintln!("PDFs in {}", dir.display());
}

/// Every list's Excel export opens in LibreOffice Calc: each sheet, downloaded as the
/// commission's office would, is converted to CSV by `soffice`, and the CSV holds the
/// sheet's title, its header row and one line per record the list counts.
#[tokio::test]
async fn every_list_export_opens_in_libreoffice() {
    let Some(soffice) = on_path("soffice").or_else(|| on_path("libreoffice")) else {
        assert!(
            !required(),
            "ZEREN_TEST_LIBREOFFICE=1 but neither soffice nor libreoffice is on PATH"
        );
        eprintln!("note: LibreOffice not found; .xlsx check skipped");
        return;
    };
    let t = spawn_app().await;
    let com = t.login_api("commission").await;
    let page = t.login_page("commission").await;
    // (file, export route, list route counting its rows or "", title, a header)
    let sheets = [
        (
            "problems",
            "/problems/export.xlsx",
            "/api/v1/problems",
            "问题整改台账",
            "问题描述",
        ),
        (
            "tasks",
            "/tasks/export.xlsx",
            "/api/v1/tasks",
            "责任清单",
            "完成期限",
        ),
        (
            "activities",
            "/activities/export.xlsx",
            "",
            "组织生活记录",
            "会议类型",
        ),
        (
            "people",
            "/people/export.xlsx",
            "/api/v1/people",
            "人员及党员名册",
            "政治面貌",
        ),
        ("orgs", "/orgs/export.xlsx", "", "党组织", "上级组织"),
        (
            "notices",
            "/notices/export.xlsx",
            "/api/v1/notices",
            "督办单",
            "督办单编号",
        ),
        (
            "accountability",
            "/accountability/export.xlsx",
            "/api/v1/accountability",
            "问责情况",
            "问责方式",
        ),
        (
            "compliance",
            "/compliance/export.xlsx",
            "",
            "年度合规检查",
            "规定",
        ),
        (
            "risk_points",
            "/risk-points/export.xlsx",
            "",
            "廉政风险点台账",
            "风险等级",
        ),
    ];
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zeren-it-sheets");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    let mut rows = Vec::new();
    for (name, route, _, _, _) in &sheets {
        let r = page.get(route).await;
        assert_eq!(r.status, StatusCode::OK, "{route}: {}", r.text());
        let p = dir.join(format!("{name}.xlsx"));
        std::fs::write(&p, &r.bytes).unwrap();
        files.push(p);
        rows.push(xlsx_rows_and_strings(&r.bytes).0);
    }
    let profile = dir.join("profile");
    run(
        Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            // CSV filter options: comma, double quote, UTF-8 (76)
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
            ])
            .arg(&dir)
            .args(&files),
        Duration::from_secs(300),
    );
    for ((name, route, list, title, header), n) in sheets.iter().zip(rows) {
        let csv = std::fs::read_to_string(dir.join(format!("{name}.csv")))
            .unwrap_or_else(|e| panic!("{name}.csv (from {route}): {e}"));
        assert!(csv.contains(title), "{name}: title {title} in {csv:.300}");
        assert!(csv.contains(header), "{name}: header {header}");
        // the title row, the header row, then the records (a cell may hold line breaks)
        let records = csv
            .lines()
            .filter(|l| !l.trim_matches(',').is_empty())
            .count();
        assert!(records >= n + 2, "{name}: {records} lines for {n} rows");
        if !list.is_empty() {
            let total = t.total(&com, list).await;
            assert_eq!(n as i64, total, "{name}: one row per record of {list}");
        }
    }
}
