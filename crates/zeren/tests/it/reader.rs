//! 报告审读 over HTTP: reports uploaded through the page are read and shown (score,
//! figures, flagged sentences, problems without measures, shared passages), the
//! API answers the same analyses as JSON, bad uploads get a reason instead of a
//! failure, the upload is audited, and only users who may read get in.
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::*;

fn seed(prefix: &str) -> &'static str {
    zeren_text::BUILTIN
        .iter()
        .find(|(n, _)| n.starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix}"))
        .1
}

/// Text as askama writes it into HTML.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

fn text_part(name: &str, text: &str) -> Part {
    Part::bytes(text.as_bytes().to_vec())
        .file_name(name.to_string())
        .mime_str("text/plain")
        .unwrap()
}

/// A minimal Word document: one paragraph a line.
fn docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let body: String = text
        .lines()
        .map(|l| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escaped(l)
            )
        })
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

async fn post_page(s: &PageSession, form: Form) -> Resp {
    Resp::read(
        s.client
            .post(format!("{}/reader", s.base))
            .multipart(form)
            .send()
            .await
            .expect("POST /reader"),
    )
    .await
}

async fn post_api(t: &TestApp, token: &str, body: &Value) -> Resp {
    t.post(token, "/api/v1/reader", body).await
}

fn analysis<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["analyses"]
        .as_array()
        .expect("analyses")
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("analysis of {name}"))
}

