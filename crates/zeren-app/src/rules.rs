//! The rules library (制度规定): the rules shipped in `library/rules/*.toml`, the
//! settings that adjust their uncertain or local figures, and the local rules a
//! commission or unit adds with its own citation. Adding, retiring and setting are
//! audited; reading the library needs any business role.
use chrono::NaiveDate;
use zeren_core::activity::ActivityKind;
use zeren_core::rule::{Period, Rule, RuleFile, RuleSpec};
use zeren_core::{OrgKind, Role, ValidationErrors};
use zeren_store::compliance::{self as store, LocalRuleRow, NewLocalRule, NewSetting, SettingRow};

use crate::audit::{self, AuditAction, Event};
use crate::{clock, Actor, App, AppError, AppResult};

/// The library's files, compiled into the binary.
const LIBRARY: &[&str] = &[
    include_str!("../../../library/rules/branch-work.toml"),
    include_str!("../../../library/rules/study.toml"),
];

/// The shipped rules, in file order. A rule that does not parse is left out (the
/// unit test below and zeren-core's tests keep the files valid).
pub fn library() -> Vec<Rule> {
    LIBRARY
        .iter()
        .filter_map(|t| toml::from_str::<RuleFile>(t).ok())
        .flat_map(|f| f.rule)
        .filter_map(|s| s.to_rule(false).ok())
        .collect()
}

/// One library rule and the settings made for it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LibraryRule {
    pub rule: Rule,
    pub citation: String,
    pub requirement: String,
    pub settings: Vec<SettingRow>,
}

/// What the rules page shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RulesView {
    pub library: Vec<LibraryRule>,
    /// Local rules whose org lies above or inside the actor's scope, retired ones too.
    pub local: Vec<LocalRuleRow>,
}

/// The rules in force for an org at `path`: the library with the deepest setting
/// above the org applied, and the local rules of the org's ancestors (or itself).
pub struct RuleSet {
    pub library: Vec<Rule>,
    pub settings: Vec<SettingRow>,
    pub local: Vec<(String, Rule)>,
}

impl RuleSet {
    /// The rules that apply to an org of `kind` at `path`.
    pub fn for_org(&self, kind: OrgKind, path: &str) -> Vec<Rule> {
        let mut out = Vec::new();
        for r in &self.library {
            if !r.applies(kind) {
                continue;
            }
            let setting = self
                .settings
                .iter()
                .filter(|s| s.rule_key == r.key && path.starts_with(s.org_path.as_str()))
                .max_by_key(|s| s.org_path.len());
            match setting {
                Some(s) => {
                    let mut r = r.clone();
                    r.check = r
                        .check
                        .adjusted(s.figure, s.period.as_deref().and_then(Period::parse));
                    out.push(r);
                }
                None => out.push(r.clone()),
            }
        }
        for (root, r) in &self.local {
            if r.applies(kind) && path.starts_with(root.as_str()) {
                out.push(r.clone());
            }
        }
        out
    }

    /// Every rule any org could be checked against (for attendance ratios and
    /// contact cut-offs the SQL needs up front).
    pub fn all(&self) -> impl Iterator<Item = &Rule> {
        self.library.iter().chain(self.local.iter().map(|(_, r)| r))
    }
}

/// Input of a new local rule: a frequency rule (the kind of local rule commissions
/// write: "中心组每月集中学习一次").
#[derive(Debug, Clone, Default)]
pub struct NewRule {
    pub org_id: Option<i64>,
    pub title: String,
    pub citation: String,
    pub activity: String,
    pub period: String,
    pub times: String,
    pub applies_to: Vec<String>,
    pub effective_from: String,
}

/// Offices (委党办, 单位党办) keep the rules of their subtree.
fn office_at(actor: &Actor, path: &str) -> bool {
    actor.roles.iter().any(|(r, row)| {
        matches!(r, Role::CommissionOffice | Role::UnitOffice)
            && path.starts_with(row.org_path.as_str())
    })
}

/// Whether a local rule or setting made at `path` concerns the actor: made above its
/// scope (it applies to the actor's orgs) or inside it.
fn concerns(actor: &Actor, path: &str) -> bool {
    let scope = actor.read_scope();
    scope.contains_path(path)
        || actor
            .paths_for(zeren_core::Permission::ReadScope)
            .iter()
            .any(|p| p.starts_with(path))
}

impl App {
    pub fn may_edit_rules(actor: &Actor) -> bool {
        actor
            .roles
            .iter()
            .any(|(r, _)| matches!(r, Role::CommissionOffice | Role::UnitOffice))
    }

    /// The rules in force (library, settings, local rules not retired).
    pub(crate) async fn rule_set(&self, c: &mut zeren_store::Conn) -> AppResult<RuleSet> {
        let settings = store::settings(c).await?;
        let mut local = Vec::new();
        for row in store::local_rules(c, false).await? {
            if let Ok(spec) = serde_json::from_str::<RuleSpec>(&row.spec) {
                if let Ok(rule) = spec.to_rule(true) {
                    local.push((row.org_path.clone(), rule));
                }
            }
        }
        Ok(RuleSet {
            library: library(),
            settings,
            local,
        })
    }

