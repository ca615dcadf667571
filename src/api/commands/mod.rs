//! The command table: every command of the CLI that talks to the API, as one row each
//! (`spec::CommandSpec`). The CLI definition, help, validation, both backends' planners, the
//! retry rules and the table views all read these rows.

mod machines;

use super::spec::CommandSpec;

/// A namespace of the CLI (`paperspace machines ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Namespace {
    Machines,
}

impl Namespace {
    /// Every namespace, in the order `paperspace --help` lists them.
    pub const ALL: &'static [Namespace] = &[Namespace::Machines];

    pub fn name(self) -> &'static str {
        match self {
            Namespace::Machines => "machines",
        }
    }

    pub fn about(self) -> &'static str {
        match self {
            Namespace::Machines => "Create, control and inspect Paperspace Core machines",
        }
    }

    /// Its commands, in the order its `--help` lists them.
    pub fn commands(self) -> &'static [CommandSpec] {
        match self {
            Namespace::Machines => machines::COMMANDS,
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

impl CommandId {
    pub fn namespace(self) -> Namespace {
        match self {
            CommandId::Machines(_) => Namespace::Machines,
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
            let CommandId::Machines(which) = cmd.id;
            let safe = matches!(
                which,
                Start | Stop | Restart | List | Show | Utilization | Waitfor | Availability
            );
            assert_eq!(cmd.resend == Resend::Safe, safe, "{}", cmd.name);
        }
    }
}
