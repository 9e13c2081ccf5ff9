-- Steward store, schema version 3: usage data as it flows in (issue 7).
--
-- usage events (IPPS-01/03, COOKIE-11), the log-in security log (IPPS-05), USPS tracking scans
-- (USPS-04/05), ingest counters, derived datasets with their lineage (USPS-03, DM-06), the
-- items of a support ticket (CHAT-04) and partner notifications (ADTECH-03, CCPA-13). Legal
-- holds live with the request workflow's tables.
--
-- Nothing here holds a raw IP address except `login_ips.ip`, which is vault ciphertext under
-- the subject's data key (IPPS-05: kept for log-in security only, 90 days).

-- Usage events. Keyed by (received_at, id): batches append to the end of the B-tree and the
-- retention purge deletes a key range. `device` is the blind-index token of the cookie or
-- device id (`device_kind` its identity kind code), `ip_token` the keyed pseudonym of the
-- address in epoch `ip_epoch`, `geo` the coarse region looked up from the truncated address
-- (NULL: unknown). There is no IP column.
CREATE TABLE usage_events (
    received_at INTEGER NOT NULL,
    id          BLOB    NOT NULL,
    at          INTEGER NOT NULL,
    tracker     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    device_kind INTEGER,
    device      BLOB,
    subject     BLOB,
    page        TEXT,
    link        TEXT,
    browser     TEXT,
    ip_epoch    INTEGER,
    ip_token    BLOB,
    geo         TEXT,
    registered  INTEGER NOT NULL,
    PRIMARY KEY (received_at, id)
) WITHOUT ROWID;
-- Access and erasure by subject; most events are anonymous, so the index stays small.
CREATE INDEX usage_events_by_subject ON usage_events(subject) WHERE subject IS NOT NULL;

-- The log-in security log: the address as vault ciphertext (IPPS-05).
CREATE TABLE login_ips (
    id           BLOB    NOT NULL PRIMARY KEY,
    subject      BLOB    NOT NULL REFERENCES subjects(id),
    at           INTEGER NOT NULL,
    ip           BLOB    NOT NULL,
    device_kind  INTEGER,
    device       BLOB,
    retain_until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_ips_by_subject ON login_ips(subject, at);
CREATE INDEX login_ips_by_retention ON login_ips(retain_until);

-- USPS tracking scans (USPS-04). `pic` is the blind-index token of the package id; once a scan
-- is anonymized `pic`, `subject` and `account` are NULL and `anonymized_at` is set.
CREATE TABLE usps_scans (
    received_at   INTEGER NOT NULL,
    id            BLOB    NOT NULL,
    at            INTEGER NOT NULL,
    pic           BLOB,
    event         TEXT    NOT NULL,
    zip3          TEXT,
    subject       BLOB,
    account       BLOB,
    anonymized_at INTEGER,
    PRIMARY KEY (received_at, id)
) WITHOUT ROWID;
CREATE INDEX usps_scans_by_pic ON usps_scans(pic) WHERE pic IS NOT NULL;
CREATE INDEX usps_scans_by_subject ON usps_scans(subject) WHERE subject IS NOT NULL;

-- Ingest counters per UTC day: accepted / stripped / dropped / rejected, by reason.
CREATE TABLE ingest_counters (
    day     INTEGER NOT NULL,
    stream  INTEGER NOT NULL,
    outcome INTEGER NOT NULL,
    reason  TEXT    NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (day, stream, outcome, reason)
) WITHOUT ROWID;

-- Derived datasets and the categories they were derived from (transitively).
-- lineage: category keys separated by one space, sorted; parents: 16-byte ids concatenated.
CREATE TABLE datasets (
    id           BLOB    NOT NULL PRIMARY KEY,
    name         TEXT    NOT NULL,
    lineage      TEXT    NOT NULL,
    parents      BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    retain_until INTEGER
) WITHOUT ROWID;

-- The items of a support ticket (their retention starts when the ticket closes: CHAT-04).
CREATE TABLE ticket_items (
    ticket    TEXT    NOT NULL,
    item      BLOB    NOT NULL REFERENCES items(id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (ticket, item)
) WITHOUT ROWID;

-- Notifications owed to sale/share partners (ADTECH-03, CCPA-13). One per (trigger,
-- recipient, kind): recording the same opt-out twice queues nothing new.
CREATE TABLE partner_notifications (
    id         BLOB    NOT NULL PRIMARY KEY,
    subject    BLOB    NOT NULL,
    recipient  TEXT    NOT NULL,
    kind       INTEGER NOT NULL,
    trigger_id BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    due_at     INTEGER NOT NULL,
    sent_at    INTEGER,
    acked_at   INTEGER,
    attempts   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX partner_notifications_once ON partner_notifications(trigger_id, recipient, kind);
CREATE INDEX partner_notifications_by_subject ON partner_notifications(subject);
CREATE INDEX partner_notifications_open ON partner_notifications(due_at) WHERE acked_at IS NULL;
