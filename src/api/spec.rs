//! The shape of the command table: what a row declares about a command. The rows themselves
//! are in `api::commands`; everything that differs between commands is a field here, so the
//! code that runs commands reads declarations instead of comparing command names.

use super::commands::CommandId;
use super::request::HttpMethod;

/// What a flag's value may be, and how it travels on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Any string, sent as a JSON string even when it looks like a number.
    Text,
    /// An id: a non-blank string.
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
    /// A region (`vocab::Region::find`); the long name is what is kept and sent.
    Region,
    /// A machine type: any non-blank name to v1 (the service sells more than any list we
    /// keep), one of `vocab::known_machine_types` to the legacy API.
    MachineType,
    /// A billing month, `YYYY-MM`.
    Month,
    /// A duration in seconds (fractions allowed); client-side only.
    Seconds { allow_zero: bool },
    /// Text that must not be empty (a script's text).
    NonEmpty,
    /// The path of a file the client reads (the CLI reads it before anything is sent, and an
    /// unreadable one is an error naming it).
    File,
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
    /// What becomes of it on the v1 API (sent parameters only).
    pub v1: OnV1,
    /// Whether the legacy API took it.
    pub legacy: OnLegacy,
}

impl ParamSpec {
    /// The same parameter with its v1 fate declared.
    pub const fn on_v1(mut self, v1: OnV1) -> ParamSpec {
        self.v1 = v1;
        self
    }

    /// The same parameter, one the legacy API never had (a resize, a create setting v1 added).
    pub const fn v1_only(mut self) -> ParamSpec {
        self.legacy = OnLegacy::NeedsV1;
        self
    }
}

/// Whether the legacy API took a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnLegacy {
    /// Sent as the legacy CLI sent it.
    Sent,
    /// Only v1 has it: given on the legacy API it is a usage error, nothing sent.
    NeedsV1,
}

/// What becomes of a legacy parameter on the v1 API: the one place each backend difference of
/// a flag is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnV1 {
    /// Sent under the same name (in the body, or in the query of a read).
    Same,
    /// Sent under v1's own name for it.
    Renamed(&'static str),
    /// Sent as v1 spells the value: see `V1Value`.
    Converted(V1Value),
    /// Compared by the client with each machine v1 lists (v1 has no such filter).
    FilteredHere,
    /// Sent as v1's filter to narrow the pages, and compared here too: v1 matches it loosely
    /// (a list's `name` matches parts of names, docs/v1.md), the legacy API exactly.
    SentAndFilteredHere,
    /// Carried out by the client or the route (the id in the path; a list's skip and limit).
    Client,
    /// v1 cannot honour it: a usage error with this reason, nothing sent. A switch is refused
    /// only when true (`--releasePublicIp false` asks for nothing).
    Refused(&'static str),
}

/// Legacy values that v1 spells another way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1Value {
    /// `East Coast (NY2)` → `region: ny2`.
    RegionCode,
    /// `day` → `autoSnapshotFrequency: daily`; `null` (no auto-snapshots) →
    /// `autoSnapshotEnabled: false`.
    SnapshotFrequency,
    /// `assignPublicIp` / `dynamicPublicIp` → one `publicIpType` (static, dynamic, none).
    PublicIpType,
    /// `shutdownTimeoutInHours: N` → `autoShutdownTimeout: N` and `autoShutdownEnabled: N > 0`.
    AutoShutdownHours,
    /// v1 bills machines by the hour: `hourly` is honoured (nothing to send), `monthly` refused.
    HourlyBillingOnly,
    /// `userId: U` → `accessorIds: [U]`: on v1 the machine is the team's and the user gets
    /// access to it.
    AccessorIds,
    /// `releasePublicIp: true` on destroy: v1's delete keeps a static address in the account,
    /// so it is released first with `DELETE /public-ips/{ip}` (as cloudypad does, docs/v1.md).
    ReleasesStaticIp,
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
    /// Exactly one of these must be given (`--scriptFile` or `--scriptText`).
    ExactlyOne(&'static [&'static str]),
    /// At most one of these may be given (`--scriptFile` or `--scriptText` of an update).
    AtMostOne(&'static [&'static str]),
    /// At least one of these must be given: an update that changes nothing is a mistake.
    AtLeastOne(&'static [&'static str]),
}

/// Whether a request may be sent again when its answer was lost (a timeout, a dropped
/// connection) or a gateway said it could not reach the API. Every row must choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resend {
    /// Sending it twice does no harm: a read, or a power action the API documents as a no-op
    /// when the machine is already there.
    Safe,
    /// Never resent once it may have reached the server; a lost answer is reported as an
    /// unknown outcome, with the command that tells what happened.
    Never(Check),
}

