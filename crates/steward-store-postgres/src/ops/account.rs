//! Accounts, members and administrator grants.

use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use steward_store::values::store_precision;
use steward_store::{
    AcceptanceId, AccountId, AccountRecord, AccountStatus, AdminGrant, AdminPermissions,
    AgreementAcceptance, CarrierSelection, ConflictReason, Entity, GrantId, MemberRecord,
    MemberRole, NewAccount, NewAdminGrant, SelectionId, StoreError, SubjectId, ValueError,
};
use tokio_postgres::Row;

use super::subject;
use crate::sql::{PgTime, RowExt, exec, i16_of, query_opt, query_vec};

const ACCOUNT_COLS: &str = "id, owner, controller, status, created_at, closed_at";

fn decode_account(r: &Row) -> Result<AccountRecord, StoreError> {
    Ok(AccountRecord {
        id: AccountId::from_uuid(r.uuid(0, "account id")?),
        owner: SubjectId::from_uuid(r.uuid(1, "owner")?),
        controller: r.key(2, "controller")?,
        status: AccountStatus::from_code(r.code(3, "account status")?)?,
        created_at: r.time(4)?,
        closed_at: r.opt_time(5)?,
    })
}

pub(crate) async fn get<C: GenericClient>(
    c: &C,
    id: AccountId,
) -> Result<Option<AccountRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE id = $1"),
        &[&id.as_uuid()],
        decode_account,
    )
    .await
}

async fn require<C: GenericClient>(c: &C, id: AccountId) -> Result<AccountRecord, StoreError> {
    get(c, id)
        .await?
        .ok_or(StoreError::NotFound(Entity::Account))
}

/// The account, share-locked against closing until the transaction ends, if it is open.
async fn require_open<C: GenericClient>(
    tx: &C,
    id: AccountId,
) -> Result<AccountRecord, StoreError> {
    let a = query_opt(
        tx,
        &format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE id = $1 FOR SHARE"),
        &[&id.as_uuid()],
        decode_account,
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Account))?;
    if a.status == AccountStatus::Closed {
        return Err(StoreError::conflict(
            Entity::Account,
            ConflictReason::AccountClosed,
        ));
    }
    Ok(a)
}

async fn require_subject<C: GenericClient>(c: &C, id: SubjectId) -> Result<(), StoreError> {
    if subject::exists(c, id).await? {
        Ok(())
    } else {
        Err(StoreError::NotFound(Entity::Subject))
    }
}

pub(crate) async fn create<C: GenericClient>(
    tx: &C,
    a: &NewAccount,
) -> Result<AccountRecord, StoreError> {
    if let Some(existing) = get(tx, a.id).await? {
        return same_account(existing, a);
    }
    require_subject(tx, a.owner).await?;
    let n = exec(
        tx,
        "INSERT INTO accounts (id, owner, controller, status, created_at, closed_at) \
         VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (id) DO NOTHING",
        &[
            &a.id.as_uuid(),
            &a.owner.as_uuid(),
            &a.controller.as_str(),
            &i16_of(AccountStatus::Open.code()),
            &PgTime::of(a.created_at),
        ],
    )
    .await?;
    if n == 0 {
        // Created by a concurrent request meanwhile.
        return same_account(require(tx, a.id).await?, a);
    }
    exec(
        tx,
        "INSERT INTO account_members (account, subject, role, added_at, removed_at) \
         VALUES ($1, $2, $3, $4, NULL)",
        &[
            &a.id.as_uuid(),
            &a.owner.as_uuid(),
            &i16_of(MemberRole::Owner.code()),
            &PgTime::of(a.created_at),
        ],
    )
    .await?;
    require(tx, a.id).await
}

fn same_account(existing: AccountRecord, a: &NewAccount) -> Result<AccountRecord, StoreError> {
    let same = existing.owner == a.owner
        && existing.controller == a.controller
        && existing.created_at == store_precision(a.created_at);
    if same {
        Ok(existing)
    } else {
        Err(StoreError::conflict(
            Entity::Account,
            ConflictReason::DifferentContent,
        ))
    }
}

pub(crate) async fn close<C: GenericClient>(
    c: &C,
    id: AccountId,
    at: Timestamp,
) -> Result<AccountRecord, StoreError> {
    exec(
        c,
        "UPDATE accounts SET status = $2, closed_at = $3 WHERE id = $1 AND closed_at IS NULL",
        &[
            &id.as_uuid(),
            &i16_of(AccountStatus::Closed.code()),
            &PgTime::of(at),
        ],
    )
    .await?;
    require(c, id).await
}

