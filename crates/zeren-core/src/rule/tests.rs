use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The shipped library, parsed as the application parses it.
fn library() -> Vec<Rule> {
    let mut out = Vec::new();
    for text in [
        include_str!("../../../../library/rules/branch-work.toml"),
        include_str!("../../../../library/rules/study.toml"),
    ] {
        let file: RuleFile = toml::from_str(text).unwrap();
        for spec in file.rule {
            out.push(spec.to_rule(false).unwrap());
        }
    }
    out
}

fn rule(key: &str) -> Rule {
    library().into_iter().find(|r| r.key == key).unwrap()
}

/// A branch founded long ago, with one Party group, and nothing recorded.
fn facts(kind: OrgKind) -> Facts {
    let mut f = Facts::new(kind, d("2010-01-01"));
    f.groups = 1;
    f
}

/// 党小组会 binds only a branch that has groups; a branch without groups is not
/// asked for them.
#[test]
fn group_meetings_bind_only_branches_with_groups() {
    let r = rule("group_meeting_monthly");
    assert!(r.requires_groups);
    let mut with = facts(OrgKind::Branch);
    assert!(r.binds(&with));
    with.groups = 0;
    assert!(!r.binds(&with));
    assert!(rule("branch_committee_monthly").binds(&with));
}

/// Holds `times` activities on the last day of every period of the year.
fn hold_every_period(f: &mut Facts, kind: ActivityKind, period: Period, year: i32, times: i64) {
    for s in period.spans(year) {
        for _ in 0..times {
            f.held.add_on(kind, s.end, true);
        }
    }
}

/// For every rule of the library: one set of facts that keeps it and one that breaks
/// it, at the edge (the last day of each period, exactly the threshold).
#[test]
fn every_library_rule_passes_and_fails_at_its_edge() {
    let rules = library();
    assert!(rules.len() >= 14, "{}", rules.len());
    let year = 2025;
    let today = d("2026-01-10");
    for r in &rules {
        let kind = r.applies_to[0];
        let (good, bad, bad_outcome) = match &r.check {
            Check::ActivityFrequency {
                activity,
                period,
                times,
            } => {
                let mut good = facts(kind);
                hold_every_period(&mut good, *activity, *period, year, *times);
                // the last period one short
                let mut bad = facts(kind);
                hold_every_period(&mut bad, *activity, *period, year, *times);
                bad.held.all.get_mut(activity).unwrap()[11] -= 1;
                (good, bad, Outcome::Missing)
            }
            Check::AttendanceRatio {
                activity, period, ..
            } => {
                let mut good = facts(kind);
                hold_every_period(&mut good, *activity, *period, year, 1);
                let mut bad = facts(kind);
                for s in period.spans(year) {
                    bad.held.add_on(*activity, s.end, false);
                }
                (good, bad, Outcome::Violation)
            }
            Check::MemberCount {
                min_full,
                max_members,
            } => {
                let mut good = facts(kind);
                let mut bad = facts(kind);
                if let Some(m) = min_full {
                    good.full_members = *m;
                    good.members = *m;
                    bad.full_members = m - 1;
                    bad.members = m - 1;
                }
                if let Some(m) = max_members {
                    good.full_members = 5;
                    good.members = *m;
                    bad.full_members = 5;
                    bad.members = m + 1;
                }
                (good, bad, Outcome::Violation)
            }
            Check::CommitteeRequired {
                full_members,
                min_committee,
            } => {
                let mut good = facts(kind);
                good.full_members = *full_members;
                good.has_secretary = true;
                good.committee_size = *min_committee;
                let mut bad = good.clone();
                bad.committee_size = min_committee - 1;
                (good, bad, Outcome::Violation)
            }
            Check::Term {
                committee_years,
                branch_years,
                extension_years,
            } => {
                let years = if kind == OrgKind::Committee {
                    *committee_years
                } else {
                    *branch_years
                };
                let mut good = facts(kind);
                good.term_start = Some(d("2024-01-01"));
                good.term_end = Some(d("2027-12-31"));
                let mut bad = facts(kind);
                // ended more than the extension ago
                bad.term_start = Some(d("2018-01-01"));
                bad.term_end = Some(today - chrono::TimeDelta::days(366 * *extension_years + 1));
                assert!(years > 0);
                (good, bad, Outcome::Violation)
            }
            Check::DuesUnpaidMonths { .. } => {
                let mut good = facts(kind);
                good.dues_arrears = Some(0);
                let mut bad = facts(kind);
                bad.dues_arrears = Some(1);
                (good, bad, Outcome::Violation)
            }
            Check::LostContactMonths { .. } => {
                let good = facts(kind);
                let mut bad = facts(kind);
                bad.lost_contact = 1;
                (good, bad, Outcome::Violation)
            }
        };
        let g = evaluate(r, &good, year, today);
        assert_eq!(g.verdict, Outcome::Ok, "{} passes: {g:?}", r.key);
        let b = evaluate(r, &bad, year, today);
        assert_eq!(b.verdict, bad_outcome, "{} fails: {b:?}", r.key);
        assert!(!b.detail.is_empty());
        assert!(r.citation().starts_with('《'), "{}", r.key);
    }
}

