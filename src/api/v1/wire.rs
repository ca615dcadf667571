//! The v1 API's wire types (its OpenAPI document: tests/fixtures/paperspace-v1-openapi.json),
//! shared by the client's `--api v1` backend and the emulator's `/v1` routes so the two cannot
//! drift.
//!
//! Like the legacy model, every field is optional on the way in: a field the service adds or
//! drops must not break a command.

use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// The answer of an action (create, update, start, stop, restart, delete; a snapshot, a
/// restore, a template): the event to poll and what it acts on (a machine unless said).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionAnswer<T = Machine> {
    pub event: Option<Event>,
    pub data: Option<T>,
}

/// The v1 error body: `{"message": "...", "code": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub message: String,
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

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
