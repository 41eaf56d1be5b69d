//! The OpenAPI 3.1 document served at `/api/v1/openapi.json`.
//!
//! Written as data rather than generated with utoipa: the API's types live in three
//! crates (core, store, app) and deriving schemas would put an HTTP-documentation
//! dependency into the domain crates, which must stay free of web concerns.
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

fn list_params(extra: &[(&str, &str)]) -> Value {
    let mut p = vec![
        json!({"name":"page","in":"query","schema":{"type":"integer","minimum":1},"description":"页码，从1开始"}),
        json!({"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500},"description":"每页条数，默认50"}),
        json!({"name":"org","in":"query","schema":{"type":"integer"},"description":"只看该组织及其下级"}),
        json!({"name":"state","in":"query","schema":{"type":"string"}}),
        json!({"name":"overdue","in":"query","schema":{"type":"string","enum":["1"]},"description":"仅逾期未完成"}),
        json!({"name":"q","in":"query","schema":{"type":"string"},"description":"标题关键词"}),
        json!({"name":"sort","in":"query","schema":{"type":"string","enum":["deadline","deadline_desc","newest"]}}),
    ];
    for (n, d) in extra {
        p.push(json!({"name": n, "in":"query","schema":{"type":"string"},"description": d}));
    }
    Value::Array(p)
}

fn notification_params() -> Value {
    json!([
        {"name":"unread","in":"query","schema":{"type":"string","enum":["1"]},"description":"仅未读"},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}}
    ])
}

fn supervision_params() -> Value {
    json!([
        {"name":"item_type","in":"query","schema":{"type":"string","enum":["task","measure","notice"]},"description":"事项类型"},
        {"name":"open","in":"query","schema":{"type":"string","enum":["1"]},"description":"仅未办结"},
        {"name":"without_notice","in":"query","schema":{"type":"string","enum":["1"]},"description":"仅未发督办单"},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}}
    ])
}

fn id_param() -> Value {
    json!([{"name":"id","in":"path","required":true,"schema":{"type":"integer"}}])
}

fn op(summary: &str, params: Value, body: Option<&str>, ok: &str) -> Value {
    let mut o = json!({
        "summary": summary,
        "parameters": params,
        "responses": {
            ok: {"description": "成功"},
            "401": {"$ref": "#/components/responses/Error"},
            "403": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
            "409": {"$ref": "#/components/responses/Error"},
            "422": {"$ref": "#/components/responses/Error"}
        }
    });
    if let Some(schema) = body {
        o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    }
    o
}

pub fn spec() -> Value {
    let mut v = base_spec();
    notice_paths(&mut v);
    recurring_paths(&mut v);
    activity_paths(&mut v);
    compliance_paths(&mut v);
    roster_paths(&mut v);
    import_paths(&mut v);
    crate::discipline_api::openapi_paths(&mut v);
    crate::letters_api::openapi_paths(&mut v);
    crate::cadre_api::openapi_paths(&mut v);
    crate::inspection_api::openapi_paths(&mut v);
    crate::assessment_api::openapi_paths(&mut v);
    v
}

