//! v1 machines: shapes of the shared v1 types, lifecycle and events, paging and filters,
//! accessors, and one store shared with the legacy routes.

use super::*;
use paperspace::api::v1::wire::{ActionAnswer, Event, Machine, Page};

#[tokio::test]
async fn create_answers_the_create_event_and_a_full_v1_machine() {
    let emu = start().await;
    let answer = create(
        &emu,
        "v1 box",
        json!({
            "machineType": "P4000",
            "region": "ams1",
            "diskSize": 100,
            "publicIpType": "static",
            "autoSnapshotEnabled": true,
            "autoSnapshotFrequency": "daily",
            "autoSnapshotSaveCount": 3,
            "autoShutdownTimeout": 8,
            "autoShutdownForce": true,
            "restorePointEnabled": true,
            "takeInitialSnapshot": true,
            "accessorIds": ["u1"],
        }),
    )
    .await;
    assert_keys(&answer, &["event", "data"]);
    serde_json::from_value::<ActionAnswer>(answer.clone()).unwrap();
    let event = &answer["event"];
    assert_keys(event, EVENT_KEYS);
    assert_eq!(event["name"], "create");
    assert_eq!(event["state"], "in progress");
    assert_eq!(event["error"], Value::Null);
    let m = &answer["data"];
    assert_keys(m, MACHINE_KEYS);
    assert_eq!(event["machineId"], m["id"]);
    assert_eq!(m["name"], "v1 box");
    assert_eq!(m["state"], "provisioning");
    assert_eq!(m["region"], "ams1");
    assert_eq!(m["machineType"], "P4000");
    assert_eq!(m["cpus"], 8);
    assert_eq!(m["ram"], 32_212_254_720u64);
    assert_eq!(m["storageTotal"], 107_374_182_400u64);
    assert!(m["storageUsed"].is_u64());
    assert_eq!(m["accelerators"][0]["name"], "Quadro P4000");
    assert_eq!(m["accelerators"][0]["count"], 1);
    assert_eq!(m["publicIpType"], "static");
    assert!(m["publicIp"].as_str().unwrap().starts_with("172.83."));
    // On the region's default network, with an address of it.
    assert_eq!(m["networkId"], "nemul8r2");
    assert!(m["privateIp"].as_str().unwrap().starts_with("10.66."));
    assert_eq!(m["autoSnapshotEnabled"], true);
    assert_eq!(m["autoSnapshotFrequency"], "daily");
    assert_eq!(m["autoSnapshotSaveCount"], 3);
    assert_eq!(m["autoShutdownEnabled"], true);
    assert_eq!(m["autoShutdownTimeout"], 8);
    assert_eq!(m["autoShutdownForce"], true);
    assert_eq!(m["restorePointEnabled"], true);
    assert_eq!(m["restorePointFrequency"], "shutdown");
    assert_eq!(m["usageRate"], 0.51);
    assert_eq!(m["storageRate"], 10.0);
    assert_eq!(m["dtDeleted"], Value::Null);
    assert!(m["dtCreated"].as_str().unwrap().ends_with('Z'));

    // The same machine through GET /machines/{id}, and after provisioning.
    let id = m["id"].as_str().unwrap();
    let shown = wait_for_v1(&emu, id, "ready").await;
    assert_keys(&shown, MACHINE_KEYS);
    serde_json::from_value::<Machine>(shown.clone()).unwrap();
    let accessors = ok(get(&emu, &format!("/machines/{id}/accessors")).await);
    assert_eq!(
        accessors["items"],
        json!([{"user": {"id": "u1", "email": "u1@users.emulator.invalid"}}])
    );

    // Defaults: no public IP, auto-shutdown on at 168 h, no snapshots, CPU-only.
    let plain = create(&emu, "plain", json!({})).await;
    let p = &plain["data"];
    assert_eq!(p["publicIpType"], "none");
    assert_eq!(p["publicIp"], Value::Null);
    assert_eq!(p["accelerators"], json!([]));
    assert_eq!(p["autoShutdownTimeout"], 168);
    assert_eq!(p["autoSnapshotEnabled"], false);
    assert_eq!(p["autoSnapshotFrequency"], Value::Null);
    assert_eq!(p["restorePointEnabled"], false);
    assert_eq!(p["region"], "ny2");
}

