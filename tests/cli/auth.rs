//! Where the key and the host come from (docs/compatibility.md: "The API key and the host",
//! "The config file", "Config safety" for bad files).

use crate::support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

async fn expect_show_with_key(key: &str, route: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("x-api-key", key))
        .respond_with(json_response(200, r#"{"id":"ps1"}"#))
        .expect(1)
        .mount(&server)
        .await;
    server
}

const SHOW: &[&str] = &["machines", "show", "--machineId", "ps1"];

#[tokio::test]
async fn the_flag_beats_the_environment_which_beats_the_config_file() {
    let sandbox = Sandbox::new();
    sandbox.write_config(r#"{"apiKey":"from-file","name":"token"}"#);

    let server = expect_show_with_key("from-flag", "/machines/getMachinePublic").await;
    let mut cmd = sandbox.cli(&server);
    cmd.env("PAPERSPACE_API_KEY", "from-env");
    run(cmd, &[SHOW, &["--apiKey", "from-flag"]].concat())
        .assert_success("{\n  \"id\": \"ps1\"\n}\n");

    let server = expect_show_with_key("from-env", "/machines/getMachinePublic").await;
    let mut cmd = sandbox.cli(&server);
    cmd.env("PAPERSPACE_API_KEY", "from-env");
    run(cmd, SHOW).assert_success("{\n  \"id\": \"ps1\"\n}\n");

    let server = expect_show_with_key("from-file", "/machines/getMachinePublic").await;
    let mut cmd = sandbox.cli(&server);
    cmd.env_remove("PAPERSPACE_API_KEY");
    run(cmd, SHOW).assert_success("{\n  \"id\": \"ps1\"\n}\n");
}

/// Windows: with no HOME (the usual case there) the config file is the one in the user's
/// profile (USERPROFILE), where the legacy CLI (node's `os.homedir()`) keeps it too.
#[cfg(windows)]
#[tokio::test]
async fn on_windows_the_config_file_is_found_in_userprofile_without_home() {
    let sandbox = Sandbox::new();
    sandbox.write_config(r#"{"apiKey":"from-profile"}"#);
    let server = expect_show_with_key("from-profile", "/machines/getMachinePublic").await;
    let mut cmd = sandbox.cli(&server);
    cmd.env_remove("PAPERSPACE_API_KEY").env_remove("HOME");
    run(cmd, SHOW).assert_success("{\n  \"id\": \"ps1\"\n}\n");
}

#[tokio::test]
async fn api_key_beats_api_key_with_underscore_in_either_order() {
    let sandbox = Sandbox::new();
    for args in [
        ["--apiKey", "first", "--api_key", "second"],
        ["--api_key", "second", "--apiKey", "first"],
    ] {
        let server = expect_show_with_key("first", "/machines/getMachinePublic").await;
        run(sandbox.cli(&server), &[SHOW, &args].concat())
            .assert_success("{\n  \"id\": \"ps1\"\n}\n");
    }
    let server = expect_show_with_key("second", "/machines/getMachinePublic").await;
    run(
        sandbox.cli(&server),
        &[SHOW, &["--apiKey", "", "--api_key", "second"]].concat(),
    )
    .assert_success("{\n  \"id\": \"ps1\"\n}\n");
}

#[tokio::test]
async fn api_key_aliases_and_empty_values_fall_through() {
    let sandbox = Sandbox::new();
    for alias in ["--api_key", "--api-key"] {
        let server = expect_show_with_key("aliased", "/machines/getMachinePublic").await;
        run(sandbox.cli(&server), &[SHOW, &[alias, "aliased"]].concat())
            .assert_success("{\n  \"id\": \"ps1\"\n}\n");
    }
    let server = expect_show_with_key(KEY, "/machines/getMachinePublic").await;
    run(sandbox.cli(&server), &[SHOW, &["--apiKey", ""]].concat())
        .assert_success("{\n  \"id\": \"ps1\"\n}\n");
}

#[tokio::test]
async fn the_key_never_travels_in_the_query_or_body() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/machines/ps1/stop"))
        .and(wiremock::matchers::body_string(r#"{"machineId":"ps1"}"#))
        .and(ExactQuery(None))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    run(
        sandbox.cli(&server),
        &[
            "machines",
            "stop",
            "--machineId",
            "ps1",
            "--api-key",
            "kebab-key",
        ],
    )
    .assert_success("{}\n");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers.get("x-api-key").unwrap(), "kebab-key");
    assert_eq!(received[0].headers.get_all("x-api-key").iter().count(), 1);
}

#[tokio::test]
async fn no_key_anywhere_is_an_auth_error_and_nothing_is_sent() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let mut cmd = sandbox.cli(&server);
    cmd.env_remove("PAPERSPACE_API_KEY");
    run(cmd, SHOW).assert_error(
        4,
        "no API key: pass --apiKey, set PAPERSPACE_API_KEY, or log in (paperspace login, or pspace login)",
        None,
    );
    sandbox.write_config(r#"{"name":"no key here"}"#);
    let mut cmd = sandbox.cli(&server);
    cmd.env_remove("PAPERSPACE_API_KEY");
    assert_eq!(run(cmd, SHOW).code, 4);
}

#[tokio::test]
async fn a_malformed_config_file_is_a_usage_error_naming_the_file() {
    let sandbox = Sandbox::new();
    sandbox.write_config("{\"apiKey\": ");
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let mut cmd = sandbox.cli(&server);
    cmd.env_remove("PAPERSPACE_API_KEY");
    let out = run(cmd, SHOW);
    assert_eq!(out.code, 2);
    let path = sandbox.config_path().display().to_string();
    assert!(
        out.stderr
            .starts_with(&format!("error: config file {path} is not valid JSON")),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"));
}

#[tokio::test]
async fn the_config_host_keeps_its_path_prefix_and_drops_one_trailing_slash() {
    let sandbox = Sandbox::new();
    let server = expect_show_with_key(KEY, "/api/v1/machines/getMachinePublic").await;
    let mut cmd = sandbox.cli(&server);
    cmd.env(
        "PAPERSPACE_CONFIG_HOST",
        format!("{}/api/v1/", server.uri()),
    );
    run(cmd, SHOW).assert_success("{\n  \"id\": \"ps1\"\n}\n");
}

#[tokio::test]
async fn a_config_host_without_scheme_is_a_usage_error() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", "127.0.0.1:1")
        .env("PAPERSPACE_API_KEY", KEY);
    let out = run(cmd, SHOW);
    out.assert_error(
        2,
        "PAPERSPACE_CONFIG_HOST must be a URL starting with http:// or https://, e.g. http://127.0.0.1:8080 (got '127.0.0.1:1')",
        None,
    );
}

#[tokio::test]
async fn a_legacy_project_file_in_the_working_directory_is_not_read() {
    let sandbox = Sandbox::new();
    let project = sandbox.home.path().join("project");
    std::fs::create_dir_all(project.join(".ps_project")).unwrap();
    std::fs::write(project.join(".ps_project").join("config.json"), "{broken").unwrap();
    let server = expect_show_with_key(KEY, "/machines/getMachinePublic").await;
    let mut cmd = sandbox.cli(&server);
    cmd.current_dir(&project);
    run(cmd, SHOW).assert_success("{\n  \"id\": \"ps1\"\n}\n");
}
