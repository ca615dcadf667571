//! The legacy API's other namespaces: `templates/getTemplates`, `networks/getNetworks` and
//! `users/getUsers`, each a list with equality filters, in the shapes of the reference's
//! examples (`paperspace-node@0.2.4`'s jsdoc); scripts are in `legacy::scripts`.
//!
//! Filters as the reference documents them: a documented filter keeps the items whose field,
//! as JSON text, equals the value (an item without the field matches `null` only); anything
//! else in the query is ignored, as the API ignores it.

use super::views::filter_text;
use crate::emulator::clock::format_ms;
use crate::emulator::http::{Answer, ok};
use crate::emulator::networks::Network;
use crate::emulator::params::Query;
use crate::emulator::service::Emulator;
use crate::emulator::store::{ACCOUNT_TEAM_ID, Store};
use crate::emulator::templates::{OS_TEMPLATES, OsTemplate, TemplateRecord};
use crate::emulator::users::{ACCOUNT_CREATED, User, email_of};
use axum::extract::State;
use serde_json::{Value, json};
use std::sync::Arc;

type Emu = State<Arc<Emulator>>;

/// The items whose documented fields equal the query's values.
pub(super) fn filtered(items: Vec<Value>, query: &Query, documented: &[&str]) -> Vec<Value> {
    let filters: Vec<(&str, &str)> = query
        .0
        .iter()
        .filter(|(key, _)| documented.contains(&key.as_str()))
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    items
        .into_iter()
        .filter(|item| {
            filters
                .iter()
                .all(|(key, wanted)| filter_text(item.get(*key).unwrap_or(&Value::Null)) == *wanted)
        })
        .collect()
}

/// A catalogue template: `paperspace/<id>`, with no team, user or region (the reference's
/// "public template").
fn public_template(t: &OsTemplate) -> Value {
    json!({
        "id": t.id,
        "name": format!("paperspace/{}", t.id),
        "label": t.name,
        "os": t.os,
        "dtCreated": t.dt_created,
    })
}

/// A custom template: named by its id, labelled with its name, the team's (the reference's
/// "team-owned template").
fn team_template(t: &TemplateRecord) -> Value {
    json!({
        "id": t.id,
        "name": t.id,
        "label": t.name,
        "os": t.os,
        "teamId": t.team_id,
        "userId": null,
        "region": t.region.name,
        "dtCreated": format_ms(t.created_ms),
    })
}

pub(super) async fn templates(State(emu): Emu, query: Query) -> Answer {
    let items = emu.read(|store, _| {
        OS_TEMPLATES
            .iter()
            .map(public_template)
            .chain(store.templates.iter().map(team_template))
            .collect()
    });
    const FILTERS: &[&str] = &[
        "id",
        "name",
        "label",
        "os",
        "dtCreated",
        "teamId",
        "userId",
        "region",
    ];
    ok(&filtered(items, &query, FILTERS))
}

fn network(n: &Network) -> Value {
    json!({
        "id": n.id,
        "name": n.name,
        "region": n.region.name,
        "dtCreated": n.created_ms.map_or_else(|| ACCOUNT_CREATED.to_string(), format_ms),
        "network": n.network,
        "netmask": n.netmask,
        "teamId": ACCOUNT_TEAM_ID,
    })
}

pub(super) async fn networks(State(emu): Emu, query: Query) -> Answer {
    let items = emu.read(|store, _| store.networks().iter().map(network).collect());
    const FILTERS: &[&str] = &[
        "id",
        "name",
        "region",
        "dtCreated",
        "network",
        "netmask",
        "teamId",
    ];
    ok(&filtered(items, &query, FILTERS))
}

fn user(u: &User) -> Value {
    json!({
        "id": u.id,
        "email": email_of(&u.id),
        "firstname": u.first_name,
        "lastname": u.last_name,
        "dtCreated": u.since_ms.map_or_else(|| ACCOUNT_CREATED.to_string(), format_ms),
        "teamId": ACCOUNT_TEAM_ID,
    })
}

pub(super) async fn users(State(emu): Emu, query: Query) -> Answer {
    let items = emu.read(|store: &Store, _| store.team_users().iter().map(user).collect());
    const FILTERS: &[&str] = &[
        "id",
        "email",
        "firstname",
        "lastname",
        "dtCreated",
        "teamId",
    ];
    ok(&filtered(items, &query, FILTERS))
}