#[test]
fn library_keys_are_unique_and_settings_say_why() {
    let rules = library();
    let mut keys: Vec<&str> = rules.iter().map(|r| r.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), rules.len());
    for r in rules.iter().filter(|r| r.setting) {
        assert!(!r.note.is_empty(), "{} is a setting without a note", r.key);
        assert!(r.check.figure().is_some(), "{}", r.key);
    }
}

#[test]
fn a_quarters_last_day_counts_for_that_quarter_and_the_next_day_does_not() {
    let r = rule("branch_general_meeting_quarterly");
    let today = d("2026-07-01");
    let mut f = facts(OrgKind::Branch);
    f.held
        .add_on(ActivityKind::BranchGeneralMeeting, d("2026-03-31"), true);
    f.held
        .add_on(ActivityKind::BranchGeneralMeeting, d("2026-06-30"), true);
    let v = evaluate(&r, &f, 2026, today);
    assert_eq!(v.periods[0].verdict, Outcome::Ok);
    assert_eq!(v.periods[1].verdict, Outcome::Ok);
    assert_eq!(v.periods[2].verdict, Outcome::NotYetDue);
    assert_eq!(v.verdict, Outcome::NotYetDue);
    assert_eq!((v.expected, v.held), (4, 2));

    let mut late = facts(OrgKind::Branch);
    late.held
        .add_on(ActivityKind::BranchGeneralMeeting, d("2026-04-01"), true);
    let v = evaluate(&r, &late, 2026, today);
    assert_eq!(v.periods[0].verdict, Outcome::Missing);
    assert_eq!(v.periods[1].verdict, Outcome::Ok);
    assert_eq!(v.verdict, Outcome::Missing);
    assert!(v.detail.contains("第一季度"), "{}", v.detail);
}

#[test]
fn a_period_is_not_due_until_its_last_day_has_passed() {
    let r = rule("branch_general_meeting_quarterly");
    let f = facts(OrgKind::Branch);
    let on_last_day = evaluate(&r, &f, 2026, d("2026-03-31"));
    assert_eq!(on_last_day.periods[0].verdict, Outcome::NotYetDue);
    let next_day = evaluate(&r, &f, 2026, d("2026-04-01"));
    assert_eq!(next_day.periods[0].verdict, Outcome::Missing);
}

#[test]
fn february_ends_on_the_29th_in_a_leap_year() {
    let feb = |y| Period::Month.spans(y)[1].end;
    assert_eq!(feb(2024), d("2024-02-29"));
    assert_eq!(feb(2026), d("2026-02-28"));
    assert_eq!(feb(2000), d("2000-02-29"));
    assert_eq!(feb(2100), d("2100-02-28"));
    let r = rule("theme_day_monthly");
    let mut f = facts(OrgKind::Branch);
    f.held.add_on(ActivityKind::ThemeDay, d("2024-02-29"), true);
    // on the 29th February is still open; on 1 March it counts as held
    let v = evaluate(&r, &facts(OrgKind::Branch), 2024, d("2024-02-29"));
    assert_eq!(v.periods[1].verdict, Outcome::NotYetDue);
    let v = evaluate(&r, &f, 2024, d("2024-03-01"));
    assert_eq!(v.periods[1].verdict, Outcome::Ok);
    assert_eq!(v.periods[0].verdict, Outcome::Missing);
    let v = evaluate(&r, &facts(OrgKind::Branch), 2024, d("2024-03-01"));
    assert_eq!(v.periods[1].verdict, Outcome::Missing);
}

