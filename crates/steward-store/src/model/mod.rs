//! Record types exchanged with the store, one module per business area.
//!
//! These are storage records: separate from the JSON/HTTP types of the server and from the
//! database rows of each backend. `New*` types are what a caller writes; `*Record` types are
//! what the store returns (with store-maintained fields such as revisions and erasure times).

pub mod account;
pub mod apikey;
pub mod audit;
pub mod audited;
pub mod case;
pub mod choice;
pub mod control;
pub mod dek;
pub mod disclosure;
pub mod event;
pub mod incident;
pub mod item;
pub mod lifecycle;
pub mod policy_version;
pub mod request;
pub mod session;
pub mod subject;

/// Declares a small enum stored as a stable numeric code and named by a stable string.
///
/// INVARIANT: codes are part of the on-disk format (and of the audit hash for `AuditKind`):
/// never renumber, only append.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable numeric code stored in databases.
            pub const fn code(self) -> u8 {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The variant with this stored code.
            pub fn from_code(code: u8) -> Result<Self, $crate::error::StoreError> {
                match code {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::error::StoreError::corrupt($what)),
                }
            }

            /// The stable snake_case name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::error::ValueError::new($what, "unknown name")),
                }
            }
        }
    };
}
pub(crate) use coded_enum;
