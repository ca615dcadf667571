//! Every response body other Paperspace clients have recorded parses, prints verbatim, and
//! maps onto the typed model (tests/fixtures, copied from shared/reference/fixtures).

use crate::support::*;
use paperspace::api::model::{Machine, MachineState, UtilizationReport};
use paperspace::api::response::{RawResponse, decode};
use serde_json::Value;

fn load(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn as_machine(value: &Value) -> Machine {
    serde_json::from_value(value.clone()).unwrap()
}

#[test]
fn every_fixture_file_is_json() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            load(path.file_name().unwrap().to_str().unwrap());
            count += 1;
        }
    }
    assert_eq!(count, 8);
}

#[test]
fn machine_bodies_of_every_client_map_onto_the_model() {
    let create = as_machine(&load("gradient-cli.create_machine_response.json"));
    assert!(create.id.is_some());
    let list = load("gradient-cli.list_machines_response.json");
    let machines: Vec<Machine> = serde_json::from_value(list).unwrap();
    assert_eq!(machines.len(), 2);
    assert_eq!(machines[1].state, Some(MachineState::Off));
    assert_eq!(machines[1].ram.as_deref(), Some("536870912"));
    let show = as_machine(&load("gradient-cli.show_machine_response.json"));
    assert!(!show.events.unwrap().is_empty());
    let terraform = as_machine(
        &load("terraform-provider-paperspace.create_machine_response_2017.json")["parsed"],
    );
    assert_eq!(terraform.id.as_deref(), Some("psmfffm3"));
    assert_eq!(terraform.state, Some(MachineState::Provisioning));
    assert_eq!(terraform.shutdown_timeout_in_hours, None);

    let node = load("paperspace-node.jsdoc_response_examples.json");
    let shown = as_machine(&node["show"]["parsed"]);
    let events = shown.events.unwrap();
    assert_eq!(events[1].state.as_deref(), Some("error"));
    assert_eq!(
        events[1].error_msg.as_deref(),
        Some(paperspace::api::model::CAPACITY_ERROR_MESSAGE)
    );
    let listed: Vec<Machine> = serde_json::from_value(node["list"]["parsed"].clone()).unwrap();
    assert_eq!(listed[0].team_id.as_deref(), Some("te456def"));
    let util: UtilizationReport =
        serde_json::from_value(node["utilization"]["parsed"].clone()).unwrap();
    assert_eq!(util.utilization.unwrap().seconds_used, Some(37351.08562622));
    let util: UtilizationReport =
        serde_json::from_value(load("gradient-cli.show_machine_utilization_response.json"))
            .unwrap();
    assert!(util.storage_utilization.unwrap().monthly_rate.is_some());
}

#[test]
fn success_bodies_print_back_exactly_as_received() {
    for name in [
        "gradient-cli.create_machine_response.json",
        "gradient-cli.list_machines_response.json",
        "gradient-cli.show_machine_response.json",
        "gradient-cli.show_machine_utilization_response.json",
    ] {
        let text = fixture(name);
        let response = RawResponse {
            status: 200,
            reason: "OK".into(),
            location: None,
            body: text.clone().into_bytes(),
        };
        let printed = paperspace::output::pretty(&decode(response).unwrap()).unwrap();
        assert_eq!(printed.trim_end(), text.trim_end(), "{name}");
    }
}

#[test]
fn error_bodies_give_the_messages_other_clients_show() {
    let file = load("gradient-cli.machines_error_responses_and_messages.json");
    for entry in file["response_bodies"].as_array().unwrap() {
        let body = &entry["response_body"];
        let expected = body
            .pointer("/error/message")
            .or_else(|| body.get("message"))
            .and_then(Value::as_str);
        let Some(expected) = expected else { continue };
        let response = RawResponse {
            status: 400,
            reason: "Bad Request".into(),
            location: None,
            body: serde_json::to_vec(body).unwrap(),
        };
        assert_eq!(decode(response).unwrap_err().message, expected);
    }
}
