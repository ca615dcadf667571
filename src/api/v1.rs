//! The live Paperspace API (v1, `https://api.paperspace.com/v1`, `Authorization: Bearer`):
//! its machine, event and page shapes (from its published OpenAPI document, see
//! `tests/fixtures/paperspace-v1-openapi.machines_operations.json`), shared by the client's
//! `--api v1` backend and the emulator's `/v1` routes so the two cannot drift.
//!
//! Like the legacy model, every field is optional on the way in: a field the service adds or
//! drops must not break a command.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Short region codes of v1, and the legacy long names they stand for.
pub const REGION_CODES: &[(&str, &str)] = &[
    ("ny2", "East Coast (NY2)"),
    ("ca1", "West Coast (CA1)"),
    ("ams1", "Europe (AMS1)"),
];

/// Legacy `autoSnapshotFrequency` values and their v1 spelling.
pub const SNAPSHOT_FREQUENCIES: &[(&str, &str)] = &[
    ("hour", "hourly"),
    ("day", "daily"),
    ("week", "weekly"),
    ("month", "monthly"),
];

pub fn region_code(long_name: &str) -> Option<&'static str> {
    REGION_CODES
        .iter()
        .find(|(code, long)| *long == long_name || code.eq_ignore_ascii_case(long_name))
        .map(|(code, _)| *code)
}

pub fn region_long_name(code: &str) -> Option<&'static str> {
    REGION_CODES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, long)| *long)
}

/// A v1 machine (`GET /machines/{id}`, items of `GET /machines`, `data` of the actions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Machine {
    pub id: Option<String>,
    pub name: Option<String>,
    pub state: Option<String>,
    pub os: Option<String>,
    pub machine_type: Option<String>,
    pub agent_type: Option<String>,
    pub cpus: Option<Value>,
    /// Bytes.
    pub ram: Option<Value>,
    pub storage_total: Option<Value>,
    pub storage_used: Option<Value>,
    pub accelerators: Option<Vec<Accelerator>>,
    /// `ny2`, `ca1` or `ams1`.
    pub region: Option<String>,
    pub private_ip: Option<String>,
    pub network_id: Option<String>,
    pub public_ip: Option<String>,
    /// `static`, `dynamic` or `none`.
    pub public_ip_type: Option<String>,
    pub auto_shutdown_enabled: Option<bool>,
    pub auto_shutdown_timeout: Option<Value>,
    pub auto_shutdown_force: Option<bool>,
    pub auto_snapshot_enabled: Option<bool>,
    /// `hourly`, `daily`, `weekly` or `monthly`.
    pub auto_snapshot_frequency: Option<String>,
    pub auto_snapshot_save_count: Option<Value>,
    pub updates_pending: Option<bool>,
    pub restore_point_enabled: Option<bool>,
    pub restore_point_frequency: Option<String>,
    pub restore_point_snapshot_id: Option<String>,
    pub usage_rate: Option<Value>,
    pub storage_rate: Option<Value>,
    pub dt_created: Option<String>,
    pub dt_modified: Option<String>,
    pub dt_deleted: Option<String>,
    /// The reservation a machine runs under, if any (kept as sent).
    pub reservation: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Accelerator {
    pub name: Option<String>,
    pub memory: Option<Value>,
    pub count: Option<Value>,
}

/// A v1 machine event (`GET /machine-events`, `event` of the actions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    pub id: Option<String>,
    pub name: Option<String>,
    /// `new`, `in progress`, `done`, `error` or `cancelled`.
    pub state: Option<String>,
    pub machine_id: Option<String>,
    pub dt_created: Option<String>,
    pub dt_started: Option<String>,
    pub dt_finished: Option<String>,
    pub error: Option<String>,
}

/// A page of a v1 list: follow `nextPage` with `?after=` while `hasMore`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[serde(default)]
    pub has_more: bool,
    #[serde(default)]
    pub next_page: Option<String>,
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

/// The answer of an action (create, update, start, stop, restart, delete): the event to poll
/// and the machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionAnswer {
    pub event: Option<Event>,
    pub data: Option<Machine>,
}

/// The v1 error body: `{"message": "...", "code": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub message: String,
    pub code: String,
}

// ---------------------------------------------------------------------------------------------
// Legacy commands on v1: pure planning and mapping (the `--api v1` backend).
// ---------------------------------------------------------------------------------------------

/// Where the live API is unless `PAPERSPACE_API_URL` says otherwise.
pub const DEFAULT_URL: &str = "https://api.paperspace.com/v1";

