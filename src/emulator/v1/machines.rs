//! `/machines`: the machines, their power actions and their accessors.

use super::operations as ops;
use super::params::{self, Paging};
use super::{Emu, Input, views};
use crate::api::v1::wire::{ActionAnswer, Machine};
use crate::emulator::CAPACITY_ERROR_MESSAGE;
use crate::emulator::clock::format_ms;
use crate::emulator::http::{Answer, ApiError, MachineId, PathIds, ok};
use crate::emulator::power::NoOp;
use crate::emulator::service::Emulator;
use crate::emulator::store::{Ctx, Store};
use axum::extract::State;
use axum::http::StatusCode;

pub(super) async fn create(State(emu): Emu, input: Input) -> Answer {
    let input = input.checked(&ops::MACHINES_CREATE)?;
    let (new, settings) = params::create_request(&input.body)?;
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.create(new, settings, ctx)?;
            // The create event (an initial snapshot's comes after it).
            let create = views::events(record, ctx.now).into_iter().next();
            Ok(ActionAnswer {
                event: create.map(|(_, event)| event),
                data: Some(views::machine(record, ctx.now)),
            })
        })
        .await?;
    ok(&answer)
}

pub(super) async fn list(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::MACHINES_LIST)?.query;
    let paging = Paging::of(&ops::MACHINES_LIST, &query)?;
    let region = params::region_filter(&query)?.map(|r| r.code);
    let name = query.non_empty("name");
    let agent_type = query.non_empty("agentType");
    let machine_type = query.non_empty("machineType");
    let page = emu.read(|store, now| {
        let is = |field: &Option<String>, wanted: Option<&str>| {
            wanted.is_none_or(|w| field.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(w)))
        };
        let mut items: Vec<Machine> = store
            .machines
            .iter()
            .map(|record| views::machine(record, now))
            .filter(|m| {
                params::name_matches(m.name.as_deref().unwrap_or_default(), name)
                    && is(&m.region, region)
                    && is(&m.agent_type, agent_type)
                    && is(&m.machine_type, machine_type)
            })
            .collect();
        // The store is in creation order; sorts are stable, so ties stay in that order.
        match paging.order_by {
            "name" => items.sort_by(|a, b| a.name.cmp(&b.name)),
            "state" => items.sort_by(|a, b| a.state.cmp(&b.state)),
            _ => {}
        }
        paging.page(items)
    });
    ok(&page)
}

pub(super) async fn show(State(emu): Emu, PathIds([id]): MachineId, input: Input) -> Answer {
    input.checked(&ops::MACHINES_GET)?;
    let found = emu.read(|store, now| store.find(&id).map(|record| views::machine(record, now)));
    ok(&found.ok_or_else(ApiError::not_found)?)
}

pub(super) async fn update(State(emu): Emu, PathIds([id]): MachineId, input: Input) -> Answer {
    let input = input.checked(&ops::MACHINES_UPDATE)?;
    let changes = params::update_request(&input.body)?;
    let answer = emu
        .mutate(|store, ctx| {
            let before = store.find(&id).map_or(0, |r| r.actions.len());
            let record = store.update(&id, changes, ctx)?;
            // The event of a resize or move, when there was one.
            let event = (record.actions.len() > before)
                .then(|| views::newest_event(record, ctx.now))
                .flatten();
            Ok(views::UpdateAnswer {
                event,
                data: views::machine(record, ctx.now),
            })
        })
        .await?;
    ok(&answer)
}

/// Delete: the machine is gone; its static public IP stays the account's, unassigned (the
/// live behaviour: docs/v1.md, "Public IPs").
pub(super) async fn destroy(State(emu): Emu, PathIds([id]): MachineId, input: Input) -> Answer {
    input.checked(&ops::MACHINES_DELETE)?;
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.destroy(&id, ctx)?;
            let mut data = views::machine(&record, ctx.now);
            data.dt_deleted = Some(format_ms(ctx.now));
            Ok(ActionAnswer {
                event: store.deactivations.last().map(views::deactivation),
                data: Some(data),
            })
        })
        .await?;
    ok(&answer)
}

/// start, stop and restart: apply the action to the shared store, then answer with the
/// action's event and the machine. An action that would change nothing is refused, as the
/// live service refuses it (`power`).
async fn power_action(
    emu: &Emulator,
    id: &str,
    name: &str,
    apply: impl FnOnce(&mut Store, &mut Ctx) -> Result<(), ApiError>,
) -> Answer {
    let answer = emu
        .mutate(|store, ctx| {
            let before = store.find(id).map_or(0, |r| r.actions.len());
            apply(store, ctx)?;
            Ok(views::action_answer(id, before, name, store, ctx))
        })
        .await?;
    ok(&answer)
}

