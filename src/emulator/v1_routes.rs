//! The live Paperspace API (v1) under `/v1`, on the same store, lifecycle, faults and state
//! file as the legacy routes: a machine made through one API is visible through the other.
//!
//! Every answer serialises the shared types of [`crate::api::v1`] (so the client's `--api v1`
//! backend and this emulator cannot drift); errors are `{"message": "...", "code": "..."}`.
//! Authentication is `Authorization: Bearer <key>` with the legacy key rules. List cursors
//! (`nextPage`, `after`) are the offset of the next item, as text.
//!
//! The v1 view of a legacy record: `autoShutdownTimeout` is `shutdownTimeoutInHours` (null =
//! auto-shutdown disabled), `autoSnapshotFrequency` `hour` is `hourly` and so on,
//! `publicIpType` is `dynamic` for `dynamicPublicIp`, else `static` when a public IP is
//! assigned, else `none`; event ids are the legacy event handles, and a legacy `new` event
//! (under way) is `in progress`.

use super::CAPACITY_ERROR_MESSAGE;
use super::catalog::{storage_bytes, storage_monthly_rate, type_spec};
use super::clock::format_ms;
use super::lifecycle;
use super::params::{self, Params};
use super::reply::{ApiError, json};
use super::service::{Emulator, lock};
use super::state::{self, CreateRequest, Ctx, MachineRecord, new_handle};
use crate::api::model::MachineEvent;
use crate::api::v1::wire::{Accelerator, ActionAnswer, ErrorBody, Event, Machine, Page};
use crate::vocab::{MachineState, Region, SnapshotFrequency};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, RawQuery, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json as json_value};
use std::sync::Arc;
use std::time::Duration;

type Emu = State<Arc<Emulator>>;
type V1Result = Result<Response, V1Error>;

/// Default and largest `limit` of the list endpoints.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 120;

const REGION_CODES: &[&str] = &["ny2", "ca1", "ams1"];
use crate::vocab::{PUBLIC_IP_TYPES, REGIONS, RESTORE_POINT_FREQUENCIES, V1_SNAPSHOT_FREQUENCIES};

/// Properties of `POST /machines` (`additionalProperties: false`).
const CREATE_KEYS: &[&str] = &[
    "name",
    "machineType",
    "templateId",
    "diskSize",
    "region",
    "networkId",
    "publicIpType",
    "autoSnapshotEnabled",
    "autoSnapshotFrequency",
    "autoSnapshotSaveCount",
    "autoShutdownEnabled",
    "autoShutdownTimeout",
    "autoShutdownForce",
    "takeInitialSnapshot",
    "restorePointEnabled",
    "restorePointFrequency",
    "startupScriptId",
    "emailPassword",
    "startOnCreate",
    "enableNvlink",
    "accessorIds",
];

/// Properties of `PUT /machines/{id}` (`additionalProperties: false`).
const UPDATE_KEYS: &[&str] = &[
    "name",
    "machineType",
    "diskSize",
    "networkId",
    "publicIpType",
    "autoSnapshotEnabled",
    "autoSnapshotFrequency",
    "autoSnapshotSaveCount",
    "autoShutdownEnabled",
    "autoShutdownTimeout",
    "autoShutdownForce",
    "restorePointEnabled",
    "restorePointFrequency",
    "restorePointSnapshotId",
];

/// Create parameters with no field of their own in the machine; kept as given.
const CREATE_EXTRAS: &[&str] = &["takeInitialSnapshot", "emailPassword", "enableNvlink"];

pub fn router(emulator: Arc<Emulator>) -> Router<Arc<Emulator>> {
    let v1 = Router::new()
        .route("/machines", get(list).post(create))
        .route("/machines/{id}", get(show).put(update).delete(destroy))
        .route("/machines/{id}/start", patch(start))
        .route("/machines/{id}/stop", patch(stop))
        .route("/machines/{id}/restart", patch(restart))
        .route(
            "/machines/{id}/accessors",
            get(list_accessors).post(add_accessor),
        )
        .route(
            "/machines/{id}/accessors/{user_id}",
            get(show_accessor).delete(remove_accessor),
        )
        .route("/machine-events", get(list_events))
        .route("/machine-events/{id}", get(show_event))
        .route("/machine-availability", get(availability))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(emulator, gate));
    Router::new().nest("/v1", v1)
}

