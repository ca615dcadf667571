//! Snapshots of what a user sees for representative runs: tables, errors, dry runs, batches.
//! Each snapshot holds the exit status, stdout and stderr together (tests/cli/snapshots), so
//! any change to a layout, a message or an exit code shows up in review. Update with
//! `INSTA_UPDATE=always cargo test --test cli outputs`.

use crate::support::*;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The run as one text: exit status, then stdout and stderr, the server's address replaced
/// by `[server]` (its port changes every run).
fn shown(out: &Run, server: Option<&MockServer>) -> String {
    let text = format!(
        "[exit status: {}]\n----- stdout -----\n{}----- stderr -----\n{}",
        out.code, out.stdout, out.stderr
    );
    match server {
        Some(server) => text.replace(&server.uri(), "[server]"),
        None => text,
    }
}

/// A response body of the legacy CLI's own documentation examples.
fn documented(name: &str) -> String {
    let examples: Value =
        serde_json::from_str(&fixture("paperspace-node.jsdoc_response_examples.json")).unwrap();
    examples[name]["parsed"].to_string()
}

async fn answering(verb: &str, route: &str, status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(json_response(status, body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn tables() {
    let sandbox = Sandbox::new();
    let list = answering("GET", "/machines/getMachines", 200, &documented("list")).await;
    let out = run(sandbox.cli(&list), &["machines", "list", "-o", "table"]);
    insta::assert_snapshot!("table_list", shown(&out, Some(&list)));
    let out = run(
        sandbox.cli(&list),
        &[
            "machines",
            "list",
            "-o",
            "table",
            "--columns",
            "id,state,ram,cpus,gpu",
            "--no-header",
        ],
    );
    insta::assert_snapshot!("table_list_columns", shown(&out, Some(&list)));

    let show = answering(
        "GET",
        "/machines/getMachinePublic",
        200,
        &documented("show"),
    )
    .await;
    let out = run(
        sandbox.cli(&show),
        &[
            "machines",
            "show",
            "--machineId",
            "psabc",
            "--format",
            "table",
        ],
    );
    insta::assert_snapshot!("table_show", shown(&out, Some(&show)));

    let usage = answering(
        "GET",
        "/machines/getUtilization",
        200,
        &fixture("gradient-cli.show_machine_utilization_response.json"),
    )
    .await;
    let out = run(
        sandbox.cli(&usage),
        &[
            "machines",
            "utilization",
            "--machineId",
            "psabc",
            "--billingMonth",
            "2022-03",
            "-o",
            "table",
        ],
    );
    insta::assert_snapshot!("table_utilization", shown(&out, Some(&usage)));

    let stop = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&stop)
        .await;
    let out = run(
        sandbox.cli(&stop),
        &["machines", "stop", "--machineId", "ps1,ps2", "-o", "table"],
    );
    insta::assert_snapshot!("table_stop_two", shown(&out, Some(&stop)));
}

#[tokio::test]
async fn errors() {
    let sandbox = Sandbox::new();
    let missing = answering(
        "GET",
        "/machines/getMachinePublic",
        404,
        r#"{"error":{"name":"Error","status":404,"message":"Not found"}}"#,
    )
    .await;
    let out = run(
        sandbox.cli(&missing),
        &["machines", "show", "--machineId", "psnope"],
    );
    insta::assert_snapshot!("error_not_found", shown(&out, Some(&missing)));

    let denied = answering(
        "GET",
        "/machines/getMachines",
        401,
        r#"{"error":{"name":"Error","status":401,"message":"No such API token"}}"#,
    )
    .await;
    let out = run(sandbox.cli(&denied), &["machines", "list"]);
    insta::assert_snapshot!("error_unauthorized", shown(&out, Some(&denied)));

    let gateway = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
        ))
        .mount(&gateway)
        .await;
    let out = run(
        sandbox.cli(&gateway),
        &["machines", "list", "--retries", "0"],
    );
    insta::assert_snapshot!("error_gateway_page", shown(&out, Some(&gateway)));

    let out = run(
        sandbox.bare(),
        &[
            "machines",
            "update",
            "--machineId",
            "ps1",
            "--machineNmae",
            "x",
        ],
    );
    insta::assert_snapshot!("error_unknown_flag", shown(&out, None));
    let out = run(sandbox.bare(), &["machines", "list"]);
    insta::assert_snapshot!("error_no_key", shown(&out, None));
    let out = run(
        sandbox.bare(),
        &[
            "machines",
            "create",
            "--region",
            "Mars",
            "--machineType",
            "C5",
            "--size",
            "50",
            "--billingType",
            "hourly",
            "--machineName",
            "m",
            "--templateId",
            "t",
        ],
    );
    insta::assert_snapshot!("error_bad_region", shown(&out, None));
    let out = run(
        sandbox.bare(),
        &[
            "machines",
            "utilization",
            "--api",
            "v1",
            "--machineId",
            "ps1",
            "--billingMonth",
            "2022-03",
        ],
    );
    insta::assert_snapshot!("error_v1_has_no_utilization", shown(&out, None));
}

