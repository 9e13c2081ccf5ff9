-- Steward store, schema version 9: the history of the policy text (CHG-01). Each text the
-- service was given, once (by its SHA-256), with its version string, effective date
-- (YYYY-MM-DD), the change summary against the text recorded before it (JSON) and whether it
-- is material (CHG-03). Policy text is not personal data.
CREATE TABLE policy_versions (
    seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256      bytea       NOT NULL UNIQUE,
    version     text        NOT NULL,
    effective   text        NOT NULL,
    text        text        NOT NULL,
    changes     text        NOT NULL,
    material    boolean     NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX policy_versions_by_version ON policy_versions(version, seq);
