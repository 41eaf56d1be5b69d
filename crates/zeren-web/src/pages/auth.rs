//! Login and logout.
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use axum_extra::extract::Form;
use serde::Deserialize;
use zeren_app::AppError;

use crate::session::{session_cookie, PageUser, SESSION_COOKIE};
use crate::AppState;

/// Before login there is no session, so the login form is protected by a
/// double-submit token: a random cookie that the form must echo.
const LOGIN_CSRF: &str = "zeren_login_csrf";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
    username: String,
    next: String,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    /// Why a login step sent the user back here.
    msg: Option<String>,
}

fn safe_next(n: Option<&str>) -> String {
    match n {
        // only local paths: never an open redirect
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

fn show_login(
    jar: CookieJar,
    username: String,
    error: Option<String>,
    next: String,
    status: StatusCode,
) -> Response {
    let token = zeren_app::auth::random_token();
    let cookie = Cookie::build((LOGIN_CSRF, token.clone()))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .build();
    let page = LoginPage {
        csrf: token,
        error,
        username,
        next,
    };
    let mut r = crate::ctx::render(&page, false);
    *r.status_mut() = status;
    (jar.add(cookie), r).into_response()
}

pub async fn login_page(jar: CookieJar, Query(q): Query<LoginQuery>) -> Response {
    // only the messages the login steps send, never text from the link
    let msg = q.msg.filter(|m| {
        ["登录已超时，请重新登录", "登录失败次数过多，请稍后再试"].contains(&m.as_str())
    });
    show_login(
        jar,
        String::new(),
        msg,
        safe_next(q.next.as_deref()),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

pub async fn login_submit(
    State(st): State<AppState>,
    jar: CookieJar,
    connect: axum::extract::ConnectInfo<std::net::SocketAddr>,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let expected = jar
        .get(LOGIN_CSRF)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if expected.is_empty() || expected != f.csrf {
        return show_login(
            jar,
            f.username,
            Some("页面已过期，请重新登录".into()),
            next,
            StatusCode::FORBIDDEN,
        );
    }
    match st
        .app
        .login(&f.username, &f.password, &connect.0.ip().to_string())
        .await
    {
        Ok(li) => {
            let jar = jar
                .add(session_cookie(li.token, st.secure_cookies))
                .remove(Cookie::build(LOGIN_CSRF).path("/login"));
            // a second factor, enrolment or a password change comes first
            let to = if li.stage == zeren_app::auth::LoginStage::Done {
                next.as_str()
            } else {
                li.stage.page()
            };
            (jar, Redirect::to(to)).into_response()
        }
        Err(AppError::BadCredentials) => show_login(
            jar,
            f.username,
            Some("用户名或密码错误".into()),
            next,
            StatusCode::UNAUTHORIZED,
        ),
        Err(e) => show_login(
            jar,
            f.username,
            Some(e.to_string()),
            next,
            StatusCode::INTERNAL_SERVER_ERROR,
        ),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(st): State<AppState>,
    u: PageUser,
    jar: CookieJar,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Err(r) = u.check_csrf(&f.csrf) {
        return r;
    }
    let _ = st.app.logout(&u.token, &u.actor).await;
    (
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/login"),
    )
        .into_response()
}
