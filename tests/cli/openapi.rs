//! No request the v1 document rejects: every command of the table, with every flag it allows
//! (alone, and all together where the rules allow), is planned on v1, and every request of
//! every plan is validated against the v1 OpenAPI document (tests/fixtures/paperspace-v1-openapi.json):
//! the route exists with that method, the query parameters are the operation's and their
//! values fit their schemas, the body is there exactly when the operation has one and fits
//! its schema (strict: `additionalProperties: false`, non-nullable enums, `limit` ≤ 120).

use crate::support::fixture;
use paperspace::api::Backend;
use paperspace::api::commands;
use paperspace::api::params::{FileData, Invocation, ParamValue, validate};
use paperspace::api::plan::Step;
use paperspace::api::request::{ApiRequest, HttpMethod};
use paperspace::api::spec::{CommandSpec, ParamSpec, ValueKind, Wire};
use paperspace::vocab::REGIONS;
use serde_json::{Map, Value, json};

/// The document, turned into JSON Schema draft 4 (what OpenAPI 3.0's schemas are, but for
/// `nullable`, which becomes a `null` alternative).
fn document() -> Value {
    fn convert(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for child in map.values_mut() {
                    convert(child);
                }
                if map.remove("nullable") == Some(Value::Bool(true)) {
                    let schema = Value::Object(std::mem::take(map));
                    map.insert("anyOf".into(), json!([schema, {"type": "null"}]));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(convert),
            _ => {}
        }
    }
    let mut doc: Value =
        serde_json::from_str(&fixture("paperspace-v1-openapi.json")).expect("the document");
    convert(&mut doc);
    doc
}

/// A validator for the schema at `pointer` within the document; its `#/components/...` refs
/// resolve because the document's components travel with it.
fn validator(doc: &Value, pointer: &str) -> jsonschema::Validator {
    let schema = doc
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no schema at {pointer}"));
    let mut root = match schema {
        Value::Object(map) => map.clone(),
        other => panic!("{pointer}: not a schema: {other}"),
    };
    root.insert("components".into(), doc["components"].clone());
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&Value::Object(root))
        .unwrap_or_else(|e| panic!("{pointer}: {e}"))
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The document's path template for a request path (`/machines/ps1/stop` →
/// `/machines/{id}/stop`).
fn route<'d>(doc: &'d Value, path: &str) -> Option<(&'d str, &'d Value)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    doc["paths"]
        .as_object()?
        .iter()
        .find_map(|(template, item)| {
            let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
            let fits = parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(part, segment)| part.starts_with('{') || part == segment);
            fits.then_some((template.as_str(), item))
        })
}

/// Validate one request; `Err` says what the document refuses.
fn check(doc: &Value, request: &ApiRequest) -> Result<(), String> {
    let method = request.method.as_str().to_ascii_lowercase();
    let (template, item) = route(doc, &request.path)
        .ok_or_else(|| format!("no route {} in the document", request.path))?;
    let operation = item
        .get(&method)
        .ok_or_else(|| format!("{template} has no {method}"))?;
    let base = format!("/paths/{}/{method}", escape(template));
    let parameters = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (name, text) in &request.query {
        let (index, parameter) = parameters
            .iter()
            .enumerate()
            .find(|(_, p)| p["in"] == "query" && p["name"] == name.as_str())
            .ok_or_else(|| format!("{template}: no query parameter `{name}`"))?;
        // Query text as the server reads it: numbers and booleans where the schema says so.
        let value = match parameter["schema"]["type"].as_str() {
            Some("integer" | "number") => serde_json::from_str::<Value>(text)
                .ok()
                .filter(Value::is_number)
                .ok_or_else(|| format!("{template}: {name}={text} is not a number"))?,
            Some("boolean") => Value::Bool(text == "true"),
            _ => Value::String(text.clone()),
        };
        let schema = format!("{base}/parameters/{index}/schema");
        validator(doc, &schema)
            .validate(&value)
            .map_err(|e| format!("{template}: {name}={text}: {e}"))?;
    }
    for required in parameters
        .iter()
        .filter(|p| p["in"] == "query" && p["required"] == true)
    {
        let name = required["name"].as_str().unwrap();
        if !request.query.iter().any(|(n, _)| n == name) {
            return Err(format!("{template}: query parameter `{name}` is required"));
        }
    }
    let content = &operation["requestBody"]["content"]["application/json"];
    match (&request.body, content.is_object()) {
        (None, false) => Ok(()),
        (Some(_), false) => Err(format!("{method} {template} takes no body")),
        (None, true) if operation["requestBody"]["required"] == true => {
            Err(format!("{method} {template} needs a body"))
        }
        (None, true) => Ok(()),
        (Some(body), true) => {
            let schema = format!("{base}/requestBody/content/application~1json/schema");
            validator(doc, &schema)
                .validate(&Value::Object(body.clone()))
                .map_err(|e| format!("{method} {template} {}: {e}", Value::Object(body.clone())))
        }
    }
}

