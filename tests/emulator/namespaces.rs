//! The legacy API's other namespaces over HTTP: `templates/getTemplates`,
//! `networks/getNetworks`, `users/getUsers` and the `scripts` routes (JSON and multipart
//! creates), with state, filters, the legacy error shape and its 401 rules.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

fn array(reply: &Reply) -> Vec<Value> {
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.body.as_array().unwrap().clone()
}

const BOUNDARY: &str = "--------------------------06dd5c9c16dc8aad89ca0a07";

/// `scripts create --scriptFile` as the legacy CLI sends it: the parameters in the query, the
/// file in part `file`.
async fn upload(emu: &Emu, query: &str, filename: &str, content: &str) -> Reply {
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: application/x-sh\r\n\r\n{content}\r\n--{BOUNDARY}--\r\n"
    );
    let request = emu
        .client
        .post(format!("{}/scripts/createScript?{query}", emu.base))
        .header("x-api-key", KEY)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body);
    send_request(request, None).await
}

#[tokio::test]
async fn scripts_are_created_listed_shown_read_and_destroyed() {
    let emu = start().await;
    let machine = emu.create(json!({})).await;
    let created = emu
        .post(
            "/scripts/createScript",
            json!({"scriptName": "My Script", "scriptDescription": "A startup script",
                   "scriptText": "services start nginx", "isEnabled": true, "runOnce": false,
                   "machineId": machine}),
        )
        .await;
    assert_eq!(created.status, 200, "{created:?}");
    let script = created.body["id"].as_str().unwrap().to_string();
    assert!(script.starts_with("sc"));
    let keys: Vec<&str> = created
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "ownerType",
            "ownerId",
            "name",
            "description",
            "dtCreated",
            "isEnabled",
            "runOnce"
        ]
    );
    assert_eq!(created.body["ownerType"], "user");
    assert_eq!(created.body["ownerId"], "uemul8r0");
    assert_eq!(emu.show(&machine).await["scriptId"], script.as_str());

    let uploaded = upload(
        &emu,
        "scriptName=From%20a%20file&isEnabled=false&runOnce=true",
        "my script.sh",
        "#!/bin/bash\r\necho \"hi ü\"\n",
    )
    .await;
    assert_eq!(uploaded.status, 200, "{uploaded:?}");
    assert_eq!(uploaded.body["description"], "original file: my script.sh");
    assert_eq!(uploaded.body["isEnabled"], false);
    assert_eq!(uploaded.body["runOnce"], true);
    let from_file = uploaded.body["id"].as_str().unwrap().to_string();
    let text = emu
        .get(&format!("/scripts/getScriptText?scriptId={from_file}"))
        .await;
    assert_eq!(text.body, json!("#!/bin/bash\r\necho \"hi ü\"\n"));

    let all = array(&emu.get("/scripts/getScripts").await);
    assert_eq!(all.len(), 2);
    let enabled = array(&emu.get("/scripts/getScripts?isEnabled=true").await);
    assert_eq!(enabled.len(), 1);
    assert_eq!(enabled[0]["id"], script.as_str());
    let named = array(
        &emu.get("/scripts/getScripts?name=From%20a%20file&runOnce=true")
            .await,
    );
    assert_eq!(named.len(), 1);
    assert!(array(&emu.get("/scripts/getScripts?ownerType=team").await).is_empty());

    let shown = emu
        .get(&format!("/scripts/getScript?scriptId={script}"))
        .await;
    assert_eq!(shown.status, 200);
    assert_eq!(
        shown.body["machines"],
        json!([{"machineId": machine, "dtLastRun": null}])
    );
    assert!(shown.body.get("text").is_none() && shown.body.get("scriptText").is_none());
    let text = emu
        .get(&format!("/scripts/getScriptText?scriptId={script}"))
        .await;
    assert_eq!(text.body, json!("services start nginx"));

    let destroyed = emu
        .post(
            &format!("/scripts/{script}/destroy"),
            json!({"scriptId": script}),
        )
        .await;
    assert_eq!(
        (destroyed.status.as_u16(), destroyed.body),
        (204, Value::Null)
    );
    for path in [
        format!("/scripts/getScript?scriptId={script}"),
        format!("/scripts/getScriptText?scriptId={script}"),
    ] {
        assert_error(&emu.get(&path).await, 404, "Not found");
    }
    let again = emu
        .post(&format!("/scripts/{script}/destroy"), json!({}))
        .await;
    assert_error(&again, 404, "Not found");
    assert_eq!(emu.show(&machine).await["scriptId"], Value::Null);
    assert_eq!(array(&emu.get("/scripts/getScripts").await).len(), 1);
}

