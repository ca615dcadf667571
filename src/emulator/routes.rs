//! HTTP glue: the router, the gate every API request passes (faults, then authentication),
//! and one small handler per endpoint. Rules live in `state`, parsing in `params`.

use super::CAPACITY_ERROR_MESSAGE;
use super::clock::{format_ms, month_bounds};
use super::faults::FaultSettings;
use super::params::{self, Params};
use super::reply::{ApiError, json};
use super::service::{Emulator, lock};
use super::state::{self, IssuedKey, new_secret};
use crate::api::model::Availability;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, RawQuery, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json as json_value};
use std::sync::Arc;
use std::time::Duration;

type Emu = State<Arc<Emulator>>;
type ApiResult = Result<Response, ApiError>;

pub fn router(emulator: Arc<Emulator>) -> Router {
    let api = Router::new()
        .route("/machines/createSingleMachinePublic", post(create))
        .route("/machines/getMachines", get(list))
        .route("/machines/getMachinePublic", get(show))
        .route("/machines/getUtilization", get(utilization))
        .route("/machines/getAvailability", get(availability))
        .route("/machines/{id}/start", post(start))
        .route("/machines/{id}/stop", post(stop))
        .route("/machines/{id}/restart", post(restart))
        .route("/machines/{id}/destroyMachine", post(destroy))
        .route("/machines/{id}/updateMachinePublic", post(update))
        .route("/machines/{id}/setMachineAccess", post(set_access))
        .route("/users/login", post(login))
        .route("/apiTokens/createPublic", post(create_api_token))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(emulator.clone(), gate));
    let control = Router::new()
        .route("/__emulator/state", get(control_state))
        .route("/__emulator/reset", post(control_reset))
        .route(
            "/__emulator/faults",
            get(control_faults)
                .post(control_set_faults)
                .delete(control_clear_faults),
        )
        .route("/__emulator/availability", post(control_availability));
    api.merge(control)
        .merge(super::v1_routes::router(emulator.clone()))
        .with_state(emulator)
}

/// Every API request (not the control API) passes here: injected latency and failures first,
/// so a failed request changed nothing; then the API key for `/machines/*` (the login
/// endpoints authenticate themselves).
async fn gate(State(emu): Emu, request: Request, next: Next) -> Response {
    let verdict = lock(&emu.faults).verdict();
    if verdict.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(verdict.delay_ms)).await;
    }
    if let Some(error) = verdict.fail {
        return error.into_response();
    }
    if request.uri().path().starts_with("/machines/") {
        let key = api_key(request.headers());
        if !key.is_some_and(|k| emu.is_valid_key(k)) {
            return ApiError::unauthorized().into_response();
        }
    }
    next.run(request).await
}

/// The first `x-api-key` header (header names are case-insensitive by construction).
fn api_key(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-api-key").and_then(|v| v.to_str().ok())
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
}

/// The `{id}` path segment. A segment that is not valid UTF-8 or is blank is a 400 in the
/// API's shape (axum's own rejection would be plain text).
struct MachineId(String);

impl<S: Send + Sync> FromRequestParts<S> for MachineId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("Invalid machine id: {e}")))?;
        if id.trim().is_empty() {
            return Err(params::missing("machineId"));
        }
        Ok(MachineId(id))
    }
}

/// A POST body as a JSON object (empty body = no parameters). Unreadable, oversized or
/// malformed bodies are 400/413 in the API's shape.
struct Body(Params);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
        params::body_object(&bytes).map(Body)
    }
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

async fn create(State(emu): Emu, Body(p): Body) -> ApiResult {
    let request = params::create_request(&p)?;
    let machine = emu.mutate(|store, ctx| store.create(request, ctx)).await?;
    Ok(json(StatusCode::OK, &machine))
}

async fn start(State(emu): Emu, MachineId(id): MachineId, _: Body) -> ApiResult {
    // The capacity dice are only asked when a start really begins (not for a no-op).
    let capacity_failure = || {
        emu.take_capacity_failure()
            .then(|| CAPACITY_ERROR_MESSAGE.to_string())
    };
    emu.mutate(|store, ctx| store.start(&id, ctx, capacity_failure))
        .await?;
    Ok(no_content())
}

