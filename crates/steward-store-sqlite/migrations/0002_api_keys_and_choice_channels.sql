-- Steward store, schema version 2: API key records (SEC-05) and the channel of a choice
-- (MP-04, DNS-05).

-- The channel a choice arrived through (a validated key, e.g. `web_form`, `sms_stop`); NULL
-- when unknown, which is what every entry written by schema version 1 reads as.
ALTER TABLE choices ADD COLUMN channel TEXT;

-- API keys. hash is SHA-256 of the secret: the secret itself is never stored. scopes: scope
-- keys separated by one space, sorted. account: the account a key is limited to (ADMIN-*).
CREATE TABLE api_keys (
    id           BLOB    NOT NULL PRIMARY KEY,
    name         TEXT    NOT NULL,
    hash         BLOB    NOT NULL,
    scopes       TEXT    NOT NULL,
    account      BLOB    REFERENCES accounts(id),
    rate_per_sec INTEGER,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
) WITHOUT ROWID;
-- Every API request looks its key up by hash.
CREATE UNIQUE INDEX api_keys_by_hash ON api_keys(hash);
CREATE INDEX api_keys_by_created ON api_keys(created_at, id);
