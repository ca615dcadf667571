//! One run of the CLI, from argv to an exit code: `cli::parse`, then the command (an API
//! command of the table, login, logout, the emulator, the demo), then what is printed. Every
//! failure is a `CliError`, whose kind alone decides the exit code (ARCHITECTURE.md, "The flow
//! of one run").

mod api_command;
mod presentation;

use crate::cli::{self, Parsed};
use crate::config::Environment;
use crate::error::{CliError, exit};
use crate::terminal::Terminal;
use crate::{login, output};
use std::ffi::OsString;

/// Run the CLI on `args` and return the process exit code.
pub fn run(args: Vec<OsString>, env: Environment) -> u8 {
    let command_known = cli::known_command(&args).is_some();
    let outcome = match cli::parse(args) {
        Ok(Parsed::Print(text)) => output::write_stdout(&text),
        Ok(Parsed::MissingCommand(help)) => {
            output::write_stderr(&help);
            return exit::USAGE;
        }
        Ok(Parsed::Api {
            invocations,
            batch,
            flags,
        }) => {
            return api_command::run(&invocations, batch, &flags, &env, Terminal::detect());
        }
        #[cfg(feature = "emulator")]
        Ok(Parsed::Emulator(args)) => crate::emulator::Config::try_from(args)
            .map_err(|e| CliError::usage(format!("emulator: {e:#}")))
            .and_then(|config| {
                crate::emulator::run(config)
                    .map_err(|e| CliError::internal(format!("emulator: {e:#}")))
            }),
        #[cfg(feature = "emulator")]
        Ok(Parsed::Demo { transition_ms }) => return crate::demo::run(transition_ms),
        Ok(Parsed::Login(args)) => login::login(&args, &env, Terminal::detect()),
        Ok(Parsed::Logout) => login::logout(&env),
        Err(e) => return report(&e, command_known),
    };
    match outcome {
        Ok(()) => exit::SUCCESS,
        Err(e) => report(&e, false),
    }
}

/// Tell the user about a failure: one line on stderr and, when an API command ran (or was at
/// least named) in JSON mode, the JSON error object on stdout for scripts. Returns the exit
/// code.
fn report(error: &CliError, json_to_stdout: bool) -> u8 {
    output::write_stderr(&output::render_error_line(error));
    if json_to_stdout {
        // If stdout is gone there is nobody left to tell; the exit code still says it.
        let _ = output::write_stdout(&output::render_error_json(error));
    }
    error.exit_code()
}
