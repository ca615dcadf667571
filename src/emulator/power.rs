//! The power actions (start, stop, restart) and when each is refused. The legacy API did
//! nothing, and succeeded, when a machine was already where an action would take it; the live
//! service refuses those actions (`NoOp`).

use super::http::ApiError;
use super::lifecycle::ActionKind;
use super::store::{Ctx, Store, push_action};
use crate::vocab::MachineState;

fn provisioning() -> ApiError {
    ApiError::bad_request("Machine is being provisioned")
}

/// A machine being resized or restored (inferred wording, after the live texts below).
fn upgrading() -> ApiError {
    ApiError::bad_request("This machine is currently upgrading.")
}

/// How a power action that would change nothing is answered: the legacy API did nothing and
/// succeeded (docs/compatibility.md keeps that promise); the live service refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoOp {
    Succeeds,
    Refused,
}

/// The live service's refusals of a power action that would change nothing (v1). Only the first
/// is verbatim evidence: SkyPilot catches exactly that text (docs/v1.md, "Answers"). The others
/// are worded after it and inferred: cloudypad skips those actions rather than send them, which
/// suggests they are refused; their status, like the first's, is not in any source.
pub(crate) const CURRENTLY_STARTING: &str = "This machine is currently starting.";
pub(crate) const ALREADY_RUNNING: &str = "This machine is already running.";
pub(crate) const CURRENTLY_STOPPING: &str = "This machine is currently stopping.";
pub(crate) const ALREADY_OFF: &str = "This machine is already off.";
pub(crate) const CURRENTLY_RESTARTING: &str = "This machine is currently restarting.";

/// Succeed doing nothing, or refuse with `message`, as `no_op` has it.
fn nothing_to_do(no_op: NoOp, message: &str) -> Result<(), ApiError> {
    match no_op {
        NoOp::Succeeds => Ok(()),
        NoOp::Refused => Err(ApiError::bad_request(message)),
    }
}

impl Store {
    /// Start: `off` → starting → serviceready → ready. A machine starting or running is a
    /// no-op (`no_op`). `capacity_failure` is asked only when a start really begins, so an
    /// injected failure is never spent on a no-op.
    pub(crate) fn start(
        &mut self,
        id: &str,
        ctx: &mut Ctx,
        no_op: NoOp,
        capacity_failure: impl FnOnce() -> Option<String>,
    ) -> Result<(), ApiError> {
        let record = self.find_mut(id)?;
        match record.state_at(ctx.now) {
            MachineState::Off => {
                let error = capacity_failure();
                push_action(record, ActionKind::Start, ctx, error);
                Ok(())
            }
            MachineState::Provisioning => Err(provisioning()),
            MachineState::Upgrading => Err(upgrading()),
            MachineState::Stopping => Err(ApiError::bad_request(
                "Machine is stopping; start it again once it is off",
            )),
            MachineState::Starting => nothing_to_do(no_op, CURRENTLY_STARTING),
            MachineState::ServiceReady | MachineState::Ready | MachineState::Restarting => {
                nothing_to_do(no_op, ALREADY_RUNNING)
            }
            MachineState::Unknown(_) => Ok(()),
        }
    }

    /// Stop: → stopping → off. A machine off or stopping is a no-op (`no_op`); a start or
    /// restart under way is cut short.
    pub(crate) fn stop(&mut self, id: &str, ctx: &mut Ctx, no_op: NoOp) -> Result<(), ApiError> {
        let record = self.find_mut(id)?;
        match record.state_at(ctx.now) {
            MachineState::Off => nothing_to_do(no_op, ALREADY_OFF),
            MachineState::Stopping => nothing_to_do(no_op, CURRENTLY_STOPPING),
            MachineState::Provisioning => Err(provisioning()),
            MachineState::Upgrading => Err(upgrading()),
            _ => {
                push_action(record, ActionKind::Stop, ctx, None);
                Ok(())
            }
        }
    }

