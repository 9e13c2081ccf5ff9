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
//!
//! [[tables]]
//! name = "addresses"                                  # reached two ways
//! via = [
//!   { column = "customer_id", table = "customers", references = "id" },
//!   { column = "id", table = "orders", references = "shipping_address_id" },
//! ]
//! action = "delete"
//! columns = { street = "postal_address" }
//! ```
//!
//! A table may be reached through several parents (`via` as a list): a row matching through
//! any of them is the subject's. Order: a table listed in `after` is erased first; a table
//! matched `via` another is erased before it (its rows are found through the parent's
//! identity, which the parent's erasure removes). A cycle — of `via` references, or of order
//! constraints — is refused when the annotation is registered, naming the tables on it.
//!
//! Access, know and portability requests read the annotated `columns` of the subject's rows
//! (read-only; nothing else of a row is ever read into a report).
//!
//! Idempotence: each dataset is one transaction, so a failure leaves it untouched; running
//! again finds only what is still there (a deleted row is gone, a masked or nullified row no
//! longer matches), so nothing is done twice and nothing is skipped.
//!
//! This module is the domain side: the annotation, its validation and order, the subject's
//! identities. The SQL itself is built and run by the adapters of `steward-adapters`
//! (behind [`crate::effects::DatasetConnector`]).
//!
//! SECURITY: identifiers are validated (`[A-Za-z_][A-Za-z0-9_]{0,62}`) so adapters can quote
//! them; identity values are bound parameters, never SQL text. Adapters redact quoted values
//! from driver messages, and [`scrub`] removes the subject's identities from any connector
//! error before it is stored, so an e-mail echoed by a database does not reach the receipt.

use std::collections::{BTreeMap, BTreeSet};
use steward_errors::ErrorCode;

use serde::{Deserialize, Serialize};
use steward_vault::Sensitive;

use crate::effects::ConnectorError;

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

impl IdentityMatch {
    /// How values compare: as given, else case-insensitive for `email` and exact otherwise.
    #[must_use]
    pub fn effective_mode(&self) -> MatchMode {
        self.mode.unwrap_or(if self.kind == "email" {
            MatchMode::CaseInsensitive
        } else {
            MatchMode::Exact
        })
    }
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

/// `via` as written: absent or `null` (no parent), one table, or a list of them.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ViaMatch>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<ViaMatch>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a table to match through, or a list of them")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(V)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Ok(vec![ViaMatch::deserialize(
                serde::de::value::MapAccessDeserializer::new(map),
            )?])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            Vec::<ViaMatch>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
        }
    }
    d.deserialize_any(V)
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
    /// ... or through parent tables: one (`via = { … }`) or several (`via = [{ … }, { … }]`,
    /// a row matching through any of them is the subject's).
    #[serde(default, deserialize_with = "one_or_many")]
    pub via: Vec<ViaMatch>,
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
    pub code: ErrorCode,
    /// What is wrong.
    pub message: String,
}

fn err(code: ErrorCode, message: impl Into<String>) -> AnnotationError {
    AnnotationError {
        code,
        message: message.into(),
    }
}

/// Whether `s` is a plain SQL identifier (`[A-Za-z_][A-Za-z0-9_]{0,62}`): what every table
/// and column name of an annotation must be, so it can be quoted without escaping.
#[must_use]
pub fn is_plain_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 63
}

fn check_ident(what: &str, s: &str) -> Result<(), AnnotationError> {
    if is_plain_identifier(s) {
        Ok(())
    } else {
        Err(err(
            ErrorCode::BadIdentifier,
            format!("{what} `{s}` is not a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]{{0,62}})"),
        ))
    }
}

fn check_via(
    index: &BTreeMap<&str, usize>,
    t: &TableAnnotation,
    v: &ViaMatch,
) -> Result<(), AnnotationError> {
    check_ident(&format!("`via` column of `{}`", t.name), &v.column)?;
    check_ident(&format!("`via` reference of `{}`", t.name), &v.references)?;
    if v.table == t.name {
        return Err(err(
            ErrorCode::SelfReference,
            format!("table `{}` is matched `via` itself", t.name),
        ));
    }
    if !index.contains_key(v.table.as_str()) {
        return Err(err(
            ErrorCode::UnknownTable,
            format!(
                "table `{}` is matched via `{}`, which the annotation does not list",
                t.name, v.table
            ),
        ));
    }
    Ok(())
}

