//! The decision answers have the documented shape. A batch audited as one entry is rendered
//! straight to bytes by the core (the hot path), not serialized from the API types: these
//! tests hold every answer of the decision family — single, batch (both audit modes, both
//! forms), explain — against the schemas of the generated OpenAPI document (required
//! properties and types, recursively through `$ref`, `allOf`, `anyOf` and `oneOf`).
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed step fails the test"
)]

mod common;

use serde_json::{Map, Value, json};

fn resolve<'a>(schema: &'a Value, components: &'a Map<String, Value>) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            &components[r.trim_start_matches("#/components/schemas/")],
            components,
        ),
        None => schema,
    }
}

fn type_ok(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_u64() || v.is_i64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

/// Whether `v` fits `schema`: types, required properties, and each known property.
fn conforms(v: &Value, schema: &Value, c: &Map<String, Value>, at: &str) -> Result<(), String> {
    let s = resolve(schema, c);
    if let Some(Value::Array(parts)) = s.get("allOf") {
        for p in parts {
            conforms(v, p, c, at)?;
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alts)) = s.get(key) {
            let errors: Vec<String> = alts
                .iter()
                .filter_map(|a| conforms(v, a, c, at).err())
                .collect();
            if errors.len() == alts.len() {
                return Err(format!("{at}: fits no alternative: {}", errors.join("; ")));
            }
        }
    }
    if let Some(Value::Array(e)) = s.get("enum")
        && !e.contains(v)
    {
        return Err(format!("{at}: {v} is not one of {e:?}"));
    }
    match s.get("type") {
        Some(Value::String(t)) if !type_ok(v, t) => {
            return Err(format!("{at}: {v} is not of type {t}"));
        }
        Some(Value::Array(ts)) if !ts.iter().filter_map(Value::as_str).any(|t| type_ok(v, t)) => {
            return Err(format!("{at}: {v} is not of any type {ts:?}"));
        }
        _ => {}
    }
    if let Value::Object(m) = v {
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap();
            if !m.contains_key(r) {
                return Err(format!("{at}: `{r}` is required"));
            }
        }
        if let Some(Value::Object(props)) = s.get("properties") {
            for (k, x) in m {
                if let Some(p) = props.get(k) {
                    conforms(x, p, c, &format!("{at}.{k}"))?;
                }
            }
        }
        if let Some(extra @ Value::Object(_)) = s.get("additionalProperties") {
            for (k, x) in m {
                if s.get("properties").and_then(|p| p.get(k)).is_none() {
                    conforms(x, extra, c, &format!("{at}.{k}"))?;
                }
            }
        }
    }
    if let (Value::Array(items), Some(item)) = (v, s.get("items")) {
        for (i, x) in items.iter().enumerate() {
            conforms(x, item, c, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

fn check(v: &Value, component: &str) {
    let spec = steward_server::openapi::spec_value();
    let c = spec["components"]["schemas"].as_object().unwrap();
    let schema = json!({"$ref": format!("#/components/schemas/{component}")});
    if let Err(e) = conforms(v, &schema, c, component) {
        panic!("{e}\nin {v}");
    }
}

#[test]
fn the_checker_refuses_a_wrong_shape() {
    // A decision without its reason, and a batch item that is neither a decision nor an error.
    let spec = steward_server::openapi::spec_value();
    let c = spec["components"]["schemas"].as_object().unwrap();
    let decision = json!({"$ref": "#/components/schemas/Decision"});
    let wrong = json!({"op": "can_use", "decision_id": "x", "allow": true});
    assert!(conforms(&wrong, &decision, c, "Decision").is_err());
    let item = json!({"$ref": "#/components/schemas/BatchItem"});
    assert!(conforms(&json!({"index": 0}), &item, c, "BatchItem").is_err());
    assert!(
        conforms(
            &json!({"index": 0, "error": {"code": "X"}}),
            &item,
            c,
            "BatchItem"
        )
        .is_err()
    );
}

#[tokio::test]
async fn decision_answers_single_batch_and_explain_have_the_documented_shape() {
    let s = common::spawn().await;
    let key = s.admin.clone();
    let subject = s.subject("US-TX", "shape@example.com").await;
    let disclose = json!({
        "op": "can_disclose", "id": "d1",
        "subject": {"jurisdiction": "US-TX"},
        "categories": ["name", "postal_address", "email"],
        "recipient": "MP1", "purpose": "third_party_promotional_mail"
    });
    let stored = json!({"op": "can_use", "subject": {"id": subject}, "category": "email", "purpose": "support"});
    let choices = json!({"op": "effective_choices", "id": "c1", "subject": {"id": subject}});

    // Single decisions: a decision and effective choices.
    let mut single_ids = Vec::new();
    for req in [&disclose, &stored, &choices] {
        let r = s.post("/v1/decisions", &key, req.clone()).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        check(&v, "Decision");
        single_ids.push(v["decision_id"].as_str().unwrap().to_string());
    }
    let v = s
        .get(&format!("/v1/subjects/{subject}/choices"), &key)
        .await
        .json();
    check(&v, "EffectiveChoices");

    // Batches: both forms, both audit modes, with a request that does not decode and one
    // about an unknown subject.
    let requests = json!([disclose, stored, choices, {"op": 7}, {"op": "can_use", "subject": {"id": "0190a3c5-7f00-7000-8000-0000000000ff"}, "category": "email", "purpose": "support"}]);
    let mut batch_ids = Vec::new();
    for audit in ["batch", "each"] {
        let r = s
            .post(
                "/v1/decisions/batch",
                &key,
                json!({"requests": requests, "audit": audit}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        check(&v, "BatchOut");
        let d = v["decisions"].as_array().unwrap();
        assert_eq!(d.len(), 5);
        assert_eq!(
            (
                d[3]["error"]["code"].as_str(),
                d[4]["error"]["code"].as_str()
            ),
            (Some("BAD_JSON"), Some("NOT_FOUND")),
            "{audit}"
        );
        assert_eq!(
            (v["count"].as_u64(), v["errors"].as_u64()),
            (Some(5), Some(2))
        );
        batch_ids.push(d[0]["decision_id"].as_str().unwrap().to_string());
        let r = s
            .post(
                "/v1/decisions/batch",
                &key,
                json!({"template": {"op": "can_use", "category": "email", "purpose": "support"}, "subjects": [subject, "not-an-id"], "audit": audit}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        check(&v, "BatchOut");
        let d = v["decisions"].as_array().unwrap();
        assert!(
            d[0]["allow"].is_boolean() && d[1]["error"]["code"].is_string(),
            "{v}"
        );
    }

    // Explanations: a single decision (replayed), a decision of a batch audited per decision,
    // and one of a batch audited as one entry.
    for id in single_ids.iter().chain(&batch_ids) {
        let r = s.get(&format!("/v1/decisions/{id}"), &key).await;
        assert_eq!(r.status, 200, "{id}: {}", r.text());
        check(&r.json(), "ExplainOut");
    }
    let replayed = s
        .get(&format!("/v1/decisions/{}", single_ids[1]), &key)
        .await
        .json();
    assert_eq!(replayed["replay_matches"], true, "{replayed}");
    assert!(replayed["path"].as_array().is_some_and(|p| !p.is_empty()));
    let batch = s
        .get(&format!("/v1/decisions/{}", batch_ids[0]), &key)
        .await
        .json();
    assert_eq!(batch["batch"]["count"], 5, "{batch}");
}