fn base_spec() -> Value {
    let none = json!([]);
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Zeren API", "version": env!("CARGO_PKG_VERSION"), "description": "全面从严治党主体责任管理系统接口。除 POST /session 外，均须携带 Authorization: Bearer TOKEN；所有列表与详情按调用者的组织范围过滤，范围外记录返回 404。"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/session": {
                "post": {"summary": "登录，返回令牌", "security": [], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Login"}}}},
                         "responses": {"200": {"description": "令牌", "content": {"application/json": {"schema": {"type":"object","properties":{"token":{"type":"string"}}}}}}, "401": {"$ref": "#/components/responses/Error"}}},
                "delete": op("退出登录", none.clone(), None, "200")
            },
            "/problems": {
                "get": op("问题台账（分页）", list_params(&[("source","问题来源"),("person","责任人编号"),("review","仅待我审核")]), None, "200"),
                "post": op("登记问题", none.clone(), Some("ProblemInput"), "201")
            },
            "/problems/{id}": {"get": op("问题详情（含整改措施、佐证、时间线）", id_param(), None, "200")},
            "/problems/{id}/measures": {"post": op("新增整改措施", id_param(), Some("MeasureInput"), "201")},
            "/problems/{id}/transition": {"post": op("申请销号 / 审核销号 / 退回 / 重新打开", id_param(), Some("Transition"), "200")},
            "/measures/{id}/complete": {"post": op("完成整改措施（须附佐证）", id_param(), Some("Complete"), "200")},
            "/tasks": {
                "get": op("责任清单（分页）", list_params(&[("plan","年度安排编号"),("due","soon: 14天内到期"),("mine","仅本人负责"),("review","仅待我审核")]), None, "200"),
                "post": op("新建任务", none.clone(), Some("TaskInput"), "201")
            },
            "/tasks/{id}": {"get": op("任务详情（含分解、进展、时间线）", id_param(), None, "200")},
            "/tasks/{id}/decompose": {"post": op("分解下达到下级组织", id_param(), Some("Decompose"), "200")},
            "/tasks/{id}/reports": {"post": op("报告进展或提交审核", id_param(), Some("Report"), "200")},
            "/tasks/{id}/review": {"post": op("审核通过或退回", id_param(), Some("Review"), "200")},
            "/orgs": {"get": op("组织树", json!([{"name":"root","in":"query","schema":{"type":"integer"}},{"name":"levels","in":"query","schema":{"type":"integer"}}]), None, "200")},
            "/orgs/{id}": {"get": op("组织", id_param(), None, "200")},
            "/people": {"get": op("人员（分页）", json!([{"name":"org","in":"query","schema":{"type":"integer"}},{"name":"q","in":"query","schema":{"type":"string"}},{"name":"page","in":"query","schema":{"type":"integer"}}]), None, "200")},
            "/people/{id}": {"get": op("人员详情", id_param(), None, "200")},
            "/dashboard": {"get": op("统计：任务完成率、逾期、整改率、各下级组织", json!([{"name":"org","in":"query","schema":{"type":"integer"}}]), None, "200")},
            "/audit": {"get": op("审计日志（仅审计管理员）", json!([{"name":"page","in":"query","schema":{"type":"integer"}}]), None, "200")},
            "/notifications": {"get": op("我的消息提醒（分页，最新在前）：提示与督导，发给本人或本人所在党办/支部", notification_params(), None, "200")},
            "/notifications/{id}/read": {"post": op("将一条消息标为已读", id_param(), None, "200")},
            "/notifications/read-all": {"post": op("将我的全部消息标为已读", none.clone(), None, "200")},
            "/supervision": {"get": op("督导队列（分页）：本人范围内各组织的逾期督办事项，含逾期天数、当前状态、预警颜色", supervision_params(), None, "200")}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "错误：error 为中文说明，fields 列出每个有误的字段", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Error": {"type":"object","required":["error"],"properties":{"error":{"type":"string"},"fields":{"type":"array","items":{"type":"object","properties":{"field":{"type":"string"},"message":{"type":"string"}}}}}},
                "Login": {"type":"object","required":["username","password"],"properties":{"username":{"type":"string"},"password":{"type":"string"}}},
                "ProblemInput": {"type":"object","required":["org_id","source","title","found_on","deadline"],"properties":{
                    "org_id":{"type":"integer"},"issuing_org_id":{"type":"integer"},
                    "source":{"type":"string","enum":["central_inspection","local_inspection","audit","self_examination","democratic_life","research","assessment","petition","supervision","self_check"]},
                    "source_ref":{"type":"string"},"title":{"type":"string","maxLength":200},"description":{"type":"string"},"category":{"type":"string"},
                    "leader_id":{"type":"integer"},"department":{"type":"string"},"person_id":{"type":"integer"},
                    "found_on":{"type":"string","format":"date"},"deadline":{"type":"string","format":"date"},"recurrence_of":{"type":"integer"}}},
                "MeasureInput": {"type":"object","required":["content","deadline"],"properties":{"content":{"type":"string"},"owner_id":{"type":"integer"},"deadline":{"type":"string","format":"date"}}},
                "File": {"type":"object","required":["filename","content_base64"],"properties":{"filename":{"type":"string"},"content_base64":{"type":"string","contentEncoding":"base64"}}},
                "Complete": {"type":"object","properties":{"note":{"type":"string"},"files":{"type":"array","items":{"$ref":"#/components/schemas/File"}}}},
                "Transition": {"type":"object","required":["action"],"properties":{"action":{"type":"string","enum":["request_close","approve_close","reject_close","reopen"]},"reason":{"type":"string"}}},
                "TaskInput": {"type":"object","required":["org_id","title","deadline"],"properties":{"org_id":{"type":"integer"},"category":{"type":"string"},"subject":{"type":"string","enum":["committee","secretary","team_member","discipline"]},"title":{"type":"string"},"content":{"type":"string"},"leader_id":{"type":"integer"},"person_id":{"type":"integer"},"deadline":{"type":"string","format":"date"}}},
                "Decompose": {"type":"object","required":["org_ids"],"properties":{"org_ids":{"type":"array","items":{"type":"integer"}},"deadline":{"type":"string","format":"date"},"note":{"type":"string"}}},
                "Report": {"type":"object","required":["body"],"properties":{"body":{"type":"string"},"submit":{"type":"boolean"},"files":{"type":"array","items":{"$ref":"#/components/schemas/File"}}}},
                "Review": {"type":"object","required":["approve"],"properties":{"approve":{"type":"boolean"},"reason":{"type":"string"}}}
            }
        }
    })
}

