//! The account on v1: its session, the machine types it may buy where (and their
//! availability), and its public IPs.

use super::*;

#[tokio::test]
async fn the_session_is_the_accounts_and_null_for_a_stranger() {
    let emu = start_with(paperspace::emulator::Config {
        api_keys: vec![KEY.into()],
        ..paperspace::emulator::Config::ephemeral(50)
    })
    .await;
    let session = ok(get(&emu, "/auth/session").await);
    assert_keys(&session, &["user", "team"]);
    assert_eq!(
        session["team"],
        json!({
            "namespace": "emulator",
            "isPrivate": true,
            "maxMachines": 100,
            "id": "temul8r0",
            "analyticsId": 2001,
        })
    );
    let user = &session["user"];
    assert_keys(
        user,
        &[
            "firstName",
            "lastName",
            "email",
            "dtCreated",
            "dtConfirmed",
            "teamMemberships",
            "isPhoneVerified",
            "isPasswordAuthEnabled",
            "isQrCodeBasedMfaEnabled",
            "isQrCodeBasedMfaConfirmed",
            "preferences",
            "id",
            "analyticsId",
            "metadata",
        ],
    );
    assert_eq!(user["id"], "uemul8r0");
    assert_eq!(user["email"], "uemul8r0@users.emulator.invalid");
    let membership = &user["teamMemberships"][0];
    assert_eq!(membership["team"]["id"], "temul8r0");
    assert_eq!(membership["team"]["name"], "Emulator team");
    assert_eq!(membership["team"]["namespace"], "emulator");
    assert_eq!(membership["isOwner"], true);
    assert_eq!(membership["isAdmin"], true);

    // Unknown, empty or absent key: 200 with JSON null (never a 401 here).
    for key in [Some("wrong"), Some(""), None] {
        let reply = v1(&emu, Method::GET, "/auth/session", key, None).await;
        assert_eq!(reply.status, 200, "{key:?}");
        assert_eq!(reply.body, Value::Null, "{key:?}");
        assert!(reply.content_type.unwrap().starts_with("application/json"));
    }
    // Every other route still needs the key.
    let reply = v1(&emu, Method::GET, "/machines", Some("wrong"), None).await;
    assert_eq!(reply.status, 401);
}

#[tokio::test]
async fn machine_types_sold_since_2017_are_sold_where_they_are_sold() {
    let emu = start().await;
    let made = create(
        &emu,
        "big",
        json!({"machineType": "A100-80Gx8", "diskSize": 1000}),
    )
    .await;
    let m = &made["data"];
    assert_eq!(m["machineType"], "A100-80Gx8");
    assert_eq!(m["cpus"], 96);
    assert_eq!(m["ram"], 640u64 * 1024 * 1024 * 1024);
    assert_eq!(
        m["accelerators"],
        json!([{"name": "NVIDIA A100-80GB", "memory": 80u64 << 30, "count": 8}])
    );
    assert_eq!(m["usageRate"], 25.44);
    let h100 = create(&emu, "h", json!({"machineType": "h100"})).await;
    assert_eq!(h100["data"]["machineType"], "H100");
    assert_eq!(h100["data"]["accelerators"][0]["count"], 1);

    // Not sold in Amsterdam: refused, naming the field; nothing made.
    let mut body = create_body("nope");
    body["machineType"] = json!("H100");
    body["region"] = json!("ams1");
    let refused = send(&emu, Method::POST, "/machines", body).await;
    assert_refused(
        &refused,
        "Machine type H100 is not sold in Europe (AMS1)",
        json!({"machineType": "Not sold in ams1"}),
    );
    let listed = ok(get(&emu, "/machines").await);
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);

    for (query, available) in [
        ("region=ny2&machineType=H100x8", true),
        ("region=ams1&machineType=H100x8", false),
        ("region=ca1&machineType=A6000", true),
        ("region=ams1&machineType=A6000", false),
        ("region=ams1&machineType=RTX4000", true),
        ("region=ca1&machineType=RTX5000", false),
        ("region=ams1&machineType=C4", true),
    ] {
        let reply = ok(get(&emu, &format!("/machine-availability?{query}")).await);
        assert_eq!(reply, json!({ "available": available }), "{query}");
    }

    // The legacy API sells them too, by their exact names.
    let legacy = emu
        .post(
            "/machines/createSingleMachinePublic",
            json!({"region": "West Coast (CA1)", "machineType": "A5000", "size": 100,
                   "billingType": "hourly", "machineName": "legacy a5000", "templateId": "tkni3aa4"}),
        )
        .await;
    assert_eq!(legacy.status, 200, "{legacy:?}");
    assert_eq!(legacy.body["gpu"], "NVIDIA RTX A5000");
    assert_eq!(legacy.body["usageRate"], "A5000 hourly");
}

