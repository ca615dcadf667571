//! What the v1 document refuses, refused as the live service does: the error shape with its
//! `details`, strict bodies and queries, the power actions' bodies and the actions that would
//! change nothing; and that a refused request changed nothing.

use super::*;

#[tokio::test]
async fn authentication_and_unknown_things_have_the_v1_shape() {
    let emu = start().await;
    for key in [None, Some("")] {
        let reply = v1(&emu, Method::GET, "/machines", key, None).await;
        assert_eq!(
            reply.body,
            json!({"message": "No such API token", "code": "UNAUTHORIZED"})
        );
        assert_eq!(reply.status, 401);
    }
    let legacy_header = emu.send(Method::GET, "/v1/machines", Some(KEY), None).await;
    assert_v1_error(&legacy_header, 401, "UNAUTHORIZED", "No such API token");
    let restricted = start_with(paperspace::emulator::Config {
        api_keys: vec!["good".into()],
        ..paperspace::emulator::Config::ephemeral(50)
    })
    .await;
    let reply = v1(&restricted, Method::GET, "/machines", Some("bad"), None).await;
    assert_v1_error(&reply, 401, "UNAUTHORIZED", "No such API token");
    let reply = v1(&restricted, Method::GET, "/machines", Some("good"), None).await;
    assert_eq!(reply.status, 200);

    for (method, path) in [
        (Method::GET, "/machines/psnope"),
        (Method::PUT, "/machines/psnope"),
        (Method::DELETE, "/machines/psnope"),
        (Method::PATCH, "/machines/psnope/start"),
        (Method::PATCH, "/machines/psnope/stop"),
        (Method::PATCH, "/machines/psnope/restart"),
        (Method::GET, "/machines/psnope/accessors"),
        (Method::GET, "/machine-events?machineId=psnope"),
        (Method::GET, "/machine-events/nope"),
        (Method::GET, "/no-such-endpoint"),
    ] {
        let body = (method == Method::PUT).then(|| json!({"name": "x"}));
        let reply = v1(&emu, method, path, Some(KEY), body).await;
        assert_eq!(
            reply.body,
            json!({"message": "Not found", "code": "NOT_FOUND"}),
            "{path}"
        );
        assert_eq!(reply.status, 404);
    }
    let unsupported = bare(&emu, Method::PATCH, "/machines").await;
    assert_eq!(
        unsupported.body,
        json!({"message": "Method not allowed", "code": "METHOD_NOT_SUPPORTED"})
    );
    assert_eq!(unsupported.status, 405);
}

#[tokio::test]
async fn bodies_the_document_refuses_are_400_naming_each_field() {
    let emu = start().await;
    let post = |body: Value| send(&emu, Method::POST, "/machines", body);
    let with = |key: &str, value: Value| {
        let mut body = create_body("x");
        body[key] = value;
        body
    };
    assert_invalid(
        &post(with("bogus", json!(1))).await,
        json!({"bogus": "Unrecognized key"}),
    );
    assert_invalid(
        &post(with("machineName", json!("legacy spelling"))).await,
        json!({"machineName": "Unrecognized key"}),
    );
    assert_invalid(
        &post(with("diskSize", json!("50"))).await,
        json!({"diskSize": "Expected number, received string"}),
    );
    assert_invalid(
        &post(with("diskSize", json!(0))).await,
        json!({"diskSize": "Number must be greater than 0"}),
    );
    assert_invalid(
        &post(with("autoSnapshotFrequency", Value::Null)).await,
        json!({"autoSnapshotFrequency": "Expected 'hourly' | 'daily' | 'weekly' | 'monthly', received null"}),
    );
    assert_invalid(
        &post(with("publicIpType", json!("elastic"))).await,
        json!({"publicIpType": "Invalid enum value. Expected 'static' | 'dynamic' | 'none', received 'elastic'"}),
    );
    assert_invalid(
        &post(with("startOnCreate", json!("true"))).await,
        json!({"startOnCreate": "Expected boolean, received string"}),
    );
    assert_invalid(
        &post(with("name", json!(""))).await,
        json!({"name": "String must contain at least 1 character(s)"}),
    );
    assert_invalid(
        &post(with("accessorIds", json!(["u1", 2]))).await,
        json!({"accessorIds.1": "Expected string, received number"}),
    );
    for key in ["name", "machineType", "templateId", "diskSize", "region"] {
        let mut body = create_body("x");
        body.as_object_mut().unwrap().remove(key);
        assert_invalid(&post(body).await, json!({ key: "Required" }));
    }
    // Every problem at once.
    assert_invalid(
        &post(json!({"name": 7, "region": null, "x": true})).await,
        json!({
            "name": "Expected string, received number",
            "machineType": "Required",
            "templateId": "Required",
            "diskSize": "Required",
            "region": "Expected string, received null",
            "x": "Unrecognized key",
        }),
    );
    // Not an object, not JSON.
    let reply = send(&emu, Method::POST, "/machines", json!([1])).await;
    assert_refused(&reply, "Expected object, received array", Value::Null);
    let reply = send_request(
        emu.client
            .post(format!("{}/v1/machines", emu.base))
            .header("authorization", format!("Bearer {KEY}")),
        Some("{nope"),
    )
    .await;
    assert_v1_error(&reply, 400, "BAD_REQUEST", "Failed to parse request body");

    // The service's own rules name their field too.
    assert_refused(
        &post(with("machineType", json!("H100x"))).await,
        "Invalid machine type 'H100x'",
        json!({"machineType": "No machine type is named 'H100x'"}),
    );
    assert_refused(
        &post(with("region", json!("mars"))).await,
        "Invalid region 'mars'",
        json!({"region": "Region must be one of ny2, ca1, ams1"}),
    );
    assert_refused(
        &post(with("diskSize", json!(50.5))).await,
        "Invalid diskSize 50.5",
        json!({"diskSize": "Expected a whole number, at least 1"}),
    );
    let update = send(
        &emu,
        Method::PUT,
        "/machines/psnope",
        json!({"name": "x", "diskSize": "big"}),
    )
    .await;
    assert_invalid(
        &update,
        json!({"diskSize": "Expected number, received string"}),
    );
    // Nothing was created by the failed requests.
    assert_eq!(ok(get(&emu, "/machines").await)["items"], json!([]));
}

