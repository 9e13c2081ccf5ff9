-- Steward store, schema version 14: change-of-control notices (BIZ-02, BIZ-03). After a change
-- of control each affected person is owed a notice asking whether they want to stop receiving
-- promotional information; promotions to them are held from `effective_at` until it is
-- delivered. The answer is a choice of the ledger. Ids, a label and times: nothing personal.
CREATE TABLE change_of_control_notices (
    id           uuid        NOT NULL PRIMARY KEY,
    subject      uuid        NOT NULL REFERENCES subjects(id),
    transfer     text        NOT NULL,
    effective_at timestamptz NOT NULL,
    delivered_at timestamptz,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX change_of_control_notices_by_subject ON change_of_control_notices(subject, effective_at);
