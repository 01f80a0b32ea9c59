//! The OpenAPI document against the code and the wire: the served document is the one the code
//! builds and the one committed in `docs/openapi.json`; every operation it names is served, and
//! nothing else on those paths; and the wire's golden examples (convivio-core's `golden`) and the
//! server's live answers are instances of its schemas.
//!
//! How the schemas are checked: the `jsonschema` crate (draft 2020-12, the dialect of OpenAPI
//! 3.1) validates each example against `{"$ref": "#/components/schemas/<Name>", "components": ...}`
//! built from the served document, so the document's own `#/components/schemas/...` references
//! resolve inside that one root, with no retriever and no hand-written walker. A plain schema
//! accepts keys it does not declare, which would let a field renamed in serde but not in the
//! schema pass; so every place a value is described (the root, each property, array items) is
//! wrapped as `{"allOf": [S], "unevaluatedProperties": false}`. `unevaluatedProperties` sees
//! through `$ref`, `allOf` and `oneOf`, which is how utoipa writes `flatten` and tagged enums,
//! so an undeclared key fails wherever it sits. That this can fail is itself tested: every key
//! of every example, renamed, must be refused.

use convivio_core::golden::{self, Golden};
use serde_json::{Value, json};

use crate::helpers::{TestApp, note, request};

/// The document the code builds, as JSON.
fn built() -> Value {
    serde_json::to_value(convivio_server::api::openapi()).unwrap()
}

/// Wraps every value position of a schema so undeclared object keys are refused.
fn strict(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let value = match (key.as_str(), value) {
                    ("properties", Value::Object(props)) => Value::Object(
                        props.iter().map(|(name, s)| (name.clone(), closed(&strict(s)))).collect(),
                    ),
                    ("items", s @ Value::Object(_)) => closed(&strict(s)),
                    ("prefixItems", Value::Array(items)) => {
                        Value::Array(items.iter().map(|s| closed(&strict(s))).collect())
                    }
                    (_, v) => strict(v),
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(strict).collect()),
        other => other.clone(),
    }
}

fn closed(schema: &Value) -> Value {
    json!({"allOf": [schema], "unevaluatedProperties": false})
}

/// A validator for instances of the component `name` of `doc`, refusing undeclared keys.
fn validator(doc: &Value, name: &str) -> jsonschema::Validator {
    assert!(doc["components"]["schemas"][name].is_object(), "the document has no schema {name}");
    let root = closed(&json!({"$ref": format!("#/components/schemas/{name}")}));
    let mut schema = root.as_object().unwrap().clone();
    schema.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    schema.insert("components".into(), strict(&doc["components"]));
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&Value::Object(schema))
        .unwrap_or_else(|e| panic!("the schema {name} does not compile: {e}"))
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[tokio::test]
async fn the_served_document_is_the_one_the_code_builds() {
    let app = TestApp::spawn().await;
    let resp = app.http.get(format!("{}/api/openapi.json", app.url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let served: Value = resp.json().await.unwrap();
    assert_eq!(served, built());
    assert_eq!(served["openapi"], "3.1.0");
}

#[test]
fn the_committed_document_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let current = convivio_server::api::openapi_pretty_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some_and(|v| v == "1") {
        std::fs::write(path, &current).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == current,
        "docs/openapi.json is stale (or missing): the API changed in code. Regenerate it with\n    \
         UPDATE_OPENAPI=1 cargo test -p convivio-server --test api openapi\nand commit it."
    );
}

#[test]
fn the_document_names_the_sync_api_and_every_reference_resolves() {
    let doc = built();
    for (path, method) in [("/api/v1/enrol", "post"), ("/api/v1/sync", "post"), ("/healthz", "get")] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is not documented");
    }
    for name in ["SyncRequest", "SyncResponse", "SyncError", "EnrolRequest", "EnrolResponse", "Record"] {
        assert!(doc["components"]["schemas"][name].is_object(), "no schema {name}");
    }
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 20, "suspiciously few references: {all:?}");
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("odd reference {r}"));
        assert!(doc["components"]["schemas"][name].is_object(), "{r} does not resolve");
    }
}

/// Sends `method path` with an empty JSON body and returns the status.
async fn status(app: &TestApp, method: &str, path: &str) -> u16 {
    let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let resp = app
        .http
        .request(method, format!("{}{path}", app.url))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    resp.status().as_u16()
}

