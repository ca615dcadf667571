//! Scans of argv made before clap sees it: which command is named (so a usage error knows
//! whether to print the JSON error object), and values forgotten before the next flag.

use super::flags::GLOBAL_VALUE_FLAGS;
use super::tree::kebab_case;
use crate::api::commands;
use crate::api::spec::{CommandSpec, ValueKind};
use crate::error::{CliError, Result};
use std::ffi::OsString;

/// The legacy CLI's namespaces of Gradient, Paperspace's other product: no Core equivalent.
const GRADIENT_NAMESPACES: &[&str] = &["jobs", "project", "projects", "resourceDelegations"];

/// `paperspace jobs ...`: a usage error saying this CLI is for Core and which namespaces it has
/// (clap would only say the word is unknown).
pub(super) fn check_gradient_namespace(args: &[OsString]) -> Result<()> {
    let Some(first) = positionals(args).into_iter().next() else {
        return Ok(());
    };
    if !GRADIENT_NAMESPACES.contains(&first) {
        return Ok(());
    }
    let namespaces: Vec<&str> = commands::Namespace::ALL.iter().map(|n| n.name()).collect();
    Err(CliError::usage(format!(
        "'{first}' is a Gradient namespace of the legacy CLI; this CLI is for Paperspace Core: {}",
        namespaces.join(", ")
    )))
}

/// The first two words of argv that are not flags or client flags' values.
fn positionals(args: &[OsString]) -> Vec<&str> {
    let mut positionals = Vec::new();
    let mut skip_value = false;
    for arg in args.iter().skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        if skip_value {
            skip_value = false;
        } else if arg.starts_with('-') {
            skip_value = GLOBAL_VALUE_FLAGS.contains(&arg);
        } else {
            positionals.push(arg);
            if positionals.len() == 2 {
                break;
            }
        }
    }
    positionals
}

/// The API command named in argv, if any: decides whether a usage error also prints the JSON
/// error object (docs/compatibility.md: only once the command is known).
pub(crate) fn known_command(args: &[OsString]) -> Option<&'static CommandSpec> {
    match positionals(args).as_slice() {
        [namespace, name] => commands::find(namespace, name),
        _ => None,
    }
}

/// `--machineName --size 5` would otherwise name the machine "--size" (values may start
/// with '-'): a value-taking flag followed directly by a long flag means the value was
/// forgotten. Checked on argv before clap sees it; `--flag=--value` stays possible.
pub(super) fn check_forgotten_values(spec: &CommandSpec, args: &[OsString]) -> Result<()> {
    // `--` then a letter: a long flag, known or not (a negative number is not one).
    let looks_like_flag = |token: &str| {
        token
            .strip_prefix("--")
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_alphabetic())
    };
    let takes_value = |token: &str| -> bool {
        let Some(name) = token.strip_prefix("--").filter(|n| !n.contains('=')) else {
            return false;
        };
        GLOBAL_VALUE_FLAGS.contains(&token)
            || spec.params.iter().any(|p| {
                (p.name == name || kebab_case(p.name) == name) && p.kind != ValueKind::Switch
            })
    };
    let tokens: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let mut i = 0;
    while i < tokens.len() {
        if takes_value(tokens[i]) {
            if let Some(next) = tokens.get(i + 1).copied()
                && looks_like_flag(next)
            {
                return Err(CliError::usage(format!(
                    "{flag} needs a value, but the next argument looks like a flag: {next} (write {flag}={next} if that is the value)",
                    flag = tokens[i]
                )));
            }
            i += 1;
        }
        i += 1;
    }
    Ok(())
}
