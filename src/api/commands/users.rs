//! The `users` namespace of the legacy CLI: `users list` (the --userId of setAccessForUser).

use super::{CommandId, UsersCommand};
use crate::api::spec::*;

const LIST: &[ParamSpec] = &[
    opt("id", ValueKind::Text, "Optional user id to match on.").on_v1(OnV1::FilteredHere),
    opt("email", ValueKind::Text, "Optional email to match on.").on_v1(OnV1::FilteredHere),
    opt(
        "firstname",
        ValueKind::Text,
        "Optional firstname to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt(
        "lastname",
        ValueKind::Text,
        "Optional lastname to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt(
        "dtCreated",
        ValueKind::Text,
        "Optional datetime created value to match on.",
    )
    .on_v1(OnV1::Refused(
        "v1 lists team members with the date they joined, not when their account was made",
    )),
    opt("teamId", ValueKind::Text, "Optional teamId to match on.").on_v1(OnV1::Refused(
        "v1 lists the users of the key's own team only",
    )),
];

pub(super) const COMMANDS: &[CommandSpec] = &[CommandSpec {
    id: CommandId::Users(UsersCommand::List),
    name: "list",
    about: "List the users of your team (the --userId of machines setAccessForUser)",
    params: LIST,
    rules: &[],
    resend: Resend::Safe,
    targets: Targets::None,
    waits: Waits::Never,
    view: ViewKind::List(Resource::User),
    confirm: None,
    legacy: LegacyOp::get("/users/getUsers"),
    v1: V1Op::Planned(V1Planner::TeamUsers),
    example: "paperspace users list --email jon@example.com",
}];
