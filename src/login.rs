//! `paperspace login` and `logout` (docs/compatibility.md, "login verifies"): save an API key in
//! `~/.paperspace/config.json`, where the legacy CLI also looks, or remove it.
//!
//! The key comes from `--apiKey`, else from stdin when stdin is not a terminal (so
//! `pass show ps | paperspace login` works), else from a prompt that does not echo. The legacy
//! `--email`/`--password` flow still works: `POST /users/login`, then
//! `POST /apiTokens/createPublic` with the access token it gave. A key is checked with one
//! API call before it is saved, unless `--no-verify`. Both commands say what they did on
//! stderr and print nothing on stdout.

use crate::api::Backend;
use crate::api::request::{ApiRequest, Auth, HttpMethod, Retry};
use crate::api::response::{decode, decode_v1};
use crate::config::{self, ApiKey, ClientFlags, Environment, Settings};
use crate::error::{CliError, ErrorKind, Result};
use crate::http::Transport;
use crate::terminal::{Terminal, prompt};
use serde_json::{Map, Value};

/// `paperspace login`'s flags.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct LoginArgs {
    /// The API key to save (else read from stdin when it is piped, else asked for).
    #[arg(
        long = "apiKey",
        visible_alias = "api-key",
        alias = "api_key",
        value_name = "KEY"
    )]
    pub api_key: Option<String>,
    /// Log in with your Paperspace email and password instead (the legacy flow).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// The password for --email (asked for on a terminal when missing).
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,
    /// With --email: the name of the API token to create.
    #[arg(
        long = "apiToken",
        alias = "apitoken",
        alias = "api_token",
        value_name = "NAME"
    )]
    pub api_token: Option<String>,
    /// Save the key without checking it with the API first.
    #[arg(long = "no-verify")]
    pub no_verify: bool,
    /// Which API checks the key: legacy or v1 [default: as the other commands: env
    /// PAPERSPACE_API, the config file's "api", else legacy].
    #[arg(long = "api", value_name = "legacy|v1")]
    pub api: Option<String>,
}

fn home_config(env: &Environment) -> Result<std::path::PathBuf> {
    env.home
        .as_deref()
        .map(config::config_path)
        .ok_or_else(|| CliError::usage("cannot find your home directory (HOME is not set)"))
}

/// The API login talks to, chosen as for every other command (`--api`, `PAPERSPACE_API`, the
/// config file's `api`).
fn endpoint(args: &LoginArgs, env: &Environment) -> Result<(Backend, String)> {
    let flags = ClientFlags {
        api: args.api.clone(),
        ..ClientFlags::default()
    };
    config::resolve_endpoint(&flags, &config::ConfigFile::new(env))
}

/// A transport for the login requests: the API's base URL, the default timeouts, and the
/// given key (or none, for `/users/login`).
fn transport(base_url: &str, key: Option<ApiKey>) -> Result<Transport> {
    Transport::new(&Settings {
        base_url: base_url.to_string(),
        api_key: key,
        connect_timeout: config::DEFAULT_CONNECT_TIMEOUT,
        request_timeout: config::DEFAULT_REQUEST_TIMEOUT,
        retries: config::DEFAULT_RETRIES,
        debug: false,
    })
}

/// A login request: never resent once it may have arrived (a second token would be made).
fn post(path: &str, query: Vec<(String, String)>, body: Map<String, Value>) -> ApiRequest {
    ApiRequest {
        method: HttpMethod::Post,
        path: path.to_string(),
        query,
        body: Some(body),
        auth: Auth::ApiKeyHeader,
        retry: Retry::Once(None),
        upload: None,
    }
}

fn string_field(json: &str, field: &str) -> Option<String> {
    let value: Value = serde_json::from_str(json).ok()?;
    value.get(field)?.as_str().map(str::to_string)
}

/// Where the key comes from, decided before any I/O (pure, so it is unit tested).
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeySource {
    Flag(String),
    Legacy,
    Stdin,
    Prompt,
}

