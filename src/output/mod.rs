//! Rendering and the stdout/stderr contract: stdout carries data only (one JSON document per
//! run, success or error object, or a table); people's messages go to stderr.

pub mod curl;
pub mod pretty;
pub(crate) mod progress;
pub mod report;
pub mod table;

pub use pretty::{pretty, pretty_to};

use crate::error::{CliError, ErrorKind};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

/// Pretty JSON of a value we built ourselves (the error object), in the same layout as
/// `pretty` gives the server's documents.
pub(crate) fn render_json(value: &Value) -> String {
    let mut out = Vec::with_capacity(256);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"  ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("a JSON value always serialises");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// `{"error": "<message>", "status": <HTTP status>}`, `status` only when an HTTP answer was
/// received (docs/compatibility.md, "Errors").
pub(crate) fn render_error_json(error: &CliError) -> String {
    render_json(&Value::Object(error_object(error)))
}

/// The legacy error object's keys, then v1's `code` and `details` when the API sent them.
pub(crate) fn error_object(error: &CliError) -> serde_json::Map<String, Value> {
    let mut object = serde_json::Map::new();
    object.insert("error".into(), Value::String(error.message.clone()));
    if let Some(status) = error.http_status() {
        object.insert("status".into(), Value::from(status));
    }
    if let Some(detail) = &error.detail {
        if let Some(code) = &detail.code {
            object.insert("code".into(), Value::String(code.clone()));
        }
        if let Some(details) = &detail.details {
            object.insert("details".into(), details.clone());
        }
    }
    object
}

/// The one line a person reads on stderr: the message, what the details say was wrong (the
/// field, the problem), then the HTTP status and v1's code.
pub(crate) fn render_error_line(error: &CliError) -> String {
    let what = match error.detail.as_ref().and_then(|d| d.details.as_ref()) {
        Some(details) => match summarize_details(details) {
            Some(summary) => format!("{}: {summary}", error.message),
            None => error.message.clone(),
        },
        None => error.message.clone(),
    };
    let code = error.detail.as_ref().and_then(|d| d.code.as_deref());
    let line = match (&error.kind, error.http_status(), code) {
        (ErrorKind::Usage, _, _) => format!("error: {what}"),
        (_, Some(status), Some(code)) => format!("error: {what} (HTTP {status}, {code})"),
        (_, Some(status), None) => format!("error: {what} (HTTP {status})"),
        _ => format!("error: {what}"),
    };
    // One line, whatever the server put in its details.
    let line: String = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("{line}\n")
}

/// The longest summary of an error's details on the stderr line.
const DETAILS_CHARS: usize = 300;

/// `machineType: Expected string, received number; diskSize: Required`: what an error's
/// details say, field by field, whatever their shape (an object of fields, a list of issues
/// with a `path` and a `message`, or anything else as compact JSON).
fn summarize_details(details: &Value) -> Option<String> {
    fn text(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
            Value::Object(fields) => match fields.get("message") {
                Some(message) => text(message),
                None => value.to_string(),
            },
            other => other.to_string(),
        }
    }
    let summary = match details {
        Value::Object(fields) if fields.is_empty() => return None,
        Value::Object(fields) => fields
            .iter()
            .map(|(field, problem)| format!("{field}: {}", text(problem)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Array(issues) if issues.is_empty() => return None,
        Value::Array(issues) => issues
            .iter()
            .map(|issue| {
                let path = issue
                    .get("path")
                    .and_then(Value::as_array)
                    .map(|path| path.iter().map(text).collect::<Vec<_>>().join("."));
                match path.filter(|p| !p.is_empty()) {
                    Some(path) => format!("{path}: {}", text(issue)),
                    None => text(issue),
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => return None,
        other => text(other),
    };
    let summary = summary.trim().to_string();
    if summary.is_empty() {
        return None;
    }
    Some(if summary.chars().count() > DETAILS_CHARS {
        let cut: String = summary.chars().take(DETAILS_CHARS).collect();
        format!("{cut}…")
    } else {
        summary
    })
}

/// Write to stdout. A closed pipe (`| head`) is not an error: the reader has what it wanted.
pub(crate) fn write_stdout(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::internal(format!("cannot write to stdout: {e}"))),
    }
}

/// Pretty-print a JSON document to stdout as it is produced; a closed pipe is not an error.
pub(crate) fn write_pretty_stdout(json: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match pretty_to(json, &mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::internal(format!("cannot write to stdout: {e}"))),
    }
}

pub(crate) fn write_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_objects_carry_status_only_when_an_answer_came() {
        let api = CliError::new(ErrorKind::Api { status: 404 }, "Not found");
        assert_eq!(
            render_error_json(&api),
            "{\n  \"error\": \"Not found\",\n  \"status\": 404\n}\n"
        );
        assert_eq!(render_error_line(&api), "error: Not found (HTTP 404)\n");
        let v1 = CliError::new(ErrorKind::Api { status: 400 }, "Invalid body").with_detail(
            crate::error::ApiDetail {
                code: Some("BAD_REQUEST".into()),
                details: Some(serde_json::json!([
                    {"path": ["region"], "message": "Invalid enum value"},
                    {"message": "Required\nfield"}
                ])),
            },
        );
        assert_eq!(
            render_error_line(&v1),
            "error: Invalid body: region: Invalid enum value; Required field (HTTP 400, BAD_REQUEST)\n"
        );
        let empty = CliError::new(ErrorKind::Api { status: 404 }, "Gone").with_detail(
            crate::error::ApiDetail {
                code: None,
                details: Some(serde_json::json!({})),
            },
        );
        assert_eq!(render_error_line(&empty), "error: Gone (HTTP 404)\n");
        let net = CliError::network("cannot connect to 127.0.0.1:9: Connection refused");
        assert_eq!(
            render_error_json(&net),
            "{\n  \"error\": \"cannot connect to 127.0.0.1:9: Connection refused\"\n}\n"
        );
    }
}
