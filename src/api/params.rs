//! Flag values: each raw value checked against its parameter's kind, the command's cross-flag
//! rules applied, and the result kept as an `Invocation`, the typed input of the planners.
//! Pure: no I/O, no environment.

use super::commands::CommandId;
use super::spec::{CommandSpec, ParamSpec, Route, Rule, ValueKind};
use crate::error::{CliError, Result};
use crate::vocab::Region;
use serde_json::Value;

/// A flag's value after validation, typed as it goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Text(String),
    Count(u64),
    Bool(bool),
    Null,
    Seconds(f64),
    /// A file the CLI has read (`ValueKind::File`).
    File(Box<FileData>),
}

/// A file given by a flag, as read before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileData {
    /// As the user gave it (for messages and `--dry-run`).
    pub path: String,
    /// The last part of the path: what an upload names the file.
    pub name: String,
    pub bytes: Vec<u8>,
}

impl ParamValue {
    pub(crate) fn to_json(&self) -> Value {
        match self {
            ParamValue::Text(s) => Value::String(s.clone()),
            ParamValue::Count(n) => Value::from(*n),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::Null => Value::Null,
            ParamValue::Seconds(s) => Value::from(*s),
            ParamValue::File(file) => Value::String(file.path.clone()),
        }
    }

    /// The value as query text (and as the text a legacy filter compares).
    pub fn to_query_text(&self) -> String {
        match self {
            ParamValue::Text(s) => s.clone(),
            ParamValue::Count(n) => n.to_string(),
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::Null => "null".to_string(),
            ParamValue::Seconds(s) => s.to_string(),
            ParamValue::File(file) => file.path.clone(),
        }
    }
}

/// A command invocation whose every value has been checked: what the planners consume. Values
/// are kept in the order the flags were given.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub spec: &'static CommandSpec,
    pub values: Vec<(&'static ParamSpec, ParamValue)>,
}

impl Invocation {
    pub fn command(&self) -> CommandId {
        self.spec.id
    }

    /// A route's path with each `{flag}` filled by this invocation's value of that flag.
    pub(crate) fn path(&self, route: &Route) -> String {
        route.fill(|flag| self.text(flag).unwrap_or_default().to_string())
    }

    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, v)| v)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(ParamValue::Text(s)) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn switch(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(ParamValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// Whether a client switch (`--wait`, `--all`, `--yes`) was given as true.
    pub(crate) fn is_set(&self, name: &str) -> bool {
        self.switch(name) == Some(true)
    }

    pub(crate) fn count(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Some(ParamValue::Count(n)) => Some(*n),
            _ => None,
        }
    }

    /// The machine this invocation names with `--machineId` (empty when it names none).
    pub(crate) fn machine_id(&self) -> &str {
        self.text("machineId").unwrap_or_default()
    }

    /// The id of what the command acts on (its `Targets` flag), empty when it has none.
    pub(crate) fn target_id(&self) -> &str {
        self.spec
            .targets
            .flag()
            .and_then(|flag| self.text(flag))
            .unwrap_or_default()
    }

    /// A client-side duration: the flag's value, else the spec's default.
    pub fn seconds(&self, name: &str) -> Option<f64> {
        match self.get(name) {
            Some(ParamValue::Seconds(s)) => Some(*s),
            _ => self.spec.param(name)?.default?.parse().ok(),
        }
    }
}

fn accepted(values: &[&str]) -> String {
    values.join(", ")
}

/// The longest wait or poll interval taken, in seconds (a year): more is surely a typo, and
/// would not fit a timer (`--timeout 0` waits without limit).
const MAX_SECONDS: f64 = 31_536_000.0;

/// Check one raw flag value against its kind; the message names the flag and what it accepts.
pub fn parse_value(param: &ParamSpec, raw: &str) -> Result<ParamValue> {
    let flag = param.name;
    let invalid =
        |what: &str| CliError::usage(format!("invalid value '{raw}' for --{flag}: {what}"));
    match param.kind {
        ValueKind::Text => Ok(ParamValue::Text(raw.to_string())),
        ValueKind::Id => {
            if raw.trim().is_empty() {
                Err(CliError::usage(format!("--{flag} must not be empty")))
            } else {
                Ok(ParamValue::Text(raw.to_string()))
            }
        }
        ValueKind::Count { min } => {
            let digits_only = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
            let number = digits_only.then(|| raw.parse::<u64>().ok()).flatten();
            match number {
                Some(n) if n >= min => Ok(ParamValue::Count(n)),
                _ => Err(invalid(&format!(
                    "expected a whole number of at least {min}"
                ))),
            }
        }
        ValueKind::Switch => match raw.to_ascii_lowercase().as_str() {
            "true" => Ok(ParamValue::Bool(true)),
            "false" => Ok(ParamValue::Bool(false)),
            _ => Err(invalid(
                "accepted values are true, false (a bare flag means true)",
            )),
        },
        ValueKind::OneOf(set) | ValueKind::OneOfOrNull(set) | ValueKind::OneOfAnyCase(set) => {
            let any_case = matches!(param.kind, ValueKind::OneOfAnyCase(_));
            if raw == "null" && matches!(param.kind, ValueKind::OneOfOrNull(_)) {
                return Ok(ParamValue::Null);
            }
            set.iter()
                .find(|v| **v == raw || (any_case && v.eq_ignore_ascii_case(raw)))
                .map(|v| ParamValue::Text(v.to_string()))
                .ok_or_else(|| invalid(&format!("accepted values are {}", accepted(set))))
        }
        ValueKind::Region => Region::find(raw)
            .map(|region| ParamValue::Text(region.name.to_string()))
            .ok_or_else(|| {
                invalid(&format!(
                    "accepted values are {}",
                    accepted(&Region::spellings())
                ))
            }),
        ValueKind::NonEmpty | ValueKind::File => {
            if raw.is_empty() {
                Err(CliError::usage(format!("--{flag} must not be empty")))
            } else {
                Ok(ParamValue::Text(raw.to_string()))
            }
        }
        ValueKind::MachineType => {
            if raw.trim().is_empty() {
                Err(CliError::usage(format!("--{flag} must not be empty")))
            } else {
                Ok(ParamValue::Text(raw.to_string()))
            }
        }
        ValueKind::Month => {
            if is_billing_month(raw) {
                Ok(ParamValue::Text(raw.to_string()))
            } else {
                Err(invalid("expected a month as YYYY-MM, e.g. 2022-03"))
            }
        }
        ValueKind::Seconds { allow_zero } => match raw.trim().parse::<f64>() {
            Ok(s) if s > MAX_SECONDS => Err(invalid(&format!(
                "expected at most {MAX_SECONDS} seconds (a year)"
            ))),
            Ok(s) if s.is_finite() && (s > 0.0 || (allow_zero && s == 0.0)) => {
                Ok(ParamValue::Seconds(s))
            }
            _ if allow_zero => Err(invalid("expected a number of seconds, 0 or more")),
            _ => Err(invalid("expected a number of seconds greater than 0")),
        },
    }
}

