//! The one update path: what may change on a machine, in neither API's words, and the rule
//! that applies it. Legacy `updateMachinePublic`, v1 `PUT /machines/{id}` and the settings of
//! both APIs' creates decode into [`Changes`] (`legacy::params`, `v1::params`) and reach the
//! record only through [`Changes::apply`] (`Store::create`, `Store::update`), which hand the
//! public IP, an account resource, to `ips`.

use super::catalog::TypeSpec;
use super::http::ApiError;
use super::record::{DEFAULT_SHUTDOWN_HOURS, IpKind, MachineRecord};
use super::store::Ctx;
use crate::vocab::{MachineState, RESTORE_POINT_FREQUENCIES, SnapshotFrequency};

/// Settings to change; `None` leaves a setting alone.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub name: Option<String>,
    /// Only while the machine is off.
    pub machine_type: Option<&'static TypeSpec>,
    /// Disks only grow.
    pub size_gb: Option<u64>,
    pub network_id: Option<String>,
    /// The kind of public IP to have: a static one keeps its address or gets one claimed; a
    /// static address the machine gives up stays the account's (see `ips`).
    pub public_ip: Option<IpKind>,
    /// `false` turns auto-shutdown off; `true` turns it on (after the default 168 hours unless
    /// `auto_shutdown_hours` says otherwise).
    pub auto_shutdown_enabled: Option<bool>,
    /// Sets the timeout, which turns auto-shutdown on (unless `auto_shutdown_enabled` is
    /// `false`).
    pub auto_shutdown_hours: Option<u64>,
    pub auto_shutdown_force: Option<bool>,
    pub auto_snapshot_enabled: Option<bool>,
    /// `Some(None)` clears the frequency (the legacy API's `null`).
    pub auto_snapshot_frequency: Option<Option<&'static SnapshotFrequency>>,
    pub auto_snapshot_save_count: Option<u64>,
    /// Like auto-shutdown: `false` drops the restore point, `true` makes one (used on
    /// shutdown unless `restore_point_frequency` says otherwise).
    pub restore_point_enabled: Option<bool>,
    /// A word of `vocab::RESTORE_POINT_FREQUENCIES`.
    pub restore_point_frequency: Option<&'static str>,
    pub restore_point_snapshot_id: Option<String>,
}

impl Changes {
    /// Apply to `record` at `ctx.now`: every check first, so an error changes nothing. The
    /// public IP is not this function's (`Store::create` and `Store::update` apply it).
    pub(crate) fn apply(self, record: &mut MachineRecord, ctx: &mut Ctx) -> Result<(), ApiError> {
        if let Some(new_type) = self.machine_type
            && new_type != record.machine_type
        {
            let state = record.state_at(ctx.now);
            if state != MachineState::Off {
                return Err(ApiError::invalid(
                    "machineType",
                    format!(
                        "machineType can only be changed while the machine is off (it is {state})"
                    ),
                    "The machine must be off",
                ));
            }
        }
        if let Some(size) = self.size_gb
            && size < record.size_gb
        {
            return Err(ApiError::invalid(
                "diskSize",
                format!(
                    "Invalid diskSize {size}: disks can only grow (now {} GB)",
                    record.size_gb
                ),
                format!("Must be at least {} GB", record.size_gb),
            ));
        }

        if let Some(name) = self.name {
            record.name = name;
        }
        if let Some(new_type) = self.machine_type {
            record.machine_type = new_type;
        }
        if let Some(size) = self.size_gb {
            record.size_gb = size;
        }
        if let Some(network) = self.network_id {
            record.network_id = network;
        }
        let shutdown = &mut record.auto_shutdown;
        match (self.auto_shutdown_enabled, self.auto_shutdown_hours) {
            (Some(false), _) => shutdown.hours = None,
            (_, Some(hours)) => shutdown.hours = Some(hours),
            (Some(true), None) if shutdown.hours.is_none() => {
                shutdown.hours = Some(DEFAULT_SHUTDOWN_HOURS);
            }
            _ => {}
        }
        if let Some(force) = self.auto_shutdown_force {
            shutdown.force = force;
        }

        let snapshot = &mut record.auto_snapshot;
        if let Some(enabled) = self.auto_snapshot_enabled {
            snapshot.enabled = enabled;
        }
        if let Some(frequency) = self.auto_snapshot_frequency {
            snapshot.frequency = frequency;
        }
        if let Some(count) = self.auto_snapshot_save_count {
            snapshot.save_count = Some(count);
        }

        let restore = &mut record.restore_point;
        match (self.restore_point_enabled, self.restore_point_frequency) {
            (Some(false), _) => restore.frequency = None,
            (_, Some(frequency)) => restore.frequency = Some(frequency.to_string()),
            (Some(true), None) if restore.frequency.is_none() => {
                restore.frequency = RESTORE_POINT_FREQUENCIES.first().map(|f| f.to_string());
            }
            _ => {}
        }
        if let Some(snapshot_id) = self.restore_point_snapshot_id {
            restore.snapshot_id = Some(snapshot_id);
        }
        Ok(())
    }
}
