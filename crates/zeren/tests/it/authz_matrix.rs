//! The authorization matrix: every route of the router (read from its source, so a
//! new route without a line in `POLICY` fails the test), for every demo role and
//! anonymous, with a record inside unit1's subtree and one outside it, against the
//! declared answer.
//!
//! A cell is the status code, with `w` appended when the request wrote something
//! (an `ok` audit event other than a login appeared). Writes are sent with an empty
//! body and the caller's CSRF token: what a role may do shows as a validation answer
//! (400/422, or 303 back to the form with the error) or, for the few actions that
//! need no input, a write; what it may not do shows as 403/404 and never a `w`.
//! Columns: commission unit1 branch1 leader1 member1 secadmin sysadmin auditor
//! discipline orgdept anon.
//!
//! `ZEREN_MATRIX_PRINT=1` prints the observed table in `POLICY`'s syntax, to review a
//! change of policy line by line.
use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Client, Method};
use serde_json::json;

use crate::harness::*;

const WHO: [&str; 11] = [
    "commission",
    "unit1",
    "branch1",
    "leader1",
    "member1",
    "secadmin",
    "sysadmin",
    "auditor",
    "discipline",
    "orgdept",
    "anon",
];
const DISCIPLINE: usize = 8;
const ORG_DEPT: usize = 9;
const ANON: usize = WHO.len() - 1;
const ADMINS: [usize; 3] = [5, 6, 7];

