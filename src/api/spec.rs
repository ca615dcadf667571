//! The twelve `paperspace machines` commands as data: one table that the CLI definition, the
//! help text, validation and request building all read. Adding a parameter is one line here.
//!
//! Names, types, required-ness and descriptions are the API reference's
//! (`shared/reference/machines-api.txt`); methods and paths are the legacy CLI's wire format
//! (`peer-spec.md` section 4).

use super::model::{
    AUTO_SNAPSHOT_FREQUENCIES, BILLING_TYPES, MACHINE_TYPES, RESTORE_POINT_FREQUENCIES, WAIT_STATES,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    /// The v1 API's update.
    Put,
    /// The v1 API's start, stop and restart.
    Patch,
    /// The v1 API's destroy and accessor removal.
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// What a flag's value may be, and how it travels on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Any string, sent as a JSON string even when it looks like a number.
    Text,
    /// A machine or user id: a non-blank string.
    Id,
    /// A decimal integer (leading zeros allowed) of at least `min`, sent as a JSON number.
    Count { min: u64 },
    /// A boolean: a bare flag means true; `true`/`false` in any case.
    Switch,
    /// One of a closed set, spelled exactly as the API reference spells it.
    OneOf(&'static [&'static str]),
    /// One of a closed set, in any case (waitfor's `--state`, as the legacy CLI accepted it).
    OneOfAnyCase(&'static [&'static str]),
    /// Like `OneOf`, but the value `null` is sent as JSON null.
    OneOfOrNull(&'static [&'static str]),
    /// A region's long name exactly, or its short code (ny2, ca1, ams1) in any case; sends the
    /// long name.
    Region,
    /// A billing month, `YYYY-MM`.
    Month,
    /// A duration in seconds (fractions allowed); client-side only.
    Seconds { allow_zero: bool },
}

/// Whether a parameter goes to the API or only steers the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    Sent,
    ClientOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ValueKind,
    pub required: bool,
    pub wire: Wire,
    pub help: &'static str,
    /// Shown as the default in help; the client applies it (never sent).
    pub default: Option<&'static str>,
}

/// Cross-flag rules of the API reference, checked before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The two switches cannot both be true.
    NotBothTrue(&'static str, &'static str),
    /// When `flag` is given, none of `others` may be.
    Excludes {
        flag: &'static str,
        others: &'static [&'static str],
    },
    /// When the switch `flag` is true, switch `needs_true` must be true and `needs_given` given.
    WhenTrueRequires {
        flag: &'static str,
        needs_true: &'static str,
        needs_given: &'static str,
    },
}

/// How a command turns its answer into output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// One request; print the body.
    Request,
    /// Poll the show endpoint until the machine reaches `--state`.
    WaitFor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    pub about: &'static str,
    pub method: HttpMethod,
    /// Path template; `{machineId}` is replaced by the percent-encoded value.
    pub path: &'static str,
    pub params: &'static [ParamSpec],
    pub rules: &'static [Rule],
    pub action: Action,
    /// `--machineId` may be repeated or comma-separated: one request per machine.
    pub many_ids: bool,
    /// The state `--wait` waits for after the action (None: the command has no `--wait`).
    pub wait_target: Option<&'static str>,
    pub example: &'static str,
}

impl CommandSpec {
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

const fn req(name: &'static str, kind: ValueKind, help: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind,
        required: true,
        wire: Wire::Sent,
        help,
        default: None,
    }
}

const fn opt(name: &'static str, kind: ValueKind, help: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind,
        required: false,
        wire: Wire::Sent,
        help,
        default: None,
    }
}

const fn client(
    name: &'static str,
    kind: ValueKind,
    default: &'static str,
    help: &'static str,
) -> ParamSpec {
    ParamSpec {
        name,
        kind,
        required: false,
        wire: Wire::ClientOnly,
        help,
        default: Some(default),
    }
}

/// A client-only switch (a bare flag means true; never sent).
const fn client_switch(name: &'static str, help: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind: ValueKind::Switch,
        required: false,
        wire: Wire::ClientOnly,
        help,
        default: None,
    }
}

const INTERVAL: ParamSpec = client(
    "interval",
    ValueKind::Seconds { allow_zero: false },
    "5",
    "Seconds between polls while waiting (fractions allowed).",
);
const TIMEOUT: ParamSpec = client(
    "timeout",
    ValueKind::Seconds { allow_zero: true },
    "900",
    "Give up waiting after this many seconds (exit 124); 0 waits without limit. Stops early (exit 5) when the machine records a new error event.",
);
const WAIT: ParamSpec = client_switch(
    "wait",
    "Wait until the action is done (the machine ready, or off after stop), then print the machine; uses --interval and --timeout.",
);

