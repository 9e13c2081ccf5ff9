//! `RequestStore` for PostgreSQL: data subject requests and their workflow records (steps,
//! challenges, the outbox, connectors, webhook deliveries, legal holds).
//!
//! Several Steward processes may share the database: a request update is guarded by its
//! revision (`UPDATE … WHERE revision = $n`), a challenge attempt locks the challenge row
//! (`FOR UPDATE`), and due deliveries are claimed with `FOR UPDATE SKIP LOCKED`, so two
//! replicas never attempt the same delivery at once.

use async_trait::async_trait;
use deadpool_postgres::{GenericClient, Transaction};
use jiff::Timestamp;
use steward_store::model::audit::AuditEvent;
use steward_store::model::event::NotificationId;
use steward_store::model::request::{
    ChallengeAttempt, ChallengeRecord, ConnectorKind, ConnectorRecord, DeliveryOutcome,
    DeliveryRecord, DeliveryState, LegalHoldRecord, MessageOutcome, MessageOwner, MessageRecord,
    NewChallenge, NewConnector, NewDelivery, NewLegalHold, NewMessage, NewRequest, NewRequestStep,
    RequestChange, RequestCounts, RequestQuery, RequestRecord, RequestState, RequestStep,
    RequestSummary, Requester, SealedKey,
};
use steward_store::values::store_precision;
use steward_store::{
    Actor, CaseId, CaseKind, ChallengeId, Ciphertext, ConflictReason, ConnectorId, DeliveryId,
    Entity, HoldId, ItemId, MessageId, RequestId, RequestStepId, StoreError, SubjectId,
    WrappedKeyBytes,
};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;

use crate::ops::subject;
use crate::sql::{
    PgTime, RowExt, constraint, exec, exec_raw, i16_of, is_state, pg, query_opt, query_vec,
};
use crate::store::PgStore;

fn u32_of(v: i32, what: &'static str) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| StoreError::corrupt(what))
}

fn i32_of(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn sealed_key(r: &Row, kek: usize, wrapped: usize) -> Result<Option<SealedKey>, StoreError> {
    let kek = r.opt_key(kek, "request key kek")?;
    let wrapped = r.col::<Option<&[u8]>>(wrapped, "request key")?;
    match (kek, wrapped) {
        (Some(kek), Some(w)) => Ok(Some(SealedKey {
            kek,
            wrapped: WrappedKeyBytes::new(w.to_vec())
                .map_err(|_| StoreError::corrupt("request key"))?,
        })),
        (None, None) => Ok(None),
        _ => Err(StoreError::corrupt("request key")),
    }
}

fn ciphertext(b: Option<&[u8]>, what: &'static str) -> Result<Option<Ciphertext>, StoreError> {
    b.map(|b| Ciphertext::new(b.to_vec()).map_err(|_| StoreError::corrupt(what)))
        .transpose()
}

fn actor_cols(a: &Actor) -> (i16, Option<uuid::Uuid>, Option<&str>) {
    match a {
        Actor::System => (0, None, None),
        Actor::Subject(s) => (1, Some(s.as_uuid()), None),
        Actor::Service(k) => (2, None, Some(k.as_str())),
    }
}

// ---------------------------------------------------------------------------------------------
// Requests

const REQ_COLS: &str = "id, kind, subject, requester, channel, state, received_at, ack_due, due, \
                        max_due, closed_at, key_kek, key_wrapped, sealed, doc, revision, updated_at";

const SUMMARY_COLS: &str =
    "id, kind, subject, requester, channel, state, received_at, ack_due, due, max_due, closed_at";

fn decode_request(r: &Row) -> Result<RequestRecord, StoreError> {
    Ok(RequestRecord {
        id: RequestId::from_uuid(r.uuid(0, "request id")?),
        kind: r.key(1, "request kind")?,
        subject: r.opt_uuid(2, "subject id")?.map(SubjectId::from_uuid),
        requester: Requester::from_code(r.code(3, "requester")?)?,
        channel: r.key(4, "request channel")?,
        state: RequestState::from_code(r.code(5, "request state")?)?,
        received_at: r.time(6)?,
        ack_due: r.opt_time(7)?,
        due: r.time(8)?,
        max_due: r.time(9)?,
        closed_at: r.opt_time(10)?,
        key: sealed_key(r, 11, 12)?,
        sealed: ciphertext(r.col(13, "request sealed")?, "request sealed")?,
        doc: r.col::<&[u8]>(14, "request doc")?.to_vec(),
        revision: u64::try_from(r.col::<i64>(15, "request revision")?)
            .map_err(|_| StoreError::corrupt("request revision"))?,
        updated_at: r.time(16)?,
    })
}

fn decode_summary(r: &Row) -> Result<RequestSummary, StoreError> {
    Ok(RequestSummary {
        id: RequestId::from_uuid(r.uuid(0, "request id")?),
        kind: r.key(1, "request kind")?,
        subject: r.opt_uuid(2, "subject id")?.map(SubjectId::from_uuid),
        requester: Requester::from_code(r.code(3, "requester")?)?,
        channel: r.key(4, "request channel")?,
        state: RequestState::from_code(r.code(5, "request state")?)?,
        received_at: r.time(6)?,
        ack_due: r.opt_time(7)?,
        due: r.time(8)?,
        max_due: r.time(9)?,
        closed_at: r.opt_time(10)?,
    })
}

async fn get_request<C: GenericClient>(
    c: &C,
    id: RequestId,
) -> Result<Option<RequestRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {REQ_COLS} FROM requests WHERE id = $1"),
        &[&id.as_uuid()],
        decode_request,
    )
    .await
}

async fn require_request<C: GenericClient>(
    c: &C,
    id: RequestId,
) -> Result<RequestRecord, StoreError> {
    get_request(c, id)
        .await?
        .ok_or(StoreError::NotFound(Entity::Request))
}