/// The most items v1 returns in one page.
pub const PAGE_LIMIT: u64 = 120;

use super::model;
use super::request::{ApiRequest, Invocation, ParamValue, encode_component};
use super::spec::HttpMethod;
use crate::error::{CliError, Result};
use serde_json::Map;

fn request(
    method: HttpMethod,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Map<String, Value>>,
) -> ApiRequest {
    ApiRequest {
        method,
        path,
        query,
        body,
        bearer: true,
    }
}

/// How a v1 answer is shown in the legacy shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `{"event": ..., "data": machine}`: the machine, in legacy names.
    ActionMachine,
    /// The legacy API answered these with an empty 204: `{}`.
    Empty,
    /// The same shape on both APIs (`{"available": bool}`).
    AsIs,
}

/// What a legacy command becomes on v1.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// One request, its answer shown as `shape` says.
    Single { request: ApiRequest, shape: Shape },
    /// `show`: the machine and its events.
    Machine { id: String },
    /// `list`: pages of `GET /machines`; the filters v1 has go in `query`, the other legacy
    /// filters are applied here, then `skip` and `limit` (unless `all`).
    List {
        query: Vec<(String, String)>,
        local_filters: Vec<(String, String)>,
        skip: u64,
        limit: u64,
        all: bool,
    },
}

fn cannot(flag: &str, why: &str) -> CliError {
    CliError::usage(format!("--{flag} cannot be used with --api v1: {why}"))
}

fn text_of(value: &ParamValue) -> String {
    match value {
        ParamValue::Text(s) => s.clone(),
        ParamValue::Count(n) => n.to_string(),
        ParamValue::Bool(b) => b.to_string(),
        ParamValue::Null => "null".into(),
        ParamValue::Seconds(s) => s.to_string(),
    }
}

/// `assignPublicIp` / `dynamicPublicIp` as v1's one `publicIpType`.
fn public_ip_type(inv: &Invocation) -> Option<&'static str> {
    let switch = |name| match inv.get(name) {
        Some(ParamValue::Bool(b)) => Some(*b),
        _ => None,
    };
    match (switch("assignPublicIp"), switch("dynamicPublicIp")) {
        (Some(true), _) => Some("static"),
        (_, Some(true)) => Some("dynamic"),
        (None, None) => None,
        _ => Some("none"),
    }
}

/// The v1 body of create or update: legacy names renamed, legacy values mapped, and every
/// flag v1 has no place for refused by name (never dropped quietly).
fn machine_body(inv: &Invocation) -> Result<Map<String, Value>> {
    let mut body = Map::new();
    for (param, value) in &inv.values {
        let json = match value {
            ParamValue::Text(s) => Value::String(s.clone()),
            ParamValue::Count(n) => Value::from(*n),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::Null => Value::Null,
            ParamValue::Seconds(_) => continue,
        };
        let renamed = match param.name {
            "machineName" => "name",
            "size" => "diskSize",
            "scriptId" => "startupScriptId",
            "markSnapshotAsRestorePoint" => "restorePointEnabled",
            "shutdownTimeoutInHours" => "autoShutdownTimeout",
            "shutdownTimeoutForces" => "autoShutdownForce",
            "performAutoSnapshot" => "autoSnapshotEnabled",
            "machineType"
            | "templateId"
            | "networkId"
            | "takeInitialSnapshot"
            | "restorePointFrequency"
            | "enableNvlink"
            | "startOnCreate"
            | "autoSnapshotSaveCount" => param.name,
            "region" => {
                let code = region_code(&text_of(value)).unwrap_or_default();
                body.insert("region".into(), code.into());
                continue;
            }
            "autoSnapshotFrequency" => {
                let mapped = match value {
                    ParamValue::Text(s) => SNAPSHOT_FREQUENCIES
                        .iter()
                        .find(|(legacy, _)| legacy == s)
                        .map(|(_, v1)| Value::from(*v1))
                        .unwrap_or(Value::Null),
                    _ => Value::Null,
                };
                body.insert("autoSnapshotFrequency".into(), mapped);
                continue;
            }
            "billingType" => match value {
                // v1 machines are billed by the hour: that is honoured, monthly is not.
                ParamValue::Text(s) if s == "hourly" => continue,
                _ => return Err(cannot("billingType", "v1 bills machines by the hour only")),
            },
            "assignPublicIp" | "dynamicPublicIp" => continue,
            "machineId" | "wait" | "interval" | "timeout" | "optionsFile" => continue,
            "teamId" => return Err(cannot("teamId", "the team is the API key's own")),
            "userId" | "email" | "password" | "firstName" | "lastName" => {
                return Err(cannot(
                    param.name,
                    "v1 creates machines for the key's owner; give access afterwards with setAccessForUser",
                ));
            }
            "notificationEmail" => {
                return Err(cannot("notificationEmail", "v1 sends no completion email"));
            }
            other => return Err(cannot(other, "v1 has no such field")),
        };
        body.insert(renamed.into(), json);
    }
    if inv.spec.name == "update"
        && let Some(Value::Number(n)) = body.get("autoShutdownTimeout")
    {
        let enabled = n.as_u64().is_some_and(|hours| hours > 0);
        body.insert("autoShutdownEnabled".into(), enabled.into());
    }
    if let Some(kind) = public_ip_type(inv) {
        body.insert("publicIpType".into(), kind.into());
    }
    Ok(body)
}

