//! How this run shows its results and how hard it works, decided once from the flags, the
//! environment and the terminal. Pure.

use crate::config::{ClientFlags, Environment};
use crate::error::{CliError, Result};
use crate::output::report::{Format, Presentation};
use crate::output::table::TableOptions;
use crate::terminal::Terminal;

const DEFAULT_CONCURRENCY: usize = 8;

/// How the run works, beyond what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Spinners on stderr while waiting or paging.
    pub progress: bool,
    /// Requests in flight at once when several machine ids are given.
    pub concurrency: usize,
}

/// Resolve `--format`/`-o` (else `PAPERSPACE_FORMAT`, else json), `--columns`, `--no-header`,
/// `--color` (auto: stdout is a terminal and `NO_COLOR` is unset) and `--concurrency`.
pub fn resolve_presentation(
    flags: &ClientFlags,
    env: &Environment,
    terminal: Terminal,
) -> Result<(Presentation, RunOptions)> {
    let (format_text, source) = match (&flags.format, &env.format) {
        (Some(f), _) => (f.as_str(), "--format"),
        (None, Some(f)) => (f.as_str(), "PAPERSPACE_FORMAT"),
        (None, None) => ("json", ""),
    };
    let format = match format_text {
        "json" => Format::Json,
        "table" => Format::Table,
        other => {
            return Err(CliError::usage(format!(
                "invalid value '{other}' for {source}: accepted values are json, table"
            )));
        }
    };
    let color = match flags.color.as_deref().unwrap_or("auto") {
        "always" => true,
        "never" => false,
        "auto" => terminal.stdout && !env.no_color,
        other => {
            return Err(CliError::usage(format!(
                "invalid value '{other}' for --color: accepted values are auto, always, never"
            )));
        }
    };
    let concurrency = match flags.concurrency.as_deref() {
        None => DEFAULT_CONCURRENCY,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=256).contains(&n) => n,
            _ => {
                return Err(CliError::usage(format!(
                    "invalid value '{text}' for --concurrency: expected a whole number from 1 to 256"
                )));
            }
        },
    };
    if flags.columns.is_some() && format != Format::Table {
        return Err(CliError::usage(
            "--columns chooses table columns: use it with --format table",
        ));
    }
    let presentation = Presentation {
        format,
        table: TableOptions {
            columns: flags
                .columns
                .as_ref()
                .map(|c| c.split(',').map(|s| s.trim().to_string()).collect()),
            header: !flags.no_header,
            color,
            max_width: terminal.width,
            // A command's own `--showPassword` turns it on (`app::api_command`).
            show_secrets: false,
        },
    };
    let options = RunOptions {
        progress: terminal.stderr && !env.ci,
        concurrency,
    };
    Ok((presentation, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presentation_comes_from_flags_then_environment_then_terminal() {
        let mut env = Environment {
            format: Some("table".into()),
            ..Environment::default()
        };
        let tty = Terminal {
            stdout: true,
            stderr: true,
            stdin: true,
            width: Some(80),
        };
        let (p, o) = resolve_presentation(&ClientFlags::default(), &env, tty).unwrap();
        assert_eq!(
            (p.format, p.table.color, p.table.max_width, o.progress),
            (Format::Table, true, Some(80), true)
        );
        env.no_color = true;
        env.ci = true;
        let (p, o) = resolve_presentation(&ClientFlags::default(), &env, tty).unwrap();
        assert_eq!((p.table.color, o.progress), (false, false));
        let flags = ClientFlags {
            format: Some("json".into()),
            color: Some("always".into()),
            ..ClientFlags::default()
        };
        let (p, _) = resolve_presentation(&flags, &env, Terminal::default()).unwrap();
        assert_eq!((p.format, p.table.color), (Format::Json, true));
        let bad = ClientFlags {
            format: Some("yaml".into()),
            ..ClientFlags::default()
        };
        assert_eq!(
            resolve_presentation(&bad, &env, tty).unwrap_err().message,
            "invalid value 'yaml' for --format: accepted values are json, table"
        );
        let cols = ClientFlags {
            columns: Some("id".into()),
            format: Some("json".into()),
            ..ClientFlags::default()
        };
        assert_eq!(
            resolve_presentation(&cols, &env, tty)
                .unwrap_err()
                .exit_code(),
            2
        );
        let conc = ClientFlags {
            concurrency: Some("0".into()),
            ..ClientFlags::default()
        };
        assert!(
            resolve_presentation(&conc, &env, tty)
                .unwrap_err()
                .message
                .contains("--concurrency")
        );
    }
}
