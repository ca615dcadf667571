//! The legacy API's planner: every legacy command is one request to its table route, GET
//! parameters in an RFC 3986 query, POST parameters (the path's `machineId` included) in one JSON
//! object, flag order kept, client-only flags never sent (docs/compatibility.md, "The wire").
//! `waitfor` polls the show endpoint; `list --all` follows `limit`/`skip` pages.

use super::commands::{CommandId, LEGACY_SHOW, MachinesCommand};
use super::params::{FileData, Invocation, ParamValue};
use super::plan::{Answer, Items, ListPlan, ListSource, Paging, Step, Window};
use super::request::{ApiRequest, Auth, HttpMethod, Retry, Upload};
use super::spec::{LegacyOp, OnLegacy, Route, ValueKind, Wire};
use crate::error::{CliError, Result};
use crate::vocab::{closest_machine_type, known_machine_types};

/// Page size of `list --all` when `--limit` is not given: the API's own default.
const DEFAULT_PAGE: u64 = 1000;

/// The step of a command on the legacy API.
pub fn step(inv: &Invocation) -> Result<Step> {
    let LegacyOp::Call(route) = inv.spec.legacy else {
        return Err(CliError::usage(format!(
            "{} needs --api v1 (or PAPERSPACE_API=v1): the legacy API had no such operation",
            inv.spec.full_name()
        )));
    };
    if let Some((param, _)) = inv
        .values
        .iter()
        .find(|(param, _)| param.legacy == OnLegacy::NeedsV1)
    {
        return Err(CliError::usage(format!(
            "--{} of {} needs --api v1 (or PAPERSPACE_API=v1): the legacy API had no such field",
            param.name,
            inv.spec.full_name()
        )));
    }
    check_machine_types(inv)?;
    // `list --all` is the one legacy command of several requests: every page.
    Ok(match inv.command() {
        CommandId::Machines(MachinesCommand::List) if inv.is_set("all") => {
            Step::List(every_page(inv, route))
        }
        _ => Step::Call {
            request: build_request(inv, route),
            answer: Answer::AsIs,
        },
    })
}

/// The legacy API knows only the machine types of `vocab::known_machine_types`; anything else
/// is a usage error naming them, with the likeliest meant.
fn check_machine_types(inv: &Invocation) -> Result<()> {
    for (param, value) in &inv.values {
        let ParamValue::Text(typed) = value else {
            continue;
        };
        if param.kind != ValueKind::MachineType || known_machine_types().any(|t| t == typed) {
            continue;
        }
        let accepted: Vec<&str> = known_machine_types().collect();
        let hint = closest_machine_type(typed)
            .map(|known| format!("; did you mean '{known}'?"))
            .unwrap_or_default();
        return Err(CliError::usage(format!(
            "invalid value '{typed}' for --{}: accepted values are {} (with --api v1 any type is sent){hint}",
            param.name,
            accepted.join(", ")
        )));
    }
    Ok(())
}

/// The one request of a legacy command to its route.
fn build_request(inv: &Invocation, route: Route) -> ApiRequest {
    let path = inv.path(&route);
    let sent = inv.values.iter().filter(|(p, _)| p.wire == Wire::Sent);
    let file = inv.values.iter().find_map(|(_, value)| match value {
        ParamValue::File(file) => Some(file),
        _ => None,
    });
    if let Some(file) = file {
        // The legacy CLI uploads a file as a form part and sends the other parameters in the
        // query (docs/compatibility.md, "The wire").
        let query = sent
            .filter(|(_, value)| !matches!(value, ParamValue::File(_)))
            .map(|(p, v)| (p.name.to_string(), v.to_query_text()))
            .collect();
        return ApiRequest {
            method: route.method,
            path,
            query,
            body: None,
            auth: Auth::ApiKeyHeader,
            retry: Retry::declared(inv),
            upload: Some(Box::new(upload_of(file))),
        };
    }
    let (query, body) = match route.method {
        HttpMethod::Get => (
            sent.map(|(p, v)| (p.name.to_string(), v.to_query_text()))
                .collect(),
            None,
        ),
        // The legacy API has only GET and POST.
        _ => (
            Vec::new(),
            Some(
                sent.map(|(p, v)| (p.name.to_string(), v.to_json()))
                    .collect(),
            ),
        ),
    };
    ApiRequest {
        method: route.method,
        path,
        query,
        body,
        auth: Auth::ApiKeyHeader,
        retry: Retry::declared(inv),
        upload: None,
    }
}

/// A file as the legacy CLI uploaded it: part `file`, the file's name, `application/x-sh` for
/// a shell script and `application/octet-stream` for anything else.
fn upload_of(file: &FileData) -> Upload {
    let content_type = if file.name.ends_with(".sh") {
        "application/x-sh"
    } else {
        "application/octet-stream"
    };
    Upload {
        field: "file",
        path: file.path.clone(),
        filename: file.name.clone(),
        content_type,
        bytes: file.bytes.clone(),
    }
}

