//! Reading request values, for both APIs: JSON bodies and query strings, each field checked
//! for its type. Every problem is a 400 naming the parameter (and the accepted values), never
//! a panic or a plain-text rejection. What each API accepts is in `legacy::params` and
//! `v1::params`.

use super::catalog::{self, TypeSpec};
use super::http::ApiError;
use crate::vocab::known_machine_types;
use serde_json::{Map, Value};

pub(crate) type Params = Map<String, Value>;

/// A request body: empty means no parameters; otherwise it must be a JSON object.
pub(crate) fn body_object(bytes: &[u8]) -> Result<Params, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Params::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(err) => Err(ApiError::bad_request(format!("Invalid JSON body: {err}"))),
    }
}

/// A query string as decoded pairs in order (percent-encoding as RFC 3986 has it, `+` a
/// space as form encoding has it).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Query(pub Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Query {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes());
        Query(pairs.into_owned().collect())
    }

    /// The first value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `key` unless it is empty.
    pub(crate) fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    pub(crate) fn required(&self, key: &str) -> Result<&str, ApiError> {
        self.non_empty(key).ok_or_else(|| missing(key))
    }
}

pub(crate) fn missing(key: &str) -> ApiError {
    ApiError::bad_request(format!("Missing required parameter `{key}`"))
}

fn wrong_type(key: &str, expected: &str) -> ApiError {
    ApiError::bad_request(format!("Parameter `{key}` expected to be {expected}"))
}

pub(crate) fn one_of(key: &str, value: &str, accepted: &[&str]) -> ApiError {
    ApiError::bad_request(format!(
        "Invalid {key} '{value}': expected one of {}",
        accepted.join(", ")
    ))
}

pub(crate) fn req_string(p: &Params, key: &str) -> Result<String, ApiError> {
    opt_string(p, key)?.ok_or_else(|| missing(key))
}

pub(crate) fn opt_string(p: &Params, key: &str) -> Result<Option<String>, ApiError> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(wrong_type(key, "a string")),
    }
}

/// Booleans are JSON booleans; the strings `"true"`/`"false"` are accepted too because the
/// legacy API's own curl example sends `"enableAccess": "true"`.
pub(crate) fn opt_bool(p: &Params, key: &str) -> Result<Option<bool>, ApiError> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(wrong_type(key, "a boolean (true or false)")),
    }
}

pub(crate) fn opt_count(p: &Params, key: &str) -> Result<Option<u64>, ApiError> {
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

/// A string that must be one of `accepted`, exactly.
pub(crate) fn opt_word(
    p: &Params,
    key: &str,
    accepted: &[&'static str],
) -> Result<Option<&'static str>, ApiError> {
    match opt_string(p, key)? {
        Some(value) => match accepted.iter().find(|word| **word == value) {
            Some(word) => Ok(Some(word)),
            None => Err(one_of(key, &value, accepted)),
        },
        None => Ok(None),
    }
}

/// A machine type the legacy API knows (`vocab::known_machine_types`: the reference's and the
/// types sold since), exactly as spelled there.
pub(crate) fn machine_type(key: &str, value: &str) -> Result<&'static TypeSpec, ApiError> {
    catalog::spec(value).ok_or_else(|| {
        let known: Vec<&str> = known_machine_types().collect();
        one_of(key, value, &known)
    })
}

/// A count as a query spells it (`skip`, `limit`, `after`): decimal digits only, no sign.
pub(crate) fn decimal(text: &str) -> Option<usize> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode_rfc3986_and_form_spaces() {
        let pairs = Query::parse(Some(
            "name=a%26b%3Dc%2Bd%20e+f&flag&region=East%20Coast%20%28NY2%29",
        ));
        assert_eq!(pairs.0[0], ("name".into(), "a&b=c+d e f".into()));
        assert_eq!(pairs.0[1], ("flag".into(), String::new()));
        assert_eq!(pairs.get("region"), Some("East Coast (NY2)"));
        assert!(Query::parse(None).0.is_empty());
    }

    #[test]
    fn bodies_must_be_objects_or_empty() {
        assert!(body_object(b"").unwrap().is_empty());
        assert!(body_object(b" \n").unwrap().is_empty());
        assert!(body_object(b"[1]").is_err());
        assert!(body_object(b"{nope").is_err());
    }
}
