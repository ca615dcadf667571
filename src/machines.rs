//! Running the machines commands: one machine or many at once, `--wait` after an action,
//! `list --all` across pages, `--dry-run`, and turning the results into what the user sees.
//!
//! What to do is decided from the command table (`CommandSpec::action`, `wait_target`,
//! `many_ids`), so every command goes through the same path; how results look is decided by
//! pure functions (`present`, `dry_run`) that the tests call directly.

use crate::api::request::{Invocation, ParamValue, build_request};
use crate::api::response::decode;
use crate::api::spec::Action;
use crate::config::{ClientFlags, Environment};
use crate::error::{CliError, ErrorKind, Result, exit};
use crate::http::Transport;
use crate::output::progress::Progress;
use crate::output::table::{self, TableOptions, View};
use crate::output::{pretty, render_error_json, render_error_line};
use crate::waitfor::{WaitPlan, wait_for};
use futures_util::StreamExt;
use serde_json::value::RawValue;
use std::time::Duration;

/// Page size of `list --all` when `--limit` is not given: the API's own default.
const DEFAULT_PAGE: u64 = 1000;
const DEFAULT_CONCURRENCY: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
}

/// What the terminal looks like, detected once in `main`.
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
        use std::io::IsTerminal;
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
}

/// How results are shown, decided once from flags, environment and terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    pub format: Format,
    pub table: TableOptions,
    /// Spinners on stderr while waiting or paging.
    pub progress: bool,
    pub concurrency: usize,
}

/// Resolve `--format`/`-o` (else `PAPERSPACE_FORMAT`, else json), `--columns`, `--no-header`,
/// `--color` (auto: stdout is a terminal and `NO_COLOR` is unset) and `--concurrency`.
pub fn resolve_presentation(
    flags: &ClientFlags,
    env: &Environment,
    terminal: Terminal,
) -> Result<Presentation> {
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
    Ok(Presentation {
        format,
        table: TableOptions {
            columns: flags
                .columns
                .as_ref()
                .map(|c| c.split(',').map(|s| s.trim().to_string()).collect()),
            header: !flags.no_header,
            color,
            max_width: terminal.width,
        },
        progress: terminal.stderr && !env.ci,
        concurrency,
    })
}

/// The table view of a command's answer.
pub fn view_for(invocation: &Invocation) -> View<'_> {
    let spec = invocation.spec;
    match spec.name {
        "list" => View::MachineList,
        "utilization" => View::Utilization,
        "availability" => View::Availability,
        _ if spec.action == Action::WaitFor || waits(invocation) => View::Machine,
        "start" | "stop" | "restart" | "destroy" | "setAccessForUser" => View::Action {
            verb: spec.name,
            machine_id: invocation.text("machineId").unwrap_or_default(),
        },
        _ => View::Machine,
    }
}

fn waits(invocation: &Invocation) -> bool {
    invocation.spec.wait_target.is_some()
        && matches!(invocation.get("wait"), Some(ParamValue::Bool(true)))
}

fn list_all(invocation: &Invocation) -> bool {
    invocation.spec.name == "list" && matches!(invocation.get("all"), Some(ParamValue::Bool(true)))
}

/// Check before anything is sent that the table can be drawn as asked (`--columns`).
pub fn check_presentation(invocations: &[Invocation], presentation: &Presentation) -> Result<()> {
    match (presentation.format, invocations.first()) {
        (Format::Table, Some(first)) => {
            table::validate_columns(&view_for(first), presentation.table.columns.as_deref())
        }
        _ => Ok(()),
    }
}

/// `--dry-run`: the requests as curl command lines, one per machine; nothing is sent.
pub fn dry_run(base_url: &str, invocations: &[Invocation]) -> String {
    invocations
        .iter()
        .map(|inv| build_request(inv).to_curl(base_url) + "\n")
        .collect()
}

fn wait_plan(invocation: &Invocation, machine_id: &str, target: &str) -> WaitPlan {
    let seconds = |name| invocation.seconds(name).unwrap_or_default();
    let timeout = seconds("timeout");
    WaitPlan {
        machine_id: machine_id.to_string(),
        target: target.to_ascii_lowercase(),
        interval: Duration::from_secs_f64(seconds("interval")),
        timeout: (timeout > 0.0).then(|| Duration::from_secs_f64(timeout)),
    }
}

/// Run every invocation, at most `concurrency` at a time; results come back in input order.
pub async fn perform_all(
    transport: &Transport,
    invocations: &[Invocation],
    concurrency: usize,
    progress: &Progress,
) -> Vec<Result<String>> {
    futures_util::stream::iter(invocations)
        .map(|invocation| perform(transport, invocation, progress))
        .buffered(concurrency.max(1))
        .collect()
        .await
}

