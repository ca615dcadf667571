//! v1 answers in the legacy shape, so `| jq` pipelines written for the legacy API keep working
//! on v1: `privateIp` becomes `privateIpAddress`, `ny2` `East Coast (NY2)`, `hourly` `hour`,
//! events get `errorMsg` and `handle`. Pure. Which fields are derived or missing is listed in
//! the README's migration section.

use super::wire::{Event, Machine};
use crate::api::model;
use crate::api::plan::V1Kind;
use crate::vocab::{MachineState, Region, SnapshotFrequency};
use serde_json::{Value, json};

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
pub(crate) fn event_to_legacy(event: &Event) -> model::MachineEvent {
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
        SnapshotFrequency::from_v1(f)
            .map_or(f, |frequency| frequency.legacy)
            .to_string()
    });
    model::Machine {
        id: machine.id.clone(),
        name: machine.name.clone(),
        os: machine.os.clone(),
        ram: number_text(&machine.ram),
        cpus: whole(&machine.cpus),
        // The legacy API says "None" for a machine without a GPU
        // (tests/fixtures/gradient-cli.show_machine_response.json); v1 lists no accelerators.
        gpu: match machine.accelerators.as_deref() {
            Some([]) => Some("None".to_string()),
            Some([first, ..]) => first.name.clone(),
            None => None,
        },
        storage_total: number_text(&machine.storage_total),
        storage_used: number_text(&machine.storage_used),
        machine_type: machine.machine_type.clone(),
        // The legacy field names the plan ("C5 hourly"); v1's is a price. v1 bills by the hour.
        usage_rate: machine
            .machine_type
            .as_ref()
            .map(|machine_type| format!("{machine_type} hourly")),
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
        state: machine.state.as_deref().map(MachineState::parse),
        updates_pending: machine.updates_pending,
        network_id: machine.network_id.clone(),
        private_ip_address: machine.private_ip.clone(),
        public_ip_address: machine.public_ip.clone(),
        region: machine.region.as_deref().map(Region::name_of),
        user_id: None,
        team_id: None,
        script_id: None,
        dt_last_run: None,
        restore_point_snapshot_id: machine.restore_point_snapshot_id.clone(),
        restore_point_frequency: machine.restore_point_frequency.clone(),
        events: events.map(|list| list.iter().map(event_to_legacy).collect()),
    }
}

/// A v1 object of another kind than a machine in the legacy shape of its kind, keys in the
/// legacy CLI's order (the examples of paperspace-node's documentation). What v1 does not say
/// is `null`; the README's migration section lists each field.
pub fn resource_to_legacy(kind: V1Kind, v1: &Value) -> Value {
    let field = |name: &str| v1.get(name).cloned().unwrap_or(Value::Null);
    let region = || match v1.get("region").and_then(Value::as_str) {
        Some(code) => Value::String(Region::name_of(code)),
        None => Value::Null,
    };
    let id = field("id");
    match kind {
        // Public templates were named `paperspace/<id>`; their label was the human name.
        V1Kind::OsTemplate => json!({
            "id": id,
            "name": id.as_str().map(|id| format!("paperspace/{id}")),
            "label": field("name"),
            "os": field("operatingSystemLabel"),
            "dtCreated": field("dtCreated"),
        }),
        V1Kind::CustomTemplate => json!({
            "id": id,
            "name": id,
            "label": field("name"),
            "os": field("operatingSystemLabel"),
            "teamId": Value::Null,
            "userId": Value::Null,
            "region": region(),
            "dtCreated": field("dtCreated"),
        }),
        V1Kind::Script => {
            let machines: Vec<Value> = v1
                .get("assignedMachineIds")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|id| json!({"machineId": id, "dtLastRun": null}))
                .collect();
            json!({
                "id": id,
                "ownerType": Value::Null,
                "ownerId": Value::Null,
                "name": field("name"),
                "description": field("description"),
                "dtCreated": field("dtCreated"),
                "isEnabled": field("isEnabled"),
                "runOnce": field("isRunOnce"),
                "machines": machines,
            })
        }
        V1Kind::Network => json!({
            "id": id,
            "name": field("name"),
            "region": region(),
            "dtCreated": field("dtCreated"),
            "network": field("network"),
            "netmask": field("netmask"),
            "teamId": Value::Null,
        }),
        V1Kind::TeamUser => {
            let user = |name: &str| {
                v1.pointer(&format!("/user/{name}"))
                    .cloned()
                    .unwrap_or(Value::Null)
            };
            json!({
                "id": user("id"),
                "email": user("email"),
                "firstname": user("firstName"),
                "lastname": user("lastName"),
                "dtCreated": Value::Null,
                "teamId": Value::Null,
            })
        }
    }
}

/// A v1 machine (and its events) as the legacy JSON text that is printed and polled.
pub(crate) fn machine_json(machine: &Machine, events: Option<&[Event]>) -> String {
    serde_json::to_string(&machine_to_legacy(machine, events)).expect("the model always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::v1::wire::{Event, Machine};

    #[test]
    fn a_v1_machine_reads_as_a_legacy_one() {
        let v1: Machine = serde_json::from_str(
            r#"{"id":"ps1","name":"n","state":"ready","ram":8589934592,"cpus":4,"region":"ams1","privateIp":"10.0.0.2","publicIp":null,"publicIpType":"dynamic","autoSnapshotFrequency":"weekly","autoShutdownEnabled":true,"autoShutdownTimeout":8,"machineType":"A100","usageRate":0.45,"accelerators":[{"name":"A100","memory":null,"count":1}]}"#,
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
        assert_eq!(
            legacy["usageRate"], "A100 hourly",
            "the plan, not v1's price"
        );
        assert_eq!(legacy["events"][0]["errorMsg"], "no capacity");
        assert_eq!(legacy["events"][0]["handle"], "e1");
        let keys: Vec<&String> = legacy.as_object().unwrap().keys().collect();
        assert_eq!(keys[..4], ["id", "name", "os", "ram"]);
        use crate::api::plan::matches_filter;
        assert!(matches_filter(&legacy, "state", "ready"));
        assert!(matches_filter(&legacy, "cpus", "4"));
        assert!(matches_filter(&legacy, "machineId", "ps1"));
        assert!(!matches_filter(&legacy, "state", "off"));
    }
}
