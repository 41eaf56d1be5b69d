//! `zeren`: the one binary. Serves the web UI and API, loads demo data, backs up,
//! verifies the audit chain, and benchmarks list queries.

mod analyze_cmd;
mod assess_cmd;
mod bench;
mod compliance_cmd;
mod config;
mod import_cmd;
mod inspection_cmd;
mod letters_cmd;
mod report_cmd;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use zeren_app::{App, AppConfig};

#[derive(Parser)]
#[command(
    name = "zeren",
    version,
    about = "责任 Zeren：全面从严治党主体责任管理系统"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Args, Clone)]
pub struct DbArgs {
    /// Data directory: the SQLite database (by default) and evidence files.
    #[arg(long, env = "ZEREN_DATA")]
    data: Option<PathBuf>,
    /// Database URL: sqlite:///path/zeren.db or postgres://user@host/db (default: DATA/zeren.db).
    #[arg(long, env = "ZEREN_DATABASE_URL", hide_env_values = true)]
    database: Option<String>,
    /// Configuration file (TOML).
    #[arg(long, env = "ZEREN_CONFIG")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Start the web server.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on.
        #[arg(long, env = "ZEREN_LISTEN")]
        listen: Option<String>,
        /// Load the demo data first if the database is empty.
        #[arg(long)]
        demo: bool,
        /// Password of the demo accounts (default: a random one, printed).
        #[arg(long, env = "ZEREN_DEMO_PASSWORD", hide_env_values = true)]
        demo_password: Option<String>,
    },
    /// Load demo data into an empty database.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        /// small (a dozen units), city (~50k tasks) or province (1M tasks, 1M problems).
        #[arg(long, default_value = "small")]
        scale: String,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        #[arg(long, env = "ZEREN_DEMO_PASSWORD", hide_env_values = true)]
        demo_password: Option<String>,
    },
    /// Consistent copy of a SQLite database, safe while the server runs.
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// Destination file (must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Audit-log tools.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Background jobs: reminders, escalation, deliveries.
    Jobs {
        #[command(subcommand)]
        cmd: JobsCmd,
    },
    /// Responsibility letters (责任书): `letters status` prints, per org, letters issued
    /// and signed per kind and level.
    Letters {
        #[command(subcommand)]
        cmd: LettersCmd,
    },
    /// Check every org against the rules library: expected, held, verdict, citation.
    Compliance {
        #[command(flatten)]
        db: DbArgs,
        /// The year to check.
        #[arg(long)]
        year: i32,
        /// Only the subtree of the org with this code (default: the whole tree).
        #[arg(long)]
        org: Option<String>,
        /// One JSON array instead of one line per org and rule.
        #[arg(long)]
        json: bool,
        /// The day to judge as (YYYY-MM-DD; default today, China Standard Time).
        #[arg(long)]
        now: Option<String>,
    },
    /// Inspection tours (巡察): `inspection notice` writes a round's public progress
    /// notice (巡察整改进展情况通报, .docx) from the ledger.
    Inspection {
        #[command(subcommand)]
        cmd: InspectionCmd,
    },
    /// Read reports (.txt/.docx): outline, figures, vague sentences, problems without
    /// measures, recurring problems; --compare: shared passages; --eval: precision/recall.
    Analyze {
        /// The reports to read.
        files: Vec<PathBuf>,
        /// One JSON object per file (per line) instead of text.
        #[arg(long)]
        json: bool,
        /// Print the passages the files share (copying versus boilerplate).
        #[arg(long)]
        compare: bool,
        /// Precision and recall against the labelled files (*.json) of this directory.
        #[arg(long, value_name = "DIR")]
        eval: Option<PathBuf>,
        /// Earlier reports of the same unit (repeatable): problems that come back are flagged.
        #[arg(long, value_name = "FILE")]
        earlier: Vec<PathBuf>,
        /// The unit's problem ledger: a text file, one problem per line.
        #[arg(long, value_name = "FILE")]
        ledger: Option<PathBuf>,
    },
    /// Measure ledger list queries against the current database.
    Bench {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        #[command(subcommand)]
        what: Option<BenchCmd>,
    },
    /// Official documents written from records: `report annual` (年度报告, .docx).
    Report {
        #[command(subcommand)]
        cmd: ReportCmd,
    },
    /// Export a ledger list as .xlsx: orgs, problems, tasks, activities or people, as filtered.
    Export {
        /// orgs, problems, tasks, activities or people (the roster).
        kind: String,
        #[command(flatten)]
        db: DbArgs,
        /// The .xlsx file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
        /// Only the subtree of the org with this code (default: the whole tree).
        #[arg(long)]
        org: Option<String>,
        /// Only these states (repeat the option or separate with commas), e.g. open,pending_review.
        #[arg(long, value_delimiter = ',')]
        state: Vec<String>,
    },
    /// Assessment (考核): `assess compute` scores the year's round and prints each
    /// org's total, grade and rank.
    Assess {
        #[command(subcommand)]
        cmd: AssessCmd,
    },
    /// The data keys of confidential fields (SM4): `keys rotate`.
    Keys {
        #[command(subcommand)]
        cmd: KeysCmd,
    },
    /// Import an Excel sheet (.xlsx/.xls), whole or nothing: orgs, people, tasks, problems, activities.
    Import {
        /// orgs, people, tasks, problems or activities.
        kind: String,
        /// The .xlsx or .xls file (with --template: the template to write).
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
        /// Check every row and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the kind's import template to FILE instead of importing.
        #[arg(long)]
        template: bool,
    },
}

