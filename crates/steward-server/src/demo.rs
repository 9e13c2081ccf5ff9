//! `steward serve --demo`: a synthetic customer base, seeded through the core like any client
//! would, so a newcomer sees a living system — customers in several jurisdictions with
//! encrypted items, accounts with administrators (ADMIN-01, ADMIN-03), the agreements the policy
//! declares accepted for those accounts (the Customer's data-protection undertaking, and on
//! some the USPS Privacy Act Statement and the carrier notice: CUST-01, USPSPA-01,
//! CARRIER-02), on those a carrier selected (CARRIER-01), ship-to recipients held for those
//! Customers under their undertaking (processor role), consents and opt-outs, a GPC browser
//! linked to its owner, and disclosures recorded against allow decisions — among them the
//! shipment data of recipients sent to the carrier their Customer selected (the decision
//! reads the selection record through `context.account`).
//!
//! [`seed_requests`] then gives the privacy team a living queue: data subject requests from
//! those same customers in every state (awaiting verification, verified and new, approved,
//! extended, at risk, overdue, completed with a receipt, denied), an opt-out of sale that
//! queued notifications to the partners who received the customer's data, and a partner
//! webhook that answered 404 sitting on the dead-letter list.
//!
//! Every name, address and e-mail is synthetic (`…@example.test`, `Demo Street`). Seeding is
//! idempotent: a second run finds the first demo customer and does nothing. Under another
//! policy than the shipped one, whatever that policy does not name (a category, source,
//! purpose or recipient) is skipped, and the rest is seeded.

use std::fmt;
use steward_errors::ErrorCode;

use jiff::{SignedDuration, Timestamp};
use steward_core::agreements::AgreementInput;
use steward_core::carriers::CarrierInput;
use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::complaints::{ComplaintChannel, ComplaintInput};
use steward_core::disclosures::DisclosureInput;
use steward_core::incidents::{AssessmentInput, IncidentInput};
use steward_core::items::ItemInput;
use steward_core::legal::{Basis, Instrument, LegalRequestInput, ReviewDecision};
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_core::{Caller, CoreError, Steward};
use steward_deadlines::{ExtensionLength, RequestKind};
use steward_requests::{
    ApproveInput, ConnectionSource, DenyReason, Requester, Requests, SubmitRequest,
    WebhookRegistration,
};
use steward_store::ids::SubjectId;
use steward_store::model::account::{AdminPermission, AdminPermissions};
use steward_store::model::subject::{IdentityKind, SubjectKind};
use steward_vault::{SecretString, Sensitive};

/// Customers seeded.
pub const CUSTOMERS: usize = 48;

const FIRST: &[&str] = &[
    "Ada", "Brook", "Cyrus", "Dana", "Emil", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kira", "Luca",
];
const LAST: &[&str] = &["Demo", "Sample", "Testa", "Example", "Mock", "Placeholder"];
const JURISDICTIONS: &[&str] = &["US-CA", "US-TX", "US-NY", "DE", "FR", "GB", "US-NV", "IE"];

/// What was seeded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoReport {
    /// The base was already there.
    pub already_seeded: bool,
    /// Customers created.
    pub customers: usize,
    /// Items written.
    pub items: usize,
    /// Item writes the policy refused (kept: they show denials in the audit log).
    pub refused_items: usize,
    /// Accounts opened.
    pub accounts: usize,
    /// Administrator grants.
    pub grants: usize,
    /// Reads of a holder's data by their administrator (shown to the holder, ADMIN-04).
    pub admin_actions: usize,
    /// Agreements accepted for those accounts (`[[agreement]]` of the policy).
    pub agreements: usize,
    /// Carriers selected for those accounts (CARRIER-01).
    pub carrier_selections: usize,
    /// Disclosures of recipients' shipment data to the carrier their Customer selected.
    pub carrier_disclosures: usize,
    /// Recipients (a Customer's ship-to parties).
    pub recipients: usize,
    /// Choices recorded.
    pub choices: usize,
    /// Disclosures recorded.
    pub disclosures: usize,
    /// Disclosure decisions that denied.
    pub denied_disclosures: usize,
    /// Change-of-control notices (BIZ-02, BIZ-03): one still owed, one delivered.
    pub change_of_control_notices: usize,
}

