-- Steward store, schema version 17: the people a security incident affects (SEC-06, GDPR-30,
-- GDPR-31, CCPA-35, NV-08), computed in the store from the vault's items and the disclosure
-- register (ids only; nothing decrypted), one row per incident and subject, marked when the
-- person's notice was queued (with its outbox message, in the same transaction), so no one
-- is told twice. The outbox carries an incident's messages too: a message belongs to exactly
-- one request, complaint or incident.
CREATE TABLE incident_subjects (
    incident    uuid        NOT NULL REFERENCES cases(id),
    subject     uuid        NOT NULL REFERENCES subjects(id),
    computed_at timestamptz NOT NULL,
    notified_at timestamptz,
    message     uuid,
    PRIMARY KEY (incident, subject)
);

ALTER TABLE request_messages ADD COLUMN incident uuid REFERENCES cases(id);
ALTER TABLE request_messages DROP CONSTRAINT request_messages_one_owner;
ALTER TABLE request_messages ADD CONSTRAINT request_messages_one_owner
    CHECK ((request IS NOT NULL)::int + (complaint IS NOT NULL)::int + (incident IS NOT NULL)::int = 1);
CREATE INDEX request_messages_by_incident ON request_messages(incident, created_at, id)
    WHERE incident IS NOT NULL;
