//! Identifiers of keys and key owners.
//!
//! Key ids use the same alphabet as the store's key columns (`[a-z0-9_:.-]{1,64}`), so a
//! [`KekId`] or [`SigningKeyId`] converts to the store's types without loss.

use std::fmt;
use std::str::FromStr;

/// An id is not in the accepted alphabet or too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{what} must match [a-z0-9_:.-]{{1,64}}")]
pub struct InvalidKeyId {
    /// Which kind of id.
    pub what: &'static str,
}

fn check_id(s: &str, what: &'static str) -> Result<(), InvalidKeyId> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b':' | b'.' | b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(InvalidKeyId { what })
    }
}

macro_rules! key_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Box<str>);

        impl $name {
            /// Validates `[a-z0-9_:.-]{1,64}`.
            pub fn new(id: impl Into<String>) -> Result<Self, InvalidKeyId> {
                let id: String = id.into();
                check_id(&id, $what)?;
                Ok(Self(id.into_boxed_str()))
            }

            /// An id built by this crate from a fixed prefix and hex digits: always valid.
            /// Falls back to `fallback` should it ever not be (no panic on any input).
            pub(crate) fn generated(id: String, fallback: &'static str) -> Self {
                match check_id(&id, $what) {
                    Ok(()) => Self(id.into_boxed_str()),
                    Err(_) => Self(Box::from(fallback)),
                }
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = InvalidKeyId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidKeyId;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.into()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

key_id!(
    /// The id of a key-encryption key (KEK), stored beside every wrapped data key.
    KekId,
    "key-encryption key id"
);
key_id!(
    /// The id of an audit-checkpoint Ed25519 signing key, stored with every checkpoint.
    SigningKeyId,
    "signing key id"
);

/// Whose data key it is: a 16-byte id (a subject's UUID). It is bound into the wrapping of
/// the data key, so a wrapped key copied to another owner does not unwrap.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OwnerId([u8; 16]);

impl OwnerId {
    /// From raw bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl From<[u8; 16]> for OwnerId {
    fn from(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }
}

impl From<uuid::Uuid> for OwnerId {
    fn from(id: uuid::Uuid) -> Self {
        Self(id.into_bytes())
    }
}

impl From<&uuid::Uuid> for OwnerId {
    fn from(id: &uuid::Uuid) -> Self {
        Self(id.into_bytes())
    }
}

impl fmt::Display for OwnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&uuid::Uuid::from_bytes(self.0), f)
    }
}

impl fmt::Debug for OwnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OwnerId({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_validate_their_alphabet() {
        assert!(KekId::new("kek-1-0a1b2c3d").is_ok());
        assert!(KekId::new("").is_err());
        assert!(KekId::new("Kek").is_err());
        assert!(KekId::new("a b").is_err());
        assert!(SigningKeyId::new("x".repeat(65)).is_err());
        let id: KekId = serde_json::from_str("\"mk-01\"").unwrap();
        assert_eq!(id.as_str(), "mk-01");
        assert!(serde_json::from_str::<KekId>("\"MK\"").is_err());
    }

    #[test]
    fn owner_id_displays_as_uuid() {
        let u = uuid::Uuid::from_bytes([0x11; 16]);
        assert_eq!(OwnerId::from(u).to_string(), u.to_string());
    }
}
