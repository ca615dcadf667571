//! `/private-networks`: the account's private networks (see `emulator::networks`; the
//! regions' default networks are not private and are not listed here).
//!
//! `GET /private-networks/{id}` of a network that does not exist answers `null` (200): the
//! document declares that answer nullable and pspace guards against it ("No private network
//! found."), so the live service is taken to answer so (inferred). Updating or deleting one is
//! a 404.

use super::operations as ops;
use super::params::{self, Paging, name_matches};
use super::{Emu, Input, schema};
use crate::emulator::clock::format_ms;
use crate::emulator::http::{Answer, PathIds, ok};
use crate::emulator::networks::Network;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NetworkView {
    id: String,
    name: String,
    region: &'static str,
    network: String,
    netmask: &'static str,
    dt_created: String,
}

fn network(n: &Network) -> NetworkView {
    NetworkView {
        id: n.id.clone(),
        name: n.name.clone(),
        region: n.region.code,
        network: n.network.clone(),
        netmask: n.netmask,
        dt_created: format_ms(n.created_ms.unwrap_or_default()),
    }
}

pub(super) async fn list(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::NETWORKS_LIST)?.query;
    let paging = Paging::of(&ops::NETWORKS_LIST, &query)?;
    let region = params::region_filter(&query)?;
    let name = query.non_empty("name");
    let items: Vec<Network> = emu.read(|store, _| {
        store
            .networks()
            .into_iter()
            .filter(|n| n.is_private())
            .filter(|n| region.is_none_or(|r| n.region == r) && name_matches(&n.name, name))
            .collect()
    });
    let page = paging.page_named(items.iter().map(network).collect(), |n| &n.name);
    ok(&page)
}

pub(super) async fn show(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    input.checked(&ops::NETWORKS_GET)?;
    let found = emu.read(|store, _| store.network(&id).filter(Network::is_private));
    match found {
        Some(n) => ok(&network(&n)),
        None => ok(&Value::Null),
    }
}

/// `{name, region, migrateMachines?}`: a new `/24`; with `migrateMachines`, the region's
/// machines on its default network move into it.
pub(super) async fn create(State(emu): Emu, input: Input) -> Answer {
    let body = input.checked(&ops::NETWORKS_CREATE)?.body;
    let region = schema::region("region", body["region"].as_str().unwrap_or_default())?;
    let name = params::required(&body, "name");
    let migrate = params::boolean(&body, "migrateMachines").unwrap_or(false);
    let created = emu
        .mutate(|store, ctx| store.create_network(name, region, migrate, ctx))
        .await?;
    ok(&network(&created))
}

pub(super) async fn update(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    let body = input.checked(&ops::NETWORKS_UPDATE)?.body;
    let name = params::string(&body, "name");
    let updated = emu
        .mutate(|store, _| {
            let record = store.private_network_mut(&id)?;
            if let Some(name) = name {
                record.name = name;
            }
            let id = record.id.clone();
            store
                .network(&id)
                .ok_or_else(crate::emulator::http::ApiError::not_found)
        })
        .await?;
    ok(&network(&updated))
}

/// Delete a network nothing is on; answers `{id}`.
pub(super) async fn destroy(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    input.checked(&ops::NETWORKS_DELETE)?;
    let deleted = emu.mutate(|store, _| store.delete_network(&id)).await?;
    ok(&json!({ "id": deleted.id }))
}