#[test]
fn dry_runs() {
    let sandbox = Sandbox::new();
    let create = [
        "machines",
        "create",
        "--region",
        "East Coast (NY2)",
        "--machineType",
        "P4000",
        "--size",
        "50",
        "--billingType",
        "hourly",
        "--machineName",
        "it's mine",
        "--templateId",
        "tbu200wi",
        "--assignPublicIp",
        "--dry-run",
    ];
    let out = run(sandbox.bare(), &create);
    insta::assert_snapshot!("dry_run_create_legacy", shown(&out, None));
    let out = run(sandbox.bare(), &[&create[..], &["--api", "v1"]].concat());
    insta::assert_snapshot!("dry_run_create_v1", shown(&out, None));
    let out = run(
        sandbox.bare(),
        &[
            "machines",
            "list",
            "--api",
            "v1",
            "--region",
            "ams1",
            "--state",
            "off",
            "--dry-run",
        ],
    );
    insta::assert_snapshot!("dry_run_list_v1", shown(&out, None));
    let out = run(
        sandbox.bare(),
        &[
            "machines",
            "waitfor",
            "--machineId",
            "ps1",
            "--state",
            "ready",
            "--dry-run",
        ],
    );
    insta::assert_snapshot!("dry_run_waitfor_legacy", shown(&out, None));
}

/// `--dry-run` prints every request a plan makes, in order; what only an answer will tell is
/// written as a placeholder (`{id}`, `{event}`, `{ip}`), never percent-encoded.
#[test]
fn dry_runs_show_every_request_with_placeholders_as_written() {
    let sandbox = Sandbox::new();
    let legacy = "https://api.paperspace.io";
    let v1 = "https://api.paperspace.com/v1";
    let key = r#"-H "X-Api-Key: $PAPERSPACE_API_KEY""#;
    let bearer = r#"-H "Authorization: Bearer $PAPERSPACE_API_KEY""#;
    let create = [
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
        "--wait",
        "--dry-run",
    ];
    let cases: [(Vec<&str>, String); 6] = [
        (
            create.to_vec(),
            format!(
                "curl -X POST {legacy}/machines/createSingleMachinePublic {key} -H 'Content-Type: application/json' --data-raw '{{\"region\":\"East Coast (NY2)\",\"machineType\":\"C5\",\"size\":50,\"billingType\":\"hourly\",\"machineName\":\"b\",\"templateId\":\"t\"}}'\n\
                 curl -X GET '{legacy}/machines/getMachinePublic?machineId={{id}}' {key}\n"
            ),
        ),
        (
            [&create[..], &["--api", "v1"]].concat(),
            format!(
                "curl -X POST {v1}/machines {bearer} -H 'Content-Type: application/json' --data-raw '{{\"region\":\"ny2\",\"machineType\":\"C5\",\"diskSize\":50,\"name\":\"b\",\"templateId\":\"t\"}}'\n\
                 curl -X GET '{v1}/machines/{{id}}' {bearer}\n\
                 curl -X GET '{v1}/machine-events/{{event}}' {bearer}\n"
            ),
        ),
        (
            vec![
                "--api",
                "v1",
                "machines",
                "show",
                "--machineId",
                "ps1",
                "--dry-run",
            ],
            format!(
                "curl -X GET {v1}/machines/ps1 {bearer}\n\
                 curl -X GET '{v1}/machine-events?machineId=ps1&limit=20&order=desc' {bearer}\n"
            ),
        ),
        (
            vec![
                "--api",
                "v1",
                "machines",
                "waitfor",
                "--machineId",
                "ps1",
                "--state",
                "off",
                "--dry-run",
            ],
            // One poll: the machine and its events; no action, so no event of its own.
            format!(
                "curl -X GET {v1}/machines/ps1 {bearer}\n\
                 curl -X GET '{v1}/machine-events?machineId=ps1&limit=20&order=desc' {bearer}\n"
            ),
        ),
        (
            vec![
                "--api",
                "v1",
                "machines",
                "destroy",
                "--machineId",
                "ps1",
                "--releasePublicIp",
                "--dry-run",
            ],
            format!(
                "curl -X GET {v1}/machines/ps1 {bearer}\n\
                 curl -X DELETE '{v1}/public-ips/{{ip}}' {bearer}\n\
                 curl -X DELETE {v1}/machines/ps1 {bearer}\n"
            ),
        ),
        (
            vec![
                "--api",
                "v1",
                "scripts",
                "create",
                "--scriptName",
                "s",
                "--scriptText",
                "echo",
                "--machineId",
                "ps1",
                "--dry-run",
            ],
            format!(
                "curl -X POST {v1}/startup-scripts {bearer} -H 'Content-Type: application/json' --data-raw '{{\"name\":\"s\",\"script\":\"echo\"}}'\n\
                 curl -X POST '{v1}/startup-scripts/{{id}}/assign' {bearer} -H 'Content-Type: application/json' --data-raw '{{\"machineId\":\"ps1\"}}'\n"
            ),
        ),
    ];
    for (args, expected) in cases {
        run(sandbox.bare(), &args).assert_success(&expected);
    }
}

#[tokio::test]
async fn a_batch_with_a_failure() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/machines/ps1/start"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/machines/ps2/start"))
        .respond_with(json_response(
            404,
            r#"{"error":{"name":"Error","status":404,"message":"Not found"}}"#,
        ))
        .mount(&server)
        .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "start",
            "--machineId",
            "ps1",
            "--machineId",
            "ps2",
        ],
    );
    insta::assert_snapshot!("batch_json_with_failure", shown(&out, Some(&server)));
    let out = run(
        sandbox.cli(&server),
        &["machines", "start", "--machineId", "ps1,ps2", "-o", "table"],
    );
    insta::assert_snapshot!("batch_table_with_failure", shown(&out, Some(&server)));
}