impl fmt::Display for DemoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.already_seeded {
            return f.write_str("demo: already seeded");
        }
        write!(
            f,
            "demo: {} customers, {} items ({} refused by the policy), {} accounts with {} administrator grants, {} accepted agreements and {} carrier selections, {} recipients, {} choices, {} disclosures ({} to carriers, {} denied), {} change-of-control notices",
            self.customers,
            self.items,
            self.refused_items,
            self.accounts,
            self.grants,
            self.agreements,
            self.carrier_selections,
            self.recipients,
            self.choices,
            self.disclosures,
            self.carrier_disclosures,
            self.denied_disclosures,
            self.change_of_control_notices
        )
    }
}

fn email(i: usize) -> String {
    format!("customer{i:04}@example.test")
}

fn input(
    subject: SubjectId,
    category: &str,
    value: String,
    source: &str,
    purpose: &str,
    processor: bool,
) -> ItemInput {
    ItemInput {
        subject,
        category: category.into(),
        value: Sensitive::new(value.into_bytes()),
        source: source.into(),
        purpose: purpose.into(),
        processor_for_customer: processor,
        account: None,
        derived_from: Vec::new(),
    }
}

async fn item(
    s: &Steward,
    caller: &Caller,
    input: ItemInput,
    r: &mut DemoReport,
) -> Result<(), CoreError> {
    let e = s.engine();
    if e.category(&input.category).is_none()
        || e.source(&input.source).is_none()
        || e.purpose(&input.purpose).is_none()
    {
        // Not in this policy: nothing to show.
        return Ok(());
    }
    match s.write_item(caller, input).await {
        Ok(_) => r.items += 1,
        Err(CoreError::Denied { .. }) => r.refused_items += 1,
        Err(e) => return Err(e),
    }
    Ok(())
}

fn choice(party: &ChoiceParty, key: &str, value: bool, channel: &str) -> ChoiceInput {
    ChoiceInput {
        party: party.clone(),
        key: key.into(),
        value,
        source: "user".into(),
        notice_sha256: None,
        channel: Some(channel.into()),
    }
}

