//! The `machines` namespace: the twelve commands of the legacy CLI, then those v1 added
//! (events, accessors, desktop).
//!
//! Names, types, required-ness and descriptions are the legacy API reference's; methods and
//! paths are the legacy CLI's wire format (docs/compatibility.md, "The wire"). The v1
//! operations are the live API's (docs/v1.md).

use super::{CommandId, INTERVAL, MachinesCommand, TIMEOUT, YES};
use crate::api::plan::{Answer, Items};
use crate::api::spec::*;
use crate::vocab::{
    BILLING_TYPES, LEGACY_SNAPSHOT_FREQUENCIES_OR_NULL, RESTORE_POINT_FREQUENCIES, WAIT_STATES,
};

/// What shows whether a create whose answer was lost made a machine (it has no id yet).
/// The legacy API's read of one machine: `show`'s route, and what each `waitfor` poll reads
/// (`api::legacy::show_request`).
pub(crate) const LEGACY_SHOW: &str = "/machines/getMachinePublic";

const LIST_BY_NAME: Check = Check {
    command: "machines list",
    flag: "name",
    value_of: "machineName",
    fallback: "machines list",
};

/// What shows whether a change to a machine whose answer was lost took effect.
const SHOW_MACHINE: Check = Check {
    command: "machines show",
    flag: "machineId",
    value_of: "machineId",
    fallback: "machines list",
};

const WAIT: ParamSpec = client_switch(
    "wait",
    "Wait until the action is done (the machine ready, or off after stop), then print the machine; uses --interval and --timeout.",
);

use ValueKind::*;