/// An error in v1's shape: `{"message": "...", "code": "BAD_REQUEST"}` (plus `Retry-After`
/// for injected failures that carry one).
#[derive(Debug)]
pub struct V1Error(ApiError);

impl From<ApiError> for V1Error {
    fn from(error: ApiError) -> V1Error {
        V1Error(error)
    }
}

fn bad_request(message: impl Into<String>) -> V1Error {
    V1Error(ApiError::bad_request(message))
}

/// `NOT_FOUND`, `TOO_MANY_REQUESTS`, ...: the status's reason in upper snake case.
fn error_code(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("ERROR")
        .to_ascii_uppercase()
        .replace([' ', '-'], "_")
        .replace('\'', "")
}

impl IntoResponse for V1Error {
    fn into_response(self) -> Response {
        let ApiError {
            status,
            message,
            retry_after,
        } = self.0;
        let body = ErrorBody {
            message,
            code: error_code(status),
        };
        let mut response = json(status, &body);
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Every v1 request: injected latency and failures first (so a failed request changed
/// nothing), then the bearer key.
async fn gate(State(emu): Emu, request: Request, next: Next) -> Response {
    let verdict = lock(&emu.faults).verdict();
    if verdict.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(verdict.delay_ms)).await;
    }
    if let Some(error) = verdict.fail {
        return V1Error(error).into_response();
    }
    if !bearer_key(request.headers()).is_some_and(|k| emu.is_valid_key(k)) {
        return V1Error(ApiError::unauthorized()).into_response();
    }
    next.run(request).await
}

/// The key of `Authorization: Bearer <key>` (scheme case-insensitive).
fn bearer_key(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, key) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| key.trim())
        .filter(|k| !k.is_empty())
}

async fn not_found() -> V1Error {
    V1Error(ApiError::not_found())
}

async fn method_not_allowed() -> V1Error {
    V1Error(ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
    ))
}

/// Path parameters, with a v1-shaped 400 for a segment that cannot be read.
struct PathParams<T>(T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = V1Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, V1Error> {
        let Path(value) = Path::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| bad_request(format!("Invalid path parameter: {e}")))?;
        Ok(PathParams(value))
    }
}

/// A JSON object body (an empty body is an empty object).
struct Body(Params);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = V1Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, V1Error> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| V1Error(ApiError::new(e.status(), e.body_text())))?;
        Ok(Body(params::body_object(&bytes)?))
    }
}

fn ok<T: Serialize>(value: &T) -> V1Result {
    Ok(json(StatusCode::OK, value))
}

// ---------------------------------------------------------------------------------------
// Rendering: legacy records as v1 machines and events.

/// GPU memory in bytes of the dedicated GPUs of the catalog.
fn gpu_memory(gpu: &str) -> Option<u64> {
    const GIB: u64 = 1024 * 1024 * 1024;
    Some(match gpu {
        "Quadro M4000" | "Quadro P4000" => 8 * GIB,
        "Quadro P5000" | "Tesla V100" => 16 * GIB,
        "Quadro P6000" => 24 * GIB,
        _ => return None,
    })
}

