//! Failures: honest messages, the documented exit codes, and nothing sent for bad input.

use crate::support::*;
use std::time::Duration;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SHOW: &[&str] = &["machines", "show", "--machineId", "ps1"];

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn api_errors_print_the_message_and_the_real_status() {
    let sandbox = Sandbox::new();
    let cases = [
        (
            404,
            r#"{"error":{"name":"Error","status":404,"message":"Not found"}}"#,
            "Not found",
            1,
        ),
        (
            400,
            r#"{"error":{"name":"Error","status":422,"message":"Invalid machineType 'Bogus'"}}"#,
            "Invalid machineType 'Bogus'",
            1,
        ),
        (
            400,
            r#"{"status":400,"message":"Validation failed: size"}"#,
            "Validation failed: size",
            1,
        ),
        (
            401,
            r#"{"error":{"name":"Error","status":401,"message":"No such API token"}}"#,
            "No such API token",
            4,
        ),
        (
            403,
            r#"{"error":"Access denied for this key"}"#,
            "Access denied for this key",
            4,
        ),
        (500, r#"{"unexpected":"shape"}"#, "Internal Server Error", 1),
    ];
    for (status, body, message, code) in cases {
        let server = answering(json_response(status, body)).await;
        run(sandbox.cli(&server), SHOW).assert_error(code, message, Some(status));
    }
}

#[tokio::test]
async fn non_json_error_pages_become_a_short_line() {
    let sandbox = Sandbox::new();
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>{}</body></html>",
        "<p>padding</p>".repeat(500)
    );
    // --retries 0: a 502 is otherwise asked again (see faults.rs); here only its message matters.
    let show = [SHOW, &["--retries", "0"]].concat();
    let server = answering(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    run(sandbox.cli(&server), &show).assert_error(1, "502 Bad Gateway: 502 Bad Gateway", Some(502));

    let server = answering(ResponseTemplate::new(502)).await;
    run(sandbox.cli(&server), &show).assert_error(1, "Bad Gateway", Some(502));

    let server = answering(
        ResponseTemplate::new(401).set_body_raw("Access denied: token revoked", "text/plain"),
    )
    .await;
    run(sandbox.cli(&server), SHOW).assert_error(
        4,
        "401 Unauthorized: Access denied: token revoked",
        Some(401),
    );
}

#[tokio::test]
async fn a_success_with_a_body_that_is_not_json_is_an_error() {
    let sandbox = Sandbox::new();
    let server =
        answering(ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"))
            .await;
    run(sandbox.cli(&server), SHOW).assert_error(
        1,
        "the API answered 200 OK but its body is not JSON (expected value at line 1 column 1): maintenance",
        Some(200),
    );
    let server = answering(json_response(200, "not json{")).await;
    assert_eq!(run(sandbox.cli(&server), SHOW).code, 1);
}

#[tokio::test]
async fn json_null_and_scalars_print_as_sent() {
    let sandbox = Sandbox::new();
    for body in ["null", "false", "\"just a string\"", "0"] {
        let server = answering(json_response(200, body)).await;
        run(sandbox.cli(&server), SHOW).assert_success(&format!("{body}\n"));
    }
}

#[tokio::test]
async fn connection_refused_is_a_network_error_without_status() {
    let sandbox = Sandbox::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", format!("http://127.0.0.1:{port}"))
        .env("PAPERSPACE_API_KEY", KEY);
    let out = run(cmd, SHOW);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with(&format!("error: cannot connect to 127.0.0.1:{port}: ")),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .starts_with("{\n  \"error\": \"cannot connect to")
            && !out.stdout.contains("status")
    );
}

#[tokio::test]
async fn a_slow_server_hits_the_request_timeout() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(200, "{}").set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let out = run(
        sandbox.cli(&server),
        &[SHOW, &["--request-timeout", "0.3"]].concat(),
    );
    out.assert_error(
        3,
        "GET /machines/getMachinePublic timed out after 0.3s (change it with --request-timeout)",
        None,
    );
    assert!(started.elapsed() < Duration::from_secs(4));

    let mut cmd = sandbox.cli(&server);
    cmd.env("PAPERSPACE_REQUEST_TIMEOUT", "0.2");
    assert_eq!(run(cmd, SHOW).code, 3);
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_and_the_key_stays_home() {
    let sandbox = Sandbox::new();
    let elsewhere = MockServer::start().await;
    expect_no_request(&elsewhere).await;
    let server = MockServer::start().await;
    let target = format!(
        "{}/machines/getMachinePublic?machineId=ps1",
        elsewhere.uri()
    );
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("location", target.as_str()))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(sandbox.cli(&server), SHOW);
    out.assert_error(
        1,
        &format!("the API answered 302 Found redirecting to {target}; not followed, so the API key only goes to the configured host"),
        Some(302),
    );
    assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
}

