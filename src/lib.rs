//! `paperspace`: a command-line client for Paperspace Core machines, drop-in compatible with
//! the legacy `paperspace-node` CLI.
//!
//! Flow of one run: `cli::parse` (argv -> validated `Invocation`s; the only file it reads is
//! `create --optionsFile`) -> `config::resolve` (flags + environment + config file ->
//! `Settings`, legacy or v1) -> `machines::perform_all` (`api::request::build_request` or
//! `api::v1::plan`, both pure, then `http::Transport::send`, the only network I/O, and
//! `api::response::decode`, pure) -> `machines::present` (pure) -> `output` (stdout data,
//! stderr messages). Every failure is a `CliError`, whose kind alone decides the exit code.

pub mod api;
pub mod cli;
pub mod config;
pub mod demo;
pub mod emulator;
pub mod error;
pub mod http;
pub mod login;
pub mod machines;
pub mod output;
pub mod waitfor;

use api::request::{Invocation, ParamValue};
use cli::Parsed;
use config::{ClientFlags, Environment};
use error::{CliError, ErrorKind, exit};
use http::Transport;
use machines::{Format, Terminal};
use output::progress::Progress;
use std::ffi::OsString;

/// Run the CLI on `args` and return the process exit code.
pub fn run(args: Vec<OsString>, env: Environment) -> u8 {
    let command_known = cli::known_command(&args).is_some();
    match cli::parse(args) {
        Ok(Parsed::Print(text)) => match output::write_stdout(&text) {
            Ok(()) => exit::SUCCESS,
            Err(e) => report(&e, false),
        },
        Ok(Parsed::MissingCommand(help)) => {
            output::write_stderr(&help);
            exit::USAGE
        }
        Ok(Parsed::Machines {
            invocations,
            batch,
            flags,
        }) => run_machines(&invocations, batch, &flags, &env, Terminal::detect()),
        Ok(Parsed::Emulator(args)) => {
            let outcome = emulator::Config::try_from(args)
                .map_err(|e| CliError::usage(format!("emulator: {e:#}")))
                .and_then(|config| {
                    emulator::run(config)
                        .map_err(|e| CliError::internal(format!("emulator: {e:#}")))
                });
            match outcome {
                Ok(()) => exit::SUCCESS,
                Err(e) => report(&e, false),
            }
        }
        Ok(Parsed::Demo { transition_ms }) => demo::run(transition_ms),
        Ok(Parsed::Login(args)) => match login::login(&args, &env, Terminal::detect()) {
            Ok(()) => exit::SUCCESS,
            Err(e) => report(&e, false),
        },
        Ok(Parsed::Logout) => match login::logout(&env) {
            Ok(()) => exit::SUCCESS,
            Err(e) => report(&e, false),
        },
        Err(e) => report(&e, command_known),
    }
}

/// Tell the user about a failure: one line on stderr and, when a machines command ran (or was
/// at least named) in JSON mode, the JSON error object on stdout for scripts. Returns the
/// exit code.
fn report(error: &CliError, json_to_stdout: bool) -> u8 {
    output::write_stderr(&output::render_error_line(error));
    if json_to_stdout {
        // If stdout is gone there is nobody left to tell; the exit code still says it.
        let _ = output::write_stdout(&output::render_error_json(error));
    }
    error.exit_code()
}

/// A machines command from validated arguments to output: presentation, dry run or
/// confirmation, settings, then the requests on a current-thread runtime (Ctrl-C ends them
/// at once with the interrupted exit code).
fn run_machines(
    invocations: &[Invocation],
    batch: bool,
    flags: &ClientFlags,
    env: &Environment,
    terminal: Terminal,
) -> u8 {
    let presentation = match machines::resolve_presentation(flags, env, terminal) {
        Ok(p) => p,
        Err(e) => return report(&e, true),
    };
    let json_errors = presentation.format == Format::Json;
    if let Err(e) = machines::check_presentation(invocations, &presentation) {
        return report(&e, json_errors);
    }
    let config_file = config::ConfigFile::new(env);
    let endpoint = config::resolve_endpoint(flags, &config_file).and_then(|(backend, base)| {
        machines::check_backend(invocations, backend).map(|()| (backend, base))
    });
    let (backend, base_url) = match endpoint {
        Ok(endpoint) => endpoint,
        Err(e) => return report(&e, json_errors),
    };
    if flags.dry_run {
        return match machines::dry_run(&base_url, backend, invocations) {
            Ok(text) => match output::write_stdout(&text) {
                Ok(()) => exit::SUCCESS,
                Err(e) => report(&e, false),
            },
            Err(e) => report(&e, json_errors),
        };
    }
    if let Err(e) = confirm_destroy(invocations, terminal) {
        return report(&e, json_errors);
    }
    let settings = match config::resolve(flags, &config_file, (backend, base_url)) {
        Ok(s) => s,
        Err(e) => return report(&e, json_errors),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let e = CliError::internal(format!("cannot start the async runtime: {e}"));
            return report(&e, json_errors);
        }
    };
    let progress = Progress::new(presentation.progress);
    let results = runtime.block_on(async {
        let transport = Transport::new(&settings)?;
        let session = machines::Session {
            transport: &transport,
            backend,
            raw: flags.raw,
            progress: &progress,
        };
        tokio::select! {
            results = machines::perform_all(&session, invocations, presentation.concurrency) => Ok(results),
            _ = tokio::signal::ctrl_c() => Err(CliError::new(ErrorKind::Interrupted, "interrupted")),
        }
    });
    drop(progress);
    let results = match results {
        Ok(results) => results,
        Err(e) => return report(&e, json_errors),
    };
    let shown = machines::present(invocations, results, batch, &presentation);
    output::write_stderr(&shown.stderr);
    let written = match &shown.stdout {
        machines::Stdout::Text(text) => output::write_stdout(text),
        machines::Stdout::Json(json) => output::write_pretty_stdout(json),
    };
    match written {
        Ok(()) => shown.exit,
        Err(e) => report(&e, false),
    }
}

/// `destroy` asks first, but only when a person is there to answer (stdin and stderr are
/// terminals) and `--yes` was not given: scripts and pipes are never prompted.
fn confirm_destroy(invocations: &[Invocation], terminal: Terminal) -> error::Result<()> {
    let Some(first) = invocations.first() else {
        return Ok(());
    };
    let confirmed = matches!(first.get("yes"), Some(ParamValue::Bool(true)));
    if first.spec.name != "destroy" || confirmed || !(terminal.stdin && terminal.stderr) {
        return Ok(());
    }
    let ids: Vec<&str> = invocations
        .iter()
        .filter_map(|inv| inv.text("machineId"))
        .collect();
    let noun = if ids.len() == 1 {
        "machine"
    } else {
        "machines"
    };
    output::write_stderr(&format!(
        "Destroy {noun} {}? This cannot be undone. [y/N] ",
        ids.join(", ")
    ));
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(CliError::usage("cancelled: nothing was destroyed")),
    }
}
