//! The v1 operations beyond power actions, with state: events for every action, desktops,
//! snapshots, resizes and moves.

use super::*;

async fn event(emu: &Emu, answer: &Value) -> Value {
    let id = answer["event"]["id"].as_str().unwrap();
    ok(get(emu, &format!("/machine-events/{id}")).await)
}

async fn event_names(emu: &Emu, id: &str) -> Vec<Value> {
    let page = ok(get(emu, &format!("/machine-events?machineId={id}&order=asc")).await);
    pluck(&page, "/name")
}

async fn off_machine(emu: &Emu, extra: Value) -> String {
    let mut extra = extra;
    extra["startOnCreate"] = json!(false);
    let id = id_of(&create(emu, "worker", extra).await);
    wait_for_v1(emu, &id, "off").await;
    id
}

#[tokio::test]
async fn every_action_has_an_event_and_deleted_machines_keep_their_deactivation() {
    let emu = start().await;
    let id = off_machine(&emu, json!({"takeInitialSnapshot": true})).await;
    let machine = format!("/machines/{id}");
    assert_eq!(event_names(&emu, &id).await, ["create", "snapshot-create"]);
    let snapshots = ok(get(&emu, &format!("/snapshots?machineId={id}")).await);
    assert_eq!(pluck(&snapshots, "/name"), ["Initial snapshot"]);

    // A resize while off: upgrading for a step, then off again; the answer is its event.
    let resized = ok(send(
        &emu,
        Method::PUT,
        &machine,
        json!({"machineType": "C5", "diskSize": 100}),
    )
    .await);
    assert_eq!(resized["event"]["name"], "vm-upgrade");
    assert_eq!(resized["data"]["state"], "upgrading");
    assert_eq!(resized["data"]["machineType"], "C5");
    assert_eq!(resized["data"]["storageTotal"], 100u64 << 30);
    assert_refused(
        &bare(&emu, Method::PATCH, format!("{machine}/start")).await,
        "This machine is currently upgrading.",
        Value::Null,
    );
    wait_for_v1(&emu, &id, "off").await;
    assert_eq!(event(&emu, &resized).await["state"], "done");

    // A move: its event, and an address of the new network; the state is left alone.
    let lan = ok(send(
        &emu,
        Method::POST,
        "/private-networks",
        json!({"name": "lan", "region": "ny2"}),
    )
    .await);
    let moved = ok(send(&emu, Method::PUT, &machine, json!({"networkId": lan["id"]})).await);
    assert_eq!(moved["event"]["name"], "vm-migrate");
    assert_eq!(moved["data"]["state"], "off");
    assert!(
        moved["data"]["privateIp"]
            .as_str()
            .unwrap()
            .starts_with("10.128.0.")
    );
    // A change of settings only: no event.
    let renamed = ok(send(&emu, Method::PUT, &machine, json!({"name": "renamed"})).await);
    assert_keys(&renamed, &["data"]);

    ok(bare(&emu, Method::PATCH, format!("{machine}/start")).await);
    wait_for_v1(&emu, &id, "ready").await;
    // A bigger disk while running: an event, the state untouched.
    let grown = ok(send(&emu, Method::PUT, &machine, json!({"diskSize": 250})).await);
    assert_eq!(grown["event"]["name"], "vm-upgrade");
    assert_eq!(grown["data"]["state"], "ready");
    ok(bare(&emu, Method::PATCH, format!("{machine}/restart")).await);
    wait_for_v1(&emu, &id, "ready").await;
    ok(bare(&emu, Method::PATCH, format!("{machine}/stop")).await);
    wait_for_v1(&emu, &id, "off").await;
    let template = ok(send(
        &emu,
        Method::POST,
        "/custom-templates",
        json!({"name": "t", "machineId": id}),
    )
    .await);
    assert_eq!(event(&emu, &template).await["name"], "template-create");
    let snap = ok(send(
        &emu,
        Method::POST,
        "/snapshots",
        json!({"name": "s", "machineId": id}),
    )
    .await);
    let snap_id = snap["data"]["id"].as_str().unwrap().to_string();
    let restored = ok(send(
        &emu,
        Method::POST,
        &format!("/snapshots/{snap_id}/restore"),
        json!({}),
    )
    .await);
    let deleted = ok(bare(&emu, Method::DELETE, format!("/snapshots/{snap_id}")).await);
    assert_eq!(event(&emu, &deleted).await["name"], "snapshot-delete");
    assert_eq!(restored["event"]["name"], "snapshot-restore");
    assert_eq!(
        event_names(&emu, &id).await,
        [
            "create",
            "snapshot-create",
            "vm-upgrade",
            "vm-migrate",
            "start",
            "vm-upgrade",
            "restart",
            "stop",
            "template-create",
            "snapshot-create",
            "snapshot-restore",
            "snapshot-delete",
        ]
    );
    // The legacy API shows them too, newest first.
    let legacy = emu.show(&id).await;
    assert_eq!(legacy["events"][0]["name"], "snapshot-delete");

    // Deleted: its snapshots go; its deactivation stays, by id and in the lists.
    wait_for_v1(&emu, &id, "off").await;
    let gone = ok(bare(&emu, Method::DELETE, &machine).await);
    let deactivation = event(&emu, &gone).await;
    assert_eq!(deactivation["name"], "deactivate");
    assert_eq!(deactivation["state"], "done");
    assert_eq!(deactivation["machineId"], id.as_str());
    assert_eq!(event_names(&emu, &id).await, ["deactivate"]);
    let all = ok(get(&emu, "/machine-events").await);
    assert_eq!(all["items"][0]["name"], "deactivate");
    assert_eq!(
        ok(get(&emu, &format!("/snapshots?machineId={id}")).await)["items"],
        json!([])
    );
    assert_eq!(
        get(&emu, "/machine-events?machineId=psnever").await.status,
        404
    );

    // The legacy destroy records one too.
    let legacy_id = emu.create(json!({})).await;
    emu.post(&format!("/machines/{legacy_id}/destroyMachine"), json!({}))
        .await;
    assert_eq!(event_names(&emu, &legacy_id).await, ["deactivate"]);
}

