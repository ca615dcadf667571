//! Machine lifecycle as a pure function of recorded actions and the clock.
//!
//! Nothing runs in the background: each action stores only when it began, how long one
//! transition step lasted at that time, and whether it is doomed to fail. The state at any
//! instant, the events list and the running time within a month are all derived on read, so
//! they are right whenever they are looked at (and after a restart from the state file).
//!
//! Some actions move the machine through states (create, start, stop, restart); a later one
//! cuts an earlier one short. The others (a template made of the machine, ...) leave its state
//! alone: their event is under way for one step, then done, whatever else happens.

use crate::vocab::MachineState;
use serde::{Deserialize, Serialize};

/// What an action was asked to do. `CreateStopped` is a create with `startOnCreate: false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum ActionKind {
    Create,
    CreateStopped,
    Start,
    Stop,
    Restart,
    /// A custom template made of the machine.
    TemplateCreate,
    SnapshotCreate,
    SnapshotDelete,
    /// A snapshot restored onto the machine, which was off: upgrading for a step, then off.
    SnapshotRestore,
    /// A new machine type or a bigger disk while off: upgrading for a step, then off.
    Upgrade,
    /// A bigger disk while the machine runs: its state is left alone.
    OnlineUpgrade,
    /// A move to another network.
    Migrate,
}

impl ActionKind {
    /// The event name the API shows for this action (v1's event names).
    pub(crate) fn event_name(self) -> &'static str {
        match self {
            ActionKind::Create | ActionKind::CreateStopped => "create",
            ActionKind::Start => "start",
            ActionKind::Stop => "stop",
            ActionKind::Restart => "restart",
            ActionKind::TemplateCreate => "template-create",
            ActionKind::SnapshotCreate => "snapshot-create",
            ActionKind::SnapshotDelete => "snapshot-delete",
            ActionKind::SnapshotRestore => "snapshot-restore",
            ActionKind::Upgrade | ActionKind::OnlineUpgrade => "vm-upgrade",
            ActionKind::Migrate => "vm-migrate",
        }
    }

    /// Whether the action moves the machine through states.
    fn moves(self) -> bool {
        !matches!(
            self,
            ActionKind::TemplateCreate
                | ActionKind::SnapshotCreate
                | ActionKind::SnapshotDelete
                | ActionKind::OnlineUpgrade
                | ActionKind::Migrate
        )
    }
}

/// One recorded action of a machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Action {
    pub kind: ActionKind,
    pub handle: String,
    pub started_ms: i64,
    /// Length of one transition step when the action was taken; kept per action so a restart
    /// with another `--transition-ms` does not rewrite history.
    pub step_ms: i64,
    /// Set when the action will end in an error event (an injected capacity failure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Action {
    /// The states this action moves through, each with its duration; the last lasts until the
    /// next action (`None`).
    fn phases(&self) -> Vec<(MachineState, Option<i64>)> {
        let step = Some(self.step_ms.max(0));
        match (self.kind, &self.error) {
            (ActionKind::Create, _) => vec![
                (MachineState::Provisioning, step),
                (MachineState::Ready, None),
            ],
            (ActionKind::CreateStopped, _) => vec![
                (MachineState::Provisioning, step),
                (MachineState::Off, None),
            ],
            // A failed start gets as far as `starting`, then the machine is back off.
            (ActionKind::Start, Some(_)) => {
                vec![(MachineState::Starting, step), (MachineState::Off, None)]
            }
            (ActionKind::Start, None) => vec![
                (MachineState::Starting, step),
                (MachineState::ServiceReady, step),
                (MachineState::Ready, None),
            ],
            (ActionKind::Stop, _) => {
                vec![(MachineState::Stopping, step), (MachineState::Off, None)]
            }
            (ActionKind::Restart, _) => vec![
                (MachineState::Restarting, step),
                (MachineState::Ready, None),
            ],
            (ActionKind::SnapshotRestore | ActionKind::Upgrade, _) => {
                vec![(MachineState::Upgrading, step), (MachineState::Off, None)]
            }
            (
                ActionKind::TemplateCreate
                | ActionKind::SnapshotCreate
                | ActionKind::SnapshotDelete
                | ActionKind::OnlineUpgrade
                | ActionKind::Migrate,
                _,
            ) => Vec::new(),
        }
    }

    /// When the action finishes on its own (not counting interruption by a later action); an
    /// action that leaves the state alone takes one step.
    fn natural_finish_ms(&self) -> i64 {
        if !self.kind.moves() {
            return self.started_ms + self.step_ms.max(0);
        }
        self.started_ms
            + self
                .phases()
                .iter()
                .filter_map(|(_, duration)| *duration)
                .sum::<i64>()
    }
}

