//! Small input rules shared by forms, the API and imports.
use chrono::NaiveDate;

use crate::ValidationErrors;

/// A required text field, trimmed, with a maximum length in characters.
pub fn text(
    errs: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errs.add(field, format!("{label}不能为空"));
    } else if v.chars().count() > max {
        errs.add(field, format!("{label}不能超过{max}个字"));
    }
    v.to_string()
}

/// An optional text field; empty becomes None.
pub fn opt_text(
    errs: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let v = value.map(str::trim).unwrap_or("");
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > max {
        errs.add(field, format!("{label}不能超过{max}个字"));
    }
    Some(v.to_string())
}

/// A calendar date `YYYY-MM-DD`.
pub fn date(
    errs: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        errs.add(field, format!("{label}不能为空"));
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errs.add(field, format!("{label}格式应为 年-月-日，例如 2026-06-30"));
            None
        }
    }
}

pub fn opt_date(
    errs: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: Option<&str>,
) -> Option<NaiveDate> {
    match value.map(str::trim) {
        None | Some("") => None,
        Some(v) => date(errs, field, label, v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error() {
        let mut e = ValidationErrors::new();
        let t = text(&mut e, "title", "标题", "  ", 10);
        let _ = date(&mut e, "deadline", "期限", "2026/13/01");
        assert_eq!(t, "");
        assert_eq!(e.errors.len(), 2);
        assert_eq!(e.for_field("title"), Some("标题不能为空"));
        assert!(e.for_field("deadline").unwrap().contains("年-月-日"));
    }

    #[test]
    fn counts_characters_not_bytes() {
        let mut e = ValidationErrors::new();
        text(&mut e, "t", "标题", "整改整改整改", 6);
        assert!(e.is_empty());
        text(&mut e, "t", "标题", "整改整改整改整", 6);
        assert_eq!(e.errors.len(), 1);
    }
}
