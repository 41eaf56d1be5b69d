//! What every page shows around its content, and how errors become pages.
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use zeren_app::AppError;
use zeren_core::{Permission, Role};

use crate::session::{clear_flash, PageUser};

pub struct MenuItem {
    pub key: &'static str,
    pub label: &'static str,
    pub href: &'static str,
}

pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

pub struct PageCtx {
    pub user_name: String,
    pub scope_name: String,
    pub csrf: String,
    pub active: &'static str,
    pub menu: Vec<MenuItem>,
    pub crumbs: Vec<Crumb>,
    pub unread: i64,
    /// Whether the header links to the inbox (business users).
    pub has_inbox: bool,
    pub warn: Warn,
    pub flash: Option<String>,
    pub flash_error: bool,
}

/// Warning colours (蓝黄红) of items with a deadline, as of today.
#[derive(Clone, Copy)]
pub struct Warn {
    days: zeren_core::reminder::WarningDays,
    today: chrono::NaiveDate,
}

impl Warn {
    pub fn new(days: zeren_core::reminder::WarningDays) -> Warn {
        Warn {
            days,
            today: zeren_app::clock::today(),
        }
    }
    pub fn of(&self, deadline: &str, open: bool) -> Option<zeren_core::reminder::Warning> {
        self.days.colour_str(deadline, self.today, open)
    }
    /// A labelled pill (临近 / 预警 / 逾期), or nothing. Fixed markup only, so templates
    /// may render it unescaped.
    /// `open` comes as a value or, from a template expression, a reference.
    pub fn pill(&self, deadline: &str, open: impl std::borrow::Borrow<bool>) -> &'static str {
        use zeren_core::reminder::Warning;
        match self.of(deadline, *open.borrow()) {
            Some(Warning::Blue) => {
                r#" <span class="warn warn-blue" title="蓝色提示：临近期限">临近</span>"#
            }
            Some(Warning::Yellow) => {
                r#" <span class="warn warn-yellow" title="黄色预警：即将到期">预警</span>"#
            }
            Some(Warning::Red) => {
                r#" <span class="warn warn-red" title="红色警示：已逾期">逾期</span>"#
            }
            None => "",
        }
    }
}

