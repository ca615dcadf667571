//! `waitfor`: poll a machine until it reaches a state, with an interval, an overall timeout,
//! and an early stop when the machine records a new error event (compat.md Keep 7, Fix 9).
//!
//! The decision for one poll (`assess`) is pure; `wait_for` is the loop around it.

use crate::api::model::{Machine, MachineEvent};
use crate::api::request::show_request;
use crate::api::response::decode;
use crate::error::{CliError, ErrorKind, Result};
use crate::http::Transport;
use crate::output::progress::Progress;
use std::collections::HashSet;
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq)]
pub struct WaitPlan {
    pub machine_id: String,
    /// Lower-case target state: off, serviceready or ready.
    pub target: String,
    pub interval: Duration,
    /// `None` waits without limit.
    pub timeout: Option<Duration>,
}

/// What the wait knew when it began, to tell new error events from old ones.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub started_at: OffsetDateTime,
    /// Handles of the events that were already errors on the first poll; `None` until then.
    pub errors_at_first_poll: Option<HashSet<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Reached,
    Failed(String),
    Pending(Option<String>),
}

fn parse_time(text: Option<&str>) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text?, &Rfc3339).ok()
}

/// The newest event: the latest `dtCreated`, or the first listed (the API lists newest first)
/// when timestamps are missing.
fn newest_event(events: &[MachineEvent]) -> Option<&MachineEvent> {
    events
        .iter()
        .filter_map(|e| parse_time(e.dt_created.as_deref()).map(|t| (t, e)))
        .max_by_key(|(t, _)| *t)
        .map(|(_, e)| e)
        .or_else(|| events.first())
}

/// How long before the wait began an error still counts as new: `start` then `waitfor` run
/// seconds apart, and a start that failed in between must stop the wait, while an error
/// from yesterday must not.
pub const RECENT_ERROR_GRACE: Duration = Duration::from_secs(60);

/// An error is new if its event was created, modified or finished since shortly before the
/// wait began (`RECENT_ERROR_GRACE`), or if it was not yet an error on the first poll (which
/// holds even when the clocks disagree).
fn is_new(event: &MachineEvent, baseline: &Baseline) -> bool {
    let became_error_since_first_poll = match (&baseline.errors_at_first_poll, &event.handle) {
        (Some(old_errors), Some(handle)) => !old_errors.contains(handle),
        _ => false,
    };
    let latest = [&event.dt_created, &event.dt_modified, &event.dt_finished]
        .into_iter()
        .filter_map(|t| parse_time(t.as_deref()))
        .max();
    let since = baseline.started_at - RECENT_ERROR_GRACE;
    became_error_since_first_poll || latest.is_some_and(|t| t >= since)
}

/// Decide one poll: reached (server state equals the target, in any case), failed (the newest
/// event is a new error), or still pending with the state seen.
pub fn assess(machine: &Machine, target: &str, baseline: &Baseline) -> Verdict {
    let state = machine.state.as_ref().map(|s| s.as_str().to_string());
    if state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(target))
    {
        return Verdict::Reached;
    }
    if let Some(event) = newest_event(machine.events.as_deref().unwrap_or_default())
        && event.state.as_deref() == Some("error")
        && is_new(event, baseline)
    {
        let action = event.name.as_deref().unwrap_or("last action");
        let message = event
            .error_msg
            .as_deref()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or("no error message was given");
        return Verdict::Failed(format!("{action} failed: {message}"));
    }
    Verdict::Pending(state)
}

fn timed_out(plan: &WaitPlan, last_state: &Option<String>) -> CliError {
    let limit = plan.timeout.map(|t| t.as_secs_f64()).unwrap_or_default();
    CliError::new(
        ErrorKind::WaitTimeout,
        format!(
            "timed out after {limit}s waiting for machine {} to be {} (last state: {})",
            plan.machine_id,
            plan.target,
            last_state.as_deref().unwrap_or("unknown")
        ),
    )
}

/// Poll until the machine reaches the target; returns the machine JSON of the last poll,
/// exactly as the server sent it. An API error ends the wait with that error. The spinner
/// (a no-op off a terminal) shows the state of each poll.
pub async fn wait_for(
    transport: &Transport,
    plan: &WaitPlan,
    progress: &Progress,
) -> Result<String> {
    let request = show_request(&plan.machine_id);
    poll_until(plan, progress, || async {
        decode(transport.send(&request).await?)
    })
    .await
}

