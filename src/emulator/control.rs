//! The control API under `/__emulator` (see the module doc of `emulator`): no API key, no
//! injected faults, errors in the legacy shape.

use super::clock::format_ms;
use super::faults::{FaultSettings, Faults};
use super::http::{Answer, Api, ApiError, Body, json, no_content, ok, render_errors};
use super::legacy::{region, views};
use super::params::{machine_type, missing, opt_bool, req_string};
use super::service::{Emulator, lock};
use super::store::Store;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json as json_value};
use std::sync::Arc;

type Emu = State<Arc<Emulator>>;

pub(crate) fn router() -> Router<Arc<Emulator>> {
    Router::new()
        .route("/__emulator/state", get(state))
        .route("/__emulator/reset", post(reset))
        .route(
            "/__emulator/faults",
            get(faults).post(set_faults).delete(clear_faults),
        )
        .route("/__emulator/availability", post(set_availability))
        .layer(middleware::map_response_with_state(
            Api::Legacy,
            render_errors,
        ))
}

/// The whole state: machines rendered now (legacy shape, with events), the raw `store` the
/// state file holds, and the faults.
async fn state(State(emu): Emu) -> Response {
    let faults = lock(&emu.faults).settings();
    let body = emu.read(|store, now| {
        let machines: Vec<_> = store
            .machines
            .iter()
            .map(|record| views::machine(record, now, true))
            .collect();
        json_value!({
            "now": format_ms(now),
            "transitionMs": emu.config.transition_ms,
            "machines": machines,
            "faults": faults,
            "store": store,
        })
    });
    json(StatusCode::OK, &body)
}

async fn reset(State(emu): Emu) -> Answer {
    emu.mutate(|store, _| {
        *store = Store::default();
        Ok(())
    })
    .await?;
    *lock(&emu.faults) = Faults::configured(emu.config.rng_seed, &emu.config.faults);
    no_content()
}

async fn faults(State(emu): Emu) -> Answer {
    ok(&lock(&emu.faults).settings())
}

async fn set_faults(State(emu): Emu, Body(p): Body) -> Answer {
    let settings: FaultSettings = serde_json::from_value(Value::Object(p))
        .map_err(|e| ApiError::bad_request(format!("Invalid fault settings: {e}")))?;
    let mut faults = lock(&emu.faults);
    faults.apply(&settings).map_err(ApiError::bad_request)?;
    ok(&faults.settings())
}

async fn clear_faults(State(emu): Emu) -> Answer {
    let mut faults = lock(&emu.faults);
    *faults = Faults::new(emu.config.rng_seed);
    ok(&faults.settings())
}

async fn set_availability(State(emu): Emu, Body(p): Body) -> Answer {
    let region = region("region", &req_string(&p, "region")?)?;
    let machine_type = machine_type("machineType", &req_string(&p, "machineType")?)?;
    let available = opt_bool(&p, "available")?.ok_or_else(|| missing("available"))?;
    emu.mutate(|store, _| {
        store.set_availability(region, machine_type, available);
        Ok(())
    })
    .await?;
    ok(&json_value!({
        "region": region.name,
        "machineType": machine_type.name,
        "available": available,
    }))
}
