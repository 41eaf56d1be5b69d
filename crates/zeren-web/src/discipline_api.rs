//! `/api/v1/petitions` and `/api/v1/four-forms`: the discipline records over JSON,
//! the same use cases as the pages. The informant's identity has its own route
//! (`GET /petitions/{id}/informant`), which only a cleared discipline account gets an
//! answer from, and each answer is an audit event.
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::json;
use zeren_app::four_forms::NewFourFormsInput;
use zeren_app::petition::NewPetitionInput;
use zeren_app::{clock, Paging};

use crate::api::{created, done, error_response, ok, org_path, Body};
use crate::pages::petitions::{FourFormsQuery, PetitionQuery};
use crate::session::ApiUser;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/petitions", get(list).post(create))
        .route("/petitions/counts", get(counts))
        .route("/petitions/export.xlsx", get(export))
        .route("/petitions/{id}", get(detail))
        .route("/petitions/{id}/informant", get(informant))
        .route("/petitions/{id}/dispose", post(dispose))
        .route("/petitions/{id}/conclude", post(conclude))
        .route("/petitions/{id}/notify", post(notify))
        .route("/four-forms", get(four_forms).post(four_forms_create))
        .route("/four-forms/stats", get(four_forms_stats))
        .route("/users/{id}/clearance", post(clearance))
}

#[derive(Deserialize)]
struct ClearanceBody {
    granted: bool,
}

/// Grants or revokes the informant clearance (security administrator only).
async fn clearance(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ClearanceBody>,
) -> Response {
    done(st.app.clearance_set(&u.actor, id, b.granted).await)
}

async fn list(State(st): State<AppState>, u: ApiUser, Query(q): Query<PetitionQuery>) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .petition_list(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

async fn export(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<PetitionQuery>,
) -> Response {
    match crate::pages::petitions::petitions_sheet(&st, &u.actor, &q).await {
        Ok(e) => crate::export::stream(e),
        Err(e) => error_response(&e),
    }
}

async fn counts(State(st): State<AppState>, u: ApiUser) -> Response {
    ok(st.app.petition_counts(&u.actor).await.map(|c| {
        let total: i64 = c.iter().map(|(_, n)| n).sum();
        json!({
            "total": total,
            "by_state": c.into_iter().map(|(s, n)| json!({"state": s, "n": n})).collect::<Vec<_>>(),
        })
    }))
}

async fn detail(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    ok(st.app.petition_get(&u.actor, id).await)
}

async fn informant(State(st): State<AppState>, u: ApiUser, Path(id): Path<i64>) -> Response {
    let mut r = ok(st.app.petition_informant(&u.actor, id).await);
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    r
}

#[derive(Deserialize)]
struct PetitionBody {
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    signed: bool,
    informant_name: Option<String>,
    informant_contact: Option<String>,
    reported_person_id: Option<i64>,
    org_id: Option<i64>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    category: String,
    /// Code (`XF2026-0003`) or id of the petition this one repeats.
    repeat_of: Option<serde_json::Value>,
}

async fn create(State(st): State<AppState>, u: ApiUser, Body(b): Body<PetitionBody>) -> Response {
    let input = NewPetitionInput {
        received_on: b.received_on,
        channel: b.channel,
        signed: b.signed,
        informant_name: b.informant_name,
        informant_contact: b.informant_contact,
        reported_person_id: b.reported_person_id,
        org_id: b.org_id,
        summary: b.summary,
        content: b.content,
        level: b.level,
        category: b.category,
        repeat_of: b.repeat_of.map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }),
    };
    created(st.app.petition_create(&u.actor, input).await)
}

#[derive(Deserialize)]
struct DisposeBody {
    #[serde(default)]
    disposal: String,
    #[serde(default)]
    disposed_on: String,
    #[serde(default)]
    note: String,
}

async fn dispose(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<DisposeBody>,
) -> Response {
    done(
        st.app
            .petition_dispose(&u.actor, id, &b.disposal, &b.disposed_on, &b.note)
            .await,
    )
}

#[derive(Deserialize)]
struct ConcludeBody {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    cleared: bool,
    #[serde(default)]
    conclusion: String,
    #[serde(default)]
    concluded_on: String,
}

async fn conclude(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<ConcludeBody>,
) -> Response {
    done(
        st.app
            .petition_conclude(
                &u.actor,
                id,
                &b.outcome,
                b.cleared,
                &b.conclusion,
                &b.concluded_on,
            )
            .await,
    )
}

