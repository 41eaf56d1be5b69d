//! The test harness: every test boots the real application in-process on a free port,
//! with a fresh data directory and a fresh database (SQLite, or a newly created
//! PostgreSQL database when `ZEREN_TEST_PG` names a server) holding the small demo.
//! The demo is loaded once per test process and copied for each test (see
//! `spawn_app_with`); nothing mutable is shared between tests.
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::Executor;
use zeren_app::{App, AppConfig};

/// The password of every demo account in the tests.
pub const PASSWORD: &str = "Demo-Pass-2026!";
/// The unit `unit1` works for (see README: demo accounts).
pub const UNIT1_ORG: &str = "市第一人民医院党委";

/// A tiny but real PDF (the upload check sniffs the `%PDF` magic).
pub const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The same application the server runs (shares its pool), for looking at the
    /// database directly.
    pub app: App,
    pub db: Db,
    /// The database URL, for opening a second application on the same database.
    pub db_url: String,
    pub data_dir: PathBuf,
    /// A client that follows no redirects, keeps no cookies: for the API.
    pub api: Client,
    pg_drop: Option<(String, String)>,
    server: tokio::task::JoinHandle<()>,
}

/// A fresh temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

fn fresh_dir(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!(
        "zeren-it-{tag}-{}-{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&p).expect("create temp dir");
    p
}

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        TempDir(fresh_dir(tag))
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn pg_url() -> Option<String> {
    std::env::var("ZEREN_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Boots the app with the default configuration.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Boots the app with a configuration adjusted by `tweak` (short session expiry…).
///
/// The small demo is loaded once per test process into a template (a data directory,
/// and on PostgreSQL a template database); each test then gets its own copy of it —
/// a copied directory, or `CREATE DATABASE … TEMPLATE …` — which takes a fraction of
/// the time a load does. Tests never share a database.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut AppConfig)) -> TestApp {
    let tpl = template();
    // removed when the TestApp drops
    let data_dir = fresh_dir("app");
    copy_dir(&tpl.dir, &data_dir);
    let mut cfg = AppConfig::new(data_dir.clone());
    tweak(&mut cfg);
    let (url, db, pg_drop) = match (&tpl.pg, pg_url()) {
        (Some(template_db), Some(admin)) => {
            let (url, name) = fresh_pg_database(&admin, Some(template_db)).await;
            (url, Db::Postgres, Some((admin, name)))
        }
        _ => (
            format!("sqlite://{}", data_dir.join("zeren.db").display()),
            Db::Sqlite,
            None,
        ),
    };
    let app = App::open(&url, cfg).await.expect("open app");
    let db_url = url.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = app.clone();
    let server = tokio::spawn(async move {
        zeren_web::serve(listener, served, false)
            .await
            .expect("server")
    });
    let api = Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    TestApp {
        base,
        app,
        db,
        db_url,
        data_dir,
        api,
        pg_drop,
        server,
    }
}

/// The demo, loaded once: its data directory (evidence files, and the SQLite file) and,
/// on PostgreSQL, its template database.
struct Template {
    dir: PathBuf,
    pg: Option<String>,
}

static TEMPLATE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();

fn template() -> &'static Template {
    // Tests run on runtimes of their own: build on a thread with its own runtime, so
    // that the pool is not tied to the runtime of whichever test came first.
    TEMPLATE.get_or_init(|| {
        std::thread::spawn(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap()
                .block_on(build_template())
        })
        .join()
        .expect("building the demo template")
    })
}