#[tokio::test]
async fn resizes_and_moves_are_refused_as_the_service_refuses_them() {
    let emu = start().await;
    let running = id_of(&create(&emu, "running", json!({"diskSize": 100})).await);
    wait_for_v1(&emu, &running, "ready").await;
    let path = format!("/machines/{running}");
    let put = |body: Value| send(&emu, Method::PUT, &path, body);
    assert_refused(
        &put(json!({"machineType": "C5"})).await,
        "machineType can only be changed while the machine is off (it is ready)",
        json!({"machineType": "The machine must be off"}),
    );
    assert_refused(
        &put(json!({"diskSize": 50})).await,
        "Invalid diskSize 50: disks can only grow (now 100 GB)",
        json!({"diskSize": "Must be at least 100 GB"}),
    );
    assert_refused(
        &put(json!({"networkId": "nnope"})).await,
        "Network not found",
        json!({"networkId": "Network not found"}),
    );
    assert_refused(
        &put(json!({"networkId": "nemul8r2"})).await,
        "Network nemul8r2 is in ams1, not ny2",
        json!({"networkId": "The network is in another region"}),
    );
    assert_refused(
        &put(json!({"restorePointSnapshotId": "snnope"})).await,
        "Snapshot not found",
        json!({"restorePointSnapshotId": "No snapshot of this machine has this id"}),
    );
    let windows = off_machine(
        &emu,
        json!({"templateId": "twin2019", "machineType": "P4000"}),
    )
    .await;
    let windows_path = format!("/machines/{windows}");
    assert_refused(
        &send(
            &emu,
            Method::PUT,
            &windows_path,
            json!({"machineType": "C4"}),
        )
        .await,
        "Template twin2019 does not run on machine type C4",
        json!({"machineType": "Template twin2019 does not run on this machine type"}),
    );
    let west = off_machine(&emu, json!({"region": "ca1"})).await;
    assert_refused(
        &send(
            &emu,
            Method::PUT,
            format!("/machines/{west}"),
            json!({"machineType": "A100"}),
        )
        .await,
        "Machine type A100 is not sold in West Coast (CA1)",
        json!({"machineType": "Not sold in ca1"}),
    );
    // Nothing changed, nothing was recorded.
    let machine = ok(get(&emu, &path).await);
    assert_eq!(machine["machineType"], "C4");
    assert_eq!(machine["storageTotal"], 100u64 << 30);
    assert_eq!(machine["networkId"], "nemul8r0");
    assert_eq!(event_names(&emu, &running).await, ["create"]);

    // A snapshot of its own makes a restore point.
    let snap = ok(send(
        &emu,
        Method::POST,
        "/snapshots",
        json!({"name": "rp", "machineId": running}),
    )
    .await);
    let snap_id = snap["data"]["id"].clone();
    let updated =
        ok(put(json!({"restorePointEnabled": true, "restorePointSnapshotId": snap_id})).await);
    assert_eq!(updated["data"]["restorePointSnapshotId"], snap_id);
}

#[tokio::test]
async fn desktops_exist_for_desktop_agents() {
    let emu = start().await;
    let linux = id_of(
        &create(
            &emu,
            "desk",
            json!({"templateId": "tdesk204", "machineType": "P4000"}),
        )
        .await,
    );
    let desktop = ok(get(&emu, &format!("/machines/{linux}/desktop")).await);
    assert_keys(&desktop, &["vnc"]);
    assert_keys(&desktop["vnc"], &["hostname", "port", "password"]);
    assert_eq!(desktop["vnc"]["port"], 5900);
    let machine = ok(get(&emu, &format!("/machines/{linux}")).await);
    assert_eq!(desktop["vnc"]["hostname"], machine["privateIp"]);
    let again = ok(get(&emu, &format!("/machines/{linux}/desktop")).await);
    assert_eq!(again, desktop, "the same password on every read");

    let windows = id_of(
        &create(
            &emu,
            "win",
            json!({"templateId": "twin2019", "machineType": "A4000", "publicIpType": "static"}),
        )
        .await,
    );
    let desktop = ok(get(&emu, &format!("/machines/{windows}/desktop")).await);
    let ip = ok(get(&emu, &format!("/machines/{windows}")).await)["publicIp"].clone();
    assert_eq!(
        desktop["windows"],
        json!({"hostname": ip, "port": 3389, "publicIp": ip})
    );
    assert_eq!(desktop["vnc"]["hostname"], ip);
    assert_ne!(desktop["vnc"]["password"], again["vnc"]["password"]);

    let headless = id_of(&create(&emu, "server", json!({})).await);
    let refused = get(&emu, &format!("/machines/{headless}/desktop")).await;
    assert_eq!(
        refused.body,
        json!({"message": "This machine has no desktop (its agent is LinuxHeadless)", "code": "NOT_FOUND"})
    );
    assert_eq!(refused.status, 404);
    assert_eq!(get(&emu, "/machines/psnope/desktop").await.status, 404);
}

