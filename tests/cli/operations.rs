//! The v1 operations beyond the legacy CLI (machines events/accessors/desktop, resizes,
//! publicIps, snapshots, sharedDrives, custom templates, script assignment, private networks)
//! on the wire: each command's exact request and what it prints; on the legacy API each is a
//! usage error that sends nothing. Waits after a v1 action follow the action's event.

use crate::support::*;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer};

/// One command and the one request it must send.
struct Case<'a> {
    args: &'a [&'a str],
    method: &'a str,
    path: &'a str,
    query: Option<&'static str>,
    /// The exact body; `None`: no body at all.
    body: Option<&'a str>,
    answer: &'a str,
    /// What it prints, compact (the CLI pretty-prints it).
    stdout: &'a str,
}

const SNAPSHOT: &str = r#"{"id":"s1","name":"before","machineId":"ps1","isAutoSnapshot":false}"#;
const NEW_EVENT: &str = r#"{"id":"e1","name":"snapshot-create","state":"new","machineId":"ps1","dtCreated":"2026-01-01T00:00:00Z","dtStarted":null,"dtFinished":null,"error":null}"#;
const DRIVE: &str = r#"{"id":"sd1","name":"data","dtCreated":"2026-01-01T00:00:00Z","dtDeleted":null,"size":250,"mountPoint":"//10.128.0.254/sd1","username":"sd1-user","password":"s3cret","networkId":"n1","region":"ny2"}"#;
const IP: &str = r#"{"ip":"203.0.113.7","region":"ny2","assignedMachineId":"ps1","dtCreated":"2026-01-01T00:00:00Z"}"#;
const SCRIPT: &str = r#"{"id":"sc1","name":"boot","description":null,"isEnabled":true,"isRunOnce":false,"assignedMachineIds":["ps1"],"dtCreated":"2026-01-01T00:00:00Z","dtDeleted":null}"#;
const LEGACY_SCRIPT: &str = r#"{"id":"sc1","ownerType":null,"ownerId":null,"name":"boot","description":null,"dtCreated":"2026-01-01T00:00:00Z","isEnabled":true,"runOnce":false,"machines":[{"machineId":"ps1","dtLastRun":null}]}"#;
const NETWORK: &str = r#"{"id":"n1","name":"lab","region":"ca1","network":"10.128.0.0","netmask":"255.255.255.0","dtCreated":"2026-01-01T00:00:00Z","dtDeleted":null}"#;
const LEGACY_NETWORK: &str = r#"{"id":"n1","name":"lab","region":"West Coast (CA1)","dtCreated":"2026-01-01T00:00:00Z","network":"10.128.0.0","netmask":"255.255.255.0","teamId":null}"#;

