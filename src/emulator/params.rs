//! Parameters: JSON bodies and query strings into validated requests. Every problem is a 400
//! naming the parameter (and the accepted values), never a panic or a plain-text rejection.

use super::reply::ApiError;
use super::state::{CreateRequest, UpdateRequest};
use crate::vocab::{
    BILLING_TYPES, LEGACY_SNAPSHOT_FREQUENCIES_OR_NULL as AUTO_SNAPSHOT_FREQUENCIES, MACHINE_TYPES,
    REGIONS, RESTORE_POINT_FREQUENCIES, Region,
};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

pub type Params = Map<String, Value>;

/// A POST body: empty means no parameters; otherwise it must be a JSON object.
pub fn body_object(bytes: &[u8]) -> Result<Params, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(err) => Err(ApiError::bad_request(format!("Invalid JSON body: {err}"))),
    }
}

/// A query string as decoded pairs in order (`+` is a space, as form encoding has it).
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    let decode = |text: &str| {
        percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    raw.unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) => (decode(key), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// The first value of `key` in a query.
pub fn query_get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

pub fn missing(key: &str) -> ApiError {
    ApiError::bad_request(format!("Missing required parameter `{key}`"))
}

fn wrong_type(key: &str, expected: &str) -> ApiError {
    ApiError::bad_request(format!("Parameter `{key}` expected to be {expected}"))
}

pub fn required_query<'a>(pairs: &'a [(String, String)], key: &str) -> Result<&'a str, ApiError> {
    query_get(pairs, key)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing(key))
}

pub fn req_string(p: &Params, key: &str) -> Result<String, ApiError> {
    opt_string(p, key)?.ok_or_else(|| missing(key))
}

pub fn opt_string(p: &Params, key: &str) -> Result<Option<String>, ApiError> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(wrong_type(key, "a string")),
    }
}

/// Booleans are JSON booleans; the strings `"true"`/`"false"` are accepted too because the
/// API's own curl example sends `"enableAccess": "true"`.
pub fn opt_bool(p: &Params, key: &str) -> Result<Option<bool>, ApiError> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(wrong_type(key, "a boolean (true or false)")),
    }
}

pub fn opt_count(p: &Params, key: &str) -> Result<Option<u64>, ApiError> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15)
                    .map(|f| f as u64)
            })
            .map(Some)
            .ok_or_else(|| wrong_type(key, "a non-negative integer")),
        Some(_) => Err(wrong_type(key, "a non-negative integer")),
    }
}

fn one_of(key: &str, value: &str, accepted: &[&str]) -> ApiError {
    ApiError::bad_request(format!(
        "Invalid {key} '{value}': expected one of {}",
        accepted.join(", ")
    ))
}

/// A region given as long name or short code, as its long name.
pub fn region(key: &str, value: &str) -> Result<&'static str, ApiError> {
    Region::find(value).map(|r| r.name).ok_or_else(|| {
        let accepted: Vec<&str> = REGIONS.iter().map(|r| r.name).collect();
        ApiError::bad_request(format!(
            "Invalid {key} '{value}': expected one of {} (or ny2, ca1, ams1)",
            accepted.join(", ")
        ))
    })
}

pub fn machine_type(key: &str, value: &str) -> Result<String, ApiError> {
    if MACHINE_TYPES.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(one_of(key, value, MACHINE_TYPES))
    }
}

/// Create parameters without a field of their own in the machine object; kept as given.
const CREATE_EXTRAS: &[&str] = &[
    "notificationEmail",
    "takeInitialSnapshot",
    "markSnapshotAsRestorePoint",
    "enableNvlink",
    "email",
    "firstName",
    "lastName",
];

