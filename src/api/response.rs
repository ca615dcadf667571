//! Pure response decoding: a received HTTP response in, the JSON to print or a `CliError` out.
//! The rules are docs/compatibility.md's ("Output", "Errors", "Honest errors"): honest messages, the real HTTP status,
//! never a whole HTML page, never a silent success on a body we cannot read.

use crate::error::{ApiDetail, CliError, ErrorKind, Result};
use serde_json::Value;
use serde_json::value::RawValue;

/// What the transport hands back: everything decoding needs, nothing reqwest-specific.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    /// The canonical reason phrase of the status (`Not Found`), or empty if it has none.
    pub reason: String,
    /// The `Location` header of a redirect that was not followed.
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// The longest excerpt of a non-JSON body that goes into a message.
const EXCERPT_CHARS: usize = 160;

/// Decode a v1 response: as `decode`, and a 2xx whose body is an error object (`code` and
/// `message`, and at most one more key: what pspace's client takes for an error, docs/v1.md)
/// is that error.
pub(crate) fn decode_v1(resp: RawResponse) -> Result<String> {
    if (200..300).contains(&resp.status)
        && let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&resp.body)
        && body.len() <= 3
        && body.get("code").is_some_and(Value::is_string)
        && body.get("message").is_some_and(Value::is_string)
    {
        let body = Value::Object(body);
        let message = api_message(&body).unwrap_or_else(|| reason_or_status(&resp));
        return Err(CliError::new(
            ErrorKind::Api {
                status: resp.status,
            },
            message,
        )
        .with_detail(api_detail(&body)));
    }
    decode(resp)
}

/// Decode a response: the JSON text of a 2xx, checked to be JSON (an empty body reads as
/// `{}`), or the error the user should see. The text is kept as sent so output can print
/// every number verbatim. Takes the response by value: a large list is not copied.
pub fn decode(resp: RawResponse) -> Result<String> {
    let text_is_blank = resp.body.iter().all(u8::is_ascii_whitespace);
    if (200..300).contains(&resp.status) {
        if text_is_blank {
            return Ok("{}".to_string());
        }
        let problem = match std::str::from_utf8(&resp.body) {
            Err(e) => Some(e.to_string()),
            Ok(text) => serde_json::from_str::<&RawValue>(text)
                .err()
                .map(|e| e.to_string()),
        };
        let Some(e) = problem else {
            return Ok(String::from_utf8(resp.body).expect("checked to be UTF-8 above"));
        };
        return Err({
            CliError::new(
                ErrorKind::Api {
                    status: resp.status,
                },
                format!(
                    "the API answered {} but its body is not JSON ({e}): {}",
                    status_line(&resp),
                    excerpt(&resp.body)
                ),
            )
        });
    }
    Err(error_from_response(&resp))
}

fn status_line(resp: &RawResponse) -> String {
    if resp.reason.is_empty() {
        resp.status.to_string()
    } else {
        format!("{} {}", resp.status, resp.reason)
    }
}

/// The error for a non-2xx answer: the message the API gave (`error.message`, `message`, or a
/// string `error`), else a short excerpt of a non-JSON body, else the reason phrase.
pub(crate) fn error_from_response(resp: &RawResponse) -> CliError {
    let kind = match resp.status {
        401 | 403 => ErrorKind::Auth {
            status: Some(resp.status),
        },
        status => ErrorKind::Api { status },
    };
    if (300..400).contains(&resp.status) {
        let target = resp.location.as_deref().unwrap_or("an unnamed location");
        return CliError::new(
            kind,
            format!(
                "the API answered {} redirecting to {target}; not followed, so the API key only goes to the configured host",
                status_line(resp)
            ),
        );
    }
    let (message, detail) = match serde_json::from_slice::<Value>(&resp.body) {
        // A JSON body without a message says nothing more than the status does.
        Ok(body) => (
            Some(api_message(&body).unwrap_or_else(|| reason_or_status(resp))),
            api_detail(&body),
        ),
        Err(_) => (None, ApiDetail::default()),
    };
    let message = message.unwrap_or_else(|| {
        let text = excerpt(&resp.body);
        if text.is_empty() {
            reason_or_status(resp)
        } else {
            format!("{}: {text}", status_line(resp))
        }
    });
    CliError::new(kind, message).with_detail(detail)
}

fn reason_or_status(resp: &RawResponse) -> String {
    if resp.reason.is_empty() {
        format!("HTTP {}", resp.status)
    } else {
        resp.reason.clone()
    }
}

/// The message of a JSON error body, in the order the API's clients look for it.
fn api_message(body: &Value) -> Option<String> {
    let non_empty = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    non_empty(body.pointer("/error/message"))
        .or_else(|| non_empty(body.get("message")))
        .or_else(|| non_empty(body.get("error")))
}

/// v1's `code` and `details` (or the `issues` some of its errors carry, docs/v1.md).
fn api_detail(body: &Value) -> ApiDetail {
    ApiDetail {
        code: body
            .get("code")
            .and_then(Value::as_str)
            .filter(|code| !code.trim().is_empty())
            .map(str::to_string),
        details: ["details", "issues"]
            .iter()
            .filter_map(|key| body.get(*key))
            .find(|value| !value.is_null())
            .cloned(),
    }
}

