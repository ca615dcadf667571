//! Parsing argv into what `app` runs: `Parsed`. Help, version, completion and man text come
//! back as values for the caller to print; the only I/O is reading `create --optionsFile`.
//!
//! `tree` builds clap's command tree from the command table, `flags` declares and reads the
//! client flags, `argv` holds the scans made before clap, `values` turns matches into the
//! flag values the table's `validate` checks.

mod argv;
mod flags;
mod tree;
mod values;

pub(crate) use argv::known_command;
pub use tree::{command, kebab_case};
pub(crate) use values::{merge_options_file, split_machine_ids};

use crate::api::commands;
use crate::api::params::{Invocation, validate};
use crate::config::ClientFlags;
#[cfg(feature = "emulator")]
use crate::emulator::EmulatorArgs;
use crate::error::{CliError, Result};
use crate::login::LoginArgs;
use clap::FromArgMatches;
use clap::error::{ContextKind, ContextValue, ErrorKind as ClapErrorKind};
use std::ffi::OsString;

/// What the user asked for.
#[derive(Debug)]
pub enum Parsed {
    /// Text for stdout (help, version), exit 0.
    Print(String),
    /// Help shown because a command was missing: stderr, usage exit code.
    MissingCommand(String),
    /// A command of the command table (`paperspace machines create ...`).
    Api {
        /// One invocation per machine id (`--machineId a,b` runs two); usually one.
        invocations: Vec<Invocation>,
        /// Several machine ids were given: the output is an array, one entry per id.
        batch: bool,
        flags: ClientFlags,
    },
    #[cfg(feature = "emulator")]
    Emulator(EmulatorArgs),
    Login(LoginArgs),
    Logout,
    #[cfg(feature = "emulator")]
    Demo {
        transition_ms: u64,
    },
}

pub fn parse(args: Vec<OsString>) -> Result<Parsed> {
    // `paperspace --version` is answered without building the command tree: it is the
    // single most common start-up path of scripts that probe for the tool.
    if let [_, flag] = args.as_slice()
        && (flag == "--version" || flag == "-V")
    {
        return Ok(Parsed::Print(tree::version_line()));
    }
    argv::check_gradient_namespace(&args)?;
    if let Some(spec) = known_command(&args) {
        argv::check_forgotten_values(spec, &args)?;
    }
    let matches = match tree::command_for(&args).try_get_matches_from(args) {
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
    let (namespace, namespace_matches) = match matches.subcommand() {
        #[cfg(feature = "emulator")]
        Some(("emulator", emulator)) => {
            return EmulatorArgs::from_arg_matches(emulator)
                .map(Parsed::Emulator)
                .map_err(|e| CliError::usage(one_line(&e)));
        }
        #[cfg(feature = "emulator")]
        Some(("demo", demo)) => {
            return Ok(Parsed::Demo {
                transition_ms: demo.get_one::<u64>("transition-ms").copied().unwrap_or(400),
            });
        }
        Some(("login", login)) => {
            return LoginArgs::from_arg_matches(login)
                .map(Parsed::Login)
                .map_err(|e| CliError::usage(one_line(&e)));
        }
        Some(("logout", _)) => return Ok(Parsed::Logout),
        Some(("completion", completion)) => {
            let shell = completion.get_one::<String>("shell").map(String::as_str);
            return Ok(Parsed::Print(tree::completion_script(
                shell.unwrap_or("bash"),
            )));
        }
        Some(("man", _)) => return Ok(Parsed::Print(tree::man_page())),
        Some(("version", _)) => return Ok(Parsed::Print(tree::version_line())),
        Some((name, namespace_matches)) => match commands::Namespace::find(name) {
            Some(namespace) => (namespace, namespace_matches),
            None => return Err(CliError::usage(format!("unknown command '{name}'"))),
        },
        None => return Err(CliError::usage("no command given; try 'paperspace --help'")),
    };
    let Some((name, sub)) = namespace_matches.subcommand() else {
        return Err(CliError::usage(format!(
            "no {ns} command given; try 'paperspace {ns} --help'",
            ns = namespace.name()
        )));
    };
    let spec = namespace
        .command(name)
        .expect("clap only accepts commands of the table");
    let flags = flags::client_flags(sub, &matches);
    let mut raw = values::raw_values_in_flag_order(spec, sub);
    if let Some(path) = values::take_value(&mut raw, "optionsFile") {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| CliError::usage(format!("cannot read --optionsFile {path}: {e}")))?;
        raw = merge_options_file(spec, &path, &text, raw)?;
    }
    let per_machine = split_machine_ids(spec, &raw);
    let batch = per_machine.len() > 1;
    let invocations = per_machine
        .iter()
        .map(|raw| validate(spec, raw).and_then(values::read_files))
        .collect::<Result<Vec<_>>>()?;
    Ok(Parsed::Api {
        invocations,
        batch,
        flags,
    })
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

    #[test]
    fn the_tree_one_run_builds_reads_as_the_whole_one() {
        let mut whole = command();
        for args in [
            vec![],
            vec!["machines"],
            vec!["--format", "table", "snapshots", "list"],
            vec!["help", "networks"],
            vec!["login", "--help"],
            vec!["emulator"],
        ] {
            let mut one_run = tree::command_for(&argv(&args));
            assert_eq!(
                one_run.render_help().to_string(),
                whole.render_help().to_string(),
                "{args:?}"
            );
            for name in args
                .iter()
                .filter(|word| commands::Namespace::find(word).is_some())
            {
                let of = |tree: &mut clap::Command| {
                    let sub = tree.find_subcommand_mut(name).unwrap();
                    sub.render_help().to_string()
                };
                assert_eq!(of(&mut one_run), of(&mut whole), "{name}");
            }
        }
        // A namespace no word names is listed without its commands.
        let bare = tree::command_for(&argv(&["machines", "list"]));
        let snapshots = bare.find_subcommand("snapshots").unwrap();
        assert_eq!(snapshots.get_subcommands().count(), 0);
    }

    fn argv(args: &[&str]) -> Vec<OsString> {
        std::iter::once("paperspace")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn parse_ok(args: &[&str]) -> (Invocation, ClientFlags) {
        match parse(argv(args)).unwrap() {
            Parsed::Api {
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
        let Parsed::Api {
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
        let spec = commands::find("machines", "create").unwrap();
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
