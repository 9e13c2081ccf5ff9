//! Accounts, their members and administrator grants (ADMIN-*).
//!
//! An administrator sees, changes or deletes account data only through an explicit grant; the
//! grant records grantor, grantee, permissions and the time the warning of ADMIN-03 was
//! acknowledged. Revoked grants stay listed (ADMIN-09).

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::coded_enum;
use crate::ids::{AcceptanceId, AccountId, GrantId, SelectionId, SubjectId};
use crate::values::{AgreementKey, AgreementVersion, Digest, EntityKey, RecipientKey, ShipmentRef};

/// An acceptance of an agreement the policy declares (`[[agreement]]`): the Customer's
/// data-protection undertaking, a USPS Privacy Act Statement, a carrier notice (CUST-01,
/// USPSPA-01, CARRIER-02). Append-only; a later acceptance of a newer version adds a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementAcceptance {
    /// Caller-chosen id.
    pub id: AcceptanceId,
    /// The account it was accepted for.
    pub account: AccountId,
    /// The agreement's id in the policy.
    pub agreement: AgreementKey,
    /// The text version accepted.
    pub version: AgreementVersion,
    /// SHA-256 of the text shown, when the policy carries the text (USPSPA-01).
    pub text_sha256: Option<Digest>,
    /// The member who accepted.
    pub accepted_by: SubjectId,
    /// When.
    pub accepted_at: Timestamp,
}

/// A carrier the account holder selected (CARRIER-01): the policy's recipient (one that
/// `requires = "carrier_selection"`), who selected it, when, optionally for which shipment and
/// under which version of the carrier's own terms (CARRIER-06). A stored subject's decisions
/// read the selections of its accounts that are not withdrawn; a withdrawal is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarrierSelection {
    /// Caller-chosen id.
    pub id: SelectionId,
    /// The account it was selected for.
    pub account: AccountId,
    /// The carrier: a recipient id of the policy.
    pub carrier: RecipientKey,
    /// The shipment it was selected for (none: the account's carrier until withdrawn).
    pub shipment: Option<ShipmentRef>,
    /// The version of the carrier's terms the account holder agreed to (CARRIER-06).
    pub terms_version: Option<AgreementVersion>,
    /// The member who selected it.
    pub selected_by: SubjectId,
    /// When.
    pub selected_at: Timestamp,
    /// When it was withdrawn, and by whom.
    pub withdrawn: Option<(Timestamp, SubjectId)>,
}

impl CarrierSelection {
    /// Not withdrawn.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.withdrawn.is_none()
    }
}

coded_enum! {
    /// Whether an account is open.
    pub enum AccountStatus: "account status" {
        /// Open.
        Open = 1, "open",
        /// Closed (retention triggers such as "account closed + N years" start here).
        Closed = 2, "closed",
    }
}

/// An account to create; its owner becomes a member with role `Owner` in the same transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    /// Caller-chosen id.
    pub id: AccountId,
    /// The account holder.
    pub owner: SubjectId,
    /// The controlling entity (DM-05).
    pub controller: EntityKey,
    /// Creation time.
    pub created_at: Timestamp,
}

/// A stored account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    /// The id.
    pub id: AccountId,
    /// The account holder.
    pub owner: SubjectId,
    /// The controlling entity.
    pub controller: EntityKey,
    /// Open or closed.
    pub status: AccountStatus,
    /// Creation time.
    pub created_at: Timestamp,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
}

coded_enum! {
    /// A member's role in an account.
    pub enum MemberRole: "member role" {
        /// The account holder.
        Owner = 1, "owner",
        /// Another user of the account (rights come from administrator grants, not from the role).
        User = 2, "user",
    }
}

/// A membership.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRecord {
    /// The account.
    pub account: AccountId,
    /// The member.
    pub subject: SubjectId,
    /// The role.
    pub role: MemberRole,
    /// When the subject was (last) added.
    pub added_at: Timestamp,
    /// When the subject was removed, if it was.
    pub removed_at: Option<Timestamp>,
}

