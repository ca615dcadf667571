//! The `scripts` namespace: startup scripts, run when a machine boots (`--scriptId` of
//! machines create). The legacy CLI's five commands; `assign`, `unassign` and `update` are
//! v1's.

use super::{CommandId, ScriptsCommand, YES};
use crate::api::plan::{Answer, Items, V1Kind};
use crate::api::spec::*;

/// What shows whether a create whose answer was lost made the script (it has no id yet).
const LIST_BY_NAME: Check = Check {
    command: "scripts list",
    flag: "name",
    value_of: "scriptName",
    fallback: "scripts list",
};

const SHOW_SCRIPT: Check = Check {
    command: "scripts show",
    flag: "scriptId",
    value_of: "scriptId",
    fallback: "scripts list",
};

const SCRIPT_ID: &str = "scriptId";

const CREATE: &[ParamSpec] = &[
    req("scriptName", ValueKind::Text, "A unique name for the script.")
        .on_v1(OnV1::Renamed("name")),
    opt(
        "scriptFile",
        ValueKind::File,
        "File path to a file containing the script data; either scriptFile or scriptText must be given. For Linux machines a bash script, for Windows a PowerShell script.",
    )
    .on_v1(OnV1::Renamed("script")),
    opt(
        "scriptText",
        ValueKind::NonEmpty,
        "A string containing the script text; either scriptFile or scriptText must be given.",
    )
    .on_v1(OnV1::Renamed("script")),
    opt(
        "scriptDescription",
        ValueKind::Text,
        "Description of the script.",
    )
    .on_v1(OnV1::Refused("v1 startup scripts take no description")),
    opt(
        "isEnabled",
        ValueKind::Switch,
        "Determines if the script is enabled or not. Defaults to true.",
    )
    .on_v1(OnV1::Client),
    opt(
        "runOnce",
        ValueKind::Switch,
        "Determines if the script is run on first boot or every boot. Defaults to false.",
    )
    .on_v1(OnV1::Renamed("isRunOnce")),
    opt(
        "machineId",
        ValueKind::Id,
        "Machine id of a machine that should execute this script at startup.",
    )
    .on_v1(OnV1::Client),
];

const UPDATE: &[ParamSpec] = &[
    req(SCRIPT_ID, ValueKind::Id, "Id of the script to change.").on_v1(OnV1::Client),
    opt("scriptName", ValueKind::Text, "A new name for the script.").on_v1(OnV1::Renamed("name")),
    opt(
        "scriptFile",
        ValueKind::File,
        "File path to a file holding the new script text (UTF-8).",
    )
    .on_v1(OnV1::Renamed("script")),
    opt("scriptText", ValueKind::NonEmpty, "The new script text.").on_v1(OnV1::Renamed("script")),
    opt(
        "isEnabled",
        ValueKind::Switch,
        "Whether the script runs at all.",
    ),
    opt(
        "runOnce",
        ValueKind::Switch,
        "Whether the script runs on first boot only, or on every boot.",
    )
    .on_v1(OnV1::Renamed("isRunOnce")),
];

const NO_OWNER: OnV1 = OnV1::Refused("v1 scripts have no owner fields, so nothing would match");

const LIST: &[ParamSpec] = &[
    opt("id", ValueKind::Text, "Optional script id to match on.").on_v1(OnV1::FilteredHere),
    opt(
        "ownerType",
        ValueKind::Text,
        "Optional ownerType to match on, either 'user' or 'team'.",
    )
    .on_v1(NO_OWNER),
    opt(
        "ownerId",
        ValueKind::Text,
        "Optional ownerId to match on, either a userId or teamId.",
    )
    .on_v1(NO_OWNER),
    opt(
        "name",
        ValueKind::Text,
        "Optional name to match on (exactly).",
    )
    .on_v1(OnV1::SentAndFilteredHere),
    opt(
        "description",
        ValueKind::Text,
        "Optional description to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt(
        "dtCreated",
        ValueKind::Text,
        "Optional datetime created value to match on.",
    )
    .on_v1(OnV1::FilteredHere),
    opt(
        "isEnabled",
        ValueKind::Switch,
        "Optional isEnabled value to match on, either true or false.",
    )
    .on_v1(OnV1::FilteredHere),
    opt(
        "runOnce",
        ValueKind::Switch,
        "Optional runOnce value to match on, either true or false.",
    )
    .on_v1(OnV1::FilteredHere),
];

pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        id: CommandId::Scripts(ScriptsCommand::Create),
        name: "create",
        about: "Create a startup script, optionally for a machine",
        params: CREATE,
        rules: &[Rule::ExactlyOne(&["scriptFile", "scriptText"])],
        resend: Resend::Never(LIST_BY_NAME),
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Script),
        confirm: None,
        legacy: LegacyOp::post("/scripts/createScript"),
        v1: V1Op::Planned(V1Planner::ScriptsCreate),
        example: "paperspace scripts create --scriptName \"My Script\" --scriptFile ./my_script.sh --machineId ps123abc",
    },
    CommandSpec {
        id: CommandId::Scripts(ScriptsCommand::Destroy),
        name: "destroy",
        about: "Destroy a startup script (it is taken off every machine it is assigned to)",
        params: &[
            req(SCRIPT_ID, ValueKind::Id, "The id of the script to destroy."),
            YES,
        ],
        rules: &[],
        resend: Resend::Never(SHOW_SCRIPT),
        targets: Targets::One(SCRIPT_ID),
        waits: Waits::Never,
        view: ViewKind::Action("Destroying script"),
        confirm: Some(Confirmation {
            verb: "Destroy",
            done: "destroyed",
            noun: "script",
            nouns: "scripts",
        }),
        legacy: LegacyOp::post("/scripts/{scriptId}/destroy"),
        v1: V1Op::Call {
            route: Route::delete("/startup-scripts/{scriptId}"),
            params: V1Params::None,
            answer: Answer::Empty,
        },
        example: "paperspace scripts destroy --scriptId sc123abc",
    },
    CommandSpec {
        id: CommandId::Scripts(ScriptsCommand::List),
        name: "list",
        about: "List the startup scripts of you or your team",
        params: LIST,
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::List(Resource::Script),
        confirm: None,
        legacy: LegacyOp::get("/scripts/getScripts"),
        v1: V1Op::Planned(V1Planner::List {
            path: "/startup-scripts",
            order_by: "dtCreated",
            newest_first: false,
            items: Items::V1(V1Kind::Script),
        }),
        example: "paperspace scripts list --isEnabled true",
    },
    CommandSpec {
        id: CommandId::Scripts(ScriptsCommand::Show),
        name: "show",
        about: "Show a startup script, except for its text",
        params: &[req(SCRIPT_ID, ValueKind::Id, "Id of the script to show.")],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One(SCRIPT_ID),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Script),
        confirm: None,
        legacy: LegacyOp::get("/scripts/getScript"),
        v1: V1Op::Call {
            route: Route::get("/startup-scripts/{scriptId}"),
            params: V1Params::None,
            answer: Answer::V1(V1Kind::Script),
        },
        example: "paperspace scripts show --scriptId sc123abc",
    },
    CommandSpec {
        id: CommandId::Scripts(ScriptsCommand::Text),
        name: "text",
        about: "Print the text of a startup script",
        params: &[req(
            SCRIPT_ID,
            ValueKind::Id,
            "Id of the script to get text for.",
        )],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One(SCRIPT_ID),
        waits: Waits::Never,
        view: ViewKind::Text,
        confirm: None,
        legacy: LegacyOp::get("/scripts/getScriptText"),
        v1: V1Op::Unsupported("v1's startup script object carries no text"),
        example: "paperspace scripts text --scriptId sc123abc",
    },
    CommandSpec {
        id: CommandId::Scripts(ScriptsCommand::Assign),
        name: "assign",
        about: "Run a startup script on a machine when it boots (v1)",
        params: &[
            req(SCRIPT_ID, ValueKind::Id, "Id of the script.").on_v1(OnV1::Client),
            req(
                "machineId",
                ValueKind::Id,
                "Id of the machine to run it on.",
            ),
        ],
        rules: &[],
        resend: Resend::Never(SHOW_SCRIPT),
        targets: Targets::One(SCRIPT_ID),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Script),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::post("/startup-scripts/{scriptId}/assign"),
            params: V1Params::Body,
            answer: Answer::V1(V1Kind::Script),
        },
        example: "paperspace scripts assign --scriptId sc123abc --machineId ps123abc",
    },
    CommandSpec {
        id: CommandId::Scripts(ScriptsCommand::Unassign),
        name: "unassign",
        about: "Stop running a startup script on a machine (v1)",
        params: &[
            req(SCRIPT_ID, ValueKind::Id, "Id of the script.").on_v1(OnV1::Client),
            req(
                "machineId",
                ValueKind::Id,
                "Id of the machine to take it off.",
            ),
        ],
        rules: &[],
        resend: Resend::Never(SHOW_SCRIPT),
        targets: Targets::One(SCRIPT_ID),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Script),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::post("/startup-scripts/{scriptId}/unassign"),
            params: V1Params::Body,
            answer: Answer::V1(V1Kind::Script),
        },
        example: "paperspace scripts unassign --scriptId sc123abc --machineId ps123abc",
    },
    CommandSpec {
        id: CommandId::Scripts(ScriptsCommand::Update),
        name: "update",
        about: "Change a startup script: its name, its text, whether it is enabled or runs once (v1)",
        params: UPDATE,
        rules: &[
            Rule::AtMostOne(&["scriptFile", "scriptText"]),
            Rule::AtLeastOne(&[
                "scriptName",
                "scriptFile",
                "scriptText",
                "isEnabled",
                "runOnce",
            ]),
        ],
        resend: Resend::Never(SHOW_SCRIPT),
        targets: Targets::One(SCRIPT_ID),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Script),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::put("/startup-scripts/{scriptId}"),
            params: V1Params::Body,
            answer: Answer::V1(V1Kind::Script),
        },
        example: "paperspace scripts update --scriptId sc123abc --scriptFile ./boot.sh --isEnabled true",
    },
];
