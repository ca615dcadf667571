//! The machines API: its typed model, the table of commands, and pure request building.
pub mod model;
