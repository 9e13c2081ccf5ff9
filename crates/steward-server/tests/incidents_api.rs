//! Incidents and breaches over HTTP (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08): record,
//! assess, the notices with their due times, a late notice that must say why, the gauges,
//! closing, the scope, and an audit trail with ids and codes only. The server's clock is a
//! manual clock starting 2024-03-04T17:00:00Z.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

mod common;

use common::spawn;
use serde_json::json;

fn to(v: &serde_json::Value) -> Vec<String> {
    v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["to"].as_str().unwrap().to_string())
        .collect()
}

fn notice<'a>(v: &'a serde_json::Value, to: &str) -> &'a serde_json::Value {
    v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["to"] == to)
        .unwrap()
}

#[tokio::test]
async fn a_breach_is_recorded_assessed_and_worked_to_its_notices() {
    let s = spawn().await;
    let k = s.key("privacy-team", &["cases"], json!({})).await;
    let body = json!({
        "summary": "support mailbox export left on a public share",
        "discovered_at": "2024-03-04T12:00:00Z",
        "aware_at": "2024-03-04T14:30:00Z",
        "systems": ["support-mailbox"],
        "categories": ["email", "name"],
        "affected": {"DE": 4, "US-CA": 600, "us-nv": 2, "US-TX": 5},
        "records_affected": 900,
    });

    // Refusals first: nothing is recorded.
    let mut bad = body.clone();
    bad["categories"] = json!(["shoe_size"]);
    s.post("/v1/incidents", &k, bad)
        .await
        .problem(422, "UNKNOWN_CATEGORY");
    let mut bad = body.clone();
    bad["affected"] = json!({"Atlantis": 1});
    s.post("/v1/incidents", &k, bad)
        .await
        .problem(422, "BAD_JURISDICTION");
    let mut bad = body.clone();
    bad["discovered_at"] = json!("2024-03-05T12:00:00Z");
    s.post("/v1/incidents", &k, bad)
        .await
        .problem(422, "TIME_IN_FUTURE");
    let mut bad = body.clone();
    bad["aware_at"] = json!("2024-03-04T11:00:00Z");
    s.post("/v1/incidents", &k, bad)
        .await
        .problem(422, "AWARE_BEFORE_DISCOVERED");
    let mut bad = body.clone();
    bad["summary"] = json!("  ");
    s.post("/v1/incidents", &k, bad)
        .await
        .problem(422, "MISSING_FIELD");
    let mut bad = body.clone();
    bad["owner"] = json!("x");
    s.post("/v1/incidents", &k, bad)
        .await
        .problem(422, "INVALID_BODY");
    assert_eq!(
        s.get("/v1/incidents", &k).await.json()["incidents"],
        json!([])
    );

    let r = s.post("/v1/incidents", &k, body.clone()).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let inc = r.json();
    let id = inc["id"].as_str().unwrap().to_string();
    assert_eq!(inc["state"], "open");
    assert_eq!(inc["subjects_affected"], 611);
    assert_eq!(inc["affected"]["US-NV"], 2, "jurisdictions are normalized");
    assert_eq!(inc["notices"], json!([]));
    assert_eq!(inc["next_due_at"], json!(null));

    // A breach needs its risk.
    let path = format!("/v1/incidents/{id}/assess");
    s.post(&path, &k, json!({"breach": true}))
        .await
        .problem(422, "RISK_REQUIRED");
    let r = s
        .post(
            &path,
            &k,
            json!({"breach": true, "risk": "high", "note": "addresses readable by anyone with the link"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let inc = r.json();
    assert_eq!(inc["state"], "breach");
    assert_eq!(inc["assessment"]["risk"], "high");
    assert!(
        inc["assessment"]["by"]
            .as_str()
            .unwrap()
            .starts_with("service:")
    );
    // GDPR-30: 72 hours from awareness; GDPR-31: the people, high risk and not encrypted;
    // CCPA-35 and NV-08: California (its Attorney General: over 500) and Nevada; nothing for
    // Texas (no rule the catalogue names).
    assert_eq!(
        to(&inc),
        [
            "supervisory_authority",
            "data_subjects",
            "state_residents:CA",
            "state_residents:NV",
            "state_regulator:CA",
        ]
    );
    let sa = notice(&inc, "supervisory_authority");
    assert_eq!(sa["due_at"], "2024-03-07T14:30:00Z");
    assert_eq!(sa["statutory"], true);
    assert_eq!(sa["requirement"], "GDPR-30");
    assert_eq!(sa["status"], "open");
    assert_eq!(notice(&inc, "state_residents:NV")["requirement"], "NV-08");
    assert_eq!(notice(&inc, "state_residents:CA")["requirement"], "CCPA-35");
    assert_eq!(inc["next_due_at"], "2024-03-07T14:30:00Z");
    s.post(&path, &k, json!({"breach": false}))
        .await
        .problem(409, "ALREADY_ASSESSED");

    // A second incident, not a breach: documented, no notices, closed at once.
    let mut other = body.clone();
    other["summary"] = json!("laptop lost; disk encrypted, key not on it");
    other["encrypted"] = json!(true);
    let other = s.post("/v1/incidents", &k, other).await.json();
    let other_id = other["id"].as_str().unwrap().to_string();
    s.post(&format!("/v1/incidents/{other_id}/close"), &k, json!({}))
        .await
        .problem(409, "NOT_ASSESSED");
    let r = s
        .post(
            &format!("/v1/incidents/{other_id}/assess"),
            &k,
            json!({"breach": false, "note": "no personal data readable"}),
        )
        .await
        .json();
    assert_eq!(r["state"], "not_breach");
    assert_eq!(r["notices"], json!([]));
    // The list: the incident with a notice due first.
    let list = s.get("/v1/incidents", &k).await.json();
    let ids: Vec<&str> = list["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id.as_str(), other_id.as_str()]);
    let r = s
        .post(&format!("/v1/incidents/{other_id}/close"), &k, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["state"], "closed");

    // Three days later the authority's notice is overdue: the gauges say so, and sending it
    // now needs the reasons for the delay (GDPR-30).
    s.clock.advance(jiff::SignedDuration::from_hours(72));
    let inc = s.get(&format!("/v1/incidents/{id}"), &k).await.json();
    assert_eq!(notice(&inc, "supervisory_authority")["status"], "overdue");
    let admin = s.admin.clone();
    let m = s.get("/metrics", &admin).await.text();
    assert!(m.contains("steward_incident_notices_open 5"), "{m}");
    assert!(m.contains("steward_incident_notices_overdue 2"), "{m}");
    let sa_id = notice(&inc, "supervisory_authority")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sent = format!("/v1/incidents/{id}/notices/{sa_id}/sent");
    s.post(&sent, &k, json!({"what": "BfDI online form, ref 2024-117"}))
        .await
        .problem(422, "DELAY_REASON_REQUIRED");
    s.post(
        &sent,
        &k,
        json!({"what": "x", "sent_at": "2030-01-01T00:00:00Z", "delay_reason": "y"}),
    )
    .await
    .problem(422, "TIME_IN_FUTURE");
    let r = s
        .post(
            &sent,
            &k,
            json!({"what": "BfDI online form, ref 2024-117", "delay_reason": "scope confirmed only after forensic review"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let inc = r.json();
    let sa = notice(&inc, "supervisory_authority");
    assert_eq!(sa["status"], "sent");
    assert_eq!(sa["late"], true);
    assert_eq!(
        sa["delay_reason"],
        "scope confirmed only after forensic review"
    );
    s.post(&sent, &k, json!({"what": "again"}))
        .await
        .problem(409, "ALREADY_SENT");

    // The rest, sent on time (no reason needed), then the incident closes.
    s.post(&format!("/v1/incidents/{id}/close"), &k, json!({}))
        .await
        .problem(409, "NOTICES_OPEN");
    for n in inc["notices"].as_array().unwrap() {
        if n["status"] == "sent" {
            continue;
        }
        let r = s
            .post(
                &format!("/v1/incidents/{id}/notices/{}/sent", n["id"].as_str().unwrap()),
                &k,
                json!({"what": "letter template breach-2024-03", "sent_at": "2024-03-06T10:00:00Z"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let sent_n = notice(&r.json(), n["to"].as_str().unwrap()).clone();
        assert_eq!(sent_n["late"], false, "{sent_n}");
    }
    let r = s
        .post(&format!("/v1/incidents/{id}/close"), &k, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["next_due_at"], json!(null));
    assert_eq!(
        s.get("/v1/incidents", &k).await.json()["incidents"],
        json!([])
    );
    assert_eq!(
        s.get("/v1/incidents?closed=true", &k).await.json()["incidents"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let m = s.get("/metrics", &admin).await.text();
    assert!(m.contains("steward_incident_notices_open 0"), "{m}");

    // Audited with ids and codes; the privacy team's words stay out of the log.
    let a = s.get("/v1/audit?limit=1000", &admin).await.text();
    for action in [
        "incident.record",
        "incident.assess",
        "incident.notice_sent",
        "incident.close",
    ] {
        assert!(a.contains(action), "{action}");
    }
    assert!(!a.contains("public share"));
    assert!(!a.contains("forensic"));
    let v = s.post("/v1/audit/verify", &admin, json!({})).await.json();
    assert_eq!(v["ok"], true, "{v}");
}

#[tokio::test]
async fn incidents_need_the_cases_scope_and_a_service_wide_key() {
    let s = spawn().await;
    let decide = s
        .key("decider", &["decide", "read_pii", "write"], json!({}))
        .await;
    s.get("/v1/incidents", &decide)
        .await
        .problem(403, "MISSING_SCOPE");
    s.post(
        "/v1/incidents",
        &decide,
        json!({"summary": "x", "discovered_at": "2024-03-04T12:00:00Z"}),
    )
    .await
    .problem(403, "MISSING_SCOPE");
    let owner = s.subject("US-CA", "own@example.com").await;
    let acc = s
        .post("/v1/accounts", &s.admin.clone(), json!({"owner_id": owner}))
        .await
        .json();
    let limited = s
        .key(
            "account-cases",
            &["cases"],
            json!({"account_id": acc["id"]}),
        )
        .await;
    let r = s
        .call(
            "GET",
            "/v1/incidents",
            Some(&limited),
            &[("X-Steward-Actor", owner.as_str())],
            None,
            None,
        )
        .await;
    r.problem(403, "ACCOUNT_KEY");
    let k = s.key("privacy-team", &["cases"], json!({})).await;
    s.get("/v1/incidents/0190b7a4-0000-7000-8000-000000000000", &k)
        .await
        .problem(404, "NOT_FOUND");
    s.get("/v1/incidents/nope", &k).await.problem(400, "BAD_ID");
    s.get("/v1/incidents?limit=0", &k)
        .await
        .problem(400, "BAD_QUERY");
}

/// SEC-06, GDPR-30: the alerts list names each breach notice due within 24 hours, then past
/// due, with the incident's id, the notice, to whom and when — nothing the team wrote.
#[tokio::test]
async fn breach_notices_near_due_and_overdue_are_alerted() {
    let s = common::with_fake_requests(spawn().await);
    let k = s.key("privacy-team", &["cases"], json!({})).await;
    let dsr_only = s.key("dsr-desk", &["dsr"], json!({})).await;
    let both = s.key("dsr-and-cases", &["dsr", "cases"], json!({})).await;
    let inc = s
        .post(
            "/v1/incidents",
            &k,
            json!({
                "summary": "backup bucket readable by anyone",
                "discovered_at": "2024-03-04T12:00:00Z",
                "aware_at": "2024-03-04T14:30:00Z",
                "systems": ["backups"],
                "categories": ["email"],
                "affected": {"DE": 40},
            }),
        )
        .await
        .json();
    let id = inc["id"].as_str().unwrap().to_string();
    let inc = s
        .post(
            &format!("/v1/incidents/{id}/assess"),
            &k,
            json!({"breach": true, "risk": "risk"}),
        )
        .await
        .json();
    assert_eq!(to(&inc), ["supervisory_authority"]);
    let sa = notice(&inc, "supervisory_authority")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let incident_alerts = |v: serde_json::Value| -> Vec<serde_json::Value> {
        v["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"].as_str().unwrap().starts_with("INCIDENT_"))
            .cloned()
            .collect()
    };
    // Due 2024-03-07T14:30Z, three days off: no alert yet.
    let a = s.get("/v1/requests/alerts", &both).await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert!(incident_alerts(a.json()).is_empty());

    // 48 hours later it is due within 24 hours: a warning.
    s.clock.advance(jiff::SignedDuration::from_hours(48));
    let a = incident_alerts(s.get("/v1/requests/alerts", &both).await.json());
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0]["kind"], "INCIDENT_NOTICE_NEAR_DUE");
    assert_eq!(a[0]["incident"], id.as_str());
    assert_eq!(a[0]["notice"], sa.as_str());
    assert_eq!(a[0]["notice_to"], "supervisory_authority");
    assert_eq!(a[0]["due_at"], "2024-03-07T14:30:00Z");
    assert_eq!(a[0]["since"], "2024-03-06T14:30:00Z");
    // A `dsr` key without the `cases` scope does not see the incident register.
    let a = s.get("/v1/requests/alerts", &dsr_only).await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert!(incident_alerts(a.json()).is_empty());
    let m = s.get("/metrics", &s.admin).await.text();
    assert!(m.contains("steward_incident_notices_near_due 1"), "{m}");

    // Past its due time: overdue (critical), until it is marked sent.
    s.clock.advance(jiff::SignedDuration::from_hours(24));
    let all = s.get("/v1/requests/alerts", &s.admin).await;
    let body = all.text();
    assert!(!body.contains("backup bucket"), "{body}");
    let a = incident_alerts(all.json());
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0]["kind"], "INCIDENT_NOTICE_OVERDUE");
    assert_eq!(a[0]["incident"], id.as_str());
    assert_eq!(a[0]["since"], "2024-03-07T14:30:00Z");
    let r = s
        .post(
            &format!("/v1/incidents/{id}/notices/{sa}/sent"),
            &k,
            json!({"what": "authority portal", "delay_reason": "scope unclear until the audit"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let a = incident_alerts(s.get("/v1/requests/alerts", &both).await.json());
    assert!(a.is_empty(), "{a:?}");
}

/// The request workflow on fakes whose mailer the test reads, with the company's words for
/// breach notices from the configuration.
fn with_recording_mailer(
    s: &common::Server,
) -> std::sync::Arc<steward_requests::fakes::RecordingMailer> {
    let fakes = steward_requests::fakes::Fakes::new();
    let config = steward_requests::RequestsConfig {
        breach_notices: steward_requests::config::BreachNoticeSettings {
            contact: Some("privacy@example.com".into()),
            dpo: Some("Dana Officer (dpo@example.com)".into()),
            phone: Some("1-800-555-0100".into()),
        },
        ..steward_requests::RequestsConfig::default()
    };
    let r = steward_requests::Requests::new(s.steward.clone(), config, fakes.effects());
    assert!(s.state.set_requests(r));
    fakes.mailer.clone()
}

async fn item(s: &common::Server, subject: &str, category: &str, value: &str) {
    let r = s
        .post(
            "/v1/items",
            &s.admin,
            json!({"subject_id": subject, "category": category, "value": value,
                   "source": "direct:registration", "purpose": "account_registration"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
}

/// SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08: who a breach affects is computed from the store
/// (the subjects with items in its categories, per residency, across jurisdictions), and the
/// people owed a notice are e-mailed once each through the outbox — the Californians a
/// "Notice of Data Breach" under the statute's headings, the EU customer the Art. 34 notice
/// with the DPO — while a person without an address is reported, not dropped, and running
/// the action again sends nothing twice.
#[tokio::test]
async fn the_affected_people_are_computed_and_notified_once() {
    let s = spawn().await;
    let mail = with_recording_mailer(&s);
    let k = s.key("privacy-team", &["cases"], json!({})).await;
    let ca1 = s.subject("US-CA", "ca1@example.com").await;
    let ca2 = s.subject("US-CA", "ca2@example.com").await;
    let de = s.subject("DE", "kunde@example.com").await;
    let nv = s.subject("US-NV", "nv@example.com").await;
    let tx = s.subject("US-TX", "tx@example.com").await;
    let bystander = s.subject("US-CA", "other@example.com").await;
    item(&s, &ca1, "email", "ca1@example.com").await;
    item(&s, &ca2, "email", "ca2@example.com").await;
    item(&s, &de, "email", "kunde@example.com").await;
    item(&s, &nv, "name", "Nevada Resident").await; // affected, but no address on file
    item(&s, &tx, "email", "tx@example.com").await;
    item(&s, &bystander, "phone", "+1 555 0199").await; // not in the incident's categories

    let body = json!({
        "summary": "customer table exported by a misconfigured job",
        "discovered_at": "2024-03-04T12:00:00Z",
        "categories": ["email", "name"],
        "compute_affected": {},
    });
    let mut bad = body.clone();
    bad["affected"] = json!({"DE": 1});
    s.post("/v1/incidents", &k, bad)
        .await
        .problem(422, "AFFECTED_TYPED_AND_COMPUTED");
    let mut bad = body.clone();
    bad["recipients"] = json!(["no_such_processor"]);
    s.post("/v1/incidents", &k, bad)
        .await
        .problem(422, "UNKNOWN_RECIPIENT");
    let r = s.post("/v1/incidents", &k, body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let inc = r.json();
    let id = inc["id"].as_str().unwrap().to_string();
    assert_eq!(inc["affected_source"], "computed");
    assert_eq!(
        inc["affected"],
        json!({"DE": 1, "US-CA": 2, "US-NV": 1, "US-TX": 1})
    );
    assert_eq!(inc["subjects_affected"], 5);
    assert_eq!(inc["affected_computed_at"], "2024-03-04T17:00:00Z");

    // The list of the people (ids only), for the notices.
    let people = s
        .get(&format!("/v1/incidents/{id}/affected"), &k)
        .await
        .json();
    let mut got: Vec<&str> = people["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["subject_id"].as_str().unwrap())
        .collect();
    got.sort_unstable();
    let mut want = vec![
        ca1.as_str(),
        ca2.as_str(),
        de.as_str(),
        nv.as_str(),
        tx.as_str(),
    ];
    want.sort_unstable();
    assert_eq!(got, want);
    assert!(!people.to_string().contains("@example.com"));

    let notify = format!("/v1/incidents/{id}/notify-people");
    let words = json!({
        "what_happened": "A scheduled export copied our customer table to a storage bucket that was readable from the internet.",
        "consequences": "Someone could use your e-mail address to send you convincing phishing messages.",
        "measures": "We closed the bucket, deleted the copy and changed how exports are reviewed.",
        "occurred": "between March 1 and March 3, 2024",
    });
    s.post(&notify, &k, words.clone())
        .await
        .problem(409, "NOT_ASSESSED");
    let inc = s
        .post(
            &format!("/v1/incidents/{id}/assess"),
            &k,
            json!({"breach": true, "risk": "high"}),
        )
        .await
        .json();
    assert_eq!(
        to(&inc),
        [
            "supervisory_authority",
            "data_subjects",
            "state_residents:CA",
            "state_residents:NV"
        ]
    );
    let mut bad = words.clone();
    bad["consequences"] = json!("  ");
    s.post(&notify, &k, bad)
        .await
        .problem(422, "NOTICE_TEXT_REQUIRED");
    let dsr = s.key("dsr-desk", &["dsr"], json!({})).await;
    s.post(&notify, &dsr, words.clone())
        .await
        .problem(403, "MISSING_SCOPE");

    let r = s.post(&notify, &k, words.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let out = r.json();
    assert_eq!(
        out["queued"],
        json!({"data_subjects": 1, "state_residents:CA": 2})
    );
    assert_eq!(out["without_address"], json!([nv]));
    assert_eq!(out["not_owed"], 1, "Texas: no rule the catalogue names");
    assert_eq!(out["already_notified"], 0);
    let inc = &out["incident"];
    for n in ["data_subjects", "state_residents:CA"] {
        let n = notice(inc, n);
        assert_eq!(n["status"], "sent", "{n}");
        assert_eq!(n["sent_at"], "2024-03-04T17:00:00Z");
    }
    assert!(
        notice(inc, "state_residents:CA")["sent_what"]
            .as_str()
            .unwrap()
            .starts_with("2 notices queued")
    );
    // Nobody in Nevada could be e-mailed: that notice stays open, and the report said why.
    assert_eq!(notice(inc, "state_residents:NV")["status"], "open");
    assert_eq!(inc["people_notices"]["queued_total"], 3);
    assert_eq!(inc["people_notices"]["without_address"], 1);

    // The delivery pass sends them: one each, in the form their law asks.
    let report = s.state.requests().unwrap().deliver_due().await.unwrap();
    assert_eq!(report.messages_sent, 3);
    let sent = mail.sent();
    assert_eq!(sent.len(), 3);
    let to_addr = |a: &str| {
        sent.iter()
            .find(|m| m.email.to.expose() == a)
            .unwrap_or_else(|| panic!("nothing sent to {a}"))
    };
    for a in ["ca1@example.com", "ca2@example.com"] {
        let m = to_addr(a);
        assert!(
            m.email.subject.ends_with("Notice of Data Breach"),
            "{}",
            m.email.subject
        );
        let text = m.email.body.expose();
        assert!(text.starts_with("NOTICE OF DATA BREACH"), "{text}");
        let mut at = 0;
        for heading in [
            "What Happened",
            "What Information Was Involved",
            "What We Are Doing",
            "What You Can Do",
            "For More Information",
        ] {
            let i = text[at..]
                .find(&format!("\n{heading}\n"))
                .unwrap_or_else(|| panic!("no heading `{heading}` (in order) in {text}"));
            at += i + heading.len();
        }
        assert!(text.contains("E-mail address"), "{text}");
        assert!(text.contains("between March 1 and March 3, 2024"), "{text}");
        assert!(text.contains("privacy@example.com") && text.contains("1-800-555-0100"));
        assert!(text.contains("We closed the bucket"), "{text}");
    }
    let m = to_addr("kunde@example.com");
    let text = m.email.body.expose();
    assert!(!text.contains("NOTICE OF DATA BREACH"), "{text}");
    for part in [
        "A scheduled export copied",
        "convincing phishing messages",
        "We closed the bucket",
        "Dana Officer (dpo@example.com)",
        "supervisory authority",
    ] {
        assert!(text.contains(part), "GDPR Art. 34(2): `{part}` in {text}");
    }
    assert!(
        !sent.iter().any(|m| m.email.to.expose() == "tx@example.com"),
        "no notice is owed in Texas"
    );

    // Again: nobody is told twice; the person without an address is reported again.
    let again = s.post(&notify, &k, words).await.json();
    assert_eq!(again["queued"], json!({}));
    assert_eq!(again["already_notified"], 3);
    assert_eq!(again["without_address"], json!([nv]));
    s.state.requests().unwrap().deliver_due().await.unwrap();
    assert_eq!(mail.sent().len(), 3);
    let pending = s
        .get(&format!("/v1/incidents/{id}/affected?pending=true"), &k)
        .await
        .json();
    assert_eq!(pending["people"].as_array().unwrap().len(), 2);

    // Audited with counts and ids; no address, no words of the notice.
    let a = s.get("/v1/audit?limit=1000", &s.admin).await.text();
    for action in ["incident.compute_affected", "incident.notify_people"] {
        assert!(a.contains(action), "{action}");
    }
    assert!(!a.contains("@example.com"));
    assert!(!a.contains("phishing"));
    let v = s.post("/v1/audit/verify", &s.admin, json!({})).await.json();
    assert_eq!(v["ok"], true, "{v}");
}

/// Typed counts stay possible for an incident outside the vault; notifying the people then
/// needs the computation, and the action needs the request workflow's outbox.
#[tokio::test]
async fn typed_counts_name_no_one_and_notices_need_the_outbox() {
    let s = spawn().await;
    let k = s.key("privacy-team", &["cases"], json!({})).await;
    let inc = s
        .post(
            "/v1/incidents",
            &k,
            json!({"summary": "paper files lost", "discovered_at": "2024-03-04T12:00:00Z",
                   "affected": {"US-CA": 3}}),
        )
        .await
        .json();
    assert_eq!(inc["affected_source"], "typed");
    let id = inc["id"].as_str().unwrap().to_string();
    s.post(
        &format!("/v1/incidents/{id}/assess"),
        &k,
        json!({"breach": true, "risk": "high"}),
    )
    .await;
    // GDPR Art. 33(2): a processor tells its controller of any breach, whatever the risk.
    let held = s
        .post(
            "/v1/incidents",
            &k,
            json!({"summary": "a Customer's address book exposed", "discovered_at": "2024-03-04T12:00:00Z",
                   "affected": {"US-TX": 3}, "processor": true}),
        )
        .await
        .json();
    let held = s
        .post(
            &format!("/v1/incidents/{}/assess", held["id"].as_str().unwrap()),
            &k,
            json!({"breach": true, "risk": "unlikely"}),
        )
        .await
        .json();
    assert_eq!(to(&held), ["controller"]);
    assert_eq!(notice(&held, "controller")["citation"], "GDPR Art. 33(2)");
    assert_eq!(
        notice(&held, "controller")["due_at"],
        "2024-03-05T12:00:00Z"
    );
    let words = json!({"what_happened": "x", "consequences": "y", "measures": "z"});
    let notify = format!("/v1/incidents/{id}/notify-people");
    s.post(&notify, &k, words.clone())
        .await
        .problem(503, "REQUESTS_UNAVAILABLE");
    let _mail = with_recording_mailer(&s);
    s.post(&notify, &k, words)
        .await
        .problem(409, "AFFECTED_NOT_COMPUTED");
    s.post(
        &format!("/v1/incidents/{id}/affected/compute"),
        &k,
        json!({}),
    )
    .await
    .problem(422, "NOTHING_TO_COMPUTE");
    s.post(
        &format!("/v1/incidents/{id}/affected/compute"),
        &k,
        json!({"until": "yesterday"}),
    )
    .await
    .problem(422, "BAD_FIELD");
}
