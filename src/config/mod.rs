//! Settings: where the API is, which key to use, how long to wait. Resolved once, from the
//! global flags, a snapshot of the environment and `~/.paperspace/config.json`, by pure
//! functions (the environment is captured in `Environment` so tests can pass their own).

mod file;
mod pspace;

pub use file::{ConfigFile, config_path, remove_api_key, save_api_key};

use crate::api::Backend;
use crate::error::{CliError, ErrorKind, Result};
use serde_json::Value;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_HOST: &str = "https://api.paperspace.io";
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_RETRIES: u32 = 3;
const MAX_RETRIES: u32 = 10;

/// The API key. It has no `Display` and its `Debug` is redacted, so it cannot end up in a
/// message, a trace or a panic by accident; `expose` is called only where the header is built.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// The parts of the process environment the CLI reads, captured once in `main`.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub api_key: Option<String>,
    pub config_host: Option<String>,
    pub connect_timeout: Option<String>,
    pub request_timeout: Option<String>,
    /// `PAPERSPACE_RETRIES`.
    pub retries: Option<String>,
    pub home: Option<PathBuf>,
    /// `PAPERSPACE_FORMAT`: json or table.
    pub format: Option<String>,
    /// `NO_COLOR` set to anything but the empty string.
    pub no_color: bool,
    /// `CI` set: no spinners.
    pub ci: bool,
    /// `PAPERSPACE_ALLOW_INSECURE_HTTP` set to 1, true or yes.
    pub allow_insecure_http: bool,
    /// `PAPERSPACE_API`: legacy or v1.
    pub api: Option<String>,
    /// `PAPERSPACE_API_URL`: the v1 base URL.
    pub api_url: Option<String>,
    /// `PAPERSPACE_TEAM`: whose key of those pspace saved.
    pub team: Option<String>,
}

impl Environment {
    pub fn from_process() -> Environment {
        let var = |name: &str| std::env::var(name).ok();
        Environment {
            api_key: var("PAPERSPACE_API_KEY"),
            config_host: var("PAPERSPACE_CONFIG_HOST"),
            connect_timeout: var("PAPERSPACE_CONNECT_TIMEOUT"),
            request_timeout: var("PAPERSPACE_REQUEST_TIMEOUT"),
            retries: var("PAPERSPACE_RETRIES"),
            home: std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(PathBuf::from)
                .or_else(std::env::home_dir),
            format: var("PAPERSPACE_FORMAT").filter(|f| !f.is_empty()),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            ci: std::env::var_os("CI").is_some(),
            api: var("PAPERSPACE_API"),
            api_url: var("PAPERSPACE_API_URL"),
            team: var("PAPERSPACE_TEAM").filter(|t| !t.is_empty()),
            allow_insecure_http: var("PAPERSPACE_ALLOW_INSECURE_HTTP").is_some_and(|v| {
                ["1", "true", "yes"].contains(&v.trim().to_ascii_lowercase().as_str())
            }),
        }
    }
}

/// The client flags of the machines commands, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ClientFlags {
    pub api_key: Option<String>,
    pub connect_timeout: Option<String>,
    pub request_timeout: Option<String>,
    pub debug: bool,
    pub dry_run: bool,
    /// `--format` / `-o`; `--json` is the same as `--format json`.
    pub format: Option<String>,
    pub columns: Option<String>,
    pub no_header: bool,
    pub color: Option<String>,
    pub concurrency: Option<String>,
    pub retries: Option<String>,
    pub allow_insecure_http: bool,
    /// `--api legacy|v1`.
    pub api: Option<String>,
    /// `--raw`: with v1, print v1's own JSON instead of the legacy shape.
    pub raw: bool,
    /// `--team`: whose key of those pspace saved.
    pub team: Option<String>,
}

/// Everything the transport needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub base_url: String,
    /// `None` only for the login requests that authenticate otherwise.
    pub api_key: Option<ApiKey>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// How many times a request that may be resent is tried again after a failure that
    /// deserves it (connection failure, 429, 502, 503, 504).
    pub retries: u32,
    pub debug: bool,
}

