//! The legacy API (the one `paperspace-node@0.2.4` talks to), at the host root: one small
//! handler per endpoint. Rules live in `store` and `changes`, what is accepted in
//! [`params`], the machines' shapes in [`views`], the other namespaces in `namespaces` and
//! `scripts`; the gate, extractors and error rendering are `http`'s, shared with v1.

mod namespaces;
mod params;
mod scripts;
pub(crate) mod views;

use crate::api::model::Availability;
use crate::emulator::CAPACITY_ERROR_MESSAGE;
use crate::emulator::clock::{format_ms, month_bounds};
use crate::emulator::http::{
    Answer, Api, ApiError, Body, MachineId, PathIds, Streamed, api_router, json, no_content, ok,
};
use crate::emulator::params::{self as read, Params, Query};
use crate::emulator::power::NoOp;
use crate::emulator::service::Emulator;
use crate::emulator::store::{ACCOUNT_USER_ID, IssuedKey, new_secret};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::sync::Arc;

pub(crate) use params::region;

type Emu = State<Arc<Emulator>>;

pub(crate) fn router(emulator: Arc<Emulator>) -> Router<Arc<Emulator>> {
    let routes = Router::new()
        .route("/machines/createSingleMachinePublic", post(create))
        .route("/machines/getMachines", get(list))
        .route("/machines/getMachinePublic", get(show))
        .route("/machines/getUtilization", get(utilization))
        .route("/machines/getAvailability", get(availability))
        .route("/machines/{machineId}/start", post(start))
        .route("/machines/{machineId}/stop", post(stop))
        .route("/machines/{machineId}/restart", post(restart))
        .route("/machines/{machineId}/destroyMachine", post(destroy))
        .route("/machines/{machineId}/updateMachinePublic", post(update))
        .route("/machines/{machineId}/setMachineAccess", post(set_access))
        .route("/templates/getTemplates", get(namespaces::templates))
        .route("/networks/getNetworks", get(namespaces::networks))
        .route("/users/getUsers", get(namespaces::users))
        .route("/scripts/createScript", post(scripts::create))
        .route("/scripts/getScripts", get(scripts::list))
        .route("/scripts/getScript", get(scripts::show))
        .route("/scripts/getScriptText", get(scripts::text))
        .route("/scripts/{scriptId}/destroy", post(scripts::destroy))
        .route("/users/login", post(login))
        .route("/apiTokens/createPublic", post(create_api_token));
    api_router(routes, Api::Legacy, emulator)
}

async fn create(State(emu): Emu, Body(p): Body) -> Answer {
    let (new, settings) = params::create_request(&p)?;
    let machine = emu
        .mutate(|store, ctx| {
            let record = store.create(new, settings, ctx)?;
            Ok(views::machine(record, ctx.now, false))
        })
        .await?;
    ok(&machine)
}

async fn start(State(emu): Emu, PathIds([id]): MachineId, _: Body) -> Answer {
    // The capacity dice are only asked when a start really begins (not for a no-op).
    let capacity_failure = || {
        emu.take_capacity_failure()
            .then(|| CAPACITY_ERROR_MESSAGE.to_string())
    };
    emu.mutate(|store, ctx| store.start(&id, ctx, NoOp::Succeeds, capacity_failure))
        .await?;
    no_content()
}

async fn stop(State(emu): Emu, PathIds([id]): MachineId, _: Body) -> Answer {
    emu.mutate(|store, ctx| store.stop(&id, ctx, NoOp::Succeeds))
        .await?;
    no_content()
}

async fn restart(State(emu): Emu, PathIds([id]): MachineId, _: Body) -> Answer {
    emu.mutate(|store, ctx| store.restart(&id, ctx, NoOp::Succeeds))
        .await?;
    no_content()
}

/// Destroy: the machine's static public IP stays the account's unless `releasePublicIp` is
/// `true` (see `ips`).
async fn destroy(State(emu): Emu, PathIds([id]): MachineId, Body(p): Body) -> Answer {
    let release = read::opt_bool(&p, "releasePublicIp")?.unwrap_or(false);
    emu.mutate(|store, ctx| {
        let record = store.destroy(&id, ctx)?;
        if let (true, Some(address)) = (release, record.static_address()) {
            store.release_ip(address, ctx.now)?;
        }
        Ok(())
    })
    .await?;
    no_content()
}

async fn update(State(emu): Emu, PathIds([id]): MachineId, Body(p): Body) -> Answer {
    let changes = params::update_request(&p)?;
    let machine = emu
        .mutate(|store, ctx| {
            let record = store.update(&id, changes, ctx)?;
            Ok(views::machine(record, ctx.now, false))
        })
        .await?;
    ok(&machine)
}

