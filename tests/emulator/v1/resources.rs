//! The account's startup scripts, private networks, shared drives and team users on v1, with
//! state; and that what one API made the other sees.

use super::*;

#[tokio::test]
async fn startup_scripts_are_assigned_to_machines_and_seen_by_both_apis() {
    let emu = start().await;
    let id = id_of(&create(&emu, "runner", json!({})).await);
    let created = ok(send(
        &emu,
        Method::POST,
        "/startup-scripts",
        json!({"name": "sky-add-key-1234", "script": "#!/bin/bash\necho hi\n", "isRunOnce": true}),
    )
    .await);
    assert_keys(
        &created,
        &[
            "id",
            "name",
            "description",
            "isEnabled",
            "isRunOnce",
            "assignedMachineIds",
            "dtCreated",
            "dtDeleted",
        ],
    );
    assert_eq!(created["isEnabled"], true);
    assert_eq!(created["isRunOnce"], true);
    assert_eq!(created["assignedMachineIds"], json!([]));
    let script = created["id"].as_str().unwrap().to_string();
    let path = format!("/startup-scripts/{script}");

    // SkyPilot's lookup: a part of the name finds it.
    let found = ok(get(&emu, "/startup-scripts?name=sky-add-key").await);
    assert_eq!(pluck(&found, "/id"), [json!(script)]);
    let assigned = ok(send(
        &emu,
        Method::POST,
        &format!("{path}/assign"),
        json!({"machineId": id}),
    )
    .await);
    assert_eq!(assigned["assignedMachineIds"], json!([id]));
    assert_eq!(emu.show(&id).await["scriptId"], script.as_str());
    let assign = format!("{path}/assign");
    let unknown = send(&emu, Method::POST, &assign, json!({"machineId": "psnope"})).await;
    assert_v1_error(&unknown, 404, "NOT_FOUND", "Not found");

    // Seen by the legacy API, text and all.
    let text = emu
        .get(&format!("/scripts/getScriptText?scriptId={script}"))
        .await;
    assert_eq!(text.body, json!("#!/bin/bash\necho hi\n"));
    let shown = emu
        .get(&format!("/scripts/getScript?scriptId={script}"))
        .await
        .body;
    assert_eq!(
        shown["machines"],
        json!([{"machineId": id, "dtLastRun": null}])
    );
    assert_eq!(shown["runOnce"], true);

    let updated = ok(send(
        &emu,
        Method::PUT,
        &path,
        json!({"name": "renamed", "script": "echo bye", "isEnabled": false}),
    )
    .await);
    assert_eq!(updated["name"], "renamed");
    assert_eq!(updated["isEnabled"], false);
    let text = emu
        .get(&format!("/scripts/getScriptText?scriptId={script}"))
        .await;
    assert_eq!(text.body, json!("echo bye"));
    let too_long = "x".repeat(16 * 1024 + 1);
    assert_refused(
        &send(&emu, Method::PUT, &path, json!({"script": too_long})).await,
        "Script text is limited to 16KB (16385 bytes given)",
        json!({"script": "Must be at most 16KB"}),
    );

    let unassigned = ok(send(
        &emu,
        Method::POST,
        &format!("{path}/unassign"),
        json!({"machineId": id}),
    )
    .await);
    assert_eq!(unassigned["assignedMachineIds"], json!([]));
    assert_eq!(emu.show(&id).await["scriptId"], Value::Null);
    ok(send(
        &emu,
        Method::POST,
        &format!("{path}/unassign"),
        json!({"machineId": id}),
    )
    .await);

    // A machine made with it runs it; deleting the script takes it from the machine.
    let mut body = create_body("scripted");
    body["startupScriptId"] = json!(script);
    let scripted = id_of(&ok(
        send(&emu, Method::POST, "/machines", body.clone()).await
    ));
    assert_eq!(emu.show(&scripted).await["scriptId"], script.as_str());
    let deleted = ok(bare(&emu, Method::DELETE, &path).await);
    assert_eq!(deleted["assignedMachineIds"], json!([scripted]));
    assert!(deleted["dtDeleted"].is_string());
    assert_eq!(get(&emu, &path).await.status, 404);
    assert_eq!(emu.show(&scripted).await["scriptId"], Value::Null);
    assert_refused(
        &send(&emu, Method::POST, "/machines", body).await,
        "Startup script not found",
        json!({"startupScriptId": "Startup script not found"}),
    );
}

