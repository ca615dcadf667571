//! `paperspace emulator`: a local, stateful stand-in for both Paperspace machines APIs, for
//! tests, demos and benchmarks. 127.0.0.1 only, JSON in and out.
//!
//! # The legacy API
//! At the host root, in the shapes `paperspace-node@0.2.4` reads (`crate::api::model`):
//! `POST /machines/createSingleMachinePublic`,
//! `POST /machines/{id}/{start,stop,restart,destroyMachine,updateMachinePublic,setMachineAccess}`,
//! `GET /machines/{getMachines,getMachinePublic,getUtilization,getAvailability}`,
//! `GET /templates/getTemplates`, `GET /networks/getNetworks`, `GET /users/getUsers`,
//! `POST /scripts/createScript` (JSON, or the multipart upload of `--scriptFile`),
//! `GET /scripts/{getScripts,getScript,getScriptText}`, `POST /scripts/{id}/destroy`, and the
//! login pair `POST /users/login`, `POST /apiTokens/createPublic`. Everything but the login
//! pair needs an `x-api-key` header; errors are `{"error":{"name":"Error","status":N,"message":"..."}}`
//! (401 `No such API token`, 404 `Not found`, 400 naming the parameter). Regions are accepted
//! as `vocab::Region::find` has them (long name, or code in any case).
//!
//! # The v1 API
//! Under `/v1`, on the same machines (see `v1`), in the shapes of `crate::api::v1::wire`:
//! `GET /v1/auth/session`, `GET/POST /v1/machines`, `GET/PUT/DELETE /v1/machines/{id}`,
//! `PATCH /v1/machines/{id}/{start,stop,restart}`, `/v1/machines/{id}/accessors[/{userId}]`,
//! `GET /v1/machine-events[/{id}]`, `GET /v1/machine-availability`,
//! `GET/POST /v1/public-ips`, `PUT/DELETE /v1/public-ips/{ip}`, `GET /v1/os-templates`,
//! `/v1/custom-templates[/{id}]`, `/v1/startup-scripts[/{id}[/assign|/unassign]]`,
//! `/v1/private-networks[/{id}]`, `GET /v1/teams/{teamId}/users`,
//! `GET /v1/machines/{id}/desktop`, `/v1/snapshots[/{id}[/restore]]` and
//! `/v1/shared-drives[/{id}]`, authenticated by
//! `Authorization: Bearer <key>` (same keys as `x-api-key`; the session answers `null` to any
//! other caller). Every request is checked against the v1 document's declaration of its
//! operation (`v1::operations`) and refused as the live service refuses it:
//! `{"message": "...", "code": "BAD_REQUEST", "details": {"<field>": "<problem>"}}`, the codes
//! tRPC's. Machine types, regions and power actions follow the live service (docs/v1.md).
//!
//! # Layout
//! `http` is what both APIs share on the wire (the gate, the extractors, the error type and
//! its two renderings); `legacy` and `v1` each hold a router, what they accept (`params`)
//! and how they show a machine (`views`). Behind them: `store` (the data and its
//! operations) with `record` (the stored machine, the emulator's own type), `changes`
//! (the one update path), `power` (start, stop, restart), and the account's other resources:
//! `ips` (public IPs), `templates` (the OS catalogue and custom templates), `scripts`,
//! `networks`, `snapshots`, `drives` (shared drives) and `users` (the team); then
//! `lifecycle` (every action's states and event), `catalog`, `clock`, `faults`,
//! `service` (locking and durable commits), `persist` (the state file) and `multipart` (the
//! legacy script upload); `control` is the control API.
//!
//! Machine states are derived from timestamps (see `lifecycle`): each transition step lasts
//! `--transition-ms`, so a machine is right whenever it is read and nothing runs in the
//! background.
//!
//! # Control API (no API key; never affected by injected faults)
//! * `GET /__emulator/state`: the whole state (`machines` rendered now with events, and the
//!   raw `store` that the state file holds), plus the current `faults`.
//! * `POST /__emulator/reset`: forget every machine and account resource, issued key, token
//!   and availability override, and clear faults back to the command-line settings. `204`.
//! * `GET /__emulator/faults`: the current fault settings.
//! * `POST /__emulator/faults`: change them; each field is optional and replaces only itself:
//!   `{"latencyMs": 200, "errorRate": 0.05, "status": 503, "count": 3, "retryAfter": 2,
//!   "capacityFailures": 1}`. `status` + `count` make the next `count` API requests (default 1)
//!   answer `status` with `Retry-After: retryAfter` if given; `errorRate` answers that fraction
//!   of API requests with a 500; `capacityFailures` makes the next starts end in an `error`
//!   event carrying `CAPACITY_ERROR_MESSAGE` with the machine back `off`. Answers the new
//!   settings; a bad value is a 400 and changes nothing.
//! * `DELETE /__emulator/faults`: no faults at all.
//! * `POST /__emulator/availability` `{"region": "ams1", "machineType": "V100",
//!   "available": true}`: override what `getAvailability` answers (persisted).
//!
//! Injected failures happen before authentication and before the request is handled, so a
//! failed request never changed anything and is always safe to retry.
//!
//! # Durability
//! With `--state-file`, every change is written atomically (temp file, fsync, rename) before
//! its response is sent, so `kill -9` loses nothing that was acknowledged (see `service`).
//! The file's format is the emulator's own (see `persist`).