/// The owner of a new message exists (a complaint owner: a case of kind `Complaint`; an
/// incident owner: one of kind `Incident`).
async fn require_owner<C: GenericClient>(c: &C, owner: MessageOwner) -> Result<(), StoreError> {
    // A case owner: a complaint's messages come from a complaint or a legal request (its
    // notices to the subjects of its disclosures), an incident's from an incident.
    let (id, kinds) = match owner {
        MessageOwner::Request(r) => return require_exists(c, r).await,
        MessageOwner::Complaint(id) => (id, [CaseKind::Complaint, CaseKind::LegalRequest]),
        MessageOwner::Incident(id) => (id, [CaseKind::Incident, CaseKind::Incident]),
    };
    query_opt(
        c,
        "SELECT 1 FROM cases WHERE id = $1 AND kind IN ($2, $3)",
        &[
            &id.as_uuid(),
            &i16_of(kinds[0].code()),
            &i16_of(kinds[1].code()),
        ],
        |_| Ok(()),
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Case))
}

async fn require_exists<C: GenericClient>(c: &C, id: RequestId) -> Result<(), StoreError> {
    query_opt(
        c,
        "SELECT 1 FROM requests WHERE id = $1",
        &[&id.as_uuid()],
        |_| Ok(()),
    )
    .await?
    .ok_or(StoreError::NotFound(Entity::Request))
}

fn same_request(stored: &RequestRecord, r: &NewRequest) -> bool {
    stored.kind == r.kind
        && stored.subject == r.subject
        && stored.requester == r.requester
        && stored.channel == r.channel
        && stored.received_at == store_precision(r.received_at)
        && stored.revision == 1
        && stored.state == r.state
        && stored.doc == r.doc
        && stored.sealed == r.sealed
        && stored.key == r.key
}

async fn insert_step(
    tx: &Transaction<'_>,
    request: RequestId,
    s: &NewRequestStep,
) -> Result<(), StoreError> {
    let owner = query_opt(
        tx,
        "SELECT request FROM request_steps WHERE id = $1",
        &[&s.id.as_uuid()],
        |r| r.uuid(0, "request id"),
    )
    .await?;
    if let Some(owner) = owner {
        return if owner == request.as_uuid() {
            Ok(())
        } else {
            Err(StoreError::conflict(
                Entity::Request,
                ConflictReason::DifferentContent,
            ))
        };
    }
    let (kind, subject, service) = actor_cols(&s.actor);
    exec(
        tx,
        "INSERT INTO request_steps (request, at, id, actor_kind, actor_subject, actor_service, \
         action, state, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (id) DO NOTHING",
        &[
            &request.as_uuid(),
            &PgTime::of(s.at),
            &s.id.as_uuid(),
            &kind,
            &subject,
            &service,
            &s.action.as_str(),
            &i16_of(s.state.code()),
            &s.detail.as_slice(),
        ],
    )
    .await?;
    Ok(())
}

async fn create_request(tx: &Transaction<'_>, r: &NewRequest) -> Result<RequestRecord, StoreError> {
    if let Some(existing) = get_request(tx, r.id).await? {
        return if same_request(&existing, r) {
            Ok(existing)
        } else {
            Err(StoreError::conflict(
                Entity::Request,
                ConflictReason::DifferentContent,
            ))
        };
    }
    if let Some(s) = r.subject {
        subject::require(tx, s).await?;
    }
    let inserted = exec_raw(
        tx,
        &format!(
            "INSERT INTO requests ({REQ_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             NULL, $11, $12, $13, $14, 1, $7) ON CONFLICT (id) DO NOTHING"
        ),
        &[
            &r.id.as_uuid(),
            &r.kind.as_str(),
            &r.subject.map(|s| s.as_uuid()),
            &i16_of(r.requester.code()),
            &r.channel.as_str(),
            &i16_of(r.state.code()),
            &PgTime::of(r.received_at),
            &PgTime::opt(r.ack_due),
            &PgTime::of(r.due),
            &PgTime::of(r.max_due),
            &r.key.as_ref().map(|k| k.kek.as_str()),
            &r.key.as_ref().map(|k| k.wrapped.as_bytes()),
            &r.sealed.as_ref().map(|c| c.as_bytes()),
            &r.doc.as_slice(),
        ],
    )
    .await;
    match inserted {
        Ok(1) => {}
        // A concurrent create of the same id won.
        Ok(_) => {
            let stored = require_request(tx, r.id).await?;
            return if same_request(&stored, r) {
                Ok(stored)
            } else {
                Err(StoreError::conflict(
                    Entity::Request,
                    ConflictReason::DifferentContent,
                ))
            };
        }
        Err(e) if is_state(&e, &SqlState::FOREIGN_KEY_VIOLATION) => {
            return Err(StoreError::NotFound(Entity::Subject));
        }
        Err(e) => return Err(pg(e)),
    }
    insert_step(tx, r.id, &r.step).await?;
    require_request(tx, r.id).await
}

async fn update_request(
    tx: &Transaction<'_>,
    id: RequestId,
    expected_revision: u64,
    c: &RequestChange,
    step: &NewRequestStep,
) -> Result<RequestRecord, StoreError> {
    let expected = i64::try_from(expected_revision).unwrap_or(i64::MAX);
    if let Some(s) = c.subject {
        subject::require(tx, s).await?;
    }
    let n = exec(
        tx,
        "UPDATE requests SET subject = $3, state = $4, ack_due = $5, due = $6, max_due = $7, \
         closed_at = $8, key_kek = $9, key_wrapped = $10, sealed = $11, doc = $12, \
         revision = revision + 1, updated_at = $13 WHERE id = $1 AND revision = $2",
        &[
            &id.as_uuid(),
            &expected,
            &c.subject.map(|s| s.as_uuid()),
            &i16_of(c.state.code()),
            &PgTime::opt(c.ack_due),
            &PgTime::of(c.due),
            &PgTime::of(c.max_due),
            &PgTime::opt(c.closed_at),
            &c.key.as_ref().map(|k| k.kek.as_str()),
            &c.key.as_ref().map(|k| k.wrapped.as_bytes()),
            &c.sealed.as_ref().map(|s| s.as_bytes()),
            &c.doc.as_slice(),
            &PgTime::of(step.at),
        ],
    )
    .await?;
    if n == 0 {
        require_exists(tx, id).await?;
        return Err(StoreError::conflict(
            Entity::Request,
            ConflictReason::StaleRevision,
        ));
    }
    insert_step(tx, id, step).await?;
    require_request(tx, id).await
}

