-- Steward store, schema version 7: acceptances of the agreements a policy declares
-- (`[[agreement]]`: a Customer's data-protection undertaking, a USPS Privacy Act Statement,
-- a carrier notice; CUST-01, USPSPA-01, CARRIER-02). Append-only: who accepted which
-- agreement for which account, in which text version (with the SHA-256 of the text shown),
-- and when. A stored subject's decisions read them.
CREATE TABLE agreement_acceptances (
    id          BLOB    NOT NULL PRIMARY KEY,
    account     BLOB    NOT NULL REFERENCES accounts(id),
    agreement   TEXT    NOT NULL,
    version     TEXT    NOT NULL,
    text_sha256 BLOB,
    accepted_by BLOB    NOT NULL REFERENCES subjects(id),
    accepted_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX agreement_acceptances_by_account ON agreement_acceptances(account, accepted_at);
