//! The v1 operations the emulator serves, each as the document declares it
//! (tests/fixtures/paperspace-v1-openapi.json): one [`Operation`] a route, checked before its
//! handler runs (see [`super::schema`]). The test below holds every row to the document.

use super::schema::{Field, Method, Operation, STR, Type, opt, req, req_nullable};
use crate::vocab::{PUBLIC_IP_TYPES, RESTORE_POINT_FREQUENCIES, V1_SNAPSHOT_FREQUENCIES};

const NAME: Type = Type::Str { min_len: 1 };
const IP_TYPE: Type = Type::Enum(PUBLIC_IP_TYPES);
const SNAPSHOT_FREQUENCY: Type = Type::Enum(V1_SNAPSHOT_FREQUENCIES);
const RESTORE_FREQUENCY: Type = Type::Enum(RESTORE_POINT_FREQUENCIES);

const fn op(id: &'static str, method: Method, path: &'static str) -> Operation {
    Operation {
        id,
        method,
        path,
        order_by: &[],
        query: &[],
        body: None,
    }
}

const fn list(
    id: &'static str,
    path: &'static str,
    order_by: &'static [&'static str],
    query: &'static [Field],
) -> Operation {
    Operation {
        order_by,
        query,
        ..op(id, Method::Get, path)
    }
}

const fn with_body(
    id: &'static str,
    method: Method,
    path: &'static str,
    body: &'static [Field],
) -> Operation {
    Operation {
        body: Some(body),
        ..op(id, method, path)
    }
}

pub(crate) const AUTH_SESSION: Operation = op("auth-session", Method::Get, "/auth/session");

pub(crate) const MACHINES_LIST: Operation = list(
    "machines-list",
    "/machines",
    &["dtCreated", "name", "state"],
    &[
        opt("name", STR),
        opt("region", Type::Region),
        opt("agentType", STR),
        opt("machineType", STR),
    ],
);
pub(crate) const MACHINES_GET: Operation = op("machines-get", Method::Get, "/machines/{id}");
pub(crate) const MACHINES_CREATE: Operation = with_body(
    "machines-create",
    Method::Post,
    "/machines",
    &[
        req("name", NAME),
        req("machineType", STR),
        req("templateId", STR),
        opt("networkId", STR),
        req("diskSize", Type::DiskSize),
        req("region", Type::Region),
        opt("publicIpType", IP_TYPE),
        opt("autoSnapshotEnabled", Type::Bool),
        opt("autoSnapshotFrequency", SNAPSHOT_FREQUENCY),
        opt("autoSnapshotSaveCount", Type::Number),
        opt("autoShutdownEnabled", Type::Bool),
        opt("autoShutdownTimeout", Type::Number),
        opt("autoShutdownForce", Type::Bool),
        opt("takeInitialSnapshot", Type::Bool),
        opt("restorePointEnabled", Type::Bool),
        opt("restorePointFrequency", RESTORE_FREQUENCY),
        opt("startupScriptId", STR),
        opt("emailPassword", Type::Bool),
        opt("startOnCreate", Type::Bool),
        opt("enableNvlink", Type::Bool),
        opt("accessorIds", Type::StrArray),
    ],
);
pub(crate) const MACHINES_UPDATE: Operation = with_body(
    "machines-update",
    Method::Put,
    "/machines/{id}",
    &[
        opt("name", STR),
        opt("machineType", STR),
        opt("diskSize", Type::DiskSize),
        opt("networkId", STR),
        opt("publicIpType", IP_TYPE),
        opt("autoSnapshotEnabled", Type::Bool),
        opt("autoSnapshotFrequency", SNAPSHOT_FREQUENCY),
        opt("autoSnapshotSaveCount", Type::Number),
        opt("autoShutdownEnabled", Type::Bool),
        opt("autoShutdownTimeout", Type::Number),
        opt("autoShutdownForce", Type::Bool),
        opt("restorePointEnabled", Type::Bool),
        opt("restorePointFrequency", RESTORE_FREQUENCY),
        opt("restorePointSnapshotId", STR),
    ],
);
pub(crate) const MACHINES_DELETE: Operation =
    op("machines-delete", Method::Delete, "/machines/{id}");
pub(crate) const MACHINES_START: Operation =
    op("machines-start", Method::Patch, "/machines/{id}/start");
pub(crate) const MACHINES_STOP: Operation =
    op("machines-stop", Method::Patch, "/machines/{id}/stop");
pub(crate) const MACHINES_RESTART: Operation =
    op("machines-restart", Method::Patch, "/machines/{id}/restart");

