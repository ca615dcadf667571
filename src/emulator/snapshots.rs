//! Snapshots: each of one machine, and gone with it (DigitalOcean's guide to deactivating a
//! machine says its snapshots go too). Taking one, deleting one and restoring one are events
//! of the machine (`snapshot-create`, `snapshot-delete`, `snapshot-restore`, names of the v1
//! document's event enum); a restore needs the machine off and keeps it upgrading for a step
//! (inferred: a disk is replaced under it).

use super::http::ApiError;
use super::lifecycle::ActionKind;
use super::record::MachineRecord;
use super::store::machine_not_found;
use super::store::{Ctx, Store, push_action};
use crate::vocab::MachineState;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SnapshotRecord {
    pub id: String,
    pub name: String,
    pub machine_id: String,
    pub created_ms: i64,
}

impl Store {
    pub(crate) fn snapshot(&self, id: &str) -> Option<&SnapshotRecord> {
        self.snapshots.iter().find(|s| s.id == id)
    }

    /// `takeInitialSnapshot`: a snapshot of the new machine, its restore point when it has
    /// one (`restorePointEnabled`, or a legacy `restorePointFrequency`).
    pub(crate) fn initial_snapshot(&mut self, record: &mut MachineRecord, ctx: &mut Ctx) {
        let id = self.new_id("sn", ctx.rng);
        push_action(record, ActionKind::SnapshotCreate, ctx, None);
        if record.restore_point.frequency.is_some() {
            record.restore_point.snapshot_id = Some(id.clone());
        }
        self.snapshots.push(SnapshotRecord {
            id,
            name: "Initial snapshot".to_string(),
            machine_id: record.id.clone(),
            created_ms: ctx.now,
        });
    }

    /// A snapshot of machine `machine_id` now (any state but provisioning), with its event.
    pub(crate) fn take_snapshot(
        &mut self,
        name: String,
        machine_id: &str,
        ctx: &mut Ctx,
    ) -> Result<&SnapshotRecord, ApiError> {
        let id = self.new_id("sn", ctx.rng);
        let machine = self.find_mut(machine_id).map_err(|_| machine_not_found())?;
        if machine.state_at(ctx.now) == MachineState::Provisioning {
            return Err(ApiError::invalid(
                "machineId",
                "The machine is being provisioned",
                "The machine is being provisioned",
            ));
        }
        push_action(machine, ActionKind::SnapshotCreate, ctx, None);
        self.snapshots.push(SnapshotRecord {
            id,
            name,
            machine_id: machine_id.to_string(),
            created_ms: ctx.now,
        });
        Ok(&self.snapshots[self.snapshots.len() - 1])
    }

    pub(crate) fn rename_snapshot(
        &mut self,
        id: &str,
        name: Option<String>,
    ) -> Result<&SnapshotRecord, ApiError> {
        let snapshot = self
            .snapshots
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(ApiError::not_found)?;
        if let Some(name) = name {
            snapshot.name = name;
        }
        Ok(snapshot)
    }

    /// Delete a snapshot, with its machine's event; a restore point it was stops being one.
    pub(crate) fn delete_snapshot(
        &mut self,
        id: &str,
        ctx: &mut Ctx,
    ) -> Result<SnapshotRecord, ApiError> {
        let index = self
            .snapshots
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(ApiError::not_found)?;
        let snapshot = self.snapshots.remove(index);
        if let Ok(machine) = self.find_mut(&snapshot.machine_id) {
            push_action(machine, ActionKind::SnapshotDelete, ctx, None);
            if machine.restore_point.snapshot_id.as_deref() == Some(id) {
                machine.restore_point.snapshot_id = None;
            }
        }
        Ok(snapshot)
    }

    /// Restore snapshot `id` onto its machine, which must be off; with `snapshot_first`, a
    /// snapshot of the machine as it is is taken before.
    pub(crate) fn restore_snapshot(
        &mut self,
        id: &str,
        snapshot_first: bool,
        ctx: &mut Ctx,
    ) -> Result<&SnapshotRecord, ApiError> {
        let snapshot = self.snapshot(id).ok_or_else(ApiError::not_found)?.clone();
        let machine = self
            .find(&snapshot.machine_id)
            .ok_or_else(ApiError::not_found)?;
        let state = machine.state_at(ctx.now);
        if state != MachineState::Off {
            return Err(ApiError::bad_request(format!(
                "The machine must be off to restore a snapshot (it is {state})"
            )));
        }
        if snapshot_first {
            let name = format!("Before restoring {}", snapshot.name);
            self.take_snapshot(name, &snapshot.machine_id, ctx)?;
        }
        let machine = self.find_mut(&snapshot.machine_id)?;
        push_action(machine, ActionKind::SnapshotRestore, ctx, None);
        machine.modified_ms = Some(ctx.now);
        self.snapshot(id).ok_or_else(ApiError::not_found)
    }

    /// `snapshot_id` as the restore point of machine `machine_id`: one of its snapshots.
    pub(crate) fn check_restore_point(
        &self,
        machine_id: &str,
        snapshot_id: &str,
    ) -> Result<(), ApiError> {
        match self.snapshot(snapshot_id) {
            Some(s) if s.machine_id == machine_id => Ok(()),
            _ => Err(ApiError::invalid(
                "restorePointSnapshotId",
                "Snapshot not found",
                "No snapshot of this machine has this id",
            )),
        }
    }
}