/// The waiting loop, for any way of fetching the machine as legacy JSON with its events (one
/// request on the legacy API, two on v1).
pub async fn poll_until<F, Fut>(
    plan: &WaitPlan,
    progress: &Progress,
    mut fetch: F,
) -> Result<String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<String>>,
{
    let spinner = progress.spinner(format!(
        "waiting for {} to be {}",
        plan.machine_id, plan.target
    ));
    let deadline = plan.timeout.map(|t| Instant::now() + t);
    let mut baseline = Baseline {
        started_at: OffsetDateTime::now_utc(),
        errors_at_first_poll: None,
    };
    let mut last_state = None;
    loop {
        let poll = fetch();
        let body = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, poll).await {
                Ok(body) => body?,
                Err(_) => return Err(timed_out(plan, &last_state)),
            },
            None => poll.await?,
        };
        let machine: Machine = serde_json::from_str(&body).unwrap_or_default();
        match assess(&machine, &plan.target, &baseline) {
            Verdict::Reached => return Ok(body),
            Verdict::Failed(message) => {
                return Err(CliError::new(
                    ErrorKind::MachineFailed,
                    format!("machine {}: {message}", plan.machine_id),
                ));
            }
            Verdict::Pending(state) => {
                spinner.status(state.as_deref().unwrap_or("state unknown"));
                last_state = state;
            }
        }
        if baseline.errors_at_first_poll.is_none() {
            let events = machine.events.iter().flatten();
            let errors = events.filter(|e| e.state.as_deref() == Some("error"));
            baseline.errors_at_first_poll = Some(errors.filter_map(|e| e.handle.clone()).collect());
        }
        let mut wake = Instant::now() + plan.interval;
        if let Some(deadline) = deadline {
            if Instant::now() >= deadline {
                return Err(timed_out(plan, &last_state));
            }
            wake = wake.min(deadline);
        }
        tokio::time::sleep_until(wake).await;
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(timed_out(plan, &last_state));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn machine(json: &str) -> Machine {
        serde_json::from_str(json).unwrap()
    }

    fn baseline(seen: Option<&[&str]>) -> Baseline {
        Baseline {
            started_at: datetime!(2022-03-14 15:00:00 UTC),
            errors_at_first_poll: seen.map(|s| s.iter().map(|h| h.to_string()).collect()),
        }
    }

    const OLD_ERROR: &str = r#"{"name":"start","state":"error","errorMsg":"no capacity","handle":"h-old","dtCreated":"2022-03-14T14:00:00.000Z"}"#;
    const NEW_ERROR: &str = r#"{"name":"start","state":"error","errorMsg":"no capacity","handle":"h-new","dtCreated":"2022-03-14T15:00:05.000Z"}"#;

    #[test]
    fn target_state_is_reached_in_any_case() {
        assert_eq!(
            assess(&machine(r#"{"state":"Ready"}"#), "ready", &baseline(None)),
            Verdict::Reached
        );
        assert_eq!(
            assess(
                &machine(r#"{"state":"starting"}"#),
                "ready",
                &baseline(None)
            ),
            Verdict::Pending(Some("starting".into()))
        );
        assert_eq!(
            assess(&machine(r#"{}"#), "off", &baseline(None)),
            Verdict::Pending(None)
        );
    }

    #[test]
    fn a_new_error_event_fails_the_wait_with_its_message() {
        let m = machine(&format!(
            r#"{{"state":"off","events":[{NEW_ERROR},{OLD_ERROR}]}}"#
        ));
        assert_eq!(
            assess(&m, "ready", &baseline(None)),
            Verdict::Failed("start failed: no capacity".into())
        );
    }

    #[test]
    fn an_error_event_older_than_the_wait_is_ignored() {
        let m = machine(&format!(r#"{{"state":"starting","events":[{OLD_ERROR}]}}"#));
        assert_eq!(
            assess(&m, "ready", &baseline(None)),
            Verdict::Pending(Some("starting".into()))
        );
        assert_eq!(
            assess(&m, "ready", &baseline(Some(&["h-old"]))),
            Verdict::Pending(Some("starting".into()))
        );
    }

    #[test]
    fn an_error_from_just_before_the_wait_counts_and_one_from_long_ago_does_not() {
        let event = |at: &str| {
            format!(
                r#"{{"state":"off","events":[{{"name":"start","state":"error","errorMsg":"full","handle":"h","dtCreated":"{at}","dtFinished":"{at}"}}]}}"#
            )
        };
        let just_before = machine(&event("2022-03-14T14:59:30.000Z"));
        assert_eq!(
            assess(&just_before, "ready", &baseline(None)),
            Verdict::Failed("start failed: full".into())
        );
        let long_ago = machine(&event("2022-03-14T14:58:00.000Z"));
        assert_eq!(
            assess(&long_ago, "ready", &baseline(None)),
            Verdict::Pending(Some("off".into()))
        );
    }

    #[test]
    fn an_action_started_before_the_wait_that_fails_during_it_counts_as_new() {
        let failed_late = r#"{"name":"start","state":"error","errorMsg":"no capacity","handle":"h1","dtCreated":"2022-03-14T14:59:59.000Z","dtModified":"2022-03-14T15:00:01.000Z","dtFinished":"2022-03-14T15:00:01.000Z"}"#;
        let m = machine(&format!(r#"{{"state":"off","events":[{failed_late}]}}"#));
        assert_eq!(
            assess(&m, "ready", &baseline(None)),
            Verdict::Failed("start failed: no capacity".into())
        );
    }

    #[test]
    fn an_error_event_that_was_no_error_at_the_first_poll_counts_as_new_despite_clock_skew() {
        let skewed = r#"{"name":"start","state":"error","errorMsg":"","handle":"h2","dtCreated":"2022-03-14T14:59:00.000Z"}"#;
        let m = machine(&format!(r#"{{"state":"off","events":[{skewed}]}}"#));
        assert_eq!(
            assess(&m, "ready", &baseline(Some(&["h-old"]))),
            Verdict::Failed("start failed: no error message was given".into())
        );
    }

    #[test]
    fn only_the_newest_event_decides() {
        let done = r#"{"name":"start","state":"done","handle":"h3","dtCreated":"2022-03-14T15:00:09.000Z"}"#;
        let m = machine(&format!(
            r#"{{"state":"starting","events":[{NEW_ERROR},{done}]}}"#
        ));
        assert_eq!(
            assess(&m, "ready", &baseline(None)),
            Verdict::Pending(Some("starting".into()))
        );
    }
}
