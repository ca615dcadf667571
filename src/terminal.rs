//! The terminal: whether a person is there (detected once per run), and asking them things.
//! Used by `login` (the key, email and password) and by confirmations (`destroy`); nothing
//! else reads from the terminal.

use crate::error::{CliError, Result};
use std::io::IsTerminal;

/// What the terminal looks like, detected once in `app::run`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// Columns of the terminal stdout is on, if it is one.
    pub width: Option<usize>,
}

impl Terminal {
    pub fn detect() -> Terminal {
        let stdout = std::io::stdout().is_terminal();
        Terminal {
            stdin: std::io::stdin().is_terminal(),
            stdout,
            stderr: std::io::stderr().is_terminal(),
            width: if stdout {
                console::Term::stdout()
                    .size_checked()
                    .map(|(_, cols)| cols as usize)
            } else {
                None
            },
        }
    }

    /// Someone can be asked: stdin and stderr are terminals. Scripts and pipes never are.
    pub fn can_ask(self) -> bool {
        self.stdin && self.stderr
    }
}

/// Ask on the terminal (the question on stderr); `secret` hides what is typed.
pub fn prompt(label: &str, secret: bool) -> Result<String> {
    let term = console::Term::stderr();
    let _ = term.write_str(label);
    let line = if secret {
        term.read_secure_line()
    } else {
        term.read_line()
    };
    line.map(|l| l.trim().to_string())
        .map_err(|e| CliError::usage(format!("cannot read from the terminal: {e}")))
}

/// Ask a yes/no question whose default is no; only `y` or `yes` (any case) is a yes.
pub fn confirm(question: &str) -> bool {
    crate::output::write_stderr(&format!("{question} [y/N] "));
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}