/// Values of a flag that are valid for it (a switch both ways).
fn values(param: &ParamSpec) -> Vec<String> {
    let texts: Vec<&str> = match param.kind {
        ValueKind::Text => vec!["text 1"],
        ValueKind::Id => vec!["ps1abc"],
        ValueKind::Count { min } => {
            return vec![min.max(1).to_string(), "50".into()];
        }
        ValueKind::Switch => vec!["true", "false"],
        ValueKind::OneOf(set) | ValueKind::OneOfAnyCase(set) | ValueKind::OneOfOrNull(set) => {
            set.to_vec()
        }
        ValueKind::Region => REGIONS.iter().map(|r| r.code).collect(),
        ValueKind::MachineType => vec!["C5", "A100-80Gx8"],
        ValueKind::Month => vec!["2022-03"],
        ValueKind::NonEmpty => vec!["echo hi"],
        ValueKind::File => vec!["./boot.sh"],
        ValueKind::Seconds { .. } => vec!["1"],
    };
    texts.into_iter().map(str::to_string).collect()
}

/// The invocations of a command to check: its required flags, then each other flag with each
/// of its values, then all flags at once (first values) where the rules allow.
fn invocations(spec: &'static CommandSpec) -> Vec<Invocation> {
    let sent: Vec<&ParamSpec> = spec
        .params
        .iter()
        .filter(|p| p.wire == Wire::Sent || p.name == "wait")
        .collect();
    let required: Vec<(&str, String)> = sent
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.name, values(p)[0].clone()))
        .collect();
    let mut lists: Vec<Vec<(&str, String)>> = vec![required.clone()];
    for param in sent.iter().filter(|p| !p.required) {
        for value in values(param) {
            let mut raw = required.clone();
            raw.push((param.name, value));
            lists.push(raw);
        }
    }
    let mut everything = required.clone();
    everything.extend(
        sent.iter()
            .filter(|p| !p.required)
            .map(|p| (p.name, values(p)[0].clone())),
    );
    lists.push(everything);
    lists
        .into_iter()
        .filter_map(|raw| validate(spec, &raw).ok())
        .map(|mut invocation| {
            // What the CLI does before planning: read the files the flags name.
            for (param, value) in &mut invocation.values {
                if param.kind == ValueKind::File {
                    *value = ParamValue::File(Box::new(FileData {
                        path: value.to_query_text(),
                        name: "boot.sh".into(),
                        bytes: b"#!/bin/sh\necho hi\n".to_vec(),
                    }));
                }
            }
            invocation
        })
        .collect()
}

#[test]
fn every_v1_request_the_cli_can_build_is_one_the_document_accepts() {
    let doc = document();
    let mut checked = 0;
    let mut failures = Vec::new();
    for spec in commands::all() {
        for invocation in invocations(spec) {
            // What v1 cannot honour is a usage error: nothing is sent, nothing to check.
            let Ok(plan) = Backend::V1.plan(&invocation) else {
                continue;
            };
            let mut requests = plan.requests(Backend::V1);
            match &plan.step {
                Step::PowerAction { machine, .. } => requests.push(machine.clone()),
                Step::List(list) => {
                    for source in &list.sources {
                        let mut next = source.first_page();
                        next.query.push(("after".into(), "cursor".into()));
                        requests.push(next);
                    }
                }
                _ => {}
            }
            for mut request in requests {
                // Addresses and ids learnt from answers.
                request.path = request
                    .path
                    .replace("{ip}", "1.2.3.4")
                    .replace("{id}", "ps1abc");
                checked += 1;
                if let Err(problem) = check(&doc, &request) {
                    failures.push(format!(
                        "{} {:?}: {problem}",
                        spec.full_name(),
                        invocation
                            .values
                            .iter()
                            .map(|(p, v)| format!("{}={v:?}", p.name))
                            .collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(checked > 150, "only {checked} requests checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The checker itself refuses what the document refuses, so the test above can fail.
#[test]
fn the_document_check_refuses_bodies_and_queries_the_service_would() {
    let doc = document();
    let body = |pairs: Value| -> Option<Map<String, Value>> {
        match pairs {
            Value::Object(map) => Some(map),
            _ => None,
        }
    };
    let request = |method, path: &str, query: Vec<(&str, &str)>, json: Option<Value>| ApiRequest {
        method,
        path: path.to_string(),
        query: query
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: json.and_then(body),
        auth: paperspace::api::request::Auth::Bearer,
        retry: paperspace::api::request::Retry::Resend,
        upload: None,
    };
    let good = request(
        HttpMethod::Put,
        "/machines/ps1",
        vec![],
        Some(json!({"name": "n", "autoSnapshotEnabled": false})),
    );
    assert_eq!(check(&doc, &good), Ok(()));
    for (what, bad) in [
        (
            "a JSON null for an enum",
            request(
                HttpMethod::Put,
                "/machines/ps1",
                vec![],
                Some(json!({"autoSnapshotFrequency": null})),
            ),
        ),
        (
            "an unknown field",
            request(
                HttpMethod::Put,
                "/machines/ps1",
                vec![],
                Some(json!({"bogus": 1})),
            ),
        ),
        (
            "a limit over 120",
            request(HttpMethod::Get, "/machines", vec![("limit", "1000")], None),
        ),
        (
            "an unknown query parameter",
            request(HttpMethod::Get, "/machines", vec![("state", "off")], None),
        ),
        (
            "a missing required field",
            request(
                HttpMethod::Post,
                "/machines",
                vec![],
                Some(json!({"name": "n"})),
            ),
        ),
        (
            "a body where there is none",
            request(
                HttpMethod::Patch,
                "/machines/ps1/start",
                vec![],
                Some(json!({})),
            ),
        ),
        (
            "a route that does not exist",
            request(HttpMethod::Get, "/machines/ps1/utilization", vec![], None),
        ),
    ] {
        assert!(check(&doc, &bad).is_err(), "{what} passed");
    }
}