#[tokio::test]
async fn what_the_service_accepts_beyond_the_codes() {
    let emu = start().await;
    // Regions in any spelling the service takes; machine types in any case; the answer in
    // the document's words.
    for (region, code) in [
        ("East Coast (NY2)", "ny2"),
        ("CA1", "ca1"),
        ("ams1", "ams1"),
    ] {
        let mut body = create_body("r");
        body["region"] = json!(region);
        body["machineType"] = json!("c4");
        let created = ok(send(&emu, Method::POST, "/machines", body).await);
        assert_eq!(created["data"]["region"], code);
        assert_eq!(created["data"]["machineType"], "C4");
    }
}

#[tokio::test]
async fn queries_the_document_refuses_are_400_too() {
    let emu = start().await;
    for (query, details) in [
        (
            "limit=0",
            json!({"limit": "Number must be greater than or equal to 1"}),
        ),
        (
            "limit=121",
            json!({"limit": "Number must be less than or equal to 120"}),
        ),
        ("limit=x", json!({"limit": "Expected number, received nan"})),
        (
            "limit=2.5",
            json!({"limit": "Expected integer, received float"}),
        ),
        (
            "order=up",
            json!({"order": "Invalid enum value. Expected 'asc' | 'desc', received 'up'"}),
        ),
        (
            "orderBy=ram",
            json!({"orderBy": "Invalid enum value. Expected 'dtCreated' | 'name' | 'state', received 'ram'"}),
        ),
        ("userId=u1", json!({"userId": "Unrecognized key"})),
    ] {
        assert_invalid(&get(&emu, &format!("/machines?{query}")).await, details);
    }
    assert_refused(
        &get(&emu, "/machines?region=mars").await,
        "Invalid region 'mars'",
        json!({"region": "Region must be one of ny2, ca1, ams1"}),
    );
    assert_refused(
        &get(&emu, "/machines?after=-1").await,
        "Invalid cursor '-1'",
        json!({"after": "Expected the nextPage of a previous page"}),
    );
    assert_invalid(
        &get(&emu, "/machine-events?orderBy=name").await,
        json!({"orderBy": "Invalid enum value. Expected 'dtCreated', received 'name'"}),
    );
    assert_invalid(
        &get(&emu, "/machines/psnope?verbose=1").await,
        json!({"verbose": "Unrecognized key"}),
    );
    let page = ok(get(&emu, "/machines?limit=120&order=asc&orderBy=state").await);
    assert_eq!(page["items"], json!([]));
    let reply = get(&emu, "/machines").await;
    assert!(reply.content_type.unwrap().starts_with("application/json"));
}

/// A PATCH with `Content-Type: application/json` and no body, as a raw request.
async fn patch_with(emu: &Emu, path: &str, content_type: Option<&str>, body: &str) -> Reply {
    let mut request = emu
        .client
        .patch(format!("{}/v1{path}", emu.base))
        .header("authorization", format!("Bearer {KEY}"))
        .body(body.to_string());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    send_request(request, None).await
}