async fn steps<C: GenericClient>(
    c: &C,
    request: RequestId,
) -> Result<Vec<RequestStep>, StoreError> {
    require_exists(c, request).await?;
    query_vec(
        c,
        "SELECT request, at, id, actor_kind, actor_subject, actor_service, action, state, detail \
         FROM request_steps WHERE request = $1 ORDER BY at, id",
        &[&request.as_uuid()],
        |r| {
            let actor = match r.code(3, "actor kind")? {
                0 => Actor::System,
                1 => Actor::Subject(SubjectId::from_uuid(r.uuid(4, "actor subject")?)),
                2 => Actor::Service(r.key(5, "actor service")?),
                _ => return Err(StoreError::corrupt("actor kind")),
            };
            Ok(RequestStep {
                request: RequestId::from_uuid(r.uuid(0, "request id")?),
                at: r.time(1)?,
                id: RequestStepId::from_uuid(r.uuid(2, "request step id")?),
                actor,
                action: r.key(6, "request step action")?,
                state: RequestState::from_code(r.code(7, "request state")?)?,
                detail: r.col::<&[u8]>(8, "request step detail")?.to_vec(),
            })
        },
    )
    .await
}

async fn list<C: GenericClient>(
    c: &C,
    q: &RequestQuery,
) -> Result<Vec<RequestSummary>, StoreError> {
    let limit = i64::from(q.effective_limit());
    let (after_due, after_id) = match q.after {
        Some((t, id)) => (Some(PgTime::of(t)), Some(id.as_uuid())),
        None => (None, None),
    };
    let state = q.state.map(|s| i16_of(s.code()));
    let subject = q.subject.map(|s| s.as_uuid());
    let filter = if q.open_only {
        "closed_at IS NULL"
    } else {
        "TRUE"
    };
    let sql = format!(
        "SELECT {SUMMARY_COLS} FROM requests WHERE {filter} \
         AND ($1::uuid IS NULL OR subject = $1) AND ($2::smallint IS NULL OR state = $2) \
         AND ($3::timestamptz IS NULL OR (due, id) > ($3, $4::uuid)) \
         ORDER BY due, id LIMIT $5"
    );
    query_vec(
        c,
        &sql,
        &[&subject, &state, &after_due, &after_id, &limit],
        decode_summary,
    )
    .await
}

async fn count<C: GenericClient>(
    c: &C,
    sql: &str,
    p: &crate::sql::Params<'_>,
) -> Result<u64, StoreError> {
    let n = query_opt(c, sql, p, |r| r.col::<i64>(0, "count"))
        .await?
        .unwrap_or(0);
    u64::try_from(n).map_err(|_| StoreError::corrupt("count"))
}

// ---------------------------------------------------------------------------------------------
// Challenges

const CH_COLS: &str =
    "id, request, code_hash, created_at, expires_at, max_attempts, attempts, consumed_at";

fn decode_challenge(r: &Row) -> Result<ChallengeRecord, StoreError> {
    Ok(ChallengeRecord {
        id: ChallengeId::from_uuid(r.uuid(0, "challenge id")?),
        request: RequestId::from_uuid(r.uuid(1, "request id")?),
        code_hash: r.digest(2)?,
        created_at: r.time(3)?,
        expires_at: r.time(4)?,
        max_attempts: u32_of(r.col(5, "max attempts")?, "max attempts")?,
        attempts: u32_of(r.col(6, "attempts")?, "attempts")?,
        consumed_at: r.opt_time(7)?,
    })
}

// ---------------------------------------------------------------------------------------------
// Outbox

const MSG_COLS: &str = "id, request, kind, created_at, sealed, attempts, sent_at, last_error, \
                        lease_until, complaint, incident";

fn decode_message(r: &Row) -> Result<MessageRecord, StoreError> {
    let owner = match (
        r.opt_uuid(1, "request id")?,
        r.opt_uuid(9, "complaint id")?,
        r.opt_uuid(10, "incident id")?,
    ) {
        (Some(req), None, None) => MessageOwner::Request(RequestId::from_uuid(req)),
        (None, Some(c), None) => MessageOwner::Complaint(CaseId::from_uuid(c)),
        (None, None, Some(c)) => MessageOwner::Incident(CaseId::from_uuid(c)),
        _ => return Err(StoreError::corrupt("outbox message owner")),
    };
    Ok(MessageRecord {
        id: MessageId::from_uuid(r.uuid(0, "message id")?),
        owner,
        kind: r.key(2, "message kind")?,
        created_at: r.time(3)?,
        sealed: ciphertext(r.col(4, "message")?, "message")?,
        attempts: u32_of(r.col(5, "attempts")?, "attempts")?,
        sent_at: r.opt_time(6)?,
        last_error: r.opt_key(7, "message error")?,
        lease_until: r.opt_time(8)?,
    })
}

