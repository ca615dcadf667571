//! The `templates` namespace: `templates list` of the legacy CLI; `create` and `destroy`, the
//! custom templates of v1.

use super::{CommandId, INTERVAL, TIMEOUT, TemplatesCommand, WAIT_FOR_EVENT, YES};
use crate::api::plan::{Answer, V1Kind};

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

/// What shows whether a create whose answer was lost made the template: v1's name for a
/// template is the legacy label.
const LIST_BY_LABEL: Check = Check {
    command: "templates list",
    flag: "label",
    value_of: "templateName",
    fallback: "templates list",
};

const TEMPLATE_ID: &str = "templateId";

pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
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
        legacy: LegacyOp::get("/templates/getTemplates"),
        v1: V1Op::Planned(V1Planner::TemplatesList),
        example: "paperspace templates list --label \"Ubuntu 22.04\"",
    },
    CommandSpec {
        id: CommandId::Templates(TemplatesCommand::Create),
        name: "create",
        about: "Make a custom template from a machine, for machines create --templateId (v1)",
        params: &[
            req("machineId", ValueKind::Id, "Id of the machine to make the template from."),
            req(
                "templateName",
                ValueKind::NonEmpty,
                "A name for the template (its label in templates list).",
            )
            .on_v1(OnV1::Renamed("name")),
            WAIT_FOR_EVENT,
            INTERVAL,
            TIMEOUT,
        ],
        rules: &[],
        resend: Resend::Never(LIST_BY_LABEL),
        targets: Targets::None,
        waits: Waits::OnFlagEvent,
        view: ViewKind::Record(Resource::Template),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::post("/custom-templates"),
            params: V1Params::Body,
            answer: Answer::V1Action(V1Kind::CustomTemplate),
        },
        example: "paperspace templates create --machineId psec02yp2 --templateName \"My Template\" --wait",
    },
    CommandSpec {
        id: CommandId::Templates(TemplatesCommand::Destroy),
        name: "destroy",
        about: "Destroy a custom template (v1)",
        params: &[
            req(
                TEMPLATE_ID,
                ValueKind::Id,
                "Id of the custom template. Repeat the flag (or separate ids with commas) to destroy several.",
            )
            .on_v1(OnV1::Client),
            YES,
        ],
        rules: &[],
        resend: Resend::Never(Check {
            command: "templates list",
            flag: "id",
            value_of: TEMPLATE_ID,
            fallback: "templates list",
        }),
        targets: Targets::Many(TEMPLATE_ID),
        waits: Waits::Never,
        view: ViewKind::Action("Destroying template"),
        confirm: Some(Confirmation {
            verb: "Destroy",
            done: "destroyed",
            noun: "template",
            nouns: "templates",
        }),
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::delete("/custom-templates/{templateId}"),
            params: V1Params::None,
            answer: Answer::Empty,
        },
        example: "paperspace templates destroy --templateId tcust123",
    },
];