pub async fn document() -> Response {
    Json(spec()).into_response()
}

/// 督办单 and 问责 (added beside the base document to keep each `json!` small).
fn notice_paths(v: &mut Value) {
    let none = json!([]);
    let notice_list = json!([
        {"name":"dir","in":"query","schema":{"type":"string","enum":["incoming","issued"]},"description":"incoming: 上级下发给本单位的；issued: 本单位（及下级）发出的"},
        {"name":"state","in":"query","schema":{"type":"string","enum":["open","answered"]}},
        {"name":"org","in":"query","schema":{"type":"integer"},"description":"只看发给该组织及其下级的"},
        {"name":"overdue","in":"query","schema":{"type":"string","enum":["1"]},"description":"仅逾期未答复"},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}}
    ]);
    let acc_list = json!([
        {"name":"org","in":"query","schema":{"type":"integer"},"description":"只看该组织及其下级"},
        {"name":"person","in":"query","schema":{"type":"integer"},"description":"被问责人编号"},
        {"name":"action","in":"query","schema":{"type":"string","enum":["interview","circular","self_exam","admonish","org_handling","discipline_referral"]}},
        {"name":"year","in":"query","schema":{"type":"integer"},"description":"决定年度"},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}}
    ]);
    let paths = [
        (
            "/notices",
            json!({
                "get": op("督办单（收到的与发出的，分页）", notice_list, None, "200"),
                "post": op("下发督办单（仅上级组织党办；编号如 督〔2026〕12号）", none.clone(), Some("NoticeInput"), "201")
            }),
        ),
        (
            "/notices/{id}",
            json!({"get": op("督办单详情（含督办事项及其当前状态、答复、佐证、时间线）", id_param(), None, "200")}),
        ),
        (
            "/notices/{id}/answer",
            json!({"post": op("被督办单位答复督办单（仅待答复时）", id_param(), Some("NoticeAnswer"), "200")}),
        ),
        (
            "/accountability",
            json!({
                "get": op("问责记录（分页）", acc_list, None, "200"),
                "post": op("登记问责", none, Some("AccountabilityInput"), "201")
            }),
        ),
    ];
    for (p, item) in paths {
        v["paths"][p] = item;
    }
    let schemas = [
        (
            "NoticeInput",
            json!({"type":"object","required":["org_id","title","body","answer_due","items"],"properties":{
            "org_id":{"type":"integer","description":"被督办的下级组织"},
            "title":{"type":"string","maxLength":100},"body":{"type":"string","maxLength":4000},
            "answer_due":{"type":"string","format":"date","description":"答复期限，不早于今天"},
            "items":{"type":"array","minItems":1,"items":{"type":"object","required":["item_type","item_id"],"properties":{"item_type":{"type":"string","enum":["task","measure"]},"item_id":{"type":"integer"}}}}}}),
        ),
        (
            "NoticeAnswer",
            json!({"type":"object","required":["answer"],"properties":{"answer":{"type":"string","maxLength":4000},"files":{"type":"array","items":{"$ref":"#/components/schemas/File"}}}}),
        ),
        (
            "AccountabilityInput",
            json!({"type":"object","required":["action","reason","decided_by","decided_on"],"properties":{
            "person_id":{"type":"integer","description":"被问责人（其所在组织即记录所属组织）"},
            "org_id":{"type":"integer","description":"被问责单位（未指定被问责人时）"},
            "action":{"type":"string","enum":["interview","circular","self_exam","admonish","org_handling","discipline_referral"],"description":"约谈、通报批评、责令检查、诫勉、组织处理、移送纪检"},
            "reason":{"type":"string","maxLength":2000},"decided_by":{"type":"string","maxLength":60},
            "decided_on":{"type":"string","format":"date"},"notice_id":{"type":"integer"},
            "item_type":{"type":"string","enum":["task","measure"]},"item_id":{"type":"integer"}}}),
        ),
    ];
    for (name, schema) in schemas {
        v["components"]["schemas"][name] = schema;
    }
}