/// Whether a URL's host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
fn is_loopback(authority_and_path: &str) -> bool {
    let authority = authority_and_path
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The API base URL: `PAPERSPACE_CONFIG_HOST` (scheme required, path prefix kept, one
/// trailing `/` dropped) or the legacy default. Plain `http://` to a host that is not this
/// machine would carry the key in clear text: refused unless `allow_insecure_http`.
pub fn resolve_host(
    env_value: Option<&str>,
    variable: &str,
    allow_insecure_http: bool,
) -> Result<String> {
    let Some(host) = env_value.filter(|h| !h.is_empty()) else {
        return Ok(DEFAULT_HOST.to_string());
    };
    let lower = host.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => {
            let plain = lower.starts_with("http://");
            if plain && !allow_insecure_http && !is_loopback(rest) {
                return Err(CliError::usage(format!(
                    "{variable} is {host}: plain HTTP would send the API key unencrypted to a host that is not this machine; use https://, or pass --allow-insecure-http (env PAPERSPACE_ALLOW_INSECURE_HTTP=1)"
                )));
            }
            Ok(host.strip_suffix('/').unwrap_or(host).to_string())
        }
        _ => Err(CliError::usage(format!(
            "{variable} must be a URL starting with http:// or https://, e.g. http://127.0.0.1:8080 (got '{host}')"
        ))),
    }
}

/// A timeout from its flag, else its environment variable, else the default.
pub fn resolve_timeout(
    flag: Option<&str>,
    flag_name: &str,
    env: Option<&str>,
    env_name: &str,
    default: Duration,
) -> Result<Duration> {
    let (raw, source) = match (flag, env.filter(|v| !v.is_empty())) {
        (Some(v), _) => (v, format!("--{flag_name}")),
        (None, Some(v)) => (v, env_name.to_string()),
        (None, None) => return Ok(default),
    };
    match raw.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 => {
            Ok(Duration::from_secs_f64(secs))
        }
        _ => Err(CliError::usage(format!(
            "invalid value '{raw}' for {source}: expected a number of seconds greater than 0"
        ))),
    }
}

/// `--retries`, else `PAPERSPACE_RETRIES`, else 3; 0 turns retrying off.
pub fn resolve_retries(flag: Option<&str>, env: Option<&str>) -> Result<u32> {
    let (raw, source) = match (flag, env.filter(|v| !v.is_empty())) {
        (Some(v), _) => (v, "--retries"),
        (None, Some(v)) => (v, "PAPERSPACE_RETRIES"),
        (None, None) => return Ok(DEFAULT_RETRIES),
    };
    match raw.trim().parse::<u32>() {
        Ok(n) if n <= MAX_RETRIES => Ok(n),
        _ => Err(CliError::usage(format!(
            "invalid value '{raw}' for {source}: expected a whole number from 0 to {MAX_RETRIES}"
        ))),
    }
}

