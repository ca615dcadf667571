//! Pure request building: validated arguments in, an `ApiRequest` value out. No I/O, no
//! environment, no clock, so every rule of the wire format is unit tested here.

use super::model::REGIONS;
use super::spec::{CommandSpec, HttpMethod, ParamSpec, Rule, ValueKind, Wire};
use crate::error::{CliError, Result};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

/// RFC 3986: everything but the unreserved characters `A-Z a-z 0-9 - _ . ~` is encoded,
/// so a space is `%20` and `(`, `)`, `+`, `/`, `?`, `#` never change the URL's meaning.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, RFC3986).to_string()
}

/// A flag's value after validation, typed as it goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Text(String),
    Count(u64),
    Bool(bool),
    Null,
    Seconds(f64),
}

impl ParamValue {
    fn to_json(&self) -> Value {
        match self {
            ParamValue::Text(s) => Value::String(s.clone()),
            ParamValue::Count(n) => Value::from(*n),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::Null => Value::Null,
            ParamValue::Seconds(s) => Value::from(*s),
        }
    }

    fn to_query_text(&self) -> String {
        match self {
            ParamValue::Text(s) => s.clone(),
            ParamValue::Count(n) => n.to_string(),
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::Null => "null".to_string(),
            ParamValue::Seconds(s) => s.to_string(),
        }
    }
}

/// A command invocation whose every value has been checked: what the request builder and
/// `waitfor` consume. Values are kept in the order the flags were given.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub spec: &'static CommandSpec,
    pub values: Vec<(&'static ParamSpec, ParamValue)>,
}

impl Invocation {
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, v)| v)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(ParamValue::Text(s)) => Some(s),
            _ => None,
        }
    }

    fn switch(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(ParamValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// A client-side duration: the flag's value, else the spec's default.
    pub fn seconds(&self, name: &str) -> Option<f64> {
        match self.get(name) {
            Some(ParamValue::Seconds(s)) => Some(*s),
            _ => self.spec.param(name)?.default?.parse().ok(),
        }
    }
}

/// The request a command sends: method, path (already encoded), query pairs (raw, encoded
/// when rendered) and, for POST, the JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    pub method: HttpMethod,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Map<String, Value>>,
    /// The v1 API authenticates with `Authorization: Bearer`, the legacy one with `X-Api-Key`.
    pub bearer: bool,
}

impl ApiRequest {
    /// `path?k=v&...`, percent-encoded as RFC 3986; no `?` when there is no query.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let pairs: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect();
        format!("{}?{}", self.path, pairs.join("&"))
    }

    /// The same request as a curl command line (`--dry-run`): the key is left to the shell as
    /// `$PAPERSPACE_API_KEY`, so the line can be shared and pasted.
    pub fn to_curl(&self, base_url: &str) -> String {
        use crate::output::shell_quote;
        let url = shell_quote(&format!("{base_url}{}", self.path_and_query()));
        let key = r#"-H "X-Api-Key: $PAPERSPACE_API_KEY""#;
        let key = if self.bearer {
            r#"-H "Authorization: Bearer $PAPERSPACE_API_KEY""#
        } else {
            key
        };
        match self.body_text() {
            Some(body) => format!(
                "curl -X {} {url} {key} -H 'Content-Type: application/json' --data-raw {}",
                self.method.as_str(),
                shell_quote(&body)
            ),
            None => format!("curl -X {} {url} {key}", self.method.as_str()),
        }
    }

    /// Whether sending this request twice does no harm: reads, and the power actions the API
    /// documents as no-ops when the machine is already there. create, update, destroy and
    /// setAccessForUser are not: they are never resent once they may have reached the server.
    pub fn may_resend(&self) -> bool {
        let power_action = || {
            let last = self.path.rsplit('/').next().unwrap_or_default();
            ["start", "stop", "restart"].contains(&last) && self.path.starts_with("/machines/")
        };
        match self.method {
            HttpMethod::Get => true,
            HttpMethod::Post | HttpMethod::Patch => power_action(),
            HttpMethod::Put | HttpMethod::Delete => false,
        }
    }

    /// How to find out whether a request whose answer was lost took effect.
    pub fn how_to_check(&self) -> String {
        use crate::output::shell_quote;
        let field = |name: &str| {
            self.body
                .as_ref()
                .and_then(|b| b.get(name))
                .and_then(Value::as_str)
                .map(shell_quote)
        };
        if self.path.ends_with("/createSingleMachinePublic") {
            if let Some(name) = field("machineName") {
                return format!("paperspace machines list --name {name}");
            }
            return "paperspace machines list".to_string();
        }
        match field("machineId") {
            Some(id) => format!("paperspace machines show --machineId {id}"),
            None => "paperspace machines list".to_string(),
        }
    }

    /// The body as sent: compact JSON in flag order.
    pub fn body_text(&self) -> Option<String> {
        self.body
            .as_ref()
            .map(|b| serde_json::to_string(b).expect("a JSON map always serialises"))
    }
}

