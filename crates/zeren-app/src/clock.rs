//! Time as the application sees it. Deadlines are calendar dates in China Standard
//! Time; instants are unix seconds (UTC).
use chrono::{FixedOffset, NaiveDate, Utc};

pub fn now() -> i64 {
    Utc::now().timestamp()
}

fn cst() -> FixedOffset {
    // UTC+8 has no daylight saving; the offset is a constant.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!())
}

pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&cst()).date_naive()
}

pub fn today_str() -> String {
    today().format("%Y-%m-%d").to_string()
}

/// The calendar day (China Standard Time) of an instant.
pub fn date_of(ts: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(ts, 0).map(|d| d.with_timezone(&cst()).date_naive())
}

/// Days a finished item was late: its completion day after its deadline, if at all.
/// Late work is accepted and recorded, never hidden.
pub fn days_late(deadline: &str, completed_at: Option<i64>) -> Option<i64> {
    let deadline = NaiveDate::parse_from_str(deadline, "%Y-%m-%d").ok()?;
    let done = date_of(completed_at?)?;
    let n = (done - deadline).num_days();
    (n > 0).then_some(n)
}

/// `YYYY-MM-DD HH:MM` in China Standard Time, for display.
pub fn fmt_instant(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.with_timezone(&cst()).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The application's clock: real time plus an offset that tests move forward (idle
/// and absolute session expiry, lockout windows, TOTP steps, password age). Clones
/// share the offset, so a test that advances the clock of its `App` moves the clock
/// of the server it booted with that `App` too.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Clock {
    /// Unix seconds (UTC) as the application sees them.
    pub fn now(&self) -> i64 {
        now() + self.offset.load(std::sync::atomic::Ordering::Relaxed)
    }
    /// Moves the clock forward (or back, with a negative number) by `secs`.
    pub fn advance(&self, secs: i64) {
        self.offset
            .fetch_add(secs, std::sync::atomic::Ordering::Relaxed);
    }
}