#[tokio::test]
async fn script_creates_the_api_refuses() {
    let emu = start().await;
    let post = |body: Value| emu.post("/scripts/createScript", body);
    assert_error(
        &post(json!({"scriptText": "x"})).await,
        400,
        "Missing required parameter `scriptName`",
    );
    assert_error(
        &post(json!({"scriptName": 7, "scriptText": "x"})).await,
        400,
        "Parameter `scriptName` expected to be a string",
    );
    assert_error(
        &post(json!({"scriptName": "s"})).await,
        400,
        "Missing required parameter `scriptText`",
    );
    assert_error(
        &post(json!({"scriptName": "s", "scriptText": "x", "machineId": "psnope"})).await,
        404,
        "Not found",
    );
    assert_error(
        &post(json!({"scriptName": "s", "scriptText": "x".repeat(16 * 1024 + 1)})).await,
        400,
        "Script text is limited to 16KB",
    );
    let both = upload(&emu, "scriptName=s&scriptText=echo", "s.sh", "echo").await;
    assert_error(&both, 400, "Only one of scriptFile or scriptText allowed");
    let no_name = upload(&emu, "", "s.sh", "echo").await;
    assert_error(&no_name, 400, "Missing required parameter `scriptName`");
    assert!(array(&emu.get("/scripts/getScripts").await).is_empty());
    assert_error(&emu.get("/scripts/getScript").await, 400, "`scriptId`");
    assert_error(
        &emu.get("/scripts/getScriptText?scriptId=").await,
        400,
        "`scriptId`",
    );
}

#[tokio::test]
async fn the_other_namespaces_need_a_key_as_machines_do() {
    let emu = start_with(paperspace::emulator::Config {
        api_keys: vec![KEY.into()],
        ..paperspace::emulator::Config::ephemeral(50)
    })
    .await;
    for (method, path) in [
        (Method::GET, "/templates/getTemplates"),
        (Method::GET, "/networks/getNetworks"),
        (Method::GET, "/users/getUsers"),
        (Method::GET, "/scripts/getScripts"),
        (Method::GET, "/scripts/getScript?scriptId=sc1"),
        (Method::GET, "/scripts/getScriptText?scriptId=sc1"),
        (Method::POST, "/scripts/createScript"),
        (Method::POST, "/scripts/sc1/destroy"),
    ] {
        for key in [None, Some("wrong")] {
            let reply = emu.send(method.clone(), path, key, Some("{}")).await;
            assert_error(&reply, 401, "No such API token");
        }
    }
    assert_eq!(emu.get("/templates/getTemplates").await.status, 200);
}

#[tokio::test]
async fn templates_networks_and_users_are_filtered_by_equality() {
    let emu = start().await;
    let templates = array(&emu.get("/templates/getTemplates").await);
    assert_eq!(templates.len(), 5);
    assert_eq!(
        templates[0],
        json!({
            "id": "tkni3aa4",
            "name": "paperspace/tkni3aa4",
            "label": "Ubuntu 20.04 Server",
            "os": "Ubuntu 20.04.6 LTS; uname: 5.4.0-150-generic; distro: ubuntu; major: 20; minor: 04",
            "dtCreated": "2020-06-01T00:00:00.000Z",
        })
    );
    let one = array(&emu.get("/templates/getTemplates?id=t0nspur5").await);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["label"], "Ubuntu 22.04 Server");
    let filters = "name=paperspace%2Ftilqt47t&dtCreated=2023-03-01T00%3A00%3A00.000Z";
    assert_eq!(
        array(&emu.get(&format!("/templates/getTemplates?{filters}")).await).len(),
        1
    );
    // Public templates have no team, user or region: filtering on one finds none of them,
    // `null` finds them all; an undocumented filter is ignored.
    assert!(
        array(
            &emu.get("/templates/getTemplates?region=East%20Coast%20(NY2)")
                .await
        )
        .is_empty()
    );
    assert_eq!(
        array(&emu.get("/templates/getTemplates?userId=null").await).len(),
        5
    );
    assert_eq!(
        array(&emu.get("/templates/getTemplates?bogus=1").await).len(),
        5
    );
    assert!(array(&emu.get("/templates/getTemplates?name=Ubuntu").await).is_empty());

    let networks = array(&emu.get("/networks/getNetworks").await);
    assert_eq!(
        networks[0],
        json!({
            "id": "nemul8r0",
            "name": "Default network (NY2)",
            "region": "East Coast (NY2)",
            "dtCreated": "2024-01-01T00:00:00.000Z",
            "network": "10.64.0.0",
            "netmask": "255.255.0.0",
            "teamId": "temul8r0",
        })
    );
    let ca1 = array(
        &emu.get("/networks/getNetworks?region=West%20Coast%20(CA1)")
            .await,
    );
    assert_eq!(ca1.len(), 1);
    assert_eq!(ca1[0]["id"], "nemul8r1");
    let machine = emu.create(json!({"region": "West Coast (CA1)"})).await;
    assert_eq!(emu.show(&machine).await["networkId"], "nemul8r1");

    emu.post(
        &format!("/machines/{machine}/setMachineAccess"),
        json!({"userId": "u123abc", "enableAccess": true}),
    )
    .await;
    let users = array(&emu.get("/users/getUsers").await);
    let ids: Vec<&str> = users.iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["uemul8r0", "u123abc"]);
    let jon = array(&emu.get("/users/getUsers?id=u123abc&teamId=temul8r0").await);
    assert_eq!(jon[0]["email"], "u123abc@users.emulator.invalid");
    assert_eq!(jon[0]["firstname"], Value::Null);
    let nobody = array(&emu.get("/users/getUsers?lastname=Snow").await);
    assert!(nobody.is_empty());
    // Access withdrawn: no longer a user of the team.
    emu.post(
        &format!("/machines/{machine}/setMachineAccess"),
        json!({"userId": "u123abc", "enableAccess": false}),
    )
    .await;
    assert_eq!(array(&emu.get("/users/getUsers").await).len(), 1);
}