#[tokio::test]
async fn private_networks_hold_machines_and_go_when_empty() {
    let emu = start().await;
    let on_default = id_of(&create(&emu, "default", json!({"region": "ams1"})).await);
    let machine = ok(get(&emu, &format!("/machines/{on_default}")).await);
    assert_eq!(machine["networkId"], "nemul8r2");
    assert!(machine["privateIp"].as_str().unwrap().starts_with("10.66."));

    let lan = ok(send(
        &emu,
        Method::POST,
        "/private-networks",
        json!({"name": "lan", "region": "ams1", "migrateMachines": true}),
    )
    .await);
    assert_keys(
        &lan,
        &["id", "name", "region", "network", "netmask", "dtCreated"],
    );
    assert_eq!(lan["network"], "10.128.0.0");
    assert_eq!(lan["netmask"], "255.255.255.0");
    let lan_id = lan["id"].as_str().unwrap().to_string();
    let moved = ok(get(&emu, &format!("/machines/{on_default}")).await);
    assert_eq!(moved["networkId"], lan_id.as_str());
    assert!(
        moved["privateIp"]
            .as_str()
            .unwrap()
            .starts_with("10.128.0.")
    );

    let other = ok(send(
        &emu,
        Method::POST,
        "/private-networks",
        json!({"name": "backup lan", "region": "ny2"}),
    )
    .await);
    assert_eq!(other["network"], "10.128.1.0");
    let listed = ok(get(&emu, "/private-networks?region=ams1").await);
    assert_eq!(pluck(&listed, "/id"), [json!(lan_id)]);
    let named = ok(get(&emu, "/private-networks?name=LAN&orderBy=name&order=asc").await);
    assert_eq!(pluck(&named, "/name"), ["backup lan", "lan"]);

    // A machine made on it has an address of it; another region's network is refused.
    let mut body = create_body("joined");
    body["networkId"] = json!(lan_id);
    body["region"] = json!("ams1");
    let joined = ok(send(&emu, Method::POST, "/machines", body.clone()).await);
    assert!(
        joined["data"]["privateIp"]
            .as_str()
            .unwrap()
            .starts_with("10.128.0.")
    );
    body["region"] = json!("ny2");
    assert_refused(
        &send(&emu, Method::POST, "/machines", body).await,
        &format!("Network {lan_id} is in ams1, not ny2"),
        json!({"networkId": "The network is in another region"}),
    );
    let mut body = create_body("nowhere");
    body["networkId"] = json!("nnope");
    assert_refused(
        &send(&emu, Method::POST, "/machines", body).await,
        "Network not found",
        json!({"networkId": "Network not found"}),
    );

    // The legacy list shows the default networks and the private ones.
    let legacy = legacy_list(&emu, "/networks/getNetworks").await;
    let ids: Vec<&str> = legacy.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(ids[..3], ["nemul8r0", "nemul8r1", "nemul8r2"]);
    assert_eq!(legacy.len(), 5);
    let filtered = legacy_list(
        &emu,
        "/networks/getNetworks?netmask=255.255.255.0&region=Europe%20(AMS1)",
    )
    .await;
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0]["id"], lan_id.as_str());
    assert_eq!(filtered[0]["teamId"], "temul8r0");

    let path = format!("/private-networks/{lan_id}");
    let renamed = ok(send(&emu, Method::PUT, &path, json!({"name": "lan 2"})).await);
    assert_eq!(renamed["name"], "lan 2");
    let refused = bare(&emu, Method::DELETE, &path).await;
    assert_refused(
        &refused,
        &format!("Private network {lan_id} still has 2 machine(s) on it"),
        Value::Null,
    );
    for id in [on_default, id_of(&joined)] {
        ok(bare(&emu, Method::DELETE, format!("/machines/{id}")).await);
    }
    assert_eq!(
        ok(bare(&emu, Method::DELETE, &path).await),
        json!({ "id": lan_id })
    );
    let gone = get(&emu, &path).await;
    assert_eq!((gone.status.as_u16(), gone.body), (200, Value::Null));
    assert_eq!(
        send(&emu, Method::PUT, &path, json!({"name": "x"}))
            .await
            .status,
        404
    );
    assert_eq!(bare(&emu, Method::DELETE, &path).await.status, 404);
}