fn key_source(args: &LoginArgs, terminal: Terminal) -> Result<KeySource> {
    if let Some(key) = args.api_key.as_deref().filter(|k| !k.is_empty()) {
        return Ok(KeySource::Flag(key.to_string()));
    }
    if args.email.is_some() || args.password.is_some() {
        if args.email.is_none() && !terminal.stdin {
            return Err(CliError::usage(
                "--password needs --email (there is no terminal to ask for it)",
            ));
        }
        return Ok(KeySource::Legacy);
    }
    if !terminal.stdin {
        return Ok(KeySource::Stdin);
    }
    if terminal.stderr {
        return Ok(KeySource::Prompt);
    }
    Err(CliError::usage(
        "no API key: pass --apiKey, pipe the key on stdin, or run on a terminal to be asked",
    ))
}

/// The legacy flow: email and password for an access token, the access token for a key.
async fn key_from_password(
    args: &LoginArgs,
    base_url: &str,
    terminal: Terminal,
) -> Result<(ApiKey, Option<String>)> {
    let ask = |label: &str, secret: bool, flag: &str| -> Result<String> {
        if terminal.can_ask() {
            prompt(label, secret)
        } else {
            Err(CliError::usage(format!(
                "{flag} is missing and there is no terminal to ask for it"
            )))
        }
    };
    let email = match &args.email {
        Some(email) => email.clone(),
        None => ask("Email: ", false, "--email")?,
    };
    let password = match &args.password {
        Some(password) => password.clone(),
        None => ask("Password: ", true, "--password")?,
    };
    let anonymous = transport(base_url, None)?;
    let mut credentials = Map::new();
    credentials.insert("email".into(), email.into());
    credentials.insert("password".into(), password.into());
    let session = decode(
        anonymous
            .send(&post("/users/login", Vec::new(), credentials))
            .await?,
    )?;
    let token = string_field(&session, "id")
        .ok_or_else(|| CliError::internal("the login answer has no access token"))?;
    let mut body = Map::new();
    if let Some(name) = &args.api_token {
        body.insert("apiToken".into(), name.clone().into());
    }
    let query = vec![("access_token".to_string(), token)];
    let created = decode(
        anonymous
            .send(&post("/apiTokens/createPublic", query, body))
            .await?,
    )?;
    let key = string_field(&created, "key")
        .filter(|k| !k.is_empty())
        .ok_or_else(|| CliError::internal("the API created no key"))?;
    Ok((ApiKey::new(key), string_field(&created, "name")))
}

/// The key was turned down: an authentication error, and nothing is saved.
fn rejected(reason: &str) -> CliError {
    CliError::new(
        ErrorKind::Auth { status: None },
        format!("the API did not accept this key ({reason}); nothing was saved"),
    )
}

/// Who a v1 key belongs to: the user's email, and the team's name (or namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    email: String,
    team: String,
}