#[tokio::test]
async fn snapshots_belong_to_machines_and_restore_them() {
    let emu = start().await;
    let id = id_of(&create(&emu, "snapped", json!({})).await);
    assert_refused(
        &send(
            &emu,
            Method::POST,
            "/snapshots",
            json!({"name": "early", "machineId": id}),
        )
        .await,
        "The machine is being provisioned",
        json!({"machineId": "The machine is being provisioned"}),
    );
    wait_for_v1(&emu, &id, "ready").await;
    let taken = ok(send(
        &emu,
        Method::POST,
        "/snapshots",
        json!({"name": "b first", "machineId": id}),
    )
    .await);
    assert_keys(&taken, &["event", "data"]);
    assert_eq!(taken["event"]["name"], "snapshot-create");
    assert_eq!(taken["event"]["state"], "in progress");
    assert_keys(
        &taken["data"],
        &["id", "name", "machineId", "isAutoSnapshot"],
    );
    assert_eq!(taken["data"]["isAutoSnapshot"], false);
    let first = taken["data"]["id"].as_str().unwrap().to_string();
    ok(send(
        &emu,
        Method::POST,
        "/snapshots",
        json!({"name": "a second", "machineId": id}),
    )
    .await);
    let other = id_of(&create(&emu, "other", json!({})).await);
    wait_for_v1(&emu, &other, "ready").await;
    ok(send(
        &emu,
        Method::POST,
        "/snapshots",
        json!({"name": "elsewhere", "machineId": other}),
    )
    .await);
    let unknown = send(
        &emu,
        Method::POST,
        "/snapshots",
        json!({"name": "x", "machineId": "psnope"}),
    )
    .await;
    assert_v1_error(&unknown, 404, "NOT_FOUND", "Not found");

    let mine = ok(get(
        &emu,
        &format!("/snapshots?machineId={id}&orderBy=name&order=asc"),
    )
    .await);
    assert_eq!(pluck(&mine, "/name"), ["a second", "b first"]);
    assert_eq!(
        ok(get(&emu, "/snapshots").await)["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let path = format!("/snapshots/{first}");
    assert_eq!(ok(get(&emu, &path).await)["name"], "b first");
    assert_eq!(
        ok(send(&emu, Method::PUT, &path, json!({"name": "renamed"})).await)["name"],
        "renamed"
    );

    // A restore needs the machine off; it is upgrading for a step, then off.
    let restore = format!("{path}/restore");
    assert_refused(
        &send(&emu, Method::POST, &restore, json!({})).await,
        "The machine must be off to restore a snapshot (it is ready)",
        Value::Null,
    );
    ok(bare(&emu, Method::PATCH, format!("/machines/{id}/stop")).await);
    wait_for_v1(&emu, &id, "off").await;
    let restored = ok(send(
        &emu,
        Method::POST,
        &restore,
        json!({"createSnapshotBeforeRestore": true}),
    )
    .await);
    assert_eq!(restored["event"]["name"], "snapshot-restore");
    assert_eq!(restored["data"]["id"], first.as_str());
    assert_eq!(
        ok(get(&emu, &format!("/machines/{id}")).await)["state"],
        "upgrading"
    );
    wait_for_v1(&emu, &id, "off").await;
    let mine = ok(get(&emu, &format!("/snapshots?machineId={id}")).await);
    assert_eq!(pluck(&mine, "/name")[0], "Before restoring renamed");
    assert_invalid(
        &send(
            &emu,
            Method::POST,
            &restore,
            json!({"createSnapshotBeforeRestore": "yes"}),
        )
        .await,
        json!({"createSnapshotBeforeRestore": "Expected boolean, received string"}),
    );

    let deleted = ok(bare(&emu, Method::DELETE, &path).await);
    assert_eq!(deleted["event"]["name"], "snapshot-delete");
    assert_eq!(deleted["data"]["name"], "renamed");
    assert_eq!(get(&emu, &path).await.status, 404);
    assert_eq!(
        send(&emu, Method::POST, &restore, json!({})).await.status,
        404
    );

    // Snapshots go with their machine.
    ok(bare(&emu, Method::DELETE, format!("/machines/{id}")).await);
    assert_eq!(
        pluck(&ok(get(&emu, "/snapshots").await), "/name"),
        ["elsewhere"]
    );
}