const CREATE: &[ParamSpec] = &[
    req(
        "region",
        Region,
        "Name of the region. Valid entries: West Coast (CA1), East Coast (NY2), or Europe (AMS1); the short codes ca1, ny2, ams1 are accepted too.",
    )
    .on_v1(OnV1::Converted(V1Value::RegionCode)),
    req(
        "machineType",
        MachineType,
        "Machine type, e.g. C5, P4000, RTX4000, A4000, A100-80G, H100x8. The legacy API takes Air, Standard, Pro, Advanced, GPU+, P4000, P5000, P6000, V100, C1-C10 and the types sold since (RTX4000, RTX5000, A4000, A5000, A6000, V100-32G, A100, A100-80G, H100 and their multi-GPU labels); with --api v1 any type is sent and the service decides. You cannot use Windows templates to create CPU-only machine types 'C1' - 'C10'.",
    ),
    req(
        "size",
        Count { min: 1 },
        "Storage size for the machine in GB.",
    )
    .on_v1(OnV1::Renamed("diskSize")),
    req(
        "billingType",
        OneOf(BILLING_TYPES),
        "Billing type: hourly or monthly.",
    )
    .on_v1(OnV1::Converted(V1Value::HourlyBillingOnly)),
    req("machineName", Text, "A memorable name for this machine.")
    .on_v1(OnV1::Renamed("name")),
    req(
        "templateId",
        Text,
        "Template ID of the template to use for creating this machine.",
    ),
    opt(
        "teamId",
        Text,
        "Required if creating this machine for a team.",
    )
    .on_v1(OnV1::Refused("the team is the API key's own")),
    opt(
        "assignPublicIp",
        Switch,
        "Assign a new public ip address on machine creation. Cannot be used with dynamicPublicIp.",
    )
    .on_v1(OnV1::Converted(V1Value::PublicIpType)),
    opt(
        "dynamicPublicIp",
        Switch,
        "Assigns a new public IP address on machine start and releases it from the account on machine stop. Cannot be used with assignPublicIp.",
    )
    .on_v1(OnV1::Converted(V1Value::PublicIpType)),
    opt(
        "startOnCreate",
        Switch,
        "Start the VM immediately after creation. Defaults to true.",
    ),
    opt(
        "networkId",
        Text,
        "If creating on a specific network specify its ID.",
    ),
    opt(
        "scriptId",
        Text,
        "The script ID of a script to be run on startup. See the Script Guide for more info on using scripts.",
    )
    .on_v1(OnV1::Renamed("startupScriptId")),
    opt(
        "userId",
        Text,
        "If assigning to an existing user other than yourself specify the user ID (mutually exclusive with email, password, firstName, lastName). With --api v1 the user gets access to the machine (it stays the team's).",
    )
    .on_v1(OnV1::Converted(V1Value::AccessorIds)),
    opt(
        "email",
        Text,
        "If creating a new user for this machine specify their email address (mutually exclusive with userId).",
    )
    .on_v1(OnV1::Refused(
        "v1 creates machines for the key's owner; give access afterwards with setAccessForUser",
    )),
    opt(
        "password",
        Text,
        "If creating a new user specify their password (mutually exclusive with userId).",
    )
    .on_v1(OnV1::Refused(
        "v1 creates machines for the key's owner; give access afterwards with setAccessForUser",
    )),
    opt(
        "firstName",
        Text,
        "If creating a new user specify their first name (mutually exclusive with userId).",
    )
    .on_v1(OnV1::Refused(
        "v1 creates machines for the key's owner; give access afterwards with setAccessForUser",
    )),
    opt(
        "lastName",
        Text,
        "If creating a new user specify their last name (mutually exclusive with userId).",
    )
    .on_v1(OnV1::Refused(
        "v1 creates machines for the key's owner; give access afterwards with setAccessForUser",
    )),
    opt(
        "notificationEmail",
        Text,
        "Send a notification to this email address when complete.",
    )
    .on_v1(OnV1::Refused("v1 sends no completion email")),
    opt(
        "takeInitialSnapshot",
        Switch,
        "Take a snapshot of the VM at first boot.",
    ),
    opt(
        "markSnapshotAsRestorePoint",
        Switch,
        "Use initial snapshot as a restore point for the VM. If this is true takeInitialSnapshot must be true and restorePointFrequency must be specified.",
    )
    .on_v1(OnV1::Renamed("restorePointEnabled")),
    opt(
        "restorePointFrequency",
        OneOf(RESTORE_POINT_FREQUENCIES),
        "How often the VM's restore point should be used. Valid options: shutdown.",
    ),
    opt(
        "enableNvlink",
        Switch,
        "Enable NVLink on compatible machine types.",
    ),
    SHUTDOWN_TIMEOUT.v1_only(),
    SHUTDOWN_FORCES.v1_only(),
    SNAPSHOT_FREQUENCY.v1_only(),
    SNAPSHOT_SAVE_COUNT.v1_only(),
    PERFORM_AUTO_SNAPSHOT.v1_only(),
    opt(
        "emailPassword",
        Switch,
        "Email the machine's password to its owner once it is made (with --api v1; the service's default is true).",
    )
    .v1_only(),
    client_value(
        "optionsFile",
        Text,
        "A JSON file whose keys are the flags above (e.g. {\"region\": \"ny2\", \"size\": 50}); flags given on the command line win.",
    ),
    WAIT,
    INTERVAL,
    TIMEOUT,
];

const CREATE_RULES: &[Rule] = &[
    Rule::NotBothTrue("assignPublicIp", "dynamicPublicIp"),
    Rule::Excludes {
        flag: "userId",
        others: &["email", "password", "firstName", "lastName"],
    },
    Rule::WhenTrueRequires {
        flag: "markSnapshotAsRestorePoint",
        needs_true: "takeInitialSnapshot",
        needs_given: "restorePointFrequency",
    },
];

/// The settings a machine keeps, which update changes and, on v1, create sets.
const SHUTDOWN_TIMEOUT: ParamSpec = opt(
    "shutdownTimeoutInHours",
    Count { min: 0 },
    "Number of hours before machine is shutdown if no one is logged in via the Paperspace client.",
)
.on_v1(OnV1::Converted(V1Value::AutoShutdownHours));
const SHUTDOWN_FORCES: ParamSpec = opt(
    "shutdownTimeoutForces",
    Switch,
    "Force shutdown at shutdown timeout, even if there is a Paperspace client connection.",
)
.on_v1(OnV1::Renamed("autoShutdownForce"));
const SNAPSHOT_FREQUENCY: ParamSpec = opt(
    "autoSnapshotFrequency",
    OneOfOrNull(LEGACY_SNAPSHOT_FREQUENCIES_OR_NULL),
    "One of 'hour', 'day', 'week', 'month', or null.",
)
.on_v1(OnV1::Converted(V1Value::SnapshotFrequency));
const SNAPSHOT_SAVE_COUNT: ParamSpec = opt(
    "autoSnapshotSaveCount",
    Count { min: 0 },
    "Number of snapshots to save.",
);
const PERFORM_AUTO_SNAPSHOT: ParamSpec =
    opt("performAutoSnapshot", Switch, "Perform auto snapshots.")
        .on_v1(OnV1::Renamed("autoSnapshotEnabled"));

