//! The HTTP transport: the only module that touches reqwest. It sends an `ApiRequest` to the
//! configured host and hands back a `RawResponse`; deciding what the response means is
//! `api::response`'s job.

use crate::api::request::{ApiRequest, Auth, HttpMethod, Retry, Upload};
use crate::api::response::RawResponse;
use crate::config::Settings;
use crate::error::{CliError, Result};
use crate::output::curl::check_command;
use reqwest::header::{self, HeaderMap, HeaderValue};
use std::io::Write;
use std::time::{Duration, Instant};

/// No answer of the machines API comes near this; a body past it is not one of ours and
/// must not exhaust memory.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Redirects followed at most (same origin only).
const MAX_REDIRECTS: usize = 5;

/// Statuses worth another try: the server asked us to slow down, or a gateway in front of it
/// could not reach it.
const RETRY_STATUSES: &[u16] = &[429, 502, 503, 504];
const TOO_MANY_REQUESTS: u16 = 429;
/// The first pause between tries; it doubles each time, with jitter, up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// A server's `Retry-After` is honoured up to this long.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

pub struct Transport {
    client: reqwest::Client,
    /// The key as `X-Api-Key` and as `Authorization: Bearer` values, both marked sensitive.
    key_headers: Option<(HeaderValue, HeaderValue)>,
    base_url: String,
    request_timeout: Duration,
    connect_timeout: Duration,
    retries: u32,
    debug: bool,
}

/// One try that got no answer: the error, and whether the request may have reached the
/// server (a failure to connect means it did not, so even a create can be tried again).
struct Failure {
    error: CliError,
    may_have_arrived: bool,
    /// Whether another try could go better (not for an answer too large to read).
    worth_retrying: bool,
}

/// One try's answer, with the server's `Retry-After` if it sent one.
struct Answer {
    response: RawResponse,
    retry_after: Option<Duration>,
}

impl Transport {
    /// Build the one client of the process. The key goes into header values marked
    /// sensitive (`X-Api-Key` for the legacy API, `Authorization: Bearer` for v1, chosen per
    /// request); redirects are followed only within the same origin, because reqwest would
    /// otherwise carry `x-api-key` (a custom header) to whatever host a redirect names.
    pub fn new(settings: &Settings) -> Result<Transport> {
        // ring, not aws-lc: installing it here is what `rustls-no-provider` asks of us.
        let _ = rustls::crypto::ring::default_provider().install_default();

        let sensitive = |text: &str| {
            HeaderValue::from_str(text)
                .map(|mut value| {
                    value.set_sensitive(true);
                    value
                })
                .map_err(|_| {
                    CliError::usage(
                        "the API key contains characters that cannot be sent in an HTTP header",
                    )
                })
        };
        let key_headers = match &settings.api_key {
            Some(key) => Some((
                sensitive(key.expose())?,
                sensitive(&format!("Bearer {}", key.expose()))?,
            )),
            None => None,
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));

