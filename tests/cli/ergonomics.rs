//! Everyday ergonomics: tables, --wait, many machines per call, list --all, --dry-run,
//! confirmation, --optionsFile.

use crate::support::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wiremock::matchers::{any, body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TWO_MACHINES: &str = r#"[{"id":"psec02yp2","name":"New Machine Name1","ram":"32212254720","machineType":"P4000","dtCreated":"2022-03-14T15:47:53.852Z","state":"ready","publicIpAddress":"172.83.15.54","region":"East Coast (NY2)"},{"id":"psazmnxdy","name":"My Machine 1","machineType":"P4000","dtCreated":"2022-03-14T15:09:51.974Z","state":"provisioning","publicIpAddress":null,"region":null}]"#;

async fn list_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/machines/getMachines"))
        .respond_with(json_response(200, TWO_MACHINES))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn list_as_a_table() {
    let sandbox = Sandbox::new();
    let server = list_server().await;
    let out = run(sandbox.cli(&server), &["machines", "list", "-o", "table"]);
    out.assert_success(concat!(
        "ID         NAME               STATE         TYPE   REGION            PUBLIC IP     CREATED\n",
        "psec02yp2  New Machine Name1  ready         P4000  East Coast (NY2)  172.83.15.54  2022-03-14 15:47\n",
        "psazmnxdy  My Machine 1       provisioning  P4000  -                 -             2022-03-14 15:09\n",
    ));
    let mut cmd = sandbox.cli(&server);
    cmd.env("PAPERSPACE_FORMAT", "table");
    let out = run(
        cmd,
        &[
            "machines",
            "list",
            "--columns",
            "id,state,ram",
            "--no-header",
        ],
    );
    out.assert_success("psec02yp2  ready         30 GiB\npsazmnxdy  provisioning  -\n");
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "list",
            "--format",
            "table",
            "--color",
            "always",
            "--columns",
            "id,state",
        ],
    );
    assert!(out.stdout.contains("\u{1b}[32mready"), "{:?}", out.stdout);
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "list",
            "--format",
            "table",
            "--columns",
            "id,state",
        ],
    );
    assert!(!out.stdout.contains('\u{1b}'), "no colour off a terminal");
}

#[tokio::test]
async fn bad_table_options_are_usage_errors_before_anything_is_sent() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let out = run(
        sandbox.cli(&server),
        &["machines", "list", "-o", "table", "--columns", "id,bogus"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: unknown column 'bogus' for --columns; valid columns: id, name,"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "", "table mode keeps stdout for data");
    run(sandbox.cli(&server), &["machines", "list", "-o", "yaml"]).assert_error(
        2,
        "invalid value 'yaml' for --format: accepted values are json, table",
        None,
    );
    run(
        sandbox.cli(&server),
        &["machines", "list", "--columns", "id"],
    )
    .assert_error(
        2,
        "--columns chooses table columns: use it with --format table",
        None,
    );
    run(
        sandbox.cli(&server),
        &["machines", "stop", "--machineId", "a", "--concurrency", "0"],
    )
    .assert_error(
        2,
        "invalid value '0' for --concurrency: expected a whole number from 1 to 256",
        None,
    );
}

#[tokio::test]
async fn in_table_mode_errors_go_to_stderr_only_and_json_mode_keeps_the_error_object() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(404, r#"{"error":{"message":"Not found"}}"#))
        .mount(&server)
        .await;
    let out = run(
        sandbox.cli(&server),
        &["machines", "show", "--machineId", "x", "-o", "table"],
    );
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (1, "", "error: Not found (HTTP 404)\n")
    );
    run(
        sandbox.cli(&server),
        &["machines", "show", "--machineId", "x", "-o", "json"],
    )
    .assert_error(1, "Not found", Some(404));
}

