//! Envelope encryption with per-subject data keys, crypto-shredding, keyed pseudonyms and blind indexes, key rotation.