    pub async fn rules_view(&self, actor: &Actor) -> AppResult<RulesView> {
        if actor.is_admin() {
            return Err(AppError::NotFound);
        }
        let mut c = self.store.conn().await?;
        let settings: Vec<SettingRow> = store::settings(&mut c)
            .await?
            .into_iter()
            .filter(|s| concerns(actor, &s.org_path))
            .collect();
        let library = library()
            .into_iter()
            .map(|rule| LibraryRule {
                citation: rule.citation(),
                requirement: rule.check.describe(),
                settings: settings
                    .iter()
                    .filter(|s| s.rule_key == rule.key)
                    .cloned()
                    .collect(),
                rule,
            })
            .collect();
        let local = store::local_rules(&mut c, true)
            .await?
            .into_iter()
            .filter(|r| concerns(actor, &r.org_path))
            .collect();
        Ok(RulesView { library, local })
    }

    /// Adds a local frequency rule for the orgs below `org_id`.
    pub async fn local_rule_add(&self, actor: &Actor, input: NewRule) -> AppResult<i64> {
        let mut errs = ValidationErrors::new();
        let title = zeren_core::validate::text(&mut errs, "title", "规定名称", &input.title, 100);
        let citation = zeren_core::validate::text(
            &mut errs,
            "citation",
            "依据文件及条款",
            &input.citation,
            200,
        );
        if ActivityKind::parse(&input.activity).is_none() {
            errs.add("activity", "请选择活动类型");
        }
        if Period::parse(&input.period).is_none() {
            errs.add("period", "请选择周期");
        }
        let times = match input.times.trim().parse::<i64>() {
            Ok(n) if (1..=31).contains(&n) => n,
            _ => {
                errs.add("times", "次数应为 1 至 31 的整数");
                0
            }
        };
        let mut kinds: Vec<String> = Vec::new();
        for k in &input.applies_to {
            match OrgKind::parse(k) {
                Some(OrgKind::Group) | None => errs.add("applies_to", "适用组织类型无效"),
                Some(kind) if !kinds.contains(&kind.as_str().to_string()) => {
                    kinds.push(kind.as_str().to_string())
                }
                Some(_) => {}
            }
        }
        if input.applies_to.is_empty() {
            errs.add("applies_to", "请选择适用的组织类型");
        }
        let effective = zeren_core::validate::date(
            &mut errs,
            "effective_from",
            "生效日期",
            &input.effective_from,
        );
        let mut tx = self.store.begin_write().await?;
        let org = match input.org_id {
            Some(id) => zeren_store::org::get_in(tx.conn(), &actor.read_scope(), id)
                .await
                .ok(),
            None => None,
        };
        if org.is_none() {
            errs.add("org_id", "请选择制定规定的单位");
        }
        errs.into_result()?;
        let (Some(org), Some(effective)) = (org, effective) else {
            return Err(crate::error::invalid("org_id", "请选择制定规定的单位"));
        };
        if !office_at(actor, &org.path) {
            return Err(AppError::Forbidden(
                "只有本级或上级党办可以制定本单位规定".into(),
            ));
        }
        let effective = effective.to_string();
        let mut spec = RuleSpec {
            key: String::new(),
            title: title.clone(),
            source: citation.clone(),
            article: String::new(),
            effective: effective.clone(),
            applies_to: kinds,
            check: "activity_frequency".into(),
            activity: Some(input.activity.clone()),
            period: Some(input.period.clone()),
            times: Some(times),
            ..Default::default()
        };
        let now = clock::now();
        let pending = format!("pending-{now}-{}", rand::random::<u32>());
        let id = store::insert_local_rule(
            tx.conn(),
            NewLocalRule {
                org_id: org.id,
                org_path: &org.path,
                key: &pending,
                title: &title,
                citation: &citation,
                check_kind: "activity_frequency",
                spec: "{}",
                effective_from: &effective,
                created_by: Some(actor.user_id),
                created_at: now,
            },
        )
        .await?;
        spec.key = format!("local-{id}");
        let rule = spec
            .to_rule(true)
            .map_err(|e| crate::error::invalid("title", e))?;
        let json = serde_json::to_string(&spec).map_err(|e| AppError::Io(e.to_string()))?;
        store::set_local_rule_key(tx.conn(), id, &spec.key, &json).await?;
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::RuleCreate, "local_rule", id, &org.path).detail(format!(
                "{}：{}（{}）",
                spec.key,
                rule.check.describe(),
                citation
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Retires a local rule: it stops counting from now on; the row stays for the record.
    pub async fn local_rule_retire(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let row = store::local_rule(tx.conn(), id)
            .await
            .map_err(|_| AppError::NotFound)?;
        if !concerns(actor, &row.org_path) || actor.is_admin() {
            return Err(AppError::NotFound);
        }
        if !office_at(actor, &row.org_path) {
            return Err(AppError::Forbidden(
                "只有制定单位或其上级党办可以废止该规定".into(),
            ));
        }
        if !store::retire_local_rule(tx.conn(), id, Some(actor.user_id), clock::now()).await? {
            return Err(crate::error::invalid("id", "该规定已废止"));
        }
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::RuleRetire, "local_rule", id, &row.org_path)
                .detail(format!("{}：{}", row.key, row.title)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adjusts a library rule marked `setting` for the subtree of `org_id` (default:
    /// the actor's home org). `figure` empty restores the library's value.
    pub async fn rule_setting_set(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        rule_key: &str,
        figure: &str,
        period: &str,
    ) -> AppResult<()> {
        let rule = library()
            .into_iter()
            .find(|r| r.key == rule_key)
            .ok_or(AppError::NotFound)?;
        let mut errs = ValidationErrors::new();
        if !rule.setting {
            errs.add("rule_key", "该规定的数值由上级文件确定，不可调整");
        }
        let figure = match figure.trim() {
            "" => None,
            f => match f.parse::<i64>() {
                Ok(n) if (1..=100).contains(&n) => Some(n),
                _ => {
                    errs.add("figure", "数值应为 1 至 100 的整数");
                    None
                }
            },
        };
        let period = match period.trim() {
            "" => None,
            p => match Period::parse(p) {
                Some(p) if rule.check.period().is_some() => Some(p),
                _ => {
                    errs.add("period", "周期无效");
                    None
                }
            },
        };
        let home = org_id
            .or_else(|| actor.home().map(|r| r.org_id))
            .ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin_write().await?;
        let org = zeren_store::org::get_in(tx.conn(), &actor.read_scope(), home)
            .await
            .map_err(|_| AppError::NotFound)?;
        errs.into_result()?;
        if !office_at(actor, &org.path) {
            return Err(AppError::Forbidden("只有党办可以调整规定设置".into()));
        }
        store::put_setting(
            tx.conn(),
            NewSetting {
                org_id: org.id,
                org_path: &org.path,
                rule_key,
                figure,
                period: period.map(Period::as_str),
                updated_by: Some(actor.user_id),
                updated_at: clock::now(),
            },
        )
        .await?;
        let shown = rule.check.adjusted(figure, period).describe();
        audit::by_actor(
            tx.conn(),
            actor,
            Event::ok(AuditAction::RuleSetting, "rule", rule_key, &org.path)
                .detail(format!("{}：{shown}", org.name)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Today's date as the default effective day of a new local rule.
pub fn default_effective(today: NaiveDate) -> String {
    today.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_library_file_parses_completely() {
        let mut n = 0;
        for t in LIBRARY {
            let f: RuleFile = toml::from_str(t).unwrap();
            for s in f.rule {
                s.to_rule(false).unwrap();
                n += 1;
            }
        }
        assert_eq!(library().len(), n);
    }

    #[test]
    fn deepest_setting_wins_and_local_rules_apply_below_their_org() {
        let lib = library();
        let setting = |path: &str, figure: i64| SettingRow {
            id: 0,
            org_id: 0,
            org_path: path.into(),
            org_name: String::new(),
            rule_key: "central_group_study".into(),
            figure: Some(figure),
            period: Some("month".into()),
            updated_by: None,
            updated_at: 0,
        };
        let local = RuleSpec {
            key: "local-1".into(),
            title: "中心组每月集中学习一次".into(),
            source: "委党委文件".into(),
            effective: "2026-01-01".into(),
            applies_to: vec!["committee".into()],
            check: "activity_frequency".into(),
            activity: Some("central_group_study".into()),
            period: Some("month".into()),
            times: Some(1),
            ..Default::default()
        }
        .to_rule(true)
        .unwrap();
        let set = RuleSet {
            library: lib,
            settings: vec![setting("/1/", 2), setting("/1/5/", 1)],
            local: vec![("/1/5/".into(), local)],
        };
        let rules = set.for_org(OrgKind::Committee, "/1/5/9/");
        let cg = rules
            .iter()
            .find(|r| r.key == "central_group_study")
            .unwrap();
        assert_eq!(cg.check.figure(), Some(1));
        assert!(rules.iter().any(|r| r.key == "local-1"));
        let other = set.for_org(OrgKind::Committee, "/1/6/");
        let cg = other
            .iter()
            .find(|r| r.key == "central_group_study")
            .unwrap();
        assert_eq!(cg.check.figure(), Some(2));
        assert!(!other.iter().any(|r| r.key == "local-1"));
        assert!(set
            .for_org(OrgKind::Branch, "/1/5/9/")
            .iter()
            .all(|r| r.key != "local-1"));
    }
}
