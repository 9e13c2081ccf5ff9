//! The carriers an account holder selects (CARRIER-01): data goes to a carrier — a recipient
//! of the policy that `requires = "carrier_selection"` — only when the account selected that
//! very carrier. A selection is a record (which carrier, by which member, when, optionally for
//! which shipment and under which version of the carrier's own terms, CARRIER-06), written
//! with its audit entry, and withdrawable (the withdrawal is kept). It is refused until the
//! account accepted the agreements the policy requires for disclosures to that carrier
//! (CARRIER-02: the notice that carriers have their own practices). A stored subject's
//! decisions read the selections of its accounts, or of the account a request names
//! (`context.account`). Nothing here knows a particular carrier: the policy names them.

use steward_policy::Engine;
use steward_policy::engine::Precondition;
use steward_policy::ids::RecipientSet;
use steward_store::AuditedWrite;
use steward_store::ids::{AccountId, SelectionId, SubjectId};
use steward_store::model::account::{AccountStatus, CarrierSelection};
use steward_store::model::audit::{Attribute, AuditKind, EventRef};
use steward_store::values::{AgreementVersion, AttrValue, FieldName, RecipientKey, ShipmentRef};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// A selection to record.
#[derive(Debug, Clone)]
pub struct CarrierInput {
    /// The account it is selected for.
    pub account: AccountId,
    /// The carrier: a recipient id of the policy that requires a carrier selection.
    pub carrier: String,
    /// The shipment it is selected for (none: until withdrawn).
    pub shipment: Option<String>,
    /// The version of the carrier's own terms the holder agreed to (CARRIER-06).
    pub terms_version: Option<String>,
    /// The member of the account who selected it.
    pub selected_by: SubjectId,
}

/// An account's carrier selections, withdrawn ones included, oldest first.
#[derive(Debug, Clone)]
pub struct AccountCarriers {
    /// The account.
    pub account: AccountId,
    /// Its selections.
    pub selections: Vec<CarrierSelection>,
}

fn attr(name: &str, value: &str) -> Option<Attribute> {
    Some(Attribute {
        name: FieldName::new(name).ok()?,
        value: AttrValue::new(value).ok()?,
    })
}

fn field(name: &str) -> Result<FieldName, CoreError> {
    FieldName::new(name)
        .map_err(|e| CoreError::invalid(steward_errors::ErrorCode::BadField, e.to_string()))
}

/// The carriers (recipients that require a carrier selection) these records select under
/// `engine`; a selection of a recipient the policy no longer declares does not count.
#[must_use]
pub fn selected(engine: &Engine, records: &[CarrierSelection]) -> RecipientSet {
    let mut set = RecipientSet::empty();
    for r in records.iter().filter(|r| r.is_active()) {
        if let Some(id) = engine.recipient(r.carrier.as_str())
            && engine.recipient_info(id).requires == Some(Precondition::CarrierSelection)
        {
            set.insert(id);
        }
    }
    set
}

