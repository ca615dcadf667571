//! Black-box tests of the `paperspace` binary against local wiremock servers, and end to end
//! against the emulator (those need the `emulator` feature: the lean client's own tests are
//! the rest, `cargo test --no-default-features`).
mod auth;
mod commands;
#[cfg(feature = "emulator")]
mod e2e;
#[cfg(feature = "emulator")]
mod e2e_v1;
mod ergonomics;
mod errors;
mod faults;
mod fixtures;
mod help;
mod keys;
mod live;
mod namespaces;
mod openapi;
mod operations;
mod outputs;
#[cfg(feature = "emulator")]
mod session;
mod support;
mod v1;
mod waitfor;
