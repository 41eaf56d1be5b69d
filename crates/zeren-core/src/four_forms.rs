//! The four forms (四种形态) of supervision and discipline: every action the
//! discipline-inspection group takes against a person is one of a fixed list, and
//! each belongs to one form: 1 talks, criticism and inquiry letters; 2 light
//! discipline and organisational adjustment; 3 heavy discipline and major demotion;
//! 4 expulsion and referral for crimes. Yearly statistics count actions per form.
use serde::Serialize;

/// An action type: key stored, label shown, and its form (1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Action {
    pub key: &'static str,
    pub label: &'static str,
    pub form: u8,
}

const fn a(key: &'static str, label: &'static str, form: u8) -> Action {
    Action { key, label, form }
}

/// Every action type, by form.
pub const ACTIONS: &[Action] = &[
    a("reminder_talk", "提醒谈话", 1),
    a("criticism", "批评教育", 1),
    a("self_exam", "责令检查", 1),
    a("inquiry_letter", "函询", 1),
    a("admonish", "诫勉", 1),
    a("warning", "警告", 2),
    a("serious_warning", "严重警告", 2),
    a("gov_light", "政务警告、记过、记大过", 2),
    a("org_adjust", "组织调整（调离岗位、免职等）", 2),
    a("revoke_post", "撤销党内职务", 3),
    a("probation", "留党察看", 3),
    a("gov_heavy", "政务降级、撤职", 3),
    a("demotion", "降职", 3),
    a("expulsion", "开除党籍", 4),
    a("gov_expulsion", "开除公职", 4),
    a("judicial_referral", "移送司法机关", 4),
];

/// The names of the forms.
pub const FORMS: [&str; 4] = ["第一种形态", "第二种形态", "第三种形态", "第四种形态"];

pub fn action(key: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|x| x.key == key)
}

pub fn form_label(form: i64) -> &'static str {
    match form {
        1..=4 => FORMS[(form - 1) as usize],
        _ => "其他",
    }
}

/// The action types of one form.
pub fn actions_of(form: u8) -> impl Iterator<Item = &'static Action> {
    ACTIONS.iter().filter(move |x| x.form == form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_has_actions_and_keys_are_unique() {
        for f in 1..=4 {
            assert!(actions_of(f).count() >= 3, "form {f}");
        }
        for (i, x) in ACTIONS.iter().enumerate() {
            assert!(ACTIONS[i + 1..].iter().all(|y| y.key != x.key), "{}", x.key);
        }
        assert_eq!(action("inquiry_letter").map(|x| x.form), Some(1));
        assert_eq!(action("probation").map(|x| x.form), Some(3));
        assert_eq!(action("judicial_referral").map(|x| x.form), Some(4));
        assert_eq!(form_label(2), "第二种形态");
        assert!(action("nothing").is_none());
    }
}