#[derive(Subcommand)]
enum AssessCmd {
    /// Compute (or recompute) the round of YEAR: each org's total, grade and rank.
    Compute {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        year: i32,
        /// One JSON array instead of one line per org.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum KeysCmd {
    /// Add a new data key, re-encrypt every confidential field under it in one
    /// transaction, and retire the old keys. Prints key ids, never keys.
    Rotate {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum InspectionCmd {
    /// 巡察整改进展情况通报 of a round, figures counted from the ledger.
    Notice {
        #[command(flatten)]
        db: DbArgs,
        /// The round's code YEAR-N, e.g. 2026-3 (default: the latest round fed back).
        #[arg(long)]
        round: Option<String>,
        /// The .docx file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ReportCmd {
    /// 《关于××年度履行全面从严治党主体责任情况的报告》 of an org, figures from records.
    Annual {
        #[command(flatten)]
        db: DbArgs,
        /// The org's code (default: the root organisation).
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        year: i32,
        /// The .docx file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Generate a problem ledger of ROWS rows and time its import.
    Import {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
    /// Time `assess compute` for YEAR (the year's round, or every unit provisionally).
    Assess {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        year: i32,
        #[arg(long, default_value_t = 5)]
        iterations: usize,
    },
}

#[derive(Subcommand)]
enum LettersCmd {
    /// For each org: letters issued, signed by both parties, partly signed and
    /// unsigned, per kind and level, for YEAR.
    Status {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        year: i32,
        /// One JSON array instead of one line per org, kind and level.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum JobsCmd {
    /// One engine cycle: prints one line per reminder, escalation or notice created.
    RunOnce {
        #[command(flatten)]
        db: DbArgs,
        /// The day to run as (YYYY-MM-DD; default today, China Standard Time).
        #[arg(long)]
        now: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Recompute the SM3 chain, compare it with the checkpoints, and report the first
    /// altered, deleted or inserted event, or a cut-off tail. Exits 0 when intact.
    Verify {
        #[command(flatten)]
        db: DbArgs,
        /// Checkpoint file (default: the configured one, DATA/audit-checkpoints.txt,
        /// when it exists).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Append a checkpoint (position and SM3 hash of the newest event) to the
    /// checkpoint file, after verifying the chain.
    Checkpoint {
        #[command(flatten)]
        db: DbArgs,
        /// Checkpoint file (default: the configured one).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ZEREN_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("错误：{e:#}");
        std::process::exit(1);
    }
}

async fn open(db: &DbArgs) -> Result<(App, config::Settings)> {
    let s = config::Settings::resolve(db.config.as_deref(), db.data.clone(), db.database.clone())?;
    std::fs::create_dir_all(&s.data_dir)
        .with_context(|| format!("无法创建数据目录 {}", s.data_dir.display()))?;
    let mut cfg = AppConfig::new(s.data_dir.clone());
    cfg.session_idle_secs = s.session_idle_minutes * 60;
    cfg.lockout_failures = s.lockout_failures;
    cfg.lockout_window_secs = s.lockout_window_minutes * 60;
    cfg.max_upload_bytes = s.max_upload_mb * 1024 * 1024;
    cfg.import_max_bytes = s.import_max_mb * 1024 * 1024;
    cfg.import_max_rows = s.import_max_rows;
    cfg.reminders = s.reminders.clone();
    cfg.key_file = s.key_file.clone();
    cfg.security = s.security.clone();
    if let Some(f) = &s.audit_checkpoint_file {
        cfg.audit_checkpoint_file = f.clone();
    }
    cfg.audit_checkpoint_every = s.audit_checkpoint_every;
    let app = App::open(&s.database_url, cfg)
        .await
        .with_context(|| format!("无法打开数据库 {}", zeren_app::redact_url(&s.database_url)))?;
    Ok((app, s))
}

fn demo_password(given: Option<String>) -> (String, bool) {
    match given {
        Some(p) => (p, false),
        None => {
            use rand::Rng;
            const CH: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
            let mut r = rand::thread_rng();
            let body: String = (0..12)
                .map(|_| CH[r.gen_range(0..CH.len())] as char)
                .collect();
            (format!("{body}-9z"), true)
        }
    }
}

async fn load_demo(app: &App, scale: &str, seed: u64, pw: Option<String>) -> Result<()> {
    let scale: zeren_demo::Scale = scale.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let (pw, generated) = demo_password(pw);
    let t = std::time::Instant::now();
    let s = zeren_demo::load(app, scale, seed, &pw).await?;
    eprintln!(
        "演示数据已载入（{:.1} 秒）：组织 {}，人员 {}，账号 {}，任务 {}，问题 {}，整改措施 {}",
        t.elapsed().as_secs_f64(),
        s.orgs,
        s.people,
        s.users,
        s.tasks,
        s.problems,
        s.measures
    );
    eprintln!(
        "演示账号：commission、unit1、branch1、leader1、member1、secadmin、sysadmin、auditor"
    );
    if generated {
        eprintln!("演示密码（随机生成）：{pw}");
    }
    Ok(())
}

async fn run(cli: Cli) -> Result<()> {
    match cli.cmd {
        Cmd::Serve {
            db,
            listen,
            demo,
            demo_password,
        } => {
            let (app, s) = open(&db).await?;
            if demo {
                if app.is_empty().await? {
                    load_demo(&app, "small", 2026, demo_password).await?;
                } else {
                    eprintln!("数据库已有数据，跳过演示数据载入");
                }
            }
            let addr = listen.unwrap_or(s.listen.clone());
            let listener = tokio::net::TcpListener::bind(&addr)
                .await
                .with_context(|| format!("无法监听 {addr}"))?;
            eprintln!(
                "Zeren 已启动：http://{}  数据库：{}",
                listener.local_addr()?,
                zeren_app::redact_url(&s.database_url)
            );
            let jobs = tokio::spawn(zeren_app::reminder::run_forever(
                app.clone(),
                std::time::Duration::from_secs(s.jobs_interval_minutes * 60),
            ));
            let served = zeren_web::serve(listener, app, s.secure_cookies).await;
            jobs.abort();
            served?;
            Ok(())
        }
        Cmd::Demo {
            db,
            scale,
            seed,
            demo_password,
        } => {
            let (app, _) = open(&db).await?;
            load_demo(&app, &scale, seed, demo_password).await
        }
        Cmd::Backup { db, to } => {
            if to.exists() {
                bail!("目标文件 {} 已存在，请换一个文件名", to.display());
            }
            let (app, _) = open(&db).await?;
            let t = std::time::Instant::now();
            app.store.backup_to(&to.display().to_string()).await?;
            let size = std::fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
            eprintln!(
                "备份完成：{}（{:.1} MB，{:.1} 秒）。佐证文件请另行复制数据目录下的 files/；数据密钥文件（默认 zeren.keys）不在备份中，请另行妥善保管，恢复时需要它。",
                to.display(),
                size as f64 / 1e6,
                t.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Cmd::Audit {
            cmd: AuditCmd::Verify { db, checkpoint },
        } => {
            let (app, _) = open(&db).await?;
            let file = checkpoint.unwrap_or_else(|| app.cfg.audit_checkpoint_file.clone());
            if !file.exists() {
                eprintln!(
                    "提示：没有检查点文件 {}，只校验哈希链（删除末尾事件需检查点才能发现）",
                    file.display()
                );
            }
            let cps = app.audit_checkpoints(&file)?;
            let r = app.audit_verify_with(&cps).await?;
            match &r.problem {
                None => {
                    println!(
                        "审计日志完整：已校验 {} 条事件，SM3 哈希链校验通过{}，与 {} 个检查点相符",
                        r.events,
                        if r.legacy > 0 {
                            format!("（其中升级前的 {} 条为 SHA-256）", r.legacy)
                        } else {
                            String::new()
                        },
                        r.checkpoints
                    );
                    Ok(())
                }
                Some(why) => {
                    let first = r
                        .first_bad
                        .map(|id| format!("第一个问题事件：编号 {id}。"))
                        .unwrap_or_default();
                    bail!(
                        "审计日志校验失败：{why}。{first}此前 {} 条事件完好",
                        r.events
                    )
                }
            }
        }
        Cmd::Audit {
            cmd: AuditCmd::Checkpoint { db, checkpoint },
        } => {
            let (app, _) = open(&db).await?;
            let file = checkpoint.unwrap_or_else(|| app.cfg.audit_checkpoint_file.clone());
            match app.audit_checkpoint(&file).await? {
                Some(cp) => println!(
                    "已写检查点：第 {} 条事件（编号 {}），SM3 {}，文件 {}",
                    cp.seq,
                    cp.id,
                    cp.hash,
                    file.display()
                ),
                None => println!("检查点已是最新（{}）", file.display()),
            }
            Ok(())
        }
        Cmd::Jobs {
            cmd: JobsCmd::RunOnce { db, now },
        } => {
            let day = match now {
                Some(d) => chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .with_context(|| format!("--now 日期“{d}”格式应为 YYYY-MM-DD"))?,
                None => zeren_app::clock::today(),
            };
            let (app, _) = open(&db).await?;
            let t = std::time::Instant::now();
            let r = app.jobs_once(day).await?;
            for line in &r.lines {
                println!("{line}");
            }
            eprintln!(
                "{day}：生成周期任务 {} 项，查看 {} 项，新建提示/督导 {} 条，投递成功 {}、失败 {}（{:.1} 毫秒）",
                r.occurrences,
                r.looked,
                r.lines.len(),
                r.sent,
                r.failed,
                t.elapsed().as_secs_f64() * 1000.0
            );
            Ok(())
        }
        Cmd::Compliance {
            db,
            year,
            org,
            json,
            now,
        } => {
            let (app, _) = open(&db).await?;
            compliance_cmd::run(&app, year, org.as_deref(), json, now.as_deref()).await
        }
        Cmd::Letters {
            cmd: LettersCmd::Status { db, year, json },
        } => {
            let (app, _) = open(&db).await?;
            letters_cmd::status(&app, year, json).await
        }
        Cmd::Analyze {
            files,
            json,
            compare,
            eval,
            earlier,
            ledger,
        } => analyze_cmd::run(analyze_cmd::Options {
            files,
            json,
            compare,
            eval,
            earlier,
            ledger,
        }),
        Cmd::Bench {
            what: Some(BenchCmd::Import { db, rows }),
            ..
        } => {
            let (app, _) = open(&db).await?;
            import_cmd::bench(&app, rows).await
        }
        Cmd::Bench {
            what:
                Some(BenchCmd::Assess {
                    db,
                    year,
                    iterations,
                }),
            ..
        } => {
            let (app, _) = open(&db).await?;
            assess_cmd::bench(&app, year, iterations).await
        }
        Cmd::Assess {
            cmd: AssessCmd::Compute { db, year, json },
        } => {
            let (app, _) = open(&db).await?;
            assess_cmd::compute(&app, year, json).await
        }
        Cmd::Bench { db, iterations, .. } => {
            let (app, _) = open(&db).await?;
            bench::run(&app, iterations).await
        }
        Cmd::Report {
            cmd: ReportCmd::Annual { db, org, year, out },
        } => {
            let (app, _) = open(&db).await?;
            report_cmd::annual(&app, org.as_deref(), year, &out).await
        }
        Cmd::Export {
            kind,
            db,
            out,
            org,
            state,
        } => {
            let (app, _) = open(&db).await?;
            report_cmd::export(&app, &kind, org.as_deref(), &state, &out).await
        }
        Cmd::Inspection {
            cmd: InspectionCmd::Notice { db, round, out },
        } => {
            let (app, _) = open(&db).await?;
            inspection_cmd::notice(&app, round.as_deref(), &out).await
        }
        Cmd::Keys {
            cmd: KeysCmd::Rotate { db },
        } => {
            let (app, _) = open(&db).await?;
            let r = app.rotate_keys().await?;
            println!(
                "已轮换数据密钥：新密钥 {}，{} 个保密字段已重新加密，停用密钥 {}",
                r.new_key,
                r.values,
                if r.retired.is_empty() {
                    "无".to_string()
                } else {
                    r.retired.join("、")
                }
            );
            Ok(())
        }
        Cmd::Import {
            kind,
            file,
            db,
            dry_run,
            template,
        } => {
            let (app, _) = open(&db).await?;
            import_cmd::run(&app, &kind, &file, dry_run, template).await
        }
    }
}
