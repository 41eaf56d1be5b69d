//! Problems and their rectification measures (问题清单 / 整改清单), and the
//! open-and-close rule (挂账销号): a problem closes only when every measure is done
//! with evidence and a reviewer signs off.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemSource {
    /// 巡视
    CentralInspection,
    /// 巡察
    LocalInspection,
    /// 审计
    Audit,
    /// 主题教育查摆
    SelfExamination,
    /// 民主生活会
    DemocraticLife,
    /// 调研
    Research,
    /// 考核
    Assessment,
    /// 信访
    Petition,
    /// 督查
    Supervision,
    /// 自查
    SelfCheck,
}

impl ProblemSource {
    pub const ALL: [ProblemSource; 10] = [
        ProblemSource::CentralInspection,
        ProblemSource::LocalInspection,
        ProblemSource::Audit,
        ProblemSource::SelfExamination,
        ProblemSource::DemocraticLife,
        ProblemSource::Research,
        ProblemSource::Assessment,
        ProblemSource::Petition,
        ProblemSource::Supervision,
        ProblemSource::SelfCheck,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemSource::CentralInspection => "central_inspection",
            ProblemSource::LocalInspection => "local_inspection",
            ProblemSource::Audit => "audit",
            ProblemSource::SelfExamination => "self_examination",
            ProblemSource::DemocraticLife => "democratic_life",
            ProblemSource::Research => "research",
            ProblemSource::Assessment => "assessment",
            ProblemSource::Petition => "petition",
            ProblemSource::Supervision => "supervision",
            ProblemSource::SelfCheck => "self_check",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ProblemSource::CentralInspection => "巡视",
            ProblemSource::LocalInspection => "巡察",
            ProblemSource::Audit => "审计",
            ProblemSource::SelfExamination => "主题教育查摆",
            ProblemSource::DemocraticLife => "民主生活会",
            ProblemSource::Research => "调研",
            ProblemSource::Assessment => "考核",
            ProblemSource::Petition => "信访",
            ProblemSource::Supervision => "督查",
            ProblemSource::SelfCheck => "自查",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemState {
    /// 整改中: on the books.
    Open,
    /// 待销号: all measures done, waiting for the reviewer.
    PendingReview,
    /// 已销号
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemAction {
    /// Ask for closing (申请销号).
    RequestClose,
    /// Reviewer signs off (审核销号).
    ApproveClose,
    /// Reviewer sends it back (退回).
    RejectClose,
    /// A closed problem is reopened with a reason (重新打开).
    Reopen,
}

impl ProblemState {
    pub const ALL: [ProblemState; 3] = [
        ProblemState::Open,
        ProblemState::PendingReview,
        ProblemState::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemState::Open => "open",
            ProblemState::PendingReview => "pending_review",
            ProblemState::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            ProblemState::Open => "整改中",
            ProblemState::PendingReview => "待销号",
            ProblemState::Closed => "已销号",
        }
    }
    pub fn after(self, action: ProblemAction) -> Option<ProblemState> {
        use ProblemAction::*;
        use ProblemState::*;
        match (self, action) {
            (Open, RequestClose) => Some(PendingReview),
            (PendingReview, ApproveClose) => Some(Closed),
            (PendingReview, RejectClose) => Some(Open),
            (Closed, Reopen) => Some(Open),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureState {
    /// 整改中
    Todo,
    /// 已完成
    Done,
}

impl MeasureState {
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureState::Todo => "todo",
            MeasureState::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "todo" => Some(MeasureState::Todo),
            "done" => Some(MeasureState::Done),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            MeasureState::Todo => "整改中",
            MeasureState::Done => "已完成",
        }
    }
}

/// What the closing rule needs to know about one measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureStatus {
    pub done: bool,
    pub evidence_count: i64,
}

/// Why a problem may not be put up for closing yet; `None` means it may.
pub fn closing_blocker(measures: &[MeasureStatus]) -> Option<&'static str> {
    if measures.is_empty() {
        return Some("问题尚无整改措施，不能申请销号");
    }
    if measures.iter().any(|m| !m.done) {
        return Some("仍有整改措施未完成，不能申请销号");
    }
    if measures.iter().any(|m| m.evidence_count == 0) {
        return Some("有整改措施缺少佐证材料，不能申请销号");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_only_through_review() {
        assert_eq!(ProblemState::Open.after(ProblemAction::ApproveClose), None);
        let p = ProblemState::Open
            .after(ProblemAction::RequestClose)
            .unwrap();
        assert_eq!(p, ProblemState::PendingReview);
        assert_eq!(
            p.after(ProblemAction::RejectClose),
            Some(ProblemState::Open)
        );
        let c = p.after(ProblemAction::ApproveClose).unwrap();
        assert_eq!(c, ProblemState::Closed);
        assert_eq!(c.after(ProblemAction::Reopen), Some(ProblemState::Open));
        assert_eq!(c.after(ProblemAction::RequestClose), None);
    }

    #[test]
    fn closing_needs_every_measure_done_with_evidence() {
        let ok = MeasureStatus {
            done: true,
            evidence_count: 1,
        };
        let undone = MeasureStatus {
            done: false,
            evidence_count: 1,
        };
        let bare = MeasureStatus {
            done: true,
            evidence_count: 0,
        };
        assert!(closing_blocker(&[]).is_some());
        assert!(closing_blocker(&[ok, undone]).is_some());
        assert!(closing_blocker(&[ok, bare]).is_some());
        assert_eq!(closing_blocker(&[ok, ok]), None);
    }

    #[test]
    fn source_names_round_trip() {
        for s in ProblemSource::ALL {
            assert_eq!(ProblemSource::parse(s.as_str()), Some(s));
        }
    }
}
