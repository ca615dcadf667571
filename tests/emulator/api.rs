//! The emulator's machines API over real HTTP: shapes, errors, lifecycle, list, utilization,
//! availability and login.

use crate::common::*;
use paperspace::api::model::Machine;
use paperspace::emulator::Config;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

const REFERENCE_KEYS: &[&str] = &[
    "id",
    "name",
    "os",
    "ram",
    "cpus",
    "gpu",
    "storageTotal",
    "storageUsed",
    "machineType",
    "usageRate",
    "shutdownTimeoutInHours",
    "shutdownTimeoutForces",
    "performAutoSnapshot",
    "autoSnapshotFrequency",
    "autoSnapshotSaveCount",
    "dynamicPublicIp",
    "agentType",
    "dtCreated",
    "state",
    "updatesPending",
    "networkId",
    "privateIpAddress",
    "publicIpAddress",
    "region",
    "userId",
    "teamId",
    "scriptId",
    "dtLastRun",
    "restorePointSnapshotId",
    "restorePointFrequency",
];

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn is_timestamp(value: &Value) -> bool {
    let text = value.as_str().unwrap_or_default();
    text.len() == 24 && text.ends_with('Z') && &text[19..20] == "." && text.as_bytes()[10] == b'T'
}

#[tokio::test]
async fn create_returns_a_provisioning_machine_with_every_reference_key_in_order() {
    let emu = start().await;
    let reply = emu
        .post(
            "/machines/createSingleMachinePublic",
            json!({"region": "ny2", "machineType": "P4000", "size": 50, "billingType": "hourly",
                   "machineName": "My Machine 1", "templateId": "tkni3aa4", "assignPublicIp": true,
                   "teamId": "tewr3st2z"}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.unwrap().starts_with("application/json"));
    let m = &reply.body;
    assert_eq!(keys(m), REFERENCE_KEYS);
    let id = m["id"].as_str().unwrap();
    assert!(id.len() == 9 && id.starts_with("ps"), "{id}");
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    assert_eq!(m["name"], "My Machine 1");
    assert_eq!(m["state"], "provisioning");
    assert_eq!(
        m["region"], "East Coast (NY2)",
        "short code resolved to the long name"
    );
    assert_eq!(m["machineType"], "P4000");
    assert_eq!(m["usageRate"], "P4000 hourly");
    assert_eq!(m["storageTotal"], "53687091200");
    assert_eq!(m["cpus"], 8);
    assert_eq!(m["gpu"], "Quadro P4000");
    assert_eq!(m["teamId"], "tewr3st2z");
    assert!(m["userId"].as_str().unwrap().starts_with('u'));
    assert!(m["publicIpAddress"].as_str().unwrap().starts_with("172."));
    assert!(m["privateIpAddress"].as_str().unwrap().starts_with("10."));
    assert!(is_timestamp(&m["dtCreated"]), "{}", m["dtCreated"]);
    // The client's own model reads it back.
    let parsed: Machine = serde_json::from_value(m.clone()).unwrap();
    assert_eq!(parsed.id.as_deref(), Some(id));
    emu.running.stop().await.unwrap();
}

#[tokio::test]
async fn authentication_errors_have_the_legacy_shape() {
    let emu = start_with(Config {
        api_keys: vec!["good".into()],
        ..Config::ephemeral(50)
    })
    .await;
    for key in [None, Some(""), Some("bad")] {
        let reply = emu
            .send(Method::GET, "/machines/getMachines", key, None)
            .await;
        assert_eq!(
            reply.body,
            json!({"error": {"name": "Error", "status": 401, "message": "No such API token"}})
        );
        assert_eq!(reply.status, 401);
    }
    // Header names are case-insensitive.
    let ok = emu
        .client
        .get(format!("{}/machines/getMachines", emu.base))
        .header("X-API-KEY", "good")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "[]");
    // Auth comes before the machine lookup.
    let reply = emu
        .send(Method::POST, "/machines/psnope/start", None, None)
        .await;
    assert_error(&reply, 401, "No such API token");
}

