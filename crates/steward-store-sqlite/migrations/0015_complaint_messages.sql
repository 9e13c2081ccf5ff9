-- Steward store, schema version 15: the outbox carries the messages of complaints too
-- (CONTACT-01, CONTACT-03: the acknowledgement of a complaint lodged by the person, the
-- independent recourse offered on an unresolved close). A message belongs to a request or to
-- a complaint (a case), never both; it is sealed under its owner's key. SQLite cannot relax
-- a NOT NULL in place: the table is rebuilt with its rows.
CREATE TABLE request_messages_v15 (
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
    CHECK ((request IS NULL) <> (complaint IS NULL))
) WITHOUT ROWID;
INSERT INTO request_messages_v15
    (id, request, complaint, kind, created_at, sealed, attempts, sent_at, last_error, lease_until)
    SELECT id, request, NULL, kind, created_at, sealed, attempts, sent_at, last_error, lease_until
    FROM request_messages;
DROP TABLE request_messages;
ALTER TABLE request_messages_v15 RENAME TO request_messages;
CREATE INDEX request_messages_pending ON request_messages(created_at, id) WHERE sent_at IS NULL;
CREATE INDEX request_messages_by_request ON request_messages(request, created_at, id) WHERE request IS NOT NULL;
CREATE INDEX request_messages_by_complaint ON request_messages(complaint, created_at, id) WHERE complaint IS NOT NULL;
