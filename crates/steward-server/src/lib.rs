//! The HTTP edge: JSON API, authentication, OpenAPI, privacy center, admin console, metrics.
