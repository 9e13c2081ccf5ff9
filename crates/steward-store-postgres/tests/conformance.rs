//! The steward-store conformance suite against PostgreSQL: one test per case, each in a
//! database of its own (created on the server of `STEWARD_TEST_PG_URL`, dropped afterwards),
//! so the cases run in parallel. Without `STEWARD_TEST_PG_URL` every case fails and says to
//! run `./scripts/test`.

mod support;

use support::PgFactory;

steward_store::conformance_tests!(PgFactory);
