//! The command tree clap parses with: built from the command table (one subcommand per
//! namespace, one per row, one flag per parameter), plus login, logout, the emulator, demo,
//! completion, man and version. Cheap to build (no I/O), so `--help` stays instant.

use super::flags::client_args;
use crate::api::commands::Namespace;
use crate::api::spec::{CommandSpec, ParamSpec, Targets, ValueKind};
use crate::login::LoginArgs;
use crate::vocab::{Region, known_machine_types};
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, Args, Command};

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

pub(super) fn value_name(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Text => "TEXT",
        ValueKind::Id => "ID",
        ValueKind::Count { .. } => "N",
        ValueKind::Switch => "true|false",
        ValueKind::OneOf(_) | ValueKind::OneOfOrNull(_) | ValueKind::OneOfAnyCase(_) => "VALUE",
        ValueKind::Region => "REGION",
        ValueKind::MachineType => "TYPE",
        ValueKind::NonEmpty => "TEXT",
        ValueKind::File => "FILE",
        ValueKind::Month => "YYYY-MM",
        ValueKind::Seconds { .. } => "SECONDS",
    }
}

fn param_arg(spec: &CommandSpec, param: &ParamSpec) -> Arg {
    let repeatable = spec.targets == Targets::Many(param.name);
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
    if let Some(values) = suggestions(param.kind) {
        // Offered by shell completion; the table's own validation decides what is accepted
        // (and says so in one line naming the flag), so help does not repeat the list.
        arg = arg
            .value_parser(Suggested(values))
            .hide_possible_values(true);
    }
    match param.kind {
        // A bare switch means true; `--flag false` and `--flag=false` give a value.
        ValueKind::Switch => arg.num_args(0..=1).default_missing_value("true"),
        // Values may start with '-' (a name like "-dash", a negative number to reject with
        // a clear message) instead of being read as flags.
        _ => arg.allow_hyphen_values(true),
    }
}

/// The values completion offers for a kind of flag, when it has a known set.
fn suggestions(kind: ValueKind) -> Option<Vec<&'static str>> {
    match kind {
        ValueKind::OneOf(set) | ValueKind::OneOfAnyCase(set) | ValueKind::OneOfOrNull(set) => {
            Some(set.to_vec())
        }
        ValueKind::Region => Some(Region::spellings()),
        ValueKind::MachineType => Some(known_machine_types().collect()),
        ValueKind::Switch => Some(vec!["true", "false"]),
        ValueKind::Text
        | ValueKind::Id
        | ValueKind::Count { .. }
        | ValueKind::Month
        | ValueKind::Seconds { .. }
        | ValueKind::NonEmpty
        | ValueKind::File => None,
    }
}

/// A flag value kept as typed (validated later, by the command table), whose likely values
/// clap's completion scripts offer.
#[derive(Clone)]
struct Suggested(Vec<&'static str>);

impl TypedValueParser for Suggested {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.0.iter().map(|value| PossibleValue::new(*value)),
        ))
    }
}

fn api_command(spec: &CommandSpec) -> Command {
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
        "paperspace {name} {} [OPTIONS]\n       paperspace {name} --optionsFile <TEXT> [OPTIONS]",
        required.join(" "),
        name = spec.full_name()
    ))
}

/// The whole CLI (completions, the man page). Cheap to build (no I/O).
pub fn command() -> Command {
    tree(|_| true)
}

/// The CLI as one run needs it: every namespace is listed, but only those whose name is a
/// word of argv get their commands and flags (`help` anywhere gets them all). Building all of
/// them is most of the start-up cost of `--help` (bench/run.sh row b1), and a run uses one;
/// a word that is only a flag's value costs a little time, never a wrong parse.
pub(super) fn command_for(args: &[std::ffi::OsString]) -> Command {
    if args.iter().any(|arg| arg == "help") {
        return command();
    }
    tree(|name| args.iter().any(|arg| arg == name))
}

