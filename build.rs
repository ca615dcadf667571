//! Sets `PAPERSPACE_VERSION` for `paperspace --version`: the package version, followed by
//! the commit it was built from when that is known, e.g. `0.1.0 (abc1234 2026-12-01)`.
//!
//! Where the commit comes from, first that applies:
//! 1. a git checkout whose top level is this package: `git log -1` (short hash, commit date);
//! 2. a packaged crate (crates.io, `cargo package`): the `.cargo_vcs_info.json` cargo writes
//!    into it (the hash only; the date is not recorded there);
//! 3. otherwise (no git, a crate vendored into another repository...): just the version.
//!
//! Cheap by design: two or three `git` calls, and Cargo reruns this only when HEAD (or the
//! branch it points at) moves, not on every edit. Uncommitted changes are not marked: the
//! hash names the commit the tree was based on.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = from_git(&manifest_dir).or_else(|| from_vcs_info(&manifest_dir));
    let line = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=PAPERSPACE_VERSION={line}");
}

/// `git` in `dir`, its trimmed stdout when it succeeded and printed something.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}

fn from_git(dir: &Path) -> Option<String> {
    // Only a checkout of this package: a crate unpacked or vendored inside some other
    // repository must not report that repository's commit.
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), dir) {
        return None;
    }
    // Rerun when HEAD moves: HEAD itself (a checkout, a detached commit) and the branch it
    // names (a commit, a reset), loose or packed. Only paths that exist: Cargo reruns a
    // build script on every build while a watched path is missing. A branch that is only
    // packed (a fresh clone) gets its loose file on the next commit: the folder it will be
    // written to is watched instead, so that commit is seen too.
    let git_dir = git(dir, &["rev-parse", "--absolute-git-dir"]).map(PathBuf::from)?;
    // `--git-common-dir` may answer relative to the directory git ran in (`.git`), not to
    // the git dir: joined onto `dir` (an absolute answer, from a worktree, stays as it is).
    let common_dir = git(dir, &["rev-parse", "--git-common-dir"])
        .map(|d| dir.join(d))
        .unwrap_or_else(|| git_dir.clone());
    let mut watched = vec![git_dir.join("HEAD"), common_dir.join("packed-refs")];
    if let Ok(head) = std::fs::read_to_string(git_dir.join("HEAD"))
        && let Some(branch) = head.trim().strip_prefix("ref: ")
    {
        let loose = common_dir.join(branch);
        match (loose.exists(), loose.parent()) {
            (false, Some(folder)) => watched.push(folder.to_path_buf()),
            _ => watched.push(loose),
        }
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    git(
        dir,
        &[
            "-c",
            "log.showSignature=false",
            "log",
            "-1",
            "--abbrev=7",
            "--format=%h %cs",
        ],
    )
}

/// The commit recorded by `cargo package`: `{"git": {"sha1": "<40 hex>", ...}, ...}`.
fn from_vcs_info(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let rest = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let hash: String = rest
        .strip_prefix('"')?
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hash.len() >= 7).then(|| hash[..7].to_string())
}
