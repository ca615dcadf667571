//! The live Paperspace API (v1) under `/v1`, on the same store, lifecycle, faults and state
//! file as the legacy routes: a machine made through one API is visible through the other.
//!
//! Every route checks its request against its row of [`operations`] (the document's own
//! declaration, held to it by a test) before its handler runs, so what the document refuses
//! is refused here with the live error shape (see [`schema`]); the handlers then apply the
//! service's own rules (a machine type it sells, a region it has, a state an action can
//! start from). The answers' shapes are in [`views`]; the gate and error rendering are
//! `http`'s, shared with the legacy API.
//!
//! What the live service does beyond the document follows docs/v1.md: a power action with
//! `Content-Type: application/json` and an empty body is refused; a power action that would
//! change nothing is refused (`power`); list `name` filters match parts of names; an unknown
//! key gets a `null` session; public IPs are the account's (`ips`).
//!
//! Handlers by resource: `machines` (with power actions, accessors and the desktop),
//! `account` (session, events, availability, team users), `ips`, `templates`, `scripts`,
//! `networks`, and `storage` (snapshots and shared drives).

mod account;
#[cfg(test)]
mod agreement;
mod ips;
mod machines;
mod networks;
mod operations;
mod params;
mod schema;
mod scripts;
mod storage;
mod templates;
mod views;

use crate::emulator::http::{Api, ApiError, RawBody, api_router};
use crate::emulator::params::{self as read, Params, Query};
use crate::emulator::service::Emulator;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::header;
use axum::routing::{get, patch, post, put};
use schema::Operation;
use std::sync::Arc;

type Emu = State<Arc<Emulator>>;

/// The routes, at the document's own paths (`ops::*.path`; axum spells a path parameter as the
/// document does, `{id}`).
pub(crate) fn router(emulator: Arc<Emulator>) -> Router<Arc<Emulator>> {
    use operations as ops;
    let routes = Router::new()
        .route(ops::AUTH_SESSION.path, get(account::session))
        .route(
            ops::MACHINES_LIST.path,
            get(machines::list).post(machines::create),
        )
        .route(
            ops::MACHINES_GET.path,
            get(machines::show)
                .put(machines::update)
                .delete(machines::destroy),
        )
        .route(ops::DESKTOP.path, get(machines::desktop))
        .route(ops::MACHINES_START.path, patch(machines::start))
        .route(ops::MACHINES_STOP.path, patch(machines::stop))
        .route(ops::MACHINES_RESTART.path, patch(machines::restart))
        .route(
            ops::ACCESSORS_LIST.path,
            get(machines::list_accessors).post(machines::add_accessor),
        )
        .route(
            ops::ACCESSORS_GET.path,
            get(machines::show_accessor).delete(machines::remove_accessor),
        )
        .route(ops::EVENTS_LIST.path, get(account::list_events))
        .route(ops::EVENTS_GET.path, get(account::show_event))
        .route(ops::AVAILABILITY.path, get(account::availability))
        .route(ops::PUBLIC_IPS_LIST.path, get(ips::list).post(ips::claim))
        .route(
            ops::PUBLIC_IPS_ASSIGN.path,
            put(ips::assign).delete(ips::release),
        )
        .route(ops::TEAM_USERS.path, get(account::team_users))
        .route(ops::OS_TEMPLATES_LIST.path, get(templates::list_os))
        .route(
            ops::TEMPLATES_LIST.path,
            get(templates::list).post(templates::create),
        )
        .route(
            ops::TEMPLATES_GET.path,
            get(templates::show)
                .put(templates::update)
                .delete(templates::destroy),
        )
        .route(
            ops::SCRIPTS_LIST.path,
            get(scripts::list).post(scripts::create),
        )
        .route(
            ops::SCRIPTS_GET.path,
            get(scripts::show)
                .put(scripts::update)
                .delete(scripts::destroy),
        )
        .route(ops::SCRIPTS_ASSIGN.path, post(scripts::assign))
        .route(ops::SCRIPTS_UNASSIGN.path, post(scripts::unassign))
        .route(
            ops::NETWORKS_LIST.path,
            get(networks::list).post(networks::create),
        )
        .route(
            ops::NETWORKS_GET.path,
            get(networks::show)
                .put(networks::update)
                .delete(networks::destroy),
        )
        .route(
            ops::SNAPSHOTS_LIST.path,
            get(storage::list_snapshots).post(storage::create_snapshot),
        )
        .route(
            ops::SNAPSHOTS_GET.path,
            get(storage::show_snapshot)
                .put(storage::update_snapshot)
                .delete(storage::delete_snapshot),
        )
        .route(ops::SNAPSHOTS_RESTORE.path, post(storage::restore_snapshot))
        .route(
            ops::DRIVES_LIST.path,
            get(storage::list_drives).post(storage::create_drive),
        )
        .route(
            ops::DRIVES_GET.path,
            get(storage::show_drive)
                .put(storage::update_drive)
                .delete(storage::delete_drive),
        );
    Router::new().nest("/v1", api_router(routes, Api::V1, emulator))
}

/// A request's input as it came: its query, content type and body bytes. [`Input::checked`]
/// reads it as its operation's input.
pub(crate) struct Input {
    query: Query,
    json_content_type: bool,
    bytes: Bytes,
}

/// The input of an operation, as the document accepts it.
pub(crate) struct Checked {
    pub query: Query,
    /// The body: a JSON object, `{}` when none came (and always for GET and DELETE, whose
    /// bodies the service does not read).
    pub body: Params,
}

impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let query = Query::parse(request.uri().query());
        let json_content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let media = v.split(';').next().unwrap_or_default().trim();
                media.eq_ignore_ascii_case("application/json")
            });
        let RawBody(bytes) = RawBody::from_request(request, state).await?;
        Ok(Input {
            query,
            json_content_type,
            bytes,
        })
    }
}

impl Input {
    /// The input, checked against `op`. A body that says it is JSON and is empty cannot be
    /// parsed, and the live service refuses it (docs/v1.md, "Requests"); no body at all, or a
    /// body of another type that is empty (cloudypad's `text/plain`), is no input.
    pub(crate) fn checked(self, op: &Operation) -> Result<Checked, ApiError> {
        let blank = self.bytes.iter().all(u8::is_ascii_whitespace);
        let body = if !op.method.reads_body() {
            Params::new()
        } else if blank && self.json_content_type {
            return Err(ApiError::bad_request(
                "Failed to parse request body: Content-Type is application/json and the body is empty",
            ));
        } else if blank {
            Params::new()
        } else {
            read::body_object(&self.bytes).map_err(|e| {
                // A body that parses but is no object is zod's complaint, not the parser's.
                let parsed: Option<serde_json::Value> = serde_json::from_slice(&self.bytes).ok();
                match parsed {
                    Some(value) => ApiError::bad_request(format!(
                        "Expected object, received {}",
                        schema::received(&value)
                    )),
                    None => ApiError::bad_request(format!(
                        "Failed to parse request body: {}",
                        e.message
                    )),
                }
            })?
        };
        if op.method.reads_body() {
            op.check_body(&body)?;
        } else {
            op.check_query(&self.query)?;
        }
        Ok(Checked {
            query: self.query,
            body,
        })
    }
}
