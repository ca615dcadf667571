//! The `networks` namespace: `networks list` of the legacy CLI; `create`, `show` and
//! `destroy`, v1's private networks.

use super::{CommandId, NetworksCommand, YES};
use crate::api::plan::{Answer, Items, V1Kind};
use crate::api::spec::*;

const LIST: &[ParamSpec] = &[
    opt("id", ValueKind::Text, "Optional network id to match on.").on_v1(OnV1::FilteredHere),
    opt(
        "name",
        ValueKind::Text,
        "Optional name to match on (exactly).",
    )
    .on_v1(OnV1::SentAndFilteredHere),
    opt(
        "region",
        ValueKind::Region,
        "Optional region to match on (long name, or ny2, ca1, ams1).",
    )
    .on_v1(OnV1::Converted(V1Value::RegionCode)),
    opt(
        "dtCreated",
        ValueKind::Text,
        "Optional datetime created value to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt("network", ValueKind::Text, "Optional network to match on.").on_v1(OnV1::FilteredHere),
    opt("netmask", ValueKind::Text, "Optional netmask to match on.").on_v1(OnV1::FilteredHere),
    opt("teamId", ValueKind::Text, "Optional teamId to match on.").on_v1(OnV1::Refused(
        "v1 networks have no such field, so nothing would match",
    )),
];

const NETWORK_ID: &str = "networkId";

pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        id: CommandId::Networks(NetworksCommand::List),
        name: "list",
        about: "List the networks available to you or your team (the --networkId of machines create)",
        params: LIST,
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::List(Resource::Network),
        confirm: None,
        legacy: LegacyOp::get("/networks/getNetworks"),
        v1: V1Op::Planned(V1Planner::List {
            path: "/private-networks",
            order_by: "dtCreated",
            newest_first: false,
            items: Items::V1(V1Kind::Network),
        }),
        example: "paperspace networks list --region ny2",
    },
    CommandSpec {
        id: CommandId::Networks(NetworksCommand::Create),
        name: "create",
        about: "Create a private network in a region (v1)",
        params: &[
            req(
                "region",
                ValueKind::Region,
                "The region: East Coast (NY2), West Coast (CA1) or Europe (AMS1) (or ny2, ca1, ams1).",
            )
            .on_v1(OnV1::Converted(V1Value::RegionCode)),
            req("networkName", ValueKind::NonEmpty, "A name for the network.")
                .on_v1(OnV1::Renamed("name")),
            opt(
                "migrateMachines",
                ValueKind::Switch,
                "Move every machine of the region that is on no private network onto this one.",
            ),
        ],
        rules: &[],
        resend: Resend::Never(Check {
            command: "networks list",
            flag: "name",
            value_of: "networkName",
            fallback: "networks list",
        }),
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Network),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::post("/private-networks"),
            params: V1Params::Body,
            answer: Answer::V1(V1Kind::Network),
        },
        example: "paperspace networks create --region ny2 --networkName lab",
    },
    CommandSpec {
        id: CommandId::Networks(NetworksCommand::Show),
        name: "show",
        about: "Show a private network (v1)",
        params: &[req(NETWORK_ID, ValueKind::Id, "Id of the network.").on_v1(OnV1::Client)],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One(NETWORK_ID),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Network),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::get("/private-networks/{networkId}"),
            params: V1Params::None,
            answer: Answer::V1(V1Kind::Network),
        },
        example: "paperspace networks show --networkId n123abc",
    },
    CommandSpec {
        id: CommandId::Networks(NetworksCommand::Destroy),
        name: "destroy",
        about: "Destroy a private network (v1)",
        params: &[
            req(
                NETWORK_ID,
                ValueKind::Id,
                "Id of the network. Repeat the flag (or separate ids with commas) to destroy several.",
            )
            .on_v1(OnV1::Client),
            YES,
        ],
        rules: &[],
        resend: Resend::Never(Check {
            command: "networks show",
            flag: NETWORK_ID,
            value_of: NETWORK_ID,
            fallback: "networks list",
        }),
        targets: Targets::Many(NETWORK_ID),
        waits: Waits::Never,
        view: ViewKind::Action("Destroying network"),
        confirm: Some(Confirmation {
            verb: "Destroy",
            done: "destroyed",
            noun: "network",
            nouns: "networks",
        }),
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::delete("/private-networks/{networkId}"),
            params: V1Params::None,
            answer: Answer::Empty,
        },
        example: "paperspace networks destroy --networkId n123abc",
    },
];
