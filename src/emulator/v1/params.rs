//! What the v1 service makes of an input the document accepted (`schema` has already checked
//! every type): create and update bodies become the same [`NewMachine`] and [`Changes`] the
//! legacy API's do, lists get their paging and filters. Values the document types loosely are
//! held to what the service sells here: a machine type of the catalog (any case), a region
//! it has (`schema::region`), whole numbers of GB and hours. Each refusal names its field in
//! `details`.

use super::schema::{self, Operation};
use crate::api::v1::wire::Page;
use crate::emulator::catalog::{self, TypeSpec};
use crate::emulator::changes::Changes;
use crate::emulator::http::ApiError;
use crate::emulator::params::{Params, Query, decimal};
use crate::emulator::record::IpKind;
use crate::emulator::store::NewMachine;
use crate::emulator::templates::template_not_found;
use crate::vocab::{Region, SnapshotFrequency};
use serde_json::{Map, Value};

/// Create parameters with no field of their own in the machine; kept as given.
const CREATE_EXTRAS: &[&str] = &["takeInitialSnapshot", "emailPassword", "enableNvlink"];

/// How many items a page holds when `limit` is not given.
const DEFAULT_LIMIT: usize = 20;

/// A string field of a body the document's schema has checked (`schema`): `None` when it is
/// not there (or null).
pub(crate) fn string(p: &Params, key: &str) -> Option<String> {
    p.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A field the schema requires (so it is there); empty only if the schema let it be.
pub(crate) fn required(p: &Params, key: &str) -> String {
    string(p, key).unwrap_or_default()
}

/// A boolean field of a checked body.
pub(crate) fn boolean(p: &Params, key: &str) -> Option<bool> {
    p.get(key).and_then(Value::as_bool)
}

fn word(p: &Params, key: &str, words: &[&'static str]) -> Option<&'static str> {
    let text = p.get(key)?.as_str()?;
    words.iter().copied().find(|w| *w == text)
}

/// A number the service keeps whole (GB, hours, counts): at least 0 (at least 1 for a disk).
pub(crate) fn whole(p: &Params, key: &str, least: u64) -> Result<Option<u64>, ApiError> {
    let Some(number) = p.get(key).and_then(Value::as_number) else {
        return Ok(None);
    };
    let value = number.as_u64().or_else(|| {
        let f = number.as_f64()?;
        (f.fract() == 0.0 && (0.0..9.0e15).contains(&f)).then_some(f as u64)
    });
    match value {
        Some(n) if n >= least => Ok(Some(n)),
        _ => Err(ApiError::invalid(
            key,
            format!("Invalid {key} {number}"),
            format!("Expected a whole number, at least {least}"),
        )),
    }
}

/// A machine type the service sells (any case).
pub(crate) fn machine_type(key: &str, text: &str) -> Result<&'static TypeSpec, ApiError> {
    catalog::spec_any_case(text).ok_or_else(|| {
        ApiError::invalid(
            key,
            format!("Invalid machine type '{text}'"),
            format!("No machine type is named '{text}'"),
        )
    })
}

/// The region a filter names, if it names one.
pub(crate) fn region_filter(query: &Query) -> Result<Option<&'static Region>, ApiError> {
    query
        .non_empty("region")
        .map(|text| schema::region("region", text))
        .transpose()
}

/// The settings create and update share.
fn settings(p: &Params) -> Result<Changes, ApiError> {
    let machine_type = match string(p, "machineType") {
        Some(t) => Some(machine_type("machineType", &t)?),
        None => None,
    };
    let auto_snapshot_frequency = word(
        p,
        "autoSnapshotFrequency",
        crate::vocab::V1_SNAPSHOT_FREQUENCIES,
    )
    .and_then(SnapshotFrequency::from_v1)
    .map(Some);
    Ok(Changes {
        name: string(p, "name"),
        machine_type,
        size_gb: whole(p, "diskSize", 1)?,
        network_id: string(p, "networkId"),
        public_ip: string(p, "publicIpType").and_then(|w| IpKind::from_word(&w)),
        auto_snapshot_enabled: boolean(p, "autoSnapshotEnabled"),
        auto_snapshot_frequency,
        auto_snapshot_save_count: whole(p, "autoSnapshotSaveCount", 0)?,
        auto_shutdown_enabled: boolean(p, "autoShutdownEnabled"),
        auto_shutdown_hours: whole(p, "autoShutdownTimeout", 0)?,
        auto_shutdown_force: boolean(p, "autoShutdownForce"),
        restore_point_enabled: boolean(p, "restorePointEnabled"),
        restore_point_frequency: word(
            p,
            "restorePointFrequency",
            crate::vocab::RESTORE_POINT_FREQUENCIES,
        ),
        restore_point_snapshot_id: string(p, "restorePointSnapshotId"),
    })
}

/// `PUT /machines/{id}`.
pub(crate) fn update_request(p: &Params) -> Result<Changes, ApiError> {
    settings(p)
}

/// `POST /machines`: the machine, and the rest of its settings.
pub(crate) fn create_request(p: &Params) -> Result<(NewMachine, Changes), ApiError> {
    let template_id = string(p, "templateId").unwrap_or_default();
    if template_id.trim().is_empty() {
        return Err(template_not_found());
    }
    let region = schema::region("region", &string(p, "region").unwrap_or_default())?;
    let mut settings = settings(p)?;
    let accessor_ids = p
        .get("accessorIds")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let extras: Map<String, Value> = CREATE_EXTRAS
        .iter()
        .filter_map(|key| Some((key.to_string(), Value::Bool(boolean(p, key)?))))
        .collect();
    let (Some(name), Some(machine_type), Some(size_gb)) = (
        settings.name.take(),
        settings.machine_type.take(),
        settings.size_gb.take(),
    ) else {
        return Err(ApiError::internal("required properties were checked"));
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
        script_id: string(p, "startupScriptId"),
        script_field: "startupScriptId",
        start_on_create: boolean(p, "startOnCreate").unwrap_or(true),
        accessor_ids,
        extras,
    };
    Ok((new, settings))
}

/// A `name` filter as the service reads it: a part of the name, in any case (docs/v1.md,
/// "Requests": not an exact match; that it ignores case is inferred).
pub(crate) fn name_matches(name: &str, wanted: Option<&str>) -> bool {
    wanted.is_none_or(|w| name.to_lowercase().contains(&w.to_lowercase()))
}

/// `after`, `limit`, `orderBy`, `order` of a list (already checked against its operation).
/// The cursor `after` (a page's `nextPage`) is the offset of the next item, as text.
pub(crate) struct Paging {
    offset: usize,
    limit: usize,
    /// The field to order by (the operation's default when not given).
    pub order_by: &'static str,
    descending: bool,
}

impl Paging {
    pub(crate) fn of(op: &Operation, query: &Query) -> Result<Paging, ApiError> {
        let offset = match query.non_empty("after") {
            None => 0,
            Some(text) => decimal(text).ok_or_else(|| {
                ApiError::invalid(
                    "after",
                    format!("Invalid cursor '{text}'"),
                    "Expected the nextPage of a previous page",
                )
            })?,
        };
        let limit = query
            .get("limit")
            .and_then(|text| text.parse().ok())
            .unwrap_or(DEFAULT_LIMIT);
        let order_by = query
            .get("orderBy")
            .and_then(|field| op.order_by.iter().copied().find(|o| *o == field))
            .unwrap_or(op.order_by[0]);
        Ok(Paging {
            offset,
            limit,
            order_by,
            descending: query.get("order") != Some("asc"),
        })
    }

    /// One page of `items`, which are in creation order (`dtCreated`'s), sorted by `name` first
    /// when the list is ordered by name.
    pub(crate) fn page_named<T>(&self, mut items: Vec<T>, name: impl Fn(&T) -> &str) -> Page<T> {
        if self.order_by == "name" {
            items.sort_by(|a, b| name(a).cmp(name(b)));
        }
        self.page(items)
    }

    /// One page of `items`, which are in ascending order of [`Paging::order_by`].
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