async fn stop(State(emu): Emu, MachineId(id): MachineId, _: Body) -> ApiResult {
    emu.mutate(|store, ctx| store.stop(&id, ctx)).await?;
    Ok(no_content())
}

async fn restart(State(emu): Emu, MachineId(id): MachineId, _: Body) -> ApiResult {
    emu.mutate(|store, ctx| store.restart(&id, ctx)).await?;
    Ok(no_content())
}

async fn destroy(State(emu): Emu, MachineId(id): MachineId, Body(p): Body) -> ApiResult {
    // Validated for its type only: public IPs are not a separate resource here.
    params::opt_bool(&p, "releasePublicIp")?;
    emu.mutate(|store, _| store.destroy(&id)).await?;
    Ok(no_content())
}

async fn update(State(emu): Emu, MachineId(id): MachineId, Body(p): Body) -> ApiResult {
    let request = params::update_request(&p)?;
    let machine = emu
        .mutate(|store, ctx| store.update(&id, request, ctx))
        .await?;
    Ok(json(StatusCode::OK, &machine))
}

async fn set_access(State(emu): Emu, MachineId(id): MachineId, Body(p): Body) -> ApiResult {
    let user_id = params::req_string(&p, "userId")?;
    let enable =
        params::opt_bool(&p, "enableAccess")?.ok_or_else(|| params::missing("enableAccess"))?;
    emu.mutate(|store, _| store.set_access(&id, &user_id, enable))
        .await?;
    Ok(json(
        StatusCode::OK,
        &json_value!({"machineId": id, "userId": user_id, "enableAccess": enable}),
    ))
}

async fn list(State(emu): Emu, RawQuery(query): RawQuery) -> ApiResult {
    let pairs = params::query_pairs(query.as_deref());
    let (skip, limit) = params::paging(&pairs)?;
    let filters: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(key, _)| key != "limit" && key != "skip")
        .collect();
    let machines = emu.read(|store, now| store.list(&filters, skip, limit, now));
    Ok(json(StatusCode::OK, &machines))
}

async fn show(State(emu): Emu, RawQuery(query): RawQuery) -> ApiResult {
    let pairs = params::query_pairs(query.as_deref());
    // Other parameters (waitfor's `state`, stray flags) are ignored, as the API does.
    let id = params::required_query(&pairs, "machineId")?;
    let machine = emu.read(|store, now| {
        store
            .find(id)
            .map(|record| state::render(record, now, true))
    });
    Ok(json(
        StatusCode::OK,
        &machine.ok_or_else(ApiError::not_found)?,
    ))
}

async fn utilization(State(emu): Emu, RawQuery(query): RawQuery) -> ApiResult {
    let pairs = params::query_pairs(query.as_deref());
    let id = params::required_query(&pairs, "machineId")?;
    let month = params::required_query(&pairs, "billingMonth")?;
    let bounds = month_bounds(month).ok_or_else(|| {
        ApiError::bad_request(format!("Invalid billingMonth '{month}': expected YYYY-MM"))
    })?;
    let report = emu.read(|store, now| store.utilization(id, month, bounds, now))?;
    Ok(json(StatusCode::OK, &report))
}

async fn availability(State(emu): Emu, RawQuery(query): RawQuery) -> ApiResult {
    let pairs = params::query_pairs(query.as_deref());
    let region = params::region("region", params::required_query(&pairs, "region")?)?;
    let machine_type = params::machine_type(
        "machineType",
        params::required_query(&pairs, "machineType")?,
    )?;
    let available = emu.availability(region, &machine_type);
    Ok(json(
        StatusCode::OK,
        &Availability {
            available: Some(available),
        },
    ))
}

