//! The emulator over real HTTP, one test binary (`cargo test --test emulator`; it needs the
//! `emulator` feature, on by default): the legacy API's shapes, errors, lifecycle, list,
//! utilization, availability and login (`api`), the legacy templates, scripts, networks and
//! users (`namespaces`), fault injection (`faults`), the real legacy CLI against it
//! (`legacy`), durability of the state file (`persist`) and the v1 API (`v1`).

mod api;
mod common;
mod faults;
mod legacy;
mod namespaces;
mod persist;
mod v1;