        let mut builder = reqwest::Client::builder();
        if settings
            .base_url
            .to_ascii_lowercase()
            .starts_with("http://")
        {
            // Plain HTTP (the emulator, a local proxy) never needs the system's CA store, and
            // loading it costs most of a short run (some 150 PEM files). Redirects stay on
            // the same origin, so such a client never reaches an https:// URL.
            let no_roots = rustls::ClientConfig::builder()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth();
            builder = builder.tls_backend_preconfigured(no_roots);
        }
        let client = builder
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
            key_headers,
            base_url: settings.base_url.clone(),
            request_timeout: settings.request_timeout,
            connect_timeout: settings.connect_timeout,
            retries: settings.retries,
            debug: settings.debug,
        })
    }

    pub fn url_for(&self, request: &ApiRequest) -> String {
        format!("{}{}", self.base_url, request.path_and_query())
    }

    /// Send a request, trying again (at most `retries` times, with exponential backoff and
    /// jitter, or after the server's `Retry-After`) when that is safe and worth it: a failure
    /// to connect or a 429, for any request; no answer, 502, 503 or 504, for a request that
    /// may be resent (its `Retry`, from the command table). A request that may not be resent and
    /// whose answer was lost fails with a message saying the outcome is unknown and how to check.
    pub async fn send(&self, request: &ApiRequest) -> Result<RawResponse> {
        let mut tries_left = self.retries;
        let mut attempt: u32 = 0;
        loop {
            let (outcome, retry_after) = match self.send_once(request).await {
                Ok(answer) => {
                    let status = answer.response.status;
                    // A 429 means the request was turned away unread: sending it again is safe
                    // for any request, create included. A gateway's 502/503/504 may come after
                    // the API did the work, so only what may be resent is.
                    let worth_retrying = status == TOO_MANY_REQUESTS
                        || (RETRY_STATUSES.contains(&status) && request.may_resend());
                    let retry_after = answer.retry_after;
                    (Ok(answer.response), worth_retrying.then_some(retry_after))
                }
                Err(failure) => {
                    let worth_retrying = failure.worth_retrying
                        && (!failure.may_have_arrived || request.may_resend());
                    let error = match &request.retry {
                        Retry::Once(check)
                            if failure.may_have_arrived && failure.worth_retrying =>
                        {
                            outcome_unknown(failure.error, check.as_deref().map(check_command))
                        }
                        _ => failure.error,
                    };
                    (Err(error), worth_retrying.then_some(None))
                }
            };
            let Some(retry_after) = retry_after.filter(|_| tries_left > 0) else {
                return outcome;
            };
            let pause = retry_after
                .map(|d| d.min(MAX_RETRY_AFTER))
                .unwrap_or_else(|| backoff(attempt));
            if self.debug {
                let what = match &outcome {
                    Ok(response) => format!("{} {}", response.status, response.reason),
                    Err(error) => error.message.clone(),
                };
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "* {what}: trying again in {} ms ({tries_left} {} left)",
                    pause.as_millis(),
                    if tries_left == 1 { "retry" } else { "retries" }
                );
            }
            tokio::time::sleep(pause).await;
            tries_left -= 1;
            attempt += 1;
        }
    }

    async fn send_once(&self, request: &ApiRequest) -> std::result::Result<Answer, Failure> {
        let url = self.url_for(request);
        let body = request.body_text();
        let started = Instant::now();
        if self.debug {
            trace_request(request, &url, body.as_deref());
        }
        let method = match request.method {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.client.request(method, &url);
        if let Some((api_key, bearer)) = &self.key_headers {
            builder = match request.auth {
                Auth::Bearer => builder.header(header::AUTHORIZATION, bearer.clone()),
                Auth::ApiKeyHeader => builder.header("x-api-key", api_key.clone()),
            };
        }
        if let Some(upload) = &request.upload {
            let (content_type, form) = multipart(upload);
            builder = builder
                .header(header::CONTENT_TYPE, content_type)
                .body(form);
        } else if let Some(body) = body {
            builder = builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let mut response = builder.send().await.map_err(|e| Failure {
            may_have_arrived: !e.is_connect(),
            worth_retrying: true,
            error: self.describe(&e, request),
        })?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        // Sized from Content-Length (bounded), so a large list is not grown by doubling.
        let expected = response.content_length().unwrap_or(0) as usize;
        let mut bytes = Vec::with_capacity(expected.min(MAX_BODY_BYTES));
        while let Some(chunk) = response.chunk().await.map_err(|e| Failure {
            may_have_arrived: true,
            worth_retrying: true,
            error: self.describe(&e, request),
        })? {
            if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                // The server answered, just not with anything we can use: asking again
                // would only bring the same.
                return Err(Failure {
                    may_have_arrived: true,
                    worth_retrying: false,
                    error: CliError::new(
                        crate::error::ErrorKind::Api {
                            status: status.as_u16(),
                        },
                        format!(
                            "the answer to {} {} is larger than {} MiB; stopped reading it",
                            request.method.as_str(),
                            request.path,
                            MAX_BODY_BYTES / (1024 * 1024)
                        ),
                    ),
                });
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
        Ok(Answer {
            response: raw,
            retry_after,
        })
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

/// A `multipart/form-data` body of one file part, as the legacy CLI uploaded a script: the
/// content type (with its boundary) and the bytes. Written here rather than with reqwest's
/// multipart feature, which brings a MIME table larger than this whole function (bench row f1:
/// the binary's size) for the one content type we need, which the upload already names.
fn multipart(upload: &Upload) -> (String, Vec<u8>) {
    let boundary = format!("------------------------{:016x}", fastrand::u64(..));
    // A quote or a line break cannot end the header's quoted name early.
    let filename: String = upload
        .filename
        .chars()
        .map(|c| if c == '"' || c.is_control() { '_' } else { c })
        .collect();
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{filename}\"\r\nContent-Type: {}\r\n\r\n",
        upload.field, upload.content_type
    )
    .into_bytes();
    body.extend_from_slice(&upload.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A request that may have been carried out, whose answer never came: say so, and how to find
/// out.
fn outcome_unknown(error: CliError, check: Option<String>) -> CliError {
    let how = match check {
        Some(command) => format!(": check with `{command}`"),
        None => String::new(),
    };
    CliError::network(format!(
        "{}; the outcome is unknown (it may have been applied){how}",
        error.message
    ))
}

/// Exponential backoff with jitter: 250 ms, 500 ms, 1 s, ... up to 8 s, each drawn from its
/// upper half so that many clients do not retry in step.
fn backoff(attempt: u32) -> Duration {
    let ceiling = FIRST_BACKOFF
        .saturating_mul(2u32.saturating_pow(attempt.min(16)))
        .min(MAX_BACKOFF);
    let half = ceiling / 2;
    half + half.mul_f64(fastrand::f64())
}

/// `Retry-After`: seconds, or an HTTP date (a date in the past means now).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
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
    let header = match request.auth {
        Auth::ApiKeyHeader => "x-api-key: <redacted>",
        Auth::Bearer => "authorization: Bearer <redacted>",
    };
    let _ = writeln!(err, "> {header}");
    if let Some(upload) = &request.upload {
        let _ = writeln!(err, "> content-type: multipart/form-data");
        let _ = writeln!(
            err,
            "> [{}: {}, {} bytes, {}]",
            upload.field,
            upload.filename,
            upload.bytes.len(),
            upload.content_type
        );
    } else if let Some(body) = body {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_its_ceiling() {
        for attempt in 0..20 {
            let pause = backoff(attempt);
            let ceiling = FIRST_BACKOFF * 2u32.pow(attempt.min(10));
            let ceiling = ceiling.min(MAX_BACKOFF);
            assert!(
                pause >= ceiling / 2 && pause <= ceiling,
                "{attempt}: {pause:?}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(20));
        let parsed = parse_retry_after(&soon).unwrap();
        assert!(
            parsed > Duration::from_secs(17) && parsed <= Duration::from_secs(20),
            "{parsed:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
