//! Accounts, members and administrator grants (ADMIN-01, ADMIN-03, ADMIN-05, ADMIN-09), the
//! agreements accepted for an account (`[[agreement]]` of the policy: CUST-01, SRC-09,
//! USPSPA-01, CARRIER-02), and the carriers its holder selected (CARRIER-01, CARRIER-06).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An account to open.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    /// The account holder (a stored subject).
    pub owner_id: uuid::Uuid,
}

/// An account.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountOut {
    /// Id.
    pub id: String,
    /// Account holder.
    pub owner_id: String,
    /// `open` or `closed`.
    pub status: String,
    /// Opened.
    pub created_at: String,
    /// Closed.
    pub closed_at: Option<String>,
}

/// A member.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberOut {
    /// The member.
    pub subject_id: String,
    /// `owner` or `user`.
    pub role: String,
    /// Added.
    pub added_at: String,
    /// Removed.
    pub removed_at: Option<String>,
}

/// An account with its members.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountDetail {
    /// The account.
    pub account: AccountOut,
    /// Members, current and removed.
    pub members: Vec<MemberOut>,
}

/// A member to add.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMember {
    /// The subject to add as a user of the account.
    pub subject_id: uuid::Uuid,
}

/// An administrator permission (ADMIN-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermissionDto {
    /// See the account's personal information.
    ViewPi,
    /// Change it.
    ChangePi,
    /// Delete it (an account-level operation, not an erasure request: ADMIN-06).
    DeletePi,
}

/// A grant to make.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGrant {
    /// Who receives access (a current member).
    pub grantee_id: uuid::Uuid,
    /// The owner granting it (account-limited keys: the actor, which must be the owner).
    #[serde(default)]
    pub granted_by: Option<uuid::Uuid>,
    /// Permissions (at least one).
    #[schema(min_items = 1, max_items = 3)]
    pub permissions: Vec<PermissionDto>,
    /// The owner saw and acknowledged the warning of ADMIN-03 ("you are responsible for their
    /// actions"); the grant is refused otherwise.
    pub warning_acknowledged: bool,
}

/// Who revokes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeGrant {
    /// The person revoking (account-limited keys: the actor).
    #[serde(default)]
    pub revoked_by: Option<uuid::Uuid>,
}

/// An administrator grant.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GrantOut {
    /// Id.
    pub id: String,
    /// Account.
    pub account_id: String,
    /// Grantee.
    pub grantee_id: String,
    /// Grantor.
    pub granted_by: String,
    /// Permissions.
    pub permissions: Vec<String>,
    /// When the warning was acknowledged.
    pub warning_ack_at: String,
    /// Granted.
    pub granted_at: String,
    /// Revoked.
    pub revoked_at: Option<String>,
    /// By whom.
    pub revoked_by: Option<String>,
}

/// Grants of an account.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GrantList {
    /// Active and revoked, oldest first (ADMIN-09).
    pub grants: Vec<GrantOut>,
}

/// An agreement of the policy accepted for an account, in the text version shown now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptAgreement {
    /// The agreement's id in the policy (`customer_undertaking`, `usps_privacy_act_statement` …).
    #[schema(pattern = "^[a-z0-9_:.-]{1,64}$")]
    pub agreement: String,
    /// The text version the person was shown; refused unless it is the policy's current one
    /// (default: the current one).
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub version: Option<String>,
    /// The member who accepted (account-limited keys: the actor).
    #[serde(default)]
    pub accepted_by: Option<uuid::Uuid>,
}

/// A recorded acceptance.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AcceptanceOut {
    /// Id.
    pub id: String,
    /// The account.
    pub account_id: String,
    /// The agreement's id in the policy.
    pub agreement: String,
    /// The text version accepted.
    pub version: String,
    /// SHA-256 (hex) of the text shown, when the policy carries the text (USPSPA-01).
    pub text_sha256: Option<String>,
    /// The member who accepted.
    pub accepted_by: String,
    /// When.
    pub accepted_at: String,
}