/// Queues messages inside the caller's transaction (see `RequestStore::enqueue_messages`).
pub(crate) async fn enqueue<C: GenericClient>(
    tx: &C,
    messages: &[NewMessage],
) -> Result<(), StoreError> {
    for m in messages {
        let existing = query_opt(
            tx,
            &format!("SELECT {MSG_COLS} FROM request_messages WHERE id = $1"),
            &[&m.id.as_uuid()],
            decode_message,
        )
        .await?;
        if let Some(e) = existing {
            if e.owner != m.owner || e.kind != m.kind {
                return Err(StoreError::conflict(
                    Entity::Message,
                    ConflictReason::DifferentContent,
                ));
            }
            continue;
        }
        require_owner(tx, m.owner).await?;
        exec(
            tx,
            &format!(
                "INSERT INTO request_messages ({MSG_COLS}) \
                     VALUES ($1, $2, $3, $4, $5, 0, NULL, NULL, $6, $7, $8)"
            ),
            &[
                &m.id.as_uuid(),
                &m.owner.request().map(|r| r.as_uuid()),
                &m.kind.as_str(),
                &PgTime::of(m.created_at),
                &m.sealed.as_bytes(),
                &PgTime::opt(m.lease_until),
                &m.owner.complaint().map(|c| c.as_uuid()),
                &m.owner.incident().map(|c| c.as_uuid()),
            ],
        )
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Connectors

const CONN_COLS: &str = "id, name, kind, recipient, config, key_kek, key_wrapped, secret, \
                         created_at, updated_at, disabled_at";

fn decode_connector(r: &Row) -> Result<ConnectorRecord, StoreError> {
    Ok(ConnectorRecord {
        id: ConnectorId::from_uuid(r.uuid(0, "connector id")?),
        name: r.key(1, "connector name")?,
        kind: ConnectorKind::from_code(r.code(2, "connector kind")?)?,
        recipient: r.opt_key(3, "recipient")?,
        config: r.col::<&[u8]>(4, "connector config")?.to_vec(),
        key: sealed_key(r, 5, 6)?.ok_or(StoreError::corrupt("connector key"))?,
        secret: ciphertext(r.col(7, "connector secret")?, "connector secret")?,
        created_at: r.time(8)?,
        updated_at: r.time(9)?,
        disabled_at: r.opt_time(10)?,
    })
}

async fn get_connector_opt<C: GenericClient>(
    c: &C,
    id: ConnectorId,
) -> Result<Option<ConnectorRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {CONN_COLS} FROM connectors WHERE id = $1"),
        &[&id.as_uuid()],
        decode_connector,
    )
    .await
}

async fn require_connector<C: GenericClient>(
    c: &C,
    id: ConnectorId,
) -> Result<ConnectorRecord, StoreError> {
    get_connector_opt(c, id)
        .await?
        .ok_or(StoreError::NotFound(Entity::Connector))
}

// ---------------------------------------------------------------------------------------------
// Deliveries

const DEL_COLS: &str = "id, request, connector, recipient, event, sealed, state, attempts, \
                        max_attempts, created_at, next_attempt_at, last_attempt_at, last_status, \
                        last_error, delivered_at, confirmed_at, notification";

fn decode_delivery(r: &Row) -> Result<DeliveryRecord, StoreError> {
    let request = r.opt_uuid(1, "request id")?.map(RequestId::from_uuid);
    let notification = r
        .opt_uuid(16, "notification id")?
        .map(NotificationId::from_uuid);
    if request.is_some() == notification.is_some() {
        return Err(StoreError::corrupt("delivery owner"));
    }
    Ok(DeliveryRecord {
        id: DeliveryId::from_uuid(r.uuid(0, "delivery id")?),
        request,
        notification,
        connector: ConnectorId::from_uuid(r.uuid(2, "connector id")?),
        recipient: r.key(3, "recipient")?,
        event: r.key(4, "delivery event")?,
        sealed: ciphertext(r.col::<Option<&[u8]>>(5, "delivery body")?, "delivery body")?,
        state: DeliveryState::from_code(r.code(6, "delivery state")?)?,
        attempts: u32_of(r.col(7, "attempts")?, "attempts")?,
        max_attempts: u32_of(r.col(8, "max attempts")?, "max attempts")?,
        created_at: r.time(9)?,
        next_attempt_at: r.time(10)?,
        last_attempt_at: r.opt_time(11)?,
        last_status: r
            .col::<Option<i32>>(12, "http status")?
            .map(|v| u16::try_from(v).map_err(|_| StoreError::corrupt("http status")))
            .transpose()?,
        last_error: r.opt_key(13, "delivery error")?,
        delivered_at: r.opt_time(14)?,
        confirmed_at: r.opt_time(15)?,
    })
}

async fn get_delivery_opt<C: GenericClient>(
    c: &C,
    id: DeliveryId,
) -> Result<Option<DeliveryRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {DEL_COLS} FROM webhook_deliveries WHERE id = $1"),
        &[&id.as_uuid()],
        decode_delivery,
    )
    .await
}

async fn require_delivery<C: GenericClient>(
    c: &C,
    id: DeliveryId,
) -> Result<DeliveryRecord, StoreError> {
    get_delivery_opt(c, id)
        .await?
        .ok_or(StoreError::NotFound(Entity::Delivery))
}

// ---------------------------------------------------------------------------------------------
// Legal holds

const HOLD_COLS: &str = "id, subject, items, reason, owner, review_at, created_at, released_at";

fn decode_hold(r: &Row) -> Result<LegalHoldRecord, StoreError> {
    Ok(LegalHoldRecord {
        id: HoldId::from_uuid(r.uuid(0, "hold id")?),
        subject: SubjectId::from_uuid(r.uuid(1, "subject id")?),
        items: r
            .col::<Vec<uuid::Uuid>>(2, "held items")?
            .into_iter()
            .map(ItemId::from_uuid)
            .collect(),
        reason: r.key(3, "hold reason")?,
        owner: r.key(4, "hold owner")?,
        review_at: r.time(5)?,
        created_at: r.time(6)?,
        released_at: r.opt_time(7)?,
    })
}

