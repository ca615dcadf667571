//! Shared harness: run the real binary against a wiremock server with a pinned environment.

use assert_cmd::Command;
use std::path::Path;
use tempfile::TempDir;
use wiremock::matchers::any;
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

pub const KEY: &str = "test-key-5f3a9c";

/// What a test passes on from the environment it runs in: only what the OS needs to start
/// programs. Everything else (`PAPERSPACE_*`, `NO_COLOR`, `CLICOLOR_FORCE`, `CI`, proxies, ...)
/// is cleared, so no result depends on the developer's shell; a test sets what it needs.
const PASSED_ON: &[&str] = &[
    "PATH",
    "TMPDIR",
    "TEMP",
    "TMP",
    "SYSTEMROOT",
    "WINDIR",
    "LLVM_PROFILE_FILE",
];

/// A command for `program` with the environment cleared but for `PASSED_ON`.
pub fn isolated(program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    cmd.env_clear();
    for name in PASSED_ON {
        if let Some(value) = std::env::var_os(name) {
            cmd.env(name, value);
        }
    }
    cmd
}

/// The `paperspace` binary under test, isolated.
pub fn paperspace() -> std::process::Command {
    isolated(assert_cmd::cargo::cargo_bin("paperspace"))
}

/// A fresh home directory (no config file unless a test writes one).
pub struct Sandbox {
    pub home: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            home: tempfile::tempdir().expect("temp home"),
        }
    }

    pub fn write_config(&self, text: &str) {
        let dir = self.home.path().join(".paperspace");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.json"), text).unwrap();
    }

    pub fn config_path(&self) -> std::path::PathBuf {
        self.home.path().join(".paperspace").join("config.json")
    }

    /// The binary with HOME here, no key and no host configured.
    pub fn bare(&self) -> Command {
        let mut cmd = Command::from_std(paperspace());
        cmd.env("HOME", self.home.path())
            .env("USERPROFILE", self.home.path())
            .env("NO_COLOR", "1")
            .timeout(std::time::Duration::from_secs(30));
        cmd
    }

    /// The binary pointed at `server` with the test key in the environment.
    pub fn cli(&self, server: &MockServer) -> Command {
        let mut cmd = self.bare();
        cmd.env("PAPERSPACE_CONFIG_HOST", server.uri())
            .env("PAPERSPACE_API_KEY", KEY);
        cmd
    }

    /// The binary on v1 (`PAPERSPACE_API=v1`), whose base URL is `server`'s `/v1`.
    pub fn v1_cli(&self, server: &MockServer) -> Command {
        let mut cmd = self.bare();
        cmd.env("PAPERSPACE_API", "v1")
            .env("PAPERSPACE_API_URL", format!("{}/v1", server.uri()))
            .env("PAPERSPACE_API_KEY", KEY);
        cmd
    }
}

/// Matches the raw query string exactly (order and encoding), or its absence.
pub struct ExactQuery(pub Option<&'static str>);

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query() == self.0
    }
}

/// Matches a request that has no body at all.
pub struct NoBody;

impl Match for NoBody {
    fn matches(&self, request: &Request) -> bool {
        request.body.is_empty()
    }
}

/// Fails the test (on server drop) if any request arrives.
pub async fn expect_no_request(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("no request may be sent")
        .mount(server)
        .await;
}

/// A mock of `verb route` whose query is exactly `query` and which carries the key as `auth`
/// says, answering 200 with the JSON `body`.
pub fn json_route(
    verb: &str,
    route: &str,
    query: Option<&'static str>,
    auth: Auth,
    body: &str,
) -> Mock {
    let (name, value) = match auth {
        Auth::ApiKey => ("x-api-key", KEY.to_string()),
        Auth::Bearer => ("authorization", format!("Bearer {KEY}")),
    };
    Mock::given(wiremock::matchers::method(verb))
        .and(wiremock::matchers::path(route))
        .and(ExactQuery(query))
        .and(wiremock::matchers::header(name, value.as_str()))
        .respond_with(json_response(200, body))
}

/// How a request carries the key: the legacy API's header, or v1's bearer token.
#[derive(Debug, Clone, Copy)]
pub enum Auth {
    ApiKey,
    Bearer,
}

