//! Membership dues (党费): the monthly amount from a member's base pay and the rate
//! bands of 《关于中国共产党党费收缴、使用和管理的规定》 (中组发〔2008〕3号), and the
//! arithmetic of months in arrears. Money is integer cents (分) throughout.

/// The regulation the amounts follow.
pub const CITATION: &str = "《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）";

/// How a member's dues are assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DuesKind {
    /// 在职，有工资收入: a share of the monthly salary after tax, by band.
    Salaried,
    /// 离退休: a share of the monthly pension.
    Retired,
    /// 农民党员: 0.2 to 1 元 a month; the minimum unless set otherwise.
    Farmer,
    /// 学生党员
    Student,
    /// 下岗失业党员
    Unemployed,
    /// 依靠抚恤、救济或领取最低生活保障金生活的党员
    Subsistence,
}

/// The flat amount for students, the unemployed, those living on relief, and the
/// floor for farmers: 0.2 元 a month.
pub const FLAT_CENTS: i64 = 20;

impl DuesKind {
    pub const ALL: [DuesKind; 6] = [
        DuesKind::Salaried,
        DuesKind::Retired,
        DuesKind::Farmer,
        DuesKind::Student,
        DuesKind::Unemployed,
        DuesKind::Subsistence,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            DuesKind::Salaried => "salaried",
            DuesKind::Retired => "retired",
            DuesKind::Farmer => "farmer",
            DuesKind::Student => "student",
            DuesKind::Unemployed => "unemployed",
            DuesKind::Subsistence => "subsistence",
        }
    }
    pub fn parse(s: &str) -> Option<DuesKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            DuesKind::Salaried => "在职（按税后月工资）",
            DuesKind::Retired => "离退休（按月离退休费）",
            DuesKind::Farmer => "农民党员",
            DuesKind::Student => "学生党员",
            DuesKind::Unemployed => "下岗失业党员",
            DuesKind::Subsistence => "依靠抚恤救济或低保生活",
        }
    }
    /// Whether the amount depends on a base pay.
    pub fn needs_base(self) -> bool {
        matches!(self, DuesKind::Salaried | DuesKind::Retired)
    }
}

/// The rate in basis points (1/10000) for a monthly base of `base_cents`.
///
/// 在职: ≤3000 元 0.5%; 3000–5000 元 (inclusive) 1%; 5000–10000 元 (inclusive) 1.5%;
/// above 10000 元 2%. 离退休: ≤5000 元 0.5%; above 1%.
pub fn rate_bp(kind: DuesKind, base_cents: i64) -> Option<i64> {
    const YUAN: i64 = 100;
    match kind {
        DuesKind::Salaried => Some(match base_cents {
            b if b <= 3000 * YUAN => 50,
            b if b <= 5000 * YUAN => 100,
            b if b <= 10000 * YUAN => 150,
            _ => 200,
        }),
        DuesKind::Retired => Some(if base_cents <= 5000 * YUAN { 50 } else { 100 }),
        _ => None,
    }
}

/// The monthly amount in cents; `None` when it needs a base pay that is not recorded.
/// Shares are rounded half up to the cent, and never fall below 0.2 元 for a member
/// with any income.
pub fn monthly_cents(kind: DuesKind, base_cents: Option<i64>) -> Option<i64> {
    match kind {
        DuesKind::Salaried | DuesKind::Retired => {
            let base = base_cents.filter(|b| *b >= 0)?;
            let bp = rate_bp(kind, base)?;
            let cents = (base * bp + 5_000) / 10_000;
            Some(if base > 0 {
                cents.max(FLAT_CENTS)
            } else {
                FLAT_CENTS
            })
        }
        DuesKind::Farmer | DuesKind::Student | DuesKind::Unemployed | DuesKind::Subsistence => {
            Some(FLAT_CENTS)
        }
    }
}

/// `12345` → `"123.45"`.
pub fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// `"123.45"` / `"123.4"` / `"123"` → cents; anything else (more than two decimals,
/// signs, letters) is refused.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let s = s.trim();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty()
        || frac.len() > 2
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 12
    {
        return None;
    }
    let i: i64 = int.parse().ok()?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    i.checked_mul(100)?.checked_add(f)
}

/// A month `YYYY-MM` as a number of months since year 0, so months subtract.
pub fn month_index(m: &str) -> Option<i64> {
    let (y, mo) = m.get(0..7)?.split_once('-')?;
    if y.len() != 4 || mo.len() != 2 {
        return None;
    }
    let y: i64 = y.parse().ok()?;
    let mo: i64 = mo.parse().ok()?;
    (1..=12).contains(&mo).then_some(y * 12 + mo - 1)
}

