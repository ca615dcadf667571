//! Carrying plans out over the transport: the one request of a call, a machine with its events,
//! every page of a list, and the wait after an action. Written once for both backends: what
//! differs between them is in the plans (`api::plan`), made by `api::Backend`.

use crate::api::Backend;
use crate::api::model::Machine;
use crate::api::plan::{ListPlan, MachineFetch, Paging, Plan, Step, Wait, WaitMachine, WaitTarget};
use crate::api::request::{ApiRequest, Auth, MACHINE_IP, MADE_ID};
use crate::api::response::{decode, decode_v1};
use crate::api::v1;
use crate::api::wait::{Baseline, Verdict, assess};
use crate::error::{CliError, ErrorKind, Result};
use crate::http::Transport;
use crate::output::progress::Progress;
use crate::vocab::{MachineState, event_state};
use futures_util::StreamExt;
use serde_json::value::RawValue;
use time::OffsetDateTime;
use tokio::time::Instant;

/// What every request of a run shares.
pub struct Session<'a> {
    pub transport: &'a Transport,
    pub backend: Backend,
    /// `--raw`: v1's own JSON rather than the legacy shape.
    pub raw: bool,
    pub progress: &'a Progress,
}

/// Send one request and decode its answer as its API's rules say.
async fn call(session: &Session<'_>, request: &ApiRequest) -> Result<String> {
    let response = session.transport.send(request).await?;
    match request.auth {
        Auth::ApiKeyHeader => decode(response),
        Auth::Bearer => decode_v1(response),
    }
}

/// Carry out every plan, at most `concurrency` at a time; results come back in input order.
pub async fn perform_all(
    session: &Session<'_>,
    plans: &[Plan],
    concurrency: usize,
) -> Vec<Result<String>> {
    futures_util::stream::iter(plans)
        .map(|plan| perform(session, plan))
        .buffered(concurrency.max(1))
        .collect()
        .await
}

/// One plan: its JSON answer as it will be printed, or its error.
pub async fn perform(session: &Session<'_>, plan: &Plan) -> Result<String> {
    // A wait that brings the machine back to its state needs that state before the step.
    let state_before = match &plan.wait {
        Some(Wait {
            target: WaitTarget::StateBefore,
            machine: WaitMachine::Named(id),
            ..
        }) => Some(state_of(session, id).await?),
        _ => None,
    };
    let (output, event) = match &plan.step {
        Step::Call { request, answer } => {
            let body = call(session, request).await?;
            let event = action_event(request, &body);
            let Some(wait) = &plan.wait else {
                return answer.present(body, session.raw);
            };
            if wait.target == WaitTarget::Event {
                let event = event.ok_or_else(|| {
                    CliError::new(
                        ErrorKind::Api { status: 200 },
                        "the answer names no event to wait for",
                    )
                })?;
                let done = follow_event(session, wait, &event).await?;
                return answer.present(with_event(body, done), session.raw);
            }
            if wait.machine == WaitMachine::Created {
                let id = answer.created_id(&body)?;
                let target = target_state(wait, state_before.as_deref());
                return wait_for(session, wait, &id, &target, event.as_deref()).await;
            }
            (body, event)
        }
        Step::PowerAction {
            request,
            machine,
            already,
        } => power_action(session, request, machine, already).await?,
        Step::DestroyReleasingIp {
            machine,
            release,
            delete,
        } => (
            destroy_releasing_ip(session, machine, release, delete).await?,
            None,
        ),
        Step::Chain {
            first,
            then,
            done,
            answer,
        } => {
            let body = chain(session, first, then, done).await?;
            return answer.present(body, session.raw);
        }
        Step::Machine(fetch) => (fetch_machine(session, fetch, session.raw).await?, None),
        Step::List(list) => (every_page(session, list).await?, None),
        Step::Nothing => (String::new(), None),
    };
    match &plan.wait {
        Some(
            wait @ Wait {
                machine: WaitMachine::Named(id),
                ..
            },
        ) => {
            let target = target_state(wait, state_before.as_deref());
            wait_for(session, wait, id, &target, event.as_deref()).await
        }
        _ => Ok(output),
    }
}

/// The state a wait for a machine ends in.
fn target_state(wait: &Wait, state_before: Option<&str>) -> String {
    match &wait.target {
        WaitTarget::State(state) => state.clone(),
        WaitTarget::StateBefore => MachineState::parse(state_before.unwrap_or("off"))
            .settled()
            .to_string(),
        // Not a machine's: `perform` follows the event alone.
        WaitTarget::Event => String::new(),
    }
}

