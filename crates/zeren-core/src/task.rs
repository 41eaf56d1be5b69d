//! Tasks of a responsibility list (责任清单 / 任务清单) and their state machine.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// 未开始
    NotStarted,
    /// 进行中
    InProgress,
    /// 待审核
    PendingReview,
    /// 已完成
    Done,
    /// 已退回
    Returned,
}

/// What a user does to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskAction {
    Report,
    Submit,
    Approve,
    Return,
}

impl TaskState {
    pub const ALL: [TaskState; 5] = [
        TaskState::NotStarted,
        TaskState::InProgress,
        TaskState::PendingReview,
        TaskState::Done,
        TaskState::Returned,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::NotStarted => "not_started",
            TaskState::InProgress => "in_progress",
            TaskState::PendingReview => "pending_review",
            TaskState::Done => "done",
            TaskState::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            TaskState::NotStarted => "未开始",
            TaskState::InProgress => "进行中",
            TaskState::PendingReview => "待审核",
            TaskState::Done => "已完成",
            TaskState::Returned => "已退回",
        }
    }
    /// Open means "still on the books": everything but done.
    pub fn is_open(self) -> bool {
        self != TaskState::Done
    }
    /// The state after `action`, or None when the action is not allowed now.
    pub fn after(self, action: TaskAction) -> Option<TaskState> {
        use TaskAction::*;
        use TaskState::*;
        match (self, action) {
            (NotStarted | InProgress | Returned, Report) => Some(InProgress),
            (NotStarted | InProgress | Returned, Submit) => Some(PendingReview),
            (PendingReview, Approve) => Some(Done),
            (PendingReview, Return) => Some(Returned),
            _ => None,
        }
    }
}

/// Roll-up of a parent's children, shown on the parent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rollup {
    pub total: i64,
    pub done: i64,
    pub pending_review: i64,
    pub overdue: i64,
}

impl Rollup {
    /// Completion in whole percent; percentages are computed, never stored.
    pub fn percent_done(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.done * 100 / self.total
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_cycle() {
        let s = TaskState::NotStarted;
        let s = s.after(TaskAction::Report).unwrap();
        assert_eq!(s, TaskState::InProgress);
        let s = s.after(TaskAction::Submit).unwrap();
        assert_eq!(
            s.after(TaskAction::Report),
            None,
            "no edits while under review"
        );
        let back = s.after(TaskAction::Return).unwrap();
        assert_eq!(back, TaskState::Returned);
        let s = back.after(TaskAction::Submit).unwrap();
        let done = s.after(TaskAction::Approve).unwrap();
        assert_eq!(done, TaskState::Done);
        assert!(!done.is_open());
        assert_eq!(done.after(TaskAction::Approve), None);
        assert_eq!(TaskState::InProgress.after(TaskAction::Approve), None);
    }

    #[test]
    fn names_round_trip() {
        for s in TaskState::ALL {
            assert_eq!(TaskState::parse(s.as_str()), Some(s));
        }
        assert_eq!(TaskState::parse("bogus"), None);
    }

    #[test]
    fn rollup_percent() {
        let r = Rollup {
            total: 3,
            done: 2,
            pending_review: 0,
            overdue: 1,
        };
        assert_eq!(r.percent_done(), 66);
        assert_eq!(Rollup::default().percent_done(), 0);
    }
}