/// 周期性任务, 年度结转 and 压力传导.
fn recurring_paths(v: &mut Value) {
    let pressure = json!([
        {"name":"org","in":"query","schema":{"type":"integer"},"description":"统计该组织及其下级（默认本人所在组织）；范围外返回 404"},
        {"name":"from","in":"query","schema":{"type":"string","format":"date"},"description":"期限起（默认当年1月1日）"},
        {"name":"to","in":"query","schema":{"type":"string","format":"date"},"description":"期限止（默认今天）"}
    ]);
    let paths = [
        (
            "/pressure",
            json!({"get": op("压力传导：期内到期任务的按期完成率、逾期占比、逾期天数中位数、督办单答复率，按层级（本级、下一级、再下一级…）和按下级组织", pressure, None, "200")}),
        ),
        (
            "/tasks/{id}/cadence",
            json!({"post": op("设置任务周期（仅下达单位）；分解到下级的任务随之，并立即生成本年度各期任务", id_param(), Some("Cadence"), "200")}),
        ),
        (
            "/plans/{id}/roll",
            json!({"post": op("年度安排复制到下一年度：任务树、周期与上年度关联保留，状态重置，期限顺延；同一年度只能结转一次（409）", id_param(), Some("Roll"), "201")}),
        ),
    ];
    for (p, item) in paths {
        v["paths"][p] = item;
    }
    v["components"]["schemas"]["Cadence"] = json!({"type":"object","required":["cadence"],"properties":{"cadence":{"type":"string","description":"monthly、quarterly、half_yearly、yearly、after_event:N（事件后N天内），空串或 none 表示不重复"}}});
    v["components"]["schemas"]["Roll"] = json!({"type":"object","required":["year"],"properties":{"year":{"type":"integer","description":"目标年度，晚于原安排年度"}}});
}

/// 组织生活记录.
fn activity_paths(v: &mut Value) {
    let kinds = json!([
        "branch_general_meeting",
        "branch_committee",
        "group_meeting",
        "party_lecture",
        "theme_day",
        "central_group_study",
        "committee_meeting",
        "democratic_life",
        "org_life",
        "member_appraisal",
        "heart_talk",
        "integrity_talk",
        "research",
        "training",
        "warning_education",
        "volunteer",
        "member_report"
    ]);
    let list = json!([
        {"name":"org","in":"query","schema":{"type":"integer"},"description":"只看该组织及其下级；范围外返回 404"},
        {"name":"kind","in":"query","schema":{"type":"string","enum": kinds.clone()},"description":"会议/活动类型"},
        {"name":"state","in":"query","schema":{"type":"string","enum":["held","planned","cancelled"]}},
        {"name":"year","in":"query","schema":{"type":"integer"},"description":"召开年度"},
        {"name":"month","in":"query","schema":{"type":"integer","minimum":1,"maximum":12},"description":"召开月份（未给年度时为当年）"},
        {"name":"q","in":"query","schema":{"type":"string"},"description":"标题或议题关键词"},
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}}
    ]);
    v["paths"]["/activities"] = json!({
        "get": op("组织生活记录（分页，按召开日期由近到远）", list, None, "200"),
        "post": op("登记组织生活（本组织书记或党务工作人员）；给出参会名单时应到、实到、请假人数按名单计算", json!([]), Some("ActivityInput"), "201")
    });
    v["paths"]["/activities/{id}"] = json!({"get": op("组织生活记录详情（含参会名单、议程、发现的问题、附件、时间线）", id_param(), None, "200")});
    v["components"]["schemas"]["ActivityInput"] = json!({"type":"object","required":["org_id","kind"],"properties":{
        "org_id":{"type":"integer"},
        "kind":{"type":"string","enum": kinds},
        "state":{"type":"string","enum":["held","planned"],"description":"默认 held（已召开）"},
        "title":{"type":"string","maxLength":100,"description":"不填则由类型和议题生成"},
        "held_on":{"type":"string","format":"date","description":"已召开时必填，不晚于今天"},
        "planned_on":{"type":"string","format":"date","description":"计划召开时必填"},
        "start_time":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$"},"end_time":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$"},
        "place":{"type":"string"},"host_id":{"type":"integer","description":"主持人（本人范围内的人员）"},"recorder_id":{"type":"integer","description":"记录人"},
        "expected_count":{"type":"integer"},"present_count":{"type":"integer"},"leave_count":{"type":"integer","description":"未给名单时使用；实到+请假不超过应到"},
        "observers":{"type":"string","description":"列席人员"},"topic":{"type":"string"},"content":{"type":"string"},"decisions":{"type":"string"},
        "attendees":{"type":"array","items":{"type":"object","required":["person_id","attendance"],"properties":{
            "person_id":{"type":"integer","description":"本组织的人员"},"attendance":{"type":"string","enum":["present","leave","absent"]},
            "grade":{"type":"string","enum":["excellent","qualified","basic","unqualified"],"description":"民主评议党员等次"},
            "hours":{"type":"number","description":"培训、志愿服务学时（小时）"},"note":{"type":"string"}}}},
        "agenda":{"type":"array","items":{"type":"object","required":["title"],"properties":{"title":{"type":"string"},"first_topic":{"type":"boolean","description":"第一议题"}}}},
        "problem_ids":{"type":"array","items":{"type":"integer"},"description":"调研发现、已在问题清单中的问题"},
        "new_problems":{"type":"array","items":{"type":"string"},"description":"调研发现的新问题，登记到问题清单"},
        "problem_deadline":{"type":"string","format":"date","description":"新问题的整改时限"},
        "opinions":{"type":"string","description":"调研收集意见建议"},"outcomes":{"type":"string","description":"调研成果转化"},"matters":{"type":"string","description":"志愿服务办理实事"},
        "files":{"type":"array","items":{"$ref":"#/components/schemas/File"}}}});
}

