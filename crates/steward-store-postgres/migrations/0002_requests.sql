-- Steward store on PostgreSQL, schema version 2: data subject requests and their workflow
-- (RIGHTS-*, GDPR-03..06, CCPA-04..13, DL-*): requests with their deadlines, append-only steps,
-- verification challenges (keyed hashes of one-time codes, never the codes), the outbox,
-- connectors (external datasets and webhook endpoints), webhook deliveries and legal holds.
--
-- No plaintext personal data: contact details, messages and webhook bodies are vault
-- ciphertext under the request's own data key (key_kek + key_wrapped); connection strings and
-- webhook secrets are ciphertext under the connector's key. `doc` and `detail` are JSON
-- written by the core without personal data.

CREATE TABLE requests (
    id          uuid        NOT NULL PRIMARY KEY,
    kind        text        COLLATE "C" NOT NULL,
    subject     uuid        REFERENCES subjects(id),
    requester   smallint    NOT NULL,
    channel     text        COLLATE "C" NOT NULL,
    state       smallint    NOT NULL,
    received_at timestamptz NOT NULL,
    ack_due     timestamptz,
    due         timestamptz NOT NULL,
    max_due     timestamptz NOT NULL,
    closed_at   timestamptz,
    key_kek     text        COLLATE "C",
    key_wrapped bytea,
    sealed      bytea,
    doc         bytea       NOT NULL,
    revision    bigint      NOT NULL,
    updated_at  timestamptz NOT NULL
);
-- The queue by deadline: covering, so listing open requests never reads the documents.
CREATE INDEX requests_open_by_due ON requests(due, id) INCLUDE (kind, subject, requester,
    channel, state, received_at, ack_due, max_due) WHERE closed_at IS NULL;
CREATE INDEX requests_by_due ON requests(due, id);
CREATE INDEX requests_by_subject ON requests(subject, due, id);
CREATE INDEX requests_closed ON requests(closed_at) WHERE closed_at IS NOT NULL;

-- Append-only steps. actor_kind: 0 system, 1 subject, 2 service (as in `choices`).
CREATE TABLE request_steps (
    request       uuid        NOT NULL REFERENCES requests(id),
    at            timestamptz NOT NULL,
    id            uuid        NOT NULL UNIQUE,
    actor_kind    smallint    NOT NULL,
    actor_subject uuid,
    actor_service text        COLLATE "C",
    action        text        COLLATE "C" NOT NULL,
    state         smallint    NOT NULL,
    detail        bytea       NOT NULL,
    PRIMARY KEY (request, at, id)
);

CREATE TABLE request_challenges (
    id           uuid        NOT NULL PRIMARY KEY,
    request      uuid        NOT NULL REFERENCES requests(id),
    code_hash    bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    max_attempts integer     NOT NULL,
    attempts     integer     NOT NULL,
    consumed_at  timestamptz
);
CREATE INDEX request_challenges_by_request ON request_challenges(request, created_at, id);

-- The outbox. sealed is purged once the transport accepted the message.
CREATE TABLE request_messages (
    id         uuid        NOT NULL PRIMARY KEY,
    request    uuid        NOT NULL REFERENCES requests(id),
    kind       text        COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL,
    sealed     bytea,
    attempts   integer     NOT NULL,
    sent_at    timestamptz,
    last_error text        COLLATE "C"
);
CREATE INDEX request_messages_pending ON request_messages(created_at, id) WHERE sent_at IS NULL;
CREATE INDEX request_messages_by_request ON request_messages(request, created_at, id);

-- Connectors. kind: 1 sqlite dataset, 2 postgres dataset, 3 webhook.
CREATE TABLE connectors (
    id          uuid        NOT NULL PRIMARY KEY,
    name        text        COLLATE "C" NOT NULL,
    kind        smallint    NOT NULL,
    recipient   text        COLLATE "C",
    config      bytea       NOT NULL,
    key_kek     text        COLLATE "C" NOT NULL,
    key_wrapped bytea       NOT NULL,
    secret      bytea,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    disabled_at timestamptz
);
CREATE UNIQUE INDEX connectors_by_name ON connectors(name);

-- Webhook deliveries. state: 1 pending, 2 delivered, 3 confirmed, 4 dead letter.
CREATE TABLE webhook_deliveries (
    id              uuid        NOT NULL PRIMARY KEY,
    request         uuid        NOT NULL REFERENCES requests(id),
    connector       uuid        NOT NULL REFERENCES connectors(id),
    recipient       text        COLLATE "C" NOT NULL,
    event           text        COLLATE "C" NOT NULL,
    sealed          bytea       NOT NULL,
    state           smallint    NOT NULL,
    attempts        integer     NOT NULL,
    max_attempts    integer     NOT NULL,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text        COLLATE "C",
    delivered_at    timestamptz,
    confirmed_at    timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at, id) WHERE state = 1;
CREATE INDEX webhook_deliveries_by_request ON webhook_deliveries(request, created_at, id);
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries(created_at, id) WHERE state = 4;
CREATE INDEX webhook_deliveries_unconfirmed ON webhook_deliveries(delivered_at, id) WHERE state = 2;

-- Legal holds (RET-03). items: the held item ids; empty = every item.
CREATE TABLE legal_holds (
    id          uuid        NOT NULL PRIMARY KEY,
    subject     uuid        NOT NULL REFERENCES subjects(id),
    items       uuid[]      NOT NULL,
    reason      text        COLLATE "C" NOT NULL,
    owner       text        COLLATE "C" NOT NULL,
    review_at   timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    released_at timestamptz
);
CREATE INDEX legal_holds_by_subject ON legal_holds(subject, created_at, id);