#[tokio::test]
async fn v1_and_legacy_share_one_store() {
    let emu = start().await;
    let made_by_v1 = create(
        &emu,
        "from v1",
        json!({"region": "ca1", "publicIpType": "dynamic"}),
    )
    .await;
    let id = made_by_v1["data"]["id"].as_str().unwrap().to_string();
    let legacy = emu.show(&id).await;
    assert_eq!(legacy["name"], "from v1");
    assert_eq!(legacy["region"], "West Coast (CA1)");
    assert_eq!(legacy["dynamicPublicIp"], true);
    assert_eq!(legacy["events"][0]["handle"], made_by_v1["event"]["id"]);

    let legacy_id = emu
        .create(json!({"machineName": "from legacy", "region": "Europe (AMS1)", "assignPublicIp": true}))
        .await;
    emu.post(
        &format!("/machines/{legacy_id}/updateMachinePublic"),
        json!({"performAutoSnapshot": true, "autoSnapshotFrequency": "week", "shutdownTimeoutInHours": 3}),
    )
    .await;
    let m = ok(get(&emu, &format!("/machines/{legacy_id}")).await);
    assert_eq!(m["name"], "from legacy");
    assert_eq!(m["region"], "ams1");
    assert_eq!(m["publicIpType"], "static");
    assert_eq!(m["publicIp"], emu.show(&legacy_id).await["publicIpAddress"]);
    assert_eq!(m["autoSnapshotEnabled"], true);
    assert_eq!(m["autoSnapshotFrequency"], "weekly");
    assert_eq!(m["autoShutdownTimeout"], 3);
    assert_eq!(m["usageRate"], 0.036);

    // Updates through v1 show up in legacy shapes.
    let updated = ok(v1(
        &emu,
        Method::PUT,
        &format!("/machines/{legacy_id}"),
        Some(KEY),
        Some(json!({"name": "renamed", "autoShutdownEnabled": false, "autoSnapshotFrequency": "monthly", "publicIpType": "none"})),
    )
    .await);
    // No event for a change of settings: the key is absent (optional, never null).
    assert_keys(&updated, &["data"]);
    assert_eq!(updated["data"]["name"], "renamed");
    assert_eq!(updated["data"]["autoShutdownEnabled"], false);
    assert_eq!(updated["data"]["autoShutdownTimeout"], Value::Null);
    assert_eq!(updated["data"]["publicIpType"], "none");
    let legacy = emu.show(&legacy_id).await;
    assert_eq!(legacy["name"], "renamed");
    assert_eq!(legacy["shutdownTimeoutInHours"], Value::Null);
    assert_eq!(legacy["autoSnapshotFrequency"], "month");
    assert_eq!(legacy["publicIpAddress"], Value::Null);
    let reply = v1(
        &emu,
        Method::PUT,
        &format!("/machines/{legacy_id}"),
        Some(KEY),
        Some(json!({"templateId": "t0nspur5"})),
    )
    .await;
    assert_invalid(&reply, json!({"templateId": "Unrecognized key"}));

    // Both lists see both machines.
    let legacy_list = emu.get("/machines/getMachines").await.body;
    assert_eq!(legacy_list.as_array().unwrap().len(), 2);
    let page = ok(get(&emu, "/machines").await);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);

    // Delete through v1: gone for both.
    let deleted = ok(v1(
        &emu,
        Method::DELETE,
        &format!("/machines/{id}"),
        Some(KEY),
        None,
    )
    .await);
    serde_json::from_value::<ActionAnswer>(deleted.clone()).unwrap();
    assert_eq!(deleted["data"]["id"], id.as_str());
    assert!(deleted["data"]["dtDeleted"].is_string());
    assert_eq!(deleted["event"]["name"], "deactivate");
    assert_eq!(deleted["event"]["state"], "done");
    assert_eq!(get(&emu, &format!("/machines/{id}")).await.status, 404);
    let legacy = emu
        .get(&format!("/machines/getMachinePublic?machineId={id}"))
        .await;
    assert_eq!(legacy.status, 404);
}