/// The legacy filters of `list` that v1 filters on itself.
const SERVER_FILTERS: &[&str] = &["name", "region", "agentType", "machineType"];

/// Plan a legacy command on v1. `utilization` has no v1 counterpart.
pub fn plan(inv: &Invocation) -> Result<Plan> {
    let id = inv.text("machineId").unwrap_or_default().to_string();
    if inv.spec.name != "list" {
        // v1 puts every machine id in the path.
        super::request::check_path_segment(&id, "machineId")?;
    }
    if let Some(user) = inv
        .text("userId")
        .filter(|_| inv.spec.name == "setAccessForUser")
    {
        super::request::check_path_segment(user, "userId")?;
    }
    let machine_path = |suffix: &str| format!("/machines/{}{suffix}", encode_component(&id));
    let single = |request, shape| Ok(Plan::Single { request, shape });
    match inv.spec.name {
        "create" => single(
            request(
                HttpMethod::Post,
                "/machines".into(),
                Vec::new(),
                Some(machine_body(inv)?),
            ),
            Shape::ActionMachine,
        ),
        "update" => single(
            request(
                HttpMethod::Put,
                machine_path(""),
                Vec::new(),
                Some(machine_body(inv)?),
            ),
            Shape::ActionMachine,
        ),
        action @ ("start" | "stop" | "restart") => single(
            request(
                HttpMethod::Patch,
                machine_path(&format!("/{action}")),
                Vec::new(),
                None,
            ),
            Shape::Empty,
        ),
        "destroy" => {
            if matches!(inv.get("releasePublicIp"), Some(ParamValue::Bool(true))) {
                return Err(cannot("releasePublicIp", "v1's delete has no such option"));
            }
            single(
                request(HttpMethod::Delete, machine_path(""), Vec::new(), None),
                Shape::Empty,
            )
        }
        "setAccessForUser" => {
            let user = inv.text("userId").unwrap_or_default().to_string();
            let request = match inv.get("enableAccess") {
                Some(ParamValue::Bool(false)) => request(
                    HttpMethod::Delete,
                    machine_path(&format!("/accessors/{}", encode_component(&user))),
                    Vec::new(),
                    None,
                ),
                _ => {
                    let mut body = Map::new();
                    body.insert("userId".into(), user.into());
                    request(
                        HttpMethod::Post,
                        machine_path("/accessors"),
                        Vec::new(),
                        Some(body),
                    )
                }
            };
            single(request, Shape::Empty)
        }
        "availability" => {
            let region = region_code(inv.text("region").unwrap_or_default()).unwrap_or_default();
            let query = vec![
                ("region".to_string(), region.to_string()),
                (
                    "machineType".to_string(),
                    inv.text("machineType").unwrap_or_default().to_string(),
                ),
            ];
            single(
                request(HttpMethod::Get, "/machine-availability".into(), query, None),
                Shape::AsIs,
            )
        }
        "show" | "waitfor" => Ok(Plan::Machine { id }),
        "list" => {
            let (mut query, mut local_filters) = (Vec::new(), Vec::new());
            let (mut skip, mut limit, mut all) = (0, 1000, false);
            for (param, value) in &inv.values {
                match (param.name, value) {
                    ("skip", ParamValue::Count(n)) => skip = *n,
                    ("limit", ParamValue::Count(n)) => limit = *n,
                    ("all", ParamValue::Bool(b)) => all = *b,
                    ("region", ParamValue::Text(long)) => query.push((
                        "region".into(),
                        region_code(long).unwrap_or_default().into(),
                    )),
                    (name, value) if SERVER_FILTERS.contains(&name) => {
                        query.push((name.to_string(), text_of(value)))
                    }
                    (name, value) => local_filters.push((name.to_string(), text_of(value))),
                }
            }
            Ok(Plan::List {
                query,
                local_filters,
                skip,
                limit,
                all,
            })
        }
        other => Err(CliError::usage(format!(
            "{other} is not available with --api v1: the v1 API has no {other} endpoint; use --api legacy"
        ))),
    }
}

