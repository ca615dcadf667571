//! What the v1 document says each operation takes, as data: the query parameters and the
//! request body's properties with their type, nullability, enum, required-ness and bounds
//! (tests/fixtures/paperspace-v1-openapi.json). The table itself is [`super::operations`];
//! a test there holds it to the document, operation by operation.
//!
//! A request the document refuses is a 400 before any handler runs, in the shape the live
//! service answers with (a tRPC service validating with zod, docs/v1.md, "Answers"):
//! `{"message": "Input validation failed", "code": "BAD_REQUEST", "details": {...}}`, the
//! details naming each failing field with zod's wording of the problem (`Required`,
//! `Unrecognized key`, `Expected number, received string`, `Number must be less than or
//! equal to 120`, ...). The wording is zod's; that the live service words it so is inferred.
//!
//! Strictness as the document has it: bodies are `additionalProperties: false`, so an unknown
//! property is refused; the query of an operation is its input object too, so an unknown query
//! parameter is refused the same way (inferred: the bodies are strict, and a tRPC-OpenAPI
//! service reads query and body into one input). Values are never coerced, except that query
//! values are text and numbers are read from it.

use crate::emulator::http::ApiError;
use crate::emulator::params::{Params, Query};
use crate::vocab::REGIONS;
use serde_json::Value;

/// The type of a property or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    /// `string`, at least `min_len` characters long (`minLength`).
    Str {
        min_len: usize,
    },
    /// `string` with an `enum`.
    Enum(&'static [&'static str]),
    Bool,
    /// `number`, any.
    Number,
    /// `integer` from `min` to `max` (the lists' `limit`).
    Integer {
        min: i64,
        max: i64,
    },
    /// `anyOf` the usual disk sizes' single-value enums and any number greater than 0.
    DiskSize,
    /// `anyOf` the region codes' single-value enums and any string.
    Region,
    /// `array` of `string`.
    StrArray,
}

/// A plain string.
pub(crate) const STR: Type = Type::Str { min_len: 0 };

/// One property of a body, or one query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    pub nullable: bool,
}

/// An optional, non-nullable field.
pub(crate) const fn opt(name: &'static str, ty: Type) -> Field {
    Field {
        name,
        ty,
        required: false,
        nullable: false,
    }
}

/// A required, non-nullable field.
pub(crate) const fn req(name: &'static str, ty: Type) -> Field {
    Field {
        name,
        ty,
        required: true,
        nullable: false,
    }
}

/// A required field that may be `null`.
pub(crate) const fn req_nullable(name: &'static str, ty: Type) -> Field {
    Field {
        name,
        ty,
        required: true,
        nullable: true,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// Whether the service reads a body for this method (a tRPC-OpenAPI service reads none for
    /// GET and DELETE).
    pub(crate) fn reads_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }
}

/// One operation of the document the emulator serves.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The document's `operationId`.
    #[cfg_attr(not(test), expect(dead_code, reason = "the agreement test's key"))]
    pub id: &'static str,
    pub method: Method,
    /// The document's path (`/machines/{id}`).
    pub path: &'static str,
    /// For a list: the `orderBy` values, the default first; a list also takes `after`,
    /// `limit` (1 to 120) and `order` (`asc`, `desc`; `desc` by default).
    pub order_by: &'static [&'static str],
    /// The other query parameters.
    pub query: &'static [Field],
    /// The request body's properties (`additionalProperties: false`); `None` when the document
    /// declares no body, which for a method that reads one means an empty object.
    pub body: Option<&'static [Field]>,
}

/// The most items a page holds, and the fewest one may ask for.
pub(crate) const LIMIT: Type = Type::Integer { min: 1, max: 120 };

/// The sort orders of every list, the default last.
pub(crate) const ORDERS: &[&str] = &["asc", "desc"];

/// Problems found so far: field → zod's wording.
#[derive(Default)]
struct Issues(Vec<(String, String)>);

impl Issues {
    fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push((field.into(), problem.into()));
    }

    fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            return Ok(());
        }
        Err(self.0.into_iter().fold(
            ApiError::bad_request("Input validation failed"),
            |error, (field, problem)| error.with_detail(&field, problem),
        ))
    }
}