#[derive(Deserialize)]
struct NotifyBody {
    #[serde(default)]
    which: String,
    #[serde(default)]
    notified_on: String,
}

async fn notify(
    State(st): State<AppState>,
    u: ApiUser,
    Path(id): Path<i64>,
    Body(b): Body<NotifyBody>,
) -> Response {
    done(
        st.app
            .petition_notify(&u.actor, id, &b.which, &b.notified_on)
            .await,
    )
}

async fn four_forms(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<FourFormsQuery>,
) -> Response {
    let path = match org_path(&st, &u, &q.org).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    ok(st
        .app
        .four_forms_list(&u.actor, q.filter(path), Paging::new(q.page, q.per_page))
        .await
        .map(|p| json!(p)))
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

/// Per org and form, and the totals per form, of a year.
async fn four_forms_stats(
    State(st): State<AppState>,
    u: ApiUser,
    Query(q): Query<YearQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(|| clock::today().year());
    ok(st.app.four_forms_counts(&u.actor, year).await.map(|c| {
        let (_, totals) = crate::pages::petitions::pivot(&c);
        json!({ "year": year, "items": c, "by_form": totals })
    }))
}

#[derive(Deserialize)]
struct FourFormsBody {
    person_id: Option<i64>,
    #[serde(default)]
    action: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    decided_by: String,
    #[serde(default)]
    reason: String,
    petition_id: Option<i64>,
    problem_id: Option<i64>,
}

async fn four_forms_create(
    State(st): State<AppState>,
    u: ApiUser,
    Body(b): Body<FourFormsBody>,
) -> Response {
    created(
        st.app
            .four_forms_record(
                &u.actor,
                NewFourFormsInput {
                    person_id: b.person_id,
                    action: b.action,
                    decided_on: b.decided_on,
                    decided_by: b.decided_by,
                    reason: b.reason,
                    petition_id: b.petition_id,
                    problem_id: b.problem_id,
                },
            )
            .await,
    )
}

/// The OpenAPI paths and schemas of these routes (called from `openapi::spec`).
pub fn openapi_paths(v: &mut serde_json::Value) {
    use serde_json::Value;
    let err = json!({"$ref": "#/components/responses/Error"});
    let op = |summary: &str, params: Value, body: Option<&str>, ok: &str| {
        let mut o = json!({"summary": summary, "parameters": params, "responses": {
            ok: {"description": "成功"}, "401": err, "403": err, "404": err, "422": err}});
        if let Some(b) = body {
            o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{b}")}}}});
        }
        o
    };
    let id = json!([{"name":"id","in":"path","required":true,"schema":{"type":"integer"}}]);
    let q = |n: &str, d: &str| json!({"name": n, "in": "query", "schema": {"type": "string"}, "description": d});
    let list = json!([
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}},
        {"name":"org","in":"query","schema":{"type":"integer"},"description":"只看该组织及其下级"},
        q("state", "received 已受理 / disposing 处置中 / concluded 已办结"),
        q("channel", "letter / visit / phone / online / referral / other"),
        q("category", "political / organisational / integrity / mass / work / life / crime / other"),
        q("disposal", "talk_inquiry / preliminary_check / shelved / closed_out / referred"),
        q("year", "收件年度"),
        q("q", "编号、摘要或内容中的词")
    ]);
    let list_export = list.clone();
    let p = &mut v["paths"];
    p["/petitions"] = json!({
        "get": op("信访举报（分页）：仅纪检监察角色，本人范围内；被反映人本人永远看不到反映自己的信访件。不含举报人身份", list, None, "200"),
        "post": op("受理登记信访举报：举报人姓名、联系方式加密保存（SM4-GCM）", json!([]), Some("PetitionInput"), "201")
    });
    p["/petitions/export.xlsx"] = json!({"get": op("导出信访举报台账（Excel，筛选同列表）；不含举报人身份，记入审计日志", list_export, None, "200")});
    p["/petitions/counts"] =
        json!({"get": op("按状态统计信访件数（同列表范围）", json!([]), None, "200")});
    p["/petitions/{id}"] = json!({"get": op("信访件详情、时间线、重件、关联的四种形态处理；不含举报人身份", id.clone(), None, "200")});
    p["/petitions/{id}/informant"] = json!({"get": op("举报人身份：需“查看举报人身份”授权，每次查看（及被拒绝的尝试）记入审计日志", id.clone(), None, "200")});
    p["/petitions/{id}/dispose"] = json!({"post": op("处置：谈话函询、初步核实、暂存待查、予以了结（即办结）、移送审查调查", id.clone(), Some("PetitionDispose"), "200")});
    p["/petitions/{id}/conclude"] = json!({"post": op("办结：核查结论（属实/部分属实/不属实）与澄清正名；实名举报的结果告知期限为办结后15个工作日", id.clone(), Some("PetitionConclude"), "200")});
    p["/petitions/{id}/notify"] = json!({"post": op("登记向实名举报人告知受理（accept）或办理结果（result）", id.clone(), Some("PetitionNotify"), "200")});
    let ff = json!([
        {"name":"page","in":"query","schema":{"type":"integer","minimum":1}},
        {"name":"per_page","in":"query","schema":{"type":"integer","minimum":1,"maximum":500}},
        {"name":"org","in":"query","schema":{"type":"integer"}},
        {"name":"form","in":"query","schema":{"type":"integer","minimum":1,"maximum":4}},
        q("year", "决定年度"), q("person", "当事人编号"), q("petition", "关联信访件编号")
    ]);
    p["/four-forms"] = json!({
        "get": op("四种形态处理记录（分页，仅纪检监察角色）", ff, None, "200"),
        "post": op("登记四种形态处理", json!([]), Some("FourFormsInput"), "201")
    });
    p["/users/{id}/clearance"] = json!({"post": op("授予（granted=true）或撤销查看举报人身份的授权：仅安全管理员，对象须为纪检监察账号；记入审计日志", id.clone(), Some("ClearanceInput"), "200")});
    p["/four-forms/stats"] = json!({"get": op("年度运用四种形态统计：按单位、形态的人次与各形态合计（by_form）", json!([q("year", "年度，默认今年")]), None, "200")});
    let s = &mut v["components"]["schemas"];
    s["PetitionInput"] = json!({"type":"object","required":["received_on","channel","signed","summary","content","level","category"],"properties":{
        "received_on":{"type":"string","format":"date"},"channel":{"type":"string"},"signed":{"type":"boolean","description":"实名"},
        "informant_name":{"type":"string"},"informant_contact":{"type":"string"},
        "reported_person_id":{"type":"integer"},"org_id":{"type":"integer","description":"未指定被反映人时的被反映单位"},
        "summary":{"type":"string"},"content":{"type":"string"},"level":{"type":"string","description":"bureau / division / section / staff / other"},
        "category":{"type":"string"},"repeat_of":{"type":["string","integer"],"description":"重件：此前信访件的编号或 id"}}});
    s["PetitionDispose"] = json!({"type":"object","required":["disposal","disposed_on"],"properties":{"disposal":{"type":"string"},"disposed_on":{"type":"string","format":"date"},"note":{"type":"string"}}});
    s["PetitionConclude"] = json!({"type":"object","required":["outcome","conclusion","concluded_on"],"properties":{"outcome":{"type":"string","enum":["true","partly_true","untrue"]},"cleared":{"type":"boolean","description":"澄清正名"},"conclusion":{"type":"string"},"concluded_on":{"type":"string","format":"date"}}});
    s["PetitionNotify"] = json!({"type":"object","required":["which","notified_on"],"properties":{"which":{"type":"string","enum":["accept","result"]},"notified_on":{"type":"string","format":"date"}}});
    s["ClearanceInput"] =
        json!({"type":"object","required":["granted"],"properties":{"granted":{"type":"boolean"}}});
    s["FourFormsInput"] = json!({"type":"object","required":["person_id","action","decided_on","decided_by","reason"],"properties":{
        "person_id":{"type":"integer"},"action":{"type":"string","description":"reminder_talk, criticism, self_exam, inquiry_letter, admonish (1); warning, serious_warning, gov_light, org_adjust (2); revoke_post, probation, gov_heavy, demotion (3); expulsion, gov_expulsion, judicial_referral (4)"},
        "decided_on":{"type":"string","format":"date"},"decided_by":{"type":"string"},"reason":{"type":"string"},
        "petition_id":{"type":"integer"},"problem_id":{"type":"integer"}}});
}