/// 党员名册 and 党费.
fn roster_paths(v: &mut Value) {
    let flag =
        |d: &str| json!({"in":"query","schema":{"type":"string","enum":["1"]},"description": d});
    let mut lost = flag("1：只看失联党员");
    lost["name"] = json!("lost");
    let mut pocket = flag("1：只看口袋党员");
    pocket["name"] = json!("pocket");
    let mut arrears = flag("1：只看欠缴党费的党员");
    arrears["name"] = json!("arrears");
    let mut left = flag("1：看已转出的人员（默认只列在册人员）");
    left["name"] = json!("left");
    let params = json!([
        {"name":"org","in":"query","schema":{"type":"integer"},"description":"该组织及其下级"},
        {"name":"q","in":"query","schema":{"type":"string"},"description":"姓名关键词"},
        {"name":"status","in":"query","schema":{"type":"string","enum":["applicant","activist","candidate","probationary","full","none"]},"description":"入党申请人、入党积极分子、发展对象、预备党员、正式党员、群众"},
        lost, pocket, arrears, left,
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}}
    ]);
    v["paths"]["/people"] = json!({"get": op("党员名册（分页）：政治面貌、联系状态、口袋党员、欠缴月数（arrears_months）", params, None, "200")});
    v["paths"]["/people/{id}/roster"] = json!({"get": op("名册详情：发展阶段与核对、转接记录、党费缴纳、欠缴月数；缴费基数仅党务工作部门可见", id_param(), None, "200")});
    v["paths"]["/people/{id}/stage"] = json!({"post": op("发展党员：转入下一阶段；不符合《中国共产党发展党员工作细则》的顺序或间隔时返回 422 并引用条款", id_param(), Some("Stage"), "200")});
    v["paths"]["/people/{id}/transfers"] = json!({"post": op("组织关系转接：转出（移出名册统计）或转入（恢复在册，口袋党员转入后不再标记）", id_param(), Some("Transfer"), "201")});
    v["paths"]["/dues"] = json!({
        "get": op("某组织某月的党费收缴表：应缴金额按规定比例计算，已缴记录", json!([
            {"name":"org","in":"query","schema":{"type":"integer"},"description":"默认本人所在组织"},
            {"name":"month","in":"query","schema":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}$"},"description":"默认本月"}
        ]), None, "200"),
        "post": op("批量登记某月党费（一个组织一次提交）；已缴月份不重复登记，返回新登记人数", json!([]), Some("DuesBatch"), "200")
    });
    v["components"]["schemas"]["Stage"] = json!({"type":"object","required":["to","on"],"properties":{
        "to":{"type":"string","enum":["applicant","activist","candidate","probationary","full"]},
        "on":{"type":"string","format":"date","description":"进入该阶段的日期，不晚于今天"},
        "born_on":{"type":"string","format":"date","description":"出生日期（入党申请人须满十八岁）"}}});
    v["components"]["schemas"]["Transfer"] = json!({"type":"object","required":["direction","other_org","on_date"],"properties":{
        "direction":{"type":"string","enum":["in","out"]},
        "other_org":{"type":"string","maxLength":100,"description":"对方党组织：系统外单位名称；或系统内组织的名称或代码，转出到调用者有写权限的组织时该人员直接转入该组织"},
        "on_date":{"type":"string","format":"date"},"note":{"type":"string"}}});
    v["components"]["schemas"]["DuesBatch"] = json!({"type":"object","required":["org_id","month","items"],"properties":{
        "org_id":{"type":"integer"},
        "month":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}$"},
        "paid_on":{"type":"string","format":"date","description":"默认今天"},
        "items":{"type":"array","items":{"type":"object","required":["person_id"],"properties":{
            "person_id":{"type":"integer","description":"本组织应缴党费的党员"},
            "amount_cents":{"type":"integer","description":"实缴金额（分）；不给时按规定比例计算"}}}}}});
}