fn accepted(values: &[&str]) -> String {
    values.join(", ")
}

/// Check one raw flag value against its kind; the message names the flag and what it accepts.
pub fn parse_value(param: &ParamSpec, raw: &str) -> Result<ParamValue> {
    let flag = param.name;
    let invalid =
        |what: &str| CliError::usage(format!("invalid value '{raw}' for --{flag}: {what}"));
    match param.kind {
        ValueKind::Text => Ok(ParamValue::Text(raw.to_string())),
        ValueKind::Id => {
            if raw.trim().is_empty() {
                Err(CliError::usage(format!("--{flag} must not be empty")))
            } else {
                Ok(ParamValue::Text(raw.to_string()))
            }
        }
        ValueKind::Count { min } => {
            let digits_only = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
            let number = digits_only.then(|| raw.parse::<u64>().ok()).flatten();
            match number {
                Some(n) if n >= min => Ok(ParamValue::Count(n)),
                _ => Err(invalid(&format!(
                    "expected a whole number of at least {min}"
                ))),
            }
        }
        ValueKind::Switch => match raw.to_ascii_lowercase().as_str() {
            "true" => Ok(ParamValue::Bool(true)),
            "false" => Ok(ParamValue::Bool(false)),
            _ => Err(invalid(
                "accepted values are true, false (a bare flag means true)",
            )),
        },
        ValueKind::OneOf(set) | ValueKind::OneOfOrNull(set) | ValueKind::OneOfAnyCase(set) => {
            let any_case = matches!(param.kind, ValueKind::OneOfAnyCase(_));
            if raw == "null" && matches!(param.kind, ValueKind::OneOfOrNull(_)) {
                return Ok(ParamValue::Null);
            }
            set.iter()
                .find(|v| **v == raw || (any_case && v.eq_ignore_ascii_case(raw)))
                .map(|v| ParamValue::Text(v.to_string()))
                .ok_or_else(|| invalid(&format!("accepted values are {}", accepted(set))))
        }
        ValueKind::Region => REGIONS
            .iter()
            .find(|(long, short)| *long == raw || short.eq_ignore_ascii_case(raw))
            .map(|(long, _)| ParamValue::Text(long.to_string()))
            .ok_or_else(|| {
                let names: Vec<&str> = REGIONS
                    .iter()
                    .map(|(l, _)| *l)
                    .chain(REGIONS.iter().map(|(_, s)| *s))
                    .collect();
                invalid(&format!("accepted values are {}", accepted(&names)))
            }),
        ValueKind::Month => {
            if is_billing_month(raw) {
                Ok(ParamValue::Text(raw.to_string()))
            } else {
                Err(invalid("expected a month as YYYY-MM, e.g. 2022-03"))
            }
        }
        ValueKind::Seconds { allow_zero } => match raw.trim().parse::<f64>() {
            Ok(s) if s.is_finite() && (s > 0.0 || (allow_zero && s == 0.0)) => {
                Ok(ParamValue::Seconds(s))
            }
            _ if allow_zero => Err(invalid("expected a number of seconds, 0 or more")),
            _ => Err(invalid("expected a number of seconds greater than 0")),
        },
    }
}

fn is_billing_month(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(raw[5..].parse::<u8>(), Ok(1..=12))
}

/// Validate the raw values of a command (given as `(flag name, raw text)` in command-line
/// order) and apply the command's cross-flag rules.
pub fn validate(spec: &'static CommandSpec, raw: &[(&str, String)]) -> Result<Invocation> {
    let mut values = Vec::with_capacity(raw.len());
    for (name, text) in raw {
        let param = spec
            .param(name)
            .ok_or_else(|| CliError::usage(format!("unknown flag --{name}")))?;
        values.push((param, parse_value(param, text)?));
    }
    if let Some(missing) = spec
        .params
        .iter()
        .find(|p| p.required && !values.iter().any(|(v, _)| v.name == p.name))
    {
        return Err(CliError::usage(format!(
            "missing required flag --{}",
            missing.name
        )));
    }
    let invocation = Invocation { spec, values };
    if spec.path.contains("{machineId}") {
        check_path_segment(
            invocation.text("machineId").unwrap_or_default(),
            "machineId",
        )?;
    }
    for rule in spec.rules {
        check_rule(&invocation, rule)?;
    }
    Ok(invocation)
}