fn number(text: &str) -> Option<Value> {
    if let Ok(n) = text.parse::<u64>() {
        return Some(Value::from(n));
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

fn v1_frequency(legacy: &str) -> String {
    SnapshotFrequency::from_legacy(legacy)
        .map_or(legacy, |f| f.v1)
        .to_string()
}

fn legacy_frequency(v1: &str) -> Option<String> {
    SnapshotFrequency::from_v1(v1).map(|f| f.legacy.to_string())
}

/// The machine as v1 shows it at `now`.
fn machine(record: &MachineRecord, now: i64) -> Machine {
    let m = state::render(record, now, false);
    let spec = m.machine_type.as_deref().and_then(type_spec);
    let public_ip_type = if m.dynamic_public_ip == Some(true) {
        "dynamic"
    } else if record.machine.public_ip_address.is_some() {
        "static"
    } else {
        "none"
    };
    let accelerators = spec
        .filter(|s| s.dedicated_gpu)
        .map(|s| Accelerator {
            name: Some(s.gpu.to_string()),
            memory: gpu_memory(s.gpu).map(Value::from),
            count: Some(Value::from(1)),
        })
        .into_iter()
        .collect();
    Machine {
        id: m.id,
        name: m.name,
        state: m.state.as_ref().map(|s| s.as_str().to_string()),
        os: m.os,
        machine_type: m.machine_type,
        agent_type: m.agent_type,
        cpus: m.cpus.map(Value::from),
        ram: m.ram.as_deref().and_then(number),
        storage_total: m.storage_total.as_deref().and_then(number),
        storage_used: m.storage_used.as_deref().and_then(number),
        accelerators: Some(accelerators),
        region: m
            .region
            .as_deref()
            .map(|r| Region::find(r).map_or(r, |region| region.code).to_string()),
        private_ip: m.private_ip_address,
        network_id: m.network_id,
        public_ip: m.public_ip_address,
        public_ip_type: Some(public_ip_type.to_string()),
        auto_shutdown_enabled: Some(m.shutdown_timeout_in_hours.is_some()),
        auto_shutdown_timeout: m.shutdown_timeout_in_hours.map(Value::from),
        auto_shutdown_force: Some(m.shutdown_timeout_forces.unwrap_or(false)),
        auto_snapshot_enabled: Some(m.perform_auto_snapshot.unwrap_or(false)),
        auto_snapshot_frequency: m.auto_snapshot_frequency.as_deref().map(v1_frequency),
        auto_snapshot_save_count: m.auto_snapshot_save_count.map(Value::from),
        updates_pending: Some(m.updates_pending.unwrap_or(false)),
        restore_point_enabled: Some(m.restore_point_frequency.is_some()),
        restore_point_frequency: m.restore_point_frequency,
        restore_point_snapshot_id: m.restore_point_snapshot_id,
        usage_rate: spec.and_then(|s| number(s.hourly_rate)),
        storage_rate: number(&storage_monthly_rate(record.size_gb)),
        dt_created: m.dt_created,
        dt_modified: Some(format_ms(record.modified_at())),
        dt_deleted: None,
        reservation: None,
    }
}

fn event(e: &MachineEvent, machine_id: &str) -> Event {
    let state = match e.state.as_deref() {
        Some("new") | None => "in progress",
        Some(other) => other,
    };
    Event {
        id: e.handle.clone(),
        name: e.name.clone(),
        state: Some(state.to_string()),
        machine_id: Some(machine_id.to_string()),
        dt_created: e.dt_created.clone(),
        dt_started: e.dt_created.clone(),
        dt_finished: e.dt_finished.clone(),
        error: e.error_msg.clone().filter(|m| !m.is_empty()),
    }
}

/// The events of a machine at `now`, oldest first, each with the instant it began.
fn record_events(record: &MachineRecord, now: i64) -> Vec<(i64, Event)> {
    let id = record.machine.id.as_deref().unwrap_or_default();
    let mut events: Vec<(i64, Event)> = lifecycle::events(&record.actions, now)
        .iter()
        .map(|e| {
            let started = record
                .actions
                .iter()
                .find(|a| Some(&a.handle) == e.handle.as_ref())
                .map_or(0, |a| a.started_ms);
            (started, event(e, id))
        })
        .collect();
    events.reverse();
    events
}

/// An event for something that finished at once and left no action behind (a no-op start
/// or stop, a delete).
fn instant_event(name: &str, machine_id: &str, ctx: &mut Ctx) -> Event {
    let now = Some(format_ms(ctx.now));
    Event {
        id: Some(new_handle(ctx.rng)),
        name: Some(name.to_string()),
        state: Some("done".to_string()),
        machine_id: Some(machine_id.to_string()),
        dt_created: now.clone(),
        dt_started: now.clone(),
        dt_finished: now,
        error: None,
    }
}

/// The answer of a lifecycle action: the event of the action it recorded; for a no-op, the
/// latest event if it is of the same kind and did not fail, else an instant `done` event.
fn action_answer(
    id: &str,
    actions_before: usize,
    name: &str,
    store: &state::Store,
    ctx: &mut Ctx,
) -> ActionAnswer {
    let Some(record) = store.find(id) else {
        return ActionAnswer::default();
    };
    let latest = record_events(record, ctx.now).pop().map(|(_, e)| e);
    let event = if record.actions.len() > actions_before {
        latest
    } else {
        latest.filter(|e| e.name.as_deref() == Some(name) && e.state.as_deref() != Some("error"))
    };
    ActionAnswer {
        event: Some(event.unwrap_or_else(|| instant_event(name, id, ctx))),
        data: Some(machine(record, ctx.now)),
    }
}

// ---------------------------------------------------------------------------------------
// Parameters.

fn one_of(key: &str, value: &str, accepted: &[&str]) -> V1Error {
    bad_request(format!(
        "Invalid {key} '{value}': expected one of {}",
        accepted.join(", ")
    ))
}

fn check_known_keys(p: &Params, accepted: &[&str]) -> Result<(), V1Error> {
    match p.keys().find(|k| !accepted.contains(&k.as_str())) {
        Some(key) => Err(bad_request(format!(
            "Unknown property `{key}`: accepted properties are {}",
            accepted.join(", ")
        ))),
        None => Ok(()),
    }
}

fn opt_enum(p: &Params, key: &str, accepted: &[&str]) -> Result<Option<String>, V1Error> {
    match params::opt_string(p, key)? {
        Some(value) if !accepted.contains(&value.as_str()) => Err(one_of(key, &value, accepted)),
        other => Ok(other),
    }
}

/// A region code (`ny2`, `ca1`, `ams1`) as the legacy long name.
fn region(key: &str, code: &str) -> Result<&'static str, V1Error> {
    REGIONS
        .iter()
        .find(|r| r.code == code)
        .map(|r| r.name)
        .ok_or_else(|| one_of(key, code, REGION_CODES))
}

fn disk_size(p: &Params) -> Result<Option<u64>, V1Error> {
    match params::opt_count(p, "diskSize")? {
        Some(0) => Err(bad_request(
            "Invalid diskSize 0: expected a whole number of GB, at least 1",
        )),
        other => Ok(other),
    }
}

/// Settings shared by create and update; `None` leaves a field alone.
#[derive(Debug, Default)]
struct Settings {
    name: Option<String>,
    machine_type: Option<String>,
    disk_size: Option<u64>,
    network_id: Option<String>,
    public_ip_type: Option<String>,
    auto_snapshot_enabled: Option<bool>,
    /// Legacy spelling (`hour`, ...).
    auto_snapshot_frequency: Option<String>,
    auto_snapshot_save_count: Option<u64>,
    auto_shutdown_enabled: Option<bool>,
    auto_shutdown_timeout: Option<u64>,
    auto_shutdown_force: Option<bool>,
    restore_point_enabled: Option<bool>,
    restore_point_frequency: Option<String>,
    restore_point_snapshot_id: Option<String>,
}

fn settings(p: &Params) -> Result<Settings, V1Error> {
    let name = params::opt_string(p, "name")?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(bad_request("Invalid name: expected a non-empty string"));
    }
    let machine_type = match params::opt_string(p, "machineType")? {
        Some(t) => Some(params::machine_type("machineType", &t)?),
        None => None,
    };
    let auto_snapshot_frequency =
        match opt_enum(p, "autoSnapshotFrequency", V1_SNAPSHOT_FREQUENCIES)? {
            Some(f) => legacy_frequency(&f),
            None => None,
        };
    Ok(Settings {
        name,
        machine_type,
        disk_size: disk_size(p)?,
        network_id: params::opt_string(p, "networkId")?,
        public_ip_type: opt_enum(p, "publicIpType", PUBLIC_IP_TYPES)?,
        auto_snapshot_enabled: params::opt_bool(p, "autoSnapshotEnabled")?,
        auto_snapshot_frequency,
        auto_snapshot_save_count: params::opt_count(p, "autoSnapshotSaveCount")?,
        auto_shutdown_enabled: params::opt_bool(p, "autoShutdownEnabled")?,
        auto_shutdown_timeout: params::opt_count(p, "autoShutdownTimeout")?,
        auto_shutdown_force: params::opt_bool(p, "autoShutdownForce")?,
        restore_point_enabled: params::opt_bool(p, "restorePointEnabled")?,
        restore_point_frequency: opt_enum(p, "restorePointFrequency", RESTORE_POINT_FREQUENCIES)?,
        restore_point_snapshot_id: params::opt_string(p, "restorePointSnapshotId")?,
    })
}

