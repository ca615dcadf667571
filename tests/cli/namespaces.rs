//! The legacy CLI's other Core namespaces on the wire: `templates list`, `scripts
//! create|destroy|list|show|text`, `networks list`, `users list`, as paperspace-node 0.2.4 sent
//! them on the legacy API (its routes, query strings and bodies), and mapped onto v1.

use crate::support::*;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer(
    server: &MockServer,
    verb: &str,
    route: &str,
    query: Option<&'static str>,
    body: &str,
) {
    json_route(verb, route, query, Auth::ApiKey, body)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_list_commands_send_their_filters_in_the_query() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    answer(&server, "GET", "/templates/getTemplates", None, "[]").await;
    answer(
        &server,
        "GET",
        "/templates/getTemplates",
        Some("id=t123abc&name=007&label=Windows%2010&os=Windows%2010%20%28Server%202016%29&dtCreated=2017-01-03T23%3A41%3A06.801Z&teamId=te456def&userId=u123abc&region=East%20Coast%20%28NY2%29"),
        r#"[{"id":"t123abc","name":"paperspace/t123abc","label":"Windows 10"}]"#,
    )
    .await;
    answer(
        &server,
        "GET",
        "/networks/getNetworks",
        Some("id=n123abc&name=Example%20Network&region=West%20Coast%20%28CA1%29&dtCreated=2016-12-22&network=10.64.21.0&netmask=255.255.255.0&teamId=te456def"),
        "[]",
    )
    .await;
    answer(
        &server,
        "GET",
        "/users/getUsers",
        Some("id=u123abc&email=jon%40example.com&firstname=Jon&lastname=Snow&dtCreated=2017-04-15&teamId=te456def"),
        "[]",
    )
    .await;
    answer(
        &server,
        "GET",
        "/scripts/getScripts",
        Some("id=sc1&ownerType=user&ownerId=u456def&name=My%20Script&description=d&dtCreated=2017&isEnabled=true&runOnce=false"),
        "[]",
    )
    .await;
    run(sandbox.cli(&server), &["templates", "list"]).assert_success("[]\n");
    let out = run(
        sandbox.cli(&server),
        &[
            "templates",
            "list",
            "--id",
            "t123abc",
            "--name",
            "007",
            "--label",
            "Windows 10",
            "--os",
            "Windows 10 (Server 2016)",
            "--dtCreated",
            "2017-01-03T23:41:06.801Z",
            "--teamId",
            "te456def",
            "--userId",
            "u123abc",
            "--region",
            "ny2",
        ],
    );
    out.assert_success(&pretty(
        r#"[{"id":"t123abc","name":"paperspace/t123abc","label":"Windows 10"}]"#,
    ));
    run(
        sandbox.cli(&server),
        &[
            "networks",
            "list",
            "--id",
            "n123abc",
            "--name",
            "Example Network",
            "--region",
            "West Coast (CA1)",
            "--dtCreated",
            "2016-12-22",
            "--network",
            "10.64.21.0",
            "--netmask",
            "255.255.255.0",
            "--teamId",
            "te456def",
        ],
    )
    .assert_success("[]\n");
    run(
        sandbox.cli(&server),
        &[
            "users",
            "list",
            "--id",
            "u123abc",
            "--email",
            "jon@example.com",
            "--firstname",
            "Jon",
            "--lastname",
            "Snow",
            "--dtCreated",
            "2017-04-15",
            "--teamId",
            "te456def",
        ],
    )
    .assert_success("[]\n");
    run(
        sandbox.cli(&server),
        &[
            "scripts",
            "list",
            "--id",
            "sc1",
            "--ownerType",
            "user",
            "--ownerId",
            "u456def",
            "--name",
            "My Script",
            "--description",
            "d",
            "--dtCreated",
            "2017",
            "--isEnabled",
            "--runOnce",
            "false",
        ],
    )
    .assert_success("[]\n");
}

