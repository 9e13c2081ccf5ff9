//! The OpenAPI document committed at the repository root must be the one the code generates;
//! CI fails when they differ. `UPDATE_OPENAPI=1 cargo test -p steward-server --test openapi`
//! rewrites the committed file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

#[test]
fn committed_openapi_json_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json");
    let code = steward_server::openapi::spec_bytes();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &code).unwrap();
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == code,
        "openapi.json at the repository root differs from the code; regenerate it with \
         `UPDATE_OPENAPI=1 cargo test -p steward-server --test openapi` and commit it"
    );
}

#[test]
fn the_document_is_openapi_3_1_with_problems_and_security() {
    let v = steward_server::openapi::spec_value();
    assert_eq!(v["openapi"], "3.1.0");
    let paths = v["paths"].as_object().unwrap();
    assert!(paths.len() >= 30, "{}", paths.len());
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let public = [
                "/",
                "/healthz",
                "/readyz",
                "/.well-known/gpc.json",
                "/openapi.json",
                "/v1/requests/{id}/verify",
                "/v1/requests/{id}/code",
                "/v1/requests/deliveries/{id}/confirm",
            ]
            .contains(&path.as_str());
            assert_eq!(op.get("security").is_some(), !public, "{method} {path}");
            assert!(op["responses"].get("503").is_some(), "{method} {path}");
            if !public {
                assert!(op["responses"].get("401").is_some(), "{method} {path}");
            }
        }
    }
    // The public intake also takes staff keys: the key is optional there (`{}` first).
    assert_eq!(
        v["paths"]["/v1/requests"]["post"]["security"][0],
        serde_json::json!({})
    );
    assert!(v["paths"]["/v1/requests"]["get"]["security"][0]["bearer"].is_array());
    // Public routes with a body answer input problems and the per-client rate limit.
    let verify = &v["paths"]["/v1/requests/{id}/verify"]["post"]["responses"];
    for s in ["400", "404", "422", "429"] {
        assert!(verify.get(s).is_some(), "{s}");
    }
    // The decision request is the engine's own schema, with its definitions.
    let schemas = v["components"]["schemas"].as_object().unwrap();
    assert_eq!(schemas["DecisionRequest"]["additionalProperties"], false);
    assert!(schemas.contains_key("ContextFacts"));
    let text = serde_json::to_string(&v).unwrap();
    assert!(
        !text.contains("#/$defs/"),
        "every reference points into components"
    );
}
