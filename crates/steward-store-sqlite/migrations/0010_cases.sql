-- Steward store, schema version 8: the privacy team's case files — incidents and breaches
-- (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08), complaints (CONTACT-*, DPF-05), legal requests
-- (LEGALREQ-*) — and their tasks (a notice owed, a first response owed) with due times.
-- The columns are what every kind shares and what the queues sort on; `body` is the rest of
-- the kind's record as JSON, owned by the use cases (ids, codes, counts and times; never a
-- person's data in plaintext). Written with their audit entries in one transaction.
CREATE TABLE cases (
    id          BLOB    NOT NULL PRIMARY KEY,
    kind        INTEGER NOT NULL,
    state       TEXT    NOT NULL,
    opened_at   INTEGER NOT NULL,
    next_due_at INTEGER,
    closed_at   INTEGER,
    subject     BLOB    REFERENCES subjects(id),
    body        TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX cases_by_kind_due ON cases(kind, closed_at, next_due_at, opened_at);
CREATE INDEX cases_by_subject ON cases(subject) WHERE subject IS NOT NULL;

CREATE TABLE case_tasks (
    id         BLOB    NOT NULL PRIMARY KEY,
    case_id    BLOB    NOT NULL REFERENCES cases(id),
    kind       TEXT    NOT NULL,
    due_at     INTEGER,
    done_at    INTEGER,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX case_tasks_by_case ON case_tasks(case_id);
CREATE INDEX case_tasks_open ON case_tasks(done_at, due_at) WHERE done_at IS NULL;
