//! `paperspace`: a command-line client for Paperspace Core machines.
pub mod api;
pub mod emulator;
