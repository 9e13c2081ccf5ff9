-- Steward store, schema version 1.
--
-- Conventions: ids are UUIDv7 as 16-byte BLOBs (time-ordered, so inserts append to the end of
-- the B-tree); times are INTEGER microseconds since the Unix epoch; enums are small INTEGER
-- codes (see `coded_enum!` in steward-store: never renumbered); policy vocabulary keys are
-- TEXT. Nothing here holds plaintext personal data: identities are blind-index tokens, values
-- are vault ciphertext, audit values are digests.

CREATE TABLE subjects (
    id                 BLOB    NOT NULL PRIMARY KEY,
    controller         TEXT    NOT NULL,
    kind               INTEGER NOT NULL,
    residency          TEXT,
    eu_protected_since INTEGER,
    age_band           INTEGER,
    age_years          INTEGER,
    age_source         INTEGER,
    age_known_at       INTEGER,
    household          BLOB,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    erased_at          INTEGER,
    revision           INTEGER NOT NULL
) WITHOUT ROWID;

-- The identity graph (DM-03). Exclusive kinds (1 e-mail, 2 phone, 3 account reference) map a
-- token to one subject at most; cookies (4) and devices (5) may link to several subjects.
CREATE TABLE identities (
    kind       INTEGER NOT NULL,
    token      BLOB    NOT NULL,
    subject    BLOB    NOT NULL REFERENCES subjects(id),
    source     TEXT    NOT NULL,
    confidence INTEGER NOT NULL,
    linked_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, token, subject)
) WITHOUT ROWID;
CREATE UNIQUE INDEX identities_exclusive ON identities(kind, token) WHERE kind IN (1, 2, 3);
CREATE INDEX identities_by_subject ON identities(subject);

CREATE TABLE accounts (
    id         BLOB    NOT NULL PRIMARY KEY,
    owner      BLOB    NOT NULL REFERENCES subjects(id),
    controller TEXT    NOT NULL,
    status     INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    closed_at  INTEGER
) WITHOUT ROWID;

CREATE TABLE account_members (
    account    BLOB    NOT NULL REFERENCES accounts(id),
    subject    BLOB    NOT NULL REFERENCES subjects(id),
    role       INTEGER NOT NULL,
    added_at   INTEGER NOT NULL,
    removed_at INTEGER,
    PRIMARY KEY (account, subject)
) WITHOUT ROWID;
CREATE INDEX account_members_by_subject ON account_members(subject);

CREATE TABLE admin_grants (
    id             BLOB    NOT NULL PRIMARY KEY,
    account        BLOB    NOT NULL REFERENCES accounts(id),
    grantee        BLOB    NOT NULL REFERENCES subjects(id),
    granted_by     BLOB    NOT NULL REFERENCES subjects(id),
    permissions    INTEGER NOT NULL,
    warning_ack_at INTEGER NOT NULL,
    granted_at     INTEGER NOT NULL,
    revoked_at     INTEGER,
    revoked_by     BLOB
) WITHOUT ROWID;
CREATE INDEX admin_grants_by_account ON admin_grants(account, grantee);

CREATE TABLE items (
    id              BLOB    NOT NULL PRIMARY KEY,
    subject         BLOB    NOT NULL REFERENCES subjects(id),
    category        TEXT    NOT NULL,
    value           BLOB,               -- vault ciphertext; NULL once erased (tombstone)
    source          TEXT    NOT NULL,
    collected_at    INTEGER NOT NULL,
    purpose         TEXT    NOT NULL,
    controller      TEXT    NOT NULL,
    controller_role INTEGER NOT NULL,
    retain_until    INTEGER,
    updated_at      INTEGER NOT NULL,
    erased_at       INTEGER
) WITHOUT ROWID;
CREATE INDEX items_by_subject ON items(subject);
CREATE INDEX items_due ON items(retain_until, id)
    WHERE erased_at IS NULL AND retain_until IS NOT NULL;

