//! `GET /`: where things are. A browser gets a small page; an API client this JSON index.
//! It names places only and reveals no data, so it needs no key.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A place of the service.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Link {
    /// Where (a path on this server).
    pub href: String,
    /// What is there.
    pub title: String,
}

/// The links of the index.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IndexLinks {
    /// The privacy center for customers.
    pub privacy_center: Link,
    /// The privacy team's console.
    pub console: Link,
    /// The API documentation (Swagger UI).
    pub api_docs: Link,
    /// The OpenAPI document.
    pub openapi: Link,
    /// Prometheus metrics (an API key is needed).
    pub metrics: Link,
    /// Liveness.
    pub health: Link,
}

/// What this server is and where its parts are (no version, no counts: nothing about the
/// data or the deployment).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Index {
    /// `steward`.
    pub service: String,
    /// Where the parts are.
    pub links: IndexLinks,
}

impl Index {
    /// The index of a Steward server.
    #[must_use]
    pub fn new() -> Index {
        let link = |href: &str, title: &str| Link {
            href: href.to_string(),
            title: title.to_string(),
        };
        Index {
            service: "steward".to_string(),
            links: IndexLinks {
                privacy_center: link("/privacy", "Privacy center"),
                console: link("/console", "Console for the privacy team"),
                api_docs: link("/docs", "API documentation"),
                openapi: link("/openapi.json", "OpenAPI document"),
                metrics: link("/metrics", "Metrics (Prometheus; needs an API key)"),
                health: link("/healthz", "Health"),
            },
        }
    }

    /// The links in the order a page shows them.
    #[must_use]
    pub fn ordered(&self) -> [&Link; 6] {
        let l = &self.links;
        [
            &l.privacy_center,
            &l.console,
            &l.api_docs,
            &l.openapi,
            &l.metrics,
            &l.health,
        ]
    }
}

impl Default for Index {
    fn default() -> Self {
        Index::new()
    }
}
