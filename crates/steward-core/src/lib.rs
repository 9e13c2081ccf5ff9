//! Use cases: choices ledger, decision service with audit, requests and their statutory clock, retention, ingest.