/// One machine's command: its JSON answer as sent, or its error.
async fn perform(
    transport: &Transport,
    invocation: &Invocation,
    progress: &Progress,
) -> Result<String> {
    let machine_id = invocation.text("machineId").unwrap_or_default();
    if invocation.spec.action == Action::WaitFor {
        let target = invocation.text("state").unwrap_or_default();
        return wait_for(
            transport,
            &wait_plan(invocation, machine_id, target),
            progress,
        )
        .await;
    }
    if list_all(invocation) {
        return list_every_page(transport, invocation, progress).await;
    }
    let body = decode(&transport.send(&build_request(invocation)).await?)?;
    match invocation.spec.wait_target {
        Some(target) if waits(invocation) => {
            // create answers with the new machine; the actions name theirs in --machineId.
            let id = if machine_id.is_empty() {
                created_id(&body)?
            } else {
                machine_id.to_string()
            };
            wait_for(transport, &wait_plan(invocation, &id, target), progress).await
        }
        _ => Ok(body),
    }
}

fn created_id(body: &str) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Created {
        id: Option<String>,
    }
    serde_json::from_str::<Created>(body)
        .ok()
        .and_then(|c| c.id)
        .ok_or_else(|| {
            CliError::internal("the API's answer to create has no machine id to wait for")
        })
}

/// `list --all`: follow `limit`/`skip` pages until one comes back short; one array out.
async fn list_every_page(
    transport: &Transport,
    invocation: &Invocation,
    progress: &Progress,
) -> Result<String> {
    let count = |name| match invocation.get(name) {
        Some(ParamValue::Count(n)) => Some(*n),
        _ => None,
    };
    let page_size = count("limit").filter(|n| *n > 0).unwrap_or(DEFAULT_PAGE);
    let mut skip = count("skip").unwrap_or(0);
    let spinner = progress.spinner("listing machines");
    let mut items: Vec<String> = Vec::new();
    loop {
        let mut request = build_request(invocation);
        request
            .query
            .retain(|(name, _)| name != "limit" && name != "skip");
        request.query.push(("limit".into(), page_size.to_string()));
        request.query.push(("skip".into(), skip.to_string()));
        let body = decode(&transport.send(&request).await?)?;
        let page: Vec<&RawValue> = serde_json::from_str(&body).map_err(|_| {
            CliError::new(
                ErrorKind::Api { status: 200 },
                "list --all: a page of the answer is not a JSON array",
            )
        })?;
        let received = page.len() as u64;
        items.extend(page.iter().map(|item| item.get().to_string()));
        spinner.status(&format!("{} so far", items.len()));
        if received < page_size {
            break;
        }
        skip += page_size;
    }
    Ok(format!("[{}]", items.join(",")))
}

/// What a run prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub stdout: String,
    pub stderr: String,
    pub exit: u8,
}

/// Turn the results into output. One machine prints exactly what the legacy CLI printed;
/// several print one array in input order where a failure stands as
/// `{"machineId", "error", "status"}`, and the exit code is the first failure's.
pub fn present(
    invocations: &[Invocation],
    results: Vec<Result<String>>,
    batch: bool,
    presentation: &Presentation,
) -> Report {
    let mut stderr = String::new();
    let mut exit_code = exit::SUCCESS;
    let mut note_failure = |machine: Option<&str>, error: &CliError| {
        let line = render_error_line(error);
        match machine {
            Some(id) => stderr.push_str(&line.replacen("error: ", &format!("error: {id}: "), 1)),
            None => stderr.push_str(&line),
        }
        if exit_code == exit::SUCCESS {
            exit_code = error.exit_code();
        }
    };
    if !batch {
        let (invocation, result) = (&invocations[0], results.into_iter().next());
        let result = result.unwrap_or_else(|| Err(CliError::internal("no result")));
        let shown = result.and_then(|json| show(invocation, &json, presentation));
        return match shown {
            Ok(stdout) => Report {
                stdout,
                stderr,
                exit: exit::SUCCESS,
            },
            Err(error) => {
                note_failure(None, &error);
                let stdout = match presentation.format {
                    Format::Json => render_error_json(&error),
                    Format::Table => String::new(),
                };
                Report {
                    stdout,
                    stderr,
                    exit: exit_code,
                }
            }
        };
    }
    let mut items = Vec::with_capacity(results.len());
    let mut successes: Vec<(&Invocation, String)> = Vec::new();
    for (invocation, result) in invocations.iter().zip(results) {
        let id = invocation.text("machineId").unwrap_or_default();
        match result {
            Ok(json) => {
                items.push(json.clone());
                successes.push((invocation, json));
            }
            Err(error) => {
                note_failure(Some(id), &error);
                items.push(batch_error_item(id, &error));
            }
        }
    }
    let stdout = match presentation.format {
        Format::Json => match pretty(&format!("[{}]", items.join(","))) {
            Ok(text) => text,
            Err(e) => {
                note_failure(
                    None,
                    &CliError::internal(format!("cannot print the answers: {e}")),
                );
                String::new()
            }
        },
        Format::Table => match show_many(&successes, presentation) {
            Ok(text) => text,
            Err(error) => {
                note_failure(None, &error);
                String::new()
            }
        },
    };
    Report {
        stdout,
        stderr,
        exit: exit_code,
    }
}

