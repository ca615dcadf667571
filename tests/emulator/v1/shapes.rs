//! Every v1 route once, each answer checked against the document's schema of it.

use super::*;

#[tokio::test]
async fn every_answer_fits_the_document() {
    let emu = start().await;
    valid(get(&emu, "/auth/session").await, "get", "/auth/session");

    // Machines and their actions.
    let mut body = create_body("shapes");
    body["machineType"] = json!("A4000x2");
    body["publicIpType"] = json!("static");
    body["accessorIds"] = json!(["u1"]);
    let created = valid(
        send(&emu, Method::POST, "/machines", body).await,
        "post",
        "/machines",
    );
    let id = id_of(&created);
    let machine = format!("/machines/{id}");
    valid(get(&emu, "/machines").await, "get", "/machines");
    valid(get(&emu, &machine).await, "get", "/machines/{id}");
    wait_for_v1(&emu, &id, "ready").await;
    let updated = send(&emu, Method::PUT, &machine, json!({"name": "renamed"})).await;
    valid(updated, "put", "/machines/{id}");
    for action in ["restart", "stop"] {
        let path = format!("{machine}/{action}");
        let answer = bare(&emu, Method::PATCH, &path).await;
        valid(answer, "patch", &format!("/machines/{{id}}/{action}"));
        wait_for_v1(&emu, &id, if action == "stop" { "off" } else { "ready" }).await;
    }
    let started = bare(&emu, Method::PATCH, format!("{machine}/start")).await;
    let event_id = valid(started, "patch", "/machines/{id}/start")["event"]["id"].clone();
    let accessors = format!("{machine}/accessors");
    let added = send(&emu, Method::POST, &accessors, json!({"userId": "u2"})).await;
    valid(added, "post", "/machines/{id}/accessors");
    valid(
        get(&emu, &accessors).await,
        "get",
        "/machines/{id}/accessors",
    );
    let one = format!("{accessors}/u2");
    valid(
        get(&emu, &one).await,
        "get",
        "/machines/{id}/accessors/{userId}",
    );
    valid(
        bare(&emu, Method::DELETE, &one).await,
        "delete",
        "/machines/{id}/accessors/{userId}",
    );
    valid(get(&emu, "/machine-events").await, "get", "/machine-events");
    let event = get(
        &emu,
        &format!("/machine-events/{}", event_id.as_str().unwrap()),
    )
    .await;
    valid(event, "get", "/machine-events/{id}");
    let availability = get(&emu, "/machine-availability?region=ny2&machineType=H100").await;
    valid(availability, "get", "/machine-availability");

    // Public IPs.
    let claimed = send(&emu, Method::POST, "/public-ips", json!({"region": "ny2"})).await;
    let ip = valid(claimed, "post", "/public-ips")["ip"].clone();
    valid(get(&emu, "/public-ips").await, "get", "/public-ips");
    let ip_path = format!("/public-ips/{}", ip.as_str().unwrap());
    let assigned = send(&emu, Method::PUT, &ip_path, json!({"machineId": id})).await;
    valid(assigned, "put", "/public-ips/{ip}");
    valid(
        bare(&emu, Method::DELETE, &ip_path).await,
        "delete",
        "/public-ips/{ip}",
    );

    // The team, the catalogue, the account's templates, scripts and networks.
    let users = get(&emu, "/teams/temul8r0/users").await;
    valid(users, "get", "/teams/{teamId}/users");
    valid(get(&emu, "/os-templates").await, "get", "/os-templates");
    ok(bare(&emu, Method::PATCH, format!("{machine}/stop")).await);
    wait_for_v1(&emu, &id, "off").await;
    let made = send(
        &emu,
        Method::POST,
        "/custom-templates",
        json!({"name": "golden", "machineId": id}),
    )
    .await;
    let template = valid(made, "post", "/custom-templates")["data"]["id"].clone();
    let template_path = format!("/custom-templates/{}", template.as_str().unwrap());
    valid(
        get(&emu, "/custom-templates").await,
        "get",
        "/custom-templates",
    );
    valid(
        get(&emu, &template_path).await,
        "get",
        "/custom-templates/{id}",
    );
    let renamed = send(&emu, Method::PUT, &template_path, json!({"name": "gold"})).await;
    valid(renamed, "put", "/custom-templates/{id}");
    let deleted = bare(&emu, Method::DELETE, &template_path).await;
    valid(deleted, "delete", "/custom-templates/{id}");

    let script = send(
        &emu,
        Method::POST,
        "/startup-scripts",
        json!({"name": "boot", "script": "echo hi"}),
    )
    .await;
    let script = valid(script, "post", "/startup-scripts")["id"].clone();
    let script_path = format!("/startup-scripts/{}", script.as_str().unwrap());
    valid(
        get(&emu, "/startup-scripts").await,
        "get",
        "/startup-scripts",
    );
    valid(
        get(&emu, &script_path).await,
        "get",
        "/startup-scripts/{id}",
    );
    let changed = send(&emu, Method::PUT, &script_path, json!({"isEnabled": false})).await;
    valid(changed, "put", "/startup-scripts/{id}");
    for verb in ["assign", "unassign"] {
        let path = format!("{script_path}/{verb}");
        let answer = send(&emu, Method::POST, &path, json!({"machineId": id})).await;
        valid(answer, "post", &format!("/startup-scripts/{{id}}/{verb}"));
    }
    let deleted = bare(&emu, Method::DELETE, &script_path).await;
    valid(deleted, "delete", "/startup-scripts/{id}");

    let network = send(
        &emu,
        Method::POST,
        "/private-networks",
        json!({"name": "lan", "region": "ny2"}),
    )
    .await;
    let network = valid(network, "post", "/private-networks")["id"].clone();
    let network_path = format!("/private-networks/{}", network.as_str().unwrap());
    valid(
        get(&emu, "/private-networks").await,
        "get",
        "/private-networks",
    );
    valid(
        get(&emu, &network_path).await,
        "get",
        "/private-networks/{id}",
    );
    let renamed = send(&emu, Method::PUT, &network_path, json!({"name": "wan"})).await;
    valid(renamed, "put", "/private-networks/{id}");
    let deleted = bare(&emu, Method::DELETE, &network_path).await;
    valid(deleted, "delete", "/private-networks/{id}");
    valid(
        get(&emu, &network_path).await,
        "get",
        "/private-networks/{id}",
    );

    // Snapshots, shared drives, desktops, resizes (the machine is off).
    let taken = send(
        &emu,
        Method::POST,
        "/snapshots",
        json!({"name": "s", "machineId": id}),
    )
    .await;
    let snapshot = valid(taken, "post", "/snapshots")["data"]["id"].clone();
    let snapshot_path = format!("/snapshots/{}", snapshot.as_str().unwrap());
    valid(get(&emu, "/snapshots").await, "get", "/snapshots");
    valid(get(&emu, &snapshot_path).await, "get", "/snapshots/{id}");
    let renamed = send(&emu, Method::PUT, &snapshot_path, json!({"name": "t"})).await;
    valid(renamed, "put", "/snapshots/{id}");
    let restore = format!("{snapshot_path}/restore");
    let restored = send(&emu, Method::POST, &restore, json!({})).await;
    valid(restored, "post", "/snapshots/{id}/restore");
    let deleted = bare(&emu, Method::DELETE, &snapshot_path).await;
    valid(deleted, "delete", "/snapshots/{id}");
    wait_for_v1(&emu, &id, "off").await;
    let resized = send(
        &emu,
        Method::PUT,
        &machine,
        json!({"machineType": "A4000x4"}),
    )
    .await;
    valid(resized, "put", "/machines/{id}");
    let desktop = get(&emu, &format!("{machine}/desktop")).await;
    assert_eq!(desktop.status, 404, "a headless machine");
    let mut windows = create_body("desktop");
    windows["templateId"] = json!("twin2019");
    windows["machineType"] = json!("P4000");
    windows["publicIpType"] = json!("static");
    let windows = id_of(&ok(send(&emu, Method::POST, "/machines", windows).await));
    let desktop = get(&emu, &format!("/machines/{windows}/desktop")).await;
    valid(desktop, "get", "/machines/{id}/desktop");

    let lan = json!({"name": "lan", "region": "ny2"});
    let lan = ok(send(&emu, Method::POST, "/private-networks", lan).await)["id"].clone();
    let drive = json!({"name": "d", "size": 50, "region": "ny2", "networkId": lan});
    let drive = send(&emu, Method::POST, "/shared-drives", drive).await;
    let drive = valid(drive, "post", "/shared-drives")["id"].clone();
    let drive_path = format!("/shared-drives/{}", drive.as_str().unwrap());
    valid(get(&emu, "/shared-drives").await, "get", "/shared-drives");
    valid(get(&emu, &drive_path).await, "get", "/shared-drives/{id}");
    let renamed = send(&emu, Method::PUT, &drive_path, json!({"name": "e"})).await;
    valid(renamed, "put", "/shared-drives/{id}");
    let deleted = bare(&emu, Method::DELETE, &drive_path).await;
    valid(deleted, "delete", "/shared-drives/{id}");

    wait_for_v1(&emu, &id, "off").await;
    let deleted = bare(&emu, Method::DELETE, &machine).await;
    valid(deleted, "delete", "/machines/{id}");
}
