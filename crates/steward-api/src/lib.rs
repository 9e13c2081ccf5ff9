//! The JSON shapes of Steward's HTTP API, written once.
//!
//! Every request body the server deserializes and every response it serializes is a type of
//! this crate, with serde for the wire and [`utoipa::ToSchema`] for the OpenAPI document: the
//! handlers extract and answer these very types, so the published schema is the shape the
//! server accepts. The decision request and the decision JSON are the policy engine's own
//! wire types (`steward_policy::wire`), whose JSON Schemas schemars generates
//! ([`schema::external`]).
//!
//! With the `core` feature (the server's), each module also holds the conversions from and to
//! the use-case layer's types (`From`/`TryFrom` on `steward_core` and `steward_store` types).
//! Without it the crate depends on no storage, crypto or use-case code, so a client of the API
//! can use the same types.
//! The data subject request routes (`/v1/requests`, connectors, holds) answer the types of
//! [`requests`], converted from the workflow's views (`steward-requests`) under `core`.
//!
//! `steward-client` (a typed Rust client of the API) is built on these types too.

pub mod accounts;
pub mod audit;
pub mod choices;
pub mod common;
pub mod complaints;
pub mod control;
pub mod decisions;
pub mod disclosures;
pub mod events;
pub mod incidents;
pub mod index;
pub mod items;
pub mod keys;
pub mod legal;
pub mod lifecycle;
pub mod ops;
pub mod policy;
pub mod problem;
pub mod requests;
pub mod schema;
pub mod subjects;
pub mod usage;

pub use common::{DeviceKindDto, DeviceRef, Done, IdentityKindDto, InputError};
pub use problem::Problem;
pub use steward_errors::ErrorCode;
