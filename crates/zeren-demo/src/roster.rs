//! The member roster for every scale: dues bases and this year's payments, and the
//! roster problems seed 004 names, each in a fixed share of branches or members
//! (chosen by id, so the same seed always puts them in the same places):
//!
//! | where | what |
//! |---|---|
//! | member id mod 89 = 5 | no dues paid for the last seven months |
//! | member id mod 13 = 3 | the last two months unpaid (ordinary arrears) |
//! | member id mod 211 = 7 | lost contact eight months ago |
//! | member id mod 307 = 11 | 口袋党员 (membership held elsewhere) |
//! | branch id mod 59 = 13 | fewer than three full members |
//! | branch id mod 53 = 9 (or the middle branch of a small tree) | more than fifty members |
//! | one branch in forty with seven or more full members | no branch committee |
//! | org id mod 67 = 19 | term ended more than a year ago, no re-election |
//!
//! Everything is set-based SQL over the whole tree, so it costs seconds at province scale.
use chrono::{Datelike, NaiveDate, TimeDelta};
use rand::rngs::SmallRng;
use rand::Rng;
use zeren_app::{clock, App};
use zeren_store::{Conn, Sql, StoreError};

use crate::{names, DemoError};

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

async fn exec(c: &mut Conn, s: &Sql) -> Result<u64, DemoError> {
    Ok(s.query()
        .execute(&mut *c)
        .await
        .map_err(StoreError::from)?
        .rows_affected())
}

async fn ids(c: &mut Conn, sql: &str) -> Result<Vec<i64>, DemoError> {
    let rows: Vec<(i64,)> = Sql::new(sql)
        .query_as()
        .fetch_all(&mut *c)
        .await
        .map_err(StoreError::from)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn generate(app: &App, rng: &mut SmallRng, today: NaiveDate) -> Result<(), DemoError> {
    let now = clock::now();
    let mut tx = app.store.begin_write().await?;
    let c = tx.conn();

    // oversized branches first, so their members pay dues like everyone else
    let branches = ids(
        c,
        "SELECT id FROM orgs WHERE kind = 'branch' AND closed_at IS NULL ORDER BY id",
    )
    .await?;
    let mut big: Vec<i64> = branches.iter().copied().filter(|id| id % 53 == 9).collect();
    if big.is_empty() {
        // a small tree still shows one
        big.extend(branches.get(branches.len() / 2));
    }
    for b in big {
        let (path,): (String,) = {
            let mut s = Sql::new("SELECT path FROM orgs WHERE id = ");
            s.bind(b);
            s.query_as()
                .fetch_one(&mut *c)
                .await
                .map_err(StoreError::from)?
        };
        for chunk in 0..3 {
            let mut s = Sql::new(
                "INSERT INTO people (name, org_id, org_path, gender, party_status, joined_on, title, created_at) VALUES ",
            );
            for k in 0..16 {
                if k > 0 {
                    s.push(",");
                }
                let g = names::gender(rng, 0.6);
                let joined = today - TimeDelta::days(rng.gen_range(400..9000));
                s.push("(")
                    .bind(names::person_name(rng, g))
                    .push(",")
                    .bind(b)
                    .push(",")
                    .bind(path.as_str())
                    .push(",")
                    .bind(g)
                    .push(",'full',")
                    .bind(ymd(joined))
                    .push(",")
                    .bind(if (chunk + k) % 3 == 0 {
                        "主管护师"
                    } else {
                        "住院医师"
                    })
                    .push(",")
                    .bind(now)
                    .push(")");
            }
            exec(c, &s).await?;
        }
    }

    // branches left with fewer than three full members
    let small = ids(
        c,
        "SELECT id FROM orgs WHERE kind = 'branch' AND closed_at IS NULL AND id % 59 = 13 ORDER BY id",
    )
    .await?;
    for b in small {
        let mut s = Sql::new("SELECT id FROM people WHERE party_status = 'full' AND org_id = ");
        s.bind(b).push(" ORDER BY id");
        let full: Vec<(i64,)> = s
            .query_as()
            .fetch_all(&mut *c)
            .await
            .map_err(StoreError::from)?;
        for (p,) in full.into_iter().skip(2) {
            let mut s = Sql::new(
                "UPDATE people SET party_status = 'probationary', full_on = NULL, joined_on = ",
            );
            s.bind(ymd(today - TimeDelta::days(200)))
                .push(" WHERE id = ")
                .bind(p);
            exec(c, &s).await?;
        }
    }

    // a branch in forty of those that need a committee has none: only its secretary
    let need = ids(
        c,
        "SELECT org_id FROM people p JOIN orgs o ON o.id = p.org_id WHERE o.kind = 'branch' \
         AND p.party_status = 'full' GROUP BY p.org_id HAVING COUNT(*) >= 7 ORDER BY p.org_id",
    )
    .await?;
    for b in need.into_iter().step_by(40) {
        let mut s = Sql::new("DELETE FROM positions WHERE kind <> 'secretary' AND org_id = ");
        s.bind(b);
        exec(c, &s).await?;
    }

    // terms long over
    let mut s = Sql::new("UPDATE orgs SET term_start = ");
    s.bind(ymd(today - TimeDelta::days(400 + 3 * 365)))
        .push(", term_end = ")
        .bind(ymd(today - TimeDelta::days(400)))
        .push(" WHERE id % 67 = 19 AND kind IN ('branch', 'general_branch', 'committee')");
    exec(c, &s).await?;

    // lost contact, pocket members
    let mut s = Sql::new("UPDATE people SET contact_state = 'lost', last_contact_on = ");
    s.bind(ymd(today - TimeDelta::days(240)))
        .push(" WHERE id % 211 = 7 AND party_status IN ('full', 'probationary')");
    exec(c, &s).await?;
    let mut s = Sql::new("UPDATE people SET last_contact_on = ");
    s.bind(ymd(today - TimeDelta::days(20)))
        .push(" WHERE contact_state = 'normal' AND last_contact_on IS NULL");
    exec(c, &s).await?;
    exec(
        c,
        &Sql::new("UPDATE people SET pocket = 1 WHERE id % 307 = 11 AND party_status IN ('full', 'probationary')"),
    )
    .await?;

    // dues: pay after tax from 3,000 to 12,000 yuan, the regulation's bands (half up)
    exec(
        c,
        &Sql::new(
            "UPDATE people SET dues_kind = 'salaried', dues_base_cents = 300000 + (id % 10) * 100000 \
             WHERE party_status IN ('full', 'probationary')",
        ),
    )
    .await?;
    let amount = "(dues_base_cents * CASE WHEN dues_base_cents <= 300000 THEN 5 \
                  WHEN dues_base_cents <= 500000 THEN 10 WHEN dues_base_cents <= 1000000 THEN 15 \
                  ELSE 20 END + 500) / 1000";
    let this_month = today.month() as i64;
    for m in 1..this_month {
        let month = format!("{}-{m:02}", today.year());
        let paid_on = format!("{month}-10");
        let mut s = Sql::new(&format!(
            "INSERT INTO dues_payments (person_id, org_path, month, amount_cents, paid_on, created_at) \
             SELECT id, org_path, '{month}', {amount}, '{paid_on}', "
        ));
        s.bind(now).push(
            " FROM people WHERE party_status IN ('full', 'probationary') AND pocket = 0 AND left_on IS NULL",
        );
        if m > this_month - 7 {
            s.push(" AND id % 89 <> 5");
        }
        if m > this_month - 3 {
            s.push(" AND id % 13 <> 3");
        }
        exec(c, &s).await?;
    }
    tx.commit().await?;
    Ok(())
}