/// The id of the event a v1 action answered with (`{"event": {"id"}, "data"}`).
fn action_event(request: &ApiRequest, body: &str) -> Option<String> {
    if request.auth != Auth::Bearer {
        return None;
    }
    let answer: v1::wire::ActionAnswer<serde::de::IgnoredAny> = serde_json::from_str(body).ok()?;
    answer.event?.id
}

/// The answer with its `event` as the wait last saw it (done).
fn with_event(body: String, event: String) -> String {
    let (Ok(mut answer), Ok(event)) = (
        serde_json::from_str::<serde_json::Value>(&body),
        serde_json::from_str::<serde_json::Value>(&event),
    ) else {
        return body;
    };
    match answer.get_mut("event") {
        Some(slot) => {
            *slot = event;
            answer.to_string()
        }
        None => body,
    }
}

/// The machine's state now (the wait that brings it back reads it first).
async fn state_of(session: &Session<'_>, id: &str) -> Result<String> {
    let body = fetch_machine(session, &session.backend.fetch_machine(id), false).await?;
    let machine: Machine = serde_json::from_str(&body).unwrap_or_default();
    Ok(machine
        .state
        .map(|state| state.as_str().to_string())
        .unwrap_or_else(|| "off".to_string()))
}

/// A power action on v1, with the legacy promise kept: refused because the machine is already
/// where the action leads (or on its way there), it is done. Any other refusal stands. The
/// answer, and the event it names (none when the machine was already there).
async fn power_action(
    session: &Session<'_>,
    request: &ApiRequest,
    machine: &ApiRequest,
    already: &[&str],
) -> Result<(String, Option<String>)> {
    let refusal = match call(session, request).await {
        Ok(body) => {
            let event = action_event(request, &body);
            let shown = if session.raw { body } else { "{}".to_string() };
            return Ok((shown, event));
        }
        Err(error) if matches!(error.kind, ErrorKind::Api { status: 400 | 409 }) => error,
        Err(error) => return Err(error),
    };
    let Ok(body) = call(session, machine).await else {
        return Err(refusal);
    };
    let state = serde_json::from_str::<v1::wire::Machine>(&body)
        .ok()
        .and_then(|m| m.state);
    match state {
        Some(state) if already.contains(&state.as_str()) => Ok(("{}".to_string(), None)),
        _ => Err(refusal),
    }
}

/// A request, then the requests about what it made (its `id` in their paths); the last
/// answer. A failure after the first says what was made.
async fn chain(
    session: &Session<'_>,
    first: &ApiRequest,
    then: &[ApiRequest],
    done: &str,
) -> Result<String> {
    let mut body = call(session, first).await?;
    let id = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|made| made.get("id")?.as_str().map(str::to_string));
    if then.is_empty() {
        return Ok(body);
    }
    let id = id.ok_or_else(|| {
        CliError::new(
            ErrorKind::Api { status: 200 },
            format!(
                "the answer to {} {} has no id",
                first.method.as_str(),
                first.path
            ),
        )
    })?;
    for next in then {
        body = call(session, &next.filled(MADE_ID, &id))
            .await
            .map_err(|e| CliError {
                message: format!("{done} {id}, but {}", e.message),
                ..e
            })?;
    }
    Ok(body)
}

/// Destroy a v1 machine and release its static public IP: the address first (once the
/// machine is gone, nothing says which address was its), then the machine. A failure says what
/// was done and what was not.
async fn destroy_releasing_ip(
    session: &Session<'_>,
    machine: &ApiRequest,
    release: &ApiRequest,
    delete: &ApiRequest,
) -> Result<String> {
    let read: v1::wire::Machine = v1::parse(&call(session, machine).await?)?;
    let static_ip = read
        .public_ip
        .filter(|_| read.public_ip_type.as_deref() == Some("static"));
    if let Some(ip) = &static_ip {
        call(session, &release.filled(MACHINE_IP, ip))
            .await
            .map_err(|e| CliError {
                message: format!(
                    "could not release public IP {ip} ({}); the machine was not destroyed",
                    e.message
                ),
                ..e
            })?;
    }
    let deleted = call(session, delete).await;
    match (deleted, static_ip) {
        (Ok(body), _) if session.raw => Ok(body),
        (Ok(_), _) => Ok("{}".to_string()),
        (Err(e), Some(ip)) => Err(CliError {
            message: format!(
                "released public IP {ip}, but the machine was not destroyed: {}",
                e.message
            ),
            ..e
        }),
        (Err(e), None) => Err(e),
    }
}

