//! `steward import` and `steward export`.
//!
//! Import bulk-loads subjects, items and choices from JSON lines or CSV. Every
//! row is validated first (policy names, identities, values, references);
//! bad rows are reported with their line numbers and, unless `--skip-bad` is
//! given, nothing is written at all. Valid rows are then written through the
//! core (encrypted, audited, decided by the engine) with a progress bar.
//!
//! Export writes a consistent snapshot of the SQLite store (ciphertext only;
//! the key ring is never part of it — back it up separately).

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Deserialize;
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::items::ItemInput;
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_core::{Caller, CoreError, Steward};
use steward_store::ids::SubjectId;
use steward_store::model::subject::{IdentityKind, SubjectKind};
use steward_vault::Sensitive;

use crate::error::{CliError, read};
use crate::runtime::{StoreArgs, start};

/// Input formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum InputFormat {
    /// One JSON object per line: `{"type":"subject"|"item"|"choice", …}`.
    Jsonl,
    /// One subject per row; columns `ref, kind, jurisdiction, age, email, phone,
    /// account_ref`, plus `item:<category>` and `choice:<key>` columns.
    Csv,
}

/// `steward import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The file (`-` for stdin).
    file: PathBuf,
    /// Format (default: from the file extension, else JSON lines).
    #[arg(long, value_enum)]
    format: Option<InputFormat>,
    /// Load the valid rows even when some rows are bad.
    #[arg(long)]
    skip_bad: bool,
    /// Validate and report only; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Source recorded on imported items (a policy source id).
    #[arg(long, default_value = "direct:registration")]
    source: String,
    /// Purpose of collection recorded on imported items.
    #[arg(long, default_value = "account_registration")]
    purpose: String,
    /// Concurrent writers.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
}

/// `steward export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Where to write the snapshot (a SQLite database file; must not exist).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Row {
    Subject {
        #[serde(rename = "ref")]
        reference: Option<String>,
        kind: Option<String>,
        jurisdiction: Option<String>,
        age: Option<u8>,
        eu_protected: Option<bool>,
        email: Option<String>,
        phone: Option<String>,
        account_ref: Option<String>,
    },
    Item {
        subject_ref: Option<String>,
        subject_id: Option<String>,
        category: String,
        value: String,
        source: Option<String>,
        purpose: Option<String>,
    },
    Choice {
        subject_ref: Option<String>,
        subject_id: Option<String>,
        key: String,
        value: bool,
        source: Option<String>,
    },
}

/// A validated row, ready to write.
enum Planned {
    Subject {
        reference: Option<String>,
        input: SubjectInput,
    },
    Item {
        subject: Target,
        input: ItemInput,
    },
    Choice {
        subject: Target,
        key: String,
        value: bool,
        source: String,
    },
}

#[derive(Clone)]
enum Target {
    Ref(String),
    Id(SubjectId),
}

struct Bad {
    line: usize,
    message: String,
}

fn kind(s: Option<&str>) -> Result<Option<SubjectKind>, String> {
    match s {
        None => Ok(None),
        Some(k) => k
            .parse::<SubjectKind>()
            .map(Some)
            .map_err(|_| format!("unknown subject kind `{k}`")),
    }
}

struct Validator<'a> {
    steward: &'a Steward,
    source: String,
    purpose: String,
    refs: HashSet<String>,
    identities: HashSet<(IdentityKind, Vec<u8>)>,
}

