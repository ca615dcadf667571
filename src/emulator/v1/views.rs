//! Stored machines in the v1 API's wire shapes (`crate::api::v1::wire`, the types the
//! client's `--api v1` backend reads them with, so the two cannot drift): the machine, its
//! events, the answers of actions, and accessors.
//!
//! Where v1 words a stored setting differently from the legacy API: `autoShutdownTimeout` is
//! the shutdown timeout (null when auto-shutdown is off), `autoSnapshotFrequency` is the
//! frequency's v1 word (`hourly`), `publicIpType` is the public IP's kind, event ids are the
//! legacy event handles, and an event under way is `in progress` (the legacy `new`).

use crate::api::v1::wire::{Accelerator, ActionAnswer, Event, Machine};
use crate::emulator::catalog::{self, STORAGE_USED_BYTES, storage_bytes};
use crate::emulator::clock::format_ms;
use crate::emulator::ips::PublicIpRecord;
use crate::emulator::lifecycle::{self, Outcome};
use crate::emulator::record::MachineRecord;
use crate::emulator::store::{Ctx, Deactivation, Store, new_handle};
use crate::vocab::event_state;
use serde::Serialize;
use serde_json::Value;

/// A decimal string of the catalog as a JSON number.
fn number(text: &str) -> Option<Value> {
    if let Ok(n) = text.parse::<u64>() {
        return Some(Value::from(n));
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

/// The machine as v1 shows it at `now`.
pub(crate) fn machine(record: &MachineRecord, now: i64) -> Machine {
    let state = record.state_at(now);
    let spec = record.machine_type;
    let accelerators = spec
        .gpu_memory_bytes()
        .map(|bytes| Accelerator {
            name: Some(spec.gpu.to_string()),
            memory: Some(Value::from(bytes)),
            count: Some(Value::from(spec.gpu_count)),
        })
        .into_iter()
        .collect();
    let snapshot = &record.auto_snapshot;
    let shutdown = &record.auto_shutdown;
    Machine {
        id: Some(record.id.clone()),
        name: Some(record.name.clone()),
        public_ip: record.public_address(&state),
        state: Some(state.as_str().to_string()),
        os: Some(record.os().to_string()),
        machine_type: Some(spec.name.to_string()),
        agent_type: Some(record.agent_type().to_string()),
        cpus: Some(Value::from(spec.cpus)),
        ram: Some(Value::from(spec.ram_bytes())),
        storage_total: Some(Value::from(storage_bytes(record.size_gb))),
        storage_used: Some(Value::from(STORAGE_USED_BYTES)),
        accelerators: Some(accelerators),
        region: Some(record.region.code.to_string()),
        private_ip: Some(record.private_ip.clone()),
        network_id: Some(record.network_id.clone()),
        public_ip_type: Some(record.public_ip.kind().word().to_string()),
        auto_shutdown_enabled: Some(shutdown.hours.is_some()),
        auto_shutdown_timeout: shutdown.hours.map(Value::from),
        auto_shutdown_force: Some(shutdown.force),
        auto_snapshot_enabled: Some(snapshot.enabled),
        auto_snapshot_frequency: snapshot.frequency.map(|f| f.v1.to_string()),
        auto_snapshot_save_count: snapshot.save_count.map(Value::from),
        updates_pending: Some(false),
        restore_point_enabled: Some(record.restore_point.frequency.is_some()),
        restore_point_frequency: record.restore_point.frequency.clone(),
        restore_point_snapshot_id: record.restore_point.snapshot_id.clone(),
        usage_rate: number(spec.hourly_rate),
        storage_rate: number(&catalog::storage_monthly_rate(record.size_gb)),
        dt_created: Some(format_ms(record.created_ms)),
        dt_modified: Some(format_ms(record.modified_at())),
        dt_deleted: None,
        reservation: None,
    }
}

/// The events of a machine at `now`, oldest first, each with the instant it began.
pub(crate) fn events(record: &MachineRecord, now: i64) -> Vec<(i64, Event)> {
    lifecycle::occurrences(&record.actions, now)
        .into_iter()
        .map(|occurrence| {
            let (state, error) = match occurrence.outcome {
                Outcome::UnderWay => (event_state::V1_IN_PROGRESS, None),
                Outcome::Done => (event_state::DONE, None),
                Outcome::Failed(message) => (event_state::ERROR, Some(message.to_string())),
            };
            let action = occurrence.action;
            let created = Some(format_ms(action.started_ms));
            let event = Event {
                id: Some(action.handle.clone()),
                name: Some(action.kind.event_name().to_string()),
                state: Some(state.to_string()),
                machine_id: Some(record.id.clone()),
                dt_created: created.clone(),
                dt_started: created,
                dt_finished: occurrence.finished_ms.map(format_ms),
                error: error.filter(|m| !m.is_empty()),
            };
            (action.started_ms, event)
        })
        .collect()
}

/// The `deactivate` event of a deleted machine.
pub(crate) fn deactivation(d: &Deactivation) -> Event {
    let at = Some(format_ms(d.at_ms));
    Event {
        id: Some(d.handle.clone()),
        name: Some("deactivate".to_string()),
        state: Some(event_state::DONE.to_string()),
        machine_id: Some(d.machine_id.clone()),
        dt_created: at.clone(),
        dt_started: at.clone(),
        dt_finished: at,
        error: None,
    }
}

/// Every event of the account at `now` (or of machine `machine_id`, deleted or not), oldest
/// first; `None` when there is no such machine and never was.
pub(crate) fn all_events(store: &Store, machine_id: Option<&str>, now: i64) -> Option<Vec<Event>> {
    let wanted = |id: &str| machine_id.is_none_or(|m| m == id);
    let mut events: Vec<(i64, Event)> = store
        .machines
        .iter()
        .filter(|m| wanted(&m.id))
        .flat_map(|record| events(record, now))
        .chain(
            store
                .deactivations
                .iter()
                .filter(|d| wanted(&d.machine_id))
                .map(|d| (d.at_ms, deactivation(d))),
        )
        .collect();
    if machine_id.is_some() && events.is_empty() {
        return None;
    }
    events.sort_by_key(|(started, _)| *started);
    Some(events.into_iter().map(|(_, e)| e).collect())
}

/// The newest event of a machine at `now`.
pub(crate) fn newest_event(record: &MachineRecord, now: i64) -> Option<Event> {
    events(record, now).pop().map(|(_, event)| event)
}

/// An event for something that finished at once and left no action behind (a no-op start
/// or stop).
pub(crate) fn instant_event(name: &str, machine_id: &str, ctx: &mut Ctx) -> Event {
    let now = Some(format_ms(ctx.now));
    Event {
        id: Some(new_handle(ctx.rng)),
        name: Some(name.to_string()),
        state: Some(event_state::DONE.to_string()),
        machine_id: Some(machine_id.to_string()),
        dt_created: now.clone(),
        dt_started: now.clone(),
        dt_finished: now,
        error: None,
    }
}

/// The answer of a lifecycle action: the event of the action it recorded; for a no-op, the
/// latest event if it is of the same kind and did not fail, else an instant `done` event.
pub(crate) fn action_answer(
    id: &str,
    actions_before: usize,
    name: &str,
    store: &Store,
    ctx: &mut Ctx,
) -> ActionAnswer {
    let Some(record) = store.find(id) else {
        return ActionAnswer::default();
    };
    let latest = newest_event(record, ctx.now);
    let event = if record.actions.len() > actions_before {
        latest
    } else {
        latest.filter(|e| {
            e.name.as_deref() == Some(name) && e.state.as_deref() != Some(event_state::ERROR)
        })
    };
    ActionAnswer {
        event: Some(event.unwrap_or_else(|| instant_event(name, id, ctx))),
        data: Some(machine(record, ctx.now)),
    }
}

/// A user with access to a machine (`/machines/{id}/accessors`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Accessor {
    user: AccessorUser,
    #[serde(skip_serializing_if = "Option::is_none")]
    dt_deleted: Option<String>,
}

#[derive(Debug, Serialize)]
struct AccessorUser {
    id: String,
    email: String,
}

pub(crate) fn accessor(user_id: &str, dt_deleted: Option<String>) -> Accessor {
    Accessor {
        user: AccessorUser {
            id: user_id.to_string(),
            email: crate::emulator::users::email_of(user_id),
        },
        dt_deleted,
    }
}

/// The answer of `PUT /machines/{id}`: the machine, and the event of a resize or move when
/// there was one (the document's `event` is optional there, and never `null`).
#[derive(Debug, Serialize)]
pub(crate) struct UpdateAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<Event>,
    pub data: Machine,
}

