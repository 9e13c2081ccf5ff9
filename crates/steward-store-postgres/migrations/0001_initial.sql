-- Steward store on PostgreSQL, schema version 1.
--
-- Conventions: ids are UUIDv7 in `uuid` columns (time-ordered, so inserts append to the right
-- edge of the B-tree); times are `timestamptz` (microseconds: the store's precision); enums are
-- `smallint` codes (see `coded_enum!` in steward-store: never renumbered); policy vocabulary
-- keys are `text COLLATE "C"` (ASCII keys, byte order). Nothing here holds plaintext personal
-- data: identities are blind-index tokens, values are vault ciphertext, audit values digests.

CREATE TABLE subjects (
    id                 uuid        NOT NULL PRIMARY KEY,
    controller         text        COLLATE "C" NOT NULL,
    kind               smallint    NOT NULL,
    residency          text        COLLATE "C",
    eu_protected_since timestamptz,
    age_band           smallint,
    age_years          smallint,
    age_source         smallint,
    age_known_at       timestamptz,
    household          uuid,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    erased_at          timestamptz,
    revision           bigint      NOT NULL
);

-- The identity graph (DM-03). Exclusive kinds (1 e-mail, 2 phone, 3 account reference) map a
-- token to one subject at most — enforced here, so two processes cannot race; cookies (4) and
-- devices (5) may link to several subjects.
CREATE TABLE identities (
    kind       smallint    NOT NULL,
    token      bytea       NOT NULL,
    subject    uuid        NOT NULL REFERENCES subjects(id),
    source     text        COLLATE "C" NOT NULL,
    confidence smallint    NOT NULL,
    linked_at  timestamptz NOT NULL,
    PRIMARY KEY (kind, token, subject)
);
CREATE UNIQUE INDEX identities_exclusive ON identities(kind, token) WHERE kind IN (1, 2, 3);
CREATE INDEX identities_by_subject ON identities(subject);

CREATE TABLE accounts (
    id         uuid        NOT NULL PRIMARY KEY,
    owner      uuid        NOT NULL REFERENCES subjects(id),
    controller text        COLLATE "C" NOT NULL,
    status     smallint    NOT NULL,
    created_at timestamptz NOT NULL,
    closed_at  timestamptz
);

CREATE TABLE account_members (
    account    uuid        NOT NULL REFERENCES accounts(id),
    subject    uuid        NOT NULL REFERENCES subjects(id),
    role       smallint    NOT NULL,
    added_at   timestamptz NOT NULL,
    removed_at timestamptz,
    PRIMARY KEY (account, subject)
);
CREATE INDEX account_members_by_subject ON account_members(subject);

CREATE TABLE admin_grants (
    id             uuid        NOT NULL PRIMARY KEY,
    account        uuid        NOT NULL REFERENCES accounts(id),
    grantee        uuid        NOT NULL REFERENCES subjects(id),
    granted_by     uuid        NOT NULL REFERENCES subjects(id),
    permissions    smallint    NOT NULL,
    warning_ack_at timestamptz NOT NULL,
    granted_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_by     uuid
);
CREATE INDEX admin_grants_by_account ON admin_grants(account, grantee);

CREATE TABLE items (
    id              uuid        NOT NULL PRIMARY KEY,
    subject         uuid        NOT NULL REFERENCES subjects(id),
    category        text        COLLATE "C" NOT NULL,
    value           bytea,              -- vault ciphertext; NULL once erased (tombstone)
    source          text        COLLATE "C" NOT NULL,
    collected_at    timestamptz NOT NULL,
    purpose         text        COLLATE "C" NOT NULL,
    controller      text        COLLATE "C" NOT NULL,
    controller_role smallint    NOT NULL,
    retain_until    timestamptz,
    updated_at      timestamptz NOT NULL,
    erased_at       timestamptz
);
-- Ciphertext does not compress: do not try.
ALTER TABLE items ALTER COLUMN value SET STORAGE EXTERNAL;
CREATE INDEX items_by_subject ON items(subject, id);
CREATE INDEX items_due ON items(retain_until, id)
    WHERE erased_at IS NULL AND retain_until IS NOT NULL;

-- Wrapped per-subject data keys (DM-02). A destroyed key keeps its row with wrapped = NULL.
CREATE TABLE data_keys (
    subject      uuid        NOT NULL PRIMARY KEY REFERENCES subjects(id),
    kek          text        COLLATE "C",
    wrapped      bytea,
    created_at   timestamptz NOT NULL,
    rewrapped_at timestamptz,
    destroyed_at timestamptz
);
CREATE INDEX data_keys_by_kek ON data_keys(kek, subject) WHERE destroyed_at IS NULL;

-- The choices ledger (DM-01). party_kind 0 = subject (party = the 16 id bytes, and `subject`
-- holds the same id so the foreign key refuses unknown subjects), otherwise the identity kind
-- code (party = blind token, subject NULL).
CREATE TABLE choices (
    id             uuid        NOT NULL PRIMARY KEY,
    party_kind     smallint    NOT NULL,
    party          bytea       NOT NULL,
    subject        uuid        REFERENCES subjects(id),
    key            text        COLLATE "C" NOT NULL,
    value          boolean     NOT NULL,
    source         smallint    NOT NULL,
    channel        text        COLLATE "C",
    actor_kind     smallint    NOT NULL,   -- 0 system, 1 subject, 2 service
    actor_subject  uuid,
    actor_service  text        COLLATE "C",
    policy_version text        COLLATE "C" NOT NULL,
    notice_hash    bytea,
    at             timestamptz NOT NULL
);
CREATE INDEX choices_by_party ON choices(party_kind, party, at, id);

-- The disclosure register (AUD-03).
CREATE TABLE disclosures (
    id           uuid        NOT NULL PRIMARY KEY,
    subject      uuid        NOT NULL REFERENCES subjects(id),
    recipient    text        COLLATE "C" NOT NULL,
    categories   text[]      NOT NULL,
    items        uuid[]      NOT NULL,
    purpose      text        COLLATE "C" NOT NULL,
    decision     uuid        NOT NULL,
    payload_hash bytea,
    disclosed_at timestamptz NOT NULL
);
CREATE INDEX disclosures_by_subject ON disclosures(subject, disclosed_at, id);
CREATE INDEX disclosures_by_recipient ON disclosures(recipient, disclosed_at, id);
CREATE INDEX disclosures_by_time ON disclosures(disclosed_at, id);

-- The audit log (AUD-01/02). body is the canonical encoding (steward_store::canonical), stored
-- as is and never re-encoded (DM-08); event_id, at, kind and subject are index columns that
-- verification checks against the body.
CREATE TABLE audit_log (
    seq       bigint      NOT NULL PRIMARY KEY,
    event_id  uuid        NOT NULL,
    at        timestamptz NOT NULL,
    kind      smallint    NOT NULL,
    subject   uuid,
    prev_hash bytea       NOT NULL,
    hash      bytea       NOT NULL,
    body      bytea       NOT NULL
);
CREATE UNIQUE INDEX audit_by_event ON audit_log(event_id);
CREATE INDEX audit_by_subject ON audit_log(subject, seq) WHERE subject IS NOT NULL;
-- Events arrive in time order, so a BRIN index on `at` is nearly free to maintain (a B-tree
-- here cost ~30% of the insert time) and still narrows time-range queries to a few pages.
CREATE INDEX audit_by_time ON audit_log USING brin (at);

-- The chain head: one row, locked (SELECT ... FOR UPDATE) by every append, so appends from
-- every process on this database are serialized and numbered without gaps.
CREATE TABLE audit_head (
    id   smallint NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  bigint   NOT NULL,
    hash bytea    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_checkpoints (
    seq       bigint      NOT NULL PRIMARY KEY,
    head_hash bytea       NOT NULL,
    signed_at timestamptz NOT NULL,
    key_id    text        COLLATE "C" NOT NULL,
    signature bytea       NOT NULL
);

-- API keys (SEC-05). hash is SHA-256 of the secret: the secret itself is never stored.
CREATE TABLE api_keys (
    id           uuid        NOT NULL PRIMARY KEY,
    name         text        COLLATE "C" NOT NULL,
    hash         bytea       NOT NULL,
    scopes       text[]      NOT NULL,
    account      uuid        REFERENCES accounts(id),
    rate_per_sec bigint,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
-- Every API request looks its key up by hash.
CREATE UNIQUE INDEX api_keys_by_hash ON api_keys(hash);
CREATE INDEX api_keys_by_created ON api_keys(created_at, id);

-- DM-01, defence in depth: the ledgers refuse UPDATE, DELETE and TRUNCATE inside the database
-- too, not only through the API (an owner can drop these triggers; the hash chain still tells).
CREATE FUNCTION steward_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'steward: % is an append-only ledger', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER choices_append_only BEFORE UPDATE OR DELETE ON choices
    FOR EACH ROW EXECUTE FUNCTION steward_append_only();
CREATE TRIGGER choices_no_truncate BEFORE TRUNCATE ON choices
    FOR EACH STATEMENT EXECUTE FUNCTION steward_append_only();
CREATE TRIGGER disclosures_append_only BEFORE UPDATE OR DELETE ON disclosures
    FOR EACH ROW EXECUTE FUNCTION steward_append_only();
CREATE TRIGGER disclosures_no_truncate BEFORE TRUNCATE ON disclosures
    FOR EACH STATEMENT EXECUTE FUNCTION steward_append_only();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION steward_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION steward_append_only();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION steward_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION steward_append_only();