/// Apply settings to a record: checks first, so an error changes nothing.
fn apply(record: &mut MachineRecord, s: Settings, ctx: &mut Ctx) -> Result<(), ApiError> {
    if let Some(new_type) = &s.machine_type
        && record.machine.machine_type.as_ref() != Some(new_type)
    {
        let state = lifecycle::state_at(&record.actions, ctx.now);
        if state != MachineState::Off {
            return Err(ApiError::bad_request(format!(
                "machineType can only be changed while the machine is off (it is {state})"
            )));
        }
    }
    if let Some(size) = s.disk_size
        && size < record.size_gb
    {
        return Err(ApiError::bad_request(format!(
            "Invalid diskSize {size}: disks can only grow (now {} GB)",
            record.size_gb
        )));
    }
    let m = &mut record.machine;
    if let Some(name) = s.name {
        m.name = Some(name);
    }
    if let Some(new_type) = s.machine_type
        && let Some(spec) = type_spec(&new_type)
    {
        let billing = m
            .usage_rate
            .as_deref()
            .and_then(|r| r.rsplit_once(' '))
            .map_or("hourly", |(_, b)| b)
            .to_string();
        m.cpus = Some(spec.cpus);
        m.ram = Some(spec.ram_bytes().to_string());
        m.gpu = Some(spec.gpu.to_string());
        m.usage_rate = Some(format!("{new_type} {billing}"));
        m.machine_type = Some(new_type);
    }
    if let Some(size) = s.disk_size {
        record.size_gb = size;
        m.storage_total = Some(storage_bytes(size).to_string());
    }
    if let Some(network) = s.network_id {
        m.network_id = Some(network);
    }
    match s.public_ip_type.as_deref() {
        Some("static") => {
            m.dynamic_public_ip = Some(false);
            if m.public_ip_address.is_none() {
                let a = ctx.rng.u8(2..=254);
                let b = ctx.rng.u8(2..=254);
                m.public_ip_address = Some(format!("172.83.{a}.{b}"));
            }
        }
        Some("dynamic") => {
            m.dynamic_public_ip = Some(true);
            m.public_ip_address = None;
        }
        Some(_) => {
            m.dynamic_public_ip = Some(false);
            m.public_ip_address = None;
        }
        None => {}
    }
    if let Some(enabled) = s.auto_snapshot_enabled {
        m.perform_auto_snapshot = Some(enabled);
    }
    if let Some(frequency) = s.auto_snapshot_frequency {
        m.auto_snapshot_frequency = Some(frequency);
    }
    if let Some(count) = s.auto_snapshot_save_count {
        m.auto_snapshot_save_count = Some(count);
    }
    match (s.auto_shutdown_enabled, s.auto_shutdown_timeout) {
        (Some(false), _) => m.shutdown_timeout_in_hours = None,
        (_, Some(hours)) => m.shutdown_timeout_in_hours = Some(hours),
        (Some(true), None) if m.shutdown_timeout_in_hours.is_none() => {
            m.shutdown_timeout_in_hours = Some(168);
        }
        _ => {}
    }
    if let Some(force) = s.auto_shutdown_force {
        m.shutdown_timeout_forces = Some(force);
    }
    match (s.restore_point_enabled, s.restore_point_frequency) {
        (Some(false), _) => m.restore_point_frequency = None,
        (_, Some(frequency)) => m.restore_point_frequency = Some(frequency),
        (Some(true), None) if m.restore_point_frequency.is_none() => {
            m.restore_point_frequency = Some("shutdown".to_string());
        }
        _ => {}
    }
    if let Some(snapshot) = s.restore_point_snapshot_id {
        m.restore_point_snapshot_id = Some(snapshot);
    }
    Ok(())
}

