//! The legacy `scripts` namespace: `POST /scripts/createScript`, `GET /scripts/getScripts`,
//! `GET /scripts/getScript`, `GET /scripts/getScriptText` and `POST /scripts/{id}/destroy`,
//! on the store's scripts (which v1's `/startup-scripts` shows too).
//!
//! `createScript` takes what the legacy CLI sends (docs/compatibility.md, "The wire"): with
//! `--scriptText`, a JSON body of the parameters; with `--scriptFile`, the parameters in the
//! query string (as text) and the file in part `file` of a `multipart/form-data` body.

use super::namespaces::filtered;
use crate::emulator::clock::format_ms;
use crate::emulator::http::{Answer, ApiError, PathIds, RawBody, no_content, ok};
use crate::emulator::multipart;
use crate::emulator::params::{self as read, Params, Query};
use crate::emulator::scripts::{NewScript, ScriptRecord};
use crate::emulator::service::Emulator;
use crate::emulator::store::Store;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use serde_json::{Value, json};
use std::sync::Arc;

type Emu = State<Arc<Emulator>>;

/// A script as the reference shows it; `getScript` adds its machines.
fn script(s: &ScriptRecord, store: &Store, with_machines: bool) -> Value {
    let mut value = json!({
        "id": s.id,
        "ownerType": "user",
        "ownerId": s.owner_id,
        "name": s.name,
        "description": s.description,
        "dtCreated": format_ms(s.created_ms),
        "isEnabled": s.is_enabled,
        "runOnce": s.run_once,
    });
    if with_machines {
        let machines: Vec<Value> = store
            .script_machines(&s.id)
            .iter()
            .map(|m| json!({"machineId": m.id, "dtLastRun": null}))
            .collect();
        value["machines"] = Value::Array(machines);
    }
    value
}

/// The uploaded file of a multipart create: its text and its name.
fn uploaded(content_type: &str, body: &[u8]) -> Result<Option<(String, Option<String>)>, ApiError> {
    let Some(boundary) = multipart::boundary(content_type) else {
        return Ok(None);
    };
    let part = multipart::parts(body, &boundary)?
        .into_iter()
        .find(|part| part.name == "file")
        .ok_or_else(|| read::missing("file"))?;
    let text = String::from_utf8(part.content)
        .map_err(|_| ApiError::bad_request("The script file must be UTF-8 text"))?;
    Ok(Some((text, part.filename)))
}

pub(super) async fn create(
    State(emu): Emu,
    query: Query,
    headers: HeaderMap,
    RawBody(bytes): RawBody,
) -> Answer {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (p, file): (Params, _) = match uploaded(content_type, &bytes)? {
        Some(file) => {
            let p = query
                .0
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            (p, Some(file))
        }
        None => (read::body_object(&bytes)?, None),
    };
    let name = read::req_string(&p, "scriptName")?;
    let given_text = read::opt_string(&p, "scriptText")?.filter(|t| !t.is_empty());
    let (text, filename) = match (file, given_text) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "Only one of scriptFile or scriptText allowed",
            ));
        }
        (Some((text, filename)), None) => (text, filename),
        (None, Some(text)) => (text, None),
        (None, None) => return Err(read::missing("scriptText")),
    };
    let description = read::opt_string(&p, "scriptDescription")?
        .or_else(|| filename.map(|f| format!("original file: {f}")));
    let new = NewScript {
        name,
        description,
        text,
        is_enabled: read::opt_bool(&p, "isEnabled")?.unwrap_or(true),
        run_once: read::opt_bool(&p, "runOnce")?.unwrap_or(false),
        machine_id: read::opt_string(&p, "machineId")?,
    };
    let created = emu
        .mutate(|store, ctx| {
            let record = store.create_script(new, ctx)?.clone();
            Ok(script(&record, store, false))
        })
        .await?;
    ok(&created)
}

pub(super) async fn list(State(emu): Emu, query: Query) -> Answer {
    let items = emu.read(|store, _| {
        store
            .scripts
            .iter()
            .map(|s| script(s, store, false))
            .collect()
    });
    const FILTERS: &[&str] = &[
        "id",
        "ownerType",
        "ownerId",
        "name",
        "description",
        "dtCreated",
        "isEnabled",
        "runOnce",
    ];
    ok(&filtered(items, &query, FILTERS))
}

/// The script `scriptId` names, through `render`.
fn shown(emu: &Emulator, query: &Query, render: impl Fn(&ScriptRecord, &Store) -> Value) -> Answer {
    let id = query.required("scriptId")?;
    let found = emu.read(|store, _| store.script(id).map(|s| render(s, store)));
    ok(&found.ok_or_else(ApiError::not_found)?)
}

/// `getScript`: the script and its machines, without its text.
pub(super) async fn show(State(emu): Emu, query: Query) -> Answer {
    shown(&emu, &query, |s, store| script(s, store, true))
}

/// `getScriptText`: the text, as a JSON string.
pub(super) async fn text(State(emu): Emu, query: Query) -> Answer {
    shown(&emu, &query, |s, _| Value::String(s.text.clone()))
}

/// `destroy`: the script is gone (404 afterwards) and no machine runs it. `204`.
pub(super) async fn destroy(State(emu): Emu, PathIds([id]): PathIds<1>, _: RawBody) -> Answer {
    emu.mutate(|store, ctx| store.delete_script(&id, ctx.now))
        .await?;
    no_content()
}