/// A public IP of the account (`/public-ips`): `assignedMachineId` only when a machine holds it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PublicIp {
    ip: String,
    region: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_machine_id: Option<String>,
    dt_created: String,
}

pub(crate) fn public_ip(record: &PublicIpRecord, store: &Store) -> PublicIp {
    PublicIp {
        ip: record.ip.clone(),
        region: record.region.code,
        assigned_machine_id: store.ip_holder(&record.ip).map(|m| m.id.clone()),
        dt_created: format_ms(record.created_ms),
    }
}

/// A machine's desktop (`GET /machines/{id}/desktop`): VNC for a desktop agent, and the
/// Windows remote desktop too for a Windows one; `None` for a headless machine. The host is
/// its public address, else its private one; the VNC password is derived from its id, so it
/// is the same on every read without being stored.
pub(crate) fn desktop(record: &MachineRecord, now: i64) -> Option<Value> {
    let agent = record.agent_type();
    if agent == "LinuxHeadless" {
        return None;
    }
    let public = record.public_address(&record.state_at(now));
    let hostname = public.clone().unwrap_or_else(|| record.private_ip.clone());
    let mut rng = fastrand::Rng::with_seed(record.id.bytes().fold(0x5eed_u64, |h, b| {
        h.wrapping_mul(131).wrapping_add(u64::from(b))
    }));
    let password: String = (0..12).map(|_| rng.alphanumeric()).collect();
    let mut desktop = serde_json::json!({
        "vnc": {"hostname": hostname, "port": 5900, "password": password},
    });
    if agent == "WindowsDesktop" {
        let mut windows = serde_json::json!({"hostname": hostname, "port": 3389});
        if let Some(ip) = public {
            windows["publicIp"] = Value::String(ip);
        }
        desktop["windows"] = windows;
    }
    Some(desktop)
}