/// The command that shows whether a request whose answer was lost took effect:
/// `paperspace <command> --<flag> <the value of --<value_of>>`, e.g. `paperspace machines list
/// --name <machineName>` after a create (there is no id yet), or `paperspace machines show
/// --machineId <machineId>`; just `paperspace <fallback>` when that value is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub command: &'static str,
    pub flag: &'static str,
    pub value_of: &'static str,
    pub fallback: &'static str,
}

/// The resources a command acts on by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    /// None by id (create, list, availability).
    None,
    /// Exactly one, named by this flag (`machineId`, `scriptId`...).
    One(&'static str),
    /// One or more: the flag repeated or comma-separated, one request each.
    Many(&'static str),
}

impl Targets {
    /// The flag that names the target, if the command has one.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Targets::None => None,
            Targets::One(flag) | Targets::Many(flag) => Some(flag),
        }
    }
}

/// What the command waits for after its request. On v1 an action answers with the event that
/// tracks it, and every wait after an action follows that event (`GET /machine-events/{id}`):
/// it is not over before the event is done, and it fails as soon as the event does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waits {
    /// Nothing: there is no `--wait`.
    Never,
    /// With `--wait`, until the machine is in this state.
    OnFlag(&'static str),
    /// With `--wait`, until the machine is back in the state it was in before the request (a
    /// resize or a move: the machine is read first).
    OnFlagBack,
    /// With `--wait`, until the event the answer returned is done (a snapshot, a template:
    /// the machine's state says nothing about them).
    OnFlagEvent,
    /// Always, until the state given by `--state` (waitfor).
    ForStateFlag,
}

impl Waits {
    /// Whether the command has `--wait`.
    pub fn on_flag(self) -> bool {
        matches!(
            self,
            Waits::OnFlag(_) | Waits::OnFlagBack | Waits::OnFlagEvent
        )
    }
}

/// How `--format table` lays out the command's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    /// A JSON array of machines.
    MachineList,
    /// One machine object.
    Machine,
    /// A billing month's machine and storage usage.
    Utilization,
    /// `{"available": bool}`.
    Availability,
    /// An action whose answer says nothing: one line, these words and the target's id
    /// (`Starting machine ps1.`).
    Action(&'static str),
    /// A JSON array of one kind of record, in the legacy shape (templates, scripts...).
    List(Resource),
    /// One record of that kind.
    Record(Resource),
    /// A JSON string answer (a script's text), printed as the text itself.
    Text,
}

/// The kinds of record the other namespaces show, each with its table columns
/// (`output::table`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Template,
    Script,
    Network,
    User,
    /// A v1 machine event (`machines events`).
    Event,
    /// Someone with access to a machine (`machines accessors`).
    Accessor,
    /// A machine's remote desktop details; the password is shown only when asked for.
    Desktop,
    PublicIp,
    Snapshot,
    SharedDrive,
}

/// A method and a path template; `{machineId}` stands for the percent-encoded id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: HttpMethod,
    pub path: &'static str,
}

impl Route {
    pub const fn get(path: &'static str) -> Route {
        Route {
            method: HttpMethod::Get,
            path,
        }
    }

    pub const fn post(path: &'static str) -> Route {
        Route {
            method: HttpMethod::Post,
            path,
        }
    }

    pub const fn put(path: &'static str) -> Route {
        Route {
            method: HttpMethod::Put,
            path,
        }
    }

    pub const fn patch(path: &'static str) -> Route {
        Route {
            method: HttpMethod::Patch,
            path,
        }
    }

    pub const fn delete(path: &'static str) -> Route {
        Route {
            method: HttpMethod::Delete,
            path,
        }
    }

    /// The flags whose values go into the path (`{machineId}`, `{scriptId}`...).
    pub(crate) fn path_flags(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
    }

    /// The path with each `{flag}` replaced by that flag's value, percent-encoded as one
    /// segment.
    pub(crate) fn fill(&self, value_of: impl Fn(&str) -> String) -> String {
        self.path
            .split('/')
            .map(
                |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(flag) => crate::api::request::encode_component(&value_of(flag)),
                    None => segment.to_string(),
                },
            )
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// How the flags become a v1 request's body or query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1Params {
    /// No body.
    None,
    /// The sent flags as a JSON body, renamed and their values mapped to v1's fields as each
    /// parameter's `OnV1` says (always an object, `{}` when no flag is given).
    Body,
    /// The sent flags as query pairs, regions as their codes.
    Query,
    /// This JSON body, whatever the flags (`publicIps unassign`: `{"machineId": null}`).
    Literal(&'static str),
}

/// What a command is on the v1 API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1Op {
    /// One request to `route`.
    Call {
        route: Route,
        params: V1Params,
        answer: crate::api::plan::Answer,
    },
    /// A power action. The legacy API answered one whose state is reached or under way with a
    /// no-op; v1 refuses it ("This machine is currently starting.", docs/v1.md). On a refusal
    /// the machine is read, and a state in `already` keeps the legacy promise: done, exit 0.
    PowerAction {
        route: Route,
        already: &'static [&'static str],
    },
    /// The pages of `GET /machines`: the legacy filters v1 has go to the server, the others
    /// are applied to each page, then `--skip`/`--limit`.
    MachineList,
    /// One machine with its newest events (show; and every poll of a wait).
    Machine,
    /// `--enableAccess true` adds an accessor, `false` removes one.
    Access,
    /// Planned by one of the v1 planner's own functions (several requests, a list from
    /// several sources...): the one place that command's v1 behaviour lives.
    Planned(V1Planner),
    /// No v1 counterpart: a usage error with this reason, nothing sent.
    Unsupported(&'static str),
}