#[tokio::test]
async fn the_team_is_the_account_user_and_the_users_machines_name() {
    let emu = start().await;
    let id = id_of(&create(&emu, "shared", json!({"accessorIds": ["ua"]})).await);
    ok(send(
        &emu,
        Method::POST,
        &format!("/machines/{id}/accessors"),
        json!({"userId": "ub"}),
    )
    .await);
    let page = ok(get(&emu, "/teams/temul8r0/users?order=asc").await);
    assert_eq!(pluck(&page, "/user/id"), ["uemul8r0", "ua", "ub"]);
    assert_eq!(
        page["items"][0],
        json!({
            "isAdmin": true,
            "isOwner": true,
            "dtConfirmed": "2024-01-01T00:00:00.000Z",
            "user": {
                "id": "uemul8r0",
                "email": "uemul8r0@users.emulator.invalid",
                "firstName": "Emulator",
                "lastName": "User",
                "publicProfileImageUrl": null,
                "lastActive": null,
            },
        })
    );
    assert_eq!(page["items"][1]["isOwner"], false);
    let members = ok(get(&emu, "/teams/temul8r0/users?role=member").await);
    assert_eq!(pluck(&members, "/user/id"), ["ub", "ua"]);
    let owners = ok(get(&emu, "/teams/temul8r0/users?role=owner").await);
    assert_eq!(pluck(&owners, "/user/id"), ["uemul8r0"]);
    assert_eq!(get(&emu, "/teams/tother/users").await.status, 404);
    assert_eq!(
        get(&emu, "/teams/emulator/users").await.status,
        404,
        "the id, not the namespace"
    );

    let legacy = legacy_list(&emu, "/users/getUsers").await;
    assert_eq!(legacy.len(), 3);
    assert_eq!(
        legacy[0],
        json!({
            "id": "uemul8r0",
            "email": "uemul8r0@users.emulator.invalid",
            "firstname": "Emulator",
            "lastname": "User",
            "dtCreated": "2024-01-01T00:00:00.000Z",
            "teamId": "temul8r0",
        })
    );
    let ub = legacy_list(&emu, "/users/getUsers?email=ub@users.emulator.invalid").await;
    assert_eq!(ub[0]["id"], "ub");
    assert_eq!(ub[0]["firstname"], Value::Null);
    assert!(
        legacy_list(&emu, "/users/getUsers?firstname=Jon")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn shared_drives_live_on_private_networks() {
    let emu = start().await;
    let lan = ok(send(
        &emu,
        Method::POST,
        "/private-networks",
        json!({"name": "lan", "region": "ca1"}),
    )
    .await);
    let lan_id = lan["id"].as_str().unwrap().to_string();
    let create = |body: Value| send(&emu, Method::POST, "/shared-drives", body);
    let made = ok(create(
        json!({"name": "data", "size": 500, "region": "ca1", "networkId": lan_id}),
    )
    .await);
    assert_keys(
        &made,
        &[
            "id",
            "name",
            "dtCreated",
            "size",
            "mountPoint",
            "username",
            "password",
            "networkId",
            "region",
        ],
    );
    let id = made["id"].as_str().unwrap().to_string();
    assert_eq!(made["size"], 500);
    assert_eq!(made["region"], "ca1");
    assert_eq!(made["mountPoint"], format!("//10.128.0.254/{id}"));
    assert_eq!(made["username"], format!("{id}-user"));
    assert_eq!(made["password"].as_str().unwrap().len(), 32);

    assert_refused(
        &create(json!({"name": "x", "size": 50, "region": "ca1", "networkId": "nnope"})).await,
        "Network not found",
        json!({"networkId": "Network not found"}),
    );
    assert_refused(
        &create(json!({"name": "x", "size": 50, "region": "ny2", "networkId": lan_id})).await,
        &format!("Network {lan_id} is in ca1, not ny2"),
        json!({"networkId": "The network is in another region"}),
    );
    assert_refused(
        &create(json!({"name": "x", "size": 50, "region": "ca1", "networkId": "nemul8r1"})).await,
        "Shared drives need a private network; nemul8r1 is a default network",
        json!({"networkId": "Not a private network"}),
    );
    assert_invalid(
        &create(json!({"name": "x", "size": "big", "region": "ca1"})).await,
        json!({"size": "Expected number, received string", "networkId": "Required"}),
    );

    ok(create(
        json!({"name": "backups", "size": 50, "region": "West Coast (CA1)", "networkId": lan_id}),
    )
    .await);
    let listed = ok(get(&emu, "/shared-drives?region=ca1&orderBy=name&order=asc").await);
    assert_eq!(pluck(&listed, "/name"), ["backups", "data"]);
    assert!(
        ok(get(&emu, "/shared-drives?region=ny2").await)["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let named = ok(get(&emu, "/shared-drives?name=DAT").await);
    assert_eq!(pluck(&named, "/id"), [json!(id)]);
    let path = format!("/shared-drives/{id}");
    assert_eq!(ok(get(&emu, &path).await), made);
    assert_eq!(
        ok(send(&emu, Method::PUT, &path, json!({"name": "renamed"})).await)["name"],
        "renamed"
    );

    let network = format!("/private-networks/{lan_id}");
    assert_refused(
        &bare(&emu, Method::DELETE, &network).await,
        &format!("Private network {lan_id} still has 2 shared drive(s) on it"),
        Value::Null,
    );
    assert_eq!(
        ok(bare(&emu, Method::DELETE, &path).await),
        json!({ "id": id })
    );
    assert_eq!(get(&emu, &path).await.status, 404);
    assert_eq!(bare(&emu, Method::DELETE, &path).await.status, 404);
}
