//! Accounts, members and administrator grants (ADMIN-01, ADMIN-02, ADMIN-03, ADMIN-04, ADMIN-05, ADMIN-06, ADMIN-07, ADMIN-08, ADMIN-09), and the access check that
//! limits an account's administrators to that account's data.
//!
//! An account owner grants administrator access to other members, with permissions
//! {view_pi, change_pi, delete_pi}; the grant is refused unless the warning of ADMIN-03 was
//! acknowledged. Every grant, revocation and administrator action is audited with the acting
//! individual (ADMIN-04). [`Steward::account_access`] is the one place that decides whether a
//! person acting through an account may touch a subject: themselves, or the account holder's
//! data with an active grant holding the needed permission; anything else is "not found"
//! (the same answer as for a subject that does not exist).

use steward_errors::ErrorCode;
use steward_store::ids::{AccountId, GrantId, SubjectId};
use steward_store::model::account::{
    AccountRecord, AdminGrant, AdminPermission, AdminPermissions, MemberRecord, MemberRole,
    NewAccount, NewAdminGrant,
};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::values::FieldName;

use crate::error::CoreError;
use crate::{Caller, Steward};

fn grant_ref(id: GrantId) -> Option<EventRef> {
    Some(EventRef {
        name: FieldName::new("grant").ok()?,
        id: id.as_uuid(),
    })
}

impl Steward {
    /// Open an account held by `owner` (who becomes its `owner` member).
    ///
    /// # Errors
    /// `NotFound` owner.
    pub async fn create_account(
        &self,
        caller: &Caller,
        owner: SubjectId,
    ) -> Result<AccountRecord, CoreError> {
        let record = self
            .store
            .create_account(&NewAccount {
                id: AccountId::generate(),
                owner,
                controller: self.controller.clone(),
                created_at: steward_store::values::store_precision(self.clock.now()),
            })
            .await?;
        let mut e = self.event(AuditKind::Admin, "account.create", caller);
        e.account = Some(record.id);
        e.subject = Some(owner);
        self.audit.append_one(e).await?;
        Ok(record)
    }

