//! The account: its session, its machines' events, and what it may buy where.

use super::operations as ops;
use super::params::{self, Paging};
use super::{Emu, Input, schema, views};
use crate::api::v1::wire::Event;
use crate::emulator::http::{Answer, Api, ApiError, PathIds, ok};
use crate::emulator::store::{ACCOUNT_TEAM_ID, ACCOUNT_USER_ID};
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

/// The account team's name and namespace (a session's `team` has the namespace only; the name
/// is in the user's memberships: docs/v1.md, "Keys and sessions").
pub(crate) const TEAM_NAME: &str = "Emulator team";
pub(crate) const TEAM_NAMESPACE: &str = "emulator";
/// When the account and its team came to be.
pub(crate) const ACCOUNT_CREATED: &str = "2024-01-01T00:00:00.000Z";

/// The account user's email, and every user's: `<id>@users.emulator.invalid`.
pub(crate) fn email_of(user_id: &str) -> String {
    format!("{user_id}@users.emulator.invalid")
}

/// `GET /auth/session`: the session of an accepted key; JSON `null` for any other caller,
/// with 200 (the live behaviour: docs/v1.md, "Keys and sessions").
pub(super) async fn session(State(emu): Emu, headers: HeaderMap, input: Input) -> Answer {
    input.checked(&ops::AUTH_SESSION)?;
    let known = Api::V1
        .presented_key(&headers)
        .is_some_and(|key| emu.is_valid_key(key));
    if !known {
        return ok(&Value::Null);
    }
    ok(&json!({
        "user": {
            "firstName": "Emulator",
            "lastName": "User",
            "email": email_of(ACCOUNT_USER_ID),
            "dtCreated": ACCOUNT_CREATED,
            "dtConfirmed": ACCOUNT_CREATED,
            "teamMemberships": [{
                "team": {
                    "name": TEAM_NAME,
                    "id": ACCOUNT_TEAM_ID,
                    "namespace": TEAM_NAMESPACE,
                    "publicProfileImageUrl": null,
                    "isUserTeam": false,
                    "dtCreated": ACCOUNT_CREATED,
                },
                "isOwner": true,
                "isAdmin": true,
            }],
            "isPhoneVerified": false,
            "isPasswordAuthEnabled": true,
            "isQrCodeBasedMfaEnabled": false,
            "isQrCodeBasedMfaConfirmed": false,
            "preferences": null,
            "id": ACCOUNT_USER_ID,
            "analyticsId": 1001,
            "metadata": {},
        },
        "team": {
            "namespace": TEAM_NAMESPACE,
            "isPrivate": true,
            "maxMachines": 100,
            "id": ACCOUNT_TEAM_ID,
            "analyticsId": 2001,
        },
    }))
}

pub(super) async fn list_events(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::EVENTS_LIST)?.query;
    let paging = Paging::of(&ops::EVENTS_LIST, &query)?;
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

pub(super) async fn show_event(
    State(emu): Emu,
    PathIds([handle]): PathIds<1>,
    input: Input,
) -> Answer {
    input.checked(&ops::EVENTS_GET)?;
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

pub(super) async fn availability(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::AVAILABILITY)?.query;
    let region = schema::region("region", query.get("region").unwrap_or_default())?;
    let machine_type =
        params::machine_type("machineType", query.get("machineType").unwrap_or_default())?;
    ok(&json!({ "available": emu.availability(region, machine_type) }))
}
