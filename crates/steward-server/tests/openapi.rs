//! The OpenAPI document committed at the repository root must be the one the code generates;
//! CI fails when they differ. `UPDATE_OPENAPI=1 cargo test -p steward-server --test openapi`
//! rewrites the committed file.

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
            // Every error is served as a problem document; none is documented as plain JSON.
            for (status, r) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        r.pointer("/content/application~1json").is_none(),
                        "{method} {path} {status}"
                    );
                }
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

/// utoipa names a component after its Rust type (or `name()`), and two types of the same name
/// silently share one schema — how `PUT /v1/connectors/datasets/{name}` came to be documented
/// with the derived-dataset body. Every schema-bearing type of the API and the server must
/// have a name of its own.
#[test]
fn no_two_types_share_a_schema_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![
        root.join("steward-api/src"),
        root.join("steward-server/src"),
    ];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut clashes = Vec::new();
    let mut add = |name: String, at: String| {
        if let Some(first) = seen.insert(name.clone(), at.clone()) {
            clashes.push(format!("`{name}`: {first} and {at}"));
        }
    };
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let at = format!("{}:{}", f.display(), i + 1);
            let t = l.trim();
            // `#[derive(…, ToSchema, …)]` then the item (after more attributes and docs).
            if t.starts_with("#[derive(") && t.contains("ToSchema") {
                let mut renamed = None;
                for next in &lines[i + 1..] {
                    let n = next.trim();
                    if let Some(r) = n.strip_prefix("#[schema(as = ") {
                        renamed = r.split(')').next().map(str::to_string);
                    }
                    let item = n
                        .strip_prefix("pub ")
                        .unwrap_or(n)
                        .strip_prefix("struct ")
                        .or_else(|| n.strip_prefix("pub ").unwrap_or(n).strip_prefix("enum "));
                    if let Some(item) = item {
                        let name: String = item
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        add(renamed.unwrap_or(name), at.clone());
                        break;
                    }
                }
            }
            // A hand-written `ToSchema` names itself in `name()`.
            if t.starts_with("impl ToSchema for") || t.starts_with("impl utoipa::ToSchema for") {
                for next in lines[i + 1..].iter().take(6) {
                    if let Some(r) = next.trim().strip_prefix("Cow::Borrowed(\"") {
                        add(r.split('"').next().unwrap().to_string(), at.clone());
                        break;
                    }
                }
            }
        }
    }
    assert!(
        seen.len() > 100,
        "the scan found only {} schema types",
        seen.len()
    );
    assert!(clashes.is_empty(), "{}", clashes.join("\n"));
}

/// The HTTP edge (API handlers and web pages) goes through the core's use cases, never around
/// them to the store: `Steward::store()` appears nowhere in the server.
#[test]
fn the_server_reaches_the_store_only_through_the_core() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![src];
    let mut found = Vec::new();
    let mut files = 0;
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&p).unwrap();
                for (i, l) in text.lines().enumerate() {
                    let code = l.split("//").next().unwrap_or("");
                    if code.contains(".store()") {
                        found.push(format!("{}:{}: {}", p.display(), i + 1, l.trim()));
                    }
                }
            }
        }
    }
    assert!(files > 20, "only {files} source files scanned");
    assert!(found.is_empty(), "{}", found.join("\n"));
}