    /// Restart: → restarting → ready. Only a running machine can restart; a restart under way
    /// is requested again on the legacy API (as its reference documents), refused on v1.
    pub(crate) fn restart(&mut self, id: &str, ctx: &mut Ctx, no_op: NoOp) -> Result<(), ApiError> {
        let record = self.find_mut(id)?;
        match record.state_at(ctx.now) {
            MachineState::Restarting if no_op == NoOp::Refused => {
                Err(ApiError::bad_request(CURRENTLY_RESTARTING))
            }
            MachineState::Ready | MachineState::ServiceReady | MachineState::Restarting => {
                push_action(record, ActionKind::Restart, ctx, None);
                Ok(())
            }
            MachineState::Provisioning => Err(provisioning()),
            MachineState::Off => Err(ApiError::bad_request("Machine is off; start it instead")),
            other => Err(ApiError::bad_request(format!(
                "Machine is {other}; restart it once it is ready"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::store::tests::{at, store_with_machine};

    #[test]
    fn actions_are_refused_or_ignored_according_to_the_current_state() {
        let mut rng = fastrand::Rng::with_seed(1);
        let (mut store, id) = store_with_machine(&mut rng);
        let mut spent = 0;
        let mut failure = || {
            spent += 1;
            None
        };
        // Provisioning: start/stop/restart refused.
        assert_eq!(
            store
                .start(&id, &mut at(50, &mut rng), NoOp::Succeeds, &mut failure)
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            store
                .stop(&id, &mut at(50, &mut rng), NoOp::Succeeds)
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            store
                .restart(&id, &mut at(50, &mut rng), NoOp::Succeeds)
                .unwrap_err()
                .status,
            400
        );
        // Ready: start is a no-op that spends no capacity failure and records nothing.
        store
            .start(&id, &mut at(200, &mut rng), NoOp::Succeeds, &mut failure)
            .unwrap();
        assert_eq!(store.find(&id).unwrap().actions.len(), 1);
        // Stopping: start refused, stop a no-op.
        store
            .stop(&id, &mut at(300, &mut rng), NoOp::Succeeds)
            .unwrap();
        assert!(
            store
                .start(&id, &mut at(350, &mut rng), NoOp::Succeeds, &mut failure)
                .is_err()
        );
        store
            .stop(&id, &mut at(350, &mut rng), NoOp::Succeeds)
            .unwrap();
        assert_eq!(store.find(&id).unwrap().actions.len(), 2);
        // Off: restart refused, start asks for a capacity failure once.
        assert!(
            store
                .restart(&id, &mut at(500, &mut rng), NoOp::Succeeds)
                .is_err()
        );
        store
            .start(&id, &mut at(500, &mut rng), NoOp::Succeeds, &mut failure)
            .unwrap();
        assert_eq!(spent, 1);
        // Starting: restart refused.
        assert!(
            store
                .restart(&id, &mut at(550, &mut rng), NoOp::Succeeds)
                .is_err()
        );
        assert!(
            store
                .start(&id, &mut at(9999, &mut rng), NoOp::Succeeds, || None)
                .is_ok()
        );
        assert_eq!(store.find(&id).unwrap().actions.len(), 3);
    }

    #[test]
    fn v1_refuses_what_would_change_nothing_with_the_live_texts() {
        let mut rng = fastrand::Rng::with_seed(7);
        let (mut store, id) = store_with_machine(&mut rng);
        let refused = NoOp::Refused;
        let message = |result: Result<(), ApiError>| {
            let error = result.unwrap_err();
            assert_eq!(error.status, 400);
            error.message
        };
        let start = |store: &mut Store, now| {
            store.start(
                &id,
                &mut at(now, &mut fastrand::Rng::new()),
                refused,
                || None,
            )
        };
        // Ready from 100 ms on.
        assert_eq!(message(start(&mut store, 200)), ALREADY_RUNNING);
        store.restart(&id, &mut at(200, &mut rng), refused).unwrap();
        assert_eq!(
            message(store.restart(&id, &mut at(250, &mut rng), refused)),
            CURRENTLY_RESTARTING
        );
        assert_eq!(message(start(&mut store, 250)), ALREADY_RUNNING);
        store.stop(&id, &mut at(400, &mut rng), refused).unwrap();
        let stop = store.stop(&id, &mut at(450, &mut rng), refused);
        assert_eq!(message(stop), CURRENTLY_STOPPING);
        let stop = store.stop(&id, &mut at(600, &mut rng), refused);
        assert_eq!(message(stop), ALREADY_OFF);
        start(&mut store, 600).unwrap();
        assert_eq!(message(start(&mut store, 650)), CURRENTLY_STARTING);
        assert_eq!(message(start(&mut store, 750)), ALREADY_RUNNING);
        // Nothing refused was recorded: create, restart, stop, start.
        assert_eq!(store.find(&id).unwrap().actions.len(), 4);
    }
}