pub(super) async fn start(State(emu): Emu, PathIds([id]): MachineId, input: Input) -> Answer {
    input.checked(&ops::MACHINES_START)?;
    // The capacity dice are only asked when a start really begins.
    let capacity_failure = || {
        emu.take_capacity_failure()
            .then(|| CAPACITY_ERROR_MESSAGE.to_string())
    };
    power_action(&emu, &id, "start", |store, ctx| {
        store.start(&id, ctx, NoOp::Refused, capacity_failure)
    })
    .await
}

pub(super) async fn stop(State(emu): Emu, PathIds([id]): MachineId, input: Input) -> Answer {
    input.checked(&ops::MACHINES_STOP)?;
    power_action(&emu, &id, "stop", |store, ctx| {
        store.stop(&id, ctx, NoOp::Refused)
    })
    .await
}

pub(super) async fn restart(State(emu): Emu, PathIds([id]): MachineId, input: Input) -> Answer {
    input.checked(&ops::MACHINES_RESTART)?;
    power_action(&emu, &id, "restart", |store, ctx| {
        store.restart(&id, ctx, NoOp::Refused)
    })
    .await
}

/// The desktop of a machine with a desktop agent; a headless one has none, and answers 404
/// (inferred: the live answer for a Linux server is not in any source).
pub(super) async fn desktop(State(emu): Emu, PathIds([id]): MachineId, input: Input) -> Answer {
    input.checked(&ops::DESKTOP)?;
    let found = emu.read(|store, now| {
        store
            .find(&id)
            .map(|record| (record.agent_type(), views::desktop(record, now)))
    });
    match found.ok_or_else(ApiError::not_found)? {
        (_, Some(desktop)) => ok(&desktop),
        (agent, None) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("This machine has no desktop (its agent is {agent})"),
        )),
    }
}

// ---------------------------------------------------------------------------------------
// Accessors: the access grants `setMachineAccess` records too (user id → enabled).

pub(super) async fn add_accessor(
    State(emu): Emu,
    PathIds([id]): MachineId,
    input: Input,
) -> Answer {
    let body = input.checked(&ops::ACCESSORS_ADD)?.body;
    let user_id = params::required(&body, "userId");
    if user_id.trim().is_empty() {
        return Err(ApiError::invalid(
            "userId",
            "User not found",
            "User not found",
        ));
    }
    emu.mutate(|store, ctx| store.set_access(&id, &user_id, true, ctx))
        .await?;
    ok(&views::accessor(&user_id, None))
}

pub(super) async fn remove_accessor(
    State(emu): Emu,
    PathIds([id, user_id]): PathIds<2>,
    input: Input,
) -> Answer {
    input.checked(&ops::ACCESSORS_REMOVE)?;
    let now = emu
        .mutate(|store, ctx| {
            if store.find_mut(&id)?.access.get(&user_id) != Some(&true) {
                return Err(ApiError::not_found());
            }
            store.set_access(&id, &user_id, false, ctx)?;
            Ok(ctx.now)
        })
        .await?;
    ok(&views::accessor(&user_id, Some(format_ms(now))))
}

pub(super) async fn show_accessor(
    State(emu): Emu,
    PathIds([id, user_id]): PathIds<2>,
    input: Input,
) -> Answer {
    input.checked(&ops::ACCESSORS_GET)?;
    let granted = emu.read(|store, _| {
        store
            .find(&id)
            .is_some_and(|record| record.access.get(&user_id) == Some(&true))
    });
    if !granted {
        return Err(ApiError::not_found());
    }
    ok(&views::accessor(&user_id, None))
}

pub(super) async fn list_accessors(
    State(emu): Emu,
    PathIds([id]): MachineId,
    input: Input,
) -> Answer {
    let query = input.checked(&ops::ACCESSORS_LIST)?.query;
    let paging = Paging::of(&ops::ACCESSORS_LIST, &query)?;
    // Ordered by user id: the access map is.
    let users = emu.read(|store, _| {
        store.find(&id).map(|record| {
            record
                .access
                .iter()
                .filter(|(_, enabled)| **enabled)
                .map(|(user, _)| views::accessor(user, None))
                .collect::<Vec<_>>()
        })
    });
    ok(&paging.page(users.ok_or_else(ApiError::not_found)?))
}