/// 合规检查.
fn compliance_paths(v: &mut Value) {
    let params = json!([
        {"name":"org","in":"query","schema":{"type":"integer"},"description":"检查该组织及其下级（默认本人范围）；指定时返回各周期明细；范围外返回 404"},
        {"name":"year","in":"query","schema":{"type":"integer"},"description":"年度（默认今年）"}
    ]);
    v["paths"]["/compliance"] = json!({"get": op("合规检查：范围内每个党委、总支、支部对照制度规定的应开展、已开展、结论（ok 符合、missing 缺失、violation 违反、not_yet_due 未到期、no_data 无数据）和依据", params, None, "200")});
}

/// Excel import.
fn import_paths(v: &mut Value) {
    let mut post = op(
        "导入 Excel（.xlsx/.xls，请求体即文件本身）：先检查每一行，有错误时什么也不写入，返回 422 和逐行逐列的错误报告；全部正确时在一个事务中写入，返回 200 和新增、更新、未变的数量。带编号（如 P-123）的行更新该记录。权限与页面登记相同：问题、任务、组织生活须有本组织的登记权限，组织和人员须有组织管理权限",
        json!([
            {"name":"kind","in":"path","required":true,"schema":{"type":"string","enum":["orgs","people","tasks","problems","activities"]}},
            {"name":"dry_run","in":"query","schema":{"type":"string","enum":["1"]},"description":"只检查，不写入"},
            {"name":"name","in":"query","schema":{"type":"string"},"description":"文件名（记入审计日志）"}
        ]),
        None,
        "200",
    );
    post["requestBody"] = json!({"required": true, "content": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type":"string","format":"binary"}},
        "application/vnd.ms-excel": {"schema": {"type":"string","format":"binary"}}
    }});
    post["responses"]["200"] = json!({"description": "已导入（或 dry_run 检查通过）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportReport"}}}});
    post["responses"]["422"] = json!({"description": "文件有错误，未写入任何数据", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportReport"}}}});
    v["paths"]["/import/{kind}"] = json!({ "post": post });
    v["components"]["schemas"]["ImportReport"] = json!({"type":"object","properties":{
        "kind":{"type":"string"},"kind_label":{"type":"string"},"file_name":{"type":"string"},"sheet":{"type":"string"},
        "header_row":{"type":["integer","null"],"description":"表头所在行（Excel 行号）"},
        "rows":{"type":"integer","description":"读到的数据行（空行不计）"},
        "inserted":{"type":"integer"},"updated":{"type":"integer"},"unchanged":{"type":"integer"},
        "measures":{"type":"integer","description":"新增的整改措施"},
        "error_count":{"type":"integer"},
        "errors":{"type":"array","description":"至多 500 条","items":{"type":"object","properties":{
            "row":{"type":["integer","null"],"description":"Excel 行号；文件整体的错误为 null"},
            "column":{"type":["string","null"],"description":"表头"},
            "letter":{"type":["string","null"],"description":"列字母"},
            "value":{"type":"string"},"message":{"type":"string","description":"错在哪里"},"fix":{"type":"string","description":"怎样改"}}}},
        "notes":{"type":"array","items":{"type":"string"}},
        "dry_run":{"type":"boolean"},"committed":{"type":"boolean"},"millis":{"type":"integer"}}});
}
