//! The command table: every command of the CLI that talks to the API, as one row each
//! (`spec::CommandSpec`). The CLI definition, help, validation, both backends' planners, the
//! retry rules and the table views all read these rows.

mod machines;
pub(crate) use machines::LEGACY_SHOW;
mod networks;
mod public_ips;
mod scripts;
mod shared_drives;
mod snapshots;
mod templates;
mod users;

use super::spec::{CommandSpec, ParamSpec, SKIP_CONFIRMATION, ValueKind, client, client_switch};

/// The flags of every wait: how often to poll, and for how long.
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
    "Give up waiting after this many seconds (exit 124); 0 waits without limit. Stops early (exit 5) when the machine records a new error event, or the action's event fails.",
);

/// `--yes` of the commands that ask before doing what cannot be undone (`Confirmation`).
const YES: ParamSpec = client_switch(
    SKIP_CONFIRMATION,
    "Do not ask for confirmation (asked only when stdin and stderr are terminals).",
);

/// `--wait` of the commands whose wait is over when the action's event is done.
const WAIT_FOR_EVENT: ParamSpec = client_switch(
    "wait",
    "Wait until the action is done (its event, with --api v1), then print the answer; uses --interval and --timeout.",
);

/// A namespace of the CLI (`paperspace machines ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Namespace {
    Machines,
    Templates,
    Scripts,
    Networks,
    Users,
    PublicIps,
    Snapshots,
    SharedDrives,
}

impl Namespace {
    /// Every namespace, in the order `paperspace --help` lists them.
    pub const ALL: &'static [Namespace] = &[
        Namespace::Machines,
        Namespace::Templates,
        Namespace::Scripts,
        Namespace::Networks,
        Namespace::Users,
        Namespace::PublicIps,
        Namespace::Snapshots,
        Namespace::SharedDrives,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Namespace::Machines => "machines",
            Namespace::Templates => "templates",
            Namespace::Scripts => "scripts",
            Namespace::Networks => "networks",
            Namespace::Users => "users",
            Namespace::PublicIps => "publicIps",
            Namespace::Snapshots => "snapshots",
            Namespace::SharedDrives => "sharedDrives",
        }
    }

    pub fn about(self) -> &'static str {
        match self {
            Namespace::Machines => "Create, control and inspect Paperspace Core machines",
            Namespace::Templates => "The templates machines are created from",
            Namespace::Scripts => "Startup scripts, run when a machine boots",
            Namespace::Networks => "The networks machines are on",
            Namespace::Users => "The users of your team",
            Namespace::PublicIps => "Static public IP addresses: claim, assign, release (v1)",
            Namespace::Snapshots => "Snapshots of machines' disks, and restoring them (v1)",
            Namespace::SharedDrives => "Drives the machines of a private network share (v1)",
        }
    }

    /// Its commands, in the order its `--help` lists them.
    pub fn commands(self) -> &'static [CommandSpec] {
        match self {
            Namespace::Machines => machines::COMMANDS,
            Namespace::Templates => templates::COMMANDS,
            Namespace::Scripts => scripts::COMMANDS,
            Namespace::Networks => networks::COMMANDS,
            Namespace::Users => users::COMMANDS,
            Namespace::PublicIps => public_ips::COMMANDS,
            Namespace::Snapshots => snapshots::COMMANDS,
            Namespace::SharedDrives => shared_drives::COMMANDS,
        }
    }

    pub fn find(name: &str) -> Option<Namespace> {
        Namespace::ALL.iter().copied().find(|ns| ns.name() == name)
    }

    /// The command called `name` in this namespace (exactly: commands are case-sensitive).
    pub fn command(self, name: &str) -> Option<&'static CommandSpec> {
        self.commands().iter().find(|c| c.name == name)
    }
}