/// `after`, `limit`, `orderBy`, `order` of the list endpoints.
struct Paging {
    offset: usize,
    limit: usize,
    order_by: String,
    descending: bool,
}

impl Paging {
    fn parse(pairs: &[(String, String)], order_by: &[&str]) -> Result<Paging, V1Error> {
        let offset = match params::query_get(pairs, "after").filter(|a| !a.is_empty()) {
            None => 0,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    bad_request(format!(
                        "Invalid after '{text}': expected the nextPage of a previous page"
                    ))
                })?,
        };
        let limit = match params::query_get(pairs, "limit") {
            None => DEFAULT_LIMIT,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| text.bytes().all(|b| b.is_ascii_digit()) && (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    bad_request(format!(
                        "Invalid limit '{text}': expected an integer from 1 to {MAX_LIMIT}"
                    ))
                })?,
        };
        let field = match params::query_get(pairs, "orderBy") {
            None => order_by[0].to_string(),
            Some(f) if order_by.contains(&f) => f.to_string(),
            Some(f) => return Err(one_of("orderBy", f, order_by)),
        };
        let descending = match params::query_get(pairs, "order") {
            None | Some("desc") => true,
            Some("asc") => false,
            Some(other) => return Err(one_of("order", other, &["asc", "desc"])),
        };
        Ok(Paging {
            offset,
            limit,
            order_by: field,
            descending,
        })
    }

    /// One page of `items`, which are in ascending order.
    fn page<T>(&self, mut items: Vec<T>) -> Page<T> {
        if self.descending {
            items.reverse();
        }
        let total = items.len();
        let end = self.offset.saturating_add(self.limit);
        let has_more = end < total;
        Page {
            has_more,
            next_page: has_more.then(|| end.to_string()),
            items: items
                .into_iter()
                .skip(self.offset)
                .take(self.limit)
                .collect(),
        }
    }
}

