//! The command-line definition, built from the command table in `api::spec`, and parsing of
//! argv into what `lib::run` executes. Help, version, completion and man text come back as
//! values for the caller to print; the only I/O is reading `create --optionsFile`.

use crate::api::request::{Invocation, validate};
use crate::api::spec::{COMMANDS, CommandSpec, ParamSpec, ValueKind};
use crate::config::ClientFlags;
use crate::emulator::EmulatorArgs;
use crate::error::{CliError, Result};
use crate::login::LoginArgs;
use clap::error::{ContextKind, ContextValue, ErrorKind as ClapErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use std::ffi::OsString;

/// Flags of every machines command (declared on `machines`, so they may come before or after
/// the command name), never sent to the API.
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

/// Client flags that take a value, as typed on the command line (for the argv scans below).
const GLOBAL_VALUE_FLAGS: &[&str] = &[
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
];

/// What the user asked for.
#[derive(Debug)]
pub enum Parsed {
    /// Text for stdout (help, version), exit 0.
    Print(String),
    /// Help shown because a command was missing: stderr, usage exit code.
    MissingCommand(String),
    Machines {
        /// One invocation per machine id (`--machineId a,b` runs two); usually one.
        invocations: Vec<Invocation>,
        /// Several machine ids were given: the output is an array, one entry per id.
        batch: bool,
        flags: ClientFlags,
    },
    Emulator(EmulatorArgs),
    Login(LoginArgs),
    Logout,
    Demo {
        transition_ms: u64,
    },
}

/// `machineId` -> `machine-id`: the kebab-case alias every camelCase flag also answers to.
pub fn kebab_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for ch in name.chars() {
        if ch.is_ascii_uppercase() {
            out.push('-');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

fn value_name(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Text => "TEXT",
        ValueKind::Id => "ID",
        ValueKind::Count { .. } => "N",
        ValueKind::Switch => "true|false",
        ValueKind::OneOf(_) | ValueKind::OneOfOrNull(_) | ValueKind::OneOfAnyCase(_) => "VALUE",
        ValueKind::Region => "REGION",
        ValueKind::Month => "YYYY-MM",
        ValueKind::Seconds { .. } => "SECONDS",
    }
}

fn param_arg(spec: &CommandSpec, param: &ParamSpec) -> Arg {
    let repeatable = spec.many_ids && param.name == "machineId";
    let mut arg = Arg::new(param.name).long(param.name).help(param.help);
    // With an options file the required flags may come from the file; `validate` names any
    // that are still missing after the merge.
    arg = if param.required && spec.param("optionsFile").is_some() {
        arg.required_unless_present("optionsFile")
    } else {
        arg.required(param.required)
    };
    let mut arg = arg
        .action(if repeatable {
            ArgAction::Append
        } else {
            ArgAction::Set
        })
        .value_name(value_name(param.kind));
    let kebab = kebab_case(param.name);
    if kebab != param.name {
        arg = arg.alias(kebab);
    }
    if let Some(default) = param.default {
        arg = arg.help(format!("{} [default: {default}]", param.help));
    }
    match param.kind {
        // A bare switch means true; `--flag false` and `--flag=false` give a value.
        ValueKind::Switch => arg.num_args(0..=1).default_missing_value("true"),
        // Values may start with '-' (a name like "-dash", a negative number to reject with
        // a clear message) instead of being read as flags.
        _ => arg.allow_hyphen_values(true),
    }
}

fn machine_command(spec: &CommandSpec) -> Command {
    let command = Command::new(spec.name)
        .about(spec.about)
        .args(spec.params.iter().map(|p| param_arg(spec, p)))
        .after_help(format!("Example:\n  {}", spec.example));
    if spec.param("optionsFile").is_none() {
        return command;
    }
    // clap leaves "required unless --optionsFile" flags out of the usage line: spell both forms.
    let required: Vec<String> = spec
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("--{} <{}>", p.name, value_name(p.kind)))
        .collect();
    command.override_usage(format!(
        "paperspace machines {name} {} [OPTIONS]\n       paperspace machines {name} --optionsFile <TEXT> [OPTIONS]",
        required.join(" "),
        name = spec.name
    ))
}

/// The client flags. On `machines` they are global (before or after the command name); a
/// hidden copy on the top level accepts the legacy `paperspace --apiKey K machines ...`.
fn client_args(on_machines: bool) -> Vec<Arg> {
    let args: [Arg; 16] = [
        Arg::new(API_KEY)
            .long(API_KEY)
            .alias("api-key")
            .value_name("KEY")
            .help("API key (else PAPERSPACE_API_KEY, else apiKey in ~/.paperspace/config.json)")
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
            .help("Print the request as a curl command and send nothing")
            .global(true),
        Arg::new(RETRIES)
            .long(RETRIES)
            .value_name("N")
            .help("Retries of reads and start/stop/restart after a connection failure, 429, 502, 503 or 504 [default: 3; env PAPERSPACE_RETRIES]")
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
        Arg::new(CONCURRENCY)
            .long(CONCURRENCY)
            .value_name("N")
            .help("Requests in flight at once when several machine ids are given [default: 8]")
            .global(true),
    ];
    args.into_iter()
        .map(|arg| {
            if on_machines {
                arg.help_heading("Client options")
            } else {
                arg.global(false).hide(true)
            }
        })
        .collect()
}

/// The whole CLI. Cheap to build (no I/O), so `--help` stays instant.
pub fn command() -> Command {
    Command::new("paperspace")
        // Fixed, so help reads the same whatever the executable is called (paperspace.exe).
        .bin_name("paperspace")
        .version(env!("PAPERSPACE_VERSION"))
        .about("A fast, dependable CLI for Paperspace Core machines (drop-in for paperspace-node)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(client_args(false))
        .subcommand(
            Command::new("machines")
                .about("Create, control and inspect Paperspace Core machines")
                .subcommand_required(true)
                .arg_required_else_help(true)
                .args(client_args(true))
                .subcommands(COMMANDS.iter().map(machine_command)),
        )
        .subcommand(
            LoginArgs::augment_args(Command::new("login"))
                .about("Save an API key in ~/.paperspace/config.json (checked with the API first)")
                .after_help("Examples:\n  paperspace login --apiKey KEY\n  pass show paperspace | paperspace login\n  paperspace login --email me@example.com"),
        )
        .subcommand(Command::new("logout").about("Remove the saved API key (other settings in the file are kept)"))
        .subcommand(EmulatorArgs::augment_args(Command::new("emulator")))
        .subcommand(
            Command::new("demo")
                .about("Try it without an account: start a local emulator and run a machine's whole lifecycle against it")
                .arg(
                    Arg::new("transition-ms")
                        .long("transition-ms")
                        .value_name("MS")
                        .default_value("400")
                        .value_parser(clap::value_parser!(u64))
                        .help("How long each lifecycle step of the emulated machine takes"),
                ),
        )
        .subcommand(
            Command::new("completion")
                .about("Print a shell completion script (e.g. source <(paperspace completion bash))")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(["bash", "zsh", "fish", "powershell", "elvish"]),
                ),
        )
        .subcommand(Command::new("man").about("Print the man page (roff; e.g. paperspace man | man -l -)"))
        .subcommand(Command::new("version").about("Print the version (as --version; the legacy CLI had this command)"))
        .after_help(
            "Exit codes: 0 success, 1 API error, 2 usage error, 3 network failure or timeout,\n4 authentication, 5 machine failed (waitfor), 124 waitfor timed out, 130 interrupted.",
        )
}

/// The machines command named in argv, if any: decides whether a usage error also prints
/// the JSON error object (compat.md: only once the command is known).
pub fn known_command(args: &[OsString]) -> Option<&'static CommandSpec> {
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
    match positionals.as_slice() {
        ["machines", name] => COMMANDS.iter().find(|c| c.name == *name),
        _ => None,
    }
}

