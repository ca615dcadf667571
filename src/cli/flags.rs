//! The client flags (`--apiKey`, `--format`, `--api`, ...): declared on every namespace, so
//! they may come before or after the command name, and never sent to the API.

use crate::config::ClientFlags;
use clap::{Arg, ArgAction, ArgMatches};

const API_KEY: &str = "apiKey";
/// `--api_key`: a flag of its own because the legacy CLI ranks it below `--apiKey`.
const API_KEY_UNDERSCORE: &str = "api_key";
const JSON: &str = "json";
const DEBUG: &str = "debug";
const CONNECT_TIMEOUT: &str = "connect-timeout";
const REQUEST_TIMEOUT: &str = "request-timeout";
const DRY_RUN: &str = "dry-run";
const FORMAT: &str = "format";
const COLUMNS: &str = "columns";
const NO_HEADER: &str = "no-header";
const COLOR: &str = "color";
const CONCURRENCY: &str = "concurrency";
const RETRIES: &str = "retries";
const ALLOW_INSECURE_HTTP: &str = "allow-insecure-http";
const API: &str = "api";
const RAW: &str = "raw";
const TEAM: &str = "team";

/// Client flags that take a value, as typed on the command line (for the argv scans below).
pub(super) const GLOBAL_VALUE_FLAGS: &[&str] = &[
    "--apiKey",
    "--api_key",
    "--api-key",
    "--connect-timeout",
    "--request-timeout",
    "--format",
    "-o",
    "--columns",
    "--color",
    "--concurrency",
    "--retries",
    "--api",
    "--team",
];

/// The client flags. On a namespace they are global (before or after the command name); a
/// hidden copy on the top level accepts the legacy `paperspace --apiKey K machines ...`.
pub(super) fn client_args(on_namespace: bool) -> Vec<Arg> {
    let args: [Arg; 17] = [
        Arg::new(API_KEY)
            .long(API_KEY)
            .alias("api-key")
            .value_name("KEY")
            .help("API key (else PAPERSPACE_API_KEY, else apiKey in ~/.paperspace/config.json, else the key pspace saved)")
            .global(true),
        Arg::new(API_KEY_UNDERSCORE)
            .long(API_KEY_UNDERSCORE)
            .value_name("KEY")
            .hide(true)
            .global(true),
        Arg::new(JSON)
            .long(JSON)
            .action(ArgAction::SetTrue)
            .help("Print JSON (the default output)")
            .global(true),
        Arg::new(DEBUG)
            .long(DEBUG)
            .action(ArgAction::SetTrue)
            .help("Trace requests and responses on stderr (the API key is redacted)")
            .global(true),
        Arg::new(CONNECT_TIMEOUT)
            .long(CONNECT_TIMEOUT)
            .value_name("SECONDS")
            .help("Connect timeout per request [default: 10; env PAPERSPACE_CONNECT_TIMEOUT]")
            .global(true),
        Arg::new(REQUEST_TIMEOUT)
            .long(REQUEST_TIMEOUT)
            .value_name("SECONDS")
            .help("Total timeout per request [default: 60; env PAPERSPACE_REQUEST_TIMEOUT]")
            .global(true),
        Arg::new(FORMAT)
            .long(FORMAT)
            .short('o')
            .value_name("json|table")
            .help("Output format [default: json; env PAPERSPACE_FORMAT]")
            .global(true),
        Arg::new(COLUMNS)
            .long(COLUMNS)
            .value_name("FIELDS")
            .help("Table columns, comma-separated field names (e.g. id,name,state)")
            .global(true),
        Arg::new(NO_HEADER)
            .long(NO_HEADER)
            .action(ArgAction::SetTrue)
            .help("Tables without the header row")
            .global(true),
        Arg::new(COLOR)
            .long(COLOR)
            .value_name("auto|always|never")
            .help(
                "Colour the state in tables [default: auto: on a terminal, unless NO_COLOR is set]",
            )
            .global(true),
        Arg::new(DRY_RUN)
            .long(DRY_RUN)
            .action(ArgAction::SetTrue)
            .help("Print the requests as curl commands and send nothing")
            .global(true),
        Arg::new(RETRIES)
            .long(RETRIES)
            .value_name("N")
            .help("Retries of reads and start/stop/restart after a connection failure, 502, 503 or 504, and of any request after a 429 [default: 3; env PAPERSPACE_RETRIES]")
            .global(true),
        Arg::new(ALLOW_INSECURE_HTTP)
            .long(ALLOW_INSECURE_HTTP)
            .action(ArgAction::SetTrue)
            .help("Allow a plain http:// PAPERSPACE_CONFIG_HOST that is not this machine (the key would travel unencrypted) [env PAPERSPACE_ALLOW_INSECURE_HTTP]")
            .global(true),
        Arg::new(API)
            .long(API)
            .value_name("legacy|v1")
            .help("Which Paperspace API to talk to: legacy (api.paperspace.io) or v1 (api.paperspace.com/v1, PAPERSPACE_API_URL) [default: legacy; env PAPERSPACE_API; config file \"api\"]")
            .global(true),
        Arg::new(RAW)
            .long(RAW)
            .action(ArgAction::SetTrue)
            .help("With --api v1: print v1's own JSON instead of the legacy shape")
            .global(true),
        Arg::new(TEAM)
            .long(TEAM)
            .value_name("NAME")
            .help("Use the key Paperspace's own CLI (pspace) saved for this team in ~/.paperspace/credentials.toml [env PAPERSPACE_TEAM]")
            .global(true),
        Arg::new(CONCURRENCY)
            .long(CONCURRENCY)
            .value_name("N")
            .help("Requests in flight at once when several machine ids are given [default: 8]")
            .global(true),
    ];
    args.into_iter()
        .map(|arg| {
            if on_namespace {
                arg.help_heading("Client options")
            } else {
                arg.global(false).hide(true)
            }
        })
        .collect()
}

/// The client flags: from the leaf command's matches (clap propagates the namespace's ones
/// there), else from the top level (the legacy `paperspace --apiKey K machines ...`).
pub(super) fn client_flags(leaf: &ArgMatches, top: &ArgMatches) -> ClientFlags {
    let text = |id: &str| {
        leaf.get_one::<String>(id)
            .or_else(|| top.get_one::<String>(id))
            .cloned()
    };
    let flag = |id: &str| leaf.get_flag(id) || top.get_flag(id);
    // `--apiKey` before `--api_key`; an empty value falls through, as in the legacy CLI.
    let api_key = [API_KEY, API_KEY_UNDERSCORE]
        .into_iter()
        .filter_map(text)
        .find(|key| !key.is_empty());
    ClientFlags {
        api_key,
        connect_timeout: text(CONNECT_TIMEOUT),
        request_timeout: text(REQUEST_TIMEOUT),
        debug: flag(DEBUG),
        dry_run: flag(DRY_RUN),
        // `--json` is the legacy spelling of the default; an explicit --format wins.
        format: text(FORMAT).or_else(|| flag(JSON).then(|| "json".to_string())),
        columns: text(COLUMNS),
        no_header: flag(NO_HEADER),
        color: text(COLOR),
        concurrency: text(CONCURRENCY),
        retries: text(RETRIES),
        allow_insecure_http: flag(ALLOW_INSECURE_HTTP),
        api: text(API),
        raw: flag(RAW),
        team: text(TEAM),
    }
}
