//! Acceptance tests named by requirement id, with the fixed dates of `requirements.md`
//! (Part E DL-01, DL-02, DL-03, DL-04, DL-05 and the dated examples of GDPR, CCPA, NV, CAN-SPAM, DPF, CONTACT,
//! RIGHTS, DNS, SCOPE, AUD, RET). Empty holiday calendar, `America/Los_Angeles` (§0.3).
//! A date written `2024-03-04` in a test means 09:00 that day in the controller zone.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use jiff::Timestamp;
use jiff::civil::{Date, date};
use steward_deadlines::clocks::{
    self, can_prompt_minor_consent, can_prompt_reauthorization, canspam_opt_out_deadline,
    ccpa_lookback, ccpa_opt_out_propagate_by, ccpa_repeat_know_request, complaint_response_due,
    gdpr_art14_notice_due, gdpr_breach_sa_notice_due, gdpr_no_action_notice_due,
    request_record_retain_until, retention_expires,
};
use steward_deadlines::*;

fn cal() -> Calendar {
    Calendar::default()
}

/// 09:00 local (America/Los_Angeles) on `d` (YYYY-MM-DD).
fn day(d: &str) -> Timestamp {
    at(d, "09:00")
}

fn at(d: &str, hm: &str) -> Timestamp {
    let dt: jiff::civil::DateTime = format!("{d}T{hm}").parse().unwrap();
    cal().time_zone().to_timestamp(dt).unwrap()
}

