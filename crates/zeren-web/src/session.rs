//! Who is calling: session cookies for pages, bearer tokens for the API.
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use zeren_app::{Actor, AppError};

use crate::AppState;

pub const SESSION_COOKIE: &str = "zeren_session";
pub const FLASH_COOKIE: &str = "zeren_flash";

pub fn source_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

/// A logged-in user of the pages.
pub struct PageUser {
    pub actor: Actor,
    pub csrf: String,
    pub token: String,
    pub flash: Option<String>,
    /// Unread notifications, for the header badge (counted on GET pages only).
    pub unread: i64,
    /// Warning-colour thresholds of the deployment.
    pub warning: zeren_core::reminder::WarningDays,
}

impl PageUser {
    /// Constant-time comparison of the form's token with the session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), Response> {
        let a = self.csrf.as_bytes();
        let b = token.as_bytes();
        let mut diff = (a.len() ^ b.len()) as u8;
        for (x, y) in a.iter().zip(b.iter()) {
            diff |= x ^ y;
        }
        if diff == 0 && !a.is_empty() {
            Ok(())
        } else {
            Err((
                StatusCode::FORBIDDEN,
                axum::response::Html(
                    "<h1>表单已失效</h1><p>安全校验未通过（CSRF），请返回并刷新页面后重试。</p>",
                ),
            )
                .into_response())
        }
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let next = parts
            .extensions
            .get::<OriginalUri>()
            .map(|u| u.0.to_string())
            .unwrap_or_else(|| parts.uri.to_string());
        let to_login = || {
            let enc =
                percent_encoding::utf8_percent_encode(&next, percent_encoding::NON_ALPHANUMERIC)
                    .to_string();
            Redirect::to(&format!("/login?next={enc}")).into_response()
        };
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
            return Err(to_login());
        };
        match state.app.authenticate(&token, &source_of(parts)).await {
            Ok((actor, csrf)) => {
                let flash = jar.get(FLASH_COOKIE).map(|c| {
                    percent_encoding::percent_decode_str(c.value())
                        .decode_utf8_lossy()
                        .to_string()
                });
                // the badge shows on rendered pages; a form POST only redirects
                let unread = if parts.method == axum::http::Method::GET {
                    state.app.unread_count(&actor).await.unwrap_or_else(|e| {
                        tracing::warn!("unread count: {e}");
                        0
                    })
                } else {
                    0
                };
                Ok(PageUser {
                    actor,
                    csrf,
                    token,
                    flash,
                    unread,
                    warning: state.app.cfg.reminders.warning,
                })
            }
            Err(AppError::Unauthenticated) => Err(to_login()),
            Err(e) => Err((StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()),
        }
    }
}

pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

pub fn flash_cookie(msg: &str) -> Cookie<'static> {
    let v =
        percent_encoding::utf8_percent_encode(msg, percent_encoding::NON_ALPHANUMERIC).to_string();
    Cookie::build((FLASH_COOKIE, v))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .build()
}

pub fn clear_flash() -> Cookie<'static> {
    let mut c = Cookie::build((FLASH_COOKIE, "")).path("/").build();
    c.make_removal();
    c
}

/// Redirect after a successful or failed action, carrying a one-time message.
pub fn redirect_with_flash(to: &str, msg: &str) -> Response {
    let jar = CookieJar::new().add(flash_cookie(msg));
    (jar, Redirect::to(to)).into_response()
}

/// An API caller, identified by `Authorization: Bearer TOKEN`.
pub struct ApiUser {
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_string);
        let Some(token) = token else {
            return Err(crate::api::error_response(&AppError::Unauthenticated));
        };
        match state.app.authenticate(&token, &source_of(parts)).await {
            Ok((actor, _)) => Ok(ApiUser { actor }),
            Err(e) => Err(crate::api::error_response(&e)),
        }
    }
}

pub fn source_of_addr(addr: &ConnectInfo<SocketAddr>) -> String {
    addr.0.ip().to_string()
}
