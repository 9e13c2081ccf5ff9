-- Steward store, schema version 7: acceptances of the agreements a policy declares
-- (`[[agreement]]`: a Customer's data-protection undertaking, a USPS Privacy Act Statement,
-- a carrier notice; CUST-01, USPSPA-01, CARRIER-02). Append-only: who accepted which
-- agreement for which account, in which text version (with the SHA-256 of the text shown),
-- and when. A stored subject's decisions read them.
CREATE TABLE agreement_acceptances (
    id          uuid        NOT NULL PRIMARY KEY,
    account     uuid        NOT NULL REFERENCES accounts(id),
    agreement   text        NOT NULL,
    version     text        NOT NULL,
    text_sha256 bytea,
    accepted_by uuid        NOT NULL REFERENCES subjects(id),
    accepted_at timestamptz NOT NULL
);
CREATE INDEX agreement_acceptances_by_account ON agreement_acceptances(account, accepted_at);
