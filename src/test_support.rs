//! Helpers the unit tests of several modules share.

use crate::api::commands;
use crate::api::params::{Invocation, validate};
use crate::config::{ClientFlags, Environment, config_path};
use std::path::Path;

/// `machines <cmd>` with these flags, validated (panics on a usage error).
pub(crate) fn invocation(cmd: &str, args: &[(&str, &str)]) -> Invocation {
    try_invocation(cmd, args).unwrap()
}

/// `machines <cmd>` with these flags, validated.
pub(crate) fn try_invocation(cmd: &str, args: &[(&str, &str)]) -> crate::error::Result<Invocation> {
    let raw: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, v.to_string())).collect();
    validate(commands::find("machines", cmd).unwrap(), &raw)
}

/// `machines <cmd> --machineId <id>` for each id.
pub(crate) fn invocations(cmd: &str, ids: &[&str]) -> Vec<Invocation> {
    ids.iter()
        .map(|id| invocation(cmd, &[("machineId", id)]))
        .collect()
}

/// An environment whose home is `home`, and nothing else.
pub(crate) fn env_with_home(home: &Path) -> Environment {
    Environment {
        home: Some(home.to_path_buf()),
        ..Environment::default()
    }
}

/// `~/.paperspace/config.json` under `home`, with this text.
pub(crate) fn write_config_text(home: &Path, text: &str) {
    std::fs::create_dir_all(home.join(".paperspace")).unwrap();
    std::fs::write(config_path(home), text).unwrap();
}

/// Client flags with only `--apiKey` (or nothing) given.
pub(crate) fn key_flag(key: Option<&str>) -> ClientFlags {
    ClientFlags {
        api_key: key.map(str::to_string),
        ..ClientFlags::default()
    }
}