use ValueKind::*;

const MACHINE_TYPE: ValueKind = OneOf(MACHINE_TYPES);

const CREATE: &[ParamSpec] = &[
    req(
        "region",
        Region,
        "Name of the region. Valid entries: West Coast (CA1), East Coast (NY2), or Europe (AMS1); the short codes ca1, ny2, ams1 are accepted too.",
    ),
    req(
        "machineType",
        MACHINE_TYPE,
        "Machine type. Valid entries are Air, Standard, Pro, Advanced, GPU+, P4000, P5000, P6000, V100, C1, C2, C3, C4, C5, C6, C7, C8, C9, or C10. You cannot use Windows templates to create CPU-only machine types 'C1' - 'C10'.",
    ),
    req(
        "size",
        Count { min: 1 },
        "Storage size for the machine in GB.",
    ),
    req(
        "billingType",
        OneOf(BILLING_TYPES),
        "Billing type: hourly or monthly.",
    ),
    req("machineName", Text, "A memorable name for this machine."),
    req(
        "templateId",
        Text,
        "Template ID of the template to use for creating this machine.",
    ),
    opt(
        "teamId",
        Text,
        "Required if creating this machine for a team.",
    ),
    opt(
        "assignPublicIp",
        Switch,
        "Assign a new public ip address on machine creation. Cannot be used with dynamicPublicIp.",
    ),
    opt(
        "dynamicPublicIp",
        Switch,
        "Assigns a new public IP address on machine start and releases it from the account on machine stop. Cannot be used with assignPublicIp.",
    ),
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
    ),
    opt(
        "userId",
        Text,
        "If assigning to an existing user other than yourself specify the user ID (mutually exclusive with email, password, firstName, lastName).",
    ),
    opt(
        "email",
        Text,
        "If creating a new user for this machine specify their email address (mutually exclusive with userId).",
    ),
    opt(
        "password",
        Text,
        "If creating a new user specify their password (mutually exclusive with userId).",
    ),
    opt(
        "firstName",
        Text,
        "If creating a new user specify their first name (mutually exclusive with userId).",
    ),
    opt(
        "lastName",
        Text,
        "If creating a new user specify their last name (mutually exclusive with userId).",
    ),
    opt(
        "notificationEmail",
        Text,
        "Send a notification to this email address when complete.",
    ),
    opt(
        "takeInitialSnapshot",
        Switch,
        "Take a snapshot of the VM at first boot.",
    ),
    opt(
        "markSnapshotAsRestorePoint",
        Switch,
        "Use initial snapshot as a restore point for the VM. If this is true takeInitialSnapshot must be true and restorePointFrequency must be specified.",
    ),
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
    ParamSpec {
        default: None,
        ..client(
            "optionsFile",
            Text,
            "",
            "A JSON file whose keys are the flags above (e.g. {\"region\": \"ny2\", \"size\": 50}); flags given on the command line win.",
        )
    },
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

const UPDATE: &[ParamSpec] = &[
    req("machineId", Id, "Id of the machine to update."),
    opt("machineName", Text, "New name for the machine."),
    opt(
        "shutdownTimeoutInHours",
        Count { min: 0 },
        "Number of hours before machine is shutdown if no one is logged in via the Paperspace client.",
    ),
    opt(
        "shutdownTimeoutForces",
        Switch,
        "Force shutdown at shutdown timeout, even if there is a Paperspace client connection.",
    ),
    opt(
        "autoSnapshotFrequency",
        OneOfOrNull(AUTO_SNAPSHOT_FREQUENCIES),
        "One of 'hour', 'day', 'week', 'month', or null.",
    ),
    opt(
        "autoSnapshotSaveCount",
        Count { min: 0 },
        "Number of snapshots to save.",
    ),
    opt("performAutoSnapshot", Switch, "Perform auto snapshots."),
    opt(
        "dynamicPublicIp",
        Switch,
        "If true, assigns a new public ip address on machine start and releases it from the account on machine stop.",
    ),
    opt(
        "assignPublicIp",
        Switch,
        "If true, assigns a new static public ip address for the machine.",
    ),
];

