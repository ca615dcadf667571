//! Every response body other Paperspace clients have recorded parses, prints verbatim, and
//! maps onto the typed model (tests/fixtures; tests/fixtures/SOURCES.md says where each came from).

use crate::support::*;
use paperspace::api::model::{Machine, UtilizationReport};
use paperspace::api::response::{RawResponse, decode};
use paperspace::vocab::MachineState;
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
    assert_eq!(count, 9);
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
    let capacity = events[1].error_msg.as_deref().unwrap_or_default();
    assert!(
        capacity.starts_with("Uh oh. This machine type can't start"),
        "{capacity}"
    );
    #[cfg(feature = "emulator")]
    assert_eq!(capacity, paperspace::emulator::CAPACITY_ERROR_MESSAGE);
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

/// The shared v1 types and the v1 requests we build agree with the v1 OpenAPI document.
mod v1_openapi {
    use super::*;
    use paperspace::api::commands;
    use paperspace::api::params::validate;
    use paperspace::api::plan::Step;
    use paperspace::api::v1::plan::step;
    use paperspace::api::v1::wire as v1;
    use std::collections::BTreeSet;

    fn openapi() -> Value {
        load("paperspace-v1-openapi.machines_operations.json")["operations"].clone()
    }

    fn keys(value: &Value) -> BTreeSet<String> {
        value.as_object().unwrap().keys().cloned().collect()
    }

    fn schema_keys(schema: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
        let properties = keys(&schema["properties"]);
        let required = schema["required"]
            .as_array()
            .map(|r| r.iter().map(|k| k.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        (properties, required)
    }

    #[test]
    fn machine_and_event_types_have_exactly_the_documented_fields() {
        let ops = openapi();
        let machine =
            &ops["GET /machines/{id}"]["responses"]["200"]["content"]["application/json"]["schema"];
        let (properties, required) = schema_keys(machine);
        let ours = keys(&serde_json::to_value(v1::Machine::default()).unwrap());
        assert_eq!(ours, properties, "v1::Machine fields");
        assert!(required.is_subset(&ours));
        let event = &ops["GET /machine-events"]["responses"]["200"]["content"]["application/json"]
            ["schema"]["properties"]["items"]["items"];
        assert_eq!(
            keys(&serde_json::to_value(v1::Event::default()).unwrap()),
            schema_keys(event).0
        );
        let page =
            &ops["GET /machines"]["responses"]["200"]["content"]["application/json"]["schema"];
        let empty: v1::Page<v1::Machine> = v1::Page {
            has_more: false,
            next_page: None,
            items: vec![],
        };
        assert_eq!(
            keys(&serde_json::to_value(empty).unwrap()),
            schema_keys(page).0
        );
    }

    fn body_keys(cmd: &str, args: &[(&str, &str)]) -> BTreeSet<String> {
        let raw: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, v.to_string())).collect();
        match step(&validate(commands::find("machines", cmd).unwrap(), &raw).unwrap()).unwrap() {
            Step::Call { request, .. } => request.body.unwrap().keys().cloned().collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn request_bodies_use_only_documented_fields_and_include_the_required_ones() {
        let ops = openapi();
        let create = &ops["POST /machines"]["requestBody"]["content"]["application/json"]["schema"];
        let (properties, required) = schema_keys(create);
        let ours = body_keys(
            "create",
            &[
                ("region", "ny2"),
                ("machineType", "C5"),
                ("size", "50"),
                ("billingType", "hourly"),
                ("machineName", "n"),
                ("templateId", "t"),
                ("networkId", "n1"),
                ("scriptId", "s"),
                ("assignPublicIp", "true"),
                ("startOnCreate", "false"),
                ("takeInitialSnapshot", "true"),
                ("markSnapshotAsRestorePoint", "true"),
                ("restorePointFrequency", "shutdown"),
                ("enableNvlink", "true"),
            ],
        );
        assert!(
            ours.is_subset(&properties),
            "{:?}",
            ours.difference(&properties).collect::<Vec<_>>()
        );
        assert!(
            required.is_subset(&ours),
            "{:?}",
            required.difference(&ours).collect::<Vec<_>>()
        );
        let update =
            &ops["PUT /machines/{id}"]["requestBody"]["content"]["application/json"]["schema"];
        let ours = body_keys(
            "update",
            &[
                ("machineId", "m"),
                ("machineName", "n"),
                ("shutdownTimeoutInHours", "2"),
                ("shutdownTimeoutForces", "true"),
                ("autoSnapshotFrequency", "day"),
                ("autoSnapshotSaveCount", "3"),
                ("performAutoSnapshot", "true"),
                ("dynamicPublicIp", "true"),
            ],
        );
        let allowed = schema_keys(update).0;
        assert!(
            ours.is_subset(&allowed),
            "{:?}",
            ours.difference(&allowed).collect::<Vec<_>>()
        );
    }
}
