//! What a command will do, as a value: the requests, how their answers become output, and what
//! to wait for after. A backend's planner (`api::legacy`, `api::v1`) makes a `Plan` from an
//! `Invocation` without any I/O; the executor (`crate::execute`) carries it out; `--dry-run`
//! prints its requests. Both backends' plans are made of the same steps, so paging, waiting and
//! "which machine to wait for" are written once.

use super::params::Invocation;
use super::request::{ANSWERED_EVENT, ApiRequest, MADE_ID};
use super::spec::Waits;
use super::v1;
use crate::error::{CliError, Result};
use std::time::Duration;

/// A command's plan: one step, then perhaps a wait.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub step: Step,
    pub wait: Option<Wait>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// One request; its answer shown as `answer` says.
    Call { request: ApiRequest, answer: Answer },
    /// A v1 power action (`spec::V1Op::PowerAction`): `{}` when it is done, and when it is
    /// refused but `machine` (read then) is in one of the `already` states.
    PowerAction {
        request: ApiRequest,
        machine: ApiRequest,
        already: &'static [&'static str],
    },
    /// v1's destroy that also releases the machine's static public IP: read the machine,
    /// release its static address (`release`, whose path has `request::MACHINE_IP`), then
    /// delete the machine.
    DestroyReleasingIp {
        machine: ApiRequest,
        release: ApiRequest,
        delete: ApiRequest,
    },
    /// A request, then requests about what it made (`request::MADE_ID` in their paths is its
    /// answer's `id`); the last answer is shown as `answer` says. `done` says what the first
    /// did, for a failure after it.
    Chain {
        first: ApiRequest,
        then: Vec<ApiRequest>,
        done: &'static str,
        answer: Answer,
    },
    /// One machine with its events, in the legacy shape.
    Machine(MachineFetch),
    /// Every page of a list, filtered and windowed here.
    List(ListPlan),
    /// Nothing before the wait (`waitfor`, `Waits::ForStateFlag`: `Backend::plan`).
    Nothing,
}

impl Plan {
    /// The requests this plan sends in the usual course, in order: the read of the machine
    /// before a wait that brings it back to its state, its step's (a list's first page; the
    /// conditional read after a refused power action is left out), then, when it waits, one
    /// poll (`{id}` and `{event}` stand for what the step's answer will tell). What
    /// `--dry-run` prints.
    pub fn requests(&self, backend: super::Backend) -> Vec<ApiRequest> {
        let mut requests = Vec::new();
        if let Some(Wait {
            target: WaitTarget::StateBefore,
            machine: WaitMachine::Named(id),
            ..
        }) = &self.wait
        {
            requests.extend(backend.fetch_machine(id).requests().into_iter().cloned());
        }
        requests.extend(match &self.step {
            Step::Call { request, .. } | Step::PowerAction { request, .. } => {
                vec![request.clone()]
            }
            Step::Machine(fetch) => fetch.requests().into_iter().cloned().collect(),
            Step::DestroyReleasingIp {
                machine,
                release,
                delete,
            } => vec![machine.clone(), release.clone(), delete.clone()],
            Step::List(list) => list.first_requests(),
            Step::Chain { first, then, .. } => {
                std::iter::once(first).chain(then).cloned().collect()
            }
            Step::Nothing => Vec::new(),
        });
        let Some(wait) = &self.wait else {
            return requests;
        };
        // On v1 an action's answer names the event that follows it (`execute::action_event`);
        // reads, lists and waitfor follow none.
        let event = match self.step {
            Step::Call { .. } | Step::PowerAction { .. } => Some(ANSWERED_EVENT),
            _ => None,
        };
        if wait.target == WaitTarget::Event {
            requests.extend(event.and_then(|event| backend.event_request(event)));
            return requests;
        }
        let id = match &wait.machine {
            WaitMachine::Named(id) => id.as_str(),
            WaitMachine::Created => MADE_ID,
        };
        let poll = backend.poll_machine(id, event);
        requests.extend(poll.requests().into_iter().cloned());
        requests
    }
}

