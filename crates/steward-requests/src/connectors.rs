//! Connectors to the company's own databases (SQLite or PostgreSQL): a **dataset
//! annotation** says which tables hold personal data, how a row is matched to a data subject
//! (an identity column, or a foreign key to a table that has one), which category each
//! column holds, and what erasure does to a row (`delete`, `mask`, `nullify`). Steward then
//! finds and erases the subject's rows in dependency order, inside one transaction per
//! dataset, re-queries to verify, and reports counts per table.
//!
//! ```toml
//! [[tables]]
//! name = "customers"
//! identity = { column = "email", kind = "email" }   # matched through the subject's e-mails
//! action = "mask"                                     # delete | mask | nullify
//! columns = { email = "email", full_name = "name", street = "postal_address" }
//!
//! [[tables]]
//! name = "orders"
//! via = { column = "customer_id", table = "customers", references = "id" }
//! action = "delete"
//! columns = { ship_to = "postal_address" }
//! after = ["order_items"]                             # erased after these tables
//! ```
//!
//! Order: a table listed in `after` is erased first; a table matched `via` another is
//! erased before it (its rows are found through the parent's identity, which the parent's
//! erasure removes). A cycle is refused when the annotation is registered.
//!
//! Idempotence: each dataset is one transaction, so a failure leaves it untouched; running
//! again finds only what is still there (a deleted row is gone, a masked or nullified row no
//! longer matches), so nothing is done twice and nothing is skipped.
//!
//! SECURITY: identifiers are validated (`[A-Za-z_][A-Za-z0-9_]{0,62}`) and quoted; identity
//! values are bound parameters, never SQL text. Errors keep the database's message but
//! redact quoted values, so an e-mail echoed by the driver does not reach the receipt.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use steward_vault::Sensitive;

/// What erasure does to a matched row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EraseAction {
    /// `DELETE` the row.
    Delete,
    /// Replace every annotated column with `erased:<16 hex>` (unique per row, so unique
    /// indexes hold). For text columns.
    Mask,
    /// Set every annotated column to `NULL`.
    Nullify,
}

impl EraseAction {
    /// The name used in annotations and receipts.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EraseAction::Delete => "delete",
            EraseAction::Mask => "mask",
            EraseAction::Nullify => "nullify",
        }
    }
}

/// How identity values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Lower-cased on both sides (default for e-mail).
    CaseInsensitive,
    /// Byte for byte.
    Exact,
}

/// A table matched through an identity column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityMatch {
    /// The column holding the identity (text).
    pub column: String,
    /// Which of the subject's identities it holds: a category key (`email`, `phone`, ...).
    pub kind: String,
    /// How values compare (default: case-insensitive for `email`, exact otherwise).
    #[serde(default, rename = "match")]
    pub mode: Option<MatchMode>,
}

/// A table matched through a foreign key to another table of the dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViaMatch {
    /// The column of this table.
    pub column: String,
    /// The parent table.
    pub table: String,
    /// The parent's column it references.
    pub references: String,
}

/// One annotated table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableAnnotation {
    /// Table name.
    pub name: String,
    /// Matched by an identity column...
    #[serde(default)]
    pub identity: Option<IdentityMatch>,
    /// ... or through a parent table.
    #[serde(default)]
    pub via: Option<ViaMatch>,
    /// What erasure does.
    pub action: EraseAction,
    /// Column → data category (policy taxonomy).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Tables erased before this one.
    #[serde(default)]
    pub after: Vec<String>,
}

/// A dataset annotation as written (TOML or JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetAnnotation {
    /// A description for people.
    #[serde(default)]
    pub description: Option<String>,
    /// The tables.
    pub tables: Vec<TableAnnotation>,
}

/// Why an annotation was refused. Every message names the table and column at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AnnotationError {
    /// Stable code (`SYNTAX`, `BAD_IDENTIFIER`, `NO_MATCH`, `UNKNOWN_TABLE`, `ORDER_CYCLE` ...).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> AnnotationError {
    AnnotationError {
        code,
        message: message.into(),
    }
}