pub(crate) const MEMBER_COLS: &str = "account, subject, role, added_at, removed_at";

fn decode_member(r: &Row) -> Result<MemberRecord, StoreError> {
    decode_member_at(r)
}

/// [`decode_member`] over any row view (a column group of a wider row: `crate::sql::At`).
pub(crate) fn decode_member_at(r: &impl RowExt) -> Result<MemberRecord, StoreError> {
    Ok(MemberRecord {
        account: AccountId::from_uuid(r.uuid(0, "account id")?),
        subject: SubjectId::from_uuid(r.uuid(1, "subject id")?),
        role: MemberRole::from_code(r.code(2, "member role")?)?,
        added_at: r.time(3)?,
        removed_at: r.opt_time(4)?,
    })
}

async fn member<C: GenericClient>(
    c: &C,
    account: AccountId,
    subject: SubjectId,
) -> Result<Option<MemberRecord>, StoreError> {
    query_opt(
        c,
        &format!(
            "SELECT {MEMBER_COLS} FROM account_members WHERE account = $1 AND subject = $2 FOR UPDATE"
        ),
        &[&account.as_uuid(), &subject.as_uuid()],
        decode_member,
    )
    .await
}

pub(crate) async fn add_member<C: GenericClient>(
    tx: &C,
    account: AccountId,
    subject_id: SubjectId,
    role: MemberRole,
    at: Timestamp,
) -> Result<MemberRecord, StoreError> {
    require_open(tx, account).await?;
    require_subject(tx, subject_id).await?;
    let changed = match member(tx, account, subject_id).await? {
        Some(m) if m.removed_at.is_none() => {
            return if m.role == role {
                Ok(m)
            } else {
                Err(StoreError::conflict(
                    Entity::Member,
                    ConflictReason::DifferentContent,
                ))
            };
        }
        Some(_) => {
            exec(
                tx,
                "UPDATE account_members SET role = $3, added_at = $4, removed_at = NULL \
                 WHERE account = $1 AND subject = $2",
                &[
                    &account.as_uuid(),
                    &subject_id.as_uuid(),
                    &i16_of(role.code()),
                    &PgTime::of(at),
                ],
            )
            .await?
        }
        None => {
            exec(
                tx,
                "INSERT INTO account_members (account, subject, role, added_at, removed_at) \
                 VALUES ($1, $2, $3, $4, NULL) ON CONFLICT DO NOTHING",
                &[
                    &account.as_uuid(),
                    &subject_id.as_uuid(),
                    &i16_of(role.code()),
                    &PgTime::of(at),
                ],
            )
            .await?
        }
    };
    let m = member(tx, account, subject_id)
        .await?
        .ok_or(StoreError::NotFound(Entity::Member))?;
    if changed == 0 && m.role != role {
        // A concurrent add with another role won the race.
        return Err(StoreError::conflict(
            Entity::Member,
            ConflictReason::DifferentContent,
        ));
    }
    Ok(m)
}

pub(crate) async fn remove_member<C: GenericClient>(
    c: &C,
    account: AccountId,
    subject_id: SubjectId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let a = require(c, account).await?;
    if a.owner == subject_id {
        return Err(StoreError::conflict(
            Entity::Member,
            ConflictReason::IsOwner,
        ));
    }
    let n = exec(
        c,
        "UPDATE account_members SET removed_at = $3 \
         WHERE account = $1 AND subject = $2 AND removed_at IS NULL",
        &[&account.as_uuid(), &subject_id.as_uuid(), &PgTime::of(at)],
    )
    .await?;
    Ok(n > 0)
}

pub(crate) async fn list_members<C: GenericClient>(
    c: &C,
    account: AccountId,
) -> Result<Vec<MemberRecord>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {MEMBER_COLS} FROM account_members WHERE account = $1 ORDER BY added_at, subject"
        ),
        &[&account.as_uuid()],
        decode_member,
    )
    .await
}

pub(crate) async fn memberships_of<C: GenericClient>(
    c: &C,
    subject_id: SubjectId,
) -> Result<Vec<MemberRecord>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {MEMBER_COLS} FROM account_members WHERE subject = $1 ORDER BY added_at, account"
        ),
        &[&subject_id.as_uuid()],
        decode_member,
    )
    .await
}