#[tokio::test]
async fn start_stop_restart_walk_the_lifecycle_with_events() {
    let emu = start().await;
    let created = create(&emu, "cycle", json!({"startOnCreate": false})).await;
    let id = created["data"]["id"].as_str().unwrap().to_string();
    let created_event = created["event"]["id"].clone();
    wait_for_v1(&emu, &id, "off").await;

    let patch = |action: &str| {
        v1(
            &emu,
            Method::PATCH,
            format!("/machines/{id}/{action}"),
            Some(KEY),
            None,
        )
    };
    let started = ok(patch("start").await);
    assert_keys(&started, &["event", "data"]);
    assert_keys(&started["event"], EVENT_KEYS);
    assert_eq!(started["event"]["name"], "start");
    assert_eq!(started["event"]["state"], "in progress");
    assert_eq!(started["data"]["state"], "starting");
    let start_event = started["event"]["id"].as_str().unwrap().to_string();
    wait_for_v1(&emu, &id, "ready").await;
    let event = ok(get(&emu, &format!("/machine-events/{start_event}")).await);
    assert_eq!(event["state"], "done");
    assert!(event["dtFinished"].is_string());
    serde_json::from_value::<Event>(event).unwrap();

    // A start of a running machine is refused, as the live service refuses it.
    assert_refused(
        &patch("start").await,
        "This machine is already running.",
        Value::Null,
    );

    let restarted = ok(patch("restart").await);
    assert_eq!(restarted["event"]["name"], "restart");
    assert_eq!(restarted["data"]["state"], "restarting");
    wait_for_v1(&emu, &id, "ready").await;
    let stopped = ok(patch("stop").await);
    assert_eq!(stopped["event"]["name"], "stop");
    assert_eq!(stopped["data"]["state"], "stopping");
    wait_for_v1(&emu, &id, "off").await;

    // Events: newest first by default, ids equal the legacy handles; asc reverses.
    let events = ok(get(&emu, &format!("/machine-events?machineId={id}")).await);
    serde_json::from_value::<Page<Event>>(events.clone()).unwrap();
    assert_eq!(events["hasMore"], false);
    let items = events["items"].as_array().unwrap();
    let names: Vec<&str> = items.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["stop", "restart", "start", "create"]);
    assert!(
        items
            .iter()
            .all(|e| e["state"] == "done" && e["machineId"] == id.as_str())
    );
    assert_eq!(items[3]["id"], created_event);
    let legacy_events = &emu.show(&id).await["events"];
    let legacy_handles: Vec<&Value> = legacy_events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["handle"])
        .collect();
    let v1_ids: Vec<&Value> = items.iter().map(|e| &e["id"]).collect();
    assert_eq!(legacy_handles, v1_ids);
    let ascending = ok(get(
        &emu,
        &format!("/machine-events?machineId={id}&order=asc&limit=3"),
    )
    .await);
    assert_eq!(ascending["items"][0]["name"], "create");
    assert_eq!(ascending["hasMore"], true);
    let rest = ok(get(
        &emu,
        &format!(
            "/machine-events?machineId={id}&order=asc&limit=3&after={}",
            ascending["nextPage"].as_str().unwrap()
        ),
    )
    .await);
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["items"][0]["name"], "stop");

    // A capacity failure: the start event ends in error with the message, machine back off.
    let faults = emu
        .post("/__emulator/faults", json!({"capacityFailures": 1}))
        .await;
    assert_eq!(faults.status, 200);
    let failing = ok(patch("start").await);
    let failing_id = failing["event"]["id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(120)).await;
    let event = ok(get(&emu, &format!("/machine-events/{failing_id}")).await);
    assert_eq!(event["state"], "error");
    assert!(
        event["error"]
            .as_str()
            .unwrap()
            .contains("insufficient capacity")
    );
    assert_eq!(
        ok(get(&emu, &format!("/machines/{id}")).await)["state"],
        "off"
    );
    // All machines' events without machineId.
    let all = ok(get(&emu, "/machine-events").await);
    assert_eq!(all["items"][0]["id"], failing_id.as_str());
}

