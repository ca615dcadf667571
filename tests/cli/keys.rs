//! Keys on today's Paperspace: `login` checks a key with the API in use (v1: the session, whose
//! `null` answer means an unknown key), and keys Paperspace's own CLI (pspace) saved in
//! `~/.paperspace/credentials.toml` are found after ours (docs/v1.md, "Keys and sessions").

use crate::support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

const SESSION: &str = r#"{"user":{"id":"u1","email":"ada@example.com","firstName":"Ada","lastName":null,"teamMemberships":[{"team":{"id":"te9","name":"Compute Lab","namespace":"tabc123"},"isOwner":true,"isAdmin":true}]},"team":{"id":"te9","namespace":"tabc123","isPrivate":false,"maxMachines":10,"analyticsId":7}}"#;

fn login_v1(sandbox: &Sandbox, server: &MockServer) -> assert_cmd::Command {
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_API_URL", format!("{}/v1", server.uri()));
    cmd
}

/// `GET /v1/auth/session` with `key` as the bearer token, answered with `body`.
fn session_mock(key: &str, body: &str) -> Mock {
    Mock::given(method("GET"))
        .and(path("/v1/auth/session"))
        .and(header("authorization", format!("Bearer {key}").as_str()))
        .respond_with(json_response(200, body))
}

async fn session_for(server: &MockServer, key: &str, body: &str) {
    session_mock(key, body).mount(server).await;
}

#[tokio::test]
async fn login_on_v1_checks_the_session_and_names_the_user_and_team() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    session_for(&server, "good-key", SESSION).await;
    session_for(&server, "unknown-key", "null").await;

    // The live service answers an unknown key with 200 and a null session.
    let out = run(
        login_v1(&sandbox, &server),
        &["login", "--api", "v1", "--apiKey", "unknown-key"],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: the API did not accept this key (it has no session); nothing was saved\n"
    );
    assert!(!sandbox.config_path().exists(), "nothing saved");

    let mut cmd = login_v1(&sandbox, &server);
    cmd.env("PAPERSPACE_API", "v1");
    let out = run(cmd, &["login", "--apiKey", "good-key"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "API key of ada@example.com (team Compute Lab)\nLogged in: API key (checked) saved to {}\n",
            sandbox.config_path().display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(sandbox.config_path()).unwrap(),
        "{\n  \"apiKey\": \"good-key\"\n}\n"
    );
}

/// `login --apiKey K` checks K even when `--email`/`--password` are given too (it used to save
/// it unchecked); the password flow is the legacy API's only.
#[tokio::test]
async fn a_key_given_with_an_email_is_still_checked() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    // The key is checked: one session request, with that key.
    session_mock("typo-key", "null")
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        login_v1(&sandbox, &server),
        &[
            "login",
            "--api",
            "v1",
            "--apiKey",
            "typo-key",
            "--email",
            "ada@example.com",
            "--password",
            "pw",
        ],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(!sandbox.config_path().exists());

    let legacy = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/machines/getMachines"))
        .respond_with(json_response(
            401,
            r#"{"error":{"name":"Error","status":401,"message":"No such API token"}}"#,
        ))
        .expect(1)
        .mount(&legacy)
        .await;
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_CONFIG_HOST", legacy.uri());
    let out = run(
        cmd,
        &[
            "login",
            "--apiKey",
            "typo-key",
            "--email",
            "ada@example.com",
            "--password",
            "pw",
        ],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(!sandbox.config_path().exists());

    let nothing = MockServer::start().await;
    expect_no_request(&nothing).await;
    let out = run(
        login_v1(&sandbox, &nothing),
        &[
            "login",
            "--api",
            "v1",
            "--email",
            "ada@example.com",
            "--password",
            "pw",
        ],
    );
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: --email and --password log in through the legacy API; with --api v1 give an API key (--apiKey, or on stdin)\n"
    );
}

fn save_pspace(sandbox: &Sandbox, credentials: &str, config: Option<&str>) {
    let dir = sandbox.home.path().join(".paperspace");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("credentials.toml"), credentials).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.join("config.toml"), config).unwrap();
    }
}

const TWO_TEAMS: &str = "version = 1\n\n[keys]\nlab = \"lab-key\"\nprod = \"prod-key\"\n";

/// The machines the key of `key` sees; with `extra` flags.
async fn list_with_key(sandbox: &Sandbox, key: &str, env: &[(&str, &str)], flags: &[&str]) -> Run {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/machines"))
        .and(header("authorization", format!("Bearer {key}").as_str()))
        .respond_with(json_response(200, r#"{"hasMore":false,"items":[]}"#))
        .expect(1)
        .mount(&server)
        .await;
    let mut cmd = sandbox.bare();
    cmd.env("PAPERSPACE_API", "v1")
        .env("PAPERSPACE_API_URL", format!("{}/v1", server.uri()));
    for (name, value) in env {
        cmd.env(name, value);
    }
    run(cmd, &[&["machines", "list"], flags].concat())
}

#[tokio::test]
async fn keys_pspace_saved_are_found_after_ours_and_a_team_picks_one() {
    let sandbox = Sandbox::new();
    save_pspace(&sandbox, TWO_TEAMS, Some("version = 1\nteam = \"prod\"\n"));
    // pspace's current team.
    let out = list_with_key(&sandbox, "prod-key", &[], &[]).await;
    out.assert_success("[]\n");
    // Another saved team, by flag or by variable.
    list_with_key(&sandbox, "lab-key", &[], &["--team", "lab"])
        .await
        .assert_success("[]\n");
    list_with_key(&sandbox, "lab-key", &[("PAPERSPACE_TEAM", "lab")], &[])
        .await
        .assert_success("[]\n");
    // Our own sources come first: the environment, then our config file.
    list_with_key(
        &sandbox,
        "env-key",
        &[("PAPERSPACE_API_KEY", "env-key")],
        &[],
    )
    .await
    .assert_success("[]\n");
    sandbox.write_config(r#"{"apiKey":"ours"}"#);
    list_with_key(&sandbox, "ours", &[], &[])
        .await
        .assert_success("[]\n");
    // ...but a team asked for by name wins over our saved default.
    list_with_key(&sandbox, "lab-key", &[], &["--team", "lab"])
        .await
        .assert_success("[]\n");
}

#[tokio::test]
async fn an_unknown_team_or_an_ambiguous_choice_is_a_usage_error_and_nothing_is_sent() {
    let sandbox = Sandbox::new();
    save_pspace(&sandbox, TWO_TEAMS, None);
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let cli = || {
        let mut cmd = sandbox.bare();
        cmd.env("PAPERSPACE_API", "v1")
            .env("PAPERSPACE_API_URL", format!("{}/v1", server.uri()));
        cmd
    };
    let credentials = sandbox.home.path().join(".paperspace/credentials.toml");
    let out = run(cli(), &["machines", "list", "--team", "nope"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        format!(
            "error: no key for team 'nope' in {} (saved teams: lab, prod)\n",
            credentials.display()
        )
    );
    let out = run(cli(), &["machines", "list"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        format!(
            "error: {} has keys for several teams (lab, prod): choose one with --team or PAPERSPACE_TEAM\n",
            credentials.display()
        )
    );
}
