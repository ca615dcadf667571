//! waitfor over real HTTP: polls, success, fail-fast on a new error event, timeout.

use crate::support::*;
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

/// A show endpoint that answers the given bodies in turn, the last one forever after.
async fn show_sequence(bodies: &[String]) -> MockServer {
    let server = MockServer::start().await;
    let (last, first) = bodies.split_last().unwrap();
    for body in first {
        Mock::given(method("GET"))
            .and(path("/machines/getMachinePublic"))
            .and(ExactQuery(Some("machineId=ps1")))
            .and(header("x-api-key", KEY))
            .respond_with(json_response(200, body))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/machines/getMachinePublic"))
        .and(ExactQuery(Some("machineId=ps1")))
        .respond_with(json_response(200, last))
        .mount(&server)
        .await;
    server
}

fn machine(state: &str, events: &str) -> String {
    format!(r#"{{"id":"ps1","state":"{state}","events":[{events}]}}"#)
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[tokio::test]
async fn polls_until_the_state_is_reached_then_prints_the_machine() {
    let sandbox = Sandbox::new();
    let ready = machine("ready", "");
    let server = show_sequence(&[machine("off", ""), machine("starting", ""), ready.clone()]).await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "waitfor",
            "--machineId",
            "ps1",
            "--state",
            "READY",
            "--interval",
            "0.05",
        ],
    );
    out.assert_success(&pretty(&ready));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_new_error_event_stops_the_wait_with_its_message() {
    let sandbox = Sandbox::new();
    let old_error = r#"{"name":"start","state":"error","errorMsg":"old failure","handle":"h-old","dtCreated":"2017-06-09T15:32:37.019Z"}"#;
    let new_error = format!(
        r#"{{"name":"start","state":"error","errorMsg":"Uh oh. This machine type can't start due to insufficient capacity or higher than normal demand. Please try again later.","handle":"h-new","dtCreated":"{}"}}"#,
        now_rfc3339()
    );
    let server = show_sequence(&[
        machine("off", old_error),
        machine("starting", old_error),
        machine("off", &format!("{new_error},{old_error}")),
    ])
    .await;
    let out = run(
        sandbox.cli(&server),
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
    out.assert_error(
        5,
        "machine ps1: start failed: Uh oh. This machine type can't start due to insufficient capacity or higher than normal demand. Please try again later.",
        None,
    );
}

#[tokio::test]
async fn the_wait_times_out_with_exit_124() {
    let sandbox = Sandbox::new();
    let server = show_sequence(&[machine("starting", "")]).await;
    let started = std::time::Instant::now();
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "waitfor",
            "--machineId",
            "ps1",
            "--state",
            "ready",
            "--interval",
            "0.1",
            "--timeout",
            "0.5",
        ],
    );
    out.assert_error(
        124,
        "timed out after 0.5s waiting for machine ps1 to be ready (last state: starting)",
        None,
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let polls = server.received_requests().await.unwrap().len();
    assert!(
        (2..=7).contains(&polls),
        "{polls} polls in 0.5 s at 0.1 s intervals: the interval is kept, no busy loop"
    );
}

#[tokio::test]
async fn a_server_slower_than_the_wait_still_times_out() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(path("/machines/getMachinePublic"))
        .respond_with(
            json_response(200, &machine("starting", "")).set_delay(Duration::from_secs(10)),
        )
        .mount(&server)
        .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "waitfor",
            "--machineId",
            "ps1",
            "--state",
            "ready",
            "--timeout",
            "0.4",
        ],
    );
    out.assert_error(
        124,
        "timed out after 0.4s waiting for machine ps1 to be ready (last state: unknown)",
        None,
    );
}

#[tokio::test]
async fn an_api_error_during_the_wait_ends_it_with_that_errors_code() {
    let sandbox = Sandbox::new();
    for (status, code) in [(404, 1), (401, 4)] {
        let server = MockServer::start().await;
        Mock::given(path("/machines/getMachinePublic"))
            .respond_with(json_response(200, &machine("starting", "")))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(path("/machines/getMachinePublic"))
            .respond_with(json_response(
                status,
                r#"{"error":{"name":"Error","status":0,"message":"gone"}}"#,
            ))
            .mount(&server)
            .await;
        let out = run(
            sandbox.cli(&server),
            &[
                "machines",
                "waitfor",
                "--machineId",
                "ps1",
                "--state",
                "off",
                "--interval",
                "0.05",
            ],
        );
        out.assert_error(code, "gone", Some(status));
    }
}

/// v1's machine and its events, the two reads of each poll.
async fn v1_machine(server: &MockServer, state: &str, events: &str) {
    json_route(
        "GET",
        "/v1/machines/ps1",
        None,
        Auth::Bearer,
        &format!(r#"{{"id":"ps1","state":"{state}"}}"#),
    )
    .mount(server)
    .await;
    json_route(
        "GET",
        "/v1/machine-events",
        Some("machineId=ps1&limit=20&order=desc"),
        Auth::Bearer,
        &format!(r#"{{"hasMore":false,"nextPage":null,"items":[{events}]}}"#),
    )
    .mount(server)
    .await;
}

#[tokio::test]
async fn on_v1_each_poll_reads_the_machine_and_its_events_and_nothing_else() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    v1_machine(&server, "ready", "").await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "machines",
            "waitfor",
            "--machineId",
            "ps1",
            "--state",
            "ready",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        (printed["id"].as_str(), printed["state"].as_str()),
        (Some("ps1"), Some("ready"))
    );
    // One poll, and no read before it whose answer would be thrown away.
    assert_eq!(
        received(&server).await,
        [
            "GET /v1/machines/ps1",
            "GET /v1/machine-events?machineId=ps1&limit=20&order=desc"
        ]
    );
}

#[tokio::test]
async fn on_v1_a_new_error_event_stops_the_wait_with_its_message() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    // An error recorded after the wait began (a little ahead of this clock, so that it is).
    let later = (time::OffsetDateTime::now_utc() + Duration::from_secs(5))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let old = r#"{"id":"e0","name":"start","state":"error","error":"old failure","machineId":"ps1","dtCreated":"2017-06-09T15:32:37.019Z"}"#;
    let new = format!(
        r#"{{"id":"e1","name":"start","state":"error","error":"no capacity in NY2","machineId":"ps1","dtCreated":"{later}"}},{old}"#
    );
    v1_machine(&server, "off", &new).await;
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
    out.assert_error(5, "machine ps1: start failed: no capacity in NY2", None);
    assert_eq!(
        received(&server).await.len(),
        2,
        "it stops at the first poll"
    );
}