/// `(method path, scope, cells)`; scope is `-` for routes without a record, `in` or
/// `out` (unit1's subtree or not) for routes with one.
const POLICY: &[(&str, &str, &str)] = &[
    // POLICY-BEGIN
    (
        "DELETE /api/v1/session",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    ("GET /", "-", "200 200 200 200 200 303 303 303 200 200 303"),
    (
        "GET /account/password",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /accountability",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /accountability/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /activities",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /activities/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /activities/new",
        "-",
        "200 200 200 403 403 403 403 403 403 403 303",
    ),
    (
        "GET /activities/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /activities/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /activities/{id}/edit",
        "in",
        "200 200 404 403 404 404 404 404 403 403 303",
    ),
    (
        "GET /activities/{id}/edit",
        "out",
        "200 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "GET /admin/audit",
        "-",
        "403 403 403 403 403 403 403 200 403 403 303",
    ),
    (
        "GET /admin/system",
        "-",
        "403 403 403 403 403 403 200 403 403 403 303",
    ),
    (
        "GET /admin/users",
        "-",
        "403 403 403 403 403 200 403 403 403 403 303",
    ),
    (
        "GET /api/v1/accountability",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/accountability/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/activities",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/activities/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/activities/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/activities/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/audit",
        "-",
        "403 403 403 403 403 403 403 200 403 403 401",
    ),
    (
        "GET /api/v1/compliance",
        "-",
        "200 200 200 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/dashboard",
        "-",
        "200 200 200 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/dues",
        "-",
        "200 200 200 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/four-forms",
        "-",
        "403 403 403 403 403 403 403 403 200 403 401",
    ),
    (
        "GET /api/v1/four-forms/stats",
        "-",
        "403 403 403 403 403 403 403 403 200 403 401",
    ),
    (
        "GET /api/v1/inspection/talks/{id}",
        "in",
        "200 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/inspection/talks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/notices",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/notices/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/notices/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/notices/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/notifications",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/openapi.json",
        "-",
        "200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "GET /api/v1/orgs",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/orgs/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/orgs/{id}",
        "in",
        "200 200 200 200 200 200 404 404 200 200 401",
    ),
    (
        "GET /api/v1/orgs/{id}",
        "out",
        "200 404 404 200 404 200 404 404 200 200 401",
    ),
    (
        "GET /api/v1/people",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/people/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/people/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/people/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/people/{id}/roster",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/people/{id}/roster",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/personal-matters",
        "-",
        "403 403 403 403 403 403 403 403 403 200w 401",
    ),
    (
        "GET /api/v1/personal-matters/batches",
        "-",
        "403 403 403 403 403 403 403 403 403 200w 401",
    ),
    (
        "GET /api/v1/personal-matters/batches/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/personal-matters/batches/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 200w 401",
    ),
    (
        "GET /api/v1/personal-matters/checks/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 200w 401",
    ),
    (
        "GET /api/v1/personal-matters/checks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 200w 401",
    ),
    (
        "GET /api/v1/personal-matters/figures",
        "-",
        "403 403 403 403 403 403 403 403 403 200w 401",
    ),
    (
        "GET /api/v1/personal-matters/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 200w 401",
    ),
    (
        "GET /api/v1/personal-matters/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 200w 401",
    ),
    (
        "GET /api/v1/petitions",
        "-",
        "403 403 403 403 403 403 403 403 200 403 401",
    ),
    (
        "GET /api/v1/petitions/counts",
        "-",
        "403 403 403 403 403 403 403 403 200 403 401",
    ),
    (
        "GET /api/v1/petitions/export.xlsx",
        "-",
        "403 403 403 403 403 403 403 403 200 403 401",
    ),
    (
        "GET /api/v1/petitions/{id}",
        "in",
        "404 404 404 404 404 404 404 404 200 404 401",
    ),
    (
        "GET /api/v1/petitions/{id}",
        "out",
        "404 404 404 404 404 404 404 404 200 404 401",
    ),
    (
        "GET /api/v1/petitions/{id}/informant",
        "in",
        "404 404 404 404 404 404 404 404 200w 404 401",
    ),
    (
        "GET /api/v1/petitions/{id}/informant",
        "out",
        "404 404 404 404 404 404 404 404 200w 404 401",
    ),
    (
        "GET /api/v1/pressure",
        "-",
        "200 200 200 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/problems",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/problems/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/problems/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/problems/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/promotion-checks",
        "-",
        "403 403 403 403 403 403 403 403 200w 200w 401",
    ),
    (
        "GET /api/v1/promotion-checks/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/promotion-checks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 200w 200w 401",
    ),
    (
        "GET /api/v1/reports/annual",
        "-",
        "200 200 200 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/risk-points",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/risk-points/export.xlsx",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/risk-points/heat",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/risk-points/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/risk-points/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/supervision",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/tasks",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/tasks/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/tasks/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/tasks/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /branches",
        "-",
        "200 200 200 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /calendar",
        "-",
        "403 403 403 403 403 403 200 403 200 403 303",
    ),
    (
        "GET /compliance",
        "-",
        "200 200 200 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /compliance/export.xlsx",
        "-",
        "200 200 200 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /dashboard",
        "-",
        "200 200 200 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /dues",
        "-",
        "200 200 200 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /evidence/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /evidence/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /four-forms",
        "-",
        "403 403 403 403 403 403 403 403 200 403 303",
    ),
    (
        "GET /healthz",
        "-",
        "200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "GET /import",
        "-",
        "200 200 200 403 403 403 403 403 403 403 303",
    ),
    (
        "GET /import/template/{kind}",
        "in",
        "200 200 200 403 403 403 403 403 403 403 303",
    ),
    (
        "GET /import/template/{kind}",
        "out",
        "403 403 403 403 403 403 403 403 403 403 303",
    ),
    (
        "GET /inbox",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /login",
        "-",
        "200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "GET /login/enrol",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "GET /login/password",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "GET /login/totp",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "GET /notices",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /notices/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /notices/new",
        "-",
        "200 200 403 403 403 403 403 403 403 403 303",
    ),
    (
        "GET /notices/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /notices/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /notices/{id}/notice.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /notices/{id}/notice.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /notices/{id}/print",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /notices/{id}/print",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /orgs",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /orgs/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /orgs/{id}",
        "in",
        "200 200 200 200 200 200 404 404 200 200 303",
    ),
    (
        "GET /orgs/{id}",
        "out",
        "200 404 404 200 404 200 404 404 200 200 303",
    ),
    (
        "GET /people",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /people/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /people/new",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /people/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /people/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /personal-matters",
        "-",
        "403 403 403 403 403 403 403 403 403 200w 303",
    ),
    (
        "GET /personal-matters/batches",
        "-",
        "403 403 403 403 403 403 403 403 403 200w 303",
    ),
    (
        "GET /personal-matters/batches/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /personal-matters/batches/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 200w 303",
    ),
    (
        "GET /personal-matters/checks/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 200w 303",
    ),
    (
        "GET /personal-matters/checks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 200w 303",
    ),
    (
        "GET /personal-matters/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 200w 303",
    ),
    (
        "GET /personal-matters/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 200w 303",
    ),
    (
        "GET /petitions",
        "-",
        "403 403 403 403 403 403 403 403 200 403 303",
    ),
    (
        "GET /petitions/export.xlsx",
        "-",
        "403 403 403 403 403 403 403 403 200 403 303",
    ),
    (
        "GET /petitions/new",
        "-",
        "403 403 403 403 403 403 403 403 200 403 303",
    ),
    (
        "GET /petitions/{id}",
        "in",
        "404 404 404 404 404 404 404 404 200 404 303",
    ),
    (
        "GET /petitions/{id}",
        "out",
        "404 404 404 404 404 404 404 404 200 404 303",
    ),
    (
        "GET /problems",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /problems/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /problems/ledger.docx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /problems/new",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /problems/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /problems/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /problems/{id}/closure.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /problems/{id}/closure.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /promotion-checks",
        "-",
        "403 403 403 403 403 403 403 403 200w 200w 303",
    ),
    (
        "GET /promotion-checks/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /promotion-checks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 200w 200w 303",
    ),
    (
        "GET /reader",
        "-",
        "200 200 200 200 403 403 403 403 200 200 303",
    ),
    (
        "GET /reports/annual",
        "-",
        "200 200 200 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /reports/annual.docx",
        "-",
        "200 200 200 200 404 404 404 404 200 200 303",
    ),
    // 责任书, 述职评议, 干部工作 (issue 10)
    (
        "GET /api/v1/appraisals",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/appraisals/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/appraisals/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/cadre-work",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/cadre-work/figures",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/duty-reports",
        "-",
        "200 200 200 200 200 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/duty-reports/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/duty-reports/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/duty-reports/{id}/report.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/duty-reports/{id}/report.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/letters",
        "-",
        "200 200 200 200 200 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/letters/coverage",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/letters/templates",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/letters/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/letters/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/letters/{id}/letter.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/letters/{id}/letter.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /appraisals/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /appraisals/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /cadre-work",
        "-",
        "200 200 200 200 403 403 403 403 200 200 303",
    ),
    (
        "GET /duty-reports",
        "-",
        "200 200 200 200 200 403 403 403 200 200 303",
    ),
    (
        "GET /duty-reports/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /duty-reports/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /duty-reports/{id}/report.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /duty-reports/{id}/report.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /letters",
        "-",
        "200 200 200 200 200 403 403 403 200 200 303",
    ),
    (
        "GET /letters/new",
        "-",
        "200 200 200 403 403 403 403 403 403 403 303",
    ),
    (
        "GET /letters/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /letters/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /letters/{id}/letter.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /letters/{id}/letter.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "POST /api/v1/appraisals",
        "-",
        "422 422 422 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/appraisals/{id}/questions",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/appraisals/{id}/questions",
        "out",
        "422 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/appraisals/{id}/rectification",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/appraisals/{id}/rectification",
        "out",
        "422 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/appraisals/{id}/scores",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/appraisals/{id}/scores",
        "out",
        "422 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/cadre-work",
        "-",
        "403 403 403 403 403 403 403 403 403 422 401",
    ),
    (
        "POST /api/v1/cadre-work/part-time/{id}/decide",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/cadre-work/part-time/{id}/decide",
        "out",
        "403 404 404 403 404 404 404 404 403 422 401",
    ),
    (
        "POST /api/v1/duty-reports",
        "-",
        "422 422 422 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/outlines",
        "-",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/plans",
        "-",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/surveys",
        "in",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/surveys",
        "out",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/talks",
        "in",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/talks",
        "out",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/team",
        "in",
        "409 404 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/team",
        "out",
        "422 404 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/surveys/{id}/close",
        "in",
        "409 404 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/surveys/{id}/close",
        "out",
        "404 404 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/surveys/{id}/codes",
        "in",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/surveys/{id}/codes",
        "out",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/talks/{id}/answers",
        "in",
        "409 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/inspection/talks/{id}/answers",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/letters",
        "-",
        "422 422 422 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/letters/templates",
        "-",
        "422 422 422 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/letters/{id}/duties",
        "in",
        "409 409 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/letters/{id}/duties",
        "out",
        "409 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/letters/{id}/sign",
        "in",
        "422 422 404 422 404 404 404 404 422 422 401",
    ),
    (
        "POST /api/v1/letters/{id}/sign",
        "out",
        "422 404 404 422 404 404 404 404 422 422 401",
    ),
    (
        "POST /appraisals",
        "-",
        "303 303 303 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /appraisals/{id}/questions",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /appraisals/{id}/questions",
        "out",
        "303 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /appraisals/{id}/rectification",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /appraisals/{id}/rectification",
        "out",
        "303 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /appraisals/{id}/scores",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /appraisals/{id}/scores",
        "out",
        "303 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /cadre-work",
        "-",
        "403 403 403 403 403 403 403 403 403 303 303",
    ),
    (
        "POST /cadre-work/part-time/{id}/decide",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /cadre-work/part-time/{id}/decide",
        "out",
        "403 404 404 403 404 404 404 404 403 303 303",
    ),
    (
        "POST /duty-reports",
        "-",
        "303 303 303 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /duty-reports/{id}",
        "in",
        "303 303 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /duty-reports/{id}",
        "out",
        "303 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /letters",
        "-",
        "303 303 303 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /letters/templates",
        "-",
        "303 303 303 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /letters/{id}/confirm",
        "in",
        "303 303 404 303 404 404 404 404 303 303 303",
    ),
    (
        "POST /letters/{id}/confirm",
        "out",
        "303 404 404 303 404 404 404 404 303 303 303",
    ),
    (
        "POST /letters/{id}/duties",
        "in",
        "409 409 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /letters/{id}/duties",
        "out",
        "409 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /letters/{id}/scan",
        "in",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /letters/{id}/scan",
        "out",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "GET /risk-points",
        "-",
        "200 200 200 200 403 403 403 403 200 200 303",
    ),
    (
        "GET /risk-points/export.xlsx",
        "-",
        "200 200 200 200 403 403 403 403 200 200 303",
    ),
    (
        "GET /risk-points/new",
        "-",
        "200 200 200 403 403 403 403 403 200 403 303",
    ),
    (
        "GET /risk-points/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /risk-points/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /rules",
        "-",
        "200 200 200 200 200 404 404 404 200 200 303",
    ),
    (
        "GET /settings",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /static/zeren.css",
        "-",
        "200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "GET /supervision",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /tasks",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /tasks/export.xlsx",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /tasks/new",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /tasks/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /tasks/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "POST /account/password",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /accountability",
        "-",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /activities/new",
        "-",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /activities/{id}/cancel",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /activities/{id}/cancel",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /activities/{id}/edit",
        "in",
        "400 400 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /activities/{id}/edit",
        "out",
        "400 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /admin/users",
        "-",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /admin/users/{id}/disable",
        "in",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /admin/users/{id}/password",
        "in",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /admin/users/{id}/roles",
        "in",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /admin/users/{id}/roles/{role_id}/delete",
        "in",
        "303 303 303 303 303 303w 303 303 303 303 303",
    ),
    (
        "POST /admin/users/{id}/totp-reset",
        "in",
        "303 303 303 303 303 303w 303 303 303 303 303",
    ),
    (
        "POST /api/v1/accountability",
        "-",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/activities",
        "-",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/dues",
        "-",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/four-forms",
        "-",
        "403 403 403 403 403 403 403 403 422 403 401",
    ),
    (
        "POST /api/v1/import/{kind}",
        "in",
        "422 422 422 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/import/{kind}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/measures/{id}/complete",
        "in",
        "409 409 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/measures/{id}/complete",
        "out",
        "409 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/notices",
        "-",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/notices/{id}/answer",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/notices/{id}/answer",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/notifications/read-all",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "POST /api/v1/notifications/{id}/read",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/notifications/{id}/read",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/people/{id}/stage",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/people/{id}/stage",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/people/{id}/transfers",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/people/{id}/transfers",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/personal-matters",
        "-",
        "403 403 403 403 403 403 403 403 403 422 401",
    ),
    (
        "POST /api/v1/personal-matters/batches",
        "-",
        "403 403 403 403 403 403 403 403 403 201w 401",
    ),
    (
        "POST /api/v1/personal-matters/batches/targeted",
        "-",
        "403 403 403 403 403 403 403 403 403 422 401",
    ),
    (
        "POST /api/v1/personal-matters/checks/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 422 401",
    ),
    (
        "POST /api/v1/personal-matters/checks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 422 401",
    ),
    (
        "POST /api/v1/personal-matters/generate",
        "-",
        "403 403 403 403 403 403 403 403 403 200w 401",
    ),
    (
        "POST /api/v1/personal-matters/{id}/submit",
        "in",
        "404 404 404 404 404 404 404 404 404 422 401",
    ),
    (
        "POST /api/v1/personal-matters/{id}/submit",
        "out",
        "404 404 404 404 404 404 404 404 404 422 401",
    ),
    (
        "POST /api/v1/petitions",
        "-",
        "403 403 403 403 403 403 403 403 422 403 401",
    ),
    (
        "POST /api/v1/petitions/{id}/conclude",
        "in",
        "404 404 404 404 404 404 404 404 422 404 401",
    ),
    (
        "POST /api/v1/petitions/{id}/conclude",
        "out",
        "404 404 404 404 404 404 404 404 422 404 401",
    ),
    (
        "POST /api/v1/petitions/{id}/dispose",
        "in",
        "404 404 404 404 404 404 404 404 422 404 401",
    ),
    (
        "POST /api/v1/petitions/{id}/dispose",
        "out",
        "404 404 404 404 404 404 404 404 422 404 401",
    ),
    (
        "POST /api/v1/petitions/{id}/notify",
        "in",
        "404 404 404 404 404 404 404 404 422 404 401",
    ),
    (
        "POST /api/v1/petitions/{id}/notify",
        "out",
        "404 404 404 404 404 404 404 404 422 404 401",
    ),
    (
        "POST /api/v1/plans/{id}/roll",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/plans/{id}/roll",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/problems",
        "-",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/problems/{id}/measures",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/problems/{id}/measures",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/problems/{id}/transition",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/problems/{id}/transition",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/promotion-checks",
        "-",
        "403 403 403 403 403 403 403 403 403 422 401",
    ),
    (
        "POST /api/v1/promotion-checks/{id}/conclude",
        "in",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/promotion-checks/{id}/conclude",
        "out",
        "404 404 404 404 404 404 404 404 422 422 401",
    ),
    (
        "POST /api/v1/reader",
        "-",
        "422 422 422 422 403 403 403 403 422 422 401",
    ),
    (
        "POST /api/v1/risk-points",
        "-",
        "422 422 422 403 403 403 403 403 422 403 401",
    ),
    (
        "POST /api/v1/risk-points/{id}/controls",
        "in",
        "422 422 404 403 404 404 404 404 422 403 401",
    ),
    (
        "POST /api/v1/risk-points/{id}/controls",
        "out",
        "422 404 404 403 404 404 404 404 422 403 401",
    ),
    (
        "POST /api/v1/risk-points/{id}/review",
        "in",
        "422 422 404 403 404 404 404 404 422 403 401",
    ),
    (
        "POST /api/v1/risk-points/{id}/review",
        "out",
        "422 404 404 403 404 404 404 404 422 403 401",
    ),
    (
        "POST /api/v1/session",
        "-",
        "422 422 422 422 422 422 422 422 422 422 422",
    ),
    (
        "POST /api/v1/tasks",
        "-",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/tasks/{id}/cadence",
        "in",
        "200 403 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/tasks/{id}/cadence",
        "out",
        "200 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/tasks/{id}/decompose",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/tasks/{id}/decompose",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/tasks/{id}/reports",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/tasks/{id}/reports",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/tasks/{id}/review",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/tasks/{id}/review",
        "out",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /api/v1/users/{id}/clearance",
        "in",
        "422 422 422 422 422 422 422 422 422 422 401",
    ),
    (
        "POST /calendar",
        "-",
        "403 403 403 403 403 403 400 403 400 403 303",
    ),
    (
        "POST /dues",
        "-",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /four-forms",
        "-",
        "403 403 403 403 403 403 403 403 400 403 303",
    ),
    (
        "POST /import",
        "-",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /inbox/read-all",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /inbox/{id}/read",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /inbox/{id}/read",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /login",
        "-",
        "422 422 422 422 422 422 422 422 422 422 422",
    ),
    (
        "POST /login/enrol",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /login/password",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /login/totp",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /logout",
        "-",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /measures/{id}/complete",
        "in",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /measures/{id}/complete",
        "out",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /notices/new",
        "-",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /notices/{id}/answer",
        "in",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /notices/{id}/answer",
        "out",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /orgs",
        "-",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /orgs/{id}/close",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /orgs/{id}/close",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /orgs/{id}/move",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /orgs/{id}/move",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /orgs/{id}/rename",
        "in",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /orgs/{id}/rename",
        "out",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /people",
        "-",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /people/{id}/contact",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/contact",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/dates",
        "in",
        "303w 303w 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/dates",
        "out",
        "303w 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/dues",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/dues",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/stage",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/stage",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/transfers",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /people/{id}/transfers",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /personal-matters",
        "-",
        "403 403 403 403 403 403 403 403 403 303 303",
    ),
    (
        "POST /personal-matters/batches",
        "-",
        "403 403 403 403 403 403 403 403 403 303w 303",
    ),
    (
        "POST /personal-matters/batches/targeted",
        "-",
        "403 403 403 403 403 403 403 403 403 303 303",
    ),
    (
        "POST /personal-matters/checks/{id}",
        "in",
        "404 404 404 404 404 404 404 404 404 303 303",
    ),
    (
        "POST /personal-matters/checks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 303 303",
    ),
    (
        "POST /personal-matters/generate",
        "-",
        "403 403 403 403 403 403 403 403 403 303w 303",
    ),
    (
        "POST /personal-matters/{id}/submit",
        "in",
        "404 404 404 404 404 404 404 404 404 303 303",
    ),
    (
        "POST /personal-matters/{id}/submit",
        "out",
        "404 404 404 404 404 404 404 404 404 303 303",
    ),
    (
        "POST /petitions",
        "-",
        "403 403 403 403 403 403 403 403 400 403 303",
    ),
    (
        "POST /petitions/{id}/conclude",
        "in",
        "404 404 404 404 404 404 404 404 400 404 303",
    ),
    (
        "POST /petitions/{id}/conclude",
        "out",
        "404 404 404 404 404 404 404 404 400 404 303",
    ),
    (
        "POST /petitions/{id}/dispose",
        "in",
        "404 404 404 404 404 404 404 404 400 404 303",
    ),
    (
        "POST /petitions/{id}/dispose",
        "out",
        "404 404 404 404 404 404 404 404 400 404 303",
    ),
    (
        "POST /petitions/{id}/informant",
        "in",
        "404 404 404 404 404 404 404 404 200w 404 303",
    ),
    (
        "POST /petitions/{id}/informant",
        "out",
        "404 404 404 404 404 404 404 404 200w 404 303",
    ),
    (
        "POST /petitions/{id}/notify",
        "in",
        "404 404 404 404 404 404 404 404 400 404 303",
    ),
    (
        "POST /petitions/{id}/notify",
        "out",
        "404 404 404 404 404 404 404 404 400 404 303",
    ),
    (
        "POST /plans",
        "-",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /plans/{id}/roll",
        "in",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /plans/{id}/roll",
        "out",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /problems/new",
        "-",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /problems/{id}/measures",
        "in",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /problems/{id}/measures",
        "out",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /problems/{id}/transition",
        "in",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /problems/{id}/transition",
        "out",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /promotion-checks",
        "-",
        "403 403 403 403 403 403 403 403 403 303 303",
    ),
    (
        "POST /promotion-checks/{id}/conclude",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /promotion-checks/{id}/conclude",
        "out",
        "404 404 404 404 404 404 404 404 303 303 303",
    ),
    (
        "POST /reader",
        "-",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /reports/annual/edit",
        "-",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /reports/annual/reset",
        "-",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /risk-points",
        "-",
        "303 303 303 403 403 403 403 403 303 403 303",
    ),
    (
        "POST /risk-points/{id}/controls",
        "in",
        "303 303 404 403 404 404 404 404 303 403 303",
    ),
    (
        "POST /risk-points/{id}/controls",
        "out",
        "303 404 404 403 404 404 404 404 303 403 303",
    ),
    (
        "POST /risk-points/{id}/review",
        "in",
        "303 303 404 403 404 404 404 404 303 403 303",
    ),
    (
        "POST /risk-points/{id}/review",
        "out",
        "303 404 404 403 404 404 404 404 303 403 303",
    ),
    (
        "POST /rules/local",
        "-",
        "400 400 400 400 400 404 404 404 400 400 303",
    ),
    (
        "POST /rules/local/{id}/retire",
        "in",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /rules/local/{id}/retire",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /rules/settings",
        "-",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /settings/channels",
        "-",
        "303w 303w 303w 303w 303w 303w 303w 303w 303w 303w 303",
    ),
    (
        "POST /settings/plans/{id}",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /settings/plans/{id}",
        "out",
        "303w 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /tasks/new",
        "-",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /tasks/{id}/cadence",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /tasks/{id}/cadence",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /tasks/{id}/decompose",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /tasks/{id}/decompose",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /tasks/{id}/event",
        "in",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /tasks/{id}/event",
        "out",
        "303 303 303 303 303 303 303 303 303 303 303",
    ),
    (
        "POST /tasks/{id}/report",
        "in",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /tasks/{id}/report",
        "out",
        "400 400 400 400 400 400 400 400 400 400 303",
    ),
    (
        "POST /tasks/{id}/review",
        "in",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "POST /tasks/{id}/review",
        "out",
        "422 422 422 422 422 422 422 422 422 422 303",
    ),
    (
        "GET /api/v1/assessment/library",
        "-",
        "200 403 403 403 403 403 403 403 403 403 401",
    ),
    (
        "GET /api/v1/assessment/rounds",
        "-",
        "200 200 200 200 403 403 403 403 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/appeals",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/appeals",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/chart.svg",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/chart.svg",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/export.xlsx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/export.xlsx",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/orgs/{org}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/orgs/{org}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/orgs/{org}/card.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/orgs/{org}/card.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/orgs/{org}/chart.svg",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/orgs/{org}/chart.svg",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/orgs/{org}/records",
        "in",
        "422 422 404 422 404 404 404 404 422 422 401",
    ),
    (
        "GET /api/v1/assessment/rounds/{id}/orgs/{org}/records",
        "out",
        "422 404 404 422 404 404 404 404 422 422 401",
    ),
    (
        "GET /api/v1/assessment/systems",
        "-",
        "200 403 403 403 403 403 403 403 403 403 401",
    ),
    (
        "GET /api/v1/assessment/systems/{id}",
        "in",
        "200 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/assessment/systems/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /assessment",
        "-",
        "200 200 200 200 403 403 403 403 200 200 303",
    ),
    (
        "GET /assessment/rounds/{id}",
        "in",
        "200 303 404 303 404 404 404 404 303 303 303",
    ),
    (
        "GET /assessment/rounds/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /assessment/rounds/{id}/export.xlsx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /assessment/rounds/{id}/export.xlsx",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /assessment/rounds/{id}/orgs/{org}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /assessment/rounds/{id}/orgs/{org}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /assessment/rounds/{id}/orgs/{org}/card.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /assessment/rounds/{id}/orgs/{org}/card.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /assessment/rounds/{id}/orgs/{org}/records",
        "in",
        "400 400 404 400 404 404 404 404 400 400 303",
    ),
    (
        "GET /assessment/rounds/{id}/orgs/{org}/records",
        "out",
        "400 404 404 400 404 404 404 404 400 400 303",
    ),
    (
        "GET /assessment/systems/{id}",
        "in",
        "200 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /assessment/systems/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /api/v1/assessment/appeals/{id}/answer",
        "in",
        "409 403 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/appeals/{id}/answer",
        "out",
        "422 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds",
        "-",
        "422 403 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/orgs/{org}/appeals",
        "in",
        "403 409 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/orgs/{org}/appeals",
        "out",
        "403 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/orgs/{org}/scores",
        "in",
        "422 403 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/orgs/{org}/scores",
        "out",
        "422 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/orgs/{org}/sign",
        "in",
        "403 200w 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/orgs/{org}/sign",
        "out",
        "403 404 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/publish",
        "in",
        "409 403 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/publish",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/window",
        "in",
        "422 403 404 403 404 404 404 404 403 403 401",
    ),
    (
        "POST /api/v1/assessment/rounds/{id}/window",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/assessment/systems",
        "-",
        "422 403 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/assessment/systems/{id}",
        "in",
        "422 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/assessment/systems/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /assessment/appeals/{id}/answer",
        "in",
        "303 403 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/appeals/{id}/answer",
        "out",
        "303 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds",
        "-",
        "303 403 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/orgs/{org}/appeals",
        "in",
        "403 303 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/orgs/{org}/appeals",
        "out",
        "403 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/orgs/{org}/scores",
        "in",
        "303 403 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/orgs/{org}/scores",
        "out",
        "303 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/orgs/{org}/sign",
        "in",
        "403 303 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/orgs/{org}/sign",
        "out",
        "403 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/publish",
        "in",
        "303 403 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/publish",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /assessment/rounds/{id}/window",
        "in",
        "303 403 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /assessment/rounds/{id}/window",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /assessment/systems",
        "-",
        "303 403 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /assessment/systems/{id}",
        "in",
        "303 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /assessment/systems/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /api/v1/inspection/rounds",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/inspection/rounds/{id}",
        "in",
        "200 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/inspection/rounds/{id}",
        "out",
        "200 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/inspection/rounds/{id}/notice",
        "in",
        "200 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/inspection/rounds/{id}/notice",
        "out",
        "200 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/inspection/stats",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/inspection/surveys/{id}/results",
        "in",
        "200w 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/inspection/surveys/{id}/results",
        "out",
        "404 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "GET /api/v1/inspection/targets",
        "-",
        "200 200 200 200 200 200 200 200 200 200 401",
    ),
    (
        "GET /api/v1/inspection/targets/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /api/v1/inspection/targets/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 401",
    ),
    (
        "GET /inspection",
        "-",
        "200 200 200 200 200 200 200 200 200 200 303",
    ),
    (
        "GET /inspection/rounds/{id}",
        "in",
        "200 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/rounds/{id}",
        "out",
        "200 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/rounds/{id}/notice",
        "in",
        "200 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/rounds/{id}/notice",
        "out",
        "200 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/rounds/{id}/notice.docx",
        "in",
        "200 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/rounds/{id}/notice.docx",
        "out",
        "200 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/surveys/{id}",
        "in",
        "200w 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/surveys/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/talks/{id}",
        "in",
        "200 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/talks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "GET /inspection/targets/{id}",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}/feedback.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}/feedback.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}/notice",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}/notice",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}/notice.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}/notice.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}/report.docx",
        "in",
        "200 200 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /inspection/targets/{id}/report.docx",
        "out",
        "200 404 404 200 404 404 404 404 200 200 303",
    ),
    (
        "GET /survey",
        "-",
        "200 200 200 200 200 200 200 200 200 200 200",
    ),
    (
        "POST /api/v1/inspection/rounds",
        "-",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/findings",
        "in",
        "422 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/findings",
        "out",
        "422 404 404 404 404 404 404 404 404 404 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/transition",
        "in",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/rounds/{id}/transition",
        "out",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/targets/{id}/feedback",
        "in",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /api/v1/inspection/targets/{id}/feedback",
        "out",
        "422 422 403 403 403 403 403 403 403 403 401",
    ),
    (
        "POST /inspection",
        "-",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/measures/{id}/systems",
        "in",
        "303 303 404 303 404 404 404 404 303 303 303",
    ),
    (
        "POST /inspection/measures/{id}/systems",
        "out",
        "303 404 404 303 404 404 404 404 303 303 303",
    ),
    (
        "POST /inspection/outlines",
        "-",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/plans",
        "-",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/problems/{id}/long-term",
        "in",
        "303 303 404 303 404 404 404 404 303 303 303",
    ),
    (
        "POST /inspection/problems/{id}/long-term",
        "out",
        "303 404 404 303 404 404 404 404 303 303 303",
    ),
    (
        "POST /inspection/rounds/{id}/findings",
        "in",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/findings",
        "out",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/surveys",
        "in",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/surveys",
        "out",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/talks",
        "in",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/talks",
        "out",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/team",
        "in",
        "303 404 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/team",
        "out",
        "303 404 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/transition",
        "in",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/rounds/{id}/transition",
        "out",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/surveys/{id}/close",
        "in",
        "303 404 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/surveys/{id}/close",
        "out",
        "404 404 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/surveys/{id}/codes",
        "in",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/surveys/{id}/codes",
        "out",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/talks/{id}",
        "in",
        "303 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /inspection/talks/{id}",
        "out",
        "404 404 404 404 404 404 404 404 404 404 303",
    ),
    (
        "POST /inspection/targets/{id}/feedback",
        "in",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/targets/{id}/feedback",
        "out",
        "303 303 403 403 403 403 403 403 403 403 303",
    ),
    (
        "POST /inspection/targets/{id}/report",
        "in",
        "303 303 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /inspection/targets/{id}/report",
        "out",
        "303 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /inspection/targets/{id}/text",
        "in",
        "303w 303w 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /inspection/targets/{id}/text",
        "out",
        "303w 404 404 403 404 404 404 404 403 403 303",
    ),
    (
        "POST /survey",
        "-",
        "403 403 403 403 403 403 403 403 403 403 403",
    ),
    // POLICY-END
];

