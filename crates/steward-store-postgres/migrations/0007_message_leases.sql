-- Steward store, schema version 7: outbox messages are claimed with a lease, like webhook
-- deliveries, so several replicas never hand the same message to the transport at once
-- (`FOR UPDATE SKIP LOCKED`). `lease_until` NULL: no one holds it.
ALTER TABLE request_messages ADD COLUMN lease_until timestamptz;
