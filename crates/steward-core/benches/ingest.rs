//! Usage-event ingest benchmark (filled in below).
fn main() {}
