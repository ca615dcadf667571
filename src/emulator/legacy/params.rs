//! What the legacy API accepts: `createSingleMachinePublic` and `updateMachinePublic` bodies
//! into a [`NewMachine`] and [`Changes`], `getMachines` paging, and regions as
//! `vocab::Region::find` has them (the long name exactly, or the code in any case).

use crate::emulator::changes::Changes;
use crate::emulator::http::ApiError;
use crate::emulator::params::{
    Params, Query, decimal, machine_type, missing, one_of, opt_bool, opt_count, opt_string,
    opt_word, req_string,
};
use crate::emulator::record::IpKind;
use crate::emulator::store::NewMachine;
use crate::vocab::{
    BILLING_TYPES, LEGACY_SNAPSHOT_FREQUENCIES_OR_NULL, REGIONS, RESTORE_POINT_FREQUENCIES, Region,
    SnapshotFrequency,
};
use serde_json::Value;

/// A region given as long name or short code.
pub(crate) fn region(key: &str, value: &str) -> Result<&'static Region, ApiError> {
    Region::find(value).ok_or_else(|| {
        let names: Vec<&str> = REGIONS.iter().map(|r| r.name).collect();
        let codes: Vec<&str> = REGIONS.iter().map(|r| r.code).collect();
        ApiError::bad_request(format!(
            "Invalid {key} '{value}': expected one of {} (or {})",
            names.join(", "),
            codes.join(", ")
        ))
    })
}

/// Create parameters without a field of their own in the machine; kept as given.
const CREATE_EXTRAS: &[&str] = &[
    "notificationEmail",
    "takeInitialSnapshot",
    "markSnapshotAsRestorePoint",
    "enableNvlink",
    "email",
    "firstName",
    "lastName",
];

/// `assignPublicIp` / `dynamicPublicIp` (create and update), which cannot both be `true`. A
/// `false` asks for nothing: an address a machine has is never removed by one (nothing a user
/// has is lost unless asked; a static address is released by `destroyMachine` with
/// `releasePublicIp`).
fn public_ip(p: &Params) -> Result<Option<IpKind>, ApiError> {
    let assign = opt_bool(p, "assignPublicIp")?;
    let dynamic = opt_bool(p, "dynamicPublicIp")?;
    Ok(match (assign, dynamic) {
        (Some(true), Some(true)) => {
            return Err(ApiError::bad_request(
                "assignPublicIp and dynamicPublicIp cannot be used together",
            ));
        }
        (Some(true), _) => Some(IpKind::Static),
        (_, Some(true)) => Some(IpKind::Dynamic),
        _ => None,
    })
}