impl Steward {
    /// The member of `account` who acts, checked: the account exists and is open, and the
    /// person is a current member of it.
    async fn open_member(&self, account: AccountId, who: SubjectId) -> Result<(), CoreError> {
        let record = self.store.get_account(account).await?;
        if record.status == AccountStatus::Closed {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::AccountClosed,
                message: "the account is closed".into(),
            });
        }
        let member = self
            .store
            .list_members(account)
            .await?
            .iter()
            .any(|m| m.subject == who && m.removed_at.is_none());
        if member {
            Ok(())
        } else {
            Err(CoreError::NotFound("member"))
        }
    }

    /// Record that a member selected a carrier for an account (CARRIER-01), audited with the
    /// record in one transaction; decisions see it at once.
    ///
    /// # Errors
    /// `Invalid(UNKNOWN_CARRIER | BAD_SHIPMENT | BAD_AGREEMENT_VERSION)`,
    /// `Conflict(CARRIER_NOTICE_NOT_ACKNOWLEDGED)` when an agreement the policy requires for
    /// this carrier is not accepted for the account (CARRIER-02), `NotFound` for an unknown
    /// account or a person who is not a current member of it, `Conflict(ACCOUNT_CLOSED)`.
    pub async fn select_carrier(
        &self,
        caller: &Caller,
        input: CarrierInput,
    ) -> Result<CarrierSelection, CoreError> {
        let engine = self.engine();
        let unknown = || {
            CoreError::invalid(
                steward_errors::ErrorCode::UnknownCarrier,
                format!(
                    "`{}` is not a carrier of the policy (a recipient that requires a carrier selection)",
                    input.carrier.chars().take(64).collect::<String>()
                ),
            )
        };
        let rid = engine.recipient(&input.carrier).ok_or_else(unknown)?;
        let info = engine.recipient_info(rid);
        if info.requires != Some(Precondition::CarrierSelection) {
            return Err(unknown());
        }
        let carrier = RecipientKey::new(input.carrier.clone()).map_err(|_| unknown())?;
        let shipment = input
            .shipment
            .as_deref()
            .map(ShipmentRef::new)
            .transpose()
            .map_err(|e| {
                CoreError::invalid(steward_errors::ErrorCode::BadShipment, e.to_string())
            })?;
        let terms_version = input
            .terms_version
            .as_deref()
            .map(AgreementVersion::new)
            .transpose()
            .map_err(|e| {
                CoreError::invalid(
                    steward_errors::ErrorCode::BadAgreementVersion,
                    e.to_string(),
                )
            })?;
        self.open_member(input.account, input.selected_by).await?;
        // CARRIER-02: the agreements the policy requires for disclosures to this carrier (its
        // own id or its class) must be accepted for the account before it is selected.
        let accepted = crate::facts::accepted(
            &engine,
            &self.store.list_agreements(&[input.account]).await?,
        );
        let missing: Vec<&str> = engine
            .agreements
            .iter()
            .filter(|a| a.recipients.contains(rid) || a.classes.contains(&info.class))
            .filter(|a| {
                !engine
                    .agreement(&a.key)
                    .is_some_and(|id| accepted.contains(id))
            })
            .map(|a| a.key.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(CoreError::Conflict {
                code: steward_errors::ErrorCode::CarrierNoticeNotAcknowledged,
                message: format!(
                    "accept `{}` for the account before selecting `{}`",
                    missing.join("`, `"),
                    input.carrier
                ),
            });
        }
        let record = CarrierSelection {
            id: SelectionId::generate(),
            account: input.account,
            carrier,
            shipment,
            terms_version,
            selected_by: input.selected_by,
            selected_at: steward_store::values::store_precision(self.clock.now()),
            withdrawn: None,
        };
        let mut e = self.event(AuditKind::Admin, "carrier.select", caller);
        e.account = Some(input.account);
        e.subject = Some(input.selected_by);
        e.recipient = Some(record.carrier.clone());
        e.refs = vec![EventRef {
            name: field("selection")?,
            id: record.id.as_uuid(),
        }];
        e.attributes = [
            record
                .shipment
                .as_ref()
                .and_then(|s| attr("shipment", s.as_str())),
            record
                .terms_version
                .as_ref()
                .and_then(|v| attr("terms_version", v.as_str())),
        ]
        .into_iter()
        .flatten()
        .collect();
        self.store
            .write_audited(&AuditedWrite::SelectCarrier(record.clone()), &[e])
            .await?;
        self.audit.note_appended(1);
        // Every member's (and recipient's) decisions read the account's records.
        self.facts.clear();
        Ok(record)
    }

    /// Withdraw a carrier selection of an account (the record is kept, with who and when);
    /// withdrawing again keeps the first withdrawal.
    ///
    /// # Errors
    /// `NotFound` for an unknown account or selection, or a person who is not a current
    /// member of the account.
    pub async fn withdraw_carrier(
        &self,
        caller: &Caller,
        account: AccountId,
        selection: SelectionId,
        by: SubjectId,
    ) -> Result<CarrierSelection, CoreError> {
        let current = self
            .store
            .list_carrier_selections(&[account])
            .await?
            .into_iter()
            .find(|s| s.id == selection)
            .ok_or(CoreError::NotFound("carrier selection"))?;
        if !current.is_active() {
            return Ok(current);
        }
        let member = self
            .store
            .list_members(account)
            .await?
            .iter()
            .any(|m| m.subject == by && m.removed_at.is_none());
        if !member {
            return Err(CoreError::NotFound("member"));
        }
        let at = steward_store::values::store_precision(self.clock.now());
        let mut e = self.event(AuditKind::Admin, "carrier.withdraw", caller);
        e.account = Some(account);
        e.subject = Some(by);
        e.recipient = Some(current.carrier.clone());
        e.refs = vec![EventRef {
            name: field("selection")?,
            id: selection.as_uuid(),
        }];
        self.store
            .write_audited(
                &AuditedWrite::WithdrawCarrier {
                    account,
                    id: selection,
                    by,
                    at,
                },
                &[e],
            )
            .await?;
        self.audit.note_appended(1);
        self.facts.clear();
        Ok(CarrierSelection {
            withdrawn: Some((at, by)),
            ..current
        })
    }

    /// An account's carrier selections, withdrawn ones included, oldest first.
    ///
    /// # Errors
    /// `NotFound` account.
    pub async fn account_carriers(&self, account: AccountId) -> Result<AccountCarriers, CoreError> {
        self.store.get_account(account).await?;
        Ok(AccountCarriers {
            account,
            selections: self.store.list_carrier_selections(&[account]).await?,
        })
    }
}