pub fn create_request(p: &Params) -> Result<CreateRequest, ApiError> {
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
    if !BILLING_TYPES.contains(&billing_type.as_str()) {
        return Err(one_of("billingType", &billing_type, BILLING_TYPES));
    }
    if template_id.trim().is_empty() {
        return Err(ApiError::bad_request("templateId not found"));
    }

    let assign_public_ip = opt_bool(p, "assignPublicIp")?.unwrap_or(false);
    let dynamic_public_ip = opt_bool(p, "dynamicPublicIp")?.unwrap_or(false);
    if assign_public_ip && dynamic_public_ip {
        return Err(ApiError::bad_request(
            "assignPublicIp and dynamicPublicIp cannot be used together",
        ));
    }
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
    let restore_point_frequency = opt_string(p, "restorePointFrequency")?;
    if let Some(frequency) = &restore_point_frequency
        && !RESTORE_POINT_FREQUENCIES.contains(&frequency.as_str())
    {
        return Err(one_of(
            "restorePointFrequency",
            frequency,
            RESTORE_POINT_FREQUENCIES,
        ));
    }
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
    Ok(CreateRequest {
        region: region.to_string(),
        machine_type,
        size_gb: size,
        billing_type,
        name,
        template_id,
        team_id: opt_string(p, "teamId")?,
        user_id,
        network_id: opt_string(p, "networkId")?,
        script_id: opt_string(p, "scriptId")?,
        assign_public_ip,
        dynamic_public_ip,
        start_on_create: opt_bool(p, "startOnCreate")?.unwrap_or(true),
        restore_point_frequency,
        extras,
    })
}

pub fn update_request(p: &Params) -> Result<UpdateRequest, ApiError> {
    let auto_snapshot_frequency = match p.get("autoSnapshotFrequency") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) if AUTO_SNAPSHOT_FREQUENCIES.contains(&s.as_str()) => {
            Some((s != "null").then(|| s.clone()))
        }
        Some(Value::String(s)) => {
            return Err(one_of(
                "autoSnapshotFrequency",
                s,
                AUTO_SNAPSHOT_FREQUENCIES,
            ));
        }
        Some(other) => {
            return Err(one_of(
                "autoSnapshotFrequency",
                &other.to_string(),
                AUTO_SNAPSHOT_FREQUENCIES,
            ));
        }
    };
    let request = UpdateRequest {
        name: opt_string(p, "machineName")?,
        shutdown_timeout_in_hours: opt_count(p, "shutdownTimeoutInHours")?,
        shutdown_timeout_forces: opt_bool(p, "shutdownTimeoutForces")?,
        auto_snapshot_frequency,
        auto_snapshot_save_count: opt_count(p, "autoSnapshotSaveCount")?,
        perform_auto_snapshot: opt_bool(p, "performAutoSnapshot")?,
        dynamic_public_ip: opt_bool(p, "dynamicPublicIp")?,
        assign_public_ip: opt_bool(p, "assignPublicIp")?,
    };
    if request.assign_public_ip == Some(true) && request.dynamic_public_ip == Some(true) {
        return Err(ApiError::bad_request(
            "assignPublicIp and dynamicPublicIp cannot be used together",
        ));
    }
    Ok(request)
}

/// `limit`/`skip` of `getMachines`: decimal non-negative integers.
pub fn paging(pairs: &[(String, String)]) -> Result<(usize, usize), ApiError> {
    let number = |key: &str, default: usize| -> Result<usize, ApiError> {
        match query_get(pairs, key) {
            None => Ok(default),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
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
    fn query_strings_decode_rfc3986_and_form_spaces() {
        let pairs = query_pairs(Some(
            "name=a%26b%3Dc%2Bd%20e+f&flag&region=East%20Coast%20%28NY2%29",
        ));
        assert_eq!(pairs[0], ("name".into(), "a&b=c+d e f".into()));
        assert_eq!(pairs[1], ("flag".into(), String::new()));
        assert_eq!(query_get(&pairs, "region"), Some("East Coast (NY2)"));
        assert!(query_pairs(None).is_empty());
    }

    #[test]
    fn bodies_must_be_objects_or_empty() {
        assert!(body_object(b"").unwrap().is_empty());
        assert!(body_object(b" \n").unwrap().is_empty());
        assert!(body_object(b"[1]").is_err());
        assert!(body_object(b"{nope").is_err());
    }

    #[test]
    fn paging_rejects_signs_and_text() {
        let q = |s: &str| query_pairs(Some(s));
        assert_eq!(paging(&q("")).unwrap(), (0, 1000));
        assert_eq!(paging(&q("limit=5&skip=2")).unwrap(), (2, 5));
        assert!(paging(&q("limit=-1")).is_err());
        assert!(paging(&q("skip=+1")).is_err());
        assert!(paging(&q("limit=ten")).is_err());
    }
}
