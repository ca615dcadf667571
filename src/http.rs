//! The HTTP transport: the only module that touches reqwest. It sends an `ApiRequest` to the
//! configured host and hands back a `RawResponse`; deciding what the response means is
//! `api::response`'s job.

use crate::api::request::ApiRequest;
use crate::api::response::RawResponse;
use crate::api::spec::HttpMethod;
use crate::config::Settings;
use crate::error::{CliError, Result};
use reqwest::header::{self, HeaderMap, HeaderValue};
use std::io::Write;
use std::time::{Duration, Instant};

/// No answer of the machines API comes near this; a body past it is not one of ours and
/// must not exhaust memory.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Redirects followed at most (same origin only).
const MAX_REDIRECTS: usize = 5;

pub struct Transport {
    client: reqwest::Client,
    base_url: String,
    request_timeout: Duration,
    connect_timeout: Duration,
    debug: bool,
}

impl Transport {
    /// Build the one client of the process. The key goes into a default header marked
    /// sensitive; redirects are followed only within the same origin, because reqwest would
    /// otherwise carry `x-api-key` (a custom header) to whatever host a redirect names.
    pub fn new(settings: &Settings) -> Result<Transport> {
        // ring, not aws-lc: installing it here is what `rustls-no-provider` asks of us.
        let _ = rustls::crypto::ring::default_provider().install_default();

        let mut headers = HeaderMap::new();
        if let Some(api_key) = &settings.api_key {
            let mut key = HeaderValue::from_str(api_key.expose()).map_err(|_| {
                CliError::usage(
                    "the API key contains characters that cannot be sent in an HTTP header",
                )
            })?;
            key.set_sensitive(true);
            headers.insert("x-api-key", key);
        }
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));

        let client = reqwest::Client::builder()
            .user_agent(concat!("paperspace-cli/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                let origin = attempt.previous().first().map(origin_of);
                if attempt.previous().len() > MAX_REDIRECTS {
                    attempt.stop()
                } else if origin.as_ref() == Some(&origin_of(attempt.url())) {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            }))
            .build()
            .map_err(|e| CliError::internal(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Transport {
            client,
            base_url: settings.base_url.clone(),
            request_timeout: settings.request_timeout,
            connect_timeout: settings.connect_timeout,
            debug: settings.debug,
        })
    }

    pub fn url_for(&self, request: &ApiRequest) -> String {
        format!("{}{}", self.base_url, request.path_and_query())
    }

    pub async fn send(&self, request: &ApiRequest) -> Result<RawResponse> {
        let url = self.url_for(request);
        let body = request.body_text();
        let started = Instant::now();
        if self.debug {
            trace_request(request, &url, body.as_deref());
        }
        let mut builder = match request.method {
            HttpMethod::Get => self.client.get(&url),
            HttpMethod::Post => self.client.post(&url),
        };
        if let Some(body) = body {
            builder = builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let mut response = builder
            .send()
            .await
            .map_err(|e| self.describe(&e, request))?;
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.describe(&e, request))?
        {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(CliError::network(format!(
                    "the answer to {} {} is larger than {} MiB; stopped reading it",
                    request.method.as_str(),
                    request.path,
                    MAX_BODY_BYTES / (1024 * 1024)
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        let raw = RawResponse {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_string(),
            location,
            body: bytes,
        };
        if self.debug {
            trace_response(&raw, started.elapsed());
        }
        Ok(raw)
    }

    /// A one-line message for a request that got no (complete) answer.
    fn describe(&self, error: &reqwest::Error, request: &ApiRequest) -> CliError {
        let what = format!("{} {}", request.method.as_str(), request.path);
        let host = host_of(&self.base_url);
        let cause = root_cause(error);
        if error.is_timeout() {
            if error.is_connect() {
                return CliError::network(format!(
                    "could not connect to {host} within {} (change it with --connect-timeout)",
                    seconds(self.connect_timeout)
                ));
            }
            return CliError::network(format!(
                "{what} timed out after {} (change it with --request-timeout)",
                seconds(self.request_timeout)
            ));
        }
        if error.is_connect() {
            return CliError::network(format!("cannot connect to {host}: {cause}"));
        }
        CliError::network(format!("{what} to {host} failed: {cause}"))
    }
}

fn seconds(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

/// scheme://host:port, the unit a redirect may stay within.
fn origin_of(url: &reqwest::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

fn host_of(base_url: &str) -> String {
    reqwest::Url::parse(base_url)
        .ok()
        .and_then(|u| {
            let host = u.host_str()?.to_string();
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| base_url.to_string())
}

/// The innermost cause of an error chain: "Connection refused (os error 111)" rather than
/// "error sending request for url (...)".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

fn trace_request(request: &ApiRequest, url: &str, body: Option<&str>) {
    let mut err = std::io::stderr().lock();
    // A login's access token travels in the query: never print it.
    let url = match url.split_once("access_token=") {
        Some((before, after)) => {
            let rest = after.find('&').map(|i| &after[i..]).unwrap_or("");
            format!("{before}access_token=<redacted>{rest}")
        }
        None => url.to_string(),
    };
    let _ = writeln!(err, "> {} {url}", request.method.as_str());
    let _ = writeln!(err, "> x-api-key: <redacted>");
    if let Some(body) = body {
        let _ = writeln!(err, "> content-type: application/json");
        let _ = writeln!(err, "> {body}");
    }
}

fn trace_response(response: &RawResponse, elapsed: Duration) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "< {} {} ({} ms, {} bytes)",
        response.status,
        response.reason,
        elapsed.as_millis(),
        response.body.len()
    );
}