/// How an answer becomes what is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Printed as the server sent it (an empty body reads as `{}`).
    AsIs,
    /// `{}`, whatever came (v1 answers power actions with an event the legacy API never sent).
    Empty,
    /// v1's `{"event", "data"}`: the machine in the legacy shape.
    V1ActionMachine,
    /// v1's `{"event", "data"}`: the object, of this kind, in its legacy shape.
    V1Action(V1Kind),
    /// One v1 object of this kind, in its legacy shape.
    V1(V1Kind),
}

impl Answer {
    /// The output for a decoded 2xx body; `raw` (v1's `--raw`) prints v1's own JSON.
    pub(crate) fn present(self, body: String, raw: bool) -> Result<String> {
        match self {
            Answer::AsIs => Ok(body),
            _ if raw => Ok(body),
            Answer::Empty => Ok("{}".to_string()),
            Answer::V1ActionMachine => {
                let answer: v1::wire::ActionAnswer = v1::parse(&body)?;
                Ok(v1::mapping::machine_json(
                    &answer.data.unwrap_or_default(),
                    None,
                ))
            }
            Answer::V1(kind) => {
                let value: serde_json::Value = v1::parse(&body)?;
                Ok(v1::mapping::resource_to_legacy(kind, &found(kind, value)?).to_string())
            }
            Answer::V1Action(kind) => {
                let answer: v1::wire::ActionAnswer<serde_json::Value> = v1::parse(&body)?;
                let data = found(kind, answer.data.unwrap_or_default())?;
                Ok(v1::mapping::resource_to_legacy(kind, &data).to_string())
            }
        }
    }
}

/// A v1 object the service said is not there: some reads answer 200 with `null` for an
/// unknown id (`GET /private-networks/{id}`, docs/v1.md).
fn found(kind: V1Kind, value: serde_json::Value) -> Result<serde_json::Value> {
    if value.is_null() {
        return Err(CliError::new(
            crate::error::ErrorKind::Api { status: 200 },
            format!("no such {}: the API answered null", kind.noun()),
        ));
    }
    Ok(value)
}

impl Answer {
    /// The id of the machine a create made, to wait for.
    pub(crate) fn created_id(self, body: &str) -> Result<String> {
        #[derive(serde::Deserialize)]
        struct Created {
            id: Option<String>,
        }
        let id = match self {
            Answer::V1ActionMachine => serde_json::from_str::<v1::wire::ActionAnswer>(body)
                .ok()
                .and_then(|answer| answer.data?.id),
            Answer::AsIs | Answer::Empty | Answer::V1(_) | Answer::V1Action(_) => {
                serde_json::from_str::<Created>(body)
                    .ok()
                    .and_then(|created| created.id)
            }
        };
        id.ok_or_else(|| {
            CliError::internal("the API's answer to create has no machine id to wait for")
        })
    }
}

/// How a backend reads one machine with its events.
#[derive(Debug, Clone, PartialEq)]
pub enum MachineFetch {
    /// The legacy show endpoint answers both in one request.
    Legacy(ApiRequest),
    /// v1 keeps events apart: the machine and its newest events, mapped to the legacy shape.
    V1 {
        machine: ApiRequest,
        events: ApiRequest,
    },
    /// v1, during a wait after an action: the machine and the one event that action answered
    /// with (`GET /machine-events/{id}`), mapped to the legacy shape.
    V1Following {
        machine: ApiRequest,
        event: ApiRequest,
    },
}

impl MachineFetch {
    /// The requests it makes, in order.
    pub fn requests(&self) -> Vec<&ApiRequest> {
        match self {
            MachineFetch::Legacy(request) => vec![request],
            MachineFetch::V1 { machine, events } => vec![machine, events],
            MachineFetch::V1Following { machine, event } => vec![machine, event],
        }
    }
}

/// A list read page by page, from one source or several (their items one after the other).
#[derive(Debug, Clone, PartialEq)]
pub struct ListPlan {
    pub sources: Vec<ListSource>,
    /// Legacy equality filters the server does not apply, applied to each legacy-shaped item.
    pub filters: Vec<(String, String)>,
    pub window: Window,
    /// A read made first, whose answer completes the sources' paths.
    pub prelude: Option<Prelude>,
}

/// One list endpoint: the request of every page (before the paging parameters), how its
/// pages go, and what its items are.
#[derive(Debug, Clone, PartialEq)]
pub struct ListSource {
    pub request: ApiRequest,
    pub paging: Paging,
    pub items: Items,
}

