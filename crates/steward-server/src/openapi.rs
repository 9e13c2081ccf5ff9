//! The OpenAPI 3.1 document, generated from the code: utoipa describes the handlers and the
//! API types of `steward-api` (each operation's request body is the type its handler's
//! `Json<T>` decodes); the decision request and the decision JSON are the JSON Schemas that
//! `steward-policy` generates with schemars (the same ones as `docs/schema/`), spliced into
//! `components.schemas` in place of their placeholders ([`steward_api::schema::external`]).
//! Every operation gets the problem responses and, except the public ones, the API-key
//! security requirement.
//!
//! The document is committed at the repository root (`openapi.json`); a test fails when the
//! code and the committed file differ (`UPDATE_OPENAPI=1 cargo test -p steward-server
//! --test openapi` rewrites it).

use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use steward_api::Problem;

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Steward API",
        description = "Steward makes a privacy policy enforceable: store personal data encrypted per subject, record choices, ask before every use or share and get an explained, audited decision. Errors are RFC 9457 problem documents with a stable `code`. Authenticate with `Authorization: Bearer stw_…`. See docs/api.md.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    paths(
        api::subjects::create, api::subjects::get, api::subjects::update, api::subjects::lookup,
        api::subjects::link,
        api::items::write, api::items::read, api::items::list,
        api::choices::record, api::choices::withdraw, api::choices::effective, api::choices::ledger,
        api::choices::unsubscribe_link,
        api::control::record_change_of_control_notice, api::control::change_of_control_notices,
        api::control::change_of_control_notice_delivered, api::control::answer_change_of_control_notice,
        api::decisions::decide, api::decisions::batch, api::decisions::explain,
        api::disclosures::record, api::disclosures::list,
        api::audit::query, api::audit::verify,
        api::policy::current, api::policy::notice, api::policy::tests, api::policy::versions, api::policy::version,
        api::policy::queue_notices, api::policy::subject_notices, api::policy::subject_notice_sent,
        api::keys::create, api::keys::list, api::keys::revoke,
        api::accounts::create, api::accounts::get, api::accounts::add_member,
        api::accounts::grant, api::accounts::grants, api::accounts::revoke,
        api::accounts::accept_agreement, api::accounts::agreements,
        api::accounts::select_carrier, api::accounts::carriers, api::accounts::withdraw_carrier,
        api::incidents::record, api::incidents::list, api::incidents::get,
        api::incidents::assess, api::incidents::notice_sent, api::incidents::close,
        api::incidents::compute_affected, api::incidents::affected, api::incidents::notify_people,
        api::complaints::file, api::complaints::list, api::complaints::get, api::complaints::text,
        api::complaints::respond, api::complaints::resolve, api::complaints::escalate,
        api::legal::register, api::legal::list, api::legal::get, api::legal::review,
        api::legal::disclose, api::legal::report,
        api::requests::submit, api::requests::verify, api::requests::resend_code,
        api::requests::list, api::requests::show, api::requests::approve, api::requests::run,
        api::requests::receipt, api::requests::report, api::requests::extend,
        api::requests::deny, api::requests::forward, api::requests::more_information,
        api::requests::agent_permission, api::requests::alerts, api::requests::metrics,
        api::requests::dead_letters, api::requests::requeue, api::requests::confirm,
        api::requests::put_dataset, api::requests::put_webhook, api::requests::connectors,
        api::requests::disable_connector, api::requests::place_hold, api::requests::release_hold,
        api::events::ingest, api::events::record_login, api::events::logins,
        api::events::aggregate,
        api::usage::ingest_location, api::usage::read_locations, api::usage::ingest_scans,
        api::usage::package_status, api::usage::scans_for, api::usage::usps_aggregate,
        api::usage::register_dataset, api::usage::use_dataset, api::usage::store_transcript,
        api::usage::close_ticket, api::usage::record_lifecycle, api::usage::lifecycle_events, api::usage::check_survey, api::usage::store_survey_answers,
        api::usage::run_retention, api::usage::subject_signals, api::usage::device_signals,
        api::ops::healthz, api::ops::readyz, api::ops::metrics, api::ops::gpc_json, api::ops::openapi,
        api::index::index,
    ),
    components(schemas(Problem, steward_api::policy::NoticeFormat, steward_api::audit::AuditKindDto, steward_api::events::UsageGroupDto, steward_api::usage::ScanGroupDto)),
    tags(
        (name = "subjects", description = "Data subjects and their identities (blind-indexed)"),
        (name = "items", description = "Personal data, encrypted per subject, read only for an allowed purpose"),
        (name = "choices", description = "The choices ledger: consents, opt-outs, GPC"),
        (name = "decisions", description = "Ask before every use or share"),
        (name = "disclosures", description = "The disclosure register"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "policy", description = "The policy in force"),
        (name = "keys", description = "API keys"),
        (name = "accounts", description = "Accounts, administrator grants, accepted agreements and selected carriers"),
        (name = "complaints", description = "Complaints: first response due, resolution, escalation to the independent recourse (CONTACT-*, DPF-05)"),
        (name = "legal", description = "The register of legal requests: review, disclosures decided against the record, report (LEGALREQ-*)"),
        (name = "incidents", description = "Security incidents and breaches: assessment, notices with due times (SEC-06)"),
        (name = "requests", description = "Data subject requests: intake, verification, approval, runs, receipts, reports (docs/requests.md)"),
        (name = "connectors", description = "Dataset and webhook connectors, legal holds"),
        (name = "events", description = "Usage events at the door, the log-in security log, usage aggregates (docs/events.md)"),
        (name = "usage", description = "Location, USPS data, derived datasets, chat, surveys, retention, partner signals"),
        (name = "operations", description = "Health, metrics, discovery"),
    )
)]
struct ApiDoc;

