//! The state file: loaded once at start, rewritten atomically after every change (a request
//! that changed nothing leaves it as it is: `service::Emulator::commit`).
//!
//! It holds the emulator's own rows (`store::Store`, `record::MachineRecord`), not either
//! API's wire shape. That format replaced an earlier one whose machines were the legacy wire
//! machine (`{"machine": {...}, "createdMs": ...}`); a state file of the earlier format does
//! not load (the start fails naming the file, which is left untouched; delete it to start
//! afresh).
//!
//! Atomic means a reader (or a restart after `kill -9` or a power cut) sees either the old file
//! or the new one, never a torn mix: the bytes go to a temporary file in the same directory,
//! are fsynced, and the temporary file is renamed over the real one; then the directory is
//! fsynced so the rename itself is durable.

use super::store::Store;
use anyhow::Context;
use std::path::Path;
use std::{fs, io};

/// Read the state file. A missing file is an empty start; an unreadable or corrupt one is an
/// error (starting empty would overwrite the user's data on the first change).
pub(crate) fn load(path: &Path) -> anyhow::Result<Option<Store>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read state file {}", path.display()));
        }
    };
    let store = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "state file {} is not a valid emulator state",
            path.display()
        )
    })?;
    Ok(Some(store))
}

/// Replace the state file atomically and durably, owner-only (it holds issued API keys and
/// access tokens): the crate's one atomic write.
pub(crate) use crate::fsutil::write_atomic;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_the_file_and_leave_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert!(load(&path).unwrap().is_none());
        write_atomic(&path, b"{}").unwrap();
        write_atomic(&path, br#"{"machines":[]}"#).unwrap();
        assert_eq!(load(&path).unwrap(), Some(Store::default()));
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_corrupt_file_is_an_error_not_an_empty_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        fs::write(&path, "{not json").unwrap();
        let err = load(&path).unwrap_err();
        assert!(format!("{err:#}").contains("not a valid emulator state"));
    }
}
