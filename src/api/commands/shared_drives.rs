//! The `sharedDrives` namespace (v1): network drives that the machines of a private network
//! mount together.

use super::{CommandId, SharedDrivesCommand, YES};
use crate::api::plan::{Answer, Items};
use crate::api::spec::*;

const DRIVE_ID: &str = "sharedDriveId";

pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        id: CommandId::SharedDrives(SharedDrivesCommand::List),
        name: "list",
        about: "List the team's shared drives",
        params: &[
            opt("name", ValueKind::Text, "Only the drives whose name matches (as v1 matches names: parts of them too)."),
            opt(
                "region",
                ValueKind::Region,
                "Only the drives of this region (long name, or ny2, ca1, ams1).",
            )
            .on_v1(OnV1::Converted(V1Value::RegionCode)),
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::List(Resource::SharedDrive),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Planned(V1Planner::List {
            path: "/shared-drives",
            order_by: "dtCreated",
            newest_first: false,
            items: Items::AsIs,
        }),
        example: "paperspace sharedDrives list --region ny2",
    },
    CommandSpec {
        id: CommandId::SharedDrives(SharedDrivesCommand::Create),
        name: "create",
        about: "Create a shared drive on a private network",
        params: &[
            req("sharedDriveName", ValueKind::NonEmpty, "A name for the drive.")
                .on_v1(OnV1::Renamed("name")),
            req("size", ValueKind::Count { min: 1 }, "Its size in GB."),
            req(
                "region",
                ValueKind::Region,
                "The region: East Coast (NY2), West Coast (CA1) or Europe (AMS1) (or ny2, ca1, ams1).",
            )
            .on_v1(OnV1::Converted(V1Value::RegionCode)),
            req(
                "networkId",
                ValueKind::Id,
                "Id of the private network whose machines mount it (networks list).",
            ),
        ],
        rules: &[],
        resend: Resend::Never(Check {
            command: "sharedDrives list",
            flag: "name",
            value_of: "sharedDriveName",
            fallback: "sharedDrives list",
        }),
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::Record(Resource::SharedDrive),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::post("/shared-drives"),
            params: V1Params::Body,
            answer: Answer::AsIs,
        },
        example: "paperspace sharedDrives create --sharedDriveName data --size 250 --region ny2 --networkId n123abc",
    },
    CommandSpec {
        id: CommandId::SharedDrives(SharedDrivesCommand::Show),
        name: "show",
        about: "Show a shared drive, with how to mount it",
        params: &[
            req(DRIVE_ID, ValueKind::Id, "Id of the drive.").on_v1(OnV1::Client),
            client_switch(
                SHOW_PASSWORD,
                "Show the drive's password in the table (the JSON always has it).",
            ),
        ],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One(DRIVE_ID),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::SharedDrive),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::get("/shared-drives/{sharedDriveId}"),
            params: V1Params::None,
            answer: Answer::AsIs,
        },
        example: "paperspace sharedDrives show --sharedDriveId sd123abc -o table",
    },
    CommandSpec {
        id: CommandId::SharedDrives(SharedDrivesCommand::Destroy),
        name: "destroy",
        about: "Destroy a shared drive and the files on it",
        params: &[
            req(
                DRIVE_ID,
                ValueKind::Id,
                "Id of the drive. Repeat the flag (or separate ids with commas) to destroy several.",
            )
            .on_v1(OnV1::Client),
            YES,
        ],
        rules: &[],
        resend: Resend::Never(Check {
            command: "sharedDrives show",
            flag: DRIVE_ID,
            value_of: DRIVE_ID,
            fallback: "sharedDrives list",
        }),
        targets: Targets::Many(DRIVE_ID),
        waits: Waits::Never,
        view: ViewKind::Action("Destroying shared drive"),
        confirm: Some(Confirmation {
            verb: "Destroy",
            done: "destroyed",
            noun: "shared drive",
            nouns: "shared drives",
        }),
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::delete("/shared-drives/{sharedDriveId}"),
            params: V1Params::None,
            answer: Answer::AsIs,
        },
        example: "paperspace sharedDrives destroy --sharedDriveId sd123abc",
    },
];
