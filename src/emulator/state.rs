//! The emulator's data (what the state file holds) and the operations of the machines API on
//! it. Everything here is synchronous and clock-explicit (`now` is passed in), so the HTTP
//! layer decides locking and persistence and the rules stay easy to test.

use super::catalog::{self, storage_bytes, type_spec};
use super::clock::format_ms;
use super::lifecycle::{self, Action, ActionKind};
use super::reply::ApiError;
use crate::api::model::{Machine, UsageLine, UtilizationReport};
use crate::vocab::MachineState;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Owner of machines created without `userId` (the account behind every API key).
pub const ACCOUNT_USER_ID: &str = "uemul8r0";
/// Team of machines created without `teamId`.
pub const ACCOUNT_TEAM_ID: &str = "temul8r0";
/// Network of machines created without `networkId`.
pub const DEFAULT_NETWORK_ID: &str = "nemul8r0";

/// Everything that survives a restart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    /// In creation order, which is the order `getMachines` lists them in.
    #[serde(default)]
    pub machines: Vec<MachineRecord>,
    /// API keys issued by `/apiTokens/createPublic`; valid in addition to `--api-key`.
    #[serde(default)]
    pub api_keys: Vec<IssuedKey>,
    /// Access tokens issued by `/users/login`.
    #[serde(default)]
    pub access_tokens: Vec<String>,
    /// Availability overrides, keyed `"<region long name>|<machine type>"`.
    #[serde(default)]
    pub availability: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedKey {
    pub key: String,
    pub name: String,
    pub dt_created: String,
}

/// One machine: its static attributes (the shared `Machine` type, whose `state` and `events`
/// are recomputed on every read) plus what the lifecycle and billing need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineRecord {
    pub machine: Machine,
    pub created_ms: i64,
    pub size_gb: u64,
    pub template_id: String,
    /// Oldest first.
    pub actions: Vec<Action>,
    /// `setMachineAccess` grants: user id → enabled.
    #[serde(default)]
    pub access: BTreeMap<String, bool>,
    /// Create parameters with no field in the machine object (notificationEmail, ...), kept so
    /// the state dump shows what was asked for.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub create_extras: Map<String, Value>,
    /// Last change of the machine's settings (update, access), for v1's `dtModified`; actions
    /// count as changes too (see `modified_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_ms: Option<i64>,
}

impl MachineRecord {
    /// When the machine last changed: the latest of creation, settings changes and actions.
    pub fn modified_at(&self) -> i64 {
        let last_action = self.actions.iter().map(|a| a.started_ms).max();
        [Some(self.created_ms), self.modified_ms, last_action]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.created_ms)
    }
}

/// A validated `createSingleMachinePublic` request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateRequest {
    pub region: String,
    pub machine_type: String,
    pub size_gb: u64,
    pub billing_type: String,
    pub name: String,
    pub template_id: String,
    pub team_id: Option<String>,
    pub user_id: Option<String>,
    pub network_id: Option<String>,
    pub script_id: Option<String>,
    pub assign_public_ip: bool,
    pub dynamic_public_ip: bool,
    pub start_on_create: bool,
    pub restore_point_frequency: Option<String>,
    pub extras: Map<String, Value>,
}

/// A validated `updateMachinePublic` request: `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateRequest {
    pub name: Option<String>,
    pub shutdown_timeout_in_hours: Option<u64>,
    pub shutdown_timeout_forces: Option<bool>,
    /// `Some(None)` sets the frequency to null.
    pub auto_snapshot_frequency: Option<Option<String>>,
    pub auto_snapshot_save_count: Option<u64>,
    pub perform_auto_snapshot: Option<bool>,
    pub dynamic_public_ip: Option<bool>,
    pub assign_public_ip: Option<bool>,
}

/// What an operation needs besides the store: the clock, the step length, randomness.
pub struct Ctx<'a> {
    pub now: i64,
    pub step_ms: i64,
    pub rng: &'a mut fastrand::Rng,
}

const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

fn random_text(rng: &mut fastrand::Rng, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| char::from(alphabet[rng.usize(..alphabet.len())]))
        .collect()
}

/// A uuid-shaped random handle, as the API's event handles look.
pub fn new_handle(rng: &mut fastrand::Rng) -> String {
    let hex = b"0123456789abcdef";
    [8, 4, 4, 4, 12]
        .iter()
        .map(|&len| random_text(rng, hex, len))
        .collect::<Vec<_>>()
        .join("-")
}

/// A fresh random secret (API keys, access tokens): 32 hex characters.
pub fn new_secret(rng: &mut fastrand::Rng) -> String {
    random_text(rng, b"0123456789abcdef", 32)
}

