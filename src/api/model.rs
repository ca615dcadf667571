//! Typed view of the machines API, shared by the client (tables, waitfor) and the emulator.
//!
//! The client never re-serialises these types for JSON output: JSON mode prints the server's
//! own bytes (key order and number text preserved). These types exist for the places that must
//! *understand* a response, so every field is optional and tolerant of an unexpected type: a
//! new server field, a missing key or a state we have never seen must not break `list` or
//! `waitfor`.

use crate::vocab::{MachineState, parse_timestamp};
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Deserialize a field as `Some(T)` when its JSON value has the expected type and `None`
/// otherwise (absent, null, or a type we did not expect). Strings also accept numbers and
/// booleans, printed as text, since some clients have seen `ram` as a number.
fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

fn lenient_events<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<MachineEvent>>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(|item| serde_json::from_value(item).ok())
                .collect(),
        ),
        _ => None,
    })
}

/// A machine object as returned by create, list, show and waitfor. Field order is the API
/// reference's, so the emulator's JSON reads like the real service's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Machine {
    #[serde(default, deserialize_with = "lenient_string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub os: Option<String>,
    /// Bytes, as a decimal string.
    #[serde(default, deserialize_with = "lenient_string")]
    pub ram: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub cpus: Option<u64>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub gpu: Option<String>,
    /// Bytes, as a decimal string.
    #[serde(default, deserialize_with = "lenient_string")]
    pub storage_total: Option<String>,
    /// Bytes, as a decimal string.
    #[serde(default, deserialize_with = "lenient_string")]
    pub storage_used: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub machine_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub usage_rate: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub shutdown_timeout_in_hours: Option<u64>,
    #[serde(default, deserialize_with = "lenient")]
    pub shutdown_timeout_forces: Option<bool>,
    #[serde(default, deserialize_with = "lenient")]
    pub perform_auto_snapshot: Option<bool>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub auto_snapshot_frequency: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub auto_snapshot_save_count: Option<u64>,
    #[serde(default, deserialize_with = "lenient")]
    pub dynamic_public_ip: Option<bool>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub agent_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub dt_created: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub state: Option<MachineState>,
    #[serde(default, deserialize_with = "lenient")]
    pub updates_pending: Option<bool>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub network_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub private_ip_address: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub public_ip_address: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub region: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub team_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub script_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub dt_last_run: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub restore_point_snapshot_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub restore_point_frequency: Option<String>,
    /// Present on show and waitfor (newest first); absent from list and create.
    #[serde(
        default,
        deserialize_with = "lenient_events",
        skip_serializing_if = "Option::is_none"
    )]
    pub events: Option<Vec<MachineEvent>>,
}

/// One entry of a machine's `events` list (`create`, `start`, `stop`, ...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineEvent {
    #[serde(default, deserialize_with = "lenient_string")]
    pub name: Option<String>,
    /// `done`, `error`, or in progress (`new`, ...): kept as sent.
    #[serde(default, deserialize_with = "lenient_string")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub error_msg: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub handle: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub dt_modified: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub dt_finished: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub dt_created: Option<String>,
}

/// A machine's newest event: the latest `dtCreated`; the API lists events newest first, so the
/// list order breaks ties (and decides when no event has a readable time).
pub(crate) fn newest_event(events: &[MachineEvent]) -> Option<&MachineEvent> {
    events
        .iter()
        .enumerate()
        .max_by_key(|(index, event)| {
            (
                parse_timestamp(event.dt_created.as_deref()),
                std::cmp::Reverse(*index),
            )
        })
        .map(|(_, event)| event)
}

/// Response of `GET /machines/getUtilization`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UtilizationReport {
    #[serde(default, deserialize_with = "lenient_string")]
    pub machine_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub utilization: Option<UsageLine>,
    #[serde(default, deserialize_with = "lenient")]
    pub storage_utilization: Option<UsageLine>,
}

/// One half of a utilization report: machine hours (`hourlyRate`) or storage (`monthlyRate`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageLine {
    #[serde(default, deserialize_with = "lenient_string")]
    pub machine_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub seconds_used: Option<f64>,
    #[serde(
        default,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub hourly_rate: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub monthly_rate: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub billing_month: Option<String>,
}

/// Response of `GET /machines/getAvailability`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    #[serde(default, deserialize_with = "lenient")]
    pub available: Option<bool>,
}

/// The error body of the legacy API: `{"error":{"name":"Error","status":404,"message":"..."}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    pub name: String,
    pub status: u16,
    pub message: String,
}

impl ApiErrorBody {
    pub fn new(status: u16, message: impl Into<String>) -> ApiErrorBody {
        ApiErrorBody {
            error: ApiErrorDetail {
                name: "Error".to_string(),
                status,
                message: message.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_states_are_kept() {
        let m: Machine = serde_json::from_str(r#"{"state":"hibernating"}"#).unwrap();
        assert_eq!(m.state.unwrap().as_str(), "hibernating");
    }

    #[test]
    fn the_newest_event_is_the_latest_created_and_the_first_listed_on_ties() {
        let events: Vec<MachineEvent> = serde_json::from_str(
            r#"[{"name":"a","dtCreated":"2022-03-14T15:00:00Z"},
                {"name":"b","dtCreated":"2022-03-14T16:00:00Z"},
                {"name":"c","dtCreated":"2022-03-14T16:00:00Z"},
                {"name":"d"}]"#,
        )
        .unwrap();
        assert_eq!(newest_event(&events).unwrap().name.as_deref(), Some("b"));
        let untimed: Vec<MachineEvent> =
            serde_json::from_str(r#"[{"name":"x"},{"name":"y"}]"#).unwrap();
        assert_eq!(newest_event(&untimed).unwrap().name.as_deref(), Some("x"));
        assert!(newest_event(&[]).is_none());
    }

    #[test]
    fn fields_of_unexpected_type_become_none_instead_of_failing() {
        let m: Machine =
            serde_json::from_str(r#"{"id":"ps1","cpus":"eight","ram":8589938688,"state":7,"events":[{"name":"start"},3]}"#)
                .unwrap();
        assert_eq!(m.id.as_deref(), Some("ps1"));
        assert_eq!(m.cpus, None);
        assert_eq!(m.ram.as_deref(), Some("8589938688"));
        assert_eq!(m.state, None);
        assert_eq!(m.events.unwrap().len(), 1);
    }

    #[test]
    fn serialized_machine_has_every_reference_key_in_reference_order() {
        let text = serde_json::to_string(&Machine::default()).unwrap();
        assert!(text.starts_with(r#"{"id":null,"name":null,"os":null,"ram":null,"cpus":null"#));
        assert!(!text.contains("events"));
    }
}
