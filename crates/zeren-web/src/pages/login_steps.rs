//! The steps of a login after the password: the TOTP code, enrolling an
//! authenticator, and changing an expired (or administrator-set) password; and a
//! logged-in user's own password change. A session in a step opens nothing else
//! (`App::authenticate` refuses it); these pages reach it through `App::pending`.
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::auth::LoginStage;
use zeren_app::AppError;

use crate::session::{redirect_with_flash, source_of_addr, PageUser, SESSION_COOKIE};
use crate::AppState;

#[derive(Template)]
#[template(path = "login_step.html")]
struct StepPage {
    title: &'static str,
    kind: &'static str,
    username: String,
    csrf: String,
    error: Option<String>,
    secret: String,
    uri: String,
    hint: &'static str,
    action: &'static str,
}

fn page(p: StepPage, status: StatusCode) -> Response {
    let mut r = crate::ctx::render(&p, false);
    *r.status_mut() = status;
    r
}

fn token(jar: &CookieJar) -> String {
    jar.get(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default()
}

/// Back to the login form. The cookie stays: a session that is not in a login
/// stage is refused by every other page anyway, and one that is logged in (someone
/// opening a step's address) must not be logged out by a GET.
fn to_login(msg: &str) -> Response {
    let enc = percent_encoding::utf8_percent_encode(msg, percent_encoding::NON_ALPHANUMERIC);
    Redirect::to(&format!("/login?msg={enc}")).into_response()
}

fn same(a: &str, b: &str) -> bool {
    !a.is_empty()
        && a.len() == b.len()
        && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

fn message(e: &AppError) -> String {
    match e {
        AppError::Invalid(v) => v
            .errors
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("；"),
        AppError::BadCredentials => "动态口令错误".into(),
        other => other.to_string(),
    }
}

fn step_page(kind: &'static str, username: String, csrf: String) -> StepPage {
    let (title, hint, action) = match kind {
        "totp" => ("动态口令验证", "", "/login/totp"),
        "enrol" => ("绑定动态口令", "", "/login/enrol"),
        _ => (
            "修改密码",
            "密码已过期或由管理员设置，请设置新密码后继续。新密码至少10位，含大写字母、小写字母、数字、符号中的三类，且不能与最近使用过的密码相同。",
            "/login/password",
        ),
    };
    StepPage {
        title,
        kind,
        username,
        csrf,
        error: None,
        secret: String::new(),
        uri: String::new(),
        hint,
        action,
    }
}

/// Where a session goes after a step.
fn after(stage: LoginStage) -> Response {
    Redirect::to(stage.page()).into_response()
}

async fn show(st: &AppState, jar: CookieJar, want: LoginStage, error: Option<String>) -> Response {
    let t = token(&jar);
    let (u, stage, csrf) = match st.app.pending(&t).await {
        Ok(x) => x,
        Err(_) => return to_login("登录已超时，请重新登录"),
    };
    if stage != want {
        return after(stage);
    }
    let kind = match stage {
        LoginStage::Totp => "totp",
        LoginStage::Enrol => "enrol",
        _ => "password",
    };
    let mut p = step_page(kind, u.username, csrf);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    p.error = error;
    if stage == LoginStage::Enrol {
        match st.app.totp_enrolment(&t).await {
            Ok(e) => {
                p.secret = e.secret;
                p.uri = e.uri;
            }
            Err(_) => return to_login("登录已超时，请重新登录"),
        }
    }
    page(p, status)
}

pub async fn totp_page(State(st): State<AppState>, jar: CookieJar) -> Response {
    show(&st, jar, LoginStage::Totp, None).await
}

pub async fn enrol_page(State(st): State<AppState>, jar: CookieJar) -> Response {
    show(&st, jar, LoginStage::Enrol, None).await
}

pub async fn password_page(State(st): State<AppState>, jar: CookieJar) -> Response {
    show(&st, jar, LoginStage::Password, None).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// Checks the form's token against the pending session's.
async fn pending_csrf(st: &AppState, jar: &CookieJar, csrf: &str) -> Option<Response> {
    match st.app.pending(&token(jar)).await {
        Ok((_, _, want)) if same(&want, csrf) => None,
        Ok(_) => Some(
            (
                StatusCode::FORBIDDEN,
                axum::response::Html(
                    "<h1>表单已失效</h1><p>安全校验未通过（CSRF），请重新登录。</p>",
                ),
            )
                .into_response(),
        ),
        Err(_) => Some(to_login("登录已超时，请重新登录")),
    }
}

pub async fn totp_submit(
    State(st): State<AppState>,
    jar: CookieJar,
    addr: axum::extract::ConnectInfo<std::net::SocketAddr>,
    Form(f): Form<CodeForm>,
) -> Response {
    if let Some(r) = pending_csrf(&st, &jar, &f.csrf).await {
        return r;
    }
    match st
        .app
        .login_totp(&token(&jar), &f.code, &source_of_addr(&addr))
        .await
    {
        Ok(next) => after(next),
        Err(AppError::Unauthenticated) => to_login("登录失败次数过多，请稍后再试"),
        Err(e) => show(&st, jar, LoginStage::Totp, Some(message(&e))).await,
    }
}

pub async fn enrol_submit(
    State(st): State<AppState>,
    jar: CookieJar,
    addr: axum::extract::ConnectInfo<std::net::SocketAddr>,
    Form(f): Form<CodeForm>,
) -> Response {
    if let Some(r) = pending_csrf(&st, &jar, &f.csrf).await {
        return r;
    }
    match st
        .app
        .totp_enrol(&token(&jar), &f.code, &source_of_addr(&addr))
        .await
    {
        Ok(next) => after(next),
        Err(AppError::Unauthenticated) => to_login("登录已超时，请重新登录"),
        Err(e) => show(&st, jar, LoginStage::Enrol, Some(message(&e))).await,
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    old_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

pub async fn password_submit(
    State(st): State<AppState>,
    jar: CookieJar,
    addr: axum::extract::ConnectInfo<std::net::SocketAddr>,
    Form(f): Form<PasswordForm>,
) -> Response {
    if let Some(r) = pending_csrf(&st, &jar, &f.csrf).await {
        return r;
    }
    if f.password != f.password2 {
        return show(
            &st,
            jar,
            LoginStage::Password,
            Some("两次输入的新密码不一致".into()),
        )
        .await;
    }
    match st
        .app
        .change_password(
            &token(&jar),
            &f.old_password,
            &f.password,
            &source_of_addr(&addr),
        )
        .await
    {
        Ok(next) => after(next),
        Err(AppError::Unauthenticated) => to_login("登录已超时，请重新登录"),
        Err(e) => show(&st, jar, LoginStage::Password, Some(message(&e))).await,
    }
}

/// A logged-in user's own password change.
pub async fn account_password_page(u: PageUser) -> Response {
    let mut p = step_page("password", u.actor.username.clone(), u.csrf.clone());
    p.hint = "新密码至少10位，含大写字母、小写字母、数字、符号中的三类，且不能与最近使用过的密码相同。修改后其他登录会话将退出。";
    p.action = "/account/password";
    p.error = u.flash.clone();
    page(p, StatusCode::OK)
}

pub async fn account_password_submit(
    State(st): State<AppState>,
    u: PageUser,
    addr: axum::extract::ConnectInfo<std::net::SocketAddr>,
    Form(f): Form<PasswordForm>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    if f.password != f.password2 {
        return redirect_with_flash("/account/password", "两次输入的新密码不一致");
    }
    match st
        .app
        .change_password(
            &u.token,
            &f.old_password,
            &f.password,
            &source_of_addr(&addr),
        )
        .await
    {
        Ok(_) => redirect_with_flash("/", "密码已修改"),
        Err(e) => redirect_with_flash("/account/password", &message(&e)),
    }
}