#[tokio::test]
async fn the_router_serves_exactly_the_documented_operations() {
    let app = TestApp::spawn().await;
    let doc = built();
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 4, "{:?}", paths.keys().collect::<Vec<_>>());
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let got = status(&app, method, path).await;
            if item[method].is_object() {
                assert!(got != 404 && got != 405, "{method} {path} is documented but answers {got}");
            } else {
                assert_eq!(got, 405, "{method} {path} is not documented but answers {got}");
            }
        }
    }
    assert_eq!(status(&app, "get", "/api/v1/undocumented").await, 404);
}

#[test]
fn every_golden_example_of_the_wire_is_an_instance_of_its_schema() {
    let doc = built();
    let goldens = golden::all();
    assert!(goldens.len() >= 10);
    for Golden { schema, about, json } in goldens {
        let found = errors(&validator(&doc, schema), &json);
        assert!(found.is_empty(), "the golden {schema} ({about}) does not fit the schema: {found:#?}");
    }
}

/// Every object key inside `v`, as a JSON pointer to its object and the key.
fn keys(v: &Value, at: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                out.push((at.clone(), k.clone()));
                keys(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                keys(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_field_renamed_on_the_wire_but_not_in_the_schema_is_refused() {
    let doc = built();
    let mut checked = 0;
    for Golden { schema, about, json } in golden::all() {
        let validator = validator(&doc, schema);
        let mut found = Vec::new();
        keys(&json, String::new(), &mut found);
        for (object, key) in found {
            let mut renamed = json.clone();
            let target = renamed.pointer_mut(&object).and_then(Value::as_object_mut).unwrap();
            let value = target.remove(&key).unwrap();
            target.insert(format!("{key}_renamed"), value);
            assert!(
                !validator.is_valid(&renamed),
                "{schema} ({about}) with {object}/{key} renamed still validates: the schema would not \
                 notice a serde rename"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} keys checked");
}

#[test]
fn a_value_of_the_wrong_shape_is_refused() {
    let doc = built();
    let record = validator(&doc, "Record");
    let mut entry =
        golden::all().into_iter().find(|g| g.schema == "Record" && g.json["kind"] == "note").unwrap().json;
    assert!(record.is_valid(&entry));
    for (field, bad) in [
        ("version", json!({"wall_ms": 1, "counter": 0, "node": 1})),
        ("version", json!("19a-1-2")),
        ("mood", json!(6)),
        ("text", json!("")),
        ("sharing", json!("everyone")),
        ("kind", json!("poem")),
        ("record", json!("diary")),
    ] {
        let good = std::mem::replace(&mut entry[field], bad.clone());
        assert!(!record.is_valid(&entry), "{field} = {bad} validates");
        entry[field] = good;
    }
}

#[tokio::test]
async fn the_servers_live_answers_are_instances_of_their_schemas() {
    let app = TestApp::spawn().await;
    let doc = built();
    let check = |name: &str, value: &Value| {
        let found = errors(&validator(&doc, name), value);
        assert!(found.is_empty(), "a live {name} does not fit the schema: {found:#?}\n{value:#}");
    };
    let health: Value =
        app.http.get(format!("{}/healthz", app.url)).send().await.unwrap().json().await.unwrap();
    check("Health", &health);
    let enrolled = app.enrol_raw(&app.code("Valle Verde", "Maria R.").await).await;
    check("EnrolResponse", &enrolled.body);
    let device: convivio_core::sync::EnrolResponse = serde_json::from_value(enrolled.body).unwrap();
    let synced = app.sync(&device.device_token, &request(&device, 1, vec![note("one")], 0)).await;
    check("SyncResponse", &synced.body);
    let gap = app.sync(&device.device_token, &request(&device, 5, vec![note("five")], 0)).await;
    assert_eq!(gap.status, 409);
    check("SyncError", &gap.body);
    let code = convivio_server::admin::enrol(&app.store, "Valle Verde", None, Some(device.caregiver_id), 7)
        .await
        .unwrap();
    let laptop: convivio_core::sync::EnrolResponse = app.enrol(&code.code).await;
    let pulled = app.sync(&laptop.device_token, &request(&laptop, 1, vec![], 0)).await;
    assert_eq!(pulled.body["changes"].as_array().map(Vec::len), Some(1));
    check("SyncResponse", &pulled.body);
}
