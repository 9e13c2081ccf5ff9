//! Dataset connectors for the company's own SQL databases
//! ([`steward_requests::DatasetConnector`]): [`SqliteConnector`] (rusqlite) and
//! [`PostgresConnector`] (tokio-postgres). Both build the same statements from a dataset
//! annotation ([`steward_requests::connectors::Dataset`]) in their dialect.
//!
//! Erasure: the subject's rows of each table, in the annotation's order, matched through an
//! identity column or chains of foreign keys (`via`, any of several paths), deleted, masked or
//! nullified inside one transaction per dataset; after each statement a count of the rows
//! still holding the subject's data must be 0 (else `VERIFY`, and the transaction rolls
//! back); after commit every table is counted again (`remaining`).
//!
//! Reading (access, know, portability): the annotated columns of the same rows, as text, and
//! nothing else — SQLite opened read-only, PostgreSQL inside a `READ ONLY` transaction.
//!
//! SECURITY: identifiers were validated as plain SQL identifiers when the annotation was
//! registered and are quoted; identity values are bound parameters (a JSON array for
//! SQLite's `json_each`, a `text[]` for PostgreSQL's `unnest`), never SQL text. Driver
//! messages keep their text but lose quoted values ([`redact_message`]) and the subject's
//! identity values (`steward_requests::connectors::scrub`).

mod pg_tls;
mod postgres;
mod sqlite;

pub use postgres::PostgresConnector;
pub use sqlite::SqliteConnector;

use steward_requests::connectors::{
    ColumnInfo, Dataset, EraseAction, Identities, MatchMode, TableAnnotation, is_plain_identifier,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Sqlite,
    Postgres,
}

fn q(ident: &str) -> String {
    // INVARIANT: identifiers were validated by the annotation (`is_plain_identifier`): no
    // quotes inside.
    format!("\"{ident}\"")
}

/// SQL text for one table, with the identity kinds its parameters stand for (in order).
struct Sql {
    text: String,
    kinds: Vec<(String, MatchMode)>,
}

impl Sql {
    /// The parameter values, one list per parameter, from the subject's identities.
    fn values(&self, ids: &Identities) -> Vec<Vec<String>> {
        self.kinds.iter().map(|(k, m)| ids.values(k, *m)).collect()
    }
}

struct Builder<'a> {
    ds: &'a Dataset,
    dialect: Dialect,
    kinds: Vec<(String, MatchMode)>,
}

impl Builder<'_> {
    fn new(ds: &Dataset, dialect: Dialect) -> Builder<'_> {
        Builder {
            ds,
            dialect,
            kinds: Vec::new(),
        }
    }

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

    /// The condition matching the subject's rows of `t`: its identity column, or any of its
    /// `via` paths (finite: the annotation was refused if they formed a cycle).
    fn matches(&mut self, t: &TableAnnotation) -> String {
        if let Some(id) = &t.identity {
            let mode = id.effective_mode();
            let col = match mode {
                MatchMode::CaseInsensitive => format!("lower({})", q(&id.column)),
                MatchMode::Exact => q(&id.column),
            };
            return format!("{col} IN {}", self.param(&id.kind, mode));
        }
        let paths: Vec<String> = t
            .via
            .iter()
            .map(|v| {
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
            })
            .collect();
        match paths.len() {
            0 => "FALSE".to_string(),
            1 => paths.concat(),
            _ => format!("({})", paths.join(" OR ")),
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

/// The statement erasing the subject's rows of `t`.
fn erase_sql(ds: &Dataset, t: &TableAnnotation, d: Dialect) -> Sql {
    let mut b = Builder::new(ds, d);
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

/// Reads the annotated columns (as text) of the subject's rows of `t`.
fn read_sql(ds: &Dataset, t: &TableAnnotation, columns: &[ColumnInfo], d: Dialect) -> Sql {
    let mut b = Builder::new(ds, d);
    let m = b.matches(t);
    let cols: Vec<String> = columns
        .iter()
        .map(|c| format!("CAST({} AS TEXT)", q(&c.column)))
        .collect();
    let text = format!("SELECT {} FROM {} WHERE {m}", cols.join(", "), q(&t.name));
    b.finish(text)
}

/// Counts the rows of `t` still holding the subject's data.
fn verify_sql(ds: &Dataset, t: &TableAnnotation, d: Dialect) -> Sql {
    let mut b = Builder::new(ds, d);
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

/// Redacts quoted segments of a driver message that are not plain identifiers (values a
/// database may echo, such as `"jane@example.com"` or `'123'`), and everything after the
/// first line (PostgreSQL's DETAIL lines carry values).
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
                if is_plain_identifier(inner) {
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
    out.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
