//! The documented request bodies are the ones the handlers decode.
//!
//! For every operation of the generated OpenAPI document with a JSON request body, two
//! instances are built from its schema alone — the smallest valid one (required properties
//! only) and a full one (every property) — with enum first values and the formats `uuid`,
//! `date-time` and `date` honoured, and sent through the real router (`oneshot`) with the
//! admin key, the request workflow and the usage path attached. Neither may be refused as a
//! body that does not decode (`BAD_JSON`, `INVALID_BODY`, `UNSUPPORTED_MEDIA_TYPE`): a
//! document that names one shape while the handler decodes another fails here. A control
//! proves each body is really decoded: the smallest instance plus a property the schema does
//! not allow must be refused as `INVALID_BODY`.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::{Map, Value, json};
use steward_core::ingest::{IngestConfig, Ingestor};
use steward_requests::{Requests, RequestsConfig};
use steward_vault::KeyRing;
use tower::ServiceExt;

/// A decoding refusal: the body did not fit the type the handler decodes.
const DECODE_CODES: &[&str] = &[
    "BAD_JSON",
    "INVALID_BODY",
    "UNSUPPORTED_MEDIA_TYPE",
    "BAD_BODY",
];

/// A property no request body allows.
const STRAY: &str = "steward_conformance_stray";

/// Operations whose body is checked only after something else the test does not provide:
/// the processor's confirmation is read only once its `Steward-Signature` verifies.
const DECODED_AFTER_A_SIGNATURE: &[&str] = &["/v1/requests/deliveries/{id}/confirm"];

fn resolve<'a>(schema: &'a Value, components: &'a Map<String, Value>) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve(
                components
                    .get(name)
                    .unwrap_or_else(|| panic!("dangling reference {r}")),
                components,
            )
        }
        None => schema,
    }
}

