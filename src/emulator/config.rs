//! The emulator's configuration: the flags of `paperspace emulator` ([`EmulatorArgs`]) and
//! the validated [`Config`] that [`super::start`] takes.

use super::catalog;
use super::faults::{FaultSettings, Faults};
use super::store::availability_key;
use crate::vocab::Region;
use anyhow::{Context, bail};
use std::path::PathBuf;

/// What `paperspace --help` says of the emulator.
pub const ABOUT: &str =
    "Run a local, stateful emulator of the Paperspace APIs, legacy and v1 (127.0.0.1 only)";

/// `paperspace emulator`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(about = ABOUT)]
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

/// `--available`/`--unavailable` REGION:TYPE as the key of an availability override.
fn parse_region_type(text: &str) -> anyhow::Result<String> {
    // Split at the last ':' so a long region name (which has no ':') works as well as a code.
    let (region, machine_type) = text
        .rsplit_once(':')
        .with_context(|| format!("expected REGION:TYPE, got '{text}'"))?;
    let region = Region::find(region).with_context(|| format!("unknown region '{region}'"))?;
    let machine_type = catalog::spec(machine_type)
        .with_context(|| format!("unknown machine type '{machine_type}'"))?;
    Ok(availability_key(region, machine_type))
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
        Faults::new(None)
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
