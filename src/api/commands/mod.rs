//! The command table: every command of the CLI that talks to the API, as one row each
//! (`spec::CommandSpec`). The CLI definition, help, validation, both backends' planners, the
//! retry rules and the table views all read these rows.

mod machines;
mod networks;
mod scripts;
mod templates;
mod users;

use super::spec::CommandSpec;

/// A namespace of the CLI (`paperspace machines ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Namespace {
    Machines,
    Templates,
    Scripts,
    Networks,
    Users,
}

impl Namespace {
    /// Every namespace, in the order `paperspace --help` lists them.
    pub const ALL: &'static [Namespace] = &[
        Namespace::Machines,
        Namespace::Templates,
        Namespace::Scripts,
        Namespace::Networks,
        Namespace::Users,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Namespace::Machines => "machines",
            Namespace::Templates => "templates",
            Namespace::Scripts => "scripts",
            Namespace::Networks => "networks",
            Namespace::Users => "users",
        }
    }

    pub fn about(self) -> &'static str {
        match self {
            Namespace::Machines => "Create, control and inspect Paperspace Core machines",
            Namespace::Templates => "The templates machines are created from",
            Namespace::Scripts => "Startup scripts, run when a machine boots",
            Namespace::Networks => "The networks machines are on",
            Namespace::Users => "The users of your team",
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

/// Which command a row is: matched exhaustively wherever commands behave differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandId {
    Machines(MachinesCommand),
    Templates(TemplatesCommand),
    Scripts(ScriptsCommand),
    Networks(NetworksCommand),
    Users(UsersCommand),
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplatesCommand {
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptsCommand {
    Create,
    Destroy,
    List,
    Show,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworksCommand {
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UsersCommand {
    List,
}

impl CommandId {
    pub fn namespace(self) -> Namespace {
        match self {
            CommandId::Machines(_) => Namespace::Machines,
            CommandId::Templates(_) => Namespace::Templates,
            CommandId::Scripts(_) => Namespace::Scripts,
            CommandId::Networks(_) => Namespace::Networks,
            CommandId::Users(_) => Namespace::Users,
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
    use crate::api::spec::{Resend, Route, Rule, V1Op, ValueKind, Waits};

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
                    Rule::ExactlyOne(flags) => flags.to_vec(),
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
            assert_eq!(
                matches!(cmd.waits, Waits::OnFlag(_)),
                has("wait"),
                "{}",
                cmd.name
            );
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
            let routes: Vec<Route> = match cmd.v1 {
                V1Op::Call { route, .. } => vec![cmd.legacy, route],
                _ => vec![cmd.legacy],
            };
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
                    Start | Stop | Restart | List | Show | Utilization | Waitfor | Availability
                ),
                CommandId::Scripts(which) => matches!(
                    which,
                    ScriptsCommand::List | ScriptsCommand::Show | ScriptsCommand::Text
                ),
                CommandId::Templates(_) | CommandId::Networks(_) | CommandId::Users(_) => true,
            };
            assert_eq!(cmd.resend == Resend::Safe, safe, "{}", cmd.full_name());
        }
    }
}
