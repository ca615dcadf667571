//! Running the machines commands: one machine or many at once, `--wait` after an action,
//! `list --all` across pages, `--dry-run`, and turning the results into what the user sees.
//!
//! What to do is decided from the command table (`CommandSpec::action`, `wait_target`,
//! `many_ids`), so every command goes through the same path; how results look is decided by
//! pure functions (`present`, `dry_run`) that the tests call directly.

use crate::api::request::{Invocation, ParamValue, build_request};
use crate::api::response::decode;
use crate::api::spec::Action;
use crate::api::v1;
use crate::config::{Backend, ClientFlags, Environment};
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

/// Before anything is sent: every command can be carried out on the chosen backend (v1
/// refuses the legacy flags it cannot honour, and has no utilization).
pub fn check_backend(invocations: &[Invocation], backend: Backend) -> Result<()> {
    if backend == Backend::V1 {
        for invocation in invocations {
            v1::plan(invocation)?;
        }
    }
    Ok(())
}

/// `--dry-run`: the (first) request of each machine as a curl command line; nothing is sent.
pub fn dry_run(base_url: &str, backend: Backend, invocations: &[Invocation]) -> Result<String> {
    let mut lines = String::new();
    for invocation in invocations {
        let request = match backend {
            Backend::Legacy => build_request(invocation),
            Backend::V1 => match v1::plan(invocation)? {
                v1::Plan::Single { request, .. } => request,
                v1::Plan::Machine { id } => v1::machine_request(&id),
                v1::Plan::List { query, .. } => v1::list_page(&query, None),
            },
        };
        lines.push_str(&request.to_curl(base_url));
        lines.push('\n');
    }
    Ok(lines)
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

/// What every request of a run shares.
pub struct Session<'a> {
    pub transport: &'a Transport,
    pub backend: Backend,
    /// `--raw`: v1's own JSON rather than the legacy shape.
    pub raw: bool,
    pub progress: &'a Progress,
}

/// Run every invocation, at most `concurrency` at a time; results come back in input order.
pub async fn perform_all(
    session: &Session<'_>,
    invocations: &[Invocation],
    concurrency: usize,
) -> Vec<Result<String>> {
    futures_util::stream::iter(invocations)
        .map(|invocation| async move {
            match session.backend {
                Backend::Legacy => perform(session.transport, invocation, session.progress).await,
                Backend::V1 => perform_v1(session, invocation).await,
            }
        })
        .buffered(concurrency.max(1))
        .collect()
        .await
}

/// A machine on v1, in the legacy shape with its newest events: `show` and every poll of a
/// wait (the machine and its events are two requests there).
async fn v1_machine_as_legacy(transport: &Transport, id: &str) -> Result<String> {
    let machine: v1::Machine = parse_v1(&decode(transport.send(&v1::machine_request(id)).await?)?)?;
    let events: v1::Page<v1::Event> =
        parse_v1(&decode(transport.send(&v1::events_request(id)).await?)?)?;
    let legacy = v1::machine_to_legacy(&machine, Some(&events.items));
    Ok(serde_json::to_string(&legacy).expect("the model always serialises"))
}

fn parse_v1<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| {
        CliError::new(
            ErrorKind::Api { status: 200 },
            format!("the v1 API answered with an unexpected shape: {e}"),
        )
    })
}

