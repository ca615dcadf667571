//! Black-box tests of the `paperspace` binary against local wiremock servers.
mod auth;
mod commands;
mod e2e;
mod errors;
mod fixtures;
mod help;
mod support;
mod waitfor;
