//! Accounts, members and administrator grants.

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use steward_store::values::store_precision;
use steward_store::{
    AcceptanceId, AccountId, AccountRecord, AccountStatus, AdminGrant, AdminPermissions,
    AgreementAcceptance, CarrierSelection, ConflictReason, Entity, GrantId, MemberRecord,
    MemberRole, NewAccount, NewAdminGrant, SelectionId, StoreError, SubjectId, ValueError,
};

use super::subject;
use crate::sql::{RowExt, exec, micros, query_opt, query_vec};

fn decode_account(r: &Row<'_>) -> Result<AccountRecord, StoreError> {
    Ok(AccountRecord {
        id: AccountId::from_bytes(r.id16_at(0, "account id")?),
        owner: SubjectId::from_bytes(r.id16_at(1, "owner")?),
        controller: r.key_at(2, "controller")?,
        status: AccountStatus::from_code(r.code_at(3, "account status")?)?,
        created_at: r.time_at(4)?,
        closed_at: r.opt_time_at(5)?,
    })
}

pub(crate) fn get(conn: &Connection, id: AccountId) -> Result<Option<AccountRecord>, StoreError> {
    query_opt(
        conn,
        "SELECT id, owner, controller, status, created_at, closed_at FROM accounts WHERE id = ?1",
        [id.to_bytes()],
        decode_account,
    )
}

fn require(conn: &Connection, id: AccountId) -> Result<AccountRecord, StoreError> {
    get(conn, id)?.ok_or(StoreError::NotFound(Entity::Account))
}

fn require_open(conn: &Connection, id: AccountId) -> Result<AccountRecord, StoreError> {
    let a = require(conn, id)?;
    if a.status == AccountStatus::Closed {
        return Err(StoreError::conflict(
            Entity::Account,
            ConflictReason::AccountClosed,
        ));
    }
    Ok(a)
}

fn require_subject(conn: &Connection, id: SubjectId) -> Result<(), StoreError> {
    if subject::exists(conn, id)? {
        Ok(())
    } else {
        Err(StoreError::NotFound(Entity::Subject))
    }
}

pub(crate) fn create(conn: &Connection, a: &NewAccount) -> Result<AccountRecord, StoreError> {
    if let Some(existing) = get(conn, a.id)? {
        let same = existing.owner == a.owner
            && existing.controller == a.controller
            && existing.created_at == store_precision(a.created_at);
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                Entity::Account,
                ConflictReason::DifferentContent,
            ))
        };
    }
    require_subject(conn, a.owner)?;
    exec(
        conn,
        "INSERT INTO accounts (id, owner, controller, status, created_at, closed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
        params![
            a.id.to_bytes(),
            a.owner.to_bytes(),
            a.controller.as_str(),
            AccountStatus::Open.code(),
            micros(a.created_at),
        ],
    )?;
    exec(
        conn,
        "INSERT INTO account_members (account, subject, role, added_at, removed_at) \
         VALUES (?1, ?2, ?3, ?4, NULL)",
        params![
            a.id.to_bytes(),
            a.owner.to_bytes(),
            MemberRole::Owner.code(),
            micros(a.created_at),
        ],
    )?;
    require(conn, a.id)
}

pub(crate) fn close(
    conn: &Connection,
    id: AccountId,
    at: Timestamp,
) -> Result<AccountRecord, StoreError> {
    require(conn, id)?;
    exec(
        conn,
        "UPDATE accounts SET status = ?2, closed_at = ?3 WHERE id = ?1 AND closed_at IS NULL",
        params![id.to_bytes(), AccountStatus::Closed.code(), micros(at)],
    )?;
    require(conn, id)
}

const MEMBER_COLS: &str = "account, subject, role, added_at, removed_at";

fn decode_member(r: &Row<'_>) -> Result<MemberRecord, StoreError> {
    Ok(MemberRecord {
        account: AccountId::from_bytes(r.id16_at(0, "account id")?),
        subject: SubjectId::from_bytes(r.id16_at(1, "subject id")?),
        role: MemberRole::from_code(r.code_at(2, "member role")?)?,
        added_at: r.time_at(3)?,
        removed_at: r.opt_time_at(4)?,
    })
}

fn member(
    conn: &Connection,
    account: AccountId,
    subject: SubjectId,
) -> Result<Option<MemberRecord>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {MEMBER_COLS} FROM account_members WHERE account = ?1 AND subject = ?2"),
        params![account.to_bytes(), subject.to_bytes()],
        decode_member,
    )
}

