//! Every command on the wire: method, path, query, body, key header, then the exact stdout.

use crate::support::*;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MACHINE: &str = r#"{"id":"ps123abc","name":"My Machine 1","cpus":8,"ram":"32212254720","state":"ready","usageRate":"P4000 hourly","shutdownTimeoutInHours":24,"price":1.0,"rate":2.50,"exp":1e21,"tiny":1.5E-7,"zero":-0.0,"internalId":12345678901234567890,"10":"integer-like key stays in place"}"#;

/// Mount one expected POST and return the server.
async fn expect_post(route: &str, body: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .and(ExactQuery(None))
        .and(header("x-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_string(body))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// Mount one expected GET with an exact query and no body.
async fn expect_get(
    route: &str,
    query: Option<&'static str>,
    response: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(ExactQuery(query))
        .and(header("x-api-key", KEY))
        .and(NoBody)
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn create_sends_the_required_flags_as_typed_json_in_flag_order() {
    let sandbox = Sandbox::new();
    let server = expect_post(
        "/machines/createSingleMachinePublic",
        r#"{"region":"East Coast (NY2)","machineType":"P4000","size":50,"billingType":"hourly","machineName":"My Machine 1","templateId":"tbu200wi"}"#,
        json_response(200, MACHINE),
    )
    .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "create",
            "--region",
            "East Coast (NY2)",
            "--machineType",
            "P4000",
            "--size",
            "50",
            "--billingType",
            "hourly",
            "--machineName",
            "My Machine 1",
            "--templateId",
            "tbu200wi",
        ],
    );
    out.assert_success(&pretty(MACHINE));
    for verbatim in [
        "\"price\": 1.0,",
        "\"rate\": 2.50,",
        "\"exp\": 1e21,",
        "\"tiny\": 1.5E-7,",
        "\"zero\": -0.0,",
        "12345678901234567890",
    ] {
        assert!(out.stdout.contains(verbatim), "{verbatim}");
    }
}

#[tokio::test]
async fn create_sends_every_optional_flag_with_its_reference_type() {
    let sandbox = Sandbox::new();
    let server = expect_post(
        "/machines/createSingleMachinePublic",
        r#"{"region":"West Coast (CA1)","machineType":"C5","size":100,"billingType":"monthly","machineName":"007","templateId":"t1","teamId":"te1","dynamicPublicIp":true,"startOnCreate":false,"networkId":"n1","scriptId":"s1","email":"a@b.c","password":"pw","firstName":"Ada","lastName":"L","notificationEmail":"n@b.c","takeInitialSnapshot":true,"markSnapshotAsRestorePoint":true,"restorePointFrequency":"shutdown","enableNvlink":false,"assignPublicIp":false}"#,
        json_response(200, MACHINE),
    )
    .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "create",
            "--region=ca1",
            "--machine-type",
            "C5",
            "--size",
            "0100",
            "--billingType",
            "monthly",
            "--machineName",
            "007",
            "--templateId",
            "t1",
            "--teamId",
            "te1",
            "--dynamicPublicIp",
            "--startOnCreate",
            "false",
            "--networkId",
            "n1",
            "--scriptId",
            "s1",
            "--email",
            "a@b.c",
            "--password",
            "pw",
            "--firstName",
            "Ada",
            "--lastName",
            "L",
            "--notificationEmail",
            "n@b.c",
            "--takeInitialSnapshot",
            "TRUE",
            "--markSnapshotAsRestorePoint",
            "--restorePointFrequency",
            "shutdown",
            "--enableNvlink=false",
            "--assignPublicIp=False",
        ],
    );
    out.assert_success(&pretty(MACHINE));
}

#[tokio::test]
async fn start_stop_restart_post_the_id_and_print_an_empty_object_for_204() {
    for (command, suffix) in [("start", "start"), ("stop", "stop"), ("restart", "restart")] {
        let sandbox = Sandbox::new();
        let server = expect_post(
            &format!("/machines/ps123abc/{suffix}"),
            r#"{"machineId":"ps123abc"}"#,
            ResponseTemplate::new(204),
        )
        .await;
        run(
            sandbox.cli(&server),
            &["machines", command, "--machineId", "ps123abc"],
        )
        .assert_success("{}\n");
    }
}

#[tokio::test]
async fn destroy_sends_release_public_ip_when_given() {
    let sandbox = Sandbox::new();
    let server = expect_post(
        "/machines/ps1/destroyMachine",
        r#"{"machineId":"ps1","releasePublicIp":true}"#,
        ResponseTemplate::new(204),
    )
    .await;
    run(
        sandbox.cli(&server),
        &[
            "machines",
            "destroy",
            "--machineId",
            "ps1",
            "--releasePublicIp",
        ],
    )
    .assert_success("{}\n");
}

#[tokio::test]
async fn update_sends_only_the_named_fields_and_null_frequency_as_null() {
    let sandbox = Sandbox::new();
    let server = expect_post(
        "/machines/psec02yp2/updateMachinePublic",
        r#"{"machineId":"psec02yp2","machineName":"007","shutdownTimeoutInHours":8,"shutdownTimeoutForces":true,"autoSnapshotFrequency":null,"autoSnapshotSaveCount":3,"performAutoSnapshot":false,"dynamicPublicIp":true}"#,
        json_response(200, MACHINE),
    )
    .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "update",
            "--machineId",
            "psec02yp2",
            "--machineName",
            "007",
            "--shutdownTimeoutInHours",
            "08",
            "--shutdownTimeoutForces",
            "--autoSnapshotFrequency",
            "null",
            "--autoSnapshotSaveCount",
            "3",
            "--performAutoSnapshot",
            "false",
            "--dynamicPublicIp",
            "true",
        ],
    );
    out.assert_success(&pretty(MACHINE));
}