/// One page of `GET /machines`.
pub fn list_page(query: &[(String, String)], after: Option<&str>) -> ApiRequest {
    let mut query = query.to_vec();
    query.push(("limit".into(), PAGE_LIMIT.to_string()));
    if let Some(cursor) = after {
        query.push(("after".into(), cursor.to_string()));
    }
    request(HttpMethod::Get, "/machines".into(), query, None)
}

pub fn machine_request(id: &str) -> ApiRequest {
    request(
        HttpMethod::Get,
        format!("/machines/{}", encode_component(id)),
        Vec::new(),
        None,
    )
}

/// The newest events of a machine (enough for show's list and waitfor's fail-fast).
pub fn events_request(id: &str) -> ApiRequest {
    let query = vec![
        ("machineId".to_string(), id.to_string()),
        ("limit".to_string(), "20".to_string()),
        ("order".to_string(), "desc".to_string()),
    ];
    request(HttpMethod::Get, "/machine-events".into(), query, None)
}

fn number_text(value: &Option<Value>) -> Option<String> {
    match value {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn whole(value: &Option<Value>) -> Option<u64> {
    match value {
        Some(Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().map(|f| f as u64)),
        _ => None,
    }
}

/// A v1 event in legacy names: `errorMsg`, `handle`.
pub fn event_to_legacy(event: &Event) -> model::MachineEvent {
    model::MachineEvent {
        name: event.name.clone(),
        state: event.state.clone(),
        error_msg: Some(event.error.clone().unwrap_or_default()),
        handle: event.id.clone(),
        dt_modified: event
            .dt_finished
            .clone()
            .or_else(|| event.dt_started.clone())
            .or_else(|| event.dt_created.clone()),
        dt_finished: event.dt_finished.clone(),
        dt_created: event.dt_created.clone(),
    }
}

/// A v1 machine in the legacy shape and key order, so `| jq` pipelines written for the legacy
/// API keep working: `privateIp` becomes `privateIpAddress`, `ny2` `East Coast (NY2)`, ...
pub fn machine_to_legacy(machine: &Machine, events: Option<&[Event]>) -> model::Machine {
    let frequency = machine.auto_snapshot_frequency.as_deref().map(|f| {
        SNAPSHOT_FREQUENCIES
            .iter()
            .find(|(_, v1)| *v1 == f)
            .map_or(f, |(legacy, _)| legacy)
            .to_string()
    });
    model::Machine {
        id: machine.id.clone(),
        name: machine.name.clone(),
        os: machine.os.clone(),
        ram: number_text(&machine.ram),
        cpus: whole(&machine.cpus),
        gpu: machine
            .accelerators
            .as_ref()
            .and_then(|a| a.first())
            .and_then(|a| a.name.clone()),
        storage_total: number_text(&machine.storage_total),
        storage_used: number_text(&machine.storage_used),
        machine_type: machine.machine_type.clone(),
        usage_rate: number_text(&machine.usage_rate),
        shutdown_timeout_in_hours: match machine.auto_shutdown_enabled {
            Some(false) => None,
            _ => whole(&machine.auto_shutdown_timeout),
        },
        shutdown_timeout_forces: machine.auto_shutdown_force,
        perform_auto_snapshot: machine.auto_snapshot_enabled,
        auto_snapshot_frequency: frequency,
        auto_snapshot_save_count: whole(&machine.auto_snapshot_save_count),
        dynamic_public_ip: machine.public_ip_type.as_deref().map(|t| t == "dynamic"),
        agent_type: machine.agent_type.clone(),
        dt_created: machine.dt_created.clone(),
        state: machine.state.as_deref().map(model::MachineState::parse),
        updates_pending: machine.updates_pending,
        network_id: machine.network_id.clone(),
        private_ip_address: machine.private_ip.clone(),
        public_ip_address: machine.public_ip.clone(),
        region: machine
            .region
            .as_deref()
            .map(|code| region_long_name(code).map_or_else(|| code.to_string(), str::to_string)),
        user_id: None,
        team_id: None,
        script_id: None,
        dt_last_run: None,
        restore_point_snapshot_id: machine.restore_point_snapshot_id.clone(),
        restore_point_frequency: machine.restore_point_frequency.clone(),
        events: events.map(|list| list.iter().map(event_to_legacy).collect()),
    }
}

/// Whether a legacy-shaped machine passes a legacy equality filter (`list --state off`):
/// the field's JSON value rendered as text equals the filter's text; `machineId` is `id`.
pub fn matches_filter(machine: &Value, name: &str, wanted: &str) -> bool {
    let field = if name == "machineId" { "id" } else { name };
    match machine.get(field) {
        Some(Value::String(s)) => s == wanted,
        Some(Value::Number(n)) => n.to_string() == wanted,
        Some(Value::Bool(b)) => b.to_string() == wanted,
        Some(Value::Null) | None => wanted == "null",
        // Lists and objects are never what an equality filter names.
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_both_ways() {
        assert_eq!(region_code("East Coast (NY2)"), Some("ny2"));
        assert_eq!(region_code("AMS1"), Some("ams1"));
        assert_eq!(region_long_name("ca1"), Some("West Coast (CA1)"));
        assert_eq!(region_code("Mars"), None);
    }

    use crate::api::request::validate;
    use crate::api::spec::command;

    fn plan_of(cmd: &str, args: &[(&str, &str)]) -> Result<Plan> {
        let raw: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, v.to_string())).collect();
        plan(&validate(command(cmd).unwrap(), &raw).unwrap())
    }

    fn single(plan: Plan) -> (ApiRequest, Shape) {
        match plan {
            Plan::Single { request, shape } => (request, shape),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn create_renames_legacy_fields_and_maps_values() {
        let (req, shape) = single(
            plan_of(
                "create",
                &[
                    ("region", "East Coast (NY2)"),
                    ("machineType", "C5"),
                    ("size", "50"),
                    ("billingType", "hourly"),
                    ("machineName", "box"),
                    ("templateId", "t1"),
                    ("scriptId", "s1"),
                    ("dynamicPublicIp", "true"),
                    ("markSnapshotAsRestorePoint", "true"),
                    ("takeInitialSnapshot", "true"),
                    ("restorePointFrequency", "shutdown"),
                ],
            )
            .unwrap(),
        );
        assert_eq!(
            (req.method, req.path.as_str(), shape),
            (HttpMethod::Post, "/machines", Shape::ActionMachine)
        );
        assert!(req.bearer);
        assert_eq!(
            req.body_text().unwrap(),
            r#"{"region":"ny2","machineType":"C5","diskSize":50,"name":"box","templateId":"t1","startupScriptId":"s1","restorePointEnabled":true,"takeInitialSnapshot":true,"restorePointFrequency":"shutdown","publicIpType":"dynamic"}"#
        );
    }

    #[test]
    fn flags_v1_cannot_honour_are_errors_naming_them() {
        let base = [
            ("region", "ny2"),
            ("machineType", "C5"),
            ("size", "50"),
            ("machineName", "b"),
            ("templateId", "t"),
        ];
        for (flag, value) in [
            ("teamId", "te1"),
            ("userId", "u1"),
            ("notificationEmail", "a@b.c"),
            ("billingType", "monthly"),
        ] {
            let mut args = base.to_vec();
            args.push(("billingType", "hourly"));
            if flag == "billingType" {
                args.pop();
            }
            args.push((flag, value));
            let err = plan_of("create", &args).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(
                err.message
                    .starts_with(&format!("--{flag} cannot be used with --api v1")),
                "{}",
                err.message
            );
        }
        let err = plan_of(
            "utilization",
            &[("machineId", "m"), ("billingMonth", "2022-03")],
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            plan_of(
                "destroy",
                &[("machineId", "m"), ("releasePublicIp", "true")]
            )
            .is_err()
        );
    }

    #[test]
    fn actions_update_and_access_map_to_their_v1_operations() {
        let (req, shape) = single(plan_of("stop", &[("machineId", "ps 1")]).unwrap());
        assert_eq!(
            (req.method, req.path.as_str(), shape),
            (HttpMethod::Patch, "/machines/ps%201/stop", Shape::Empty)
        );
        let (req, _) = single(
            plan_of(
                "update",
                &[
                    ("machineId", "ps1"),
                    ("machineName", "n"),
                    ("shutdownTimeoutInHours", "4"),
                    ("autoSnapshotFrequency", "day"),
                    ("assignPublicIp", "false"),
                ],
            )
            .unwrap(),
        );
        assert_eq!(
            (req.method, req.path.as_str()),
            (HttpMethod::Put, "/machines/ps1")
        );
        assert_eq!(
            req.body_text().unwrap(),
            r#"{"name":"n","autoShutdownTimeout":4,"autoSnapshotFrequency":"daily","autoShutdownEnabled":true,"publicIpType":"none"}"#
        );
        let (req, _) = single(
            plan_of(
                "setAccessForUser",
                &[
                    ("machineId", "ps1"),
                    ("userId", "u1"),
                    ("enableAccess", "false"),
                ],
            )
            .unwrap(),
        );
        assert_eq!(
            (req.method, req.path.as_str()),
            (HttpMethod::Delete, "/machines/ps1/accessors/u1")
        );
        let (req, _) = single(
            plan_of(
                "availability",
                &[("region", "Europe (AMS1)"), ("machineType", "V100")],
            )
            .unwrap(),
        );
        assert_eq!(
            req.path_and_query(),
            "/machine-availability?region=ams1&machineType=V100"
        );
    }

    #[test]
    fn list_splits_filters_between_the_server_and_the_client() {
        let plan = plan_of(
            "list",
            &[
                ("region", "ca1"),
                ("state", "off"),
                ("name", "x"),
                ("skip", "5"),
                ("limit", "2"),
            ],
        )
        .unwrap();
        assert_eq!(
            plan,
            Plan::List {
                query: vec![("region".into(), "ca1".into()), ("name".into(), "x".into())],
                local_filters: vec![("state".into(), "off".into())],
                skip: 5,
                limit: 2,
                all: false,
            }
        );
        assert_eq!(
            list_page(&[], Some("c2")).path_and_query(),
            "/machines?limit=120&after=c2"
        );
    }

    #[test]
    fn a_v1_machine_reads_as_a_legacy_one() {
        let v1: Machine = serde_json::from_str(
            r#"{"id":"ps1","name":"n","state":"ready","ram":8589934592,"cpus":4,"region":"ams1","privateIp":"10.0.0.2","publicIp":null,"publicIpType":"dynamic","autoSnapshotFrequency":"weekly","autoShutdownEnabled":true,"autoShutdownTimeout":8,"usageRate":0.45,"accelerators":[{"name":"A100","memory":null,"count":1}]}"#,
        )
        .unwrap();
        let event: Event = serde_json::from_str(r#"{"id":"e1","name":"start","state":"error","error":"no capacity","dtCreated":"2026-01-01T00:00:00.000Z"}"#).unwrap();
        let legacy = serde_json::to_value(machine_to_legacy(&v1, Some(&[event]))).unwrap();
        assert_eq!(legacy["privateIpAddress"], "10.0.0.2");
        assert_eq!(legacy["region"], "Europe (AMS1)");
        assert_eq!(legacy["ram"], "8589934592");
        assert_eq!(legacy["gpu"], "A100");
        assert_eq!(legacy["dynamicPublicIp"], true);
        assert_eq!(legacy["autoSnapshotFrequency"], "week");
        assert_eq!(legacy["shutdownTimeoutInHours"], 8);
        assert_eq!(legacy["usageRate"], "0.45");
        assert_eq!(legacy["events"][0]["errorMsg"], "no capacity");
        assert_eq!(legacy["events"][0]["handle"], "e1");
        let keys: Vec<&String> = legacy.as_object().unwrap().keys().collect();
        assert_eq!(keys[..4], ["id", "name", "os", "ram"]);
        assert!(matches_filter(&legacy, "state", "ready"));
        assert!(matches_filter(&legacy, "cpus", "4"));
        assert!(matches_filter(&legacy, "machineId", "ps1"));
        assert!(!matches_filter(&legacy, "state", "off"));
    }

    #[test]
    fn pages_and_machines_read_leniently() {
        let page: Page<Machine> = serde_json::from_str(
            r#"{"hasMore":true,"nextPage":"c2","items":[{"id":"ps1","ram":8589934592,"extra":1}]}"#,
        )
        .unwrap();
        assert!(page.has_more);
        assert_eq!(page.items[0].id.as_deref(), Some("ps1"));
        let empty: Page<Event> = serde_json::from_str("{}").unwrap();
        assert!(empty.items.is_empty());
    }
}
