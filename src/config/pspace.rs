//! Keys saved by Paperspace's own CLI, pspace (docs/v1.md, "Keys and sessions"), read and
//! never written: `~/.paperspace/credentials.toml` holds `version = 1` and a `[keys]` table of
//! team = API key, `~/.paperspace/config.toml` the team in use (`team = "..."`). A user who ran
//! `pspace login` needs nothing else.

use super::ApiKey;
use crate::error::{CliError, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
struct Credentials {
    #[serde(default)]
    keys: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct Settings {
    team: Option<String>,
}

fn dir(home: &Path) -> PathBuf {
    home.join(".paperspace")
}

/// A TOML file of pspace's: `None` when it does not exist, a usage error naming it when it
/// cannot be read or is not what pspace writes.
fn read<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::usage(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    toml::from_str(&text).map(Some).map_err(|e| {
        let first = e.to_string();
        let first = first.lines().next().unwrap_or_default().to_string();
        CliError::usage(format!(
            "{} is not a pspace file this CLI can read ({first}); fix it or pass --apiKey",
            path.display()
        ))
    })
}

/// Which team's key is asked for, and who asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Team<'a> {
    /// `--team` or `PAPERSPACE_TEAM`: that team's key, or an error.
    Chosen(&'a str),
    /// Nobody chose: pspace's current team (config.toml), else the only saved key.
    Current,
}

/// The key pspace saved for the team, if there is one. With `Team::Current` and several teams
/// but none current, the user is asked to choose rather than given one at random.
pub(crate) fn saved_key(home: &Path, team: Team) -> Result<Option<ApiKey>> {
    let credentials_path = dir(home).join("credentials.toml");
    let Some(credentials) = read::<Credentials>(&credentials_path)? else {
        return match team {
            Team::Chosen(name) => Err(CliError::usage(format!(
                "no key for team '{name}': {} does not exist (log in with pspace, or pass --apiKey)",
                credentials_path.display()
            ))),
            Team::Current => Ok(None),
        };
    };
    let teams = || {
        credentials
            .keys
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wanted = match team {
        Team::Chosen(name) => Some(name.to_string()),
        Team::Current => read::<Settings>(&dir(home).join("config.toml"))?.and_then(|s| s.team),
    };
    match wanted {
        Some(name) => match credentials.keys.get(&name).filter(|k| !k.is_empty()) {
            Some(key) => Ok(Some(ApiKey::new(key))),
            None => Err(CliError::usage(format!(
                "no key for team '{name}' in {} (saved teams: {})",
                credentials_path.display(),
                teams()
            ))),
        },
        None => match credentials.keys.len() {
            0 => Ok(None),
            1 => Ok(credentials
                .keys
                .values()
                .next()
                .filter(|k| !k.is_empty())
                .map(ApiKey::new)),
            _ => Err(CliError::usage(format!(
                "{} has keys for several teams ({}): choose one with --team or PAPERSPACE_TEAM",
                credentials_path.display(),
                teams()
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home_with(credentials: Option<&str>, config: Option<&str>) -> tempfile::TempDir {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir(home.path())).unwrap();
        if let Some(text) = credentials {
            std::fs::write(dir(home.path()).join("credentials.toml"), text).unwrap();
        }
        if let Some(text) = config {
            std::fs::write(dir(home.path()).join("config.toml"), text).unwrap();
        }
        home
    }

    const TWO_TEAMS: &str = "version = 1\n\n[keys]\nteam1 = \"key1\"\nteam2 = \"key2\"\n";

    fn key(home: &tempfile::TempDir, team: Team) -> Result<Option<String>> {
        saved_key(home.path(), team).map(|k| k.map(|k| k.expose().to_string()))
    }

    #[test]
    fn the_current_team_or_a_chosen_one_picks_the_key() {
        let home = home_with(Some(TWO_TEAMS), Some("version = 1\nteam = \"team2\"\n"));
        assert_eq!(key(&home, Team::Current).unwrap().as_deref(), Some("key2"));
        assert_eq!(
            key(&home, Team::Chosen("team1")).unwrap().as_deref(),
            Some("key1")
        );
        let err = key(&home, Team::Chosen("team9")).unwrap_err();
        assert!(
            err.message.starts_with("no key for team 'team9' in ")
                && err.message.ends_with("(saved teams: team1, team2)"),
            "{}",
            err.message
        );
    }

    #[test]
    fn without_a_current_team_one_key_is_used_and_several_need_a_choice() {
        let one = home_with(Some("version = 1\n[keys]\nonly = \"k\"\n"), None);
        assert_eq!(key(&one, Team::Current).unwrap().as_deref(), Some("k"));
        let two = home_with(Some(TWO_TEAMS), None);
        let err = key(&two, Team::Current).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.message.contains("choose one with --team"),
            "{}",
            err.message
        );
        let none = home_with(None, None);
        assert_eq!(key(&none, Team::Current).unwrap(), None);
        assert!(key(&none, Team::Chosen("t")).is_err());
    }

    #[test]
    fn a_file_pspace_did_not_write_is_an_error_naming_it() {
        let home = home_with(Some("keys = [1, 2"), None);
        let err = key(&home, Team::Current).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.contains("credentials.toml"), "{}", err.message);
    }
}
