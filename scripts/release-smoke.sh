#!/usr/bin/env bash
# Release smoke test: build the release archive for one target with dist (cargo-dist), check
# its checksum, unpack it, and run the binary inside: `--version` must name this version and
# the commit, `demo` must walk a machine through its life against the built-in emulator.
#
#   bash scripts/release-smoke.sh                      # this machine's target
#   bash scripts/release-smoke.sh --target x86_64-unknown-linux-musl
#   bash scripts/release-smoke.sh --no-build           # test the archive already in target/distrib
#
# Needs `dist` (cargo install cargo-dist --locked) and, for a musl target, that rustup target
# and musl-tools. Builds with the `dist` profile (fat LTO): a few minutes on 2 cores. Not part
# of `cargo test`; CI runs it in the `release-smoke` job of ci.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

target=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "usage: $0 [--target TRIPLE] [--no-build]" >&2; exit 2 ;;
  esac
done
[ -n "$target" ] || target=$(rustc -vV | sed -n 's/^host: //p')
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
fail() { echo "release-smoke: FAIL: $*" >&2; exit 1; }
step() { echo "release-smoke: $*" >&2; }

if [ "$build" = 1 ]; then
  step "dist build --artifacts=local --target $target"
  dist build --artifacts=local --target "$target" >&2
fi

case "$target" in
  *windows*) archive="target/distrib/paperspace-$target.zip"; exe=paperspace.exe ;;
  *) archive="target/distrib/paperspace-$target.tar.xz"; exe=paperspace ;;
esac
[ -f "$archive" ] || fail "no archive $archive"
[ -f "$archive.sha256" ] || fail "no checksum $archive.sha256"
sha256() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }
[ "$(cut -d' ' -f1 "$archive.sha256")" = "$(sha256 "$archive")" ] || fail "checksum of $archive does not match"
step "archive $archive, checksum ok"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$archive" in
  *.zip) unzip -q "$archive" -d "$work" ;;
  *) tar -xJf "$archive" -C "$work" ;;
esac
bin=$(find "$work" -type f -name "$exe" | head -n 1)
[ -n "$bin" ] || fail "no $exe in $archive"
for doc in README.md LICENSE; do
  [ -n "$(find "$work" -type f -name "$doc")" ] || fail "no $doc in $archive"
done

# A clean environment: a fresh HOME, none of the user's PAPERSPACE_* settings.
home="$work/home"
mkdir -p "$home"
run() {
  env -u PAPERSPACE_API_KEY -u PAPERSPACE_CONFIG_HOST -u PAPERSPACE_API -u PAPERSPACE_API_URL \
    -u PAPERSPACE_FORMAT HOME="$home" USERPROFILE="$home" NO_COLOR=1 "$bin" "$@"
}

out=$(run --version)
step "--version: $out"
case "$out" in
  "paperspace $version ("*")") ;;
  "paperspace $version")
    if [ -e .git ]; then fail "built from a git checkout but --version names no commit: $out"; fi ;;
  *) fail "--version printed '$out', expected 'paperspace $version (...)'" ;;
esac
if command -v git >/dev/null && head=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  case "$out" in *"($head"*) ;; *) fail "--version does not name HEAD ($head): $out" ;; esac
fi
[ "$(run version)" = "$out" ] || fail "'paperspace version' differs from --version"

case "$target" in
  *linux-musl*)
    if command -v ldd >/dev/null && ldd "$bin" 2>&1 | grep -q '=>'; then
      fail "the musl binary links shared libraries: $(ldd "$bin" 2>&1 | tr '\n' ' ')"
    fi
    step "static binary (no shared libraries)" ;;
esac

step "demo"
if ! run demo >"$work/demo.out" 2>"$work/demo.err"; then
  cat "$work/demo.out" "$work/demo.err" >&2
  fail "demo exited non-zero"
fi
tail -n 1 "$work/demo.err" | grep -q '^Done: ' || { cat "$work/demo.err" >&2; fail "demo did not finish its tour"; }
step "demo: $(tail -n 1 "$work/demo.err")"
echo "release-smoke: PASS ($target, $(wc -c <"$bin" | tr -d ' ') bytes)"