fn menu_for(u: &PageUser) -> Vec<MenuItem> {
    let a = &u.actor;
    let mut m = Vec::new();
    let business = a.has(Permission::ReadScope) || a.has(Permission::OwnItems);
    if business {
        m.push(MenuItem {
            key: "home",
            label: "工作台",
            href: "/",
        });
        m.push(MenuItem {
            key: "tasks",
            label: "责任清单",
            href: "/tasks",
        });
        m.push(MenuItem {
            key: "problems",
            label: "问题整改",
            href: "/problems",
        });
    }
    if a.has(Permission::ReadScope) {
        m.push(MenuItem {
            key: "activities",
            label: "组织生活",
            href: "/activities",
        });
        m.push(MenuItem {
            key: "compliance",
            label: "合规检查",
            href: "/compliance",
        });
        m.push(MenuItem {
            key: "branches",
            label: "支部建设",
            href: "/branches",
        });
        m.push(MenuItem {
            key: "rules",
            label: "制度规定",
            href: "/rules",
        });
    }
    if business {
        m.push(MenuItem {
            key: "inbox",
            label: "消息",
            href: "/inbox",
        });
    }
    if a.has(Permission::ReadScope) {
        m.push(MenuItem {
            key: "supervision",
            label: "督导",
            href: "/supervision",
        });
        m.push(MenuItem {
            key: "notices",
            label: "督办单",
            href: "/notices",
        });
        m.push(MenuItem {
            key: "accountability",
            label: "问责",
            href: "/accountability",
        });
    }
    // 纪检监督: only the discipline role (the reported person's own petitions are
    // filtered out below the menu, in SQL)
    if a.has(Permission::DisciplineRecords) {
        m.push(MenuItem {
            key: "petitions",
            label: "信访举报",
            href: "/petitions",
        });
        m.push(MenuItem {
            key: "four_forms",
            label: "四种形态",
            href: "/four-forms",
        });
    }
    // 干部监督: personal-matters reports for the organisation department only; the
    // four checks before a promotion for it and the discipline role
    if a.has(Permission::PersonalMatters) {
        m.push(MenuItem {
            key: "personal_matters",
            label: "个人有关事项",
            href: "/personal-matters",
        });
    }
    if a.has(Permission::PersonalMatters) || a.has(Permission::DisciplineRecords) {
        m.push(MenuItem {
            key: "promotion_checks",
            label: "凡提四必",
            href: "/promotion-checks",
        });
    }
    if a.has(Permission::ReadScope) {
        m.push(MenuItem {
            key: "risk_points",
            label: "廉政风险点",
            href: "/risk-points",
        });
    }
    // 责任书, 述职评议 and 干部工作 (issue 10): readers of the scope; a party to a
    // letter or a reporter reads their own
    if a.has(Permission::ReadScope) || a.has(Permission::OwnItems) {
        m.push(MenuItem {
            key: "letters",
            label: "责任书",
            href: "/letters",
        });
    }
    if a.has(Permission::ReadScope) {
        m.push(MenuItem {
            key: "duty_reports",
            label: "述职评议",
            href: "/duty-reports",
        });
        m.push(MenuItem {
            key: "cadre_work",
            label: "干部工作",
            href: "/cadre-work",
        });
    }
    if a.has(Permission::ReadScope) || a.has(Permission::OwnItems) {
        m.push(MenuItem {
            key: "inspection",
            label: "巡察整改",
            href: "/inspection",
        });
    }
    // 考核: the commission party office runs rounds; an assessed org reads its card
    if a.has(Permission::Assess) || a.has(Permission::WriteScope) {
        m.push(MenuItem {
            key: "assessment",
            label: "考核",
            href: "/assessment",
        });
    }
    if a.has(Permission::ReadScope) {
        m.push(MenuItem {
            key: "report",
            label: "年度报告",
            href: "/reports/annual",
        });
        m.push(MenuItem {
            key: "reader",
            label: "报告审读",
            href: "/reader",
        });
        m.push(MenuItem {
            key: "dashboard",
            label: "统计分析",
            href: "/dashboard",
        });
        m.push(MenuItem {
            key: "orgs",
            label: "组织机构",
            href: "/orgs",
        });
        m.push(MenuItem {
            key: "people",
            label: "人员",
            href: "/people",
        });
    }
    if a.has(Permission::WriteScope) || a.has(Permission::ManageOrgs) {
        m.push(MenuItem {
            key: "import",
            label: "导入",
            href: "/import",
        });
    }
    if a.has(Permission::ManageAccounts) {
        m.push(MenuItem {
            key: "users",
            label: "账号与角色",
            href: "/admin/users",
        });
    }
    if a.has(Permission::ReadAudit) {
        m.push(MenuItem {
            key: "audit",
            label: "审计日志",
            href: "/admin/audit",
        });
    }
    if a.has(Permission::OperateSystem) {
        m.push(MenuItem {
            key: "system",
            label: "系统状态",
            href: "/admin/system",
        });
        // the working-day calendar is configuration, not business data
        m.push(MenuItem {
            key: "calendar",
            label: "工作日历",
            href: "/calendar",
        });
    }
    m
}

impl PageCtx {
    pub fn new(u: &PageUser, active: &'static str, crumbs: Vec<(&str, Option<String>)>) -> PageCtx {
        let role = u.actor.roles.first().map(|(r, _)| *r);
        let scope_name = match (u.actor.home(), role) {
            (Some(h), Some(r)) if !matches!(r, Role::SysAdmin | Role::SecAdmin | Role::Auditor) => {
                format!("{} · {}", h.org_name, r.label())
            }
            (_, Some(r)) => r.label().to_string(),
            _ => "未分配角色".to_string(),
        };
        let (flash, flash_error) = match &u.flash {
            Some(f) if f.starts_with("错误：") => {
                (Some(f.trim_start_matches("错误：").to_string()), true)
            }
            Some(f) => (Some(f.clone()), false),
            None => (None, false),
        };
        PageCtx {
            user_name: u.actor.display_name.clone(),
            scope_name,
            csrf: u.csrf.clone(),
            active,
            menu: menu_for(u),
            crumbs: crumbs
                .into_iter()
                .map(|(l, h)| Crumb {
                    label: l.to_string(),
                    href: h,
                })
                .collect(),
            unread: u.unread,
            has_inbox: u.actor.has(Permission::ReadScope) || u.actor.has(Permission::OwnItems),
            warn: Warn::new(u.warning),
            flash,
            flash_error,
        }
    }
}