    /// An account.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn get_account(&self, id: AccountId) -> Result<AccountRecord, CoreError> {
        Ok(self.store.get_account(id).await?)
    }

    /// Add a member (a `user` of the account).
    ///
    /// # Errors
    /// `NotFound` account or subject, `Conflict` for a closed account.
    pub async fn add_member(
        &self,
        caller: &Caller,
        account: AccountId,
        subject: SubjectId,
    ) -> Result<MemberRecord, CoreError> {
        let m = self
            .store
            .add_member(
                account,
                subject,
                MemberRole::User,
                steward_store::values::store_precision(self.clock.now()),
            )
            .await?;
        // The membership changes the subject's facts (the account's agreements).
        self.invalidate_facts(subject);
        let mut e = self.event(AuditKind::Admin, "account.add_member", caller);
        e.account = Some(account);
        e.subject = Some(subject);
        self.audit.append_one(e).await?;
        Ok(m)
    }

    /// The members of an account, current and removed.
    ///
    /// # Errors
    /// Store failures.
    pub async fn members(&self, account: AccountId) -> Result<Vec<MemberRecord>, CoreError> {
        Ok(self.store.list_members(account).await?)
    }

    /// Grant administrator access (ADMIN-01). Only the owner grants; the warning must have
    /// been acknowledged (ADMIN-03); the grantee must be a current member.
    ///
    /// # Errors
    /// `Invalid(WARNING_NOT_ACKNOWLEDGED | NO_PERMISSIONS)`, `NotFound` for a grantor who is not
    /// the owner or a grantee who is not a member.
    pub async fn grant_admin(
        &self,
        caller: &Caller,
        account: AccountId,
        granted_by: SubjectId,
        grantee: SubjectId,
        permissions: AdminPermissions,
        warning_acknowledged: bool,
    ) -> Result<AdminGrant, CoreError> {
        if !warning_acknowledged {
            return Err(CoreError::invalid(
                ErrorCode::WarningNotAcknowledged,
                "the administrator warning must be acknowledged before granting access (ADMIN-03)",
            ));
        }
        if permissions.is_empty() {
            return Err(CoreError::invalid(
                ErrorCode::NoPermissions,
                "a grant needs at least one of view_pi, change_pi, delete_pi",
            ));
        }
        let acc = self.store.get_account(account).await?;
        if acc.owner != granted_by {
            return Err(CoreError::NotFound("account"));
        }
        let current = self
            .store
            .list_members(account)
            .await?
            .iter()
            .any(|m| m.subject == grantee && m.removed_at.is_none());
        if !current {
            return Err(CoreError::NotFound("member"));
        }
        let now = steward_store::values::store_precision(self.clock.now());
        let grant = self
            .store
            .grant_admin(&NewAdminGrant {
                id: GrantId::generate(),
                account,
                grantee,
                granted_by,
                permissions,
                warning_ack_at: now,
                granted_at: now,
            })
            .await?;
        let mut e = self.event(AuditKind::Admin, "admin.grant", caller);
        e.account = Some(account);
        e.subject = Some(grantee);
        e.refs.extend(grant_ref(grant.id));
        self.audit.append_one(e).await?;
        Ok(grant)
    }

    /// Revoke a grant (ADMIN-05: effective immediately — access checks read the store).
    ///
    /// # Errors
    /// `NotFound` grant (or a grant of another account).
    pub async fn revoke_admin(
        &self,
        caller: &Caller,
        account: AccountId,
        grant: GrantId,
        revoked_by: SubjectId,
    ) -> Result<AdminGrant, CoreError> {
        let grants = self.store.list_admin_grants(account).await?;
        if !grants.iter().any(|g| g.id == grant) {
            return Err(CoreError::NotFound("administrator grant"));
        }
        let g = self
            .store
            .revoke_admin(
                grant,
                revoked_by,
                steward_store::values::store_precision(self.clock.now()),
            )
            .await?;
        let mut e = self.event(AuditKind::Admin, "admin.revoke", caller);
        e.account = Some(account);
        e.subject = Some(g.grantee);
        e.refs.extend(grant_ref(g.id));
        self.audit.append_one(e).await?;
        Ok(g)
    }

    /// Every grant of an account, active and revoked (ADMIN-09).
    ///
    /// # Errors
    /// Store failures.
    pub async fn admin_grants(&self, account: AccountId) -> Result<Vec<AdminGrant>, CoreError> {
        Ok(self.store.list_admin_grants(account).await?)
    }

    /// May `actor`, acting through `account`, touch `target`'s data with permission `need`?
    /// Returns the caller to act as: the subject themself, or an administrator (ADMIN-02, ADMIN-04).
    ///
    /// # Errors
    /// `NotFound("subject")` for everything that is not allowed, so that "not yours" and
    /// "does not exist" answer alike.
    pub async fn account_access(
        &self,
        account: AccountId,
        actor: SubjectId,
        target: SubjectId,
        need: AdminPermission,
    ) -> Result<Caller, CoreError> {
        let hidden = || CoreError::NotFound("subject");
        let acc = match self.store.get_account(account).await {
            Ok(a) => a,
            Err(steward_store::error::StoreError::NotFound(_)) => return Err(hidden()),
            Err(e) => return Err(e.into()),
        };
        let members = self.store.list_members(account).await?;
        let is_member = |s: SubjectId| {
            members
                .iter()
                .any(|m| m.subject == s && m.removed_at.is_none())
        };
        if !is_member(actor) {
            return Err(hidden());
        }
        if actor == target {
            return Ok(Caller::Subject(actor));
        }
        if target != acc.owner {
            // ADMIN-08: a member's own data is theirs, not the account's.
            return Err(hidden());
        }
        let now = self.clock.now();
        let grants = self.store.active_admin_grants(account, actor, now).await?;
        if grants.iter().any(|g| g.permissions.contains(need)) {
            Ok(Caller::Admin(actor))
        } else {
            Err(hidden())
        }
    }

    /// Whether `subject` is a current member (or the owner) of `account`.
    ///
    /// # Errors
    /// Store failures.
    pub async fn is_account_member(
        &self,
        account: AccountId,
        subject: SubjectId,
    ) -> Result<bool, CoreError> {
        Ok(self
            .store
            .list_members(account)
            .await?
            .iter()
            .any(|m| m.subject == subject && m.removed_at.is_none()))
    }

    /// The subject an item belongs to (for access checks before a read or write).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn item_owner(
        &self,
        item: steward_store::ids::ItemId,
    ) -> Result<SubjectId, CoreError> {
        Ok(self.store.get_item(item).await?.subject)
    }

    /// Read a subject's record, audited as a read with the caller (AUD-06, ADMIN-04: an
    /// administrator's view of the account holder's data names the individual).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn read_subject(
        &self,
        caller: &Caller,
        id: SubjectId,
    ) -> Result<steward_store::model::subject::SubjectRecord, CoreError> {
        let r = self.store.get_subject(id).await?;
        let mut e = self.event(AuditKind::Read, "subject.read", caller);
        e.subject = Some(id);
        self.audit.append_one(e).await?;
        Ok(r)
    }
}