#[tokio::test]
async fn the_page_reads_two_uploaded_reports_and_compares_them() {
    let t = spawn_app().await;
    let s = t.login_page("commission").await;
    let form = s.get("/reader").await;
    assert_eq!(form.status, StatusCode::OK);
    let html = form.text();
    assert!(html.contains("href=\"/reader\""), "menu entry");
    assert!(html.contains("报告审读"));
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains("name=\"earlier\""));
    let csrf = csrf_of(&html).expect("csrf");

    let (a, b) = (seed("001_"), seed("003_"));
    // a third report lifts a paragraph of 001 word for word
    let lifted = a.lines().find(|l| l.contains("204人次")).unwrap();
    let c = format!("{b}\n{lifted}\n");
    let r = post_page(
        &s,
        Form::new()
            .text("csrf", csrf.clone())
            .part("files", text_part("001.txt", a))
            .part("files", text_part("003.txt", b))
            .part("files", text_part("抄袭.txt", &c)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();

    // the API reads the same two files against the same corpus
    let token = t.login_api("commission").await;
    let api = post_api(
        &t,
        &token,
        &json!({"files": [
            {"name": "001.txt", "text": a},
            {"name": "003.txt", "text": b},
            {"name": "抄袭.txt", "text": c},
        ]}),
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text());
    let api = api.json();
    let first = analysis(&api, "001.txt");

    // score with its explanation
    let score = first["score"].as_u64().expect("score");
    assert!(score <= 100);
    assert!(
        html.contains(&format!("<span class=\"stat-num\">{score}</span>")),
        "score {score} on the page"
    );
    let explained = first["score_explained"][0].as_str().unwrap();
    assert!(html.contains(&escaped(explained)));

    // outline and parts
    assert!(html.contains("工作成效") && html.contains("存在问题") && html.contains("下一步措施"));
    let heading = first["outline"][0]["text"].as_str().unwrap();
    assert!(
        html.contains(&escaped(heading)),
        "outline heading {heading}"
    );

    // figures: 领导班子成员累计开展调研204人次
    let f204 = first["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["number"] == 204.0 && f["unit"] == "人次")
        .expect("204 人次 read from 001");
    assert!(html.contains("<td class=\"num\">204</td><td>人次</td>"));
    assert!(html.contains(&escaped(f204["what"].as_str().unwrap())));

    // a sentence flagged vague, highlighted as such
    let vague = first["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["heading"] == false
                && !s["text"].as_str().unwrap().contains('\n')
                && s["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["kind"] == "vague")
        })
        .expect("a vague sentence in 001");
    let text = escaped(vague["text"].as_str().unwrap());
    let at = html
        .find(&format!(">{text}</span>"))
        .expect("the vague sentence as a span");
    let open = html[..at].rfind("<span class=\"").unwrap();
    assert!(html[open..at].contains("s-vague"), "{}", &html[open..at]);
    assert!(html.contains("id=\"reader-legend\""));

    // problems without measures
    let lone = first["problems_without_measures"][0]["title"]
        .as_str()
        .expect("001 has a problem without a measure");
    assert!(html.contains("有问题无措施"));
    assert!(html.contains(&escaped(lone)));

    // shared passages between the two, boilerplate apart from copying
    assert!(html.contains("id=\"reader-compare\""));
    assert!(html.contains("报告间雷同段落"));
    let pairs = api["comparison"]["pairs"].as_array().expect("pairs");
    let copied = |x: &str, y: &str| {
        pairs
            .iter()
            .find(|p| p["a_name"] == x && p["b_name"] == y)
            .map(|p| p["copied_chars"].as_u64().unwrap())
    };
    // the lifted paragraph is copying; what 001 and 003 share is boilerplate only
    assert!(copied("001.txt", "抄袭.txt").unwrap() >= 20);
    assert_eq!(copied("001.txt", "003.txt").unwrap_or(0), 0);
    assert!(html.contains("passage-copied") && html.contains("passage-boilerplate"));
    for p in pairs {
        assert!(html.contains(&format!(
            "{} ↔ {}",
            p["a_name"].as_str().unwrap(),
            p["b_name"].as_str().unwrap()
        )));
        for x in p["passages"].as_array().unwrap() {
            let class = if x["boilerplate"] == true {
                "passage-boilerplate"
            } else {
                "passage-copied"
            };
            let shown = escaped(x["text"].as_str().unwrap());
            let compared = html.find("id=\"reader-compare\"").unwrap();
            let item = if x["text"].as_str().unwrap().chars().count() > 120 {
                format!("</summary>{shown}</details></li>")
            } else {
                format!("{} 字</span> {shown}</li>", x["chars"])
            };
            let at = compared + html[compared..].find(&item).expect("passage on the page");
            let li = html[..at].rfind("<li class=\"").unwrap();
            assert!(html[li..at].contains(class), "{class}: {shown}");
        }
    }

    // nothing stored but the audit event of each reading, naming the files
    assert_eq!(
        t.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'report_read' \
             AND detail LIKE '%001.txt%' AND detail LIKE '%003.txt%'"
        )
        .await,
        2
    );

    // a bundled report picked, with the first as an earlier report: its problems return
    let sample = zeren_text::BUILTIN[1].0;
    let r = post_page(
        &s,
        Form::new()
            .text("csrf", csrf)
            .text("sample", sample)
            .part("earlier", text_part("2022年报告.txt", a)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains(&format!("<h2>{sample}")));
    assert!(html.contains("屡改屡犯") && html.contains("整改不到位"));
    assert!(html.contains("2022年报告.txt"));
    assert!(
        !html.contains("id=\"reader-compare\""),
        "one report, no comparison"
    );
}

#[tokio::test]
async fn the_api_answers_the_analyses_as_json() {
    let t = spawn_app().await;
    let token = t.login_api("unit1").await;
    let r = post_api(
        &t,
        &token,
        &json!({"files": [{"name": "001.txt", "text": seed("001_")}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let a = analysis(&v, "001.txt");
    assert_eq!(a["year"], 2023);
    assert!(a["figures"].as_array().unwrap().len() >= 10);
    assert!(a["sentences"].as_array().unwrap().len() > 20);
    assert!(v["comparison"].is_null());

    // multipart, with a bundled report picked beside the upload
    let form = Form::new()
        .text("sample", zeren_text::BUILTIN[0].0)
        .part("files", text_part("003.txt", seed("003_")));
    let r = Resp::read(
        reqwest::Client::new()
            .post(t.url("/api/v1/reader"))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["analyses"].as_array().unwrap().len(), 2);
    assert!(analysis(&v, "003.txt")["figures"].is_array());
    assert!(v["comparison"]["pairs"].is_array());

    // the same report as a Word document reads the same
    let txt = analysis(&v, "003.txt");
    let form = Form::new().part(
        "files",
        Part::bytes(docx(seed("003_"))).file_name("003.docx"),
    );
    let r = Resp::read(
        reqwest::Client::new()
            .post(t.url("/api/v1/reader"))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let doc = analysis(&v, "003.docx");
    assert_eq!(doc["title"], txt["title"]);
    assert_eq!(
        doc["figures"].as_array().unwrap().len(),
        txt["figures"].as_array().unwrap().len()
    );

    // faults are named, with 422
    let r = post_api(&t, &token, &json!({"files": []})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"].as_str().unwrap().contains("至少一份报告"));
    let r = post_api(
        &t,
        &token,
        &json!({"files": [{"name": "a.txt", "text": "hello world"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post_api(&t, &token, &json!({"samples": ["nope.txt"]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post_api(&t, &token, &json!({"files": "x"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn oversized_and_non_text_uploads_are_refused_with_a_reason() {
    let t = spawn_app_with(|c| c.max_upload_bytes = 64 * 1024).await;
    let s = t.login_page("commission").await;
    let big = seed("001_").repeat(4);
    assert!(big.len() > 64 * 1024);
    let r = post_page(
        &s,
        Form::new()
            .text("csrf", s.csrf.clone())
            .part("files", text_part("大报告.txt", &big))
            .part("files", text_part("003.txt", seed("003_"))),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("id=\"reader-error\""));
    assert!(html.contains("《大报告.txt》超过上传上限"), "{html}");
    assert!(!html.contains("reader-report"));

    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa".repeat(40);
    for (name, bytes, why) in [
        ("报告.txt", png.clone(), "不是 UTF-8 也不是 GB18030"),
        ("照片.png", png, "不是 .txt 或 .docx 文件"),
        (
            "旧版.doc",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec(),
            "旧版 Word",
        ),
        ("坏的.docx", b"PK\x03\x04broken".to_vec(), "Word"),
    ] {
        let r = post_page(
            &s,
            Form::new()
                .text("csrf", s.csrf.clone())
                .part("files", Part::bytes(bytes).file_name(name)),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let html = r.text();
        assert!(html.contains(why), "{name}: {html}");
    }
    // nothing chosen
    let r = post_page(&s, Form::new().text("csrf", s.csrf.clone())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请上传至少一份报告"));
    // a forged token reads nothing
    let r = post_page(
        &s,
        Form::new()
            .text("csrf", "forged")
            .part("files", text_part("001.txt", seed("001_"))),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_events WHERE action = 'report_read'")
            .await,
        0
    );

    // the API says the same
    let token = t.login_api("commission").await;
    let r = Resp::read(
        reqwest::Client::new()
            .post(t.url("/api/v1/reader"))
            .bearer_auth(&token)
            .multipart(Form::new().part("files", text_part("大报告.txt", &big)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"].as_str().unwrap().contains("超过上传上限"));
}

#[tokio::test]
async fn only_users_who_may_read_get_in() {
    let t = spawn_app().await;
    let anon = t.page_client();
    let r = Resp::read(anon.get(t.url("/reader")).send().await.unwrap()).await;
    assert!(r.status.is_redirection());
    assert!(r.location().starts_with("/login"), "{}", r.location());
    let r = Resp::read(
        anon.post(t.url("/reader"))
            .multipart(Form::new().part("files", text_part("001.txt", seed("001_"))))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(r.status.is_redirection());
    assert!(r.location().starts_with("/login"));
    let r = Resp::read(
        reqwest::Client::new()
            .post(t.url("/api/v1/reader"))
            .json(&json!({"files": [{"name": "001.txt", "text": seed("001_")}]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // a member sees only their own items: no reader, no menu entry
    let m = t.login_page("member1").await;
    assert!(!m.get("/").await.text().contains("href=\"/reader\""));
    assert_eq!(m.get("/reader").await.status, StatusCode::FORBIDDEN);
    let token = t.login_api("member1").await;
    let r = post_api(
        &t,
        &token,
        &json!({"files": [{"name": "001.txt", "text": seed("001_")}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
