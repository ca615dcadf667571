//! The `snapshots` namespace (v1): a machine's disk as it was, kept to restore it to.

use super::{CommandId, INTERVAL, SnapshotsCommand, TIMEOUT, WAIT_FOR_EVENT, YES};
use crate::api::plan::{Answer, Items};
use crate::api::spec::*;

const SNAPSHOT_ID: &str = "snapshotId";

/// What shows whether a change to a snapshot whose answer was lost took effect.
const SHOW_SNAPSHOT: Check = Check {
    command: "snapshots show",
    flag: SNAPSHOT_ID,
    value_of: SNAPSHOT_ID,
    fallback: "snapshots list",
};

pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        id: CommandId::Snapshots(SnapshotsCommand::List),
        name: "list",
        about: "List snapshots, of every machine or of one",
        params: &[opt("machineId", ValueKind::Text, "Only the snapshots of this machine.")],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::None,
        waits: Waits::Never,
        view: ViewKind::List(Resource::Snapshot),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Planned(V1Planner::List {
            path: "/snapshots",
            order_by: "dtCreated",
            newest_first: false,
            items: Items::AsIs,
        }),
        example: "paperspace snapshots list --machineId ps123abc",
    },
    CommandSpec {
        id: CommandId::Snapshots(SnapshotsCommand::Create),
        name: "create",
        about: "Take a snapshot of a machine's disk",
        params: &[
            req("machineId", ValueKind::Id, "Id of the machine."),
            req("snapshotName", ValueKind::NonEmpty, "A name for the snapshot.")
                .on_v1(OnV1::Renamed("name")),
            WAIT_FOR_EVENT,
            INTERVAL,
            TIMEOUT,
        ],
        rules: &[],
        resend: Resend::Never(Check {
            command: "snapshots list",
            flag: "machineId",
            value_of: "machineId",
            fallback: "snapshots list",
        }),
        targets: Targets::None,
        waits: Waits::OnFlagEvent,
        view: ViewKind::Record(Resource::Snapshot),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::post("/snapshots"),
            params: V1Params::Body,
            answer: Answer::AsIs,
        },
        example: "paperspace snapshots create --machineId ps123abc --snapshotName before-upgrade --wait",
    },
    CommandSpec {
        id: CommandId::Snapshots(SnapshotsCommand::Show),
        name: "show",
        about: "Show a snapshot",
        params: &[req(SNAPSHOT_ID, ValueKind::Id, "Id of the snapshot.").on_v1(OnV1::Client)],
        rules: &[],
        resend: Resend::Safe,
        targets: Targets::One(SNAPSHOT_ID),
        waits: Waits::Never,
        view: ViewKind::Record(Resource::Snapshot),
        confirm: None,
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::get("/snapshots/{snapshotId}"),
            params: V1Params::None,
            answer: Answer::AsIs,
        },
        example: "paperspace snapshots show --snapshotId s123abc",
    },
    CommandSpec {
        id: CommandId::Snapshots(SnapshotsCommand::Restore),
        name: "restore",
        about: "Put a machine's disk back as it was in a snapshot (what is on it now is lost)",
        params: &[
            req(SNAPSHOT_ID, ValueKind::Id, "Id of the snapshot to restore.").on_v1(OnV1::Client),
            opt(
                "createSnapshotBeforeRestore",
                ValueKind::Switch,
                "Take a snapshot of the disk as it is now, first.",
            ),
            YES,
            WAIT_FOR_EVENT,
            INTERVAL,
            TIMEOUT,
        ],
        rules: &[],
        resend: Resend::Never(SHOW_SNAPSHOT),
        targets: Targets::One(SNAPSHOT_ID),
        waits: Waits::OnFlagEvent,
        view: ViewKind::Record(Resource::Snapshot),
        confirm: Some(Confirmation {
            verb: "Restore the machine of",
            done: "restored",
            noun: "snapshot",
            nouns: "snapshots",
        }),
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::post("/snapshots/{snapshotId}/restore"),
            params: V1Params::Body,
            answer: Answer::AsIs,
        },
        example: "paperspace snapshots restore --snapshotId s123abc --wait",
    },
    CommandSpec {
        id: CommandId::Snapshots(SnapshotsCommand::Destroy),
        name: "destroy",
        about: "Destroy a snapshot",
        params: &[
            req(
                SNAPSHOT_ID,
                ValueKind::Id,
                "Id of the snapshot. Repeat the flag (or separate ids with commas) to destroy several.",
            )
            .on_v1(OnV1::Client),
            YES,
        ],
        rules: &[],
        resend: Resend::Never(SHOW_SNAPSHOT),
        targets: Targets::Many(SNAPSHOT_ID),
        waits: Waits::Never,
        view: ViewKind::Action("Destroying snapshot"),
        confirm: Some(Confirmation {
            verb: "Destroy",
            done: "destroyed",
            noun: "snapshot",
            nouns: "snapshots",
        }),
        legacy: LegacyOp::NeedsV1,
        v1: V1Op::Call {
            route: Route::delete("/snapshots/{snapshotId}"),
            params: V1Params::None,
            answer: Answer::AsIs,
        },
        example: "paperspace snapshots destroy --snapshotId s123abc",
    },
];