/// `(method, path)` of every route in the router's source: `.route("…", get(…).post(…))`
/// in every file of `zeren-web/src`; those of `api.rs` and of the routers it merges
/// (`crate::NAME::routes()`) lie under `/api/v1`.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../zeren-web/src");
    let api = std::fs::read_to_string(src.join("api.rs")).expect("api.rs");
    let mut under_api = vec!["api".to_string()];
    let mut rest = api.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if rest[name.len()..].starts_with("::routes()") {
            under_api.push(name);
        }
    }
    let mut files = Vec::new();
    for dir in [src.clone(), src.join("pages")] {
        for e in std::fs::read_dir(&dir).expect("zeren-web/src") {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let mut out = BTreeSet::new();
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        let prefix = if under_api.contains(&stem) {
            "/api/v1"
        } else {
            ""
        };
        let text = std::fs::read_to_string(&f).unwrap();
        routes_of(&text, prefix, &mut out);
    }
    out
}

fn routes_of(src: &str, prefix: &str, out: &mut BTreeSet<(String, String)>) {
    let mut rest = src;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        // the call's text up to its closing parenthesis
        let mut depth = 1;
        let mut end = rest.len();
        for (k, ch) in rest.char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k;
                        break;
                    }
                }
                _ => {}
            }
        }
        let call = &rest[..end];
        let Some(q1) = call.find('"') else { continue };
        let Some(q2) = call[q1 + 1..].find('"').map(|x| x + q1 + 1) else {
            continue;
        };
        let path = format!("{prefix}{}", &call[q1 + 1..q2]);
        let body = &call[q2..];
        for m in ["get", "post", "put", "delete", "patch"] {
            let needle = format!("{m}(");
            let mut from = 0;
            while let Some(p) = body[from..].find(&needle) {
                let at = from + p;
                let before = body[..at].chars().last().unwrap_or(' ');
                if !before.is_alphanumeric() && before != '_' {
                    out.insert((m.to_uppercase(), path.clone()));
                }
                from = at + needle.len();
            }
        }
    }
}

