//! The HTTP layer both APIs share: the one error type, the gate every API request passes
//! (injected faults first, then the API key), the body, path and query extractors, the
//! not-found and method-not-allowed replies, and JSON answers.
//!
//! Handlers and extractors are API-neutral: they fail with an [`ApiError`], whose response
//! carries the error itself. The layer of the router it came through (the [`gate`] of an API,
//! [`render_errors`] for the control API) renders it in that router's [`Api`] shape, so the
//! difference between the two APIs' error bodies is [`Api::render`] and nothing else.

use super::params::{self, Params, Query};
use super::service::{Emulator, lock};
use crate::api::model::ApiErrorBody;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;

/// What every handler answers.
pub(crate) type Answer = Result<Response, ApiError>;

/// An error answer: status, message, the failing fields (v1's `details`: field → problem) and,
/// for injected failures, `Retry-After` seconds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub details: Map<String, Value>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            details: Map::new(),
            retry_after: None,
        }
    }

    /// A 400 about one field: `message`, and `problem` as that field's detail.
    pub(crate) fn invalid(
        field: &str,
        message: impl Into<String>,
        problem: impl Into<String>,
    ) -> ApiError {
        ApiError::bad_request(message).with_detail(field, problem)
    }

    /// The same error, saying also what is wrong with `field` (v1's `details`; the legacy
    /// shape has no room for it, its message says it all).
    pub(crate) fn with_detail(mut self, field: &str, problem: impl Into<String>) -> ApiError {
        self.details
            .insert(field.to_string(), Value::String(problem.into()));
        self
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "No such API token")
    }

    pub(crate) fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "Not found")
    }

    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

/// The error travels in the response's extensions until the router's [`Api`] renders it.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The two APIs the emulator serves, as far as the HTTP layer tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// At `/`: key in `x-api-key` on `/machines/*` (the login endpoints authenticate
    /// themselves); errors `{"error":{"name":"Error","status":N,"message":"..."}}`.
    Legacy,
    /// Under `/v1`: key in `Authorization: Bearer`, everywhere but `/auth/session` (which
    /// answers `null` for a key it does not know); errors
    /// `{"message": "...", "code": "NOT_FOUND"}`, plus `"details": {"<field>": "<problem>"}`
    /// when fields are to blame.
    V1,
}

impl Api {
    /// `error` in this API's shape, with its `Retry-After`.
    pub(crate) fn render(self, error: &ApiError) -> Response {
        let status = error.status;
        let mut response = match self {
            Api::Legacy => json(
                status,
                &ApiErrorBody::new(status.as_u16(), error.message.clone()),
            ),
            Api::V1 => json(status, &V1Error::of(error)),
        };
        if let Some(seconds) = error.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }

    /// The key a request presents in this API's header.
    pub(crate) fn presented_key(self, headers: &HeaderMap) -> Option<&str> {
        match self {
            // The first `x-api-key` header (header names are case-insensitive).
            Api::Legacy => headers.get("x-api-key").and_then(|v| v.to_str().ok()),
            // `Authorization: Bearer <key>`, the scheme in any case.
            Api::V1 => {
                let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
                let (scheme, key) = value.split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then(|| key.trim())
                    .filter(|k| !k.is_empty())
            }
        }
    }

    /// Whether a request to `path` (within its API: v1 paths without `/v1`) must present a
    /// valid key before it is handled.
    fn needs_key(self, path: &str) -> bool {
        match self {
            Api::Legacy => LEGACY_KEYED.iter().any(|prefix| path.starts_with(prefix)),
            // The session answers every caller, `null` for a stranger (docs/v1.md, "Keys and
            // sessions").
            Api::V1 => path != "/auth/session",
        }
    }

    /// Render the error a handler or extractor answered with, if it did.
    fn finish(self, response: Response) -> Response {
        match response.extensions().get::<ApiError>() {
            Some(error) => self.render(error),
            None => response,
        }
    }
}

/// Legacy routes that need an `x-api-key` (the login pair authenticates itself).
const LEGACY_KEYED: &[&str] = &[
    "/machines/",
    "/templates/",
    "/scripts/",
    "/networks/",
    "/users/getUsers",
];

/// The v1 error body: `message`, `code`, and `details` only when it says something.
#[derive(Serialize)]
struct V1Error<'a> {
    message: &'a str,
    code: &'static str,
    #[serde(skip_serializing_if = "Map::is_empty")]
    details: &'a Map<String, Value>,
}

