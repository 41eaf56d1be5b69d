//! 提示 and 督导 as pure date arithmetic: which stage of its reminder ladder an item
//! with a deadline has reached on a given day, when it next needs looking at, and the
//! warning colour it shows. The engine (zeren-app `reminder`) stores and delivers; the
//! rules live here so a simulated year can be tested without a database.
use chrono::NaiveDate;
use serde::Serialize;

/// One rung of the ladder. Ordered by when it fires relative to the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Stage {
    /// N days before the deadline (提前N天提示).
    Before(u16),
    /// On the deadline day (到期提示).
    Due,
    /// The day after the deadline (逾期提示).
    Overdue,
    /// Overdue by the policy's N days: the responsible leader is told (督导·告知分管领导).
    Leader,
    /// Overdue by the policy's M days: the item enters the issuing org's supervision
    /// queue (督导·列入督办).
    Supervise,
}

impl Stage {
    /// The stable part of a notification's unique key.
    pub fn key(self) -> String {
        match self {
            Stage::Before(n) => format!("before-{n}"),
            Stage::Due => "due".into(),
            Stage::Overdue => "overdue".into(),
            Stage::Leader => "leader".into(),
            Stage::Supervise => "supervise".into(),
        }
    }
    pub fn parse(s: &str) -> Option<Stage> {
        match s {
            "due" => Some(Stage::Due),
            "overdue" => Some(Stage::Overdue),
            "leader" => Some(Stage::Leader),
            "supervise" => Some(Stage::Supervise),
            _ => s
                .strip_prefix("before-")
                .and_then(|n| n.parse().ok())
                .map(Stage::Before),
        }
    }
    pub fn label(self) -> String {
        match self {
            Stage::Before(n) => format!("{n}天后到期"),
            Stage::Due => "今日到期".into(),
            Stage::Overdue => "已逾期".into(),
            Stage::Leader => "逾期，告知分管领导".into(),
            Stage::Supervise => "逾期，列入督办".into(),
        }
    }
    /// Whether this stage is an escalation (督导) rather than a reminder (提示).
    pub fn is_escalation(self) -> bool {
        matches!(self, Stage::Leader | Stage::Supervise)
    }
}

/// When reminders fire. A plan may carry its own lead days; the rest is deployment-wide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Days before the deadline, e.g. 7, 3, 1 (any order; zero and duplicates ignored).
    pub lead_days: Vec<u16>,
    /// Overdue by this many days: tell the responsible leader.
    pub leader_after: u16,
    /// Overdue by this many days: into the supervision queue. At least `leader_after`.
    pub supervise_after: u16,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            lead_days: vec![7, 3, 1],
            leader_after: 3,
            supervise_after: 7,
        }
    }
}

impl Policy {
    /// Parses lead days written as "7,3,1" (also with full-width commas or spaces).
    pub fn parse_lead_days(s: &str) -> Result<Vec<u16>, String> {
        let mut v = Vec::new();
        for part in s
            .split([',', '，', '、', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.parse::<u16>() {
                Ok(n) if (1..=366).contains(&n) => v.push(n),
                _ => return Err(format!("“{part}”不是1到366之间的天数")),
            }
        }
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.dedup();
        Ok(v)
    }

    /// The ladder with each stage's offset from the deadline, in firing order.
    pub fn ladder(&self) -> Vec<(Stage, i64)> {
        let mut lead: Vec<u16> = self.lead_days.iter().copied().filter(|&n| n > 0).collect();
        lead.sort_unstable_by(|a, b| b.cmp(a));
        lead.dedup();
        let mut v: Vec<(Stage, i64)> = lead
            .into_iter()
            .map(|n| (Stage::Before(n), -i64::from(n)))
            .collect();
        v.push((Stage::Due, 0));
        v.push((Stage::Overdue, 1));
        let leader = i64::from(self.leader_after.max(2));
        let supervise = i64::from(self.supervise_after).max(leader + 1);
        v.push((Stage::Leader, leader));
        v.push((Stage::Supervise, supervise));
        v
    }

    /// The latest stage reached on `today`, if any. After downtime this is the only
    /// stage to act on: the ones it passed are stale.
    pub fn stage_on(&self, deadline: NaiveDate, today: NaiveDate) -> Option<Stage> {
        let late = (today - deadline).num_days();
        self.ladder()
            .into_iter()
            .take_while(|&(_, off)| off <= late)
            .last()
            .map(|(s, _)| s)
    }

    /// The first day after `today` on which a later stage fires, or None when the
    /// ladder is finished.
    pub fn next_look(&self, deadline: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
        let late = (today - deadline).num_days();
        self.ladder()
            .into_iter()
            .find(|&(_, off)| off > late)
            .map(|(_, off)| deadline + chrono::TimeDelta::days(off))
    }
}

/// 蓝黄红 warning colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Warning {
    /// Due soon (蓝色提示).
    Blue,
    /// Due within days (黄色预警).
    Yellow,
    /// Overdue (红色警示).
    Red,
}