/// Text of a login field: legacy clients may send a numeric password as a JSON number.
fn login_field(p: &Params, key: &str) -> Option<String> {
    match p.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

async fn login(State(emu): Emu, Body(p): Body) -> ApiResult {
    let failed = || ApiError::new(StatusCode::UNAUTHORIZED, "login failed");
    let email = login_field(&p, "email").ok_or_else(failed)?;
    let password = login_field(&p, "password").ok_or_else(failed)?;
    let users = &emu.config.users;
    if !users.is_empty() && !users.iter().any(|(e, pw)| *e == email && *pw == password) {
        return Err(failed());
    }
    let (token, now) = emu
        .mutate(|store, ctx| {
            let token = new_secret(ctx.rng);
            store.access_tokens.push(token.clone());
            Ok((token, ctx.now))
        })
        .await?;
    Ok(json(
        StatusCode::OK,
        &json_value!({
            "id": token,
            "ttl": 1_209_600,
            "created": format_ms(now),
            "userId": state::ACCOUNT_USER_ID,
        }),
    ))
}

/// Issue an API key, authenticated by an access token from `/users/login` (`?access_token=`)
/// or by a valid API key.
async fn create_api_token(
    State(emu): Emu,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let pairs = params::query_pairs(query.as_deref());
    let by_token = params::query_get(&pairs, "access_token")
        .is_some_and(|t| emu.read(|store, _| store.access_tokens.iter().any(|known| known == t)));
    let by_key = api_key(&headers).is_some_and(|k| emu.is_valid_key(k));
    if !by_token && !by_key {
        return Err(ApiError::unauthorized());
    }
    let p = params::body_object(&body)?;
    let requested_name = params::opt_string(&p, "apiToken")?;
    let issued = emu
        .mutate(|store, ctx| {
            let issued = IssuedKey {
                key: new_secret(ctx.rng),
                name: requested_name
                    .unwrap_or_else(|| format!("paperspace-cli-{}", store.api_keys.len() + 1)),
                dt_created: format_ms(ctx.now),
            };
            store.api_keys.push(issued.clone());
            Ok(issued)
        })
        .await?;
    Ok(json(
        StatusCode::OK,
        &json_value!({"key": issued.key, "name": issued.name}),
    ))
}

async fn control_state(State(emu): Emu) -> Response {
    let faults = lock(&emu.faults).settings();
    let body = emu.read(|store, now| {
        let machines: Vec<_> = store
            .machines
            .iter()
            .map(|record| state::render(record, now, true))
            .collect();
        json_value!({
            "now": format_ms(now),
            "transitionMs": emu.config.transition_ms,
            "machines": machines,
            "faults": faults,
            "store": store,
        })
    });
    json(StatusCode::OK, &body)
}

async fn control_reset(State(emu): Emu) -> ApiResult {
    emu.mutate(|store, _| {
        *store = state::Store::default();
        Ok(())
    })
    .await?;
    let mut faults = lock(&emu.faults);
    *faults = super::faults::Faults::new(emu.config.rng_seed);
    let _ = faults.apply(&emu.config.faults);
    Ok(no_content())
}

async fn control_faults(State(emu): Emu) -> Response {
    let settings = lock(&emu.faults).settings();
    json(StatusCode::OK, &settings)
}

async fn control_set_faults(State(emu): Emu, Body(p): Body) -> ApiResult {
    let settings: FaultSettings = serde_json::from_value(Value::Object(p))
        .map_err(|e| ApiError::bad_request(format!("Invalid fault settings: {e}")))?;
    let mut faults = lock(&emu.faults);
    faults.apply(&settings).map_err(ApiError::bad_request)?;
    Ok(json(StatusCode::OK, &faults.settings()))
}

async fn control_clear_faults(State(emu): Emu) -> Response {
    let mut faults = lock(&emu.faults);
    *faults = super::faults::Faults::new(emu.config.rng_seed);
    json(StatusCode::OK, &faults.settings())
}

async fn control_availability(State(emu): Emu, Body(p): Body) -> ApiResult {
    let region = params::region("region", &params::req_string(&p, "region")?)?;
    let machine_type =
        params::machine_type("machineType", &params::req_string(&p, "machineType")?)?;
    let available =
        params::opt_bool(&p, "available")?.ok_or_else(|| params::missing("available"))?;
    emu.mutate(|store, _| {
        store.set_availability(region, &machine_type, available);
        Ok(())
    })
    .await?;
    Ok(json(
        StatusCode::OK,
        &json_value!({"region": region, "machineType": machine_type, "available": available}),
    ))
}
