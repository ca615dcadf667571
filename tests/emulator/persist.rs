//! Durability: the state file survives restarts and crashes (every acknowledged change is on
//! disk before its response), it is replaced atomically, and many concurrent clients leave a
//! consistent state.
//!
//! The 30-second soak is `#[ignore]`d; run it with
//! `cargo test --test emulator persist:: -- --ignored` (`EMULATOR_SOAK_SECS` changes its length).

use crate::common::*;
use paperspace::emulator::{self, Config};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

fn config(path: &Path) -> Config {
    Config {
        state_file: Some(path.to_path_buf()),
        api_keys: vec![KEY.to_string()],
        ..Config::ephemeral(20)
    }
}

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

async fn snapshot(emu: &Emu) -> Value {
    emu.send(Method::GET, "/__emulator/state", None, None)
        .await
        .body
}

#[tokio::test]
async fn state_survives_a_clean_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let emu = start_with(config(&path)).await;
    let a = emu.create(json!({"machineName": "kept"})).await;
    let b = emu.create(json!({})).await;
    emu.wait_for(&a, "ready").await;
    emu.post(
        &format!("/machines/{a}/updateMachinePublic"),
        json!({"machineName": "renamed"}),
    )
    .await;
    emu.post(&format!("/machines/{a}/stop"), json!({})).await;
    emu.post(&format!("/machines/{b}/destroyMachine"), json!({}))
        .await;
    emu.post(
        &format!("/machines/{a}/setMachineAccess"),
        json!({"userId": "u9", "enableAccess": true}),
    )
    .await;
    let token = emu
        .send(
            Method::POST,
            "/users/login",
            None,
            Some(r#"{"email":"a@b.c","password":"p"}"#),
        )
        .await;
    let token = token.body["id"].as_str().unwrap().to_string();
    let issued = emu
        .send(
            Method::POST,
            &format!("/apiTokens/createPublic?access_token={token}"),
            None,
            None,
        )
        .await;
    let issued = issued.body["key"].as_str().unwrap().to_string();
    let before = snapshot(&emu).await["store"].clone();
    emu.running.stop().await.unwrap();

    let emu = start_with(config(&path)).await;
    assert_eq!(snapshot(&emu).await["store"], before);
    let machine = emu.wait_for(&a, "off").await;
    assert_eq!(machine["name"], "renamed");
    let names: Vec<&str> = machine["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["stop", "create"]);
    assert_eq!(
        emu.get(&format!("/machines/getMachinePublic?machineId={b}"))
            .await
            .status,
        404
    );
    // The issued key still works; an unknown one does not.
    assert_eq!(
        emu.send(Method::GET, "/machines/getMachines", Some(&issued), None)
            .await
            .status,
        200
    );
    assert_eq!(
        emu.send(Method::GET, "/machines/getMachines", Some("other"), None)
            .await
            .status,
        401
    );
    assert_eq!(dir_entries(dir.path()), ["state.json"]);
}

/// `abort` drops the server mid-flight, like `kill -9`: no shutdown hook, no final write. Every
/// change that got a response is still there after the restart.
#[tokio::test]
async fn acknowledged_changes_survive_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let emu = start_with(config(&path)).await;
    let mut ids = Vec::new();
    for i in 0..10 {
        ids.push(emu.create(json!({"machineName": format!("m{i}")})).await);
    }
    emu.post(
        &format!("/machines/{}/updateMachinePublic", ids[3]),
        json!({"shutdownTimeoutInHours": 4}),
    )
    .await;
    emu.post(&format!("/machines/{}/destroyMachine", ids[9]), json!({}))
        .await;
    emu.running.abort();

    let emu = start_with(config(&path)).await;
    let list = emu.get("/machines/getMachines").await.body;
    let listed: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        ids[..9].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(list[3]["shutdownTimeoutInHours"], 4);
    assert_eq!(
        dir_entries(dir.path()),
        ["state.json"],
        "no temporary files left"
    );
}

/// A request that changes nothing (start of a running machine, the legacy no-op) leaves the
/// state file as it is; the next real change replaces it. (Each write is a new file renamed
/// over the old one, so the file's inode says whether it was written.)
#[cfg(unix)]
#[tokio::test]
async fn a_change_that_changes_nothing_does_not_rewrite_the_state_file() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let emu = start_with(config(&path)).await;
    let id = emu.create(json!({"machineName": "kept"})).await;
    emu.wait_for(&id, "ready").await;
    let inode = || std::fs::metadata(&path).unwrap().ino();
    let before = inode();
    let started = emu.post(&format!("/machines/{id}/start"), json!({})).await;
    assert!(started.status.is_success(), "{:?}", started.status);
    assert_eq!(inode(), before, "the state file was rewritten for a no-op");
    emu.post(&format!("/machines/{id}/stop"), json!({})).await;
    assert_ne!(inode(), before, "a real change is written");
}

#[tokio::test]
async fn a_corrupt_state_file_stops_the_start_instead_of_being_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, "{\"machines\": [oops").unwrap();
    let error = emulator::start(config(&path))
        .await
        .err()
        .expect("refuses to start");
    assert!(
        format!("{error:#}").contains("not a valid emulator state"),
        "{error:#}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"machines\": [oops"
    );
}