impl Validator<'_> {
    async fn identity(&mut self, kind: IdentityKind, raw: &str) -> Result<IdentityInput, String> {
        let r = self
            .steward
            .identity_ref(kind, raw)
            .map_err(|e| e.to_string())?;
        if !self.identities.insert((kind, r.token.as_bytes().to_vec())) {
            return Err(format!(
                "the same {} appears twice in the file",
                kind.as_str()
            ));
        }
        let existing = self
            .steward
            .store()
            .find_by_identity(&r)
            .await
            .map_err(|e| e.to_string())?;
        if kind.is_exclusive() && !existing.is_empty() {
            return Err(format!(
                "this {} already belongs to a stored subject",
                kind.as_str()
            ));
        }
        Ok(IdentityInput {
            kind,
            value: Sensitive::new(raw.to_string()),
        })
    }

    fn target(&self, r: Option<String>, id: Option<String>) -> Result<Target, String> {
        match (r, id) {
            (Some(r), None) if self.refs.contains(&r) => Ok(Target::Ref(r)),
            (Some(r), None) => Err(format!(
                "`subject_ref` `{r}` does not name a subject row above"
            )),
            (None, Some(id)) => id
                .parse::<SubjectId>()
                .map(Target::Id)
                .map_err(|_| format!("`subject_id` `{id}` is not a subject id")),
            _ => Err("give exactly one of `subject_ref` and `subject_id`".into()),
        }
    }

    async fn validate(&mut self, row: Row) -> Result<Planned, String> {
        let engine = self.steward.engine();
        match row {
            Row::Subject {
                reference,
                kind: k,
                jurisdiction,
                age,
                eu_protected,
                email,
                phone,
                account_ref,
            } => {
                if let Some(j) = &jurisdiction {
                    j.parse::<steward_policy::Jurisdiction>()
                        .map_err(|e| e.to_string())?;
                }
                let mut identities = Vec::new();
                for (kind, v) in [
                    (IdentityKind::Email, email),
                    (IdentityKind::Phone, phone),
                    (IdentityKind::AccountRef, account_ref),
                ] {
                    if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
                        identities.push(self.identity(kind, &v).await?);
                    }
                }
                if let Some(r) = &reference
                    && !self.refs.insert(r.clone())
                {
                    return Err(format!("`ref` `{r}` is used twice"));
                }
                Ok(Planned::Subject {
                    reference,
                    input: SubjectInput {
                        kind: kind(k.as_deref())?,
                        jurisdiction,
                        eu_protected: eu_protected.unwrap_or(false),
                        age,
                        identities,
                    },
                })
            }
            Row::Item {
                subject_ref,
                subject_id,
                category,
                value,
                source,
                purpose,
            } => {
                let subject = self.target(subject_ref, subject_id)?;
                let Some(cat) = engine.category(&category) else {
                    return Err(format!("unknown category `{category}` (CAT-00)"));
                };
                if engine.category_info(cat).forbid_raw.as_deref() == Some("pan")
                    && steward_vault::is_probable_pan(&value)
                {
                    return Err(
                        "raw payment card numbers are refused; import processor tokens (SEC-03)"
                            .into(),
                    );
                }
                let source = source.unwrap_or_else(|| self.source.clone());
                let purpose = purpose.unwrap_or_else(|| self.purpose.clone());
                if engine.source(&source).is_none() {
                    return Err(format!("unknown source `{source}`"));
                }
                if engine.purpose(&purpose).is_none() {
                    return Err(format!("unknown purpose `{purpose}`"));
                }
                let dummy = SubjectId::from_bytes([0; 16]);
                Ok(Planned::Item {
                    subject,
                    input: ItemInput {
                        subject: dummy,
                        category,
                        value: Sensitive::new(value.into_bytes()),
                        source,
                        purpose,
                        processor_for_customer: false,
                    },
                })
            }
            Row::Choice {
                subject_ref,
                subject_id,
                key,
                value,
                source,
            } => {
                let subject = self.target(subject_ref, subject_id)?;
                steward_policy::choices::ChoiceKey::parse(&engine, &key)
                    .map_err(|e| e.to_string())?;
                let source = source.unwrap_or_else(|| "import".into());
                source
                    .parse::<steward_store::model::choice::ChoiceSource>()
                    .map_err(|_| format!("unknown choice source `{source}`"))?;
                Ok(Planned::Choice {
                    subject,
                    key,
                    value,
                    source,
                })
            }
        }
    }
}

/// Parsed rows by line: the rows of a line, or why the line is bad.
type Lines = Vec<(usize, Result<Vec<Row>, String>)>;

