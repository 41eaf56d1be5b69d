//! Kinds of organisational-life records (组织生活). The key is what the database and
//! the rules library store; the label is what users read.
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ActivityKind {
    /// 支部党员大会
    BranchGeneralMeeting,
    /// 支部委员会
    BranchCommittee,
    /// 党小组会
    GroupMeeting,
    /// 党课
    PartyLecture,
    /// 主题党日
    ThemeDay,
    /// 理论学习中心组学习
    CentralGroupStudy,
    /// 党委会（议程中可有第一议题）
    CommitteeMeeting,
    /// 民主生活会
    DemocraticLife,
    /// 组织生活会
    OrgLife,
    /// 民主评议党员
    MemberAppraisal,
    /// 谈心谈话
    HeartTalk,
    /// 廉政谈话
    IntegrityTalk,
    /// 调研
    Research,
    /// 培训
    Training,
    /// 警示教育
    WarningEducation,
    /// 志愿服务 / 办实事
    Volunteer,
    /// 党员报到（到社区报到）
    MemberReport,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 17] = [
        ActivityKind::BranchGeneralMeeting,
        ActivityKind::BranchCommittee,
        ActivityKind::GroupMeeting,
        ActivityKind::PartyLecture,
        ActivityKind::ThemeDay,
        ActivityKind::CentralGroupStudy,
        ActivityKind::CommitteeMeeting,
        ActivityKind::DemocraticLife,
        ActivityKind::OrgLife,
        ActivityKind::MemberAppraisal,
        ActivityKind::HeartTalk,
        ActivityKind::IntegrityTalk,
        ActivityKind::Research,
        ActivityKind::Training,
        ActivityKind::WarningEducation,
        ActivityKind::Volunteer,
        ActivityKind::MemberReport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::BranchGeneralMeeting => "branch_general_meeting",
            ActivityKind::BranchCommittee => "branch_committee",
            ActivityKind::GroupMeeting => "group_meeting",
            ActivityKind::PartyLecture => "party_lecture",
            ActivityKind::ThemeDay => "theme_day",
            ActivityKind::CentralGroupStudy => "central_group_study",
            ActivityKind::CommitteeMeeting => "committee_meeting",
            ActivityKind::DemocraticLife => "democratic_life",
            ActivityKind::OrgLife => "org_life",
            ActivityKind::MemberAppraisal => "member_appraisal",
            ActivityKind::HeartTalk => "heart_talk",
            ActivityKind::IntegrityTalk => "integrity_talk",
            ActivityKind::Research => "research",
            ActivityKind::Training => "training",
            ActivityKind::WarningEducation => "warning_education",
            ActivityKind::Volunteer => "volunteer",
            ActivityKind::MemberReport => "member_report",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::BranchGeneralMeeting => "支部党员大会",
            ActivityKind::BranchCommittee => "支部委员会",
            ActivityKind::GroupMeeting => "党小组会",
            ActivityKind::PartyLecture => "党课",
            ActivityKind::ThemeDay => "主题党日",
            ActivityKind::CentralGroupStudy => "理论学习中心组学习",
            ActivityKind::CommitteeMeeting => "党委会",
            ActivityKind::DemocraticLife => "民主生活会",
            ActivityKind::OrgLife => "组织生活会",
            ActivityKind::MemberAppraisal => "民主评议党员",
            ActivityKind::HeartTalk => "谈心谈话",
            ActivityKind::IntegrityTalk => "廉政谈话",
            ActivityKind::Research => "调研",
            ActivityKind::Training => "培训",
            ActivityKind::WarningEducation => "警示教育",
            ActivityKind::Volunteer => "志愿服务/办实事",
            ActivityKind::MemberReport => "党员报到",
        }
    }

    /// Part of 三会一课 (the branch's regular meetings and lecture).
    pub fn is_three_meetings_one_lecture(self) -> bool {
        matches!(
            self,
            ActivityKind::BranchGeneralMeeting
                | ActivityKind::BranchCommittee
                | ActivityKind::GroupMeeting
                | ActivityKind::PartyLecture
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_unique() {
        let mut keys: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.as_str()).collect();
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.as_str()), Some(k));
        }
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ActivityKind::ALL.len());
        assert_eq!(ActivityKind::parse("meeting"), None);
    }
}

/// Text holding one item per line (a 调研's opinions and outcomes, 办实事's matters) as
/// it is stored: each line trimmed, blank lines dropped. The report counts items as
/// lines, in SQL, so a stray blank line must not count as an item.
pub fn one_per_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod one_per_line_tests {
    use super::one_per_line;

    #[test]
    fn blank_lines_and_spaces_go() {
        assert_eq!(one_per_line(" 停车难 \r\n\n  \n挂号难\n"), "停车难\n挂号难");
        assert_eq!(one_per_line("\n \n"), "");
    }
}
