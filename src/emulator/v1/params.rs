//! What the v1 API accepts, as its document has it
//! (tests/fixtures/paperspace-v1-openapi.machines_operations.json): only the listed
//! properties (`additionalProperties: false`), only the listed enum values (region codes
//! exactly, `hourly`, ...), and the list endpoints' paging. Create and update bodies become
//! the same [`Changes`] the legacy API's do.

use crate::api::v1::wire::Page;
use crate::emulator::changes::{Changes, IpChange};
use crate::emulator::http::ApiError;
use crate::emulator::params::{
    Params, Query, decimal, machine_type, missing, one_of, opt_bool, opt_count, opt_string,
    opt_word, req_string,
};
use crate::emulator::record::IpKind;
use crate::emulator::store::NewMachine;
use crate::vocab::{
    PUBLIC_IP_TYPES, REGIONS, RESTORE_POINT_FREQUENCIES, Region, SnapshotFrequency,
    V1_SNAPSHOT_FREQUENCIES,
};
use serde_json::{Map, Value};

/// Properties `POST /machines` and `PUT /machines/{id}` share, read by [`settings`].
const SETTINGS_KEYS: &[&str] = &[
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
];

/// The other properties of `POST /machines` (`additionalProperties: false`).
const CREATE_KEYS: &[&str] = &[
    "templateId",
    "region",
    "takeInitialSnapshot",
    "startupScriptId",
    "emailPassword",
    "startOnCreate",
    "enableNvlink",
    "accessorIds",
];

/// The other property of `PUT /machines/{id}` (`additionalProperties: false`), read by
/// [`settings`] too; create does not accept it.
const UPDATE_KEYS: &[&str] = &["restorePointSnapshotId"];

/// Create parameters with no field of their own in the machine; kept as given.
const CREATE_EXTRAS: &[&str] = &["takeInitialSnapshot", "emailPassword", "enableNvlink"];

/// Default and largest `limit` of the list endpoints.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 120;

/// Every property of `p` is one of `accepted` (the document's `additionalProperties: false`).
fn check_known_keys(p: &Params, accepted: &[&[&str]]) -> Result<(), ApiError> {
    let accepted = accepted.concat();
    match p.keys().find(|k| !accepted.contains(&k.as_str())) {
        Some(key) => Err(ApiError::bad_request(format!(
            "Unknown property `{key}`: accepted properties are {}",
            accepted.join(", ")
        ))),
        None => Ok(()),
    }
}

/// A region code (`ny2`, `ca1`, `ams1`), exactly.
pub(crate) fn region(key: &str, code: &str) -> Result<&'static Region, ApiError> {
    REGIONS.iter().find(|r| r.code == code).ok_or_else(|| {
        let codes: Vec<&str> = REGIONS.iter().map(|r| r.code).collect();
        one_of(key, code, &codes)
    })
}

fn disk_size(p: &Params) -> Result<Option<u64>, ApiError> {
    match opt_count(p, "diskSize")? {
        Some(0) => Err(ApiError::bad_request(
            "Invalid diskSize 0: expected a whole number of GB, at least 1",
        )),
        other => Ok(other),
    }
}

/// The settings create and update share.
fn settings(p: &Params) -> Result<Changes, ApiError> {
    let name = opt_string(p, "name")?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::bad_request(
            "Invalid name: expected a non-empty string",
        ));
    }
    let machine_type = match opt_string(p, "machineType")? {
        Some(t) => Some(machine_type("machineType", &t)?),
        None => None,
    };
    let auto_snapshot_frequency = opt_word(p, "autoSnapshotFrequency", V1_SNAPSHOT_FREQUENCIES)?
        .and_then(SnapshotFrequency::from_v1)
        .map(Some);
    let public_ip = opt_word(p, "publicIpType", PUBLIC_IP_TYPES)?
        .and_then(IpKind::from_word)
        .map(IpChange::Make);
    Ok(Changes {
        name,
        machine_type,
        size_gb: disk_size(p)?,
        network_id: opt_string(p, "networkId")?,
        public_ip,
        auto_snapshot_enabled: opt_bool(p, "autoSnapshotEnabled")?,
        auto_snapshot_frequency,
        auto_snapshot_save_count: opt_count(p, "autoSnapshotSaveCount")?,
        auto_shutdown_enabled: opt_bool(p, "autoShutdownEnabled")?,
        auto_shutdown_hours: opt_count(p, "autoShutdownTimeout")?,
        auto_shutdown_force: opt_bool(p, "autoShutdownForce")?,
        restore_point_enabled: opt_bool(p, "restorePointEnabled")?,
        restore_point_frequency: opt_word(p, "restorePointFrequency", RESTORE_POINT_FREQUENCIES)?,
        restore_point_snapshot_id: opt_string(p, "restorePointSnapshotId")?,
    })
}