#[test]
fn quarters_and_halves_end_on_their_last_days() {
    let q: Vec<NaiveDate> = Period::Quarter.spans(2026).iter().map(|s| s.end).collect();
    assert_eq!(
        q,
        vec![
            d("2026-03-31"),
            d("2026-06-30"),
            d("2026-09-30"),
            d("2026-12-31")
        ]
    );
    let h = Period::Half.spans(2026);
    assert_eq!((h[0].start, h[0].end), (d("2026-01-01"), d("2026-06-30")));
    assert_eq!(h[1].key, "2026-H2");
    let y = Period::Year.spans(2026);
    assert_eq!(
        (y[0].start, y[0].end, y[0].months),
        (d("2026-01-01"), d("2026-12-31"), 12)
    );
    assert_eq!(Period::Month.spans(2026)[11].key, "2026-12");
}

#[test]
fn a_branch_founded_mid_year_is_expected_from_its_first_whole_period() {
    let founded = d("2026-07-15");
    let mut f = Facts::new(OrgKind::Branch, founded);
    let today = d("2027-01-05");
    let monthly = evaluate(&rule("branch_committee_monthly"), &f, 2026, today);
    let months: Vec<u32> = monthly.periods.iter().map(|p| p.span.first_month).collect();
    assert_eq!(months, vec![8, 9, 10, 11, 12]);
    assert_eq!(monthly.expected, 5);
    assert_eq!(monthly.verdict, Outcome::Missing);
    for m in 8..=12 {
        f.held.add(ActivityKind::BranchCommittee, m, 1, 1);
    }
    // a meeting in July, before the first whole month, is neither needed nor counted
    f.held.add(ActivityKind::BranchCommittee, 7, 1, 1);
    let monthly = evaluate(&rule("branch_committee_monthly"), &f, 2026, today);
    assert_eq!(monthly.verdict, Outcome::Ok);
    assert_eq!(monthly.held, 5);
    let quarterly = evaluate(&rule("branch_general_meeting_quarterly"), &f, 2026, today);
    assert_eq!(quarterly.periods.len(), 1);
    assert_eq!(quarterly.periods[0].span.key, "2026-Q4");
    let yearly = evaluate(&rule("org_life_yearly"), &f, 2026, today);
    assert!(yearly.periods.is_empty());
    assert_eq!(yearly.verdict, Outcome::Ok);
    // founded on the first of a month: that month counts
    let f = Facts::new(OrgKind::Branch, d("2026-07-01"));
    let v = evaluate(&rule("branch_committee_monthly"), &f, 2026, today);
    assert_eq!(v.periods[0].span.first_month, 7);
    // and the next year everything is expected
    let v = evaluate(&rule("org_life_yearly"), &f, 2027, d("2028-01-01"));
    assert_eq!(v.verdict, Outcome::Missing);
}

#[test]
fn a_rule_counts_from_its_effective_day() {
    let mut r = rule("theme_day_monthly");
    r.effective = d("2026-03-01");
    let v = evaluate(&r, &facts(OrgKind::Branch), 2026, d("2026-05-10"));
    assert_eq!(v.periods[0].span.first_month, 3);
    assert_eq!(v.expected, 10);
    r.effective = d("2027-01-01");
    let v = evaluate(&r, &facts(OrgKind::Branch), 2026, d("2026-05-10"));
    assert!(v.periods.is_empty());
}

#[test]
fn democratic_life_needs_two_thirds_present() {
    let r = rule("democratic_life_yearly");
    let today = d("2026-03-01");
    let mut f = facts(OrgKind::Committee);
    // 5 of 9 present: held, not quorate → violation at once
    f.held
        .add_on(ActivityKind::DemocraticLife, d("2026-01-20"), false);
    let v = evaluate(&r, &f, 2026, today);
    assert_eq!(v.verdict, Outcome::Violation);
    assert!(v.detail.contains("2/3"), "{}", v.detail);
    // a second meeting with enough present puts it right
    f.held
        .add_on(ActivityKind::DemocraticLife, d("2026-02-20"), true);
    assert_eq!(evaluate(&r, &f, 2026, today).verdict, Outcome::Ok);
    // none held: not yet due within the year, missing after it
    let none = facts(OrgKind::Committee);
    assert_eq!(evaluate(&r, &none, 2026, today).verdict, Outcome::NotYetDue);
    assert_eq!(
        evaluate(&r, &none, 2026, d("2027-01-01")).verdict,
        Outcome::Missing
    );
    assert_eq!(
        evaluate(&r, &none, 2026, d("2026-12-31")).verdict,
        Outcome::NotYetDue
    );
}

