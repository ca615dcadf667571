//! The decision of one poll of a wait (`waitfor`, `--wait`): reached, failed, or still
//! pending. Pure; the polling loop is `crate::execute`'s. The rules are docs/compatibility.md's
//! (waitfor polls until the state is reached, and stops early on a new error event) and, after
//! a v1 action, docs/v1.md's (the wait follows the event the action answered with).

use super::model::{Machine, MachineEvent, newest_event};
use crate::vocab::{event_state, parse_timestamp};
use std::collections::HashSet;
use std::time::Duration;
use time::OffsetDateTime;

/// What the wait knew when it began, to tell new error events from old ones.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub started_at: OffsetDateTime,
    /// Handles of the events that were already errors on the first poll; `None` until then.
    pub errors_at_first_poll: Option<HashSet<String>>,
    /// The handle of the event of the action the wait follows (v1): the wait is not over
    /// before it is done, and its error is the action's, whatever the clocks say.
    pub followed: Option<String>,
}

impl Baseline {
    /// The knowledge of a wait that begins now, following an action's event or not.
    pub(crate) fn starting_at(started_at: OffsetDateTime, followed: Option<String>) -> Baseline {
        Baseline {
            started_at,
            errors_at_first_poll: None,
            followed,
        }
    }

    /// Before the first poll is judged, on v1 when the wait follows no action of its own
    /// (`waitfor`): the newest event, if it is still under way and began shortly before the
    /// wait (`RECENT_ERROR_GRACE`), is the action the wait is for, and is followed from then
    /// on. `restart` then `waitfor --state ready` must not end at once because the machine
    /// still reads ready while the restart runs (docs/v1.md, "Events").
    pub(crate) fn follow_under_way(&mut self, machine: &Machine) {
        if self.followed.is_some() || self.errors_at_first_poll.is_some() {
            return;
        }
        let Some(event) = newest_event(machine.events.as_deref().unwrap_or_default()) else {
            return;
        };
        let under_way = matches!(
            event.state.as_deref(),
            Some(event_state::NEW | event_state::V1_IN_PROGRESS)
        );
        let began = parse_timestamp(event.dt_created.as_deref());
        let recent = began.is_some_and(|t| t >= self.started_at - RECENT_ERROR_GRACE);
        if under_way && recent {
            self.followed = event.handle.clone();
        }
    }

    /// After a poll that did not end the wait: on the first, remember which events were
    /// errors already.
    pub(crate) fn after_poll(&mut self, machine: &Machine) {
        if self.errors_at_first_poll.is_none() {
            let events = machine.events.iter().flatten();
            let errors = events.filter(|e| e.state.as_deref() == Some(event_state::ERROR));
            self.errors_at_first_poll = Some(errors.filter_map(|e| e.handle.clone()).collect());
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Reached,
    Failed(String),
    Pending(Option<String>),
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
        .filter_map(|t| parse_timestamp(t.as_deref()))
        .max();
    let since = baseline.started_at - RECENT_ERROR_GRACE;
    became_error_since_first_poll || latest.is_some_and(|t| t >= since)
}

fn failure(event: &MachineEvent) -> String {
    let action = event.name.as_deref().unwrap_or("last action");
    let message = event
        .error_msg
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or("no error message was given");
    format!("{action} failed: {message}")
}

/// Decide one poll: reached (server state equals the target, in any case, and the followed
/// event, if any, is done), failed (the followed event failed or was cancelled; else the
/// newest event is a new error), or still pending with the state seen.
pub fn assess(machine: &Machine, target: &str, baseline: &Baseline) -> Verdict {
    let state = machine.state.as_ref().map(|s| s.as_str().to_string());
    let events = machine.events.as_deref().unwrap_or_default();
    let followed = baseline
        .followed
        .as_deref()
        .and_then(|handle| events.iter().find(|e| e.handle.as_deref() == Some(handle)));
    if let Some(event) = followed {
        match event.state.as_deref() {
            Some(event_state::ERROR) => return Verdict::Failed(failure(event)),
            Some(event_state::CANCELLED) => {
                let action = event.name.as_deref().unwrap_or("the action");
                return Verdict::Failed(format!("{action} was cancelled"));
            }
            Some(event_state::DONE) => {}
            // Under way: a machine still in its old state has not got there yet.
            _ => return Verdict::Pending(state),
        }
    }
    if state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(target))
    {
        return Verdict::Reached;
    }
    if let Some(event) = newest_event(events)
        && event.state.as_deref() == Some(event_state::ERROR)
        && is_new(event, baseline)
    {
        return Verdict::Failed(failure(event));
    }
    Verdict::Pending(state)
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
            followed: None,
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
    fn a_followed_event_must_be_done_and_its_failure_is_the_actions_whenever_it_happened() {
        let following = |handle: &str| Baseline {
            followed: Some(handle.to_string()),
            ..baseline(None)
        };
        let at = |state: &str, event: &str| {
            machine(&format!(
                r#"{{"state":"{state}","events":[{{"name":"start","state":"{event}","errorMsg":"full","handle":"e1","dtCreated":"2001-01-01T00:00:00Z"}}]}}"#
            ))
        };
        // Already in the state, but the action is still under way: not yet.
        assert_eq!(
            assess(&at("ready", "in progress"), "ready", &following("e1")),
            Verdict::Pending(Some("ready".into()))
        );
        assert_eq!(
            assess(&at("ready", "done"), "ready", &following("e1")),
            Verdict::Reached
        );
        // An error from long ago by the clock, but it is the followed action's.
        assert_eq!(
            assess(&at("off", "error"), "ready", &following("e1")),
            Verdict::Failed("start failed: full".into())
        );
        assert_eq!(
            assess(&at("off", "cancelled"), "ready", &following("e1")),
            Verdict::Failed("start was cancelled".into())
        );
        // Another event's old error does not count.
        assert_eq!(
            assess(&at("starting", "error"), "ready", &following("e2")),
            Verdict::Pending(Some("starting".into()))
        );
    }

    #[test]
    fn waitfor_on_v1_follows_an_action_under_way_that_began_just_before() {
        let with = |state: &str, at: &str| {
            machine(&format!(
                r#"{{"state":"ready","events":[{{"name":"restart","state":"{state}","handle":"r1","dtCreated":"{at}"}}]}}"#
            ))
        };
        let mut fresh = baseline(None);
        fresh.follow_under_way(&with("in progress", "2022-03-14T14:59:50Z"));
        assert_eq!(fresh.followed.as_deref(), Some("r1"));
        assert_eq!(
            assess(
                &with("in progress", "2022-03-14T14:59:50Z"),
                "ready",
                &fresh
            ),
            Verdict::Pending(Some("ready".into()))
        );
        assert_eq!(
            assess(&with("done", "2022-03-14T14:59:50Z"), "ready", &fresh),
            Verdict::Reached
        );
        // Done already, or under way since long ago: nothing to follow.
        for (state, at) in [
            ("done", "2022-03-14T14:59:50Z"),
            ("in progress", "2022-03-14T12:00:00Z"),
        ] {
            let mut old = baseline(None);
            old.follow_under_way(&with(state, at));
            assert_eq!(old.followed, None, "{state} {at}");
        }
        // Only on the first poll.
        let mut later = baseline(Some(&[]));
        later.follow_under_way(&with("in progress", "2022-03-14T14:59:50Z"));
        assert_eq!(later.followed, None);
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