/// A span of time the machine spent in one state: `[from, to)`, `to = None` meaning "still".
#[derive(Debug, Clone, PartialEq)]
struct Span {
    state: MachineState,
    from: i64,
    to: Option<i64>,
}

/// The action after `index` that moves the machine, if any.
fn next_move(actions: &[Action], index: usize) -> Option<&Action> {
    actions[index + 1..].iter().find(|a| a.kind.moves())
}

/// The whole history as consecutive spans (actions are kept oldest first). Each action's
/// phases are cut short by the next action that moves the machine.
fn timeline(actions: &[Action]) -> Vec<Span> {
    let mut spans = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        if !action.kind.moves() {
            continue;
        }
        let cut = next_move(actions, i).map(|next| next.started_ms);
        let mut from = action.started_ms;
        for (state, duration) in action.phases() {
            if cut.is_some_and(|cut| from >= cut) {
                break;
            }
            let natural_end = duration.map(|d| from + d);
            let to = match (natural_end, cut) {
                (Some(end), Some(cut)) => Some(end.min(cut)),
                (end, cut) => end.or(cut),
            };
            spans.push(Span { state, from, to });
            match to {
                Some(end) => from = end,
                None => break,
            }
        }
    }
    spans
}

/// The state at instant `now` (`Off` for a machine with no history, which cannot happen for a
/// machine made by create).
pub(crate) fn state_at(actions: &[Action], now: i64) -> MachineState {
    timeline(actions)
        .into_iter()
        .rev()
        .find(|span| span.from <= now)
        .map(|span| span.state)
        .unwrap_or(MachineState::Off)
}

/// States that bill machine time: everything between leaving `off` and getting back to it
/// (an upgrade happens while the machine is off, so it is not one of them).
pub(crate) fn is_running(state: &MachineState) -> bool {
    matches!(
        state,
        MachineState::Starting
            | MachineState::ServiceReady
            | MachineState::Ready
            | MachineState::Restarting
            | MachineState::Stopping
    )
}

/// Milliseconds spent running within `[from, to)`, counting history only up to `now`.
pub(crate) fn running_ms_within(actions: &[Action], from: i64, to: i64, now: i64) -> i64 {
    let to = to.min(now);
    timeline(actions)
        .iter()
        .filter(|span| is_running(&span.state))
        .map(|span| {
            let start = span.from.max(from);
            let end = span.to.unwrap_or(i64::MAX).min(to);
            (end - start).max(0)
        })
        .sum()
}

/// How an action stands at some instant, as its event reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome<'a> {
    UnderWay,
    Done,
    Failed(&'a str),
}

/// An action seen as an event at some instant: how it stands and when it finished.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Occurrence<'a> {
    pub action: &'a Action,
    pub outcome: Outcome<'a>,
    pub finished_ms: Option<i64>,
}