/// `PUT /machines/{id}`.
pub(crate) fn update_request(p: &Params) -> Result<Changes, ApiError> {
    check_known_keys(p, &[SETTINGS_KEYS, UPDATE_KEYS])?;
    settings(p)
}

/// `POST /machines`: the machine, and the rest of its settings.
pub(crate) fn create_request(p: &Params) -> Result<(NewMachine, Changes), ApiError> {
    check_known_keys(p, &[SETTINGS_KEYS, CREATE_KEYS])?;
    // Required first, in the document's order, so the first missing one is named.
    for key in ["name", "machineType", "templateId", "diskSize", "region"] {
        if p.get(key).is_none_or(Value::is_null) {
            return Err(missing(key));
        }
    }
    let template_id = req_string(p, "templateId")?;
    if template_id.trim().is_empty() {
        return Err(ApiError::bad_request("templateId not found"));
    }
    let region = region("region", &req_string(p, "region")?)?;
    let mut settings = settings(p)?;
    let accessor_ids: Vec<String> = match p.get("accessorIds") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| {
                ApiError::bad_request("Invalid accessorIds: expected an array of user ids")
            })?,
        Some(_) => {
            return Err(ApiError::bad_request(
                "Invalid accessorIds: expected an array of user ids",
            ));
        }
    };
    let mut extras = Map::new();
    for key in CREATE_EXTRAS {
        if let Some(value) = opt_bool(p, key)? {
            extras.insert(key.to_string(), Value::Bool(value));
        }
    }
    let (Some(name), Some(machine_type), Some(size_gb)) = (
        settings.name.take(),
        settings.machine_type.take(),
        settings.size_gb.take(),
    ) else {
        return Err(ApiError::internal("required properties were checked above"));
    };
    let new = NewMachine {
        region,
        machine_type,
        size_gb,
        // v1 machines are billed by the hour.
        billing_type: "hourly",
        name,
        template_id,
        team_id: None,
        user_id: None,
        network_id: settings.network_id.take(),
        script_id: opt_string(p, "startupScriptId")?,
        start_on_create: opt_bool(p, "startOnCreate")?.unwrap_or(true),
        accessor_ids,
        extras,
    };
    Ok((new, settings))
}

/// The body of `POST /machines/{id}/accessors`: `{"userId": "..."}`.
pub(crate) fn accessor_user(p: &Params) -> Result<String, ApiError> {
    check_known_keys(p, &[&["userId"]])?;
    let user_id = req_string(p, "userId")?;
    if user_id.trim().is_empty() {
        return Err(missing("userId"));
    }
    Ok(user_id)
}

/// `after`, `limit`, `orderBy`, `order` of the list endpoints. The cursor `after` (a page's
/// `nextPage`) is the offset of the next item, as text.
pub(crate) struct Paging {
    offset: usize,
    limit: usize,
    pub order_by: &'static str,
    descending: bool,
}

impl Paging {
    /// Paging of a list that can be ordered by `order_by` (the first is the default).
    pub(crate) fn parse(query: &Query, order_by: &[&'static str]) -> Result<Paging, ApiError> {
        let offset = match query.non_empty("after") {
            None => 0,
            Some(text) => decimal(text).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Invalid after '{text}': expected the nextPage of a previous page"
                ))
            })?,
        };
        let limit = match query.get("limit") {
            None => DEFAULT_LIMIT,
            Some(text) => decimal(text)
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "Invalid limit '{text}': expected an integer from 1 to {MAX_LIMIT}"
                    ))
                })?,
        };
        let field = match query.get("orderBy") {
            None => order_by[0],
            Some(f) => *order_by
                .iter()
                .find(|o| **o == f)
                .ok_or_else(|| one_of("orderBy", f, order_by))?,
        };
        let descending = match query.get("order") {
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
    pub(crate) fn page<T>(&self, mut items: Vec<T>) -> Page<T> {
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
