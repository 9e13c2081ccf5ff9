//! The outbox over SMTP (a minimal SMTP server on 127.0.0.1:0 speaks the protocol) and the
//! `[requests]` configuration: keys validated with the key named, the SMTP password only
//! through an environment variable, secrets never in `Debug`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use steward_requests::RequestsConfig;
use steward_requests::outbox::{Email, Outbox, OutboxConfig, SmtpSettings, SmtpTls};
use steward_store::ids::MessageId;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Accepts one SMTP session and returns the DATA it received.
async fn smtp_server() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let g = got.clone();
    tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        let (r, mut w) = sock.into_split();
        let mut lines = BufReader::new(r).lines();
        w.write_all(b"220 test ESMTP\r\n").await.unwrap();
        let mut data = String::new();
        let mut in_data = false;
        while let Ok(Some(line)) = lines.next_line().await {
            if in_data {
                if line == "." {
                    in_data = false;
                    g.lock().unwrap().push(std::mem::take(&mut data));
                    w.write_all(b"250 queued\r\n").await.unwrap();
                } else {
                    data.push_str(&line);
                    data.push('\n');
                }
                continue;
            }
            let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250-test\r\n250 8BITMIME\r\n",
                "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
                "DATA" => {
                    in_data = true;
                    b"354 go ahead\r\n"
                }
                "QUIT" => {
                    w.write_all(b"221 bye\r\n").await.unwrap();
                    return;
                }
                _ => b"502 no\r\n",
            };
            w.write_all(reply).await.unwrap();
        }
    });
    (port, got)
}

#[tokio::test]
async fn messages_go_out_over_smtp_when_configured() {
    let (port, got) = smtp_server().await;
    let outbox = Outbox::new(
        &OutboxConfig::Smtp(SmtpSettings {
            host: "127.0.0.1".into(),
            port: Some(port),
            user: None,
            password: None,
            tls: SmtpTls::None,
        }),
        "privacy@stamps.example",
    )
    .unwrap();
    outbox
        .send(
            MessageId::generate(),
            "2024-03-04T17:00:00Z".parse().unwrap(),
            &Email {
                to: "jane@example.com".to_string().into(),
                subject: "Your code".into(),
                body: "Your code is 123456".to_string().into(),
            },
        )
        .await
        .unwrap();
    let data = got.lock().unwrap().join("");
    assert!(data.contains("To: jane@example.com"), "{data}");
    assert!(data.contains("Subject: Your code"));
    assert!(data.contains("Your code is 123456"));
}

#[tokio::test]
async fn a_refusing_relay_is_a_coded_error_without_content() {
    // Nothing listens there: the message stays queued with a code.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let outbox = Outbox::new(
        &OutboxConfig::Smtp(SmtpSettings {
            host: "127.0.0.1".into(),
            port: Some(port),
            user: None,
            password: None,
            tls: SmtpTls::None,
        }),
        "privacy@stamps.example",
    )
    .unwrap();
    let e = outbox
        .send(
            MessageId::generate(),
            "2024-03-04T17:00:00Z".parse().unwrap(),
            &Email {
                to: "jane@example.com".to_string().into(),
                subject: "x".into(),
                body: "secret 123456".to_string().into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.0, "SMTP_SEND");
    assert!(!format!("{e:?} {e}").contains("jane"));
}

#[test]
fn requests_config_is_validated_and_keeps_secrets_out() {
    let dir = std::path::Path::new("/tmp/steward-data");
    let parse = |text: &str| RequestsConfig::from_toml(&toml::from_str(text).unwrap(), dir);
    let c = parse(
        r#"
        from = "privacy@stamps.example"
        code_ttl_minutes = 15
        auto_approve = ["access", "portability"]
        [calendar]
        time_zone = "America/New_York"
        holidays = ["2024-07-04"]
        [webhooks]
        max_attempts = 3
        "#,
    )
    .unwrap();
    assert_eq!(c.code_ttl, jiff::SignedDuration::from_mins(15));
    assert_eq!(c.auto_approve.len(), 2);
    assert_eq!(c.webhooks.max_attempts, 3);
    assert_eq!(c.calendar.time_zone_name(), "America/New_York");
    assert!(matches!(c.outbox, OutboxConfig::File(ref p) if p.ends_with("outbox")));
    for (text, key) in [
        ("code_ttl_minutes = 0", "code_ttl_minutes"),
        ("auto_approve = [\"teleport\"]", "auto_approve"),
        ("colour = \"blue\"", "colour"),
        (
            "[smtp]\nhost = \"h\"\npassword = \"hunter2\"",
            "smtp.password",
        ),
        (
            "[smtp]\nhost = \"h\"\npassword_env = \"STEWARD_TEST_NO_SUCH_VARIABLE\"",
            "smtp.password_env",
        ),
        ("[webhooks]\nretries = 3", "webhooks.retries"),
    ] {
        match parse(text) {
            Err(steward_core::CoreError::Invalid { code, message }) => {
                assert_eq!(code, "BAD_REQUESTS_CONFIG");
                assert!(message.contains(key), "{text}: {message}");
                assert!(!message.contains("hunter2"));
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    // Any variable set in the test's environment stands in for the password (PATH is).
    let secret = std::env::var("PATH").unwrap();
    let c =
        parse("[smtp]\nhost = \"smtp.example.com\"\nuser = \"steward\"\npassword_env = \"PATH\"")
            .unwrap();
    let dbg = format!("{c:?}");
    assert!(
        dbg.contains("smtp.example.com") && dbg.contains("[redacted]"),
        "{dbg}"
    );
    assert!(!dbg.contains(&secret), "the password is never printed");
}
