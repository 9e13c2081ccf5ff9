//! The `steward` command line.
fn main() {}
