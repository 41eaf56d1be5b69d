//! Zeren's integration suite: the real application over real HTTP.
//!
//! `cargo test -p zeren --test it` runs it on SQLite. With
//! `ZEREN_TEST_PG=postgres://user@host:port/db` every test gets a freshly created
//! PostgreSQL database on that server instead (the crash test stays on SQLite). The
//! browser test needs /usr/bin/chromedriver and Chromium; `ZEREN_TEST_BROWSER=1` makes
//! their absence a failure instead of a skip.

mod activity;
mod assessment;
mod audit_chain;
mod authz;
mod authz_matrix;
mod browser;
mod compliance;
mod crash;
mod documents;
mod harness;
mod http;
mod import;
mod inbox;
mod inspection;
mod letters;
mod letters_cadre;
mod letters_duty;
mod login_policy;
mod notice;
mod orglife;
mod personal_matters;
mod petition;
mod reader;
mod recurring;
mod reminder;
mod report;
mod risk_points;
mod roster;
mod security;
mod separation;
mod tally;