/// `clients` concurrent clients hammer the API for `duration`; each remembers what the server
/// acknowledged about its own machines. Afterwards the live state, the state file, and a fresh
/// emulator started from that file after a crash all agree with the clients.
async fn hammer(clients: usize, duration: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let emu = start_with(config(&path)).await;
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for client_no in 0..clients {
        let client = emu.client.clone();
        let base = emu.base.clone();
        tasks.push(tokio::spawn(async move {
            // Expected final name of every machine this client created and did not destroy.
            let mut mine: BTreeMap<String, String> = BTreeMap::new();
            let mut round = 0u32;
            let mut requests = 0u64;
            while Instant::now() < deadline {
                requests += 1;
                round += 1;
                let choice = fastrand::u8(0..10);
                if mine.is_empty() || choice < 3 {
                    let name = format!("c{client_no}-r{round}");
                    let body = json!({"region": "ny2", "machineType": "C2", "size": 10, "billingType": "hourly",
                        "machineName": name, "templateId": "tkni3aa4"});
                    let reply = send(&client, &base, Method::POST, "/machines/createSingleMachinePublic", Some(KEY), Some(&body.to_string())).await;
                    assert_eq!(reply.status, 200, "{reply:?}");
                    mine.insert(reply.body["id"].as_str().unwrap().to_string(), name);
                    continue;
                }
                let id = mine.keys().nth(fastrand::usize(..mine.len())).unwrap().clone();
                match choice {
                    3..=5 => {
                        let name = format!("c{client_no}-u{round}");
                        let body = json!({"machineName": name}).to_string();
                        let reply = send(&client, &base, Method::POST, &format!("/machines/{id}/updateMachinePublic"), Some(KEY), Some(&body)).await;
                        assert_eq!(reply.status, 200, "{reply:?}");
                        mine.insert(id, name);
                    }
                    6 => {
                        let reply = send(&client, &base, Method::POST, &format!("/machines/{id}/destroyMachine"), Some(KEY), None).await;
                        assert_eq!(reply.status, 204, "{reply:?}");
                        mine.remove(&id);
                    }
                    7 => {
                        // Stop may be refused while provisioning; either way nothing is lost.
                        let reply = send(&client, &base, Method::POST, &format!("/machines/{id}/stop"), Some(KEY), None).await;
                        assert!(matches!(reply.status.as_u16(), 204 | 400), "{reply:?}");
                    }
                    _ => {
                        let reply = send(&client, &base, Method::GET, &format!("/machines/getMachinePublic?machineId={id}"), Some(KEY), None).await;
                        assert_eq!(reply.status, 200, "{reply:?}");
                        assert_eq!(reply.body["name"], mine[&id].as_str());
                    }
                }
            }
            (mine, requests)
        }));
    }
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    let mut requests = 0;
    for task in tasks {
        let (mine, count) = task.await.unwrap();
        expected.extend(mine);
        requests += count;
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{clients} clients: {requests} requests in {seconds:.1} s ({:.0}/s), {} machines left",
        requests as f64 / seconds,
        expected.len()
    );
    assert!(expected.len() > clients / 2, "the clients made progress");

    let names_of = |machines: &Value| -> BTreeMap<String, String> {
        machines
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let m = m.get("machine").unwrap_or(m);
                (
                    m["id"].as_str().unwrap().to_string(),
                    m["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let live = snapshot(&emu).await;
    assert_eq!(names_of(&live["machines"]), expected, "live state");
    let file: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(file, live["store"], "state file = live state");
    emu.running.abort();

    let emu = start_with(config(&path)).await;
    assert_eq!(
        names_of(&emu.get("/machines/getMachines?limit=1000000").await.body),
        expected,
        "after crash and restart"
    );
    assert_eq!(dir_entries(dir.path()), ["state.json"]);
}

#[tokio::test]
async fn two_hundred_concurrent_clients_leave_a_consistent_state() {
    hammer(200, Duration::from_secs(2)).await;
}

#[tokio::test]
#[ignore = "30 s soak; run with --ignored"]
async fn soak_two_hundred_clients_for_thirty_seconds() {
    let secs = std::env::var("EMULATOR_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    hammer(200, Duration::from_secs(secs)).await;
}

#[tokio::test]
async fn an_unwritable_state_file_location_fails_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-dir").join("state.json");
    let error = emulator::start(config(&path))
        .await
        .err()
        .expect("refuses to start");
    assert!(
        format!("{error:#}").contains("cannot write state file"),
        "{error:#}"
    );
    // A fresh file is created at start, before any change.
    let path = dir.path().join("state.json");
    let emu = start_with(config(&path)).await;
    assert!(path.is_file());
    emu.running.stop().await.unwrap();
}

/// A state file from before public IPs were the account's: the static addresses its machines
/// hold become the account's on load, and survive the machine.
#[tokio::test]
async fn static_addresses_of_an_older_state_file_become_the_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let emu = start_with(config(&path)).await;
    let id = emu.create(json!({"assignPublicIp": true})).await;
    let ip = emu.show(&id).await["publicIpAddress"].clone();
    emu.running.stop().await.unwrap();
    let mut state: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    state.as_object_mut().unwrap().remove("publicIps");
    std::fs::write(&path, state.to_string()).unwrap();

    let emu = start_with(config(&path)).await;
    let request = emu
        .client
        .get(format!("{}/v1/public-ips", emu.base))
        .header("authorization", format!("Bearer {KEY}"));
    let listed = send_request(request, None).await.body;
    assert_eq!(listed["items"][0]["ip"], ip);
    assert_eq!(listed["items"][0]["assignedMachineId"], id.as_str());
}