/// Every request a server received, as `METHOD /path?query`, in order.
pub async fn received(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| match r.url.query() {
            Some(query) => format!("{} {}?{query}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect()
}

pub fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// The output of one run: exit code, stdout, stderr.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut cmd: Command, args: &[&str]) -> Run {
    let out = cmd.args(args).output().expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

impl Run {
    /// Assert a failure: the exit code, the JSON error object on stdout, one stderr line.
    pub fn assert_error(&self, code: i32, message: &str, status: Option<u16>) {
        assert_eq!(
            self.code, code,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        let expected = match status {
            Some(s) => format!(
                "{{\n  \"error\": {},\n  \"status\": {s}\n}}\n",
                serde_json::to_string(message).unwrap()
            ),
            None => format!(
                "{{\n  \"error\": {}\n}}\n",
                serde_json::to_string(message).unwrap()
            ),
        };
        assert_eq!(self.stdout, expected);
        let line = match status {
            Some(s) => format!("error: {message} (HTTP {s})\n"),
            None => format!("error: {message}\n"),
        };
        assert_eq!(self.stderr, line);
    }

    pub fn assert_success(&self, stdout: &str) {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        assert_eq!(self.stdout, stdout);
        assert_eq!(self.stderr, "");
    }
}

/// Pretty form of compact JSON, as the CLI prints it (server order kept).
pub fn pretty(compact: &str) -> String {
    paperspace::output::pretty(compact).unwrap()
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// Run `paperspace ARGS` against `server` (which should answer slowly), send it SIGINT once
/// its first request has arrived, and return its output with how long it took to stop.
#[cfg(unix)]
pub async fn interrupt_after_first_request(
    sandbox: &Sandbox,
    server: &MockServer,
    args: &[&str],
) -> (std::process::Output, std::time::Duration) {
    use std::time::{Duration, Instant};
    let mut child = paperspace()
        .args(args)
        .env("HOME", sandbox.home.path())
        .env("PAPERSPACE_CONFIG_HOST", server.uri())
        .env("PAPERSPACE_API_KEY", KEY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.received_requests().await.unwrap().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let sent = Instant::now();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = tokio::task::spawn_blocking(move || {
        let _ = &mut child;
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    (output, sent.elapsed())
}

/// Set (to anything but empty or `0`) to skip the pseudo-terminal tests on Linux, where they
/// otherwise fail without util-linux `script`.
pub const SKIP_TERMINAL_TESTS: &str = "PAPERSPACE_SKIP_TERMINAL_TESTS";

/// Whether the pseudo-terminal tests (`on_terminal`) run here; each of them starts with
/// `if !terminal_tests_run() { return; }`. They are skipped, saying why, only off Linux
/// (macOS's BSD `script` takes other arguments: README, "What is tested where") or when
/// `PAPERSPACE_SKIP_TERMINAL_TESTS` is set. On Linux a missing or failing util-linux `script`
/// fails the test.
#[cfg(unix)]
pub fn terminal_tests_run() -> bool {
    if !cfg!(target_os = "linux") {
        eprintln!(
            "skipped: the pseudo-terminal tests need util-linux `script` (Linux); this platform's `script` takes other arguments"
        );
        return false;
    }
    if std::env::var_os(SKIP_TERMINAL_TESTS).is_some_and(|v| !v.is_empty() && v != "0") {
        eprintln!("skipped: {SKIP_TERMINAL_TESTS} is set");
        return false;
    }
    let version = std::process::Command::new("script")
        .arg("--version")
        .output();
    let util_linux = version.as_ref().is_ok_and(|out| {
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("util-linux")
    });
    assert!(
        util_linux,
        "the pseudo-terminal tests need util-linux `script` (`script --version`: {version:?}): install util-linux (Debian/Ubuntu: apt-get install util-linux; Fedora: dnf install util-linux-script), or set {SKIP_TERMINAL_TESTS}=1 to skip them"
    );
    true
}

/// Runs `paperspace ARGS` on a pseudo-terminal (util-linux `script`), feeding `input`; the
/// server is the legacy API and, with `--api v1`, the v1 one (`/v1`). Returns the exit code and
/// what the terminal showed. Only after `terminal_tests_run()` said yes.
#[cfg(unix)]
pub fn on_terminal(
    sandbox: &Sandbox,
    server: &MockServer,
    args: &str,
    input: &str,
) -> (i32, String) {
    use std::io::Write;
    use std::process::Stdio;
    let bin = assert_cmd::cargo::cargo_bin("paperspace");
    let mut child = isolated("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        // A terminal has a type; without one, spinners are not drawn.
        .env("TERM", "xterm")
        .env("HOME", sandbox.home.path())
        .env("PAPERSPACE_CONFIG_HOST", server.uri())
        // Used with `--api v1` only.
        .env("PAPERSPACE_API_URL", format!("{}/v1", server.uri()))
        .env("PAPERSPACE_API_KEY", KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("util-linux `script` does not start: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}