/// Seed the demo base (idempotent).
///
/// # Errors
/// The first core failure (other than policy refusals, which are part of the demo).
pub async fn seed(s: &Steward) -> Result<DemoReport, CoreError> {
    let caller = Caller::Service("demo-seed".into());
    let mut r = DemoReport::default();
    if !s
        .find_subjects(&caller, IdentityKind::Email, &email(0))
        .await?
        .is_empty()
    {
        r.already_seeded = true;
        return Ok(r);
    }
    let mut customers = Vec::with_capacity(CUSTOMERS);
    for i in 0..CUSTOMERS {
        let j = JURISDICTIONS[i % JURISDICTIONS.len()];
        let eu = matches!(j, "DE" | "FR" | "IE");
        let age = if i % 17 == 5 { 15 } else { 25 + (i * 7) % 50 } as u8;
        let rec = s
            .create_subject(
                &caller,
                SubjectInput {
                    kind: Some(SubjectKind::CustomerAccountHolder),
                    jurisdiction: Some(j.into()),
                    eu_protected: eu,
                    age: Some(age),
                    identities: vec![IdentityInput {
                        kind: IdentityKind::Email,
                        value: Sensitive::new(email(i)),
                    }],
                },
            )
            .await?;
        let id = rec.id;
        customers.push((id, j));
        r.customers += 1;
        let name = format!(
            "{} {}",
            FIRST[i % FIRST.len()],
            LAST[(i / FIRST.len()) % LAST.len()]
        );
        item(
            s,
            &caller,
            input(
                id,
                "name",
                name,
                "direct:registration",
                "account_registration",
                false,
            ),
            &mut r,
        )
        .await?;
        item(
            s,
            &caller,
            input(
                id,
                "email",
                email(i),
                "direct:registration",
                "account_registration",
                false,
            ),
            &mut r,
        )
        .await?;
        let address = format!("{} Demo Street, Springfield", 100 + i);
        let address = input(
            id,
            "postal_address",
            address,
            "direct:registration",
            "account_registration",
            false,
        );
        item(s, &caller, address, &mut r).await?;

        // Choices: a mix of opt-outs and consents, through different channels.
        let party = ChoiceParty::Subject(id);
        let mut cs = Vec::new();
        if i % 3 == 0 {
            cs.push(choice(&party, "sale_opt_out", true, "privacy_center"));
        }
        if i % 4 == 1 {
            cs.push(choice(
                &party,
                "marketing:first_party:email",
                true,
                "registration_checkbox",
            ));
        }
        if eu && i % 2 == 0 {
            cs.push(choice(
                &party,
                "consent:third_party_sharing",
                true,
                "web_form",
            ));
        }
        if i % 11 == 7 {
            cs.push(choice(
                &party,
                "marketing:first_party:email",
                false,
                "email_link",
            ));
        }
        if !cs.is_empty() {
            r.choices += s.record_choices(&caller, cs).await?.len();
        }
        // A browser that sent GPC before logging in (GPC-04: joins the subject's ledger).
        if i % 9 == 2 {
            let cookie = format!("demo-cookie-{i:04}");
            let device = ChoiceParty::Device {
                kind: IdentityKind::Cookie,
                id: Sensitive::new(cookie.clone()),
            };
            if s.record_gpc(&caller, device).await? {
                r.choices += 1;
            }
            s.link_identity(&caller, id, IdentityKind::Cookie, &cookie, "login")
                .await?;
        }
    }

    // Accounts: every eighth customer owns an account with two authorized users, one of them
    // an administrator who acknowledged the warning (ADMIN-01, ADMIN-03). These are the business
    // Customers: each owner accepts the Customer's data-protection undertaking (CUST-01), and
    // every other one the USPS Privacy Act Statement and the carrier notice too (USPSPA-01,
    // CARRIER-02) — whichever of them the policy declares.
    let mut accounts = Vec::new();
    // CARRIER-01: the first carrier of the policy (a recipient that requires a selection),
    // selected by every Customer that accepted the carrier notice.
    let carrier = {
        let e = s.engine();
        e.recipients
            .iter()
            .find(|r| r.requires == Some(steward_policy::engine::Precondition::CarrierSelection))
            .map(|r| r.key.clone())
    };
    let mut selected: Vec<(steward_store::ids::AccountId, String)> = Vec::new();
    for (n, (owner, j)) in customers.iter().enumerate().filter(|(n, _)| n % 8 == 0) {
        let account = s.create_account(&caller, *owner).await?;
        r.accounts += 1;
        accounts.push(account.id);
        let all = n % 16 == 0;
        for agreement in s.engine().agreements.iter() {
            let undertaking = agreement.sources.iter().any(|src| {
                s.engine().sources[src.index()].kind == steward_policy::engine::SourceKind::Customer
            });
            if undertaking || all {
                s.accept_agreement(
                    &caller,
                    AgreementInput {
                        account: account.id,
                        agreement: agreement.key.clone(),
                        version: None,
                        accepted_by: *owner,
                    },
                )
                .await?;
                r.agreements += 1;
            }
        }
        if let (true, Some(c)) = (all, &carrier) {
            s.select_carrier(
                &caller,
                CarrierInput {
                    account: account.id,
                    carrier: c.clone(),
                    shipment: None,
                    terms_version: None,
                    selected_by: *owner,
                },
            )
            .await?;
            r.carrier_selections += 1;
            selected.push((account.id, c.clone()));
        }
        for k in 0..2 {
            let user = s
                .create_subject(
                    &caller,
                    SubjectInput {
                        kind: Some(SubjectKind::AuthorizedUser),
                        jurisdiction: Some((*j).into()),
                        identities: vec![IdentityInput {
                            kind: IdentityKind::Email,
                            value: Sensitive::new(format!("admin{n:04}-{k}@example.test")),
                        }],
                        ..SubjectInput::default()
                    },
                )
                .await?;
            s.add_member(&caller, account.id, user.id).await?;
            if k == 0 {
                let perms: AdminPermissions = [AdminPermission::ViewPi, AdminPermission::ChangePi]
                    .into_iter()
                    .collect();
                s.grant_admin(&caller, account.id, *owner, user.id, perms, true)
                    .await?;
                r.grants += 1;
                // The administrator looks at the holder's data once: the holder sees it on
                // /privacy/administrators (ADMIN-04), whatever the policy decides.
                if s.engine().purpose("support").is_some()
                    && let Some(first) = s.list_items(*owner).await?.into_iter().next()
                {
                    match s
                        .read_item(&Caller::Admin(user.id), first.id, "support")
                        .await
                    {
                        Ok(_) | Err(CoreError::Denied { .. }) => r.admin_actions += 1,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }

    // Recipients: ship-to parties a Customer keeps in its address book (processor role),
    // collected for that Customer's account, under its undertaking (SRC-09).
    for i in 0..12 {
        let rec = s
            .create_subject(
                &caller,
                SubjectInput {
                    kind: Some(SubjectKind::Recipient),
                    jurisdiction: Some(JURISDICTIONS[i % 3].into()),
                    ..SubjectInput::default()
                },
            )
            .await?;
        r.recipients += 1;
        let data = format!("Recipient {i}, {} Sample Avenue", 10 + i);
        let mut data = input(
            rec.id,
            "recipient_data",
            data,
            "customer",
            "service_provision",
            true,
        );
        data.account = accounts.get(i % accounts.len().max(1)).copied();
        let account = data.account;
        item(s, &caller, data, &mut r).await?;
        // CARRIER-01: the Customer ships to this recipient with the carrier it selected; the
        // decision reads the selection record of the account the request names.
        let Some((account, carrier)) = account.and_then(|a| selected.iter().find(|(x, _)| *x == a))
        else {
            continue;
        };
        if s.engine().purpose("transaction_completion").is_none() {
            continue;
        }
        let req: steward_policy::Request = serde_json::from_value(serde_json::json!({
            "op": "can_disclose",
            "subject": {"id": rec.id.to_string()},
            "categories": ["recipient_data"],
            "recipient": carrier,
            "purpose": "transaction_completion",
            "context": {"account": account.to_string()}
        }))
        .map_err(|e| CoreError::invalid(ErrorCode::Demo, e.to_string()))?;
        let d = s.decide(&caller, req, false).await?;
        if !d.allow {
            r.denied_disclosures += 1;
            continue;
        }
        s.record_disclosure(
            &caller,
            DisclosureInput {
                decision_id: d.event_id,
                subject: rec.id,
                recipient: carrier.clone(),
                categories: vec!["recipient_data".into()],
                purpose: "transaction_completion".into(),
                items: vec![],
                payload_sha256: None,
            },
        )
        .await?;
        r.disclosures += 1;
        r.carrier_disclosures += 1;
    }

    // Disclosures: ask before sharing name and address with a mailing partner; record the
    // share only where the policy allowed it (a policy without that partner has none).
    let e = s.engine();
    let partner =
        e.recipient("MP1").is_some() && e.purpose("third_party_promotional_mail").is_some();
    for (id, _) in customers.iter().filter(|_| partner) {
        let req: steward_policy::Request = serde_json::from_value(serde_json::json!({
            "op": "can_disclose",
            "subject": {"id": id.to_string()},
            "categories": ["name", "postal_address"],
            "recipient": "MP1",
            "purpose": "third_party_promotional_mail"
        }))
        .map_err(|e| CoreError::invalid(ErrorCode::Demo, e.to_string()))?;
        let d = s.decide(&caller, req, false).await?;
        if !d.allow {
            r.denied_disclosures += 1;
            continue;
        }
        s.record_disclosure(
            &caller,
            DisclosureInput {
                decision_id: d.event_id,
                subject: *id,
                recipient: "MP1".into(),
                categories: vec!["name".into(), "postal_address".into()],
                purpose: "third_party_promotional_mail".into(),
                items: vec![],
                payload_sha256: None,
            },
        )
        .await?;
        r.disclosures += 1;
    }

    // A change of control (BIZ-02, BIZ-03): two customers of the unit that changed hands are
    // owed the notice; customer0040's is not delivered yet (its promotions are held and the
    // privacy center asks the question), customer0041's was delivered.
    for (n, delivered) in [(40, false), (41, true)] {
        let Some((id, _)) = customers.get(n) else {
            continue;
        };
        let notice = s
            .record_change_of_control_notice(
                &caller,
                steward_core::control::NoticeInput {
                    subject: *id,
                    transfer: "demo-acquisition".into(),
                    effective_at: None,
                    delivered_at: None,
                },
            )
            .await?;
        if delivered {
            s.deliver_change_of_control_notice(&caller, *id, notice.notice.id)
                .await?;
        }
        r.change_of_control_notices += 1;
    }
    s.audit().flush().await;
    Ok(r)
}

/// What [`seed_requests`] put in the queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkflowReport {
    /// Requests submitted.
    pub requests: usize,
    /// Of which still open.
    pub open: usize,
    /// Partner notifications queued by a Do Not Sell choice (ADTECH-03).
    pub partner_notifications: usize,
    /// The partner webhook registered (the one whose deliveries land on the dead-letter list
    /// once attempted).
    pub partner_webhook: bool,
    /// Incidents recorded (a breach with open notices).
    pub incidents: usize,
    /// Complaints filed.
    pub complaints: usize,
    /// Legal requests registered (reviewed, with a disclosure made under each).
    pub legal_requests: usize,
}

impl fmt::Display for WorkflowReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "demo: {} data subject requests ({} open), {} partner notifications{}, {} incident(s) with open breach notices, {} complaint(s), {} legal request(s) reviewed with a disclosure",
            self.requests,
            self.open,
            self.partner_notifications,
            if self.partner_webhook {
                ", a partner webhook that answers 404 (its deliveries go to the dead-letter list)"
            } else {
                ""
            },
            self.incidents,
            self.complaints,
            self.legal_requests
        )
    }
}

