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
use paperspace::api::spec::{CommandSpec, OnV1, ParamSpec, Rule, V1Op, V1Value, ValueKind, Wire};
use paperspace::vocab::REGIONS;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

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
            // Only `true` and `false` are booleans; any other text stays a string, which a
            // boolean schema refuses.
            Some("boolean") => match text.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(text.clone()),
            },
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

/// The flags of a command whose requests are checked: those sent, and `--wait` (its polls).
fn sendable(spec: &'static CommandSpec) -> Vec<&'static ParamSpec> {
    spec.params
        .iter()
        .filter(|p| p.wire == Wire::Sent || p.name == "wait")
        .collect()
}

/// The flag of an invocation that v1 declares it cannot honour with the value given: a flag
/// `OnV1::Refused` (a switch only when true), or a billing type other than hourly
/// (`V1Value::HourlyBillingOnly`).
fn refused_on_v1(invocation: &Invocation) -> Option<&'static str> {
    invocation
        .values
        .iter()
        .find(|(param, value)| match (param.v1, value) {
            (OnV1::Refused(_), ParamValue::Bool(false)) => param.kind != ValueKind::Switch,
            (OnV1::Refused(_), _) => true,
            (OnV1::Converted(V1Value::HourlyBillingOnly), ParamValue::Text(text)) => {
                text != "hourly"
            }
            _ => false,
        })
        .map(|(param, _)| param.name)
}

/// The invocations of a command to check: its required flags, then each other flag with each
/// of its values, then all flags at once (first values) where the rules allow. The ones the
/// rules refuse (`validate`) come back as the flags given, with the message, so the caller can
/// tell what was left out.
fn invocations(spec: &'static CommandSpec) -> Vec<Result<Invocation, (Vec<String>, String)>> {
    let sent = sendable(spec);
    // Every required flag, sent or not (waitfor's --state).
    let required: Vec<(&str, String)> = spec
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.name, values(p)[0].clone()))
        .collect();
    // What the rules require too: the first flag of each "exactly one of" (a script's file).
    let mut base = required.clone();
    for rule in spec.rules {
        if let Rule::ExactlyOne(flags) = rule {
            let param = spec
                .param(flags[0])
                .expect("a rule names the command's flags");
            base.push((param.name, values(param)[0].clone()));
        }
    }
    let mut lists: Vec<Vec<Vec<(&str, String)>>> = vec![vec![required.clone()], vec![base.clone()]];
    for param in sent.iter().filter(|p| !p.required) {
        for value in values(param) {
            // With what the rules require, or alone when it is one of those.
            let with = |given: &[(&'static str, String)]| {
                let mut raw: Vec<(&str, String)> = given
                    .iter()
                    .filter(|(name, _)| *name != param.name)
                    .cloned()
                    .collect();
                raw.push((param.name, value.clone()));
                raw
            };
            lists.push(vec![with(&base), with(&required)]);
        }
    }
    let mut everything = base.clone();
    everything.extend(
        sent.iter()
            .filter(|p| !p.required && !base.iter().any(|(name, _)| *name == p.name))
            .map(|p| (p.name, values(p)[0].clone())),
    );
    lists.push(vec![everything]);
    lists
        .into_iter()
        .map(|candidates| {
            // The first candidate the rules accept.
            let mut refusal = None;
            let mut invocation = None;
            for raw in &candidates {
                match validate(spec, raw) {
                    Ok(valid) => {
                        invocation = Some(valid);
                        break;
                    }
                    Err(e) => {
                        let flags = raw.iter().map(|(name, value)| format!("{name}={value}"));
                        refusal.get_or_insert((
                            flags.collect(),
                            format!("exit {}: {}", e.exit_code(), e.message),
                        ));
                    }
                }
            }
            let mut invocation = invocation.ok_or_else(|| refusal.expect("a candidate"))?;
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
            Ok(invocation)
        })
        .collect()
}

