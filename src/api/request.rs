//! A request as a value: method, path, query, JSON body, how it authenticates and whether it
//! may be sent again. Built by the planners (`api::legacy`, `api::v1`), sent by `http`, printed
//! by `--dry-run` (`output::curl`); nothing here does I/O.

use super::params::Invocation;
use super::spec::{Check, Resend};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    /// The v1 API's update.
    Put,
    /// The v1 API's start, stop and restart.
    Patch,
    /// The v1 API's destroy and accessor removal.
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// Query pairs, raw (encoded when a request is rendered), in order.
pub type Pairs = Vec<(String, String)>;

/// How a request carries the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `X-Api-Key: <key>`: the legacy API.
    ApiKeyHeader,
    /// `Authorization: Bearer <key>`: the v1 API.
    Bearer,
}

/// Whether the transport may send a request again after a failure that may have come after the
/// request reached the server. Taken from the command table's `Resend` (never from the URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retry {
    /// Sending it twice does no harm.
    Resend,
    /// Sent at most once once it may have arrived; the check, when there is one, is how the
    /// user learns what happened to it.
    Once(Option<Box<OutcomeCheck>>),
}

/// The command that shows whether a request whose answer was lost took effect, and the name or
/// id it asks about (rendered as a command line by `output::curl::check_command`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeCheck {
    pub check: Check,
    pub subject: String,
}

impl Retry {
    /// The retry rule the command table declares for an invocation's main request.
    pub(crate) fn declared(inv: &Invocation) -> Retry {
        match inv.spec.resend {
            Resend::Safe => Retry::Resend,
            Resend::Never(check) => Retry::Once(Some(Box::new(OutcomeCheck {
                check,
                subject: inv.text(check.value_of).unwrap_or_default().to_string(),
            }))),
        }
    }
}

/// RFC 3986: everything but the unreserved characters `A-Z a-z 0-9 - _ . ~` is encoded,
/// so a space is `%20` and `(`, `)`, `+`, `/`, `?`, `#` never change the URL's meaning.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn encode_component(text: &str) -> String {
    if PLACEHOLDERS.contains(&text) {
        return text.to_string();
    }
    utf8_percent_encode(text, RFC3986).to_string()
}

/// Stand-ins for what only an earlier answer will tell, in the paths and queries of a plan:
/// the id of what the first request made (a created machine, a created script)...
pub(crate) const MADE_ID: &str = "{id}";
/// ... the event an action started (v1) ...
pub(crate) const ANSWERED_EVENT: &str = "{event}";
/// ... and the static address of the machine a destroy reads first (v1).
pub(crate) const MACHINE_IP: &str = "{ip}";
/// They are never percent-encoded, so that `--dry-run` shows them as written; the executor
/// fills them in (`ApiRequest::filled`) before anything is sent. No Paperspace id is spelled so.
const PLACEHOLDERS: [&str; 3] = [MADE_ID, ANSWERED_EVENT, MACHINE_IP];

/// The request a command sends: method, path (already encoded), query pairs (raw, encoded
/// when rendered) and the JSON body, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    pub method: HttpMethod,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Map<String, Value>>,
    pub auth: Auth,
    pub retry: Retry,
    /// A file sent as `multipart/form-data` (the legacy `scripts create --scriptFile`); the
    /// request's other parameters are then in its query.
    pub upload: Option<Box<Upload>>,
}

/// A file a request uploads, as the legacy CLI sent one: one form part, named `field`, with
/// the file's name and a content type from its extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub field: &'static str,
    /// The path as the user gave it (what `--dry-run`'s curl line reads).
    pub path: String,
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl ApiRequest {
    /// A read: no body, and safe to send again.
    pub(crate) fn get(auth: Auth, path: String, query: Vec<(String, String)>) -> ApiRequest {
        ApiRequest {
            method: HttpMethod::Get,
            path,
            query,
            body: None,
            auth,
            retry: Retry::Resend,
            upload: None,
        }
    }

    /// `path?k=v&...`, percent-encoded as RFC 3986; no `?` when there is no query.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let pairs: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect();
        format!("{}?{}", self.path, pairs.join("&"))
    }

    /// The body as sent: compact JSON in flag order.
    pub fn body_text(&self) -> Option<String> {
        self.body
            .as_ref()
            .map(|b| serde_json::to_string(b).expect("a JSON map always serialises"))
    }

    /// The request with a placeholder of its path (`MADE_ID`...) filled in by `value`, encoded as
    /// one path segment.
    pub(crate) fn filled(&self, placeholder: &str, value: &str) -> ApiRequest {
        ApiRequest {
            path: self.path.replace(placeholder, &encode_component(value)),
            ..self.clone()
        }
    }

    pub(crate) fn may_resend(&self) -> bool {
        self.retry == Retry::Resend
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_stay_as_written_until_filled_with_an_encoded_value() {
        let poll = ApiRequest::get(
            Auth::Bearer,
            format!("/machines/{}", encode_component(MADE_ID)),
            vec![("machineId".into(), MADE_ID.into())],
        );
        assert_eq!(poll.path_and_query(), "/machines/{id}?machineId={id}");
        assert_eq!(encode_component("{id}x"), "%7Bid%7Dx");
        let filled = poll.filled(MADE_ID, "ps 1/2");
        assert_eq!(filled.path, "/machines/ps%201%2F2");
    }

    #[test]
    fn queries_are_rfc3986_encoded_in_order() {
        let req = ApiRequest::get(
            Auth::ApiKeyHeader,
            "/machines/getMachines".into(),
            vec![
                ("name".into(), "a&b=c+d/e?f ü%".into()),
                ("limit".into(), "10".into()),
            ],
        );
        assert_eq!(
            req.path_and_query(),
            "/machines/getMachines?name=a%26b%3Dc%2Bd%2Fe%3Ff%20%C3%BC%25&limit=10"
        );
        assert!(req.may_resend());
        let bare = ApiRequest::get(Auth::Bearer, "/machines".into(), Vec::new());
        assert_eq!(bare.path_and_query(), "/machines");
    }
}
