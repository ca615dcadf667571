//! Black-box tests of the `paperspace` binary against local wiremock servers.
mod auth;
mod commands;
mod e2e;
mod ergonomics;
mod errors;
mod faults;
mod fixtures;
mod help;
mod outputs;
mod session;
mod support;
mod v1;
mod waitfor;