fn check_ident(what: &str, s: &str) -> Result<(), AnnotationError> {
    let mut chars = s.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 63;
    if ok {
        Ok(())
    } else {
        Err(err(
            "BAD_IDENTIFIER",
            format!("{what} `{s}` is not a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]{{0,62}})"),
        ))
    }
}

/// A validated dataset: tables in erasure order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    /// The annotation as registered.
    pub annotation: DatasetAnnotation,
    /// Indexes into `annotation.tables`, in the order they are erased.
    pub order: Vec<usize>,
}

impl Dataset {
    /// Parses an annotation from TOML (or JSON when it starts with `{`) and validates it.
    /// `known_category` says whether a category key exists in the policy.
    ///
    /// # Errors
    /// An [`AnnotationError`] naming what is wrong.
    pub fn parse(
        text: &str,
        known_category: &dyn Fn(&str) -> bool,
    ) -> Result<Dataset, AnnotationError> {
        let annotation: DatasetAnnotation = if text.trim_start().starts_with('{') {
            serde_json::from_str(text)
                .map_err(|e| err("SYNTAX", format!("the annotation is not valid JSON: {e}")))?
        } else {
            toml::from_str(text).map_err(|e| {
                err(
                    "SYNTAX",
                    format!("the annotation is not valid TOML: {}", e.message()),
                )
            })?
        };
        Dataset::validate(annotation, known_category)
    }