/// One machine's command on the v1 API (`--api v1`), answered in the legacy shape unless
/// `--raw`.
async fn perform_v1(session: &Session<'_>, invocation: &Invocation) -> Result<String> {
    let transport = session.transport;
    let wait = |id: String, target: String| async move {
        let plan = wait_plan(invocation, &id, &target);
        crate::waitfor::poll_until(&plan, session.progress, || {
            v1_machine_as_legacy(transport, &id)
        })
        .await
    };
    match v1::plan(invocation)? {
        v1::Plan::Single { request, shape } => {
            let body = decode(transport.send(&request).await?)?;
            let answer: Option<v1::ActionAnswer> = match shape {
                v1::Shape::ActionMachine => Some(parse_v1(&body)?),
                _ => None,
            };
            if let Some(target) = invocation.spec.wait_target.filter(|_| waits(invocation)) {
                let id = match invocation.text("machineId") {
                    Some(id) => id.to_string(),
                    None => answer
                        .as_ref()
                        .and_then(|a| a.data.as_ref())
                        .and_then(|m| m.id.clone())
                        .ok_or_else(|| {
                            CliError::internal(
                                "the API's answer to create has no machine id to wait for",
                            )
                        })?,
                };
                return wait(id, target.to_string()).await;
            }
            if session.raw {
                return Ok(body);
            }
            Ok(match (shape, answer) {
                (v1::Shape::ActionMachine, Some(answer)) => {
                    let machine = answer.data.unwrap_or_default();
                    serde_json::to_string(&v1::machine_to_legacy(&machine, None))
                        .expect("the model always serialises")
                }
                (v1::Shape::Empty, _) => "{}".to_string(),
                _ => body,
            })
        }
        v1::Plan::Machine { id } => {
            if invocation.spec.action == Action::WaitFor {
                let target = invocation.text("state").unwrap_or_default().to_string();
                return wait(id, target).await;
            }
            if session.raw {
                return decode(transport.send(&v1::machine_request(&id)).await?);
            }
            v1_machine_as_legacy(transport, &id).await
        }
        v1::Plan::List {
            query,
            local_filters,
            skip,
            limit,
            all,
        } => {
            let spinner = session.progress.spinner("listing machines");
            let mut matched: Vec<String> = Vec::new();
            let wanted = if all {
                u64::MAX
            } else {
                skip.saturating_add(limit)
            };
            let mut after: Option<String> = None;
            loop {
                let body = decode(
                    transport
                        .send(&v1::list_page(&query, after.as_deref()))
                        .await?,
                )?;
                let page: v1::Page<serde_json::Value> = parse_v1(&body)?;
                for raw_item in page.items {
                    let machine: v1::Machine =
                        serde_json::from_value(raw_item.clone()).unwrap_or_default();
                    let legacy = serde_json::to_value(v1::machine_to_legacy(&machine, None))
                        .expect("the model always serialises");
                    if local_filters
                        .iter()
                        .all(|(name, value)| v1::matches_filter(&legacy, name, value))
                    {
                        let shown = if session.raw { raw_item } else { legacy };
                        matched.push(shown.to_string());
                    }
                }
                spinner.status(&format!("{} so far", matched.len()));
                after = page.next_page.filter(|_| page.has_more);
                if after.is_none() || matched.len() as u64 >= wanted {
                    break;
                }
            }
            let start = (skip as usize).min(matched.len());
            let end = if all {
                matched.len()
            } else {
                start.saturating_add(limit as usize).min(matched.len())
            };
            Ok(format!("[{}]", matched[start..end].join(",")))
        }
    }
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
    let body = decode(transport.send(&build_request(invocation)).await?)?;
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
        let body = decode(transport.send(&request).await?)?;
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
    pub stdout: Stdout,
    pub stderr: String,
    pub exit: u8,
}

/// What goes to stdout: text as it is, or a JSON document pretty-printed on the way out
/// (streamed, so a large list is not held twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stdout {
    Text(String),
    Json(String),
}

impl Stdout {
    /// The text as it will be printed.
    pub fn rendered(&self) -> String {
        match self {
            Stdout::Text(text) => text.clone(),
            Stdout::Json(json) => pretty(json).unwrap_or_default(),
        }
    }
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
        let shown = result.and_then(|json| match presentation.format {
            Format::Json => Ok(Stdout::Json(json)),
            Format::Table => {
                table::render(view_for(invocation), &json, &presentation.table).map(Stdout::Text)
            }
        });
        return match shown {
            Ok(stdout) => Report {
                stdout,
                stderr,
                exit: exit::SUCCESS,
            },
            Err(error) => {
                note_failure(None, &error);
                let stdout = Stdout::Text(match presentation.format {
                    Format::Json => render_error_json(&error),
                    Format::Table => String::new(),
                });
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
        Format::Json => Stdout::Json(format!("[{}]", items.join(","))),
        Format::Table => Stdout::Text(match show_many(&successes, presentation) {
            Ok(text) => text,
            Err(error) => {
                note_failure(None, &error);
                String::new()
            }
        }),
    };
    Report {
        stdout,
        stderr,
        exit: exit_code,
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
                stdout: Stdout::Json(r#"{"id":"ps1"}"#.into()),
                stderr: String::new(),
                exit: 0
            }
        );
        let err = CliError::new(ErrorKind::Api { status: 404 }, "Not found");
        let failed = present(&inv, vec![Err(err)], false, &json_presentation());
        assert_eq!(
            failed.stdout.rendered(),
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
            report.stdout.rendered(),
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
    fn dry_run_on_v1_uses_the_v1_request_and_bearer_auth() {
        let inv = invocations("stop", &["ps1"]);
        assert_eq!(
            dry_run("http://h/v1", Backend::V1, &inv).unwrap(),
            "curl -X PATCH http://h/v1/machines/ps1/stop -H \"Authorization: Bearer $PAPERSPACE_API_KEY\"\n"
        );
        let util = vec![
            validate(
                command("utilization").unwrap(),
                &[
                    ("machineId", "m".into()),
                    ("billingMonth", "2022-03".into()),
                ],
            )
            .unwrap(),
        ];
        assert_eq!(
            check_backend(&util, Backend::V1).unwrap_err().exit_code(),
            2
        );
        assert!(check_backend(&util, Backend::Legacy).is_ok());
    }

    #[test]
    fn dry_run_prints_one_curl_line_per_machine() {
        let inv = invocations("restart", &["ps1", "ps2"]);
        assert_eq!(
            dry_run("http://h", Backend::Legacy, &inv).unwrap(),
            "curl -X POST http://h/machines/ps1/restart -H \"X-Api-Key: $PAPERSPACE_API_KEY\" -H 'Content-Type: application/json' --data-raw '{\"machineId\":\"ps1\"}'\ncurl -X POST http://h/machines/ps2/restart -H \"X-Api-Key: $PAPERSPACE_API_KEY\" -H 'Content-Type: application/json' --data-raw '{\"machineId\":\"ps2\"}'\n"
        );
    }
}