#[tokio::test]
async fn actions_on_a_provisioning_machine_are_refused_in_the_v1_shape() {
    // Long steps, so the machine is surely still provisioning.
    let emu = start_with(paperspace::emulator::Config::ephemeral(60_000)).await;
    let id = create(&emu, "slow", json!({})).await["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for action in ["start", "stop", "restart"] {
        let path = format!("/machines/{id}/{action}");
        let refused = v1(&emu, Method::PATCH, path, Some(KEY), None).await;
        assert_v1_error(&refused, 400, "BAD_REQUEST", "provisioned");
    }
}

#[tokio::test]
async fn lists_page_with_after_and_filter() {
    let emu = start().await;
    for i in 0..5 {
        let region = ["ny2", "ca1", "ams1"][i % 3];
        let machine_type = if i % 2 == 0 { "C4" } else { "C5" };
        create(
            &emu,
            &format!("m{i}"),
            json!({"region": region, "machineType": machine_type}),
        )
        .await;
    }
    // Newest first by default, two at a time, following nextPage.
    let mut names = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &after {
            Some(cursor) => format!("/machines?limit=2&after={cursor}"),
            None => "/machines?limit=2".to_string(),
        };
        let page = ok(get(&emu, &path).await);
        assert_keys(&page, &["hasMore", "nextPage", "items"]);
        let typed: Page<Machine> = serde_json::from_value(page.clone()).unwrap();
        pages += 1;
        names.extend(typed.items.into_iter().map(|m| m.name.unwrap()));
        if !typed.has_more {
            assert_eq!(page["nextPage"], Value::Null);
            break;
        }
        after = typed.next_page;
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["m4", "m3", "m2", "m1", "m0"]);

    let names_of = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_string())
            .collect()
    };
    let asc = ok(get(&emu, "/machines?order=asc&orderBy=name").await);
    assert_eq!(names_of(&asc), ["m0", "m1", "m2", "m3", "m4"]);
    let ny = ok(get(&emu, "/machines?region=ny2&order=asc").await);
    assert_eq!(names_of(&ny), ["m0", "m3"]);
    let c5 = ok(get(&emu, "/machines?machineType=C5").await);
    assert_eq!(names_of(&c5), ["m3", "m1"]);
    let named = ok(get(&emu, "/machines?name=m2&agentType=LinuxHeadless").await);
    assert_eq!(names_of(&named), ["m2"]);
    let none = ok(get(&emu, "/machines?agentType=WindowsDesktop").await);
    assert_eq!(none["items"], json!([]));
    assert_eq!(none["hasMore"], false);
    let past_end = ok(get(&emu, "/machines?after=99").await);
    assert_eq!(past_end["items"], json!([]));

    // `name` matches parts of names, in any case (not an exact match, as live).
    for name in ["web-1", "Web-2", "db"] {
        create(&emu, name, json!({})).await;
    }
    let web = ok(get(&emu, "/machines?name=web&orderBy=name&order=asc").await);
    assert_eq!(names_of(&web), ["Web-2", "web-1"]);
    let by_state = ok(get(&emu, "/machines?name=m&orderBy=state").await);
    assert_eq!(names_of(&by_state).len(), 5);
}