fn csv_rows(text: &str) -> Result<Lines, CliError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| CliError::Usage(format!("CSV header: {e}")))?
        .clone();
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.push((line, Err(e.to_string())));
                continue;
            }
        };
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|p| rec.get(p))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let reference = get("ref").unwrap_or_else(|| format!("row-{line}"));
        let age = match get("age").map(|a| a.parse::<u8>()) {
            Some(Ok(a)) => Some(a),
            Some(Err(_)) => {
                out.push((line, Err("`age` is not a number".into())));
                continue;
            }
            None => None,
        };
        let mut rows = vec![Row::Subject {
            reference: Some(reference.clone()),
            kind: get("kind"),
            jurisdiction: get("jurisdiction"),
            age,
            eu_protected: None,
            email: get("email"),
            phone: get("phone"),
            account_ref: get("account_ref"),
        }];
        let mut bad = None;
        for (h, v) in headers.iter().zip(rec.iter()) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            if let Some(cat) = h.strip_prefix("item:") {
                rows.push(Row::Item {
                    subject_ref: Some(reference.clone()),
                    subject_id: None,
                    category: cat.to_string(),
                    value: v.to_string(),
                    source: None,
                    purpose: None,
                });
            } else if let Some(key) = h.strip_prefix("choice:") {
                match v {
                    "true" | "1" | "yes" => rows.push(Row::Choice {
                        subject_ref: Some(reference.clone()),
                        subject_id: None,
                        key: key.to_string(),
                        value: true,
                        source: None,
                    }),
                    "false" | "0" | "no" => rows.push(Row::Choice {
                        subject_ref: Some(reference.clone()),
                        subject_id: None,
                        key: key.to_string(),
                        value: false,
                        source: None,
                    }),
                    other => bad = Some(format!("column `{h}`: `{other}` is not true/false")),
                }
            } else if !matches!(
                h,
                "ref" | "kind" | "jurisdiction" | "age" | "email" | "phone" | "account_ref"
            ) {
                bad = Some(format!(
                    "unknown column `{h}` (use item:<category> or choice:<key>)"
                ));
            }
        }
        out.push((line, bad.map_or(Ok(rows), Err)));
    }
    Ok(out)
}

fn jsonl_rows(text: &str) -> Lines {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            (
                i + 1,
                serde_json::from_str::<Row>(l)
                    .map(|r| vec![r])
                    .map_err(|e| e.to_string()),
            )
        })
        .collect()
}