/// Which command a row is. Of the planners only the legacy one matches on it, one id and `_`
/// for the rest (ARCHITECTURE.md, "How to add a command").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandId {
    Machines(MachinesCommand),
    Templates(TemplatesCommand),
    Scripts(ScriptsCommand),
    Networks(NetworksCommand),
    Users(UsersCommand),
    PublicIps(PublicIpsCommand),
    Snapshots(SnapshotsCommand),
    SharedDrives(SharedDrivesCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MachinesCommand {
    Create,
    Start,
    Stop,
    Restart,
    Destroy,
    Update,
    List,
    Show,
    SetAccessForUser,
    Utilization,
    Waitfor,
    Availability,
    Events,
    Accessors,
    Desktop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplatesCommand {
    List,
    Create,
    Destroy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptsCommand {
    Create,
    Destroy,
    List,
    Show,
    Text,
    Assign,
    Unassign,
    Update,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworksCommand {
    List,
    Create,
    Show,
    Destroy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UsersCommand {
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicIpsCommand {
    List,
    Claim,
    Assign,
    Unassign,
    Release,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SnapshotsCommand {
    List,
    Create,
    Show,
    Restore,
    Destroy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SharedDrivesCommand {
    List,
    Create,
    Show,
    Destroy,
}

impl CommandId {
    pub fn namespace(self) -> Namespace {
        match self {
            CommandId::Machines(_) => Namespace::Machines,
            CommandId::Templates(_) => Namespace::Templates,
            CommandId::Scripts(_) => Namespace::Scripts,
            CommandId::Networks(_) => Namespace::Networks,
            CommandId::Users(_) => Namespace::Users,
            CommandId::PublicIps(_) => Namespace::PublicIps,
            CommandId::Snapshots(_) => Namespace::Snapshots,
            CommandId::SharedDrives(_) => Namespace::SharedDrives,
        }
    }

    /// The command's row.
    pub fn spec(self) -> &'static CommandSpec {
        let row = self
            .namespace()
            .commands()
            .iter()
            .find(|row| row.id == self);
        row.expect("every command has a row (checked by a test)")
    }
}

/// Every command of every namespace.
pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    Namespace::ALL.iter().flat_map(|ns| ns.commands())
}

/// `machines create` → its row.
pub fn find(namespace: &str, command: &str) -> Option<&'static CommandSpec> {
    Namespace::find(namespace)?.command(command)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::spec::{
        LegacyOp, OnLegacy, Resend, Route, Rule, V1Op, V1Planner, ValueKind, Waits,
    };

    #[test]
    fn every_row_is_found_by_its_id_and_its_name_once() {
        for row in all() {
            assert_eq!(row.id.spec(), row, "{}", row.name);
            let same_name = row
                .id
                .namespace()
                .commands()
                .iter()
                .filter(|other| other.name == row.name)
                .count();
            assert_eq!(same_name, 1, "{}", row.name);
            assert_eq!(find(row.id.namespace().name(), row.name), Some(row));
        }
    }

    #[test]
    fn rules_name_only_parameters_of_their_command() {
        for cmd in all() {
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
                    Rule::ExactlyOne(flags) | Rule::AtMostOne(flags) | Rule::AtLeastOne(flags) => {
                        flags.to_vec()
                    }
                };
                for name in named {
                    assert!(cmd.param(name).is_some(), "{}: {name}", cmd.name);
                }
            }
        }
    }

    #[test]
    fn declarations_agree_with_the_flags() {
        for cmd in all() {
            let has = |name| cmd.param(name).is_some();
            assert_eq!(cmd.waits.on_flag(), has("wait"), "{}", cmd.name);
            if cmd.waits != Waits::Never {
                assert!(has("interval") && has("timeout"), "{}", cmd.name);
            }
            assert_eq!(cmd.confirm.is_some(), has("yes"), "{}", cmd.name);
            if cmd.waits == Waits::ForStateFlag {
                assert!(has("state"), "{}", cmd.name);
            }
            if let Some(flag) = cmd.targets.flag() {
                let id = cmd.param(flag).expect(cmd.name);
                assert!(id.required && id.kind == ValueKind::Id, "{}", cmd.name);
            }
            let mut routes: Vec<Route> = cmd.legacy.route().into_iter().collect();
            match cmd.v1 {
                V1Op::Call { route, .. } | V1Op::PowerAction { route, .. } => routes.push(route),
                V1Op::Planned(V1Planner::List { path, .. }) => routes.push(Route::get(path)),
                _ => {}
            }
            for route in routes {
                for flag in route.path_flags() {
                    let param = cmd.param(flag).expect(flag);
                    assert!(
                        param.required && param.kind == ValueKind::Id,
                        "{}",
                        cmd.name
                    );
                }
            }
            if let Resend::Never(check) = cmd.resend {
                assert!(cmd.param(check.value_of).is_some(), "{}", cmd.name);
            }
        }
    }

    #[test]
    fn only_reads_and_power_actions_may_be_resent() {
        use MachinesCommand::*;
        for cmd in all() {
            let safe = match cmd.id {
                CommandId::Machines(which) => matches!(
                    which,
                    Start
                        | Stop
                        | Restart
                        | List
                        | Show
                        | Utilization
                        | Waitfor
                        | Availability
                        | Events
                        | Accessors
                        | Desktop
                ),
                CommandId::Scripts(which) => matches!(
                    which,
                    ScriptsCommand::List | ScriptsCommand::Show | ScriptsCommand::Text
                ),
                CommandId::Templates(which) => which == TemplatesCommand::List,
                CommandId::Networks(which) => {
                    matches!(which, NetworksCommand::List | NetworksCommand::Show)
                }
                CommandId::Users(_) => true,
                CommandId::PublicIps(which) => which == PublicIpsCommand::List,
                CommandId::Snapshots(which) => {
                    matches!(which, SnapshotsCommand::List | SnapshotsCommand::Show)
                }
                CommandId::SharedDrives(which) => {
                    matches!(which, SharedDrivesCommand::List | SharedDrivesCommand::Show)
                }
            };
            assert_eq!(cmd.resend == Resend::Safe, safe, "{}", cmd.full_name());
        }
    }

    #[test]
    fn what_the_legacy_api_lacked_is_declared_so() {
        for cmd in all() {
            let v1_only_flags = cmd.params.iter().any(|p| p.legacy == OnLegacy::NeedsV1);
            if cmd.legacy == LegacyOp::NeedsV1 {
                assert!(
                    !v1_only_flags,
                    "{}: the whole command is v1's",
                    cmd.full_name()
                );
                assert!(
                    !matches!(cmd.v1, V1Op::Unsupported(_)),
                    "{} is on neither API",
                    cmd.full_name()
                );
            }
        }
        let update = find("machines", "update").unwrap();
        for flag in ["machineType", "size", "networkId"] {
            assert_eq!(
                update.param(flag).unwrap().legacy,
                OnLegacy::NeedsV1,
                "{flag}"
            );
        }
        assert_eq!(
            find("machines", "create")
                .unwrap()
                .param("size")
                .unwrap()
                .legacy,
            OnLegacy::Sent
        );
    }
}
