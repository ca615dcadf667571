//! `paperspace emulator`: a local, stateful stand-in for the legacy Paperspace machines API
//! (the API `paperspace-node@0.2.4` talks to), for tests, demos and benchmarks.
//!
//! # API
//! Served at the host root on `127.0.0.1` only, JSON in and out, in the legacy shapes
//! (`machines-api.txt`): `POST /machines/createSingleMachinePublic`,
//! `POST /machines/{id}/{start,stop,restart,destroyMachine,updateMachinePublic,setMachineAccess}`,
//! `GET /machines/{getMachines,getMachinePublic,getUtilization,getAvailability}`, and the login
//! pair `POST /users/login`, `POST /apiTokens/createPublic`. `/machines/*` needs an
//! `x-api-key` header; errors are `{"error":{"name":"Error","status":N,"message":"..."}}`
//! (401 `No such API token`, 404 `Not found`, 400 naming the parameter).
//!
//! The live API (v1) is served too, under `/v1`, on the same machines (see [`v1_routes`]):
//! `GET/POST /v1/machines`, `GET/PUT/DELETE /v1/machines/{id}`,
//! `PATCH /v1/machines/{id}/{start,stop,restart}`, `/v1/machines/{id}/accessors[/{userId}]`,
//! `GET /v1/machine-events[/{id}]` and `GET /v1/machine-availability`, authenticated by
//! `Authorization: Bearer <key>` (same keys as `x-api-key`), errors as
//! `{"message": "...", "code": "NOT_FOUND"}`.
//!
//! Machine states are derived from timestamps (see [`lifecycle`]): each transition step lasts
//! `--transition-ms`, so a machine is right whenever it is read and nothing runs in the
//! background.
//!
//! # Control API (no API key; never affected by injected faults)
//! * `GET /__emulator/state`: the whole state (`machines` rendered now with events, and the
//!   raw `store` that the state file holds), plus the current `faults`.
//! * `POST /__emulator/reset`: forget every machine, issued key, token and availability
//!   override, and clear faults back to the command-line settings. `204`.
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
//! its response is sent, so `kill -9` loses nothing that was acknowledged (see [`service`]).

mod catalog;
mod clock;
mod faults;
pub mod lifecycle;
mod params;
mod persist;
mod reply;
mod routes;
pub mod service;
mod state;
mod v1_routes;

pub use faults::FaultSettings;

/// The message of the error event a start that failed for lack of capacity records (the text
/// of the live service's own example: tests/fixtures/paperspace-node.jsdoc_response_examples.json).
pub const CAPACITY_ERROR_MESSAGE: &str = "Uh oh. This machine type can't start due to insufficient capacity or higher than normal demand. Please try again later.";

use crate::vocab::{MACHINE_TYPES, REGIONS, Region};
use anyhow::{Context, bail};
use service::Emulator;
use state::{CreateRequest, Store};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// Run a local, stateful emulator of the legacy Paperspace machines API (127.0.0.1 only).
#[derive(Debug, Clone, clap::Args)]
pub struct EmulatorArgs {
    /// Port to listen on (always on 127.0.0.1); 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Keep the state in FILE (loaded at start if it exists, rewritten atomically on change).
    #[arg(long, value_name = "FILE")]
    pub state_file: Option<PathBuf>,
    /// Accept only this API key (repeatable; keys issued by login are accepted too).
    /// Without it, any non-empty key is accepted.
    #[arg(long = "api-key", value_name = "KEY")]
    pub api_keys: Vec<String>,
    /// Accept only this login for /users/login (repeatable, EMAIL:PASSWORD). Without it, any
    /// non-empty email and password log in.
    #[arg(long = "user", value_name = "EMAIL:PASSWORD")]
    pub users: Vec<String>,
    /// Length of one lifecycle step (provisioning, starting, serviceready, stopping, ...).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub transition_ms: u64,
    /// Make sure at least N ready machines exist at start (for benchmarks of large lists).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: usize,
    /// Delay every API request by MS milliseconds.
    #[arg(long, value_name = "MS")]
    pub latency_ms: Option<u64>,
    /// Answer this fraction (0 to 1) of API requests with a 500.
    #[arg(long, value_name = "RATE")]
    pub error_rate: Option<f64>,
    /// Answer the next N API requests with --fail-status (and --retry-after).
    #[arg(long, value_name = "N")]
    pub fail_next: Option<u32>,
    /// Status of the --fail-next answers.
    #[arg(long, value_name = "STATUS", default_value_t = 503)]
    pub fail_status: u16,
    /// Retry-After seconds of the --fail-next answers.
    #[arg(long, value_name = "SECONDS")]
    pub retry_after: Option<u64>,
    /// The next N machine starts fail for lack of capacity.
    #[arg(long, value_name = "N")]
    pub capacity_failures: Option<u32>,
    /// Seed of the emulator's randomness (ids, error-rate dice), for reproducible runs.
    #[arg(long, value_name = "N")]
    pub random_seed: Option<u64>,
    /// Report REGION:TYPE as available (repeatable; region as long name or short code).
    #[arg(long, value_name = "REGION:TYPE")]
    pub available: Vec<String>,
    /// Report REGION:TYPE as unavailable (repeatable). V100 and P6000 in Europe (AMS1) are
    /// unavailable by default.
    #[arg(long, value_name = "REGION:TYPE")]
    pub unavailable: Vec<String>,
}