const UPDATE: &[ParamSpec] = &[
    req("machineId", Id, "Id of the machine to update.")
    .on_v1(OnV1::Client),
    opt("machineName", Text, "New name for the machine.")
    .on_v1(OnV1::Renamed("name")),
    SHUTDOWN_TIMEOUT,
    SHUTDOWN_FORCES,
    SNAPSHOT_FREQUENCY,
    SNAPSHOT_SAVE_COUNT,
    PERFORM_AUTO_SNAPSHOT,
    opt(
        "dynamicPublicIp",
        Switch,
        "If true, assigns a new public ip address on machine start and releases it from the account on machine stop. False leaves the machine's address as it is.",
    )
    .on_v1(OnV1::Converted(V1Value::PublicIpType)),
    opt(
        "assignPublicIp",
        Switch,
        "If true, assigns a new static public ip address for the machine. False leaves the machine's address as it is: a static address is removed only by releasing it (destroy --releasePublicIp).",
    )
    .on_v1(OnV1::Converted(V1Value::PublicIpType)),
    opt(
        "machineType",
        MachineType,
        "Resize the machine to this machine type (with --api v1; the service may need the machine off).",
    )
    .v1_only(),
    opt(
        "size",
        Count { min: 1 },
        "Grow the machine's disk to this many GB (with --api v1).",
    )
    .on_v1(OnV1::Renamed("diskSize"))
    .v1_only(),
    opt(
        "networkId",
        Id,
        "Move the machine to this private network (with --api v1).",
    )
    .v1_only(),
    client_switch(
        "wait",
        "Wait until the change is done and the machine is back in the state it was in (read first), then print the machine; uses --interval and --timeout.",
    ),
    INTERVAL,
    TIMEOUT,
];

