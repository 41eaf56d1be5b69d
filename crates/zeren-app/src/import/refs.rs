//! Names in a sheet → records: orgs by name, code, record code or full path; people by
//! name among those of the row's org, its subtree and its ancestors (the people the
//! forms let one choose), with `姓名（组织）` to tell namesakes apart.
use std::collections::HashMap;

use zeren_core::sheet::{self, SheetKind};
use zeren_store::import::PersonRef;
use zeren_store::org::OrgRow;
use zeren_store::Conn;

use crate::AppResult;

/// Names compare without spaces and with full-width letters folded.
pub fn norm(s: &str) -> String {
    s.chars()
        .map(sheet::fold_width)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// An org a sheet may name: one of the database, or one added earlier in the same
/// sheet (then `id` is 0 until it is written).
#[derive(Debug, Clone)]
pub struct OrgEntry {
    pub id: i64,
    pub parent: Option<usize>,
    pub name: String,
    pub kind: String,
    pub code: Option<String>,
    /// Materialised path; empty for an org not yet written.
    pub path: String,
    pub closed: bool,
    pub row: Option<OrgRow>,
}

#[derive(Default)]
pub struct OrgIndex {
    pub orgs: Vec<OrgEntry>,
    by_id: HashMap<i64, usize>,
    by_name: HashMap<String, Vec<usize>>,
    by_code: HashMap<String, Vec<usize>>,
}

/// Why a name did not resolve: what is wrong, and how to fix it.
pub type Unresolved = (String, String);

impl OrgIndex {
    /// The orgs of the importer's scope and the ancestors of its roots.
    pub async fn load(c: &mut Conn, scope_paths: &[String]) -> AppResult<OrgIndex> {
        let rows = zeren_store::import::orgs_under(c, scope_paths).await?;
        let mut ix = OrgIndex::default();
        for r in rows {
            ix.add(OrgEntry {
                id: r.id,
                parent: None,
                name: r.name.clone(),
                kind: r.kind.clone(),
                code: r.code.clone(),
                path: r.path.clone(),
                closed: r.closed_at.is_some(),
                row: Some(r),
            });
        }
        // parents after all are in (rows come in path order, parents first anyway)
        for i in 0..ix.orgs.len() {
            let parent = ix.orgs[i]
                .row
                .as_ref()
                .and_then(|r| r.parent_id)
                .and_then(|p| ix.by_id.get(&p).copied());
            ix.orgs[i].parent = parent;
        }
        Ok(ix)
    }

    pub fn add(&mut self, e: OrgEntry) -> usize {
        let i = self.orgs.len();
        if e.id != 0 {
            self.by_id.insert(e.id, i);
        }
        self.by_name.entry(norm(&e.name)).or_default().push(i);
        if let Some(code) = e.code.as_deref().map(norm).filter(|c| !c.is_empty()) {
            self.by_code.entry(code).or_default().push(i);
        }
        self.orgs.push(e);
        i
    }

    pub fn get(&self, i: usize) -> &OrgEntry {
        &self.orgs[i]
    }

    pub fn by_id(&self, id: i64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// Once an org added by the sheet is written, it is known by its id and path.
    pub fn written(&mut self, i: usize, row: OrgRow) {
        self.by_id.insert(row.id, i);
        let e = &mut self.orgs[i];
        e.id = row.id;
        e.path = row.path.clone();
        e.row = Some(row);
    }

    /// `委党委/某医院党委/第一支部`.
    pub fn full_path(&self, i: usize) -> String {
        let mut names = vec![self.orgs[i].name.clone()];
        let mut cur = self.orgs[i].parent;
        while let Some(p) = cur {
            names.push(self.orgs[p].name.clone());
            cur = self.orgs[p].parent;
        }
        names.reverse();
        names.join("/")
    }

    /// Resolves an org reference: a record code (`O-12`), a full or partial path
    /// (`某医院党委/第一支部`), an org code, or a name. Closed orgs resolve only when
    /// nothing open matches (the caller refuses them).
    pub fn resolve(&self, text: &str) -> Result<usize, Unresolved> {
        let t = norm(text);
        if t.is_empty() {
            return Err(("党组织为空".into(), "请填写党组织名称".into()));
        }
        if !self.by_code.contains_key(&t) {
            if let Ok(id) = sheet::parse_code(SheetKind::Orgs, &t) {
                return self.by_id(id).ok_or_else(|| {
                    (
                        format!(
                            "编号为 {} 的组织不存在或不在您的管理范围内",
                            sheet::code_of(SheetKind::Orgs, id)
                        ),
                        "请核对组织编号，或改填组织名称".into(),
                    )
                });
            }
        }
        let segments: Vec<&str> = t
            .split(['/', '\\', '>', '＞'])
            .filter(|s| !s.is_empty())
            .collect();
        let candidates: Vec<usize> = if segments.len() > 1 {
            let last = segments[segments.len() - 1];
            self.by_name
                .get(last)
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|&i| self.path_ends_with(i, &segments))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            match self.by_code.get(&t) {
                Some(v) => v.clone(),
                None => self.by_name.get(&t).cloned().unwrap_or_default(),
            }
        };
        let open: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| !self.orgs[i].closed)
            .collect();
        let pick = if open.is_empty() { candidates } else { open };
        match pick.as_slice() {
            [i] => Ok(*i),
            [] => Err((
                format!("找不到党组织“{}”", text.trim()),
                "请核对名称是否与系统中的组织名称一致（可在“组织机构”中查看），或填写组织代码、完整路径（如 委党委/某医院党委/第一党支部）；只能填写您管理范围内的组织".into(),
            )),
            many => Err((
                format!(
                    "“{}”对应多个党组织：{}",
                    text.trim(),
                    many.iter()
                        .take(4)
                        .map(|&i| self.full_path(i))
                        .collect::<Vec<_>>()
                        .join("；")
                ),
                "请改填完整路径（如 某医院党委/第一党支部）或组织代码".into(),
            )),
        }
    }

    fn path_ends_with(&self, i: usize, segments: &[&str]) -> bool {
        let mut cur = Some(i);
        for seg in segments.iter().rev() {
            match cur {
                Some(j)
                    if norm(&self.orgs[j].name) == *seg
                        || self.orgs[j].code.as_deref().map(norm).as_deref() == Some(*seg) =>
                {
                    cur = self.orgs[j].parent;
                }
                _ => return false,
            }
        }
        true
    }
}

