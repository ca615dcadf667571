//! The operations table (`operations`) against the v1 document itself
//! (tests/fixtures/paperspace-v1-openapi.json): for every operation served, the same
//! operation id, the same query parameters and body properties, with the same types, enums,
//! bounds, nullability and required sets, and a strict body.

use super::operations::ALL;
use super::schema::{Field, Method, Operation, Type};
use serde_json::Value;
use std::collections::BTreeMap;

const DOCUMENT: &str = include_str!("../../../tests/fixtures/paperspace-v1-openapi.json");

/// A type in words both sides can be compared in.
fn words(ty: Type) -> String {
    match ty {
        Type::Str { min_len: 0 } => "string".to_string(),
        Type::Str { min_len } => format!("string minLength {min_len}"),
        Type::Enum(values) => format!("enum {values:?}"),
        Type::Bool => "boolean".to_string(),
        Type::Number => "number".to_string(),
        Type::Integer { min, max } => format!("integer {min}..={max}"),
        Type::DiskSize => "disk size".to_string(),
        Type::Region => "region".to_string(),
        Type::StrArray => "array of string".to_string(),
    }
}

/// The same words for a schema of the document.
fn schema_words(schema: &Value) -> String {
    if let Some(any_of) = schema["anyOf"].as_array() {
        let (last, enums) = any_of.split_last().expect("anyOf has members");
        let values: Vec<&Value> = enums
            .iter()
            .map(|member| {
                let values = member["enum"].as_array().expect("anyOf of single enums");
                assert_eq!(values.len(), 1, "{member}");
                &values[0]
            })
            .collect();
        if last == &serde_json::json!({"type": "string"})
            && values == ["ny2", "ca1", "ams1"]
            && enums.iter().all(|m| m["type"] == "string")
        {
            return "region".to_string();
        }
        let sizes = [50, 100, 250, 500, 1000, 2000, 4000, 8000, 12000, 16000];
        if last == &serde_json::json!({"type": "number", "exclusiveMinimum": true, "minimum": 0})
            && values == sizes
            && enums.iter().all(|m| m["type"] == "number")
        {
            return "disk size".to_string();
        }
        panic!("an anyOf the table has no type for: {schema}");
    }
    let ty = schema["type"]
        .as_str()
        .unwrap_or_else(|| panic!("{schema}"));
    match ty {
        "string" if schema.get("enum").is_some() => {
            let values: Vec<&str> = schema["enum"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            format!("enum {values:?}")
        }
        "string" => match schema["minLength"].as_u64() {
            Some(n) if n > 0 => format!("string minLength {n}"),
            _ => "string".to_string(),
        },
        "integer" => format!(
            "integer {}..={}",
            schema["minimum"].as_i64().unwrap(),
            schema["maximum"].as_i64().unwrap()
        ),
        "array" => format!("array of {}", schema_words(&schema["items"])),
        "boolean" | "number" => ty.to_string(),
        other => panic!("a type the table has no word for: {other}"),
    }
}

/// name → (type, required, nullable)
type Shape = BTreeMap<String, (String, bool, bool)>;

fn table_shape(fields: &[Field]) -> Shape {
    fields
        .iter()
        .map(|f| (f.name.to_string(), (words(f.ty), f.required, f.nullable)))
        .collect()
}

fn method_word(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Post => "post",
        Method::Put => "put",
        Method::Patch => "patch",
        Method::Delete => "delete",
    }
}

fn document_operation<'a>(document: &'a Value, op: &Operation) -> &'a Value {
    let found = &document["paths"][op.path][method_word(op.method)];
    assert!(
        found.is_object(),
        "{} {} is not in the document",
        op.id,
        op.path
    );
    assert_eq!(found["operationId"], op.id, "{}", op.path);
    found
}

fn query_shape(operation: &Value, in_: &str) -> Shape {
    operation["parameters"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|p| p["in"] == in_)
        .map(|p| {
            let schema = &p["schema"];
            let nullable = schema["nullable"] == true;
            let required = p["required"] == true;
            (
                p["name"].as_str().unwrap().to_string(),
                (schema_words(schema), required, nullable),
            )
        })
        .collect()
}

#[test]
fn every_operation_served_is_the_documents() {
    let document: Value = serde_json::from_str(DOCUMENT).unwrap();
    for op in ALL {
        let operation = document_operation(&document, op);
        assert_eq!(
            query_shape(operation, "query"),
            table_shape(&op.query_fields()),
            "query of {}",
            op.id
        );
        if !op.order_by.is_empty() {
            let defaults: BTreeMap<&str, &Value> = operation["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p["name"].as_str().unwrap(), &p["schema"]["default"]))
                .collect();
            assert_eq!(defaults["orderBy"], op.order_by[0], "{}", op.id);
            assert_eq!(defaults["order"], "desc", "{}", op.id);
        }
        let path_params: Vec<String> = query_shape(operation, "path").into_keys().collect();
        let mut in_path: Vec<String> = op
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(str::to_string)
            .collect();
        in_path.sort();
        assert_eq!(path_params, in_path, "path of {}", op.id);

        let body = &operation["requestBody"];
        match op.body {
            None => assert!(body.is_null(), "{} has a body in the document", op.id),
            Some(fields) => {
                assert_eq!(body["required"], true, "{}", op.id);
                let schema = &body["content"]["application/json"]["schema"];
                assert_eq!(schema["type"], "object", "{}", op.id);
                assert_eq!(schema["additionalProperties"], false, "{}", op.id);
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|r| r.as_str().unwrap())
                    .collect();
                let shape: Shape = schema["properties"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(name, p)| {
                        let nullable = p["nullable"] == true;
                        let words = (schema_words(p), required.contains(&name.as_str()), nullable);
                        (name.clone(), words)
                    })
                    .collect();
                assert_eq!(shape, table_shape(fields), "body of {}", op.id);
            }
        }
    }
}

#[test]
fn no_operation_is_declared_twice() {
    let mut seen = std::collections::BTreeSet::new();
    for op in ALL {
        assert!(seen.insert((op.path, method_word(op.method))), "{}", op.id);
        assert!(
            op.body.is_none() || op.method.reads_body(),
            "{} has a body the service never reads",
            op.id
        );
    }
}
