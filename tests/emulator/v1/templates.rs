//! Templates on v1: the OS templates of the catalogue and the account's custom templates,
//! with state; both make machines on both APIs.

use super::*;

#[tokio::test]
async fn os_templates_are_the_catalogue_and_make_machines() {
    let emu = start().await;
    let page = ok(get(&emu, "/os-templates").await);
    let names = pluck(&page, "/name");
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.as_str().cmp(&a.as_str()));
    assert_eq!(names, sorted, "by name, descending by default");
    let ids = pluck(&page, "/id");
    for id in ["tkni3aa4", "t0nspur5", "tilqt47t", "tdesk204", "twin2019"] {
        assert!(ids.contains(&json!(id)), "{id}");
    }
    let ubuntu = ok(get(&emu, "/os-templates?name=ubuntu&order=asc").await);
    assert_eq!(
        pluck(&ubuntu, "/id"),
        ["tilqt47t", "tdesk204", "tkni3aa4", "t0nspur5"],
        "names containing ubuntu, ascending"
    );
    let windows = ok(get(&emu, "/os-templates?name=Windows").await);
    let labels: Vec<&str> = windows["items"][0]["availableMachineTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["machineTypeLabel"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Air") && labels.contains(&"A6000") && !labels.contains(&"C4"));

    let make = |template: &str, machine_type: &str| {
        let mut body = create_body("t");
        body["templateId"] = json!(template);
        body["machineType"] = json!(machine_type);
        send(&emu, Method::POST, "/machines", body)
    };
    let win = ok(make("twin2019", "P4000").await);
    assert_eq!(win["data"]["agentType"], "WindowsDesktop");
    assert_eq!(win["data"]["os"], "Windows Server 2019 Datacenter");
    let desk = ok(make("tdesk204", "A4000").await);
    assert_eq!(desk["data"]["agentType"], "LinuxDesktop");
    let server = ok(make("t0nspur5", "H100").await);
    assert_eq!(server["data"]["agentType"], "LinuxHeadless");
    assert!(
        server["data"]["os"]
            .as_str()
            .unwrap()
            .starts_with("Ubuntu 22.04")
    );
    assert_refused(
        &make("twin2019", "C4").await,
        "Template twin2019 does not run on machine type C4",
        json!({"machineType": "Template twin2019 does not run on this machine type"}),
    );
    assert_refused(
        &make("tilqt47t", "C5").await,
        "Template tilqt47t does not run on machine type C5",
        json!({"machineType": "Template tilqt47t does not run on this machine type"}),
    );
    // The legacy list shows the same catalogue as public templates.
    let legacy = legacy_list(
        &emu,
        "/templates/getTemplates?label=Windows%20Server%202019",
    )
    .await;
    assert_eq!(
        legacy,
        [json!({
            "id": "twin2019",
            "name": "paperspace/twin2019",
            "label": "Windows Server 2019",
            "os": "Windows Server 2019 Datacenter",
            "dtCreated": "2019-06-01T00:00:00.000Z",
        })]
    );
}

/// As the live service does, a create whose template neither the catalogue nor the account
/// knows is refused on both APIs, and makes nothing.
#[tokio::test]
async fn unknown_templates_are_refused_on_both_apis() {
    let emu = start().await;
    for template in ["tsomething", "tlinux", "twin10", " "] {
        let mut body = create_body("x");
        body["templateId"] = json!(template);
        let refused = send(&emu, Method::POST, "/machines", body).await;
        assert_refused(
            &refused,
            "Template not found",
            json!({"templateId": "Template not found"}),
        );
    }
    let legacy = emu
        .post(
            "/machines/createSingleMachinePublic",
            json!({"region": "East Coast (NY2)", "machineType": "C4", "size": 50,
                   "billingType": "hourly", "machineName": "x", "templateId": "tnope"}),
        )
        .await;
    assert_error(&legacy, 400, "Template not found");
    assert_eq!(emu.get("/machines/getMachines").await.body, json!([]));
    emu.create(json!({})).await;
}