#[tokio::test]
async fn a_redirect_within_the_api_host_is_followed() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(path("/machines/getMachinePublic"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/v2/show"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/show"))
        .and(header("x-api-key", KEY))
        .respond_with(json_response(200, r#"{"id":"ps1"}"#))
        .expect(1)
        .mount(&server)
        .await;
    run(sandbox.cli(&server), SHOW).assert_success("{\n  \"id\": \"ps1\"\n}\n");
}

/// Usage errors: exit 2, nothing sent, the JSON error on stdout once the command is known.
#[tokio::test]
async fn bad_input_is_a_usage_error_and_sends_nothing() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let create = [
        "machines",
        "create",
        "--region",
        "ny2",
        "--machineType",
        "Air",
        "--billingType",
        "hourly",
        "--machineName",
        "n",
        "--templateId",
        "t",
    ];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["machines", "show"],
            "missing required flag --machineId",
        ),
        (
            vec!["machines", "start", "--machineId", ""],
            "--machineId must not be empty",
        ),
        (
            vec!["machines", "start", "--machineId", "   "],
            "--machineId must not be empty",
        ),
        (
            [&create[..], &["--size", "50GB"]].concat(),
            "invalid value '50GB' for --size: expected a whole number of at least 1",
        ),
        (
            [&create[..], &["--size", "-5"]].concat(),
            "invalid value '-5' for --size: expected a whole number of at least 1",
        ),
        (
            [&create[..], &["--size", "50.5"]].concat(),
            "invalid value '50.5' for --size: expected a whole number of at least 1",
        ),
        (
            vec![
                "machines",
                "setAccessForUser",
                "--machineId",
                "m",
                "--userId",
                "u",
                "--enableAccess",
                "yes",
            ],
            "invalid value 'yes' for --enableAccess: accepted values are true, false (a bare flag means true)",
        ),
        (
            vec![
                "machines",
                "setAccessForUser",
                "--machineId",
                "m",
                "--userId",
                "u",
            ],
            "missing required flag --enableAccess",
        ),
        (
            vec![
                "machines",
                "utilization",
                "--machineId",
                "m",
                "--billingMonth",
                "2017-13",
            ],
            "invalid value '2017-13' for --billingMonth: expected a month as YYYY-MM, e.g. 2022-03",
        ),
        (
            vec![
                "machines",
                "waitfor",
                "--machineId",
                "m",
                "--state",
                "running",
            ],
            "invalid value 'running' for --state: accepted values are off, serviceready, ready",
        ),
        (
            vec![
                "machines",
                "update",
                "--machineId",
                "m",
                "--autoSnapshotFrequency",
                "hourly",
            ],
            "invalid value 'hourly' for --autoSnapshotFrequency: accepted values are hour, day, week, month, null",
        ),
        (
            vec![
                "machines",
                "availability",
                "--region",
                "Mars",
                "--machineType",
                "Air",
            ],
            "invalid value 'Mars' for --region: accepted values are East Coast (NY2), West Coast (CA1), Europe (AMS1), ny2, ca1, ams1",
        ),
        (
            [
                &create[..],
                &["--size", "5", "--assignPublicIp", "--dynamicPublicIp"],
            ]
            .concat(),
            "--assignPublicIp and --dynamicPublicIp cannot be used together: choose one",
        ),
        (
            [
                &create[..],
                &["--size", "5", "--userId", "u", "--email", "e@x"],
            ]
            .concat(),
            "--userId cannot be used with --email: give an existing user's id, or the new user's --email, --password, --firstName, --lastName",
        ),
        (
            [
                &create[..],
                &["--size", "5", "--markSnapshotAsRestorePoint"],
            ]
            .concat(),
            "--markSnapshotAsRestorePoint needs --takeInitialSnapshot true and --restorePointFrequency to be given",
        ),
        (
            vec![
                "machines",
                "update",
                "--machineId",
                "m",
                "--machineNmae",
                "x",
            ],
            "unexpected argument '--machineNmae' found; did you mean '--machineName'?",
        ),
        (
            vec!["machines", "list", "--access_token", "jwt"],
            "unexpected argument '--access_token' found; see --help for the accepted flags",
        ),
        (
            vec!["machines", "start", "ps123"],
            "unexpected argument 'ps123' found; values are given with flags, e.g. --machineId ps123abc",
        ),
        (
            vec![
                "machines",
                "update",
                "--machineId",
                "m",
                "--machineName",
                "--size",
            ],
            "--machineName needs a value, but the next argument looks like a flag: --size (write --machineName=--size if that is the value)",
        ),
    ];
    for (args, message) in cases {
        let out = run(sandbox.cli(&server), &args);
        assert_eq!(out.code, 2, "{args:?}");
        out.assert_error(2, message, None);
    }
}