const LIST: &[ParamSpec] = &[
    opt(
        "limit",
        Count { min: 0 },
        "Number of items to return. Defaults to 1000.",
    ),
    opt(
        "skip",
        Count { min: 0 },
        "Number of items in the list to skip.",
    ),
    opt(
        "machineId",
        Text,
        "Machine id to match on. Note: must be specified as machineId, not id.",
    ),
    opt("name", Text, "Name to match on."),
    opt("os", Text, "OS to match on."),
    opt("ram", Text, "RAM value to match on."),
    opt("cpus", Count { min: 0 }, "CPU count to match on."),
    opt("gpu", Text, "GPU to match on."),
    opt("storageTotal", Text, "storageTotal value to match on."),
    opt("storageUsed", Text, "storageUsed value to match on."),
    opt("usageRate", Text, "usageRate value to match on."),
    opt(
        "shutdownTimeoutInHours",
        Count { min: 0 },
        "shutdownTimeoutInHours value to match on.",
    ),
    opt(
        "performAutoSnapshot",
        Switch,
        "performAutoSnapshot value to match on, either true or false.",
    ),
    opt(
        "autoSnapshotFrequency",
        Text,
        "autoSnapshotFrequency value to match on.",
    ),
    opt(
        "autoSnapshotSaveCount",
        Count { min: 0 },
        "autoSnapshotSaveCount value to match on.",
    ),
    opt("agentType", Text, "agentType value to match on."),
    opt("dtCreated", Text, "datetime created value to match on."),
    opt("state", Text, "state value to match on."),
    opt(
        "updatesPending",
        Switch,
        "updatesPending value to match on.",
    ),
    opt("networkId", Text, "networkId to match on."),
    opt("privateIpAddress", Text, "privateIpAddress to match on."),
    opt("publicIpAddress", Text, "publicIpAddress to match on."),
    opt(
        "region",
        Region,
        "region to match on (long name, or ny2, ca1, ams1).",
    ),
    opt("userId", Text, "userId to match on."),
    opt("teamId", Text, "teamId to match on."),
    opt("scriptId", Text, "scriptId to match on."),
    opt(
        "dtLastRun",
        Text,
        "script date/time last run value to match on.",
    ),
    client_switch(
        "all",
        "Follow the pages (--limit per page, default 1000, from --skip) until the last, and print one array.",
    ),
];

/// The whole `machines` namespace, in the order `paperspace machines --help` lists it.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "create",
        about: "Create a new Paperspace virtual machine",
        method: HttpMethod::Post,
        path: "/machines/createSingleMachinePublic",
        params: CREATE,
        rules: CREATE_RULES,
        action: Action::Request,
        many_ids: false,
        wait_target: Some("ready"),
        example: "paperspace machines create --region \"East Coast (NY2)\" --machineType P4000 --size 50 --billingType hourly --machineName \"My Machine 1\" --templateId tbu200wi",
    },
    CommandSpec {
        name: "start",
        about: "Start a machine (a no-op if it is already started)",
        method: HttpMethod::Post,
        path: "/machines/{machineId}/start",
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
        action: Action::Request,
        many_ids: true,
        wait_target: Some("ready"),
        example: "paperspace machines start --machineId psfj3c701",
    },
    CommandSpec {
        name: "stop",
        about: "Stop a machine (a no-op if it is already stopped)",
        method: HttpMethod::Post,
        path: "/machines/{machineId}/stop",
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
        action: Action::Request,
        many_ids: true,
        wait_target: Some("off"),
        example: "paperspace machines stop --machineId psfj3c701",
    },
    CommandSpec {
        name: "restart",
        about: "Restart a machine",
        method: HttpMethod::Post,
        path: "/machines/{machineId}/restart",
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
        action: Action::Request,
        many_ids: true,
        wait_target: Some("ready"),
        example: "paperspace machines restart --machineId psfj3c701",
    },
    CommandSpec {
        name: "destroy",
        about: "Destroy a machine and the snapshots derived from it",
        method: HttpMethod::Post,
        path: "/machines/{machineId}/destroyMachine",
        params: &[
            req(
                "machineId",
                Id,
                "The id of the machine to destroy. Repeat the flag (or separate ids with commas) to destroy several.",
            ),
            opt(
                "releasePublicIp",
                Switch,
                "Releases any assigned public ip address for the machine; defaults to false.",
            ),
            client_switch(
                "yes",
                "Do not ask for confirmation (asked only when stdin and stderr are terminals).",
            ),
        ],
        rules: &[],
        action: Action::Request,
        many_ids: true,
        wait_target: None,
        example: "paperspace machines destroy --machineId psfj3c701 --releasePublicIp",
    },
    CommandSpec {
        name: "update",
        about: "Update attributes of a machine",
        method: HttpMethod::Post,
        path: "/machines/{machineId}/updateMachinePublic",
        params: UPDATE,
        rules: &[Rule::NotBothTrue("assignPublicIp", "dynamicPublicIp")],
        action: Action::Request,
        many_ids: false,
        wait_target: None,
        example: "paperspace machines update --machineId psec02yp2 --machineName \"New Machine Name\"",
    },
    CommandSpec {
        name: "list",
        about: "List the machines of the current user or team, with optional filters",
        method: HttpMethod::Get,
        path: "/machines/getMachines",
        params: LIST,
        rules: &[],
        action: Action::Request,
        many_ids: false,
        wait_target: None,
        example: "paperspace machines list --state ready --limit 10",
    },
    CommandSpec {
        name: "show",
        about: "Show a machine, with its events",
        method: HttpMethod::Get,
        path: "/machines/getMachinePublic",
        params: &[req(
            "machineId",
            Id,
            "ID of the machine to show. Repeat the flag (or separate ids with commas) to show several.",
        )],
        rules: &[],
        action: Action::Request,
        many_ids: true,
        wait_target: None,
        example: "paperspace machines show --machineId psec02yp2",
    },
    CommandSpec {
        name: "setAccessForUser",
        about: "Give a user access to a machine, or take it away",
        method: HttpMethod::Post,
        path: "/machines/{machineId}/setMachineAccess",
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
        action: Action::Request,
        many_ids: false,
        wait_target: None,
        example: "paperspace machines setAccessForUser --machineId psec02yp2 --userId ubx9ce8k --enableAccess true",
    },
    CommandSpec {
        name: "utilization",
        about: "Show a machine's utilization for a billing month",
        method: HttpMethod::Get,
        path: "/machines/getUtilization",
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
        action: Action::Request,
        many_ids: false,
        wait_target: None,
        example: "paperspace machines utilization --machineId psec02yp2 --billingMonth 2022-03",
    },
    CommandSpec {
        name: "waitfor",
        about: "Wait for a machine to enter a state, then print it",
        method: HttpMethod::Get,
        path: "/machines/getMachinePublic",
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
        action: Action::WaitFor,
        many_ids: true,
        wait_target: None,
        example: "paperspace machines waitfor --machineId psec02yp2 --state ready --timeout 600",
    },
    CommandSpec {
        name: "availability",
        about: "Show whether a machine type can be requested in a region",
        method: HttpMethod::Get,
        path: "/machines/getAvailability",
        params: &[
            req(
                "region",
                Region,
                "Name of the region: either 'East Coast (NY2)', 'West Coast (CA1)', or 'Europe (AMS1)' (or ny2, ca1, ams1).",
            ),
            req(
                "machineType",
                MACHINE_TYPE,
                "Machine type: one of the machine types of create, e.g. 'GPU+', 'P4000', 'P5000', 'P6000', or 'V100'.",
            ),
        ],
        rules: &[],
        action: Action::Request,
        many_ids: false,
        wait_target: None,
        example: "paperspace machines availability --region \"East Coast (NY2)\" --machineType P4000",
    },
];