async fn set_access(State(emu): Emu, PathIds([id]): MachineId, Body(p): Body) -> Answer {
    let user_id = read::req_string(&p, "userId")?;
    let enable =
        read::opt_bool(&p, "enableAccess")?.ok_or_else(|| read::missing("enableAccess"))?;
    emu.mutate(|store, ctx| store.set_access(&id, &user_id, enable, ctx))
        .await?;
    ok(&json!({"machineId": id, "userId": user_id, "enableAccess": enable}))
}

async fn list(State(emu): Emu, query: Query) -> Answer {
    let (skip, limit) = params::paging(&query)?;
    let filters: Vec<(String, String)> = query
        .0
        .into_iter()
        .filter(|(key, _)| key != "limit" && key != "skip")
        .collect();
    // Written under the store's lock, so the 10 000 rendered machines of a big list never
    // exist at once (as a Vec they cost more than the answer's bytes).
    let machines = emu.read(|store, now| {
        let machines = views::list(store, &filters, skip, limit, now);
        json(StatusCode::OK, &Streamed::new(machines))
    });
    Ok(machines)
}

async fn show(State(emu): Emu, query: Query) -> Answer {
    // Other parameters (waitfor's `state`, stray flags) are ignored, as the API does.
    let id = query.required("machineId")?;
    let machine = emu.read(|store, now| {
        store
            .find(id)
            .map(|record| views::machine(record, now, true))
    });
    ok(&machine.ok_or_else(ApiError::not_found)?)
}

async fn utilization(State(emu): Emu, query: Query) -> Answer {
    let id = query.required("machineId")?;
    let month = query.required("billingMonth")?;
    let bounds = month_bounds(month).ok_or_else(|| {
        ApiError::bad_request(format!("Invalid billingMonth '{month}': expected YYYY-MM"))
    })?;
    let report = emu.read(|store, now| {
        let record = store.find(id).ok_or_else(ApiError::not_found)?;
        Ok::<_, ApiError>(views::utilization(record, month, bounds, now))
    })?;
    ok(&report)
}

async fn availability(State(emu): Emu, query: Query) -> Answer {
    let region = region("region", query.required("region")?)?;
    let machine_type = read::machine_type("machineType", query.required("machineType")?)?;
    ok(&Availability {
        available: Some(emu.availability(region, machine_type)),
    })
}

/// Text of a login field: legacy clients may send a numeric password as a JSON number.
fn login_field(p: &Params, key: &str) -> Option<String> {
    match p.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

async fn login(State(emu): Emu, Body(p): Body) -> Answer {
    let failed = || ApiError::new(StatusCode::UNAUTHORIZED, "login failed");
    let email = login_field(&p, "email").ok_or_else(failed)?;
    let password = login_field(&p, "password").ok_or_else(failed)?;
    let users = &emu.config.users;
    if !users.is_empty() && !users.iter().any(|(e, pw)| *e == email && *pw == password) {
        return Err(failed());
    }
    let (token, now) = emu
        .mutate(|store, ctx| {
            let token = new_secret(ctx.rng);
            store.access_tokens.push(token.clone());
            Ok((token, ctx.now))
        })
        .await?;
    ok(&json!({
        "id": token,
        "ttl": 1_209_600,
        "created": format_ms(now),
        "userId": ACCOUNT_USER_ID,
    }))
}

/// Issue an API key, authenticated by an access token from `/users/login` (`?access_token=`)
/// or by a valid API key. The body is read after that check, so a stranger's malformed
/// body is a 401, not a 400.
async fn create_api_token(
    State(emu): Emu,
    query: Query,
    headers: HeaderMap,
    body: Result<Body, ApiError>,
) -> Answer {
    let by_token = query
        .get("access_token")
        .is_some_and(|t| emu.read(|store, _| store.access_tokens.iter().any(|known| known == t)));
    let by_key = Api::Legacy
        .presented_key(&headers)
        .is_some_and(|k| emu.is_valid_key(k));
    if !by_token && !by_key {
        return Err(ApiError::unauthorized());
    }
    let Body(p) = body?;
    let requested_name = read::opt_string(&p, "apiToken")?;
    let issued = emu
        .mutate(|store, ctx| {
            let issued = IssuedKey {
                key: new_secret(ctx.rng),
                name: requested_name
                    .unwrap_or_else(|| format!("paperspace-cli-{}", store.api_keys.len() + 1)),
                dt_created: format_ms(ctx.now),
            };
            store.api_keys.push(issued.clone());
            Ok(issued)
        })
        .await?;
    ok(&json!({"key": issued.key, "name": issued.name}))
}
