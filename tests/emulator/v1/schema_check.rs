//! A small check of v1 answers against the document's 200 response schemas
//! (tests/fixtures/paperspace-v1-openapi.json): the parts of JSON Schema the document uses
//! (`type` with `nullable`, `enum`, `anyOf`, `not`, `properties`, `required`,
//! `additionalProperties`, `items`, `minimum`/`maximum`/`exclusiveMinimum`, `minLength`,
//! `format: date-time`). One liberty, the document's own: a page's `nextPage` "is `null`
//! when there is no next page", though its type is a plain string.

use serde_json::Value;
use std::sync::OnceLock;

fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/paperspace-v1-openapi.json"
        );
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    })
}

fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_date_time(text: &str) -> bool {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).is_ok()
}

/// The problems of `value` against `schema`, each with where it is.
fn problems(schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    if let Some(any_of) = schema["anyOf"].as_array() {
        let nullable = schema["nullable"] == true && value.is_null();
        let fits = any_of.iter().any(|member| {
            let mut inner = Vec::new();
            problems(member, value, at, &mut inner);
            inner.is_empty()
        });
        if !fits && !nullable {
            found.push(format!("{at}: {value} fits no member of anyOf"));
        }
        return;
    }
    if schema.get("not").is_some() {
        found.push(format!("{at}: {value} matches `not`"));
        return;
    }
    if value.is_null() {
        let next_page = at.ends_with(".nextPage");
        if schema["nullable"] != true && !next_page && schema.get("type").is_some() {
            found.push(format!("{at}: null is not nullable"));
        }
        return;
    }
    if let Some(ty) = schema["type"].as_str() {
        let actual = type_of(value);
        let fits = actual == ty || (ty == "number" && actual == "integer");
        if !fits {
            found.push(format!("{at}: {value} is a {actual}, not a {ty}"));
            return;
        }
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(value)
    {
        found.push(format!("{at}: {value} is none of {values:?}"));
    }
    if let (Some(n), Some(min)) = (value.as_f64(), schema["minimum"].as_f64()) {
        let exclusive = schema["exclusiveMinimum"] == true;
        if n < min || (exclusive && n <= min) {
            found.push(format!("{at}: {n} is below {min}"));
        }
    }
    if let (Some(n), Some(max)) = (value.as_f64(), schema["maximum"].as_f64())
        && n > max
    {
        found.push(format!("{at}: {n} is above {max}"));
    }
    if let Some(text) = value.as_str() {
        if let Some(min) = schema["minLength"].as_u64()
            && (text.chars().count() as u64) < min
        {
            found.push(format!("{at}: {text:?} is shorter than {min}"));
        }
        if schema["format"] == "date-time" && !is_date_time(text) {
            found.push(format!("{at}: {text:?} is not a date-time"));
        }
    }
    if let Value::Object(fields) = value {
        let properties = schema["properties"].as_object();
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap();
            if !fields.contains_key(name) {
                found.push(format!("{at}: lacks required {name}"));
            }
        }
        for (name, field) in fields {
            let where_ = format!("{at}.{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(property) => problems(property, field, &where_, found),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => found.push(format!("{where_}: not in the schema")),
                    extra @ Value::Object(_) => problems(extra, field, &where_, found),
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            problems(item_schema, item, &format!("{at}[{i}]"), found);
        }
    }
}

/// `value` is a valid 200 answer of `method path` (the document's path, `/machines/{id}`).
pub fn assert_answers(method: &str, path: &str, value: &Value) {
    let schema = &document()["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert!(
        schema.is_object(),
        "no 200 answer of {method} {path} in the document"
    );
    let mut found = Vec::new();
    problems(schema, value, "$", &mut found);
    assert!(
        found.is_empty(),
        "{method} {path} answered outside the document:\n{}\n{value:#}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_what_the_document_forbids() {
    let event = serde_json::json!({
        "id": "e", "name": "start", "state": "done", "machineId": "ps1",
        "dtCreated": "2024-01-01T00:00:00.000Z", "dtStarted": null, "dtFinished": null,
        "error": null,
    });
    assert_answers("get", "/machine-events/{id}", &event);
    let schema = &document()["paths"]["/machine-events/{id}"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    let mut bad = event.clone();
    bad["state"] = "in-progress".into();
    bad["extra"] = 1.into();
    bad["dtCreated"] = "yesterday".into();
    bad.as_object_mut().unwrap().remove("name");
    let mut found = Vec::new();
    problems(schema, &bad, "$", &mut found);
    assert_eq!(found.len(), 4, "{found:?}");
}