/// The demo partner whose webhook endpoint is wrong (it answers 404).
pub const DEAD_LETTER_PARTNER: &str = "MP1";

/// The path under the server's own address that the demo registers as that partner's
/// webhook: no route answers it, so the first delivery is refused (404) and dead-lettered.
pub const DEAD_LETTER_PATH: &str = "/demo/partner-webhook-that-moved";

fn ago(now: Timestamp, days: i64) -> Result<Timestamp, CoreError> {
    now.checked_sub(SignedDuration::from_hours(24 * days))
        .map_err(|_| CoreError::Unavailable("clock out of range"))
}

/// A request staff took over the phone after checking who called (verified at intake).
fn by_staff(
    kind: RequestKind,
    subject: SubjectId,
    customer: usize,
    channel: &str,
    received_at: Option<Timestamp>,
) -> SubmitRequest {
    SubmitRequest {
        requester: Requester::Admin,
        subject_id: Some(subject),
        preverified: Some("support_call_kba".into()),
        received_at,
        ..SubmitRequest::by_email(kind, channel, &email(customer))
    }
}

async fn customer(s: &Steward, caller: &Caller, i: usize) -> Result<SubjectId, CoreError> {
    s.find_subjects(caller, IdentityKind::Email, &email(i))
        .await?
        .first()
        .copied()
        .ok_or(CoreError::NotFound("subject"))
}