/// Text of a JSON value as a list filter compares it: strings as themselves, numbers in
/// decimal, booleans as `true`/`false`, null as `null`.
fn filter_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

impl Store {
    pub fn find(&self, id: &str) -> Option<&MachineRecord> {
        self.machines
            .iter()
            .find(|m| m.machine.id.as_deref() == Some(id))
    }

    pub fn find_mut(&mut self, id: &str) -> Result<&mut MachineRecord, ApiError> {
        self.machines
            .iter_mut()
            .find(|m| m.machine.id.as_deref() == Some(id))
            .ok_or_else(ApiError::not_found)
    }

    fn new_machine_id(&self, rng: &mut fastrand::Rng) -> String {
        loop {
            let id = format!("ps{}", random_text(rng, ID_ALPHABET, 7));
            if self.find(&id).is_none() {
                return id;
            }
        }
    }

    /// Create a machine; it is `provisioning` for one step, then `ready` (or `off`).
    pub fn create(&mut self, req: CreateRequest, ctx: &mut Ctx) -> Result<Machine, ApiError> {
        let spec = type_spec(&req.machine_type).ok_or_else(|| {
            ApiError::bad_request(format!("Invalid machineType '{}'", req.machine_type))
        })?;
        let id = self.new_machine_id(ctx.rng);
        let windows = req.template_id.to_ascii_lowercase().starts_with("tw");
        let agent_type = match (windows, spec.dedicated_gpu) {
            (true, _) => "WindowsDesktop",
            (false, true) => "LinuxDesktop",
            (false, false) => "LinuxHeadless",
        };
        let os = if windows {
            "Windows Server 2019 Datacenter"
        } else {
            "Ubuntu 20.04.6 LTS; uname: 5.4.0-150-generic; distro: ubuntu; major: 20; minor: 04"
        };
        let octet = |rng: &mut fastrand::Rng| rng.u8(2..=254);
        let private_ip = format!("10.64.{}.{}", octet(ctx.rng), octet(ctx.rng));
        let public_ip = req
            .assign_public_ip
            .then(|| format!("172.83.{}.{}", octet(ctx.rng), octet(ctx.rng)));
        let machine = Machine {
            id: Some(id.clone()),
            name: Some(req.name),
            os: Some(os.to_string()),
            ram: Some(spec.ram_bytes().to_string()),
            cpus: Some(spec.cpus),
            gpu: Some(spec.gpu.to_string()),
            storage_total: Some(storage_bytes(req.size_gb).to_string()),
            storage_used: Some("110080".to_string()),
            machine_type: Some(req.machine_type.clone()),
            usage_rate: Some(format!("{} {}", req.machine_type, req.billing_type)),
            shutdown_timeout_in_hours: Some(168),
            shutdown_timeout_forces: Some(false),
            perform_auto_snapshot: Some(false),
            auto_snapshot_frequency: None,
            auto_snapshot_save_count: None,
            dynamic_public_ip: Some(req.dynamic_public_ip),
            agent_type: Some(agent_type.to_string()),
            dt_created: Some(format_ms(ctx.now)),
            state: None,
            updates_pending: Some(false),
            network_id: Some(
                req.network_id
                    .unwrap_or_else(|| DEFAULT_NETWORK_ID.to_string()),
            ),
            private_ip_address: Some(private_ip),
            public_ip_address: public_ip,
            region: Some(req.region),
            user_id: Some(req.user_id.unwrap_or_else(|| ACCOUNT_USER_ID.to_string())),
            team_id: Some(req.team_id.unwrap_or_else(|| ACCOUNT_TEAM_ID.to_string())),
            script_id: req.script_id,
            dt_last_run: None,
            restore_point_snapshot_id: None,
            restore_point_frequency: req.restore_point_frequency,
            events: None,
        };
        let kind = if req.start_on_create {
            ActionKind::Create
        } else {
            ActionKind::CreateStopped
        };
        let record = MachineRecord {
            machine,
            created_ms: ctx.now,
            size_gb: req.size_gb,
            template_id: req.template_id,
            actions: vec![Action {
                kind,
                handle: new_handle(ctx.rng),
                started_ms: ctx.now,
                step_ms: ctx.step_ms,
                error: None,
            }],
            access: BTreeMap::new(),
            create_extras: req.extras,
            modified_ms: None,
        };
        let rendered = render(&record, ctx.now, false);
        self.machines.push(record);
        Ok(rendered)
    }

