//! `steward serve --demo`: a synthetic customer base, seeded through the core like any client
//! would, so a newcomer sees a living system — customers in several jurisdictions with
//! encrypted items, accounts with administrators (ADMIN-01/03), ship-to recipients held for
//! Customers (processor role), consents and opt-outs, a GPC browser linked to its owner, and
//! disclosures recorded against allow decisions.
//!
//! Every name, address and e-mail is synthetic (`…@example.test`, `Demo Street`). Seeding is
//! idempotent: a second run finds the first demo customer and does nothing. Under another
//! policy than the shipped one, whatever that policy does not name (a category, source,
//! purpose or recipient) is skipped, and the rest is seeded.

use std::fmt;

use steward_core::choices::{ChoiceInput, ChoiceParty};
use steward_core::disclosures::DisclosureInput;
use steward_core::items::ItemInput;
use steward_core::subjects::{IdentityInput, SubjectInput};
use steward_core::{Caller, CoreError, Steward};
use steward_store::ids::SubjectId;
use steward_store::model::account::{AdminPermission, AdminPermissions};
use steward_store::model::subject::{IdentityKind, SubjectKind};
use steward_vault::Sensitive;

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
    /// Recipients (a Customer's ship-to parties).
    pub recipients: usize,
    /// Choices recorded.
    pub choices: usize,
    /// Disclosures recorded.
    pub disclosures: usize,
    /// Disclosure decisions that denied.
    pub denied_disclosures: usize,
}

impl fmt::Display for DemoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.already_seeded {
            return f.write_str("demo: already seeded");
        }
        write!(
            f,
            "demo: {} customers, {} items ({} refused by the policy), {} accounts with {} administrator grants, {} recipients, {} choices, {} disclosures ({} denied)",
            self.customers,
            self.items,
            self.refused_items,
            self.accounts,
            self.grants,
            self.recipients,
            self.choices,
            self.disclosures,
            self.denied_disclosures
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
    // an administrator who acknowledged the warning (ADMIN-01/03).
    for (n, (owner, j)) in customers.iter().enumerate().filter(|(n, _)| n % 8 == 0) {
        let account = s.create_account(&caller, *owner).await?;
        r.accounts += 1;
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
            }
        }
    }

    // Recipients: ship-to parties a Customer keeps in its address book (processor role).
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
        let data = input(
            rec.id,
            "recipient_data",
            data,
            "customer",
            "service_provision",
            true,
        );
        item(s, &caller, data, &mut r).await?;
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
        .map_err(|e| CoreError::invalid("DEMO", e.to_string()))?;
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
    s.audit().flush().await;
    Ok(r)
}