pub(crate) fn add_member(
    conn: &Connection,
    account: AccountId,
    subject_id: SubjectId,
    role: MemberRole,
    at: Timestamp,
) -> Result<MemberRecord, StoreError> {
    require_open(conn, account)?;
    require_subject(conn, subject_id)?;
    match member(conn, account, subject_id)? {
        Some(m) if m.removed_at.is_none() => {
            if m.role == role {
                Ok(m)
            } else {
                Err(StoreError::conflict(
                    Entity::Member,
                    ConflictReason::DifferentContent,
                ))
            }
        }
        Some(_) => {
            exec(
                conn,
                "UPDATE account_members SET role = ?3, added_at = ?4, removed_at = NULL \
                 WHERE account = ?1 AND subject = ?2",
                params![
                    account.to_bytes(),
                    subject_id.to_bytes(),
                    role.code(),
                    micros(at)
                ],
            )?;
            member(conn, account, subject_id)?.ok_or(StoreError::NotFound(Entity::Member))
        }
        None => {
            exec(
                conn,
                "INSERT INTO account_members (account, subject, role, added_at, removed_at) \
                 VALUES (?1, ?2, ?3, ?4, NULL)",
                params![
                    account.to_bytes(),
                    subject_id.to_bytes(),
                    role.code(),
                    micros(at)
                ],
            )?;
            member(conn, account, subject_id)?.ok_or(StoreError::NotFound(Entity::Member))
        }
    }
}

pub(crate) fn remove_member(
    conn: &Connection,
    account: AccountId,
    subject_id: SubjectId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let a = require(conn, account)?;
    if a.owner == subject_id {
        return Err(StoreError::conflict(
            Entity::Member,
            ConflictReason::IsOwner,
        ));
    }
    let n = exec(
        conn,
        "UPDATE account_members SET removed_at = ?3 \
         WHERE account = ?1 AND subject = ?2 AND removed_at IS NULL",
        params![account.to_bytes(), subject_id.to_bytes(), micros(at)],
    )?;
    Ok(n > 0)
}

pub(crate) fn list_members(
    conn: &Connection,
    account: AccountId,
) -> Result<Vec<MemberRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {MEMBER_COLS} FROM account_members WHERE account = ?1 ORDER BY added_at, subject"
        ),
        [account.to_bytes()],
        decode_member,
    )
}

pub(crate) fn memberships_of(
    conn: &Connection,
    subject_id: SubjectId,
) -> Result<Vec<MemberRecord>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {MEMBER_COLS} FROM account_members WHERE subject = ?1 ORDER BY added_at, account"
        ),
        [subject_id.to_bytes()],
        decode_member,
    )
}

const GRANT_COLS: &str = "id, account, grantee, granted_by, permissions, warning_ack_at, granted_at, revoked_at, revoked_by";

fn decode_grant(r: &Row<'_>) -> Result<AdminGrant, StoreError> {
    Ok(AdminGrant {
        id: GrantId::from_bytes(r.id16_at(0, "grant id")?),
        account: AccountId::from_bytes(r.id16_at(1, "account id")?),
        grantee: SubjectId::from_bytes(r.id16_at(2, "grantee")?),
        granted_by: SubjectId::from_bytes(r.id16_at(3, "granted by")?),
        permissions: AdminPermissions::from_bits(r.code_at(4, "admin permissions")?)?,
        warning_ack_at: r.time_at(5)?,
        granted_at: r.time_at(6)?,
        revoked_at: r.opt_time_at(7)?,
        revoked_by: r.opt_id16_at(8, "revoked by")?.map(SubjectId::from_bytes),
    })
}

fn grant(conn: &Connection, id: GrantId) -> Result<Option<AdminGrant>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {GRANT_COLS} FROM admin_grants WHERE id = ?1"),
        [id.to_bytes()],
        decode_grant,
    )
}

pub(crate) fn grant_admin(conn: &Connection, g: &NewAdminGrant) -> Result<AdminGrant, StoreError> {
    if g.permissions.is_empty() {
        return Err(ValueError::new("administrator grant", "needs at least one permission").into());
    }
    if let Some(existing) = grant(conn, g.id)? {
        let same = existing.account == g.account
            && existing.grantee == g.grantee
            && existing.granted_by == g.granted_by
            && existing.permissions == g.permissions
            && existing.warning_ack_at == store_precision(g.warning_ack_at)
            && existing.granted_at == store_precision(g.granted_at);
        return if same {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                Entity::AdminGrant,
                ConflictReason::DifferentContent,
            ))
        };
    }
    require_open(conn, g.account)?;
    require_subject(conn, g.grantee)?;
    require_subject(conn, g.granted_by)?;
    exec(
        conn,
        &format!(
            "INSERT INTO admin_grants ({GRANT_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL)"
        ),
        params![
            g.id.to_bytes(),
            g.account.to_bytes(),
            g.grantee.to_bytes(),
            g.granted_by.to_bytes(),
            g.permissions.bits(),
            micros(g.warning_ack_at),
            micros(g.granted_at),
        ],
    )?;
    grant(conn, g.id)?.ok_or(StoreError::NotFound(Entity::AdminGrant))
}

