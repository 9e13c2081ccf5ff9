//! Structured logs: JSON lines (default) or text, filtered by `STEWARD_LOG` (e.g. `info`,
//! `steward_server=debug`). Events carry ids, routes, statuses and timings — never personal
//! data, never request bodies, never API key secrets.

use crate::config::LogFormat;

/// Install the global subscriber (once; later calls are ignored).
pub fn init(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("STEWARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