/// Where an account stands with one agreement of the policy.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgreementStatusOut {
    /// The agreement's id in the policy.
    pub agreement: String,
    /// What it is called.
    pub name: String,
    /// The policy's current text version.
    pub current_version: String,
    /// SHA-256 (hex) of the current text, when the policy carries one.
    pub text_sha256: Option<String>,
    /// The current text, verbatim, when the policy carries one (what a person is shown and
    /// accepts; an acceptance whose `text_sha256` equals `text_sha256` above accepted it).
    pub text: Option<String>,
    /// An acceptance of a version the policy honours is recorded: decisions for the account's
    /// members (and the data it collects) pass this agreement.
    pub accepted: bool,
    /// The newest such acceptance.
    pub acceptance: Option<AcceptanceOut>,
}

/// An account's agreements.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgreementList {
    /// The account.
    pub account_id: String,
    /// Every agreement the policy declares, with where the account stands.
    pub agreements: Vec<AgreementStatusOut>,
    /// Every acceptance recorded, oldest first.
    pub acceptances: Vec<AcceptanceOut>,
}

/// A carrier the account holder selected (CARRIER-01).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectCarrier {
    /// The carrier: a recipient id of the policy that requires a carrier selection
    /// (`CAR_UPS` …).
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub carrier: String,
    /// The shipment it is selected for (an order or label number; none: until withdrawn).
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub shipment: Option<String>,
    /// The version of the carrier's own terms the holder agreed to (CARRIER-06).
    #[serde(default)]
    #[schema(pattern = "^[A-Za-z0-9_:.-]{1,64}$")]
    pub terms_version: Option<String>,
    /// The member who selected it (account-limited keys: the actor; default: the owner).
    #[serde(default)]
    pub selected_by: Option<uuid::Uuid>,
}

/// Withdraw a carrier selection.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawCarrier {
    /// The member who withdrew it (account-limited keys: the actor; default: the owner).
    #[serde(default)]
    pub withdrawn_by: Option<uuid::Uuid>,
}

/// A recorded carrier selection.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CarrierSelectionOut {
    /// Id.
    pub id: String,
    /// The account.
    pub account_id: String,
    /// The carrier's recipient id in the policy.
    pub carrier: String,
    /// The shipment it was selected for, if any.
    pub shipment: Option<String>,
    /// The version of the carrier's terms agreed to, if recorded (CARRIER-06).
    pub terms_version: Option<String>,
    /// The member who selected it.
    pub selected_by: String,
    /// When.
    pub selected_at: String,
    /// Not withdrawn: decisions for the account's members may disclose to this carrier.
    pub active: bool,
    /// When it was withdrawn, if it was.
    pub withdrawn_at: Option<String>,
    /// Who withdrew it.
    pub withdrawn_by: Option<String>,
}

/// An account's carrier selections, withdrawn ones included, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CarrierList {
    /// The account.
    pub account_id: String,
    /// The selections.
    pub carriers: Vec<CarrierSelectionOut>,
}

#[cfg(feature = "core")]
mod convert {
    use steward_store::model::account::{
        AccountRecord, AccountStatus, AdminGrant, AdminPermission, MemberRecord, MemberRole,
    };

    use steward_core::agreements::AccountAgreements;
    use steward_core::carriers::AccountCarriers;
    use steward_store::model::account::{AgreementAcceptance, CarrierSelection};

    use super::{
        AcceptanceOut, AccountOut, AgreementList, AgreementStatusOut, CarrierList,
        CarrierSelectionOut, GrantOut, MemberOut, PermissionDto,
    };
    use crate::common::{ots, ts};