/// Everything the emulator needs to run, already validated.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    pub state_file: Option<PathBuf>,
    pub api_keys: Vec<String>,
    /// `(email, password)` pairs; empty means any non-empty login works.
    pub users: Vec<(String, String)>,
    pub transition_ms: u64,
    pub seed_machines: usize,
    /// Initial faults (also what `POST /__emulator/reset` returns to).
    pub faults: FaultSettings,
    pub rng_seed: Option<u64>,
    /// Availability from the command line: (`"<region>|<type>"`, available).
    pub availability: Vec<(String, bool)>,
}

impl Config {
    /// A config for tests: free port, no state file, any key, the given step length.
    pub fn ephemeral(transition_ms: u64) -> Config {
        Config {
            transition_ms,
            ..Config::default()
        }
    }
}

fn parse_region_type(text: &str) -> anyhow::Result<String> {
    // Split at the last ':' so a long region name (which has no ':') works as well as a code.
    let (region, machine_type) = text
        .rsplit_once(':')
        .with_context(|| format!("expected REGION:TYPE, got '{text}'"))?;
    let region = Region::find(region)
        .map(|r| r.name)
        .with_context(|| format!("unknown region '{region}'"))?;
    if !MACHINE_TYPES.contains(&machine_type) {
        bail!("unknown machine type '{machine_type}'");
    }
    Ok(state::availability_key(region, machine_type))
}

impl TryFrom<EmulatorArgs> for Config {
    type Error = anyhow::Error;

    fn try_from(args: EmulatorArgs) -> anyhow::Result<Config> {
        let users = args
            .users
            .iter()
            .map(|u| {
                u.split_once(':')
                    .filter(|(email, password)| !email.is_empty() && !password.is_empty())
                    .map(|(e, p)| (e.to_string(), p.to_string()))
                    .with_context(|| format!("--user expects EMAIL:PASSWORD, got '{u}'"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        if args.api_keys.iter().any(|k| k.is_empty()) {
            bail!("--api-key must not be empty");
        }
        let mut availability = Vec::new();
        for (list, available) in [(&args.available, true), (&args.unavailable, false)] {
            for item in list {
                let key = parse_region_type(item).context("--available/--unavailable")?;
                availability.push((key, available));
            }
        }
        let faults = FaultSettings {
            latency_ms: args.latency_ms,
            error_rate: args.error_rate,
            status: args.fail_next.map(|_| args.fail_status),
            count: args.fail_next,
            retry_after: args.retry_after,
            capacity_failures: args.capacity_failures,
        };
        // Validate the fault flags the same way the control API does.
        faults::Faults::new(None)
            .apply(&faults)
            .map_err(|e| anyhow::anyhow!("invalid fault option: {e}"))?;
        Ok(Config {
            port: args.port,
            state_file: args.state_file,
            api_keys: args.api_keys,
            users,
            transition_ms: args.transition_ms,
            seed_machines: args.seed,
            faults,
            rng_seed: args.random_seed,
            availability,
        })
    }
}

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
    let store = match &config.state_file {
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
    let emulator = Arc::new(Emulator::new(config.clone(), store));
    seed(&emulator).await?;

    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", config.port))?;
    let addr = listener.local_addr()?;
    let app = routes::router(emulator);
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
                let request = CreateRequest {
                    region: REGIONS[n % 3].name.to_string(),
                    machine_type: types[i % types.len()].to_string(),
                    size_gb: 50,
                    billing_type: "hourly".to_string(),
                    name: format!("seed-{n}"),
                    template_id: "tkni3aa4".to_string(),
                    start_on_create: true,
                    ..CreateRequest::default()
                };
                store.create(request, ctx)?;
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
