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
    let mut object = serde_json::Map::new();
    object.insert("error".into(), Value::String(error.message.clone()));
    if let Some(status) = error.http_status() {
        object.insert("status".into(), Value::from(status));
    }
    render_json(&Value::Object(object))
}

/// The one line a person reads on stderr.
pub(crate) fn render_error_line(error: &CliError) -> String {
    match (&error.kind, error.http_status()) {
        (ErrorKind::Usage, _) => format!("error: {}\n", error.message),
        (_, Some(status)) => format!("error: {} (HTTP {status})\n", error.message),
        _ => format!("error: {}\n", error.message),
    }
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
        let net = CliError::network("cannot connect to 127.0.0.1:9: Connection refused");
        assert_eq!(
            render_error_json(&net),
            "{\n  \"error\": \"cannot connect to 127.0.0.1:9: Connection refused\"\n}\n"
        );
    }
}
