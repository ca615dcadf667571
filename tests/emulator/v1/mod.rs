//! The emulator's v1 API (`/v1`, `Authorization: Bearer`) over real HTTP: machines
//! (`machines`), what the document refuses and how (`requests`), the account's session,
//! machine types and public IPs (`account`), templates (`templates`), scripts, networks,
//! shared drives and team users (`resources`), events, desktops, snapshots and resizes
//! (`operations`), and every answer against the document's schemas (`shapes`, with the check
//! in `schema_check`).

mod account;
mod machines;
mod operations;
mod requests;
mod resources;
mod schema_check;
mod shapes;
mod templates;

pub use schema_check::assert_answers;

pub use crate::common::*;
pub use reqwest::Method;
pub use serde_json::{Value, json};
pub use std::time::Duration;

/// Every key of the shared v1 `Machine`.
pub const MACHINE_KEYS: &[&str] = &[
    "id",
    "name",
    "state",
    "os",
    "machineType",
    "agentType",
    "cpus",
    "ram",
    "storageTotal",
    "storageUsed",
    "accelerators",
    "region",
    "privateIp",
    "networkId",
    "publicIp",
    "publicIpType",
    "autoShutdownEnabled",
    "autoShutdownTimeout",
    "autoShutdownForce",
    "autoSnapshotEnabled",
    "autoSnapshotFrequency",
    "autoSnapshotSaveCount",
    "updatesPending",
    "restorePointEnabled",
    "restorePointFrequency",
    "restorePointSnapshotId",
    "usageRate",
    "storageRate",
    "dtCreated",
    "dtModified",
    "dtDeleted",
    "reservation",
];

pub const EVENT_KEYS: &[&str] = &[
    "id",
    "name",
    "state",
    "machineId",
    "dtCreated",
    "dtStarted",
    "dtFinished",
    "error",
];

pub async fn v1(
    emu: &Emu,
    method: Method,
    path: impl AsRef<str>,
    key: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut request = emu
        .client
        .request(method, format!("{}/v1{}", emu.base, path.as_ref()));
    if let Some(key) = key {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    let body = body.map(|b| b.to_string());
    send_request(request, body.as_deref()).await
}

pub async fn get(emu: &Emu, path: &str) -> Reply {
    v1(emu, Method::GET, path, Some(KEY), None).await
}

pub fn ok(reply: Reply) -> Value {
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.body
}

/// A v1 error: `status`, `code`, a message containing `message_contains`, and nothing else
/// but `details` (an object, when present).
pub fn assert_v1_error(reply: &Reply, status: u16, code: &str, message_contains: &str) {
    assert_eq!(reply.status.as_u16(), status, "{reply:?}");
    let body = reply.body.as_object().unwrap();
    let keys: Vec<&str> = body.keys().map(String::as_str).collect();
    assert!(
        keys == ["message", "code"] || keys == ["message", "code", "details"],
        "{reply:?}"
    );
    if let Some(details) = body.get("details") {
        assert!(
            details.as_object().is_some_and(|d| !d.is_empty()),
            "{reply:?}"
        );
    }
    assert_eq!(reply.body["code"], code, "{reply:?}");
    let message = reply.body["message"].as_str().unwrap();
    assert!(
        message.contains(message_contains),
        "{message:?} lacks {message_contains:?}"
    );
}

/// A request the document refuses: 400, `BAD_REQUEST`, and exactly these details.
pub fn assert_invalid(reply: &Reply, details: Value) {
    assert_eq!(
        reply.body,
        json!({"message": "Input validation failed", "code": "BAD_REQUEST", "details": details}),
        "{reply:?}"
    );
    assert_eq!(reply.status, 400);
}

/// A refusal of the service's own (not the document's): 400, its message, and its details.
pub fn assert_refused(reply: &Reply, message: &str, details: Value) {
    let mut expected = json!({"message": message, "code": "BAD_REQUEST"});
    if details != Value::Null {
        expected["details"] = details;
    }
    assert_eq!(reply.body, expected, "{reply:?}");
    assert_eq!(reply.status, 400);
}

/// The body of a 200 answer of `method path` (the document's path), checked against the
/// document's schema of that answer.
pub fn valid(reply: Reply, method: &str, path: &str) -> Value {
    let body = ok(reply);
    assert_answers(method, path, &body);
    body
}

/// A v1 request with a body, as JSON.
pub async fn send(emu: &Emu, method: Method, path: impl AsRef<str>, body: Value) -> Reply {
    v1(emu, method, path, Some(KEY), Some(body)).await
}

/// A v1 request with no body and no content type.
pub async fn bare(emu: &Emu, method: Method, path: impl AsRef<str>) -> Reply {
    v1(emu, method, path, Some(KEY), None).await
}

/// The values at `pointer` of a page's items, in order.
pub fn pluck(page: &Value, pointer: &str) -> Vec<Value> {
    let items = page["items"].as_array().unwrap();
    items
        .iter()
        .map(|item| item.pointer(pointer).cloned().unwrap_or(Value::Null))
        .collect()
}

/// A legacy list's items (`GET` of a legacy route, as an array).
pub async fn legacy_list(emu: &Emu, path: &str) -> Vec<Value> {
    let reply = emu.get(path).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    reply.body.as_array().unwrap().clone()
}

/// The id of a machine an answer carries (`{event, data}` or the machine itself).
pub fn id_of(answer: &Value) -> String {
    let machine = if answer["data"].is_object() {
        &answer["data"]
    } else {
        answer
    };
    machine["id"].as_str().unwrap().to_string()
}

pub fn assert_keys(value: &Value, expected: &[&str]) {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = expected.to_vec();
    keys.sort_unstable();
    expected.sort_unstable();
    assert_eq!(keys, expected, "{value}");
}

pub fn create_body(name: &str) -> Value {
    json!({
        "name": name,
        "machineType": "C4",
        "templateId": "tkni3aa4",
        "diskSize": 50,
        "region": "ny2",
    })
}

/// Create through v1 with extra properties; the whole answer.
pub async fn create(emu: &Emu, name: &str, extra: Value) -> Value {
    let mut body = create_body(name);
    if let (Value::Object(base), Value::Object(extra)) = (&mut body, extra) {
        base.extend(extra);
    }
    ok(v1(emu, Method::POST, "/machines", Some(KEY), Some(body)).await)
}

pub async fn wait_for_v1(emu: &Emu, id: &str, state: &str) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let machine = ok(get(emu, &format!("/machines/{id}")).await);
        if machine["state"] == state {
            return machine;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("machine {id} never reached {state} within 10 s");
}
