-- Steward store, schema version 8: the privacy team's case files — incidents and breaches
-- (SEC-06, GDPR-30, GDPR-31, CCPA-35, NV-08), complaints (CONTACT-*, DPF-05), legal requests
-- (LEGALREQ-*) — and their tasks (a notice owed, a first response owed) with due times.
-- The columns are what every kind shares and what the queues sort on; `body` is the rest of
-- the kind's record as JSON, owned by the use cases (ids, codes, counts and times; never a
-- person's data in plaintext). Written with their audit entries in one transaction.
CREATE TABLE cases (
    id          uuid        NOT NULL PRIMARY KEY,
    kind        smallint    NOT NULL,
    state       text        NOT NULL,
    opened_at   timestamptz NOT NULL,
    next_due_at timestamptz,
    closed_at   timestamptz,
    subject     uuid        REFERENCES subjects(id),
    body        text        NOT NULL,
    revision    integer     NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX cases_by_kind_due ON cases(kind, closed_at, next_due_at, opened_at);
CREATE INDEX cases_by_subject ON cases(subject) WHERE subject IS NOT NULL;

CREATE TABLE case_tasks (
    id         uuid        NOT NULL PRIMARY KEY,
    case_id    uuid        NOT NULL REFERENCES cases(id),
    kind       text        NOT NULL,
    due_at     timestamptz,
    done_at    timestamptz,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX case_tasks_by_case ON case_tasks(case_id);
CREATE INDEX case_tasks_open ON case_tasks(done_at, due_at) WHERE done_at IS NULL;