/// The JSON type of a value as zod names it.
pub(crate) fn received(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `'a' | 'b'`: an enum's values as zod lists them.
fn alternatives(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn expected(ty: Type) -> String {
    match ty {
        Type::Str { .. } | Type::Region => "string".to_string(),
        Type::Enum(values) => alternatives(values),
        Type::Bool => "boolean".to_string(),
        Type::Number | Type::Integer { .. } | Type::DiskSize => "number".to_string(),
        Type::StrArray => "array".to_string(),
    }
}

fn type_error(ty: Type, value: &Value) -> String {
    format!("Expected {}, received {}", expected(ty), received(value))
}

/// The problems of one present value of `field`, added under its name.
fn check_value(field: &Field, value: &Value, issues: &mut Issues) {
    let name = field.name;
    if value.is_null() {
        if !field.nullable {
            issues.add(name, type_error(field.ty, value));
        }
        return;
    }
    match (field.ty, value) {
        (Type::Str { min_len }, Value::String(s)) => {
            if s.chars().count() < min_len {
                issues.add(
                    name,
                    format!("String must contain at least {min_len} character(s)"),
                );
            }
        }
        (Type::Region, Value::String(_)) | (Type::Bool, Value::Bool(_)) => {}
        (Type::Enum(values), Value::String(s)) => {
            if !values.contains(&s.as_str()) {
                issues.add(
                    name,
                    format!(
                        "Invalid enum value. Expected {}, received '{s}'",
                        alternatives(values)
                    ),
                );
            }
        }
        (Type::Number, Value::Number(_)) => {}
        (Type::DiskSize, Value::Number(n)) => {
            if n.as_f64().is_none_or(|f| f <= 0.0) {
                issues.add(name, "Number must be greater than 0");
            }
        }
        (Type::Integer { min, max }, Value::Number(n)) => match n.as_i64() {
            None => issues.add(name, "Expected integer, received float"),
            Some(i) if i < min => issues.add(
                name,
                format!("Number must be greater than or equal to {min}"),
            ),
            Some(i) if i > max => {
                issues.add(name, format!("Number must be less than or equal to {max}"));
            }
            Some(_) => {}
        },
        (Type::StrArray, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if !item.is_string() {
                    issues.add(format!("{name}.{i}"), type_error(STR, item));
                }
            }
        }
        (ty, value) => issues.add(name, type_error(ty, value)),
    }
}

/// A query value as the JSON value its type reads it as: numbers from their text (`nan` when
/// it is none), everything else as text.
fn query_value(ty: Type, text: &str) -> Result<Value, &'static str> {
    match ty {
        Type::Integer { .. } | Type::Number | Type::DiskSize => {
            let number = text.parse::<i64>().map(Value::from).ok().or_else(|| {
                let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
                serde_json::Number::from_f64(f).map(Value::Number)
            });
            number.ok_or("Expected number, received nan")
        }
        _ => Ok(Value::String(text.to_string())),
    }
}

impl Operation {
    /// Every query parameter of the operation: a list's paging ones first.
    pub(crate) fn query_fields(&self) -> Vec<Field> {
        let mut fields = Vec::new();
        if !self.order_by.is_empty() {
            fields.push(opt("after", STR));
            fields.push(opt("limit", LIMIT));
            fields.push(opt("orderBy", Type::Enum(self.order_by)));
            fields.push(opt("order", Type::Enum(ORDERS)));
        }
        fields.extend_from_slice(self.query);
        fields
    }

