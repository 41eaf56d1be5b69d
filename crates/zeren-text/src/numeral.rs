//! Numerals as reports write them: Arabic (ASCII or full-width, with thousands
//! commas and decimals, optionally scaled by 万/亿), Chinese (三十, 一百零八, 两千零五,
//! 三万五千, 三百五, 壹佰), and digit-by-digit years (二〇二三).
//!
//! Written by hand: the crates that convert Chinese numerals take a whole string
//! and fail on anything else, while here a numeral has to be found inside running
//! text, read greedily from a position, and its end reported so that the measure
//! word and qualifiers after it can be read next ("三十余次", "1.5万人次").

use std::sync::OnceLock;

use crate::text::{digit_value, CharSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumKind {
    Arabic,
    Chinese,
    /// Written digit by digit without 十/百/千 (二〇二三): a year or a code, never a count.
    ChineseDigits,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    /// Position just after the numeral.
    pub end: usize,
    pub kind: NumKind,
    /// Digits after the decimal point (Arabic only).
    pub decimals: u32,
    /// The numeral ended with 万 or 亿 ("1.5万", "三万"): the scale is folded in.
    pub scaled: bool,
}

pub fn cn_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '两' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn cn_small_unit(c: char) -> Option<u64> {
    match c {
        '十' | '拾' => Some(10),
        '百' | '佰' => Some(100),
        '千' | '仟' => Some(1000),
        _ => None,
    }
}

/// Can a Chinese numeral start here?
pub fn starts_chinese(c: char) -> bool {
    cn_digit(c).is_some() || matches!(c, '十' | '拾')
}

/// Characters a numeral can start with, as a bitmap: this test runs on every
/// character of every report.
fn number_starts() -> &'static CharSet {
    static S: OnceLock<CharSet> = OnceLock::new();
    S.get_or_init(|| {
        CharSet::new([
            "0123456789０１２３４５６７８９零〇一壹幺二两贰貳三叁參四肆五伍六陆陸七柒八捌九玖十拾",
        ])
    })
}

#[inline]
pub fn starts_number(c: char) -> bool {
    number_starts().contains(c)
}

/// Reads the Chinese numeral starting at `i`.
pub fn parse_chinese(chars: &[char], i: usize) -> Option<Number> {
    let n = chars.len();
    if i >= n || !starts_chinese(chars[i]) {
        return None;
    }
    // 亿-level total, 万-level section, the part below 万, and a pending digit.
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut current: u64 = 0;
    let mut digit: Option<u64> = None;
    let mut last_unit: u64 = 0;
    let mut zero_seen = false;
    let mut digits_run = 0usize;
    let mut had_unit = false;
    let mut scaled = false;
    let mut k = i;
    while k < n {
        let c = chars[k];
        if let Some(d) = cn_digit(c) {
            // Two digits in a row without a unit between them: either a digit-by-digit
            // year (二〇二三) or the end of this numeral.
            if digit.is_some() && had_unit && !zero_seen {
                break;
            }
            if d == 0 {
                zero_seen = true;
            }
            if let Some(prev) = digit {
                if !had_unit {
                    digit = Some(prev * 10 + d);
                    digits_run += 1;
                    k += 1;
                    continue;
                }
            }
            digit = Some(d);
            digits_run += 1;
            k += 1;
            continue;
        }
        if let Some(u) = cn_small_unit(c) {
            if digits_run > 1 && !had_unit {
                break;
            }
            let d = match digit {
                Some(d) => d,
                // "十二" is 12, but a bare 百 or 千 (百姓, 千方百计) is not a numeral.
                None if u == 10 && current == 0 && section == 0 && total == 0 => 1,
                None => break,
            };
            current += d * u;
            digit = None;
            last_unit = u;
            had_unit = true;
            zero_seen = false;
            digits_run = 0;
            k += 1;
            continue;
        }
        if c == '万' || c == '萬' || c == '亿' || c == '億' {
            let below = current + digit.unwrap_or(0);
            if below == 0 && section == 0 {
                break;
            }
            if digits_run > 1 && !had_unit {
                break;
            }
            if c == '万' || c == '萬' {
                section = (section + below) * 10_000;
                last_unit = 10_000;
            } else {
                total = (total + section + below) * 100_000_000;
                section = 0;
                last_unit = 100_000_000;
            }
            current = 0;
            digit = None;
            had_unit = true;
            scaled = true;
            zero_seen = false;
            digits_run = 0;
            k += 1;
            continue;
        }
        break;
    }
    if k == i {
        return None;
    }
    if !had_unit {
        let d = digit?;
        let len = k - i;
        if len == 1 {
            return Some(Number {
                value: d as f64,
                end: k,
                kind: NumKind::Chinese,
                decimals: 0,
                scaled: false,
            });
        }
        // 三四个 means "three or four", not 34: only runs with 〇 or of three and
        // more digits are read digit by digit.
        if len >= 3 || zero_seen {
            return Some(Number {
                value: d as f64,
                end: k,
                kind: NumKind::ChineseDigits,
                decimals: 0,
                scaled: false,
            });
        }
        return None;
    }
    let tail = match digit {
        // 三百五 is 350; 一百零五 (with 零) is 105.
        Some(d) if !zero_seen && (100..10_000).contains(&last_unit) => d * last_unit / 10,
        Some(d) if !zero_seen && last_unit == 10_000 && current == 0 => d * 1000,
        Some(d) => d,
        None => 0,
    };
    let value = total + section + current + tail;
    Some(Number {
        value: value as f64,
        end: k,
        kind: NumKind::Chinese,
        decimals: 0,
        scaled,
    })
}