async fn get_hold<C: GenericClient>(
    c: &C,
    id: HoldId,
) -> Result<Option<LegalHoldRecord>, StoreError> {
    query_opt(
        c,
        &format!("SELECT {HOLD_COLS} FROM legal_holds WHERE id = $1"),
        &[&id.as_uuid()],
        decode_hold,
    )
    .await
}

/// Runs `$body` in a transaction on a pooled connection: COMMIT on `Ok`, ROLLBACK otherwise.
macro_rules! tx {
    ($self:ident, |$tx:ident| $body:expr) => {{
        let mut client = $self.client().await?;
        let $tx = client.transaction().await.map_err(pg)?;
        match $body.await {
            Ok(v) => {
                $tx.commit().await.map_err(pg)?;
                Ok(v)
            }
            Err(e) => {
                let _ = $tx.rollback().await;
                Err(e)
            }
        }
    }};
}

#[async_trait]
impl steward_store::RequestStore for PgStore {
    async fn create_request_audited(
        &self,
        r: &NewRequest,
        events: &[AuditEvent],
    ) -> Result<RequestRecord, StoreError> {
        let encoded = crate::store::encode_all(events)?;
        let rec = tx!(self, |tx| async {
            let rec = create_request(&tx, r).await?;
            // The entries as intents in the same transaction (the transactional outbox of
            // `write_audited`), chained by the audit writer.
            crate::ops::audit::insert_intents(&tx, &encoded).await?;
            Ok::<_, StoreError>(rec)
        })?;
        if !encoded.is_empty() {
            self.sync_audit().await?;
        }
        Ok(rec)
    }

    async fn get_request(&self, id: RequestId) -> Result<RequestRecord, StoreError> {
        let c = self.client().await?;
        require_request(&c, id).await
    }

    async fn update_request_audited(
        &self,
        id: RequestId,
        expected_revision: u64,
        change: &RequestChange,
        step: &NewRequestStep,
        events: &[AuditEvent],
    ) -> Result<RequestRecord, StoreError> {
        let encoded = crate::store::encode_all(events)?;
        let rec = tx!(self, |tx| async {
            let rec = update_request(&tx, id, expected_revision, change, step).await?;
            crate::ops::audit::insert_intents(&tx, &encoded).await?;
            Ok::<_, StoreError>(rec)
        })?;
        if !encoded.is_empty() {
            self.sync_audit().await?;
        }
        Ok(rec)
    }

    async fn append_request_step(
        &self,
        request: RequestId,
        step: &NewRequestStep,
    ) -> Result<(), StoreError> {
        tx!(self, |tx| async {
            require_exists(&tx, request).await?;
            insert_step(&tx, request, step).await
        })
    }

    async fn request_steps(&self, request: RequestId) -> Result<Vec<RequestStep>, StoreError> {
        let c = self.client().await?;
        steps(&c, request).await
    }

    async fn list_requests(&self, q: &RequestQuery) -> Result<Vec<RequestSummary>, StoreError> {
        let c = self.client().await?;
        list(&c, q).await
    }

    async fn request_counts(
        &self,
        now: Timestamp,
        at_risk_before: Timestamp,
    ) -> Result<RequestCounts, StoreError> {
        let c = self.client().await?;
        let (now, horizon) = (PgTime::of(now), PgTime::of(at_risk_before));
        Ok(RequestCounts {
            open: count(
                &c,
                "SELECT COUNT(*) FROM requests WHERE closed_at IS NULL",
                &[],
            )
            .await?,
            overdue: count(
                &c,
                "SELECT COUNT(*) FROM requests WHERE closed_at IS NULL AND due < $1",
                &[&now],
            )
            .await?,
            at_risk: count(
                &c,
                "SELECT COUNT(*) FROM requests WHERE closed_at IS NULL AND due >= $1 AND due < $2",
                &[&now, &horizon],
            )
            .await?,
        })
    }

    async fn purge_closed_requests(&self, closed_before: Timestamp) -> Result<u64, StoreError> {
        let cut = PgTime::of(closed_before);
        tx!(self, |tx| async {
            let sel = "SELECT id FROM requests WHERE closed_at IS NOT NULL AND closed_at < $1";
            for table in [
                "webhook_deliveries",
                "request_messages",
                "request_challenges",
                "request_steps",
            ] {
                exec(
                    &tx,
                    &format!("DELETE FROM {table} WHERE request IN ({sel})"),
                    &[&cut],
                )
                .await?;
            }
            exec(
                &tx,
                "DELETE FROM requests WHERE closed_at IS NOT NULL AND closed_at < $1",
                &[&cut],
            )
            .await
        })
    }

    async fn create_challenge(&self, ch: &NewChallenge) -> Result<(), StoreError> {
        tx!(self, |tx| async {
            let existing = query_opt(
                &tx,
                &format!("SELECT {CH_COLS} FROM request_challenges WHERE id = $1"),
                &[&ch.id.as_uuid()],
                decode_challenge,
            )
            .await?;
            if let Some(e) = existing {
                let same = e.request == ch.request
                    && e.code_hash == ch.code_hash
                    && e.expires_at == store_precision(ch.expires_at);
                return if same {
                    Ok(())
                } else {
                    Err(StoreError::conflict(
                        Entity::Challenge,
                        ConflictReason::DifferentContent,
                    ))
                };
            }
            require_exists(&tx, ch.request).await?;
            exec(
                &tx,
                &format!(
                    "INSERT INTO request_challenges ({CH_COLS}) VALUES ($1, $2, $3, $4, $5, $6, 0, NULL) \
                     ON CONFLICT (id) DO NOTHING"
                ),
                &[
                    &ch.id.as_uuid(),
                    &ch.request.as_uuid(),
                    &ch.code_hash.as_bytes().as_slice(),
                    &PgTime::of(ch.created_at),
                    &PgTime::of(ch.expires_at),
                    &i32_of(ch.max_attempts),
                ],
            )
            .await?;
            Ok(())
        })
    }