/// A non-empty query filter.
fn filter<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params::query_get(pairs, key).filter(|v| !v.is_empty())
}

// ---------------------------------------------------------------------------------------
// Machines.

async fn create(State(emu): Emu, Body(p): Body) -> V1Result {
    check_known_keys(&p, CREATE_KEYS)?;
    // Required first, in the spec's order, so the first missing one is named.
    for key in ["name", "machineType", "templateId", "diskSize", "region"] {
        if p.get(key).is_none_or(Value::is_null) {
            return Err(params::missing(key).into());
        }
    }
    let template_id = params::req_string(&p, "templateId")?;
    if template_id.trim().is_empty() {
        return Err(bad_request("templateId not found"));
    }
    let region = region("region", &params::req_string(&p, "region")?)?;
    let mut settings = settings(&p)?;
    let machine_type = settings.machine_type.take().unwrap_or_default();
    let size_gb = settings.disk_size.take().unwrap_or_default();
    let accessor_ids: Vec<String> = match p.get("accessorIds") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| bad_request("Invalid accessorIds: expected an array of user ids"))?,
        Some(_) => {
            return Err(bad_request(
                "Invalid accessorIds: expected an array of user ids",
            ));
        }
    };
    let mut extras = serde_json::Map::new();
    for key in CREATE_EXTRAS {
        if let Some(value) = params::opt_bool(&p, key)? {
            extras.insert(key.to_string(), Value::Bool(value));
        }
    }
    let request = CreateRequest {
        region: region.to_string(),
        machine_type,
        size_gb,
        billing_type: "hourly".to_string(),
        name: settings.name.take().unwrap_or_default(),
        template_id,
        network_id: settings.network_id.take(),
        script_id: params::opt_string(&p, "startupScriptId")?,
        start_on_create: params::opt_bool(&p, "startOnCreate")?.unwrap_or(true),
        extras,
        ..CreateRequest::default()
    };
    let answer = emu
        .mutate(|store, ctx| {
            let created = store.create(request, ctx)?;
            let id = created.id.unwrap_or_default();
            let record = store.find_mut(&id)?;
            apply(record, settings, ctx)?;
            for user in accessor_ids {
                record.access.insert(user, true);
            }
            let record = &*record;
            Ok(ActionAnswer {
                event: record_events(record, ctx.now).pop().map(|(_, e)| e),
                data: Some(machine(record, ctx.now)),
            })
        })
        .await?;
    ok(&answer)
}