coded_enum! {
    /// What an administrator may do with the account's personal information (ADMIN-01).
    pub enum AdminPermission: "admin permission" {
        /// See it.
        ViewPi = 1, "view_pi",
        /// Change it.
        ChangePi = 2, "change_pi",
        /// Delete it (account-level deletion, not an erasure request: ADMIN-06).
        DeletePi = 3, "delete_pi",
    }
}

/// A set of administrator permissions; stored as a bit set (bit `code - 1`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AdminPermissions(BTreeSet<AdminPermission>);

impl AdminPermissions {
    /// View, change and delete.
    pub fn all() -> Self {
        Self(AdminPermission::ALL.iter().copied().collect())
    }

    /// Whether the set holds `p`.
    pub fn contains(&self, p: AdminPermission) -> bool {
        self.0.contains(&p)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The permissions, in code order.
    pub fn iter(&self) -> impl Iterator<Item = AdminPermission> + '_ {
        self.0.iter().copied()
    }

    /// The stored bit set.
    pub fn bits(&self) -> u8 {
        self.0
            .iter()
            .fold(0u8, |acc, p| acc | (1 << (p.code() - 1)))
    }

    /// From a stored bit set; unknown bits are an error.
    pub fn from_bits(bits: u8) -> Result<Self, crate::error::StoreError> {
        let mut set = BTreeSet::new();
        for p in AdminPermission::ALL {
            if bits & (1 << (p.code() - 1)) != 0 {
                set.insert(*p);
            }
        }
        let me = Self(set);
        if me.bits() == bits {
            Ok(me)
        } else {
            Err(crate::error::StoreError::corrupt("admin permissions"))
        }
    }
}

impl FromIterator<AdminPermission> for AdminPermissions {
    fn from_iter<T: IntoIterator<Item = AdminPermission>>(iter: T) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// An administrator grant to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAdminGrant {
    /// Caller-chosen id.
    pub id: GrantId,
    /// The account.
    pub account: AccountId,
    /// Who receives the access.
    pub grantee: SubjectId,
    /// Who gave it (the account owner).
    pub granted_by: SubjectId,
    /// What the grantee may do; must not be empty.
    pub permissions: AdminPermissions,
    /// ADMIN-03: when the grantor acknowledged the warning. Required by type: no ack, no grant.
    pub warning_ack_at: Timestamp,
    /// When the grant was made.
    pub granted_at: Timestamp,
}

/// A stored administrator grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminGrant {
    /// The id.
    pub id: GrantId,
    /// The account.
    pub account: AccountId,
    /// Who holds the access.
    pub grantee: SubjectId,
    /// Who gave it.
    pub granted_by: SubjectId,
    /// What the grantee may do.
    pub permissions: AdminPermissions,
    /// When the warning was acknowledged.
    pub warning_ack_at: Timestamp,
    /// When the grant was made.
    pub granted_at: Timestamp,
    /// When it was revoked (ADMIN-05: effective immediately).
    pub revoked_at: Option<Timestamp>,
    /// Who revoked it.
    pub revoked_by: Option<SubjectId>,
}

impl AdminGrant {
    /// Whether the grant is in force at `at`: granted at or before, not revoked at or before.
    pub fn is_active_at(&self, at: Timestamp) -> bool {
        self.granted_at <= at && self.revoked_at.is_none_or(|r| at < r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_bits_round_trip() {
        let all = AdminPermissions::all();
        assert_eq!(all.bits(), 0b111);
        assert_eq!(AdminPermissions::from_bits(0b101).unwrap().bits(), 0b101);
        assert!(AdminPermissions::from_bits(0b1000).is_err());
        let view: AdminPermissions = [AdminPermission::ViewPi].into_iter().collect();
        assert!(view.contains(AdminPermission::ViewPi));
        assert!(!view.contains(AdminPermission::DeletePi));
    }
}