#[tokio::test]
async fn usage_errors_come_before_a_missing_key() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.bare(), &["machines", "show"]);
    out.assert_error(2, "missing required flag --machineId", None);
}

#[tokio::test]
async fn an_unknown_namespace_or_command_only_writes_stderr() {
    let sandbox = Sandbox::new();
    for (args, message) in [
        (
            &["bogusns"][..],
            "error: unrecognized subcommand 'bogusns'\n",
        ),
        (
            &["machines", "bogus"][..],
            "error: unrecognized subcommand 'bogus'\n",
        ),
        (
            &["machines", "Show"][..],
            "error: unrecognized subcommand 'Show'; did you mean 'show'?\n",
        ),
    ] {
        let out = run(sandbox.bare(), args);
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (2, "", message)
        );
    }
}

#[tokio::test]
async fn help_and_version_exit_zero_without_any_request() {
    let sandbox = Sandbox::new();
    for args in [
        &["--help"][..],
        &["help"],
        &["machines", "--help"],
        &["machines", "create", "--help", "--size", "5"],
        &["--version"],
    ] {
        let out = run(sandbox.bare(), args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty() && out.stderr.is_empty());
    }
    // build.rs: the version, then the commit when known: `0.1.0 (abc1234 2026-12-01)`.
    let version = env!("PAPERSPACE_VERSION");
    let commit = version.strip_prefix(env!("CARGO_PKG_VERSION")).unwrap();
    assert!(
        commit.is_empty() || (commit.starts_with(" (") && commit.ends_with(')')),
        "{version}"
    );
    // The fast path, clap's own --version (another flag before it) and the command agree.
    for args in [
        &["--version"][..],
        &["-V"],
        &["version"],
        &["--debug", "-V"],
    ] {
        let out = run(sandbox.bare(), args);
        assert_eq!(out.stdout, format!("paperspace {version}\n"), "{args:?}");
    }
    let out = run(sandbox.bare(), &["machines", "list", "--version"]);
    assert_eq!(out.code, 2);
}

/// In a git checkout, `--version` names the commit checked out now, not one from an earlier
/// build: build.rs must be rerun when HEAD or its branch moves (a commit, a checkout).
#[test]
fn version_names_the_commit_checked_out() {
    let manifest_dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(manifest_dir)
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let top = git(&["rev-parse", "--show-toplevel"]);
    let is_checkout = top.is_some_and(|top| {
        std::fs::canonicalize(top).ok() == std::fs::canonicalize(manifest_dir).ok()
    });
    let Some(head) = git(&["log", "-1", "--abbrev=7", "--format=%h"]).filter(|_| is_checkout)
    else {
        eprintln!("skipped: not a git checkout of this package");
        return;
    };
    let version = env!("PAPERSPACE_VERSION");
    assert!(
        version.contains(&format!("({head} ")),
        "--version says {version:?}, HEAD is {head}"
    );
}

#[tokio::test]
async fn debug_traces_on_stderr_with_the_key_redacted() {
    let sandbox = Sandbox::new();
    let server = answering(json_response(200, r#"{"id":"ps1"}"#)).await;
    let out = run(
        sandbox.cli(&server),
        &["machines", "stop", "--machineId", "ps1", "--debug"],
    );
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "{\n  \"id\": \"ps1\"\n}\n");
    assert!(
        out.stderr.contains(&format!(
            "> POST {}/machines/ps1/stop\n> x-api-key: <redacted>\n",
            server.uri()
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("< 200 OK"));
    assert!(!out.stderr.contains(KEY));
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        sent.body, br#"{"machineId":"ps1"}"#,
        "--debug is never sent"
    );
    assert_eq!(sent.url.query(), None);
}
