//! The fault suite (reliability issue): every way the network or the server can fail gets a
//! one-line message, its documented exit code, no panic, and never the key in any output;
//! reads and power actions are retried with backoff, the other writes are never sent twice.

use crate::support::*;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SHOW: &[&str] = &["machines", "show", "--machineId", "ps1"];
const CREATE: &[&str] = &[
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
    "build box",
    "--templateId",
    "t1",
];

/// Every failure: exit code, one stderr line, a JSON error object on stdout, no panic, no key.
fn assert_clean_failure(out: &Run, code: i32) {
    assert_eq!(
        out.code, code,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked") && !out.stderr.contains("RUST_BACKTRACE"));
    let error: serde_json::Value = serde_json::from_str(&out.stdout).expect("a JSON error object");
    assert!(error["error"].is_string());
    for output in [&out.stdout, &out.stderr] {
        assert!(!output.contains(KEY), "the key leaked: {output}");
    }
}

/// A raw loopback server that runs `handle` on every connection.
async fn raw_server<F, Fut>(handle: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::sync::Arc::new(handle);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(handle(socket));
        }
    });
    url
}

async fn read_head(socket: &mut tokio::net::TcpStream) {
    let mut buffer = vec![0u8; 4096];
    let mut read = 0;
    while !buffer[..read].windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buffer[read..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
}

fn cli_at(sandbox: &Sandbox, url: &str) -> assert_cmd::Command {
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", url)
        .env("PAPERSPACE_API_KEY", KEY);
    cmd
}

async fn run_at(sandbox: &Sandbox, url: &str, args: &[&str]) -> Run {
    let cmd = cli_at(sandbox, url);
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(cmd, &refs)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_never_answers_hits_the_request_timeout() {
    let sandbox = Sandbox::new();
    let url = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let out = run_at(
        &sandbox,
        &url,
        &[SHOW, &["--request-timeout", "0.3", "--retries", "1"]].concat(),
    )
    .await;
    assert_clean_failure(&out, 3);
    assert_eq!(
        out.stderr,
        "error: GET /machines/getMachinePublic timed out after 0.3s (change it with --request-timeout)\n"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_trickles_past_the_timeout_is_cut_off() {
    let sandbox = Sandbox::new();
    let url = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n[")
            .await;
        for _ in 0..400 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if socket.write_all(b" ").await.is_err() {
                return;
            }
        }
    })
    .await;
    let out = run_at(
        &sandbox,
        &url,
        &[
            "machines",
            "list",
            "--request-timeout",
            "0.5",
            "--retries",
            "0",
        ],
    )
    .await;
    assert_clean_failure(&out, 3);
    assert!(
        out.stderr.contains("timed out after 0.5s"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn bodies_that_are_not_usable_json_are_clear_api_errors() {
    let sandbox = Sandbox::new();
    let cases: Vec<(ResponseTemplate, i32, &str)> = vec![
        (
            json_response(
                500,
                r#"{"error":{"name":"Error","status":500,"message":"Internal error"}}"#,
            ),
            1,
            "error: Internal error (HTTP 500)\n",
        ),
        (ResponseTemplate::new(200), 0, ""),
        (
            json_response(200, r#"{"id":"ps1","na"#),
            1,
            "error: the API answered 200 OK but its body is not JSON (EOF while parsing a string at line 1 column 15): {\"id\":\"ps1\",\"na (HTTP 200)\n",
        ),
        (
            ResponseTemplate::new(200)
                .set_body_raw(vec![b'{', b'"', 0xff, 0xfe, b'"', b'}'], "application/json"),
            1,
            "",
        ),
        (
            ResponseTemplate::new(500)
                .set_body_raw(vec![0xff, 0xfe, b'o', b'o', b'p', b's'], "text/plain"),
            1,
            "",
        ),
    ];
    for (response, code, stderr) in cases {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(response)
            .mount(&server)
            .await;
        let out = run(sandbox.cli(&server), SHOW);
        if code == 0 {
            out.assert_success("{}\n");
            continue;
        }
        assert_clean_failure(&out, code);
        if !stderr.is_empty() {
            assert_eq!(out.stderr, stderr);
        }
    }
}

#[tokio::test]
async fn an_answer_far_larger_than_any_real_one_is_refused_with_bounded_memory() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    let huge = vec![b' '; 70 * 1024 * 1024];
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(sandbox.cli(&server), &["machines", "list"]);
    assert_clean_failure(&out, 1);
    assert_eq!(
        out.stderr,
        "error: the answer to GET /machines/getMachines is larger than 64 MiB; stopped reading it (HTTP 200)\n"
    );
}

/// A show that answers `status` (with `Retry-After: retry_after`) `failures` times, then 200.
async fn flaky_show(status: u16, retry_after: Option<&str>, failures: u64) -> MockServer {
    let server = MockServer::start().await;
    let mut failing = ResponseTemplate::new(status);
    if let Some(after) = retry_after {
        failing = failing.insert_header("retry-after", after);
    }
    Mock::given(path("/machines/getMachinePublic"))
        .respond_with(failing)
        .up_to_n_times(failures)
        .expect(failures)
        .mount(&server)
        .await;
    Mock::given(path("/machines/getMachinePublic"))
        .respond_with(json_response(200, r#"{"id":"ps1"}"#))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn reads_are_retried_on_429_and_gateway_errors_honouring_retry_after() {
    let sandbox = Sandbox::new();
    for (status, retry_after) in [(429, Some("1")), (502, None), (503, Some("0")), (504, None)] {
        let server = flaky_show(status, retry_after, 2).await;
        let started = Instant::now();
        run(sandbox.cli(&server), SHOW).assert_success("{\n  \"id\": \"ps1\"\n}\n");
        if retry_after == Some("1") {
            assert!(
                started.elapsed() >= Duration::from_secs(2),
                "waited as the server asked"
            );
        }
    }
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() - Duration::from_secs(5));
    let server = flaky_show(503, Some(&date), 1).await;
    run(sandbox.cli(&server), SHOW).assert_success("{\n  \"id\": \"ps1\"\n}\n");
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_the_last_answer_is_reported() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .expect(3)
        .mount(&server)
        .await;
    let mut cmd = sandbox.cli(&server);
    cmd.env("PAPERSPACE_RETRIES", "2");
    let out = run(cmd, SHOW);
    assert_clean_failure(&out, 1);
    assert_eq!(out.stderr, "error: Service Unavailable (HTTP 503)\n");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(
        run(sandbox.cli(&server), &[SHOW, &["--retries", "0"]].concat()).code,
        1
    );
}

#[tokio::test]
async fn power_actions_are_retried_but_create_update_destroy_and_access_never_are() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/machines/ps1/stop"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/machines/ps1/stop"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    run(
        sandbox.cli(&server),
        &["machines", "stop", "--machineId", "ps1"],
    )
    .assert_success("{}\n");

    let writes: [&[&str]; 4] = [
        CREATE,
        &[
            "machines",
            "update",
            "--machineId",
            "ps1",
            "--machineName",
            "x",
        ],
        &["machines", "destroy", "--machineId", "ps1"],
        &[
            "machines",
            "setAccessForUser",
            "--machineId",
            "ps1",
            "--userId",
            "u1",
            "--enableAccess",
        ],
    ];
    for args in writes {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
            .expect(1)
            .named("sent once")
            .mount(&server)
            .await;
        let out = run(sandbox.cli(&server), args);
        assert_clean_failure(&out, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_whose_answer_is_lost_is_not_resent_and_says_how_to_check() {
    let sandbox = Sandbox::new();
    let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = requests.clone();
    let url = raw_server(move |mut socket| {
        let seen = seen.clone();
        async move {
            read_head(&mut socket).await;
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await;
    let out = run_at(
        &sandbox,
        &url,
        &[CREATE, &["--request-timeout", "0.3"]].concat(),
    )
    .await;
    assert_clean_failure(&out, 3);
    assert_eq!(
        out.stderr,
        "error: POST /machines/createSingleMachinePublic timed out after 0.3s (change it with --request-timeout); the outcome is unknown (it may have been applied): check with `paperspace machines list --name 'build box'`\n"
    );
    assert_eq!(
        requests.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "never sent twice"
    );

    let before = requests.load(std::sync::atomic::Ordering::SeqCst);
    let out = run_at(
        &sandbox,
        &url,
        &[SHOW, &["--request-timeout", "0.2", "--retries", "2"]].concat(),
    )
    .await;
    assert_clean_failure(&out, 3);
    assert_eq!(
        requests.load(std::sync::atomic::Ordering::SeqCst) - before,
        3,
        "a read is tried 1 + 2 times"
    );
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let sandbox = Sandbox::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = run(cli_at(&sandbox, &url), CREATE);
    assert_clean_failure(&out, 3);
    assert!(
        out.stderr
            .starts_with(&format!("error: cannot connect to 127.0.0.1:{port}: ")),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("outcome is unknown"),
        "a refused connection never reached the server"
    );
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_unless_allowed() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", "http://api.example.com")
        .env("PAPERSPACE_API_KEY", KEY);
    let out = run(cmd, SHOW);
    assert_clean_failure(&out, 2);
    assert_eq!(
        out.stderr,
        "error: PAPERSPACE_CONFIG_HOST is http://api.example.com: plain HTTP would send the API key unencrypted to a host that is not this machine; use https://, or pass --allow-insecure-http (env PAPERSPACE_ALLOW_INSECURE_HTTP=1)\n"
    );
    // Allowed explicitly, the request is attempted (here: dry-run shows it without sending).
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", "http://api.example.com")
        .env("PAPERSPACE_ALLOW_INSECURE_HTTP", "1");
    let out = run(cmd, &[SHOW, &["--dry-run"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", "http://api.example.com");
    let out = run(
        cmd,
        &[SHOW, &["--dry-run", "--allow-insecure-http"]].concat(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[tokio::test]
async fn requests_go_through_the_proxy_from_the_environment_unless_no_proxy_says_otherwise() {
    use std::sync::{Arc, Mutex};
    let sandbox = Sandbox::new();
    let api = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(200, r#"{"via":"direct"}"#))
        .mount(&api)
        .await;
    let request_lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = request_lines.clone();
    // A fake forward proxy: it records the request line and answers itself.
    let proxy = raw_server(move |mut socket| {
        let seen = seen.clone();
        async move {
            let mut buffer = vec![0u8; 4096];
            let n = socket.read(&mut buffer).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buffer[..n]).to_string();
            seen.lock().unwrap().push(head.lines().next().unwrap_or_default().to_string());
            let body = r#"{"via":"proxy"}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    })
    .await;
    let mut cmd = sandbox.cli(&api);
    cmd.env("HTTP_PROXY", &proxy);
    let out = tokio::task::spawn_blocking(move || run(cmd, &["machines", "list"]))
        .await
        .unwrap();
    out.assert_success("{\n  \"via\": \"proxy\"\n}\n");
    assert_eq!(
        request_lines.lock().unwrap().as_slice(),
        [format!("GET {}/machines/getMachines HTTP/1.1", api.uri())]
    );
    let mut cmd = sandbox.cli(&api);
    cmd.env("HTTP_PROXY", &proxy).env("NO_PROXY", "127.0.0.1");
    let out = tokio::task::spawn_blocking(move || run(cmd, &["machines", "list"]))
        .await
        .unwrap();
    out.assert_success("{\n  \"via\": \"direct\"\n}\n");
}

/// `paperspace machines list | head -c 10`: the reader goes away early; we exit 0 quietly.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_ends_the_output_quietly() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    let machines: Vec<String> = (0..5000)
        .map(|i| format!(r#"{{"id":"ps{i}","name":"machine number {i}"}}"#))
        .collect();
    Mock::given(any())
        .respond_with(json_response(200, &format!("[{}]", machines.join(","))))
        .mount(&server)
        .await;
    let bin = assert_cmd::cargo::cargo_bin("paperspace");
    let script = format!(
        "{} machines list | head -c 10; echo \" status=${{PIPESTATUS[0]}}\"",
        bin.display()
    );
    let out = tokio::task::spawn_blocking(move || {
        isolated("bash")
            .args(["-c", &script])
            .env("PAPERSPACE_CONFIG_HOST", server.uri())
            .env("PAPERSPACE_API_KEY", KEY)
            .env("HOME", sandbox.home.path())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "[\n  {\n     status=0\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "no broken pipe message, no panic"
    );
}

/// Ctrl-C during a long request (not only during waitfor) ends the run at once.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupt_during_a_long_request_exits_130_at_once() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(200, "{}").set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    let (output, took) = interrupt_after_first_request(&sandbox, &server, SHOW).await;
    assert_eq!(output.status.code(), Some(130));
    assert!(took < Duration::from_secs(3));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\n  \"error\": \"interrupted\"\n}\n"
    );
}

#[tokio::test]
async fn an_unreadable_config_file_is_a_usage_error_naming_it() {
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(sandbox.config_path()).unwrap(); // a directory where the file should be
    let out = run(sandbox.bare(), SHOW);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(&format!(
            "error: cannot read config file {}: ",
            sandbox.config_path().display()
        )),
        "{}",
        out.stderr
    );
}

/// A server whose first answer is lost (it reads the request, then hangs) and which answers
/// every later request at once with `answer`: how many requests arrived tells whether the
/// client sent the request again.
async fn first_answer_lost(
    answer: &'static str,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let requests = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    let url = raw_server(move |mut socket| {
        let seen = seen.clone();
        async move {
            read_head(&mut socket).await;
            if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return;
            }
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    })
    .await;
    (url, requests)
}

/// The command table decides what a retry may resend, on both backends: after a lost answer
/// create, update and destroy are sent once and end "outcome unknown, check with ...";
/// start, stop and restart are sent again and succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_lost_answer_only_power_actions_are_sent_again_on_both_backends() {
    use std::sync::atomic::Ordering;
    let sandbox = Sandbox::new();
    let update: &[&str] = &[
        "machines",
        "update",
        "--machineId",
        "ps1",
        "--machineName",
        "x",
    ];
    let destroy: &[&str] = &["machines", "destroy", "--machineId", "ps1"];
    let never_resent: [(&[&str], &str); 3] = [
        (CREATE, "paperspace machines list --name 'build box'"),
        (update, "paperspace machines show --machineId ps1"),
        (destroy, "paperspace machines show --machineId ps1"),
    ];
    for api in ["legacy", "v1"] {
        let backend: &[&str] = &["--api", api, "--request-timeout", "0.3", "--retries", "2"];
        for (args, check) in never_resent {
            let (url, requests) = first_answer_lost("{}").await;
            let mut cmd = cli_at(&sandbox, &url);
            cmd.env("PAPERSPACE_API_URL", &url);
            let out = run(cmd, &[args, backend].concat());
            assert_clean_failure(&out, 3);
            assert!(
                out.stderr.ends_with(&format!(
                    "the outcome is unknown (it may have been applied): check with `{check}`\n"
                )),
                "{api} {args:?}: {}",
                out.stderr
            );
            assert_eq!(
                requests.load(Ordering::SeqCst),
                1,
                "{api} {args:?}: sent once"
            );
        }
        for action in ["start", "stop", "restart"] {
            let (url, requests) = first_answer_lost("{}").await;
            let mut cmd = cli_at(&sandbox, &url);
            cmd.env("PAPERSPACE_API_URL", &url);
            let out = run(
                cmd,
                &[&["machines", action, "--machineId", "ps1"], backend].concat(),
            );
            out.assert_success("{}\n");
            assert_eq!(
                requests.load(Ordering::SeqCst),
                2,
                "{api} {action}: sent again"
            );
        }
    }
}