#[tokio::test]
async fn list_without_flags_sends_no_query_and_prints_the_array() {
    let sandbox = Sandbox::new();
    let body = format!("[{MACHINE},{{\"id\":\"ps2\",\"name\":\"Ünïcödé\"}}]");
    let server = expect_get("/machines/getMachines", None, json_response(200, &body)).await;
    run(sandbox.cli(&server), &["machines", "list"]).assert_success(&pretty(&body));
}

#[tokio::test]
async fn list_sends_filters_and_paging_in_flag_order_rfc3986_encoded() {
    let sandbox = Sandbox::new();
    let server = expect_get(
        "/machines/getMachines",
        Some("name=My%20Machine%20%26%20co&state=ready&cpus=4&performAutoSnapshot=true&region=East%20Coast%20%28NY2%29&machineId=ps123abc&updatesPending=false&limit=10&skip=20"),
        json_response(200, "[]"),
    )
    .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "list",
            "--name",
            "My Machine & co",
            "--state",
            "ready",
            "--cpus",
            "4",
            "--performAutoSnapshot",
            "--region",
            "NY2",
            "--machineId",
            "ps123abc",
            "--updatesPending",
            "false",
            "--limit",
            "10",
            "--skip",
            "20",
        ],
    );
    out.assert_success("[]\n");
}

#[tokio::test]
async fn show_gets_the_machine_by_id() {
    let sandbox = Sandbox::new();
    let server = expect_get(
        "/machines/getMachinePublic",
        Some("machineId=psec02yp2"),
        json_response(200, MACHINE),
    )
    .await;
    run(
        sandbox.cli(&server),
        &["machines", "show", "--machineId", "psec02yp2"],
    )
    .assert_success(&pretty(MACHINE));
}

#[tokio::test]
async fn set_access_for_user_posts_a_boolean() {
    let sandbox = Sandbox::new();
    let server = expect_post(
        "/machines/psec02yp2/setMachineAccess",
        r#"{"machineId":"psec02yp2","userId":"ubx9ce8k","enableAccess":true}"#,
        json_response(200, r#"{"message":"ok"}"#),
    )
    .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "setAccessForUser",
            "--machineId",
            "psec02yp2",
            "--userId",
            "ubx9ce8k",
            "--enableAccess",
            "true",
        ],
    );
    out.assert_success("{\n  \"message\": \"ok\"\n}\n");
}

#[tokio::test]
async fn utilization_sends_the_month_as_a_string() {
    let sandbox = Sandbox::new();
    let body = fixture("gradient-cli.show_machine_utilization_response.json");
    let server = expect_get(
        "/machines/getUtilization",
        Some("machineId=psec02yp2&billingMonth=2022-03"),
        json_response(200, &body),
    )
    .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "utilization",
            "--machineId",
            "psec02yp2",
            "--billingMonth",
            "2022-03",
        ],
    );
    out.assert_success(&pretty(&body));
}

#[tokio::test]
async fn availability_encodes_region_and_type() {
    let sandbox = Sandbox::new();
    let server = expect_get(
        "/machines/getAvailability",
        Some("region=Europe%20%28AMS1%29&machineType=GPU%2B"),
        json_response(200, r#"{"available": true}"#),
    )
    .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "availability",
            "--region",
            "ams1",
            "--machineType",
            "GPU+",
        ],
    );
    out.assert_success("{\n  \"available\": true\n}\n");
}

#[tokio::test]
async fn numeric_looking_strings_stay_strings_and_ids_are_encoded_in_the_path() {
    let sandbox = Sandbox::new();
    let server = expect_post(
        "/machines/123/stop",
        r#"{"machineId":"123"}"#,
        ResponseTemplate::new(204),
    )
    .await;
    run(
        sandbox.cli(&server),
        &["machines", "stop", "--machineId", "123"],
    )
    .assert_success("{}\n");

    let server = expect_post(
        "/machines/ps1%3Fx%3D1%23frag%2Fa%20%C3%BC/start",
        r#"{"machineId":"ps1?x=1#frag/a ü"}"#,
        ResponseTemplate::new(204),
    )
    .await;
    run(
        sandbox.cli(&server),
        &["machines", "start", "--machineId", "ps1?x=1#frag/a ü"],
    )
    .assert_success("{}\n");
}

#[tokio::test]
async fn a_name_starting_with_a_dash_is_a_value_not_a_flag() {
    let sandbox = Sandbox::new();
    let server = expect_post(
        "/machines/ps1/updateMachinePublic",
        r#"{"machineId":"ps1","machineName":"-dash"}"#,
        json_response(200, "{}"),
    )
    .await;
    run(
        sandbox.cli(&server),
        &[
            "machines",
            "update",
            "--machineId",
            "ps1",
            "--machineName",
            "-dash",
        ],
    )
    .assert_success("{}\n");
}

#[tokio::test]
async fn our_own_flags_are_never_sent() {
    let sandbox = Sandbox::new();
    let server = expect_get(
        "/machines/getMachines",
        Some("state=off"),
        json_response(200, "[]"),
    )
    .await;
    let out = run(
        sandbox.cli(&server),
        &[
            "machines",
            "--json",
            "list",
            "--state",
            "off",
            "--json",
            "--request-timeout",
            "30",
            "--connect-timeout=5",
        ],
    );
    out.assert_success("[]\n");
}
