-- Steward store, schema version 5: audit intents (the transactional outbox of the audit log).
--
-- A write that is audited (a choice, an item, a disclosure) inserts its audit events here in
-- its own transaction, unchained: the write and its events commit together or not at all,
-- without every write locking the chain head row. The audit writer chains pending intents in
-- id order under the head lock and deletes them in that same transaction; a store that opens
-- chains whatever a crash left (see `steward_store_postgres::audit_writer`).
CREATE TABLE audit_intents (
    id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid        NOT NULL,
    at       timestamptz NOT NULL,
    kind     smallint    NOT NULL,
    subject  uuid,
    body     bytea       NOT NULL
);
CREATE UNIQUE INDEX audit_intents_by_event ON audit_intents(event_id);
