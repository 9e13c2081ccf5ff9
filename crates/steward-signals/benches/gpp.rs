//! Placeholder created by the lead so the workspace builds; replace freely.
fn main() {}