/// A machine with its events as legacy JSON (`raw`: v1's own machine, without events). On v1
/// the machine and its events are asked for together, so the answer costs one round trip.
async fn fetch_machine(session: &Session<'_>, fetch: &MachineFetch, raw: bool) -> Result<String> {
    match fetch {
        MachineFetch::Legacy(request) => call(session, request).await,
        MachineFetch::V1 { machine, .. } if raw => call(session, machine).await,
        MachineFetch::V1 { machine, events } => {
            let (machine, events) = tokio::join!(call(session, machine), call(session, events));
            // The machine's own error (a 404, say) is the one to report.
            let machine: v1::wire::Machine = v1::parse(&machine?)?;
            let events: v1::wire::Page<v1::wire::Event> = v1::parse(&events?)?;
            Ok(v1::mapping::machine_json(&machine, Some(&events.items)))
        }
        MachineFetch::V1Following { machine, .. } if raw => call(session, machine).await,
        MachineFetch::V1Following { machine, event } => {
            let (machine, event) = tokio::join!(call(session, machine), call(session, event));
            let machine: v1::wire::Machine = v1::parse(&machine?)?;
            let event: v1::wire::Event = v1::parse(&event?)?;
            Ok(v1::mapping::machine_json(&machine, Some(&[event])))
        }
    }
}

/// Every page of a list's sources, until the last or until the window is full; one JSON array
/// out.
async fn every_page(session: &Session<'_>, list: &ListPlan) -> Result<String> {
    let spinner = session.progress.spinner("listing");
    let wanted = list.window.wanted();
    let mut matched: Vec<String> = Vec::new();
    let filled = match &list.prelude {
        None => None,
        Some(prelude) => {
            let answer: serde_json::Value = v1::parse(&call(session, &prelude.request).await?)?;
            let value = answer
                .pointer(prelude.pointer)
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| {
                    CliError::new(
                        ErrorKind::Api { status: 200 },
                        format!(
                            "the answer to {} has no {}",
                            prelude.request.path, prelude.pointer
                        ),
                    )
                })?;
            Some((prelude.placeholder, value.to_string()))
        }
    };
    'sources: for source in &list.sources {
        let mut offset = match source.paging {
            Paging::Offset { first, .. } => first,
            Paging::Cursor { .. } => 0,
        };
        let mut cursor: Option<String> = None;
        loop {
            let mut request = match &filled {
                Some((placeholder, value)) => source.request.filled(placeholder, value),
                None => source.request.clone(),
            };
            request
                .query
                .extend(source.paging.page_query(offset, cursor.as_deref()));
            let body = call(session, &request).await?;
            let keep = |item| list.keep(source.items, item, session.raw);
            let more = match source.paging {
                Paging::Offset { page_size, .. } => {
                    let page: Vec<&RawValue> = serde_json::from_str(&body).map_err(|_| {
                        CliError::new(
                            ErrorKind::Api { status: 200 },
                            "list --all: a page of the answer is not a JSON array",
                        )
                    })?;
                    let received = page.len() as u64;
                    matched.extend(page.into_iter().filter_map(keep));
                    offset += page_size;
                    received >= page_size
                }
                Paging::Cursor { .. } => {
                    let page: v1::wire::Page<&RawValue> = v1::parse(&body)?;
                    matched.extend(page.items.into_iter().filter_map(keep));
                    cursor = page.next_page.filter(|_| page.has_more);
                    cursor.is_some()
                }
            };
            spinner.status(&format!("{} so far", matched.len()));
            if matched.len() as u64 >= wanted {
                break 'sources;
            }
            if !more {
                break;
            }
        }
    }
    let start = (list.window.skip as usize).min(matched.len());
    let end = match list.window.limit {
        Some(limit) => start.saturating_add(limit as usize).min(matched.len()),
        None => matched.len(),
    };
    Ok(format!("[{}]", matched[start..end].join(",")))
}

fn timed_out(wait: &Wait, what: &str, target: &str, last_state: &Option<String>) -> CliError {
    let limit = wait.timeout.map(|t| t.as_secs_f64()).unwrap_or_default();
    CliError::new(
        ErrorKind::WaitTimeout,
        format!(
            "timed out after {limit}s waiting for {what} to be {target} (last state: {})",
            last_state.as_deref().unwrap_or("unknown")
        ),
    )
}

