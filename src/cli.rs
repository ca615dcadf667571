//! The command-line definition, built from the command table in `api::spec`, and parsing of
//! argv into what `lib::run` executes. No I/O here: help and version text come back as
//! values for the caller to print.

use crate::api::request::{Invocation, validate};
use crate::api::spec::{COMMANDS, CommandSpec, ParamSpec, ValueKind};
use crate::config::GlobalFlags;
use crate::emulator::EmulatorArgs;
use crate::error::{CliError, Result};
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

/// Global flags that take a value, as typed on the command line (for the argv scan below).
const GLOBAL_VALUE_FLAGS: &[&str] = &[
    "--apiKey",
    "--api_key",
    "--api-key",
    "--connect-timeout",
    "--request-timeout",
];

/// What the user asked for.
#[derive(Debug)]
pub enum Parsed {
    /// Text for stdout (help, version), exit 0.
    Print(String),
    /// Help shown because a command was missing: stderr, usage exit code.
    MissingCommand(String),
    Machines {
        invocation: Invocation,
        globals: GlobalFlags,
    },
    Emulator(EmulatorArgs),
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

fn param_arg(param: &ParamSpec) -> Arg {
    let mut arg = Arg::new(param.name)
        .long(param.name)
        .help(param.help)
        .required(param.required)
        .action(ArgAction::Set)
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
    Command::new(spec.name)
        .about(spec.about)
        .args(spec.params.iter().map(param_arg))
        .after_help(format!("Example:\n  {}", spec.example))
}

fn client_args() -> [Arg; 6] {
    [
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
    ]
}

/// The whole CLI. Cheap to build (no I/O), so `--help` stays instant.
pub fn command() -> Command {
    Command::new("paperspace")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A fast, dependable CLI for Paperspace Core machines (drop-in for paperspace-node)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("machines")
                .about("Create, control and inspect Paperspace Core machines")
                .subcommand_required(true)
                .arg_required_else_help(true)
                .args(client_args())
                .subcommands(COMMANDS.iter().map(machine_command)),
        )
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
    let globals = client_flags(sub);
    let raw = raw_values_in_flag_order(spec, sub)?;
    let invocation = validate(spec, &raw)?;
    Ok(Parsed::Machines {
        invocation,
        globals,
    })
}

/// The client flags, read from the leaf command's matches (clap propagates them there).
fn client_flags(matches: &ArgMatches) -> GlobalFlags {
    // `--apiKey` before `--api_key`; an empty value falls through, as in the legacy CLI.
    let api_key = [API_KEY, API_KEY_UNDERSCORE]
        .iter()
        .filter_map(|id| matches.get_one::<String>(id))
        .find(|key| !key.is_empty())
        .cloned();
    GlobalFlags {
        api_key,
        connect_timeout: matches.get_one::<String>(CONNECT_TIMEOUT).cloned(),
        request_timeout: matches.get_one::<String>(REQUEST_TIMEOUT).cloned(),
        debug: matches.get_flag(DEBUG),
    }
}

/// The given flags of a command with their raw text, in command-line order.
fn raw_values_in_flag_order(
    spec: &'static CommandSpec,
    matches: &ArgMatches,
) -> Result<Vec<(&'static str, String)>> {
    let mut given = Vec::new();
    for param in spec.params {
        if let (Some(value), Some(index)) = (
            matches.get_one::<String>(param.name),
            matches.index_of(param.name),
        ) {
            given.push((index, param.name, value.clone()));
        }
    }
    given.sort_by_key(|(index, _, _)| *index);
    Ok(given
        .into_iter()
        .map(|(_, name, value)| (name, value))
        .collect())
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

    fn parse_ok(args: &[&str]) -> (Invocation, GlobalFlags) {
        match parse(argv(args)).unwrap() {
            Parsed::Machines {
                invocation,
                globals,
            } => (invocation, globals),
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
            usage(&["machines", "show", "--machineId", "a", "--machineId", "b"])
                .contains("--machineId")
        );
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