/// What a command is on the legacy API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyOp {
    /// One request to this route.
    Call(Route),
    /// The legacy API had no such operation: a usage error saying it needs `--api v1`,
    /// nothing sent.
    NeedsV1,
}

impl LegacyOp {
    pub const fn get(path: &'static str) -> LegacyOp {
        LegacyOp::Call(Route::get(path))
    }

    pub const fn post(path: &'static str) -> LegacyOp {
        LegacyOp::Call(Route::post(path))
    }

    pub fn route(self) -> Option<Route> {
        match self {
            LegacyOp::Call(route) => Some(route),
            LegacyOp::NeedsV1 => None,
        }
    }
}

/// A question asked before a command that cannot be undone, on a terminal only (`--yes` skips
/// it): "Destroy machine ps1? This cannot be undone."
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmation {
    pub verb: &'static str,
    /// The verb's past participle, for "cancelled: nothing was destroyed".
    pub done: &'static str,
    /// What one target is called; `nouns` for several.
    pub noun: &'static str,
    pub nouns: &'static str,
}

/// The v1 planner's functions for commands that are more than one request (`api::v1::namespaces`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1Planner {
    /// OS templates and custom templates, every page of both.
    TemplatesList,
    /// Create a startup script, then enable/disable it and assign it as asked.
    ScriptsCreate,
    /// Every page of one v1 endpoint (`{flag}`s in its path filled in), oldest or newest
    /// first by `order_by`; `--limit`, where the command has it, stops the paging.
    List {
        path: &'static str,
        order_by: &'static str,
        newest_first: bool,
        items: crate::api::plan::Items,
    },
    /// The session's team, then its users.
    TeamUsers,
}

/// One row of the command table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    pub id: CommandId,
    /// The word on the command line (`setAccessForUser`).
    pub name: &'static str,
    pub about: &'static str,
    pub params: &'static [ParamSpec],
    pub rules: &'static [Rule],
    pub resend: Resend,
    pub targets: Targets,
    pub waits: Waits,
    pub view: ViewKind,
    /// Asked before the command runs, when a person is there to answer.
    pub confirm: Option<Confirmation>,
    /// The request on the legacy API: GET parameters in the query, POST ones in a JSON body.
    pub legacy: LegacyOp,
    pub v1: V1Op,
    pub example: &'static str,
}

impl CommandSpec {
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }

    /// `machines create`: how the user names it.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.id.namespace().name(), self.name)
    }
}

/// The client switch of the commands whose tables would hide a password.
pub const SHOW_PASSWORD: &str = "showPassword";

/// The client switch of the commands that confirm first (`CommandSpec::confirm`): do not ask.
pub const SKIP_CONFIRMATION: &str = "yes";

/// A parameter that must be given.
pub const fn req(name: &'static str, kind: ValueKind, help: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind,
        required: true,
        wire: Wire::Sent,
        help,
        default: None,
        v1: OnV1::Same,
        legacy: OnLegacy::Sent,
    }
}

/// A parameter that may be given.
pub const fn opt(name: &'static str, kind: ValueKind, help: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind,
        required: false,
        wire: Wire::Sent,
        help,
        default: None,
        v1: OnV1::Same,
        legacy: OnLegacy::Sent,
    }
}

/// A client-only flag with a default the client applies (never sent).
pub const fn client(
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
        v1: OnV1::Client,
        legacy: OnLegacy::Sent,
    }
}

/// A client-only flag without a default (never sent).
pub const fn client_value(name: &'static str, kind: ValueKind, help: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind,
        required: false,
        wire: Wire::ClientOnly,
        help,
        default: None,
        v1: OnV1::Client,
        legacy: OnLegacy::Sent,
    }
}

/// A client-only switch (a bare flag means true; never sent).
pub const fn client_switch(name: &'static str, help: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind: ValueKind::Switch,
        required: false,
        wire: Wire::ClientOnly,
        help,
        default: None,
        v1: OnV1::Same,
        legacy: OnLegacy::Sent,
    }
}