/// What one poll of a wait saw.
enum Polled {
    /// The wait is over: what it prints.
    Done(String),
    /// Not yet; the state seen, if any.
    Pending(Option<String>),
}

/// Run `poll` every interval until it says the wait is over, within the wait's deadline.
async fn poll_until<F, Fut>(wait: &Wait, what: &str, target: &str, mut poll: F) -> Result<String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Polled>>,
{
    let deadline = wait.timeout.map(|t| Instant::now() + t);
    let mut last_state = None;
    loop {
        let outcome = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, poll()).await {
                Ok(outcome) => outcome?,
                Err(_) => return Err(timed_out(wait, what, target, &last_state)),
            },
            None => poll().await?,
        };
        match outcome {
            Polled::Done(output) => return Ok(output),
            Polled::Pending(state) => last_state = state,
        }
        let mut wake = Instant::now() + wait.interval;
        if let Some(deadline) = deadline {
            if Instant::now() >= deadline {
                return Err(timed_out(wait, what, target, &last_state));
            }
            wake = wake.min(deadline);
        }
        tokio::time::sleep_until(wake).await;
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(timed_out(wait, what, target, &last_state));
        }
    }
}

/// Poll the machine until it reaches `target` (`api::wait::assess` decides each poll), and on
/// v1 after an action until the action's `event` is done too; returns the machine JSON of the
/// last poll. An API error ends the wait with that error. The spinner (a no-op off a
/// terminal) shows the state of each poll.
async fn wait_for(
    session: &Session<'_>,
    wait: &Wait,
    id: &str,
    target: &str,
    event: Option<&str>,
) -> Result<String> {
    let fetch = &session.backend.poll_machine(id, event);
    let spinner = &session
        .progress
        .spinner(format!("waiting for {id} to be {target}"));
    let baseline = &std::cell::RefCell::new(Baseline::starting_at(
        OffsetDateTime::now_utc(),
        event.map(str::to_string),
    ));
    poll_until(wait, &format!("machine {id}"), target, move || async move {
        let body = fetch_machine(session, fetch, false).await?;
        let machine: Machine = serde_json::from_str(&body).unwrap_or_default();
        if session.backend == Backend::V1 && event.is_none() {
            baseline.borrow_mut().follow_under_way(&machine);
        }
        let verdict = assess(&machine, target, &baseline.borrow());
        match verdict {
            Verdict::Reached => Ok(Polled::Done(body)),
            Verdict::Failed(message) => Err(CliError::new(
                ErrorKind::MachineFailed,
                format!("machine {id}: {message}"),
            )),
            Verdict::Pending(state) => {
                spinner.status(state.as_deref().unwrap_or("state unknown"));
                baseline.borrow_mut().after_poll(&machine);
                Ok(Polled::Pending(state))
            }
        }
    })
    .await
}

/// Poll an event until it is done; returns its JSON as last read. An error or a cancelled
/// event ends the wait at once (exit 5), with the event's message.
async fn follow_event(session: &Session<'_>, wait: &Wait, event: &str) -> Result<String> {
    let request = &session
        .backend
        .event_request(event)
        .ok_or_else(|| CliError::internal("only v1 answers an action with an event to follow"))?;
    let spinner = &session
        .progress
        .spinner(format!("waiting for event {event} to be done"));
    poll_until(
        wait,
        &format!("event {event}"),
        event_state::DONE,
        move || async move {
            let body = call(session, request).await?;
            let read: v1::wire::Event = v1::parse(&body)?;
            let name = read.name.as_deref().unwrap_or("the action");
            match read.state.as_deref() {
                Some(event_state::DONE) => Ok(Polled::Done(body)),
                Some(event_state::ERROR) => Err(CliError::new(
                    ErrorKind::MachineFailed,
                    format!(
                        "event {event}: {name} failed: {}",
                        read.error
                            .as_deref()
                            .filter(|m| !m.trim().is_empty())
                            .unwrap_or("no error message was given")
                    ),
                )),
                Some(event_state::CANCELLED) => Err(CliError::new(
                    ErrorKind::MachineFailed,
                    format!("event {event}: {name} was cancelled"),
                )),
                other => {
                    let state = other.map(str::to_string);
                    spinner.status(other.unwrap_or("state unknown"));
                    Ok(Polled::Pending(state))
                }
            }
        },
    )
    .await
}
