-- Steward store, schema version 12: lifecycle events that start retention clocks (RET-01)
-- and the derivation of items from other items (RET-06). Ids, kinds and times only.
-- kind: 1 account_closed, 2 account_reopened, 3 last_activity, 4 contract_end.
CREATE TABLE lifecycle_events (
    subject     uuid        NOT NULL REFERENCES subjects(id),
    kind        smallint    NOT NULL,
    at          timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (subject, kind, at)
);
-- An item derived from another (a per-account cache computed from its source data):
-- erased with its source.
CREATE TABLE item_sources (
    item   uuid NOT NULL REFERENCES items(id),
    source uuid NOT NULL REFERENCES items(id),
    PRIMARY KEY (item, source)
);
CREATE INDEX item_sources_by_source ON item_sources(source, item);
