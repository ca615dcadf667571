//! The `paperspace` binary: everything lives in the library; this only hands over argv and the
//! environment and turns the result into the process exit code.
use std::process::ExitCode;

fn main() -> ExitCode {
    let env = paperspace::Environment::from_process();
    ExitCode::from(paperspace::run(std::env::args_os().collect(), env))
}