#[tokio::test]
async fn unknown_machines_are_404_everywhere() {
    let emu = start().await;
    let not_found = json!({"error": {"name": "Error", "status": 404, "message": "Not found"}});
    for action in ["start", "stop", "restart", "destroyMachine"] {
        let reply = emu
            .post(
                &format!("/machines/psnope123/{action}"),
                json!({"machineId": "psnope123"}),
            )
            .await;
        assert_eq!(
            (reply.status.as_u16(), &reply.body),
            (404, &not_found),
            "{action}"
        );
    }
    let reply = emu
        .post(
            "/machines/psnope123/updateMachinePublic",
            json!({"machineName": "x"}),
        )
        .await;
    assert_eq!(reply.body, not_found);
    let reply = emu
        .post(
            "/machines/psnope123/setMachineAccess",
            json!({"userId": "u1", "enableAccess": true}),
        )
        .await;
    assert_eq!(reply.body, not_found);
    for path in [
        "/machines/getMachinePublic?machineId=psnope123",
        "/machines/getUtilization?machineId=psnope123&billingMonth=2022-03",
        "/no/such/route",
    ] {
        let reply = emu.get(path).await;
        assert_eq!(
            (reply.status.as_u16(), &reply.body),
            (404, &not_found),
            "{path}"
        );
    }
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_parameter() {
    let emu = start().await;
    let valid = json!({"region": "East Coast (NY2)", "machineType": "C4", "size": 50,
                       "billingType": "hourly", "machineName": "m", "templateId": "tkni3aa4"});
    let with = |key: &str, value: Value| {
        let mut body = valid.clone();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let cases = [
        (without("region"), "Missing required parameter `region`"),
        (without("templateId"), "`templateId`"),
        (
            with("region", json!("Mars (MRS1)")),
            "Invalid region 'Mars (MRS1)': expected one of East Coast (NY2)",
        ),
        (
            with("machineType", json!("Bogus")),
            "Invalid machineType 'Bogus': expected one of Air, Standard",
        ),
        (
            with("billingType", json!("weekly")),
            "Invalid billingType 'weekly': expected one of hourly, monthly",
        ),
        (with("size", json!(0)), "Invalid size 0"),
        (
            with("size", json!("50")),
            "Parameter `size` expected to be a non-negative integer",
        ),
        (with("size", json!(50.5)), "`size`"),
        (
            with("machineName", json!(7)),
            "Parameter `machineName` expected to be a string",
        ),
        (
            with("assignPublicIp", json!("yes")),
            "`assignPublicIp` expected to be a boolean",
        ),
        (
            with("restorePointFrequency", json!("daily")),
            "restorePointFrequency",
        ),
    ];
    for (body, message) in cases {
        let reply = emu.post("/machines/createSingleMachinePublic", body).await;
        assert_error(&reply, 400, message);
    }
    let mut both = with("assignPublicIp", json!(true));
    both["dynamicPublicIp"] = json!(true);
    assert_error(
        &emu.post("/machines/createSingleMachinePublic", both).await,
        400,
        "cannot be used together",
    );

    for body in ["{not json", "[1,2]", "\"text\""] {
        let reply = emu
            .send(
                Method::POST,
                "/machines/createSingleMachinePublic",
                Some(KEY),
                Some(body),
            )
            .await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.body["error"]["status"], 400);
    }

    let id = emu.create(json!({})).await;
    let update = format!("/machines/{id}/updateMachinePublic");
    assert_error(
        &emu.post(&update, json!({"autoSnapshotFrequency": "hourly"}))
            .await,
        400,
        "Invalid autoSnapshotFrequency 'hourly': expected one of hour, day, week, month, null",
    );
    assert_error(
        &emu.post(&update, json!({"shutdownTimeoutInHours": -1}))
            .await,
        400,
        "`shutdownTimeoutInHours`",
    );
    let access = format!("/machines/{id}/setMachineAccess");
    assert_error(
        &emu.post(&access, json!({"userId": "u1"})).await,
        400,
        "`enableAccess`",
    );
    assert_error(
        &emu.post(&access, json!({"enableAccess": true})).await,
        400,
        "`userId`",
    );
    for (path, message) in [
        ("/machines/getMachines?limit=-1", "Invalid limit '-1'"),
        ("/machines/getMachines?skip=abc", "Invalid skip 'abc'"),
        ("/machines/getMachinePublic", "`machineId`"),
        (
            &*format!("/machines/getUtilization?machineId={id}"),
            "`billingMonth`",
        ),
        (
            &*format!("/machines/getUtilization?machineId={id}&billingMonth=2022-13"),
            "Invalid billingMonth '2022-13': expected YYYY-MM",
        ),
        ("/machines/getAvailability?region=ny2", "`machineType`"),
        (
            "/machines/getAvailability?region=moon&machineType=C4",
            "Invalid region 'moon'",
        ),
        (
            "/machines/getAvailability?region=ny2&machineType=Z9",
            "Invalid machineType 'Z9'",
        ),
    ] {
        assert_error(&emu.get(path).await, 400, message);
    }
}

/// The whole lifecycle with 300 ms steps: each action is visible in its transitional state
/// right after the call (a loopback round trip is far shorter than a step), and the events
/// list ends up newest first, all done.
#[tokio::test]
async fn lifecycle_moves_through_states_and_records_events_newest_first() {
    let emu = start_with(Config::ephemeral(300)).await;
    let id = emu.create(json!({})).await;
    assert_eq!(emu.show(&id).await["state"], "provisioning");
    let shown = emu.show(&id).await;
    assert_eq!(shown["events"][0]["name"], "create");
    assert_eq!(shown["events"][0]["state"], "new");
    assert_eq!(shown["events"][0]["dtFinished"], Value::Null);
    // Actions are refused while provisioning.
    assert_error(
        &emu.post(&format!("/machines/{id}/start"), json!({})).await,
        400,
        "Machine is being provisioned",
    );
    emu.wait_for(&id, "ready").await;

    // Starting a ready machine is a no-op: 204, no new event.
    let reply = emu
        .send(
            Method::POST,
            &format!("/machines/{id}/start"),
            Some(KEY),
            None,
        )
        .await;
    assert_eq!((reply.status.as_u16(), &reply.body), (204, &Value::Null));
    assert_eq!(emu.show(&id).await["events"].as_array().unwrap().len(), 1);

    assert_eq!(
        emu.post(&format!("/machines/{id}/stop"), json!({"machineId": id}))
            .await
            .status,
        204
    );
    assert_eq!(emu.show(&id).await["state"], "stopping");
    emu.wait_for(&id, "off").await;
    assert_error(
        &emu.post(&format!("/machines/{id}/restart"), json!({}))
            .await,
        400,
        "Machine is off",
    );

    assert_eq!(
        emu.post(&format!("/machines/{id}/start"), json!({"machineId": id}))
            .await
            .status,
        204
    );
    assert_eq!(emu.show(&id).await["state"], "starting");
    emu.wait_for(&id, "serviceready").await;
    emu.wait_for(&id, "ready").await;

    assert_eq!(
        emu.post(&format!("/machines/{id}/restart"), json!({}))
            .await
            .status,
        204
    );
    assert_eq!(emu.show(&id).await["state"], "restarting");
    let machine = emu.wait_for(&id, "ready").await;

    let events = machine["events"].as_array().unwrap();
    let names: Vec<&str> = events.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["restart", "start", "stop", "create"]);
    let mut handles = std::collections::HashSet::new();
    for event in events {
        assert_eq!(
            keys(event),
            [
                "name",
                "state",
                "errorMsg",
                "handle",
                "dtModified",
                "dtFinished",
                "dtCreated"
            ]
        );
        assert_eq!(event["state"], "done");
        assert_eq!(event["errorMsg"], "");
        assert!(is_timestamp(&event["dtCreated"]) && is_timestamp(&event["dtFinished"]));
        assert_eq!(event["dtModified"], event["dtFinished"]);
        assert!(event["dtFinished"].as_str() >= event["dtCreated"].as_str());
        assert!(handles.insert(event["handle"].as_str().unwrap().to_string()));
    }
    let created: Vec<&str> = events
        .iter()
        .map(|e| e["dtCreated"].as_str().unwrap())
        .collect();
    assert!(
        created.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {created:?}"
    );

    // Destroy: gone at once.
    assert_eq!(
        emu.post(
            &format!("/machines/{id}/destroyMachine"),
            json!({"releasePublicIp": true})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        emu.get(&format!("/machines/getMachinePublic?machineId={id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        emu.post(&format!("/machines/{id}/start"), json!({}))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn start_on_create_false_ends_off_and_extra_show_params_are_ignored() {
    let emu = start_with(Config::ephemeral(20)).await;
    let id = emu.create(json!({"startOnCreate": false})).await;
    tokio::time::sleep(Duration::from_millis(40)).await;
    let reply = emu
        .get(&format!(
            "/machines/getMachinePublic?machineId={id}&state=off&json=true"
        ))
        .await;
    assert_eq!(reply.body["state"], "off");
    assert_eq!(reply.body["events"][0]["state"], "done");
}

#[tokio::test]
async fn update_changes_only_the_named_fields() {
    let emu = start().await;
    let id = emu.create(json!({})).await;
    let before = emu.show(&id).await;
    let reply = emu
        .post(
            &format!("/machines/{id}/updateMachinePublic"),
            json!({"machineId": id, "machineName": "renamed", "autoSnapshotFrequency": "week",
                   "autoSnapshotSaveCount": 3, "performAutoSnapshot": true}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(keys(&reply.body), REFERENCE_KEYS);
    let after = emu.show(&id).await;
    for key in REFERENCE_KEYS {
        let changed = [
            "name",
            "autoSnapshotFrequency",
            "autoSnapshotSaveCount",
            "performAutoSnapshot",
            "state",
        ];
        if !changed.contains(key) {
            assert_eq!(before[key], after[key], "{key}");
        }
    }
    assert_eq!(after["name"], "renamed");
    assert_eq!(after["autoSnapshotFrequency"], "week");
    assert_eq!(after["autoSnapshotSaveCount"], 3);
    assert_eq!(after["performAutoSnapshot"], true);
    let reply = emu
        .post(
            &format!("/machines/{id}/updateMachinePublic"),
            json!({"autoSnapshotFrequency": null}),
        )
        .await;
    assert_eq!(reply.body["autoSnapshotFrequency"], Value::Null);
    assert_eq!(reply.body["name"], "renamed");
}

#[tokio::test]
async fn list_filters_by_equality_and_pages_with_limit_and_skip() {
    let emu = start().await;
    let a = emu
        .create(json!({"machineName": "alpha & co", "machineType": "C4"}))
        .await;
    let b = emu
        .create(json!({"machineName": "beta", "machineType": "P5000", "region": "ams1"}))
        .await;
    let c = emu
        .create(json!({"machineName": "gamma", "machineType": "C4", "startOnCreate": false}))
        .await;
    let ids = |reply: Reply| -> Vec<String> {
        assert_eq!(reply.status, 200, "{reply:?}");
        reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(emu.get("/machines/getMachines").await),
        [a.clone(), b.clone(), c.clone()]
    );
    let all = emu.get("/machines/getMachines").await;
    assert!(all.body[0].get("events").is_none(), "list has no events");
    assert_eq!(keys(&all.body[0]), REFERENCE_KEYS);
    let by_id = format!("machineId={b}");
    let cases: Vec<(&str, Vec<&String>)> = vec![
        ("name=alpha%20%26%20co", vec![&a]),
        (&by_id, vec![&b]),
        ("cpus=2", vec![&a, &c]),
        ("region=Europe%20%28AMS1%29", vec![&b]),
        ("performAutoSnapshot=false&machineType=C4", vec![&a, &c]),
        ("autoSnapshotFrequency=null&cpus=8", vec![&b]),
        ("state=provisioning&debug=true", vec![&a, &b, &c]),
        ("name=nobody", vec![]),
        ("limit=2", vec![&a, &b]),
        ("skip=1", vec![&b, &c]),
        ("limit=1&skip=1", vec![&b]),
        ("limit=0", vec![]),
        ("skip=5", vec![]),
        ("cpus=2&limit=1&skip=1", vec![&c]),
    ];
    for (query, expected) in cases {
        let got = ids(emu.get(&format!("/machines/getMachines?{query}")).await);
        assert_eq!(got.iter().collect::<Vec<_>>(), expected, "{query}");
    }
    emu.wait_for(&c, "off").await;
    assert_eq!(ids(emu.get("/machines/getMachines?state=off").await), [c]);
}

#[tokio::test]
async fn set_machine_access_answers_json_and_is_recorded() {
    let emu = start().await;
    let id = emu.create(json!({})).await;
    let reply = emu
        .post(
            &format!("/machines/{id}/setMachineAccess"),
            json!({"machineId": id, "userId": "ubx9ce8k", "enableAccess": true}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json!({"machineId": id, "userId": "ubx9ce8k", "enableAccess": true})
    );
    emu.post(
        &format!("/machines/{id}/setMachineAccess"),
        json!({"userId": "u2", "enableAccess": "false"}),
    )
    .await;
    let state = emu.send(Method::GET, "/__emulator/state", None, None).await;
    assert_eq!(
        state.body["store"]["machines"][0]["access"],
        json!({"u2": false, "ubx9ce8k": true})
    );
}

/// Utilization math on a machine whose history is written into a state file: created
/// 2022-03-10 00:00 with one-minute steps (ready 00:01), stopped at 02:00 (off 02:01).
#[tokio::test]
async fn utilization_counts_running_seconds_within_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let created = 1_646_870_400_000i64; // 2022-03-10T00:00:00Z
    let store = json!({"machines": [{
        "id": "psutil001", "name": "u", "region": "ny2", "machineType": "P4000",
        "billingType": "hourly", "sizeGb": 100, "templateId": "tkni3aa4", "networkId": "n1",
        "privateIp": "10.64.0.2", "publicIp": {"kind": "none"}, "userId": "u1", "teamId": "t1",
        "autoShutdown": {"hours": 168, "force": false},
        "autoSnapshot": {"enabled": false, "frequency": null, "saveCount": null},
        "restorePoint": {"frequency": null, "snapshotId": null},
        "createdMs": created,
        "actions": [
            {"kind": "create", "handle": "h1", "startedMs": created, "stepMs": 60_000},
            {"kind": "stop", "handle": "h2", "startedMs": created + 7_200_000, "stepMs": 60_000},
        ]
    }]});
    std::fs::write(&path, store.to_string()).unwrap();
    let emu = start_with(Config {
        state_file: Some(path),
        ..Config::ephemeral(50)
    })
    .await;
    let reply = emu
        .get("/machines/getUtilization?machineId=psutil001&billingMonth=2022-03")
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json!({
            "machineId": "psutil001",
            "utilization": {"machineId": "psutil001", "secondsUsed": 7200.0, "hourlyRate": "0.51", "billingMonth": "2022-03"},
            "storageUtilization": {"machineId": "psutil001", "secondsUsed": 1_900_800.0, "monthlyRate": "10.00", "billingMonth": "2022-03"},
        })
    );
    let before = emu
        .get("/machines/getUtilization?machineId=psutil001&billingMonth=2022-02")
        .await;
    assert_eq!(before.body["utilization"]["secondsUsed"], 0.0);
    assert_eq!(before.body["storageUtilization"]["secondsUsed"], 0.0);
    let after = emu
        .get("/machines/getUtilization?machineId=psutil001&billingMonth=2022-04")
        .await;
    assert_eq!(after.body["utilization"]["secondsUsed"], 0.0);
    assert_eq!(
        after.body["storageUtilization"]["secondsUsed"],
        30.0 * 86400.0
    );
    let shown = emu.show("psutil001").await;
    assert_eq!(shown["state"], "off");
    assert_eq!(shown["events"][0]["dtFinished"], "2022-03-10T02:01:00.000Z");
}

#[tokio::test]
async fn availability_has_defaults_flags_and_overrides() {
    let mut config = Config::ephemeral(50);
    let args = ["emulator", "--unavailable", "ca1:P5000"];
    config.availability = {
        use clap::{Args, FromArgMatches};
        let matches =
            paperspace::emulator::EmulatorArgs::augment_args(clap::Command::new("emulator"))
                .try_get_matches_from(args)
                .unwrap();
        let parsed = paperspace::emulator::EmulatorArgs::from_arg_matches(&matches).unwrap();
        Config::try_from(parsed).unwrap().availability
    };
    let emu = start_with(config).await;
    let available = |region: &'static str, machine_type: &'static str| {
        let emu = &emu;
        async move {
            let reply = emu
                .get(&format!(
                    "/machines/getAvailability?region={region}&machineType={machine_type}"
                ))
                .await;
            assert_eq!(reply.status, 200, "{reply:?}");
            assert_eq!(keys(&reply.body), ["available"]);
            reply.body["available"].as_bool().unwrap()
        }
    };
    assert!(available("East%20Coast%20%28NY2%29", "GPU%2B").await);
    assert!(!available("Europe%20%28AMS1%29", "V100").await);
    assert!(!available("ams1", "V100").await);
    assert!(available("ny2", "V100").await);
    assert!(!available("CA1", "P5000").await, "flag");
    let reply = emu
        .send(
            Method::POST,
            "/__emulator/availability",
            None,
            Some(r#"{"region":"ams1","machineType":"V100","available":true}"#),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert!(available("ams1", "V100").await, "override");
}

#[tokio::test]
async fn login_issues_an_access_token_that_mints_a_working_api_key() {
    let emu = start_with(Config {
        api_keys: vec!["admin".into()],
        users: vec![("me@example.com".into(), "s3cret".into())],
        ..Config::ephemeral(50)
    })
    .await;
    let login = |body: &'static str| emu.send(Method::POST, "/users/login", None, Some(body));
    assert_error(
        &login(r#"{"email":"me@example.com","password":"wrong"}"#).await,
        401,
        "login failed",
    );
    assert_error(
        &login(r#"{"email":"","password":""}"#).await,
        401,
        "login failed",
    );
    let reply = login(r#"{"email":"me@example.com","password":"s3cret"}"#).await;
    assert_eq!(reply.status, 200);
    let token = reply.body["id"].as_str().unwrap().to_string();

    let unauthorised = emu
        .send(
            Method::POST,
            "/apiTokens/createPublic?access_token=nope",
            None,
            Some("{}"),
        )
        .await;
    assert_error(&unauthorised, 401, "No such API token");
    let reply = emu
        .send(
            Method::POST,
            &format!("/apiTokens/createPublic?access_token={token}"),
            None,
            Some(r#"{"apiToken":"my token"}"#),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(keys(&reply.body), ["key", "name"]);
    assert_eq!(reply.body["name"], "my token");
    let key = reply.body["key"].as_str().unwrap();
    assert_eq!(
        emu.send(Method::GET, "/machines/getMachines", Some(key), None)
            .await
            .status,
        200
    );
    // An API key can mint another key too.
    let reply = emu
        .send(Method::POST, "/apiTokens/createPublic", Some("admin"), None)
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.body["name"]
            .as_str()
            .unwrap()
            .starts_with("paperspace-cli-")
    );
}

#[tokio::test]
async fn seeded_machines_are_ready_and_listable() {
    let emu = start_with(Config {
        seed_machines: 25,
        ..Config::ephemeral(50)
    })
    .await;
    let reply = emu.get("/machines/getMachines").await;
    let machines = reply.body.as_array().unwrap();
    assert_eq!(machines.len(), 25);
    assert!(machines.iter().all(|m| m["state"] == "ready"));
    let page = emu.get("/machines/getMachines?limit=10&skip=20").await;
    assert_eq!(page.body.as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn routing_errors_are_json_too() {
    let emu = start().await;
    let reply = emu.get("/machines/createSingleMachinePublic").await;
    assert_error(&reply, 405, "Method not allowed");
    let reply = emu
        .send(Method::GET, "/machines/nothing/here", None, None)
        .await;
    assert_error(&reply, 401, "No such API token");
    let huge = format!("{{\"machineName\":\"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let reply = emu
        .send(
            Method::POST,
            "/machines/createSingleMachinePublic",
            Some(KEY),
            Some(&huge),
        )
        .await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.body["error"]["status"], 413);
    let reply = emu
        .send(Method::POST, "/machines/%20/start", Some(KEY), None)
        .await;
    assert_error(&reply, 400, "`machineId`");
}
