//! Fault injection: latency, error rate, scripted statuses with Retry-After, capacity failures,
//! and the command-line flags that set them.

use crate::common::*;
use clap::{Args, FromArgMatches};
use paperspace::emulator::CAPACITY_ERROR_MESSAGE;
use paperspace::emulator::{Config, EmulatorArgs, FaultSettings};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn set_faults(emu: &Emu, body: Value) -> Reply {
    emu.send(
        Method::POST,
        "/__emulator/faults",
        None,
        Some(&body.to_string()),
    )
    .await
}

fn parse_args(args: &[&str]) -> anyhow::Result<Config> {
    let matches = EmulatorArgs::augment_args(clap::Command::new("emulator"))
        .try_get_matches_from(std::iter::once("emulator").chain(args.iter().copied()))?;
    Config::try_from(EmulatorArgs::from_arg_matches(&matches)?)
}

#[tokio::test]
async fn latency_delays_api_requests_but_not_the_control_api() {
    let emu = start().await;
    let reply = set_faults(&emu, json!({"latencyMs": 150})).await;
    assert_eq!(reply.body["latencyMs"], 150);
    let started = Instant::now();
    assert_eq!(emu.get("/machines/getMachines").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    let started = Instant::now();
    emu.send(Method::GET, "/__emulator/state", None, None).await;
    assert!(started.elapsed() < Duration::from_millis(150));
}

#[tokio::test]
async fn error_rate_one_fails_every_api_request_and_changes_nothing() {
    let emu = start().await;
    set_faults(&emu, json!({"errorRate": 1.0})).await;
    for _ in 0..3 {
        let reply = emu
            .post(
                "/machines/createSingleMachinePublic",
                json!({"region": "ny2", "machineType": "C1", "size": 5,
                "billingType": "hourly", "machineName": "x", "templateId": "tkni3aa4"}),
            )
            .await;
        assert_error(&reply, 500, "injected");
    }
    // Even without a key: faults come first, as a gateway in front of the API would.
    assert_eq!(
        emu.send(Method::GET, "/machines/getMachines", None, None)
            .await
            .status,
        500
    );
    set_faults(&emu, json!({"errorRate": 0})).await;
    assert_eq!(emu.get("/machines/getMachines").await.body, json!([]));
}

#[tokio::test]
async fn seeded_error_rate_is_reproducible() {
    async fn outcomes() -> Vec<u16> {
        let emu = start_with(Config {
            rng_seed: Some(7),
            faults: FaultSettings {
                error_rate: Some(0.5),
                ..FaultSettings::default()
            },
            ..Config::ephemeral(50)
        })
        .await;
        let mut statuses = Vec::new();
        for _ in 0..30 {
            statuses.push(emu.get("/machines/getMachines").await.status.as_u16());
        }
        statuses
    }
    let first = outcomes().await;
    assert!(first.contains(&500) && first.contains(&200), "{first:?}");
    assert_eq!(first, outcomes().await);
}

#[tokio::test]
async fn next_n_requests_get_the_scripted_status_with_retry_after() {
    let emu = start().await;
    let reply = set_faults(&emu, json!({"status": 503, "count": 3, "retryAfter": 2})).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["count"], 3);
    for _ in 0..3 {
        let reply = emu.get("/machines/getMachines").await;
        assert_error(&reply, 503, "Service Unavailable");
        assert_eq!(reply.retry_after.as_deref(), Some("2"));
    }
    let reply = emu.get("/machines/getMachines").await;
    assert_eq!((reply.status.as_u16(), reply.retry_after), (200, None));
    let faults = emu
        .send(Method::GET, "/__emulator/faults", None, None)
        .await;
    assert_eq!(faults.body["count"], 0);

    // Bad settings are a 400 and change nothing.
    assert_eq!(set_faults(&emu, json!({"errorRate": 2})).await.status, 400);
    assert_eq!(set_faults(&emu, json!({"status": 200})).await.status, 400);
    assert_eq!(set_faults(&emu, json!({"bogus": 1})).await.status, 400);
    assert_eq!(emu.get("/machines/getMachines").await.status, 200);
}

#[tokio::test]
async fn capacity_failure_ends_the_start_in_an_error_event_and_the_machine_off() {
    // Steps far longer than a loopback round trip, so "starting" is seen even on a slow CI.
    let emu = start_with(Config::ephemeral(300)).await;
    let id = emu
        .create(json!({"machineType": "V100", "startOnCreate": false}))
        .await;
    emu.wait_for(&id, "off").await;
    set_faults(&emu, json!({"capacityFailures": 1})).await;
    assert_eq!(
        emu.post(&format!("/machines/{id}/start"), json!({"machineId": id}))
            .await
            .status,
        204
    );
    let machine = emu.show(&id).await;
    assert_eq!(machine["state"], "starting");
    assert_eq!(machine["events"][0]["state"], "new");
    let machine = emu.wait_for(&id, "off").await;
    let event = &machine["events"][0];
    assert_eq!(event["name"], "start");
    assert_eq!(event["state"], "error");
    assert_eq!(event["errorMsg"], CAPACITY_ERROR_MESSAGE);
    assert!(event["dtFinished"].is_string());
    // The failure is spent: the next start works.
    emu.post(&format!("/machines/{id}/start"), json!({})).await;
    let machine = emu.wait_for(&id, "ready").await;
    assert_eq!(machine["events"][0]["state"], "done");
    assert_eq!(machine["events"][1]["state"], "error");
}

#[tokio::test]
async fn flags_configure_faults_and_bad_values_are_refused() {
    let config = parse_args(&[
        "--port",
        "0",
        "--fail-next",
        "2",
        "--fail-status",
        "429",
        "--retry-after",
        "5",
        "--capacity-failures",
        "1",
        "--latency-ms",
        "1",
        "--transition-ms",
        "20",
        "--api-key",
        "k",
    ])
    .unwrap();
    assert_eq!(config.port, 0);
    assert_eq!(config.transition_ms, 20);
    let emu = start_with(config).await;
    let reply = emu
        .send(Method::GET, "/machines/getMachines", Some("k"), None)
        .await;
    assert_error(&reply, 429, "Too Many Requests");
    assert_eq!(reply.retry_after.as_deref(), Some("5"));
    emu.send(Method::GET, "/machines/getMachines", Some("k"), None)
        .await;
    assert_eq!(
        emu.send(Method::GET, "/machines/getMachines", Some("k"), None)
            .await
            .status,
        200
    );
    let faults = emu
        .send(Method::GET, "/__emulator/faults", None, None)
        .await;
    assert_eq!(faults.body["capacityFailures"], 1);

    // Reset brings the flags' faults back and forgets machines.
    emu.send(Method::POST, "/__emulator/reset", None, None)
        .await;
    assert_eq!(
        emu.send(Method::GET, "/machines/getMachines", Some("k"), None)
            .await
            .status,
        429
    );

    for bad in [
        vec!["--error-rate", "1.5"],
        vec!["--fail-next", "1", "--fail-status", "200"],
        vec!["--user", "nopassword"],
        vec!["--unavailable", "mars:V100"],
        vec!["--unavailable", "ams1:V200"],
        vec!["--api-key", ""],
    ] {
        assert!(parse_args(&bad).is_err(), "{bad:?}");
    }
}