/// Renders a template, clearing a one-time flash message if one was shown.
pub fn render<T: Template>(t: &T, had_flash: bool) -> Response {
    match t.render() {
        Ok(html) => {
            if had_flash {
                (CookieJar::new().add(clear_flash()), Html(html)).into_response()
            } else {
                Html(html).into_response()
            }
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("模板错误：{e}")).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageCtx,
    status: u16,
    title: String,
    message: String,
    details: Vec<String>,
}

/// An application error as a page (for GETs and unexpected failures).
pub fn error_page(u: &PageUser, e: &AppError) -> Response {
    let (status, title) = match e {
        AppError::NotFound => (StatusCode::NOT_FOUND, "记录不存在"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "无权操作"),
        AppError::Unauthenticated | AppError::BadCredentials => {
            return Redirect::to("/login").into_response()
        }
        AppError::Invalid(_) => (StatusCode::BAD_REQUEST, "输入有误"),
        AppError::Conflict(_) => (StatusCode::CONFLICT, "操作未完成"),
        AppError::Store(_) | AppError::Io(_) => (StatusCode::INTERNAL_SERVER_ERROR, "系统错误"),
    };
    if matches!(e, AppError::Store(_) | AppError::Io(_)) {
        tracing::error!("request failed: {e}");
    }
    let details = match e {
        AppError::Invalid(v) => v
            .errors
            .iter()
            .map(|f| format!("{}：{}", field_label(&f.field), f.message))
            .collect(),
        _ => Vec::new(),
    };
    let page = ErrorPage {
        ctx: PageCtx::new(u, "", vec![(title, None)]),
        status: status.as_u16(),
        title: title.to_string(),
        message: e.to_string(),
        details,
    };
    let mut r = render(&page, false);
    *r.status_mut() = status;
    r
}

/// After a failed action on a detail page: back to it with the reason shown.
pub fn action_failed(back: &str, e: &AppError) -> Response {
    let msg = match e {
        AppError::Invalid(v) => v
            .errors
            .iter()
            .map(|f| format!("{}：{}", field_label(&f.field), f.message))
            .collect::<Vec<_>>()
            .join("；"),
        other => other.to_string(),
    };
    crate::session::redirect_with_flash(back, &format!("错误：{msg}"))
}

/// The Chinese name of a form field, for error messages.
pub fn field_label(f: &str) -> &str {
    match f {
        "title" => "标题",
        "deadline" => "期限",
        "content" => "内容",
        "files" => "佐证材料",
        "reason" => "理由",
        "org_id" => "责任单位",
        "org_ids" => "下级组织",
        "source" => "问题来源",
        "found_on" => "发现日期",
        "body" => "进展情况",
        "name" => "名称",
        "kind" => "类型",
        "parent_id" => "上级组织",
        "username" => "用户名",
        "password" => "密码",
        "role" => "角色",
        "owner_id" => "措施责任人",
        "person_id" => "责任人",
        "leader_id" => "责任领导",
        "answer_due" => "答复期限",
        "items" => "督办事项",
        "answer" => "答复内容",
        "action" => "问责方式",
        "decided_by" => "决定机关",
        "decided_on" => "决定日期",
        "notice_id" => "督办单",
        "item_id" => "关联事项",
        "held_on" => "召开日期",
        "planned_on" => "计划时间",
        "host_id" => "主持人",
        "recorder_id" => "记录人",
        "attendees" => "参会人员",
        "present_count" => "实到人数",
        "expected_count" => "应到人数",
        "leave_count" => "请假人数",
        other => other,
    }
}

/// Deadline colour class: overdue, due within 7 days, or fine.
pub fn due_class(deadline: &str, open: bool) -> &'static str {
    if !open {
        return "";
    }
    let today = zeren_app::clock::today();
    match chrono::NaiveDate::parse_from_str(deadline, "%Y-%m-%d") {
        Ok(d) if d < today => "due-overdue",
        Ok(d) if (d - today).num_days() <= 7 => "due-soon",
        _ => "due-ok",
    }
}