/// The events at `now`, oldest first (each API's view orders them its own way). An action
/// still under way is under way; one that finished is done (or failed with its message); one
/// cut short by a later action is done at the moment it was superseded.
pub(crate) fn occurrences(actions: &[Action], now: i64) -> Vec<Occurrence<'_>> {
    actions
        .iter()
        .enumerate()
        .filter(|(_, action)| action.started_ms <= now)
        .map(|(i, action)| {
            let natural = action.natural_finish_ms();
            let superseded = next_move(actions, i)
                .filter(|_| action.kind.moves())
                .map(|next| next.started_ms)
                .filter(|&cut| cut < natural && cut <= now);
            let (outcome, finished_ms) = match superseded {
                Some(cut) => (Outcome::Done, Some(cut)),
                None if now >= natural => match &action.error {
                    Some(message) => (Outcome::Failed(message), Some(natural)),
                    None => (Outcome::Done, Some(natural)),
                },
                None => (Outcome::UnderWay, None),
            };
            Occurrence {
                action,
                outcome,
                finished_ms,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    // The legacy view of the events, newest first: what the assertions below were written in.
    use crate::emulator::legacy::views;

    fn action(kind: ActionKind, at: i64, error: Option<&str>) -> Action {
        Action {
            kind,
            handle: format!("h{at}"),
            started_ms: at,
            step_ms: 100,
            error: error.map(str::to_string),
        }
    }

    #[test]
    fn create_then_stop_then_start_walks_through_every_state() {
        let actions = vec![
            action(ActionKind::Create, 0, None),
            action(ActionKind::Stop, 1000, None),
            action(ActionKind::Start, 2000, None),
        ];
        let at = |t| state_at(&actions, t);
        assert_eq!(at(50), MachineState::Provisioning);
        assert_eq!(at(100), MachineState::Ready);
        assert_eq!(at(1050), MachineState::Stopping);
        assert_eq!(at(1100), MachineState::Off);
        assert_eq!(at(2050), MachineState::Starting);
        assert_eq!(at(2150), MachineState::ServiceReady);
        assert_eq!(at(2200), MachineState::Ready);
        // Running: [100,1100) and [2000, now).
        assert_eq!(running_ms_within(&actions, 0, 10_000, 2500), 1000 + 500);
        assert_eq!(running_ms_within(&actions, 1050, 2100, 9999), 50 + 100);
    }

    #[test]
    fn events_are_newest_first_with_new_done_and_error_states() {
        let actions = vec![
            action(ActionKind::CreateStopped, 0, None),
            action(ActionKind::Start, 1000, Some("no capacity")),
        ];
        let events = views::events(&actions, 1050);
        assert_eq!(events[0].name.as_deref(), Some("start"));
        assert_eq!(events[0].state.as_deref(), Some("new"));
        assert_eq!(events[0].dt_finished, None);
        assert_eq!(events[1].state.as_deref(), Some("done"));
        let later = views::events(&actions, 1100);
        assert_eq!(later[0].state.as_deref(), Some("error"));
        assert_eq!(later[0].error_msg.as_deref(), Some("no capacity"));
        assert_eq!(state_at(&actions, 1100), MachineState::Off);
    }

    #[test]
    fn a_later_action_cuts_an_earlier_one_short() {
        let actions = vec![
            action(ActionKind::CreateStopped, 0, None),
            action(ActionKind::Start, 1000, None),
            action(ActionKind::Stop, 1050, None),
        ];
        assert_eq!(state_at(&actions, 1120), MachineState::Stopping);
        assert_eq!(state_at(&actions, 1150), MachineState::Off);
        let events = views::events(&actions, 2000);
        assert_eq!(events[1].state.as_deref(), Some("done"));
        assert_eq!(
            events[1].dt_finished.as_deref(),
            Some("1970-01-01T00:00:01.050Z")
        );
        assert_eq!(running_ms_within(&actions, 0, 5000, 5000), 150);
    }

    #[test]
    fn actions_that_leave_the_state_alone_take_a_step_and_cut_nothing() {
        let actions = vec![
            action(ActionKind::Create, 0, None),
            action(ActionKind::TemplateCreate, 150, None),
            action(ActionKind::Stop, 160, None),
        ];
        assert_eq!(state_at(&actions, 155), MachineState::Ready);
        assert_eq!(state_at(&actions, 170), MachineState::Stopping);
        assert_eq!(state_at(&actions, 260), MachineState::Off);
        let events = views::events(&actions, 200);
        assert_eq!(events[0].name.as_deref(), Some("stop"));
        assert_eq!(events[1].name.as_deref(), Some("template-create"));
        assert_eq!(events[1].state.as_deref(), Some("new"));
        let events = views::events(&actions, 250);
        assert_eq!(events[1].state.as_deref(), Some("done"));
        assert_eq!(
            events[1].dt_finished.as_deref(),
            Some("1970-01-01T00:00:00.250Z")
        );
        assert_eq!(
            events[2].dt_finished.as_deref(),
            Some("1970-01-01T00:00:00.100Z")
        );
    }
}
