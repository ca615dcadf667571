//! The live API, faithfully (docs/v1.md): what a legacy script meets on today's Paperspace,
//! on the wire. Each test states the live behaviour it is built on.

use crate::support::*;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer};

fn bearer() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {KEY}").as_str())
}

fn create_args(machine_type: &str) -> Vec<&str> {
    vec![
        "machines",
        "create",
        "--region",
        "ny2",
        "--machineType",
        machine_type,
        "--size",
        "100",
        "--billingType",
        "hourly",
        "--machineName",
        "gpu-box",
        "--templateId",
        "tilqt47t",
    ]
}

/// The service sells types the 2017 list lacks: v1 sends any type, the legacy backend knows
/// the ones sold since too, and a type it does not know is a usage error with a hint.
#[tokio::test]
async fn machine_types_are_open_on_v1_and_known_ones_work_on_legacy() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    for machine_type in ["A100-80Gx8", "H100", "Quantum-9000"] {
        Mock::given(method("POST"))
            .and(path("/v1/machines"))
            .and(bearer())
            .and(body_string(format!(
                r#"{{"region":"ny2","machineType":"{machine_type}","diskSize":100,"name":"gpu-box","templateId":"tilqt47t"}}"#
            )))
            .respond_with(json_response(200, r#"{"event":{},"data":{"id":"ps9"}}"#))
            .expect(1)
            .mount(&server)
            .await;
        let out = run(sandbox.v1_cli(&server), &create_args(machine_type));
        assert_eq!(out.code, 0, "{machine_type}: {}", out.stderr);
    }
    Mock::given(method("GET"))
        .and(path("/v1/machine-availability"))
        .and(query_param("machineType", "RTX5000"))
        .respond_with(json_response(200, r#"{"available":true}"#))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "availability",
            "--region",
            "ny2",
            "--machineType",
            "RTX5000",
        ],
    );
    out.assert_success("{\n  \"available\": true\n}\n");

    let legacy = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/machines/createSingleMachinePublic"))
        .and(body_string(r#"{"region":"East Coast (NY2)","machineType":"H100x8","size":100,"billingType":"hourly","machineName":"gpu-box","templateId":"tilqt47t"}"#))
        .respond_with(json_response(200, r#"{"id":"ps9"}"#))
        .expect(1)
        .mount(&legacy)
        .await;
    let out = run(sandbox.cli(&legacy), &create_args("H100x8"));
    assert_eq!(out.code, 0, "{}", out.stderr);

    let nothing = MockServer::start().await;
    expect_no_request(&nothing).await;
    let out = run(sandbox.cli(&nothing), &create_args("a100-80g"));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(
            "error: invalid value 'a100-80g' for --machineType: accepted values are Air, Standard,"
        ) && out
            .stderr
            .ends_with(" (with --api v1 any type is sent); did you mean 'A100-80G'?\n"),
        "{}",
        out.stderr
    );
    let out = run(sandbox.cli(&nothing), &create_args(" "));
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr, "error: --machineType must not be empty\n");
}

/// Completion offers the known machine types (and regions), though v1 takes any.
#[test]
fn completion_offers_the_known_machine_types() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.bare(), &["completion", "fish"]);
    assert_eq!(out.code, 0);
    // fish lists the values of `-l machineType` of `create` up to the next `complete` line.
    let start = out
        .stdout
        .find("from create\" -l machineType")
        .unwrap_or_else(|| panic!("{}", out.stdout));
    let rest = &out.stdout[start..];
    let create_types = &rest[..rest.find("\ncomplete ").unwrap_or(rest.len())];
    for machine_type in ["A100-80Gx8", "RTX4000", "C10", "GPU+"] {
        assert!(create_types.contains(machine_type), "{create_types}");
    }
}

const STARTING: &str = r#"{"message":"This machine is currently starting.","code":"BAD_REQUEST"}"#;

async fn machine_in(server: &MockServer, state: &str) {
    Mock::given(method("GET"))
        .and(path("/v1/machines/ps1"))
        .and(bearer())
        .respond_with(json_response(
            200,
            &format!(r#"{{"id":"ps1","state":"{state}"}}"#),
        ))
        .mount(server)
        .await;
}

/// The legacy promise: start on a machine already starting or running, stop on one already
/// stopping or off, is done (exit 0), though v1 refuses it with "This machine is currently
/// starting." (SkyPilot catches that exact text). A refusal for any other state stands.
#[tokio::test]
async fn power_actions_already_under_way_or_done_succeed_on_v1() {
    let sandbox = Sandbox::new();
    for (action, state) in [
        ("start", "starting"),
        ("start", "ready"),
        ("stop", "stopping"),
        ("stop", "off"),
        ("restart", "restarting"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .and(path(format!("/v1/machines/ps1/{action}")))
            .and(bearer())
            .respond_with(json_response(400, STARTING))
            .expect(1)
            .mount(&server)
            .await;
        machine_in(&server, state).await;
        let out = run(
            sandbox.v1_cli(&server),
            &["machines", action, "--machineId", "ps1"],
        );
        out.assert_success("{}\n");
    }
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/machines/ps1/restart"))
        .respond_with(json_response(
            400,
            r#"{"message":"This machine is off.","code":"BAD_REQUEST"}"#,
        ))
        .mount(&server)
        .await;
    machine_in(&server, "off").await;
    let out = run(
        sandbox.v1_cli(&server),
        &["machines", "restart", "--machineId", "ps1"],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: This machine is off. (HTTP 400, BAD_REQUEST)\n"
    );
}

/// A start whose first answer was lost is sent again; the second try is refused because the
/// first one landed, and that is a success too.
#[tokio::test]
async fn a_retried_start_whose_first_try_landed_exits_0() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/machines/ps1/start"))
        .respond_with(
            json_response(200, r#"{"event":{},"data":{}}"#)
                .set_delay(std::time::Duration::from_secs(20)),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/machines/ps1/start"))
        .respond_with(json_response(400, STARTING))
        .expect(1)
        .mount(&server)
        .await;
    machine_in(&server, "starting").await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "start",
            "--machineId",
            "ps1",
            "--request-timeout",
            "0.3",
        ],
    );
    out.assert_success("{}\n");
}

/// v1's `name` filter matches parts of names (cloudypad re-filters, docs/v1.md): `list --name`
/// prints only the machines named exactly that. Filters on fields v1 machines lack are usage
/// errors, never `[]`. Pages are asked for oldest first, in a fixed order.
#[tokio::test]
async fn list_filters_mean_what_they_meant() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machines"))
        .and(ExactQuery(Some(
            "name=build&orderBy=dtCreated&order=asc&limit=120",
        )))
        .respond_with(json_response(
            200,
            r#"{"hasMore":false,"items":[{"id":"ps1","name":"build-2"},{"id":"ps2","name":"build"},{"id":"ps3","name":"rebuild"}]}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &["machines", "list", "--name", "build"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(listed.len(), 1, "{}", out.stdout);
    assert_eq!(listed[0]["id"], "ps2");

    let nothing = MockServer::start().await;
    expect_no_request(&nothing).await;
    for lacking in ["userId", "teamId", "scriptId", "dtLastRun"] {
        run(
            sandbox.v1_cli(&nothing),
            &["machines", "list", &format!("--{lacking}"), "x"],
        )
        .assert_error(
            2,
            &format!("--{lacking} cannot be used with --api v1: v1 machines have no such field, so nothing would match"),
            None,
        );
    }
}

/// `usageRate` keeps its legacy meaning, the plan (`<machineType> hourly`), not v1's price;
/// `create --userId U` gives U access (`accessorIds`); `--debug` shows the header really sent.
#[tokio::test]
async fn legacy_fields_keep_their_meaning_and_debug_shows_the_bearer_header() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/machines"))
        .and(body_string(r#"{"region":"ny2","machineType":"A4000","diskSize":100,"name":"gpu-box","templateId":"tilqt47t","accessorIds":["u42"]}"#))
        .respond_with(json_response(
            200,
            r#"{"event":{"id":"e1"},"data":{"id":"ps9","machineType":"A4000","usageRate":0.76}}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let mut args = create_args("A4000");
    args.extend(["--userId", "u42", "--debug"]);
    let out = run(sandbox.v1_cli(&server), &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let machine: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(machine["usageRate"], "A4000 hourly");
    assert!(
        out.stderr.contains("> authorization: Bearer <redacted>\n"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("x-api-key") && !out.stderr.contains(KEY));
}

/// v1 errors carry a `code` and `details`: the stderr line names the failing field, the JSON
/// error object carries both. A 2xx whose body is a v1 error object is that error (pspace's
/// client reads it so). A 429 is tried again after its Retry-After for every request, create
/// included: nothing was done.
#[tokio::test]
async fn v1_errors_show_their_code_and_details_and_429_is_retried_for_create_too() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(
            400,
            r#"{"message":"Invalid request body","code":"BAD_REQUEST","details":{"name":"String must contain at least 1 character(s)"}}"#,
        ))
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "update",
            "--machineId",
            "ps1",
            "--machineName",
            "x",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: Invalid request body: name: String must contain at least 1 character(s) (HTTP 400, BAD_REQUEST)\n"
    );
    assert_eq!(
        out.stdout,
        "{\n  \"error\": \"Invalid request body\",\n  \"status\": 400,\n  \"code\": \"BAD_REQUEST\",\n  \"details\": {\n    \"name\": \"String must contain at least 1 character(s)\"\n  }\n}\n"
    );

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(
            200,
            r#"{"code":"UNAUTHORIZED","message":"You must be logged in"}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/machine-events"))
        .respond_with(json_response(200, r#"{"hasMore":false,"items":[]}"#))
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &["machines", "show", "--machineId", "ps1"],
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(
        out.stderr,
        "error: You must be logged in (HTTP 200, UNAUTHORIZED)\n"
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/machines"))
        .respond_with(
            json_response(
                429,
                r#"{"message":"Too many requests","code":"TOO_MANY_REQUESTS"}"#,
            )
            // One second: longer than the first backoff (at most 250 ms), so a client that
            // ignored it would answer too soon.
            .insert_header("Retry-After", "1"),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/machines"))
        .respond_with(json_response(200, r#"{"event":{},"data":{"id":"ps7"}}"#))
        .expect(1)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let out = run(sandbox.v1_cli(&server), &create_args("C5"));
    let waited = started.elapsed();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        waited >= std::time::Duration::from_secs(1),
        "create was sent again after {waited:?}, before the server's Retry-After: 1"
    );
    let creates = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/v1/machines")
        .count();
    assert_eq!(creates, 2, "create sent exactly twice");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap()["id"],
        "ps7"
    );
}

/// Public IPs are never dropped by accident: `--assignPublicIp false` and
/// `--dynamicPublicIp false` send no `publicIpType` (the machine keeps its address), and
/// `destroy --releasePublicIp` releases a static address (`DELETE /public-ips/{ip}`, as
/// cloudypad does, since v1's delete keeps it) before deleting the machine; a failure says
/// what was and was not done.
#[tokio::test]
async fn public_ips_are_released_only_when_asked() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/machines/ps1"))
        .and(body_string(r#"{"name":"kept"}"#))
        .respond_with(json_response(
            200,
            r#"{"data":{"id":"ps1","name":"kept","publicIp":"1.2.3.4","publicIpType":"static"}}"#,
        ))
        .expect(2)
        .mount(&server)
        .await;
    for flag in ["--assignPublicIp", "--dynamicPublicIp"] {
        let out = run(
            sandbox.v1_cli(&server),
            &[
                "machines",
                "update",
                "--machineId",
                "ps1",
                "--machineName",
                "kept",
                flag,
                "false",
            ],
        );
        assert_eq!(out.code, 0, "{flag}: {}", out.stderr);
    }

    let static_machine = r#"{"id":"ps1","publicIp":"1.2.3.4","publicIpType":"static"}"#;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(200, static_machine))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/public-ips/1.2.3.4"))
        .and(bearer())
        .respond_with(json_response(200, r#"{"ip":"1.2.3.4"}"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(200, r#"{"event":{},"data":{"id":"ps1"}}"#))
        .expect(1)
        .mount(&server)
        .await;
    run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "destroy",
            "--machineId",
            "ps1",
            "--releasePublicIp",
        ],
    )
    .assert_success("{}\n");
    let requests = server.received_requests().await.unwrap();
    let order: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        order,
        [
            "GET /v1/machines/ps1",
            "DELETE /v1/public-ips/1.2.3.4",
            "DELETE /v1/machines/ps1"
        ]
    );

    // The address could not be released: the machine is left as it was.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(200, static_machine))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/public-ips/1.2.3.4"))
        .respond_with(json_response(
            403,
            r#"{"message":"Forbidden","code":"FORBIDDEN"}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(200, "{}"))
        .expect(0)
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "destroy",
            "--machineId",
            "ps1",
            "--releasePublicIp",
        ],
    );
    assert_eq!(out.code, 4);
    assert_eq!(
        out.stderr,
        "error: could not release public IP 1.2.3.4 (Forbidden); the machine was not destroyed (HTTP 403, FORBIDDEN)\n"
    );

    // Released, then the delete failed: both said.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(200, static_machine))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/public-ips/1.2.3.4"))
        .respond_with(json_response(200, r#"{"ip":"1.2.3.4"}"#))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/machines/ps1"))
        .respond_with(json_response(
            400,
            r#"{"message":"Turn the machine off first","code":"BAD_REQUEST"}"#,
        ))
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "destroy",
            "--machineId",
            "ps1",
            "--releasePublicIp",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: released public IP 1.2.3.4, but the machine was not destroyed: Turn the machine off first (HTTP 400, BAD_REQUEST)\n"
    );
}