#[tokio::test]
async fn custom_templates_are_made_from_an_off_machine_and_make_machines_on_both_apis() {
    let emu = start().await;
    let mut body = create_body("parent");
    body["templateId"] = json!("twin2019");
    body["machineType"] = json!("A4000");
    body["diskSize"] = json!(100);
    let parent = id_of(&ok(send(&emu, Method::POST, "/machines", body).await));
    wait_for_v1(&emu, &parent, "ready").await;
    let make = |name: &str| {
        send(
            &emu,
            Method::POST,
            "/custom-templates",
            json!({"name": name, "machineId": parent}),
        )
    };
    assert_refused(
        &make("too soon").await,
        "The machine must be off to make a template of it (it is ready)",
        json!({"machineId": "The machine must be off"}),
    );
    ok(bare(&emu, Method::PATCH, format!("/machines/{parent}/stop")).await);
    wait_for_v1(&emu, &parent, "off").await;
    let made = ok(make("golden image").await);
    assert_eq!(made["event"]["name"], "template-create");
    assert_eq!(made["event"]["machineId"], parent.as_str());
    let template = made["data"].clone();
    let id = template["id"].as_str().unwrap().to_string();
    assert_eq!(template["parentMachineId"], parent.as_str());
    assert_eq!(template["agentType"], "WindowsDesktop");
    assert_eq!(template["operatingSystemLabel"], "Windows Server 2019");
    assert_eq!(template["region"], "ny2");
    assert_eq!(template["defaultSizeGb"], 100);
    assert_eq!(
        ok(get(&emu, &format!("/machines/{parent}")).await)["state"],
        "off"
    );
    let events = ok(get(&emu, &format!("/machine-events?machineId={parent}")).await);
    assert_eq!(pluck(&events, "/name")[0], "template-create");

    let listed = ok(get(&emu, &format!("/custom-templates?machineId={parent}")).await);
    assert_eq!(pluck(&listed, "/id"), [json!(id)]);
    let named = ok(get(&emu, "/custom-templates?name=GOLDEN").await);
    assert_eq!(named["items"].as_array().unwrap().len(), 1);
    let path = format!("/custom-templates/{id}");
    assert_eq!(ok(get(&emu, &path).await), template);
    assert_invalid(
        &send(&emu, Method::PUT, &path, json!({})).await,
        json!({"name": "Required"}),
    );
    assert_eq!(
        ok(send(&emu, Method::PUT, &path, json!({"name": "gold"})).await)["name"],
        "gold"
    );

    // It makes machines on both APIs, in its region and no smaller than its disk.
    let mut child = create_body("child");
    child["templateId"] = json!(id);
    child["machineType"] = json!("P4000");
    child["diskSize"] = json!(100);
    let made = ok(send(&emu, Method::POST, "/machines", child.clone()).await);
    assert_eq!(made["data"]["os"], "Windows Server 2019 Datacenter");
    child["diskSize"] = json!(50);
    assert_refused(
        &send(&emu, Method::POST, "/machines", child.clone()).await,
        &format!("Template {id} needs a disk of at least 100 GB"),
        json!({"diskSize": "Must be at least 100 GB"}),
    );
    child["diskSize"] = json!(100);
    child["region"] = json!("ca1");
    assert_refused(
        &send(&emu, Method::POST, "/machines", child).await,
        &format!("Template {id} is in ny2, not ca1"),
        json!({"templateId": "The template is in another region"}),
    );
    let legacy_child = emu
        .create(json!({"templateId": id, "machineType": "P4000", "size": 100}))
        .await;
    assert_eq!(
        emu.show(&legacy_child).await["os"],
        "Windows Server 2019 Datacenter"
    );
    let legacy = legacy_list(&emu, "/templates/getTemplates?teamId=temul8r0").await;
    assert_eq!(
        legacy,
        [json!({
            "id": id,
            "name": id,
            "label": "gold",
            "os": "Windows Server 2019 Datacenter",
            "teamId": "temul8r0",
            "userId": null,
            "region": "East Coast (NY2)",
            "dtCreated": template["dtCreated"],
        })]
    );

    let deleted = ok(bare(&emu, Method::DELETE, &path).await);
    assert!(deleted["dtDeleted"].is_string());
    assert_eq!(get(&emu, &path).await.status, 404);
    assert_eq!(bare(&emu, Method::DELETE, &path).await.status, 404);
    assert!(
        legacy_list(&emu, &format!("/templates/getTemplates?id={id}"))
            .await
            .is_empty()
    );
    // Its machines live on, but it makes no more.
    assert_eq!(
        emu.show(&legacy_child).await["os"],
        "Windows Server 2019 Datacenter"
    );
    let mut orphan = create_body("orphan");
    orphan["templateId"] = json!(id);
    orphan["machineType"] = json!("P4000");
    orphan["diskSize"] = json!(100);
    assert_refused(
        &send(&emu, Method::POST, "/machines", orphan).await,
        "Template not found",
        json!({"templateId": "Template not found"}),
    );
}