#[tokio::test]
async fn power_actions_refuse_a_json_content_type_with_an_empty_body() {
    let emu = start().await;
    let id = id_of(&create(&emu, "bodies", json!({"startOnCreate": false})).await);
    wait_for_v1(&emu, &id, "off").await;
    let start = format!("/machines/{id}/start");
    let stop = format!("/machines/{id}/stop");

    let refused = patch_with(&emu, &start, Some("application/json"), "").await;
    assert_refused(
        &refused,
        "Failed to parse request body: Content-Type is application/json and the body is empty",
        Value::Null,
    );
    let refused = patch_with(&emu, &start, Some("application/json; charset=utf-8"), " ").await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        ok(get(&emu, &format!("/machines/{id}")).await)["state"],
        "off"
    );
    // A key the document does not declare is refused too.
    let refused = patch_with(&emu, &start, Some("application/json"), r#"{"force":true}"#).await;
    assert_invalid(&refused, json!({"force": "Unrecognized key"}));
    assert_eq!(
        ok(get(&emu, &format!("/machines/{id}")).await)["state"],
        "off"
    );

    // What pspace, SkyPilot and cloudypad send all work.
    let pspace = patch_with(&emu, &start, Some("application/json"), "{}").await;
    assert_eq!(pspace.status, 200, "{pspace:?}");
    wait_for_v1(&emu, &id, "ready").await;
    let skypilot = patch_with(&emu, &stop, None, "").await;
    assert_eq!(skypilot.status, 200, "{skypilot:?}");
    wait_for_v1(&emu, &id, "off").await;
    let cloudypad = patch_with(&emu, &start, Some("text/plain"), "").await;
    assert_eq!(cloudypad.status, 200, "{cloudypad:?}");
}

#[tokio::test]
async fn power_actions_that_would_change_nothing_are_refused_and_change_nothing() {
    // 300 ms steps: each state lasts long enough to be asked about.
    let emu = start_with(paperspace::emulator::Config::ephemeral(300)).await;
    let id = id_of(&create(&emu, "noop", json!({})).await);
    let action = |name: &str| bare(&emu, Method::PATCH, format!("/machines/{id}/{name}"));
    let events = || async {
        ok(get(&emu, &format!("/machine-events?machineId={id}")).await)["items"].clone()
    };
    let refuse = |reply: Reply, message: &str| assert_refused(&reply, message, Value::Null);

    wait_for_v1(&emu, &id, "ready").await;
    let before = events().await;
    refuse(action("start").await, "This machine is already running.");
    assert_eq!(events().await, before, "a refusal records nothing");

    ok(action("restart").await);
    refuse(
        action("restart").await,
        "This machine is currently restarting.",
    );
    refuse(action("start").await, "This machine is already running.");
    wait_for_v1(&emu, &id, "ready").await;

    ok(action("stop").await);
    let while_stopping = events().await;
    refuse(action("stop").await, "This machine is currently stopping.");
    assert_eq!(events().await, while_stopping);
    let restart = action("restart").await;
    assert_v1_error(&restart, 400, "BAD_REQUEST", "stopping");
    wait_for_v1(&emu, &id, "off").await;
    refuse(action("stop").await, "This machine is already off.");
    assert_v1_error(&action("restart").await, 400, "BAD_REQUEST", "off");

    ok(action("start").await);
    refuse(action("start").await, "This machine is currently starting.");
    wait_for_v1(&emu, &id, "serviceready").await;
    refuse(action("start").await, "This machine is already running.");
    assert_eq!(
        ok(get(&emu, &format!("/machines/{id}")).await)["state"],
        "serviceready"
    );
    let names = pluck(&json!({"items": events().await}), "/name");
    assert_eq!(names, ["start", "stop", "restart", "create"]);

    // The legacy routes keep their no-op behaviour on the same machine.
    let legacy = emu.post(&format!("/machines/{id}/start"), json!({})).await;
    assert_eq!(legacy.status, 204);
}

#[tokio::test]
async fn injected_failures_answer_in_the_v1_shape() {
    let emu = start().await;
    emu.post(
        "/__emulator/faults",
        json!({"status": 503, "count": 1, "retryAfter": 2}),
    )
    .await;
    let reply = get(&emu, "/machines").await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.retry_after.as_deref(), Some("2"));
    // tRPC has no code for a 503: it is an INTERNAL_SERVER_ERROR by its class.
    assert_v1_error(&reply, 503, "INTERNAL_SERVER_ERROR", "injected");
    assert_eq!(get(&emu, "/machines").await.status, 200);
}
