//! The seam between the commands and the two Paperspace APIs. Everything that differs between
//! the legacy API (`api.paperspace.io`, `X-Api-Key`) and v1 (`api.paperspace.com/v1`,
//! `Authorization: Bearer`) is decided behind these methods; the rest of the crate runs the
//! same plan types for both.

use super::params::Invocation;
use super::plan::{MachineFetch, Plan, Step, wait_of};
use super::request::ApiRequest;
use super::spec::Waits;
use super::{legacy, v1};
use crate::error::Result;

/// Which API the commands talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `api.paperspace.io`, `X-Api-Key` (the default, as the legacy CLI).
    Legacy,
    /// `api.paperspace.com/v1`, `Authorization: Bearer`.
    V1,
}

impl Backend {
    /// Plan a command: the usage errors this backend finds (a flag it cannot honour, a command
    /// it lacks) come back before anything is sent.
    pub fn plan(self, inv: &Invocation) -> Result<Plan> {
        let step = match self {
            Backend::Legacy => legacy::step(inv)?,
            Backend::V1 => v1::plan::step(inv)?,
        };
        // A command that is only a wait (`waitfor`) sends nothing before it: its polls read
        // the machine. The planner ran all the same, for the usage errors it finds.
        let step = match inv.spec.waits {
            Waits::ForStateFlag => Step::Nothing,
            _ => step,
        };
        Ok(Plan {
            step,
            wait: wait_of(inv),
        })
    }

    /// How this backend reads a machine with its events (show, waitfor's polls).
    pub fn fetch_machine(self, id: &str) -> MachineFetch {
        match self {
            Backend::Legacy => MachineFetch::Legacy(legacy::show_request(id)),
            Backend::V1 => v1::plan::fetch_machine(id),
        }
    }

    /// Each poll of a wait for a machine after an action: on v1, the machine and the event
    /// the action answered with, when it answered with one.
    pub fn poll_machine(self, id: &str, event: Option<&str>) -> MachineFetch {
        match (self, event) {
            (Backend::V1, Some(event)) => v1::plan::follow_machine(id, event),
            _ => self.fetch_machine(id),
        }
    }

    /// The read of one event (v1 only: the legacy API answered actions without one).
    pub fn event_request(self, event: &str) -> Option<ApiRequest> {
        match self {
            Backend::Legacy => None,
            Backend::V1 => Some(v1::plan::event_request(event)),
        }
    }
}