pub(crate) const ACCESSORS_LIST: Operation = list(
    "machines-listAccessors",
    "/machines/{id}/accessors",
    &["id"],
    &[],
);
pub(crate) const ACCESSORS_ADD: Operation = with_body(
    "machines-addAccessor",
    Method::Post,
    "/machines/{id}/accessors",
    &[req("userId", STR)],
);
pub(crate) const ACCESSORS_GET: Operation = op(
    "machines-getAccessor",
    Method::Get,
    "/machines/{id}/accessors/{userId}",
);
pub(crate) const ACCESSORS_REMOVE: Operation = op(
    "machines-removeAccessor",
    Method::Delete,
    "/machines/{id}/accessors/{userId}",
);

pub(crate) const EVENTS_LIST: Operation = list(
    "machineEvents-list",
    "/machine-events",
    &["dtCreated"],
    &[opt("machineId", STR)],
);
pub(crate) const EVENTS_GET: Operation =
    op("machineEvents-get", Method::Get, "/machine-events/{id}");
pub(crate) const AVAILABILITY: Operation = Operation {
    query: &[req("machineType", STR), req("region", Type::Region)],
    ..op(
        "machineAvailability-list",
        Method::Get,
        "/machine-availability",
    )
};

pub(crate) const PUBLIC_IPS_LIST: Operation = list(
    "publicIps-list",
    "/public-ips",
    &["dtCreated"],
    &[opt("region", Type::Region)],
);
pub(crate) const PUBLIC_IPS_CLAIM: Operation = with_body(
    "publicIps-claim",
    Method::Post,
    "/public-ips",
    &[req("region", Type::Region)],
);
pub(crate) const PUBLIC_IPS_ASSIGN: Operation = with_body(
    "publicIps-assign",
    Method::Put,
    "/public-ips/{ip}",
    &[req_nullable("machineId", STR)],
);
pub(crate) const PUBLIC_IPS_RELEASE: Operation =
    op("publicIps-release", Method::Delete, "/public-ips/{ip}");

pub(crate) const TEAM_USERS: Operation = list(
    "teamMemberships-listByTeamId",
    "/teams/{teamId}/users",
    &["dtConfirmed"],
    &[opt("role", Type::Enum(&["member", "admin", "owner"]))],
);

pub(crate) const OS_TEMPLATES_LIST: Operation = list(
    "osTemplates-list",
    "/os-templates",
    &["name"],
    &[opt("name", STR)],
);
pub(crate) const TEMPLATES_LIST: Operation = list(
    "customTemplates-list",
    "/custom-templates",
    &["dtCreated", "name"],
    &[opt("name", STR), opt("machineId", STR)],
);
pub(crate) const TEMPLATES_GET: Operation =
    op("customTemplates-get", Method::Get, "/custom-templates/{id}");
pub(crate) const TEMPLATES_CREATE: Operation = with_body(
    "customTemplates-create",
    Method::Post,
    "/custom-templates",
    &[req("name", STR), req("machineId", STR)],
);
pub(crate) const TEMPLATES_UPDATE: Operation = with_body(
    "customTemplates-update",
    Method::Put,
    "/custom-templates/{id}",
    &[req("name", STR)],
);
pub(crate) const TEMPLATES_DELETE: Operation = op(
    "customTemplates-delete",
    Method::Delete,
    "/custom-templates/{id}",
);

pub(crate) const SCRIPTS_LIST: Operation = list(
    "startupScripts-list",
    "/startup-scripts",
    &["dtCreated", "name"],
    &[opt("name", STR)],
);
pub(crate) const SCRIPTS_GET: Operation =
    op("startupScripts-get", Method::Get, "/startup-scripts/{id}");
pub(crate) const SCRIPTS_CREATE: Operation = with_body(
    "startupScripts-create",
    Method::Post,
    "/startup-scripts",
    &[
        req("name", STR),
        req("script", STR),
        opt("isRunOnce", Type::Bool),
    ],
);
pub(crate) const SCRIPTS_UPDATE: Operation = with_body(
    "startupScripts-update",
    Method::Put,
    "/startup-scripts/{id}",
    &[
        opt("name", STR),
        opt("script", STR),
        opt("isRunOnce", Type::Bool),
        opt("isEnabled", Type::Bool),
    ],
);
pub(crate) const SCRIPTS_DELETE: Operation = op(
    "startupScripts-delete",
    Method::Delete,
    "/startup-scripts/{id}",
);
pub(crate) const SCRIPTS_ASSIGN: Operation = with_body(
    "startupScripts-assign",
    Method::Post,
    "/startup-scripts/{id}/assign",
    &[req("machineId", STR)],
);
pub(crate) const SCRIPTS_UNASSIGN: Operation = with_body(
    "startupScripts-unassign",
    Method::Post,
    "/startup-scripts/{id}/unassign",
    &[req("machineId", STR)],
);

pub(crate) const NETWORKS_LIST: Operation = list(
    "privateNetworks-list",
    "/private-networks",
    &["dtCreated", "name"],
    &[opt("name", STR), opt("region", Type::Region)],
);
pub(crate) const NETWORKS_GET: Operation =
    op("privateNetworks-get", Method::Get, "/private-networks/{id}");
