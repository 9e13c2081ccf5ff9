-- Steward store, schema version 4: partner opt-out notifications (ADTECH-03, CCPA-13) are
-- delivered through the request workflow's signed webhooks. A delivery now belongs to exactly
-- one of a request and a partner notification; a notification's delivery keeps no body (the
-- core builds it from the notification at each attempt, so nothing personal is stored with
-- it).

ALTER TABLE webhook_deliveries
    ALTER COLUMN request DROP NOT NULL,
    ALTER COLUMN sealed DROP NOT NULL,
    ADD COLUMN notification uuid REFERENCES partner_notifications(id),
    ADD CONSTRAINT webhook_deliveries_one_owner
        CHECK ((request IS NULL) <> (notification IS NULL)),
    ADD CONSTRAINT webhook_deliveries_request_body
        CHECK (request IS NULL OR sealed IS NOT NULL);
CREATE UNIQUE INDEX webhook_deliveries_by_notification ON webhook_deliveries(notification)
    WHERE notification IS NOT NULL;

-- The worker's routing query: open notifications never attempted, by recipient and due time.
CREATE INDEX partner_notifications_unsent ON partner_notifications(recipient, due_at, id)
    WHERE acked_at IS NULL AND attempts = 0;
