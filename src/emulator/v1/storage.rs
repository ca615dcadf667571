//! `/snapshots` (each of a machine, see `emulator::snapshots`) and `/shared-drives` (the
//! account's network storage, see `emulator::drives`).

use super::operations as ops;
use super::params::{self, Paging, name_matches};
use super::{Emu, Input, schema, views};
use crate::emulator::clock::format_ms;
use crate::emulator::drives::{DriveRecord, NewDrive};
use crate::emulator::http::{Answer, ApiError, PathIds, ok};
use crate::emulator::snapshots::SnapshotRecord;
use crate::emulator::store::Store;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SnapshotView {
    id: String,
    name: String,
    machine_id: String,
    is_auto_snapshot: bool,
}

fn snapshot(s: &SnapshotRecord) -> SnapshotView {
    SnapshotView {
        id: s.id.clone(),
        name: s.name.clone(),
        machine_id: s.machine_id.clone(),
        is_auto_snapshot: false,
    }
}

/// `{event, data}`: the snapshot's machine's newest event, and the snapshot.
fn with_event(store: &Store, s: &SnapshotRecord, now: i64) -> Value {
    let event = store
        .find(&s.machine_id)
        .and_then(|m| views::newest_event(m, now));
    json!({ "event": event, "data": snapshot(s) })
}

pub(super) async fn list_snapshots(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::SNAPSHOTS_LIST)?.query;
    let paging = Paging::of(&ops::SNAPSHOTS_LIST, &query)?;
    let machine_id = query.non_empty("machineId");
    let items: Vec<SnapshotRecord> = emu.read(|store, _| {
        store
            .snapshots
            .iter()
            .filter(|s| machine_id.is_none_or(|id| s.machine_id == id))
            .cloned()
            .collect()
    });
    let page = paging.page_named(items.iter().map(snapshot).collect(), |s| &s.name);
    ok(&page)
}

pub(super) async fn show_snapshot(
    State(emu): Emu,
    PathIds([id]): PathIds<1>,
    input: Input,
) -> Answer {
    input.checked(&ops::SNAPSHOTS_GET)?;
    let found = emu.read(|store, _| store.snapshot(&id).map(snapshot));
    ok(&found.ok_or_else(ApiError::not_found)?)
}

/// `{name, machineId}`: a snapshot of the machine now; answers its `snapshot-create` event.
pub(super) async fn create_snapshot(State(emu): Emu, input: Input) -> Answer {
    let body = input.checked(&ops::SNAPSHOTS_CREATE)?.body;
    let name = params::required(&body, "name");
    let machine_id = params::required(&body, "machineId");
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.take_snapshot(name, &machine_id, ctx)?.clone();
            Ok(with_event(store, &record, ctx.now))
        })
        .await?;
    ok(&answer)
}

pub(super) async fn update_snapshot(
    State(emu): Emu,
    PathIds([id]): PathIds<1>,
    input: Input,
) -> Answer {
    let body = input.checked(&ops::SNAPSHOTS_UPDATE)?.body;
    let name = params::string(&body, "name");
    let updated = emu
        .mutate(|store, _| store.rename_snapshot(&id, name).map(snapshot))
        .await?;
    ok(&updated)
}

/// Delete: answers the machine's `snapshot-delete` event and the snapshot.
pub(super) async fn delete_snapshot(
    State(emu): Emu,
    PathIds([id]): PathIds<1>,
    input: Input,
) -> Answer {
    input.checked(&ops::SNAPSHOTS_DELETE)?;
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.delete_snapshot(&id, ctx)?;
            Ok(with_event(store, &record, ctx.now))
        })
        .await?;
    ok(&answer)
}

/// `{createSnapshotBeforeRestore?}`: the machine (off) goes through a restore; answers its
/// `snapshot-restore` event and the snapshot.
pub(super) async fn restore_snapshot(
    State(emu): Emu,
    PathIds([id]): PathIds<1>,
    input: Input,
) -> Answer {
    let body = input.checked(&ops::SNAPSHOTS_RESTORE)?.body;
    let first = params::boolean(&body, "createSnapshotBeforeRestore").unwrap_or(false);
    let answer = emu
        .mutate(|store, ctx| {
            let record = store.restore_snapshot(&id, first, ctx)?.clone();
            Ok(with_event(store, &record, ctx.now))
        })
        .await?;
    ok(&answer)
}

// ---------------------------------------------------------------------------------------
// Shared drives.

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DriveView {
    id: String,
    name: String,
    dt_created: String,
    size: u64,
    mount_point: String,
    username: String,
    password: String,
    network_id: String,
    region: &'static str,
}

fn drive(d: &DriveRecord, store: &Store) -> DriveView {
    DriveView {
        id: d.id.clone(),
        name: d.name.clone(),
        dt_created: format_ms(d.created_ms),
        size: d.size_gb,
        mount_point: d.mount_point(store),
        username: d.username(),
        password: d.password.clone(),
        network_id: d.network_id.clone(),
        region: d.region.code,
    }
}

pub(super) async fn list_drives(State(emu): Emu, input: Input) -> Answer {
    let query = input.checked(&ops::DRIVES_LIST)?.query;
    let paging = Paging::of(&ops::DRIVES_LIST, &query)?;
    let region = params::region_filter(&query)?;
    let name = query.non_empty("name");
    let page = emu.read(|store, _| {
        let items: Vec<DriveView> = store
            .drives
            .iter()
            .filter(|d| region.is_none_or(|r| d.region == r) && name_matches(&d.name, name))
            .map(|d| drive(d, store))
            .collect();
        paging.page_named(items, |d| &d.name)
    });
    ok(&page)
}

pub(super) async fn show_drive(State(emu): Emu, PathIds([id]): PathIds<1>, input: Input) -> Answer {
    input.checked(&ops::DRIVES_GET)?;
    let found = emu.read(|store, _| store.drive(&id).map(|d| drive(d, store)));
    ok(&found.ok_or_else(ApiError::not_found)?)
}

/// `{name, size, region, networkId}`: a drive of `size` GB on that private network, which
/// must exist and be in `region`.
pub(super) async fn create_drive(State(emu): Emu, input: Input) -> Answer {
    let body = input.checked(&ops::DRIVES_CREATE)?.body;
    let region = schema::region("region", body["region"].as_str().unwrap_or_default())?;
    let new = NewDrive {
        name: params::required(&body, "name"),
        size_gb: params::whole(&body, "size", 1)?.unwrap_or(1),
        region,
        network_id: params::required(&body, "networkId"),
    };
    let created = emu
        .mutate(|store, ctx| {
            let record = store.create_drive(new, ctx)?.clone();
            Ok(drive(&record, store))
        })
        .await?;
    ok(&created)
}

pub(super) async fn update_drive(
    State(emu): Emu,
    PathIds([id]): PathIds<1>,
    input: Input,
) -> Answer {
    let body = input.checked(&ops::DRIVES_UPDATE)?.body;
    let name = params::string(&body, "name");
    let updated = emu
        .mutate(|store, _| {
            let record = store.drive_mut(&id)?;
            if let Some(name) = name {
                record.name = name;
            }
            let record = record.clone();
            Ok(drive(&record, store))
        })
        .await?;
    ok(&updated)
}

/// Delete: answers `{id}`.
pub(super) async fn delete_drive(
    State(emu): Emu,
    PathIds([id]): PathIds<1>,
    input: Input,
) -> Answer {
    input.checked(&ops::DRIVES_DELETE)?;
    let deleted = emu.mutate(|store, _| store.delete_drive(&id)).await?;
    ok(&json!({ "id": deleted.id }))
}
