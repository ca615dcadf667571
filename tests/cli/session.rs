//! login and logout against the emulator: where the key comes from, that it is checked,
//! how it is stored, and that other settings survive.

use crate::support::*;
use paperspace::emulator::{self, Config};

fn mode(path: &std::path::Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}

fn login_cmd(sandbox: &Sandbox, url: &str) -> assert_cmd::Command {
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", url);
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_checks_the_key_then_saves_it_owner_only_keeping_other_settings() {
    let sandbox = Sandbox::new();
    let emu = emulator::start(Config {
        api_keys: vec!["good-key".into()],
        ..Config::ephemeral(50)
    })
    .await
    .unwrap();
    sandbox.write_config(r#"{"name":"old token","editor":"vim"}"#);

    let out = run(
        login_cmd(&sandbox, &emu.url()),
        &["login", "--apiKey", "bad-key"],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: the API did not accept this key (No such API token); nothing was saved (HTTP 401)\n"
    );
    assert_eq!(
        std::fs::read_to_string(sandbox.config_path()).unwrap(),
        r#"{"name":"old token","editor":"vim"}"#
    );

    let out = run(
        login_cmd(&sandbox, &emu.url()),
        &["login", "--apiKey", "good-key"],
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "Logged in: API key (checked) saved to {}\n",
            sandbox.config_path().display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(sandbox.config_path()).unwrap(),
        "{\n  \"name\": \"old token\",\n  \"editor\": \"vim\",\n  \"apiKey\": \"good-key\"\n}\n"
    );
    assert_eq!(mode(&sandbox.config_path()), 0o600);

    // The saved key is used by the machines commands.
    let out = run(login_cmd(&sandbox, &emu.url()), &["machines", "list"]);
    out.assert_success("[]\n");

    let out = run(login_cmd(&sandbox, &emu.url()), &["logout"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    assert_eq!(
        out.stderr,
        format!(
            "Logged out: removed the API key from {}\n",
            sandbox.config_path().display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(sandbox.config_path()).unwrap(),
        "{\n  \"name\": \"old token\",\n  \"editor\": \"vim\"\n}\n"
    );
    emu.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_reads_a_piped_key_and_no_verify_skips_the_check() {
    let sandbox = Sandbox::new();
    let emu = emulator::start(Config {
        api_keys: vec!["piped-key".into()],
        ..Config::ephemeral(50)
    })
    .await
    .unwrap();
    let mut cmd = login_cmd(&sandbox, &emu.url());
    cmd.write_stdin("piped-key\n");
    let out = run(cmd, &["login"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        std::fs::read_to_string(sandbox.config_path())
            .unwrap()
            .contains("\"apiKey\": \"piped-key\"")
    );

    // --no-verify saves without asking the API, even an unreachable one.
    let mut cmd = login_cmd(&sandbox, "http://127.0.0.1:1");
    cmd.write_stdin("offline-key\n");
    let out = run(cmd, &["login", "--no-verify"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("(not checked)"));
    assert!(
        std::fs::read_to_string(sandbox.config_path())
            .unwrap()
            .contains("offline-key")
    );

    let mut cmd = login_cmd(&sandbox, &emu.url());
    cmd.write_stdin("\n");
    let out = run(cmd, &["login"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (2, "error: the API key is empty; nothing was saved\n")
    );
    emu.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_email_and_password_flow_creates_and_saves_a_key() {
    let sandbox = Sandbox::new();
    let emu = emulator::start(Config::ephemeral(50)).await.unwrap();
    let out = run(
        login_cmd(&sandbox, &emu.url()),
        &[
            "login",
            "--email",
            "me@example.com",
            "--password",
            "s3cret",
            "--apiToken",
            "laptop",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sandbox.config_path()).unwrap()).unwrap();
    let key = saved["apiKey"].as_str().unwrap().to_string();
    assert!(!key.is_empty());
    assert_eq!(saved["name"], "laptop");
    assert!(
        !out.stderr.contains(&key) && !out.stdout.contains(&key),
        "the key is never printed"
    );
    // The key the API created works.
    let mut cmd = login_cmd(&sandbox, &emu.url());
    cmd.env("PAPERSPACE_API_KEY", &key);
    run(cmd, &["machines", "list"]).assert_success("[]\n");
    // Without a terminal a missing email is an error, not a prompt.
    let out = run(
        login_cmd(&sandbox, &emu.url()),
        &["login", "--password", "s3cret"],
    );
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "error: --password needs --email (there is no terminal to ask for it)\n"
        )
    );
    emu.stop().await.unwrap();
}

#[test]
fn logout_without_a_saved_key_says_so() {
    let sandbox = Sandbox::new();
    let out = run(sandbox.bare(), &["logout"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stderr,
        format!(
            "Not logged in: {} holds no API key\n",
            sandbox.config_path().display()
        )
    );
}

#[test]
fn concurrent_logins_never_leave_a_corrupt_file() {
    let sandbox = Sandbox::new();
    sandbox.write_config(r#"{"keep":"me"}"#);
    let children: Vec<_> = (0..8)
        .map(|i| {
            paperspace()
                .args(["login", "--no-verify", "--apiKey", &format!("key-{i}")])
                .env("HOME", sandbox.home.path())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sandbox.config_path()).unwrap()).unwrap();
    assert_eq!(saved["keep"], "me");
    assert!(saved["apiKey"].as_str().unwrap().starts_with("key-"));
    let entries = std::fs::read_dir(sandbox.config_path().parent().unwrap())
        .unwrap()
        .count();
    assert_eq!(entries, 1, "no temp file is left behind");
}