/// The kind of record a path's `{id}` names.
fn kind_of(path: &str) -> Option<&'static str> {
    let p = path.trim_start_matches("/api/v1");
    for (prefix, kind) in [
        ("/tasks/{id}", "task"),
        ("/problems/{id}", "problem"),
        ("/measures/{id}", "measure"),
        ("/evidence/{id}", "evidence"),
        ("/activities/{id}", "activity"),
        ("/notices/{id}", "notice"),
        ("/orgs/{id}", "org"),
        ("/people/{id}", "person"),
        ("/admin/users/{id}", "user"),
        ("/users/{id}", "user"),
        ("/inbox/{id}", "notification"),
        ("/notifications/{id}", "notification"),
        ("/plans/{id}", "plan"),
        ("/settings/plans/{id}", "plan"),
        ("/rules/local/{id}", "local_rule"),
        ("/import/template/{kind}", "sheet"),
        ("/import/{kind}", "sheet"),
        ("/petitions/{id}", "petition"),
        ("/personal-matters/batches/{id}", "pm_batch"),
        ("/personal-matters/checks/{id}", "pm_check"),
        ("/personal-matters/{id}", "pm_filer"),
        ("/risk-points/{id}", "risk_point"),
        ("/promotion-checks/{id}", "promotion_check"),
        ("/letters/{id}", "letter"),
        ("/duty-reports/{id}", "duty_report"),
        ("/appraisals/{id}", "appraisal"),
        ("/cadre-work/part-time/{id}", "cadre_part_time"),
        ("/inspection/rounds/{id}", "inspection_round"),
        ("/inspection/targets/{id}", "inspection_target"),
        ("/inspection/talks/{id}", "inspection_talk"),
        ("/inspection/surveys/{id}", "inspection_survey"),
        ("/inspection/problems/{id}", "problem"),
        ("/inspection/measures/{id}", "measure"),
        ("/assessment/rounds/{id}/orgs/", "assessment_round_org"),
        ("/assessment/rounds/{id}", "assessment_round"),
        ("/assessment/systems/{id}", "assessment_system"),
        ("/assessment/appeals/{id}", "assessment_appeal"),
    ] {
        if p.starts_with(prefix) {
            return Some(kind);
        }
    }
    None
}