mod catalog;
mod changes;
mod clock;
mod config;
mod control;
mod drives;
mod faults;
mod http;
mod ips;
mod legacy;
mod lifecycle;
mod multipart;
mod networks;
mod params;
mod persist;
mod power;
mod record;
mod scripts;
mod service;
mod snapshots;
mod store;
mod templates;
mod users;
mod v1;

pub use config::{ABOUT, Config, EmulatorArgs};
pub use faults::FaultSettings;

/// The message of the error event a start that failed for lack of capacity records (the text
/// of the live service's own example: tests/fixtures/paperspace-node.jsdoc_response_examples.json).
pub const CAPACITY_ERROR_MESSAGE: &str = "Uh oh. This machine type can't start due to insufficient capacity or higher than normal demand. Please try again later.";

use crate::vocab::REGIONS;
use anyhow::Context;
use changes::Changes;
use service::Emulator;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use store::{NewMachine, Store};

/// A running emulator: where it listens, and how to stop it.
pub struct RunningEmulator {
    addr: SocketAddr,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningEmulator {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL, e.g. `http://127.0.0.1:38211` (what `PAPERSPACE_CONFIG_HOST` should be).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop accepting connections, let requests in flight finish, and return.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(());
        self.task
            .await
            .context("emulator task failed")?
            .context("emulator server failed")
    }

    /// Stop abruptly, as `kill -9` would: no draining, no final write. Anything acknowledged
    /// is already in the state file.
    pub fn abort(self) {
        self.task.abort();
    }
}

/// Load the state file, seed machines, bind `127.0.0.1:port` and serve in a background task
/// of the current runtime.
pub async fn start(config: Config) -> anyhow::Result<RunningEmulator> {
    let mut store = match &config.state_file {
        Some(path) => match persist::load(path)? {
            Some(store) => store,
            None => {
                // Write the empty state now: a state file in a missing or read-only directory
                // fails the start, not every later change.
                let store = Store::default();
                let bytes = serde_json::to_vec(&store)?;
                persist::write_atomic(path, &bytes)
                    .with_context(|| format!("cannot write state file {}", path.display()))?;
                store
            }
        },
        None => Store::default(),
    };
    store.adopt_static_ips();
    let emulator = Arc::new(Emulator::new(config.clone(), store));
    seed(&emulator).await?;

    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", config.port))?;
    let addr = listener.local_addr()?;
    let app = legacy::router(emulator.clone())
        .merge(v1::router(emulator.clone()))
        .merge(control::router())
        .with_state(emulator);
    let (shutdown, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = shutdown_rx.await;
            })
            .await
    });
    Ok(RunningEmulator {
        addr,
        shutdown,
        task,
    })
}

/// Top the store up to `seed_machines` machines, all ready now (created two steps ago).
async fn seed(emulator: &Emulator) -> anyhow::Result<()> {
    let wanted = emulator.config.seed_machines;
    let missing = emulator.read(|store, _| wanted.saturating_sub(store.machines.len()));
    if missing == 0 {
        return Ok(());
    }
    let step = emulator.config.transition_ms as i64;
    emulator
        .mutate(|store, ctx| {
            ctx.now -= 2 * step + 1;
            let types = ["C4", "C5", "P4000", "Air", "GPU+"];
            for i in 0..missing {
                let n = store.machines.len();
                let machine_type = catalog::spec(types[i % types.len()])
                    .ok_or_else(|| http::ApiError::internal("a seed type is not in the catalog"))?;
                let region = &REGIONS[n % REGIONS.len()];
                let name = format!("seed-{n}");
                let template = "tkni3aa4".to_string();
                let new = NewMachine::new(region, machine_type, 50, "hourly", name, template);
                store.create(new, Changes::default(), ctx)?;
            }
            Ok(())
        })
        .await
        .map_err(|e| anyhow::anyhow!("cannot seed machines: {}", e.message))
}

/// `paperspace emulator`: serve until Ctrl-C (or SIGTERM), then shut down cleanly.
pub fn run(config: Config) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let running = start(config).await?;
        eprintln!("paperspace emulator listening on {}", running.url());
        wait_for_shutdown_signal().await;
        eprintln!("paperspace emulator shutting down");
        running.stop().await
    })
}

async fn wait_for_shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