pub(crate) fn revoke_admin(
    conn: &Connection,
    id: GrantId,
    by: SubjectId,
    at: Timestamp,
) -> Result<AdminGrant, StoreError> {
    grant(conn, id)?.ok_or(StoreError::NotFound(Entity::AdminGrant))?;
    exec(
        conn,
        "UPDATE admin_grants SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1 AND revoked_at IS NULL",
        params![id.to_bytes(), micros(at), by.to_bytes()],
    )?;
    grant(conn, id)?.ok_or(StoreError::NotFound(Entity::AdminGrant))
}

pub(crate) fn list_grants(
    conn: &Connection,
    account: AccountId,
) -> Result<Vec<AdminGrant>, StoreError> {
    query_vec(
        conn,
        &format!(
            "SELECT {GRANT_COLS} FROM admin_grants WHERE account = ?1 ORDER BY granted_at, id"
        ),
        [account.to_bytes()],
        decode_grant,
    )
}

pub(crate) fn active_grants(
    conn: &Connection,
    account: AccountId,
    grantee: SubjectId,
    at: Timestamp,
) -> Result<Vec<AdminGrant>, StoreError> {
    // An authorization hot path: sorted here, not by an SQL sorter (few rows).
    let mut grants = query_vec(
        conn,
        &format!(
            "SELECT {GRANT_COLS} FROM admin_grants WHERE account = ?1 AND grantee = ?2 \
             AND granted_at <= ?3 AND (revoked_at IS NULL OR revoked_at > ?3)"
        ),
        params![account.to_bytes(), grantee.to_bytes(), micros(at)],
        decode_grant,
    )?;
    grants.sort_by_key(|g| (g.granted_at, g.id));
    Ok(grants)
}

const ACCEPTANCE_COLS: &str =
    "id, account, agreement, version, text_sha256, accepted_by, accepted_at";

fn decode_acceptance(r: &Row<'_>) -> Result<AgreementAcceptance, StoreError> {
    Ok(AgreementAcceptance {
        id: AcceptanceId::from_bytes(r.id16_at(0, "agreement acceptance id")?),
        account: AccountId::from_bytes(r.id16_at(1, "account id")?),
        agreement: r.key_at(2, "agreement key")?,
        version: r.key_at(3, "agreement version")?,
        text_sha256: r.opt_digest_at(4)?,
        accepted_by: SubjectId::from_bytes(r.id16_at(5, "accepted by")?),
        accepted_at: r.time_at(6)?,
    })
}

fn acceptance(
    conn: &Connection,
    id: AcceptanceId,
) -> Result<Option<AgreementAcceptance>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {ACCEPTANCE_COLS} FROM agreement_acceptances WHERE id = ?1"),
        [id.to_bytes()],
        decode_acceptance,
    )
}