/// People named in a sheet, looked up once for all rows.
#[derive(Default)]
pub struct PeopleIndex {
    by_name: HashMap<String, Vec<PersonRef>>,
}

/// `张三（第一党支部）` → (`张三`, Some(`第一党支部`)).
pub fn split_qualifier(s: &str) -> (String, Option<String>) {
    let t: String = s.chars().map(sheet::fold_width).collect();
    let t = t.trim();
    if let Some(open) = t.find('(') {
        if t.ends_with(')') && open > 0 {
            let name = norm(&t[..open]);
            let q = norm(&t[open + 1..t.len() - 1]);
            return (name, (!q.is_empty()).then_some(q));
        }
    }
    (norm(t), None)
}

impl PeopleIndex {
    /// Everyone carrying one of the names in `cells` (each possibly qualified).
    pub async fn load(c: &mut Conn, cells: &[String]) -> AppResult<PeopleIndex> {
        let mut names: Vec<String> = cells.iter().map(|s| split_qualifier(s).0).collect();
        names.sort();
        names.dedup();
        names.retain(|n| !n.is_empty());
        let mut ix = PeopleIndex::default();
        for p in zeren_store::import::people_named(c, &names).await? {
            ix.by_name.entry(norm(&p.name)).or_default().push(p);
        }
        Ok(ix)
    }

    /// The person called `text` related to the org at `org_path` (in its subtree or
    /// above it), optionally qualified by their org's name or code.
    pub fn resolve(
        &self,
        text: &str,
        org_path: &str,
        org_label: &str,
        orgs: &OrgIndex,
    ) -> Result<i64, Unresolved> {
        let (name, qual) = split_qualifier(text);
        let related = |p: &&PersonRef| {
            p.org_path.starts_with(org_path) || org_path.starts_with(p.org_path.as_str())
        };
        let all: Vec<&PersonRef> = self
            .by_name
            .get(&name)
            .map(|v| v.iter().filter(related).collect())
            .unwrap_or_default();
        let org_of = |p: &PersonRef| orgs.by_id(p.org_id).map(|i| orgs.get(i));
        let mut cands: Vec<&PersonRef> = match &qual {
            Some(q) => all
                .iter()
                .copied()
                .filter(|p| {
                    org_of(p).is_some_and(|o| {
                        norm(&o.name) == *q || o.code.as_deref().map(norm).as_deref() == Some(q)
                    })
                })
                .collect(),
            None => all.clone(),
        };
        // someone who left (组织关系已转出) yields to a namesake still here
        if cands.len() > 1 && cands.iter().any(|p| p.left_on.is_none()) {
            cands.retain(|p| p.left_on.is_none());
        }
        match cands.as_slice() {
            [p] => Ok(p.id),
            [] => Err((
                format!(
                    "在“{org_label}”及其上级、下级组织中找不到人员“{}”",
                    text.trim()
                ),
                "请核对姓名，人员须先在“人员”中登记（可先导入人员表）".into(),
            )),
            many => Err((
                format!(
                    "“{}”有 {} 位同名人员：{}",
                    text.trim(),
                    many.len(),
                    many.iter()
                        .take(4)
                        .map(|p| org_of(p).map(|o| o.name.clone()).unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!("请写成“{name}（所在党组织名称）”以区分"),
            )),
        }
    }
}
