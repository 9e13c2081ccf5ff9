-- Steward store, schema version 17: the people a security incident affects (SEC-06, GDPR-30,
-- GDPR-31, CCPA-35, NV-08), computed in the store from the vault's items and the disclosure
-- register (ids only; nothing decrypted), one row per incident and subject, marked when the
-- person's notice was queued (with its outbox message, in the same transaction), so no one
-- is told twice. The outbox carries an incident's messages too: a message belongs to exactly
-- one request, complaint or incident. SQLite cannot change a CHECK in place: the table is
-- rebuilt with its rows.
CREATE TABLE incident_subjects (
    incident    BLOB    NOT NULL REFERENCES cases(id),
    subject     BLOB    NOT NULL REFERENCES subjects(id),
    computed_at INTEGER NOT NULL,
    notified_at INTEGER,
    message     BLOB,
    PRIMARY KEY (incident, subject)
) WITHOUT ROWID;

CREATE TABLE request_messages_v17 (
    id          BLOB    NOT NULL PRIMARY KEY,
    request     BLOB    REFERENCES requests(id),
    complaint   BLOB    REFERENCES cases(id),
    kind        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    sealed      BLOB,
    attempts    INTEGER NOT NULL,
    sent_at     INTEGER,
    last_error  TEXT,
    lease_until INTEGER,
    incident    BLOB    REFERENCES cases(id),
    CHECK ((request IS NOT NULL) + (complaint IS NOT NULL) + (incident IS NOT NULL) = 1)
) WITHOUT ROWID;
INSERT INTO request_messages_v17
    (id, request, complaint, kind, created_at, sealed, attempts, sent_at, last_error, lease_until, incident)
    SELECT id, request, complaint, kind, created_at, sealed, attempts, sent_at, last_error, lease_until, NULL
    FROM request_messages;
DROP TABLE request_messages;
ALTER TABLE request_messages_v17 RENAME TO request_messages;
CREATE INDEX request_messages_pending ON request_messages(created_at, id) WHERE sent_at IS NULL;
CREATE INDEX request_messages_by_request ON request_messages(request, created_at, id) WHERE request IS NOT NULL;
CREATE INDEX request_messages_by_complaint ON request_messages(complaint, created_at, id) WHERE complaint IS NOT NULL;
CREATE INDEX request_messages_by_incident ON request_messages(incident, created_at, id) WHERE incident IS NOT NULL;
