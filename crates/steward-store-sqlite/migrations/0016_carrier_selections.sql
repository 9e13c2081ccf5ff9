-- Steward store, schema version 16: the carriers an account holder selects (CARRIER-01,
-- CARRIER-06): which recipient of the policy, by which member, when, optionally for which
-- shipment and under which version of the carrier's terms. A withdrawal is kept (who,
-- when). A stored subject's decisions read the selections of its accounts that are not
-- withdrawn, and which categories it has live items of (USPS-07): the index answers that
-- from the index alone.
CREATE TABLE carrier_selections (
    id            BLOB    NOT NULL PRIMARY KEY,
    account       BLOB    NOT NULL REFERENCES accounts(id),
    carrier       TEXT    NOT NULL,
    shipment      TEXT,
    terms_version TEXT,
    selected_by   BLOB    NOT NULL REFERENCES subjects(id),
    selected_at   INTEGER NOT NULL,
    withdrawn_at  INTEGER,
    withdrawn_by  BLOB    REFERENCES subjects(id)
) WITHOUT ROWID;
CREATE INDEX carrier_selections_by_account ON carrier_selections(account, selected_at);
CREATE INDEX items_provided ON items(subject, category) WHERE erased_at IS NULL;