/// One answer, in the chosen format.
fn show(invocation: &Invocation, json: &str, presentation: &Presentation) -> Result<String> {
    match presentation.format {
        Format::Json => {
            pretty(json).map_err(|e| CliError::internal(format!("cannot print the answer: {e}")))
        }
        Format::Table => table::render(view_for(invocation), json, &presentation.table),
    }
}

/// Several answers as one table: machines as a list, actions one line each.
fn show_many(successes: &[(&Invocation, String)], presentation: &Presentation) -> Result<String> {
    let Some((first, _)) = successes.first() else {
        return Ok(String::new());
    };
    match view_for(first) {
        View::Machine => {
            let array = format!(
                "[{}]",
                successes
                    .iter()
                    .map(|(_, json)| json.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            table::render(View::MachineList, &array, &presentation.table)
        }
        _ => successes
            .iter()
            .map(|(invocation, json)| {
                table::render(view_for(invocation), json, &presentation.table)
            })
            .collect(),
    }
}

fn batch_error_item(machine_id: &str, error: &CliError) -> String {
    let mut object = serde_json::Map::new();
    object.insert("machineId".into(), machine_id.into());
    object.insert("error".into(), error.message.clone().into());
    if let Some(status) = error.http_status() {
        object.insert("status".into(), status.into());
    }
    serde_json::Value::Object(object).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::validate;
    use crate::api::spec::command;

    fn invocations(cmd: &str, ids: &[&str]) -> Vec<Invocation> {
        ids.iter()
            .map(|id| validate(command(cmd).unwrap(), &[("machineId", id.to_string())]).unwrap())
            .collect()
    }

    fn json_presentation() -> Presentation {
        resolve_presentation(
            &ClientFlags::default(),
            &Environment::default(),
            Terminal::default(),
        )
        .unwrap()
    }

    #[test]
    fn one_machine_prints_the_answer_or_the_legacy_error_object() {
        let inv = invocations("show", &["ps1"]);
        let ok = present(
            &inv,
            vec![Ok(r#"{"id":"ps1"}"#.into())],
            false,
            &json_presentation(),
        );
        assert_eq!(
            ok,
            Report {
                stdout: "{\n  \"id\": \"ps1\"\n}\n".into(),
                stderr: String::new(),
                exit: 0
            }
        );
        let err = CliError::new(ErrorKind::Api { status: 404 }, "Not found");
        let failed = present(&inv, vec![Err(err)], false, &json_presentation());
        assert_eq!(
            failed.stdout,
            "{\n  \"error\": \"Not found\",\n  \"status\": 404\n}\n"
        );
        assert_eq!(failed.stderr, "error: Not found (HTTP 404)\n");
        assert_eq!(failed.exit, 1);
    }

    #[test]
    fn many_machines_print_one_array_in_input_order_with_failures_in_place() {
        let inv = invocations("stop", &["ps1", "ps2", "ps3"]);
        let results = vec![
            Ok("{}".to_string()),
            Err(CliError::new(ErrorKind::Api { status: 404 }, "Not found")),
            Err(CliError::network("cannot connect")),
        ];
        let report = present(&inv, results, true, &json_presentation());
        assert_eq!(
            report.stdout,
            "[\n  {},\n  {\n    \"machineId\": \"ps2\",\n    \"error\": \"Not found\",\n    \"status\": 404\n  },\n  {\n    \"machineId\": \"ps3\",\n    \"error\": \"cannot connect\"\n  }\n]\n"
        );
        assert_eq!(
            report.stderr,
            "error: ps2: Not found (HTTP 404)\nerror: ps3: cannot connect\n"
        );
        assert_eq!(report.exit, 1, "the first failure decides");
    }

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
        let p = resolve_presentation(&ClientFlags::default(), &env, tty).unwrap();
        assert_eq!(
            (p.format, p.table.color, p.table.max_width, p.progress),
            (Format::Table, true, Some(80), true)
        );
        env.no_color = true;
        env.ci = true;
        let p = resolve_presentation(&ClientFlags::default(), &env, tty).unwrap();
        assert_eq!((p.table.color, p.progress), (false, false));
        let flags = ClientFlags {
            format: Some("json".into()),
            color: Some("always".into()),
            ..ClientFlags::default()
        };
        let p = resolve_presentation(&flags, &env, Terminal::default()).unwrap();
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

    #[test]
    fn dry_run_prints_one_curl_line_per_machine() {
        let inv = invocations("restart", &["ps1", "ps2"]);
        assert_eq!(
            dry_run("http://h", &inv),
            "curl -X POST http://h/machines/ps1/restart -H \"X-Api-Key: $PAPERSPACE_API_KEY\" -H 'Content-Type: application/json' --data-raw '{\"machineId\":\"ps1\"}'\ncurl -X POST http://h/machines/ps2/restart -H \"X-Api-Key: $PAPERSPACE_API_KEY\" -H 'Content-Type: application/json' --data-raw '{\"machineId\":\"ps2\"}'\n"
        );
    }
}
