//! A small SQL builder: text plus positional `$N` arguments, in the dialect SQLite and
//! PostgreSQL share. sqlx's own QueryBuilder cannot be used with the `Any` driver
//! because it does not know which placeholder syntax the connection will need.

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, FromRow};

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    I(i64),
    T(String),
    /// NULL for an integer column. PostgreSQL types parameters, so a NULL must carry
    /// the type of its column.
    Null,
    /// NULL for a text column.
    NullText,
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::T(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::T(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        v.map(Val::I).unwrap_or(Val::Null)
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        v.map(Val::T).unwrap_or(Val::NullText)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sql {
    pub text: String,
    pub args: Vec<Val>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }
    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    /// Appends a placeholder for `v`.
    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Self {
        self.args.push(v.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }
    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for a in &self.args {
            q = match a {
                Val::I(i) => q.bind(*i),
                Val::T(t) => q.bind(t.as_str()),
                Val::Null => q.bind(None::<i64>),
                Val::NullText => q.bind(None::<String>),
            };
        }
        q
    }
    pub fn query_as<'q, T>(&'q self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as::<_, T>(&self.text);
        for a in &self.args {
            q = match a {
                Val::I(i) => q.bind(*i),
                Val::T(t) => q.bind(t.as_str()),
                Val::Null => q.bind(None::<i64>),
                Val::NullText => q.bind(None::<String>),
            };
        }
        q
    }

    /// Appends `(subquery)` yielding `ids`, for `col IN (…)`: the ids go as one JSON
    /// array parameter, because binding a thousand values one by one through sqlx's
    /// `Any` driver costs more than the query (see `import::insert_rows`).
    pub fn push_id_set(&mut self, c: &crate::Conn, ids: &[i64]) -> &mut Self {
        let json = format!(
            "[{}]",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        );
        if c.backend_name() == "PostgreSQL" {
            self.push("(SELECT CAST(jsonb_array_elements_text(CAST(")
                .bind(json)
                .push(" AS JSONB)) AS BIGINT))")
        } else {
            self.push("(SELECT value FROM json_each(")
                .bind(json)
                .push("))")
        }
    }

    /// Reads this query's rows as the database yields them, `size` at a time: one
    /// pass over the result, nothing skipped and re-read as OFFSET paging does
    /// (exports of a whole ledger).
    pub fn chunks<'a, T>(&'a self, c: &'a mut crate::Conn, size: usize) -> Chunks<'a, T>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin + 'a,
    {
        Chunks {
            rows: self.query_as::<T>().fetch(&mut *c),
            size: size.max(1),
        }
    }
}

/// Rows of one query read in chunks (`Sql::chunks`).
pub struct Chunks<'a, T> {
    rows: futures_util::stream::BoxStream<'a, std::result::Result<T, sqlx::Error>>,
    size: usize,
}

impl<T> Chunks<'_, T> {
    /// The next chunk, `None` after the last row.
    pub async fn next(&mut self) -> crate::Result<Option<Vec<T>>> {
        use futures_util::TryStreamExt;
        let mut buf = Vec::with_capacity(self.size);
        while buf.len() < self.size {
            match self.rows.try_next().await? {
                Some(r) => buf.push(r),
                None => break,
            }
        }
        Ok(if buf.is_empty() { None } else { Some(buf) })
    }
}

/// What a user may see: the union of org subtrees, or, for a plain member, only the
/// items they personally answer for. Applied in SQL to every list and detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Org subtrees by root path (e.g. `/1/5/`).
    Subtrees(Vec<String>),
    /// Only rows whose responsible person is this person.
    Person(i64),
    /// Sees nothing (administrators).
    Nothing,
}

impl Scope {
    /// Appends ` AND (...)` restricting `path_col` (and `person_col` for members).
    pub fn filter(&self, sql: &mut Sql, path_col: &str, person_col: Option<&str>) {
        match self {
            Scope::Subtrees(paths) if !paths.is_empty() => {
                sql.push(" AND (");
                for (i, p) in paths.iter().enumerate() {
                    if i > 0 {
                        sql.push(" OR ");
                    }
                    sql.push(&format!("({path_col} >= ")).bind(p.as_str());
                    sql.push(&format!(" AND {path_col} < ")).bind(upper(p));
                    sql.push(")");
                }
                sql.push(")");
            }
            Scope::Person(pid) => match person_col {
                Some(col) => {
                    sql.push(&format!(" AND {col} = ")).bind(*pid);
                }
                None => {
                    sql.push(" AND 1 = 0");
                }
            },
            _ => {
                sql.push(" AND 1 = 0");
            }
        }
    }

    pub fn contains_path(&self, path: &str) -> bool {
        match self {
            Scope::Subtrees(paths) => paths.iter().any(|p| path.starts_with(p.as_str())),
            _ => false,
        }
    }
}

/// Upper bound of the subtree range of `path` (see `zeren_core::OrgPath::upper`).
pub fn upper(path: &str) -> String {
    let mut s = path.to_string();
    s.pop();
    s.push('0');
    s
}

/// Lists with more matching rows than this read in deadline order from an index
/// instead of sorting all matches.
const WIDE: i64 = 2000;

/// For a wide list on SQLite, the index that yields rows already in deadline order
/// with path and state inside it (so filtering needs no table lookup). SQLite's planner
/// otherwise prefers the narrower path index and sorts every match: 30 ms instead of
/// 0.1 ms at a million rows. PostgreSQL's planner makes this choice by itself.
pub(crate) fn wide_index(
    c: &crate::Conn,
    table: &str,
    total: i64,
    states: &[String],
    by_deadline: bool,
) -> Option<String> {
    if c.backend_name() != "SQLite" || total <= WIDE || !by_deadline {
        return None;
    }
    Some(if states.len() == 1 {
        format!("{table}_state_deadline")
    } else {
        format!("{table}_deadline")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered() {
        let mut s = Sql::new("SELECT 1 WHERE a = ");
        s.bind(1).push(" AND b = ").bind("x");
        assert_eq!(s.text, "SELECT 1 WHERE a = $1 AND b = $2");
        assert_eq!(s.args.len(), 2);
    }

    #[test]
    fn scope_filters() {
        let mut s = Sql::new("WHERE 1=1");
        Scope::Subtrees(vec!["/1/5/".into()]).filter(&mut s, "org_path", None);
        assert_eq!(s.text, "WHERE 1=1 AND ((org_path >= $1 AND org_path < $2))");
        assert_eq!(s.args[1], Val::T("/1/50".into()));
        let mut s = Sql::new("WHERE 1=1");
        Scope::Nothing.filter(&mut s, "org_path", Some("person_id"));
        assert!(s.text.ends_with("1 = 0"));
    }
}