const GRANT_COLS: &str = "id, account, grantee, granted_by, permissions, warning_ack_at, \
                          granted_at, revoked_at, revoked_by";

fn decode_grant(r: &Row) -> Result<AdminGrant, StoreError> {
    Ok(AdminGrant {
        id: GrantId::from_uuid(r.uuid(0, "grant id")?),
        account: AccountId::from_uuid(r.uuid(1, "account id")?),
        grantee: SubjectId::from_uuid(r.uuid(2, "grantee")?),
        granted_by: SubjectId::from_uuid(r.uuid(3, "granted by")?),
        permissions: AdminPermissions::from_bits(r.code(4, "admin permissions")?)?,
        warning_ack_at: r.time(5)?,
        granted_at: r.time(6)?,
        revoked_at: r.opt_time(7)?,
        revoked_by: r.opt_uuid(8, "revoked by")?.map(SubjectId::from_uuid),
    })
}

async fn grant<C: GenericClient>(c: &C, id: GrantId) -> Result<Option<AdminGrant>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {GRANT_COLS} FROM admin_grants WHERE id = $1"),
        &[&id.as_uuid()],
        decode_grant,
    )
    .await
}

fn same_grant(existing: AdminGrant, g: &NewAdminGrant) -> Result<AdminGrant, StoreError> {
    let same = existing.account == g.account
        && existing.grantee == g.grantee
        && existing.granted_by == g.granted_by
        && existing.permissions == g.permissions
        && existing.warning_ack_at == store_precision(g.warning_ack_at)
        && existing.granted_at == store_precision(g.granted_at);
    if same {
        Ok(existing)
    } else {
        Err(StoreError::conflict(
            Entity::AdminGrant,
            ConflictReason::DifferentContent,
        ))
    }
}

pub(crate) async fn grant_admin<C: GenericClient>(
    tx: &C,
    g: &NewAdminGrant,
) -> Result<AdminGrant, StoreError> {
    if g.permissions.is_empty() {
        return Err(ValueError::new("administrator grant", "needs at least one permission").into());
    }
    if let Some(existing) = grant(tx, g.id).await? {
        return same_grant(existing, g);
    }
    require_open(tx, g.account).await?;
    require_subject(tx, g.grantee).await?;
    require_subject(tx, g.granted_by).await?;
    let n = exec(
        tx,
        &format!(
            "INSERT INTO admin_grants ({GRANT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL) \
             ON CONFLICT (id) DO NOTHING"
        ),
        &[
            &g.id.as_uuid(),
            &g.account.as_uuid(),
            &g.grantee.as_uuid(),
            &g.granted_by.as_uuid(),
            &i16::from(g.permissions.bits()),
            &PgTime::of(g.warning_ack_at),
            &PgTime::of(g.granted_at),
        ],
    )
    .await?;
    let stored = grant(tx, g.id)
        .await?
        .ok_or(StoreError::NotFound(Entity::AdminGrant))?;
    if n == 0 {
        return same_grant(stored, g);
    }
    Ok(stored)
}

pub(crate) async fn revoke_admin<C: GenericClient>(
    c: &C,
    id: GrantId,
    by: SubjectId,
    at: Timestamp,
) -> Result<AdminGrant, StoreError> {
    exec(
        c,
        "UPDATE admin_grants SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL",
        &[&id.as_uuid(), &PgTime::of(at), &by.as_uuid()],
    )
    .await?;
    grant(c, id)
        .await?
        .ok_or(StoreError::NotFound(Entity::AdminGrant))
}

pub(crate) async fn list_grants<C: GenericClient>(
    c: &C,
    account: AccountId,
) -> Result<Vec<AdminGrant>, StoreError> {
    query_vec(
        c,
        &format!(
            "SELECT {GRANT_COLS} FROM admin_grants WHERE account = $1 ORDER BY granted_at, id"
        ),
        &[&account.as_uuid()],
        decode_grant,
    )
    .await
}

pub(crate) async fn active_grants<C: GenericClient>(
    c: &C,
    account: AccountId,
    grantee: SubjectId,
    at: Timestamp,
) -> Result<Vec<AdminGrant>, StoreError> {
    let mut grants = query_vec(
        c,
        &format!(
            "SELECT {GRANT_COLS} FROM admin_grants WHERE account = $1 AND grantee = $2 \
             AND granted_at <= $3 AND (revoked_at IS NULL OR revoked_at > $3)"
        ),
        &[&account.as_uuid(), &grantee.as_uuid(), &PgTime::of(at)],
        decode_grant,
    )
    .await?;
    grants.sort_by_key(|g| (g.granted_at, g.id));
    Ok(grants)
}

