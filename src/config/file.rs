//! `~/.paperspace/config.json`: found, read at most once per run, and written atomically
//! (owner-only) when `login` or `logout` change it. The file is shared with the legacy CLI,
//! so keys this CLI does not own are kept as they are.

use super::{ApiKey, Environment};
use crate::error::{CliError, Result};
use crate::fsutil;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// `~/.paperspace/config.json`, shared with the legacy CLI.
pub fn config_path(home: &Path) -> PathBuf {
    home.join(".paperspace").join("config.json")
}

/// Read the config file: `None` when it does not exist; a usage error naming the file when it
/// cannot be read or is not a JSON object.
pub fn read_config(path: &Path) -> Result<Option<Map<String, Value>>> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::usage(format!(
                "cannot read config file {}: {e}",
                path.display()
            )));
        }
    };
    match serde_json::from_slice::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(CliError::usage(format!(
            "config file {} is not a JSON object; fix it or remove it",
            path.display()
        ))),
        Err(e) => Err(CliError::usage(format!(
            "config file {} is not valid JSON ({e}); fix it or remove it",
            path.display()
        ))),
    }
}

/// `~/.paperspace/config.json`, read at most once per run and only when a setting (the key,
/// the backend) is not given by a flag or the environment.
pub struct ConfigFile<'a> {
    env: &'a Environment,
    loaded: std::cell::OnceCell<Option<Map<String, Value>>>,
}

impl<'a> ConfigFile<'a> {
    pub fn new(env: &'a Environment) -> ConfigFile<'a> {
        ConfigFile {
            env,
            loaded: std::cell::OnceCell::new(),
        }
    }

    pub(crate) fn env(&self) -> &Environment {
        self.env
    }

    pub(crate) fn path(&self) -> Option<PathBuf> {
        self.env.home.as_deref().map(config_path)
    }

    /// The file's object, or `None` when there is no home or no file.
    pub(crate) fn get(&self) -> Result<Option<&Map<String, Value>>> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded.as_ref());
        }
        let read = match self.path() {
            Some(path) => read_config(&path)?,
            None => None,
        };
        Ok(self.loaded.get_or_init(|| read).as_ref())
    }
}

/// Replace the config file with `config` (pretty JSON), atomically and owner-only; the
/// directory is created owner-only when it does not exist (`fsutil`).
pub fn write_config(path: &Path, config: &Map<String, Value>) -> Result<()> {
    let fail = |what: &str, e: std::io::Error| {
        CliError::usage(format!("cannot {what} {}: {e}", path.display()))
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fsutil::create_private_dir(dir).map_err(|e| fail("create the directory of", e))?;
    let mut text = serde_json::to_string_pretty(config).expect("a JSON map always serialises");
    text.push('\n');
    fsutil::write_atomic(path, text.as_bytes()).map_err(|e| fail("write", e))
}

/// Save `key` (and the token's `name`, as the legacy CLI did) in the config file, keeping
/// every other key the file has.
pub fn save_api_key(path: &Path, key: &ApiKey, name: Option<&str>) -> Result<()> {
    let mut config = read_config(path)?.unwrap_or_default();
    config.insert("apiKey".into(), Value::String(key.expose().to_string()));
    if let Some(name) = name {
        config.insert("name".into(), Value::String(name.to_string()));
    }
    write_config(path, &config)
}

/// Remove `apiKey` from the config file, keeping the rest. Returns whether there was one.
pub fn remove_api_key(path: &Path) -> Result<bool> {
    let Some(mut config) = read_config(path)? else {
        return Ok(false);
    };
    if config.shift_remove("apiKey").is_none() {
        return Ok(false);
    }
    write_config(path, &config)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Backend;
    use crate::config::{ClientFlags, resolve_api_key, resolve_endpoint};
    use crate::test_support::{env_with_home, key_flag, write_config_text};

    #[test]
    fn saving_a_key_keeps_other_keys_and_is_owner_only() {
        let home = tempfile::tempdir().unwrap();
        let path = config_path(home.path());
        write_config_text(
            home.path(),
            r#"{"name":"old","team":"t1","apiKey":"old-key"}"#,
        );
        save_api_key(&path, &ApiKey::new("new-key"), None).unwrap();
        let saved = read_config(&path).unwrap().unwrap();
        assert_eq!(
            serde_json::Value::Object(saved).to_string(),
            r#"{"name":"old","team":"t1","apiKey":"new-key"}"#
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
        }
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file is left behind");
        assert!(remove_api_key(&path).unwrap());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\n  \"name\": \"old\",\n  \"team\": \"t1\"\n}\n"
        );
        assert!(!remove_api_key(&path).unwrap());
    }

    #[test]
    fn a_new_config_directory_is_owner_only() {
        let home = tempfile::tempdir().unwrap();
        let path = config_path(home.path());
        save_api_key(&path, &ApiKey::new("k"), Some("token")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o700);
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\n  \"apiKey\": \"k\",\n  \"name\": \"token\"\n}\n"
        );
    }

    #[test]
    fn the_config_file_is_read_once_for_the_key_and_the_backend() {
        let home = tempfile::tempdir().unwrap();
        write_config_text(home.path(), r#"{"apiKey":"k","api":"v1"}"#);
        let env = env_with_home(home.path());
        let file = ConfigFile::new(&env);
        assert_eq!(
            resolve_endpoint(&ClientFlags::default(), &file).unwrap().0,
            Backend::V1
        );
        // Gone from disk now: the key still comes from the one read above.
        std::fs::remove_file(config_path(home.path())).unwrap();
        assert_eq!(
            resolve_api_key(&key_flag(None), &file).unwrap().expose(),
            "k"
        );
    }
}