    async fn latest_challenge(
        &self,
        request: RequestId,
    ) -> Result<Option<ChallengeRecord>, StoreError> {
        let c = self.client().await?;
        query_opt(
            &c,
            &format!(
                "SELECT {CH_COLS} FROM request_challenges WHERE request = $1 \
                 ORDER BY created_at DESC, id DESC LIMIT 1"
            ),
            &[&request.as_uuid()],
            decode_challenge,
        )
        .await
    }

    async fn attempt_challenge(
        &self,
        id: ChallengeId,
        matched: bool,
        at: Timestamp,
    ) -> Result<ChallengeAttempt, StoreError> {
        tx!(self, |tx| async {
            let c = query_opt(
                &tx,
                &format!("SELECT {CH_COLS} FROM request_challenges WHERE id = $1 FOR UPDATE"),
                &[&id.as_uuid()],
                decode_challenge,
            )
            .await?
            .ok_or(StoreError::NotFound(Entity::Challenge))?;
            if c.consumed_at.is_some() {
                return Ok(ChallengeAttempt::AlreadyUsed);
            }
            if store_precision(at) > c.expires_at {
                return Ok(ChallengeAttempt::Expired);
            }
            if c.attempts >= c.max_attempts {
                return Ok(ChallengeAttempt::Exhausted);
            }
            let attempts = c.attempts + 1;
            exec(
                &tx,
                "UPDATE request_challenges SET attempts = $2, consumed_at = $3 WHERE id = $1",
                &[
                    &id.as_uuid(),
                    &i32_of(attempts),
                    &matched.then(|| PgTime::of(at)),
                ],
            )
            .await?;
            Ok(if matched {
                ChallengeAttempt::Accepted
            } else {
                ChallengeAttempt::Rejected {
                    remaining: c.max_attempts - attempts,
                }
            })
        })
    }

    async fn enqueue_messages(&self, messages: &[NewMessage]) -> Result<(), StoreError> {
        tx!(self, |tx| enqueue(&tx, messages))
    }