fn utc(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn ticket(kind: RequestKind, regimes: &[Regime], received: &str) -> Ticket {
    intake(kind, regimes, day(received), &cal()).unwrap()
}

fn date_of(dl: Option<Deadline>) -> Option<Date> {
    dl.map(|x| x.date())
}

// ---------------------------------------------------------------- DL-01 table, row by row

#[test]
fn dl_01_gdpr_1_month_2024_03_15() {
    let t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    assert_eq!(t.due().date(), date(2024, 4, 15));
}

#[test]
fn dl_01_gdpr_plus_2_months_2024_03_15() {
    let t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    assert_eq!(t.max_due().date(), date(2024, 6, 15));
}

#[test]
fn dl_01_gdpr_1_month_2024_01_31_clamps_to_leap_day() {
    let t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-01-31");
    assert_eq!(t.due().date(), date(2024, 2, 29));
}

#[test]
fn dl_01_gdpr_plus_2_months_2024_01_31_anchored_at_receipt() {
    let t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-01-31");
    assert_eq!(t.max_due().date(), date(2024, 4, 30));
}

#[test]
fn dl_01_gdpr_1_month_2024_11_30() {
    let t = ticket(RequestKind::Deletion, &[Regime::Gdpr], "2024-11-30");
    assert_eq!(t.due().date(), date(2024, 12, 30));
}

#[test]
fn dl_01_gdpr_plus_2_months_2024_11_30() {
    let t = ticket(RequestKind::Deletion, &[Regime::Gdpr], "2024-11-30");
    assert_eq!(t.max_due().date(), date(2025, 2, 28));
}

#[test]
fn dl_01_ccpa_ack_10_business_days_monday() {
    let t = ticket(RequestKind::Access, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(date_of(t.ack_due()), Some(date(2024, 3, 18)));
}

#[test]
fn dl_01_ccpa_ack_10_business_days_friday() {
    let t = ticket(RequestKind::Deletion, &[Regime::Ccpa], "2024-03-08");
    assert_eq!(date_of(t.ack_due()), Some(date(2024, 3, 22)));
}

#[test]
fn dl_01_ccpa_45_calendar_days() {
    let t = ticket(RequestKind::Correction, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(t.due().date(), date(2024, 4, 18));
}

#[test]
fn dl_01_ccpa_90_calendar_days() {
    let t = ticket(RequestKind::Correction, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(t.max_due().date(), date(2024, 6, 2));
}

#[test]
fn dl_01_ccpa_opt_out_15_business_days_monday() {
    let t = ticket(RequestKind::OptOutSaleShare, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(date_of(t.propagate_by()), Some(date(2024, 3, 25)));
    assert_eq!(t.due().date(), date(2024, 3, 25));
}

#[test]
fn dl_01_ccpa_opt_out_15_business_days_friday() {
    let t = ticket(RequestKind::OptOutSaleShare, &[Regime::Ccpa], "2024-03-08");
    assert_eq!(date_of(t.propagate_by()), Some(date(2024, 3, 29)));
}

#[test]
fn dl_01_nv_60_days() {
    let t = ticket(RequestKind::NevadaNoSale, &[Regime::Nevada], "2024-03-04");
    assert_eq!(t.due().date(), date(2024, 5, 3));
}

#[test]
fn dl_01_nv_plus_30_days() {
    let t = ticket(RequestKind::NevadaNoSale, &[Regime::Nevada], "2024-03-04");
    assert_eq!(t.max_due().date(), date(2024, 6, 2));
}

#[test]
fn dl_01_canspam_10_business_days() {
    let dl = canspam_opt_out_deadline(day("2024-03-04"), &cal()).unwrap();
    assert_eq!(dl.date(), date(2024, 3, 18));
    // The same through intake of an unsubscribe under CAN-SPAM.
    let t = ticket(
        RequestKind::ObjectDirectMarketing,
        &[Regime::CanSpam],
        "2024-03-04",
    );
    assert_eq!(date_of(t.propagate_by()), Some(date(2024, 3, 18)));
}

#[test]
fn dl_01_breach_72_hours() {
    let dl = gdpr_breach_sa_notice_due(utc("2024-06-30T14:30Z"), &cal()).unwrap();
    assert_eq!(dl.at(), utc("2024-07-03T14:30Z"));
}

#[test]
fn dl_01_ccpa_reask_not_before_12_months() {
    let c = cal();
    let nb = clocks::ccpa_reauthorization_not_before(day("2024-03-04"), &c).unwrap();
    assert_eq!(c.civil_date(nb), date(2025, 3, 4));
    assert!(!can_prompt_reauthorization(day("2024-03-04"), at("2025-03-03", "23:59"), &c).unwrap());
    assert!(can_prompt_reauthorization(day("2024-03-04"), at("2025-03-04", "00:00"), &c).unwrap());
}

#[test]
fn dl_01_ccpa_records_kept_24_months() {
    let dl =
        request_record_retain_until(day("2024-03-04"), RecordRetention::MINIMUM, &cal()).unwrap();
    assert_eq!(dl.date(), date(2026, 3, 4));
    assert!(!dl.has_passed(at("2026-03-04", "23:59")));
}

#[test]
fn dl_01_primitive_arithmetic_matches_table() {
    let c = cal();
    assert_eq!(
        add_calendar_months(d("2024-01-31"), 1).unwrap(),
        d("2024-02-29")
    );
    assert_eq!(
        add_calendar_months(d("2023-01-31"), 1).unwrap(),
        d("2023-02-28")
    );
    assert_eq!(
        add_calendar_months(d("2024-11-30"), 3).unwrap(),
        d("2025-02-28")
    );
    assert_eq!(
        add_calendar_days(d("2024-03-04"), 90).unwrap(),
        d("2024-06-02")
    );
    assert_eq!(
        add_business_days(d("2024-03-04"), 15, &c).unwrap(),
        d("2024-03-25")
    );
    assert_eq!(
        add_business_days(d("2024-03-08"), 10, &c).unwrap(),
        d("2024-03-22")
    );
    assert_eq!(
        add_hours(utc("2024-06-30T14:30Z"), 72).unwrap(),
        utc("2024-07-03T14:30Z")
    );
}

// ---------------------------------------------------------------- DL-02, DL-03, DL-04, DL-05

#[test]
fn dl_02_date_only_deadline_is_end_of_day_in_controller_zone() {
    let dl = Deadline::end_of_day(d("2024-04-18"), &cal()).unwrap();
    assert_eq!(dl.at(), utc("2024-04-19T06:59:59Z"));
    // And the CCPA ticket stores exactly that instant.
    let t = ticket(RequestKind::Access, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(t.due().at(), utc("2024-04-19T06:59:59Z"));
    // PST (UTC-8) in winter.
    let winter = Deadline::end_of_day(d("2024-01-15"), &cal()).unwrap();
    assert_eq!(winter.at(), utc("2024-01-16T07:59:59Z"));
}

#[test]
fn dl_02_receipt_date_is_the_controller_zone_date() {
    // 2024-03-05T03:00Z is still 2024-03-04 in Los Angeles: the receipt date is 03-04.
    let t = intake(
        RequestKind::Access,
        &[Regime::Ccpa],
        utc("2024-03-05T03:00Z"),
        &cal(),
    )
    .unwrap();
    assert_eq!(t.received_date(), date(2024, 3, 4));
    assert_eq!(t.due().date(), date(2024, 4, 18));
    // In UTC it would be 03-05.
    let utc_cal = Calendar::default().with_time_zone("UTC").unwrap();
    let t = intake(
        RequestKind::Access,
        &[Regime::Ccpa],
        utc("2024-03-05T03:00Z"),
        &utc_cal,
    )
    .unwrap();
    assert_eq!(t.due().date(), date(2024, 4, 19));
}

#[test]
fn dl_03_dual_regime_takes_minimum_due_and_ack() {
    let t = ticket(
        RequestKind::Access,
        &[Regime::Gdpr, Regime::Ccpa],
        "2024-03-04",
    );
    assert_eq!(t.due().date(), date(2024, 4, 4));
    assert_eq!(t.binding_regime(), Regime::Gdpr);
    assert_eq!(date_of(t.ack_due()), Some(date(2024, 3, 18)));
    // Strictest extension: min of GDPR 2024-06-04 and CCPA 2024-06-02.
    assert_eq!(t.max_due().date(), date(2024, 6, 2));
    assert_eq!(
        t.regimes().collect::<Vec<_>>(),
        vec![Regime::Gdpr, Regime::Ccpa]
    );
    assert_eq!(t.clocks().len(), 2);
    assert_eq!(t.clocks()[1].due.date(), date(2024, 4, 18));
    // The notice window is the strictest: GDPR's month.
    assert_eq!(date_of(t.extension_notice_by()), Some(date(2024, 4, 4)));
}

#[test]
fn dl_03_dual_regime_extension_is_capped_by_the_stricter_maximum() {
    let c = cal();
    let t = ticket(
        RequestKind::Access,
        &[Regime::Gdpr, Regime::Ccpa],
        "2024-03-04",
    );
    // GDPR alone would allow 2024-06-04; CCPA caps at 2024-06-02.
    let e = extend(
        &t,
        day("2024-03-20"),
        Some("complexity"),
        ExtensionLength::Months(2),
        &c,
    )
    .unwrap_err();
    assert_eq!(e.code(), "EXTENSION_TOO_LONG");
    assert_eq!(
        e,
        ExtendError::TooLong {
            regime: Regime::Ccpa,
            max_due: Deadline::end_of_day(d("2024-06-02"), &c).unwrap()
        }
    );
    let ok = extend(
        &t,
        day("2024-03-20"),
        Some("complexity"),
        ExtensionLength::Maximum,
        &c,
    )
    .unwrap();
    assert_eq!(ok.new_due().date(), date(2024, 6, 2));
    // Late for GDPR (after 04-04) even though CCPA's window (04-18) is still open.
    let late = extend(
        &t,
        day("2024-04-10"),
        Some("complexity"),
        ExtensionLength::Maximum,
        &c,
    );
    assert_eq!(late.unwrap_err().code(), "EXTENSION_NOTICE_LATE");
}

#[test]
fn dl_03_fixed_deadline_regime_makes_ticket_not_extendable() {
    let t = ticket(
        RequestKind::OptOutSaleShare,
        &[Regime::Gdpr, Regime::Ccpa],
        "2024-03-04",
    );
    assert_eq!(t.due().date(), date(2024, 3, 25));
    assert_eq!(t.max_due(), t.due());
    assert_eq!(t.extension_notice_by(), None);
    let e = extend(
        &t,
        day("2024-03-05"),
        Some("volume"),
        ExtensionLength::Days(5),
        &cal(),
    );
    assert_eq!(
        e.unwrap_err(),
        ExtendError::NotExtendable {
            regime: Regime::Ccpa
        }
    );
}

#[test]
fn dl_04_reminders_at_t_minus_7_and_t_minus_2() {
    let c = cal();
    let t = ticket(RequestKind::Access, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(t.due().date(), date(2024, 4, 18));
    let r = reminders(&t, &c).unwrap();
    let dates: Vec<(ReminderKind, Date)> = r.iter().map(|r| (r.kind, r.date)).collect();
    assert_eq!(
        dates,
        vec![
            (ReminderKind::DueIn7Days, date(2024, 4, 11)),
            (ReminderKind::DueIn2Days, date(2024, 4, 16)),
            (ReminderKind::Overdue, date(2024, 4, 19)),
        ]
    );
    assert_eq!(r[0].at, utc("2024-04-11T07:00:00Z"));
    assert_eq!(r[2].at, utc("2024-04-19T07:00:00Z"));
}

#[test]
fn dl_04_status_on_track_at_risk_overdue() {
    let c = cal();
    let t = ticket(RequestKind::Access, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(
        status(&t, day("2024-04-10"), &c),
        Status::OnTrack { days_left: 8 }
    );
    assert_eq!(
        status(&t, day("2024-04-11"), &c),
        Status::AtRisk { days_left: 7 }
    );
    assert_eq!(
        status(&t, at("2024-04-18", "23:59"), &c),
        Status::AtRisk { days_left: 0 }
    );
    assert_eq!(
        status(&t, utc("2024-04-19T07:00:00Z"), &c),
        Status::Overdue { days_over: 1 }
    );
    assert_eq!(status(&t, day("2024-04-21"), &c).code(), "OVERDUE");
    assert_eq!(days_left(&t.due(), day("2024-04-21"), &c), -3);
}

#[test]
fn dl_04_status_follows_the_extended_deadline() {
    let c = cal();
    let mut t = ticket(RequestKind::Access, &[Regime::Ccpa], "2024-03-04");
    t.extend(
        day("2024-04-01"),
        Some("volume"),
        ExtensionLength::Days(45),
        &c,
    )
    .unwrap();
    assert_eq!(
        status(&t, day("2024-04-20"), &c),
        Status::OnTrack { days_left: 43 }
    );
    let r = reminders(&t, &c).unwrap();
    assert_eq!(r[0].date, date(2024, 5, 26));
}

#[test]
fn dl_05_second_extension_is_already_extended() {
    let c = cal();
    let mut t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    t.extend(
        day("2024-04-01"),
        Some("complexity"),
        ExtensionLength::Months(1),
        &c,
    )
    .unwrap();
    assert_eq!(t.current_due().date(), date(2024, 5, 15));
    let e = t.extend(
        day("2024-04-02"),
        Some("complexity"),
        ExtensionLength::Months(1),
        &c,
    );
    assert_eq!(e.unwrap_err().code(), "ALREADY_EXTENDED");
    // The first extension is untouched.
    assert_eq!(t.current_due().date(), date(2024, 5, 15));
    assert_eq!(t.due().date(), date(2024, 4, 15));
}

#[test]
fn dl_05_error_codes_are_stable() {
    let codes = [
        ExtendError::AlreadyExtended.code(),
        ExtendError::NotExtendable {
            regime: Regime::Ccpa,
        }
        .code(),
        ExtendError::ReasonRequired.code(),
        ExtendError::NoticeBeforeReceipt.code(),
        ExtendError::NvTooLong { max_days: 30 }.code(),
        ExtendError::Empty.code(),
    ];
    assert_eq!(
        codes,
        [
            "ALREADY_EXTENDED",
            "NOT_EXTENDABLE",
            "REASON_REQUIRED",
            "EXTENSION_BEFORE_RECEIPT",
            "NV_EXTENSION_TOO_LONG",
            "EXTENSION_EMPTY"
        ]
    );
}

#[test]
fn dl_05_extension_edge_cases() {
    let c = cal();
    let t = ticket(RequestKind::Access, &[Regime::Ccpa], "2024-03-04");
    let e = extend(
        &t,
        day("2024-03-01"),
        Some("x"),
        ExtensionLength::Days(5),
        &c,
    )
    .unwrap_err();
    assert_eq!(e.code(), "EXTENSION_BEFORE_RECEIPT");
    let e = extend(
        &t,
        day("2024-03-05"),
        Some("x"),
        ExtensionLength::Days(0),
        &c,
    )
    .unwrap_err();
    assert_eq!(e.code(), "EXTENSION_EMPTY");
    let e = extend(
        &t,
        day("2024-03-05"),
        Some("   "),
        ExtensionLength::Days(5),
        &c,
    )
    .unwrap_err();
    assert_eq!(e.code(), "REASON_REQUIRED");
    let e = extend(
        &t,
        day("2024-03-05"),
        Some("x"),
        ExtensionLength::Days(46),
        &c,
    )
    .unwrap_err();
    assert_eq!(e.code(), "EXTENSION_TOO_LONG");
    // The last second of the notice window is on time.
    let ok = extend(
        &t,
        utc("2024-04-19T06:59:59Z"),
        Some(" volume "),
        ExtensionLength::Days(45),
        &c,
    );
    let ok = ok.unwrap();
    assert_eq!(ok.reason(), "volume");
    assert_eq!(ok.previous_due().date(), date(2024, 4, 18));
    assert_eq!(ok.new_due().date(), date(2024, 6, 2));
}

// ---------------------------------------------------------------- GDPR

#[test]
fn gdpr_03_received_2024_03_15_due_and_extended_max() {
    let t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    assert_eq!(t.due().date(), date(2024, 4, 15));
    assert_eq!(t.max_due().date(), date(2024, 6, 15));
}

#[test]
fn gdpr_03_received_2024_01_31_due_and_extended_max() {
    let c = cal();
    let mut t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-01-31");
    assert_eq!(t.due().date(), date(2024, 2, 29));
    assert_eq!(t.max_due().date(), date(2024, 4, 30));
    // Extending by the full two months lands on 04-30, not 04-29 (anchored at receipt).
    t.extend(
        day("2024-02-10"),
        Some("complexity"),
        ExtensionLength::Months(2),
        &c,
    )
    .unwrap();
    assert_eq!(t.current_due().date(), date(2024, 4, 30));
}

#[test]
fn gdpr_03_received_2023_01_31_due_2023_02_28() {
    let t = ticket(RequestKind::Access, &[Regime::Gdpr], "2023-01-31");
    assert_eq!(t.due().date(), date(2023, 2, 28));
}

#[test]
fn gdpr_03_extension_notice_late_after_one_month() {
    let t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    let e = extend(
        &t,
        day("2024-04-16"),
        Some("complexity"),
        ExtensionLength::Months(2),
        &cal(),
    );
    let e = e.unwrap_err();
    assert_eq!(e.code(), "EXTENSION_NOTICE_LATE");
    assert_eq!(e, ExtendError::NoticeLate { notice_by: t.due() });
}

#[test]
fn gdpr_03_extension_within_one_month_ok_with_reason() {
    let c = cal();
    let mut t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    let ext = t
        .extend(
            day("2024-04-10"),
            Some("complexity"),
            ExtensionLength::Maximum,
            &c,
        )
        .unwrap();
    assert_eq!(ext.reason(), "complexity");
    assert_eq!(ext.notified_at(), day("2024-04-10"));
    assert_eq!(ext.new_due().date(), date(2024, 6, 15));
    assert_eq!(t.current_due().date(), date(2024, 6, 15));
    assert!(t.extension().is_some());
}

#[test]
fn gdpr_03_extension_without_reason_is_refused() {
    let t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    let e = extend(
        &t,
        day("2024-04-10"),
        None,
        ExtensionLength::Maximum,
        &cal(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "REASON_REQUIRED");
}

#[test]
fn gdpr_03_uk_gdpr_has_the_same_clock() {
    let t = ticket(RequestKind::Access, &[Regime::UkGdpr], "2024-01-31");
    assert_eq!(t.due().date(), date(2024, 2, 29));
    assert_eq!(t.max_due().date(), date(2024, 4, 30));
}

#[test]
fn gdpr_04_no_action_notice_within_one_month() {
    let dl = gdpr_no_action_notice_due(day("2024-03-15"), &cal()).unwrap();
    assert_eq!(dl.date(), date(2024, 4, 15));
    assert!(dl.is_met_by(day("2024-04-15")));
    assert!(!dl.is_met_by(day("2024-04-16")));
}

#[test]
fn gdpr_06_clock_runs_during_verification_by_default() {
    let c = cal();
    let mut t = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    let days = t
        .record_verification_wait(day("2024-03-18"), day("2024-03-28"), &c)
        .unwrap();
    assert_eq!(days, 0);
    assert_eq!(t.due().date(), date(2024, 4, 15));
}

#[test]
fn gdpr_06_configured_pause_moves_only_gdpr_clocks() {
    let c = cal().with_gdpr_pause_during_verification(true);
    let mut t = intake(
        RequestKind::Access,
        &[Regime::Gdpr, Regime::Ccpa],
        day("2024-03-04"),
        &c,
    )
    .unwrap();
    assert_eq!(t.due().date(), date(2024, 4, 4));
    let days = t
        .record_verification_wait(day("2024-03-06"), day("2024-03-26"), &c)
        .unwrap();
    assert_eq!(days, 20);
    assert_eq!(t.clocks()[0].due.date(), date(2024, 4, 24));
    // CCPA never pauses, so it now binds.
    assert_eq!(t.due().date(), date(2024, 4, 18));
    assert_eq!(t.binding_regime(), Regime::Ccpa);
    assert_eq!(t.paused_days(), 20);
    let bad = t.record_verification_wait(day("2024-03-26"), day("2024-03-20"), &c);
    assert_eq!(bad.unwrap_err().code(), "INVALID_VERIFICATION_WAIT");
}

#[test]
fn gdpr_13_art14_notice_one_month_after_obtaining() {
    let dl = gdpr_art14_notice_due(day("2024-03-04"), None, None, &cal()).unwrap();
    assert_eq!(dl.date(), date(2024, 4, 4));
}

#[test]
fn gdpr_13_art14_notice_at_first_communication_if_earlier() {
    let mail = at("2024-03-10", "14:00");
    let dl = gdpr_art14_notice_due(day("2024-03-04"), Some(mail), None, &cal()).unwrap();
    assert_eq!(dl.date(), date(2024, 3, 10));
    assert_eq!(dl.at(), mail);
    let disclosure = day("2024-03-08");
    let dl =
        gdpr_art14_notice_due(day("2024-03-04"), Some(mail), Some(disclosure), &cal()).unwrap();
    assert_eq!(dl.date(), date(2024, 3, 8));
}

#[test]
fn gdpr_30_breach_sa_notice_due_72_hours() {
    let c = cal();
    let dl = gdpr_breach_sa_notice_due(utc("2024-06-30T14:30Z"), &c).unwrap();
    assert_eq!(dl.at(), utc("2024-07-03T14:30Z"));
    // A notice at 2024-07-04T09:00Z is late (the workflow then demands a delay reason).
    assert!(dl.has_passed(utc("2024-07-04T09:00Z")));
    assert_eq!(
        deadline_status(&dl, utc("2024-07-04T09:00Z"), &c).code(),
        "OVERDUE"
    );
}

// ---------------------------------------------------------------- CCPA

#[test]
fn ccpa_04_received_monday_ack_due_max() {
    let t = ticket(RequestKind::Access, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(date_of(t.ack_due()), Some(date(2024, 3, 18)));
    assert_eq!(t.due().date(), date(2024, 4, 18));
    assert_eq!(t.max_due().date(), date(2024, 6, 2));
}

#[test]
fn ccpa_04_extension_after_45_days_is_late() {
    let t = ticket(RequestKind::Deletion, &[Regime::Ccpa], "2024-03-04");
    let e = extend(
        &t,
        day("2024-04-19"),
        Some("volume"),
        ExtensionLength::Days(45),
        &cal(),
    );
    assert_eq!(e.unwrap_err().code(), "EXTENSION_NOTICE_LATE");
}

#[test]
fn ccpa_04_received_friday_ack() {
    let t = ticket(
        RequestKind::KnowSpecificPieces,
        &[Regime::Ccpa],
        "2024-03-08",
    );
    assert_eq!(date_of(t.ack_due()), Some(date(2024, 3, 22)));
}

#[test]
fn ccpa_04_ack_respects_configured_holidays() {
    // Not part of the empty-calendar fixtures: with 2024-03-11 as a holiday the ack moves a day.
    let c = cal().with_holidays([d("2024-03-11")]);
    let t = intake(RequestKind::Access, &[Regime::Ccpa], day("2024-03-04"), &c).unwrap();
    assert_eq!(date_of(t.ack_due()), Some(date(2024, 3, 19)));
    // Calendar-day deadlines do not move.
    assert_eq!(t.due().date(), date(2024, 4, 18));
}

#[test]
fn ccpa_06_lookback_default_12_months() {
    let r = ccpa_lookback(day("2026-03-01"), Lookback::Default, &cal()).unwrap();
    assert_eq!((r.from, r.to), (date(2025, 3, 1), date(2026, 3, 1)));
    assert!(r.contains(at("2025-03-01", "00:00")));
    assert!(!r.contains(at("2025-02-28", "23:59")));
}

#[test]
fn ccpa_06_lookback_all_back_to_2022() {
    let r = ccpa_lookback(day("2026-03-01"), Lookback::All, &cal()).unwrap();
    assert_eq!(r.from, date(2022, 1, 1));
    let custom = Lookback::Between {
        from: d("2020-05-01"),
        to: d("2030-01-01"),
    };
    let r = ccpa_lookback(day("2026-03-01"), custom, &cal()).unwrap();
    assert_eq!((r.from, r.to), (date(2022, 1, 1), date(2026, 3, 1)));
    // Unless config says otherwise.
    let open = cal().with_ccpa_lookback_floor(None);
    let r = ccpa_lookback(day("2026-03-01"), custom, &open).unwrap();
    assert_eq!(r.from, date(2020, 5, 1));
    let bad = Lookback::Between {
        from: d("2025-05-01"),
        to: d("2025-01-01"),
    };
    assert_eq!(
        ccpa_lookback(day("2026-03-01"), bad, &cal())
            .unwrap_err()
            .code(),
        "INVALID_DATE_RANGE"
    );
}

#[test]
fn ccpa_07_third_know_request_in_12_months_may_be_declined() {
    let c = cal();
    let priors = [day("2024-04-01"), day("2024-09-01")];
    let r = ccpa_repeat_know_request(RequestKind::Access, day("2025-02-01"), &priors, &c).unwrap();
    assert!(r.may_decline);
    assert_eq!(r.reason, Some("CCPA_1798_130_b"));
    assert_eq!(r.prior_in_window, 2);
    // The second one is answered.
    let r =
        ccpa_repeat_know_request(RequestKind::Access, day("2024-09-01"), &priors[..1], &c).unwrap();
    assert!(!r.may_decline);
    // Twelve months after the first, the window has moved on.
    let r = ccpa_repeat_know_request(RequestKind::Access, day("2025-04-01"), &priors, &c).unwrap();
    assert_eq!((r.may_decline, r.prior_in_window), (false, 1));
    // Deletion requests are unaffected.
    let r =
        ccpa_repeat_know_request(RequestKind::Deletion, day("2025-02-01"), &priors, &c).unwrap();
    assert!(!r.may_decline);
}

#[test]
fn ccpa_13_opt_out_propagate_by_15_business_days() {
    let t = ticket(RequestKind::OptOutSaleShare, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(date_of(t.propagate_by()), Some(date(2024, 3, 25)));
    assert_eq!(t.ack_due(), None);
    assert_eq!(
        ccpa_opt_out_propagate_by(day("2024-03-04"), &cal())
            .unwrap()
            .date(),
        date(2024, 3, 25)
    );
    // Limit SPI runs on the same clock.
    let t = ticket(RequestKind::LimitSpi, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(date_of(t.propagate_by()), Some(date(2024, 3, 25)));
}

#[test]
fn ccpa_17_reauthorization_prompt_waits_12_months() {
    let c = cal();
    assert!(!can_prompt_reauthorization(day("2024-03-04"), day("2025-03-03"), &c).unwrap());
    assert!(can_prompt_reauthorization(day("2024-03-04"), day("2025-03-04"), &c).unwrap());
}

#[test]
fn ccpa_18_minor_decline_waits_12_months_or_until_16() {
    let c = cal();
    assert!(!can_prompt_minor_consent(day("2024-03-04"), None, day("2025-03-03"), &c).unwrap());
    assert!(can_prompt_minor_consent(day("2024-03-04"), None, day("2025-03-04"), &c).unwrap());
    // Turning 16 on 2024-10-01 ends the wait early.
    let sixteen = Some(d("2024-10-01"));
    assert!(!can_prompt_minor_consent(day("2024-03-04"), sixteen, day("2024-09-30"), &c).unwrap());
    assert!(can_prompt_minor_consent(day("2024-03-04"), sixteen, day("2024-10-01"), &c).unwrap());
}

#[test]
fn ccpa_26_request_record_kept_at_least_24_months() {
    let c = cal();
    let dl =
        request_record_retain_until(day("2024-03-04"), RecordRetention::default(), &c).unwrap();
    assert!(dl.date() >= date(2026, 3, 4));
    assert_eq!(
        RecordRetention::months(23).unwrap_err().code(),
        "RETENTION_TOO_SHORT"
    );
    let longer =
        request_record_retain_until(day("2024-03-04"), RecordRetention::months(36).unwrap(), &c);
    assert_eq!(longer.unwrap().date(), date(2027, 3, 4));
}

#[test]
fn aud_05_sweep_keeps_at_23_months_and_purges_at_25() {
    let c = cal();
    let closed = day("2024-03-04");
    let keep =
        request_record_retain_until(closed, RecordRetention::months(24).unwrap(), &c).unwrap();
    let at_23 = c
        .start_of_day(add_calendar_months(d("2024-03-04"), 23).unwrap())
        .unwrap();
    let at_25 = c
        .start_of_day(add_calendar_months(d("2024-03-04"), 25).unwrap())
        .unwrap();
    assert!(!keep.has_passed(at_23));
    assert!(keep.has_passed(at_25));
}

#[test]
fn ret_01_retention_periods_from_the_default_table() {
    let c = cal();
    let login = retention_expires(day("2024-03-04"), Period::CalendarDays(90), &c).unwrap();
    assert_eq!(login.date(), date(2024, 6, 2));
    let geo = retention_expires(day("2024-03-04"), Period::Months(13), &c).unwrap();
    assert_eq!(geo.date(), date(2025, 4, 4));
    let chat = retention_expires(day("2024-03-04"), Period::CalendarDays(365), &c).unwrap();
    assert_eq!(chat.date(), date(2025, 3, 4));
}

#[test]
fn ret_07_processor_deletion_follow_up_after_30_days() {
    let dl = retention_expires(
        day("2024-03-04"),
        clocks::PROCESSOR_DELETION_FOLLOWUP,
        &cal(),
    )
    .unwrap();
    assert_eq!(dl.date(), date(2024, 4, 3));
}

// ---------------------------------------------------------------- NV, CAN-SPAM, DPF, ...

#[test]
fn nv_03_due_60_extended_30() {
    let c = cal();
    let mut t = ticket(RequestKind::NevadaNoSale, &[Regime::Nevada], "2024-03-04");
    assert_eq!(t.due().date(), date(2024, 5, 3));
    assert_eq!(t.max_due().date(), date(2024, 6, 2));
    t.extend(
        day("2024-04-01"),
        Some("reasonably necessary"),
        ExtensionLength::Days(30),
        &c,
    )
    .unwrap();
    assert_eq!(t.current_due().date(), date(2024, 6, 2));
}

#[test]
fn nv_03_extension_over_30_days_is_too_long() {
    let t = ticket(RequestKind::NevadaNoSale, &[Regime::Nevada], "2024-03-04");
    let e = extend(
        &t,
        day("2024-04-01"),
        Some("volume"),
        ExtensionLength::Days(31),
        &cal(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "NV_EXTENSION_TOO_LONG");
    assert_eq!(e, ExtendError::NvTooLong { max_days: 30 });
}

#[test]
fn canspam_02_legal_deadline_10_business_days() {
    let dl = canspam_opt_out_deadline(day("2024-03-04"), &cal()).unwrap();
    assert_eq!(dl.date(), date(2024, 3, 18));
}

#[test]
fn dpf_05_complaint_response_due_45_days() {
    let dl = complaint_response_due(day("2024-03-04"), &cal()).unwrap();
    assert_eq!(dl.date(), date(2024, 4, 18));
}

#[test]
fn contact_04_first_response_due_45_days() {
    let dl = complaint_response_due(day("2024-03-04"), &cal()).unwrap();
    assert_eq!(dl.date(), date(2024, 4, 18));
    assert_eq!(dl.at(), utc("2024-04-19T06:59:59Z"));
}

#[test]
fn rights_05_no_statute_uses_policy_45_days_eu_uses_gdpr() {
    // S_US (TX): no statutory regime covers a deletion.
    let t = ticket(RequestKind::Deletion, &[], "2024-03-04");
    assert_eq!(t.due().date(), date(2024, 4, 18));
    assert_eq!(t.binding_regime(), Regime::Policy);
    // CAN-SPAM does not cover deletion either; listing Policy explicitly is the same.
    let t2 = ticket(
        RequestKind::Deletion,
        &[Regime::CanSpam, Regime::Policy],
        "2024-03-04",
    );
    assert_eq!(t2, t);
    // S_EU.
    let t = ticket(
        RequestKind::Deletion,
        &[Regime::Gdpr, Regime::Policy],
        "2024-03-04",
    );
    assert_eq!(t.due().date(), date(2024, 4, 4));
    assert_eq!(t.regimes().collect::<Vec<_>>(), vec![Regime::Gdpr]);
}

#[test]
fn rights_05_policy_days_are_configurable() {
    let c = cal()
        .with_policy_response_days(30)
        .unwrap()
        .with_policy_extension_days(0)
        .unwrap();
    let t = intake(RequestKind::Deletion, &[], day("2024-03-04"), &c).unwrap();
    assert_eq!(t.due().date(), date(2024, 4, 3));
    assert_eq!(t.extension_notice_by(), None);
    let e = extend(
        &t,
        day("2024-03-10"),
        Some("x"),
        ExtensionLength::Days(5),
        &c,
    )
    .unwrap_err();
    assert_eq!(e.code(), "NOT_EXTENDABLE");
    assert_eq!(
        cal().with_policy_response_days(0).unwrap_err().code(),
        "CALENDAR_OUT_OF_RANGE"
    );
}

#[test]
fn dns_05_propagate_by_for_s_ca() {
    let t = ticket(RequestKind::OptOutSaleShare, &[Regime::Ccpa], "2024-03-04");
    assert_eq!(date_of(t.propagate_by()), Some(date(2024, 3, 25)));
    // DNS-03: a Texan using DNS gets the same propagation promise from the policy.
    let t = ticket(RequestKind::OptOutSaleShare, &[], "2024-03-04");
    assert_eq!(date_of(t.propagate_by()), Some(date(2024, 3, 25)));
}

#[test]
fn scope_05_eu_employee_gets_the_same_deadline() {
    // The clock takes regimes, never a subject kind: S_EU_EMP and S_EU both map to GDPR.
    let emp = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    let cust = ticket(RequestKind::Access, &[Regime::Gdpr], "2024-03-15");
    assert_eq!(emp.due().date(), date(2024, 4, 15));
    assert_eq!(emp, cust);
}

#[test]
fn dm_07_injected_clock_gives_deterministic_deadlines() {
    let now = utc("2024-03-04T17:00:00Z");
    let a = intake(
        RequestKind::Access,
        &[Regime::Gdpr, Regime::Ccpa],
        now,
        &cal(),
    )
    .unwrap();
    let b = intake(
        RequestKind::Access,
        &[Regime::Ccpa, Regime::Gdpr, Regime::Gdpr],
        now,
        &cal(),
    )
    .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.received_date(), date(2024, 3, 4));
}

#[test]
fn ticket_round_trips_through_json() {
    let c = cal();
    let mut t = ticket(
        RequestKind::Access,
        &[Regime::Gdpr, Regime::Ccpa],
        "2024-03-04",
    );
    t.extend(
        day("2024-03-20"),
        Some("complexity"),
        ExtensionLength::Maximum,
        &c,
    )
    .unwrap();
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.contains("\"2024-04-05T06:59:59Z\""), "{json}");
    assert!(json.contains("\"GDPR\"") && json.contains("\"CCPA\""));
    let back: Ticket = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
}

#[test]
fn names_round_trip() {
    for k in RequestKind::ALL {
        assert_eq!(k.as_str().parse::<RequestKind>().unwrap(), k);
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            format!("\"{}\"", k.as_str())
        );
    }
    for r in Regime::ALL {
        assert_eq!(r.as_str().parse::<Regime>().unwrap(), r);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            format!("\"{}\"", r.as_str())
        );
    }
    assert_eq!("gdpr".parse::<Regime>().unwrap_err().code(), "UNKNOWN_NAME");
}
