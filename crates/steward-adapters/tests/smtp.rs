//! The SMTP mailer against a minimal SMTP server on 127.0.0.1:0 that speaks the protocol:
//! a message goes out with its headers and text; a relay that cannot be reached is a coded
//! error that carries no content; the password never shows in `Debug`.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use std::sync::{Arc, Mutex};

use steward_adapters::{SmtpMailer, SmtpSettings};
use steward_requests::config::SmtpTls;
use steward_requests::{Email, Mailer};
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
    let outbox = SmtpMailer::new(
        &SmtpSettings {
            host: "127.0.0.1".into(),
            port: Some(port),
            user: None,
            password: None,
            tls: SmtpTls::None,
        },
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
    let outbox = SmtpMailer::new(
        &SmtpSettings {
            host: "127.0.0.1".into(),
            port: Some(port),
            user: None,
            password: None,
            tls: SmtpTls::None,
        },
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
    assert_eq!(e.code(), "SMTP_SEND");
    assert!(!format!("{e:?} {e}").contains("jane"));
}

#[test]
fn smtp_settings_never_print_the_password() {
    let s = SmtpSettings {
        host: "smtp.example.com".into(),
        port: Some(587),
        user: Some("steward".into()),
        password: Some("hunter2".into()),
        tls: SmtpTls::Starttls,
    };
    let dbg = format!("{s:?}");
    assert!(
        dbg.contains("smtp.example.com") && dbg.contains("[redacted]"),
        "{dbg}"
    );
    assert!(!dbg.contains("hunter2"));
    assert_eq!(
        SmtpMailer::new(&s, "nobody").unwrap_err().code(),
        "BAD_FROM_ADDRESS"
    );
}