    async fn pending_messages(&self, limit: u32) -> Result<Vec<MessageRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {MSG_COLS} FROM request_messages WHERE sent_at IS NULL \
                 ORDER BY created_at, id LIMIT $1"
            ),
            &[&i64::from(limit.clamp(1, 10_000))],
            decode_message,
        )
        .await
    }

    async fn claim_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let c = self.client().await?;
        let mut out = query_vec(
            &c,
            &format!(
                "UPDATE request_messages SET lease_until = $2 WHERE id IN ( \
                   SELECT id FROM request_messages WHERE sent_at IS NULL AND sealed IS NOT NULL \
                   AND (lease_until IS NULL OR lease_until <= $1) \
                   ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
                 RETURNING {MSG_COLS}"
            ),
            &[
                &PgTime::of(now),
                &PgTime::of(lease_until),
                &i64::from(limit.clamp(1, 10_000)),
            ],
            decode_message,
        )
        .await?;
        out.sort_by_key(|m| (m.created_at, m.id));
        Ok(out)
    }

    async fn record_message_attempt(
        &self,
        id: MessageId,
        outcome: &MessageOutcome,
        at: Timestamp,
    ) -> Result<MessageRecord, StoreError> {
        let c = self.client().await?;
        match outcome {
            MessageOutcome::Sent => exec(
                &c,
                "UPDATE request_messages SET attempts = attempts + 1, sent_at = $2, sealed = NULL, \
                     last_error = NULL, lease_until = NULL WHERE id = $1 AND sent_at IS NULL",
                &[&id.as_uuid(), &PgTime::of(at)],
            )
            .await?,
            MessageOutcome::Failed(code) => {
                exec(
                    &c,
                    "UPDATE request_messages SET attempts = attempts + 1, last_error = $2, \
                     lease_until = NULL WHERE id = $1 AND sent_at IS NULL",
                    &[&id.as_uuid(), &code.as_str()],
                )
                .await?
            }
        };
        query_opt(
            &c,
            &format!("SELECT {MSG_COLS} FROM request_messages WHERE id = $1"),
            &[&id.as_uuid()],
            decode_message,
        )
        .await?
        .ok_or(StoreError::NotFound(Entity::Message))
    }

    async fn request_messages(&self, request: RequestId) -> Result<Vec<MessageRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {MSG_COLS} FROM request_messages WHERE request = $1 ORDER BY created_at, id"
            ),
            &[&request.as_uuid()],
            decode_message,
        )
        .await
    }

    async fn complaint_messages(
        &self,
        complaint: CaseId,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {MSG_COLS} FROM request_messages WHERE complaint = $1 \
                 ORDER BY created_at, id"
            ),
            &[&complaint.as_uuid()],
            decode_message,
        )
        .await
    }

    async fn put_connector(&self, cn: &NewConnector) -> Result<ConnectorRecord, StoreError> {
        tx!(self, |tx| async {
            let existing = query_opt(
                &tx,
                &format!("SELECT {CONN_COLS} FROM connectors WHERE id = $1 FOR UPDATE"),
                &[&cn.id.as_uuid()],
                decode_connector,
            )
            .await?;
            let result = match existing {
                Some(e) => {
                    if e.kind != cn.kind {
                        return Err(StoreError::conflict(
                            Entity::Connector,
                            ConflictReason::DifferentContent,
                        ));
                    }
                    exec_raw(
                        &tx,
                        "UPDATE connectors SET name = $2, recipient = $3, config = $4, key_kek = $5, \
                         key_wrapped = $6, secret = $7, updated_at = $8, disabled_at = NULL WHERE id = $1",
                        &[
                            &cn.id.as_uuid(),
                            &cn.name.as_str(),
                            &cn.recipient.as_ref().map(|r| r.as_str()),
                            &cn.config.as_slice(),
                            &cn.key.kek.as_str(),
                            &cn.key.wrapped.as_bytes(),
                            &cn.secret.as_ref().map(|s| s.as_bytes()),
                            &PgTime::of(cn.at),
                        ],
                    )
                    .await
                }
                None => {
                    exec_raw(
                        &tx,
                        &format!(
                            "INSERT INTO connectors ({CONN_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, NULL)"
                        ),
                        &[
                            &cn.id.as_uuid(),
                            &cn.name.as_str(),
                            &i16_of(cn.kind.code()),
                            &cn.recipient.as_ref().map(|r| r.as_str()),
                            &cn.config.as_slice(),
                            &cn.key.kek.as_str(),
                            &cn.key.wrapped.as_bytes(),
                            &cn.secret.as_ref().map(|s| s.as_bytes()),
                            &PgTime::of(cn.at),
                        ],
                    )
                    .await
                }
            };
            match result {
                Ok(_) => require_connector(&tx, cn.id).await,
                Err(e)
                    if is_state(&e, &SqlState::UNIQUE_VIOLATION)
                        && constraint(&e) == Some("connectors_by_name") =>
                {
                    Err(StoreError::conflict(
                        Entity::Connector,
                        ConflictReason::NameTaken,
                    ))
                }
                Err(e) => Err(pg(e)),
            }
        })
    }

    async fn get_connector(&self, id: ConnectorId) -> Result<ConnectorRecord, StoreError> {
        let c = self.client().await?;
        require_connector(&c, id).await
    }

    async fn list_connectors(&self) -> Result<Vec<ConnectorRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!("SELECT {CONN_COLS} FROM connectors ORDER BY name"),
            &[],
            decode_connector,
        )
        .await
    }

    async fn disable_connector(
        &self,
        id: ConnectorId,
        at: Timestamp,
    ) -> Result<ConnectorRecord, StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "UPDATE connectors SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL",
            &[&id.as_uuid(), &PgTime::of(at)],
        )
        .await?;
        require_connector(&c, id).await
    }

    async fn create_deliveries(&self, ds: &[NewDelivery]) -> Result<(), StoreError> {
        for d in ds {
            d.check()?;
        }
        tx!(self, |tx| async {
            for d in ds {
                if let Some(e) = get_delivery_opt(&tx, d.id).await? {
                    if e.request != d.request
                        || e.notification != d.notification
                        || e.connector != d.connector
                        || e.event != d.event
                    {
                        return Err(StoreError::conflict(
                            Entity::Delivery,
                            ConflictReason::DifferentContent,
                        ));
                    }
                    continue;
                }
                if let Some(r) = d.request {
                    require_exists(&tx, r).await?;
                }
                if let Some(n) = d.notification {
                    // Lock the notification row: two workers routing it at once queue one
                    // delivery (the unique index refuses the second).
                    query_opt(
                        &tx,
                        "SELECT 1 FROM partner_notifications WHERE id = $1 FOR UPDATE",
                        &[&n.as_uuid()],
                        |_| Ok(()),
                    )
                    .await?
                    .ok_or(StoreError::NotFound(Entity::Notification))?;
                    let taken = query_opt(
                        &tx,
                        "SELECT 1 FROM webhook_deliveries WHERE notification = $1",
                        &[&n.as_uuid()],
                        |_| Ok(()),
                    )
                    .await?;
                    if taken.is_some() {
                        return Err(StoreError::conflict(
                            Entity::Delivery,
                            ConflictReason::DifferentContent,
                        ));
                    }
                }
                require_connector(&tx, d.connector).await?;
                exec(
                    &tx,
                    &format!(
                        "INSERT INTO webhook_deliveries ({DEL_COLS}) VALUES ($1, $2, $3, $4, $5, $6, 1, 0, \
                         $7, $8, $9, NULL, NULL, NULL, NULL, NULL, $10)"
                    ),
                    &[
                        &d.id.as_uuid(),
                        &d.request.map(|r| r.as_uuid()),
                        &d.connector.as_uuid(),
                        &d.recipient.as_str(),
                        &d.event.as_str(),
                        &d.sealed.as_ref().map(|c| c.as_bytes()),
                        &i32_of(d.max_attempts),
                        &PgTime::of(d.created_at),
                        &PgTime::of(d.next_attempt_at),
                        &d.notification.map(|n| n.as_uuid()),
                    ],
                )
                .await?;
            }
            Ok(())
        })
    }

    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        let c = self.client().await?;
        let mut out = query_vec(
            &c,
            &format!(
                "UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id IN ( \
                   SELECT id FROM webhook_deliveries WHERE state = 1 AND next_attempt_at <= $1 \
                   ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
                 RETURNING {DEL_COLS}"
            ),
            &[
                &PgTime::of(now),
                &PgTime::of(lease_until),
                &i64::from(limit.clamp(1, 10_000)),
            ],
            decode_delivery,
        )
        .await?;
        out.sort_by_key(|d| (d.created_at, d.id));
        Ok(out)
    }

    async fn record_delivery_attempt(
        &self,
        id: DeliveryId,
        o: &DeliveryOutcome,
        at: Timestamp,
    ) -> Result<DeliveryRecord, StoreError> {
        tx!(self, |tx| async {
            let d = query_opt(
                &tx,
                &format!("SELECT {DEL_COLS} FROM webhook_deliveries WHERE id = $1 FOR UPDATE"),
                &[&id.as_uuid()],
                decode_delivery,
            )
            .await?
            .ok_or(StoreError::NotFound(Entity::Delivery))?;
            if d.state != DeliveryState::Pending {
                return Ok(d);
            }
            let attempts = i32_of(d.attempts.saturating_add(1));
            let at = PgTime::of(at);
            match o {
                DeliveryOutcome::Delivered { status, confirmed } => {
                    let state = if *confirmed {
                        DeliveryState::Confirmed
                    } else {
                        DeliveryState::Delivered
                    };
                    exec(
                        &tx,
                        "UPDATE webhook_deliveries SET state = $2, attempts = $3, last_attempt_at = $4, \
                         last_status = $5, last_error = NULL, delivered_at = $4, \
                         confirmed_at = CASE WHEN $6 THEN $4 ELSE confirmed_at END WHERE id = $1",
                        &[
                            &id.as_uuid(),
                            &i16_of(state.code()),
                            &attempts,
                            &at,
                            &i32::from(*status),
                            confirmed,
                        ],
                    )
                    .await?
                }
                DeliveryOutcome::Retry {
                    status,
                    error,
                    next_attempt_at,
                } => {
                    exec(
                        &tx,
                        "UPDATE webhook_deliveries SET attempts = $2, last_attempt_at = $3, \
                         last_status = $4, last_error = $5, next_attempt_at = $6 WHERE id = $1",
                        &[
                            &id.as_uuid(),
                            &attempts,
                            &at,
                            &status.map(i32::from),
                            &error.as_str(),
                            &PgTime::of(*next_attempt_at),
                        ],
                    )
                    .await?
                }
                DeliveryOutcome::DeadLetter { status, error } => exec(
                    &tx,
                    "UPDATE webhook_deliveries SET state = 4, attempts = $2, last_attempt_at = $3, \
                         last_status = $4, last_error = $5 WHERE id = $1",
                    &[
                        &id.as_uuid(),
                        &attempts,
                        &at,
                        &status.map(i32::from),
                        &error.as_str(),
                    ],
                )
                .await?,
            };
            require_delivery(&tx, id).await
        })
    }

    async fn confirm_delivery(
        &self,
        id: DeliveryId,
        at: Timestamp,
    ) -> Result<DeliveryRecord, StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "UPDATE webhook_deliveries SET state = 3, confirmed_at = $2, \
             delivered_at = COALESCE(delivered_at, $2) WHERE id = $1 AND confirmed_at IS NULL",
            &[&id.as_uuid(), &PgTime::of(at)],
        )
        .await?;
        require_delivery(&c, id).await
    }

    async fn requeue_delivery(
        &self,
        id: DeliveryId,
        at: Timestamp,
    ) -> Result<DeliveryRecord, StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "UPDATE webhook_deliveries SET state = 1, attempts = 0, next_attempt_at = $2 \
             WHERE id = $1 AND state = 4",
            &[&id.as_uuid(), &PgTime::of(at)],
        )
        .await?;
        require_delivery(&c, id).await
    }

    async fn get_delivery(&self, id: DeliveryId) -> Result<DeliveryRecord, StoreError> {
        let c = self.client().await?;
        require_delivery(&c, id).await
    }

    async fn request_deliveries(
        &self,
        request: RequestId,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {DEL_COLS} FROM webhook_deliveries WHERE request = $1 ORDER BY created_at, id"
            ),
            &[&request.as_uuid()],
            decode_delivery,
        )
        .await
    }

    async fn dead_letters(&self, limit: u32) -> Result<Vec<DeliveryRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {DEL_COLS} FROM webhook_deliveries WHERE state = 4 ORDER BY created_at, id LIMIT $1"
            ),
            &[&i64::from(limit.clamp(1, 10_000))],
            decode_delivery,
        )
        .await
    }

    async fn unconfirmed_deliveries(
        &self,
        delivered_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<DeliveryRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {DEL_COLS} FROM webhook_deliveries WHERE state = 2 AND delivered_at < $1 \
                 ORDER BY delivered_at, id LIMIT $2"
            ),
            &[
                &PgTime::of(delivered_before),
                &i64::from(limit.clamp(1, 10_000)),
            ],
            decode_delivery,
        )
        .await
    }

    async fn put_legal_hold(&self, h: &NewLegalHold) -> Result<LegalHoldRecord, StoreError> {
        tx!(self, |tx| async {
            if let Some(e) = get_hold(&tx, h.id).await? {
                let same = e.subject == h.subject && e.items == h.items && e.reason == h.reason;
                return if same {
                    Ok(e)
                } else {
                    Err(StoreError::conflict(
                        Entity::LegalHold,
                        ConflictReason::DifferentContent,
                    ))
                };
            }
            subject::require(&tx, h.subject).await?;
            let items: Vec<uuid::Uuid> = h.items.iter().map(|i| i.as_uuid()).collect();
            exec(
                &tx,
                &format!(
                    "INSERT INTO legal_holds ({HOLD_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)"
                ),
                &[
                    &h.id.as_uuid(),
                    &h.subject.as_uuid(),
                    &items,
                    &h.reason.as_str(),
                    &h.owner.as_str(),
                    &PgTime::of(h.review_at),
                    &PgTime::of(h.created_at),
                ],
            )
            .await?;
            get_hold(&tx, h.id)
                .await?
                .ok_or(StoreError::NotFound(Entity::LegalHold))
        })
    }

    async fn release_legal_hold(
        &self,
        id: HoldId,
        at: Timestamp,
    ) -> Result<LegalHoldRecord, StoreError> {
        let c = self.client().await?;
        exec(
            &c,
            "UPDATE legal_holds SET released_at = $2 WHERE id = $1 AND released_at IS NULL",
            &[&id.as_uuid(), &PgTime::of(at)],
        )
        .await?;
        get_hold(&c, id)
            .await?
            .ok_or(StoreError::NotFound(Entity::LegalHold))
    }

    async fn legal_holds_of(&self, subject: SubjectId) -> Result<Vec<LegalHoldRecord>, StoreError> {
        let c = self.client().await?;
        query_vec(
            &c,
            &format!(
                "SELECT {HOLD_COLS} FROM legal_holds WHERE subject = $1 ORDER BY created_at, id"
            ),
            &[&subject.as_uuid()],
            decode_hold,
        )
        .await
    }
}
