//! What an account holder sees of the administrators of their accounts (ADMIN-01, ADMIN-02,
//! ADMIN-03, ADMIN-04, ADMIN-06, ADMIN-09): who holds or held administrator access, with
//! which permissions, the policy's own warning about it, and what administrators did to the
//! holder's data, read from the audit log (the read of the log is itself audited, AUD-06).
//!
//! The warning is the policy's text: the statements of the policy file that give rise to the
//! administrator requirements (`ADMIN-02`, `ADMIN-03`), in policy order; a policy without
//! them shows none.

use std::collections::BTreeSet;

use jiff::Timestamp;
use steward_store::ids::{AccountId, SubjectId};
use steward_store::model::account::{AdminGrant, MemberRole};
use steward_store::model::audit::{Actor, AuditQuery};

use crate::error::CoreError;
use crate::{Caller, Steward};

/// The most administrator actions shown per account (newest first).
pub const MAX_ACTIONS: usize = 50;

/// The requirement ids whose statements are the warning shown with the grants.
const WARNING_REQUIREMENTS: [&str; 2] = ["ADMIN-02", "ADMIN-03"];

/// One thing an administrator did to the holder's data (an audit entry).
#[derive(Debug, Clone)]
pub struct AdminAction {
    /// When.
    pub at: Timestamp,
    /// The administrator (a subject).
    pub actor: SubjectId,
    /// The audited action (`item.read`, `item.rectify`, `item.erase` …).
    pub action: String,
    /// The categories of data concerned.
    pub categories: Vec<String>,
    /// For a decision: whether it was allowed.
    pub allowed: Option<bool>,
}

/// One account the person holds, with its administrators and what they did.
#[derive(Debug, Clone)]
pub struct HeldAccount {
    /// The account.
    pub account: AccountId,
    /// Every grant, active and revoked, oldest first (ADMIN-09).
    pub grants: Vec<AdminGrant>,
    /// What administrators did to the holder's data, newest first (at most [`MAX_ACTIONS`]).
    pub actions: Vec<AdminAction>,
}

/// The holder's view.
#[derive(Debug, Clone)]
pub struct AdministratorsView {
    /// The policy's warning about administrator access (its statements' texts).
    pub warning: Vec<String>,
    /// The accounts the person holds.
    pub accounts: Vec<HeldAccount>,
}

impl Steward {
    /// The policy's warning about administrator access: the texts of the statements that
    /// give rise to `ADMIN-02` and `ADMIN-03`, in policy order.
    #[must_use]
    pub fn administrator_warning(&self) -> Vec<String> {
        self.engine()
            .file
            .statements
            .iter()
            .filter(|s| {
                s.requirements
                    .iter()
                    .any(|r| WARNING_REQUIREMENTS.contains(&r.as_str()))
            })
            .map(|s| s.text.trim().to_string())
            .collect()
    }

    /// The administrators of the accounts `holder` holds and what they did to the holder's
    /// data. Reads the audit log as `caller` (audited).
    ///
    /// # Errors
    /// `NotFound` subject; store failures.
    pub async fn administrators_view(
        &self,
        caller: &Caller,
        holder: SubjectId,
    ) -> Result<AdministratorsView, CoreError> {
        self.store.get_subject(holder).await?;
        let held: Vec<AccountId> = self
            .store
            .memberships_of(holder)
            .await?
            .into_iter()
            .filter(|m| m.role == MemberRole::Owner && m.removed_at.is_none())
            .map(|m| m.account)
            .collect();
        let mut accounts = Vec::with_capacity(held.len());
        for account in held {
            accounts.push(HeldAccount {
                account,
                grants: self.store.list_admin_grants(account).await?,
                actions: Vec::new(),
            });
        }
        let grantees: BTreeSet<SubjectId> = accounts
            .iter()
            .flat_map(|a| a.grants.iter().map(|g| g.grantee))
            .filter(|g| *g != holder)
            .collect();
        if !grantees.is_empty() {
            // ADMIN-04: every administrator action on the holder's data is audited with the
            // administrator as actor and the holder as subject.
            let mut q = AuditQuery::all(AuditQuery::MAX_LIMIT);
            q.subject = Some(holder);
            let entries = self.query_audit(caller, q).await?;
            for e in entries.into_iter().rev() {
                let ev = e.event;
                let Actor::Subject(actor) = ev.actor else {
                    continue;
                };
                if !grantees.contains(&actor) {
                    continue;
                }
                let Some(acc) = accounts.iter_mut().find(|a| {
                    a.grants.iter().any(|g| g.grantee == actor)
                        && ev.account.is_none_or(|x| x == a.account)
                }) else {
                    continue;
                };
                if acc.actions.len() >= MAX_ACTIONS {
                    continue;
                }
                acc.actions.push(AdminAction {
                    at: ev.at,
                    actor,
                    action: ev.action.as_str().to_string(),
                    categories: ev
                        .categories
                        .iter()
                        .map(|c| c.as_str().to_string())
                        .collect(),
                    allowed: ev.outcome.map(|o| o.allow),
                });
            }
        }
        Ok(AdministratorsView {
            warning: self.administrator_warning(),
            accounts,
        })
    }
}