async fn ips(emu: &Emu, query: &str) -> Vec<Value> {
    let page = ok(get(emu, &format!("/public-ips{query}")).await);
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn public_ips_are_the_accounts_claimed_assigned_and_released() {
    let emu = start().await;
    let claimed = ok(send(&emu, Method::POST, "/public-ips", json!({"region": "ny2"})).await);
    assert_keys(&claimed, &["ip", "region", "dtCreated"]);
    let ip = claimed["ip"].as_str().unwrap().to_string();
    assert!(ip.starts_with("172.83."), "{ip}");
    assert_eq!(claimed["region"], "ny2");
    let other = ok(send(&emu, Method::POST, "/public-ips", json!({"region": "ams1"})).await);
    assert_ne!(other["ip"], claimed["ip"]);

    assert_eq!(ips(&emu, "").await.len(), 2);
    let in_ny2 = ips(&emu, "?region=ny2").await;
    assert_eq!(in_ny2, std::slice::from_ref(&claimed));
    let page = ok(get(&emu, "/public-ips?limit=1&order=asc").await);
    assert_eq!(page["items"][0]["ip"], ip.as_str());
    assert_eq!(page["hasMore"], true);

    // Assign: the machine's publicIp and publicIpType follow.
    let id = id_of(&create(&emu, "holder", json!({})).await);
    let path = format!("/public-ips/{ip}");
    let assigned = ok(send(&emu, Method::PUT, &path, json!({"machineId": id})).await);
    assert_eq!(assigned["assignedMachineId"], id.as_str());
    let machine = ok(get(&emu, &format!("/machines/{id}")).await);
    assert_eq!(machine["publicIp"], ip.as_str());
    assert_eq!(machine["publicIpType"], "static");
    assert_eq!(emu.show(&id).await["publicIpAddress"], ip.as_str());

    // Another region's address cannot go to it; an unknown machine or address is 404.
    let elsewhere = format!("/public-ips/{}", other["ip"].as_str().unwrap());
    let refused = send(&emu, Method::PUT, &elsewhere, json!({"machineId": id})).await;
    assert_refused(
        &refused,
        "The machine is in ny2, the public IP in ams1",
        json!({"machineId": "The machine is in another region than the public IP"}),
    );
    let unknown = send(&emu, Method::PUT, &path, json!({"machineId": "psnope"})).await;
    assert_v1_error(&unknown, 404, "NOT_FOUND", "Not found");
    let unknown = send(
        &emu,
        Method::PUT,
        "/public-ips/1.2.3.4",
        json!({"machineId": null}),
    )
    .await;
    assert_v1_error(&unknown, 404, "NOT_FOUND", "Public IP not found");
    assert_invalid(
        &send(&emu, Method::PUT, &path, json!({})).await,
        json!({"machineId": "Required"}),
    );
    assert_eq!(
        ok(get(&emu, &format!("/machines/{id}")).await)["publicIp"],
        ip.as_str()
    );

    // Unassign: the address stays the account's.
    let unassigned = ok(send(&emu, Method::PUT, &path, json!({"machineId": null})).await);
    assert_keys(&unassigned, &["ip", "region", "dtCreated"]);
    let machine = ok(get(&emu, &format!("/machines/{id}")).await);
    assert_eq!(machine["publicIp"], Value::Null);
    assert_eq!(machine["publicIpType"], "none");
    assert_eq!(ips(&emu, "").await.len(), 2);

    // Release: gone from the account, and from the machine holding it.
    ok(send(&emu, Method::PUT, &path, json!({"machineId": id})).await);
    let released = ok(bare(&emu, Method::DELETE, &path).await);
    assert_eq!(released, json!({ "ip": ip }));
    assert_eq!(
        ok(get(&emu, &format!("/machines/{id}")).await)["publicIpType"],
        "none"
    );
    assert_eq!(ips(&emu, "").await.len(), 1);
    assert_eq!(bare(&emu, Method::DELETE, &path).await.status, 404);
    assert_eq!(
        bare(&emu, Method::GET, &path).await.status,
        405,
        "no GET /public-ips/{{ip}}"
    );
}

#[tokio::test]
async fn static_addresses_outlive_their_machine_unless_released() {
    let emu = start().await;
    // v1: a machine made static keeps its address in the account after its DELETE.
    let made = create(&emu, "static", json!({"publicIpType": "static"})).await;
    let id = id_of(&made);
    let ip = made["data"]["publicIp"].as_str().unwrap().to_string();
    let listed = ips(&emu, "").await;
    assert_eq!(listed[0]["ip"], ip.as_str());
    assert_eq!(listed[0]["assignedMachineId"], id.as_str());
    ok(bare(&emu, Method::DELETE, &format!("/machines/{id}")).await);
    let listed = ips(&emu, "").await;
    assert_eq!(listed.len(), 1);
    assert_keys(&listed[0], &["ip", "region", "dtCreated"]);

    // Switching away from static through v1 keeps the address too.
    let made = create(&emu, "switch", json!({"publicIpType": "static"})).await;
    let id = id_of(&made);
    let path = format!("/machines/{id}");
    ok(send(&emu, Method::PUT, &path, json!({"publicIpType": "dynamic"})).await);
    assert_eq!(ips(&emu, "").await.len(), 2);

    // Legacy: destroy keeps it unless releasePublicIp is true; false switches keep it.
    let kept = emu.create(json!({"assignPublicIp": true})).await;
    let kept_ip = emu.show(&kept).await["publicIpAddress"].clone();
    for off in [
        json!({"assignPublicIp": false}),
        json!({"dynamicPublicIp": false}),
    ] {
        let reply = emu
            .post(&format!("/machines/{kept}/updateMachinePublic"), off)
            .await;
        assert_eq!(reply.status, 200);
        assert_eq!(emu.show(&kept).await["publicIpAddress"], kept_ip);
    }
    emu.post(&format!("/machines/{kept}/destroyMachine"), json!({}))
        .await;
    assert!(ips(&emu, "").await.iter().any(|i| i["ip"] == kept_ip));

    let released = emu.create(json!({"assignPublicIp": true})).await;
    let released_ip = emu.show(&released).await["publicIpAddress"].clone();
    emu.post(
        &format!("/machines/{released}/destroyMachine"),
        json!({"releasePublicIp": true}),
    )
    .await;
    let listed = ips(&emu, "").await;
    assert!(!listed.iter().any(|i| i["ip"] == released_ip));
    assert_eq!(listed.len(), 3);
}

async fn available(emu: &Emu, query: &str) -> Value {
    ok(get(emu, &format!("/machine-availability?{query}")).await)
}

#[tokio::test]
async fn availability_follows_the_legacy_table_and_overrides() {
    let emu = start().await;
    assert_eq!(
        available(&emu, "region=ny2&machineType=V100").await,
        json!({"available": true})
    );
    assert_eq!(
        available(&emu, "region=ams1&machineType=V100").await,
        json!({"available": false})
    );
    emu.post(
        "/__emulator/availability",
        json!({"region": "ams1", "machineType": "V100", "available": true}),
    )
    .await;
    assert_eq!(
        available(&emu, "region=ams1&machineType=V100").await,
        json!({"available": true})
    );
    let legacy = emu
        .get("/machines/getAvailability?region=Europe%20(AMS1)&machineType=V100")
        .await;
    assert_eq!(legacy.body["available"], true);

    let missing = get(&emu, "/machine-availability?machineType=V100").await;
    assert_invalid(&missing, json!({"region": "Required"}));
    let bad = get(&emu, "/machine-availability?region=mars&machineType=V100").await;
    assert_refused(
        &bad,
        "Invalid region 'mars'",
        json!({"region": "Region must be one of ny2, ca1, ams1"}),
    );
    let bad = get(&emu, "/machine-availability?region=ny2&machineType=Z9").await;
    assert_refused(
        &bad,
        "Invalid machine type 'Z9'",
        json!({"machineType": "No machine type is named 'Z9'"}),
    );
}