impl<'a> V1Error<'a> {
    fn of(error: &'a ApiError) -> V1Error<'a> {
        V1Error {
            message: &error.message,
            code: trpc_code(error.status),
            details: &error.details,
        }
    }
}

/// The tRPC error code of a status, as the v1 service and its clients spell them
/// (docs/v1.md, "Answers"); a status tRPC has no code for is `BAD_REQUEST` or
/// `INTERNAL_SERVER_ERROR` by its class.
fn trpc_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_SUPPORTED",
        408 => "TIMEOUT",
        409 => "CONFLICT",
        412 => "PRECONDITION_FAILED",
        413 => "PAYLOAD_TOO_LARGE",
        422 => "UNPROCESSABLE_CONTENT",
        429 => "TOO_MANY_REQUESTS",
        499 => "CLIENT_CLOSED_REQUEST",
        501 => "NOT_IMPLEMENTED",
        400..=499 => "BAD_REQUEST",
        _ => "INTERNAL_SERVER_ERROR",
    }
}

/// `routes` as one API: unknown paths and methods answer in its shape, and every request
/// passes its gate.
pub(crate) fn api_router(
    routes: Router<Arc<Emulator>>,
    api: Api,
    emulator: Arc<Emulator>,
) -> Router<Arc<Emulator>> {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state((emulator, api), gate))
}

/// Every API request (not the control API) passes here: injected latency and failures
/// first, so a failed request changed nothing (as a gateway in front of the API would);
/// then the API key; then the handler, whose error is rendered in the API's shape.
async fn gate(
    State((emu, api)): State<(Arc<Emulator>, Api)>,
    request: Request,
    next: Next,
) -> Response {
    let verdict = lock(&emu.faults).verdict();
    if verdict.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(verdict.delay_ms)).await;
    }
    if let Some(error) = verdict.fail {
        return api.render(&error);
    }
    if api.needs_key(request.uri().path())
        && !api
            .presented_key(request.headers())
            .is_some_and(|k| emu.is_valid_key(k))
    {
        return api.render(&ApiError::unauthorized());
    }
    api.finish(next.run(request).await)
}

/// For a router without a gate (the control API): its errors in `api`'s shape.
pub(crate) async fn render_errors(State(api): State<Api>, response: Response) -> Response {
    api.finish(response)
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}

/// A JSON answer. Serialisation of our own types cannot fail in practice; if it ever does the
/// client still gets a well-formed 500 instead of a dropped connection.
pub(crate) fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            bytes,
        )
            .into_response(),
        Err(err) => ApiError::internal(format!("serialisation failed: {err}")).into_response(),
    }
}

/// A JSON array of what an iterator yields, each item serialised as it comes, so a long
/// list never exists whole in memory besides its bytes.
pub(crate) struct Streamed<I>(std::cell::RefCell<Option<I>>);

impl<I> Streamed<I> {
    pub(crate) fn new(items: I) -> Streamed<I> {
        Streamed(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Streamed<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        s.collect_seq(items.into_iter().flatten())
    }
}

/// `200` with `value`.
pub(crate) fn ok<T: Serialize>(value: &T) -> Answer {
    Ok(json(StatusCode::OK, value))
}

pub(crate) fn no_content() -> Answer {
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A request body as a JSON object (an empty body is no parameters). Unreadable, oversized
/// or malformed bodies are 400/413 in the API's shape (axum's own rejections are plain text).
pub(crate) struct Body(pub Params);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let RawBody(bytes) = RawBody::from_request(request, state).await?;
        params::body_object(&bytes).map(Body)
    }
}

/// A request body as it came, its size limit and read errors in the API's shape.
pub(crate) struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        Bytes::from_request(request, state)
            .await
            .map(RawBody)
            .map_err(|e| ApiError::new(e.status(), e.body_text()))
    }
}

/// The `N` parameters of the path (`{machineId}`, `{userId}`, ...), in order. One that is not
/// valid UTF-8 is a 400, and so is a blank one, naming the parameter.
pub(crate) struct PathIds<const N: usize>(pub [String; N]);

/// The `{machineId}` of a path.
pub(crate) type MachineId = PathIds<1>;

impl<S: Send + Sync, const N: usize> FromRequestParts<S> for PathIds<N> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(named) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("Invalid path parameter: {e}")))?;
        if let Some((name, _)) = named.iter().find(|(_, value)| value.trim().is_empty()) {
            return Err(params::missing(name));
        }
        let values: Vec<String> = named.into_iter().map(|(_, value)| value).collect();
        values
            .try_into()
            .map(PathIds)
            .map_err(|_| ApiError::internal("route and handler disagree on the path"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Query::parse(parts.uri.query()))
    }
}