pub(crate) fn create_request(p: &Params) -> Result<(NewMachine, Changes), ApiError> {
    // Required first, in the reference's order, so the first missing one is named.
    let region_text = req_string(p, "region")?;
    let machine_type_text = req_string(p, "machineType")?;
    let size = opt_count(p, "size")?.ok_or_else(|| missing("size"))?;
    let billing_type = req_string(p, "billingType")?;
    let name = req_string(p, "machineName")?;
    let template_id = req_string(p, "templateId")?;

    let region = region("region", &region_text)?;
    let machine_type = machine_type("machineType", &machine_type_text)?;
    if size < 1 {
        return Err(ApiError::bad_request(format!(
            "Invalid size {size}: expected a whole number of GB, at least 1"
        )));
    }
    let billing_type = BILLING_TYPES
        .iter()
        .find(|b| **b == billing_type)
        .ok_or_else(|| one_of("billingType", &billing_type, BILLING_TYPES))?;
    if template_id.trim().is_empty() {
        return Err(ApiError::bad_request("templateId not found"));
    }

    let public_ip = public_ip(p)?;
    let user_id = opt_string(p, "userId")?;
    let new_user_fields = ["email", "password", "firstName", "lastName"];
    for key in new_user_fields {
        opt_string(p, key)?;
    }
    if user_id.is_some()
        && new_user_fields
            .iter()
            .any(|k| p.get(*k).is_some_and(|v| !v.is_null()))
    {
        return Err(ApiError::bad_request(
            "userId cannot be used with email, password, firstName or lastName",
        ));
    }
    let restore_point_frequency = opt_word(p, "restorePointFrequency", RESTORE_POINT_FREQUENCIES)?;
    let take_initial = opt_bool(p, "takeInitialSnapshot")?.unwrap_or(false);
    let mark_restore = opt_bool(p, "markSnapshotAsRestorePoint")?.unwrap_or(false);
    if mark_restore && !(take_initial && restore_point_frequency.is_some()) {
        return Err(ApiError::bad_request(
            "markSnapshotAsRestorePoint needs takeInitialSnapshot and restorePointFrequency",
        ));
    }
    opt_bool(p, "enableNvlink")?;
    opt_string(p, "notificationEmail")?;

    let extras = CREATE_EXTRAS
        .iter()
        .filter_map(|key| {
            p.get(*key)
                .filter(|v| !v.is_null())
                .map(|v| (key.to_string(), v.clone()))
        })
        .collect();
    let new = NewMachine {
        region,
        machine_type,
        size_gb: size,
        billing_type,
        name,
        template_id,
        team_id: opt_string(p, "teamId")?,
        user_id,
        network_id: opt_string(p, "networkId")?,
        script_id: opt_string(p, "scriptId")?,
        script_field: "scriptId",
        start_on_create: opt_bool(p, "startOnCreate")?.unwrap_or(true),
        accessor_ids: Vec::new(),
        extras,
    };
    let settings = Changes {
        public_ip,
        restore_point_frequency,
        ..Changes::default()
    };
    Ok((new, settings))
}

/// `autoSnapshotFrequency` of an update: a legacy word, or `null` (JSON null or the text
/// `"null"`, which the legacy CLI sends) to clear it.
fn snapshot_frequency(p: &Params) -> Result<Option<Option<&'static SnapshotFrequency>>, ApiError> {
    const KEY: &str = "autoSnapshotFrequency";
    let accepted = LEGACY_SNAPSHOT_FREQUENCIES_OR_NULL;
    match p.get(KEY) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) if s == "null" => Ok(Some(None)),
        Some(Value::String(s)) => SnapshotFrequency::from_legacy(s)
            .map(|f| Some(Some(f)))
            .ok_or_else(|| one_of(KEY, s, accepted)),
        Some(other) => Err(one_of(KEY, &other.to_string(), accepted)),
    }
}

pub(crate) fn update_request(p: &Params) -> Result<Changes, ApiError> {
    let auto_snapshot_frequency = snapshot_frequency(p)?;
    Ok(Changes {
        name: opt_string(p, "machineName")?,
        auto_shutdown_hours: opt_count(p, "shutdownTimeoutInHours")?,
        auto_shutdown_force: opt_bool(p, "shutdownTimeoutForces")?,
        auto_snapshot_frequency,
        auto_snapshot_save_count: opt_count(p, "autoSnapshotSaveCount")?,
        auto_snapshot_enabled: opt_bool(p, "performAutoSnapshot")?,
        public_ip: public_ip(p)?,
        ..Changes::default()
    })
}

/// `skip`/`limit` of `getMachines`: decimal non-negative integers.
pub(crate) fn paging(query: &Query) -> Result<(usize, usize), ApiError> {
    let number = |key: &str, default: usize| -> Result<usize, ApiError> {
        match query.get(key) {
            None => Ok(default),
            Some(text) => decimal(text).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Invalid {key} '{text}': expected a non-negative integer"
                ))
            }),
        }
    };
    Ok((number("skip", 0)?, number("limit", 1000)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_rejects_signs_and_text() {
        let q = |s: &str| Query::parse(Some(s));
        assert_eq!(paging(&q("")).unwrap(), (0, 1000));
        assert_eq!(paging(&q("limit=5&skip=2")).unwrap(), (2, 5));
        assert!(paging(&q("limit=-1")).is_err());
        assert!(paging(&q("skip=+1")).is_err());
        assert!(paging(&q("limit=ten")).is_err());
    }
}
