//! The policy history over HTTP (CHG-01, CHG-05): recorded versions listed newest first with
//! their status, one version with its change summary and text, the staleness gauge; the real
//! server on 127.0.0.1:0 with a fresh SQLite store and a manual clock (2024-03-04).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::spawn;
use steward_server::PolicySource;

/// The shipped policy with another version string and effective date.
fn redated(date: &str) -> String {
    PolicySource::shipped()
        .text
        .replacen(
            "version = \"2020-01-17\"",
            &format!("version = \"{date}\""),
            1,
        )
        .replacen(
            "effective = \"2020-01-17\"",
            &format!("effective = \"{date}\""),
            1,
        )
}

#[tokio::test]
async fn chg01_versions_are_listed_and_shown_with_their_changes() {
    let s = spawn().await;
    let shipped = PolicySource::shipped().text;
    let in_force = s.steward.engine();
    // Nothing recorded yet: an empty list, and an unknown version is a 404 problem.
    let r = s.get("/v1/policy/versions", &s.admin).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["versions"], serde_json::json!([]));
    s.get("/v1/policy/versions/2020-01-17", &s.admin)
        .await
        .problem(404, "NOT_FOUND");

    let first = s
        .steward
        .record_policy_version(&shipped, &in_force)
        .await
        .unwrap();
    // Recording the same text again (a restart, another replica) changes nothing.
    s.tick();
    let again = s
        .steward
        .record_policy_version(&shipped, &in_force)
        .await
        .unwrap();
    assert_eq!(again, first);

    // A future-dated text: recorded, listed as scheduled.
    let next = redated("2031-01-01");
    let loaded = steward_policy::load("next.toml", &next).unwrap();
    s.tick();
    s.steward
        .record_policy_version(&next, &loaded.engine)
        .await
        .unwrap();

    let list = s.get("/v1/policy/versions", &s.admin).await.json();
    let versions = list["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{list}");
    assert_eq!(versions[0]["version"], "2031-01-01");
    assert_eq!(versions[0]["status"], "scheduled");
    assert_eq!(versions[0]["stale"], false);
    assert_eq!(versions[1]["version"], "2020-01-17");
    assert_eq!(versions[1]["effective"], "2020-01-17");
    assert_eq!(versions[1]["status"], "in_force");
    // CHG-05: in force since 2020-01-17, and the clock says 2024.
    assert_eq!(versions[1]["stale"], true);
    let hex: String = ring::digest::digest(&ring::digest::SHA256, shipped.as_bytes())
        .as_ref()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect();
    assert_eq!(versions[1]["sha256"], hex);

    let one = s.get("/v1/policy/versions/2020-01-17", &s.admin).await;
    assert_eq!(one.status, 200, "{}", one.text());
    let one = one.json();
    assert_eq!(one["text"], shipped);
    assert_eq!(one["changes"], serde_json::json!([]));
    assert_eq!(one["summary"]["status"], "in_force");

    let two = s
        .get("/v1/policy/versions/2031-01-01", &s.admin)
        .await
        .json();
    assert_eq!(two["text"], next);
    let changes = two["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "policy" && c["what"].as_str().unwrap().contains("2031-01-01")),
        "{two}"
    );
    assert_eq!(
        two["summary"]["material"], false,
        "a re-dating is not material"
    );

    // Authenticated like the policy itself.
    s.call("GET", "/v1/policy/versions", None, &[], None, None)
        .await
        .problem(401, "UNAUTHORIZED");

    // CHG-05 on /metrics, naming the version in force.
    let m = s.get("/metrics", &s.admin).await.text();
    assert!(
        m.contains("steward_policy_stale{version=\"2020-01-17\"} 1"),
        "{m}"
    );
}

/// v2 of the shipped policy: a new purpose for e-mail addresses (material: needs notice, and
/// fresh consent from EU subjects).
fn with_new_purpose() -> String {
    steward_policy::patch::apply(
        &PolicySource::shipped().text,
        r#"
[policy]
version = "2024-03-01"
effective = "2024-03-01"

[[purpose]]
id = "product_research"
name = "Research new products with the e-mail addresses of customers"
categories = ["email"]
legal_basis = { gdpr = "consent", ccpa = "business_purpose" }
consent = { eu = "opt_in", us = "opt_out", other = "opt_out" }
clause = "2(b) To Improve Services and Develop New Services"
requirements = ["CHG-03"]
"#,
    )
    .unwrap()
}

