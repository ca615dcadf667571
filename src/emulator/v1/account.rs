//! The account: its session, its machines' events, and what it may buy where.

use super::operations as ops;
use super::params::{self, Paging};
use super::{Emu, Input, schema, views};
use crate::emulator::clock::format_ms;
use crate::emulator::http::{Answer, Api, ApiError, PathIds, ok};
use crate::emulator::store::{ACCOUNT_TEAM_ID, ACCOUNT_USER_ID};
use crate::emulator::users::{ACCOUNT_CREATED, TEAM_NAME, TEAM_NAMESPACE, email_of};
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

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
    let events = emu.read(|store, now| views::all_events(store, machine_id, now));
    ok(&paging.page(events.ok_or_else(ApiError::not_found)?))
}

/// One event, of any machine, deleted ones included.
pub(super) async fn show_event(
    State(emu): Emu,
    PathIds([handle]): PathIds<1>,
    input: Input,
) -> Answer {
    input.checked(&ops::EVENTS_GET)?;
    let found = emu.read(|store, now| {
        views::all_events(store, None, now)
            .unwrap_or_default()
            .into_iter()
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

/// `GET /teams/{teamId}/users`: the account team's users (see `users`); another team is not
/// found. The owner is an admin too; `role=member` lists the others.
pub(super) async fn team_users(
    State(emu): Emu,
    PathIds([team]): PathIds<1>,
    input: Input,
) -> Answer {
    let query = input.checked(&ops::TEAM_USERS)?.query;
    if team != ACCOUNT_TEAM_ID {
        return Err(ApiError::not_found());
    }
    let paging = Paging::of(&ops::TEAM_USERS, &query)?;
    let role = query.non_empty("role");
    // In the order they joined, which is `dtConfirmed`'s.
    let users = emu.read(|store, _| store.team_users());
    let items = users
        .iter()
        .filter(|u| match role {
            Some("owner") | Some("admin") => u.is_owner,
            Some(_) => !u.is_owner,
            None => true,
        })
        .map(|u| {
            let since = u
                .since_ms
                .map_or_else(|| ACCOUNT_CREATED.to_string(), format_ms);
            json!({
                "isAdmin": u.is_owner,
                "isOwner": u.is_owner,
                "dtConfirmed": since,
                "user": {
                    "id": u.id,
                    "email": email_of(&u.id),
                    "firstName": u.first_name,
                    "lastName": u.last_name,
                    "publicProfileImageUrl": null,
                    "lastActive": null,
                },
            })
        })
        .collect();
    ok(&paging.page(items))
}