pub(crate) const NETWORKS_CREATE: Operation = with_body(
    "privateNetworks-create",
    Method::Post,
    "/private-networks",
    &[
        req("name", STR),
        req("region", Type::Region),
        opt("migrateMachines", Type::Bool),
    ],
);
pub(crate) const NETWORKS_UPDATE: Operation = with_body(
    "privateNetworks-update",
    Method::Put,
    "/private-networks/{id}",
    &[opt("name", STR)],
);
pub(crate) const NETWORKS_DELETE: Operation = op(
    "privateNetworks-delete",
    Method::Delete,
    "/private-networks/{id}",
);

pub(crate) const DESKTOP: Operation =
    op("machines-getDesktop", Method::Get, "/machines/{id}/desktop");

pub(crate) const SNAPSHOTS_LIST: Operation = list(
    "snapshots-list",
    "/snapshots",
    &["dtCreated", "name"],
    &[opt("machineId", STR)],
);
pub(crate) const SNAPSHOTS_GET: Operation = op("snapshots-get", Method::Get, "/snapshots/{id}");
pub(crate) const SNAPSHOTS_CREATE: Operation = with_body(
    "snapshots-create",
    Method::Post,
    "/snapshots",
    &[req("name", STR), req("machineId", STR)],
);
pub(crate) const SNAPSHOTS_UPDATE: Operation = with_body(
    "snapshots-update",
    Method::Put,
    "/snapshots/{id}",
    &[opt("name", STR)],
);
pub(crate) const SNAPSHOTS_DELETE: Operation =
    op("snapshots-delete", Method::Delete, "/snapshots/{id}");
pub(crate) const SNAPSHOTS_RESTORE: Operation = with_body(
    "snapshots-restore",
    Method::Post,
    "/snapshots/{id}/restore",
    &[opt("createSnapshotBeforeRestore", Type::Bool)],
);

pub(crate) const DRIVES_LIST: Operation = list(
    "sharedDrives-list",
    "/shared-drives",
    &["dtCreated", "name"],
    &[opt("name", STR), opt("region", STR)],
);
pub(crate) const DRIVES_GET: Operation = op("sharedDrives-get", Method::Get, "/shared-drives/{id}");
pub(crate) const DRIVES_CREATE: Operation = with_body(
    "sharedDrives-create",
    Method::Post,
    "/shared-drives",
    &[
        req("name", STR),
        req("size", Type::DiskSize),
        req("region", STR),
        req("networkId", STR),
    ],
);
pub(crate) const DRIVES_UPDATE: Operation = with_body(
    "sharedDrives-update",
    Method::Put,
    "/shared-drives/{id}",
    &[opt("name", STR)],
);
pub(crate) const DRIVES_DELETE: Operation =
    op("sharedDrives-delete", Method::Delete, "/shared-drives/{id}");

/// Every operation served, for the test that holds them to the document.
#[cfg(test)]
pub(crate) const ALL: &[&Operation] = &[
    &AUTH_SESSION,
    &MACHINES_LIST,
    &MACHINES_GET,
    &MACHINES_CREATE,
    &MACHINES_UPDATE,
    &MACHINES_DELETE,
    &MACHINES_START,
    &MACHINES_STOP,
    &MACHINES_RESTART,
    &ACCESSORS_LIST,
    &ACCESSORS_ADD,
    &ACCESSORS_GET,
    &ACCESSORS_REMOVE,
    &EVENTS_LIST,
    &EVENTS_GET,
    &AVAILABILITY,
    &PUBLIC_IPS_LIST,
    &PUBLIC_IPS_CLAIM,
    &PUBLIC_IPS_ASSIGN,
    &PUBLIC_IPS_RELEASE,
    &TEAM_USERS,
    &OS_TEMPLATES_LIST,
    &TEMPLATES_LIST,
    &TEMPLATES_GET,
    &TEMPLATES_CREATE,
    &TEMPLATES_UPDATE,
    &TEMPLATES_DELETE,
    &SCRIPTS_LIST,
    &SCRIPTS_GET,
    &SCRIPTS_CREATE,
    &SCRIPTS_UPDATE,
    &SCRIPTS_DELETE,
    &SCRIPTS_ASSIGN,
    &SCRIPTS_UNASSIGN,
    &NETWORKS_LIST,
    &NETWORKS_GET,
    &NETWORKS_CREATE,
    &NETWORKS_UPDATE,
    &NETWORKS_DELETE,
    &DESKTOP,
    &SNAPSHOTS_LIST,
    &SNAPSHOTS_GET,
    &SNAPSHOTS_CREATE,
    &SNAPSHOTS_UPDATE,
    &SNAPSHOTS_DELETE,
    &SNAPSHOTS_RESTORE,
    &DRIVES_LIST,
    &DRIVES_GET,
    &DRIVES_CREATE,
    &DRIVES_UPDATE,
    &DRIVES_DELETE,
];
