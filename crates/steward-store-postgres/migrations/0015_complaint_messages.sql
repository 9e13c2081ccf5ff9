-- Steward store, schema version 15: the outbox carries the messages of complaints too
-- (CONTACT-01, CONTACT-03: the acknowledgement of a complaint lodged by the person, the
-- independent recourse offered on an unresolved close). A message belongs to a request or to
-- a complaint (a case), never both; it is sealed under its owner's key.
ALTER TABLE request_messages ALTER COLUMN request DROP NOT NULL;
ALTER TABLE request_messages ADD COLUMN complaint uuid REFERENCES cases(id);
ALTER TABLE request_messages ADD CONSTRAINT request_messages_one_owner
    CHECK ((request IS NULL) <> (complaint IS NULL));
CREATE INDEX request_messages_by_complaint ON request_messages(complaint, created_at, id)
    WHERE complaint IS NOT NULL;