/// The key: `--apiKey` > `PAPERSPACE_API_KEY` (the legacy precedence) > the key pspace saved
/// for the team `--team`/`PAPERSPACE_TEAM` names > `apiKey` of `~/.paperspace/config.json` >
/// the key pspace saved for its current team (docs/v1.md, "Keys and sessions"). Empty values
/// fall through; the files are read only when needed.
pub fn resolve_api_key(flags: &ClientFlags, file: &ConfigFile) -> Result<ApiKey> {
    let env = file.env();
    if let Some(key) = flags.api_key.as_deref().filter(|k| !k.is_empty()) {
        return Ok(ApiKey::new(key));
    }
    if let Some(key) = env.api_key.as_deref().filter(|k| !k.is_empty()) {
        return Ok(ApiKey::new(key));
    }
    let chosen_team = flags.team.as_deref().or(env.team.as_deref());
    if let (Some(team), Some(home)) = (chosen_team, env.home.as_deref())
        && let Some(key) = pspace::saved_key(home, pspace::Team::Chosen(team))?
    {
        return Ok(key);
    }
    if let Some(config) = file.get()? {
        match config.get("apiKey") {
            Some(Value::String(key)) if !key.is_empty() => return Ok(ApiKey::new(key)),
            None | Some(Value::Null) | Some(Value::String(_)) => {}
            Some(_) => {
                let path = file.path().unwrap_or_default();
                return Err(CliError::usage(format!(
                    "config file {}: apiKey must be a string",
                    path.display()
                )));
            }
        }
    }
    if let Some(home) = env.home.as_deref()
        && let Some(key) = pspace::saved_key(home, pspace::Team::Current)?
    {
        return Ok(key);
    }
    Err(CliError::new(
        ErrorKind::Auth { status: None },
        "no API key: pass --apiKey, set PAPERSPACE_API_KEY, or log in (paperspace login, or pspace login)",
    ))
}

/// The backend and its base URL: `--api`, else `PAPERSPACE_API`, else the config file's
/// `api`, else legacy. Legacy's URL is `PAPERSPACE_CONFIG_HOST`'s; v1's is
/// `PAPERSPACE_API_URL`'s (default `https://api.paperspace.com/v1`).
pub fn resolve_endpoint(flags: &ClientFlags, file: &ConfigFile) -> Result<(Backend, String)> {
    let env = file.env();
    let from_file = || -> Result<Option<String>> {
        Ok(file.get()?.and_then(|config| {
            config
                .get("api")
                .and_then(Value::as_str)
                .map(str::to_string)
        }))
    };
    let (choice, source) = match (&flags.api, env.api.as_deref().filter(|a| !a.is_empty())) {
        (Some(api), _) => (Some(api.clone()), "--api".to_string()),
        (None, Some(api)) => (Some(api.to_string()), "PAPERSPACE_API".to_string()),
        (None, None) => (from_file()?, "the config file's \"api\"".to_string()),
    };
    let backend = match choice.as_deref() {
        None | Some("legacy") => Backend::Legacy,
        Some("v1") => Backend::V1,
        Some(other) => {
            return Err(CliError::usage(format!(
                "invalid value '{other}' for {source}: accepted values are legacy, v1"
            )));
        }
    };
    let allow_http = flags.allow_insecure_http || env.allow_insecure_http;
    let base_url = match backend {
        Backend::Legacy => resolve_host(
            env.config_host.as_deref(),
            "PAPERSPACE_CONFIG_HOST",
            allow_http,
        )?,
        Backend::V1 => match env.api_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => resolve_host(Some(url), "PAPERSPACE_API_URL", allow_http)?,
            None => crate::api::v1::DEFAULT_URL.to_string(),
        },
    };
    Ok((backend, base_url))
}

