//! `paperspace`: a command-line client for Paperspace Core machines, drop-in compatible with
//! the legacy `paperspace-node` CLI, on the legacy API and on today's v1 API.
//!
//! The crate reads top-down (ARCHITECTURE.md has the whole picture): `app` runs one
//! invocation; `cli` turns argv into validated `api` invocations; `api` holds the command
//! table, both backends' planners and the answers' types, all pure; `execute` carries plans
//! out over `http`; `output` renders; `config`, `terminal` and `fsutil` are the edges to the
//! environment. `emulator` (feature `emulator`) is a local stand-in for both APIs.

pub mod api;
pub(crate) mod app;
pub mod cli;
pub(crate) mod config;
#[cfg(feature = "emulator")]
mod demo;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod error;
pub(crate) mod execute;
pub(crate) mod fsutil;
pub(crate) mod http;
pub(crate) mod login;
pub mod output;
pub(crate) mod terminal;
#[cfg(test)]
mod test_support;
pub mod vocab;

pub use app::run;
pub use config::Environment;