async fn list(State(emu): Emu, RawQuery(query): RawQuery) -> V1Result {
    let pairs = params::query_pairs(query.as_deref());
    let paging = Paging::parse(&pairs, &["dtCreated", "name", "state"])?;
    let region = match filter(&pairs, "region") {
        Some(code) => Region::find(region("region", code)?).map(|r| r.code),
        None => None,
    };
    let name = filter(&pairs, "name");
    let agent_type = filter(&pairs, "agentType");
    let machine_type = filter(&pairs, "machineType");
    let page = emu.read(|store, now| {
        let mut items: Vec<Machine> = store
            .machines
            .iter()
            .map(|record| machine(record, now))
            .filter(|m| {
                let is = |field: &Option<String>, wanted: Option<&str>| {
                    wanted.is_none_or(|w| field.as_deref() == Some(w))
                };
                is(&m.name, name)
                    && is(&m.region, region)
                    && is(&m.agent_type, agent_type)
                    && is(&m.machine_type, machine_type)
            })
            .collect();
        // The store is in creation order; sorts are stable, so ties stay in that order.
        match paging.order_by.as_str() {
            "name" => items.sort_by(|a, b| a.name.cmp(&b.name)),
            "state" => items.sort_by(|a, b| a.state.cmp(&b.state)),
            _ => {}
        }
        paging.page(items)
    });
    ok(&page)
}

async fn show(State(emu): Emu, PathParams(id): PathParams<String>) -> V1Result {
    let found = emu.read(|store, now| store.find(&id).map(|record| machine(record, now)));
    ok(&found.ok_or_else(ApiError::not_found)?)
}

async fn update(State(emu): Emu, PathParams(id): PathParams<String>, Body(p): Body) -> V1Result {
    check_known_keys(&p, UPDATE_KEYS)?;
    let settings = settings(&p)?;
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.find_mut(&id)?;
            apply(record, settings, ctx)?;
            record.modified_ms = Some(ctx.now);
            Ok(ActionAnswer {
                event: None,
                data: Some(machine(record, ctx.now)),
            })
        })
        .await?;
    ok(&answer)
}

async fn destroy(State(emu): Emu, PathParams(id): PathParams<String>) -> V1Result {
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.find(&id).ok_or_else(ApiError::not_found)?;
            let mut data = machine(record, ctx.now);
            data.dt_deleted = Some(format_ms(ctx.now));
            store.destroy(&id)?;
            Ok(ActionAnswer {
                event: Some(instant_event("deactivate", &id, ctx)),
                data: Some(data),
            })
        })
        .await?;
    ok(&answer)
}

fn actions_len(store: &state::Store, id: &str) -> usize {
    store.find(id).map_or(0, |r| r.actions.len())
}

/// start, stop and restart: apply the legacy action to the shared store, then answer with
/// the action's event and the machine.
async fn power_action(
    emu: &Emulator,
    id: &str,
    name: &str,
    apply: impl FnOnce(&mut state::Store, &mut Ctx) -> Result<(), ApiError>,
) -> V1Result {
    let answer = emu
        .mutate(|store, ctx| {
            let before = actions_len(store, id);
            apply(store, ctx)?;
            Ok(action_answer(id, before, name, store, ctx))
        })
        .await?;
    ok(&answer)
}

async fn start(State(emu): Emu, PathParams(id): PathParams<String>) -> V1Result {
    // The capacity dice are only asked when a start really begins (not for a no-op).
    let capacity_failure = || {
        emu.take_capacity_failure()
            .then(|| CAPACITY_ERROR_MESSAGE.to_string())
    };
    power_action(&emu, &id, "start", |store, ctx| {
        store.start(&id, ctx, capacity_failure)
    })
    .await
}

async fn stop(State(emu): Emu, PathParams(id): PathParams<String>) -> V1Result {
    power_action(&emu, &id, "stop", |store, ctx| store.stop(&id, ctx)).await
}

async fn restart(State(emu): Emu, PathParams(id): PathParams<String>) -> V1Result {
    power_action(&emu, &id, "restart", |store, ctx| store.restart(&id, ctx)).await
}

// ---------------------------------------------------------------------------------------
// Accessors: the grants `setMachineAccess` records (user id → enabled).

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Accessor {
    user: AccessorUser,
    #[serde(skip_serializing_if = "Option::is_none")]
    dt_deleted: Option<String>,
}

#[derive(Debug, Serialize)]
struct AccessorUser {
    id: String,
    email: String,
}