-- Wrapped per-subject data keys (DM-02). A destroyed key keeps its row with wrapped = NULL.
CREATE TABLE data_keys (
    subject      BLOB    NOT NULL PRIMARY KEY REFERENCES subjects(id),
    kek          TEXT,
    wrapped      BLOB,
    created_at   INTEGER NOT NULL,
    rewrapped_at INTEGER,
    destroyed_at INTEGER
) WITHOUT ROWID;
CREATE INDEX data_keys_by_kek ON data_keys(kek, subject) WHERE destroyed_at IS NULL;

-- The choices ledger (DM-01). party_kind 0 = subject (party = subject id), otherwise the
-- identity kind code (party = blind token).
CREATE TABLE choices (
    id             BLOB    NOT NULL PRIMARY KEY,
    party_kind     INTEGER NOT NULL,
    party          BLOB    NOT NULL,
    key            TEXT    NOT NULL,
    value          INTEGER NOT NULL,
    source         INTEGER NOT NULL,
    actor_kind     INTEGER NOT NULL,   -- 0 system, 1 subject, 2 service
    actor_subject  BLOB,
    actor_service  TEXT,
    policy_version TEXT    NOT NULL,
    notice_hash    BLOB,
    at             INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX choices_by_party ON choices(party_kind, party, at, id);

-- The disclosure register (AUD-03). categories: keys separated by one space; items: the
-- concatenated 16-byte item ids.
CREATE TABLE disclosures (
    id           BLOB    NOT NULL PRIMARY KEY,
    subject      BLOB    NOT NULL REFERENCES subjects(id),
    recipient    TEXT    NOT NULL,
    categories   TEXT    NOT NULL,
    items        BLOB    NOT NULL,
    purpose      TEXT    NOT NULL,
    decision     BLOB    NOT NULL,
    payload_hash BLOB,
    disclosed_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX disclosures_by_subject ON disclosures(subject, disclosed_at, id);
CREATE INDEX disclosures_by_recipient ON disclosures(recipient, disclosed_at, id);
CREATE INDEX disclosures_by_time ON disclosures(disclosed_at, id);

-- The audit log (AUD-01/02). body is the canonical encoding (steward_store::canonical), stored
-- as is and never re-encoded (DM-08); event_id, at, kind and subject are index columns that
-- verification checks against the body.
CREATE TABLE audit_log (
    seq       INTEGER NOT NULL PRIMARY KEY,
    event_id  BLOB    NOT NULL,
    at        INTEGER NOT NULL,
    kind      INTEGER NOT NULL,
    subject   BLOB,
    prev_hash BLOB    NOT NULL,
    hash      BLOB    NOT NULL,
    body      BLOB    NOT NULL
);
CREATE UNIQUE INDEX audit_by_event ON audit_log(event_id);
CREATE INDEX audit_by_subject ON audit_log(subject, seq) WHERE subject IS NOT NULL;
CREATE INDEX audit_by_time ON audit_log(at);

CREATE TABLE audit_checkpoints (
    seq       INTEGER NOT NULL PRIMARY KEY,
    head_hash BLOB    NOT NULL,
    signed_at INTEGER NOT NULL,
    key_id    TEXT    NOT NULL,
    signature BLOB    NOT NULL
);

-- DM-01, defence in depth: the ledgers refuse UPDATE and DELETE inside the database too, not
-- only through the API (someone with the file can drop these; the hash chain still tells).
CREATE TRIGGER choices_no_update BEFORE UPDATE ON choices
    BEGIN SELECT RAISE(ABORT, 'steward: append-only ledger'); END;
CREATE TRIGGER choices_no_delete BEFORE DELETE ON choices
    BEGIN SELECT RAISE(ABORT, 'steward: append-only ledger'); END;
CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
    BEGIN SELECT RAISE(ABORT, 'steward: append-only ledger'); END;
CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
    BEGIN SELECT RAISE(ABORT, 'steward: append-only ledger'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'steward: append-only ledger'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'steward: append-only ledger'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'steward: append-only ledger'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'steward: append-only ledger'); END;