/// `list --all`: the list's own query without `limit`/`skip`, then `limit`/`skip` pages from
/// `--skip`, `--limit` per page (default 1000).
fn every_page(inv: &Invocation, route: Route) -> ListPlan {
    let mut request = build_request(inv, route);
    request
        .query
        .retain(|(name, _)| name != "limit" && name != "skip");
    let source = ListSource {
        request,
        paging: Paging::Offset {
            page_size: inv
                .count("limit")
                .filter(|n| *n > 0)
                .unwrap_or(DEFAULT_PAGE),
            first: inv.count("skip").unwrap_or(0),
        },
        items: Items::AsIs,
    };
    ListPlan::single(source, Vec::new(), Window::ALL)
}

/// The one request of a legacy command (tests of the wire format).
#[cfg(test)]
pub(crate) fn request_of(inv: &Invocation) -> ApiRequest {
    let route = inv
        .spec
        .legacy
        .route()
        .expect("a command of the legacy API");
    build_request(inv, route)
}

/// The request `waitfor` repeats: the show endpoint for the machine, with nothing but its id
/// (the legacy CLI also sent `state`; the server ignores it).
pub(crate) fn show_request(machine_id: &str) -> ApiRequest {
    ApiRequest::get(
        Auth::ApiKeyHeader,
        LEGACY_SHOW.to_string(),
        vec![("machineId".to_string(), machine_id.to_string())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::HttpMethod;
    use crate::error::Result;
    use crate::test_support::{invocation, try_invocation};

    /// The legacy request of a command, through the planner (so its checks apply).
    fn build(cmd: &str, args: &[(&str, &str)]) -> Result<ApiRequest> {
        let inv = try_invocation(cmd, args)?;
        match step(&inv)? {
            Step::Call { request, .. } => Ok(request),
            _ => Ok(request_of(&inv)),
        }
    }

    fn usage_message(cmd: &str, args: &[(&str, &str)]) -> String {
        let err = build(cmd, args).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{err}");
        err.message
    }

    const CREATE_MIN: &[(&str, &str)] = &[
        ("region", "NY2"),
        ("machineType", "P4000"),
        ("size", "050"),
        ("billingType", "hourly"),
        ("machineName", "007"),
        ("templateId", "t123"),
    ];

    #[test]
    fn create_sends_typed_json_in_flag_order_with_canonical_values() {
        let req = build("create", CREATE_MIN).unwrap();
        assert_eq!(req.method, HttpMethod::Post);
        assert_eq!(req.path, "/machines/createSingleMachinePublic");
        assert_eq!(
            req.body_text().unwrap(),
            r#"{"region":"East Coast (NY2)","machineType":"P4000","size":50,"billingType":"hourly","machineName":"007","templateId":"t123"}"#
        );
    }

    #[test]
    fn actions_put_the_encoded_id_in_the_path_and_the_raw_id_in_the_body() {
        let req = build("start", &[("machineId", "ps a/ü?x#y")]).unwrap();
        assert_eq!(req.path, "/machines/ps%20a%2F%C3%BC%3Fx%23y/start");
        assert_eq!(req.body_text().unwrap(), r#"{"machineId":"ps a/ü?x#y"}"#);
        let req = build(
            "destroy",
            &[("releasePublicIp", "TRUE"), ("machineId", "123")],
        )
        .unwrap();
        assert_eq!(req.path, "/machines/123/destroyMachine");
        assert_eq!(
            req.body_text().unwrap(),
            r#"{"releasePublicIp":true,"machineId":"123"}"#
        );
    }

    #[test]
    fn get_commands_put_parameters_in_an_rfc3986_query_in_flag_order() {
        let req = build(
            "list",
            &[
                ("name", "a&b=c+d/e?f ü%"),
                ("limit", "10"),
                ("performAutoSnapshot", "false"),
                ("region", "CA1"),
            ],
        )
        .unwrap();
        assert_eq!(
            req.path_and_query(),
            "/machines/getMachines?name=a%26b%3Dc%2Bd%2Fe%3Ff%20%C3%BC%25&limit=10&performAutoSnapshot=false&region=West%20Coast%20%28CA1%29"
        );
        assert_eq!(req.body, None);
        assert_eq!(
            build("list", &[]).unwrap().path_and_query(),
            "/machines/getMachines"
        );
        let req = build(
            "availability",
            &[("region", "East Coast (NY2)"), ("machineType", "GPU+")],
        )
        .unwrap();
        assert_eq!(
            req.path_and_query(),
            "/machines/getAvailability?region=East%20Coast%20%28NY2%29&machineType=GPU%2B"
        );
    }

    #[test]
    fn only_reads_and_power_actions_may_be_resent() {
        let resend = |cmd: &str, args: &[(&str, &str)]| build(cmd, args).unwrap().may_resend();
        assert!(resend("list", &[]));
        assert!(resend("show", &[("machineId", "a")]));
        for action in ["start", "stop", "restart"] {
            assert!(resend(action, &[("machineId", "a")]), "{action}");
        }
        assert!(!resend("destroy", &[("machineId", "a")]));
        assert!(!resend("update", &[("machineId", "start")]));
        assert!(!resend(
            "setAccessForUser",
            &[
                ("machineId", "a"),
                ("userId", "u"),
                ("enableAccess", "true")
            ]
        ));
        assert!(!resend("create", CREATE_MIN));
    }

    #[test]
    fn update_sends_null_frequency_as_json_null() {
        let req = build(
            "update",
            &[
                ("machineId", "ps1"),
                ("autoSnapshotFrequency", "null"),
                ("machineName", "007"),
            ],
        )
        .unwrap();
        assert_eq!(
            req.body_text().unwrap(),
            r#"{"machineId":"ps1","autoSnapshotFrequency":null,"machineName":"007"}"#
        );
    }

    #[test]
    fn waitfor_sends_only_the_machine_id() {
        let req = build(
            "waitfor",
            &[
                ("state", "READY"),
                ("machineId", "ps1"),
                ("interval", "0.5"),
            ],
        )
        .unwrap();
        assert_eq!(
            req.path_and_query(),
            "/machines/getMachinePublic?machineId=ps1"
        );
        assert_eq!(req.path_and_query(), show_request("ps1").path_and_query());
    }

    #[test]
    fn bad_numbers_are_usage_errors_naming_the_flag() {
        for bad in ["50GB", "-5", "50.5", "0x10", "1e3", "", "0", " 5"] {
            let mut args = CREATE_MIN.to_vec();
            args[2] = ("size", bad);
            let msg = usage_message("create", &args);
            assert!(
                msg.contains("--size") && msg.contains("whole number"),
                "{bad}: {msg}"
            );
        }
        assert!(
            usage_message(
                "update",
                &[("machineId", "p"), ("shutdownTimeoutInHours", "x")]
            )
            .contains("--shutdownTimeoutInHours")
        );
    }

    #[test]
    fn closed_sets_list_the_accepted_values() {
        let mut args = CREATE_MIN.to_vec();
        args[0] = ("region", "Mars");
        assert_eq!(
            usage_message("create", &args),
            "invalid value 'Mars' for --region: accepted values are East Coast (NY2), West Coast (CA1), Europe (AMS1), ny2, ca1, ams1"
        );
        args[0] = ("region", "ny2");
        args[3] = ("billingType", "weekly");
        assert_eq!(
            usage_message("create", &args),
            "invalid value 'weekly' for --billingType: accepted values are hourly, monthly"
        );
        assert!(
            usage_message(
                "availability",
                &[("region", "ny2"), ("machineType", "Bogus")]
            )
            .contains("GPU+, P4000")
        );
        assert!(
            usage_message(
                "update",
                &[("machineId", "p"), ("autoSnapshotFrequency", "hourly")]
            )
            .contains("hour, day, week, month, null")
        );
        assert!(
            usage_message("waitfor", &[("machineId", "p"), ("state", "running")])
                .contains("off, serviceready, ready")
        );
    }

    #[test]
    fn closed_sets_are_spelled_exactly_except_short_region_codes_and_wait_states() {
        let mut args = CREATE_MIN.to_vec();
        for (i, bad) in [
            (0, "east coast (ny2)"),
            (1, "p4000"),
            (3, "Hourly"),
            (3, "hourly "),
        ] {
            let saved = args[i];
            args[i] = (saved.0, bad);
            assert!(
                usage_message("create", &args).contains(&format!("--{}", saved.0)),
                "{bad}"
            );
            args[i] = saved;
        }
        assert!(
            usage_message(
                "update",
                &[("machineId", "m"), ("autoSnapshotFrequency", "NULL")]
            )
            .contains("null")
        );
        for code in ["ams1", "AMS1", "Ams1"] {
            let req = build("availability", &[("region", code), ("machineType", "V100")]).unwrap();
            assert_eq!(req.query[0].1, "Europe (AMS1)");
        }
        assert!(build("waitfor", &[("machineId", "m"), ("state", "ServiceReady")]).is_ok());
    }

    #[test]
    fn switches_accept_true_and_false_in_any_case_only() {
        let ok = build(
            "setAccessForUser",
            &[
                ("machineId", "m"),
                ("userId", "u"),
                ("enableAccess", "False"),
            ],
        )
        .unwrap();
        assert_eq!(
            ok.body_text().unwrap(),
            r#"{"machineId":"m","userId":"u","enableAccess":false}"#
        );
        for bad in ["yes", "1", ""] {
            let msg = usage_message(
                "setAccessForUser",
                &[("machineId", "m"), ("userId", "u"), ("enableAccess", bad)],
            );
            assert!(
                msg.contains("--enableAccess") && msg.contains("true, false"),
                "{msg}"
            );
        }
    }

    #[test]
    fn billing_month_must_be_a_real_month() {
        for good in ["2022-03", "2017-12", "1999-01"] {
            assert!(build("utilization", &[("machineId", "m"), ("billingMonth", good)]).is_ok());
        }
        for bad in [
            "2017-13",
            "17-08",
            "201708",
            "2017-00",
            "2017-8",
            "２０１７-08",
        ] {
            assert!(
                usage_message("utilization", &[("machineId", "m"), ("billingMonth", bad)])
                    .contains("YYYY-MM"),
                "{bad}"
            );
        }
    }

    #[test]
    fn blank_ids_and_missing_flags_are_rejected() {
        assert_eq!(
            usage_message("start", &[("machineId", "  ")]),
            "--machineId must not be empty"
        );
        assert_eq!(
            usage_message("show", &[]),
            "missing required flag --machineId"
        );
    }

    #[test]
    fn cross_flag_rules_of_the_reference_are_enforced() {
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut args = CREATE_MIN.to_vec();
            args.extend_from_slice(extra);
            build("create", &args)
        };
        assert!(
            with(&[("assignPublicIp", "true"), ("dynamicPublicIp", "true")])
                .unwrap_err()
                .message
                .contains("cannot be used together")
        );
        assert!(with(&[("assignPublicIp", "false"), ("dynamicPublicIp", "true")]).is_ok());
        assert!(
            with(&[("userId", "u1"), ("email", "a@b.c")])
                .unwrap_err()
                .message
                .contains("--userId cannot be used with --email")
        );
        assert!(
            with(&[
                ("email", "a@b.c"),
                ("password", "pw"),
                ("firstName", "A"),
                ("lastName", "B")
            ])
            .is_ok()
        );
        assert_eq!(
            with(&[
                ("markSnapshotAsRestorePoint", "true"),
                ("takeInitialSnapshot", "true")
            ])
            .unwrap_err()
            .message,
            "--markSnapshotAsRestorePoint needs --takeInitialSnapshot true and --restorePointFrequency to be given"
        );
        assert!(
            with(&[
                ("markSnapshotAsRestorePoint", "true"),
                ("takeInitialSnapshot", "true"),
                ("restorePointFrequency", "shutdown")
            ])
            .is_ok()
        );
        assert!(
            build(
                "update",
                &[
                    ("machineId", "m"),
                    ("assignPublicIp", "true"),
                    ("dynamicPublicIp", "true")
                ]
            )
            .is_err()
        );
    }

    #[test]
    fn waitfor_durations_have_defaults_and_bounds() {
        let inv = invocation("waitfor", &[("machineId", "m"), ("state", "off")]);
        assert_eq!(inv.seconds("interval"), Some(5.0));
        assert_eq!(inv.seconds("timeout"), Some(900.0));
        assert!(
            usage_message(
                "waitfor",
                &[("machineId", "m"), ("state", "off"), ("interval", "0")]
            )
            .contains("greater than 0")
        );
        assert!(
            build(
                "waitfor",
                &[("machineId", "m"), ("state", "off"), ("timeout", "0")]
            )
            .is_ok()
        );
        assert!(
            usage_message(
                "waitfor",
                &[("machineId", "m"), ("state", "off"), ("timeout", "-1")]
            )
            .contains("--timeout")
        );
        // Past a year is refused, not a timer that cannot be made (it panicked).
        for (flag, value) in [
            ("timeout", "99999999999999999999999"),
            ("interval", "1e30"),
            ("timeout", "inf"),
        ] {
            assert_eq!(
                usage_message(
                    "waitfor",
                    &[("machineId", "m"), ("state", "off"), (flag, value)]
                ),
                format!(
                    "invalid value '{value}' for --{flag}: expected at most 31536000 seconds (a year)"
                )
            );
        }
        let year = invocation(
            "waitfor",
            &[
                ("machineId", "m"),
                ("state", "off"),
                ("timeout", "31536000"),
            ],
        );
        let plan = crate::api::Backend::Legacy.plan(&year).unwrap();
        assert_eq!(
            plan.wait.unwrap().timeout,
            Some(std::time::Duration::from_secs(31_536_000))
        );
    }
}
