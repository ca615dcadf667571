//! The catalogue of a machine's fields as table columns (a list) or rows (one machine): JSON
//! name, title, extra `--columns` names, how the column gives way, and how its cell is made.

use super::View;
use super::cells::*;
use super::layout::Fit;
use crate::api::model::Machine;
use crate::error::CliError;

/// `list` columns: what tells machines apart and what you need to reach one. RAM, CPUs and
/// GPU follow from the type on Paperspace, so they stay available through `--columns` only.
pub(super) const LIST_COLUMNS: &[&str] = &[
    "id",
    "name",
    "state",
    "machineType",
    "region",
    "publicIpAddress",
    "dtCreated",
];

/// `show` rows: everything but the owner/script/snapshot plumbing, plus the newest event.
pub(super) const SHOW_ROWS: &[&str] = &[
    "id",
    "name",
    "state",
    "machineType",
    "region",
    "os",
    "cpus",
    "ram",
    "gpu",
    "storageTotal",
    "storageUsed",
    "publicIpAddress",
    "privateIpAddress",
    "networkId",
    "agentType",
    "usageRate",
    "shutdownTimeoutInHours",
    "updatesPending",
    "dtCreated",
    "lastEvent",
];

/// One field of a machine as a column (list) or a row (show).
pub(super) struct Field {
    /// JSON name, which is also the `--columns` name.
    pub(super) key: &'static str,
    pub(super) title: &'static str,
    /// Extra `--columns` names, already normalized (see `normalize`).
    pub(super) aliases: &'static [&'static str],
    pub(super) fit: Fit,
    /// Derived from `events`, which only single-machine answers carry.
    pub(super) single_machine_only: bool,
    pub(super) cell: fn(&Machine) -> Cell,
}

const fn field(
    key: &'static str,
    title: &'static str,
    fit: Fit,
    cell: fn(&Machine) -> Cell,
) -> Field {
    Field {
        key,
        title,
        aliases: &[],
        fit,
        single_machine_only: false,
        cell,
    }
}

impl Field {
    /// `--columns` names beyond the JSON name and the title.
    const fn also_named(mut self, aliases: &'static [&'static str]) -> Field {
        self.aliases = aliases;
        self
    }

    const fn single_machine_only(mut self) -> Field {
        self.single_machine_only = true;
        self
    }
}

/// Every field of the API's machine object, in its order, then the derived `lastEvent`.
#[rustfmt::skip]
pub(super) const FIELDS: &[Field] = &[
    field("id", "ID", Fit::Keep, |m| text(&m.id)).also_named(&["machineid"]),
    field("name", "Name", Fit::Text, |m| text(&m.name)),
    field("os", "OS", Fit::Text, |m| text(&m.os)),
    field("ram", "RAM", Fit::Whole, |m| bytes(&m.ram)),
    field("cpus", "CPUs", Fit::Whole, |m| number(m.cpus)),
    field("gpu", "GPU", Fit::Text, |m| text(&m.gpu)),
    field("storageTotal", "Storage", Fit::Whole, |m| bytes(&m.storage_total)),
    field("storageUsed", "Storage used", Fit::Whole, |m| bytes(&m.storage_used)),
    field("machineType", "Type", Fit::Whole, |m| text(&m.machine_type)),
    field("usageRate", "Usage rate", Fit::Text, |m| text(&m.usage_rate)),
    field("shutdownTimeoutInHours", "Shutdown timeout", Fit::Whole, |m| hours_setting(m.shutdown_timeout_in_hours)),
    field("shutdownTimeoutForces", "Forced shutdown", Fit::Whole, |m| yes_no(m.shutdown_timeout_forces)),
    field("performAutoSnapshot", "Auto snapshot", Fit::Whole, |m| yes_no(m.perform_auto_snapshot)),
    field("autoSnapshotFrequency", "Snapshot frequency", Fit::Whole, |m| text(&m.auto_snapshot_frequency)),
    field("autoSnapshotSaveCount", "Snapshots kept", Fit::Whole, |m| number(m.auto_snapshot_save_count)),
    field("dynamicPublicIp", "Dynamic IP", Fit::Whole, |m| yes_no(m.dynamic_public_ip)),
    field("agentType", "Agent", Fit::Whole, |m| text(&m.agent_type)),
    field("dtCreated", "Created", Fit::Whole, |m| time_cell(&m.dt_created)),
    field("state", "State", Fit::Keep, |m| m.state.as_ref().map_or_else(Cell::missing, state_cell)),
    field("updatesPending", "Updates pending", Fit::Whole, |m| yes_no(m.updates_pending)),
    field("networkId", "Network", Fit::Whole, |m| text(&m.network_id)),
    field("privateIpAddress", "Private IP", Fit::Whole, |m| text(&m.private_ip_address)),
    field("publicIpAddress", "Public IP", Fit::Whole, |m| text(&m.public_ip_address)).also_named(&["ip"]),
    field("region", "Region", Fit::Text, |m| text(&m.region)),
    field("userId", "User", Fit::Whole, |m| text(&m.user_id)),
    field("teamId", "Team", Fit::Whole, |m| text(&m.team_id)),
    field("scriptId", "Script", Fit::Whole, |m| text(&m.script_id)),
    field("dtLastRun", "Last run", Fit::Whole, |m| time_cell(&m.dt_last_run)),
    field("restorePointSnapshotId", "Restore point", Fit::Whole, |m| text(&m.restore_point_snapshot_id)),
    field("restorePointFrequency", "Restore frequency", Fit::Whole, |m| text(&m.restore_point_frequency)),
    field("lastEvent", "Last event", Fit::Text, |m| last_event(m.events.as_deref()))
        .also_named(&["event"])
        .single_machine_only(),
];

/// `--columns` spelling is forgiving: `publicIpAddress`, `public_ip_address`, `Public IP`.
pub(super) fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn matches(field: &Field, wanted: &str) -> bool {
    normalize(field.key) == wanted
        || normalize(field.title) == wanted
        || field.aliases.contains(&wanted)
}

/// The column names `--columns` asked for, each entry split at commas; none at all is an
/// error listing the `valid` ones.
pub(super) fn requested_names<'a>(
    requested: &'a [String],
    valid: &[&str],
) -> Result<Vec<&'a str>, CliError> {
    let names: Vec<&str> = requested
        .iter()
        .flat_map(|entry| entry.split(','))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect();
    if names.is_empty() {
        return Err(CliError::usage(format!(
            "--columns needs at least one column; valid columns: {}",
            valid.join(", ")
        )));
    }
    Ok(names)
}

/// The fields to show: `--columns` when given, else `defaults`. For views without columns
/// this only checks that none were asked for.
pub(super) fn selected_fields(
    view: &View,
    columns: Option<&[String]>,
    defaults: &[&str],
) -> Result<Vec<&'static Field>, CliError> {
    let valid = super::column_names(view);
    let Some(requested) = columns else {
        return Ok(defaults
            .iter()
            .filter_map(|key| FIELDS.iter().find(|field| field.key == *key))
            .collect());
    };
    if valid.is_empty() {
        return Err(CliError::usage(
            "--columns applies only to tables of machines and records (this answer is one line or a text)",
        ));
    }
    requested_names(requested, &valid)?
        .into_iter()
        .map(|name| {
            let wanted = normalize(name);
            FIELDS
                .iter()
                .find(|field| valid.contains(&field.key) && matches(field, &wanted))
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "unknown column '{name}' for --columns; valid columns: {}",
                        valid.join(", ")
                    ))
                })
        })
        .collect()
}
