//! Accounts, members and administrator grants (ADMIN-01, ADMIN-03, ADMIN-05, ADMIN-09).

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

#[cfg(feature = "core")]
mod convert {
    use steward_store::model::account::{
        AccountRecord, AccountStatus, AdminGrant, AdminPermission, MemberRecord, MemberRole,
    };

    use super::{AccountOut, GrantOut, MemberOut, PermissionDto};
    use crate::common::{ots, ts};

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
