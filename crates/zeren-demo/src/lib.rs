//! Demo data for Zeren: a municipal health commission's Party organisations, people,
//! accounts, this year's responsibility plan decomposed downwards, an inspection round
//! and a self-examination with their problems and rectification measures.
//!
//! The same seed gives the same data. Dates are relative to the day the data is loaded
//! (China Standard Time), so deadlines are always past, near and far.
//!
//! - [`Scale::Small`] is what every demo and the UI tests use. It is written through the
//!   application's use cases wherever a user would act (plan, decomposition, reports
//!   with evidence, problems, measures, closing), so history and audit are real.
//! - [`Scale::City`] and [`Scale::Province`] load the small content first, then
//!   bulk-generate organisations, people, tasks, problems and measures with explicit ids
//!   in large transactions, for benchmarks.

mod assessment;
mod bulk;
mod cadre;
mod content;
mod discipline;
mod docs;
mod inspection;
mod letters;
mod mechanism;
mod names;
mod orglife;
mod roster;
mod small;

use std::fmt;
use std::str::FromStr;

use rand::rngs::SmallRng;
use rand::SeedableRng;
use zeren_app::{App, AppError};
use zeren_store::StoreError;

/// How much data to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// One commission, a dozen units, their branches and members (a few hundred people).
    Small,
    /// About 2,000 orgs, 20,000 people, 50,000 tasks, 50,000 problems, 150,000 measures.
    City,
    /// At least 30,000 orgs, 300,000 people, 1,000,000 tasks, 1,000,000 problems and
    /// 3,000,000 measures.
    Province,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::City => "city",
            Scale::Province => "province",
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scale name that is not one of `small`, `city`, `province`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的演示数据规模“{0}”，应为 small、city 或 province（unknown demo scale “{0}”: use small, city or province）")]
pub struct UnknownScale(pub String);

impl FromStr for Scale {
    type Err = UnknownScale;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "small" => Ok(Scale::Small),
            "city" => Ok(Scale::City),
            "province" => Ok(Scale::Province),
            _ => Err(UnknownScale(s.to_string())),
        }
    }
}

/// Row counts after loading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    pub orgs: i64,
    pub people: i64,
    pub users: i64,
    pub plans: i64,
    pub tasks: i64,
    pub problems: i64,
    pub measures: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Demo data only goes into an empty database.
    #[error("数据库中已有组织数据，演示数据只能载入空数据库（the database already holds organisations; demo data loads only into an empty database）")]
    NotEmpty,
    #[error("{0}")]
    App(#[from] AppError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Loads demo data of `scale` into an empty database. Every demo account gets the
/// password `password` (each with its own salt).
pub async fn load(
    app: &App,
    scale: Scale,
    seed: u64,
    password: &str,
) -> Result<DemoSummary, DemoError> {
    if !app.is_empty().await? {
        return Err(DemoError::NotEmpty);
    }
    let mut rng = SmallRng::seed_from_u64(seed);
    let world = small::load(app, &mut rng, password).await?;
    // A generator of its own, so the small content is the same at every scale.
    let mut bulk_rng = SmallRng::seed_from_u64(seed ^ 0x5A45_5245_4E5F_4255);
    match scale {
        Scale::Small => {}
        Scale::City => bulk::load(app, &mut bulk_rng, &world, bulk::Shape::city()).await?,
        Scale::Province => bulk::load(app, &mut bulk_rng, &world, bulk::Shape::province()).await?,
    }
    // the roster's dues and flaws, then organisational life, for every org the scale made
    let t = std::time::Instant::now();
    roster::generate(app, &mut bulk_rng, world.today).await?;
    let n = orglife::generate(app, &mut bulk_rng, world.today).await?;
    // the discipline group's accounts and records (the same at every scale)
    {
        let mut c = app.store.conn().await?;
        let commission = zeren_store::user::by_username(&mut c, "commission")
            .await?
            .ok_or_else(|| AppError::Io("演示数据缺少 commission 账号".into()))?;
        let commission = app.actor_of(&mut c, commission.id, "demo").await?;
        drop(c);
        discipline::load(app, &commission, world.today, password).await?;
        letters::load(app, world.today).await?;
        cadre::load(app, world.today).await?;
        inspection::load(app, world.today).await?;
        assessment::load(app, world.today).await?;
    }
    if !matches!(scale, Scale::Small) {
        eprintln!(
            "演示数据 demo: activities {n} ({:.1}s)",
            t.elapsed().as_secs_f64()
        );
    }
    summary(app).await
}

/// Counts the rows the demo loads.
pub async fn summary(app: &App) -> Result<DemoSummary, DemoError> {
    let mut c = app.store.conn().await?;
    let mut n = [0i64; 7];
    for (i, t) in [
        "orgs", "people", "users", "plans", "tasks", "problems", "measures",
    ]
    .iter()
    .enumerate()
    {
        let (v,): (i64,) = zeren_store::Sql::new(&format!("SELECT COUNT(*) FROM {t}"))
            .query_as()
            .fetch_one(&mut *c)
            .await
            .map_err(StoreError::from)?;
        n[i] = v;
    }
    Ok(DemoSummary {
        orgs: n[0],
        people: n[1],
        users: n[2],
        plans: n[3],
        tasks: n[4],
        problems: n[5],
        measures: n[6],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_parse() {
        assert_eq!("small".parse::<Scale>(), Ok(Scale::Small));
        assert_eq!(" City ".parse::<Scale>(), Ok(Scale::City));
        assert_eq!("province".parse::<Scale>(), Ok(Scale::Province));
        let e = "huge".parse::<Scale>().unwrap_err().to_string();
        assert!(
            e.contains("huge") && e.contains("small") && e.contains("规模"),
            "{e}"
        );
    }
}
