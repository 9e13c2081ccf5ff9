-- Steward store, schema version 9: the history of the policy text (CHG-01). Each text the
-- service was given, once (by its SHA-256), with its version string, effective date
-- (YYYY-MM-DD), the change summary against the text recorded before it (JSON) and whether it
-- is material (CHG-03). Policy text is not personal data.
CREATE TABLE policy_versions (
    seq         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    sha256      BLOB    NOT NULL UNIQUE,
    version     TEXT    NOT NULL,
    effective   TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    changes     TEXT    NOT NULL,
    material    INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX policy_versions_by_version ON policy_versions(version, seq);
