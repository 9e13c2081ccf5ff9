-- Steward store, schema version 12: data carries the policy version in force when it was
-- collected (CHG-02, SCOPE-06; NULL for items stored before versions were recorded), and the
-- change notices of material policy versions (CHG-03, CHG-04): one row per subject and
-- version, queued once, leased by a worker while it is being sent, `sent_at` once the person
-- was notified (by message, or shown in the privacy center). Ids and hashes only.
ALTER TABLE items ADD COLUMN policy_version TEXT;

CREATE TABLE policy_notices (
    subject     BLOB    NOT NULL,
    version     TEXT    NOT NULL,
    notice_hash BLOB    NOT NULL,
    queued_at   INTEGER NOT NULL,
    lease_until INTEGER,
    sent_at     INTEGER,
    PRIMARY KEY (subject, version)
) WITHOUT ROWID;
CREATE INDEX policy_notices_unsent ON policy_notices(queued_at, subject) WHERE sent_at IS NULL;
CREATE INDEX items_by_category ON items(category, subject) WHERE erased_at IS NULL;