#[test]
fn member_count_limits() {
    let min = rule("branch_min_full_members");
    let max = rule("branch_max_members");
    let mut f = facts(OrgKind::Branch);
    f.full_members = 3;
    f.members = 50;
    let today = d("2026-06-01");
    assert_eq!(evaluate(&min, &f, 2026, today).verdict, Outcome::Ok);
    assert_eq!(evaluate(&max, &f, 2026, today).verdict, Outcome::Ok);
    f.full_members = 2;
    f.members = 51;
    let v = evaluate(&min, &f, 2026, today);
    assert_eq!((v.verdict, v.expected, v.held), (Outcome::Violation, 3, 2));
    let v = evaluate(&max, &f, 2026, today);
    assert_eq!(
        (v.verdict, v.expected, v.held),
        (Outcome::Violation, 50, 51)
    );
}

#[test]
fn committee_required_from_seven_full_members() {
    let r = rule("branch_committee_required");
    let today = d("2026-06-01");
    let mut f = facts(OrgKind::Branch);
    f.full_members = 6;
    f.has_secretary = true;
    f.committee_size = 1;
    assert_eq!(evaluate(&r, &f, 2026, today).verdict, Outcome::Ok);
    f.full_members = 7;
    let v = evaluate(&r, &f, 2026, today);
    assert_eq!(v.verdict, Outcome::Violation);
    assert!(v.detail.contains("应设支部委员会"), "{}", v.detail);
    f.committee_size = 3;
    assert_eq!(evaluate(&r, &f, 2026, today).verdict, Outcome::Ok);
    f.has_secretary = false;
    assert_eq!(evaluate(&r, &f, 2026, today).verdict, Outcome::Violation);
    let mut small = facts(OrgKind::Branch);
    small.full_members = 4;
    assert_eq!(
        evaluate(&r, &small, 2026, today).verdict,
        Outcome::Violation
    );
}

#[test]
fn terms_by_kind_with_a_year_of_grace() {
    let r = rule("committee_term");
    let mut b = facts(OrgKind::Branch);
    b.term_start = Some(d("2023-06-01"));
    // no end recorded: start + 3 years − 1 day
    let v = evaluate(&r, &b, 2026, d("2026-05-31"));
    assert_eq!(v.verdict, Outcome::NotYetDue);
    assert_eq!(v.held, 0);
    assert!(v.detail.contains("2026-05-31"), "{}", v.detail);
    let v = evaluate(&r, &b, 2026, d("2025-06-01"));
    assert_eq!(v.verdict, Outcome::Ok);
    // the day after the end: re-election missing; a year later: violation
    assert_eq!(
        evaluate(&r, &b, 2026, d("2026-06-01")).verdict,
        Outcome::Missing
    );
    assert_eq!(
        evaluate(&r, &b, 2027, d("2027-05-31")).verdict,
        Outcome::Missing
    );
    assert_eq!(
        evaluate(&r, &b, 2027, d("2027-06-01")).verdict,
        Outcome::Violation
    );
    // a committee's term is five years
    let mut c = facts(OrgKind::Committee);
    c.term_start = Some(d("2023-06-01"));
    assert_eq!(evaluate(&r, &c, 2026, d("2026-06-01")).verdict, Outcome::Ok);
    assert_eq!(
        evaluate(&r, &c, 2028, d("2028-06-01")).verdict,
        Outcome::Missing
    );
    // nothing recorded
    let v = evaluate(&r, &facts(OrgKind::Branch), 2026, d("2026-06-01"));
    assert_eq!(v.verdict, Outcome::Missing);
    // term starting on 29 February
    let mut leap = facts(OrgKind::Branch);
    leap.term_start = Some(d("2024-02-29"));
    let v = evaluate(&r, &leap, 2027, d("2027-02-27"));
    assert!(
        v.detail.contains("2027-02-27") || v.detail.contains("2027-02-28"),
        "{}",
        v.detail
    );
}