pub fn command(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_of_the_reference_is_in_the_table_once() {
        let names: Vec<_> = COMMANDS.iter().map(|c| c.name).collect();
        for wanted in [
            "create",
            "start",
            "stop",
            "restart",
            "destroy",
            "update",
            "list",
            "show",
            "setAccessForUser",
            "utilization",
            "waitfor",
            "availability",
        ] {
            assert_eq!(
                names.iter().filter(|n| **n == wanted).count(),
                1,
                "{wanted}"
            );
        }
        assert_eq!(names.len(), 12);
    }

    #[test]
    fn rules_name_only_parameters_of_their_command() {
        for cmd in COMMANDS {
            for rule in cmd.rules {
                let named: Vec<&str> = match rule {
                    Rule::NotBothTrue(a, b) => vec![a, b],
                    Rule::Excludes { flag, others } => std::iter::once(*flag)
                        .chain(others.iter().copied())
                        .collect(),
                    Rule::WhenTrueRequires {
                        flag,
                        needs_true,
                        needs_given,
                    } => vec![flag, needs_true, needs_given],
                };
                for name in named {
                    assert!(cmd.param(name).is_some(), "{}: {name}", cmd.name);
                }
            }
        }
    }

    #[test]
    fn commands_with_wait_have_its_interval_and_timeout() {
        for cmd in COMMANDS {
            let has = |name| cmd.param(name).is_some();
            assert_eq!(cmd.wait_target.is_some(), has("wait"), "{}", cmd.name);
            if has("wait") || cmd.action == Action::WaitFor {
                assert!(has("interval") && has("timeout"), "{}", cmd.name);
            }
            if cmd.many_ids {
                assert!(
                    cmd.param("machineId").is_some_and(|p| p.required),
                    "{}",
                    cmd.name
                );
            }
        }
    }

    #[test]
    fn paths_with_a_machine_id_belong_to_commands_that_require_it() {
        for cmd in COMMANDS {
            if cmd.path.contains("{machineId}") {
                let p = cmd.param("machineId").expect(cmd.name);
                assert!(p.required && p.kind == ValueKind::Id, "{}", cmd.name);
            }
        }
    }
}
