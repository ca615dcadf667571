//! From clap's matches to raw flag values in command-line order: `create --optionsFile`
//! merged in, and one argument list per machine when several ids are given.

use crate::api::params::{FileData, Invocation, ParamValue};
use crate::api::spec::{CommandSpec, Targets, ValueKind};
use crate::error::{CliError, Result};
use clap::ArgMatches;

pub(super) fn take_value(raw: &mut Vec<(&'static str, String)>, name: &str) -> Option<String> {
    let index = raw.iter().position(|(n, _)| *n == name)?;
    Some(raw.remove(index).1)
}

/// `--machineId a --machineId b,c`: one argument list per machine, each with its id where the
/// first `--machineId` stood. Commands that take one machine are left as they are.
pub(crate) fn split_machine_ids(
    spec: &CommandSpec,
    raw: &[(&'static str, String)],
) -> Vec<Vec<(&'static str, String)>> {
    let Targets::Many(flag) = spec.targets else {
        return vec![raw.to_vec()];
    };
    let ids = raw.iter().find(|(name, _)| *name == flag);
    match ids {
        Some((_, ids)) if ids.contains(',') => ids
            .split(',')
            .map(|id| {
                raw.iter()
                    .map(|(name, value)| {
                        let value = if *name == flag { id } else { value };
                        (*name, value.to_string())
                    })
                    .collect()
            })
            .collect(),
        _ => vec![raw.to_vec()],
    }
}

/// `create --optionsFile FILE`: the file's keys are flag names; its values come first (in
/// file order) and a flag given on the command line wins over the same key in the file.
pub(crate) fn merge_options_file(
    spec: &'static CommandSpec,
    path: &str,
    text: &str,
    command_line: Vec<(&'static str, String)>,
) -> Result<Vec<(&'static str, String)>> {
    let bad = |what: String| CliError::usage(format!("--optionsFile {path}: {what}"));
    let object: indexmap::IndexMap<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| bad(format!("not a JSON object ({e})")))?;
    let mut merged = Vec::with_capacity(object.len() + command_line.len());
    for (key, value) in object {
        let param = spec
            .params
            .iter()
            .find(|p| p.name == key && p.name != "optionsFile")
            .ok_or_else(|| {
                let valid: Vec<&str> = spec
                    .params
                    .iter()
                    .map(|p| p.name)
                    .filter(|n| *n != "optionsFile")
                    .collect();
                bad(format!(
                    "unknown key '{key}'; valid keys: {}",
                    valid.join(", ")
                ))
            })?;
        let text = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => {
                return Err(bad(format!(
                    "'{key}' must be a string, a number or a boolean"
                )));
            }
        };
        if !command_line.iter().any(|(name, _)| *name == param.name) {
            merged.push((param.name, text));
        }
    }
    merged.extend(command_line);
    Ok(merged)
}

/// The given flags of a command with their raw text, in command-line order.
/// A repeated `--machineId` comes back as one comma-separated value, at its first place.
pub(super) fn raw_values_in_flag_order(
    spec: &'static CommandSpec,
    matches: &ArgMatches,
) -> Vec<(&'static str, String)> {
    let mut given = Vec::new();
    for param in spec.params {
        if let (Some(values), Some(index)) = (
            matches.get_many::<String>(param.name),
            matches.index_of(param.name),
        ) {
            let values: Vec<&str> = values.map(String::as_str).collect();
            given.push((index, param.name, values.join(",")));
        }
    }
    given.sort_by_key(|(index, _, _)| *index);
    given
        .into_iter()
        .map(|(_, name, value)| (name, value))
        .collect()
}

/// Read the files the flags of kind `File` name, before anything is sent: an unreadable one is
/// a usage error naming the flag and the file.
pub(super) fn read_files(mut invocation: Invocation) -> Result<Invocation> {
    for (param, value) in &mut invocation.values {
        if param.kind != ValueKind::File {
            continue;
        }
        let path = value.to_query_text();
        let bytes = std::fs::read(&path)
            .map_err(|e| CliError::usage(format!("cannot read --{} {path}: {e}", param.name)))?;
        let name = std::path::Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.clone());
        *value = ParamValue::File(Box::new(FileData { path, name, bytes }));
    }
    Ok(invocation)
}
