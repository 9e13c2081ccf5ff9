-- Steward store on PostgreSQL, schema version 3: usage data as it flows in (issue 7) — usage
-- events (IPPS-01/03, COOKIE-11), the log-in security log (IPPS-05), USPS tracking scans
-- (USPS-04/05), ingest counters, derived datasets with their lineage (USPS-03, DM-06), the
-- items of a support ticket (CHAT-04) and partner notifications (ADTECH-03, CCPA-13).
--
-- There is no IP column in usage_events; `login_ips.ip` is vault ciphertext under the
-- subject's data key (log-in security only, short retention).

CREATE TABLE usage_events (
    received_at timestamptz NOT NULL,
    id          uuid        NOT NULL,
    at          timestamptz NOT NULL,
    tracker     text        COLLATE "C" NOT NULL,
    kind        text        COLLATE "C" NOT NULL,
    device_kind smallint,
    device      bytea,
    subject     uuid,
    page        text        COLLATE "C",
    link        text        COLLATE "C",
    browser     text        COLLATE "C",
    ip_epoch    bigint,
    ip_token    bytea,
    geo         text        COLLATE "C",
    registered  boolean     NOT NULL,
    PRIMARY KEY (received_at, id)
);
CREATE INDEX usage_events_by_subject ON usage_events(subject) WHERE subject IS NOT NULL;

CREATE TABLE login_ips (
    id           uuid        NOT NULL PRIMARY KEY,
    subject      uuid        NOT NULL REFERENCES subjects(id),
    at           timestamptz NOT NULL,
    ip           bytea       NOT NULL,
    device_kind  smallint,
    device       bytea,
    retain_until timestamptz NOT NULL
);
CREATE INDEX login_ips_by_subject ON login_ips(subject, at);
CREATE INDEX login_ips_by_retention ON login_ips(retain_until);

CREATE TABLE usps_scans (
    received_at   timestamptz NOT NULL,
    id            uuid        NOT NULL,
    at            timestamptz NOT NULL,
    pic           bytea,
    event         text        COLLATE "C" NOT NULL,
    zip3          text        COLLATE "C",
    subject       uuid,
    account       uuid,
    anonymized_at timestamptz,
    PRIMARY KEY (received_at, id)
);
CREATE INDEX usps_scans_by_pic ON usps_scans(pic) WHERE pic IS NOT NULL;
CREATE INDEX usps_scans_by_subject ON usps_scans(subject) WHERE subject IS NOT NULL;

-- day: YYYYMMDD (UTC).
CREATE TABLE ingest_counters (
    day     integer  NOT NULL,
    stream  smallint NOT NULL,
    outcome smallint NOT NULL,
    reason  text     COLLATE "C" NOT NULL,
    count   bigint   NOT NULL,
    PRIMARY KEY (day, stream, outcome, reason)
);

CREATE TABLE datasets (
    id           uuid        NOT NULL PRIMARY KEY,
    name         text        COLLATE "C" NOT NULL,
    lineage      text[]      NOT NULL,
    parents      uuid[]      NOT NULL,
    created_at   timestamptz NOT NULL,
    retain_until timestamptz
);

CREATE TABLE ticket_items (
    ticket    text        COLLATE "C" NOT NULL,
    item      uuid        NOT NULL REFERENCES items(id),
    linked_at timestamptz NOT NULL,
    PRIMARY KEY (ticket, item)
);

CREATE TABLE partner_notifications (
    id         uuid        NOT NULL PRIMARY KEY,
    subject    uuid        NOT NULL,
    recipient  text        COLLATE "C" NOT NULL,
    kind       smallint    NOT NULL,
    trigger_id uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    due_at     timestamptz NOT NULL,
    sent_at    timestamptz,
    acked_at   timestamptz,
    attempts   integer     NOT NULL
);
CREATE UNIQUE INDEX partner_notifications_once ON partner_notifications(trigger_id, recipient, kind);
CREATE INDEX partner_notifications_by_subject ON partner_notifications(subject);
CREATE INDEX partner_notifications_open ON partner_notifications(due_at) WHERE acked_at IS NULL;