#[tokio::test]
async fn chg03_data_from_v1_waits_for_the_notice_of_v2() {
    let s = spawn().await;
    let shipped = PolicySource::shipped().text;
    s.steward
        .record_policy_version(&shipped, &s.steward.engine())
        .await
        .unwrap();
    let id = s.subject("US-TX", "ann@example.com").await;
    let r = s
        .post(
            "/v1/items",
            &s.admin,
            serde_json::json!({"subject_id": id, "category": "email", "value": "ann@example.com",
                   "source": "direct:registration", "purpose": "account_registration"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let item = r.json()["item"]["id"].as_str().unwrap().to_string();
    // CHG-02: the item shows the version it was collected under.
    assert_eq!(r.json()["item"]["policy_version"], "2020-01-17");

    let v2 = with_new_purpose();
    let engine = steward_policy::load("v2.toml", &v2).unwrap().engine;
    s.tick();
    s.steward.record_policy_version(&v2, &engine).await.unwrap();
    s.state.install_policy(
        PolicySource {
            name: "v2.toml".into(),
            text: v2,
        },
        std::sync::Arc::new(engine),
    );

    let read = format!("/v1/items/{item}?purpose=product_research");
    let p = s.get(&read, &s.admin).await.problem(403, "DENIED");
    assert_eq!(p["decision"]["reason"], "NOTICE_REQUIRED");
    assert!(
        p["decision"]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "CHG-03"),
        "{p}"
    );

    // Queue the notices of v2: the e-mail holder is concerned, once.
    let mail_only = s.key("mailer", &["mail"], serde_json::json!({})).await;
    s.post(
        "/v1/policy/versions/2024-03-01/notices",
        &mail_only,
        serde_json::json!({}),
    )
    .await
    .problem(403, "MISSING_SCOPE");
    let q = s
        .post(
            "/v1/policy/versions/2024-03-01/notices",
            &s.admin,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(q.status, 200, "{}", q.text());
    assert_eq!(q.json()["queued"], 1);
    let q = s
        .post(
            "/v1/policy/versions/2024-03-01/notices",
            &s.admin,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(q.json()["queued"], 0, "once per person per version");
    s.post(
        "/v1/policy/versions/1999-01-01/notices",
        &s.admin,
        serde_json::json!({}),
    )
    .await
    .problem(404, "NOT_FOUND");

    let list = s
        .get(&format!("/v1/subjects/{id}/policy-notices"), &s.admin)
        .await
        .json();
    assert_eq!(list["notices"][0]["version"], "2024-03-01");
    assert!(list["notices"][0].get("sent_at").is_none(), "{list}");

    // The company's mailer reports it sent (scope `mail`): the old data may now serve v2.
    let sent = s
        .post(
            &format!("/v1/subjects/{id}/policy-notices/2024-03-01/sent"),
            &mail_only,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert!(sent.json()["notices"][0]["sent_at"].is_string());
    let r = s.get(&read, &s.admin).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

/// The shipped policy with SP_EMAIL's DPF certification ended 2024-02-29 (expired at the
/// test clock, 2024-03-04) and SP_SMS's contract ending 2024-03-20 (within 30 days).
pub fn with_expiries() -> String {
    steward_policy::patch::apply(
        &PolicySource::shipped().text,
        r#"
[[recipient]]
id = "SP_EMAIL"
transfer = [{ mechanism = "dpf", until = "2024-02-29" }, { mechanism = "scc", decision = "2021/914", tia_done = true }]

[[recipient]]
id = "SP_SMS"
contract = { id = "DPA-SMS-2019", effective = "2019-01-01", expires = "2024-03-20", clauses = ["confidentiality", "on_behalf_only", "instructions_only", "no_other_purposes", "security", "subprocessors", "dsr_assist", "art32_36_assist", "delete_return", "audit", "no_sell_share", "purpose_limited", "no_outside_relationship", "no_combine", "comply", "audit_rights", "notify_noncompliance", "remediation"] }
"#,
    )
    .unwrap()
}

fn alerts_of_kind(alerts: &serde_json::Value, kind: &str) -> Vec<serde_json::Value> {
    alerts["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == kind)
        .cloned()
        .collect()
}

#[tokio::test]
async fn dpf02_sp04_expired_and_expiring_mechanisms_and_contracts_are_alerted() {
    let s = common::with_fake_requests(spawn().await);
    // The shipped policy: its certifications run to 2027, nothing expires.
    let alerts = s.get("/v1/requests/alerts", &s.admin).await;
    assert_eq!(alerts.status, 200, "{}", alerts.text());
    let alerts = alerts.json();
    assert!(
        !alerts.to_string().contains("POLICY_TRANSFER_")
            && !alerts.to_string().contains("POLICY_CONTRACT_"),
        "{alerts}"
    );
    let m = s.get("/metrics", &s.admin).await.text();
    assert!(
        m.contains("steward_policy_expired{kind=\"transfer\"} 0"),
        "{m}"
    );
    assert!(
        m.contains("steward_policy_expiring{kind=\"contract\"} 0"),
        "{m}"
    );

    let text = with_expiries();
    let engine = steward_policy::load("expiring.toml", &text).unwrap().engine;
    s.state.install_policy(
        PolicySource {
            name: "expiring.toml".into(),
            text,
        },
        std::sync::Arc::new(engine),
    );

    let alerts = s.get("/v1/requests/alerts", &s.admin).await.json();
    let expired = alerts_of_kind(&alerts, "POLICY_TRANSFER_EXPIRED");
    assert_eq!(expired.len(), 1, "{alerts}");
    assert_eq!(expired[0]["recipient"], "SP_EMAIL");
    assert_eq!(expired[0]["mechanism"], "dpf");
    assert_eq!(expired[0]["until"], "2024-02-29");
    assert_eq!(expired[0]["since"], "2024-03-01T00:00:00Z");
    assert_eq!(expired[0]["policy_version"], "2020-01-17");
    assert!(expired[0].get("contract").is_none(), "{alerts}");
    let expiring = alerts_of_kind(&alerts, "POLICY_CONTRACT_EXPIRING");
    assert_eq!(expiring.len(), 1, "{alerts}");
    assert_eq!(expiring[0]["recipient"], "SP_SMS");
    assert_eq!(expiring[0]["contract"], "DPA-SMS-2019");
    assert_eq!(expiring[0]["until"], "2024-03-20");
    // The warning began 30 days before the first day without the contract.
    assert_eq!(expiring[0]["since"], "2024-02-20T00:00:00Z");
    assert!(alerts_of_kind(&alerts, "POLICY_TRANSFER_EXPIRING").is_empty());
    assert!(alerts_of_kind(&alerts, "POLICY_CONTRACT_EXPIRED").is_empty());
    // The stale-policy alert is still there beside them.
    assert_eq!(alerts_of_kind(&alerts, "POLICY_STALE").len(), 1, "{alerts}");

    let m = s.get("/metrics", &s.admin).await.text();
    for line in [
        "steward_policy_expired{kind=\"transfer\"} 1",
        "steward_policy_expired{kind=\"contract\"} 0",
        "steward_policy_expiring{kind=\"transfer\"} 0",
        "steward_policy_expiring{kind=\"contract\"} 1",
        "# TYPE steward_policy_expired gauge",
    ] {
        assert!(m.contains(line), "{line}\n{m}");
    }

    // The injected clock moves past the contract's last day: expired too.
    s.clock.advance(jiff::SignedDuration::from_hours(17 * 24));
    let alerts = s.get("/v1/requests/alerts", &s.admin).await.json();
    let expired = alerts_of_kind(&alerts, "POLICY_CONTRACT_EXPIRED");
    assert_eq!(expired.len(), 1, "{alerts}");
    assert_eq!(expired[0]["since"], "2024-03-21T00:00:00Z");
    assert!(alerts_of_kind(&alerts, "POLICY_CONTRACT_EXPIRING").is_empty());
    let m = s.get("/metrics", &s.admin).await.text();
    assert!(
        m.contains("steward_policy_expired{kind=\"contract\"} 1"),
        "{m}"
    );
}