struct Ids {
    by_kind: BTreeMap<&'static str, (String, String)>,
    role_id: i64,
}

async fn one(t: &TestApp, sql: &str) -> String {
    let n = t.count(sql).await;
    if n == 0 {
        "999999999".into()
    } else {
        n.to_string()
    }
}

async fn record_ids(t: &TestApp, u1_path: &str) -> Ids {
    let inside = |tbl: &str, col: &str| {
        format!("SELECT COALESCE(MIN(id), 0) FROM {tbl} WHERE {col} LIKE '{u1_path}%'")
    };
    let outside = |tbl: &str, col: &str| {
        format!("SELECT COALESCE(MIN(id), 0) FROM {tbl} WHERE {col} NOT LIKE '{u1_path}%'")
    };
    let mut by_kind = BTreeMap::new();
    for (kind, tbl, col) in [
        ("task", "tasks", "org_path"),
        ("problem", "problems", "org_path"),
        ("evidence", "evidence", "org_path"),
        ("activity", "activities", "org_path"),
        ("notification", "notifications", "org_path"),
        ("person", "people", "org_path"),
        ("local_rule", "local_rules", "org_path"),
        ("petition", "petitions", "org_path"),
        ("pm_filer", "pm_filers", "org_path"),
        ("pm_batch", "pm_batches", "org_path"),
        ("pm_check", "pm_checks", "org_path"),
        ("risk_point", "risk_points", "org_path"),
        ("promotion_check", "promotion_checks", "org_path"),
        ("letter", "letters", "org_path"),
        ("duty_report", "duty_reports", "org_path"),
        ("appraisal", "appraisals", "org_path"),
        ("cadre_part_time", "cadre_part_time", "org_path"),
        ("inspection_target", "inspection_targets", "org_path"),
        ("inspection_talk", "inspection_talks", "org_path"),
        ("inspection_survey", "inspection_surveys", "org_path"),
    ] {
        by_kind.insert(
            kind,
            (
                one(t, &inside(tbl, col)).await,
                one(t, &outside(tbl, col)).await,
            ),
        );
    }
    // another unit's org, not one of unit1's ancestors (whose names it sees)
    by_kind.insert(
        "org",
        (
            one(t, &inside("orgs", "path")).await,
            one(t, &format!("SELECT COALESCE(MIN(id), 0) FROM orgs WHERE path NOT LIKE '{u1_path}%' AND '{u1_path}' NOT LIKE path || '%'")).await,
        ),
    );
    by_kind.insert(
        "measure",
        (
            one(t, &format!("SELECT COALESCE(MIN(m.id), 0) FROM measures m JOIN problems p ON p.id = m.problem_id WHERE p.org_path LIKE '{u1_path}%'")).await,
            one(t, &format!("SELECT COALESCE(MIN(m.id), 0) FROM measures m JOIN problems p ON p.id = m.problem_id WHERE p.org_path NOT LIKE '{u1_path}%'")).await,
        ),
    );
    by_kind.insert(
        "notice",
        (
            one(t, &format!("SELECT COALESCE(MIN(n.id), 0) FROM supervision_notices n JOIN orgs o ON o.id = n.org_id WHERE o.path LIKE '{u1_path}%'")).await,
            one(t, &format!("SELECT COALESCE(MIN(n.id), 0) FROM supervision_notices n JOIN orgs o ON o.id = n.org_id WHERE o.path NOT LIKE '{u1_path}%'")).await,
        ),
    );
    by_kind.insert(
        "plan",
        (
            one(t, &format!("SELECT COALESCE(MIN(p.id), 0) FROM plans p JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE '{u1_path}%'")).await,
            one(t, &format!("SELECT COALESCE(MIN(p.id), 0) FROM plans p JOIN orgs o ON o.id = p.org_id WHERE o.path NOT LIKE '{u1_path}%'")).await,
        ),
    );
    by_kind.insert("sheet", ("problems".into(), "no-such-kind".into()));
    // a round is "in" when one of its target units lies in unit1's subtree
    by_kind.insert(
        "inspection_round",
        (
            one(t, &format!("SELECT COALESCE(MIN(r.id), 0) FROM inspection_rounds r WHERE EXISTS (SELECT 1 FROM inspection_targets x WHERE x.round_id = r.id AND x.org_path LIKE '{u1_path}%')")).await,
            one(t, &format!("SELECT COALESCE(MIN(r.id), 0) FROM inspection_rounds r WHERE NOT EXISTS (SELECT 1 FROM inspection_targets x WHERE x.round_id = r.id AND x.org_path LIKE '{u1_path}%')")).await,
        ),
    );
    // 考核: the round in progress (out: none), and in it unit1 (in) or another unit (out)
    // as `{org}`; the commission's system (no system is anyone else's); appeals of
    // unit1 and of another unit
    let round = one(
        t,
        "SELECT COALESCE(MIN(id), 0) FROM assessment_rounds WHERE state = 'scoring'",
    )
    .await;
    by_kind.insert("assessment_round", (round.clone(), "999999999".into()));
    by_kind.insert("assessment_round_org", (round.clone(), round.clone()));
    by_kind.insert(
        "assessment_org",
        (
            one(t, &format!("SELECT COALESCE(MIN(org_id), 0) FROM assessment_targets WHERE round_id = {round} AND org_path = '{u1_path}'")).await,
            one(t, &format!("SELECT COALESCE(MIN(org_id), 0) FROM assessment_targets WHERE round_id = {round} AND org_path <> '{u1_path}'")).await,
        ),
    );
    by_kind.insert(
        "assessment_system",
        (
            one(t, "SELECT COALESCE(MIN(id), 0) FROM assessment_systems").await,
            "999999999".into(),
        ),
    );
    by_kind.insert(
        "assessment_appeal",
        (
            one(t, &format!("SELECT COALESCE(MIN(id), 0) FROM assessment_appeals WHERE org_path LIKE '{u1_path}%'")).await,
            one(t, &format!("SELECT COALESCE(MIN(id), 0) FROM assessment_appeals WHERE org_path NOT LIKE '{u1_path}%'")).await,
        ),
    );
    // a throwaway account for the security administrator's routes
    let sec = t.app.actor_by_username("secadmin").await.unwrap();
    let uid = t
        .app
        .user_create(&sec, "it-matrix", "矩阵", PASSWORD, None)
        .await
        .unwrap();
    let org = t
        .count(&format!("SELECT id FROM orgs WHERE path = '{u1_path}'"))
        .await;
    t.app.user_add_role(&sec, uid, "member", org).await.unwrap();
    let role_id = t
        .count(&format!("SELECT id FROM user_roles WHERE user_id = {uid}"))
        .await;
    by_kind.insert("user", (uid.to_string(), "999999999".into()));
    Ids { by_kind, role_id }
}