/// Operations that need no key.
const PUBLIC: &[&str] = &[
    "/",
    "/healthz",
    "/readyz",
    "/.well-known/gpc.json",
    "/openapi.json",
    "/v1/requests/{id}/verify",
    "/v1/requests/{id}/code",
    "/v1/requests/deliveries/{id}/confirm",
];

/// Public operations with a body: they answer the input problems (400, 404, 409, 413, 415,
/// 422) and the per-client rate limit (429).
const PUBLIC_WITH_INPUT: &[&str] = &[
    "/v1/requests/{id}/verify",
    "/v1/requests/{id}/code",
    "/v1/requests/deliveries/{id}/confirm",
];

/// Operations open to the public *and* to keys (`POST /v1/requests`: the public form, or
/// staff with the `dsr` scope): the key is optional.
const OPTIONAL_KEY: &[(&str, &str)] = &[("/v1/requests", "post")];

/// Error statuses every operation may answer with a problem document.
const PROBLEM_STATUSES: &[&str] = &[
    "400", "401", "403", "404", "405", "409", "410", "413", "415", "422", "429", "500", "503",
];

/// `#/$defs/X` → `#/components/schemas/X`, everywhere in `v`.
fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref")
                && let Some(name) = r.strip_prefix("#/$defs/")
            {
                *r = format!("#/components/schemas/{name}");
            }
            for x in m.values_mut() {
                rewrite_refs(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

/// Put a schemars root schema and its `$defs` into `schemas` under `name`.
fn splice(schemas: &mut Map<String, Value>, name: &str, mut root: Value) {
    if let Value::Object(m) = &mut root {
        m.remove("$schema");
        if let Some(Value::Object(defs)) = m.remove("$defs") {
            for (k, mut d) in defs {
                rewrite_refs(&mut d);
                schemas.entry(k).or_insert(d);
            }
        }
    }
    rewrite_refs(&mut root);
    schemas.insert(name.to_string(), root);
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The document as JSON.
#[must_use]
pub fn spec_value() -> Value {
    let mut v = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    if let Some(Value::Object(schemas)) = v.pointer_mut("/components/schemas") {
        for (name, schema) in steward_api::schema::external() {
            splice(schemas, name, schema);
        }
    }
    if let Some(Value::Object(components)) = v.pointer_mut("/components") {
        components.insert(
            "responses".into(),
            json!({
                "Problem": {
                    "description": "An RFC 9457 problem document with a stable `code`.",
                    "content": {"application/problem+json": {"schema": schema_ref("Problem")}}
                }
            }),
        );
        components.insert(
            "securitySchemes".into(),
            json!({
                "bearer": {"type": "http", "scheme": "bearer", "description": "An API key `stw_…`."},
                "api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "An API key `stw_…` (alternative header)."}
            }),
        );
    }
    if let Some(Value::Object(paths)) = v.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let public = PUBLIC.contains(&path.as_str());
            let with_input = PUBLIC_WITH_INPUT.contains(&path.as_str());
            let Value::Object(ops) = item else { continue };
            for (method, op) in ops.iter_mut() {
                let optional_key = OPTIONAL_KEY.iter().any(|(p, m)| p == path && m == method);
                let Value::Object(op) = op else { continue };
                if let Some(Value::Object(resp)) = op.get_mut("responses") {
                    // An error a handler declares itself (`body = Problem`) is served as a
                    // problem document like every other error: say so.
                    for (status, r) in resp.iter_mut() {
                        if !(status.starts_with('4') || status.starts_with('5')) {
                            continue;
                        }
                        if let Some(Value::Object(content)) = r.get_mut("content")
                            && let Some(body) = content.remove("application/json")
                        {
                            content.insert("application/problem+json".into(), body);
                        }
                    }
                    for s in PROBLEM_STATUSES {
                        if public
                            && with_input
                            && matches!(*s, "400" | "404" | "409" | "413" | "415" | "422" | "429")
                        {
                            resp.entry((*s).to_string()).or_insert_with(
                                || json!({"$ref": "#/components/responses/Problem"}),
                            );
                            continue;
                        }
                        if public
                            && matches!(
                                *s,
                                "401"
                                    | "403"
                                    | "404"
                                    | "409"
                                    | "410"
                                    | "413"
                                    | "415"
                                    | "422"
                                    | "429"
                                    | "400"
                            )
                        {
                            continue;
                        }
                        resp.entry((*s).to_string())
                            .or_insert_with(|| json!({"$ref": "#/components/responses/Problem"}));
                    }
                }
                if !public {
                    let security = if optional_key {
                        json!([{}, {"bearer": []}, {"api_key": []}])
                    } else {
                        json!([{"bearer": []}, {"api_key": []}])
                    };
                    op.insert("security".into(), security);
                    if path.starts_with("/v1/") {
                        let params = op
                            .entry("parameters")
                            .or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(params) = params {
                            params.push(json!({
                                "name": "X-Steward-Actor",
                                "in": "header",
                                "required": false,
                                "description": "For keys limited to an account: the subject id of the person acting (ADMIN-04).",
                                "schema": {"type": "string", "format": "uuid"}
                            }));
                        }
                    }
                }
            }
        }
    }
    unique_operation_ids(&mut v);
    v
}

/// Generated clients name their functions after the operation ids, which must be unique
/// (OpenAPI 3.1 §4.8.10): an id that several handlers share (`create`, `list`, `verify` …)
/// is prefixed with its operation's tag (`subjects_create`, `keys_create`).
fn unique_operation_ids(v: &mut Value) {
    let Some(Value::Object(paths)) = v.get_mut("paths") else {
        return;
    };
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for item in paths.values() {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                *seen.entry(id.to_string()).or_default() += 1;
            }
        }
    }
    for item in paths.values_mut() {
        let Value::Object(ops) = item else { continue };
        for op in ops.values_mut() {
            let Value::Object(op) = op else { continue };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if seen.get(id).copied().unwrap_or(0) < 2 {
                continue;
            }
            let tag = op
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
                .unwrap_or("api");
            let unique = format!("{tag}_{id}");
            op.insert("operationId".into(), Value::String(unique));
        }
    }
}

/// The document, pretty-printed with a final newline (the committed form).
#[must_use]
pub fn spec_bytes() -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(&spec_value()).unwrap_or_default();
    b.push(b'\n');
    b
}