/// An id that goes into a URL path as a segment: `.` and `..` cannot, since URL
/// normalisation would address another endpoint (`/machines/../start` is `/start`).
pub fn check_path_segment(id: &str, flag: &str) -> Result<()> {
    if id == "." || id == ".." {
        return Err(CliError::usage(format!(
            "invalid value '{id}' for --{flag}: '.' and '..' cannot be ids"
        )));
    }
    Ok(())
}

fn check_rule(inv: &Invocation, rule: &Rule) -> Result<()> {
    match *rule {
        Rule::NotBothTrue(a, b) => {
            if inv.switch(a) == Some(true) && inv.switch(b) == Some(true) {
                return Err(CliError::usage(format!(
                    "--{a} and --{b} cannot be used together: choose one"
                )));
            }
        }
        Rule::Excludes { flag, others } => {
            if inv.get(flag).is_some()
                && let Some(other) = others.iter().find(|o| inv.get(o).is_some())
            {
                return Err(CliError::usage(format!(
                    "--{flag} cannot be used with --{other}: give an existing user's id, or the new user's {}",
                    others
                        .iter()
                        .map(|o| format!("--{o}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Rule::WhenTrueRequires {
            flag,
            needs_true,
            needs_given,
        } => {
            if inv.switch(flag) == Some(true)
                && (inv.switch(needs_true) != Some(true) || inv.get(needs_given).is_none())
            {
                return Err(CliError::usage(format!(
                    "--{flag} needs --{needs_true} true and --{needs_given} to be given"
                )));
            }
        }
    }
    Ok(())
}

/// Turn a validated invocation into the request the legacy API expects (peer-spec §4):
/// the path's `{machineId}` percent-encoded as one segment; GET parameters in the query,
/// POST parameters (the path's machineId included) in one JSON object; flag order kept;
/// client-only flags (waitfor's state, interval, timeout) never sent.
pub fn build_request(inv: &Invocation) -> ApiRequest {
    let spec = inv.spec;
    let mut path = spec.path.to_string();
    if path.contains("{machineId}") {
        let id = inv.text("machineId").unwrap_or_default();
        path = path.replace("{machineId}", &encode_component(id));
    }
    let sent = inv.values.iter().filter(|(p, _)| p.wire == Wire::Sent);
    match spec.method {
        HttpMethod::Get => ApiRequest {
            method: spec.method,
            path,
            query: sent
                .map(|(p, v)| (p.name.to_string(), v.to_query_text()))
                .collect(),
            body: None,
            bearer: false,
        },
        // The legacy API has only GET and POST; the other methods are v1's (api::v1).
        _ => ApiRequest {
            method: spec.method,
            path,
            query: Vec::new(),
            body: Some(
                sent.map(|(p, v)| (p.name.to_string(), v.to_json()))
                    .collect(),
            ),
            bearer: false,
        },
    }
}

/// The request `waitfor` repeats: the show endpoint for the machine.
pub fn show_request(machine_id: &str) -> ApiRequest {
    ApiRequest {
        method: HttpMethod::Get,
        path: "/machines/getMachinePublic".to_string(),
        query: vec![("machineId".to_string(), machine_id.to_string())],
        body: None,
        bearer: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::spec::command;

    fn build(cmd: &str, args: &[(&str, &str)]) -> Result<ApiRequest> {
        let raw: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, v.to_string())).collect();
        validate(command(cmd).unwrap(), &raw).map(|inv| build_request(&inv))
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
    fn dry_run_prints_a_curl_command_that_leaves_the_key_to_the_shell() {
        let req = build("update", &[("machineId", "ps1"), ("machineName", "it's")]).unwrap();
        assert_eq!(
            req.to_curl("https://api.paperspace.io"),
            r#"curl -X POST https://api.paperspace.io/machines/ps1/updateMachinePublic -H "X-Api-Key: $PAPERSPACE_API_KEY" -H 'Content-Type: application/json' --data-raw '{"machineId":"ps1","machineName":"it'\''s"}'"#
        );
        let req = build("list", &[("name", "a b")]).unwrap();
        assert_eq!(
            req.to_curl("http://127.0.0.1:8080"),
            r#"curl -X GET 'http://127.0.0.1:8080/machines/getMachines?name=a%20b' -H "X-Api-Key: $PAPERSPACE_API_KEY""#
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
    fn a_lost_answer_says_how_to_check_the_outcome() {
        assert_eq!(
            build("create", CREATE_MIN).unwrap().how_to_check(),
            "paperspace machines list --name 007"
        );
        assert_eq!(
            build("destroy", &[("machineId", "ps 1")])
                .unwrap()
                .how_to_check(),
            "paperspace machines show --machineId 'ps 1'"
        );
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
        assert_eq!(req, show_request("ps1"));
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
        let inv = validate(
            command("waitfor").unwrap(),
            &[("machineId", "m".into()), ("state", "off".into())],
        )
        .unwrap();
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
    }
}
