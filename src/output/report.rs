//! Turning results into what a run prints (pure): one machine's answer exactly as the legacy
//! CLI printed it, several machines' as one array in input order, or a table; failures as the
//! legacy error object on stdout and one line each on stderr.

use super::table::{self, TableOptions, View};
use super::{pretty, render_error_json, render_error_line};
use crate::api::params::Invocation;
use crate::api::plan::wait_target;
use crate::api::spec::ViewKind;
use crate::error::{CliError, Result, exit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
}

/// How results are shown, decided once from flags, environment and terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    pub format: Format,
    pub table: TableOptions,
}

/// The table view of an invocation's answer: its row's view, or one machine when it waited
/// for one.
pub(crate) fn view_for(invocation: &Invocation) -> View<'_> {
    if wait_target(invocation).is_some_and(|target| target.is_machine()) {
        return View::Machine;
    }
    match invocation.spec.view {
        ViewKind::MachineList => View::MachineList,
        ViewKind::Machine => View::Machine,
        ViewKind::Utilization => View::Utilization,
        ViewKind::Availability => View::Availability,
        ViewKind::Action(words) => View::Action {
            words,
            id: invocation.target_id(),
        },
        ViewKind::List(resource) => View::List(resource),
        ViewKind::Record(resource) => View::Record(resource),
        ViewKind::Text => View::Text,
    }
}

/// Check before anything is sent that the table can be drawn as asked (`--columns`).
pub(crate) fn check_presentation(
    invocations: &[Invocation],
    presentation: &Presentation,
) -> Result<()> {
    match (presentation.format, invocations.first()) {
        (Format::Table, Some(first)) => {
            table::validate_columns(&view_for(first), presentation.table.columns.as_deref())
        }
        _ => Ok(()),
    }
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
/// `{"machineId", "error", "status"}` (the target's own flag: `snapshotId`, `ip`...), and the
/// exit code is the first failure's.
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
        let id = invocation.target_id();
        match result {
            Ok(json) => {
                items.push(json.clone());
                successes.push((invocation, json));
            }
            Err(error) => {
                note_failure(Some(id), &error);
                let flag = invocation.spec.targets.flag().unwrap_or("machineId");
                items.push(batch_error_item(flag, id, &error));
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

fn batch_error_item(flag: &str, id: &str, error: &CliError) -> String {
    let mut object = serde_json::Map::new();
    object.insert(flag.into(), id.into());
    object.extend(super::error_object(error));
    serde_json::Value::Object(object).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::test_support::invocations;

    fn json_presentation() -> Presentation {
        Presentation {
            format: Format::Json,
            table: TableOptions::default(),
        }
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
}
