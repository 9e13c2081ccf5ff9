-- Steward store, schema version 5: partner opt-out notifications (ADTECH-03, CCPA-13) are
-- delivered through the request workflow's signed webhooks. A delivery now belongs to exactly
-- one of a request and a partner notification; a notification's delivery keeps no body (the
-- core builds it from the notification at each attempt, so nothing personal is stored with
-- it). SQLite cannot relax NOT NULL in place: the table is rebuilt with the same rows.

CREATE TABLE webhook_deliveries_v5 (
    id              BLOB    NOT NULL PRIMARY KEY,
    request         BLOB    REFERENCES requests(id),
    connector       BLOB    NOT NULL REFERENCES connectors(id),
    recipient       TEXT    NOT NULL,
    event           TEXT    NOT NULL,
    sealed          BLOB,
    state           INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,
    max_attempts    INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    INTEGER,
    confirmed_at    INTEGER,
    notification    BLOB    REFERENCES partner_notifications(id),
    CHECK ((request IS NULL) <> (notification IS NULL)),
    CHECK (request IS NULL OR sealed IS NOT NULL)
) WITHOUT ROWID;
INSERT INTO webhook_deliveries_v5 (id, request, connector, recipient, event, sealed, state,
    attempts, max_attempts, created_at, next_attempt_at, last_attempt_at, last_status,
    last_error, delivered_at, confirmed_at, notification)
SELECT id, request, connector, recipient, event, sealed, state, attempts, max_attempts,
    created_at, next_attempt_at, last_attempt_at, last_status, last_error, delivered_at,
    confirmed_at, NULL
FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_v5 RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at, id) WHERE state = 1;
CREATE INDEX webhook_deliveries_by_request ON webhook_deliveries(request, created_at, id)
    WHERE request IS NOT NULL;
CREATE INDEX webhook_deliveries_dead ON webhook_deliveries(created_at, id) WHERE state = 4;
CREATE INDEX webhook_deliveries_unconfirmed ON webhook_deliveries(delivered_at, id) WHERE state = 2;
CREATE UNIQUE INDEX webhook_deliveries_by_notification ON webhook_deliveries(notification)
    WHERE notification IS NOT NULL;

-- The worker's routing query: open notifications never attempted, by recipient and due time.
CREATE INDEX partner_notifications_unsent ON partner_notifications(recipient, due_at, id)
    WHERE acked_at IS NULL AND attempts = 0;
