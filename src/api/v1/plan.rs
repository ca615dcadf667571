//! The legacy commands on v1, planned from the command table: each row's `v1` operation says
//! which request it is, each parameter's `OnV1` what becomes of it. A flag v1 cannot honour is
//! a usage error naming it (never dropped quietly); nothing here does I/O.

use crate::api::params::{Invocation, ParamValue, check_path_segment};
use crate::api::plan::{Answer, Items, ListPlan, MachineFetch, Step, Window};
use crate::api::request::{ApiRequest, Auth, HttpMethod, MACHINE_IP, Retry, encode_component};
use crate::api::spec::{OnV1, V1Op, V1Params, V1Value, ValueKind, Wire};
use crate::error::{CliError, Result};
use crate::vocab::{Region, SnapshotFrequency};
use serde_json::{Map, Value};

/// `list` shows this many machines unless `--limit` says otherwise (the legacy API's default).
const DEFAULT_LIST_LIMIT: u64 = 1000;

/// How many of a machine's newest events are read: enough for show and for a wait's fail-fast.
const EVENTS_READ: u64 = 20;

fn cannot(flag: &str, why: &str) -> CliError {
    CliError::usage(format!("--{flag} cannot be used with --api v1: {why}"))
}

/// The parameters that go to the API, in flag order.
fn sent(inv: &Invocation) -> impl Iterator<Item = (&'static str, OnV1, &ParamValue)> {
    inv.values
        .iter()
        .filter(|(param, _)| param.wire == Wire::Sent)
        .map(|(param, value)| (param.name, param.v1, value))
}