/// The tree; `in_full(name)` says whether the subcommand of that name gets its commands and
/// flags, or is only listed with its one-line description.
fn tree(in_full: impl Fn(&str) -> bool) -> Command {
    let mut tree = Command::new("paperspace")
        // Fixed, so help reads the same whatever the executable is called (paperspace.exe).
        .bin_name("paperspace")
        .version(env!("PAPERSPACE_VERSION"))
        .about("A fast, dependable CLI for Paperspace Core machines (drop-in for paperspace-node)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(client_args(false));
    for &namespace in Namespace::ALL {
        let mut listed = Command::new(namespace.name()).about(namespace.about());
        if in_full(namespace.name()) {
            listed = listed
                .subcommand_required(true)
                .arg_required_else_help(true)
                .args(client_args(true))
                .subcommands(namespace.commands().iter().map(api_command));
        }
        tree = tree.subcommand(listed);
    }
    // The derive's own description (its doc comment) is replaced after it is applied.
    let login = match in_full("login") {
        true => LoginArgs::augment_args(Command::new("login")).after_help("Examples:\n  paperspace login --apiKey KEY\n  pass show paperspace | paperspace login\n  paperspace login --email me@example.com"),
        false => Command::new("login"),
    }
    .about("Save an API key in ~/.paperspace/config.json (checked with the API first)");
    tree = tree.subcommand(login).subcommand(
        Command::new("logout")
            .about("Remove the saved API key (other settings in the file are kept)"),
    );
    #[cfg(feature = "emulator")]
    {
        let mut emulator = Command::new("emulator").about(crate::emulator::ABOUT);
        if in_full("emulator") {
            emulator = crate::emulator::EmulatorArgs::augment_args(emulator);
        }
        tree = tree
            .subcommand(emulator)
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
            );
    }
    tree.subcommand(
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

/// `paperspace 0.1.0 (abc1234 2026-12-01)`: the version and the commit it was built from
/// (set by build.rs; just the version when that is unknown).
pub(super) fn version_line() -> String {
    format!("paperspace {}\n", env!("PAPERSPACE_VERSION"))
}

/// The completion script for `shell` (one of the values clap accepted).
pub(super) fn completion_script(shell: &str) -> String {
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

/// One page for the whole CLI: clap_mangen's sections of the top command (its options are the
/// client flags every command takes), then COMMANDS, every command of every namespace with
/// its own flags. clap_mangen's own subcommands section would name a page per namespace
/// (`paperspace-machines(1)`) that nothing installs.
pub(super) fn man_page() -> String {
    let mut whole = command();
    whole.build();
    let man = clap_mangen::Man::new(whole.clone());
    let mut page = Vec::new();
    let rendered = man
        .render_title(&mut page)
        .and_then(|()| man.render_name_section(&mut page))
        .and_then(|()| man.render_synopsis_section(&mut page))
        .and_then(|()| man.render_description_section(&mut page))
        .and_then(|()| man.render_options_section(&mut page));
    rendered.expect("rendering into memory cannot fail");
    let mut text = String::from_utf8_lossy(&page).into_owned();
    text.push_str(&commands_section(&whole));
    let mut version = Vec::new();
    man.render_version_section(&mut version)
        .expect("rendering into memory cannot fail");
    text.push_str(&String::from_utf8_lossy(&version));
    text
}

/// The man page's COMMANDS: each command (`paperspace machines create`) with what it does and
/// its own flags (not the client flags of OPTIONS).
fn commands_section(whole: &Command) -> String {
    use roff::{Roff, bold, italic, roman};
    let client: Vec<&str> = whole.get_arguments().map(|a| a.get_id().as_str()).collect();
    let about = |cmd: &Command| cmd.get_about().map(ToString::to_string).unwrap_or_default();
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    let visible = |cmd: &&Command| !cmd.is_hide_set() && cmd.get_name() != "help";
    // The namespaces, each with its commands; then the commands of no namespace (login...).
    let (namespaces, others): (Vec<&Command>, Vec<&Command>) = whole
        .get_subcommands()
        .filter(visible)
        .partition(|cmd| cmd.has_subcommands());
    let groups = namespaces
        .iter()
        .map(|ns| {
            (
                format!("paperspace {}", ns.get_name()),
                about(ns),
                Some(*ns),
            )
        })
        .chain(std::iter::once((
            "Other commands".to_string(),
            String::new(),
            None,
        )));
    for (heading, text, namespace) in groups {
        let commands: Vec<&Command> = match namespace {
            Some(ns) => ns.get_subcommands().filter(visible).collect(),
            None => others.clone(),
        };
        roff.control("SS", [heading.as_str()]);
        if !text.is_empty() {
            roff.text([roman(text)]);
        }
        for cmd in commands {
            let name = match namespace {
                Some(ns) => format!("paperspace {} {}", ns.get_name(), cmd.get_name()),
                None => format!("paperspace {}", cmd.get_name()),
            };
            roff.control("TP", []);
            roff.text([bold(name)]);
            roff.text([roman(about(cmd))]);
            let own = cmd.get_arguments().filter(|arg| {
                let id = arg.get_id().as_str();
                !arg.is_hide_set() && arg.get_long().is_some() && !client.contains(&id)
            });
            let mut flags = own.peekable();
            if flags.peek().is_none() {
                continue;
            }
            roff.control("RS", []);
            for arg in flags {
                roff.control("TP", []);
                let mut line = vec![bold(format!("--{}", arg.get_long().unwrap_or_default()))];
                if arg.get_action().takes_values() {
                    let value = arg
                        .get_value_names()
                        .and_then(|names| names.first())
                        .map_or_else(|| arg.get_id().to_string(), ToString::to_string);
                    line.push(roman(" "));
                    line.push(italic(value));
                }
                if arg.is_required_set() {
                    line.push(roman(" (required)"));
                }
                roff.text(line);
                roff.text([roman(
                    arg.get_help().map(ToString::to_string).unwrap_or_default(),
                )]);
            }
            roff.control("RE", []);
        }
    }
    roff.to_roff()
}
