-- Steward store, schema version 4: data subject requests and their workflow (RIGHTS-*,
-- GDPR-03..06, CCPA-04..13, DL-*): requests with their deadlines, append-only steps,
-- verification challenges (keyed hashes of one-time codes, never the codes), the outbox,
-- connectors (external datasets and webhook endpoints), webhook deliveries and legal holds.
--
-- No plaintext personal data: contact details, messages and webhook bodies are vault
-- ciphertext under the request's own data key (key_kek + key_wrapped); connection strings and
-- webhook secrets are ciphertext under the connector's key. `doc` and `detail` are JSON
-- written by the core without personal data.

CREATE TABLE requests (
    id          BLOB    NOT NULL PRIMARY KEY,
    kind        TEXT    NOT NULL,
    subject     BLOB    REFERENCES subjects(id),
    requester   INTEGER NOT NULL,
    channel     TEXT    NOT NULL,
    state       INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    ack_due     INTEGER,
    due         INTEGER NOT NULL,
    max_due     INTEGER NOT NULL,
    closed_at   INTEGER,
    key_kek     TEXT,
    key_wrapped BLOB,
    sealed      BLOB,
    doc         BLOB    NOT NULL,
    revision    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- The queue by deadline: covering, so listing open requests never reads the documents.
CREATE INDEX requests_open_by_due ON requests(due, id, kind, subject, requester, channel,
    state, received_at, ack_due, max_due) WHERE closed_at IS NULL;
CREATE INDEX requests_by_due ON requests(due, id);
CREATE INDEX requests_by_subject ON requests(subject, due, id);
CREATE INDEX requests_closed ON requests(closed_at) WHERE closed_at IS NOT NULL;

-- Append-only steps. actor_kind: 0 system, 1 subject, 2 service (as in `choices`).
CREATE TABLE request_steps (
    request       BLOB    NOT NULL REFERENCES requests(id),
    at            INTEGER NOT NULL,
    id            BLOB    NOT NULL,
    actor_kind    INTEGER NOT NULL,
    actor_subject BLOB,
    actor_service TEXT,
    action        TEXT    NOT NULL,
    state         INTEGER NOT NULL,
    detail        BLOB    NOT NULL,
    PRIMARY KEY (request, at, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX request_steps_by_id ON request_steps(id);

CREATE TABLE request_challenges (
    id           BLOB    NOT NULL PRIMARY KEY,
    request      BLOB    NOT NULL REFERENCES requests(id),
    code_hash    BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    consumed_at  INTEGER
) WITHOUT ROWID;
CREATE INDEX request_challenges_by_request ON request_challenges(request, created_at, id);

-- The outbox. sealed is purged once the transport accepted the message.
CREATE TABLE request_messages (
    id         BLOB    NOT NULL PRIMARY KEY,
    request    BLOB    NOT NULL REFERENCES requests(id),
    kind       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    sealed     BLOB,
    attempts   INTEGER NOT NULL,
    sent_at    INTEGER,
    last_error TEXT
) WITHOUT ROWID;
CREATE INDEX request_messages_pending ON request_messages(created_at, id) WHERE sent_at IS NULL;
CREATE INDEX request_messages_by_request ON request_messages(request, created_at, id);

-- Connectors. kind: 1 sqlite dataset, 2 postgres dataset, 3 webhook.
CREATE TABLE connectors (
    id          BLOB    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    kind        INTEGER NOT NULL,
    recipient   TEXT,
    config      BLOB    NOT NULL,
    key_kek     TEXT    NOT NULL,
    key_wrapped BLOB    NOT NULL,
    secret      BLOB,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    disabled_at INTEGER
) WITHOUT ROWID;
CREATE UNIQUE INDEX connectors_by_name ON connectors(name);

-- Webhook deliveries. state: 1 pending, 2 delivered, 3 confirmed, 4 dead letter.
CREATE TABLE webhook_deliveries (
    id              BLOB    NOT NULL PRIMARY KEY,
    request         BLOB    NOT NULL REFERENCES requests(id),
    connector       BLOB    NOT NULL REFERENCES connectors(id),
    recipient       TEXT    NOT NULL,
    event           TEXT    NOT NULL,
    sealed          BLOB    NOT NULL,
    state           INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,
    max_attempts    INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    INTEGER,
    confirmed_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at, id) WHERE state = 1;
CREATE INDEX webhook_deliveries_by_request ON webhook_deliveries(request, created_at, id);
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries(created_at, id) WHERE state = 4;
CREATE INDEX webhook_deliveries_unconfirmed ON webhook_deliveries(delivered_at, id) WHERE state = 2;

-- Legal holds (RET-03). items: concatenated 16-byte item ids; empty = every item. Schema 3 as
-- first committed created an unused `legal_holds` table of another shape: holds live here.
DROP TABLE IF EXISTS legal_holds;
CREATE TABLE legal_holds (
    id          BLOB    NOT NULL PRIMARY KEY,
    subject     BLOB    NOT NULL REFERENCES subjects(id),
    items       BLOB    NOT NULL,
    reason      TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    review_at   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    released_at INTEGER
) WITHOUT ROWID;
CREATE INDEX legal_holds_by_subject ON legal_holds(subject, created_at, id);
