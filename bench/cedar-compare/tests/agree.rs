//! The comparison is honest only if both engines decide the same: Steward and
//! the Cedar encoding agree (allow/deny) on every benchmark request, Steward
//! gives the expected reason code, and Cedar evaluates without errors.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test and benchmark code: a failed step fails the run")]

#[test]
fn steward_and_cedar_agree_on_every_benchmark_request() {
    let w = cedar_compare::setup().unwrap();
    let verdicts = match w.check() {
        Ok(v) => v,
        Err(problems) => panic!("disagreements:\n{}", problems.join("\n")),
    };
    assert_eq!(verdicts.len(), 10);
    // Both outcomes are represented, so agreement is not trivially "all deny".
    assert!(verdicts.iter().any(|v| v.steward_allow));
    assert!(verdicts.iter().any(|v| !v.steward_allow));
}

#[test]
fn the_cedar_encoding_denies_for_the_reason_steward_gives() {
    let w = cedar_compare::setup().unwrap();
    let by_id = |id: &str| {
        let i = w.cases.iter().position(|c| c.id == id).unwrap();
        w.verdicts().swap_remove(i)
    };
    // USPS-02, USPS-03: the lock decides, in both engines.
    assert!(
        by_id("use_deny_usps_lock")
            .cedar_reasons
            .contains(&"lock.usps_regulatory.use".to_string())
    );
    assert!(
        by_id("disclose_deny_usps_lock")
            .cedar_reasons
            .contains(&"lock.usps_regulatory.disclose".to_string())
    );
    // MP-02, EU-02, DNS-02.
    assert!(
        by_id("disclose_deny_mp1_email_excluded")
            .cedar_reasons
            .contains(&"disclose.category_exclusions".to_string())
    );
    assert_eq!(
        by_id("disclose_deny_mp1_eu_no_opt_in").cedar_reasons,
        vec!["choices.eu_opt_in".to_string()]
    );
    let sale = by_id("disclose_deny_mp1_ca_sale_opt_out").cedar_reasons;
    assert!(
        sale.iter()
            .all(|r| r.starts_with("choices.sale_share_opt_out")),
        "{sale:?}"
    );
}