#[tokio::test]
async fn every_list_honours_order() {
    let emu = start().await;
    let id = id_of(&create(&emu, "ordered", json!({"startOnCreate": false})).await);
    for user in ["ua", "ub", "uc"] {
        let path = format!("/machines/{id}/accessors");
        ok(send(&emu, Method::POST, &path, json!({"userId": user})).await);
    }
    for region in ["ny2", "ca1"] {
        ok(send(&emu, Method::POST, "/public-ips", json!({"region": region})).await);
    }
    wait_for_v1(&emu, &id, "off").await;
    ok(bare(&emu, Method::PATCH, format!("/machines/{id}/start")).await);
    for (path, pointer, ascending) in [
        (
            format!("/machines/{id}/accessors"),
            "/user/id",
            vec![json!("ua"), json!("ub"), json!("uc")],
        ),
        (
            format!("/machine-events?machineId={id}"),
            "/name",
            vec![json!("create"), json!("start")],
        ),
        (
            "/public-ips".to_string(),
            "/region",
            vec![json!("ny2"), json!("ca1")],
        ),
    ] {
        let joiner = if path.contains('?') { '&' } else { '?' };
        let asc = ok(get(&emu, &format!("{path}{joiner}order=asc")).await);
        assert_eq!(pluck(&asc, pointer), ascending, "{path}");
        let desc = ok(get(&emu, &path).await);
        let mut descending = ascending.clone();
        descending.reverse();
        assert_eq!(pluck(&desc, pointer), descending, "{path}: desc by default");
    }
}

#[tokio::test]
async fn accessors_are_added_listed_and_removed() {
    let emu = start().await;
    let id = create(&emu, "shared", json!({})).await["data"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/machines/{id}/accessors");
    for user in ["ua", "ub"] {
        let added = ok(v1(
            &emu,
            Method::POST,
            &path,
            Some(KEY),
            Some(json!({"userId": user})),
        )
        .await);
        assert_eq!(
            added,
            json!({"user": {"id": user, "email": format!("{user}@users.emulator.invalid")}})
        );
    }
    let listed = ok(get(&emu, &path).await);
    assert_eq!(listed["hasMore"], false);
    assert_eq!(pluck(&listed, "/user/id"), ["ub", "ua"]);
    assert_eq!(
        ok(get(&emu, &format!("{path}/ua")).await)["user"]["id"],
        "ua"
    );

    // Recorded where setMachineAccess records access (the state dump's `access`).
    let state = emu.get("/__emulator/state").await.body;
    assert_eq!(
        state["store"]["machines"][0]["access"],
        json!({"ua": true, "ub": true})
    );

    let removed = ok(v1(&emu, Method::DELETE, &format!("{path}/ua"), Some(KEY), None).await);
    assert_eq!(removed["user"]["id"], "ua");
    assert!(removed["dtDeleted"].is_string());
    let listed = ok(get(&emu, &path).await);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        v1(&emu, Method::DELETE, &format!("{path}/ua"), Some(KEY), None)
            .await
            .status,
        404
    );
    assert_eq!(get(&emu, &format!("{path}/ua")).await.status, 404);

    // Legacy setMachineAccess grants show up in v1.
    emu.post(
        &format!("/machines/{id}/setMachineAccess"),
        json!({"userId": "uc", "enableAccess": true}),
    )
    .await;
    let listed = ok(get(&emu, &format!("{path}?order=asc")).await);
    assert_eq!(pluck(&listed, "/user/id"), ["ub", "uc"]);

    let bad = v1(&emu, Method::POST, &path, Some(KEY), Some(json!({}))).await;
    assert_invalid(&bad, json!({"userId": "Required"}));
    let bad = v1(
        &emu,
        Method::POST,
        &path,
        Some(KEY),
        Some(json!({"userId": "u", "role": "admin"})),
    )
    .await;
    assert_invalid(&bad, json!({"role": "Unrecognized key"}));
}