/// Run `steward import`.
pub async fn import(args: ImportArgs) -> Result<ExitCode, CliError> {
    let text = if args.file == Path::new("-") {
        let mut s = String::new();
        for line in std::io::stdin().lock().lines() {
            s.push_str(&line?);
            s.push('\n');
        }
        s
    } else {
        read(&args.file)?
    };
    let format = args
        .format
        .unwrap_or(if args.file.extension().is_some_and(|e| e == "csv") {
            InputFormat::Csv
        } else {
            InputFormat::Jsonl
        });
    let rows = match format {
        InputFormat::Csv => csv_rows(&text)?,
        InputFormat::Jsonl => jsonl_rows(&text),
    };
    let rt = start(&args.store).await?;
    let s = rt.steward.clone();
    let mut v = Validator {
        steward: &s,
        source: args.source.clone(),
        purpose: args.purpose.clone(),
        refs: HashSet::new(),
        identities: HashSet::new(),
    };
    let mut planned: Vec<(usize, Planned)> = Vec::new();
    let mut bad: Vec<Bad> = Vec::new();
    for (line, parsed) in rows {
        match parsed {
            Err(message) => bad.push(Bad { line, message }),
            Ok(rs) => {
                let mut ok = Vec::new();
                let mut failed = None;
                for r in rs {
                    match v.validate(r).await {
                        Ok(p) => ok.push(p),
                        Err(m) => {
                            failed = Some(m);
                            break;
                        }
                    }
                }
                match failed {
                    Some(message) => bad.push(Bad { line, message }),
                    None => planned.extend(ok.into_iter().map(|p| (line, p))),
                }
            }
        }
    }
    for b in &bad {
        eprintln!(
            "{}:{}: rejected: {}",
            args.file.display(),
            b.line,
            b.message
        );
    }
    if !bad.is_empty() && !args.skip_bad {
        eprintln!(
            "{} bad row(s); nothing was imported (use --skip-bad to load the valid rows)",
            bad.len()
        );
        return Ok(ExitCode::from(1));
    }
    if args.dry_run {
        println!(
            "dry run: {} row(s) valid, {} rejected; nothing written",
            planned.len(),
            bad.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let caller = Caller::Service("import".into());
    let bar = indicatif::ProgressBar::new(planned.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {per_sec} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Subjects first (so references resolve), concurrently; then items and choices.
    let mut ids: HashMap<String, SubjectId> = HashMap::new();
    let (subjects, rest): (Vec<_>, Vec<_>) = planned
        .into_iter()
        .partition(|(_, p)| matches!(p, Planned::Subject { .. }));
    let mut written = 0u64;
    let mut failures: Vec<Bad> = Vec::new();
    for chunk in subjects.chunks(args.concurrency.max(1)) {
        let mut set = tokio::task::JoinSet::new();
        for (line, p) in chunk {
            if let Planned::Subject { reference, input } = p {
                let (s2, c2, line, reference, input) = (
                    s.clone(),
                    caller.clone(),
                    *line,
                    reference.clone(),
                    input.clone(),
                );
                set.spawn(async move { (line, reference, s2.create_subject(&c2, input).await) });
            }
        }
        while let Some(res) = set.join_next().await {
            match res {
                Ok((_, reference, Ok(record))) => {
                    if let Some(r) = reference {
                        ids.insert(r, record.id);
                    }
                    written += 1;
                }
                Ok((line, _, Err(e))) => failures.push(Bad {
                    line,
                    message: e.to_string(),
                }),
                Err(e) => failures.push(Bad {
                    line: 0,
                    message: e.to_string(),
                }),
            }
            bar.inc(1);
        }
    }
    let resolve = |t: &Target| match t {
        Target::Id(id) => Some(*id),
        Target::Ref(r) => ids.get(r).copied(),
    };
    for chunk in rest.chunks(args.concurrency.max(1)) {
        let mut set = tokio::task::JoinSet::new();
        for (line, p) in chunk {
            let (s2, c2, line) = (s.clone(), caller.clone(), *line);
            match p {
                Planned::Item { subject, input } => {
                    let Some(id) = resolve(subject) else {
                        failures.push(Bad {
                            line,
                            message: "its subject was not imported".into(),
                        });
                        bar.inc(1);
                        continue;
                    };
                    let mut input = input.clone();
                    input.subject = id;
                    set.spawn(async move { (line, s2.write_item(&c2, input).await.map(|_| ())) });
                }
                Planned::Choice {
                    subject,
                    key,
                    value,
                    source,
                } => {
                    let Some(id) = resolve(subject) else {
                        failures.push(Bad {
                            line,
                            message: "its subject was not imported".into(),
                        });
                        bar.inc(1);
                        continue;
                    };
                    let input = ChoiceInput {
                        party: ChoiceParty::Subject(id),
                        key: key.clone(),
                        value: *value,
                        source: source.clone(),
                        notice_sha256: None,
                        channel: None,
                    };
                    set.spawn(async move {
                        (line, s2.record_choices(&c2, vec![input]).await.map(|_| ()))
                    });
                }
                Planned::Subject { .. } => {}
            }
        }
        while let Some(res) = set.join_next().await {
            match res {
                Ok((_, Ok(()))) => written += 1,
                Ok((line, Err(CoreError::Denied { reason, .. }))) => failures.push(Bad {
                    line,
                    message: format!("denied by the policy: {reason}"),
                }),
                Ok((line, Err(e))) => failures.push(Bad {
                    line,
                    message: e.to_string(),
                }),
                Err(e) => failures.push(Bad {
                    line: 0,
                    message: e.to_string(),
                }),
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    rt.steward.shutdown().await;
    for f in &failures {
        eprintln!(
            "{}:{}: not written: {}",
            args.file.display(),
            f.line,
            f.message
        );
    }
    println!(
        "imported {written} record(s); {} row(s) rejected before writing, {} failed while writing",
        bad.len(),
        failures.len()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Run `steward export`.
pub async fn export(args: ExportArgs) -> Result<ExitCode, CliError> {
    let config = crate::runtime::Config::load(&args.store)?;
    let Some(path) = config.store.strip_prefix("sqlite://") else {
        return Err(CliError::Usage(
            "export snapshots the SQLite store; for PostgreSQL use pg_dump (the database holds only ciphertext; back up the key ring separately)".into(),
        ));
    };
    if args.out.exists() {
        return Err(CliError::Usage(format!(
            "`{}` already exists; choose a new file",
            args.out.display()
        )));
    }
    steward_store_sqlite::backup::snapshot(Path::new(path), &args.out)
        .map_err(|e| CliError::runtime("export failed", e))?;
    let size = std::fs::metadata(&args.out).map(|m| m.len()).unwrap_or(0);
    println!(
        "wrote a consistent snapshot to {} ({size} bytes). It holds ciphertext only: the key ring ({}) is not part of it.",
        args.out.display(),
        config
            .keys
            .file
            .as_ref()
            .map_or_else(|| "—".into(), |p| p.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}
