-- Steward store, schema version 8: per-browser state of the web pages that every replica
-- must see. `spent_tokens`: the SHA-256 of each one-time CSRF token spent, kept until the
-- token expires (a replay on any replica is refused: the primary key decides the first
-- spend). `failure_counters`: the sign-in throttle (wrong codes per browser), keyed by a
-- SHA-256 (no browser id or address in clear), counted by one upsert.
CREATE TABLE spent_tokens (
    id         bytea       NOT NULL PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX spent_tokens_by_expiry ON spent_tokens(expires_at);
CREATE TABLE failure_counters (
    key      bytea       NOT NULL PRIMARY KEY,
    failures integer     NOT NULL,
    last_at  timestamptz NOT NULL
);
CREATE INDEX failure_counters_by_last ON failure_counters(last_at);