/// The first type of a schema that is not `null`.
fn first_type(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

/// An instance of `schema`: `full` fills every property, otherwise only the required ones.
fn instance(schema: &Value, components: &Map<String, Value>, full: bool, depth: usize) -> Value {
    assert!(depth < 32, "the schema nests too deep: {schema}");
    let s = resolve(schema, components);
    if let Some(v) = s.get("const") {
        return v.clone();
    }
    if let Some(Value::Array(vs)) = s.get("enum") {
        return vs
            .iter()
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null);
    }
    if let Some(Value::Array(parts)) = s.get("allOf") {
        let mut out = Map::new();
        for p in parts {
            if let Value::Object(m) = instance(p, components, full, depth + 1) {
                out.extend(m);
            }
        }
        return Value::Object(out);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alts)) = s.get(key) {
            let alt = alts
                .iter()
                .find(|a| {
                    first_type(resolve(a, components)).is_some_and(|t| t != "null")
                        || resolve(a, components).get("$ref").is_some()
                        || resolve(a, components).get("properties").is_some()
                        || resolve(a, components).get("enum").is_some()
                })
                .or_else(|| alts.first())
                .unwrap();
            return instance(alt, components, full, depth + 1);
        }
    }
    let kind = first_type(s).unwrap_or(if s.get("properties").is_some() {
        "object"
    } else {
        "null"
    });
    match kind {
        "object" => {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut out = Map::new();
            if let Some(Value::Object(props)) = s.get("properties") {
                for (name, p) in props {
                    if full || required.contains(&name.as_str()) {
                        out.insert(name.clone(), instance(p, components, full, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        "array" => {
            let n = s
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1);
            let max = s.get("maxItems").and_then(Value::as_u64).unwrap_or(n);
            let items = s.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                (0..n.min(max))
                    .map(|_| instance(&items, components, full, depth + 1))
                    .collect(),
            )
        }
        "string" => {
            let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(1) as usize;
            Value::String(match s.get("format").and_then(Value::as_str) {
                Some("uuid") => "0190a3c5-7f00-7000-8000-000000000001".into(),
                Some("date-time") => "2024-03-04T17:00:00Z".into(),
                Some("date") => "2024-03-04".into(),
                _ => "a".repeat(min.max(1)),
            })
        }
        "integer" => json!(s.get("minimum").and_then(Value::as_i64).unwrap_or(0).max(0)),
        "number" => json!(s.get("minimum").and_then(Value::as_f64).unwrap_or(0.0)),
        "boolean" => json!(false),
        _ => Value::Null,
    }
}

/// A path with its parameters filled (UUIDs where the parameter is one).
fn concrete(path: &str, op: &Value) -> String {
    let mut out = path.to_string();
    for p in op["parameters"].as_array().into_iter().flatten() {
        if p["in"] != "path" {
            continue;
        }
        let name = p["name"].as_str().unwrap();
        let value = if p["schema"]["format"] == "uuid" || name.ends_with("id") {
            "0190a3c5-7f00-7000-8000-0000000000aa"
        } else {
            "conformance_name"
        };
        out = out.replace(&format!("{{{name}}}"), value);
    }
    assert!(
        !out.contains('{'),
        "a path parameter is not documented: {out}"
    );
    out
}

struct Answer {
    status: u16,
    code: Option<String>,
    body: Value,
}

async fn send(app: &axum::Router, key: &str, method: &str, path: &str, body: &Value) -> Answer {
    let req = Request::builder()
        .method(Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap())
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        code: body["code"].as_str().map(str::to_string),
        body,
    }
}

fn refused_as_undecodable(a: &Answer) -> bool {
    matches!(a.status, 400 | 415 | 422)
        && a.code.as_deref().is_some_and(|c| DECODE_CODES.contains(&c))
}

#[tokio::test]
async fn every_documented_request_body_is_what_its_handler_decodes() {
    let s = common::spawn().await;
    let requests = Requests::new(
        s.steward.clone(),
        RequestsConfig::default(),
        steward_requests::fakes::Fakes::new().effects(),
    );
    assert!(s.state.set_requests(requests));
    let ring = KeyRing::ephemeral().unwrap();
    let ingestor = Ingestor::new(
        s.steward.clone(),
        ring.ip_pseudonymizer(),
        IngestConfig::default(),
    )
    .unwrap();
    assert!(s.state.set_ingestor(Arc::new(ingestor)));
    let app = steward_server::router(s.state.clone());

    let spec = steward_server::openapi::spec_value();
    let components = spec["components"]["schemas"].as_object().unwrap().clone();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(schema) = op
                .pointer("/requestBody/content/application~1json/schema")
                .cloned()
            else {
                continue;
            };
            let url = concrete(path, op);
            let minimal = instance(&schema, &components, false, 0);
            let full = instance(&schema, &components, true, 0);
            for (what, body) in [("smallest", &minimal), ("full", &full)] {
                let a = send(&app, &s.admin, method, &url, body).await;
                if refused_as_undecodable(&a)
                    || matches!(a.code.as_deref(), Some("NO_ROUTE" | "METHOD_NOT_ALLOWED"))
                {
                    failures.push(format!(
                        "{} {path}: the {what} instance of the documented body {body} was refused: {} {}",
                        method.to_uppercase(),
                        a.status,
                        a.body
                    ));
                }
                // Events are decoded one by one: a misfit element is rejected inside a 200.
                if path == "/v1/events" && a.body.to_string().contains("MALFORMED_EVENT") {
                    failures.push(format!(
                        "POST /v1/events: the {what} documented event was rejected as malformed: {}",
                        a.body
                    ));
                }
            }
            // The control: a property the schema does not allow is refused, so the body was
            // really decoded by the handler (and strictly).
            if DECODED_AFTER_A_SIGNATURE.contains(&path.as_str()) {
                continue;
            }
            let stray = match &minimal {
                Value::Object(m) => {
                    let mut m = m.clone();
                    m.insert(STRAY.into(), json!(1));
                    Value::Object(m)
                }
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|i| {
                            let mut m = i.as_object().cloned().unwrap_or_default();
                            m.insert(STRAY.into(), json!(1));
                            Value::Object(m)
                        })
                        .collect(),
                ),
                other => panic!("{path}: a request body that is not an object or array: {other}"),
            };
            let a = send(&app, &s.admin, method, &url, &stray).await;
            let refused = if path == "/v1/events" {
                a.status == 200 && a.body.to_string().contains("MALFORMED_EVENT")
            } else {
                a.status == 422 && a.code.as_deref() == Some("INVALID_BODY")
            };
            if !refused {
                failures.push(format!(
                    "{} {path}: a stray property was not refused as undecodable, so the documented body is not what the handler decodes: {} {}",
                    method.to_uppercase(),
                    a.status,
                    a.body
                ));
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 35,
        "only {checked} operations with a body were checked"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
