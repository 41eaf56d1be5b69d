//! Who is acting, and what they may see and do.
use zeren_core::{Permission, Role};
use zeren_store::user::RoleRow;
use zeren_store::Scope;

use crate::{AppError, AppResult};

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub person_id: Option<i64>,
    pub roles: Vec<(Role, RoleRow)>,
    /// Network source of the request, for the audit log.
    pub source: String,
}

impl Actor {
    /// The command line acting on the whole tree under `root` as the commission's
    /// party office: no user account (user id 0, audited as `system` from `cli`).
    pub fn system(root: &zeren_store::org::OrgRow) -> Actor {
        Actor {
            user_id: 0,
            username: "system".into(),
            display_name: "命令行".into(),
            person_id: None,
            roles: vec![(
                Role::CommissionOffice,
                RoleRow {
                    id: 0,
                    user_id: 0,
                    role: Role::CommissionOffice.as_str().into(),
                    org_id: root.id,
                    org_path: root.path.clone(),
                    org_name: root.name.clone(),
                },
            )],
            source: "cli".into(),
        }
    }

    /// The user id for the audit log: none for the command line.
    pub fn audit_id(&self) -> Option<i64> {
        (self.user_id > 0).then_some(self.user_id)
    }

    pub fn has(&self, p: Permission) -> bool {
        self.roles.iter().any(|(r, _)| r.permits(p))
    }

    /// Org subtrees in which the actor holds permission `p`.
    pub fn paths_for(&self, p: Permission) -> Vec<String> {
        let mut v: Vec<String> = self
            .roles
            .iter()
            .filter(|(r, _)| r.permits(p))
            .map(|(_, row)| row.org_path.clone())
            .collect();
        v.sort();
        // drop paths already inside another one
        let mut out: Vec<String> = Vec::new();
        for p in v {
            if !out.iter().any(|o| p.starts_with(o.as_str())) {
                out.push(p);
            }
        }
        out
    }

    /// What the actor may read of business data.
    pub fn read_scope(&self) -> Scope {
        let paths = self.paths_for(Permission::ReadScope);
        if !paths.is_empty() {
            return Scope::Subtrees(paths);
        }
        match (self.has(Permission::OwnItems), self.person_id) {
            (true, Some(pid)) => Scope::Person(pid),
            _ => Scope::Nothing,
        }
    }

    /// Whether the actor holds `p` on the org with this path.
    pub fn can_at(&self, p: Permission, org_path: &str) -> bool {
        self.roles
            .iter()
            .any(|(r, row)| r.permits(p) && org_path.starts_with(row.org_path.as_str()))
    }

    pub fn require_at(&self, p: Permission, org_path: &str, what: &str) -> AppResult<()> {
        if self.can_at(p, org_path) {
            Ok(())
        } else {
            Err(AppError::Forbidden(what.to_string()))
        }
    }

    pub fn require(&self, p: Permission, what: &str) -> AppResult<()> {
        if self.has(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden(what.to_string()))
        }
    }

    /// The org the actor works from: the first role's org. Used as the default scope
    /// and for the top bar.
    pub fn home(&self) -> Option<&RoleRow> {
        self.roles.first().map(|(_, r)| r)
    }

    pub fn is_admin(&self) -> bool {
        self.roles.iter().any(|(r, _)| r.is_admin())
    }
}