#[tokio::test]
async fn wait_after_start_polls_until_ready_and_prints_the_machine() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/machines/ps1/start"))
        .and(body_string(r#"{"machineId":"ps1"}"#))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    for state in ["starting", "serviceready"] {
        Mock::given(method("GET"))
            .and(path("/machines/getMachinePublic"))
            .and(ExactQuery(Some("machineId=ps1")))
            .respond_with(json_response(
                200,
                &format!(r#"{{"id":"ps1","state":"{state}"}}"#),
            ))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/machines/getMachinePublic"))
        .respond_with(json_response(200, r#"{"id":"ps1","state":"ready"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.cli(&server),
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
    out.assert_success("{\n  \"id\": \"ps1\",\n  \"state\": \"ready\"\n}\n");
}

/// A local server that answers every request with 204 after a pause, and records the most
/// requests it ever had in flight at once.
async fn counting_server(pause: Duration) -> (String, Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let seen = most.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (in_flight, most) = (in_flight.clone(), most.clone());
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let mut read = 0;
                // Read the head and the (small) body: enough for these POSTs.
                while !String::from_utf8_lossy(&buffer[..read]).contains("}") {
                    match socket.read(&mut buffer[read..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read += n,
                    }
                }
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(pause).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                let _ = socket
                    .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_machines_run_concurrently_up_to_the_limit() {
    let sandbox = Sandbox::new();
    let ids = "a1,a2,a3,a4,a5,a6";
    for (concurrency, expected) in [("3", 3), ("8", 6)] {
        let (url, most) = counting_server(Duration::from_millis(300)).await;
        let mut cmd = sandbox.bare();
        cmd.env("PAPERSPACE_CONFIG_HOST", &url)
            .env("PAPERSPACE_API_KEY", KEY);
        let out = run(
            cmd,
            &[
                "machines",
                "stop",
                "--machineId",
                ids,
                "--concurrency",
                concurrency,
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(
            out.stdout,
            "[\n  {},\n  {},\n  {},\n  {},\n  {},\n  {}\n]\n"
        );
        assert_eq!(
            most.load(Ordering::SeqCst),
            expected,
            "--concurrency {concurrency}"
        );
    }
}

#[tokio::test]
async fn many_machines_print_one_array_in_input_order_with_failures_in_place() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    // ps1 and ps3 are destroyed twice: once for JSON output, once for the table.
    for (id, status, times) in [("ps1", 204, 2), ("ps2", 404, 1), ("ps3", 204, 2)] {
        let response = if status == 404 {
            json_response(
                404,
                r#"{"error":{"name":"Error","status":404,"message":"Not found"}}"#,
            )
        } else {
            ResponseTemplate::new(204)
        };
        Mock::given(method("POST"))
            .and(path(format!("/machines/{id}/destroyMachine")))
            .and(body_string(format!(r#"{{"machineId":"{id}"}}"#)))
            .respond_with(response)
            .expect(times)
            .mount(&server)
            .await;
    }
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "destroy",
            "--machineId",
            "ps1,ps2",
            "--machineId",
            "ps3",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "[\n  {},\n  {\n    \"machineId\": \"ps2\",\n    \"error\": \"Not found\",\n    \"status\": 404\n  },\n  {}\n]\n"
    );
    assert_eq!(out.stderr, "error: ps2: Not found (HTTP 404)\n");
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "destroy",
            "--machineId",
            "ps1",
            "--machineId",
            "ps3",
            "-o",
            "table",
        ],
    );
    out.assert_success("Destroying machine ps1.\nDestroying machine ps3.\n");
}

#[tokio::test]
async fn list_all_follows_the_pages_to_the_last() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    let machine = |n: u32| format!(r#"{{"id":"ps{n}"}}"#);
    for (skip, ids) in [(0, vec![1, 2]), (2, vec![3, 4]), (4, vec![5])] {
        let page: Vec<String> = ids.into_iter().map(machine).collect();
        let query: &'static str =
            Box::leak(format!("state=ready&limit=2&skip={skip}").into_boxed_str());
        Mock::given(method("GET"))
            .and(path("/machines/getMachines"))
            .and(ExactQuery(Some(query)))
            .respond_with(json_response(200, &format!("[{}]", page.join(","))))
            .expect(1)
            .mount(&server)
            .await;
    }
    let out = run(
        sandbox.cli(&server),
        &[
            "machines", "list", "--all", "--limit", "2", "--state", "ready",
        ],
    );
    let ids: Vec<String> = (1..=5).map(machine).collect();
    out.assert_success(&pretty(&format!("[{}]", ids.join(","))));
}

#[tokio::test]
async fn dry_run_prints_curl_and_sends_nothing_without_needing_a_key() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", server.uri());
    let out = run(
        cmd,
        &[
            "machines",
            "update",
            "--machineId",
            "ps1",
            "--machineName",
            "it's mine",
            "--dry-run",
        ],
    );
    out.assert_success(&format!(
        "curl -X POST {}/machines/ps1/updateMachinePublic -H \"X-Api-Key: $PAPERSPACE_API_KEY\" -H 'Content-Type: application/json' --data-raw '{{\"machineId\":\"ps1\",\"machineName\":\"it'\\''s mine\"}}'\n",
        server.uri()
    ));
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "show",
            "--machineId",
            "a,b",
            "--dry-run",
            "--apiKey",
            "secret-key",
        ],
    );
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(!out.stdout.contains("secret-key") && !out.stdout.contains(KEY));
}

#[tokio::test]
async fn create_takes_its_flags_from_an_options_file_and_the_command_line_wins() {
    let sandbox = Sandbox::new();
    let file = sandbox.home.path().join("machine.json");
    std::fs::write(&file, r#"{"region":"ny2","machineType":"C5","size":50,"billingType":"hourly","machineName":"from-file","templateId":"t1","assignPublicIp":true}"#).unwrap();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/machines/createSingleMachinePublic"))
        .and(body_string(r#"{"region":"East Coast (NY2)","machineType":"C5","size":50,"billingType":"hourly","templateId":"t1","assignPublicIp":true,"machineName":"from-flag"}"#))
        .respond_with(json_response(200, r#"{"id":"ps9"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "create",
            "--optionsFile",
            file.to_str().unwrap(),
            "--machineName",
            "from-flag",
        ],
    );
    out.assert_success("{\n  \"id\": \"ps9\"\n}\n");
    std::fs::write(&file, r#"{"regoin":"ny2"}"#).unwrap();
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "create",
            "--optionsFile",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown key 'regoin'"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destroy_asks_on_a_terminal_and_only_yes_goes_ahead() {
    if !terminal_tests_run() {
        return;
    }
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/machines/ps1/destroyMachine"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let (code, screen) = on_terminal(&sandbox, &server, "machines destroy --machineId ps1", "n\n");
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen.contains("Destroy machine ps1? This cannot be undone. [y/N]"),
        "{screen}"
    );
    assert!(
        screen.contains("cancelled: nothing was destroyed"),
        "{screen}"
    );
    let (code, screen) = on_terminal(&sandbox, &server, "machines destroy --machineId ps1", "y\n");
    assert_eq!(code, 0, "{screen}");
    let (code, screen) = on_terminal(
        &sandbox,
        &server,
        "machines destroy --machineId ps1 --yes --dry-run",
        "",
    );
    assert_eq!(code, 0);
    assert!(!screen.contains("[y/N]"));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spinner_shows_the_state_while_waiting_on_a_terminal() {
    if !terminal_tests_run() {
        return;
    }
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, r#"{"id":"ps1","state":"starting"}"#))
        .up_to_n_times(4)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, r#"{"id":"ps1","state":"ready"}"#))
        .mount(&server)
        .await;
    let (code, screen) = on_terminal(
        &sandbox,
        &server,
        "machines waitfor --machineId ps1 --state ready --interval 0.2",
        "",
    );
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("waiting for ps1 to be ready: starting"),
        "{screen}"
    );
    assert!(screen.contains("\"state\": \"ready\""), "{screen}");
}