/// Read v1's session: `null` is what the live service answers for a key it does not know
/// (docs/v1.md, "Keys and sessions").
fn identity(session: &str) -> Result<Identity> {
    let session: Value =
        serde_json::from_str(session).map_err(|_| rejected("the session is not JSON"))?;
    if session.is_null() {
        return Err(rejected("it has no session"));
    }
    let text = |pointer: &str| session.pointer(pointer).and_then(Value::as_str);
    let team_id = text("/team/id");
    let team_name = session
        .pointer("/user/teamMemberships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|m| m.pointer("/team/id").and_then(Value::as_str) == team_id)
        .and_then(|m| m.pointer("/team/name").and_then(Value::as_str));
    Ok(Identity {
        email: text("/user/email").unwrap_or("an unknown user").to_string(),
        team: team_name
            .or(text("/team/namespace"))
            .or(team_id)
            .unwrap_or("an unknown team")
            .to_string(),
    })
}

/// One cheap authenticated call on the API in use: a rejected key is an auth error, nothing
/// is saved. On v1 the session also says whose key it is.
async fn verify(key: &ApiKey, backend: Backend, base_url: &str) -> Result<Option<Identity>> {
    let transport = transport(base_url, Some(key.clone()))?;
    let auth_failure = |e: CliError| match e.kind {
        ErrorKind::Auth { .. } => CliError {
            message: format!(
                "the API did not accept this key ({}); nothing was saved",
                e.message
            ),
            ..e
        },
        _ => e,
    };
    match backend {
        Backend::Legacy => {
            let request = ApiRequest::get(
                Auth::ApiKeyHeader,
                "/machines/getMachines".into(),
                vec![("limit".into(), "1".into())],
            );
            decode(transport.send(&request).await?)
                .map(|_| None)
                .map_err(auth_failure)
        }
        Backend::V1 => {
            let request = ApiRequest::get(Auth::Bearer, "/auth/session".into(), Vec::new());
            let session = decode_v1(transport.send(&request).await?).map_err(auth_failure)?;
            identity(&session).map(Some)
        }
    }
}

pub fn login(args: &LoginArgs, env: &Environment, terminal: Terminal) -> Result<()> {
    let path = home_config(env)?;
    let source = key_source(args, terminal)?;
    let (backend, base_url) = endpoint(args, env)?;
    if source == KeySource::Legacy && backend == Backend::V1 {
        return Err(CliError::usage(
            "--email and --password log in through the legacy API; with --api v1 give an API key (--apiKey, or on stdin)",
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::internal(format!("cannot start the async runtime: {e}")))?;
    // A key the API just created needs no check; one given (even beside --email) does.
    let created = source == KeySource::Legacy;
    let (key, name) = match source {
        KeySource::Flag(key) => (ApiKey::new(key), None),
        KeySource::Legacy => runtime.block_on(key_from_password(args, &base_url, terminal))?,
        KeySource::Stdin => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| CliError::usage(format!("cannot read the key from stdin: {e}")))?;
            (ApiKey::new(line.trim()), None)
        }
        KeySource::Prompt => (ApiKey::new(prompt("API key: ", true)?), None),
    };
    if key.expose().is_empty() {
        return Err(CliError::usage("the API key is empty; nothing was saved"));
    }
    let identity = if args.no_verify || created {
        None
    } else {
        runtime.block_on(verify(&key, backend, &base_url))?
    };
    config::save_api_key(&path, &key, name.as_deref())?;
    let checked = if args.no_verify {
        "not checked"
    } else {
        "checked"
    };
    if let Some(who) = identity {
        eprintln!("API key of {} (team {})", who.email, who.team);
    }
    eprintln!("Logged in: API key ({checked}) saved to {}", path.display());
    Ok(())
}

pub fn logout(env: &Environment) -> Result<()> {
    let path = home_config(env)?;
    if config::remove_api_key(&path)? {
        eprintln!("Logged out: removed the API key from {}", path.display());
    } else {
        eprintln!("Not logged in: {} holds no API key", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTY: Terminal = Terminal {
        stdin: true,
        stdout: true,
        stderr: true,
        width: None,
    };
    const PIPED: Terminal = Terminal {
        stdin: false,
        stdout: false,
        stderr: false,
        width: None,
    };

    #[test]
    fn the_key_comes_from_the_flag_then_a_pipe_then_a_prompt() {
        let flag = LoginArgs {
            api_key: Some("k".into()),
            ..LoginArgs::default()
        };
        assert_eq!(
            key_source(&flag, PIPED).unwrap(),
            KeySource::Flag("k".into())
        );
        assert_eq!(
            key_source(&LoginArgs::default(), PIPED).unwrap(),
            KeySource::Stdin
        );
        assert_eq!(
            key_source(&LoginArgs::default(), TTY).unwrap(),
            KeySource::Prompt
        );
        let no_stderr = Terminal {
            stderr: false,
            ..TTY
        };
        assert_eq!(
            key_source(&LoginArgs::default(), no_stderr)
                .unwrap_err()
                .exit_code(),
            2
        );
    }

    #[test]
    fn the_password_flow_needs_an_email_unless_it_can_ask() {
        let password_only = LoginArgs {
            password: Some("pw".into()),
            ..LoginArgs::default()
        };
        assert_eq!(
            key_source(&password_only, PIPED).unwrap_err().exit_code(),
            2
        );
        assert_eq!(key_source(&password_only, TTY).unwrap(), KeySource::Legacy);
        let email = LoginArgs {
            email: Some("a@b.c".into()),
            ..LoginArgs::default()
        };
        assert_eq!(key_source(&email, PIPED).unwrap(), KeySource::Legacy);
    }
}