impl Warning {
    pub fn css(self) -> &'static str {
        match self {
            Warning::Blue => "warn-blue",
            Warning::Yellow => "warn-yellow",
            Warning::Red => "warn-red",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Warning::Blue => "临近",
            Warning::Yellow => "预警",
            Warning::Red => "逾期",
        }
    }
}

/// Thresholds of the warning colours, in days before the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarningDays {
    pub blue: i64,
    pub yellow: i64,
}

impl Default for WarningDays {
    fn default() -> Self {
        WarningDays {
            blue: 15,
            yellow: 5,
        }
    }
}

impl WarningDays {
    /// The colour of an open item; finished items (`open == false`) show none.
    pub fn colour(self, deadline: NaiveDate, today: NaiveDate, open: bool) -> Option<Warning> {
        if !open {
            return None;
        }
        let left = (deadline - today).num_days();
        if left < 0 {
            Some(Warning::Red)
        } else if left <= self.yellow {
            Some(Warning::Yellow)
        } else if left <= self.blue {
            Some(Warning::Blue)
        } else {
            None
        }
    }
    /// Same, from the stored `YYYY-MM-DD` text; an unparsable date shows no colour.
    pub fn colour_str(self, deadline: &str, today: NaiveDate, open: bool) -> Option<Warning> {
        NaiveDate::parse_from_str(deadline, "%Y-%m-%d")
            .ok()
            .and_then(|d| self.colour(d, today, open))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_deadline_walks_the_ladder_one_stage_per_trigger_day() {
        let p = Policy::default();
        let dl = d("2026-06-30");
        let mut fired = Vec::new();
        let mut last = None;
        let mut day = d("2026-06-01");
        while day <= d("2026-08-01") {
            let s = p.stage_on(dl, day);
            if s != last {
                fired.push((day.format("%m-%d").to_string(), s.map(Stage::key)));
                last = s;
            }
            day = day.succ_opt().unwrap();
        }
        let want = [
            ("06-23", "before-7"),
            ("06-27", "before-3"),
            ("06-29", "before-1"),
            ("06-30", "due"),
            ("07-01", "overdue"),
            ("07-03", "leader"),
            ("07-07", "supervise"),
        ];
        let got: Vec<(String, String)> = fired
            .into_iter()
            .map(|(a, b)| (a, b.unwrap_or_default()))
            .collect();
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn next_look_is_the_next_trigger_and_ends_with_the_ladder() {
        let p = Policy::default();
        let dl = d("2026-06-30");
        assert_eq!(p.next_look(dl, d("2026-01-01")), Some(d("2026-06-23")));
        assert_eq!(p.next_look(dl, d("2026-06-23")), Some(d("2026-06-27")));
        assert_eq!(p.next_look(dl, d("2026-06-30")), Some(d("2026-07-01")));
        assert_eq!(p.next_look(dl, d("2026-07-06")), Some(d("2026-07-07")));
        assert_eq!(p.next_look(dl, d("2026-07-07")), None);
        // after downtime only the latest stage counts
        assert_eq!(p.stage_on(dl, d("2026-09-01")), Some(Stage::Supervise));
        assert_eq!(p.stage_on(dl, d("2026-06-28")), Some(Stage::Before(3)));
        assert_eq!(p.stage_on(dl, d("2026-06-01")), None);
    }

    #[test]
    fn lead_days_parse_and_stage_keys_round_trip() {
        assert_eq!(Policy::parse_lead_days("1，7 3,3").unwrap(), vec![7, 3, 1]);
        assert!(Policy::parse_lead_days("7,x").unwrap_err().contains("x"));
        assert!(Policy::parse_lead_days("0").is_err());
        for (s, _) in Policy::default().ladder() {
            assert_eq!(Stage::parse(&s.key()), Some(s));
        }
        // escalation never comes before or with the overdue notice
        let p = Policy {
            lead_days: vec![],
            leader_after: 0,
            supervise_after: 0,
        };
        let offs: Vec<i64> = p.ladder().iter().map(|x| x.1).collect();
        assert_eq!(offs, vec![0, 1, 2, 3]);
    }

    #[test]
    fn colours_follow_the_thresholds() {
        let w = WarningDays::default();
        let today = d("2026-06-01");
        assert_eq!(w.colour(d("2026-05-31"), today, true), Some(Warning::Red));
        assert_eq!(
            w.colour(d("2026-06-01"), today, true),
            Some(Warning::Yellow)
        );
        assert_eq!(
            w.colour(d("2026-06-06"), today, true),
            Some(Warning::Yellow)
        );
        assert_eq!(w.colour(d("2026-06-07"), today, true), Some(Warning::Blue));
        assert_eq!(w.colour(d("2026-06-16"), today, true), Some(Warning::Blue));
        assert_eq!(w.colour(d("2026-06-17"), today, true), None);
        assert_eq!(w.colour(d("2026-05-31"), today, false), None);
        assert_eq!(w.colour_str("bad", today, true), None);
    }
}