/// Records agreement acceptances (CUST-01, USPSPA-01, CARRIER-02); a repeated id with the
/// same content is a no-op.
pub(crate) fn record_agreements(
    conn: &Connection,
    records: &[AgreementAcceptance],
) -> Result<(), StoreError> {
    for a in records {
        if let Some(existing) = acceptance(conn, a.id)? {
            let mut want = a.clone();
            want.accepted_at = store_precision(a.accepted_at);
            if existing == want {
                continue;
            }
            return Err(StoreError::conflict(
                Entity::Account,
                ConflictReason::DifferentContent,
            ));
        }
        require_open(conn, a.account)?;
        require_subject(conn, a.accepted_by)?;
        exec(
            conn,
            &format!(
                "INSERT INTO agreement_acceptances ({ACCEPTANCE_COLS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ),
            params![
                a.id.to_bytes(),
                a.account.to_bytes(),
                a.agreement.as_str(),
                a.version.as_str(),
                a.text_sha256.map(|d| d.0.to_vec()),
                a.accepted_by.to_bytes(),
                micros(a.accepted_at),
            ],
        )?;
    }
    Ok(())
}

/// The acceptances of these accounts, oldest first.
pub(crate) fn list_agreements(
    conn: &Connection,
    accounts: &[AccountId],
) -> Result<Vec<AgreementAcceptance>, StoreError> {
    let mut out = Vec::new();
    for account in accounts {
        out.extend(query_vec(
            conn,
            &format!(
                "SELECT {ACCEPTANCE_COLS} FROM agreement_acceptances WHERE account = ?1 \
                 ORDER BY accepted_at, id"
            ),
            [account.to_bytes()],
            decode_acceptance,
        )?);
    }
    out.sort_by_key(|a| (a.accepted_at, a.id));
    out.dedup_by_key(|a| a.id);
    Ok(out)
}

const SELECTION_COLS: &str = "id, account, carrier, shipment, terms_version, selected_by, \
                              selected_at, withdrawn_at, withdrawn_by";

pub(crate) fn decode_selection(r: &Row<'_>) -> Result<CarrierSelection, StoreError> {
    let withdrawn = match (r.opt_time_at(7)?, r.opt_id16_at(8, "withdrawn by")?) {
        (Some(at), Some(by)) => Some((at, SubjectId::from_bytes(by))),
        (None, None) => None,
        _ => return Err(StoreError::corrupt("carrier selection withdrawal")),
    };
    Ok(CarrierSelection {
        id: SelectionId::from_bytes(r.id16_at(0, "carrier selection id")?),
        account: AccountId::from_bytes(r.id16_at(1, "account id")?),
        carrier: r.key_at(2, "recipient key")?,
        shipment: r.opt_key_at(3, "shipment reference")?,
        terms_version: r.opt_key_at(4, "agreement version")?,
        selected_by: SubjectId::from_bytes(r.id16_at(5, "selected by")?),
        selected_at: r.time_at(6)?,
        withdrawn,
    })
}

fn selection(conn: &Connection, id: SelectionId) -> Result<Option<CarrierSelection>, StoreError> {
    query_opt(
        conn,
        &format!("SELECT {SELECTION_COLS} FROM carrier_selections WHERE id = ?1"),
        [id.to_bytes()],
        decode_selection,
    )
}

/// Records a carrier selection (CARRIER-01); the same id with the same content again is a
/// no-op (a withdrawal since does not make it different).
pub(crate) fn select_carrier(conn: &Connection, c: &CarrierSelection) -> Result<(), StoreError> {
    if let Some(mut existing) = selection(conn, c.id)? {
        let mut want = c.clone();
        want.selected_at = store_precision(c.selected_at);
        existing.withdrawn = None;
        want.withdrawn = None;
        if existing == want {
            return Ok(());
        }
        return Err(StoreError::conflict(
            Entity::CarrierSelection,
            ConflictReason::DifferentContent,
        ));
    }
    require_open(conn, c.account)?;
    require_subject(conn, c.selected_by)?;
    exec(
        conn,
        &format!(
            "INSERT INTO carrier_selections ({SELECTION_COLS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL)"
        ),
        params![
            c.id.to_bytes(),
            c.account.to_bytes(),
            c.carrier.as_str(),
            c.shipment.as_ref().map(|s| s.as_str()),
            c.terms_version.as_ref().map(|v| v.as_str()),
            c.selected_by.to_bytes(),
            micros(c.selected_at),
        ],
    )?;
    Ok(())
}

/// Withdraws a selection of `account`; the first withdrawal stays.
pub(crate) fn withdraw_carrier(
    conn: &Connection,
    account: AccountId,
    id: SelectionId,
    by: SubjectId,
    at: Timestamp,
) -> Result<(), StoreError> {
    match selection(conn, id)? {
        Some(c) if c.account == account => {}
        _ => return Err(StoreError::NotFound(Entity::CarrierSelection)),
    }
    require_subject(conn, by)?;
    exec(
        conn,
        "UPDATE carrier_selections SET withdrawn_at = ?2, withdrawn_by = ?3 \
         WHERE id = ?1 AND withdrawn_at IS NULL",
        params![id.to_bytes(), micros(at), by.to_bytes()],
    )?;
    Ok(())
}

/// The carrier selections of these accounts, withdrawn ones included, oldest first;
/// `active`: only those not withdrawn.
pub(crate) fn list_selections(
    conn: &Connection,
    accounts: &[AccountId],
    active: bool,
) -> Result<Vec<CarrierSelection>, StoreError> {
    let filter = if active {
        " AND withdrawn_at IS NULL"
    } else {
        ""
    };
    let mut out = Vec::new();
    for account in accounts {
        out.extend(query_vec(
            conn,
            &format!(
                "SELECT {SELECTION_COLS} FROM carrier_selections WHERE account = ?1{filter} \
                 ORDER BY selected_at, id"
            ),
            [account.to_bytes()],
            decode_selection,
        )?);
    }
    out.sort_by_key(|c| (c.selected_at, c.id));
    out.dedup_by_key(|c| c.id);
    Ok(out)
}