/// Reads the Arabic numeral starting at `i` ("204", "1,234", "172.3", "1.5万").
/// A 万 or 亿 right after the digits scales the value, except before 元: "172.3万元"
/// keeps 172.3 so that the unit can be 万元, as reports state money.
pub fn parse_arabic(chars: &[char], i: usize) -> Option<Number> {
    let n = chars.len();
    let mut k = i;
    let mut mantissa: u64 = 0;
    let mut decimals = 0u32;
    let mut any = false;
    while k < n {
        if let Some(d) = digit_value(chars[k]) {
            mantissa = mantissa.checked_mul(10)?.checked_add(d as u64)?;
            any = true;
            k += 1;
        } else if chars[k] == ','
            && any
            && (1..=3).all(|t| chars.get(k + t).and_then(|&c| digit_value(c)).is_some())
            && chars.get(k + 4).and_then(|&c| digit_value(c)).is_none()
        {
            // Thousands separator (ASCII comma only: the Chinese comma separates clauses).
            k += 1;
        } else {
            break;
        }
    }
    if !any {
        return None;
    }
    if k + 1 < n && matches!(chars[k], '.' | '．') && digit_value(chars[k + 1]).is_some() {
        k += 1;
        while k < n {
            match digit_value(chars[k]) {
                Some(d) => {
                    mantissa = mantissa.checked_mul(10)?.checked_add(d as u64)?;
                    decimals += 1;
                    k += 1;
                }
                None => break,
            }
        }
    }
    let mut value = mantissa as f64 / 10f64.powi(decimals as i32);
    let mut scaled = false;
    if k < n && matches!(chars[k], '万' | '亿' | '萬' | '億') {
        let money = matches!(chars.get(k + 1), Some('元'))
            || (matches!(chars.get(k + 1), Some('余' | '多'))
                && matches!(chars.get(k + 2), Some('元')));
        if !money {
            let scale = if matches!(chars[k], '万' | '萬') {
                10_000u64
            } else {
                100_000_000
            };
            // Exact decimal scaling: 1.5万 is 15 × 10⁴ / 10, not 1.5 × 10⁴ in floating point.
            value = match mantissa.checked_mul(scale) {
                Some(m) => m as f64 / 10f64.powi(decimals as i32),
                None => value * scale as f64,
            };
            scaled = true;
            k += 1;
        }
    }
    Some(Number {
        value,
        end: k,
        kind: NumKind::Arabic,
        decimals,
        scaled,
    })
}

