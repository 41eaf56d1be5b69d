//! Loads demo data into a fresh database and reports time and row counts:
//!
//! ```sh
//! cargo run --release -p zeren-demo --example load -- city /tmp/zeren-city
//! ```
//! Arguments: scale (small|city|province), data directory (must not hold a database
//! yet), optional seed (default 2026). The database is `<dir>/zeren.db`.
use std::time::Instant;

use zeren_app::{App, AppConfig};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scale: zeren_demo::Scale = match args.first().map(|s| s.parse()) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
        None => {
            eprintln!("usage: load <small|city|province> <data-dir> [seed]");
            std::process::exit(2);
        }
    };
    let dir = std::path::PathBuf::from(
        args.get(1)
            .cloned()
            .unwrap_or_else(|| "/tmp/zeren-demo".into()),
    );
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2026);
    std::fs::create_dir_all(&dir).expect("create the data directory");
    let url = format!("sqlite://{}", dir.join("zeren.db").display());
    let app = App::open(&url, AppConfig::new(dir.clone()))
        .await
        .expect("open the database");
    let t = Instant::now();
    match zeren_demo::load(&app, scale, seed, "Demo-Pass-2026!").await {
        Ok(s) => println!("{scale} loaded in {:.1}s: {s:?}", t.elapsed().as_secs_f64()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
