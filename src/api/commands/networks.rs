//! The `networks` namespace of the legacy CLI: `networks list`.

use super::{CommandId, NetworksCommand};
use crate::api::plan::V1Kind;
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

pub(super) const COMMANDS: &[CommandSpec] = &[CommandSpec {
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
    legacy: Route::get("/networks/getNetworks"),
    v1: V1Op::Planned(V1Planner::List {
        path: "/private-networks",
        order_by: "dtCreated",
        kind: V1Kind::Network,
    }),
    example: "paperspace networks list --region ny2",
}];