const LIST: &[ParamSpec] = &[
    opt(
        "limit",
        Count { min: 0 },
        "Number of items to return. Defaults to 1000.",
    )
    .on_v1(OnV1::Client),
    opt(
        "skip",
        Count { min: 0 },
        "Number of items in the list to skip.",
    )
    .on_v1(OnV1::Client),
    opt(
        "machineId",
        Text,
        "Machine id to match on. Note: must be specified as machineId, not id.",
    )
    .on_v1(OnV1::FilteredHere),
    opt("name", Text, "Name to match on (exactly).").on_v1(OnV1::SentAndFilteredHere),
    opt("os", Text, "OS to match on.").on_v1(OnV1::FilteredHere),
    opt("ram", Text, "RAM value to match on.").on_v1(OnV1::FilteredHere),
    opt("cpus", Count { min: 0 }, "CPU count to match on.").on_v1(OnV1::FilteredHere),
    opt("gpu", Text, "GPU to match on.").on_v1(OnV1::FilteredHere),
    opt("storageTotal", Text, "storageTotal value to match on.").on_v1(OnV1::FilteredHere),
    opt("storageUsed", Text, "storageUsed value to match on.").on_v1(OnV1::FilteredHere),
    opt("usageRate", Text, "usageRate value to match on.").on_v1(OnV1::FilteredHere),
    opt(
        "shutdownTimeoutInHours",
        Count { min: 0 },
        "shutdownTimeoutInHours value to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt(
        "performAutoSnapshot",
        Switch,
        "performAutoSnapshot value to match on, either true or false.",
    )
    .on_v1(OnV1::FilteredHere),
    opt(
        "autoSnapshotFrequency",
        Text,
        "autoSnapshotFrequency value to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt(
        "autoSnapshotSaveCount",
        Count { min: 0 },
        "autoSnapshotSaveCount value to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt("agentType", Text, "agentType value to match on."),
    opt("dtCreated", Text, "datetime created value to match on.").on_v1(OnV1::FilteredHere),
    opt("state", Text, "state value to match on.").on_v1(OnV1::FilteredHere),
    opt(
        "updatesPending",
        Switch,
        "updatesPending value to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt("networkId", Text, "networkId to match on.").on_v1(OnV1::FilteredHere),
    opt("privateIpAddress", Text, "privateIpAddress to match on.").on_v1(OnV1::FilteredHere),
    opt("publicIpAddress", Text, "publicIpAddress to match on.").on_v1(OnV1::FilteredHere),
    opt(
        "region",
        Region,
        "region to match on (long name, or ny2, ca1, ams1).",
    )
    .on_v1(OnV1::Converted(V1Value::RegionCode)),
    opt("userId", Text, "userId to match on.").on_v1(OnV1::Refused(
        "v1 machines have no such field, so nothing would match",
    )),
    opt("teamId", Text, "teamId to match on.").on_v1(OnV1::Refused(
        "v1 machines have no such field, so nothing would match",
    )),
    opt("scriptId", Text, "scriptId to match on.").on_v1(OnV1::Refused(
        "v1 machines have no such field, so nothing would match",
    )),
    opt(
        "dtLastRun",
        Text,
        "script date/time last run value to match on.",
    )
    .on_v1(OnV1::Refused(
        "v1 machines have no such field, so nothing would match",
    )),
    client_switch(
        "all",
        "Follow the pages (--limit per page, default 1000, from --skip) until the last, and print one array.",
    ),
];

/// The whole `machines` namespace, in the order `paperspace machines --help` lists it.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Create),
        name: "create",
        about: "Create a new Paperspace virtual machine",
        params: CREATE,
        rules: CREATE_RULES,
        resend: Resend::Never(LIST_BY_NAME),
        targets: Targets::None,
        waits: Waits::OnFlag("ready"),
        view: ViewKind::Machine,
        confirm: None,
        legacy: LegacyOp::post("/machines/createSingleMachinePublic"),
        v1: V1Op::Call {
            route: Route::post("/machines"),
            params: V1Params::Body,
            answer: Answer::V1ActionMachine,
        },
        example: "paperspace machines create --region \"East Coast (NY2)\" --machineType P4000 --size 50 --billingType hourly --machineName \"My Machine 1\" --templateId tbu200wi",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Start),
        name: "start",
        about: "Start a machine (a no-op if it is already started)",
        params: &[
            req(
                "machineId",
                Id,
                "Id of the machine to start. Repeat the flag (or separate ids with commas) to act on several machines at once.",
            ),
            WAIT,
            INTERVAL,
            TIMEOUT,
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::Many("machineId"),
        waits: Waits::OnFlag("ready"),
        view: ViewKind::Action("Starting machine"),
        confirm: None,
        legacy: LegacyOp::post("/machines/{machineId}/start"),
        v1: V1Op::PowerAction {
            route: Route::patch("/machines/{machineId}/start"),
            already: &["starting", "serviceready", "ready", "restarting"],
        },
        example: "paperspace machines start --machineId psfj3c701",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Stop),
        name: "stop",
        about: "Stop a machine (a no-op if it is already stopped)",
        params: &[
            req(
                "machineId",
                Id,
                "Id of the machine to shut down. Repeat the flag (or separate ids with commas) to act on several machines at once.",
            ),
            WAIT,
            INTERVAL,
            TIMEOUT,
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::Many("machineId"),
        waits: Waits::OnFlag("off"),
        view: ViewKind::Action("Stopping machine"),
        confirm: None,
        legacy: LegacyOp::post("/machines/{machineId}/stop"),
        v1: V1Op::PowerAction {
            route: Route::patch("/machines/{machineId}/stop"),
            already: &["stopping", "off"],
        },
        example: "paperspace machines stop --machineId psfj3c701",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Restart),
        name: "restart",
        about: "Restart a machine",
        params: &[
            req(
                "machineId",
                Id,
                "Id of the machine to restart. Repeat the flag (or separate ids with commas) to act on several machines at once.",
            ),
            WAIT,
            INTERVAL,
            TIMEOUT,
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::Many("machineId"),
        waits: Waits::OnFlag("ready"),
        view: ViewKind::Action("Restarting machine"),
        confirm: None,
        legacy: LegacyOp::post("/machines/{machineId}/restart"),
        v1: V1Op::PowerAction {
            route: Route::patch("/machines/{machineId}/restart"),
            already: &["restarting"],
        },
        example: "paperspace machines restart --machineId psfj3c701",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Destroy),
        name: "destroy",
        about: "Destroy a machine and the snapshots derived from it",
        params: &[
            req(
                "machineId",
                Id,
                "The id of the machine to destroy. Repeat the flag (or separate ids with commas) to destroy several.",
            ),
            opt(
                "releasePublicIp",
                Switch,
                "Releases any assigned public ip address for the machine; defaults to false. Without it a static address stays in the account (and is billed).",
            )
            .on_v1(OnV1::Converted(V1Value::ReleasesStaticIp)),
            YES,
        ],
        rules: &[],
        resend: Resend::Never(SHOW_MACHINE),
        targets: Targets::Many("machineId"),
        waits: Waits::Never,
        view: ViewKind::Action("Destroying machine"),
        confirm: Some(Confirmation {
            verb: "Destroy",
            done: "destroyed",
            noun: "machine",
            nouns: "machines",
        }),
        legacy: LegacyOp::post("/machines/{machineId}/destroyMachine"),
        v1: V1Op::Call {
            route: Route::delete("/machines/{machineId}"),
            params: V1Params::None,
            answer: Answer::Empty,
        },
        example: "paperspace machines destroy --machineId psfj3c701 --releasePublicIp",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Update),
        name: "update",
        about: "Update attributes of a machine",
        params: UPDATE,
        rules: &[Rule::NotBothTrue("assignPublicIp", "dynamicPublicIp")],
        resend: Resend::Never(SHOW_MACHINE),
        targets: Targets::One("machineId"),
        waits: Waits::OnFlagBack,
        view: ViewKind::Machine,
        confirm: None,
        legacy: LegacyOp::post("/machines/{machineId}/updateMachinePublic"),
        v1: V1Op::Call {
            route: Route::put("/machines/{machineId}"),
            params: V1Params::Body,
            answer: Answer::V1ActionMachine,
        },
        example: "paperspace machines update --machineId psec02yp2 --machineName \"New Machine Name\"",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::List),
        name: "list",
        about: "List the machines of the current user or team, with optional filters",
        params: LIST,
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::MachineList,
        confirm: None,
        legacy: LegacyOp::get("/machines/getMachines"),
        v1: V1Op::MachineList,
        example: "paperspace machines list --state ready --limit 10",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Show),
        name: "show",
        about: "Show a machine, with its events",
        params: &[req(
            "machineId",
            Id,
            "ID of the machine to show. Repeat the flag (or separate ids with commas) to show several.",
        )],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::Many("machineId"),
        waits: Waits::Never,
        view: ViewKind::Machine,
        confirm: None,
        legacy: LegacyOp::get(LEGACY_SHOW),
        v1: V1Op::Machine,
        example: "paperspace machines show --machineId psec02yp2",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::SetAccessForUser),
        name: "setAccessForUser",
        about: "Give a user access to a machine, or take it away",
        params: &[
            req("machineId", Id, "Id of the machine to enable access."),
            req("userId", Id, "Id of the user to enable machine access for."),
            req(
                "enableAccess",
                Switch,
                "When true, the person is added as an accessor to the machine; when false the person is removed.",
            ),
        ],
        rules: &[],
        resend: Resend::Never(SHOW_MACHINE),
        targets: Targets::One("machineId"),
        waits: Waits::Never,
        view: ViewKind::Action("Updated access to machine"),
        confirm: None,
        legacy: LegacyOp::post("/machines/{machineId}/setMachineAccess"),
        v1: V1Op::Access,
        example: "paperspace machines setAccessForUser --machineId psec02yp2 --userId ubx9ce8k --enableAccess true",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Utilization),
        name: "utilization",
        about: "Show a machine's utilization for a billing month",
        params: &[
            req(
                "machineId",
                Id,
                "Id of the machine to get utilization data for.",
            ),
            req(
                "billingMonth",
                Month,
                "Billing period to query in YYYY-MM format.",
            ),
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One("machineId"),
        waits: Waits::Never,
        view: ViewKind::Utilization,
        confirm: None,
        legacy: LegacyOp::get("/machines/getUtilization"),
        v1: V1Op::Unsupported("the v1 API has no utilization endpoint"),
        example: "paperspace machines utilization --machineId psec02yp2 --billingMonth 2022-03",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Waitfor),
        name: "waitfor",
        about: "Wait for a machine to enter a state, then print it",
        params: &[
            req(
                "machineId",
                Id,
                "Id of the machine to wait for. Repeat the flag (or separate ids with commas) to wait for several.",
            ),
            ParamSpec {
                wire: Wire::ClientOnly,
                ..req(
                    "state",
                    OneOfAnyCase(WAIT_STATES),
                    "Name of the state to wait for, either off, serviceready, ready (any case).",
                )
            },
            INTERVAL,
            TIMEOUT,
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::Many("machineId"),
        waits: Waits::ForStateFlag,
        view: ViewKind::Machine,
        confirm: None,
        legacy: LegacyOp::get(LEGACY_SHOW),
        v1: V1Op::Machine,
        example: "paperspace machines waitfor --machineId psec02yp2 --state ready --timeout 600",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Availability),
        name: "availability",
        about: "Show whether a machine type can be requested in a region",
        params: &[
            req(
                "region",
                Region,
                "Name of the region: either 'East Coast (NY2)', 'West Coast (CA1)', or 'Europe (AMS1)' (or ny2, ca1, ams1).",
            )
            .on_v1(OnV1::Converted(V1Value::RegionCode)),
            req(
                "machineType",
                MachineType,
                "Machine type: one of the machine types of create, e.g. 'GPU+', 'P4000', 'RTX4000', 'A100-80G' (with --api v1, any type the service sells).",
            ),
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::Availability,
        confirm: None,
        legacy: LegacyOp::get("/machines/getAvailability"),
        v1: V1Op::Call {
            route: Route::get("/machine-availability"),
            params: V1Params::Query,
            answer: Answer::AsIs,
        },
        example: "paperspace machines availability --region \"East Coast (NY2)\" --machineType P4000",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Events),
        name: "events",
        about: "List a machine's events, newest first (v1)",
        params: &[
            req("machineId", Id, "Id of the machine whose events to list.")
                .on_v1(OnV1::Same),
            client_value(
                "limit",
                Count { min: 1 },
                "Show at most this many events (the newest); all of them when not given.",
            ),
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One("machineId"),
        waits: Waits::Never,
        view: ViewKind::List(Resource::Event),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Planned(V1Planner::List {
            path: "/machine-events",
            order_by: "dtCreated",
            newest_first: true,
            items: Items::AsIs,
        }),
        example: "paperspace machines events --machineId psec02yp2 --limit 5",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Accessors),
        name: "accessors",
        about: "List who has access to a machine (v1)",
        params: &[req("machineId", Id, "Id of the machine.").on_v1(OnV1::Client)],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One("machineId"),
        waits: Waits::Never,
        view: ViewKind::List(Resource::Accessor),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Planned(V1Planner::List {
            path: "/machines/{machineId}/accessors",
            order_by: "id",
            newest_first: false,
            items: Items::AsIs,
        }),
        example: "paperspace machines accessors --machineId psec02yp2",
    },
    CommandSpec {
        id: CommandId::Machines(MachinesCommand::Desktop),
        name: "desktop",
        about: "Show how to connect to a machine's desktop (VNC or Windows remote desktop; v1)",
        params: &[
            req("machineId", Id, "Id of the machine.").on_v1(OnV1::Client),
            client_switch(
                SHOW_PASSWORD,
                "Show the VNC password in the table (the JSON always has it).",
            ),
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One("machineId"),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Desktop),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::get("/machines/{machineId}/desktop"),
            params: V1Params::None,
            answer: Answer::AsIs,
        },
        example: "paperspace machines desktop --machineId psec02yp2 -o table --showPassword",
    },
];
