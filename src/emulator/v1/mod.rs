//! The live Paperspace API (v1) under `/v1`, on the same store, lifecycle, faults and state
//! file as the legacy routes: a machine made through one API is visible through the other.
//! One small handler per endpoint; what is accepted is in [`params`], the answers' shapes
//! in [`views`]; the gate, extractors and error rendering are `http`'s, shared with the
//! legacy API.

mod params;
mod views;

use crate::api::v1::wire::{ActionAnswer, Event, Machine};
use crate::emulator::CAPACITY_ERROR_MESSAGE;
use crate::emulator::clock::format_ms;
use crate::emulator::http::{Answer, Api, ApiError, Body, MachineId, PathIds, api_router, ok};
use crate::emulator::params::{Query, machine_type};
use crate::emulator::service::Emulator;
use crate::emulator::store::{Ctx, Store};
use axum::Router;
use axum::extract::State;
use axum::routing::{get, patch};
use params::Paging;
use serde_json::json;
use std::sync::Arc;

type Emu = State<Arc<Emulator>>;

pub(crate) fn router(emulator: Arc<Emulator>) -> Router<Arc<Emulator>> {
    let routes = Router::new()
        .route("/machines", get(list).post(create))
        .route(
            "/machines/{machineId}",
            get(show).put(update).delete(destroy),
        )
        .route("/machines/{machineId}/start", patch(start))
        .route("/machines/{machineId}/stop", patch(stop))
        .route("/machines/{machineId}/restart", patch(restart))
        .route(
            "/machines/{machineId}/accessors",
            get(list_accessors).post(add_accessor),
        )
        .route(
            "/machines/{machineId}/accessors/{userId}",
            get(show_accessor).delete(remove_accessor),
        )
        .route("/machine-events", get(list_events))
        .route("/machine-events/{eventId}", get(show_event))
        .route("/machine-availability", get(availability));
    Router::new().nest("/v1", api_router(routes, Api::V1, emulator))
}

// ---------------------------------------------------------------------------------------
// Machines.

async fn create(State(emu): Emu, Body(p): Body) -> Answer {
    let (new, settings) = params::create_request(&p)?;
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.create(new, settings, ctx)?;
            Ok(ActionAnswer {
                event: views::newest_event(record, ctx.now),
                data: Some(views::machine(record, ctx.now)),
            })
        })
        .await?;
    ok(&answer)
}

async fn list(State(emu): Emu, query: Query) -> Answer {
    let paging = Paging::parse(&query, &["dtCreated", "name", "state"])?;
    let region = match query.non_empty("region") {
        Some(code) => Some(params::region("region", code)?.code),
        None => None,
    };
    let name = query.non_empty("name");
    let agent_type = query.non_empty("agentType");
    let machine_type = query.non_empty("machineType");
    let page = emu.read(|store, now| {
        let mut items: Vec<Machine> = store
            .machines
            .iter()
            .map(|record| views::machine(record, now))
            .filter(|m| {
                let is = |field: &Option<String>, wanted: Option<&str>| {
                    wanted.is_none_or(|w| field.as_deref() == Some(w))
                };
                is(&m.name, name)
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

async fn show(State(emu): Emu, PathIds([id]): MachineId) -> Answer {
    let found = emu.read(|store, now| store.find(&id).map(|record| views::machine(record, now)));
    ok(&found.ok_or_else(ApiError::not_found)?)
}

async fn update(State(emu): Emu, PathIds([id]): MachineId, Body(p): Body) -> Answer {
    let changes = params::update_request(&p)?;
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.update(&id, changes, ctx)?;
            Ok(ActionAnswer {
                event: None,
                data: Some(views::machine(record, ctx.now)),
            })
        })
        .await?;
    ok(&answer)
}

async fn destroy(State(emu): Emu, PathIds([id]): MachineId) -> Answer {
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.destroy(&id)?;
            let mut data = views::machine(&record, ctx.now);
            data.dt_deleted = Some(format_ms(ctx.now));
            Ok(ActionAnswer {
                event: Some(views::instant_event("deactivate", &id, ctx)),
                data: Some(data),
            })
        })
        .await?;
    ok(&answer)
}

/// start, stop and restart: apply the action to the shared store, then answer with the
/// action's event and the machine.
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

async fn start(State(emu): Emu, PathIds([id]): MachineId) -> Answer {
    // The capacity dice are only asked when a start really begins (not for a no-op).
    let capacity_failure = || {
        emu.take_capacity_failure()
            .then(|| CAPACITY_ERROR_MESSAGE.to_string())
    };
    power_action(&emu, &id, "start", |store, ctx| {
        store.start(&id, ctx, capacity_failure)
    })
    .await
}

async fn stop(State(emu): Emu, PathIds([id]): MachineId) -> Answer {
    power_action(&emu, &id, "stop", |store, ctx| store.stop(&id, ctx)).await
}

async fn restart(State(emu): Emu, PathIds([id]): MachineId) -> Answer {
    power_action(&emu, &id, "restart", |store, ctx| store.restart(&id, ctx)).await
}

// ---------------------------------------------------------------------------------------
// Accessors: the access grants `setMachineAccess` records too (user id → enabled).

async fn add_accessor(State(emu): Emu, PathIds([id]): MachineId, Body(p): Body) -> Answer {
    let user_id = params::accessor_user(&p)?;
    emu.mutate(|store, ctx| store.set_access(&id, &user_id, true, ctx))
        .await?;
    ok(&views::accessor(&user_id, None))
}

async fn remove_accessor(State(emu): Emu, PathIds([id, user_id]): PathIds<2>) -> Answer {
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

async fn show_accessor(State(emu): Emu, PathIds([id, user_id]): PathIds<2>) -> Answer {
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

async fn list_accessors(State(emu): Emu, PathIds([id]): MachineId, query: Query) -> Answer {
    let paging = Paging::parse(&query, &["id"])?;
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

// ---------------------------------------------------------------------------------------
// Events and availability.

async fn list_events(State(emu): Emu, query: Query) -> Answer {
    let paging = Paging::parse(&query, &["dtCreated"])?;
    let machine_id = query.non_empty("machineId");
    let events = emu.read(|store, now| {
        let records = match machine_id {
            Some(id) => vec![store.find(id)?],
            None => store.machines.iter().collect(),
        };
        let mut events: Vec<(i64, Event)> = records
            .into_iter()
            .flat_map(|record| views::events(record, now))
            .collect();
        events.sort_by_key(|(started, _)| *started);
        Some(events.into_iter().map(|(_, e)| e).collect::<Vec<_>>())
    });
    ok(&paging.page(events.ok_or_else(ApiError::not_found)?))
}

async fn show_event(State(emu): Emu, PathIds([handle]): PathIds<1>) -> Answer {
    let found = emu.read(|store, now| {
        store
            .machines
            .iter()
            .flat_map(|record| views::events(record, now))
            .map(|(_, e)| e)
            .find(|e| e.id.as_deref() == Some(handle.as_str()))
    });
    ok(&found.ok_or_else(ApiError::not_found)?)
}

async fn availability(State(emu): Emu, query: Query) -> Answer {
    let region = params::region("region", query.required("region")?)?;
    let machine_type = machine_type("machineType", query.required("machineType")?)?;
    ok(&json!({ "available": emu.availability(region, machine_type) }))
}
