//! `steward import` and `steward export`.
//!
//! Import bulk-loads subjects, items and choices from JSON lines or CSV. Every
//! row is validated first (policy names, identities, values, references);
//! bad rows are reported with their line numbers and, unless `--skip-bad` is
//! given, nothing is written at all. Valid rows are then written through the
//! core (encrypted, audited, decided by the engine) with a progress bar.
//!
//! A row is all or nothing: a new subject with every record naming it (its CSV line, or
//! its JSON lines by `ref`). Before anything of it is written, its items are decided with
//! the facts the row gives (jurisdiction, kind, age, its own choices), so a refusal that
//! would come only at write time (a GPS item without location services) rejects the row
//! whole; a later failure erases the subject it created again (audited). The corrected
//! file then imports.
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
use steward_store::model::lifecycle::LifecycleKind;
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
    /// account_ref, account_closed_at, last_activity_at, contract_end_at`, plus
    /// `item:<category>` and `choice:<key>` columns.
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
        /// When the subject's account was closed (RET-01: `account_closed` clocks start).
        #[serde(default)]
        account_closed_at: Option<String>,
        /// When the subject was last active (`last_activity` clocks start).
        #[serde(default)]
        last_activity_at: Option<String>,
        /// When the subject's contract ended (`contract_end` clocks start).
        #[serde(default)]
        contract_end_at: Option<String>,
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
#[derive(Clone)]
enum Planned {
    Subject {
        reference: Option<String>,
        input: SubjectInput,
        lifecycle: Vec<(LifecycleKind, jiff::Timestamp)>,
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
    /// Categories whose source or purpose came from the policy (reported).
    from_policy: std::collections::BTreeMap<String, (String, String)>,
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

    /// The source and purpose of an item row. A value the row gives is kept. Otherwise the
    /// import's `--source` / `--purpose` when the policy lets that source provide the
    /// category and that purpose use it; else the policy's own: the first source it declares
    /// for the category, and the first purpose it declares for the category that the source
    /// allows and that rests on no choice and no marketing, sale or sharing (login IPs:
    /// `direct:sign_in`, `security_fraud` in the shipped policy). Defaults taken from the
    /// policy are reported after the import. When none fits, the error names the column.
    fn defaults(
        &mut self,
        engine: &steward_policy::Engine,
        cat: steward_policy::ids::CategoryId,
        category: &str,
        source: Option<String>,
        purpose: Option<String>,
    ) -> Result<(String, String), String> {
        let provides = |src: &str| {
            engine
                .source(src)
                .is_some_and(|id| engine.source_info(id).categories.contains(cat))
        };
        let allowed = |src: &str, p: steward_policy::ids::PurposeId| {
            let info = engine.purpose_info(p);
            let by_source = engine.source(src).is_none_or(|id| {
                let s = &engine.source_info(id).purposes;
                s.is_empty() || s.contains(p)
            });
            info.categories.contains(cat) && by_source
        };
        let mut from_policy = false;
        let source = match source {
            Some(s) => s,
            None if provides(&self.source) => self.source.clone(),
            None => {
                from_policy = true;
                engine
                    .sources
                    .iter()
                    .find(|s| s.categories.contains(cat))
                    .map(|s| s.key.clone())
                    .ok_or_else(|| {
                        format!(
                            "no source of the policy may provide `{category}`; add a `source:{category}` column (CSV) or `source` (JSON lines)"
                        )
                    })?
            }
        };
        let purpose = match purpose {
            Some(p) => p,
            None if engine
                .purpose(&self.purpose)
                .is_some_and(|p| allowed(&source, p)) =>
            {
                self.purpose.clone()
            }
            None => {
                from_policy = true;
                engine
                    .purpose_ids()
                    .filter(|p| allowed(&source, *p))
                    .map(|p| engine.purpose_info(p))
                    .find(|i| i.choice.is_none() && !i.marketing && !i.sale && !i.share)
                    .map(|i| i.key.clone())
                    .ok_or_else(|| {
                        format!(
                            "no purpose of the policy collects `{category}` from `{source}` without a choice; add a `purpose:{category}` column (CSV) or `purpose` (JSON lines)"
                        )
                    })?
            }
        };
        if from_policy {
            self.from_policy
                .insert(category.to_string(), (source.clone(), purpose.clone()));
        }
        Ok((source, purpose))
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
                account_closed_at,
                last_activity_at,
                contract_end_at,
            } => {
                let now = self.steward.clock().now();
                let mut lifecycle = Vec::new();
                for (kind, column, at) in [
                    (
                        LifecycleKind::AccountClosed,
                        "account_closed_at",
                        account_closed_at,
                    ),
                    (
                        LifecycleKind::LastActivity,
                        "last_activity_at",
                        last_activity_at,
                    ),
                    (
                        LifecycleKind::ContractEnd,
                        "contract_end_at",
                        contract_end_at,
                    ),
                ] {
                    let Some(at) = at.filter(|v| !v.trim().is_empty()) else {
                        continue;
                    };
                    let t = at.trim().parse::<jiff::Timestamp>().map_err(|_| {
                        format!("`{column}` `{at}` is not an RFC 3339 time (2024-03-04T17:00:00Z)")
                    })?;
                    if t > now {
                        return Err(format!("`{column}` `{at}` lies in the future"));
                    }
                    lifecycle.push((kind, t));
                }
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
                    lifecycle,
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
                let (source, purpose) = self.defaults(&engine, cat, &category, source, purpose)?;
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
                        account: None,
                        derived_from: Vec::new(),
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

/// The new subject a row belongs to, by its `ref`.
fn row_ref(r: &Row) -> Option<String> {
    match r {
        Row::Subject { reference, .. } => reference.clone(),
        Row::Item { subject_ref, .. } | Row::Choice { subject_ref, .. } => subject_ref.clone(),
    }
}

impl Planned {
    /// The `ref` of the new subject this record belongs to.
    fn unit_ref(&self) -> Option<&str> {
        match self {
            Planned::Subject { reference, .. } => reference.as_deref(),
            Planned::Item {
                subject: Target::Ref(r),
                ..
            }
            | Planned::Choice {
                subject: Target::Ref(r),
                ..
            } => Some(r),
            _ => None,
        }
    }
}

/// What is written all or nothing: a new subject with its records, or one record of a
/// stored subject.
#[derive(Clone)]
struct Unit {
    /// The new subject, by line.
    subject: Option<(usize, SubjectInput)>,
    /// The stored subject (when there is no new one).
    target: Option<SubjectId>,
    /// Choices: line, key, value, source.
    choices: Vec<(usize, String, bool, String)>,
    /// Items, by line.
    items: Vec<(usize, ItemInput)>,
    /// Lifecycle events of the new subject (RET-01), by line.
    lifecycle: Vec<(usize, LifecycleKind, jiff::Timestamp)>,
}

impl Unit {
    fn records(&self) -> usize {
        usize::from(self.subject.is_some()) + self.choices.len() + self.items.len()
    }

    fn first_line(&self) -> usize {
        self.subject
            .iter()
            .map(|(l, _)| *l)
            .chain(self.choices.iter().map(|c| c.0))
            .chain(self.items.iter().map(|i| i.0))
            .min()
            .unwrap_or(0)
    }

    fn of(target: Option<SubjectId>) -> Unit {
        Unit {
            subject: None,
            target,
            choices: Vec::new(),
            items: Vec::new(),
            lifecycle: Vec::new(),
        }
    }
}

/// Groups the planned records into units, in file order.
fn units_of(planned: Vec<(usize, Planned)>) -> (Vec<Unit>, Vec<Bad>) {
    let mut units: Vec<Unit> = Vec::new();
    let mut by_ref: HashMap<String, usize> = HashMap::new();
    let mut orphans = Vec::new();
    for (line, p) in planned {
        let at = match &p {
            Planned::Subject { reference, .. } => {
                units.push(Unit::of(None));
                if let Some(r) = reference {
                    by_ref.insert(r.clone(), units.len() - 1);
                }
                units.len() - 1
            }
            Planned::Item { subject, .. } | Planned::Choice { subject, .. } => match subject {
                Target::Id(id) => {
                    units.push(Unit::of(Some(*id)));
                    units.len() - 1
                }
                Target::Ref(r) => match by_ref.get(r) {
                    Some(i) => *i,
                    None => {
                        orphans.push(Bad {
                            line,
                            message: "its subject was not imported".into(),
                        });
                        continue;
                    }
                },
            },
        };
        let u = &mut units[at];
        match p {
            Planned::Subject {
                input, lifecycle, ..
            } => {
                u.subject = Some((line, input));
                u.lifecycle = lifecycle.into_iter().map(|(k, t)| (line, k, t)).collect();
            }
            Planned::Item { input, .. } => u.items.push((line, input)),
            Planned::Choice {
                key, value, source, ..
            } => u.choices.push((line, key, value, source)),
        }
    }
    (units, orphans)
}

/// Checks a new subject's items against the policy with the facts the row gives it (its
/// jurisdiction, kind, age and the choices of the same row), before anything is written.
fn preflight(s: &Steward, u: &Unit, now: jiff::Timestamp) -> Result<(), (usize, String)> {
    use steward_policy::wire::{LedgerEntry, Op, Request};
    let Some((_, subject)) = &u.subject else {
        return Ok(());
    };
    let engine = s.engine();
    for (line, item) in &u.items {
        let mut req = Request {
            op: Some(Op::CanCollect),
            category: Some(item.category.clone()),
            source: Some(item.source.clone()),
            ..Request::default()
        };
        req.subject.kind = subject
            .kind
            .map(|k| steward_core::facts::policy_kind(k).as_str().to_string());
        req.subject.jurisdiction.clone_from(&subject.jurisdiction);
        req.subject.eu_protected = Some(subject.eu_protected);
        req.subject.age = subject.age;
        req.subject.ledger = u
            .choices
            .iter()
            .map(|(_, key, value, source)| LedgerEntry {
                key: key.clone(),
                value: *value,
                source: source.clone(),
                at: now.to_string(),
                channel: None,
            })
            .collect();
        req.context.now = Some(now.to_string());
        req.context.declared_purposes = vec![item.purpose.clone()];
        let answer = engine.evaluate(&req);
        if answer["allow"] != serde_json::Value::Bool(true) {
            let reason = answer["reason"]
                .as_str()
                .or_else(|| answer["error"]["code"].as_str())
                .unwrap_or("DENIED");
            return Err((
                *line,
                format!(
                    "item `{}` is denied by the policy ({reason}); nothing of this row (its subject, items and choices) was written",
                    item.category
                ),
            ));
        }
    }
    Ok(())
}

/// Writes a unit (subject, then its choices, then its items). When a record fails after the
/// subject was created, the subject is erased again (identities unlinked, items and key
/// destroyed; audited), so a corrected file imports. Returns the records written and the
/// failure.
async fn write_unit(s: &Steward, caller: &Caller, u: Unit) -> (u64, Option<Bad>) {
    let first = u.first_line();
    let (id, created) = match (&u.subject, u.target) {
        (Some((line, input)), _) => match s.create_subject(caller, input.clone()).await {
            Ok(r) => (r.id, true),
            Err(e) => {
                return (
                    0,
                    Some(Bad {
                        line: *line,
                        message: e.to_string(),
                    }),
                );
            }
        },
        (None, Some(id)) => (id, false),
        (None, None) => return (0, None),
    };
    let mut n = u64::from(created);
    let mut failed: Option<Bad> = None;
    if !u.choices.is_empty() {
        let inputs = u
            .choices
            .iter()
            .map(|(_, key, value, source)| ChoiceInput {
                party: ChoiceParty::Subject(id),
                key: key.clone(),
                value: *value,
                source: source.clone(),
                notice_sha256: None,
                channel: None,
            })
            .collect();
        match s.record_choices(caller, inputs).await {
            Ok(ids) => n += ids.len() as u64,
            Err(e) => {
                failed = Some(Bad {
                    line: u.choices[0].0,
                    message: e.to_string(),
                });
            }
        }
    }
    if failed.is_none() {
        for (line, item) in &u.items {
            let mut input = item.clone();
            input.subject = id;
            match s.write_item(caller, input).await {
                Ok(_) => n += 1,
                Err(CoreError::Denied { reason, .. }) => {
                    failed = Some(Bad {
                        line: *line,
                        message: format!("denied by the policy: {reason}"),
                    });
                    break;
                }
                Err(e) => {
                    failed = Some(Bad {
                        line: *line,
                        message: e.to_string(),
                    });
                    break;
                }
            }
        }
    }
    if failed.is_none() {
        // After the items: recording the event sets their deadlines (RET-01).
        for (line, kind, at) in &u.lifecycle {
            if let Err(e) = s.record_lifecycle(caller, id, *kind, *at).await {
                failed = Some(Bad {
                    line: *line,
                    message: format!("{kind}: {e}"),
                });
                break;
            }
        }
    }
    let Some(mut f) = failed else {
        return (n, None);
    };
    if created {
        match undo(s, caller, id).await {
            Ok(()) => {
                f.message
                    .push_str("; the row was undone (its subject erased), nothing of it is kept");
                n = 0;
            }
            Err(e) => f
                .message
                .push_str(&format!("; the row could not be undone: {e}")),
        }
    } else if f.line == 0 {
        f.line = first;
    }
    (n, Some(f))
}

/// Erases a subject created by a row that then failed (identities unlinked, items and data
/// key destroyed), audited.
async fn undo(s: &Steward, caller: &Caller, id: SubjectId) -> Result<(), CoreError> {
    use steward_store::model::subject::SubjectErasure;
    s.store()
        .erase_subject(&SubjectErasure {
            subject: id,
            retain: Vec::new(),
            destroy_key: true,
            at: s.clock().now(),
        })
        .await?;
    let mut e = s.event(
        steward_store::model::audit::AuditKind::Admin,
        "import.row_undone",
        caller,
    );
    e.subject = Some(id);
    s.audit().append_one(e).await?;
    Ok(())
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
            account_closed_at: get("account_closed_at"),
            last_activity_at: get("last_activity_at"),
            contract_end_at: get("contract_end_at"),
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
                    source: get(&format!("source:{cat}")),
                    purpose: get(&format!("purpose:{cat}")),
                });
            } else if let Some(cat) = h
                .strip_prefix("source:")
                .or_else(|| h.strip_prefix("purpose:"))
            {
                if !headers.iter().any(|x| x == format!("item:{cat}")) {
                    bad = Some(format!("column `{h}` has no `item:{cat}` column"));
                }
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
                "ref"
                    | "kind"
                    | "jurisdiction"
                    | "age"
                    | "email"
                    | "phone"
                    | "account_ref"
                    | "account_closed_at"
                    | "last_activity_at"
                    | "contract_end_at"
            ) {
                bad = Some(format!(
                    "unknown column `{h}` (use item:<category>, source:<category>, purpose:<category> or choice:<key>)"
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
        from_policy: std::collections::BTreeMap::new(),
    };
    let mut planned: Vec<(usize, Planned)> = Vec::new();
    let mut bad: Vec<Bad> = Vec::new();
    // The subjects (by `ref`) one of whose lines was rejected: none of their lines is written.
    let mut bad_refs: HashSet<String> = HashSet::new();
    for (line, parsed) in rows {
        match parsed {
            Err(message) => bad.push(Bad { line, message }),
            Ok(rs) => {
                let mut ok = Vec::new();
                let mut failed = None;
                for r in rs {
                    let reference = row_ref(&r);
                    match v.validate(r).await {
                        Ok(p) => ok.push(p),
                        Err(m) => {
                            bad_refs.extend(reference);
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
    for (category, (source, purpose)) in &v.from_policy {
        println!(
            "item `{category}`: source `{source}` and purpose `{purpose}` taken from the policy \
             (columns source:{category} / purpose:{category} choose others)"
        );
    }
    // A row is all or nothing: the other lines of a subject with a rejected line go too.
    let (kept, dropped): (Vec<_>, Vec<_>) = planned
        .into_iter()
        .partition(|(_, p)| p.unit_ref().is_none_or(|r| !bad_refs.contains(r)));
    planned = kept;
    for (line, _) in dropped {
        bad.push(Bad {
            line,
            message: "another line of the same subject was rejected".into(),
        });
    }
    bad.sort_by_key(|b| b.line);
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
        // The policy's write-time refusals are checked too (nothing is written).
        let (units, _) = units_of(planned.clone());
        let now = s.clock().now();
        let mut refused = 0usize;
        for u in &units {
            if let Err((line, message)) = preflight(&s, u, now) {
                eprintln!("{}:{line}: rejected: {message}", args.file.display());
                refused += u.records();
            }
        }
        println!(
            "dry run: {} row(s) valid, {} rejected; nothing written",
            planned.len() - refused,
            bad.len() + refused
        );
        return Ok(ExitCode::SUCCESS);
    }
    let caller = Caller::Service("import".into());
    let bar = indicatif::ProgressBar::new(planned.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {per_sec} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // One unit per row: a new subject with every record that names it by `ref` (its whole
    // CSV line, or its JSONL lines), or one record for a subject already stored. A unit is
    // checked against the policy as a whole before anything of it is written (a refusal at
    // write time, e.g. a GPS item without location services, rejects the row), then written
    // in order (subject, choices, items), units concurrently.
    let (units, mut failures) = units_of(planned);
    let now = s.clock().now();
    let mut checked = Vec::with_capacity(units.len());
    let mut refused = 0usize;
    for u in units {
        match preflight(&s, &u, now) {
            Ok(()) => checked.push(u),
            Err((line, message)) => {
                bar.inc(u.records() as u64);
                bar.suspend(|| {
                    eprintln!("{}:{line}: rejected: {message}", args.file.display());
                });
                bad.push(Bad { line, message });
                refused += 1;
            }
        }
    }
    let mut written = 0u64;
    for chunk in checked.chunks(args.concurrency.max(1)) {
        let mut set = tokio::task::JoinSet::new();
        for u in chunk {
            let (s2, c2, u) = (s.clone(), caller.clone(), u.clone());
            set.spawn(async move { write_unit(&s2, &c2, u).await });
        }
        while let Some(res) = set.join_next().await {
            match res {
                Ok((n, None)) => {
                    written += n;
                    bar.inc(n);
                }
                Ok((n, Some(f))) => {
                    written += n;
                    bar.inc(n);
                    failures.push(f);
                }
                Err(e) => failures.push(Bad {
                    line: 0,
                    message: e.to_string(),
                }),
            }
        }
    }
    failures.sort_by_key(|f| f.line);
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
    Ok(if failures.is_empty() && refused == 0 {
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