fn is_billing_month(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(raw[5..].parse::<u8>(), Ok(1..=12))
}

/// Validate the raw values of a command (given as `(flag name, raw text)` in command-line
/// order) and apply the command's cross-flag rules.
pub fn validate(spec: &'static CommandSpec, raw: &[(&str, String)]) -> Result<Invocation> {
    let mut values = Vec::with_capacity(raw.len());
    for (name, text) in raw {
        let param = spec
            .param(name)
            .ok_or_else(|| CliError::usage(format!("unknown flag --{name}")))?;
        values.push((param, parse_value(param, text)?));
    }
    if let Some(missing) = spec
        .params
        .iter()
        .find(|p| p.required && !values.iter().any(|(v, _)| v.name == p.name))
    {
        return Err(CliError::usage(format!(
            "missing required flag --{}",
            missing.name
        )));
    }
    let invocation = Invocation { spec, values };
    // The ids the legacy route puts in its path; v1 puts every id there (its planner checks).
    for flag in spec
        .legacy
        .route()
        .iter()
        .flat_map(|route| route.path_flags())
    {
        check_path_segment(invocation.text(flag).unwrap_or_default(), flag)?;
    }
    for rule in spec.rules {
        check_rule(&invocation, rule)?;
    }
    Ok(invocation)
}

/// An id that goes into a URL path as a segment: `.` and `..` cannot, since URL
/// normalisation would address another endpoint (`/machines/../start` is `/start`).
pub(crate) fn check_path_segment(id: &str, flag: &str) -> Result<()> {
    if id == "." || id == ".." {
        return Err(CliError::usage(format!(
            "invalid value '{id}' for --{flag}: '.' and '..' cannot be ids"
        )));
    }
    Ok(())
}

fn check_rule(inv: &Invocation, rule: &Rule) -> Result<()> {
    match *rule {
        Rule::NotBothTrue(a, b) => {
            if inv.switch(a) == Some(true) && inv.switch(b) == Some(true) {
                return Err(CliError::usage(format!(
                    "--{a} and --{b} cannot be used together: choose one"
                )));
            }
        }
        Rule::Excludes { flag, others } => {
            if inv.get(flag).is_some()
                && let Some(other) = others.iter().find(|o| inv.get(o).is_some())
            {
                return Err(CliError::usage(format!(
                    "--{flag} cannot be used with --{other}: give an existing user's id, or the new user's {}",
                    others
                        .iter()
                        .map(|o| format!("--{o}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Rule::WhenTrueRequires {
            flag,
            needs_true,
            needs_given,
        } => {
            if inv.switch(flag) == Some(true)
                && (inv.switch(needs_true) != Some(true) || inv.get(needs_given).is_none())
            {
                return Err(CliError::usage(format!(
                    "--{flag} needs --{needs_true} true and --{needs_given} to be given"
                )));
            }
        }
        Rule::ExactlyOne(flags) => {
            let given = flags.iter().filter(|f| inv.get(f).is_some()).count();
            if given != 1 {
                let names: Vec<String> = flags.iter().map(|f| format!("--{f}")).collect();
                let what = if given == 0 {
                    "is needed"
                } else {
                    "is allowed"
                };
                return Err(CliError::usage(format!(
                    "exactly one of {} {what}",
                    names.join(" and ")
                )));
            }
        }
        Rule::AtMostOne(flags) => {
            let given: Vec<String> = flags
                .iter()
                .filter(|f| inv.get(f).is_some())
                .map(|f| format!("--{f}"))
                .collect();
            if given.len() > 1 {
                return Err(CliError::usage(format!(
                    "{} cannot be used together: choose one",
                    given.join(" and ")
                )));
            }
        }
        Rule::AtLeastOne(flags) => {
            if !flags.iter().any(|f| inv.get(f).is_some()) {
                let names: Vec<String> = flags.iter().map(|f| format!("--{f}")).collect();
                return Err(CliError::usage(format!(
                    "nothing to change: give at least one of {}",
                    names.join(", ")
                )));
            }
        }
    }
    Ok(())
}