#[test]
fn every_v1_request_the_cli_can_build_is_one_the_document_accepts() {
    let doc = document();
    let mut checked = 0;
    let mut failures = Vec::new();
    // (command, flag) → how many requests of invocations with that flag were checked.
    let mut checked_with: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let mut checked_of: BTreeMap<String, usize> = BTreeMap::new();
    for spec in commands::all() {
        let unsupported = matches!(spec.v1, V1Op::Unsupported(_));
        for invocation in invocations(spec) {
            let invocation = match invocation {
                Ok(invocation) => invocation,
                Err((flags, message)) => {
                    // The rules' refusals are usage errors; what they leave out is caught by
                    // the coverage check below.
                    if !message.starts_with("exit 2: ") {
                        failures.push(format!("{} {flags:?}: {message}", spec.full_name()));
                    }
                    continue;
                }
            };
            let given = || {
                invocation
                    .values
                    .iter()
                    .map(|(p, v)| format!("{}={v:?}", p.name))
                    .collect::<Vec<_>>()
            };
            let plan = match Backend::V1.plan(&invocation) {
                Ok(plan) => plan,
                Err(e) => {
                    // What v1 cannot honour is a usage error naming the flag, nothing sent;
                    // any other plan error is a failure.
                    let declared = unsupported
                        || refused_on_v1(&invocation)
                            .is_some_and(|flag| e.message.contains(&format!("--{flag}")));
                    if !declared || e.exit_code() != 2 {
                        failures.push(format!(
                            "{} {:?}: not planned on v1 (exit {}): {}",
                            spec.full_name(),
                            given(),
                            e.exit_code(),
                            e.message
                        ));
                    }
                    continue;
                }
            };
            if unsupported {
                failures.push(format!(
                    "{} {:?}: planned on v1, which declares it unsupported",
                    spec.full_name(),
                    given()
                ));
            }
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
                *checked_of.entry(spec.full_name()).or_default() += 1;
                for (param, _) in &invocation.values {
                    *checked_with
                        .entry((spec.full_name(), param.name))
                        .or_default() += 1;
                }
                if let Err(problem) = check(&doc, &request) {
                    failures.push(format!("{} {:?}: {problem}", spec.full_name(), given()));
                }
            }
        }
    }
    assert!(checked > 150, "only {checked} requests checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing left out unnoticed: every command v1 has sent at least one checked request, and
    // so did every flag it sends, but those v1 refuses whatever their value.
    let mut unchecked = Vec::new();
    for spec in commands::all() {
        if matches!(spec.v1, V1Op::Unsupported(_)) {
            continue;
        }
        if !checked_of.contains_key(&spec.full_name()) {
            unchecked.push(spec.full_name());
        }
        for param in sendable(spec) {
            let always_refused =
                matches!(param.v1, OnV1::Refused(_)) && param.kind != ValueKind::Switch;
            if !always_refused && !checked_with.contains_key(&(spec.full_name(), param.name)) {
                unchecked.push(format!("{} --{}", spec.full_name(), param.name));
            }
        }
    }
    assert!(
        unchecked.is_empty(),
        "no request checked for: {}",
        unchecked.join(", ")
    );
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
    // A boolean query parameter takes only `true` and `false` (the document has none today:
    // this one is made up, to check the checker).
    let mut flagged = doc.clone();
    flagged["paths"]["/flagged"] = json!({"get": {"parameters": [
        {"in": "query", "name": "on", "schema": {"type": "boolean"}}
    ]}});
    for text in ["true", "false"] {
        let ok = request(HttpMethod::Get, "/flagged", vec![("on", text)], None);
        assert_eq!(check(&flagged, &ok), Ok(()), "on={text}");
    }
    for text in ["yes", "TRUE", "1", ""] {
        let bad = request(HttpMethod::Get, "/flagged", vec![("on", text)], None);
        assert!(check(&flagged, &bad).is_err(), "on={text} passed");
    }
}