    /// Start: `off` → starting → serviceready → ready. A running machine is a no-op.
    /// `capacity_failure` is asked only when a start really begins, so an injected failure is
    /// never spent on a no-op.
    pub fn start(
        &mut self,
        id: &str,
        ctx: &mut Ctx,
        capacity_failure: impl FnOnce() -> Option<String>,
    ) -> Result<(), ApiError> {
        let record = self.find_mut(id)?;
        match lifecycle::state_at(&record.actions, ctx.now) {
            MachineState::Off => {
                let error = capacity_failure();
                push_action(record, ActionKind::Start, ctx, error);
                Ok(())
            }
            MachineState::Provisioning => {
                Err(ApiError::bad_request("Machine is being provisioned"))
            }
            MachineState::Stopping => Err(ApiError::bad_request(
                "Machine is stopping; start it again once it is off",
            )),
            _ => Ok(()),
        }
    }

    /// Stop: → stopping → off. Already off or stopping is a no-op; a start or restart under
    /// way is cut short.
    pub fn stop(&mut self, id: &str, ctx: &mut Ctx) -> Result<(), ApiError> {
        let record = self.find_mut(id)?;
        match lifecycle::state_at(&record.actions, ctx.now) {
            MachineState::Off | MachineState::Stopping => Ok(()),
            MachineState::Provisioning => {
                Err(ApiError::bad_request("Machine is being provisioned"))
            }
            _ => {
                push_action(record, ActionKind::Stop, ctx, None);
                Ok(())
            }
        }
    }

    /// Restart: → restarting → ready. Only a running machine can restart; a restart under way
    /// is requested again, as the API documents.
    pub fn restart(&mut self, id: &str, ctx: &mut Ctx) -> Result<(), ApiError> {
        let record = self.find_mut(id)?;
        match lifecycle::state_at(&record.actions, ctx.now) {
            MachineState::Ready | MachineState::ServiceReady | MachineState::Restarting => {
                push_action(record, ActionKind::Restart, ctx, None);
                Ok(())
            }
            MachineState::Provisioning => {
                Err(ApiError::bad_request("Machine is being provisioned"))
            }
            MachineState::Off => Err(ApiError::bad_request("Machine is off; start it instead")),
            other => Err(ApiError::bad_request(format!(
                "Machine is {other}; restart it once it is ready"
            ))),
        }
    }

    /// Destroy: the machine is gone at once (404 afterwards).
    pub fn destroy(&mut self, id: &str) -> Result<(), ApiError> {
        let before = self.machines.len();
        self.machines
            .retain(|m| m.machine.id.as_deref() != Some(id));
        if self.machines.len() == before {
            return Err(ApiError::not_found());
        }
        Ok(())
    }

    pub fn update(
        &mut self,
        id: &str,
        req: UpdateRequest,
        ctx: &mut Ctx,
    ) -> Result<Machine, ApiError> {
        let record = self.find_mut(id)?;
        record.modified_ms = Some(ctx.now);
        let m = &mut record.machine;
        if let Some(name) = req.name {
            m.name = Some(name);
        }
        if let Some(hours) = req.shutdown_timeout_in_hours {
            m.shutdown_timeout_in_hours = Some(hours);
        }
        if let Some(forces) = req.shutdown_timeout_forces {
            m.shutdown_timeout_forces = Some(forces);
        }
        if let Some(frequency) = req.auto_snapshot_frequency {
            m.auto_snapshot_frequency = frequency;
        }
        if let Some(count) = req.auto_snapshot_save_count {
            m.auto_snapshot_save_count = Some(count);
        }
        if let Some(perform) = req.perform_auto_snapshot {
            m.perform_auto_snapshot = Some(perform);
        }
        if let Some(dynamic) = req.dynamic_public_ip {
            m.dynamic_public_ip = Some(dynamic);
        }
        match req.assign_public_ip {
            Some(true) if m.public_ip_address.is_none() => {
                let a = ctx.rng.u8(2..=254);
                let b = ctx.rng.u8(2..=254);
                m.public_ip_address = Some(format!("172.83.{a}.{b}"));
            }
            Some(false) => m.public_ip_address = None,
            _ => {}
        }
        Ok(render(record, ctx.now, false))
    }

    pub fn set_access(&mut self, id: &str, user_id: &str, enable: bool) -> Result<(), ApiError> {
        let record = self.find_mut(id)?;
        record.access.insert(user_id.to_string(), enable);
        Ok(())
    }

