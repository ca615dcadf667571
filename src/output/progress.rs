//! The spinner on stderr while a command waits or pages: the current state and the elapsed
//! time. Shown only when stderr is a terminal and `CI` is unset (decided once, in
//! `Presentation::progress`); otherwise every call here is a no-op, so stdout and pipes are
//! never touched.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// All spinners of one run (several when several machines are waited for at once).
#[derive(Clone)]
pub struct Progress {
    bars: Option<MultiProgress>,
}

/// One spinner line; dropping it clears the line.
pub struct Spinner {
    bar: Option<ProgressBar>,
    label: String,
}

impl Progress {
    pub fn new(enabled: bool) -> Progress {
        Progress {
            bars: enabled.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// A spinner that reads "`label`: `status` (elapsed)".
    pub fn spinner(&self, label: impl Into<String>) -> Spinner {
        let label = label.into();
        let bar = self.bars.as_ref().map(|bars| {
            let bar = bars.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("the template is valid"),
            );
            bar.set_message(label.clone());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Spinner { bar, label }
    }
}

impl Spinner {
    pub fn status(&self, status: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{}: {status}", self.label));
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