/// `{"event": .., "data": ..}` as the v1 actions answer.
fn action(data: &str) -> String {
    format!(r#"{{"event":{NEW_EVENT},"data":{data}}}"#)
}

fn page(items: &str) -> String {
    format!(r#"{{"hasMore":false,"nextPage":null,"items":[{items}]}}"#)
}

/// Mounts the case's one request on `server` (expected once) and runs it.
async fn check(sandbox: &Sandbox, server: &MockServer, case: &Case<'_>) {
    let mock = Mock::given(method(case.method))
        .and(path(case.path))
        .and(ExactQuery(case.query))
        .and(header("authorization", format!("Bearer {KEY}").as_str()));
    let mock = match case.body {
        Some(body) => mock
            .and(header("content-type", "application/json"))
            .and(body_string(body)),
        None => mock.and(NoBody),
    };
    mock.respond_with(json_response(200, case.answer))
        .expect(1)
        .named(case.args.join(" "))
        .mount(server)
        .await;
    let out = run(sandbox.v1_cli(server), case.args);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (0, ""),
        "{}",
        case.args.join(" ")
    );
    assert_eq!(out.stdout, pretty(case.stdout), "{}", case.args.join(" "));
}

#[tokio::test]
async fn every_operation_sends_the_request_the_v1_document_describes() {
    let sandbox = Sandbox::new();
    let action_snapshot = action(SNAPSHOT);
    let action_template = action(
        r#"{"id":"tc1","name":"golden","agentType":"LinuxHeadless","operatingSystemLabel":"Ubuntu 22.04","region":"ny2","defaultSizeGb":50,"availableMachineTypes":[],"parentMachineId":"ps1","dtCreated":"2026-01-01T00:00:00Z"}"#,
    );
    let drives = page(DRIVE);
    let ips = page(IP);
    let snapshots = page(SNAPSHOT);
    let (ip_list, snapshot_list, drive_list) = (
        format!("[{IP}]"),
        format!("[{SNAPSHOT}]"),
        format!("[{DRIVE}]"),
    );
    let accessors =
        page(r#"{"user":{"id":"u1","email":"ada@example.com","firstName":"Ada","lastName":null}}"#);
    let cases = [
        Case {
            args: &["machines", "accessors", "--machineId", "ps 1"],
            method: "GET",
            path: "/v1/machines/ps%201/accessors",
            query: Some("orderBy=id&order=asc&limit=120"),
            body: None,
            answer: &accessors,
            stdout: r#"[{"user":{"id":"u1","email":"ada@example.com","firstName":"Ada","lastName":null}}]"#,
        },
        Case {
            args: &["machines", "desktop", "--machineId", "ps1"],
            method: "GET",
            path: "/v1/machines/ps1/desktop",
            query: None,
            body: None,
            answer: r#"{"vnc":{"hostname":"10.64.0.5","port":5900,"password":"pw"}}"#,
            stdout: r#"{"vnc":{"hostname":"10.64.0.5","port":5900,"password":"pw"}}"#,
        },
        Case {
            args: &[
                "machines",
                "update",
                "--machineId",
                "ps1",
                "--machineType",
                "A4000",
                "--size",
                "100",
                "--networkId",
                "n1",
            ],
            method: "PUT",
            path: "/v1/machines/ps1",
            query: None,
            body: Some(r#"{"machineType":"A4000","diskSize":100,"networkId":"n1"}"#),
            answer: r#"{"data":{"id":"ps1","state":"off","machineType":"A4000"}}"#,
            stdout: r#"{"id":"ps1","name":null,"os":null,"ram":null,"cpus":null,"gpu":null,"storageTotal":null,"storageUsed":null,"machineType":"A4000","usageRate":"A4000 hourly","shutdownTimeoutInHours":null,"shutdownTimeoutForces":null,"performAutoSnapshot":null,"autoSnapshotFrequency":null,"autoSnapshotSaveCount":null,"dynamicPublicIp":null,"agentType":null,"dtCreated":null,"state":"off","updatesPending":null,"networkId":null,"privateIpAddress":null,"publicIpAddress":null,"region":null,"userId":null,"teamId":null,"scriptId":null,"dtLastRun":null,"restorePointSnapshotId":null,"restorePointFrequency":null}"#,
        },
        Case {
            args: &["publicIps", "list", "--region", "East Coast (NY2)"],
            method: "GET",
            path: "/v1/public-ips",
            query: Some("region=ny2&orderBy=dtCreated&order=asc&limit=120"),
            body: None,
            answer: &ips,
            stdout: &ip_list,
        },
        Case {
            args: &["publicIps", "claim", "--region", "ams1"],
            method: "POST",
            path: "/v1/public-ips",
            query: None,
            body: Some(r#"{"region":"ams1"}"#),
            answer: IP,
            stdout: IP,
        },
        Case {
            args: &[
                "publicIps",
                "assign",
                "--ip",
                "203.0.113.7",
                "--machineId",
                "ps1",
            ],
            method: "PUT",
            path: "/v1/public-ips/203.0.113.7",
            query: None,
            body: Some(r#"{"machineId":"ps1"}"#),
            answer: IP,
            stdout: IP,
        },
        Case {
            args: &["publicIps", "unassign", "--ip", "203.0.113.7"],
            method: "PUT",
            path: "/v1/public-ips/203.0.113.7",
            query: None,
            body: Some(r#"{"machineId":null}"#),
            answer: r#"{"ip":"203.0.113.7","region":"ny2","dtCreated":"2026-01-01T00:00:00Z"}"#,
            stdout: r#"{"ip":"203.0.113.7","region":"ny2","dtCreated":"2026-01-01T00:00:00Z"}"#,
        },
        Case {
            args: &["publicIps", "release", "--ip", "203.0.113.7"],
            method: "DELETE",
            path: "/v1/public-ips/203.0.113.7",
            query: None,
            body: None,
            answer: r#"{"ip":"203.0.113.7"}"#,
            stdout: r#"{"ip":"203.0.113.7"}"#,
        },
        Case {
            args: &["snapshots", "list", "--machineId", "ps1"],
            method: "GET",
            path: "/v1/snapshots",
            query: Some("machineId=ps1&orderBy=dtCreated&order=asc&limit=120"),
            body: None,
            answer: &snapshots,
            stdout: &snapshot_list,
        },
        Case {
            args: &[
                "snapshots",
                "create",
                "--snapshotName",
                "before",
                "--machineId",
                "ps1",
            ],
            method: "POST",
            path: "/v1/snapshots",
            query: None,
            body: Some(r#"{"name":"before","machineId":"ps1"}"#),
            answer: &action_snapshot,
            stdout: &action_snapshot,
        },
        Case {
            args: &["snapshots", "show", "--snapshotId", "s1"],
            method: "GET",
            path: "/v1/snapshots/s1",
            query: None,
            body: None,
            answer: SNAPSHOT,
            stdout: SNAPSHOT,
        },
        // The document requires a body: `{}` when nothing is asked.
        Case {
            args: &["snapshots", "restore", "--snapshotId", "s1"],
            method: "POST",
            path: "/v1/snapshots/s1/restore",
            query: None,
            body: Some("{}"),
            answer: &action_snapshot,
            stdout: &action_snapshot,
        },
        Case {
            args: &[
                "snapshots",
                "restore",
                "--snapshotId",
                "s1",
                "--createSnapshotBeforeRestore",
            ],
            method: "POST",
            path: "/v1/snapshots/s1/restore",
            query: None,
            body: Some(r#"{"createSnapshotBeforeRestore":true}"#),
            answer: &action_snapshot,
            stdout: &action_snapshot,
        },
        Case {
            args: &["snapshots", "destroy", "--snapshotId", "s1"],
            method: "DELETE",
            path: "/v1/snapshots/s1",
            query: None,
            body: None,
            answer: &action_snapshot,
            stdout: &action_snapshot,
        },
        // A custom template made from a machine is shown as templates list shows it.
        Case {
            args: &[
                "templates",
                "create",
                "--machineId",
                "ps1",
                "--templateName",
                "golden",
            ],
            method: "POST",
            path: "/v1/custom-templates",
            query: None,
            body: Some(r#"{"machineId":"ps1","name":"golden"}"#),
            answer: &action_template,
            stdout: r#"{"id":"tc1","name":"tc1","label":"golden","os":"Ubuntu 22.04","teamId":null,"userId":null,"region":"East Coast (NY2)","dtCreated":"2026-01-01T00:00:00Z"}"#,
        },
        Case {
            args: &["templates", "destroy", "--templateId", "tc1"],
            method: "DELETE",
            path: "/v1/custom-templates/tc1",
            query: None,
            body: None,
            answer: r#"{"id":"tc1","name":"golden"}"#,
            stdout: "{}",
        },
        Case {
            args: &[
                "scripts",
                "assign",
                "--scriptId",
                "sc1",
                "--machineId",
                "ps1",
            ],
            method: "POST",
            path: "/v1/startup-scripts/sc1/assign",
            query: None,
            body: Some(r#"{"machineId":"ps1"}"#),
            answer: SCRIPT,
            stdout: LEGACY_SCRIPT,
        },
        Case {
            args: &[
                "scripts",
                "unassign",
                "--scriptId",
                "sc1",
                "--machineId",
                "ps1",
            ],
            method: "POST",
            path: "/v1/startup-scripts/sc1/unassign",
            query: None,
            body: Some(r#"{"machineId":"ps1"}"#),
            answer: SCRIPT,
            stdout: LEGACY_SCRIPT,
        },
        Case {
            args: &[
                "scripts",
                "update",
                "--scriptId",
                "sc1",
                "--scriptName",
                "boot",
                "--scriptText",
                "echo hi",
                "--isEnabled",
                "false",
                "--runOnce",
            ],
            method: "PUT",
            path: "/v1/startup-scripts/sc1",
            query: None,
            body: Some(r#"{"name":"boot","script":"echo hi","isEnabled":false,"isRunOnce":true}"#),
            answer: SCRIPT,
            stdout: LEGACY_SCRIPT,
        },
        Case {
            args: &[
                "networks",
                "create",
                "--region",
                "West Coast (CA1)",
                "--networkName",
                "lab",
            ],
            method: "POST",
            path: "/v1/private-networks",
            query: None,
            body: Some(r#"{"region":"ca1","name":"lab"}"#),
            answer: NETWORK,
            stdout: LEGACY_NETWORK,
        },
        Case {
            args: &["networks", "show", "--networkId", "n1"],
            method: "GET",
            path: "/v1/private-networks/n1",
            query: None,
            body: None,
            answer: NETWORK,
            stdout: LEGACY_NETWORK,
        },
        Case {
            args: &["networks", "destroy", "--networkId", "n1"],
            method: "DELETE",
            path: "/v1/private-networks/n1",
            query: None,
            body: None,
            answer: r#"{"id":"n1"}"#,
            stdout: "{}",
        },
        Case {
            args: &["sharedDrives", "list", "--name", "dat", "--region", "ny2"],
            method: "GET",
            path: "/v1/shared-drives",
            query: Some("name=dat&region=ny2&orderBy=dtCreated&order=asc&limit=120"),
            body: None,
            answer: &drives,
            stdout: &drive_list,
        },
        Case {
            args: &[
                "sharedDrives",
                "create",
                "--sharedDriveName",
                "data",
                "--size",
                "250",
                "--region",
                "ny2",
                "--networkId",
                "n1",
            ],
            method: "POST",
            path: "/v1/shared-drives",
            query: None,
            body: Some(r#"{"name":"data","size":250,"region":"ny2","networkId":"n1"}"#),
            answer: DRIVE,
            stdout: DRIVE,
        },
        Case {
            args: &["sharedDrives", "show", "--sharedDriveId", "sd1"],
            method: "GET",
            path: "/v1/shared-drives/sd1",
            query: None,
            body: None,
            answer: DRIVE,
            stdout: DRIVE,
        },
        Case {
            args: &["sharedDrives", "destroy", "--sharedDriveId", "sd1"],
            method: "DELETE",
            path: "/v1/shared-drives/sd1",
            query: None,
            body: None,
            answer: r#"{"id":"sd1"}"#,
            stdout: r#"{"id":"sd1"}"#,
        },
    ];
    // One server: every case's request differs from the others' in method, path or body.
    let server = MockServer::start().await;
    for case in &cases {
        check(&sandbox, &server, case).await;
    }
}

#[tokio::test]
async fn machine_events_are_newest_first_and_limit_stops_the_paging() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    let event = |id: &str| {
        format!(
            r#"{{"id":"{id}","name":"start","state":"done","machineId":"ps1","dtCreated":"2026-01-0{id}T00:00:00Z","dtStarted":null,"dtFinished":null,"error":null}}"#
        )
    };
    let first_two = format!(
        r#"{{"hasMore":true,"nextPage":"c2","items":[{},{}]}}"#,
        event("3"),
        event("2")
    );
    let query = |rest| -> Option<&'static str> {
        Some(match rest {
            "all" => "machineId=ps1&orderBy=dtCreated&order=desc&limit=120",
            "after" => "machineId=ps1&orderBy=dtCreated&order=desc&limit=120&after=c2",
            _ => "machineId=ps1&orderBy=dtCreated&order=desc&limit=2",
        })
    };
    for (query, body) in [
        (query("all"), first_two.clone()),
        (query("after"), page(&event("1"))),
        // One page of two is enough for --limit 2: the page asks for no more.
        (query("limit"), first_two),
    ] {
        json_route("GET", "/v1/machine-events", query, Auth::Bearer, &body)
            .expect(1)
            .mount(&server)
            .await;
    }
    run(
        sandbox.v1_cli(&server),
        &["machines", "events", "--machineId", "ps1"],
    )
    .assert_success(&pretty(&format!(
        "[{},{},{}]",
        event("3"),
        event("2"),
        event("1")
    )));
    run(
        sandbox.v1_cli(&server),
        &[
            "machines", "events", "--machineId", "ps1", "--limit", "2", "-o", "table",
        ],
    )
    .assert_success(
        "ID  NAME   STATE  CREATED           FINISHED  ERROR\n3   start  done   2026-01-03 00:00  -         -\n2   start  done   2026-01-02 00:00  -         -\n",
    );
    run(
        sandbox.v1_cli(&server),
        &["machines", "events", "--machineId", "ps1", "--limit", "0"],
    )
    .assert_error(
        2,
        "invalid value '0' for --limit: expected a whole number of at least 1",
        None,
    );
}

#[tokio::test]
async fn tables_of_the_new_records_hide_passwords_unless_asked() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machines/ps1/desktop"))
        .respond_with(json_response(
            200,
            r#"{"vnc":{"hostname":"10.64.0.5","port":5900,"password":"pw"},"windows":{"hostname":"10.64.0.5","port":3389}}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/shared-drives/sd1"))
        .respond_with(json_response(200, DRIVE))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/snapshots"))
        .respond_with(json_response(200, &action(SNAPSHOT)))
        .mount(&server)
        .await;
    let desktop = |extra: &[&str]| {
        let mut args = vec!["machines", "desktop", "--machineId", "ps1", "-o", "table"];
        args.extend_from_slice(extra);
        run(sandbox.v1_cli(&server), &args)
    };
    desktop(&[]).assert_success(
        "VNC host           10.64.0.5\nVNC port           5900\nVNC password       (hidden: --showPassword)\nWindows host       10.64.0.5\nWindows port       3389\nWindows public IP  -\n",
    );
    desktop(&["--showPassword"]).assert_success(
        "VNC host           10.64.0.5\nVNC port           5900\nVNC password       pw\nWindows host       10.64.0.5\nWindows port       3389\nWindows public IP  -\n",
    );
    // JSON is data: the password is in it (docs/v1.md).
    let out = run(
        sandbox.v1_cli(&server),
        &["machines", "desktop", "--machineId", "ps1"],
    );
    assert!(
        out.stdout.contains("\"password\": \"pw\""),
        "{}",
        out.stdout
    );
    run(
        sandbox.v1_cli(&server),
        &[
            "sharedDrives",
            "show",
            "--sharedDriveId",
            "sd1",
            "-o",
            "table",
            "--columns",
            "id,user_name,password",
        ],
    )
    .assert_success("ID        sd1\nUsername  sd1-user\nPassword  (hidden: --showPassword)\n");
    // An action's answer shows the object it acts on.
    run(
        sandbox.v1_cli(&server),
        &[
            "snapshots",
            "create",
            "--machineId",
            "ps1",
            "--snapshotName",
            "before",
            "-o",
            "table",
        ],
    )
    .assert_success(
        "ID         s1\nName       before\nMachine    ps1\nAutomatic  no\nCreated    -\n",
    );
}

#[tokio::test]
async fn what_the_legacy_api_lacked_needs_api_v1_and_sends_nothing() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    for args in [
        &["machines", "events", "--machineId", "ps1"][..],
        &["machines", "accessors", "--machineId", "ps1"],
        &["machines", "desktop", "--machineId", "ps1"],
        &["publicIps", "list"],
        &["publicIps", "claim", "--region", "ny2"],
        &["publicIps", "release", "--ip", "203.0.113.7", "--yes"],
        &["snapshots", "restore", "--snapshotId", "s1", "--yes"],
        &["sharedDrives", "list"],
        &[
            "templates",
            "create",
            "--machineId",
            "ps1",
            "--templateName",
            "t",
        ],
        &[
            "scripts",
            "assign",
            "--scriptId",
            "sc1",
            "--machineId",
            "ps1",
        ],
        &[
            "networks",
            "create",
            "--region",
            "ny2",
            "--networkName",
            "lab",
        ],
    ] {
        let command = format!("{} {}", args[0], args[1]);
        run(sandbox.cli(&server), args).assert_error(
            2,
            &format!(
                "{command} needs --api v1 (or PAPERSPACE_API=v1): the legacy API had no such operation"
            ),
            None,
        );
    }
    for (args, flag, command) in [
        (
            &[
                "machines",
                "update",
                "--machineId",
                "ps1",
                "--machineType",
                "A4000",
            ][..],
            "machineType",
            "machines update",
        ),
        (
            &[
                "machines",
                "update",
                "--machineId",
                "ps1",
                "--networkId",
                "n1",
            ],
            "networkId",
            "machines update",
        ),
        (
            &[
                "machines",
                "create",
                "--region",
                "ny2",
                "--machineType",
                "C5",
                "--size",
                "50",
                "--billingType",
                "hourly",
                "--machineName",
                "b",
                "--templateId",
                "t",
                "--emailPassword",
                "false",
            ],
            "emailPassword",
            "machines create",
        ),
    ] {
        run(sandbox.cli(&server), args).assert_error(
            2,
            &format!(
                "--{flag} of {command} needs --api v1 (or PAPERSPACE_API=v1): the legacy API had no such field"
            ),
            None,
        );
    }
}

/// A value of the kind a flag takes that the command line accepts (a switch: `false`, which
/// sets off no rule); `file` is a file that exists.
fn valid_value(kind: paperspace::api::spec::ValueKind, file: &str) -> String {
    use paperspace::api::spec::ValueKind::*;
    match kind {
        Text => "text".into(),
        Id => "id1".into(),
        Count { min } => min.max(1).to_string(),
        Switch => "false".into(),
        OneOf(set) | OneOfAnyCase(set) | OneOfOrNull(set) => set[0].into(),
        Region => "ny2".into(),
        MachineType => "C5".into(),
        Month => "2022-03".into(),
        NonEmpty => "echo hi".into(),
        File => file.into(),
        Seconds { .. } => "1".into(),
    }
}

/// `namespace command`, its required flags (and the first of each "exactly one of" or "at least
/// one of" that `extra` is not in), `--yes`
/// where it asks, then `extra`.
fn valid_argv(
    spec: &paperspace::api::spec::CommandSpec,
    file: &str,
    extra: Option<&paperspace::api::spec::ParamSpec>,
) -> Vec<String> {
    use paperspace::api::spec::Rule;
    let mut argv = vec![
        spec.id.namespace().name().to_string(),
        spec.name.to_string(),
    ];
    let mut given: Vec<&paperspace::api::spec::ParamSpec> =
        spec.params.iter().filter(|p| p.required).collect();
    for rule in spec.rules {
        if let Rule::ExactlyOne(flags) | Rule::AtLeastOne(flags) = rule
            && !flags.iter().any(|f| extra.is_some_and(|p| p.name == *f))
        {
            given.push(spec.param(flags[0]).unwrap());
        }
    }
    if spec.confirm.is_some() {
        given.push(spec.param("yes").unwrap());
    }
    given.extend(extra);
    for param in given {
        argv.push(format!("--{}", param.name));
        argv.push(valid_value(param.kind, file));
    }
    argv
}

/// Every command (and every flag) the table declares the legacy API lacked: on the legacy API a
/// usage error saying it needs `--api v1`, exit 2, nothing sent.
#[tokio::test]
async fn every_command_and_flag_only_v1_has_needs_api_v1_and_sends_nothing() {
    use paperspace::api::spec::{LegacyOp, OnLegacy};
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let file = sandbox.home.path().join("boot.sh");
    std::fs::write(&file, "#!/bin/sh\necho hi\n").unwrap();
    let file = file.to_str().unwrap();
    let (mut commands, mut flags) = (0, 0);
    for spec in paperspace::api::commands::all() {
        if spec.legacy == LegacyOp::NeedsV1 {
            let argv = valid_argv(spec, file, None);
            let args: Vec<&str> = argv.iter().map(String::as_str).collect();
            // The same command line is fine on v1: only the legacy API lacks it.
            let on_v1 = run(
                sandbox.v1_cli(&server),
                &[&["--dry-run"], &args[..]].concat(),
            );
            assert_eq!(on_v1.code, 0, "{argv:?} on v1: {}", on_v1.stderr);
            run(sandbox.cli(&server), &args).assert_error(
                2,
                &format!(
                    "{} needs --api v1 (or PAPERSPACE_API=v1): the legacy API had no such operation",
                    spec.full_name()
                ),
                None,
            );
            commands += 1;
            continue;
        }
        for param in spec.params.iter().filter(|p| p.legacy == OnLegacy::NeedsV1) {
            let argv = valid_argv(spec, file, Some(param));
            let args: Vec<&str> = argv.iter().map(String::as_str).collect();
            let on_v1 = run(
                sandbox.v1_cli(&server),
                &[&["--dry-run"], &args[..]].concat(),
            );
            assert_eq!(on_v1.code, 0, "{argv:?} on v1: {}", on_v1.stderr);
            run(sandbox.cli(&server), &args).assert_error(
                2,
                &format!(
                    "--{} of {} needs --api v1 (or PAPERSPACE_API=v1): the legacy API had no such field",
                    param.name,
                    spec.full_name()
                ),
                None,
            );
            flags += 1;
        }
    }
    assert!(
        commands > 0 && flags > 0,
        "{commands} commands, {flags} flags"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        0,
        "a request was sent"
    );
}

#[tokio::test]
async fn create_on_v1_takes_the_settings_update_has() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/machines"))
        .and(body_string(r#"{"region":"ny2","machineType":"C5","diskSize":50,"name":"b","templateId":"t0nspur5","autoShutdownTimeout":3,"autoShutdownForce":true,"autoSnapshotFrequency":"weekly","autoSnapshotSaveCount":2,"autoSnapshotEnabled":true,"emailPassword":false,"autoShutdownEnabled":true}"#))
        .respond_with(json_response(200, r#"{"data":{"id":"ps9"}}"#))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "create",
            "--region",
            "ny2",
            "--machineType",
            "C5",
            "--size",
            "50",
            "--billingType",
            "hourly",
            "--machineName",
            "b",
            "--templateId",
            "t0nspur5",
            "--shutdownTimeoutInHours",
            "3",
            "--shutdownTimeoutForces",
            "--autoSnapshotFrequency",
            "week",
            "--autoSnapshotSaveCount",
            "2",
            "--performAutoSnapshot",
            "true",
            "--emailPassword",
            "false",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[tokio::test]
async fn bad_input_for_the_new_commands_is_a_usage_error_naming_the_flag() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let v1 = |args: &[&str]| run(sandbox.v1_cli(&server), args);
    v1(&["scripts", "update", "--scriptId", "sc1"]).assert_error(
        2,
        "nothing to change: give at least one of --scriptName, --scriptFile, --scriptText, --isEnabled, --runOnce",
        None,
    );
    v1(&[
        "scripts",
        "update",
        "--scriptId",
        "sc1",
        "--scriptText",
        "a",
        "--scriptFile",
        "b",
    ])
    .assert_error(
        2,
        "--scriptFile and --scriptText cannot be used together: choose one",
        None,
    );
    v1(&["publicIps", "claim", "--region", "mars"]).assert_error(
        2,
        "invalid value 'mars' for --region: accepted values are East Coast (NY2), West Coast (CA1), Europe (AMS1), ny2, ca1, ams1",
        None,
    );
    v1(&["snapshots", "show", "--snapshotId", ".."]).assert_error(
        2,
        "invalid value '..' for --snapshotId: '.' and '..' cannot be ids",
        None,
    );
    v1(&[
        "sharedDrives",
        "create",
        "--sharedDriveName",
        "d",
        "--size",
        "0",
        "--region",
        "ny2",
        "--networkId",
        "n1",
    ])
    .assert_error(
        2,
        "invalid value '0' for --size: expected a whole number of at least 1",
        None,
    );
    v1(&["publicIps", "assign", "--ip", "203.0.113.7"]).assert_error(
        2,
        "missing required flag --machineId",
        None,
    );
}

#[tokio::test]
async fn a_network_v1_answers_null_for_is_an_error_not_a_record_of_nulls() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/private-networks/gone"))
        .respond_with(json_response(200, "null"))
        .mount(&server)
        .await;
    run(
        sandbox.v1_cli(&server),
        &["networks", "show", "--networkId", "gone"],
    )
    .assert_error(1, "no such network: the API answered null", Some(200));
}

/// A v1 machine answer with the event that tracks the action.
fn machine_action(event: &str, state: &str) -> String {
    format!(
        r#"{{"event":{{"id":"{event}","name":"start","state":"new"}},"data":{{"id":"ps1","state":"{state}"}}}}"#
    )
}

async fn machine_is(server: &MockServer, state: &str, times: u64) {
    Mock::given(method("GET"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(
            200,
            &format!(r#"{{"id":"ps1","state":"{state}"}}"#),
        ))
        .up_to_n_times(times)
        .mount(server)
        .await;
}

async fn event_is(server: &MockServer, id: &str, state: &str, error: &str, times: u64) {
    Mock::given(method("GET"))
        .and(path(format!("/v1/machine-events/{id}")))
        .and(ExactQuery(None))
        .respond_with(json_response(
            200,
            &format!(
                r#"{{"id":"{id}","name":"start","state":"{state}","machineId":"ps1","dtCreated":"2001-01-01T00:00:00Z","error":{error}}}"#
            ),
        ))
        .up_to_n_times(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn start_wait_follows_the_event_start_answered_with_until_it_is_done() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/machines/ps1/start"))
        .respond_with(json_response(200, &machine_action("e1", "starting")))
        .expect(1)
        .mount(&server)
        .await;
    // The machine reads ready before the start is done: the wait goes on.
    machine_is(&server, "ready", 10).await;
    event_is(&server, "e1", "in progress", "null", 1).await;
    event_is(&server, "e1", "done", "null", 10).await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "start",
            "--machineId",
            "ps1",
            "--wait",
            "--interval",
            "0.05",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(printed["state"], "ready");
    assert_eq!(printed["events"][0]["handle"], "e1");
    assert_eq!(printed["events"][0]["state"], "done");
    // One poll asks for the machine and the event together: their order within it may vary.
    let requests = received(&server).await;
    assert_eq!(requests[0], "PATCH /v1/machines/ps1/start");
    let mut polls = requests[1..].to_vec();
    polls.sort();
    assert_eq!(
        polls,
        [
            "GET /v1/machine-events/e1",
            "GET /v1/machine-events/e1",
            "GET /v1/machines/ps1",
            "GET /v1/machines/ps1",
        ]
    );
}

#[tokio::test]
async fn a_wait_fails_fast_when_the_followed_event_fails() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/machines/ps1/start"))
        .respond_with(json_response(200, &machine_action("e1", "starting")))
        .mount(&server)
        .await;
    machine_is(&server, "off", 10).await;
    // Its clock says long ago; it is still the start's own failure.
    event_is(&server, "e1", "error", r#""No capacity in NY2""#, 10).await;
    run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "start",
            "--machineId",
            "ps1",
            "--wait",
            "--interval",
            "0.05",
        ],
    )
    .assert_error(5, "machine ps1: start failed: No capacity in NY2", None);
}

#[tokio::test]
async fn update_wait_reads_the_state_first_and_waits_for_the_machine_to_be_back_in_it() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machine-events"))
        .respond_with(json_response(200, &page("")))
        .mount(&server)
        .await;
    // Read first: off. Then upgrading while the resize runs, then off again.
    machine_is(&server, "off", 1).await;
    machine_is(&server, "upgrading", 1).await;
    machine_is(&server, "off", 10).await;
    Mock::given(method("PUT"))
        .and(path("/v1/machines/ps1"))
        .and(body_string(r#"{"machineType":"A4000"}"#))
        .respond_with(json_response(
            200,
            r#"{"event":{"id":"e9","name":"vm-upgrade","state":"new"},"data":{"id":"ps1","state":"upgrading"}}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    event_is(&server, "e9", "in progress", "null", 1).await;
    event_is(&server, "e9", "done", "null", 10).await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "update",
            "--machineId",
            "ps1",
            "--machineType",
            "A4000",
            "--wait",
            "--interval",
            "0.05",
            "-o",
            "table",
            "--columns",
            "id,state",
        ],
    );
    out.assert_success("ID     ps1\nState  off\n");
    let requests = received(&server).await;
    assert_eq!(requests[0], "GET /v1/machines/ps1", "{requests:?}");
    assert!(
        requests.iter().position(|r| r == "PUT /v1/machines/ps1")
            < requests
                .iter()
                .position(|r| r == "GET /v1/machine-events/e9"),
        "{requests:?}"
    );
}

#[tokio::test]
async fn snapshot_waits_end_with_their_event_and_print_the_answer_with_it_done() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/snapshots/s1/restore"))
        .respond_with(json_response(200, &action(SNAPSHOT)))
        .expect(1)
        .mount(&server)
        .await;
    event_is(&server, "e1", "in progress", "null", 2).await;
    event_is(&server, "e1", "done", "null", 10).await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "snapshots",
            "restore",
            "--snapshotId",
            "s1",
            "--wait",
            "--interval",
            "0.05",
        ],
    );
    out.assert_success(&pretty(&format!(
        r#"{{"event":{{"id":"e1","name":"start","state":"done","machineId":"ps1","dtCreated":"2001-01-01T00:00:00Z","error":null}},"data":{SNAPSHOT}}}"#
    )));
    assert_eq!(
        received(&server).await,
        [
            "POST /v1/snapshots/s1/restore",
            "GET /v1/machine-events/e1",
            "GET /v1/machine-events/e1",
            "GET /v1/machine-events/e1",
        ]
    );

    let failing = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/snapshots"))
        .respond_with(json_response(200, &action(SNAPSHOT)))
        .mount(&failing)
        .await;
    event_is(&failing, "e1", "error", r#""disk busy""#, 10).await;
    run(
        sandbox.v1_cli(&failing),
        &[
            "snapshots",
            "create",
            "--machineId",
            "ps1",
            "--snapshotName",
            "x",
            "--wait",
        ],
    )
    .assert_error(5, "event e1: start failed: disk busy", None);

    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/snapshots"))
        .respond_with(json_response(200, &action(SNAPSHOT)))
        .mount(&slow)
        .await;
    event_is(&slow, "e1", "in progress", "null", 100).await;
    run(
        sandbox.v1_cli(&slow),
        &[
            "snapshots",
            "create",
            "--machineId",
            "ps1",
            "--snapshotName",
            "x",
            "--wait",
            "--interval",
            "0.05",
            "--timeout",
            "0.2",
        ],
    )
    .assert_error(
        124,
        "timed out after 0.2s waiting for event e1 to be done (last state: in progress)",
        None,
    );
}

#[tokio::test]
async fn dry_run_shows_the_read_before_and_the_event_a_wait_follows() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let base = format!("{}/v1", server.uri());
    let bearer = "-H \"Authorization: Bearer $PAPERSPACE_API_KEY\"";
    run(
        sandbox.v1_cli(&server),
        &["machines", "start", "--machineId", "ps1", "--wait", "--dry-run"],
    )
    .assert_success(&format!(
        "curl -X PATCH {base}/machines/ps1/start {bearer}\ncurl -X GET {base}/machines/ps1 {bearer}\ncurl -X GET '{base}/machine-events/{{event}}' {bearer}\n"
    ));
    run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "update",
            "--machineId",
            "ps1",
            "--size",
            "100",
            "--wait",
            "--dry-run",
        ],
    )
    .assert_success(&format!(
        "curl -X GET {base}/machines/ps1 {bearer}\ncurl -X GET '{base}/machine-events?machineId=ps1&limit=20&order=desc' {bearer}\ncurl -X PUT {base}/machines/ps1 {bearer} -H 'Content-Type: application/json' --data-raw '{{\"diskSize\":100}}'\ncurl -X GET {base}/machines/ps1 {bearer}\ncurl -X GET '{base}/machine-events/{{event}}' {bearer}\n"
    ));
    run(
        sandbox.v1_cli(&server),
        &[
            "snapshots",
            "restore",
            "--snapshotId",
            "s1",
            "--wait",
            "--dry-run",
        ],
    )
    .assert_success(&format!(
        "curl -X POST {base}/snapshots/s1/restore {bearer} -H 'Content-Type: application/json' --data-raw '{{}}'\ncurl -X GET '{base}/machine-events/{{event}}' {bearer}\n"
    ));
}

/// Every command of the table that asks before it runs (`confirm`), on a pseudo-terminal: `n`
/// cancels (exit 2, the cancel message, nothing sent), `y` sends the request, `--yes` sends it
/// without asking.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_confirmed_command_asks_on_a_terminal_and_only_yes_goes_ahead() {
    if !terminal_tests_run() {
        return;
    }
    let sandbox = Sandbox::new();
    // (command, its arguments, the question, the cancel message, the requests it sends)
    type Confirmed<'a> = (&'a str, &'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: &[Confirmed] = &[
        (
            "machines destroy",
            "--api v1 machines destroy --machineId ps1",
            "Destroy machine ps1? This cannot be undone. [y/N]",
            "cancelled: nothing was destroyed",
            &[("DELETE", "/v1/machines/ps1")],
        ),
        (
            "networks destroy",
            "--api v1 networks destroy --networkId n1",
            "Destroy network n1? This cannot be undone. [y/N]",
            "cancelled: nothing was destroyed",
            &[("DELETE", "/v1/private-networks/n1")],
        ),
        (
            "publicIps release",
            "--api v1 publicIps release --ip 203.0.113.7 --ip 203.0.113.8",
            "Release public IPs 203.0.113.7, 203.0.113.8? This cannot be undone. [y/N]",
            "cancelled: nothing was released",
            &[
                ("DELETE", "/v1/public-ips/203.0.113.7"),
                ("DELETE", "/v1/public-ips/203.0.113.8"),
            ],
        ),
        (
            "scripts destroy",
            "--api v1 scripts destroy --scriptId sc1",
            "Destroy script sc1? This cannot be undone. [y/N]",
            "cancelled: nothing was destroyed",
            &[("DELETE", "/v1/startup-scripts/sc1")],
        ),
        (
            "scripts destroy",
            "scripts destroy --scriptId sc1",
            "Destroy script sc1? This cannot be undone. [y/N]",
            "cancelled: nothing was destroyed",
            &[("POST", "/scripts/sc1/destroy")],
        ),
        (
            "snapshots restore",
            "--api v1 snapshots restore --snapshotId s1",
            "Restore the machine of snapshot s1? This cannot be undone. [y/N]",
            "cancelled: nothing was restored",
            &[("POST", "/v1/snapshots/s1/restore")],
        ),
        (
            "snapshots destroy",
            "--api v1 snapshots destroy --snapshotId s1",
            "Destroy snapshot s1? This cannot be undone. [y/N]",
            "cancelled: nothing was destroyed",
            &[("DELETE", "/v1/snapshots/s1")],
        ),
        (
            "sharedDrives destroy",
            "--api v1 sharedDrives destroy --sharedDriveId sd1",
            "Destroy shared drive sd1? This cannot be undone. [y/N]",
            "cancelled: nothing was destroyed",
            &[("DELETE", "/v1/shared-drives/sd1")],
        ),
        (
            "templates destroy",
            "--api v1 templates destroy --templateId tc1",
            "Destroy template tc1? This cannot be undone. [y/N]",
            "cancelled: nothing was destroyed",
            &[("DELETE", "/v1/custom-templates/tc1")],
        ),
    ];
    // Every command that asks is here (and nothing else).
    let asking: std::collections::BTreeSet<String> = paperspace::api::commands::all()
        .filter(|spec| spec.confirm.is_some())
        .map(|spec| spec.full_name())
        .collect();
    let listed: std::collections::BTreeSet<String> =
        cases.iter().map(|case| case.0.to_string()).collect();
    assert_eq!(listed, asking);
    for (name, args, question, cancelled, requests) in cases {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(json_response(200, "{}"))
            .mount(&server)
            .await;
        let received = || async {
            let mut sent: Vec<(String, String)> = server
                .received_requests()
                .await
                .unwrap()
                .iter()
                .map(|r| (r.method.to_string(), r.url.path().to_string()))
                .collect();
            sent.sort();
            sent
        };
        let once: Vec<(String, String)> = requests
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();

        let (code, screen) = on_terminal(&sandbox, &server, args, "n\n");
        assert_eq!(code, 2, "{name}, n: {screen}");
        assert!(screen.contains(question), "{name}, n: {screen}");
        assert!(screen.contains(cancelled), "{name}, n: {screen}");
        assert_eq!(received().await, vec![], "{name}: sent after n");

        let (code, screen) = on_terminal(&sandbox, &server, args, "y\n");
        assert_eq!(code, 0, "{name}, y: {screen}");
        assert!(screen.contains(question), "{name}, y: {screen}");
        assert!(!screen.contains("cancelled"), "{name}, y: {screen}");
        assert_eq!(received().await, once, "{name}: sent after y");

        let (code, screen) = on_terminal(&sandbox, &server, &format!("{args} --yes"), "");
        assert_eq!(code, 0, "{name}, --yes: {screen}");
        assert!(!screen.contains("[y/N]"), "{name}, --yes: {screen}");
        let mut twice = [once.clone(), once].concat();
        twice.sort();
        assert_eq!(received().await, twice, "{name}: sent with --yes");
    }
}

#[tokio::test]
async fn several_ids_are_one_request_each_and_a_failure_names_its_own_flag() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/snapshots/s1"))
        .respond_with(json_response(200, &action(SNAPSHOT)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/snapshots/s2"))
        .respond_with(json_response(
            404,
            r#"{"message":"Snapshot not found","code":"NOT_FOUND"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &["snapshots", "destroy", "--snapshotId", "s1,s2", "--yes"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        pretty(&format!(
            r#"[{},{{"snapshotId":"s2","error":"Snapshot not found","status":404,"code":"NOT_FOUND"}}]"#,
            action(SNAPSHOT)
        ))
    );
    assert_eq!(
        out.stderr,
        "error: s2: Snapshot not found (HTTP 404, NOT_FOUND)\n"
    );
}

#[tokio::test]
async fn waitfor_on_v1_does_not_end_while_the_action_just_asked_for_is_under_way() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    // The machine still reads ready while the restart asked for a moment ago runs.
    machine_is(&server, "ready", 100).await;
    let events = |state: &str| {
        let now = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        page(&format!(
            r#"{{"id":"r1","name":"restart","state":"{state}","machineId":"ps1","dtCreated":"{now}","error":null}}"#
        ))
    };
    Mock::given(method("GET"))
        .and(path("/v1/machine-events"))
        .respond_with(json_response(200, &events("in progress")))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/machine-events"))
        .respond_with(json_response(200, &events("done")))
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "waitfor",
            "--machineId",
            "ps1",
            "--state",
            "ready",
            "--interval",
            "0.05",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(printed["events"][0]["state"], "done");
    let polls = received(&server)
        .await
        .iter()
        .filter(|r| r.starts_with("GET /v1/machine-events"))
        .count();
    assert_eq!(polls, 3, "two polls while the restart ran, one after");
}
