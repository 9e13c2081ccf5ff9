//! `steward policy …`: check, eval, explain, test, render, diff, versions, version, notices
//! and schema.
//!
//! Every subcommand uses the embedded shipped policy unless `--policy FILE`
//! (or, for `check`, a positional file) names another one. `versions`, `version` and
//! `notices` read the policy history of the store (CHG-01, CHG-04); `notices queue` writes
//! through the core use case, audited as `cli:policy`.

use crate::error::{CliError, read};
use clap::{Args, Subcommand, ValueEnum};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use steward_errors::ErrorCode;
use steward_policy::{Engine, Request, Severity};

/// Policy subcommands.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy file: every error and warning with file:line:column.
    ///
    /// Without FILE, checks the embedded shipped policy. Exits 1 when there are errors.
    Check {
        /// The policy file.
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Read decision requests as JSON lines on stdin; write one decision per line.
    ///
    /// A line that is not a valid request gets an error line with its line number,
    /// and the run goes on. Requests without `context.now` are decided at `--now`
    /// (default: the time the command started).
    Eval {
        #[command(flatten)]
        policy: PolicyArg,
        /// Decision time for requests that do not give `context.now` (RFC 3339).
        #[arg(long)]
        now: Option<String>,
    },
    /// Decide one request and show the full evaluation path (DEC-00 steps).
    Explain {
        #[command(flatten)]
        policy: PolicyArg,
        /// The request (JSON file), or `-` for stdin.
        #[arg(default_value = "-")]
        request: PathBuf,
        /// Decision time when the request has no `context.now`.
        #[arg(long)]
        now: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run policy test cases (facts + request → expected decision).
    ///
    /// Without FILES, runs the shipped cases embedded in the binary.
    Test {
        #[command(flatten)]
        policy: PolicyArg,
        /// Case files (TOML).
        files: Vec<PathBuf>,
        /// Fixtures file (named subjects and test-only recipients).
        #[arg(long)]
        fixtures: Option<PathBuf>,
        /// Print every case, not only failures.
        #[arg(short, long)]
        verbose: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Render the human-readable privacy notice from the policy file itself.
    Render {
        #[command(flatten)]
        policy: PolicyArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = NoticeFormat::Md)]
        format: NoticeFormat,
    },
    /// Show what changed between two policy versions and which changes are material.
    Diff {
        /// The old version.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the recorded versions of the policy (CHG-01), newest first: version, effective
    /// date, SHA-256, when first recorded and whether it changed anything material.
    Versions {
        #[command(flatten)]
        store: crate::runtime::StoreArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one recorded version (CHG-01): its SHA-256, effective date, when it was first
    /// recorded, whether it changed anything material, and what changed against the version
    /// recorded before it.
    Version {
        #[command(flatten)]
        store: crate::runtime::StoreArgs,
        /// The policy's version string.
        #[arg(value_name = "VERSION")]
        policy_version: String,
        /// Print the recorded policy text too (text format).
        #[arg(long)]
        with_text: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The change notices of recorded versions (CHG-03, CHG-04): queue them, count them.
    #[command(subcommand)]
    Notices(NoticesCommand),
    /// Print a JSON Schema: the policy file, a decision request, or a decision.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

/// `steward policy notices …`.
#[derive(Debug, Subcommand)]
pub enum NoticesCommand {
    /// Queue the change notice of a recorded version to everyone it concerns, once per
    /// person (as `POST /v1/policy/versions/{version}/notices`); prints how many were queued
    /// now. The outbox worker of `steward serve` sends them.
    Queue {
        #[command(flatten)]
        store: crate::runtime::StoreArgs,
        /// The policy's version string.
        #[arg(value_name = "VERSION")]
        policy_version: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Per version, how many change notices were queued and how many sent (counts only).
    List {
        #[command(flatten)]
        store: crate::runtime::StoreArgs,
        /// Only this version.
        #[arg(value_name = "VERSION")]
        policy_version: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// `--policy FILE`.
#[derive(Debug, Args)]
pub struct PolicyArg {
    /// Policy file (default: the embedded shipped policy).
    #[arg(long, env = "STEWARD_POLICY")]
    policy: Option<PathBuf>,
}

/// Text or JSON.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Human-readable.
    Text,
    /// Machine-readable.
    Json,
}

/// Notice formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum NoticeFormat {
    /// Markdown.
    Md,
    /// A self-contained HTML page.
    Html,
}

/// Schemas.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SchemaKind {
    /// The policy file.
    Policy,
    /// A decision request.
    Request,
    /// A decision.
    Decision,
}

/// Load the policy named by `--policy`, or the embedded one; print diagnostics on failure.
pub fn load_policy(path: Option<&Path>) -> Result<Engine, CliError> {
    let (name, text) = match path {
        Some(p) => (p.display().to_string(), read(p)?),
        None => (
            steward_policy::DEFAULT_POLICY_NAME.to_string(),
            steward_policy::DEFAULT_POLICY.to_string(),
        ),
    };
    match steward_policy::load(&name, &text) {
        Ok(l) => {
            if l.report.warnings() > 0 {
                eprint!("{}", l.report);
            }
            Ok(l.engine)
        }
        Err(r) => {
            eprint!("{r}");
            Err(CliError::Policy { errors: r.errors() })
        }
    }
}

fn now_or(now: Option<&str>) -> Result<String, CliError> {
    match now {
        Some(n) => n
            .parse::<jiff::Timestamp>()
            .map(|t| t.to_string())
            .map_err(|_| CliError::Usage(format!("`--now {n}` is not an RFC 3339 time"))),
        None => Ok(steward_core::Clock::now(&steward_core::SystemClock).to_string()),
    }
}

/// Run a policy subcommand.
pub fn run(cmd: PolicyCommand) -> Result<ExitCode, CliError> {
    match cmd {
        PolicyCommand::Check {
            file,
            format,
            deny_warnings,
        } => check(file.as_deref(), format, deny_warnings),
        PolicyCommand::Eval { policy, now } => eval(policy.policy.as_deref(), now.as_deref()),
        PolicyCommand::Explain {
            policy,
            request,
            now,
            json,
        } => explain(policy.policy.as_deref(), &request, now.as_deref(), json),
        PolicyCommand::Test {
            policy,
            files,
            fixtures,
            verbose,
            format,
        } => test(
            policy.policy.as_deref(),
            &files,
            fixtures.as_deref(),
            verbose,
            format,
        ),
        PolicyCommand::Render { policy, format } => {
            let e = load_policy(policy.policy.as_deref())?;
            let out = match format {
                NoticeFormat::Md => steward_policy::render::markdown(&e),
                NoticeFormat::Html => steward_policy::render::html(&e),
            };
            std::io::stdout().write_all(out.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        PolicyCommand::Diff { old, new, format } => diff(&old, &new, format),
        PolicyCommand::Versions { store, format } => block_on(versions(&store, format)),
        PolicyCommand::Version {
            store,
            policy_version: v,
            with_text,
            format,
        } => block_on(version(&store, &v, with_text, format)),
        PolicyCommand::Notices(NoticesCommand::Queue {
            store,
            policy_version,
            format,
        }) => block_on(queue_notices(&store, &policy_version, format)),
        PolicyCommand::Notices(NoticesCommand::List {
            store,
            policy_version,
            format,
        }) => block_on(list_notices(&store, policy_version.as_deref(), format)),
        PolicyCommand::Schema { which } => {
            let s = match which {
                SchemaKind::Policy => schemars::schema_for!(steward_policy::model::PolicyFile),
                SchemaKind::Request => schemars::schema_for!(steward_policy::wire::Request),
                SchemaKind::Decision => {
                    schemars::schema_for!(steward_policy::wire::DecisionJson<'static>)
                }
            };
            let text = serde_json::to_string_pretty(&s)
                .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(file: Option<&Path>, format: Format, deny_warnings: bool) -> Result<ExitCode, CliError> {
    let (name, text) = match file {
        Some(p) => (p.display().to_string(), read(p)?),
        None => (
            steward_policy::DEFAULT_POLICY_NAME.to_string(),
            steward_policy::DEFAULT_POLICY.to_string(),
        ),
    };
    let (report, summary) = match steward_policy::load(&name, &text) {
        Ok(l) => {
            let e = &l.engine;
            // The notice says what the engine allows, and nothing it refuses.
            let mut report = l.report;
            report
                .items
                .extend(steward_policy::consistency::check(&name, &text, e).items);
            report.sort();
            let s = format!(
                "{name}: ok — policy {} v{} effective {}: {} categories, {} purposes, {} recipients, {} trackers, {} sources",
                e.meta.name,
                e.meta.version,
                e.meta.effective,
                e.categories.len(),
                e.purposes.len(),
                e.recipients.len(),
                e.trackers.len(),
                e.sources.len()
            );
            let ok = report.errors() == 0;
            (report, ok.then_some(s))
        }
        Err(r) => (r, None),
    };
    match format {
        Format::Text => {
            print!("{report}");
            if let Some(s) = &summary {
                println!("{s}");
            }
            println!(
                "{} error(s), {} warning(s)",
                report.errors(),
                report.warnings()
            );
        }
        Format::Json => {
            let items: Vec<serde_json::Value> = report
                .items
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "severity": if d.severity == Severity::Error { "error" } else { "warning" },
                        "code": d.code, "message": d.message, "help": d.help,
                        "file": report.file, "line": d.line, "column": d.column,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({ "ok": summary.is_some(), "errors": report.errors(), "warnings": report.warnings(), "diagnostics": items })
            );
        }
    }
    if report.errors() > 0 || (deny_warnings && report.warnings() > 0) {
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn eval(policy: Option<&Path>, now: Option<&str>) -> Result<ExitCode, CliError> {
    let engine = load_policy(policy)?;
    let now = now_or(now)?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut stdin = std::io::stdin().lock();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // Lines are read in chunks, decided on every core, and written back in input order.
    const CHUNK: usize = 8192;
    let mut line_no = 0usize;
    let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
    loop {
        chunk.clear();
        while chunk.len() < CHUNK {
            let mut line = String::new();
            if stdin.read_line(&mut line)? == 0 {
                break;
            }
            line_no += 1;
            if !line.trim().is_empty() {
                chunk.push((line_no, line));
            }
        }
        if chunk.is_empty() {
            break;
        }
        let per = chunk.len().div_ceil(threads);
        let parts: Vec<Vec<u8>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .chunks(per)
                .map(|part| s.spawn(|| eval_lines(&engine, &now, part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for p in parts {
            out.write_all(&p)?;
        }
        if chunk.len() < CHUNK {
            break;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Decide a slice of numbered lines; one output line each.
fn eval_lines(engine: &Engine, now: &str, lines: &[(usize, String)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.len() * 400);
    for (line_no, line) in lines {
        let line_no = *line_no;
        let written = match serde_json::from_str::<Request>(line) {
            Ok(mut r) => {
                if r.context.now.is_none() {
                    r.context.now = Some(now.to_string());
                }
                match engine.decode(&r) {
                    Ok(d) => {
                        let o = engine.decide(&d);
                        engine.write_response(&d, &o, &mut out)
                    }
                    Err(e) => {
                        let v =
                            steward_policy::wire::error_json(r.id.as_deref(), Some(line_no), &e);
                        serde_json::to_writer(&mut out, &v)
                    }
                }
            }
            Err(e) => {
                let v = steward_policy::wire::error_json(
                    None,
                    Some(line_no),
                    &steward_policy::WireError {
                        code: ErrorCode::BadJson,
                        message: format!("line {line_no}: {e}"),
                    },
                );
                serde_json::to_writer(&mut out, &v)
            }
        };
        if written.is_err() {
            out.extend_from_slice(
                br#"{"error":{"code":"INTERNAL","message":"the response could not be written"}}"#,
            );
        }
        out.push(b'\n');
    }
    out
}

fn explain(
    policy: Option<&Path>,
    request: &Path,
    now: Option<&str>,
    json: bool,
) -> Result<ExitCode, CliError> {
    let engine = load_policy(policy)?;
    let text = if request == Path::new("-") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        s
    } else {
        read(request)?
    };
    let mut r: Request = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("the request is not valid JSON: {e}")))?;
    if r.context.now.is_none() {
        r.context.now = Some(now_or(now)?);
    }
    let d = engine.decode(&r).map_err(|e| {
        CliError::Usage(format!(
            "the request cannot be decoded: {} ({})",
            e.message, e.code
        ))
    })?;
    let (o, trace) = engine.explain(&d);
    let v = engine.response(&d, &o, Some(&trace));
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&v)
                .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("request: {}", d.op.as_str());
    for (i, (step, ok, note)) in trace.steps.iter().enumerate() {
        println!(
            "  {}. {:<12} {}  {note}",
            i + 1,
            step.as_str(),
            if *ok { "pass" } else { "DENY" }
        );
    }
    if let Some(allow) = v.get("allow") {
        println!(
            "decision: {} {}{}",
            if allow == true { "ALLOW" } else { "DENY" },
            v["reason"].as_str().unwrap_or(""),
            v.get("detail")
                .and_then(|d| d.as_str())
                .map(|d| format!(":{d}"))
                .unwrap_or_default()
        );
        println!("clause: {}", v["clause"].as_str().unwrap_or(""));
        println!("requirements: {}", v["requirements"]);
        println!("obligations: {}", v["obligations"]);
    } else {
        println!(
            "{}",
            serde_json::to_string_pretty(&v)
                .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn test(
    policy: Option<&Path>,
    files: &[PathBuf],
    fixtures: Option<&Path>,
    verbose: bool,
    format: Format,
) -> Result<ExitCode, CliError> {
    let (pname, ptext) = match policy {
        Some(p) => (p.display().to_string(), read(p)?),
        None => (
            steward_policy::DEFAULT_POLICY_NAME.to_string(),
            steward_policy::DEFAULT_POLICY.to_string(),
        ),
    };
    // Fail early, with diagnostics, if the base policy does not compile.
    load_policy(policy)?;
    let report = if files.is_empty() && fixtures.is_none() {
        steward_policy::shipped::run(&pname, &ptext).map_err(|e| CliError::usage(e.to_string()))?
    } else {
        let fx = match fixtures {
            Some(f) => steward_policy::cases::parse_fixtures(&f.display().to_string(), &read(f)?)
                .map_err(|e| CliError::Usage(e.to_string()))?,
            None => steward_policy::cases::Fixtures::default(),
        };
        let mut texts = Vec::new();
        for f in files {
            texts.push((f.display().to_string(), read(f)?));
        }
        steward_policy::cases::run(&pname, &ptext, &fx, &texts)
            .map_err(|e| CliError::Usage(e.to_string()))?
    };
    let total = report.results.len();
    let failed = report.failed().count();
    match format {
        Format::Text => {
            for r in &report.results {
                if !r.passed {
                    println!("FAIL {} :: {}", r.file, r.id);
                    for f in &r.failures {
                        println!("     {f}");
                    }
                } else if verbose {
                    println!("ok   {} :: {}", r.file, r.id);
                }
            }
            println!(
                "{} passed, {failed} failed, {total} total; {} requirement ids covered",
                total - failed,
                report.covered().len()
            );
        }
        Format::Json => {
            let cases: Vec<serde_json::Value> = report
                .results
                .iter()
                .map(|r| serde_json::json!({"file": r.file, "id": r.id, "requirements": r.requirements, "passed": r.passed, "failures": r.failures}))
                .collect();
            println!(
                "{}",
                serde_json::json!({"passed": total - failed, "failed": failed, "total": total, "covered": report.covered(), "cases": cases})
            );
        }
    }
    if failed > 0 {
        Err(CliError::TestsFailed { failed, total })
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn diff(old: &Path, new: &Path, format: Format) -> Result<ExitCode, CliError> {
    let o = load_policy(Some(old))?;
    let n = load_policy(Some(new))?;
    let changes = steward_policy::diff::diff(&o, &n);
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&changes)
                .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?
        ),
        Format::Text => {
            if changes.is_empty() {
                println!("no changes");
            }
            for c in &changes {
                let tag = match c.needs {
                    steward_policy::diff::Needs::Nothing => "        ",
                    steward_policy::diff::Needs::Notice => "NOTICE  ",
                    steward_policy::diff::Needs::FreshConsent => "CONSENT ",
                };
                println!("{tag}{:<10} {}", c.kind, c.what);
            }
            let material = changes.iter().filter(|c| c.material).count();
            println!("{} change(s), {material} material", changes.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn versions(args: &crate::runtime::StoreArgs, format: Format) -> Result<ExitCode, CliError> {
    let config = crate::runtime::Config::load(args)?;
    let store = crate::runtime::open_store(&config.store).await?;
    let all = store
        .list_policy_versions()
        .await
        .map_err(|e| CliError::runtime("cannot read the policy history", e))?;
    match format {
        Format::Json => {
            let rows: Vec<_> = all
                .iter()
                .map(|v| {
                    serde_json::json!({
                        "version": v.version,
                        "effective": v.effective,
                        "sha256": v.sha256.to_hex(),
                        "recorded_at": v.recorded_at.to_string(),
                        "material": v.material,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&rows)
                    .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?
            );
        }
        Format::Text => {
            if all.is_empty() {
                println!("no policy versions recorded (the server records them when it starts)");
            }
            for v in &all {
                println!(
                    "{:<16} effective {}  recorded {}  {}  {}",
                    v.version,
                    v.effective,
                    v.recorded_at,
                    &v.sha256.to_hex()[..12],
                    if v.material { "MATERIAL" } else { "" }
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn block_on<F: std::future::Future<Output = Result<ExitCode, CliError>>>(
    f: F,
) -> Result<ExitCode, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Stdio)?
        .block_on(f)
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), CliError> {
    println!(
        "{}",
        serde_json::to_string_pretty(v)
            .map_err(|e| CliError::runtime("cannot render the answer as JSON", e))?
    );
    Ok(())
}

/// The recorded version named `v`, or a usage error (exit 2) naming it.
async fn recorded(
    store: &dyn steward_store::Store,
    v: &str,
) -> Result<steward_store::PolicyVersionRecord, CliError> {
    store
        .get_policy_version(v)
        .await
        .map_err(|e| CliError::runtime("cannot read the policy history", e))?
        .ok_or_else(|| {
            CliError::Usage(format!(
                "no policy version `{v}` is recorded (see `steward policy versions`)"
            ))
        })
}

async fn version(
    args: &crate::runtime::StoreArgs,
    v: &str,
    with_text: bool,
    format: Format,
) -> Result<ExitCode, CliError> {
    let config = crate::runtime::Config::load(args)?;
    let store = crate::runtime::open_store(&config.store).await?;
    let rec = recorded(&*store, v).await?;
    // The change summary as recorded (written by the server from `policy diff`).
    let changes: Vec<steward_api::policy::PolicyChangeOut> = serde_json::from_str(&rec.changes)
        .map_err(|e| CliError::runtime("the recorded change summary does not read", e))?;
    match format {
        Format::Json => print_json(&serde_json::json!({
            "version": rec.version,
            "effective": rec.effective,
            "sha256": rec.sha256.to_hex(),
            "recorded_at": rec.recorded_at.to_string(),
            "material": rec.material,
            "changes": changes,
            "text": rec.text,
        }))?,
        Format::Text => {
            println!("version      {}", rec.version);
            println!("effective    {}", rec.effective);
            println!("sha256       {}", rec.sha256.to_hex());
            println!("recorded     {}", rec.recorded_at);
            println!(
                "material     {}",
                if rec.material {
                    "yes (needs notice)"
                } else {
                    "no"
                }
            );
            if changes.is_empty() {
                println!("changes      none against the version recorded before it");
            } else {
                println!("changes      {}", changes.len());
                for c in &changes {
                    println!(
                        "  {} {:<9} {:<24} {}{}",
                        if c.material { "*" } else { " " },
                        c.kind,
                        c.id,
                        c.what,
                        if c.needs == "nothing" {
                            String::new()
                        } else {
                            format!("  (needs {})", c.needs.replace('_', " "))
                        }
                    );
                }
            }
            if with_text {
                println!();
                print!("{}", rec.text);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn queue_notices(
    args: &crate::runtime::StoreArgs,
    v: &str,
    format: Format,
) -> Result<ExitCode, CliError> {
    let caller = steward_core::Caller::Service("cli:policy".into());
    let rt = crate::runtime::start(args).await?;
    let s = &rt.steward;
    let result = s.queue_policy_notices(&caller, v).await;
    s.shutdown().await;
    let queued = result.map_err(|e| CliError::core("cannot queue the notices", e))?;
    match format {
        Format::Json => print_json(&steward_api::policy::PolicyNoticesQueued {
            version: v.to_owned(),
            queued,
        })?,
        Format::Text => println!("queued {queued} change notice(s) of version {v}"),
    }
    Ok(ExitCode::SUCCESS)
}

async fn list_notices(
    args: &crate::runtime::StoreArgs,
    v: Option<&str>,
    format: Format,
) -> Result<ExitCode, CliError> {
    let config = crate::runtime::Config::load(args)?;
    let store = crate::runtime::open_store(&config.store).await?;
    if let Some(v) = v {
        recorded(&*store, v).await?;
    }
    let counts = store
        .policy_notice_counts(v)
        .await
        .map_err(|e| CliError::runtime("cannot count the change notices", e))?;
    match format {
        Format::Json => {
            let rows: Vec<_> = counts
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "version": c.version,
                        "queued": c.queued,
                        "sent": c.sent,
                        "pending": c.queued.saturating_sub(c.sent),
                    })
                })
                .collect();
            print_json(&rows)?;
        }
        Format::Text => {
            if counts.is_empty() {
                println!("no change notices queued");
            }
            for c in &counts {
                println!(
                    "{:<16} queued {:>6}  sent {:>6}  pending {:>6}",
                    c.version,
                    c.queued,
                    c.sent,
                    c.queued.saturating_sub(c.sent)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
