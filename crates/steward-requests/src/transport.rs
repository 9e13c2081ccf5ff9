//! Encryption in transit for the connections that carry personal data (SEC-02): webhook
//! endpoints and dataset connections must use TLS. Plain `http://` webhooks and PostgreSQL
//! connections that do not require TLS (`sslmode=require`; the connector then verifies the
//! server's certificate and name against the webpki roots, as libpq's `verify-full`) are
//! refused with `INSECURE_TARGET`, except on loopback when the configuration explicitly
//! allows it (`[requests] allow_insecure_loopback = true`, for tests and `steward serve
//! --demo`). An SQLite dataset is a local file and a PostgreSQL Unix socket never leaves the
//! host, so neither travels a network.

use steward_core::CoreError;
use steward_errors::ErrorCode;
use steward_store::model::request::ConnectorKind;

use crate::effects::WebhookUrl;

/// The stable code of the refusal.
pub const INSECURE_TARGET: ErrorCode = ErrorCode::InsecureTarget;

fn refused(what: &str, allow_loopback: bool) -> CoreError {
    let hint = if allow_loopback {
        ""
    } else {
        " (plain connections to loopback are accepted only with `allow_insecure_loopback`)"
    };
    CoreError::invalid(
        INSECURE_TARGET,
        format!("{what} carries personal data and must use TLS (SEC-02){hint}"),
    )
}

/// Whether `host` names this machine (`localhost`, `127.0.0.0/8`, `::1`).
#[must_use]
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// Checks a webhook endpoint (SEC-02).
///
/// # Errors
/// `Invalid(INSECURE_TARGET)` for `http://` other than allowed loopback.
pub fn check_webhook(url: &WebhookUrl, allow_loopback: bool) -> Result<(), CoreError> {
    if url.is_https() || (allow_loopback && is_loopback(url.host())) {
        Ok(())
    } else {
        Err(refused("a webhook endpoint with `http://`", allow_loopback))
    }
}

/// What a PostgreSQL connection string asks for: its hosts and whether TLS is required.
fn postgres_target(conn: &str) -> (Vec<String>, bool) {
    let mut hosts = Vec::new();
    let mut sslmode = None::<String>;
    let conn = conn.trim();
    let rest = conn
        .strip_prefix("postgresql://")
        .or_else(|| conn.strip_prefix("postgres://"));
    if let Some(rest) = rest {
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = before_query.split('/').next().unwrap_or("");
        let hostlist = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        for h in hostlist.split(',').filter(|h| !h.is_empty()) {
            let h = if h.starts_with('[') {
                h.split_once(']')
                    .map_or(h, |(a, _)| a)
                    .trim_start_matches('[')
            } else {
                h.rsplit_once(':').map_or(h, |(a, _)| a)
            };
            hosts.push(percent_decode(h));
        }
        for pair in query.split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                match k {
                    "host" => hosts.extend(v.split(',').map(percent_decode)),
                    "sslmode" => sslmode = Some(v.to_ascii_lowercase()),
                    _ => {}
                }
            }
        }
    } else {
        // key=value form (`host=db.internal sslmode=require …`); quoted values kept simple.
        for pair in conn.split_whitespace() {
            if let Some((k, v)) = pair.split_once('=') {
                let v = v.trim_matches('\'');
                match k {
                    "host" => hosts.extend(v.split(',').map(str::to_string)),
                    "sslmode" => sslmode = Some(v.to_ascii_lowercase()),
                    _ => {}
                }
            }
        }
    }
    // The PostgreSQL driver knows `disable`, `prefer` and `require`; with `require` the
    // connector verifies the certificate chain and the host name.
    let tls = sslmode.as_deref() == Some("require");
    (hosts, tls)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks a dataset connection (SEC-02): SQLite files always pass; a PostgreSQL connection
/// must require TLS (`sslmode=require`), unless every host is a Unix socket, or loopback when allowed.
///
/// # Errors
/// `Invalid(INSECURE_TARGET)`.
pub fn check_dataset(
    kind: ConnectorKind,
    connection: &str,
    allow_loopback: bool,
) -> Result<(), CoreError> {
    if kind != ConnectorKind::PostgresDataset {
        return Ok(());
    }
    let (hosts, tls) = postgres_target(connection);
    if tls {
        return Ok(());
    }
    let local = |h: &String| h.starts_with('/') || (allow_loopback && is_loopback(h));
    if !hosts.is_empty() && hosts.iter().all(local) {
        return Ok(());
    }
    Err(refused(
        "a PostgreSQL dataset connection without `sslmode=require`",
        allow_loopback,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PG: ConnectorKind = ConnectorKind::PostgresDataset;

    fn code(r: Result<(), CoreError>) -> Option<ErrorCode> {
        match r {
            Ok(()) => None,
            Err(CoreError::Invalid { code, .. }) => Some(code),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn sec_02_webhooks_need_https_but_allowed_loopback() {
        let u = |s: &str| s.parse::<WebhookUrl>().unwrap();
        assert_eq!(
            code(check_webhook(&u("https://hooks.example/x"), false)),
            None
        );
        assert_eq!(
            code(check_webhook(&u("http://hooks.example/x"), true)),
            Some(INSECURE_TARGET)
        );
        assert_eq!(
            code(check_webhook(&u("http://127.0.0.1:8080/x"), false)),
            Some(INSECURE_TARGET)
        );
        for ok in [
            "http://127.0.0.1:8080/x",
            "http://localhost/x",
            "http://[::1]:9/x",
        ] {
            assert_eq!(code(check_webhook(&u(ok), true)), None, "{ok}");
        }
        assert_eq!(
            code(check_webhook(&u("http://127.0.0.1.evil.example/x"), true)),
            Some(INSECURE_TARGET)
        );
    }

    #[test]
    fn sec_02_postgres_datasets_need_tls_but_sockets_and_allowed_loopback() {
        for (conn, allow, ok) in [
            (
                "postgres://u:p@db.internal:5432/shop?sslmode=require",
                false,
                true,
            ),
            ("postgresql://db.internal/shop?sslmode=require", false, true),
            ("host=db.internal dbname=shop sslmode=require", false, true),
            (
                "postgresql://db.internal/shop?sslmode=verify-full",
                false,
                false,
            ),
            ("postgres://u:p@db.internal:5432/shop", true, false),
            (
                "postgres://u:p@db.internal/shop?sslmode=prefer",
                true,
                false,
            ),
            (
                "postgres://u:p@db.internal/shop?sslmode=disable",
                true,
                false,
            ),
            ("host=db.internal dbname=shop", true, false),
            ("postgres://u:p@127.0.0.1:5432/shop", false, false),
            ("postgres://u:p@127.0.0.1:5432/shop", true, true),
            ("postgres://u:p@localhost/shop", true, true),
            ("postgres://u:p@[::1]:5432/shop", true, true),
            ("postgres://u:p@127.0.0.1,db.internal/shop", true, false),
            ("postgres://u@%2Fvar%2Frun%2Fpostgresql/shop", false, true),
            ("postgres://u@/shop?host=/var/run/postgresql", false, true),
            ("host=/tmp dbname=shop", false, true),
            (
                "postgres://u:p@db.internal/shop?host=127.0.0.1",
                true,
                false,
            ),
        ] {
            let got = code(check_dataset(PG, conn, allow));
            assert_eq!(got.is_none(), ok, "{conn} allow={allow}: {got:?}");
        }
        assert_eq!(
            code(check_dataset(
                ConnectorKind::SqliteDataset,
                "/srv/shop.db",
                false
            )),
            None
        );
    }
}
