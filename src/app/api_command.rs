//! An API command of the table, from validated arguments to output: presentation, the plans
//! (made once, before anything is sent), dry run or confirmation, settings, then the plans on
//! a current-thread runtime (Ctrl-C ends them at once with the interrupted exit code).

use super::presentation::resolve_presentation;
use super::report;
use crate::api::Backend;
use crate::api::params::Invocation;
use crate::api::plan::Plan;
use crate::api::spec::{SHOW_PASSWORD, SKIP_CONFIRMATION};
use crate::config::{self, ClientFlags, Environment};
use crate::error::{CliError, ErrorKind, Result};
use crate::execute::{self, Session};
use crate::http::Transport;
use crate::output::curl::curl_line;
use crate::output::progress::Progress;
use crate::output::report::{Format, Stdout, check_presentation, present};
use crate::output::{self};
use crate::terminal::{self, Terminal};

pub fn run(
    invocations: &[Invocation],
    batch: bool,
    flags: &ClientFlags,
    env: &Environment,
    terminal: Terminal,
) -> u8 {
    let (mut presentation, options) = match resolve_presentation(flags, env, terminal) {
        Ok(resolved) => resolved,
        Err(e) => return report(&e, true),
    };
    presentation.table.show_secrets = invocations.iter().any(|inv| inv.is_set(SHOW_PASSWORD));
    let json_errors = presentation.format == Format::Json;
    if let Err(e) = check_presentation(invocations, &presentation) {
        return report(&e, json_errors);
    }
    let config_file = config::ConfigFile::new(env);
    let planned = config::resolve_endpoint(flags, &config_file).and_then(|(backend, base)| {
        let plans = plan_all(backend, invocations)?;
        Ok((backend, base, plans))
    });
    let (backend, base_url, plans) = match planned {
        Ok(planned) => planned,
        Err(e) => return report(&e, json_errors),
    };
    if flags.dry_run {
        return match output::write_stdout(&dry_run(&base_url, backend, &plans)) {
            Ok(()) => crate::error::exit::SUCCESS,
            Err(e) => report(&e, false),
        };
    }
    if let Err(e) = confirm(invocations, terminal) {
        return report(&e, json_errors);
    }
    let settings = match config::resolve(flags, &config_file, base_url) {
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
    let progress = Progress::new(options.progress);
    let results = runtime.block_on(async {
        let transport = Transport::new(&settings)?;
        let session = Session {
            transport: &transport,
            backend,
            raw: flags.raw,
            progress: &progress,
        };
        tokio::select! {
            results = execute::perform_all(&session, &plans, options.concurrency) => Ok(results),
            _ = tokio::signal::ctrl_c() => Err(CliError::new(ErrorKind::Interrupted, "interrupted")),
        }
    });
    drop(progress);
    let results = match results {
        Ok(results) => results,
        Err(e) => return report(&e, json_errors),
    };
    let shown = present(invocations, results, batch, &presentation);
    output::write_stderr(&shown.stderr);
    let written = match &shown.stdout {
        Stdout::Text(text) => output::write_stdout(text),
        Stdout::Json(json) => output::write_pretty_stdout(json),
    };
    match written {
        Ok(()) => shown.exit,
        Err(e) => report(&e, false),
    }
}

/// Every invocation planned on the chosen backend, before anything is sent: a flag or command
/// that backend cannot honour is a usage error now.
fn plan_all(backend: Backend, invocations: &[Invocation]) -> Result<Vec<Plan>> {
    invocations.iter().map(|inv| backend.plan(inv)).collect()
}

/// `--dry-run`: the requests each plan makes (`Plan::requests`), as curl command lines;
/// nothing is sent.
fn dry_run(base_url: &str, backend: Backend, plans: &[Plan]) -> String {
    let mut lines = String::new();
    for plan in plans {
        for request in plan.requests(backend) {
            lines.push_str(&curl_line(&request, base_url));
            lines.push('\n');
        }
    }
    lines
}

/// Commands that cannot be undone ask first, but only when a person is there to answer and
/// `--yes` was not given: scripts and pipes are never prompted.
fn confirm(invocations: &[Invocation], terminal: Terminal) -> Result<()> {
    let Some(first) = invocations.first() else {
        return Ok(());
    };
    let Some(question) = first.spec.confirm else {
        return Ok(());
    };
    if first.is_set(SKIP_CONFIRMATION) || !terminal.can_ask() {
        return Ok(());
    }
    let ids: Vec<&str> = invocations.iter().map(Invocation::target_id).collect();
    let noun = if ids.len() == 1 {
        question.noun
    } else {
        question.nouns
    };
    let asked = format!(
        "{} {noun} {}? This cannot be undone.",
        question.verb,
        ids.join(", ")
    );
    if terminal::confirm(&asked) {
        Ok(())
    } else {
        Err(CliError::usage(format!(
            "cancelled: nothing was {}",
            question.done
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{invocation, invocations};

    #[test]
    fn dry_run_on_v1_uses_the_v1_request_and_bearer_auth() {
        let plans = plan_all(Backend::V1, &invocations("stop", &["ps1"])).unwrap();
        assert_eq!(
            dry_run("http://h/v1", Backend::V1, &plans),
            "curl -X PATCH http://h/v1/machines/ps1/stop -H \"Authorization: Bearer $PAPERSPACE_API_KEY\"\n"
        );
        let util = vec![invocation(
            "utilization",
            &[("machineId", "m"), ("billingMonth", "2022-03")],
        )];
        assert_eq!(plan_all(Backend::V1, &util).unwrap_err().exit_code(), 2);
        assert!(plan_all(Backend::Legacy, &util).is_ok());
    }

    #[test]
    fn dry_run_prints_one_curl_line_per_machine() {
        let plans = plan_all(Backend::Legacy, &invocations("restart", &["ps1", "ps2"])).unwrap();
        assert_eq!(
            dry_run("http://h", Backend::Legacy, &plans),
            "curl -X POST http://h/machines/ps1/restart -H \"X-Api-Key: $PAPERSPACE_API_KEY\" -H 'Content-Type: application/json' --data-raw '{\"machineId\":\"ps1\"}'\ncurl -X POST http://h/machines/ps2/restart -H \"X-Api-Key: $PAPERSPACE_API_KEY\" -H 'Content-Type: application/json' --data-raw '{\"machineId\":\"ps2\"}'\n"
        );
    }
}
