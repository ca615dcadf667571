//! `/startup-scripts`: the account's scripts (the legacy `scripts` namespace's too). The
//! script object carries no text, as the document has it.

use super::operations as ops;
use super::params::{self, Paging, name_matches};
use super::{Emu, Input};
use crate::emulator::clock::format_ms;
use crate::emulator::http::{Answer, ApiError, PathIds, ok};
use crate::emulator::scripts::{NewScript, ScriptChanges, ScriptRecord};
use crate::emulator::store::Store;
use axum::extract::State;
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ScriptView {
    id: String,
    name: String,
    description: Option<String>,
    is_enabled: bool,
    is_run_once: bool,
    assigned_machine_ids: Vec<String>,
    dt_created: String,
    dt_deleted: Option<String>,
}

fn script(s: &ScriptRecord, store: &Store) -> ScriptView {
    ScriptView {
        id: s.id.clone(),
        name: s.name.clone(),
        description: s.description.clone(),
        is_enabled: s.is_enabled,
        is_run_once: s.run_once,
        assigned_machine_ids: store
            .script_machines(&s.id)
            .iter()
            .map(|m| m.id.clone())
            .collect(),
        dt_created: format_ms(s.created_ms),
        dt_deleted: None,
    }
}

pub(super) async fn list(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::SCRIPTS_LIST)?.query;
    let paging = Paging::of(&ops::SCRIPTS_LIST, &query)?;
    let name = query.non_empty("name");
    let page = emu.read(|store, _| {
        let items: Vec<ScriptView> = store
            .scripts
            .iter()
            .filter(|s| name_matches(&s.name, name))
            .map(|s| script(s, store))
            .collect();
        paging.page_named(items, |s| &s.name)
    });
    ok(&page)
}

pub(super) async fn show(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    input.checked(&ops::SCRIPTS_GET)?;
    let found = emu.read(|store, _| store.script(&id).map(|s| script(s, store)));
    ok(&found.ok_or_else(ApiError::not_found)?)
}

/// `{name, script, isRunOnce?}`: enabled, run on every boot unless `isRunOnce`.
pub(super) async fn create(State(emu): Emu, input: Input) -> Answer {
    let body = input.checked(&ops::SCRIPTS_CREATE)?.body;
    let new = NewScript {
        name: params::required(&body, "name"),
        description: None,
        text: params::required(&body, "script"),
        is_enabled: true,
        run_once: params::boolean(&body, "isRunOnce").unwrap_or(false),
        machine_id: None,
    };
    let created = emu
        .mutate(|store, ctx| {
            let record = store.create_script(new, ctx)?.clone();
            Ok(script(&record, store))
        })
        .await?;
    ok(&created)
}

pub(super) async fn update(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    let body = input.checked(&ops::SCRIPTS_UPDATE)?.body;
    let changes = ScriptChanges {
        name: params::string(&body, "name"),
        text: params::string(&body, "script"),
        is_enabled: params::boolean(&body, "isEnabled"),
        run_once: params::boolean(&body, "isRunOnce"),
    };
    let updated = emu
        .mutate(|store, _| {
            let record = store.update_script(&id, changes)?.clone();
            Ok(script(&record, store))
        })
        .await?;
    ok(&updated)
}

/// Delete: the script is gone, unassigned from its machines; answers it as it was, deleted.
pub(super) async fn destroy(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    input.checked(&ops::SCRIPTS_DELETE)?;
    let deleted = emu
        .mutate(|store, ctx| {
            let assigned: Vec<String> = store
                .script_machines(&id)
                .iter()
                .map(|m| m.id.clone())
                .collect();
            let record = store.delete_script(&id, ctx.now)?;
            let mut view = script(&record, store);
            view.assigned_machine_ids = assigned;
            view.dt_deleted = Some(format_ms(ctx.now));
            Ok(view)
        })
        .await?;
    ok(&deleted)
}

async fn assignment(emu: Emu, id: String, input: Input, assign: bool) -> Answer {
    let op = if assign {
        &ops::SCRIPTS_ASSIGN
    } else {
        &ops::SCRIPTS_UNASSIGN
    };
    let body = input.checked(op)?.body;
    let machine_id = params::string(&body, "machineId").unwrap_or_default();
    let State(emu) = emu;
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.assign_script(&id, &machine_id, assign, ctx)?.clone();
            Ok(script(&record, store))
        })
        .await?;
    ok(&answer)
}

/// `{machineId}`: the machine runs the script (instead of the one it ran).
pub(super) async fn assign(emu: Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    assignment(emu, id, input, true).await
}

/// `{machineId}`: the machine no longer runs the script.
pub(super) async fn unassign(emu: Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    assignment(emu, id, input, false).await
}
