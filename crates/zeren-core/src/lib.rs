//! Domain types and rules of Zeren. No I/O, no clock: callers pass `today`/`now` in,
//! so every rule can be tested at any date.

pub mod activity;
pub mod assessment;
pub mod cadence;
pub mod cadre;
pub mod cadre_work;
pub mod dues;
pub mod duty_report;
pub mod error;
pub mod four_forms;
pub mod inspection;
pub mod letter;
pub mod member;
pub mod org;
pub mod petition;
pub mod problem;
pub mod reminder;
pub mod report;
pub mod risk;
pub mod role;
pub mod rule;
pub mod sheet;
pub mod task;
pub mod validate;
pub mod workday;

pub use error::{FieldError, ValidationErrors};
pub use org::{OrgKind, OrgPath};
pub use problem::{MeasureState, ProblemSource, ProblemState};
pub use role::{Permission, Role};
pub use task::TaskState;
