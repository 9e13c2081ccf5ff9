//! An axum service of the company guarded by [`StewardLayer`]: its mailing-label route hands
//! a customer's name, address and e-mail to the mailing partner `MP1`, and Steward decides
//! first. A customer who opted out is refused with the reason; for the others the e-mail
//! (which the policy does not let go to `MP1`) is dropped from the answer.
//!
//! ```sh
//! cargo run -p steward-client --example axum_guard -- http://127.0.0.1:8080 stw_… 127.0.0.1:3000
//! curl http://127.0.0.1:3000/customers/<subject id>/mailing-label
//! ```

use std::process::ExitCode;

use axum::extract::Path;
use axum::routing::get;
use axum::{Extension, Json, Router};
use steward_client::Client;
use steward_client::layer::{Permit, StewardLayer};
use steward_client::wire::{Op, Request, SubjectFacts};

/// The categories the route would hand over.
const LABEL: [&str; 3] = ["name", "postal_address", "email"];

/// What the guard asks before `GET /customers/{id}/mailing-label` runs.
fn ask(parts: &axum::http::request::Parts) -> Option<Request> {
    let id = parts
        .uri
        .path()
        .strip_prefix("/customers/")?
        .strip_suffix("/mailing-label")?;
    let ask = Request {
        op: Some(Op::CanDisclose),
        categories: LABEL.iter().map(|c| (*c).to_string()).collect(),
        recipient: Some("MP1".into()),
        purpose: Some("third_party_promotional_mail".into()),
        subject: SubjectFacts {
            id: Some(id.to_string()),
            ..SubjectFacts::default()
        },
        ..Request::default()
    };
    Some(ask)
}

/// The handler: it reads the customer record (here: made up from the id) and answers it all;
/// the guard drops what may not go. It may also look at its permit to avoid loading it.
async fn label(
    Path(id): Path<String>,
    Extension(permit): Extension<Permit>,
) -> Json<serde_json::Value> {
    let short = id.get(..8).unwrap_or(&id);
    Json(serde_json::json!({
        "customer": id,
        "name": format!("Customer {short}"),
        "postal_address": "100 Demo Street, Springfield",
        "email": format!("{short}@example.test"),
        "decision": permit.decision().decision_id,
    }))
}

/// The guarded app.
fn app(steward: Client) -> Router {
    Router::new()
        .route("/customers/{id}/mailing-label", get(label))
        .route("/healthz", get(|| async { "ok" }))
        .layer(StewardLayer::new(steward, ask))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(key)) = (args.next(), args.next()) else {
        eprintln!("usage: axum_guard STEWARD_URL API_KEY [LISTEN]");
        return ExitCode::from(2);
    };
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:3000".into());
    let steward = match Client::new(&url, key) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {listen}: {e}");
            return ExitCode::from(2);
        }
    };
    if let Ok(a) = listener.local_addr() {
        println!("guarded app on http://{a}");
    }
    match axum::serve(listener, app(steward)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