/// A read whose answer fills a placeholder of the sources' paths: v1 lists a team's users
/// under `/teams/{teamId}/users`, and the team is the session's (`/team/id` of
/// `GET /auth/session`).
#[derive(Debug, Clone, PartialEq)]
pub struct Prelude {
    pub request: ApiRequest,
    /// Where in its answer the value is (a JSON pointer).
    pub pointer: &'static str,
    /// What it replaces in the sources' paths.
    pub placeholder: &'static str,
}

impl ListSource {
    /// The request of the source's first page.
    pub fn first_page(&self) -> ApiRequest {
        let first = match self.paging {
            Paging::Offset { first, .. } => first,
            Paging::Cursor { .. } => 0,
        };
        let mut request = self.request.clone();
        request.query.extend(self.paging.page_query(first, None));
        request
    }
}

impl ListPlan {
    /// One source, no prelude.
    pub(crate) fn single(
        source: ListSource,
        filters: Vec<(String, String)>,
        window: Window,
    ) -> Self {
        ListPlan {
            sources: vec![source],
            filters,
            window,
            prelude: None,
        }
    }

    /// The first requests it sends: the prelude's, then each source's first page.
    pub fn first_requests(&self) -> Vec<ApiRequest> {
        self.prelude
            .iter()
            .map(|p| p.request.clone())
            .chain(self.sources.iter().map(ListSource::first_page))
            .collect()
    }

    /// What one item of a page becomes: the text to print if it passes the filters. Items
    /// kept as sent are never parsed when there is nothing to filter (a list of 10 000 is
    /// copied, not rebuilt).
    pub(crate) fn keep(
        &self,
        items: Items,
        item: &serde_json::value::RawValue,
        raw: bool,
    ) -> Option<String> {
        let (legacy, shown) = match items {
            Items::AsIs if self.filters.is_empty() => return Some(item.get().to_string()),
            Items::AsIs => {
                let value: serde_json::Value = serde_json::from_str(item.get()).ok()?;
                (value, None)
            }
            Items::V1Machine => {
                let machine: v1::wire::Machine =
                    serde_json::from_str(item.get()).unwrap_or_default();
                let legacy = serde_json::to_value(v1::mapping::machine_to_legacy(&machine, None))
                    .expect("the model always serialises");
                (legacy, raw.then(|| item.get().to_string()))
            }
            Items::V1(resource) => {
                let value: serde_json::Value = serde_json::from_str(item.get()).ok()?;
                let legacy = v1::mapping::resource_to_legacy(resource, &value);
                (legacy, raw.then(|| item.get().to_string()))
            }
        };
        self.filters
            .iter()
            .all(|(name, wanted)| matches_filter(&legacy, name, wanted))
            .then(|| shown.unwrap_or_else(|| legacy.to_string()))
    }
}

/// Whether a legacy-shaped machine passes a legacy equality filter (`list --state off`): the
/// field's JSON value rendered as text equals the filter's text; `machineId` is `id`.
pub(crate) fn matches_filter(machine: &serde_json::Value, name: &str, wanted: &str) -> bool {
    use serde_json::Value;
    let field = if name == "machineId" { "id" } else { name };
    match machine.get(field) {
        Some(Value::String(s)) => s == wanted,
        Some(Value::Number(n)) => n.to_string() == wanted,
        Some(Value::Bool(b)) => b.to_string() == wanted,
        Some(Value::Null) | None => wanted == "null",
        // Lists and objects are never what an equality filter names.
        Some(_) => false,
    }
}

/// How the pages of a list are asked for and told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// The legacy API: a JSON array per page, `limit` and `skip` in the query, done when a page
    /// comes back short.
    Offset { page_size: u64, first: u64 },
    /// v1: `{"items", "hasMore", "nextPage"}` per page, `limit` and `after` in the query.
    Cursor { page_size: u64 },
}

