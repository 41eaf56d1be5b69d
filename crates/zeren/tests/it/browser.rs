//! A person's path through the pages, in Debian's Chromium driven by chromedriver:
//! unit1 records a problem, adds and completes two measures with a PDF each, asks for
//! closing; the commission signs it off. Needs /usr/bin/chromedriver; skipped without
//! it unless `ZEREN_TEST_BROWSER=1`, which makes a missing driver a failure.
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::harness::*;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver in a process group of its own, with the Chromium it starts: dropping
/// it kills the whole group, so a failed test leaves no browser behind.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether to run: the driver is there, or its absence is a failure.
fn browser_wanted() -> bool {
    let required = std::env::var("ZEREN_TEST_BROWSER").is_ok_and(|v| v == "1");
    let present = Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists();
    if !present {
        assert!(
            !required,
            "ZEREN_TEST_BROWSER=1 but {CHROMEDRIVER} or {CHROMIUM} is missing"
        );
        eprintln!("skipping the browser test: {CHROMEDRIVER} or {CHROMIUM} is not installed");
    }
    present
}

/// The workspace's target directory (where cargo builds), for the screenshot.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

async fn start_browser(profile: &Path) -> (Driver, Client) {
    let port = free_port();
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let caps = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1366,768",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let mut connected = None;
    // chromedriver may accept connections a moment before it accepts sessions
    for _ in 0..20 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => {
                connected = Some(c);
                break;
            }
            Err(e) => {
                eprintln!("chromedriver session: {e}");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
    }
    (driver, connected.expect("a chromedriver session"))
}

/// Polls the page until `cond` holds on its source, or fails after 15 s.
async fn wait_until(c: &Client, what: &str, cond: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let src = c.source().await.expect("page source");
        if cond(&src) {
            return src;
        }
        if started.elapsed() > Duration::from_secs(15) {
            let main = src.find("<main").map(|i| &src[i..]).unwrap_or(&src);
            panic!(
                "timed out waiting for {what} on {}: {}",
                c.current_url().await.unwrap(),
                main.chars().take(1500).collect::<String>()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn login(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(user)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    click(c, "form[action='/login'] button[type='submit']").await;
    wait_until(c, "the workbench", |s| s.contains("<h1>工作台</h1>")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_problem_is_recorded_rectified_and_closed_in_chromium() {
    if !browser_wanted() {
        return;
    }
    let t = spawn_app().await;
    let unit1_org = t.home_org(&t.login_api("unit1").await).await["id"]
        .as_i64()
        .unwrap();
    let tmp = TempDir::new("browser");
    let profile = tmp.path().join("profile");
    let pdf = tmp.path().join("整改佐证.pdf");
    std::fs::write(&pdf, PDF).unwrap();
    let (_driver, c) = start_browser(&profile).await;
    // run the flow as a task so that a failure still ends the browser session
    let flow = tokio::spawn(flow(c.clone(), t.base.clone(), unit1_org, pdf));
    let outcome = flow.await;
    let _ = c.close().await;
    let pid = match outcome {
        Ok(pid) => pid,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };

    // what the browser did is what the database holds
    let com = t.login_api("commission").await;
    let d = t.get_ok(&com, &format!("/api/v1/problems/{pid}")).await;
    assert_eq!(d["problem"]["state"], "closed");
    assert_eq!(d["measures"].as_array().unwrap().len(), 2);
}

/// The person's path; returns the problem's id.
async fn flow(c: Client, base: String, unit1_org: i64, pdf: PathBuf) -> i64 {
    let url_of = |p: &str| format!("{base}{p}");
    login(&c, &base, "unit1").await;
    c.goto(&url_of("/problems/new")).await.unwrap();
    c.find(Locator::Id("org_id"))
        .await
        .unwrap()
        .select_by_value(&unit1_org.to_string())
        .await
        .unwrap();
    c.find(Locator::Id("source"))
        .await
        .unwrap()
        .select_by_label("自查")
        .await
        .unwrap();
    let title = "浏览器测试：党建工作台账不完整";
    c.find(Locator::Id("title"))
        .await
        .unwrap()
        .send_keys(title)
        .await
        .unwrap();
    // typing into a date input depends on the browser's locale: set the value instead
    let deadline = c.find(Locator::Id("deadline")).await.unwrap();
    c.execute(
        "arguments[0].value = arguments[1];",
        vec![
            serde_json::to_value(&deadline).unwrap(),
            json!(days_from_today(30)),
        ],
    )
    .await
    .unwrap();
    click(&c, "form[action='/problems/new'] button[type='submit']").await;
    wait_until(&c, "the new problem's page", |s| {
        s.contains("问题已登记") && s.contains(title)
    })
    .await;
    let url = c.current_url().await.unwrap();
    let pid: i64 = url
        .path()
        .strip_prefix("/problems/")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("landed on {url}"));

    for (i, m) in ["补齐2025年度党建工作台账", "建立台账月度检查制度"]
        .iter()
        .enumerate()
    {
        let input = c.find(Locator::Id("m-content")).await.unwrap();
        input.send_keys(m).await.unwrap();
        click(&c, "form[action$='/measures'] button[type='submit']").await;
        wait_until(&c, "the measure", |s| {
            s.contains(&format!("整改措施（0/{} 已完成）", i + 1))
        })
        .await;
    }

    for done in 1..=2 {
        let form = c
            .find(Locator::Css("form[action^='/measures/']"))
            .await
            .expect("a measure to complete");
        form.find(Locator::Css("input[type='file']"))
            .await
            .unwrap()
            .send_keys(pdf.to_str().unwrap())
            .await
            .unwrap();
        form.find(Locator::Css("button[type='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_until(&c, "the completed measure", |s| {
            s.contains(&format!("整改措施（{done}/2 已完成）"))
        })
        .await;
    }
    let src = c.source().await.unwrap();
    assert_eq!(
        src.matches("整改佐证.pdf").count(),
        2,
        "both files are listed"
    );

    click(
        &c,
        "form[action$='/transition'] input[value='request_close'] ~ button",
    )
    .await;
    wait_until(&c, "the request", |s| s.contains("已申请销号，等待")).await;

    click(&c, "form[action='/logout'] button").await;
    wait_until(&c, "the login page", |s| s.contains("id=\"password\"")).await;

    login(&c, &base, "commission").await;
    c.goto(&url_of(&format!("/problems/{pid}"))).await.unwrap();
    click(&c, "button[name='action'][value='approve_close']").await;
    let src = wait_until(&c, "the sign-off", |s| s.contains("该问题已销号")).await;
    assert!(src.contains("已销号"));
    let timeline = c
        .find(Locator::Css("ul.timeline"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for step in [
        "登记问题",
        "新增整改措施",
        "完成整改措施",
        "申请销号",
        "审核销号",
    ] {
        assert!(
            timeline.contains(step),
            "the timeline lacks {step}: {timeline}"
        );
    }

    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("problem-closed.png"), png).unwrap();
    pid
}