struct Caller {
    api: Option<String>,
    page: Option<PageSession>,
}

async fn writes(t: &TestApp) -> i64 {
    t.count(
        "SELECT COUNT(*) FROM audit_events WHERE result = 'ok' \
         AND action NOT IN ('login_ok', 'logout', 'export', 'evidence_download', 'report_read')",
    )
    .await
}

async fn call(t: &TestApp, c: &Caller, method: &str, path: &str) -> String {
    let before = writes(t).await;
    let api = path.starts_with("/api/v1");
    let m = Method::from_bytes(method.as_bytes()).unwrap();
    let status = if api {
        let mut rb = t.api.request(m.clone(), t.url(path));
        if let Some(tok) = &c.api {
            rb = rb.bearer_auth(tok);
        }
        if m != Method::GET {
            rb = rb.json(&json!({}));
        }
        rb.send().await.unwrap().status()
    } else {
        let client: Client = match &c.page {
            Some(s) => s.client.clone(),
            None => t.api.clone(),
        };
        let mut rb = client.request(m.clone(), t.url(path));
        if m != Method::GET {
            let csrf = c.page.as_ref().map(|s| s.csrf.clone()).unwrap_or_default();
            rb = rb.form(&[("csrf", csrf)]);
        }
        rb.send().await.unwrap().status()
    };
    let w = if writes(t).await > before { "w" } else { "" };
    format!("{}{w}", status.as_u16())
}

