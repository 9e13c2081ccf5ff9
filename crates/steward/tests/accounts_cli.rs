//! `steward accounts …` on a fresh data directory: open an account for an imported customer,
//! see the policy's agreements unaccepted, accept the undertaking (a wrong version is a usage
//! error, an unknown account a failure), and see it recorded (CUST-01, USPSPA-01).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step fails the test"
)]

use std::process::{Command, Output};

fn steward(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn open_an_account_and_record_its_undertaking() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("p.csv"),
        "ref,kind,jurisdiction,email\nc1,customer_account_holder,US-CA,shipper@example.com\n",
    )
    .unwrap();
    let o = steward(d, &["import", "p.csv"]);
    assert!(o.status.success(), "{}", text(&o));

    // Nobody to hold it: a usage error.
    let o = steward(d, &["accounts", "open"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(d, &["accounts", "open", "--email", "nobody@example.com"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(d, &["accounts", "open", "--email", "shipper@example.com"]);
    assert!(o.status.success(), "{}", text(&o));
    let account = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert_eq!(account.len(), 36, "{account}");
    assert!(
        !text(&o).contains("shipper@"),
        "the address is never printed"
    );

    let o = steward(d, &["accounts", "agreements", &account]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("customer_undertaking"), "{t}");
    assert!(t.contains("NOT ACCEPTED"), "{t}");
    assert!(t.contains("0 acceptance(s) recorded"), "{t}");

    // A version that is not the text shown now, an agreement the policy does not declare:
    // usage errors. An account that does not exist: a failure.
    let o = steward(
        d,
        &[
            "accounts",
            "accept",
            &account,
            "customer_undertaking",
            "--text-version",
            "cust-0",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("AGREEMENT_VERSION_NOT_CURRENT"),
        "{}",
        text(&o)
    );
    let o = steward(d, &["accounts", "accept", &account, "terms_of_sale"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("UNKNOWN_AGREEMENT"), "{}", text(&o));
    let o = steward(
        d,
        &[
            "accounts",
            "accept",
            "0190b7a4-0000-7000-8000-000000000000",
            "customer_undertaking",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(d, &["accounts", "agreements", "not-an-id"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    let o = steward(
        d,
        &[
            "accounts",
            "accept",
            &account,
            "customer_undertaking",
            "--text-version",
            "cust-1",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let rec: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rec["agreement"], "customer_undertaking");
    assert_eq!(rec["version"], "cust-1");
    assert_eq!(rec["account_id"], account.as_str());
    assert_eq!(rec["text_sha256"].as_str().unwrap().len(), 64);

    let o = steward(d, &["accounts", "agreements", &account, "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list["agreements"][0]["agreement"], "customer_undertaking");
    assert_eq!(list["agreements"][0]["accepted"], true, "{list}");
    assert_eq!(list["agreements"][1]["accepted"], false, "{list}");
    assert_eq!(list["acceptances"].as_array().unwrap().len(), 1);

    // The acceptance is in the audit log, whose chain verifies.
    let o = steward(d, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn administrator_access_is_granted_with_the_warning_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("p.csv"),
        "ref,kind,jurisdiction,email\nc1,customer_account_holder,US-CA,holder@example.com\nc2,authorized_user,US-CA,helper@example.com\n",
    )
    .unwrap();
    let o = steward(d, &["import", "p.csv"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(d, &["accounts", "open", "--email", "holder@example.com"]);
    assert!(o.status.success(), "{}", text(&o));
    let account = String::from_utf8_lossy(&o.stdout).trim().to_string();

    // ADMIN-03: no acknowledgement, no grant; the policy's warning is shown.
    let o = steward(
        d,
        &[
            "accounts",
            "grant",
            &account,
            "--email",
            "helper@example.com",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("Please be careful to whom you grant administrator access"),
        "{}",
        text(&o)
    );
    let o = steward(
        d,
        &[
            "accounts",
            "grant",
            &account,
            "--email",
            "helper@example.com",
            "--permissions",
            "view_pi,fly",
            "--warning-acknowledged",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "accounts",
            "grant",
            &account,
            "--email",
            "helper@example.com",
            "--permissions",
            "view_pi",
            "--warning-acknowledged",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(g["permissions"], serde_json::json!(["view_pi"]), "{g}");
    let grant = g["id"].as_str().unwrap().to_string();

    let o = steward(d, &["accounts", "grants", &account]);
    let t = text(&o);
    assert!(o.status.success() && t.contains("active"), "{t}");
    assert!(!t.contains("helper@"), "the address is never printed");

    let o = steward(d, &["accounts", "revoke", &account, &grant]);
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(d, &["accounts", "grants", &account]);
    assert!(text(&o).contains("revoked"), "{}", text(&o));
}

/// CARRIER-01, CARRIER-02: a carrier is selected only after the carrier notice (a runtime
/// refusal), a recipient that is not a carrier is a usage error, and a selection is listed
/// and withdrawn, kept with its withdrawal.
#[test]
fn a_carrier_is_selected_after_the_notice_and_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("p.csv"),
        "ref,kind,jurisdiction,email\nc1,customer_account_holder,US-NY,ships@example.com\n",
    )
    .unwrap();
    assert!(steward(d, &["import", "p.csv"]).status.success());
    let o = steward(d, &["accounts", "open", "--email", "ships@example.com"]);
    assert!(o.status.success(), "{}", text(&o));
    let account = String::from_utf8_lossy(&o.stdout).trim().to_string();

    let o = steward(d, &["accounts", "select-carrier", &account, "CAR_UPS"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("accept `carrier_notice` for the account"),
        "{}",
        text(&o)
    );
    let o = steward(d, &["accounts", "accept", &account, "carrier_notice"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(d, &["accounts", "select-carrier", &account, "MP1"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = steward(
        d,
        &[
            "accounts",
            "select-carrier",
            &account,
            "CAR_UPS",
            "--shipment",
            "ship-7",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let sel: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(sel["carrier"], "CAR_UPS");
    assert_eq!(sel["shipment"], "ship-7");
    let id = sel["id"].as_str().unwrap().to_string();

    let o = steward(d, &["accounts", "carriers", &account]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("CAR_UPS") && text(&o).contains("active"),
        "{}",
        text(&o)
    );
    let o = steward(d, &["accounts", "withdraw-carrier", &account, &id]);
    assert!(o.status.success(), "{}", text(&o));
    let o = steward(d, &["accounts", "carriers", &account, "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list["carriers"][0]["active"], false, "{list}");
    assert!(steward(d, &["audit", "verify"]).status.success());
}