    /// Validates an annotation and computes the erasure order.
    ///
    /// # Errors
    /// An [`AnnotationError`] naming what is wrong.
    pub fn validate(
        annotation: DatasetAnnotation,
        known_category: &dyn Fn(&str) -> bool,
    ) -> Result<Dataset, AnnotationError> {
        if annotation.tables.is_empty() {
            return Err(err("EMPTY", "the annotation lists no tables"));
        }
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, t) in annotation.tables.iter().enumerate() {
            check_ident("table", &t.name)?;
            if index.insert(t.name.as_str(), i).is_some() {
                return Err(err(
                    "DUPLICATE_TABLE",
                    format!("table `{}` is annotated twice", t.name),
                ));
            }
        }
        for t in &annotation.tables {
            for (col, cat) in &t.columns {
                check_ident(&format!("column of `{}`", t.name), col)?;
                if !known_category(cat) {
                    return Err(err(
                        "UNKNOWN_CATEGORY",
                        format!(
                            "table `{}`, column `{col}`: `{cat}` is not a category of the policy",
                            t.name
                        ),
                    ));
                }
            }
            match (&t.identity, &t.via) {
                (Some(_), Some(_)) => {
                    return Err(err(
                        "TWO_MATCHES",
                        format!("table `{}` has both `identity` and `via`: give one", t.name),
                    ));
                }
                (None, None) => {
                    return Err(err(
                        "NO_MATCH",
                        format!(
                            "table `{}` says neither how its rows are matched to a subject (`identity`) nor through which table (`via`)",
                            t.name
                        ),
                    ));
                }
                (Some(id), None) => {
                    check_ident(&format!("identity column of `{}`", t.name), &id.column)?;
                    if !known_category(&id.kind) {
                        return Err(err(
                            "UNKNOWN_IDENTITY_KIND",
                            format!(
                                "table `{}`: identity kind `{}` is not a category of the policy (e.g. `email`, `phone`)",
                                t.name, id.kind
                            ),
                        ));
                    }
                    if t.action != EraseAction::Delete && !t.columns.contains_key(&id.column) {
                        return Err(err(
                            "IDENTITY_NOT_ERASED",
                            format!(
                                "table `{}` is erased with `{}` but its identity column `{}` is not among its `columns`: the row would still point to the person",
                                t.name,
                                t.action.as_str(),
                                id.column
                            ),
                        ));
                    }
                }
                (None, Some(v)) => {
                    check_ident(&format!("`via` column of `{}`", t.name), &v.column)?;
                    check_ident(&format!("`via` reference of `{}`", t.name), &v.references)?;
                    if v.table == t.name {
                        return Err(err(
                            "SELF_REFERENCE",
                            format!("table `{}` is matched `via` itself", t.name),
                        ));
                    }
                    if !index.contains_key(v.table.as_str()) {
                        return Err(err(
                            "UNKNOWN_TABLE",
                            format!(
                                "table `{}` is matched via `{}`, which the annotation does not list",
                                t.name, v.table
                            ),
                        ));
                    }
                }
            }
            if t.action != EraseAction::Delete && t.columns.is_empty() {
                return Err(err(
                    "NO_COLUMNS",
                    format!(
                        "table `{}` is erased with `{}` but lists no `columns` to erase",
                        t.name,
                        t.action.as_str()
                    ),
                ));
            }
            for a in &t.after {
                if !index.contains_key(a.as_str()) {
                    return Err(err(
                        "UNKNOWN_TABLE",
                        format!(
                            "table `{}` is erased after `{a}`, which the annotation does not list",
                            t.name
                        ),
                    ));
                }
            }
        }
        // Every `via` chain must end at an identity table (no cycles through `via`).
        for t in &annotation.tables {
            let mut seen = BTreeSet::new();
            let mut cur = t;
            while let Some(v) = &cur.via {
                if !seen.insert(cur.name.as_str()) {
                    return Err(err(
                        "ORDER_CYCLE",
                        format!(
                            "tables matched `via` each other form a cycle at `{}`",
                            cur.name
                        ),
                    ));
                }
                let Some(&i) = index.get(v.table.as_str()) else {
                    break;
                };
                cur = &annotation.tables[i];
            }
        }
        // Edges: before → after.
        let n = annotation.tables.len();
        let mut before: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for (i, t) in annotation.tables.iter().enumerate() {
            for a in &t.after {
                if let Some(&j) = index.get(a.as_str()) {
                    before[i].insert(j);
                }
            }
            if let Some(v) = &t.via
                && let Some(&p) = index.get(v.table.as_str())
            {
                // The child goes first: it is found through the parent's identity.
                before[p].insert(i);
            }
        }
        let mut order = Vec::with_capacity(n);
        let mut placed = vec![false; n];
        while order.len() < n {
            let next = (0..n).find(|&i| !placed[i] && before[i].iter().all(|&j| placed[j]));
            match next {
                Some(i) => {
                    placed[i] = true;
                    order.push(i);
                }
                None => {
                    let stuck: Vec<&str> = (0..n)
                        .filter(|&i| !placed[i])
                        .map(|i| annotation.tables[i].name.as_str())
                        .collect();
                    return Err(err(
                        "ORDER_CYCLE",
                        format!(
                            "the order constraints between tables form a cycle: {}",
                            stuck.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(Dataset { annotation, order })
    }

    /// The tables in erasure order with their action.
    #[must_use]
    pub fn plan(&self) -> Vec<(String, String)> {
        self.order
            .iter()
            .map(|&i| {
                let t = &self.annotation.tables[i];
                (t.name.clone(), t.action.as_str().to_string())
            })
            .collect()
    }

    /// The identity kinds the dataset matches on.
    #[must_use]
    pub fn identity_kinds(&self) -> BTreeSet<String> {
        self.annotation
            .tables
            .iter()
            .filter_map(|t| t.identity.as_ref().map(|i| i.kind.clone()))
            .collect()
    }

    fn table(&self, name: &str) -> Option<&TableAnnotation> {
        self.annotation.tables.iter().find(|t| t.name == name)
    }
}

/// The subject's identity values by kind (category key), e.g. `email` → addresses.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Identities(pub BTreeMap<String, Vec<Sensitive<String>>>);

impl std::fmt::Debug for Identities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts: BTreeMap<&str, usize> =
            self.0.iter().map(|(k, v)| (k.as_str(), v.len())).collect();
        write!(f, "Identities({counts:?})")
    }
}

impl Identities {
    /// Adds a value (trimmed; duplicates ignored).
    pub fn add(&mut self, kind: &str, value: &str) {
        let v = value.trim().to_string();
        if v.is_empty() {
            return;
        }
        let list = self.0.entry(kind.to_string()).or_default();
        if !list.iter().any(|x| x.expose() == &v) {
            list.push(Sensitive::new(v));
        }
    }

    /// Whether there is no value at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }

    fn values(&self, kind: &str, mode: MatchMode) -> Vec<String> {
        self.0
            .get(kind)
            .map(|v| {
                v.iter()
                    .map(|s| match mode {
                        MatchMode::CaseInsensitive => s.expose().to_lowercase(),
                        MatchMode::Exact => s.expose().clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What erasure did to one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableOutcome {
    /// The table.
    pub table: String,
    /// The action.
    pub action: String,
    /// Rows changed (deleted, masked or nullified).
    pub rows: u64,
}

/// What erasure did to a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetOutcome {
    /// Per table, in erasure order.
    pub tables: Vec<TableOutcome>,
    /// Rows still matching after commit (0 when verified).
    pub remaining: u64,
}

/// Why a dataset could not be erased (no personal data in it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ConnectorError {
    /// `CONNECT`, `SQL`, `VERIFY`, `CONFIG`.
    pub code: &'static str,
    /// The database's message with quoted values redacted, or ours.
    pub message: String,
}

/// Redacts quoted segments of a driver message that are not plain identifiers (values a
/// database may echo, such as `"jane@example.com"` or `'123'`).
#[must_use]
pub fn redact_message(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(start) = rest.find(['"', '\'']) {
        let q = rest[start..].chars().next().unwrap_or('"');
        out.push_str(&rest[..=start]);
        let after = &rest[start + 1..];
        match after.find(q) {
            Some(end) => {
                let inner = &after[..end];
                if check_ident("x", inner).is_ok() {
                    out.push_str(inner);
                } else {
                    out.push('…');
                }
                out.push(q);
                rest = &after[end + 1..];
            }
            None => {
                out.push('…');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    // Also cut anything after a newline (PostgreSQL DETAIL lines carry values).
    out.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

/// Removes the subject's identity values (a trigger's message may echo them unquoted) and
/// anything shaped like an e-mail address from an error message.
fn scrub(mut e: ConnectorError, ids: &Identities) -> ConnectorError {
    let mut msg = e.message.clone();
    for v in ids.0.values().flatten() {
        let needle = v.expose().to_lowercase();
        if needle.len() < 3 {
            continue;
        }
        while let Some(i) = msg.to_lowercase().find(&needle) {
            // Lower-casing keeps byte offsets for ASCII; stop on anything else.
            if !msg.is_char_boundary(i) || !msg.is_char_boundary(i + needle.len()) {
                break;
            }
            msg.replace_range(i..i + needle.len(), "…");
        }
    }
    e.message = msg
        .split(' ')
        .map(|w| if w.contains('@') { "…" } else { w })
        .collect::<Vec<_>>()
        .join(" ");
    e
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Sqlite,
    Postgres,
}

fn q(ident: &str) -> String {
    // INVARIANT: identifiers were validated by `check_ident`: no quotes inside.
    format!("\"{ident}\"")
}

/// SQL pieces for one table, with the identity kinds their parameters stand for (in order).
struct Sql {
    text: String,
    kinds: Vec<(String, MatchMode)>,
}

struct Builder<'a> {
    ds: &'a Dataset,
    dialect: Dialect,
    kinds: Vec<(String, MatchMode)>,
}

impl Builder<'_> {
    fn param(&mut self, kind: &str, mode: MatchMode) -> String {
        let pos = match self.kinds.iter().position(|(k, m)| k == kind && *m == mode) {
            Some(p) => p,
            None => {
                self.kinds.push((kind.to_string(), mode));
                self.kinds.len() - 1
            }
        };
        let n = pos + 1;
        match self.dialect {
            Dialect::Sqlite => format!("(SELECT value FROM json_each(?{n}))"),
            Dialect::Postgres => format!("(SELECT unnest(${n}::text[]))"),
        }
    }

    /// The condition matching the subject's rows of `t` (depth-limited by validation).
    fn matches(&mut self, t: &TableAnnotation) -> String {
        if let Some(id) = &t.identity {
            let mode = id.mode.unwrap_or(if id.kind == "email" {
                MatchMode::CaseInsensitive
            } else {
                MatchMode::Exact
            });
            let col = match mode {
                MatchMode::CaseInsensitive => format!("lower({})", q(&id.column)),
                MatchMode::Exact => q(&id.column),
            };
            format!("{col} IN {}", self.param(&id.kind, mode))
        } else if let Some(v) = &t.via {
            let inner = self
                .ds
                .table(&v.table)
                .map(|p| self.matches(p))
                .unwrap_or_else(|| "FALSE".to_string());
            format!(
                "{} IN (SELECT {} FROM {} WHERE {inner})",
                q(&v.column),
                q(&v.references),
                q(&v.table)
            )
        } else {
            "FALSE".to_string()
        }
    }

    fn finish(self, text: String) -> Sql {
        Sql {
            text,
            kinds: self.kinds,
        }
    }
}

fn mask_expr(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "'erased:' || lower(hex(randomblob(8)))",
        Dialect::Postgres => {
            "'erased:' || substr(md5(random()::text || clock_timestamp()::text), 1, 16)"
        }
    }
}

fn erase_sql(ds: &Dataset, t: &TableAnnotation, d: Dialect) -> Sql {
    let mut b = Builder {
        ds,
        dialect: d,
        kinds: Vec::new(),
    };
    let m = b.matches(t);
    let text = match t.action {
        EraseAction::Delete => format!("DELETE FROM {} WHERE {m}", q(&t.name)),
        EraseAction::Nullify | EraseAction::Mask => {
            let value = if t.action == EraseAction::Mask {
                mask_expr(d)
            } else {
                "NULL"
            };
            let sets: Vec<String> = t
                .columns
                .keys()
                .map(|c| format!("{} = {value}", q(c)))
                .collect();
            format!("UPDATE {} SET {} WHERE {m}", q(&t.name), sets.join(", "))
        }
    };
    b.finish(text)
}

/// Counts the rows of `t` still holding the subject's data.
fn verify_sql(ds: &Dataset, t: &TableAnnotation, d: Dialect) -> Sql {
    let mut b = Builder {
        ds,
        dialect: d,
        kinds: Vec::new(),
    };
    let m = b.matches(t);
    let still = match t.action {
        EraseAction::Delete => "TRUE".to_string(),
        EraseAction::Nullify => t
            .columns
            .keys()
            .map(|c| format!("{} IS NOT NULL", q(c)))
            .collect::<Vec<_>>()
            .join(" OR "),
        EraseAction::Mask => t
            .columns
            .keys()
            .map(|c| {
                format!(
                    "({0} IS NOT NULL AND CAST({0} AS TEXT) NOT LIKE 'erased:%')",
                    q(c)
                )
            })
            .collect::<Vec<_>>()
            .join(" OR "),
    };
    let text = format!(
        "SELECT COUNT(*) FROM {} WHERE ({m}) AND ({still})",
        q(&t.name)
    );
    b.finish(text)
}

fn sqlite_err(e: rusqlite::Error) -> ConnectorError {
    ConnectorError {
        code: "SQL",
        message: redact_message(&e.to_string()),
    }
}

fn sqlite_params(sql: &Sql, ids: &Identities) -> Vec<String> {
    sql.kinds
        .iter()
        .map(|(k, m)| serde_json::Value::from(ids.values(k, *m)).to_string())
        .collect()
}

/// Erases the subject's rows of an SQLite dataset (blocking: call from a blocking thread).
///
/// # Errors
/// `CONNECT` when the database cannot be opened, `SQL` when a statement fails (nothing is
/// changed then), `VERIFY` when rows still match after the erasure.
pub fn erase_sqlite(
    path: &str,
    ds: &Dataset,
    ids: &Identities,
) -> Result<DatasetOutcome, ConnectorError> {
    erase_sqlite_inner(path, ds, ids).map_err(|e| scrub(e, ids))
}

fn erase_sqlite_inner(
    path: &str,
    ds: &Dataset,
    ids: &Identities,
) -> Result<DatasetOutcome, ConnectorError> {
    use rusqlite::{Connection, OpenFlags, TransactionBehavior};
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| ConnectorError {
        code: "CONNECT",
        message: redact_message(&e.to_string()),
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sqlite_err)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sqlite_err)?;
    let mut tables = Vec::with_capacity(ds.order.len());
    for &i in &ds.order {
        let t = &ds.annotation.tables[i];
        let sql = erase_sql(ds, t, Dialect::Sqlite);
        let rows = tx
            .execute(
                &sql.text,
                rusqlite::params_from_iter(sqlite_params(&sql, ids)),
            )
            .map_err(sqlite_err)?;
        let v = verify_sql(ds, t, Dialect::Sqlite);
        let left: i64 = tx
            .query_row(
                &v.text,
                rusqlite::params_from_iter(sqlite_params(&v, ids)),
                |r| r.get(0),
            )
            .map_err(sqlite_err)?;
        if left > 0 {
            return Err(ConnectorError {
                code: "VERIFY",
                message: format!(
                    "{left} row(s) of `{}` still match after the erasure",
                    t.name
                ),
            });
        }
        tables.push(TableOutcome {
            table: t.name.clone(),
            action: t.action.as_str().to_string(),
            rows: rows as u64,
        });
    }
    tx.commit().map_err(sqlite_err)?;
    // Re-query after commit: what another writer could not have hidden from us.
    let mut remaining = 0u64;
    for &i in &ds.order {
        let t = &ds.annotation.tables[i];
        let v = verify_sql(ds, t, Dialect::Sqlite);
        let left: i64 = conn
            .query_row(
                &v.text,
                rusqlite::params_from_iter(sqlite_params(&v, ids)),
                |r| r.get(0),
            )
            .map_err(sqlite_err)?;
        remaining += u64::try_from(left).unwrap_or(0);
    }
    Ok(DatasetOutcome { tables, remaining })
}

fn pg_err(e: &tokio_postgres::Error) -> ConnectorError {
    match e.as_db_error() {
        Some(db) => ConnectorError {
            code: "SQL",
            message: format!(
                "SQLSTATE {}: {}",
                db.code().code(),
                redact_message(db.message())
            ),
        },
        None => ConnectorError {
            code: "CONNECT",
            message: redact_message(&e.to_string()),
        },
    }
}

/// Erases the subject's rows of a PostgreSQL dataset.
///
/// # Errors
/// As [`erase_sqlite`].
pub async fn erase_postgres(
    url: &str,
    ds: &Dataset,
    ids: &Identities,
) -> Result<DatasetOutcome, ConnectorError> {
    erase_postgres_inner(url, ds, ids)
        .await
        .map_err(|e| scrub(e, ids))
}

async fn erase_postgres_inner(
    url: &str,
    ds: &Dataset,
    ids: &Identities,
) -> Result<DatasetOutcome, ConnectorError> {
    let (mut client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| pg_err(&e))?;
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    let result = async {
        let params = |sql: &Sql| -> Vec<Vec<String>> {
            sql.kinds.iter().map(|(k, m)| ids.values(k, *m)).collect()
        };
        let tx = client.transaction().await.map_err(|e| pg_err(&e))?;
        let mut tables = Vec::with_capacity(ds.order.len());
        for &i in &ds.order {
            let t = &ds.annotation.tables[i];
            let sql = erase_sql(ds, t, Dialect::Postgres);
            let p = params(&sql);
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = p
                .iter()
                .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
                .collect();
            let rows = tx.execute(&sql.text, &refs).await.map_err(|e| pg_err(&e))?;
            let v = verify_sql(ds, t, Dialect::Postgres);
            let p = params(&v);
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = p
                .iter()
                .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
                .collect();
            let left: i64 = tx
                .query_one(&v.text, &refs)
                .await
                .map_err(|e| pg_err(&e))?
                .get(0);
            if left > 0 {
                return Err(ConnectorError {
                    code: "VERIFY",
                    message: format!(
                        "{left} row(s) of `{}` still match after the erasure",
                        t.name
                    ),
                });
            }
            tables.push(TableOutcome {
                table: t.name.clone(),
                action: t.action.as_str().to_string(),
                rows,
            });
        }
        tx.commit().await.map_err(|e| pg_err(&e))?;
        let mut remaining = 0u64;
        for &i in &ds.order {
            let t = &ds.annotation.tables[i];
            let v = verify_sql(ds, t, Dialect::Postgres);
            let p = params(&v);
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = p
                .iter()
                .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
                .collect();
            let left: i64 = client
                .query_one(&v.text, &refs)
                .await
                .map_err(|e| pg_err(&e))?
                .get(0);
            remaining += u64::try_from(left).unwrap_or(0);
        }
        Ok(DatasetOutcome { tables, remaining })
    }
    .await;
    drop(client);
    driver.abort();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(c: &str) -> bool {
        ["email", "name", "postal_address", "phone", "user_content"].contains(&c)
    }

    const SHOP: &str = r#"
        [[tables]]
        name = "customers"
        identity = { column = "email", kind = "email" }
        action = "mask"
        columns = { email = "email", full_name = "name" }

        [[tables]]
        name = "orders"
        via = { column = "customer_id", table = "customers", references = "id" }
        action = "nullify"
        columns = { ship_to = "postal_address" }

        [[tables]]
        name = "order_items"
        via = { column = "order_id", table = "orders", references = "id" }
        action = "delete"

        [[tables]]
        name = "notes"
        identity = { column = "author", kind = "email" }
        action = "delete"
        after = ["customers"]
    "#;

    #[test]
    fn order_puts_children_first_and_respects_after() {
        let ds = Dataset::parse(SHOP, &known).unwrap();
        let names: Vec<String> = ds.plan().into_iter().map(|(t, _)| t).collect();
        assert_eq!(names, ["order_items", "orders", "customers", "notes"]);
    }

    #[test]
    fn bad_annotations_say_what_is_wrong() {
        let cases = [
            (
                "[[tables]]\nname = \"a b\"\naction = \"delete\"\nidentity = { column = \"e\", kind = \"email\" }",
                "BAD_IDENTIFIER",
            ),
            ("[[tables]]\nname = \"a\"\naction = \"delete\"", "NO_MATCH"),
            (
                "[[tables]]\nname = \"a\"\naction = \"drop\"\nidentity = { column = \"e\", kind = \"email\" }",
                "SYNTAX",
            ),
            (
                "[[tables]]\nname = \"a\"\naction = \"mask\"\nidentity = { column = \"e\", kind = \"email\" }\ncolumns = { n = \"name\" }",
                "IDENTITY_NOT_ERASED",
            ),
            (
                "[[tables]]\nname = \"a\"\naction = \"delete\"\nvia = { column = \"x\", table = \"b\", references = \"id\" }",
                "UNKNOWN_TABLE",
            ),
            (
                "[[tables]]\nname = \"a\"\naction = \"delete\"\nidentity = { column = \"e\", kind = \"shoe_size\" }",
                "UNKNOWN_IDENTITY_KIND",
            ),
            (
                "[[tables]]\nname = \"a\"\naction = \"delete\"\nidentity = { column = \"e\", kind = \"email\" }\nafter = [\"b\"]\n[[tables]]\nname = \"b\"\naction = \"delete\"\nidentity = { column = \"e\", kind = \"email\" }\nafter = [\"a\"]",
                "ORDER_CYCLE",
            ),
            (
                "[[tables]]\nname = \"a\"\naction = \"delete\"\nidentity = { column = \"e\", kind = \"email\" }\ncolumns = { c = \"favourite_colour\" }",
                "UNKNOWN_CATEGORY",
            ),
        ];
        for (text, code) in cases {
            match Dataset::parse(text, &known) {
                Err(e) => assert_eq!(e.code, code, "{text}: {}", e.message),
                Ok(_) => panic!("accepted: {text}"),
            }
        }
        let e = Dataset::parse(cases[1].0, &known).unwrap_err();
        assert!(e.message.contains("`a`"), "names the table: {}", e.message);
    }

    #[test]
    fn json_annotations_parse_too() {
        let ds = Dataset::parse(
            r#"{"tables":[{"name":"t","identity":{"column":"e","kind":"email"},"action":"delete"}]}"#,
            &known,
        )
        .unwrap();
        assert_eq!(ds.plan(), vec![("t".to_string(), "delete".to_string())]);
    }

    #[test]
    fn driver_messages_lose_their_values() {
        assert_eq!(
            redact_message(r#"invalid input syntax for type integer: "jane@example.com""#),
            r#"invalid input syntax for type integer: "…""#
        );
        assert_eq!(
            redact_message(r#"update on table "orders" violates foreign key constraint "fk_1""#),
            r#"update on table "orders" violates foreign key constraint "fk_1""#
        );
        assert_eq!(
            redact_message("x 'John Smith' y\nDETAIL: Key (e)=(a@b)"),
            "x '…' y"
        );
        let mut ids = Identities::default();
        ids.add("email", "jane@example.com");
        ids.add("phone", "+1 555 0100");
        let e = scrub(
            ConnectorError {
                code: "SQL",
                message: "frozen for Jane@Example.com and +1 555 0100 and x@y.z".into(),
            },
            &ids,
        );
        assert_eq!(e.message, "frozen for … and … and …");
    }

    fn shop_db() -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT UNIQUE, full_name TEXT);
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, ship_to TEXT);
             CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER, sku TEXT);
             CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT, body TEXT);
             INSERT INTO customers VALUES (1, 'Jane@Example.com', 'Jane Roe'), (2, 'bob@example.com', 'Bob');
             INSERT INTO orders VALUES (10, 1, '1 Main St'), (11, 1, '1 Main St'), (12, 2, '2 Elm St');
             INSERT INTO order_items VALUES (100, 10, 'a'), (101, 10, 'b'), (102, 11, 'c'), (103, 12, 'd');
             INSERT INTO notes VALUES (1, 'jane@example.com', 'hi'), (2, 'bob@example.com', 'yo');",
        )
        .unwrap();
        let p = path.to_string_lossy().to_string();
        (dir, p)
    }

    #[test]
    fn sqlite_erasure_in_order_verified_and_idempotent() {
        let (_dir, path) = shop_db();
        let ds = Dataset::parse(SHOP, &known).unwrap();
        let mut ids = Identities::default();
        ids.add("email", "jane@example.com");
        let out = erase_sqlite(&path, &ds, &ids).unwrap();
        let rows: Vec<(&str, u64)> = out
            .tables
            .iter()
            .map(|t| (t.table.as_str(), t.rows))
            .collect();
        assert_eq!(
            rows,
            [
                ("order_items", 3),
                ("orders", 2),
                ("customers", 1),
                ("notes", 1)
            ]
        );
        assert_eq!(out.remaining, 0);
        let c = rusqlite::Connection::open(&path).unwrap();
        let masked: String = c
            .query_row("SELECT email FROM customers WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        assert!(
            masked.starts_with("erased:") && masked.len() == 23,
            "{masked}"
        );
        let bob: String = c
            .query_row("SELECT email FROM customers WHERE id = 2", [], |r| r.get(0))
            .unwrap();
        assert_eq!(bob, "bob@example.com", "other people's rows are untouched");
        let left: i64 = c
            .query_row("SELECT COUNT(*) FROM order_items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 1);
        // A second run finds nothing more to do.
        let again = erase_sqlite(&path, &ds, &ids).unwrap();
        assert!(again.tables.iter().all(|t| t.rows == 0));
    }

    #[test]
    fn sqlite_failure_changes_nothing() {
        let (_dir, path) = shop_db();
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TRIGGER no_delete BEFORE DELETE ON notes BEGIN SELECT RAISE(ABORT, 'notes are frozen'); END;",
        )
        .unwrap();
        let ds = Dataset::parse(SHOP, &known).unwrap();
        let mut ids = Identities::default();
        ids.add("email", "jane@example.com");
        let e = erase_sqlite(&path, &ds, &ids).unwrap_err();
        assert_eq!(e.code, "SQL");
        assert!(e.message.contains("notes are frozen"), "{}", e.message);
        let items: i64 = c
            .query_row("SELECT COUNT(*) FROM order_items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(items, 4, "the transaction rolled back");
    }
}
