//! `/os-templates` (the catalogue) and `/custom-templates` (the account's, made from a
//! machine); both make machines, on either API (see `emulator::templates`).

use super::operations as ops;
use super::params::{self, Paging, name_matches};
use super::{Emu, Input, views};
use crate::emulator::clock::format_ms;
use crate::emulator::http::{Answer, ApiError, PathIds, ok};
use crate::emulator::templates::{OS_TEMPLATES, OsTemplate, RunsOn, TemplateRecord};
use axum::extract::State;
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MachineTypeAvailability {
    machine_type_label: &'static str,
    is_available: bool,
}

fn available_types(runs_on: RunsOn) -> Vec<MachineTypeAvailability> {
    runs_on
        .machine_types()
        .into_iter()
        .map(|label| MachineTypeAvailability {
            machine_type_label: label,
            is_available: true,
        })
        .collect()
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OsTemplateView {
    id: &'static str,
    name: &'static str,
    agent_type: &'static str,
    operating_system_label: &'static str,
    default_size_gb: u64,
    available_machine_types: Vec<MachineTypeAvailability>,
    dt_created: &'static str,
}

fn os_template(t: &OsTemplate) -> OsTemplateView {
    OsTemplateView {
        id: t.id,
        name: t.name,
        agent_type: t.agent_type,
        operating_system_label: t.os_label,
        default_size_gb: t.default_size_gb,
        available_machine_types: available_types(t.runs_on),
        dt_created: t.dt_created,
    }
}

/// A custom template; `dtDeleted` only once deleted (the document's schema has it absent or
/// a date, never null).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TemplateView {
    id: String,
    name: String,
    agent_type: String,
    operating_system_label: String,
    region: &'static str,
    default_size_gb: u64,
    available_machine_types: Vec<MachineTypeAvailability>,
    parent_machine_id: String,
    dt_created: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    dt_deleted: Option<String>,
}

pub(super) fn template(t: &TemplateRecord) -> TemplateView {
    TemplateView {
        id: t.id.clone(),
        name: t.name.clone(),
        agent_type: t.agent_type.clone(),
        operating_system_label: t.os_label.clone(),
        region: t.region.code,
        default_size_gb: t.size_gb,
        available_machine_types: available_types(t.runs_on()),
        parent_machine_id: t.parent_machine_id.clone(),
        dt_created: format_ms(t.created_ms),
        dt_deleted: None,
    }
}

pub(super) async fn list_os(input: Input) -> Answer {
    let query = input.checked(&ops::OS_TEMPLATES_LIST)?.query;
    let paging = Paging::of(&ops::OS_TEMPLATES_LIST, &query)?;
    let name = query.non_empty("name");
    let mut items: Vec<&OsTemplate> = OS_TEMPLATES
        .iter()
        .filter(|t| name_matches(t.name, name))
        .collect();
    items.sort_by_key(|t| t.name);
    ok(&paging.page(items.into_iter().map(os_template).collect()))
}

pub(super) async fn list(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::TEMPLATES_LIST)?.query;
    let paging = Paging::of(&ops::TEMPLATES_LIST, &query)?;
    let name = query.non_empty("name");
    let machine_id = query.non_empty("machineId");
    let items: Vec<TemplateRecord> = emu.read(|store, _| {
        store
            .templates
            .iter()
            .filter(|t| name_matches(&t.name, name))
            .filter(|t| machine_id.is_none_or(|id| t.parent_machine_id == id))
            .cloned()
            .collect()
    });
    let page = paging.page_named(items.iter().map(template).collect(), |t| &t.name);
    ok(&page)
}

pub(super) async fn show(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    input.checked(&ops::TEMPLATES_GET)?;
    let found = emu.read(|store, _| store.custom_template(&id).map(template));
    ok(&found.ok_or_else(ApiError::not_found)?)
}

/// `{name, machineId}`: a template of that machine, which must be off; answers the machine's
/// `template-create` event and the template.
pub(super) async fn create(State(emu): Emu, input: Input) -> Answer {
    let body = input.checked(&ops::TEMPLATES_CREATE)?.body;
    let name = params::required(&body, "name");
    let machine_id = params::required(&body, "machineId");
    let answer = emu
        .mutate(|store, ctx| {
            let data = template(store.create_template(name, &machine_id, ctx)?);
            let event = store
                .find(&machine_id)
                .and_then(|m| views::newest_event(m, ctx.now));
            Ok(json!({ "event": event, "data": data }))
        })
        .await?;
    ok(&answer)
}

pub(super) async fn update(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    let body = input.checked(&ops::TEMPLATES_UPDATE)?.body;
    let name = params::required(&body, "name");
    let updated = emu
        .mutate(|store, _| {
            let record = store.custom_template_mut(&id)?;
            record.name = name;
            Ok(template(record))
        })
        .await?;
    ok(&updated)
}

/// Delete: the template is gone; machines made from it keep running what it had.
pub(super) async fn destroy(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    input.checked(&ops::TEMPLATES_DELETE)?;
    let deleted = emu
        .mutate(|store, ctx| {
            let mut view = template(&store.delete_template(&id)?);
            view.dt_deleted = Some(format_ms(ctx.now));
            Ok(view)
        })
        .await?;
    ok(&deleted)
}