    impl From<&AgreementAcceptance> for AcceptanceOut {
        fn from(a: &AgreementAcceptance) -> Self {
            AcceptanceOut {
                id: a.id.to_string(),
                account_id: a.account.to_string(),
                agreement: a.agreement.as_str().to_string(),
                version: a.version.as_str().to_string(),
                text_sha256: a.text_sha256.map(|d| d.to_hex()),
                accepted_by: a.accepted_by.to_string(),
                accepted_at: ts(a.accepted_at),
            }
        }
    }

    impl From<&CarrierSelection> for CarrierSelectionOut {
        fn from(c: &CarrierSelection) -> Self {
            CarrierSelectionOut {
                id: c.id.to_string(),
                account_id: c.account.to_string(),
                carrier: c.carrier.as_str().to_string(),
                shipment: c.shipment.as_ref().map(|s| s.as_str().to_string()),
                terms_version: c.terms_version.as_ref().map(|v| v.as_str().to_string()),
                selected_by: c.selected_by.to_string(),
                selected_at: ts(c.selected_at),
                active: c.is_active(),
                withdrawn_at: c.withdrawn.map(|(at, _)| ts(at)),
                withdrawn_by: c.withdrawn.map(|(_, by)| by.to_string()),
            }
        }
    }

    impl From<&AccountCarriers> for CarrierList {
        fn from(a: &AccountCarriers) -> Self {
            CarrierList {
                account_id: a.account.to_string(),
                carriers: a.selections.iter().map(CarrierSelectionOut::from).collect(),
            }
        }
    }

    impl From<&AccountAgreements> for AgreementList {
        fn from(a: &AccountAgreements) -> Self {
            AgreementList {
                account_id: a.account.to_string(),
                agreements: a
                    .agreements
                    .iter()
                    .map(|s| AgreementStatusOut {
                        agreement: s.agreement.clone(),
                        name: s.name.clone(),
                        current_version: s.current_version.clone(),
                        text_sha256: s.text_sha256.clone(),
                        text: s.text.clone(),
                        accepted: s.accepted.is_some(),
                        acceptance: s.accepted.as_ref().map(AcceptanceOut::from),
                    })
                    .collect(),
                acceptances: a.acceptances.iter().map(AcceptanceOut::from).collect(),
            }
        }
    }

    impl From<&AccountRecord> for AccountOut {
        fn from(a: &AccountRecord) -> Self {
            AccountOut {
                id: a.id.to_string(),
                owner_id: a.owner.to_string(),
                status: match a.status {
                    AccountStatus::Open => "open",
                    AccountStatus::Closed => "closed",
                }
                .to_string(),
                created_at: ts(a.created_at),
                closed_at: ots(a.closed_at),
            }
        }
    }

    impl From<&MemberRecord> for MemberOut {
        fn from(m: &MemberRecord) -> Self {
            MemberOut {
                subject_id: m.subject.to_string(),
                role: match m.role {
                    MemberRole::Owner => "owner",
                    MemberRole::User => "user",
                }
                .to_string(),
                added_at: ts(m.added_at),
                removed_at: ots(m.removed_at),
            }
        }
    }

    impl From<PermissionDto> for AdminPermission {
        fn from(p: PermissionDto) -> Self {
            match p {
                PermissionDto::ViewPi => AdminPermission::ViewPi,
                PermissionDto::ChangePi => AdminPermission::ChangePi,
                PermissionDto::DeletePi => AdminPermission::DeletePi,
            }
        }
    }

    impl From<&AdminGrant> for GrantOut {
        fn from(g: &AdminGrant) -> Self {
            GrantOut {
                id: g.id.to_string(),
                account_id: g.account.to_string(),
                grantee_id: g.grantee.to_string(),
                granted_by: g.granted_by.to_string(),
                permissions: g
                    .permissions
                    .iter()
                    .map(|p| p.as_str().to_string())
                    .collect(),
                warning_ack_at: ts(g.warning_ack_at),
                granted_at: ts(g.granted_at),
                revoked_at: ots(g.revoked_at),
                revoked_by: g.revoked_by.map(|s| s.to_string()),
            }
        }
    }
}
