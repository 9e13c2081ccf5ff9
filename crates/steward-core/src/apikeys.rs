//! API keys: minted once, stored hashed, checked in constant time, scoped (owned by the server work).
