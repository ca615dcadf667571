//! The live Paperspace API (v1, `https://api.paperspace.com/v1`, `Authorization: Bearer`): its
//! wire types, the planner that runs the legacy commands on it, and the mapping of its answers
//! to the legacy shapes. What is known of the live service beyond its document is in
//! docs/v1.md.

pub mod mapping;
pub(crate) mod namespaces;
pub mod plan;
pub mod wire;

use crate::error::{CliError, ErrorKind, Result};

/// Where the live API is unless `PAPERSPACE_API_URL` says otherwise.
pub const DEFAULT_URL: &str = "https://api.paperspace.com/v1";

/// The most items v1 returns in one page (the document's `limit` maximum).
pub const PAGE_LIMIT: u64 = 120;

/// Read a v1 answer as `T`; a 2xx body of another shape is an API error.
pub fn parse<'a, T: serde::Deserialize<'a>>(json: &'a str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| {
        CliError::new(
            ErrorKind::Api { status: 200 },
            format!("the v1 API answered with an unexpected shape: {e}"),
        )
    })
}