/// Parse argv. Usage problems come back as `CliError`s with a one-line message.
pub fn parse(args: Vec<OsString>) -> Result<Parsed> {
    // `paperspace --version` is answered without building the command tree: it is the
    // single most common start-up path of scripts that probe for the tool.
    if let [_, flag] = args.as_slice()
        && (flag == "--version" || flag == "-V")
    {
        return Ok(Parsed::Print(version_line()));
    }
    if let Some(spec) = known_command(&args) {
        check_forgotten_values(spec, &args)?;
    }
    let matches = match command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            return match e.kind() {
                ClapErrorKind::DisplayHelp | ClapErrorKind::DisplayVersion => {
                    Ok(Parsed::Print(e.render().to_string()))
                }
                ClapErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    Ok(Parsed::MissingCommand(e.render().to_string()))
                }
                _ => Err(CliError::usage(one_line(&e))),
            };
        }
    };
    let machines = match matches.subcommand() {
        Some(("machines", machines)) => machines,
        Some(("emulator", emulator)) => {
            return EmulatorArgs::from_arg_matches(emulator)
                .map(Parsed::Emulator)
                .map_err(|e| CliError::usage(one_line(&e)));
        }
        Some(("login", login)) => {
            return LoginArgs::from_arg_matches(login)
                .map(Parsed::Login)
                .map_err(|e| CliError::usage(one_line(&e)));
        }
        Some(("logout", _)) => return Ok(Parsed::Logout),
        Some(("completion", completion)) => {
            let shell = completion.get_one::<String>("shell").map(String::as_str);
            return Ok(Parsed::Print(completion_script(shell.unwrap_or("bash"))));
        }
        Some(("man", _)) => return Ok(Parsed::Print(man_page())),
        Some(("version", _)) => return Ok(Parsed::Print(version_line())),
        Some(("demo", demo)) => {
            return Ok(Parsed::Demo {
                transition_ms: demo.get_one::<u64>("transition-ms").copied().unwrap_or(400),
            });
        }
        _ => return Err(CliError::usage("no command given; try 'paperspace --help'")),
    };
    let Some((name, sub)) = machines.subcommand() else {
        return Err(CliError::usage(
            "no machines command given; try 'paperspace machines --help'",
        ));
    };
    let spec = COMMANDS
        .iter()
        .find(|c| c.name == name)
        .expect("clap only accepts commands of the table");
    let flags = client_flags(sub, &matches);
    let mut raw = raw_values_in_flag_order(spec, sub);
    if let Some(path) = take_value(&mut raw, "optionsFile") {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| CliError::usage(format!("cannot read --optionsFile {path}: {e}")))?;
        raw = merge_options_file(spec, &path, &text, raw)?;
    }
    let per_machine = split_machine_ids(spec, &raw);
    let batch = per_machine.len() > 1;
    let invocations = per_machine
        .iter()
        .map(|raw| validate(spec, raw))
        .collect::<Result<Vec<_>>>()?;
    Ok(Parsed::Machines {
        invocations,
        batch,
        flags,
    })
}

