//! `paperspace`: a command-line client for Paperspace Core machines, drop-in compatible with
//! the legacy `paperspace-node` CLI.
//!
//! Flow of one run: `cli::parse` (argv -> validated `Invocation`, no I/O) ->
//! `config::resolve` (flags + environment + config file -> `Settings`) ->
//! `api::request::build_request` (pure) -> `http::Transport::send` (the only network I/O) ->
//! `api::response::decode` (pure) -> `output` (stdout data, stderr messages).
//! Every failure is a `CliError`, whose kind alone decides the exit code.

pub mod api;
pub mod cli;
pub mod config;
pub mod demo;
pub mod emulator;
pub mod error;
pub mod http;
pub mod output;
pub mod waitfor;

use api::request::{Invocation, ParamValue, build_request};
use api::response::decode;
use api::spec::Action;
use cli::Parsed;
use config::{Environment, GlobalFlags};
use error::{CliError, ErrorKind, Result, exit};
use http::Transport;
use std::ffi::OsString;
use std::time::Duration;
use waitfor::WaitPlan;

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
            invocation,
            globals,
        }) => match execute(&invocation, &globals, &env) {
            Ok(json) => match output::pretty(&json) {
                Ok(text) => match output::write_stdout(&text) {
                    Ok(()) => exit::SUCCESS,
                    Err(e) => report(&e, false),
                },
                Err(e) => report(
                    &CliError::internal(format!("cannot print the answer: {e}")),
                    true,
                ),
            },
            Err(e) => report(&e, true),
        },
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
        Err(e) => report(&e, command_known),
    }
}

/// Tell the user about a failure: one line on stderr and, when a machines command ran (or was
/// at least named), the JSON error object on stdout for scripts. Returns the exit code.
fn report(error: &CliError, json_to_stdout: bool) -> u8 {
    output::write_stderr(&output::render_error_line(error));
    if json_to_stdout {
        // If stdout is gone there is nobody left to tell; the exit code still says it.
        let _ = output::write_stdout(&output::render_error_json(error));
    }
    error.exit_code()
}

/// Resolve settings, then run the command on a current-thread runtime; Ctrl-C ends it at
/// once with the interrupted exit code.
fn execute(invocation: &Invocation, globals: &GlobalFlags, env: &Environment) -> Result<String> {
    let settings = config::resolve(globals, env)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::internal(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let transport = Transport::new(&settings)?;
        tokio::select! {
            result = perform(&transport, invocation) => result,
            _ = tokio::signal::ctrl_c() => Err(CliError::new(ErrorKind::Interrupted, "interrupted")),
        }
    })
}

async fn perform(transport: &Transport, invocation: &Invocation) -> Result<String> {
    match invocation.spec.action {
        Action::Request => decode(&transport.send(&build_request(invocation)).await?),
        Action::WaitFor => waitfor::wait_for(transport, &wait_plan(invocation)).await,
    }
}

fn wait_plan(invocation: &Invocation) -> WaitPlan {
    let seconds = |name| invocation.seconds(name).unwrap_or_default();
    let target = match invocation.get("state") {
        Some(ParamValue::Text(state)) => state.to_ascii_lowercase(),
        _ => unreachable!("state is a required flag of waitfor"),
    };
    let timeout = seconds("timeout");
    WaitPlan {
        machine_id: invocation.text("machineId").unwrap_or_default().to_string(),
        target,
        interval: Duration::from_secs_f64(seconds("interval")),
        timeout: (timeout > 0.0).then(|| Duration::from_secs_f64(timeout)),
    }
}
