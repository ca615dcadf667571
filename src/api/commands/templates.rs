//! The `templates` namespace of the legacy CLI: `templates list`.

use super::{CommandId, TemplatesCommand};

use crate::api::spec::*;

const NO_SUCH_FIELD: OnV1 =
    OnV1::Refused("v1 templates have no such field, so nothing would match");

const LIST: &[ParamSpec] = &[
    opt("id", ValueKind::Text, "Optional template id to match on.").on_v1(OnV1::FilteredHere),
    opt("name", ValueKind::Text, "Optional name to match on.").on_v1(OnV1::FilteredHere),
    opt("label", ValueKind::Text, "Optional label to match on.").on_v1(OnV1::FilteredHere),
    opt("os", ValueKind::Text, "Optional os to match on.").on_v1(OnV1::FilteredHere),
    opt(
        "dtCreated",
        ValueKind::Text,
        "Optional datetime created value to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt("teamId", ValueKind::Text, "Optional teamId to match on.").on_v1(NO_SUCH_FIELD),
    opt("userId", ValueKind::Text, "Optional userId to match on.").on_v1(NO_SUCH_FIELD),
    opt(
        "region",
        ValueKind::Region,
        "Optional region to match on (long name, or ny2, ca1, ams1).",
    )
    .on_v1(OnV1::FilteredHere),
];

pub(super) const COMMANDS: &[CommandSpec] = &[CommandSpec {
    id: CommandId::Templates(TemplatesCommand::List),
    name: "list",
    about: "List the templates available to you or your team (the --templateId of machines create)",
    params: LIST,
    rules: &[],
    resend: Resend::Safe,
    targets: Targets::None,
    waits: Waits::Never,
    view: ViewKind::List(Resource::Template),
    confirm: None,
    legacy: Route::get("/templates/getTemplates"),
    v1: V1Op::Planned(V1Planner::TemplatesList),
    example: "paperspace templates list --label \"Ubuntu 22.04\"",
}];
