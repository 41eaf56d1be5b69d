//! Security headers on every response, and a same-origin check on every unsafe
//! request (defence in depth beside the CSRF token).
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn headers(req: Request, next: Next) -> Response {
    if is_cross_site_write(&req) {
        return (StatusCode::FORBIDDEN, "跨站请求被拒绝").into_response();
    }
    let is_static = req.uri().path().starts_with("/static/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Not "no-referrer": under it browsers send `Origin: null` on form posts, which
    // the same-origin check below must refuse.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        // ledgers are confidential: no copies in shared or browser caches
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// A browser form post from another site carries an `Origin` that is not ours.
fn is_cross_site_write(req: &Request) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let (Some(origin), Some(host)) = (
        req.headers().get(header::ORIGIN),
        req.headers().get(header::HOST),
    ) else {
        return false;
    };
    let origin = origin.to_str().unwrap_or("");
    let host = host.to_str().unwrap_or("");
    let origin_host = origin.split("://").nth(1).unwrap_or("");
    origin == "null" || origin_host != host
}
