//! Helpers shared by the emulator's test modules: an in-process emulator on a free
//! loopback port and a tiny JSON client over real HTTP.

use paperspace::emulator::{self, Config, RunningEmulator};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::time::Duration;

pub const KEY: &str = "test-key";

pub struct Emu {
    pub running: RunningEmulator,
    pub client: reqwest::Client,
    pub base: String,
}

/// The HTTP reply of one request: status, `Retry-After` if any, and the body as JSON
/// (`Value::Null` for an empty body).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub retry_after: Option<String>,
    pub content_type: Option<String>,
    pub body: Value,
}

pub fn client() -> reqwest::Client {
    // reqwest is built without a TLS provider; install ring once so the builder is happy
    // (plain http:// never uses it).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        // Loopback only: a developer's HTTP_PROXY/ALL_PROXY must not route these through a
        // proxy.
        .no_proxy()
        .build()
        .expect("client")
}

pub async fn start_with(config: Config) -> Emu {
    let running = emulator::start(config).await.expect("emulator starts");
    let base = running.url();
    Emu {
        running,
        client: client(),
        base,
    }
}

/// An emulator with 50 ms steps and no state file.
pub async fn start() -> Emu {
    start_with(Config::ephemeral(50)).await
}

impl Emu {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<&str>,
    ) -> Reply {
        send(&self.client, &self.base, method, path, key, body).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, Some(KEY), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(KEY), Some(&body.to_string()))
            .await
    }

    /// Create a machine with the given extra parameters and return its id.
    pub async fn create(&self, extra: Value) -> String {
        let mut body = serde_json::json!({
            "region": "East Coast (NY2)",
            "machineType": "C4",
            "size": 50,
            "billingType": "hourly",
            "machineName": "test machine",
            "templateId": "tkni3aa4",
        });
        if let (Value::Object(base), Value::Object(extra)) = (&mut body, extra) {
            base.extend(extra);
        }
        let reply = self.post("/machines/createSingleMachinePublic", body).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        reply.body["id"].as_str().unwrap().to_string()
    }

    pub async fn show(&self, id: &str) -> Value {
        let reply = self
            .get(&format!("/machines/getMachinePublic?machineId={id}"))
            .await;
        assert_eq!(reply.status, 200, "{reply:?}");
        reply.body
    }

    /// Poll `show` until the machine is in `state` (a few steps; 10 s at most).
    pub async fn wait_for(&self, id: &str, state: &str) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            let machine = self.show(id).await;
            if machine["state"] == state {
                return machine;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("machine {id} never reached {state} within 10 s");
    }
}

pub async fn send(
    client: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    key: Option<&str>,
    body: Option<&str>,
) -> Reply {
    let mut request = client.request(method, format!("{base}{path}"));
    if let Some(key) = key {
        request = request.header("x-api-key", key);
    }
    send_request(request, body).await
}

/// Send a prepared request (its auth header already set) with an optional JSON body, and
/// read the reply.
pub async fn send_request(mut request: reqwest::RequestBuilder, body: Option<&str>) -> Reply {
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let retry_after = header("retry-after");
    let content_type = header("content-type");
    let bytes = response.bytes().await.expect("body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {bytes:?}"))
    };
    Reply {
        status,
        retry_after,
        content_type,
        body,
    }
}

/// Assert the legacy error shape.
pub fn assert_error(reply: &Reply, status: u16, message_contains: &str) {
    assert_eq!(reply.status.as_u16(), status, "{reply:?}");
    let error = &reply.body["error"];
    assert_eq!(error["name"], "Error", "{reply:?}");
    assert_eq!(error["status"], status, "{reply:?}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(message_contains),
        "{message:?} lacks {message_contains:?}"
    );
}
