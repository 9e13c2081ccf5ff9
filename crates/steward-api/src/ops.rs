//! Operational answers: health and the GPC support resource (GPC-09).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Health.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` or `ready`.
    pub status: String,
    /// The storage backend (`sqlite`, `postgres`), for `/readyz`.
    pub store: Option<String>,
}

/// The GPC support resource.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GpcResource {
    /// Always `true`: this site honours Global Privacy Control.
    pub gpc: bool,
    /// When the resource last changed (the policy's effective date).
    #[serde(rename = "lastUpdate")]
    pub last_update: String,
}
