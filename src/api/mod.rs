//! The Paperspace APIs as values, with no I/O: the command table, flag validation, the typed
//! answers, the planners of both backends, and response decoding. Nothing here imports the
//! output, HTTP, config or CLI layers (ARCHITECTURE.md, "Layers").

pub mod backend;
pub mod commands;
pub mod legacy;
pub mod model;
pub mod params;
pub mod plan;
pub mod request;
pub mod response;
pub mod spec;
pub mod v1;
pub mod wait;

pub use backend::Backend;