    /// `getMachines`: equality filters on the rendered machine, then `skip`/`limit`.
    pub fn list(
        &self,
        filters: &[(String, String)],
        skip: usize,
        limit: usize,
        now: i64,
    ) -> Vec<Machine> {
        // Translate the API's filter names to machine keys once; `id` is not a filter (the
        // reference insists on `machineId`), and unknown names are ignored as the API does.
        let filters: Vec<(&str, &str)> = filters
            .iter()
            .filter_map(|(key, value)| {
                let key = match key.as_str() {
                    "machineId" => "id",
                    "id" | "events" => return None,
                    other => other,
                };
                Some((key, value.as_str()))
            })
            .collect();
        self.machines
            .iter()
            .map(|record| render(record, now, false))
            .filter(|machine| filters.is_empty() || matches_filters(machine, &filters))
            .skip(skip)
            .take(limit)
            .collect()
    }

    pub fn utilization(
        &self,
        id: &str,
        month: &str,
        bounds: (i64, i64),
        now: i64,
    ) -> Result<UtilizationReport, ApiError> {
        let record = self.find(id).ok_or_else(ApiError::not_found)?;
        let (from, to) = bounds;
        let running_ms = lifecycle::running_ms_within(&record.actions, from, to, now);
        let exists_ms = (to.min(now) - from.max(record.created_ms)).max(0);
        let machine_type = record.machine.machine_type.as_deref().unwrap_or_default();
        let hourly_rate = type_spec(machine_type).map_or("0", |s| s.hourly_rate);
        let line = |seconds_ms: i64| UsageLine {
            machine_id: Some(id.to_string()),
            seconds_used: Some(seconds_ms as f64 / 1000.0),
            hourly_rate: None,
            monthly_rate: None,
            billing_month: Some(month.to_string()),
        };
        Ok(UtilizationReport {
            machine_id: Some(id.to_string()),
            utilization: Some(UsageLine {
                hourly_rate: Some(hourly_rate.to_string()),
                ..line(running_ms)
            }),
            storage_utilization: Some(UsageLine {
                monthly_rate: Some(catalog::storage_monthly_rate(record.size_gb)),
                ..line(exists_ms)
            }),
        })
    }

    pub fn availability(&self, region: &str, machine_type: &str) -> bool {
        self.availability
            .get(&availability_key(region, machine_type))
            .copied()
            .unwrap_or_else(|| catalog::default_availability(region, machine_type))
    }

    pub fn set_availability(&mut self, region: &str, machine_type: &str, available: bool) {
        self.availability
            .insert(availability_key(region, machine_type), available);
    }

    pub fn is_issued_key(&self, key: &str) -> bool {
        self.api_keys.iter().any(|k| k.key == key)
    }
}

pub fn availability_key(region: &str, machine_type: &str) -> String {
    format!("{region}|{machine_type}")
}

fn push_action(record: &mut MachineRecord, kind: ActionKind, ctx: &mut Ctx, error: Option<String>) {
    record.actions.push(Action {
        kind,
        handle: new_handle(ctx.rng),
        started_ms: ctx.now,
        step_ms: ctx.step_ms,
        error,
    });
}

fn matches_filters(machine: &Machine, filters: &[(&str, &str)]) -> bool {
    let Ok(Value::Object(fields)) = serde_json::to_value(machine) else {
        return false;
    };
    filters.iter().all(|(key, wanted)| match fields.get(*key) {
        Some(value) => filter_text(value) == *wanted,
        None => true,
    })
}