fn take_value(raw: &mut Vec<(&'static str, String)>, name: &str) -> Option<String> {
    let index = raw.iter().position(|(n, _)| *n == name)?;
    Some(raw.remove(index).1)
}

/// `--machineId a --machineId b,c`: one argument list per machine, each with its id where the
/// first `--machineId` stood. Commands that take one machine are left as they are.
pub fn split_machine_ids(
    spec: &CommandSpec,
    raw: &[(&'static str, String)],
) -> Vec<Vec<(&'static str, String)>> {
    let ids = raw.iter().find(|(name, _)| *name == "machineId");
    match ids {
        Some((_, ids)) if spec.many_ids && ids.contains(',') => ids
            .split(',')
            .map(|id| {
                raw.iter()
                    .map(|(name, value)| {
                        let value = if *name == "machineId" { id } else { value };
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
pub fn merge_options_file(
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

/// The client flags: from the leaf command's matches (clap propagates the `machines` ones
/// there), else from the top level (the legacy `paperspace --apiKey K machines ...`).
fn client_flags(leaf: &ArgMatches, top: &ArgMatches) -> ClientFlags {
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
    }
}

/// `paperspace 0.1.0 (abc1234 2026-12-01)`: the version and the commit it was built from
/// (set by build.rs; just the version when that is unknown).
fn version_line() -> String {
    format!("paperspace {}\n", env!("PAPERSPACE_VERSION"))
}

/// The completion script for `shell` (one of the values clap accepted).
fn completion_script(shell: &str) -> String {
    use clap_complete::Shell;
    let shell = match shell {
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        "powershell" => Shell::PowerShell,
        "elvish" => Shell::Elvish,
        _ => Shell::Bash,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "paperspace", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

fn man_page() -> String {
    let mut page = Vec::new();
    clap_mangen::Man::new(command())
        .render(&mut page)
        .expect("rendering into memory cannot fail");
    String::from_utf8_lossy(&page).into_owned()
}

/// The given flags of a command with their raw text, in command-line order.
/// A repeated `--machineId` comes back as one comma-separated value, at its first place.
fn raw_values_in_flag_order(
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

/// `--machineName --size 5` would otherwise name the machine "--size" (values may start
/// with '-'): a value-taking flag followed directly by a long flag means the value was
/// forgotten. Checked on argv before clap sees it; `--flag=--value` stays possible.
fn check_forgotten_values(spec: &CommandSpec, args: &[OsString]) -> Result<()> {
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

/// Clap's multi-line error as one line, with its did-you-mean hint kept.
fn one_line(error: &clap::Error) -> String {
    let strings = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    };
    if error.kind() == ClapErrorKind::MissingRequiredArgument {
        let missing = strings(ContextKind::InvalidArg);
        let flags: Vec<&str> = missing
            .iter()
            .map(|m| m.split_whitespace().next().unwrap_or(m))
            .collect();
        let noun = if flags.len() == 1 { "flag" } else { "flags" };
        return format!("missing required {noun} {}", flags.join(", "));
    }
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    let mut line = first.strip_prefix("error: ").unwrap_or(first).to_string();
    let suggestions: Vec<String> = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .flat_map(strings)
        .collect();
    if !suggestions.is_empty() {
        line.push_str(&format!("; did you mean '{}'?", suggestions.join("' or '")));
    }
    if error.kind() == ClapErrorKind::UnknownArgument && !line.contains("did you mean") {
        let stray_positional = strings(ContextKind::InvalidArg)
            .first()
            .is_some_and(|arg| !arg.starts_with('-'));
        line.push_str(if stray_positional {
            "; values are given with flags, e.g. --machineId ps123abc"
        } else {
            "; see --help for the accepted flags"
        });
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<OsString> {
        std::iter::once("paperspace")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn parse_ok(args: &[&str]) -> (Invocation, ClientFlags) {
        match parse(argv(args)).unwrap() {
            Parsed::Machines {
                mut invocations,
                batch: false,
                flags,
            } => (invocations.remove(0), flags),
            other => panic!("{other:?}"),
        }
    }

    fn usage(args: &[&str]) -> String {
        let err = parse(argv(args)).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        err.message
    }

    #[test]
    fn clap_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn flags_parse_in_every_accepted_spelling() {
        let (inv, globals) = parse_ok(&[
            "machines",
            "create",
            "--region=ny2",
            "--machine-type",
            "Air",
            "--size",
            "50",
            "--billingType",
            "hourly",
            "--machineName",
            "-dash",
            "--templateId",
            "t1",
            "--assignPublicIp",
            "--startOnCreate",
            "FALSE",
            "--enableNvlink=true",
            "--apiKey",
            "k",
        ]);
        let names: Vec<_> = inv.values.iter().map(|(p, _)| p.name).collect();
        assert_eq!(
            names,
            [
                "region",
                "machineType",
                "size",
                "billingType",
                "machineName",
                "templateId",
                "assignPublicIp",
                "startOnCreate",
                "enableNvlink"
            ]
        );
        assert_eq!(inv.text("machineName"), Some("-dash"));
        assert_eq!(globals.api_key.as_deref(), Some("k"));
    }

    #[test]
    fn client_flags_work_before_the_command_name_too() {
        let (_, globals) = parse_ok(&[
            "machines",
            "--api_key",
            "k",
            "--debug",
            "show",
            "--machine-id",
            "ps1",
        ]);
        assert_eq!(globals.api_key.as_deref(), Some("k"));
        assert!(globals.debug);
        assert_eq!(
            known_command(&argv(&["machines", "--api-key", "k", "show"])).map(|c| c.name),
            Some("show")
        );
        assert!(known_command(&argv(&["machines", "Show"])).is_none());
    }

    #[test]
    fn unknown_flags_are_rejected_with_a_hint() {
        let msg = usage(&[
            "machines",
            "update",
            "--machineId",
            "p",
            "--machineNmae",
            "x",
        ]);
        assert!(
            msg.contains("--machineNmae") && msg.contains("did you mean '--machineName'"),
            "{msg}"
        );
        assert!(usage(&["machines", "list", "--access_token", "x"]).contains("--access_token"));
        assert!(usage(&["machines", "list", "--version"]).contains("--version"));
    }

    #[test]
    fn missing_flags_and_forgotten_values_are_named() {
        assert_eq!(
            usage(&["machines", "show"]),
            "missing required flag --machineId"
        );
        assert_eq!(
            usage(&["machines", "utilization"]),
            "missing required flags --machineId, --billingMonth"
        );
        assert_eq!(
            usage(&[
                "machines",
                "update",
                "--machineId",
                "p",
                "--machineName",
                "--shutdown-timeout-in-hours",
                "3"
            ]),
            "--machineName needs a value, but the next argument looks like a flag: --shutdown-timeout-in-hours (write --machineName=--shutdown-timeout-in-hours if that is the value)"
        );
        assert!(usage(&["machines", "show", "ps1"]).contains("'ps1'"));
        assert!(
            usage(&["machines", "update", "--machineId", "a", "--machineId", "b"])
                .contains("--machineId")
        );
        assert_eq!(
            usage(&["machines", "stop", "--machineId", "a,,b"]),
            "--machineId must not be empty"
        );
    }

    #[test]
    fn repeated_and_comma_separated_ids_make_one_invocation_each_in_order() {
        let Parsed::Machines {
            invocations, batch, ..
        } = parse(argv(&[
            "machines",
            "stop",
            "--machineId",
            "a,b",
            "--wait",
            "--machineId",
            "c",
        ]))
        .unwrap()
        else {
            panic!()
        };
        assert!(batch);
        let ids: Vec<_> = invocations
            .iter()
            .map(|i| i.text("machineId").unwrap())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert!(invocations.iter().all(|i| i.get("wait").is_some()));
    }

    #[test]
    fn an_options_file_fills_in_flags_and_the_command_line_wins() {
        let spec = crate::api::spec::command("create").unwrap();
        let merged = merge_options_file(
            spec,
            "o.json",
            r#"{"region":"ny2","size":50,"assignPublicIp":true,"machineName":"from-file"}"#,
            vec![("machineName", "from-flag".to_string())],
        )
        .unwrap();
        assert_eq!(
            merged,
            [
                ("region", "ny2".to_string()),
                ("size", "50".to_string()),
                ("assignPublicIp", "true".to_string()),
                ("machineName", "from-flag".to_string())
            ]
        );
        let err = merge_options_file(spec, "o.json", r#"{"sise":50}"#, vec![]).unwrap_err();
        assert!(
            err.message.starts_with(
                "--optionsFile o.json: unknown key 'sise'; valid keys: region, machineType, size,"
            ),
            "{}",
            err.message
        );
        assert!(merge_options_file(spec, "o.json", r#"{"size":[1]}"#, vec![]).is_err());
        assert!(merge_options_file(spec, "o.json", "[]", vec![]).is_err());
    }

    #[test]
    fn help_and_version_are_printed_not_errors() {
        for args in [
            &["--help"][..],
            &["machines", "--help"],
            &["help"],
            &["machines", "create", "--help"],
            &["--version"],
        ] {
            assert!(
                matches!(parse(argv(args)).unwrap(), Parsed::Print(_)),
                "{args:?}"
            );
        }
        assert!(matches!(
            parse(argv(&[])).unwrap(),
            Parsed::MissingCommand(_)
        ));
    }

    #[test]
    fn kebab_aliases_follow_camel_case() {
        assert_eq!(kebab_case("machineId"), "machine-id");
        assert_eq!(
            kebab_case("shutdownTimeoutInHours"),
            "shutdown-timeout-in-hours"
        );
        assert_eq!(kebab_case("size"), "size");
    }
}
