//! `/public-ips`: the account's static addresses (see `emulator::ips`): list, claim, assign
//! or unassign, release. There is no `GET /public-ips/{ip}`, as there is none live.

use super::operations as ops;
use super::params::{self, Paging};
use super::{Emu, Input, schema, views};
use crate::emulator::http::{Answer, PathIds, ok};
use axum::extract::State;
use serde_json::json;

pub(super) async fn list(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::PUBLIC_IPS_LIST)?.query;
    let paging = Paging::of(&ops::PUBLIC_IPS_LIST, &query)?;
    let region = params::region_filter(&query)?;
    // In claim order, which is `dtCreated`'s.
    let page = emu.read(|store, _| {
        let items = store
            .public_ips
            .iter()
            .filter(|ip| region.is_none_or(|r| ip.region == r))
            .map(|ip| views::public_ip(ip, store))
            .collect();
        paging.page(items)
    });
    ok(&page)
}

pub(super) async fn claim(State(emu): Emu, input: Input) -> Answer {
    let body = input.checked(&ops::PUBLIC_IPS_CLAIM)?.body;
    let region = schema::region("region", body["region"].as_str().unwrap_or_default())?;
    let claimed = emu
        .mutate(|store, ctx| {
            let ip = store.claim_ip(region, ctx)?.clone();
            Ok(views::public_ip(&ip, store))
        })
        .await?;
    ok(&claimed)
}

/// `{"machineId": "ps..."}` gives the address to that machine (its `publicIpType` becomes
/// `static`); `{"machineId": null}` takes it from whichever machine holds it.
pub(super) async fn assign(State(emu): Emu, PathIds([ip]): PathIds<1>, input: Input) -> Answer {
    let body = input.checked(&ops::PUBLIC_IPS_ASSIGN)?.body;
    let machine_id = body["machineId"].as_str().map(str::to_string);
    let assigned = emu
        .mutate(|store, ctx| {
            let record = store.assign_ip(&ip, machine_id.as_deref(), ctx)?.clone();
            Ok(views::public_ip(&record, store))
        })
        .await?;
    ok(&assigned)
}

pub(super) async fn release(State(emu): Emu, PathIds([ip]): PathIds<1>, input: Input) -> Answer {
    input.checked(&ops::PUBLIC_IPS_RELEASE)?;
    let released = emu
        .mutate(|store, ctx| store.release_ip(&ip, ctx.now))
        .await?;
    ok(&json!({ "ip": released.ip }))
}
