-- Steward store, schema version 6: server-side sessions of the web pages (privacy center,
-- console). The browser holds a random token; only its SHA-256 is stored (`id`), with what
-- the session is for (`kind`), whom it belongs to, the SHA-256 of the browser cookie it is
-- bound to, and its times. Sign-out sets `revoked_at`: every copy of the cookie stops working.
-- Other per-browser state (one-time CSRF tokens, the sign-in throttle, rate-limit buckets)
-- can join as further kinds; a counter column comes with the migration that moves them.
CREATE TABLE sessions (
    id           BLOB    NOT NULL PRIMARY KEY,
    kind         INTEGER NOT NULL,
    subject      BLOB    REFERENCES subjects(id),
    api_key      BLOB    REFERENCES api_keys(id),
    binding      BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    idle_secs    INTEGER,
    revoked_at   INTEGER
) WITHOUT ROWID;
CREATE INDEX sessions_by_subject ON sessions(subject) WHERE subject IS NOT NULL;
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