pub(crate) const ACCEPTANCE_COLS: &str =
    "id, account, agreement, version, text_sha256, accepted_by, accepted_at";

fn decode_acceptance(r: &Row) -> Result<AgreementAcceptance, StoreError> {
    decode_acceptance_at(r)
}

/// [`decode_acceptance`] over any row view (a column group of a wider row: `crate::sql::At`).
pub(crate) fn decode_acceptance_at(r: &impl RowExt) -> Result<AgreementAcceptance, StoreError> {
    Ok(AgreementAcceptance {
        id: AcceptanceId::from_uuid(r.uuid(0, "agreement acceptance id")?),
        account: AccountId::from_uuid(r.uuid(1, "account id")?),
        agreement: r.key(2, "agreement key")?,
        version: r.key(3, "agreement version")?,
        text_sha256: r.opt_digest(4)?,
        accepted_by: SubjectId::from_uuid(r.uuid(5, "accepted by")?),
        accepted_at: r.time(6)?,
    })
}

async fn acceptance<C: GenericClient>(
    c: &C,
    id: AcceptanceId,
) -> Result<Option<AgreementAcceptance>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {ACCEPTANCE_COLS} FROM agreement_acceptances WHERE id = $1"),
        &[&id.as_uuid()],
        decode_acceptance,
    )
    .await
}

fn same_acceptance(
    stored: &AgreementAcceptance,
    want: &AgreementAcceptance,
) -> Result<(), StoreError> {
    let mut want = want.clone();
    want.accepted_at = store_precision(want.accepted_at);
    if *stored == want {
        Ok(())
    } else {
        Err(StoreError::conflict(
            Entity::Account,
            ConflictReason::DifferentContent,
        ))
    }
}

/// Records agreement acceptances (CUST-01, USPSPA-01, CARRIER-02); a repeated id with the
/// same content is a no-op.
pub(crate) async fn record_agreements<C: GenericClient>(
    tx: &C,
    records: &[AgreementAcceptance],
) -> Result<(), StoreError> {
    for a in records {
        if let Some(existing) = acceptance(tx, a.id).await? {
            same_acceptance(&existing, a)?;
            continue;
        }
        require_open(tx, a.account).await?;
        require_subject(tx, a.accepted_by).await?;
        let digest = a.text_sha256.map(|d| d.0.to_vec());
        let n = exec(
            tx,
            &format!(
                "INSERT INTO agreement_acceptances ({ACCEPTANCE_COLS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING"
            ),
            &[
                &a.id.as_uuid(),
                &a.account.as_uuid(),
                &a.agreement.as_str(),
                &a.version.as_str(),
                &digest,
                &a.accepted_by.as_uuid(),
                &PgTime::of(a.accepted_at),
            ],
        )
        .await?;
        if n == 0 {
            let stored = acceptance(tx, a.id)
                .await?
                .ok_or(StoreError::NotFound(Entity::Account))?;
            same_acceptance(&stored, a)?;
        }
    }
    Ok(())
}

/// The acceptances of these accounts, oldest first.
pub(crate) async fn list_agreements<C: GenericClient>(
    c: &C,
    accounts: &[AccountId],
) -> Result<Vec<AgreementAcceptance>, StoreError> {
    let ids: Vec<uuid::Uuid> = accounts.iter().map(|a| a.as_uuid()).collect();
    query_vec(
        c,
        &format!(
            "SELECT {ACCEPTANCE_COLS} FROM agreement_acceptances WHERE account = ANY($1) \
             ORDER BY accepted_at, id"
        ),
        &[&ids],
        decode_acceptance,
    )
    .await
}

pub(crate) const SELECTION_COLS: &str = "id, account, carrier, shipment, terms_version, \
                                         selected_by, selected_at, withdrawn_at, withdrawn_by";

fn decode_selection(r: &Row) -> Result<CarrierSelection, StoreError> {
    decode_selection_at(r)
}