    /// The query against the document.
    pub(crate) fn check_query(&self, query: &Query) -> Result<(), ApiError> {
        let fields = self.query_fields();
        let mut issues = Issues::default();
        for field in &fields {
            match query.get(field.name) {
                None if field.required => issues.add(field.name, "Required"),
                None => {}
                Some(text) => match query_value(field.ty, text) {
                    Ok(value) => check_value(field, &value, &mut issues),
                    Err(problem) => issues.add(field.name, problem),
                },
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in &query.0 {
            if !fields.iter().any(|f| f.name == key) && !seen.contains(&key.as_str()) {
                seen.push(key);
                issues.add(key.as_str(), "Unrecognized key");
            }
        }
        issues.into_result()
    }

    /// A body (already known to be a JSON object) against the document.
    pub(crate) fn check_body(&self, body: &Params) -> Result<(), ApiError> {
        let fields = self.body.unwrap_or_default();
        let mut issues = Issues::default();
        for field in fields {
            match body.get(field.name) {
                None if field.required => issues.add(field.name, "Required"),
                None => {}
                Some(value) => check_value(field, value, &mut issues),
            }
        }
        for key in body.keys() {
            if !fields.iter().any(|f| f.name == key) {
                issues.add(key.as_str(), "Unrecognized key");
            }
        }
        issues.into_result()
    }
}

/// A region as the service takes it: a code in any case or a long name (docs/v1.md,
/// "Requests": clients send both and the service accepts them, inferred). Anything else is
/// refused, naming `field`.
pub(crate) fn region(field: &str, text: &str) -> Result<&'static crate::vocab::Region, ApiError> {
    crate::vocab::Region::find(text).ok_or_else(|| {
        let codes: Vec<&str> = REGIONS.iter().map(|r| r.code).collect();
        ApiError::invalid(
            field,
            format!("Invalid region '{text}'"),
            format!("Region must be one of {}", codes.join(", ")),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BODY: &[Field] = &[
        req("name", Type::Str { min_len: 1 }),
        opt("diskSize", Type::DiskSize),
        opt("publicIpType", Type::Enum(&["static", "none"])),
        opt("accessorIds", Type::StrArray),
        req_nullable("machineId", STR),
    ];
    const OP: Operation = Operation {
        id: "test",
        method: Method::Post,
        path: "/test",
        order_by: &["dtCreated", "name"],
        query: &[opt("region", Type::Region)],
        body: Some(BODY),
    };

    fn details(result: Result<(), ApiError>) -> Value {
        let error = result.unwrap_err();
        assert_eq!(error.status, 400);
        assert_eq!(error.message, "Input validation failed");
        Value::Object(error.details)
    }

    fn body(value: Value) -> Params {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn bodies_are_checked_as_zod_words_it() {
        assert!(
            OP.check_body(&body(json!({"name": "x", "machineId": null})))
                .is_ok()
        );
        assert_eq!(
            details(OP.check_body(&body(json!({
                "name": "",
                "diskSize": "50",
                "publicIpType": "elastic",
                "accessorIds": ["u", 7],
                "bogus": 1,
            })))),
            json!({
                "name": "String must contain at least 1 character(s)",
                "diskSize": "Expected number, received string",
                "publicIpType": "Invalid enum value. Expected 'static' | 'none', received 'elastic'",
                "accessorIds.1": "Expected string, received number",
                "machineId": "Required",
                "bogus": "Unrecognized key",
            })
        );
        assert_eq!(
            details(OP.check_body(&body(
                json!({"name": null, "diskSize": 0, "publicIpType": null, "machineId": 1})
            ))),
            json!({
                "name": "Expected string, received null",
                "diskSize": "Number must be greater than 0",
                "publicIpType": "Expected 'static' | 'none', received null",
                "machineId": "Expected string, received number",
            })
        );
    }

    #[test]
    fn queries_read_numbers_from_text_and_refuse_strangers() {
        let q = |s: &str| OP.check_query(&Query::parse(Some(s)));
        assert!(q("limit=120&order=asc&orderBy=name&after=3&region=anything").is_ok());
        assert_eq!(
            details(q("limit=121&order=up&orderBy=ram&userId=u&userId=v")),
            json!({
                "limit": "Number must be less than or equal to 120",
                "orderBy": "Invalid enum value. Expected 'dtCreated' | 'name', received 'ram'",
                "order": "Invalid enum value. Expected 'asc' | 'desc', received 'up'",
                "userId": "Unrecognized key",
            })
        );
        assert_eq!(
            details(q("limit=0")),
            json!({"limit": "Number must be greater than or equal to 1"})
        );
        assert_eq!(
            details(q("limit=x")),
            json!({"limit": "Expected number, received nan"})
        );
        assert_eq!(
            details(q("limit=1.5")),
            json!({"limit": "Expected integer, received float"})
        );
    }
}
