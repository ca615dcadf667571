//! The `--api v1` backend on the wire (wiremock): each legacy command becomes its v1
//! operation with Bearer auth, and answers come back in the legacy shape.

use crate::support::*;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer};

const V1_MACHINE: &str = r#"{"id":"ps1","name":"box","state":"ready","os":"Ubuntu","machineType":"C5","agentType":"LinuxHeadless","cpus":4,"ram":8589934592,"storageTotal":53687091200,"storageUsed":110080,"accelerators":[],"region":"ny2","privateIp":"10.0.0.5","networkId":"n1","publicIp":"1.2.3.4","publicIpType":"static","autoShutdownEnabled":true,"autoShutdownTimeout":8,"autoShutdownForce":false,"autoSnapshotEnabled":false,"autoSnapshotFrequency":null,"autoSnapshotSaveCount":null,"updatesPending":false,"restorePointEnabled":false,"restorePointFrequency":null,"restorePointSnapshotId":null,"usageRate":0.45,"storageRate":5,"dtCreated":"2026-11-28T01:00:00.000Z","dtModified":"2026-11-28T01:00:00.000Z","dtDeleted":null}"#;

fn bearer() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {KEY}").as_str())
}

#[tokio::test]
async fn create_posts_the_renamed_fields_and_prints_the_legacy_machine() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/machines"))
        .and(bearer())
        .and(body_string(r#"{"region":"ny2","machineType":"C5","diskSize":50,"name":"box","templateId":"t1","startupScriptId":"s1","publicIpType":"static"}"#))
        .respond_with(json_response(200, &format!(r#"{{"event":{{"id":"e1","name":"create","state":"new"}},"data":{V1_MACHINE}}}"#)))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "create",
            "--region",
            "East Coast (NY2)",
            "--machineType",
            "C5",
            "--size",
            "50",
            "--billingType",
            "hourly",
            "--machineName",
            "box",
            "--templateId",
            "t1",
            "--scriptId",
            "s1",
            "--assignPublicIp",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let legacy: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(legacy["privateIpAddress"], "10.0.0.5");
    assert_eq!(legacy["publicIpAddress"], "1.2.3.4");
    assert_eq!(legacy["region"], "East Coast (NY2)");
    assert_eq!(legacy["ram"], "8589934592");
    assert_eq!(legacy["shutdownTimeoutInHours"], 8);
    assert!(out.stdout.starts_with("{\n  \"id\": \"ps1\",\n  \"name\": \"box\",\n  \"os\": \"Ubuntu\",\n  \"ram\": \"8589934592\","), "{}", out.stdout);
}

#[tokio::test]
async fn power_actions_update_destroy_and_access_use_their_v1_methods() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    let answer =
        format!(r#"{{"event":{{"id":"e2","name":"stop","state":"new"}},"data":{V1_MACHINE}}}"#);
    for (verb, route) in [
        ("PATCH", "/v1/machines/ps1/stop"),
        ("PATCH", "/v1/machines/ps1/start"),
        ("PATCH", "/v1/machines/ps1/restart"),
        ("DELETE", "/v1/machines/ps1"),
    ] {
        Mock::given(method(verb))
            .and(path(route))
            .and(bearer())
            .respond_with(json_response(200, &answer))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("PUT"))
        .and(path("/v1/machines/ps1"))
        .and(body_string(
            r#"{"name":"renamed","autoSnapshotFrequency":"weekly"}"#,
        ))
        .respond_with(json_response(200, &answer))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/machines/ps1/accessors"))
        .and(body_string(r#"{"userId":"u1"}"#))
        .respond_with(json_response(
            200,
            r#"{"user":{"id":"u1","email":"a@b.c"}}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/machines/ps1/accessors/u1"))
        .respond_with(json_response(
            200,
            r#"{"user":{"id":"u1","email":"a@b.c"}}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    for action in ["stop", "start", "restart", "destroy"] {
        run(
            sandbox.v1_cli(&server),
            &["machines", action, "--machineId", "ps1"],
        )
        .assert_success("{}\n");
    }
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "update",
            "--machineId",
            "ps1",
            "--machineName",
            "renamed",
            "--autoSnapshotFrequency",
            "week",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for enable in ["true", "false"] {
        run(
            sandbox.v1_cli(&server),
            &[
                "machines",
                "setAccessForUser",
                "--machineId",
                "ps1",
                "--userId",
                "u1",
                "--enableAccess",
                enable,
            ],
        )
        .assert_success("{}\n");
    }
}

#[tokio::test]
async fn show_joins_the_machine_and_its_events_and_raw_prints_v1_json() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machines/ps1"))
        .and(bearer())
        .respond_with(json_response(200, V1_MACHINE))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/machine-events"))
        .and(ExactQuery(Some("machineId=ps1&limit=20&order=desc")))
        .respond_with(json_response(200, r#"{"hasMore":false,"nextPage":null,"items":[{"id":"e1","name":"start","state":"done","machineId":"ps1","dtCreated":"2026-11-28T01:00:00.000Z","dtStarted":null,"dtFinished":"2026-11-28T01:00:05.000Z","error":null}]}"#))
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &["machines", "show", "--machineId", "ps1"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let legacy: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(legacy["events"][0]["handle"], "e1");
    assert_eq!(legacy["events"][0]["errorMsg"], "");
    assert_eq!(
        legacy["events"][0]["dtFinished"],
        "2026-11-28T01:00:05.000Z"
    );
    let out = run(
        sandbox.v1_cli(&server),
        &["machines", "show", "--machineId", "ps1", "--raw"],
    );
    out.assert_success(&pretty(V1_MACHINE));
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "show",
            "--machineId",
            "ps1",
            "-o",
            "table",
            "--columns",
            "id,publicIpAddress",
        ],
    );
    out.assert_success("ID         ps1\nPublic IP  1.2.3.4\n");
}

#[tokio::test]
async fn list_follows_cursor_pages_and_applies_legacy_filters_and_paging() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    let item = |id: &str, state: &str| {
        V1_MACHINE
            .replace(r#""id":"ps1""#, &format!(r#""id":"{id}""#))
            .replace(r#""state":"ready""#, &format!(r#""state":"{state}""#))
    };
    Mock::given(method("GET"))
        .and(path("/v1/machines"))
        .and(ExactQuery(Some(
            "region=ams1&orderBy=dtCreated&order=asc&limit=120",
        )))
        .respond_with(json_response(
            200,
            &format!(
                r#"{{"hasMore":true,"nextPage":"c2","items":[{},{}]}}"#,
                item("a", "off"),
                item("b", "ready")
            ),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/machines"))
        .and(ExactQuery(Some(
            "region=ams1&orderBy=dtCreated&order=asc&limit=120&after=c2",
        )))
        .respond_with(json_response(
            200,
            &format!(
                r#"{{"hasMore":false,"nextPage":null,"items":[{},{}]}}"#,
                item("c", "off"),
                item("d", "off")
            ),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines", "list", "--region", "ams1", "--state", "off", "--skip", "1", "--limit", "5",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ids: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&out.stdout)
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["c", "d"]);
}

#[tokio::test]
async fn what_v1_cannot_do_is_a_usage_error_before_anything_is_sent() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    run(sandbox.v1_cli(&server), &["machines", "utilization", "--machineId", "ps1", "--billingMonth", "2026-11"])
        .assert_error(2, "utilization is not available with --api v1: the v1 API has no utilization endpoint; use --api legacy", None);
    let create = [
        "machines",
        "create",
        "--region",
        "ny2",
        "--machineType",
        "C5",
        "--size",
        "50",
        "--machineName",
        "b",
        "--templateId",
        "t",
    ];
    run(
        sandbox.v1_cli(&server),
        &[&create[..], &["--billingType", "hourly", "--teamId", "te1"]].concat(),
    )
    .assert_error(
        2,
        "--teamId cannot be used with --api v1: the team is the API key's own",
        None,
    );
    run(
        sandbox.v1_cli(&server),
        &[&create[..], &["--billingType", "monthly"]].concat(),
    )
    .assert_error(
        2,
        "--billingType cannot be used with --api v1: v1 bills machines by the hour only",
        None,
    );
    run(
        sandbox.v1_cli(&server),
        &["machines", "list", "--api", "v2"],
    )
    .assert_error(
        2,
        "invalid value 'v2' for --api: accepted values are legacy, v1",
        None,
    );
}

#[tokio::test]
async fn v1_errors_keep_their_message_and_status() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(
            404,
            r#"{"message":"Machine not found","code":"NOT_FOUND"}"#,
        ))
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &["machines", "show", "--machineId", "nope"],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "{\n  \"error\": \"Machine not found\",\n  \"status\": 404,\n  \"code\": \"NOT_FOUND\"\n}\n"
    );
    assert_eq!(
        out.stderr,
        "error: Machine not found (HTTP 404, NOT_FOUND)\n"
    );
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "availability",
            "--region",
            "ny2",
            "--machineType",
            "C5",
            "--dry-run",
        ],
    );
    out.assert_success(&format!(
        "curl -X GET '{}/v1/machine-availability?region=ny2&machineType=C5' -H \"Authorization: Bearer $PAPERSPACE_API_KEY\"\n",
        server.uri()
    ));
}
