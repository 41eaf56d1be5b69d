//! Roles, what they permit, and the separation of the three administrators (三员分立).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 委党办: the commission party office, normally scoped to the whole tree.
    CommissionOffice,
    /// 单位党办: a unit's party office, scoped to the unit's subtree.
    UnitOffice,
    /// 支部书记: scoped to one branch.
    BranchSecretary,
    /// 班子成员: reads its scope and approves.
    TeamMember,
    /// 党员: only the items they are responsible for.
    Member,
    /// 纪检监察: the discipline-inspection group; petitions and the four forms of its
    /// scope, besides reading the scope. Informant identity needs a clearance on top.
    Discipline,
    /// 组织部门: the organisation department; personal-matters reports and cadre
    /// checks of its scope, besides reading the scope.
    OrgDept,
    /// 系统管理员: keeps the system running; sees no business data.
    SysAdmin,
    /// 安全管理员: accounts and roles; sees no business data.
    SecAdmin,
    /// 审计管理员: reads the audit log; sees no business data.
    Auditor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read tasks, problems, people of the scope.
    ReadScope,
    /// Create and edit tasks, problems, measures, reports in the scope.
    WriteScope,
    /// Approve or return tasks, sign off problem closing.
    Review,
    /// Create, rename, move, close orgs; edit people.
    ManageOrgs,
    /// Read and edit own items only (responsible person or measure owner).
    OwnItems,
    /// Accounts and roles.
    ManageAccounts,
    /// The audit log.
    ReadAudit,
    /// System status, backup.
    OperateSystem,
    /// Petitions (信访举报) and the four forms (四种形态) of the scope.
    DisciplineRecords,
    /// Personal-matters reports (个人有关事项报告) of the scope.
    PersonalMatters,
    /// Inspection tours (巡察) run from an org over the units below it: rounds, teams,
    /// talks, surveys, findings and feedback. The party offices (委党办, 单位党办 for
    /// 院内巡察) hold it; an inspected unit reads its own feedback and ledger through
    /// `ReadScope` only after feedback.
    Inspection,
    /// Assessment (考核) of the orgs below: edit indicator systems, open rounds, score,
    /// answer appeals, publish. The commission party office only.
    Assess,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::CommissionOffice,
        Role::UnitOffice,
        Role::BranchSecretary,
        Role::TeamMember,
        Role::Member,
        Role::Discipline,
        Role::OrgDept,
        Role::SysAdmin,
        Role::SecAdmin,
        Role::Auditor,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::CommissionOffice => "commission_office",
            Role::UnitOffice => "unit_office",
            Role::BranchSecretary => "branch_secretary",
            Role::TeamMember => "team_member",
            Role::Member => "member",
            Role::Discipline => "discipline",
            Role::OrgDept => "org_dept",
            Role::SysAdmin => "sysadmin",
            Role::SecAdmin => "secadmin",
            Role::Auditor => "auditor",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::CommissionOffice => "委党办",
            Role::UnitOffice => "单位党办",
            Role::BranchSecretary => "支部书记",
            Role::TeamMember => "班子成员",
            Role::Member => "党员",
            Role::Discipline => "纪检监察",
            Role::OrgDept => "组织部门",
            Role::SysAdmin => "系统管理员",
            Role::SecAdmin => "安全管理员",
            Role::Auditor => "审计管理员",
        }
    }
    pub fn is_admin(self) -> bool {
        matches!(self, Role::SysAdmin | Role::SecAdmin | Role::Auditor)
    }
    /// Whether holding this role requires a second factor (TOTP) at login: the three
    /// administrators, and the discipline role that holds petitions and informants.
    pub fn requires_two_factor(self) -> bool {
        // administrators, and the two roles that read the most sensitive records:
        // informants (discipline) and officials' declared family and assets (组织部门)
        self.is_admin() || matches!(self, Role::Discipline | Role::OrgDept)
    }
    pub fn permits(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::CommissionOffice if p == Assess => true,
            Role::CommissionOffice | Role::UnitOffice => {
                matches!(p, ReadScope | WriteScope | Review | ManageOrgs | Inspection)
            }
            Role::BranchSecretary => matches!(p, ReadScope | WriteScope | Review),
            Role::TeamMember => matches!(p, ReadScope | Review),
            Role::Member => matches!(p, OwnItems),
            Role::Discipline => matches!(p, ReadScope | DisciplineRecords),
            Role::OrgDept => matches!(p, ReadScope | PersonalMatters),
            Role::SysAdmin => matches!(p, OperateSystem),
            Role::SecAdmin => matches!(p, ManageAccounts),
            Role::Auditor => matches!(p, ReadAudit),
        }
    }
}

/// Whether a user may hold all of `roles` together. An administrator holds exactly one
/// role, so no account can do two administrators' work or see business data.
pub fn check_role_set(roles: &[Role]) -> Result<(), &'static str> {
    let admins = roles.iter().filter(|r| r.is_admin()).count();
    if admins > 0 && roles.len() > 1 {
        return Err("管理员账号只能持有一个管理员角色，且不能兼任业务角色（三员分立）");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_see_no_business_data() {
        for r in [Role::SysAdmin, Role::SecAdmin, Role::Auditor] {
            assert!(!r.permits(Permission::ReadScope));
            assert!(!r.permits(Permission::OwnItems));
        }
        assert!(Role::Auditor.permits(Permission::ReadAudit));
        assert!(!Role::SecAdmin.permits(Permission::ReadAudit));
        assert!(!Role::Auditor.permits(Permission::ManageAccounts));
    }

    #[test]
    fn three_administrators_stay_apart() {
        assert!(check_role_set(&[Role::SecAdmin, Role::Auditor]).is_err());
        assert!(check_role_set(&[Role::SysAdmin, Role::UnitOffice]).is_err());
        assert!(check_role_set(&[Role::Auditor]).is_ok());
        assert!(check_role_set(&[Role::UnitOffice, Role::TeamMember]).is_ok());
    }

    #[test]
    fn only_the_discipline_role_holds_discipline_records() {
        for r in Role::ALL {
            assert_eq!(
                r.permits(Permission::DisciplineRecords),
                r == Role::Discipline,
                "{r:?}"
            );
            assert_eq!(
                r.permits(Permission::PersonalMatters),
                r == Role::OrgDept,
                "{r:?}"
            );
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(check_role_set(&[Role::Discipline, Role::SecAdmin]).is_err());
        assert!(check_role_set(&[Role::Discipline, Role::Member]).is_ok());
    }

    #[test]
    fn team_members_approve_but_do_not_write() {
        assert!(Role::TeamMember.permits(Permission::Review));
        assert!(!Role::TeamMember.permits(Permission::WriteScope));
    }
}