/// A cycle of `via` references, as the table names along it (the first repeated at the end),
/// if there is one.
fn via_cycle(tables: &[TableAnnotation], index: &BTreeMap<&str, usize>) -> Option<Vec<String>> {
    // Depth-first search; `state`: 0 unvisited, 1 on the current path, 2 done.
    fn visit(
        i: usize,
        tables: &[TableAnnotation],
        index: &BTreeMap<&str, usize>,
        state: &mut [u8],
        path: &mut Vec<usize>,
    ) -> Option<Vec<String>> {
        state[i] = 1;
        path.push(i);
        for v in &tables[i].via {
            let Some(&p) = index.get(v.table.as_str()) else {
                continue;
            };
            match state[p] {
                1 => {
                    let from = path.iter().position(|&x| x == p).unwrap_or(0);
                    let mut names: Vec<String> = path[from..]
                        .iter()
                        .map(|&x| tables[x].name.clone())
                        .collect();
                    names.push(tables[p].name.clone());
                    return Some(names);
                }
                0 => {
                    if let Some(c) = visit(p, tables, index, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state[i] = 2;
        None
    }
    let mut state = vec![0u8; tables.len()];
    for i in 0..tables.len() {
        if state[i] == 0
            && let Some(c) = visit(i, tables, index, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
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
            serde_json::from_str(text).map_err(|e| {
                err(
                    ErrorCode::Syntax,
                    format!("the annotation is not valid JSON: {e}"),
                )
            })?
        } else {
            toml::from_str(text).map_err(|e| {
                err(
                    ErrorCode::Syntax,
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
            return Err(err(ErrorCode::Empty, "the annotation lists no tables"));
        }
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, t) in annotation.tables.iter().enumerate() {
            check_ident("table", &t.name)?;
            if index.insert(t.name.as_str(), i).is_some() {
                return Err(err(
                    ErrorCode::DuplicateTable,
                    format!("table `{}` is annotated twice", t.name),
                ));
            }
        }
        for t in &annotation.tables {
            for (col, cat) in &t.columns {
                check_ident(&format!("column of `{}`", t.name), col)?;
                if !known_category(cat) {
                    return Err(err(
                        ErrorCode::UnknownCategory,
                        format!(
                            "table `{}`, column `{col}`: `{cat}` is not a category of the policy",
                            t.name
                        ),
                    ));
                }
            }
            match (&t.identity, t.via.is_empty()) {
                (Some(_), false) => {
                    return Err(err(
                        ErrorCode::TwoMatches,
                        format!("table `{}` has both `identity` and `via`: give one", t.name),
                    ));
                }
                (None, true) => {
                    return Err(err(
                        ErrorCode::NoMatch,
                        format!(
                            "table `{}` says neither how its rows are matched to a subject (`identity`) nor through which table (`via`)",
                            t.name
                        ),
                    ));
                }
                (Some(id), true) => {
                    check_ident(&format!("identity column of `{}`", t.name), &id.column)?;
                    if !known_category(&id.kind) {
                        return Err(err(
                            ErrorCode::UnknownIdentityKind,
                            format!(
                                "table `{}`: identity kind `{}` is not a category of the policy (e.g. `email`, `phone`)",
                                t.name, id.kind
                            ),
                        ));
                    }
                    if t.action != EraseAction::Delete && !t.columns.contains_key(&id.column) {
                        return Err(err(
                            ErrorCode::IdentityNotErased,
                            format!(
                                "table `{}` is erased with `{}` but its identity column `{}` is not among its `columns`: the row would still point to the person",
                                t.name,
                                t.action.as_str(),
                                id.column
                            ),
                        ));
                    }
                }
                (None, false) => {
                    for v in &t.via {
                        check_via(&index, t, v)?;
                    }
                }
            }
            if t.action != EraseAction::Delete && t.columns.is_empty() {
                return Err(err(
                    ErrorCode::NoColumns,
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
                        ErrorCode::UnknownTable,
                        format!(
                            "table `{}` is erased after `{a}`, which the annotation does not list",
                            t.name
                        ),
                    ));
                }
            }
        }
        // Every `via` path must end at an identity table: no cycles through `via`.
        if let Some(cycle) = via_cycle(&annotation.tables, &index) {
            return Err(err(
                ErrorCode::OrderCycle,
                format!(
                    "tables matched `via` each other form a cycle: {}; one of them needs an `identity` instead",
                    cycle.join(" → ")
                ),
            ));
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
            for v in &t.via {
                if let Some(&p) = index.get(v.table.as_str()) {
                    // The child goes first: it is found through the parent's identity.
                    before[p].insert(i);
                }
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
                        ErrorCode::OrderCycle,
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

    /// The tables an access report reads, in the annotation's order, each with its annotated
    /// columns (a table without any is not read: only what the annotation marks as personal
    /// data is ever reported).
    #[must_use]
    pub fn readable(&self) -> Vec<(&TableAnnotation, Vec<ColumnInfo>)> {
        self.annotation
            .tables
            .iter()
            .filter(|t| !t.columns.is_empty())
            .map(|t| {
                let cols = t
                    .columns
                    .iter()
                    .map(|(c, cat)| ColumnInfo {
                        column: c.clone(),
                        category: cat.clone(),
                    })
                    .collect();
                (t, cols)
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

    /// The annotated table named `name`.
    #[must_use]
    pub fn table(&self, name: &str) -> Option<&TableAnnotation> {
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

    /// The values of `kind`, compared as `mode` says (lower-cased when case-insensitive).
    /// SECURITY: personal data; bind them as parameters, never as SQL text.
    #[must_use]
    pub fn values(&self, kind: &str, mode: MatchMode) -> Vec<String> {
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

/// An annotated column: its name and the policy category of what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// The column.
    pub column: String,
    /// Its category (the policy's taxonomy, as the notice names it).
    pub category: String,
}

/// The subject's rows of one table as read for an access report: the annotated columns only,
/// values as text (`None` is SQL `NULL`). Personal data.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRows {
    /// The table.
    pub table: String,
    /// The columns read, in the order of each row's values.
    pub columns: Vec<ColumnInfo>,
    /// The rows.
    pub rows: Vec<Vec<Option<String>>>,
}

/// What a dataset holds about a subject, table by table (tables with no annotated column are
/// not read). Personal data: `Debug` shows counts only.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetRows {
    /// The tables, in the annotation's order (tables where nothing matched included, empty).
    pub tables: Vec<TableRows>,
}

impl std::fmt::Debug for DatasetRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts: Vec<(&str, usize)> = self
            .tables
            .iter()
            .map(|t| (t.table.as_str(), t.rows.len()))
            .collect();
        write!(f, "DatasetRows({counts:?})")
    }
}

impl std::fmt::Debug for TableRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TableRows({}: {} row(s))", self.table, self.rows.len())
    }
}

/// What one connected dataset returned for a request (kept, sealed under the request's own
/// key, for its report). Personal data: `Debug` shows counts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundDataset {
    /// The connector's name.
    pub connector: String,
    /// What it returned.
    pub rows: DatasetRows,
}

impl DatasetRows {
    /// Rows found, over every table.
    #[must_use]
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }
}

/// What erasure did to one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableOutcome {
    /// The action.
    pub action: String,
    /// Rows changed (deleted, masked or nullified).
    pub rows: u64,
    /// The table.
    pub table: String,
}

/// What erasure did to a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetOutcome {
    /// Per table, in erasure order.
    pub tables: Vec<TableOutcome>,
    /// Rows still matching after commit (0 when verified).
    pub remaining: u64,
}

/// Removes the subject's identity values (a trigger's message may echo them unquoted) and
/// anything shaped like an e-mail address from an error message.
pub fn scrub(mut e: ConnectorError, ids: &Identities) -> ConnectorError {
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
    fn a_table_may_be_reached_through_several_parents_and_old_single_paths_still_read() {
        let text = r#"
            [[tables]]
            name = "customers"
            identity = { column = "email", kind = "email" }
            action = "delete"

            [[tables]]
            name = "orders"
            via = { column = "customer_id", table = "customers", references = "id" }
            action = "delete"

            [[tables]]
            name = "addresses"
            via = [
              { column = "customer_id", table = "customers", references = "id" },
              { column = "id", table = "orders", references = "address_id" },
            ]
            action = "delete"
            columns = { street = "postal_address" }
        "#;
        let ds = Dataset::parse(text, &known).unwrap();
        let names: Vec<String> = ds.plan().into_iter().map(|(t, _)| t).collect();
        assert_eq!(names, ["addresses", "orders", "customers"]);
        assert_eq!(ds.table("addresses").unwrap().via.len(), 2);
        let readable: Vec<&str> = ds.readable().iter().map(|(t, _)| t.name.as_str()).collect();
        assert_eq!(
            readable,
            ["addresses"],
            "only tables with annotated columns are read"
        );
        // Stored before several paths existed: `via` as one object, or `null`.
        let old = r#"{"tables":[
            {"name":"c","identity":{"column":"e","kind":"email","match":null},"via":null,"action":"delete","columns":{},"after":[]},
            {"name":"o","identity":null,"via":{"column":"c_id","table":"c","references":"id"},"action":"delete","columns":{},"after":[]}
        ]}"#;
        let ds = Dataset::parse(old, &known).unwrap();
        assert_eq!(ds.table("o").unwrap().via[0].table, "c");
        assert!(ds.table("c").unwrap().via.is_empty());
        // And it round-trips through its stored form.
        let stored = serde_json::to_string(&ds).unwrap();
        assert_eq!(serde_json::from_str::<Dataset>(&stored).unwrap(), ds);
        // A bad path in a list is named like a single one.
        let e = Dataset::parse(
            &text.replace(
                "table = \"orders\", references = \"address_id\"",
                "table = \"baskets\", references = \"address_id\"",
            ),
            &known,
        )
        .unwrap_err();
        assert_eq!(e.code, "UNKNOWN_TABLE");
        assert!(e.message.contains("`baskets`"), "{}", e.message);
    }

    #[test]
    fn identities_are_scrubbed_from_connector_errors() {
        let mut ids = Identities::default();
        ids.add("email", "jane@example.com");
        ids.add("phone", "+1 555 0100");
        let e = scrub(
            ConnectorError::new(
                crate::effects::ConnectorErrorCode::Sql,
                "frozen for Jane@Example.com and +1 555 0100 and x@y.z",
            ),
            &ids,
        );
        assert_eq!(e.message, "frozen for … and … and …");
    }
}
