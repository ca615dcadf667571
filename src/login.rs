//! `paperspace login` and `logout` (docs/compatibility.md, "login verifies"): save an API key in
//! `~/.paperspace/config.json`, where the legacy CLI also looks, or remove it.
//!
//! The key comes from `--apiKey`, else from stdin when stdin is not a terminal (so
//! `pass show ps | paperspace login` works), else from a prompt that does not echo. The legacy
//! `--email`/`--password` flow still works: `POST /users/login`, then
//! `POST /apiTokens/createPublic` with the access token it gave. A key is checked with one
//! API call before it is saved, unless `--no-verify`. Both commands say what they did on
//! stderr and print nothing on stdout.

use crate::api::request::{ApiRequest, Auth, HttpMethod, Retry};
use crate::api::response::decode;
use crate::config::{self, ApiKey, Environment, Settings};
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
}

fn home_config(env: &Environment) -> Result<std::path::PathBuf> {
    env.home
        .as_deref()
        .map(config::config_path)
        .ok_or_else(|| CliError::usage("cannot find your home directory (HOME is not set)"))
}

/// A transport for the login requests: the configured host, the default timeouts, and the
/// given key (or none, for `/users/login`).
fn transport(env: &Environment, key: Option<ApiKey>) -> Result<Transport> {
    Transport::new(&Settings {
        base_url: config::resolve_host(
            env.config_host.as_deref(),
            "PAPERSPACE_CONFIG_HOST",
            env.allow_insecure_http,
        )?,
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
    env: &Environment,
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
    let anonymous = transport(env, None)?;
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

/// One cheap authenticated call: a rejected key is an auth error, nothing is saved.
async fn verify(key: &ApiKey, env: &Environment) -> Result<()> {
    let request = ApiRequest::get(
        Auth::ApiKeyHeader,
        "/machines/getMachines".into(),
        vec![("limit".into(), "1".into())],
    );
    let response = transport(env, Some(key.clone()))?.send(&request).await?;
    decode(response).map(|_| ()).map_err(|e| match e.kind {
        ErrorKind::Auth { .. } => CliError::new(
            e.kind.clone(),
            format!(
                "the API did not accept this key ({}); nothing was saved",
                e.message
            ),
        ),
        _ => e,
    })
}

pub fn login(args: &LoginArgs, env: &Environment, terminal: Terminal) -> Result<()> {
    let path = home_config(env)?;
    let source = key_source(args, terminal)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::internal(format!("cannot start the async runtime: {e}")))?;
    let (key, name) = match source {
        KeySource::Flag(key) => (ApiKey::new(key), None),
        KeySource::Legacy => runtime.block_on(key_from_password(args, env, terminal))?,
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
    // A key the API just created needs no check; one typed or pasted does.
    let from_password = args.email.is_some() || args.password.is_some();
    if !args.no_verify && !from_password {
        runtime.block_on(verify(&key, env))?;
    }
    config::save_api_key(&path, &key, name.as_deref())?;
    let checked = if args.no_verify {
        "not checked"
    } else {
        "checked"
    };
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