#[test]
fn dues_and_contacts() {
    let dues = rule("dues_unpaid_six_months");
    let lost = rule("lost_contact_six_months");
    let today = d("2026-06-01");
    let mut f = facts(OrgKind::Branch);
    assert_eq!(evaluate(&dues, &f, 2026, today).verdict, Outcome::NoData);
    f.dues_arrears = Some(0);
    assert_eq!(evaluate(&dues, &f, 2026, today).verdict, Outcome::Ok);
    f.dues_arrears = Some(2);
    let v = evaluate(&dues, &f, 2026, today);
    assert_eq!((v.verdict, v.held), (Outcome::Violation, 2));
    assert_eq!(evaluate(&lost, &f, 2026, today).verdict, Outcome::Ok);
    f.lost_contact = 1;
    assert_eq!(evaluate(&lost, &f, 2026, today).verdict, Outcome::Violation);
}

#[test]
fn central_group_study_is_a_setting_that_can_be_adjusted() {
    let r = rule("central_group_study");
    assert!(r.setting);
    let mut f = facts(OrgKind::Committee);
    for m in [1, 3, 5, 7, 9, 11] {
        f.held.add(ActivityKind::CentralGroupStudy, m, 1, 1);
    }
    let today = d("2027-01-02");
    assert_eq!(evaluate(&r, &f, 2026, today).verdict, Outcome::Ok);
    // a commission that wants one a month
    let mut monthly = r.clone();
    monthly.check = r.check.adjusted(Some(1), Some(Period::Month));
    let v = evaluate(&monthly, &f, 2026, today);
    assert_eq!(v.verdict, Outcome::Missing);
    assert_eq!((v.expected, v.held), (12, 6));
    assert_eq!(monthly.check.describe(), "理论学习中心组学习每月至少 1 次");
}

#[test]
fn local_rules_are_checked_like_library_rules() {
    let spec = RuleSpec {
        key: "local-central-group-monthly".into(),
        title: "中心组每月集中学习一次".into(),
        source: "委党委〔2026〕1号".into(),
        effective: "2026-01-01".into(),
        applies_to: vec!["committee".into()],
        check: "activity_frequency".into(),
        activity: Some("central_group_study".into()),
        period: Some("month".into()),
        times: Some(1),
        ..Default::default()
    };
    let r = spec.to_rule(true).unwrap();
    assert!(r.local && r.applies(OrgKind::Committee) && !r.applies(OrgKind::Branch));
    assert_eq!(r.citation(), "委党委〔2026〕1号");
    let mut bad = spec.clone();
    bad.period = Some("week".into());
    assert!(bad.to_rule(true).unwrap_err().contains("周期"));
    let mut bad = spec.clone();
    bad.times = Some(0);
    assert!(bad.to_rule(true).is_err());
    let mut bad = spec.clone();
    bad.key = "中心组".into();
    assert!(bad.to_rule(true).is_err());
    let mut bad = spec;
    bad.check = "attendance_ratio".into();
    bad.numerator = Some(3);
    bad.denominator = Some(2);
    assert!(bad.to_rule(true).is_err());
}

#[test]
fn obligations_list_flags_and_periods_ending_soon() {
    let r = rule("theme_day_monthly");
    let mut f = facts(OrgKind::Branch);
    for m in 1..=9 {
        if m != 4 {
            f.held.add(ActivityKind::ThemeDay, m, 1, 1);
        }
    }
    let today = d("2026-10-20");
    let v = evaluate(&r, &f, 2026, today);
    let o = obligations(&r, &v, 2026, today, 15);
    let keys: Vec<String> = o.iter().map(|x| x.key(42)).collect();
    assert_eq!(
        keys,
        vec![
            "rule:theme_day_monthly:42:2026-04",
            "rule:theme_day_monthly:42:2026-10"
        ]
    );
    assert_eq!(o[0].verdict, Outcome::Missing);
    assert_eq!(o[1].verdict, Outcome::NotYetDue);
    assert_eq!(o[1].due, Some(d("2026-10-31")));
    // state rules: one item for the year
    let mut small = facts(OrgKind::Branch);
    small.full_members = 2;
    let m = rule("branch_min_full_members");
    let v = evaluate(&m, &small, 2026, today);
    let o = obligations(&m, &v, 2026, today, 15);
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].key(7), "rule:branch_min_full_members:7:2026");
}

#[test]
fn compliance_rate_counts_decided_verdicts_only() {
    use Outcome::*;
    assert_eq!(compliance_rate(&[]), None);
    assert_eq!(compliance_rate(&[NotYetDue, NoData]), None);
    assert_eq!(compliance_rate(&[Ok, Missing, NotYetDue]), Some(50.0));
    assert_eq!(compliance_rate(&[Ok, Ok, Violation]), Some(66.7));
}