#[tokio::test]
async fn every_route_answers_every_role_as_declared() {
    let t = spawn_app().await;
    let routes = routes_in_source();
    assert!(
        routes.len() > 100,
        "the route parser found {}",
        routes.len()
    );
    let com = t.login_api("commission").await;
    let u1_path = t.home_org(&t.login_api("unit1").await).await["path"]
        .as_str()
        .unwrap()
        .to_string();
    let ids = record_ids(&t, &u1_path).await;
    let mut callers = Vec::new();
    for who in WHO {
        callers.push(if who == "anon" {
            Caller {
                api: None,
                page: None,
            }
        } else {
            Caller {
                api: Some(t.login_api(who).await),
                page: Some(t.login_page(who).await),
            }
        });
    }
    let _ = com;
    // reads first, then writes; logging out last
    let mut order: Vec<&(String, String)> = routes.iter().collect();
    order.sort_by_key(|(m, p)| {
        (
            p == "/logout" || p == "/api/v1/session",
            m != "GET",
            p.clone(),
        )
    });
    let mut observed: Vec<(String, String, String)> = Vec::new();
    for (m, p) in order {
        let scopes: Vec<(&str, String)> = match kind_of(p) {
            None => vec![("-", p.clone())],
            Some(kind) => {
                let (i, o) = &ids.by_kind[kind];
                let fill = |id: &str| {
                    p.replace("{id}", id)
                        .replace("{kind}", id)
                        .replace("{role_id}", &ids.role_id.to_string())
                };
                if kind == "user" {
                    vec![("in", fill(i))]
                } else {
                    // `{org}`: unit1 inside, another unit outside (assessment)
                    let (oi, oo) = ids
                        .by_kind
                        .get("assessment_org")
                        .cloned()
                        .unwrap_or_default();
                    vec![
                        ("in", fill(i).replace("{org}", &oi)),
                        ("out", fill(o).replace("{org}", &oo)),
                    ]
                }
            }
        };
        for (scope, path) in scopes {
            let mut cells = Vec::new();
            for c in &callers {
                cells.push(call(&t, c, m, &path).await);
            }
            observed.push((format!("{m} {p}"), scope.to_string(), cells.join(" ")));
        }
    }
    if std::env::var("ZEREN_MATRIX_PRINT").is_ok() {
        for (r, s, c) in &observed {
            println!("    (\"{r}\", \"{s}\", \"{c}\"),");
        }
    }
    // rules that hold whatever the table says
    for (r, s, c) in &observed {
        let cells: Vec<&str> = c.split(' ').collect();
        let business = !r.contains("/admin/")
            && !r.contains("/login")
            && !r.contains("/logout")
            && !r.contains("/account/")
            && !r.contains("/settings/channels")
            && !r.contains("/api/v1/session")
            && !r.contains("/api/v1/audit")
            && !r.contains("/healthz")
            && !r.contains("/static/")
            && !r.contains("openapi");
        for a in ADMINS {
            if business {
                assert!(
                    !cells[a].ends_with('w'),
                    "{} writes on {r} {s}: {c}",
                    WHO[a]
                );
                // the org tree (names, no records) is what the security
                // administrator scopes roles to
                let org_tree = a == 5 && r.contains("/orgs/");
                if *s != "-" && !org_tree {
                    assert!(
                        !cells[a].starts_with('2'),
                        "{} reads a business record on {r} {s}: {c}",
                        WHO[a]
                    );
                }
            }
        }
        // nobody writes anything anonymously, nor reads past the login
        let anon = cells[ANON];
        assert!(!anon.ends_with('w'), "anonymous write on {r}: {c}");
        if anon.starts_with('2') {
            assert!(
                r.contains("/login")
                    // the anonymous survey page: a one-time code, no account
                    || r == "GET /survey"
                    || r.contains("/healthz")
                    || r.contains("/static/")
                    || r.contains("openapi"),
                "anonymous read of {r}: {c}"
            );
        }
        // the discipline body never reads personal-matters records, and the
        // organisation department never reads a petition or a four-forms action
        if r.contains("/personal-matters") {
            assert!(
                !cells[DISCIPLINE].starts_with('2'),
                "discipline reads {r} {s}: {c}"
            );
        }
        if r.contains("/petitions") || r.contains("/four-forms") {
            assert!(
                !cells[ORG_DEPT].starts_with('2') && !cells[ORG_DEPT].ends_with('w'),
                "orgdept on {r} {s}: {c}"
            );
        }
        // unit1 never reaches a record of another unit
        if *s == "out" {
            assert!(
                !cells[1].starts_with('2') && !cells[1].ends_with('w'),
                "unit1 on {r} out: {c}"
            );
        }
    }
    // and the declared table, line by line, complete in both directions
    let declared: BTreeMap<(String, String), String> = POLICY
        .iter()
        .map(|(r, s, c)| ((r.to_string(), s.to_string()), c.to_string()))
        .collect();
    let mut diff = Vec::new();
    for (r, s, c) in &observed {
        match declared.get(&(r.clone(), s.clone())) {
            Some(d) if d == c => {}
            Some(d) => diff.push(format!("{r} {s}: declared {d}, observed {c}")),
            None => diff.push(format!("{r} {s}: not in POLICY (observed {c})")),
        }
    }
    let seen: BTreeSet<(String, String)> = observed
        .iter()
        .map(|(r, s, _)| (r.clone(), s.clone()))
        .collect();
    for k in declared.keys() {
        if !seen.contains(k) {
            diff.push(format!("{} {}: in POLICY but no such route", k.0, k.1));
        }
    }
    assert!(
        diff.is_empty(),
        "{} cells differ from the policy:\n{}",
        diff.len(),
        diff.join("\n")
    );
}