#[tokio::test]
async fn scripts_show_text_and_destroy_use_the_legacy_routes() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/scripts/getScript",
        Some("scriptId=123"),
        r#"{"id":"123","name":"My Script","isEnabled":true}"#,
    )
    .await;
    answer(
        &server,
        "GET",
        "/scripts/getScriptText",
        Some("scriptId=sc1"),
        r##""#!/bin/bash\nservices start nginx\n""##,
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/scripts/sc%201%2F2/destroy"))
        .and(body_string(r#"{"scriptId":"sc 1/2"}"#))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    run(
        sandbox.cli(&server),
        &["scripts", "show", "--scriptId", "123"],
    )
    .assert_success(&pretty(
        r#"{"id":"123","name":"My Script","isEnabled":true}"#,
    ));
    // As the legacy CLI printed it: a JSON string.
    run(
        sandbox.cli(&server),
        &["scripts", "text", "--scriptId", "sc1"],
    )
    .assert_success("\"#!/bin/bash\\nservices start nginx\\n\"\n");
    run(
        sandbox.cli(&server),
        &["scripts", "destroy", "--scriptId", "sc 1/2"],
    )
    .assert_success("{}\n");
}

#[tokio::test]
async fn scripts_create_sends_the_text_as_json_or_uploads_the_file_as_the_legacy_cli_did() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/scripts/createScript"))
        .and(ExactQuery(None))
        .and(header("content-type", "application/json"))
        .and(body_string(r#"{"scriptName":"My Script","scriptDescription":"A startup script","scriptText":"services start nginx","isEnabled":true,"runOnce":false,"machineId":"ps123abc"}"#))
        .respond_with(json_response(200, r#"{"id":"sc123abc"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "scripts",
            "create",
            "--scriptName",
            "My Script",
            "--scriptDescription",
            "A startup script",
            "--scriptText",
            "services start nginx",
            "--isEnabled",
            "true",
            "--runOnce",
            "false",
            "--machineId",
            "ps123abc",
        ],
    );
    out.assert_success(&pretty(r#"{"id":"sc123abc"}"#));

    let script = sandbox.home.path().join("my script.sh");
    std::fs::write(&script, "#!/bin/bash\r\necho ü\n").unwrap();
    let upload = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/scripts/createScript"))
        .and(ExactQuery(Some("scriptName=007&isEnabled=false")))
        .respond_with(json_response(200, r#"{"id":"sc9"}"#))
        .expect(1)
        .mount(&upload)
        .await;
    let out = run(
        sandbox.cli(&upload),
        &[
            "scripts",
            "create",
            "--scriptName",
            "007",
            "--scriptFile",
            script.to_str().unwrap(),
            "--isEnabled",
            "false",
        ],
    );
    out.assert_success(&pretty(r#"{"id":"sc9"}"#));
    let request = &upload.received_requests().await.unwrap()[0];
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my script.sh\"\r\nContent-Type: application/x-sh\r\n\r\n#!/bin/bash\r\necho ü\n\r\n--{boundary}--\r\n"
        )
    );
    assert_eq!(request.headers["x-api-key"], KEY);
}

#[tokio::test]
async fn a_value_that_starts_with_a_dash_is_the_flags_value_and_an_empty_text_is_shown_as_sent() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/scripts/createScript"))
        .and(body_string(r#"{"scriptName":"s1","scriptText":"-x"}"#))
        .respond_with(json_response(200, r#"{"id":"sc1"}"#))
        .expect(1)
        .mount(&server)
        .await;
    answer(
        &server,
        "GET",
        "/scripts/getScriptText",
        Some("scriptId=sc1"),
        r#""""#,
    )
    .await;
    run(
        sandbox.cli(&server),
        &[
            "scripts",
            "create",
            "--scriptName",
            "s1",
            "--scriptText",
            "-x",
        ],
    )
    .assert_success(&pretty(r#"{"id":"sc1"}"#));
    run(
        sandbox.cli(&server),
        &["scripts", "text", "--scriptId", "sc1"],
    )
    .assert_success("\"\"\n");
}

#[tokio::test]
async fn bad_script_arguments_are_usage_errors_and_send_nothing() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    // A file that cannot be read: a directory (a file of mode 000 would do only when not root,
    // and tests may run as root). The reason is the system's, as reading it here gives it.
    let dir = sandbox.home.path().join("scripts.d");
    std::fs::create_dir(&dir).unwrap();
    let unreadable = std::fs::read(&dir).unwrap_err();
    let dir = dir.to_str().unwrap();
    // The same on both backends: the file is read, and the rules checked, before anything is
    // sent.
    for v1 in [false, true] {
        let create = |extra: &[&str]| -> Run {
            let mut args = vec!["scripts", "create", "--scriptName", "s"];
            args.extend_from_slice(extra);
            let cli = if v1 {
                sandbox.v1_cli(&server)
            } else {
                sandbox.cli(&server)
            };
            run(cli, &args)
        };
        create(&[]).assert_error(
            2,
            "exactly one of --scriptFile and --scriptText is needed",
            None,
        );
        create(&["--scriptText", "a", "--scriptFile", "b"]).assert_error(
            2,
            "exactly one of --scriptFile and --scriptText is allowed",
            None,
        );
        create(&["--scriptFile", "/nonexistent/nope.sh"]).assert_error(
            2,
            "cannot read --scriptFile /nonexistent/nope.sh: No such file or directory (os error 2)",
            None,
        );
        create(&["--scriptFile", dir]).assert_error(
            2,
            &format!("cannot read --scriptFile {dir}: {unreadable}"),
            None,
        );
        create(&["--scriptText", ""]).assert_error(2, "--scriptText must not be empty", None);
        create(&["--scriptText", "x", "--isEnabled", "yes"]).assert_error(
            2,
            "invalid value 'yes' for --isEnabled: accepted values are true, false (a bare flag means true)",
            None,
        );
    }
    // An update's file too (v1 only: the legacy API had no update).
    run(
        sandbox.v1_cli(&server),
        &[
            "scripts",
            "update",
            "--scriptId",
            "sc1",
            "--scriptFile",
            dir,
        ],
    )
    .assert_error(
        2,
        &format!("cannot read --scriptFile {dir}: {unreadable}"),
        None,
    );
    run(sandbox.cli(&server), &["scripts", "show"]).assert_error(
        2,
        "missing required flag --scriptId",
        None,
    );
    run(
        sandbox.cli(&server),
        &["scripts", "destroy", "--scriptId", " "],
    )
    .assert_error(2, "--scriptId must not be empty", None);
    run(sandbox.cli(&server), &["templates", "list", "--bogus", "1"]).assert_error(
        2,
        "unexpected argument '--bogus' found; see --help for the accepted flags",
        None,
    );
    run(sandbox.cli(&server), &["scripts", "show", "--scriptId", ""]).assert_error(
        2,
        "--scriptId must not be empty",
        None,
    );
    run(
        sandbox.cli(&server),
        &["templates", "list", "--region", "ny2", "--region", "ny2"],
    )
    .assert_error(
        2,
        "the argument '--region <REGION>' cannot be used multiple times",
        None,
    );
    // Gradient's namespaces are not Core's: the error says which namespaces there are.
    let out = run(sandbox.cli(&server), &["jobs", "list"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: 'jobs' is a Gradient namespace of the legacy CLI; this CLI is for Paperspace Core: machines, templates, scripts, networks, users, publicIps, snapshots, sharedDrives\n"
    );
    let out = run(sandbox.cli(&server), &["project", "show"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: 'project' is a Gradient namespace of the legacy CLI; this CLI is for Paperspace Core: machines, templates, scripts, networks, users, publicIps, snapshots, sharedDrives\n"
    );
    // No command is known yet, so no JSON error object (docs/compatibility.md).
    assert_eq!(out.stdout, "");
}

async fn v1_answer(
    server: &MockServer,
    verb: &str,
    route: &str,
    query: Option<&'static str>,
    body: &str,
) {
    json_route(verb, route, query, Auth::Bearer, body)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn on_v1_templates_are_os_and_custom_templates_in_the_legacy_shape() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    v1_answer(
        &server,
        "GET",
        "/v1/os-templates",
        Some("orderBy=name&order=asc&limit=120"),
        r#"{"hasMore":true,"nextPage":"p2","items":[{"id":"t0nspur5","name":"Ubuntu 22.04","agentType":"LinuxHeadless","operatingSystemLabel":"Ubuntu 22.04.3 LTS","defaultSizeGb":50,"availableMachineTypes":[],"dtCreated":"2023-01-01T00:00:00Z"}]}"#,
    )
    .await;
    v1_answer(
        &server,
        "GET",
        "/v1/os-templates",
        Some("orderBy=name&order=asc&limit=120&after=p2"),
        r#"{"hasMore":false,"items":[{"id":"twin10","name":"Windows 10","agentType":"WindowsDesktop","operatingSystemLabel":"Windows 10","defaultSizeGb":50,"availableMachineTypes":[],"dtCreated":"2023-01-02T00:00:00Z"}]}"#,
    )
    .await;
    v1_answer(
        &server,
        "GET",
        "/v1/custom-templates",
        Some("orderBy=dtCreated&order=asc&limit=120"),
        r#"{"hasMore":false,"items":[{"id":"tcust1","name":"My Template","agentType":"LinuxHeadless","operatingSystemLabel":"Ubuntu 22.04.3 LTS","region":"ams1","defaultSizeGb":50,"availableMachineTypes":[],"parentMachineId":"ps1","dtCreated":"2023-02-01T00:00:00Z"}]}"#,
    )
    .await;
    let out = run(sandbox.v1_cli(&server), &["templates", "list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        pretty(
            r#"[{"id":"t0nspur5","name":"paperspace/t0nspur5","label":"Ubuntu 22.04","os":"Ubuntu 22.04.3 LTS","dtCreated":"2023-01-01T00:00:00Z"},{"id":"twin10","name":"paperspace/twin10","label":"Windows 10","os":"Windows 10","dtCreated":"2023-01-02T00:00:00Z"},{"id":"tcust1","name":"tcust1","label":"My Template","os":"Ubuntu 22.04.3 LTS","teamId":null,"userId":null,"region":"Europe (AMS1)","dtCreated":"2023-02-01T00:00:00Z"}]"#
        )
    );
}

#[tokio::test]
async fn on_v1_legacy_filters_are_applied_and_those_v1_lacks_are_usage_errors() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    for route in ["/v1/os-templates", "/v1/custom-templates"] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(json_response(
                200,
                r#"{"hasMore":false,"items":[{"id":"a","name":"Ubuntu 22.04","operatingSystemLabel":"Ubuntu"},{"id":"b","name":"Windows 10","operatingSystemLabel":"Windows"}]}"#,
            ))
            .mount(&server)
            .await;
    }
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "templates",
            "list",
            "--label",
            "Windows 10",
            "-o",
            "table",
            "--columns",
            "id,label",
        ],
    );
    out.assert_success("ID  LABEL\nb   Windows 10\nb   Windows 10\n");
    let nothing = MockServer::start().await;
    expect_no_request(&nothing).await;
    for (args, flag, why) in [
        (
            &["templates", "list", "--teamId", "t"][..],
            "teamId",
            "v1 templates have no such field, so nothing would match",
        ),
        (
            &["networks", "list", "--teamId", "t"],
            "teamId",
            "v1 networks have no such field, so nothing would match",
        ),
        (
            &["scripts", "list", "--ownerId", "u"],
            "ownerId",
            "v1 scripts have no owner fields, so nothing would match",
        ),
        (
            &["users", "list", "--teamId", "t"],
            "teamId",
            "v1 lists the users of the key's own team only",
        ),
        (
            &[
                "scripts",
                "create",
                "--scriptName",
                "s",
                "--scriptText",
                "x",
                "--scriptDescription",
                "d",
            ],
            "scriptDescription",
            "v1 startup scripts take no description",
        ),
    ] {
        run(sandbox.v1_cli(&nothing), args).assert_error(
            2,
            &format!("--{flag} cannot be used with --api v1: {why}"),
            None,
        );
    }
    run(
        sandbox.v1_cli(&nothing),
        &["scripts", "text", "--scriptId", "sc1"],
    )
    .assert_error(
        2,
        "text is not available with --api v1: v1's startup script object carries no text; use --api legacy",
        None,
    );
}

const V1_SCRIPT: &str = r#"{"id":"sc7","name":"boot","description":null,"isEnabled":false,"isRunOnce":true,"assignedMachineIds":["ps1"],"dtCreated":"2026-01-01T00:00:00Z","dtDeleted":null}"#;

#[tokio::test]
async fn on_v1_scripts_map_onto_startup_scripts() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/startup-scripts"))
        .and(body_string(r#"{"name":"boot","script":"echo hi","isRunOnce":true}"#))
        .respond_with(json_response(200, r#"{"id":"sc7","name":"boot","isEnabled":true,"isRunOnce":true,"assignedMachineIds":[]}"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/startup-scripts/sc7"))
        .and(body_string(r#"{"isEnabled":false}"#))
        .respond_with(json_response(200, r#"{"id":"sc7","isEnabled":false}"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/startup-scripts/sc7/assign"))
        .and(body_string(r#"{"machineId":"ps1"}"#))
        .respond_with(json_response(200, V1_SCRIPT))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        sandbox.v1_cli(&server),
        &[
            "scripts",
            "create",
            "--scriptName",
            "boot",
            "--scriptText",
            "echo hi",
            "--runOnce",
            "--isEnabled",
            "false",
            "--machineId",
            "ps1",
        ],
    );
    out.assert_success(&pretty(
        r#"{"id":"sc7","ownerType":null,"ownerId":null,"name":"boot","description":null,"dtCreated":"2026-01-01T00:00:00Z","isEnabled":false,"runOnce":true,"machines":[{"machineId":"ps1","dtLastRun":null}]}"#,
    ));

    let server = MockServer::start().await;
    v1_answer(&server, "GET", "/v1/startup-scripts/sc7", None, V1_SCRIPT).await;
    Mock::given(method("DELETE"))
        .and(path("/v1/startup-scripts/sc7"))
        .respond_with(json_response(200, V1_SCRIPT))
        .expect(1)
        .mount(&server)
        .await;
    v1_answer(
        &server,
        "GET",
        "/v1/startup-scripts",
        Some("name=boot&orderBy=dtCreated&order=asc&limit=120"),
        &format!(
            r#"{{"hasMore":false,"items":[{V1_SCRIPT},{}]}}"#,
            V1_SCRIPT.replace(r#""name":"boot""#, r#""name":"boot-2""#)
        ),
    )
    .await;
    let out = run(
        sandbox.v1_cli(&server),
        &["scripts", "show", "--scriptId", "sc7", "-o", "table"],
    );
    out.assert_success("ID           sc7\nName         boot\nDescription  -\nEnabled      no\nRun once     yes\nMachines     ps1\nCreated      2026-01-01 00:00\n");
    run(
        sandbox.v1_cli(&server),
        &["scripts", "destroy", "--scriptId", "sc7"],
    )
    .assert_success("{}\n");
    let out = run(
        sandbox.v1_cli(&server),
        &["scripts", "list", "--name", "boot", "--raw"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        pretty(&format!("[{V1_SCRIPT}]")),
        "exact names, v1's own JSON"
    );
}

#[tokio::test]
async fn on_v1_networks_and_the_teams_users_come_in_the_legacy_shape() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    v1_answer(
        &server,
        "GET",
        "/v1/private-networks",
        Some("region=ams1&orderBy=dtCreated&order=asc&limit=120"),
        r#"{"hasMore":false,"items":[{"id":"n1","name":"lab","region":"ams1","network":"10.64.0.0","netmask":"255.255.240.0","dtCreated":"2026-01-01T00:00:00Z"}]}"#,
    )
    .await;
    v1_answer(
        &server,
        "GET",
        "/v1/auth/session",
        None,
        r#"{"user":{"id":"u1","email":"a@b.c"},"team":{"id":"te 9","namespace":"tabc"}}"#,
    )
    .await;
    v1_answer(
        &server,
        "GET",
        "/v1/teams/te%209/users",
        Some("orderBy=dtConfirmed&order=asc&limit=120"),
        r#"{"hasMore":false,"items":[{"isAdmin":true,"isOwner":true,"dtConfirmed":"2025-01-01T00:00:00Z","user":{"id":"u1","email":"a@b.c","firstName":"Ada","lastName":"L"}},{"isAdmin":false,"isOwner":false,"user":{"id":"u2","email":"g@h.i","firstName":"Grace","lastName":null}}]}"#,
    )
    .await;
    run(
        sandbox.v1_cli(&server),
        &["networks", "list", "--region", "ams1"],
    )
    .assert_success(&pretty(
        r#"[{"id":"n1","name":"lab","region":"Europe (AMS1)","dtCreated":"2026-01-01T00:00:00Z","network":"10.64.0.0","netmask":"255.255.240.0","teamId":null}]"#,
    ));
    run(
        sandbox.v1_cli(&server),
        &["users", "list", "--firstname", "Grace"],
    )
    .assert_success(&pretty(
        r#"[{"id":"u2","email":"g@h.i","firstname":"Grace","lastname":null,"dtCreated":null,"teamId":null}]"#,
    ));
}

#[tokio::test]
async fn on_v1_every_list_filter_of_the_legacy_cli_still_filters() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    // `name` goes to v1 (which matches parts of names) and is re-checked here: exact.
    v1_answer(
        &server,
        "GET",
        "/v1/private-networks",
        Some("name=lab&orderBy=dtCreated&order=asc&limit=120"),
        r#"{"hasMore":false,"items":[{"id":"n1","name":"lab","region":"ny2","network":"10.0.0.0","netmask":"255.255.255.0"},{"id":"n2","name":"lab-2","region":"ny2","network":"10.0.1.0","netmask":"255.255.255.0"}]}"#,
    )
    .await;
    v1_answer(
        &server,
        "GET",
        "/v1/startup-scripts",
        Some("orderBy=dtCreated&order=asc&limit=120"),
        &format!(
            r#"{{"hasMore":false,"items":[{V1_SCRIPT},{}]}}"#,
            V1_SCRIPT
                .replace(r#""isEnabled":false"#, r#""isEnabled":true"#)
                .replace(r#""id":"sc7""#, r#""id":"sc8""#)
        ),
    )
    .await;
    run(
        sandbox.v1_cli(&server),
        &[
            "networks", "list", "--name", "lab", "--netmask", "255.255.255.0", "-o", "table",
        ],
    )
    .assert_success("ID  NAME  REGION            NETWORK   NETMASK\nn1  lab   East Coast (NY2)  10.0.0.0  255.255.255.0\n");
    run(
        sandbox.v1_cli(&server),
        &[
            "scripts",
            "list",
            "--isEnabled",
            "true",
            "--runOnce",
            "true",
            "-o",
            "table",
            "--columns",
            "id,enabled",
        ],
    )
    .assert_success("ID   ENABLED\nsc8  yes\n");
}

#[tokio::test]
async fn the_legacy_namespaces_read_as_tables() {
    let sandbox = Sandbox::new();
    let server = MockServer::start().await;
    answer(
        &server,
        "GET",
        "/users/getUsers",
        None,
        r#"[{"id":"u1","email":"ada@example.com","firstname":"Ada","lastname":"Lovelace","dtCreated":"2017-04-15T10:00:00.000Z","teamId":"te1"}]"#,
    )
    .await;
    answer(
        &server,
        "GET",
        "/scripts/getScriptText",
        Some("scriptId=sc1"),
        r##""#!/bin/bash\necho hi\n""##,
    )
    .await;
    run(sandbox.cli(&server), &["users", "list", "-o", "table"]).assert_success(
        "ID  EMAIL            FIRST NAME  LAST NAME\nu1  ada@example.com  Ada         Lovelace\n",
    );
    run(
        sandbox.cli(&server),
        &["scripts", "text", "--scriptId", "sc1", "-o", "table"],
    )
    .assert_success("#!/bin/bash\necho hi\n");
}
