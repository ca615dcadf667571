//! The `publicIps` namespace (v1): the static public addresses of the team, claimed from a
//! region's pool, assigned to a machine, released back (docs/v1.md, "Public IPs").

use super::{CommandId, PublicIpsCommand, YES};
use crate::api::plan::{Answer, Items};
use crate::api::spec::*;

const IP: &str = "ip";

/// Every command here changes what `publicIps list` shows.
const LIST_THEM: Check = Check {
    command: "publicIps list",
    flag: "region",
    value_of: "region",
    fallback: "publicIps list",
};

/// What shows whether a change to an address whose answer was lost took effect.
const THE_ADDRESS: Check = Check {
    command: "publicIps list",
    flag: IP,
    value_of: IP,
    fallback: "publicIps list",
};

const REGION_HELP: &str =
    "The region: East Coast (NY2), West Coast (CA1) or Europe (AMS1) (or ny2, ca1, ams1).";

pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        id: CommandId::PublicIps(PublicIpsCommand::List),
        name: "list",
        about: "List the team's static public IPs, and the machine each is assigned to",
        params: &[
            opt(
                "region",
                ValueKind::Region,
                "Only the addresses of this region (long name, or ny2, ca1, ams1).",
            )
            .on_v1(OnV1::Converted(V1Value::RegionCode)),
            opt(IP, ValueKind::Text, "Only this address.").on_v1(OnV1::FilteredHere),
            opt(
                "assignedMachineId",
                ValueKind::Text,
                "Only the address assigned to this machine.",
            )
            .on_v1(OnV1::FilteredHere),
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::List(Resource::PublicIp),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Planned(V1Planner::List {
            path: "/public-ips",
            order_by: "dtCreated",
            newest_first: false,
            items: Items::AsIs,
        }),
        example: "paperspace publicIps list --region ny2",
    },
    CommandSpec {
        id: CommandId::PublicIps(PublicIpsCommand::Claim),
        name: "claim",
        about: "Claim a new static public IP in a region (billed until released)",
        params: &[req("region", ValueKind::Region, REGION_HELP)
            .on_v1(OnV1::Converted(V1Value::RegionCode))],
        rules: &[],
        resend: Resend::Never(LIST_THEM),
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::Record(Resource::PublicIp),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::post("/public-ips"),
            params: V1Params::Body,
            answer: Answer::AsIs,
        },
        example: "paperspace publicIps claim --region ny2",
    },
    CommandSpec {
        id: CommandId::PublicIps(PublicIpsCommand::Assign),
        name: "assign",
        about: "Assign a static public IP to a machine",
        params: &[
            req(IP, ValueKind::Id, "The address, as publicIps list shows it.").on_v1(OnV1::Client),
            req("machineId", ValueKind::Id, "Id of the machine to give it to."),
        ],
        rules: &[],
        resend: Resend::Never(THE_ADDRESS),
        targets: Targets::One(IP),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::PublicIp),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::put("/public-ips/{ip}"),
            params: V1Params::Body,
            answer: Answer::AsIs,
        },
        example: "paperspace publicIps assign --ip 203.0.113.7 --machineId ps123abc",
    },
    CommandSpec {
        id: CommandId::PublicIps(PublicIpsCommand::Unassign),
        name: "unassign",
        about: "Take a static public IP off its machine (it stays the team's)",
        params: &[req(IP, ValueKind::Id, "The address, as publicIps list shows it.").on_v1(OnV1::Client)],
        rules: &[],
        resend: Resend::Never(THE_ADDRESS),
        targets: Targets::One(IP),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::PublicIp),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::put("/public-ips/{ip}"),
            params: V1Params::Literal(r#"{"machineId":null}"#),
            answer: Answer::AsIs,
        },
        example: "paperspace publicIps unassign --ip 203.0.113.7",
    },
    CommandSpec {
        id: CommandId::PublicIps(PublicIpsCommand::Release),
        name: "release",
        about: "Release a static public IP: it leaves the team (and its bill) for good",
        params: &[
            req(
                IP,
                ValueKind::Id,
                "The address. Repeat the flag (or separate addresses with commas) to release several.",
            )
            .on_v1(OnV1::Client),
            YES,
        ],
        rules: &[],
        resend: Resend::Never(THE_ADDRESS),
        targets: Targets::Many(IP),
        waits: Waits::Never,
        view: ViewKind::Action("Releasing public IP"),
        confirm: Some(Confirmation {
            verb: "Release",
            done: "released",
            noun: "public IP",
            nouns: "public IPs",
        }),
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::delete("/public-ips/{ip}"),
            params: V1Params::None,
            answer: Answer::AsIs,
        },
        example: "paperspace publicIps release --ip 203.0.113.7",
    },
];
