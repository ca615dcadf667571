//! Fault injection: latency, a random error rate, a scripted status for the next N requests,
//! and capacity failures of the next starts. Runtime-only (never persisted): a restart comes
//! back healthy unless the flags say otherwise.

use super::http::ApiError;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

/// The adjustable part, as `GET/POST /__emulator/faults` show and take it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSettings {
    /// Delay before every API request is handled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Fraction (0..=1) of API requests answered with a 500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<f64>,
    /// Status of the scripted failures (`count` of them), with `retryAfter` seconds if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// The next this-many starts end in the capacity error event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_failures: Option<u32>,
}

/// Live fault state.
#[derive(Debug)]
pub(crate) struct Faults {
    latency_ms: u64,
    error_rate: f64,
    scripted: Option<Scripted>,
    capacity_failures: u32,
    rng: fastrand::Rng,
}

#[derive(Debug, Clone, Copy)]
struct Scripted {
    status: StatusCode,
    remaining: u32,
    retry_after: Option<u64>,
}

/// What to do with one incoming API request.
#[derive(Debug)]
pub(crate) struct Verdict {
    pub delay_ms: u64,
    pub fail: Option<ApiError>,
}

impl Faults {
    /// `seed` fixes the error-rate dice, so a test can predict which requests fail.
    pub(crate) fn new(seed: Option<u64>) -> Faults {
        Faults {
            latency_ms: 0,
            error_rate: 0.0,
            scripted: None,
            capacity_failures: 0,
            rng: seed.map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed),
        }
    }

    /// Faults as `settings` (the command line's, already validated by `Config`) have them.
    pub(crate) fn configured(seed: Option<u64>, settings: &FaultSettings) -> Faults {
        let mut faults = Faults::new(seed);
        let _ = faults.apply(settings);
        faults
    }

    /// Apply settings: fields given replace the current ones, absent fields stay. A bad value
    /// changes nothing.
    pub(crate) fn apply(&mut self, s: &FaultSettings) -> Result<(), String> {
        if let Some(rate) = s.error_rate
            && !(0.0..=1.0).contains(&rate)
        {
            return Err(format!("errorRate must be between 0 and 1, got {rate}"));
        }
        let scripted_status = match s.status {
            Some(code) => Some(
                StatusCode::from_u16(code)
                    .ok()
                    .filter(|c| c.is_client_error() || c.is_server_error())
                    .ok_or_else(|| {
                        format!("status must be an HTTP error status (400-599), got {code}")
                    })?,
            ),
            None => None,
        };
        if let Some(ms) = s.latency_ms {
            self.latency_ms = ms;
        }
        if let Some(rate) = s.error_rate {
            self.error_rate = rate;
        }
        match (scripted_status, s.count) {
            (Some(status), count) => {
                self.scripted = Some(Scripted {
                    status,
                    remaining: count.unwrap_or(1),
                    retry_after: s.retry_after,
                });
            }
            (None, Some(count)) => {
                if let Some(scripted) = &mut self.scripted {
                    scripted.remaining = count;
                } else if count > 0 {
                    return Err("count needs a status".to_string());
                }
            }
            (None, None) => {}
        }
        if let Some(n) = s.capacity_failures {
            self.capacity_failures = n;
        }
        Ok(())
    }

    pub(crate) fn settings(&self) -> FaultSettings {
        let scripted = self.scripted.filter(|s| s.remaining > 0);
        FaultSettings {
            latency_ms: Some(self.latency_ms),
            error_rate: Some(self.error_rate),
            status: scripted.map(|s| s.status.as_u16()),
            count: Some(scripted.map_or(0, |s| s.remaining)),
            retry_after: scripted.and_then(|s| s.retry_after),
            capacity_failures: Some(self.capacity_failures),
        }
    }

    /// Decide the fate of one API request. Scripted failures come first (they are what a test
    /// asked for explicitly), then the random error rate.
    pub(crate) fn verdict(&mut self) -> Verdict {
        let delay_ms = self.latency_ms;
        if let Some(scripted) = &mut self.scripted
            && scripted.remaining > 0
        {
            scripted.remaining -= 1;
            let reason = scripted.status.canonical_reason().unwrap_or("Error");
            let mut error = ApiError::new(
                scripted.status,
                format!("{reason} (injected by paperspace emulator)"),
            );
            error.retry_after = scripted.retry_after;
            return Verdict {
                delay_ms,
                fail: Some(error),
            };
        }
        if self.error_rate > 0.0 && self.rng.f64() < self.error_rate {
            return Verdict {
                delay_ms,
                fail: Some(ApiError::internal(
                    "Internal server error (injected by paperspace emulator)",
                )),
            };
        }
        Verdict {
            delay_ms,
            fail: None,
        }
    }

    /// Spend one capacity failure, if any are armed.
    pub(crate) fn take_capacity_failure(&mut self) -> bool {
        if self.capacity_failures > 0 {
            self.capacity_failures -= 1;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripted_failures_run_out_then_requests_pass() {
        let mut faults = Faults::new(Some(1));
        faults
            .apply(&FaultSettings {
                status: Some(503),
                count: Some(2),
                retry_after: Some(2),
                ..Default::default()
            })
            .unwrap();
        for _ in 0..2 {
            let fail = faults.verdict().fail.unwrap();
            assert_eq!(fail.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(fail.retry_after, Some(2));
        }
        assert!(faults.verdict().fail.is_none());
    }

    #[test]
    fn bad_settings_are_rejected_whole() {
        let mut faults = Faults::new(None);
        let bad = FaultSettings {
            latency_ms: Some(5),
            error_rate: Some(1.5),
            ..Default::default()
        };
        assert!(faults.apply(&bad).is_err());
        assert_eq!(faults.settings().latency_ms, Some(0));
        assert!(
            faults
                .apply(&FaultSettings {
                    status: Some(200),
                    ..Default::default()
                })
                .is_err()
        );
    }

    #[test]
    fn error_rate_is_reproducible_with_a_seed() {
        let run = || {
            let mut faults = Faults::new(Some(42));
            faults
                .apply(&FaultSettings {
                    error_rate: Some(0.5),
                    ..Default::default()
                })
                .unwrap();
            (0..64)
                .map(|_| faults.verdict().fail.is_some())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        assert!(first.iter().any(|f| *f) && first.iter().any(|f| !*f));
    }
}