async fn build_template() -> Template {
    let pid = std::process::id();
    remove_stale_templates().await;
    let dir = std::env::temp_dir().join(format!("zeren-it-template-{pid}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (url, pg) = match pg_url() {
        Some(admin) => {
            let name = format!("zeren_it_tmpl_{pid}");
            let mut c = admin_conn(&admin).await;
            c.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .unwrap();
            let (url, name) = create_database(&admin, &mut c, &name, None).await;
            (url, Some(name))
        }
        None => (format!("sqlite://{}", dir.join("zeren.db").display()), None),
    };
    let started = std::time::Instant::now();
    let app = App::open(&url, AppConfig::new(dir.clone()))
        .await
        .expect("open the template");
    zeren_demo::load(&app, zeren_demo::Scale::Small, 2026, PASSWORD)
        .await
        .expect("load the small demo");
    enrol_two_factor_accounts(&app).await;
    eprintln!(
        "harness: small demo loaded in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // closing the last connection checkpoints SQLite's WAL into the file; a
    // PostgreSQL template must have no connections when it is copied
    app.store.close().await;
    Template { dir, pg }
}

/// The TOTP secret (base32) the template gives every demo account whose roles need
/// two-factor login (administrators, discipline, 组织部门), as if each had enrolled; the login
/// helpers compute codes from it. Enrolment itself is tested in `security.rs`.
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

async fn enrol_two_factor_accounts(app: &App) {
    let roles: Vec<String> = zeren_core::Role::ALL
        .iter()
        .filter(|r| r.requires_two_factor())
        .map(|r| format!("'{}'", r.as_str()))
        .collect();
    // sealed as enrolment seals it (the copies share the template's key file)
    let sealed = zeren_app::crypto::CryptoProvider::seal(
        &*app.crypto(),
        zeren_app::auth::TOTP_FIELD,
        TOTP_SECRET,
    )
    .expect("seal the TOTP secret");
    sqlx::query(&format!(
        "UPDATE users SET totp_secret = $1 WHERE id IN \
         (SELECT user_id FROM user_roles WHERE role IN ({}))",
        roles.join(", ")
    ))
    .bind(sealed)
    .execute(app.store.pool())
    .await
    .expect("enrol two-factor accounts");
}

/// Templates left by test processes that are gone (killed before they could clean up).
async fn remove_stale_templates() {
    let alive = |pid: &str| Path::new("/proc").join(pid).exists();
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(pid) = name.strip_prefix("zeren-it-template-") {
                if !alive(pid) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
    if let Some(admin) = pg_url() {
        let mut c = admin_conn(&admin).await;
        let names: Vec<(String,)> = sqlx::query_as(
            "SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE 'zeren\\_it\\_tmpl\\_%'",
        )
        .fetch_all(&mut c)
        .await
        .unwrap_or_default();
        for (name,) in names {
            if !alive(name.trim_start_matches("zeren_it_tmpl_")) {
                let _ = c
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            match std::fs::copy(e.path(), &target) {
                Ok(_) => {}
                // SQLite may still be removing its -wal/-shm files after the template's
                // pool closed: a file gone between listing and copying is not needed
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => panic!("copy {}: {err}", e.path().display()),
            }
        }
    }
}

async fn admin_conn(admin_url: &str) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url)
        .await
        .expect("connect to ZEREN_TEST_PG")
}

/// `CREATE DATABASE zeren_it_<random>` (a copy of `template` if given) on the server,
/// and the URL that names it.
async fn fresh_pg_database(admin_url: &str, template: Option<&str>) -> (String, String) {
    let name = format!("zeren_it_{:016x}", rand::random::<u64>());
    let mut admin = admin_conn(admin_url).await;
    create_database(admin_url, &mut admin, &name, template).await
}

async fn create_database(
    admin_url: &str,
    admin: &mut sqlx::AnyConnection,
    name: &str,
    template: Option<&str>,
) -> (String, String) {
    let sql = match template {
        Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
        None => format!("CREATE DATABASE {name}"),
    };
    // copies of one template may be made at once; PostgreSQL can still refuse one
    // while another holds the template, so try again briefly
    let mut tries = 0;
    loop {
        match admin.execute(sql.as_str()).await {
            Ok(_) => break,
            Err(e) if tries < 50 && e.to_string().contains("being accessed by other users") => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("{sql}: {e}"),
        }
    }
    let mut u = url::Url::parse(admin_url).expect("ZEREN_TEST_PG is a URL");
    u.set_path(&format!("/{name}"));
    (u.to_string(), name.to_string())
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some((admin, name)) = self.pg_drop.take() {
            // Dropping happens inside the test's runtime: do the async work on a thread
            // of its own. FORCE ends the server's still open connections.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut c) =
                        <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await
                    {
                        let _ = c
                            .execute(
                                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str(),
                            )
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// An answer, read whole.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub async fn read(r: reqwest::Response) -> Resp {
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.expect("read body").to_vec();
        Resp {
            status,
            headers,
            bytes,
        }
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}), status {}: {}",
                self.status,
                self.text().chars().take(500).collect::<String>()
            )
        })
    }
    pub fn location(&self) -> String {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

/// A browser-like session of the pages: keeps cookies, follows no redirects.
pub struct PageSession {
    pub client: Client,
    pub csrf: String,
    pub base: String,
}

impl PageSession {
    pub async fn get(&self, path: &str) -> Resp {
        Resp::read(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .expect("GET"),
        )
        .await
    }
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        Resp::read(
            self.client
                .post(format!("{}{path}", self.base))
                .form(form)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }
}

/// The value of the first `<input type="hidden" name="csrf" value="…">` of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let key = "name=\"csrf\" value=\"";
    let start = html.find(key)? + key.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// The TOTP secret an enrol page shows (`<code class="secret">`), spaces removed.
pub fn secret_of(html: &str) -> Option<String> {
    let key = "<code class=\"secret\">";
    let start = html.find(key)? + key.len();
    let end = html[start..].find('<')?;
    Some(html[start..start + end].replace(' ', ""))
}

/// The ids linked as `href="{prefix}{id}"` in a page.
pub fn linked_ids(html: &str, prefix: &str) -> Vec<i64> {
    let key = format!("href=\"{prefix}");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&key) {
        rest = &rest[i + key.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() && rest[digits.len()..].starts_with('"') {
            out.push(digits.parse().unwrap());
        }
    }
    out
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in through the API and returns the bearer token.
    pub async fn login_api(&self, user: &str) -> String {
        let r = self.try_login_api(user, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "API login of {user}: {}",
            r.text()
        );
        r.json()["token"]
            .as_str()
            .expect("token in the login answer")
            .to_string()
    }

    pub async fn try_login_api(&self, user: &str, password: &str) -> Resp {
        let mut body = json!({"username": user, "password": password});
        if let Some(code) = self.totp_code(user).await {
            body["totp"] = json!(code);
        }
        let r = Resp::read(
            self.api
                .post(self.url("/api/v1/session"))
                .json(&body)
                .send()
                .await
                .expect("POST /api/v1/session"),
        )
        .await;
        if r.status == StatusCode::FORBIDDEN && r.text().contains("修改密码") {
            // an account whose password the security administrator set: tests that are
            // not about the password rules take it as changed (`security.rs` walks the
            // real change)
            self.password_changed(user).await;
            return Box::pin(self.try_login_api(user, password)).await;
        }
        r
    }

    /// The current TOTP code of an account with two-factor login (its last used
    /// step forgotten, so that a test may log the same account in twice within
    /// 30 seconds); `None` for other accounts.
    pub async fn totp_code(&self, user: &str) -> Option<String> {
        let secret: Option<(Option<String>,)> =
            sqlx::query_as("SELECT totp_secret FROM users WHERE username = $1")
                .bind(user)
                .fetch_optional(self.app.store.pool())
                .await
                .expect("read totp secret");
        let secret = secret.and_then(|s| s.0)?;
        let secret = zeren_app::crypto::CryptoProvider::open(
            &*self.app.crypto(),
            zeren_app::auth::TOTP_FIELD,
            &secret,
        )
        .expect("a sealed TOTP secret");
        sqlx::query("UPDATE users SET totp_last_step = 0 WHERE username = $1")
            .bind(user)
            .execute(self.app.store.pool())
            .await
            .expect("reset totp step");
        let key = zeren_app::totp::base32_decode(&secret).expect("base32 secret");
        Some(zeren_app::totp::code_at(&key, self.app.cfg.clock.now()))
    }

    /// Marks an account's password as just changed.
    pub async fn password_changed(&self, user: &str) {
        sqlx::query("UPDATE users SET password_changed_at = $1 WHERE username = $2")
            .bind(self.app.cfg.clock.now())
            .bind(user)
            .execute(self.app.store.pool())
            .await
            .expect("password changed");
    }

    /// A fresh cookie-keeping client that follows no redirects, like a browser tab
    /// whose every hop the test sees.
    pub fn page_client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap()
    }

    /// One pass through the login form: GET /login for the form's token, POST it.
    pub async fn page_login_attempt(&self, client: &Client, user: &str, password: &str) -> Resp {
        let form = Resp::read(client.get(self.url("/login")).send().await.unwrap()).await;
        assert_eq!(form.status, StatusCode::OK);
        let login_csrf = csrf_of(&form.text()).expect("csrf field on the login form");
        Resp::read(
            client
                .post(self.url("/login"))
                .form(&[
                    ("username", user),
                    ("password", password),
                    ("csrf", login_csrf.as_str()),
                    ("next", "/"),
                ])
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Logs in through the login form as a browser would, then reads the session's
    /// CSRF token from the logout form of the page it lands on.
    pub async fn login_page(&self, user: &str) -> PageSession {
        let client = self.page_client();
        let mut r = self.page_login_attempt(&client, user, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "page login of {user}: {}",
            r.text()
        );
        if r.location() == "/login/password" {
            // as in `try_login_api`: the password counts as changed
            self.password_changed(user).await;
            return Box::pin(self.login_page(user)).await;
        }
        if r.location() == "/login/totp" || r.location() == "/login/enrol" {
            r = self.pass_second_factor(&client, user, &r.location()).await;
        }
        assert_eq!(r.location(), "/");
        // administrators are sent on from "/" to their own page
        let mut path = "/".to_string();
        let mut page = Resp::read(client.get(self.url(&path)).send().await.unwrap()).await;
        for _ in 0..3 {
            if !page.status.is_redirection() {
                break;
            }
            path = page.location();
            page = Resp::read(client.get(self.url(&path)).send().await.unwrap()).await;
        }
        assert_eq!(page.status, StatusCode::OK, "{user} landing page {path}");
        let csrf = csrf_of(&page.text()).expect("session csrf in the logout form");
        PageSession {
            client,
            csrf,
            base: self.base.clone(),
        }
    }

    /// The second step of a page login: the code (enrolling first with the secret
    /// the page shows, if the account has none yet). Returns the step's answer.
    pub async fn pass_second_factor(&self, client: &Client, user: &str, step: &str) -> Resp {
        let page = Resp::read(client.get(self.url(step)).send().await.unwrap()).await;
        assert_eq!(page.status, StatusCode::OK, "{step}: {}", page.text());
        let html = page.text();
        let csrf = csrf_of(&html).expect("csrf of the login step");
        let code = if step == "/login/enrol" {
            let secret = secret_of(&html).expect("the secret on the enrol page");
            let key = zeren_app::totp::base32_decode(&secret).expect("base32 secret");
            zeren_app::totp::code_at(&key, self.app.cfg.clock.now())
        } else {
            self.totp_code(user)
                .await
                .expect("a secret for the TOTP step")
        };
        Resp::read(
            client
                .post(self.url(step))
                .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn get(&self, token: &str, path: &str) -> Resp {
        Resp::read(
            self.api
                .get(self.url(path))
                .bearer_auth(token)
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Resp {
        Resp::read(
            self.api
                .post(self.url(path))
                .bearer_auth(token)
                .json(body)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// GET that must answer 200 with JSON.
    pub async fn get_ok(&self, token: &str, path: &str) -> Value {
        let r = self.get(token, path).await;
        assert_eq!(r.status, StatusCode::OK, "GET {path}: {}", r.text());
        r.json()
    }

    /// Every item of a paged API list (`{"items":[…],"total":N}`).
    pub async fn all_items(&self, token: &str, path: &str) -> (Vec<Value>, i64) {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut page = 1;
        loop {
            let v = self
                .get_ok(token, &format!("{path}{sep}per_page=500&page={page}"))
                .await;
            let total = v["total"].as_i64().expect("total");
            let got = v["items"].as_array().expect("items").clone();
            let n = got.len();
            items.extend(got);
            if n == 0 || items.len() as i64 >= total {
                return (items, total);
            }
            page += 1;
        }
    }

    pub async fn total(&self, token: &str, path: &str) -> i64 {
        let sep = if path.contains('?') { '&' } else { '?' };
        self.get_ok(token, &format!("{path}{sep}per_page=1")).await["total"]
            .as_i64()
            .expect("total")
    }

    /// The org a scoped account works for: the top of what it can see.
    pub async fn home_org(&self, token: &str) -> Value {
        let v = self.get_ok(token, "/api/v1/orgs?levels=0").await;
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .min_by_key(|o| o["depth"].as_i64().unwrap_or(i64::MAX))
            .cloned()
            .expect("a scoped account sees its own org")
    }

    /// A problem in `org_id`, created through the API as the token's user; its id.
    pub async fn create_problem(&self, token: &str, org_id: i64, title: &str) -> i64 {
        let r = self
            .post(token, "/api/v1/problems", &problem_body(org_id, title))
            .await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "create problem: {}",
            r.text()
        );
        r.json()["id"].as_i64().expect("id")
    }

    pub async fn add_measure(&self, token: &str, problem_id: i64, content: &str) -> i64 {
        let r = self
            .post(
                token,
                &format!("/api/v1/problems/{problem_id}/measures"),
                &json!({"content": content, "deadline": days_from_today(20)}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "add measure: {}", r.text());
        r.json()["id"].as_i64().expect("id")
    }

    pub async fn complete_measure(&self, token: &str, measure_id: i64) -> Resp {
        self.post(
            token,
            &format!("/api/v1/measures/{measure_id}/complete"),
            &json!({"note": "已整改", "files": [pdf_file("整改佐证.pdf")]}),
        )
        .await
    }

    /// Runs one SQL count on the app's own database.
    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(self.app.store.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        n
    }
}

/// A valid problem body for the API.
pub fn problem_body(org_id: i64, title: &str) -> Value {
    json!({
        "org_id": org_id,
        "source": "self_check",
        "title": title,
        "description": "集成测试登记的问题",
        "found_on": days_from_today(0),
        "deadline": days_from_today(30),
    })
}

/// An evidence file for the API (base64 body).
pub fn pdf_file(name: &str) -> Value {
    use base64::Engine;
    json!({
        "filename": name,
        "content_base64": base64::engine::general_purpose::STANDARD.encode(PDF),
    })
}

/// A date `n` days from today, in the calendar the app uses (China Standard Time).
pub fn days_from_today(n: i64) -> String {
    (zeren_app::clock::today() + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// Rows (header excluded) and every text cell of the first sheet of an .xlsx file.
pub fn xlsx_rows_and_strings(bytes: &[u8]) -> (usize, Vec<String>) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    let mut read = |name: &str| -> Option<String> {
        let mut f = zip.by_name(name).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let sheet = read("xl/worksheets/sheet1.xml").expect("first worksheet");
    let shared = read("xl/sharedStrings.xml").unwrap_or_default();
    let rows = sheet.matches("<row ").count() + sheet.matches("<row>").count();
    let mut strings = Vec::new();
    for xml in [&shared, &sheet] {
        let mut rest = xml.as_str();
        while let Some(i) = rest.find("<t") {
            rest = &rest[i + 2..];
            // <t> or <t xml:space="preserve">, not <tableParts> etc.
            if !(rest.starts_with('>') || rest.starts_with(' ')) {
                continue;
            }
            let Some(open_end) = rest.find('>') else {
                break;
            };
            rest = &rest[open_end + 1..];
            let Some(close) = rest.find("</t>") else {
                break;
            };
            strings.push(unescape(&rest[..close]));
            rest = &rest[close..];
        }
    }
    // an export has a title row (with its 导出时间) above the header row
    let above = if strings.iter().any(|s| s.contains("导出时间")) {
        2
    } else {
        1
    };
    (rows.saturating_sub(above), strings)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind :0");
    l.local_addr().unwrap().port()
}

/// The other scoped units next to unit1 and what the commission sees of one of them.
pub struct OtherUnit {
    pub org: Value,
    pub problem_ids: Vec<i64>,
    pub task_ids: Vec<i64>,
    pub person_ids: Vec<i64>,
    pub org_ids: Vec<i64>,
}

impl TestApp {
    /// The unit beside unit1's (same depth, outside its subtree and not above it) with
    /// the most problems, and the ids of its records as the commission sees them.
    pub async fn other_unit(&self, commission: &str, unit1_org: &Value) -> OtherUnit {
        let all = self.get_ok(commission, "/api/v1/orgs?levels=6").await;
        let orgs = all["items"].as_array().unwrap().clone();
        let u1_path = unit1_org["path"].as_str().unwrap();
        let depth = unit1_org["depth"].as_i64().unwrap();
        let mut best: Option<(i64, Value)> = None;
        for o in orgs.iter().filter(|o| {
            o["depth"].as_i64() == Some(depth)
                && o["id"] != unit1_org["id"]
                && !o["path"].as_str().unwrap().starts_with(u1_path)
                && !u1_path.starts_with(o["path"].as_str().unwrap())
        }) {
            let n = self
                .total(commission, &format!("/api/v1/problems?org={}", o["id"]))
                .await;
            if best.as_ref().is_none_or(|(m, _)| n > *m) {
                best = Some((n, o.clone()));
            }
        }
        let (_, org) = best.expect("the demo has more than one unit");
        let id = org["id"].as_i64().unwrap();
        let path = org["path"].as_str().unwrap().to_string();
        let ids =
            |v: Vec<Value>| -> Vec<i64> { v.iter().map(|x| x["id"].as_i64().unwrap()).collect() };
        let (p, _) = self
            .all_items(commission, &format!("/api/v1/problems?org={id}"))
            .await;
        let (t, _) = self
            .all_items(commission, &format!("/api/v1/tasks?org={id}"))
            .await;
        let (pe, _) = self
            .all_items(commission, &format!("/api/v1/people?org={id}"))
            .await;
        let org_ids = orgs
            .iter()
            .filter(|o| o["path"].as_str().unwrap().starts_with(&path))
            .map(|o| o["id"].as_i64().unwrap())
            .collect();
        OtherUnit {
            org,
            problem_ids: ids(p),
            task_ids: ids(t),
            person_ids: ids(pe),
            org_ids,
        }
    }
}
