//! Stored machines in the legacy API's wire shapes (`crate::api::model`, the types the client
//! reads them with): the machine, its events, the list with its equality filters, and the
//! utilization report.

use crate::api::model::{Machine, MachineEvent, UsageLine, UtilizationReport};
use crate::emulator::catalog::{self, STORAGE_USED_BYTES, storage_bytes};
use crate::emulator::clock::format_ms;
use crate::emulator::lifecycle::{self, Action, Outcome};
use crate::emulator::record::{MachineRecord, PublicIp};
use crate::emulator::store::Store;
use crate::vocab::event_state;
use serde_json::Value;

/// The machine as the legacy API shows it at `now`; with its events (newest first) when
/// asked for (show and waitfor; list and create omit them).
pub(crate) fn machine(record: &MachineRecord, now: i64, with_events: bool) -> Machine {
    let state = record.state_at(now);
    let spec = record.machine_type;
    Machine {
        id: Some(record.id.clone()),
        name: Some(record.name.clone()),
        os: Some(record.os().to_string()),
        ram: Some(spec.ram_bytes().to_string()),
        cpus: Some(spec.cpus),
        gpu: Some(spec.gpu.to_string()),
        storage_total: Some(storage_bytes(record.size_gb).to_string()),
        storage_used: Some(STORAGE_USED_BYTES.to_string()),
        machine_type: Some(spec.name.to_string()),
        usage_rate: Some(record.usage_rate()),
        shutdown_timeout_in_hours: record.auto_shutdown.hours,
        shutdown_timeout_forces: Some(record.auto_shutdown.force),
        perform_auto_snapshot: Some(record.auto_snapshot.enabled),
        auto_snapshot_frequency: record.auto_snapshot.frequency.map(|f| f.legacy.to_string()),
        auto_snapshot_save_count: record.auto_snapshot.save_count,
        dynamic_public_ip: Some(record.public_ip == PublicIp::Dynamic),
        agent_type: Some(record.agent_type().to_string()),
        dt_created: Some(format_ms(record.created_ms)),
        public_ip_address: record.public_address(&state),
        state: Some(state),
        updates_pending: Some(false),
        network_id: Some(record.network_id.clone()),
        private_ip_address: Some(record.private_ip.clone()),
        region: Some(record.region.name.to_string()),
        user_id: Some(record.user_id.clone()),
        team_id: Some(record.team_id.clone()),
        script_id: record.script_id.clone(),
        dt_last_run: None,
        restore_point_snapshot_id: record.restore_point.snapshot_id.clone(),
        restore_point_frequency: record.restore_point.frequency.clone(),
        events: with_events.then(|| events(&record.actions, now)),
    }
}

/// The events list as the legacy API shows it: newest first; an action under way is `new`.
pub(crate) fn events(actions: &[Action], now: i64) -> Vec<MachineEvent> {
    lifecycle::occurrences(actions, now)
        .into_iter()
        .rev()
        .map(|occurrence| {
            let (state, error_msg) = match occurrence.outcome {
                Outcome::UnderWay => (event_state::NEW, ""),
                Outcome::Done => (event_state::DONE, ""),
                Outcome::Failed(message) => (event_state::ERROR, message),
            };
            let created = format_ms(occurrence.action.started_ms);
            let finished = occurrence.finished_ms.map(format_ms);
            MachineEvent {
                name: Some(occurrence.action.kind.event_name().to_string()),
                state: Some(state.to_string()),
                error_msg: Some(error_msg.to_string()),
                handle: Some(occurrence.action.handle.clone()),
                dt_modified: Some(finished.clone().unwrap_or_else(|| created.clone())),
                dt_finished: finished,
                dt_created: Some(created),
            }
        })
        .collect()
}

/// `getMachines`: equality filters on the rendered machine, then `skip`/`limit`; machines
/// are rendered one at a time as the answer is written.
pub(crate) fn list<'a>(
    store: &'a Store,
    filters: &[(String, String)],
    skip: usize,
    limit: usize,
    now: i64,
) -> impl Iterator<Item = Machine> + 'a {
    // Translate the API's filter names to machine keys once; `id` is not a filter (the
    // reference insists on `machineId`), and unknown names are ignored as the API does.
    let filters: Vec<(String, String)> = filters
        .iter()
        .filter_map(|(key, value)| {
            let key = match key.as_str() {
                "machineId" => "id",
                "id" | "events" => return None,
                other => other,
            };
            Some((key.to_string(), value.clone()))
        })
        .collect();
    store
        .machines
        .iter()
        .map(move |record| machine(record, now, false))
        .filter(move |machine| filters.is_empty() || matches_filters(machine, &filters))
        .skip(skip)
        .take(limit)
}

fn matches_filters(machine: &Machine, filters: &[(String, String)]) -> bool {
    let Ok(Value::Object(fields)) = serde_json::to_value(machine) else {
        return false;
    };
    filters.iter().all(|(key, wanted)| match fields.get(key) {
        Some(value) => filter_text(value) == *wanted,
        None => true,
    })
}

/// Text of a JSON value as a list filter compares it: strings as themselves, numbers in
/// decimal, booleans as `true`/`false`, null as `null`.
pub(crate) fn filter_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

/// `getUtilization` for billing month `month`, which spans `bounds`: running time and the
/// time the disk existed within it, up to `now`.
pub(crate) fn utilization(
    record: &MachineRecord,
    month: &str,
    bounds: (i64, i64),
    now: i64,
) -> UtilizationReport {
    let (from, to) = bounds;
    let running_ms = lifecycle::running_ms_within(&record.actions, from, to, now);
    let exists_ms = (to.min(now) - from.max(record.created_ms)).max(0);
    let line = |seconds_ms: i64| UsageLine {
        machine_id: Some(record.id.clone()),
        seconds_used: Some(seconds_ms as f64 / 1000.0),
        hourly_rate: None,
        monthly_rate: None,
        billing_month: Some(month.to_string()),
    };
    UtilizationReport {
        machine_id: Some(record.id.clone()),
        utilization: Some(UsageLine {
            hourly_rate: Some(record.machine_type.hourly_rate.to_string()),
            ..line(running_ms)
        }),
        storage_utilization: Some(UsageLine {
            monthly_rate: Some(catalog::storage_monthly_rate(record.size_gb)),
            ..line(exists_ms)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::store::tests::store_with_machine;

    #[test]
    fn list_filters_compare_json_text_and_ignore_unknown_names() {
        let mut rng = fastrand::Rng::with_seed(3);
        let (store, id) = store_with_machine(&mut rng);
        let list = |filters: &[(&str, &str)]| {
            let filters: Vec<(String, String)> = filters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            list(&store, &filters, 0, 1000, 1000).count()
        };
        assert_eq!(list(&[("machineId", &id)]), 1);
        assert_eq!(list(&[("id", "whatever")]), 1, "id is not a filter");
        assert_eq!(list(&[("cpus", "2"), ("updatesPending", "false")]), 1);
        assert_eq!(list(&[("scriptId", "null"), ("state", "ready")]), 1);
        assert_eq!(list(&[("cpus", "2.0")]), 0);
        assert_eq!(list(&[("json", "true")]), 1);
    }
}
