//! Time-based one-time passwords (RFC 6238) for the second factor of administrators
//! and the discipline role.
//!
//! Hand-written on RustCrypto's `hmac` and `sha1` rather than through a TOTP crate:
//! the algorithm is the dynamic truncation of RFC 4226 §5.3 over HMAC-SHA1 of the
//! 30-second step counter — a dozen lines, checked below against the test vectors of
//! RFC 6238 Appendix B — plus the base32 of RFC 4648 that authenticator apps expect
//! for the secret. SHA-1 is what every authenticator app computes; HMAC-SHA1 is not
//! weakened by SHA-1's collisions (RFC 6238 §1.2, RFC 2104).
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

/// Seconds per step (RFC 6238's default, the one authenticator apps use).
pub const STEP: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps before and after the current one that are still accepted, for clocks that
/// drift and codes typed at a step's end (RFC 6238 §5.2 suggests at most one).
pub const WINDOW: i64 = 1;

/// A new random secret: 20 bytes, the length of an HMAC-SHA1 key (RFC 4226 §4).
pub fn new_secret() -> Vec<u8> {
    let mut b = vec![0u8; 20];
    rand::thread_rng().fill_bytes(&mut b);
    b
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648 §6) without padding, as `otpauth://` URIs carry secrets.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    // take the input 5 bits at a time, most significant first
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(B32[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(B32[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Reads base32 (case and spaces ignored, padding allowed); `None` for other text.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = B32
            .iter()
            .position(|&x| x == c.to_ascii_uppercase() as u8)? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    Some(out)
}

/// The code for counter `step` (RFC 4226 HOTP), `digits` long.
pub fn hotp(secret: &[u8], step: u64, digits: u32) -> u32 {
    // HMAC accepts keys of any length, so this cannot fail
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    // dynamic truncation: the low 4 bits of the last byte pick 4 bytes, top bit cleared
    let o = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    bin % 10u32.pow(digits)
}

/// The step an instant falls in.
pub fn step_of(unix: i64) -> i64 {
    unix.div_euclid(STEP)
}

/// The 6-digit code at an instant, as text with leading zeros.
pub fn code_at(secret: &[u8], unix: i64) -> String {
    format!(
        "{:0width$}",
        hotp(secret, step_of(unix).max(0) as u64, DIGITS),
        width = DIGITS as usize
    )
}

/// Checks `code` at `now`: the step it matches within the window, if that step is
/// later than `last_step` (a code is good once: RFC 6238 §5.2). Comparison is in
/// constant time per candidate.
pub fn verify(secret: &[u8], code: &str, now: i64, last_step: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now_step = step_of(now);
    let mut found = None;
    for s in (now_step - WINDOW)..=(now_step + WINDOW) {
        if s < 0 || s <= last_step {
            continue;
        }
        let want = format!(
            "{:0width$}",
            hotp(secret, s as u64, DIGITS),
            width = DIGITS as usize
        );
        let diff = want
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |d, (a, b)| d | (a ^ b));
        if diff == 0 && found.is_none() {
            found = Some(s);
        }
    }
    found
}

/// The `otpauth://` URI authenticator apps read (typed in or pasted: no QR code
/// service, the deployment has no internet).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    // RFC 3986 unreserved characters stay as they are
    const LABEL: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let enc = |s: &str| utf8_percent_encode(s, LABEL).to_string();
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows (8 digits, key "12345678901234567890").
    #[test]
    fn rfc6238_test_vectors() {
        let key = b"12345678901234567890";
        for (t, want) in [
            (59i64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(key, step_of(t) as u64, 8), want, "T = {t}");
        }
    }

    /// RFC 4226 Appendix D: HOTP values for counters 0 and 9.
    #[test]
    fn rfc4226_test_vectors() {
        let key = b"12345678901234567890";
        assert_eq!(hotp(key, 0, 6), 755224);
        assert_eq!(hotp(key, 9, 6), 520489);
    }

    #[test]
    fn base32_round_trips_rfc4648_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(raw.as_bytes()), enc);
            assert_eq!(base32_decode(enc).unwrap(), raw.as_bytes());
        }
        let s = new_secret();
        assert_eq!(base32_decode(&base32(&s).to_lowercase()).unwrap(), s);
        assert!(base32_decode("not base32!").is_none());
    }

    #[test]
    fn a_code_is_good_within_the_window_and_only_once() {
        let key = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&key, now);
        let step = verify(&key, &code, now, 0).expect("current code");
        assert_eq!(step, step_of(now));
        assert_eq!(verify(&key, &code, now, step), None, "replayed");
        assert!(
            verify(&key, &code, now + STEP, 0).is_some(),
            "one step late"
        );
        assert_eq!(verify(&key, &code, now + 3 * STEP, 0), None, "too late");
        assert_eq!(verify(&key, "12345", now, 0), None);
        assert_eq!(verify(&key, "abcdef", now, 0), None);
    }

    #[test]
    fn otpauth_uri_names_issuer_and_account() {
        let u = otpauth_uri("Zeren 责任", "secadmin", b"12345678901234567890");
        assert!(u.starts_with("otpauth://totp/Zeren%20%E8%B4%A3%E4%BB%BB:secadmin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&"));
        assert!(u.contains("&period=30"));
    }
}