/// Seed the request workflow over the demo customers of [`seed`] (call it once, right after
/// a [`seed`] that was not `already_seeded`). Each request is taken through the workflow's
/// own steps, as the privacy team would:
///
/// | customer | request | where it stands |
/// |---|---|---|
/// | `customer0024` (US-CA) | deletion, privacy center | awaiting the e-mailed code |
/// | `customer0016` (US-CA) | access, support call | verified today: new, to review |
/// | `customer0032` (US-CA) | deletion, support call | approved, the plan computed: to run |
/// | `customer0040` (US-CA) | deletion, support call | completed, with its receipt |
/// | `customer0019` (DE) | access, 20 days ago | extended by two months (GDPR-03), the subject told why |
/// | `customer0011` (DE) | access, 27 days ago | at risk (due within the week) |
/// | `customer0000` (US-CA) | know specific pieces, by mail, 70 days ago | overdue |
/// | `customer0008` (US-CA) | opt-out of sale and sharing | done at intake; the partner that received the data is sent the opt-out |
/// | someone with no account | know categories | denied: cannot identify |
///
/// `customer0016` also says Do Not Sell on the privacy center, which queues a notification
/// to each partner that received their data (ADTECH-03, CCPA-13; the demo disclosed names
/// and addresses to the mailing partner [`DEAD_LETTER_PARTNER`]).
///
/// With `base` (the server's own `http://host:port`), [`DEAD_LETTER_PARTNER`] then gets a
/// webhook endpoint at [`DEAD_LETTER_PATH`] there, which answers 404: the background worker's
/// first pass hands it the partner notification, which lands on the dead-letter list, where
/// an operator fixes the endpoint and requeues it. (Nothing here waits on that endpoint: the
/// server is not serving yet while it seeds.)
///
/// The privacy team's own case files come last (incidents, complaints, legal requests): a breach discovered 60 hours ago
/// over customers in Germany, California and Nevada, assessed high-risk, so its notices are
/// open — the supervisory authority's 72 hours run out within the day (SEC-06, GDPR-30, GDPR-31,
/// CCPA-35, NV-08) —, and a complaint from `customer0016` about the access request above,
/// received 40 days ago by the privacy address, its first response due within the week
/// (CONTACT-04, DPF-05), and a subpoena received 12 days ago about `customer0025` (US-TX) and
/// `customer0027` (DE, so it concerns an EU data subject: LEGALREQ-06), registered by the legal
/// intake, reviewed by counsel (someone else: LEGALREQ-02), with the e-mail address of
/// `customer0025` disclosed under it to the authority through the core's use case — decided
/// against the record, in the disclosure register (LEGALREQ-01, LEGALREQ-03, LEGALREQ-04).
/// (Under a policy without the categories, recipient or purpose they name, they are skipped.)
///
/// # Errors
/// The first workflow failure.
pub async fn seed_requests(r: &Requests, base: Option<&str>) -> Result<WorkflowReport, CoreError> {
    let s = r.steward();
    let caller = Caller::Service("demo-seed".into());
    let now = s.clock().now();
    let mut report = WorkflowReport::default();

    // Awaiting verification: submitted on the privacy center; the code sits in the outbox.
    let mut pending = SubmitRequest::by_email(RequestKind::Deletion, "privacy_center", &email(24));
    pending.jurisdiction = Some("US-CA".into());
    r.submit(&Caller::Service("public".into()), pending).await?;
    report.requests += 1;

    // New: verified on a support call today, waiting for the team's review.
    let c16 = customer(s, &caller, 16).await?;
    r.submit(
        &caller,
        by_staff(RequestKind::Access, c16, 16, "support", None),
    )
    .await?;
    report.requests += 1;

    // Approved: the erasure plan computed, ready to run.
    let c32 = customer(s, &caller, 32).await?;
    let a = r
        .submit(
            &caller,
            by_staff(RequestKind::Deletion, c32, 32, "support", None),
        )
        .await?;
    r.approve(&caller, a.request_id, ApproveInput::default())
        .await?;
    report.requests += 1;

    // Completed: approved and run across every system, with its receipt.
    let c40 = customer(s, &caller, 40).await?;
    let done = r
        .submit(
            &caller,
            by_staff(RequestKind::Deletion, c40, 40, "support", None),
        )
        .await?;
    r.approve(&caller, done.request_id, ApproveInput::default())
        .await?;
    r.run(&caller, done.request_id, &|_| {}).await?;
    report.requests += 1;

    // Extended: a GDPR access request spanning several systems, extended with the reason.
    let c19 = customer(s, &caller, 19).await?;
    let ext = r
        .submit(
            &caller,
            by_staff(RequestKind::Access, c19, 19, "email", Some(ago(now, 20)?)),
        )
        .await?;
    r.extend(
        &caller,
        ext.request_id,
        Some("your records are spread across our order, support and shipping systems"),
        ExtensionLength::Months(2),
    )
    .await?;
    report.requests += 1;

    // At risk: a GDPR access request due within the week.
    let c11 = customer(s, &caller, 11).await?;
    r.submit(
        &caller,
        by_staff(RequestKind::Access, c11, 11, "email", Some(ago(now, 27)?)),
    )
    .await?;
    report.requests += 1;

    // Overdue: a letter opened late (CCPA: 45 days).
    let c0 = customer(s, &caller, 0).await?;
    r.submit(
        &caller,
        by_staff(
            RequestKind::KnowSpecificPieces,
            c0,
            0,
            "mail",
            Some(ago(now, 70)?),
        ),
    )
    .await?;
    report.requests += 1;

    // An opt-out of sale and sharing: done at intake, the partners told (ADTECH-03).
    let mut opt_out =
        SubmitRequest::by_email(RequestKind::OptOutSaleShare, "privacy_center", &email(8));
    opt_out.jurisdiction = Some("US-CA".into());
    r.submit(&Caller::Service("public".into()), opt_out).await?;
    report.requests += 1;

    // A Do Not Sell choice on the privacy center: the partners that received the customer's
    // data are owed a notification within 15 business days (ADTECH-03, CCPA-13).
    let dns = choice(
        &ChoiceParty::Subject(c16),
        "sale_opt_out",
        true,
        "privacy_center",
    );
    let (_, queued) = s.record_choices_notifying(&caller, vec![dns]).await?;
    report.partner_notifications = queued.len();

    // Denied: a know request from an address that matches no one, who never answered.
    let mut unknown = SubmitRequest::by_email(
        RequestKind::KnowCategories,
        "privacy_center",
        "not-a-customer@example.test",
    );
    unknown.jurisdiction = Some("US-CA".into());
    let denied = r.submit(&Caller::Service("public".into()), unknown).await?;
    r.deny(&caller, denied.request_id, DenyReason::CannotIdentify, None)
        .await?;
    report.requests += 1;

    // The partner's endpoint, registered last: the runs above told it nothing by webhook (a
    // recipient without an endpoint gets a manual notice), and the partner notification is
    // routed to it by the background worker once the server listens.
    // A policy without that partner (an example policy, a company's own) gets no endpoint.
    let partner_known = s.engine().recipient(DEAD_LETTER_PARTNER).is_some();
    if let Some(base) = base.filter(|_| partner_known) {
        let mut secret = [0u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut secret)
            .map_err(|_| CoreError::Unavailable("no randomness for the demo webhook secret"))?;
        let secret: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        r.register_webhook(
            &caller,
            WebhookRegistration {
                name: "mp1-webhook".into(),
                recipient: DEAD_LETTER_PARTNER.into(),
                url: format!("{}{DEAD_LETTER_PATH}", base.trim_end_matches('/')),
                secret: ConnectionSource::Secret(SecretString::from(secret)),
            },
        )
        .await?;
        report.partner_webhook = true;
    }

    // The privacy team's case files: a breach with open notices, one near its 72-hour clock,
    // and a complaint about the access request above.
    let e = s.engine();
    if e.category("email").is_some() && e.category("postal_address").is_some() {
        let discovered = now
            .checked_sub(SignedDuration::from_hours(60))
            .map_err(|_| CoreError::Unavailable("clock out of range"))?;
        let incident = s
            .record_incident(
                &caller,
                IncidentInput {
                    summary: "Demo: a support mailbox export was readable through a shared link for two days".into(),
                    discovered_at: discovered,
                    aware_at: None,
                    systems: vec!["support-mailbox".into()],
                    categories: vec!["email".into(), "postal_address".into()],
                    affected: [("DE".to_string(), 6), ("US-CA".to_string(), 12), ("US-NV".to_string(), 6)]
                        .into_iter()
                        .collect(),
                    records_affected: Some(48),
                    encrypted: false,
                    key_compromised: false,
                    processor: false,
                    recipients: vec![],
                    compute_affected: None,
                },
            )
            .await?;
        s.assess_incident(
            &caller,
            incident.case.id,
            AssessmentInput {
                breach: true,
                risk: Some(steward_deadlines::BreachRisk::High),
                note: Some("addresses and e-mail readable by anyone with the link".into()),
            },
        )
        .await?;
        report.incidents += 1;
    }
    s.file_complaint(
        &caller,
        ComplaintInput {
            channel: ComplaintChannel::EmailPrivacy,
            received_at: Some(ago(now, 40)?),
            subject: Some(c16),
            jurisdiction: None,
            dpf: false,
            topic: "access_request".into(),
            reference: Some("demo privacy mailbox message 1".into()),
            id: None,
            sealed: None,
        },
    )
    .await?;
    report.complaints += 1;

    // The register of legal requests: a subpoena, reviewed by someone other than who
    // registered it, with one disclosure made under it.
    if e.recipient("LE1").is_some()
        && e.purpose("legal_compliance").is_some()
        && e.category("email").is_some()
        && e.category("name").is_some()
    {
        let c25 = customer(s, &caller, 25).await?;
        let c27 = customer(s, &caller, 27).await?;
        let intake = Caller::Service("demo-legal-intake".into());
        let counsel = Caller::Service("demo-counsel".into());
        let l = s
            .register_legal_request(
                &intake,
                LegalRequestInput {
                    authority: "Demo County Superior Court".into(),
                    instrument: Instrument::Subpoena,
                    basis: Basis::RequiredByLaw,
                    scope: vec!["name".into(), "email".into()],
                    subjects: vec![c25, c27],
                    received_at: Some(ago(now, 12)?),
                    gag_order: false,
                    reference: Some("demo document store 2024-0042".into()),
                    notice_prohibited: None,
                },
            )
            .await?;
        s.review_legal_request(
            &counsel,
            l.case.id,
            ReviewDecision::Approve,
            "a valid subpoena from a competent court; the scope is limited to name and e-mail address",
        )
        .await?;
        s.disclose_under_legal_request(
            &counsel,
            l.case.id,
            c25,
            "LE1",
            "legal_compliance",
            vec!["email".into()],
        )
        .await?;
        report.legal_requests += 1;
    }

    report.open = usize::try_from(r.metrics().await?.open).unwrap_or(usize::MAX);
    s.audit().flush().await;
    Ok(report)
}
