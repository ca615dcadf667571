//! The machines API: its typed model, the table of commands, pure request building and
//! pure response decoding.
pub mod model;
pub mod request;
pub mod response;
pub mod spec;
pub mod v1;