/// Either kind of numeral at `i`.
pub fn parse_number(chars: &[char], i: usize) -> Option<Number> {
    let c = *chars.get(i)?;
    if digit_value(c).is_some() {
        parse_arabic(chars, i)
    } else {
        parse_chinese(chars, i)
    }
}

/// Convenience for tests and callers with a whole string: the value of `s` if all of
/// it is one numeral.
pub fn value_of(s: &str) -> Option<f64> {
    let chars: Vec<char> = s.chars().collect();
    let n = parse_number(&chars, 0)?;
    (n.end == chars.len()).then_some(n.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        for (s, v) in [
            ("一", 1.0),
            ("两", 2.0),
            ("十", 10.0),
            ("十二", 12.0),
            ("二十", 20.0),
            ("三十", 30.0),
            ("三十五", 35.0),
            ("一百", 100.0),
            ("一百零八", 108.0),
            ("一百一十", 110.0),
            ("三百五", 350.0),
            ("两千", 2000.0),
            ("两千零五", 2005.0),
            ("一千零一十", 1010.0),
            ("三万五千", 35000.0),
            ("十万", 100000.0),
            ("一万二", 12000.0),
            ("五亿", 500000000.0),
            ("一亿三千万", 130000000.0),
            ("壹佰贰拾", 120.0),
            ("二〇二三", 2023.0),
            ("一九四九", 1949.0),
        ] {
            assert_eq!(value_of(s), Some(v), "{s}");
        }
    }

    #[test]
    fn chinese_digit_runs_are_marked() {
        let c: Vec<char> = "二〇二三年".chars().collect();
        let n = parse_number(&c, 0).unwrap();
        assert_eq!(n.kind, NumKind::ChineseDigits);
        assert_eq!(n.end, 4);
        let c: Vec<char> = "三十余次".chars().collect();
        let n = parse_number(&c, 0).unwrap();
        assert_eq!((n.value, n.end, n.kind), (30.0, 2, NumKind::Chinese));
    }

    #[test]
    fn numerals_stop_where_words_start() {
        // 百姓 and 千方百计 are words, "三四个" is "three or four", 万一 is "in case".
        for s in ["百姓", "千方百计", "万一"] {
            let c: Vec<char> = s.chars().collect();
            assert_eq!(parse_number(&c, 0), None, "{s}");
        }
        let c: Vec<char> = "三四个".chars().collect();
        assert_eq!(parse_number(&c, 0), None);
        let c: Vec<char> = "两次".chars().collect();
        assert_eq!(
            parse_number(&c, 0).map(|n| (n.value, n.end)),
            Some((2.0, 1))
        );
    }

    #[test]
    fn arabic_numerals() {
        for (s, v) in [
            ("204", 204.0),
            ("1,234", 1234.0),
            ("172.3", 172.3),
            ("1.5万", 15000.0),
            ("３０", 30.0),
            ("0.5", 0.5),
            ("2亿", 200000000.0),
        ] {
            assert_eq!(value_of(s), Some(v), "{s}");
        }
        // Money keeps 万 for the unit 万元.
        let c: Vec<char> = "172.3万元".chars().collect();
        let n = parse_number(&c, 0).unwrap();
        assert_eq!((n.value, n.end), (172.3, 5));
        // A Chinese comma is a clause break, not a thousands separator.
        let c: Vec<char> = "3，456".chars().collect();
        assert_eq!(parse_number(&c, 0).map(|n| n.end), Some(1));
        // "1.坚持" is a list marker, not a decimal.
        let c: Vec<char> = "1.坚持".chars().collect();
        assert_eq!(
            parse_number(&c, 0).map(|n| (n.value, n.end)),
            Some((1.0, 1))
        );
    }
}