/// Every setting of a run, given its base URL (`resolve_endpoint`, resolved first so that
/// `--dry-run` and the backend checks need no key).
pub fn resolve(flags: &ClientFlags, file: &ConfigFile, base_url: String) -> Result<Settings> {
    let env = file.env();
    let connect_timeout = resolve_timeout(
        flags.connect_timeout.as_deref(),
        "connect-timeout",
        env.connect_timeout.as_deref(),
        "PAPERSPACE_CONNECT_TIMEOUT",
        DEFAULT_CONNECT_TIMEOUT,
    )?;
    let request_timeout = resolve_timeout(
        flags.request_timeout.as_deref(),
        "request-timeout",
        env.request_timeout.as_deref(),
        "PAPERSPACE_REQUEST_TIMEOUT",
        DEFAULT_REQUEST_TIMEOUT,
    )?;
    let retries = resolve_retries(flags.retries.as_deref(), env.retries.as_deref())?;
    let api_key = resolve_api_key(flags, file)?;
    Ok(Settings {
        base_url,
        api_key: Some(api_key),
        connect_timeout,
        request_timeout,
        retries,
        debug: flags.debug,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{env_with_home, key_flag, write_config_text};

    #[test]
    fn key_precedence_is_flag_then_env_then_config_and_empty_values_fall_through() {
        let home = tempfile::tempdir().unwrap();
        write_config_text(home.path(), r#"{"apiKey":"from-file","name":"x"}"#);
        let mut env = env_with_home(home.path());
        assert_eq!(
            resolve_api_key(&key_flag(None), &ConfigFile::new(&env))
                .unwrap()
                .expose(),
            "from-file"
        );
        env.api_key = Some("from-env".into());
        assert_eq!(
            resolve_api_key(&key_flag(None), &ConfigFile::new(&env))
                .unwrap()
                .expose(),
            "from-env"
        );
        assert_eq!(
            resolve_api_key(&key_flag(Some("from-flag")), &ConfigFile::new(&env))
                .unwrap()
                .expose(),
            "from-flag"
        );
        assert_eq!(
            resolve_api_key(&key_flag(Some("")), &ConfigFile::new(&env))
                .unwrap()
                .expose(),
            "from-env"
        );
        env.api_key = Some(String::new());
        assert_eq!(
            resolve_api_key(&key_flag(Some("")), &ConfigFile::new(&env))
                .unwrap()
                .expose(),
            "from-file"
        );
    }

    #[test]
    fn no_key_anywhere_is_an_auth_error_and_a_bad_file_is_a_usage_error_naming_it() {
        let home = tempfile::tempdir().unwrap();
        let env = env_with_home(home.path());
        let err = resolve_api_key(&key_flag(None), &ConfigFile::new(&env)).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        write_config_text(home.path(), r#"{"name":"no key"}"#);
        assert_eq!(
            resolve_api_key(&key_flag(None), &ConfigFile::new(&env))
                .unwrap_err()
                .exit_code(),
            4
        );
        write_config_text(home.path(), "{not json");
        let err = resolve_api_key(&key_flag(None), &ConfigFile::new(&env)).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.message
                .contains(&config_path(home.path()).display().to_string())
        );
        write_config_text(home.path(), "[1]");
        assert!(
            resolve_api_key(&key_flag(None), &ConfigFile::new(&env))
                .unwrap_err()
                .message
                .contains("not a JSON object")
        );
    }

    #[test]
    fn host_keeps_its_prefix_drops_one_slash_and_needs_a_scheme() {
        assert_eq!(
            resolve_host(None, "PAPERSPACE_CONFIG_HOST", false).unwrap(),
            DEFAULT_HOST
        );
        assert_eq!(
            resolve_host(Some(""), "PAPERSPACE_CONFIG_HOST", false).unwrap(),
            DEFAULT_HOST
        );
        assert_eq!(
            resolve_host(
                Some("http://127.0.0.1:9/api/v1/"),
                "PAPERSPACE_CONFIG_HOST",
                false
            )
            .unwrap(),
            "http://127.0.0.1:9/api/v1"
        );
        assert_eq!(
            resolve_host(Some("HTTPS://h"), "PAPERSPACE_CONFIG_HOST", false).unwrap(),
            "HTTPS://h"
        );
        for bad in ["127.0.0.1:8080", "ftp://h", "http://", "http:///x"] {
            let err = resolve_host(Some(bad), "PAPERSPACE_CONFIG_HOST", false).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.message.contains("PAPERSPACE_CONFIG_HOST"), "{bad}");
        }
    }

    #[test]
    fn plain_http_is_for_this_machine_only_unless_allowed() {
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost/x",
            "http://[::1]:9",
            "http://127.9.9.9",
            "http://u@LOCALHOST:1",
        ] {
            assert!(
                resolve_host(Some(local), "PAPERSPACE_CONFIG_HOST", false).is_ok(),
                "{local}"
            );
        }
        for remote in [
            "http://api.paperspace.io",
            "http://10.0.0.1:80",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
        ] {
            assert_eq!(
                resolve_host(Some(remote), "PAPERSPACE_CONFIG_HOST", false)
                    .unwrap_err()
                    .exit_code(),
                2,
                "{remote}"
            );
            assert!(
                resolve_host(Some(remote), "PAPERSPACE_CONFIG_HOST", true).is_ok(),
                "{remote}"
            );
        }
        assert!(
            resolve_host(
                Some("https://api.paperspace.io"),
                "PAPERSPACE_CONFIG_HOST",
                false
            )
            .is_ok()
        );
    }

    #[test]
    fn the_backend_comes_from_flag_then_env_then_config_file() {
        let home = tempfile::tempdir().unwrap();
        let mut env = env_with_home(home.path());
        let flags = ClientFlags::default();
        assert_eq!(
            resolve_endpoint(&flags, &ConfigFile::new(&env)).unwrap(),
            (Backend::Legacy, DEFAULT_HOST.to_string())
        );
        write_config_text(home.path(), r#"{"api":"v1"}"#);
        assert_eq!(
            resolve_endpoint(&flags, &ConfigFile::new(&env)).unwrap(),
            (Backend::V1, crate::api::v1::DEFAULT_URL.to_string())
        );
        env.api = Some("legacy".into());
        assert_eq!(
            resolve_endpoint(&flags, &ConfigFile::new(&env)).unwrap().0,
            Backend::Legacy
        );
        let v1 = ClientFlags {
            api: Some("v1".into()),
            ..ClientFlags::default()
        };
        env.api_url = Some("http://127.0.0.1:9/v1/".into());
        assert_eq!(
            resolve_endpoint(&v1, &ConfigFile::new(&env)).unwrap(),
            (Backend::V1, "http://127.0.0.1:9/v1".to_string())
        );
        let bad = ClientFlags {
            api: Some("v2".into()),
            ..ClientFlags::default()
        };
        assert_eq!(
            resolve_endpoint(&bad, &ConfigFile::new(&env))
                .unwrap_err()
                .message,
            "invalid value 'v2' for --api: accepted values are legacy, v1"
        );
        env.api_url = Some("http://api.example.com/v1".into());
        assert!(
            resolve_endpoint(&v1, &ConfigFile::new(&env))
                .unwrap_err()
                .message
                .starts_with("PAPERSPACE_API_URL is")
        );
    }

    #[test]
    fn timeouts_come_from_flag_then_env_then_default() {
        let d = Duration::from_secs(7);
        assert_eq!(resolve_timeout(None, "t", None, "T", d).unwrap(), d);
        assert_eq!(
            resolve_timeout(None, "t", Some("1.5"), "T", d).unwrap(),
            Duration::from_millis(1500)
        );
        assert_eq!(
            resolve_timeout(Some("2"), "t", Some("1.5"), "T", d).unwrap(),
            Duration::from_secs(2)
        );
        assert!(
            resolve_timeout(Some("0"), "t", None, "T", d)
                .unwrap_err()
                .message
                .contains("--t")
        );
        assert!(
            resolve_timeout(None, "t", Some("soon"), "T", d)
                .unwrap_err()
                .message
                .contains("for T")
        );
    }

    #[test]
    fn retries_come_from_flag_then_env_then_default() {
        assert_eq!(resolve_retries(None, None).unwrap(), 3);
        assert_eq!(resolve_retries(None, Some("0")).unwrap(), 0);
        assert_eq!(resolve_retries(Some("5"), Some("0")).unwrap(), 5);
        assert!(
            resolve_retries(Some("-1"), None)
                .unwrap_err()
                .message
                .contains("--retries")
        );
        assert!(
            resolve_retries(None, Some("lots"))
                .unwrap_err()
                .message
                .contains("PAPERSPACE_RETRIES")
        );
        assert_eq!(
            resolve_retries(Some("11"), None).unwrap_err().exit_code(),
            2
        );
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let key = ApiKey::new("s3cr3t");
        assert!(!format!("{key:?}").contains("s3cr3t"));
    }
}