fn accessor(user_id: &str, dt_deleted: Option<String>) -> Accessor {
    Accessor {
        user: AccessorUser {
            id: user_id.to_string(),
            email: format!("{user_id}@users.emulator.invalid"),
        },
        dt_deleted,
    }
}

fn user_id_param(p: &Params) -> Result<String, V1Error> {
    check_known_keys(p, &["userId"])?;
    let user_id = params::req_string(p, "userId")?;
    if user_id.trim().is_empty() {
        return Err(params::missing("userId").into());
    }
    Ok(user_id)
}

async fn add_accessor(
    State(emu): Emu,
    PathParams(id): PathParams<String>,
    Body(p): Body,
) -> V1Result {
    let user_id = user_id_param(&p)?;
    emu.mutate(|store, ctx| {
        let record = store.find_mut(&id)?;
        record.access.insert(user_id.clone(), true);
        record.modified_ms = Some(ctx.now);
        Ok(())
    })
    .await?;
    ok(&accessor(&user_id, None))
}

async fn remove_accessor(
    State(emu): Emu,
    PathParams((id, user_id)): PathParams<(String, String)>,
) -> V1Result {
    let now = emu
        .mutate(|store, ctx| {
            let record = store.find_mut(&id)?;
            if record.access.get(&user_id) != Some(&true) {
                return Err(ApiError::not_found());
            }
            record.access.insert(user_id.clone(), false);
            record.modified_ms = Some(ctx.now);
            Ok(ctx.now)
        })
        .await?;
    ok(&accessor(&user_id, Some(format_ms(now))))
}

async fn show_accessor(
    State(emu): Emu,
    PathParams((id, user_id)): PathParams<(String, String)>,
) -> V1Result {
    let granted = emu.read(|store, _| {
        store
            .find(&id)
            .map(|record| record.access.get(&user_id) == Some(&true))
    });
    match granted {
        Some(true) => ok(&accessor(&user_id, None)),
        _ => Err(ApiError::not_found().into()),
    }
}

async fn list_accessors(
    State(emu): Emu,
    PathParams(id): PathParams<String>,
    RawQuery(query): RawQuery,
) -> V1Result {
    let pairs = params::query_pairs(query.as_deref());
    let paging = Paging::parse(&pairs, &["id"])?;
    let users = emu.read(|store, _| {
        store.find(&id).map(|record| {
            record
                .access
                .iter()
                .filter(|(_, enabled)| **enabled)
                .map(|(user, _)| accessor(user, None))
                .collect::<Vec<_>>()
        })
    });
    ok(&paging.page(users.ok_or_else(ApiError::not_found)?))
}

// ---------------------------------------------------------------------------------------
// Events and availability.

async fn list_events(State(emu): Emu, RawQuery(query): RawQuery) -> V1Result {
    let pairs = params::query_pairs(query.as_deref());
    let paging = Paging::parse(&pairs, &["dtCreated"])?;
    let machine_id = filter(&pairs, "machineId");
    let events = emu.read(|store, now| {
        let records: Vec<&MachineRecord> = match machine_id {
            Some(id) => vec![store.find(id)?],
            None => store.machines.iter().collect(),
        };
        let mut events: Vec<(i64, Event)> = records
            .into_iter()
            .flat_map(|record| record_events(record, now))
            .collect();
        events.sort_by_key(|(started, _)| *started);
        Some(events.into_iter().map(|(_, e)| e).collect::<Vec<_>>())
    });
    ok(&paging.page(events.ok_or_else(ApiError::not_found)?))
}

async fn show_event(State(emu): Emu, PathParams(handle): PathParams<String>) -> V1Result {
    let found = emu.read(|store, now| {
        store
            .machines
            .iter()
            .flat_map(|record| record_events(record, now))
            .map(|(_, e)| e)
            .find(|e| e.id.as_deref() == Some(handle.as_str()))
    });
    ok(&found.ok_or_else(ApiError::not_found)?)
}

async fn availability(State(emu): Emu, RawQuery(query): RawQuery) -> V1Result {
    let pairs = params::query_pairs(query.as_deref());
    let region = region("region", params::required_query(&pairs, "region")?)?;
    let machine_type = params::machine_type(
        "machineType",
        params::required_query(&pairs, "machineType")?,
    )?;
    let available = emu.availability(region, &machine_type);
    ok(&json_value!({ "available": available }))
}