/// The first line of text of a body, with HTML tags removed and length bounded: enough to
/// recognise a proxy's error page without printing all of it.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut plain = String::with_capacity(text.len().min(4096));
    let mut in_tag = false;
    for ch in text.chars().take(64 * 1024) {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push('\n');
            }
            _ if !in_tag => plain.push(ch),
            _ => {}
        }
    }
    let line = plain
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    if line.chars().count() > EXCERPT_CHARS {
        let cut: String = line.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}…")
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, reason: &str, body: &str) -> RawResponse {
        RawResponse {
            status,
            reason: reason.into(),
            location: None,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn empty_success_reads_as_an_empty_object_and_json_is_kept_verbatim() {
        assert_eq!(decode(resp(204, "No Content", "")).unwrap(), "{}");
        assert_eq!(decode(resp(200, "OK", " \n")).unwrap(), "{}");
        assert_eq!(decode(resp(200, "OK", "null")).unwrap(), "null");
        let text = r#"{"b":1.0,"a":12345678901234567890,"1":-0.0}"#;
        assert_eq!(decode(resp(200, "OK", text)).unwrap(), text);
        let bad_utf8 = RawResponse {
            body: vec![b'"', 0xff, b'"'],
            ..resp(200, "OK", "")
        };
        assert_eq!(decode(bad_utf8).unwrap_err().exit_code(), 1);
    }

    #[test]
    fn a_success_that_is_not_json_is_an_api_error() {
        let err = decode(resp(200, "OK", "<html><body>hello</body></html>")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Api { status: 200 });
        assert!(
            err.message
                .starts_with("the API answered 200 OK but its body is not JSON"),
            "{}",
            err.message
        );
        assert!(err.message.ends_with(": hello"), "{}", err.message);
    }

    #[test]
    fn error_messages_come_from_the_body_in_the_documented_order() {
        let cases = [
            (
                r#"{"error":{"name":"Error","status":422,"message":"Invalid machineType"}}"#,
                "Invalid machineType",
            ),
            (
                r#"{"status":400,"message":"Validation failed"}"#,
                "Validation failed",
            ),
            (
                r#"{"error":"Access denied for this key"}"#,
                "Access denied for this key",
            ),
            (r#"{"unexpected":true}"#, "Bad Request"),
        ];
        for (body, want) in cases {
            let err = decode(resp(400, "Bad Request", body)).unwrap_err();
            assert_eq!(err.message, want);
            assert_eq!(
                err.http_status(),
                Some(400),
                "the real status wins over the body's"
            );
        }
    }

    #[test]
    fn a_v1_error_object_in_a_success_is_an_error_and_codes_and_details_are_kept() {
        let err = decode_v1(resp(
            200,
            "OK",
            r#"{"code":"NOT_FOUND","message":"No such machine"}"#,
        ))
        .unwrap_err();
        assert_eq!(
            (err.kind.clone(), err.message.as_str()),
            (ErrorKind::Api { status: 200 }, "No such machine")
        );
        assert_eq!(err.detail.unwrap().code.as_deref(), Some("NOT_FOUND"));
        // A machine happens to have a `message`-less shape; more keys are an answer.
        for answer in [
            r#"{"code":"x","message":"y","a":1,"b":2}"#,
            r#"{"id":"ps1"}"#,
            r#"{"code":1,"message":"y"}"#,
        ] {
            assert!(decode_v1(resp(200, "OK", answer)).is_ok(), "{answer}");
        }
        let err = decode(resp(
            400,
            "Bad Request",
            r#"{"message":"Invalid","code":"BAD_REQUEST","details":{"diskSize":"Required"}}"#,
        ))
        .unwrap_err();
        let detail = err.detail.unwrap();
        assert_eq!(detail.code.as_deref(), Some("BAD_REQUEST"));
        assert_eq!(detail.details.unwrap()["diskSize"], "Required");
        let legacy = decode(resp(
            404,
            "Not Found",
            r#"{"error":{"name":"Error","status":404,"message":"Not found"}}"#,
        ))
        .unwrap_err();
        assert_eq!(legacy.detail, None);
    }

    #[test]
    fn auth_statuses_map_to_the_auth_kind() {
        for status in [401, 403] {
            let err = decode(resp(
                status,
                "x",
                r#"{"error":{"message":"No such API token"}}"#,
            ))
            .unwrap_err();
            assert_eq!(err.exit_code(), 4);
            assert_eq!(err.http_status(), Some(status));
        }
    }

    #[test]
    fn non_json_error_pages_become_one_short_line() {
        let page = format!(
            "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
            "x".repeat(5000)
        );
        let err = decode(resp(502, "Bad Gateway", &page)).unwrap_err();
        assert_eq!(err.message, "502 Bad Gateway: 502 Bad Gateway");
        let err = decode(resp(502, "Bad Gateway", "")).unwrap_err();
        assert_eq!(err.message, "Bad Gateway");
        let err = decode(resp(
            401,
            "Unauthorized",
            "Access denied: token revoked\nmore",
        ))
        .unwrap_err();
        assert_eq!(
            err.message,
            "401 Unauthorized: Access denied: token revoked"
        );
        let long = decode(resp(500, "Internal Server Error", &"y".repeat(1000))).unwrap_err();
        assert!(long.message.chars().count() < 200);
        let bytes = RawResponse {
            body: vec![0xff, 0xfe, b'o', b'k'],
            ..resp(500, "Internal Server Error", "")
        };
        assert!(decode(bytes).unwrap_err().message.contains("ok"));
    }

    #[test]
    fn unfollowed_redirects_say_where_they_pointed() {
        let r = RawResponse {
            location: Some("https://elsewhere.example/x".into()),
            ..resp(302, "Found", "")
        };
        let err = decode(r).unwrap_err();
        assert_eq!(err.exit_code(), 1);
        assert!(err.message.contains("https://elsewhere.example/x"));
    }
}