/// The month `YYYY-MM` of a month index.
pub fn month_of_index(i: i64) -> String {
    format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

/// Months in arrears at `today` (a `YYYY-MM-DD` or `YYYY-MM`): the ended months after
/// the last paid one that are unpaid; with nothing paid, counted from the month
/// membership began, or January of the current year if that is later (the ledger
/// starts with the year). The current month is not yet owed.
pub fn arrears_months(joined: Option<&str>, last_paid: Option<&str>, today: &str) -> i64 {
    let Some(now) = month_index(today) else {
        return 0;
    };
    let start = match last_paid.and_then(month_index) {
        Some(p) => p + 1,
        None => {
            let jan = now - now.rem_euclid(12);
            joined.and_then(month_index).map_or(jan, |j| j.max(jan))
        }
    };
    (now - start).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: i64 = 100;

    #[test]
    fn salaried_bands_at_each_boundary() {
        let k = DuesKind::Salaried;
        assert_eq!(rate_bp(k, 3000 * Y), Some(50));
        assert_eq!(rate_bp(k, 3000 * Y + 1), Some(100));
        assert_eq!(rate_bp(k, 5000 * Y), Some(100));
        assert_eq!(rate_bp(k, 5000 * Y + 1), Some(150));
        assert_eq!(rate_bp(k, 10000 * Y), Some(150));
        assert_eq!(rate_bp(k, 10000 * Y + 1), Some(200));
        assert_eq!(monthly_cents(k, Some(3000 * Y)), Some(1500), "15 元");
        assert_eq!(monthly_cents(k, Some(3001 * Y)), Some(3001), "30.01 元");
        assert_eq!(monthly_cents(k, Some(5000 * Y)), Some(5000));
        assert_eq!(monthly_cents(k, Some(5000 * Y + 1)), Some(7500));
        assert_eq!(monthly_cents(k, Some(10000 * Y)), Some(15000));
        assert_eq!(monthly_cents(k, Some(12000 * Y)), Some(24000));
    }

    #[test]
    fn rounding_is_half_up_to_the_cent() {
        // 2345.67 元 × 0.5% = 11.72835 元
        assert_eq!(monthly_cents(DuesKind::Salaried, Some(234567)), Some(1173));
        // 4321.10 × 1% = 43.211
        assert_eq!(monthly_cents(DuesKind::Salaried, Some(432110)), Some(4321));
        // 10 元 × 0.5% = 0.05 元, raised to the 0.2 元 floor
        assert_eq!(monthly_cents(DuesKind::Salaried, Some(1000)), Some(20));
    }

    #[test]
    fn retired_bands() {
        let k = DuesKind::Retired;
        assert_eq!(monthly_cents(k, Some(5000 * Y)), Some(2500));
        assert_eq!(monthly_cents(k, Some(5000 * Y + 100)), Some(5001));
        assert_eq!(rate_bp(k, 2000 * Y), Some(50));
    }

    #[test]
    fn flat_amounts_and_missing_base() {
        for k in [
            DuesKind::Student,
            DuesKind::Unemployed,
            DuesKind::Subsistence,
            DuesKind::Farmer,
        ] {
            assert_eq!(monthly_cents(k, None), Some(20), "{k:?}");
            assert_eq!(
                monthly_cents(k, Some(999_999)),
                Some(20),
                "{k:?} ignores pay"
            );
        }
        assert_eq!(monthly_cents(DuesKind::Salaried, None), None);
        assert_eq!(monthly_cents(DuesKind::Salaried, Some(-1)), None);
    }

    #[test]
    fn money_text() {
        assert_eq!(yuan(1500), "15.00");
        assert_eq!(yuan(7), "0.07");
        assert_eq!(parse_yuan("15"), Some(1500));
        assert_eq!(parse_yuan("15.5"), Some(1550));
        assert_eq!(parse_yuan("0.07"), Some(7));
        assert_eq!(parse_yuan("1.234"), None);
        assert_eq!(parse_yuan("-1"), None);
        assert_eq!(parse_yuan(""), None);
        assert_eq!(parse_yuan("1e3"), None);
    }

    #[test]
    fn months_and_arrears() {
        assert_eq!(month_index("2026-01"), Some(2026 * 12));
        assert_eq!(month_of_index(2026 * 12 + 11), "2026-12");
        assert_eq!(month_index("2026-13"), None);
        // paid through February; in May, March and April are owed
        assert_eq!(arrears_months(None, Some("2026-02"), "2026-05-20"), 2);
        // paid last month: nothing owed
        assert_eq!(arrears_months(None, Some("2026-04"), "2026-05-01"), 0);
        // paid ahead
        assert_eq!(arrears_months(None, Some("2026-07"), "2026-05-01"), 0);
        // across a year end
        assert_eq!(arrears_months(None, Some("2025-10"), "2026-05-01"), 6);
        // nothing paid: from January of this year, or from admission if later
        assert_eq!(arrears_months(Some("2010-03-01"), None, "2026-05-01"), 4);
        assert_eq!(arrears_months(Some("2026-03-15"), None, "2026-05-01"), 2);
        assert_eq!(arrears_months(None, None, "2026-01-31"), 0);
    }
}
