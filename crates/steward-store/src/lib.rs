//! Storage traits named for what the business does, and the record types they exchange. No database driver.