impl Paging {
    /// The query pairs of one page: an offset, or the cursor the previous page gave.
    pub(crate) fn page_query(self, offset: u64, cursor: Option<&str>) -> Vec<(String, String)> {
        match self {
            Paging::Offset { page_size, .. } => vec![
                ("limit".into(), page_size.to_string()),
                ("skip".into(), offset.to_string()),
            ],
            Paging::Cursor { page_size } => {
                let mut query = vec![("limit".into(), page_size.to_string())];
                if let Some(cursor) = cursor {
                    query.push(("after".into(), cursor.to_string()));
                }
                query
            }
        }
    }
}

/// What the items of a page are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Items {
    /// Kept as the server sent them.
    AsIs,
    /// v1 machines, shown in the legacy shape (or as sent, with `--raw`).
    V1Machine,
    /// v1 objects of another kind, shown in that kind's legacy shape (or as sent, `--raw`).
    V1(V1Kind),
}

/// The kinds of v1 object the legacy commands show in a legacy shape (`v1::mapping`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1Kind {
    /// An OS template (`GET /os-templates`), as a legacy public template.
    OsTemplate,
    /// A custom template (`GET /custom-templates`), as a legacy team template.
    CustomTemplate,
    /// A startup script, as a legacy script.
    Script,
    /// A private network, as a legacy network.
    Network,
    /// A team membership (`GET /teams/{teamId}/users`), as a legacy user.
    TeamUser,
}

impl V1Kind {
    /// What one is called in a message.
    pub fn noun(self) -> &'static str {
        match self {
            V1Kind::OsTemplate | V1Kind::CustomTemplate => "template",
            V1Kind::Script => "script",
            V1Kind::Network => "network",
            V1Kind::TeamUser => "user",
        }
    }
}

/// Which matching items are printed: `skip` of them are passed over, then `limit` (all of them
/// when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub skip: u64,
    pub limit: Option<u64>,
}

impl Window {
    pub const ALL: Window = Window {
        skip: 0,
        limit: None,
    };

    /// How many matching items are enough to fill the window.
    pub(crate) fn wanted(self) -> u64 {
        self.limit
            .map_or(u64::MAX, |limit| self.skip.saturating_add(limit))
    }
}

/// Polling until an action is done: a machine in a state, or an event done.
#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    pub machine: WaitMachine,
    pub target: WaitTarget,
    pub interval: Duration,
    /// `None` waits without limit.
    pub timeout: Option<Duration>,
}

/// What ends a wait. On v1 a wait after an action also follows the event the action answered
/// with (`spec::Waits`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitTarget {
    /// The machine in this state (lower case: off, serviceready or ready).
    State(String),
    /// The machine back in the state it was in before the step, which reads it first.
    StateBefore,
    /// Only the event the step's answer returned, done.
    Event,
}

impl WaitTarget {
    /// Whether the wait ends with a machine (printed, and shown as one in a table).
    pub fn is_machine(&self) -> bool {
        !matches!(self, WaitTarget::Event)
    }
}

/// Which machine a wait polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitMachine {
    /// The one `--machineId` names.
    Named(String),
    /// The one the step's answer created.
    Created,
}

/// What an invocation waits for, if it waits: waitfor always, the actions with `--wait`.
pub(crate) fn wait_target(inv: &Invocation) -> Option<WaitTarget> {
    let asked = inv.is_set("wait");
    match inv.spec.waits {
        Waits::Never => None,
        Waits::OnFlag(state) => asked.then(|| WaitTarget::State(state.to_string())),
        Waits::OnFlagBack => asked.then_some(WaitTarget::StateBefore),
        Waits::OnFlagEvent => asked.then_some(WaitTarget::Event),
        Waits::ForStateFlag => Some(WaitTarget::State(
            inv.text("state").unwrap_or_default().to_ascii_lowercase(),
        )),
    }
}

/// The wait a command asks for, the same on every backend; create waits for the machine it
/// made.
pub(crate) fn wait_of(inv: &Invocation) -> Option<Wait> {
    let target = wait_target(inv)?;
    let machine = match inv.machine_id() {
        "" => WaitMachine::Created,
        id => WaitMachine::Named(id.to_string()),
    };
    let seconds = |name| inv.seconds(name).unwrap_or_default();
    let timeout = seconds("timeout");
    Some(Wait {
        machine,
        target,
        interval: Duration::from_secs_f64(seconds("interval")),
        timeout: (timeout > 0.0).then(|| Duration::from_secs_f64(timeout)),
    })
}