/// The machine as the API shows it at `now`: current state, and the events (newest first)
/// when asked for (show and waitfor; list and create omit them).
pub fn render(record: &MachineRecord, now: i64, with_events: bool) -> Machine {
    let mut machine = record.machine.clone();
    let state = lifecycle::state_at(&record.actions, now);
    // A dynamic public IP exists only while the machine runs; derive it from the id so it is
    // stable across reads without being stored.
    if machine.dynamic_public_ip == Some(true)
        && machine.public_ip_address.is_none()
        && lifecycle::is_running(&state)
    {
        let id = machine.id.as_deref().unwrap_or_default();
        let hash = id
            .bytes()
            .fold(17u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        machine.public_ip_address = Some(format!(
            "184.105.{}.{}",
            (hash >> 8) % 253 + 1,
            hash % 253 + 1
        ));
    }
    machine.state = Some(state);
    machine.events = with_events.then(|| lifecycle::events(&record.actions, now));
    machine
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateRequest {
        CreateRequest {
            region: "East Coast (NY2)".into(),
            machine_type: "C4".into(),
            size_gb: 50,
            billing_type: "hourly".into(),
            name: "m".into(),
            template_id: "t1".into(),
            start_on_create: true,
            ..CreateRequest::default()
        }
    }

    /// A store with one machine created at t=0 with 100 ms steps; returns its id.
    fn store_with_machine(rng: &mut fastrand::Rng) -> (Store, String) {
        let mut store = Store::default();
        let mut ctx = Ctx {
            now: 0,
            step_ms: 100,
            rng,
        };
        let machine = store.create(request(), &mut ctx).unwrap();
        (store, machine.id.unwrap())
    }

    fn at(now: i64, rng: &mut fastrand::Rng) -> Ctx<'_> {
        Ctx {
            now,
            step_ms: 100,
            rng,
        }
    }

    #[test]
    fn actions_are_refused_or_ignored_according_to_the_current_state() {
        let mut rng = fastrand::Rng::with_seed(1);
        let (mut store, id) = store_with_machine(&mut rng);
        let mut spent = 0;
        let mut failure = || {
            spent += 1;
            None
        };
        // Provisioning: start/stop/restart refused.
        assert_eq!(
            store
                .start(&id, &mut at(50, &mut rng), &mut failure)
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            store.stop(&id, &mut at(50, &mut rng)).unwrap_err().status,
            400
        );
        assert_eq!(
            store
                .restart(&id, &mut at(50, &mut rng))
                .unwrap_err()
                .status,
            400
        );
        // Ready: start is a no-op that spends no capacity failure and records nothing.
        store
            .start(&id, &mut at(200, &mut rng), &mut failure)
            .unwrap();
        assert_eq!(store.find(&id).unwrap().actions.len(), 1);
        // Stopping: start refused, stop a no-op.
        store.stop(&id, &mut at(300, &mut rng)).unwrap();
        assert!(
            store
                .start(&id, &mut at(350, &mut rng), &mut failure)
                .is_err()
        );
        store.stop(&id, &mut at(350, &mut rng)).unwrap();
        assert_eq!(store.find(&id).unwrap().actions.len(), 2);
        // Off: restart refused, start asks for a capacity failure once.
        assert!(store.restart(&id, &mut at(500, &mut rng)).is_err());
        store
            .start(&id, &mut at(500, &mut rng), &mut failure)
            .unwrap();
        assert_eq!(spent, 1);
        // Starting: restart refused.
        assert!(store.restart(&id, &mut at(550, &mut rng)).is_err());
        assert!(store.start(&id, &mut at(9999, &mut rng), || None).is_ok());
        assert_eq!(store.find(&id).unwrap().actions.len(), 3);
    }

    #[test]
    fn a_dynamic_public_ip_exists_only_while_running() {
        let mut rng = fastrand::Rng::with_seed(4);
        let mut store = Store::default();
        let request = CreateRequest {
            dynamic_public_ip: true,
            ..request()
        };
        let created = store.create(request, &mut at(0, &mut rng)).unwrap();
        let id = created.id.unwrap();
        let ip_at =
            |store: &Store, now| render(store.find(&id).unwrap(), now, false).public_ip_address;
        assert_eq!(ip_at(&store, 50), None, "provisioning");
        let ip = ip_at(&store, 200).expect("ready");
        assert!(ip.starts_with("184.105."));
        assert_eq!(ip_at(&store, 250), Some(ip));
        store.stop(&id, &mut at(300, &mut rng)).unwrap();
        assert_eq!(ip_at(&store, 500), None, "off");
    }

    #[test]
    fn unknown_machines_are_not_found_and_destroy_removes() {
        let mut rng = fastrand::Rng::with_seed(2);
        let (mut store, id) = store_with_machine(&mut rng);
        assert_eq!(
            store
                .stop("psnope", &mut at(0, &mut rng))
                .unwrap_err()
                .status,
            404
        );
        store.destroy(&id).unwrap();
        assert_eq!(store.destroy(&id).unwrap_err().status, 404);
        assert!(store.machines.is_empty());
    }

    #[test]
    fn list_filters_compare_json_text_and_ignore_unknown_names() {
        let mut rng = fastrand::Rng::with_seed(3);
        let (store, id) = store_with_machine(&mut rng);
        let list = |filters: &[(&str, &str)]| {
            let filters: Vec<(String, String)> = filters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            store.list(&filters, 0, 1000, 1000).len()
        };
        assert_eq!(list(&[("machineId", &id)]), 1);
        assert_eq!(list(&[("id", "whatever")]), 1, "id is not a filter");
        assert_eq!(list(&[("cpus", "2"), ("updatesPending", "false")]), 1);
        assert_eq!(list(&[("scriptId", "null"), ("state", "ready")]), 1);
        assert_eq!(list(&[("cpus", "2.0")]), 0);
        assert_eq!(list(&[("json", "true")]), 1);
    }
}