/// The first flag v1 cannot honour, in flag order.
fn refuse_what_v1_cannot_honour(inv: &Invocation) -> Result<()> {
    for (param, value) in &inv.values {
        match (param.v1, value) {
            (OnV1::Refused(_), ParamValue::Bool(false)) if param.kind == ValueKind::Switch => {}
            (OnV1::Refused(why), _) => return Err(cannot(param.name, why)),
            (OnV1::Converted(V1Value::HourlyBillingOnly), ParamValue::Text(t)) if t != "hourly" => {
                return Err(cannot(param.name, "v1 bills machines by the hour only"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The step of a command on v1.
pub fn step(inv: &Invocation) -> Result<Step> {
    refuse_what_v1_cannot_honour(inv)?;
    let id = inv.machine_id();
    if let Some(flag) = inv.spec.targets.flag() {
        // v1 puts every id in the path.
        check_path_segment(inv.target_id(), flag)?;
    }
    match inv.spec.v1 {
        V1Op::Call {
            route,
            params,
            answer,
        } => {
            let (query, body) = match params {
                V1Params::None => (Vec::new(), None),
                V1Params::Body => (Vec::new(), Some(body(inv)?)),
                // One read (availability), not a list: only the query half applies.
                V1Params::Query => (super::namespaces::query_and_filters(inv).0, None),
                V1Params::Literal(json) => {
                    let literal = serde_json::from_str(json)
                        .map_err(|e| CliError::internal(format!("the body {json}: {e}")))?;
                    (Vec::new(), Some(literal))
                }
            };
            let request = ApiRequest {
                method: route.method,
                path: inv.path(&route),
                query,
                body,
                auth: Auth::Bearer,
                retry: Retry::declared(inv),
                upload: None,
            };
            let releases_ip = sent(inv).any(|(_, v1, value)| {
                v1 == OnV1::Converted(V1Value::ReleasesStaticIp) && *value == ParamValue::Bool(true)
            });
            if releases_ip {
                let release = ApiRequest {
                    method: HttpMethod::Delete,
                    // The address the machine has, filled in once it has been read.
                    path: format!("/public-ips/{MACHINE_IP}"),
                    ..request.clone()
                };
                return Ok(Step::DestroyReleasingIp {
                    machine: machine_request(id),
                    release,
                    delete: request,
                });
            }
            Ok(Step::Call { request, answer })
        }
        V1Op::PowerAction { route, already } => Ok(Step::PowerAction {
            request: ApiRequest {
                method: route.method,
                path: inv.path(&route),
                query: Vec::new(),
                body: None,
                auth: Auth::Bearer,
                retry: Retry::declared(inv),
                upload: None,
            },
            machine: machine_request(id),
            already,
        }),
        V1Op::Machine => Ok(Step::Machine(fetch_machine(id))),
        V1Op::MachineList => Ok(Step::List(machine_list(inv))),
        V1Op::Access => access(inv, id),
        V1Op::Planned(planner) => super::namespaces::step(planner, inv),
        V1Op::Unsupported(why) => Err(CliError::usage(format!(
            "{} is not available with --api v1: {why}; use --api legacy",
            inv.spec.name
        ))),
    }
}

/// `assignPublicIp` / `dynamicPublicIp` as v1's one `publicIpType`. Only `true` asks for an
/// address: `false` leaves the machine's as it is (`none` would drop a static address the user
/// pays for and may have given out; releasing one is asked for by name, docs/v1.md).
fn public_ip_type(inv: &Invocation) -> Option<&'static str> {
    match (inv.switch("assignPublicIp"), inv.switch("dynamicPublicIp")) {
        (Some(true), _) => Some("static"),
        (_, Some(true)) => Some("dynamic"),
        _ => None,
    }
}

/// A flag's value as v1 takes it in a body: a file as the text it holds (a startup script).
pub(super) fn json_value(name: &str, value: &ParamValue) -> Result<Value> {
    match value {
        ParamValue::File(file) => match String::from_utf8(file.bytes.clone()) {
            Ok(text) => Ok(Value::String(text)),
            Err(_) => Err(CliError::usage(format!(
                "--{name} {}: a v1 startup script is text, and this file is not UTF-8",
                file.path
            ))),
        },
        other => Ok(other.to_json()),
    }
}

/// The v1 body of a command: names and values as v1 spells them, in flag order; the fields
/// derived from several flags (`autoShutdownEnabled`, `publicIpType`) last.
fn body(inv: &Invocation) -> Result<Map<String, Value>> {
    let mut body = Map::new();
    let mut auto_shutdown = None;
    for (name, v1, value) in sent(inv) {
        match v1 {
            OnV1::Same => {
                body.insert(name.into(), json_value(name, value)?);
            }
            OnV1::Renamed(v1_name) => {
                body.insert(v1_name.into(), json_value(name, value)?);
            }
            OnV1::Converted(V1Value::RegionCode) => {
                body.insert(
                    "region".into(),
                    Region::code_of(&value.to_query_text()).into(),
                );
            }
            OnV1::Converted(V1Value::SnapshotFrequency) => {
                let frequency = match value {
                    ParamValue::Text(word) => SnapshotFrequency::from_legacy(word),
                    _ => None,
                };
                match frequency {
                    Some(frequency) => {
                        body.insert("autoSnapshotFrequency".into(), frequency.v1.into());
                    }
                    // The legacy `null` means "no auto-snapshots"; v1's frequency is not
                    // nullable, its switch is the way to say so.
                    None => {
                        body.insert("autoSnapshotEnabled".into(), false.into());
                    }
                }
            }
            OnV1::Converted(V1Value::AccessorIds) => {
                body.insert("accessorIds".into(), Value::Array(vec![value.to_json()]));
            }
            OnV1::Converted(V1Value::AutoShutdownHours) => {
                if let ParamValue::Count(hours) = value {
                    body.insert("autoShutdownTimeout".into(), (*hours).into());
                    auto_shutdown = Some(*hours > 0);
                }
            }
            OnV1::Converted(
                V1Value::PublicIpType | V1Value::HourlyBillingOnly | V1Value::ReleasesStaticIp,
            )
            | OnV1::FilteredHere
            | OnV1::SentAndFilteredHere
            | OnV1::Client
            | OnV1::Refused(_) => {}
        }
    }
    if let Some(enabled) = auto_shutdown {
        body.insert("autoShutdownEnabled".into(), enabled.into());
    }
    if let Some(kind) = public_ip_type(inv) {
        body.insert("publicIpType".into(), kind.into());
    }
    Ok(body)
}

/// `list`: the filters v1 has go to the server, the others are applied to each page here, then
/// `--skip` and `--limit` (or every match with `--all`).
fn machine_list(inv: &Invocation) -> ListPlan {
    let (query, filters) = super::namespaces::query_and_filters(inv);
    let window = if inv.is_set("all") {
        Window::ALL
    } else {
        Window {
            skip: inv.count("skip").unwrap_or(0),
            limit: Some(inv.count("limit").unwrap_or(DEFAULT_LIST_LIMIT)),
        }
    };
    // Oldest first, as the legacy API listed machines, and in a fixed order so `--skip` and
    // `--limit` pages are stable (v1's own default is newest first).
    let source =
        super::namespaces::source("/machines", query, "dtCreated", false, Items::V1Machine);
    ListPlan::single(source, filters, window)
}

/// `setAccessForUser`: `--enableAccess true` adds the user as an accessor, `false` removes them.
fn access(inv: &Invocation, id: &str) -> Result<Step> {
    let user = inv.text("userId").unwrap_or_default();
    check_path_segment(user, "userId")?;
    let machine = encode_component(id);
    let (method, path, body) = if inv.switch("enableAccess") == Some(false) {
        let path = format!("/machines/{machine}/accessors/{}", encode_component(user));
        (HttpMethod::Delete, path, None)
    } else {
        let mut body = Map::new();
        body.insert("userId".into(), user.into());
        let path = format!("/machines/{machine}/accessors");
        (HttpMethod::Post, path, Some(body))
    };
    let request = ApiRequest {
        method,
        path,
        query: Vec::new(),
        body,
        auth: Auth::Bearer,
        retry: Retry::declared(inv),
        upload: None,
    };
    Ok(Step::Call {
        request,
        answer: Answer::Empty,
    })
}

fn machine_request(id: &str) -> ApiRequest {
    ApiRequest::get(
        Auth::Bearer,
        format!("/machines/{}", encode_component(id)),
        Vec::new(),
    )
}

/// A machine and its newest events: two reads.
pub(crate) fn fetch_machine(id: &str) -> MachineFetch {
    let machine = machine_request(id);
    let events = ApiRequest::get(
        Auth::Bearer,
        "/machine-events".into(),
        vec![
            ("machineId".to_string(), id.to_string()),
            ("limit".to_string(), EVENTS_READ.to_string()),
            ("order".to_string(), "desc".to_string()),
        ],
    );
    MachineFetch::V1 { machine, events }
}

/// One event.
pub(crate) fn event_request(event: &str) -> ApiRequest {
    let path = format!("/machine-events/{}", encode_component(event));
    ApiRequest::get(Auth::Bearer, path, Vec::new())
}

/// A machine and the event of the action a wait follows: two reads.
pub(crate) fn follow_machine(id: &str, event: &str) -> MachineFetch {
    MachineFetch::V1Following {
        machine: machine_request(id),
        event: event_request(event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::HttpMethod;
    use crate::test_support::invocation;

    fn plan_of(cmd: &str, args: &[(&str, &str)]) -> Result<Step> {
        step(&invocation(cmd, args))
    }

    fn single(step: Step) -> (ApiRequest, Answer) {
        match step {
            Step::Call { request, answer } => (request, answer),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn create_renames_legacy_fields_and_maps_values() {
        let (req, shape) = single(
            plan_of(
                "create",
                &[
                    ("region", "East Coast (NY2)"),
                    ("machineType", "C5"),
                    ("size", "50"),
                    ("billingType", "hourly"),
                    ("machineName", "box"),
                    ("templateId", "t1"),
                    ("scriptId", "s1"),
                    ("dynamicPublicIp", "true"),
                    ("markSnapshotAsRestorePoint", "true"),
                    ("takeInitialSnapshot", "true"),
                    ("restorePointFrequency", "shutdown"),
                ],
            )
            .unwrap(),
        );
        assert_eq!(
            (req.method, req.path.as_str(), shape),
            (HttpMethod::Post, "/machines", Answer::V1ActionMachine)
        );
        assert_eq!(req.auth, Auth::Bearer);
        assert_eq!(
            req.body_text().unwrap(),
            r#"{"region":"ny2","machineType":"C5","diskSize":50,"name":"box","templateId":"t1","startupScriptId":"s1","restorePointEnabled":true,"takeInitialSnapshot":true,"restorePointFrequency":"shutdown","publicIpType":"dynamic"}"#
        );
    }

    #[test]
    fn flags_v1_cannot_honour_are_errors_naming_them() {
        let base = [
            ("region", "ny2"),
            ("machineType", "C5"),
            ("size", "50"),
            ("machineName", "b"),
            ("templateId", "t"),
        ];
        for (flag, value) in [
            ("teamId", "te1"),
            ("notificationEmail", "a@b.c"),
            ("billingType", "monthly"),
        ] {
            let mut args = base.to_vec();
            args.push(("billingType", "hourly"));
            if flag == "billingType" {
                args.pop();
            }
            args.push((flag, value));
            let err = plan_of("create", &args).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(
                err.message
                    .starts_with(&format!("--{flag} cannot be used with --api v1")),
                "{}",
                err.message
            );
        }
        let err = plan_of(
            "utilization",
            &[("machineId", "m"), ("billingMonth", "2022-03")],
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn destroy_releasing_the_public_ip_reads_releases_then_deletes() {
        let Step::DestroyReleasingIp {
            machine,
            release,
            delete,
        } = plan_of(
            "destroy",
            &[("machineId", "m"), ("releasePublicIp", "true")],
        )
        .unwrap()
        else {
            panic!("a destroy that releases the IP")
        };
        assert_eq!(
            (machine.method, machine.path.as_str()),
            (HttpMethod::Get, "/machines/m")
        );
        assert_eq!(
            (release.method, release.path.as_str(), release.may_resend()),
            (HttpMethod::Delete, "/public-ips/{ip}", false)
        );
        assert_eq!(
            (delete.method, delete.path.as_str()),
            (HttpMethod::Delete, "/machines/m")
        );
        let plain = plan_of(
            "destroy",
            &[("machineId", "m"), ("releasePublicIp", "false")],
        );
        assert!(matches!(plain, Ok(Step::Call { .. })));
    }

    #[test]
    fn actions_update_and_access_map_to_their_v1_operations() {
        let Step::PowerAction {
            request,
            machine,
            already,
        } = plan_of("stop", &[("machineId", "ps 1")]).unwrap()
        else {
            panic!("a power action")
        };
        assert_eq!(
            (request.method, request.path.as_str(), request.body),
            (HttpMethod::Patch, "/machines/ps%201/stop", None)
        );
        assert_eq!(machine.path, "/machines/ps%201");
        assert_eq!(already, ["stopping", "off"]);
        let (req, _) = single(
            plan_of(
                "update",
                &[
                    ("machineId", "ps1"),
                    ("machineName", "n"),
                    ("shutdownTimeoutInHours", "4"),
                    ("autoSnapshotFrequency", "day"),
                    ("assignPublicIp", "false"),
                ],
            )
            .unwrap(),
        );
        assert_eq!(
            (req.method, req.path.as_str()),
            (HttpMethod::Put, "/machines/ps1")
        );
        assert_eq!(
            req.body_text().unwrap(),
            r#"{"name":"n","autoShutdownTimeout":4,"autoSnapshotFrequency":"daily","autoShutdownEnabled":true}"#,
            "--assignPublicIp false leaves the address as it is"
        );
        let (req, _) = single(
            plan_of(
                "setAccessForUser",
                &[
                    ("machineId", "ps1"),
                    ("userId", "u1"),
                    ("enableAccess", "false"),
                ],
            )
            .unwrap(),
        );
        assert_eq!(
            (req.method, req.path.as_str()),
            (HttpMethod::Delete, "/machines/ps1/accessors/u1")
        );
        let (req, _) = single(
            plan_of(
                "availability",
                &[("region", "Europe (AMS1)"), ("machineType", "V100")],
            )
            .unwrap(),
        );
        assert_eq!(
            req.path_and_query(),
            "/machine-availability?region=ams1&machineType=V100"
        );
    }

    #[test]
    fn no_auto_snapshots_is_said_with_the_switch_not_a_null_frequency() {
        let (req, _) = single(
            plan_of(
                "update",
                &[("machineId", "ps1"), ("autoSnapshotFrequency", "null")],
            )
            .unwrap(),
        );
        assert_eq!(req.body_text().unwrap(), r#"{"autoSnapshotEnabled":false}"#);
    }

    #[test]
    fn a_user_for_a_new_machine_gets_access_to_it() {
        let (req, _) = single(
            plan_of(
                "create",
                &[
                    ("region", "ny2"),
                    ("machineType", "C5"),
                    ("size", "50"),
                    ("billingType", "hourly"),
                    ("machineName", "b"),
                    ("templateId", "t"),
                    ("userId", "u1"),
                ],
            )
            .unwrap(),
        );
        assert_eq!(
            req.body_text().unwrap(),
            r#"{"region":"ny2","machineType":"C5","diskSize":50,"name":"b","templateId":"t","accessorIds":["u1"]}"#
        );
    }

    #[test]
    fn list_splits_filters_between_the_server_and_the_client() {
        let Step::List(plan) = plan_of(
            "list",
            &[
                ("region", "ca1"),
                ("state", "off"),
                ("name", "x"),
                ("skip", "5"),
                ("limit", "2"),
            ],
        )
        .unwrap() else {
            panic!("a list")
        };
        assert_eq!(
            plan.sources[0].request.query,
            [
                ("region".into(), "ca1".into()),
                ("name".into(), "x".into()),
                ("orderBy".into(), "dtCreated".into()),
                ("order".into(), "asc".into())
            ]
        );
        assert_eq!(
            plan.filters,
            [
                ("state".to_string(), "off".to_string()),
                ("name".to_string(), "x".to_string())
            ]
        );
        for lacking in ["userId", "teamId", "scriptId", "dtLastRun"] {
            let err = plan_of("list", &[(lacking, "x")]).unwrap_err();
            assert_eq!(
                err.message,
                format!(
                    "--{lacking} cannot be used with --api v1: v1 machines have no such field, so nothing would match"
                )
            );
        }
        assert_eq!(
            plan.window,
            Window {
                skip: 5,
                limit: Some(2)
            }
        );
        assert_eq!(
            plan.sources[0].paging.page_query(0, Some("c2")),
            [
                ("limit".into(), "120".into()),
                ("after".into(), "c2".into())
            ]
        );
    }
}