/// [`decode_selection`] over any row view (a column group of a wider row: `crate::sql::At`).
pub(crate) fn decode_selection_at(r: &impl RowExt) -> Result<CarrierSelection, StoreError> {
    let withdrawn = match (r.opt_time(7)?, r.opt_uuid(8, "withdrawn by")?) {
        (Some(at), Some(by)) => Some((at, SubjectId::from_uuid(by))),
        (None, None) => None,
        _ => return Err(StoreError::corrupt("carrier selection withdrawal")),
    };
    Ok(CarrierSelection {
        id: SelectionId::from_uuid(r.uuid(0, "carrier selection id")?),
        account: AccountId::from_uuid(r.uuid(1, "account id")?),
        carrier: r.key(2, "recipient key")?,
        shipment: r.opt_key(3, "shipment reference")?,
        terms_version: r.opt_key(4, "agreement version")?,
        selected_by: SubjectId::from_uuid(r.uuid(5, "selected by")?),
        selected_at: r.time(6)?,
        withdrawn,
    })
}

async fn selection<C: GenericClient>(
    c: &C,
    id: SelectionId,
) -> Result<Option<CarrierSelection>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {SELECTION_COLS} FROM carrier_selections WHERE id = $1"),
        &[&id.as_uuid()],
        decode_selection,
    )
    .await
}

/// The same selection, whatever happened to it since (a withdrawal does not make it differ).
fn same_selection(stored: &CarrierSelection, want: &CarrierSelection) -> Result<(), StoreError> {
    let mut stored = stored.clone();
    let mut want = want.clone();
    want.selected_at = store_precision(want.selected_at);
    stored.withdrawn = None;
    want.withdrawn = None;
    if stored == want {
        Ok(())
    } else {
        Err(StoreError::conflict(
            Entity::CarrierSelection,
            ConflictReason::DifferentContent,
        ))
    }
}

/// Records a carrier selection (CARRIER-01); the same id with the same content again is a
/// no-op.
pub(crate) async fn select_carrier<C: GenericClient>(
    tx: &C,
    c: &CarrierSelection,
) -> Result<(), StoreError> {
    if let Some(existing) = selection(tx, c.id).await? {
        return same_selection(&existing, c);
    }
    require_open(tx, c.account).await?;
    require_subject(tx, c.selected_by).await?;
    let n = exec(
        tx,
        &format!(
            "INSERT INTO carrier_selections ({SELECTION_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL) ON CONFLICT (id) DO NOTHING"
        ),
        &[
            &c.id.as_uuid(),
            &c.account.as_uuid(),
            &c.carrier.as_str(),
            &c.shipment.as_ref().map(|s| s.as_str()),
            &c.terms_version.as_ref().map(|v| v.as_str()),
            &c.selected_by.as_uuid(),
            &PgTime::of(c.selected_at),
        ],
    )
    .await?;
    if n == 0 {
        let stored = selection(tx, c.id)
            .await?
            .ok_or(StoreError::NotFound(Entity::CarrierSelection))?;
        same_selection(&stored, c)?;
    }
    Ok(())
}

/// Withdraws a selection of `account`; the first withdrawal stays.
pub(crate) async fn withdraw_carrier<C: GenericClient>(
    tx: &C,
    account: AccountId,
    id: SelectionId,
    by: SubjectId,
    at: Timestamp,
) -> Result<(), StoreError> {
    match selection(tx, id).await? {
        Some(c) if c.account == account => {}
        _ => return Err(StoreError::NotFound(Entity::CarrierSelection)),
    }
    require_subject(tx, by).await?;
    exec(
        tx,
        "UPDATE carrier_selections SET withdrawn_at = $2, withdrawn_by = $3 \
         WHERE id = $1 AND withdrawn_at IS NULL",
        &[&id.as_uuid(), &PgTime::of(at), &by.as_uuid()],
    )
    .await?;
    Ok(())
}

/// The carrier selections of these accounts, withdrawn ones included, oldest first.
pub(crate) async fn list_selections<C: GenericClient>(
    c: &C,
    accounts: &[AccountId],
) -> Result<Vec<CarrierSelection>, StoreError> {
    let ids: Vec<uuid::Uuid> = accounts.iter().map(|a| a.as_uuid()).collect();
    query_vec(
        c,
        &format!(
            "SELECT {SELECTION_COLS} FROM carrier_selections WHERE account = ANY($1) \
             ORDER BY selected_at, id"
        ),
        &[&ids],
        decode_selection,
    )
    .await
}
