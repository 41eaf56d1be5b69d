use serde::{Deserialize, Serialize};
use std::fmt;

/// Kinds of Party organisation, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 委党委: the root, the commission committee.
    Commission,
    /// 党委: a subordinate unit's committee.
    Committee,
    /// 党总支
    GeneralBranch,
    /// 党支部
    Branch,
    /// 党小组
    Group,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Commission,
        OrgKind::Committee,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::Group,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Commission => "commission",
            OrgKind::Committee => "committee",
            OrgKind::GeneralBranch => "general_branch",
            OrgKind::Branch => "branch",
            OrgKind::Group => "group",
        }
    }
    pub fn parse(s: &str) -> Option<OrgKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Commission => "委党委",
            OrgKind::Committee => "党委",
            OrgKind::GeneralBranch => "党总支",
            OrgKind::Branch => "党支部",
            OrgKind::Group => "党小组",
        }
    }
    fn rank(self) -> u8 {
        match self {
            OrgKind::Commission => 0,
            OrgKind::Committee => 1,
            OrgKind::GeneralBranch => 2,
            OrgKind::Branch => 3,
            OrgKind::Group => 4,
        }
    }
    /// Whether an org of kind `child` may sit directly under one of kind `self`.
    /// A committee may hold branches directly (no general branch in between); a group
    /// only sits in a branch; the commission is only ever the root.
    pub fn may_contain(self, child: OrgKind) -> bool {
        match child {
            OrgKind::Commission => false,
            OrgKind::Group => self == OrgKind::Branch,
            _ => child.rank() > self.rank() && self != OrgKind::Group,
        }
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Materialised path of an org: `/1/5/23/`, the ids from the root down, each followed
/// by a slash. A subtree is the half-open string range `[path, upper)` where `upper`
/// replaces the final `/` by `0` (the next byte): `/1/5/` .. `/1/50`. The range is an
/// index range in SQL under binary collation, which both SQLite and PostgreSQL
/// (`COLLATE "C"`) use for this column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgPath(String);

impl OrgPath {
    pub fn root(id: i64) -> Self {
        OrgPath(format!("/{id}/"))
    }
    pub fn child(&self, id: i64) -> Self {
        OrgPath(format!("{}{id}/", self.0))
    }
    pub fn parse(s: &str) -> Option<Self> {
        if s.len() < 3 || !s.starts_with('/') || !s.ends_with('/') {
            return None;
        }
        let inner = &s[1..s.len() - 1];
        if inner
            .split('/')
            .all(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()))
        {
            Some(OrgPath(s.to_string()))
        } else {
            None
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Exclusive upper bound of the subtree range.
    pub fn upper(&self) -> String {
        let mut s = self.0.clone();
        s.pop();
        s.push('0');
        s
    }
    pub fn contains(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }
    pub fn ids(&self) -> Vec<i64> {
        self.0
            .split('/')
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect()
    }
    pub fn depth(&self) -> usize {
        self.ids().len()
    }
    pub fn last_id(&self) -> Option<i64> {
        self.ids().last().copied()
    }
    pub fn parent(&self) -> Option<OrgPath> {
        let ids = self.ids();
        if ids.len() < 2 {
            return None;
        }
        let mut s = String::from("/");
        for id in &ids[..ids.len() - 1] {
            s.push_str(&id.to_string());
            s.push('/');
        }
        Some(OrgPath(s))
    }
    /// Path of `self` after its subtree root `old_root` moved to `new_root`.
    pub fn rebase(&self, old_root: &OrgPath, new_root: &OrgPath) -> Option<OrgPath> {
        self.0
            .strip_prefix(&old_root.0)
            .map(|rest| OrgPath(format!("{}{}", new_root.0, rest)))
    }
}

impl fmt::Display for OrgPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_range_excludes_siblings_with_longer_ids() {
        let p = OrgPath::root(1).child(5);
        assert_eq!(p.as_str(), "/1/5/");
        assert_eq!(p.upper(), "/1/50");
        let inside = p.child(9);
        let sibling = OrgPath::root(1).child(55);
        assert!(inside.as_str() >= p.as_str() && inside.as_str() < p.upper().as_str());
        assert!(!(sibling.as_str() >= p.as_str() && sibling.as_str() < p.upper().as_str()));
        assert!(p.contains(&inside));
        assert!(!p.contains(&sibling));
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!(OrgPath::parse("/1/2/").is_some());
        assert!(OrgPath::parse("/1//2/").is_none());
        assert!(OrgPath::parse("1/2/").is_none());
        assert!(OrgPath::parse("/a/").is_none());
        assert!(OrgPath::parse("/").is_none());
    }

    #[test]
    fn parent_and_rebase() {
        let p = OrgPath::parse("/1/5/9/").unwrap();
        assert_eq!(p.parent().unwrap().as_str(), "/1/5/");
        assert_eq!(OrgPath::root(1).parent(), None);
        let moved = p
            .rebase(
                &OrgPath::parse("/1/5/").unwrap(),
                &OrgPath::parse("/1/7/5/").unwrap(),
            )
            .unwrap();
        assert_eq!(moved.as_str(), "/1/7/5/9/");
    }

    #[test]
    fn kinds_nest_top_down() {
        assert!(OrgKind::Commission.may_contain(OrgKind::Committee));
        assert!(OrgKind::Committee.may_contain(OrgKind::Branch));
        assert!(OrgKind::Branch.may_contain(OrgKind::Group));
        assert!(!OrgKind::Branch.may_contain(OrgKind::Committee));
        assert!(!OrgKind::Committee.may_contain(OrgKind::Group));
        assert!(!OrgKind::Group.may_contain(OrgKind::Group));
        assert!(!OrgKind::Committee.may_contain(OrgKind::Commission));
    }
}
