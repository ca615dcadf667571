//! Human tables for `--format table`: the API's answers laid out like `gh` or `hcloud` print
//! theirs (a header row, columns separated by spaces, no box drawing).
//!
//! Pure: the caller decides everything that depends on the terminal or the environment
//! (colour, width, header) and passes it in `TableOptions`.
//!
//! Four parts: `catalogue` (which fields exist, their titles and `--columns` names), `views`
//! (how each kind of answer becomes rows), `cells` (how one value reads, and its colour) and
//! `layout` (widths, cutting to the terminal, and writing the lines). The answer is read through the
//! lenient model of `api::model`, so a missing field, a value of an unexpected type or a state
//! we have never seen shows as `-` or as sent instead of failing the command.
//!
//! Choices worth knowing:
//! - Times are the API's UTC instants shown as `2022-03-14 15:47` (still UTC).
//! - `--columns` takes JSON field names (any case, `-`/`_` ignored), display names or a few
//!   aliases (`type`, `ip`); it applies to machine lists and to one machine (where it picks
//!   the rows). The other views reject it: `validate_columns` lets the caller say so before
//!   any request is sent.
//! - One machine is a list of `Field  Value` rows without a header row, so `header` has no
//!   effect there (nor on the one-line views).
//! - Text that came from the server is stripped of control characters: a machine name cannot
//!   move the cursor or colour the terminal.

mod catalogue;
mod cells;
mod layout;
mod records;
mod views;

pub use crate::api::spec::Resource;
use crate::error::CliError;
use catalogue::{FIELDS, LIST_COLUMNS, SHOW_ROWS, selected_fields};
use views::{
    action_line, availability_line, expect_object, fit_line, machine_list_table, machine_table,
    parse_answer, parse_list, utilization_table,
};

/// Which answer is being shown; decides how the JSON is read and laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View<'a> {
    /// `list`: a JSON array of machines.
    MachineList,
    /// `show`, `create`, `update`, `waitfor`: one machine object.
    Machine,
    /// `utilization`: machine and storage usage for a billing month.
    Utilization,
    /// `availability`: `{"available": bool}`.
    Availability,
    /// `start`, `stop`, `restart`, `destroy`, `setAccessForUser`...: the body (`{}`) says
    /// nothing, so the line is the command's words and the target's id (`Starting machine
    /// ps1.`) and the body is not read.
    Action { words: &'a str, id: &'a str },
    /// A JSON array of records of one kind (`templates list`...).
    List(Resource),
    /// One record of that kind (`scripts show`...).
    Record(Resource),
    /// A JSON string answer shown as the text it holds (`scripts text`).
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableOptions {
    /// `--columns`: field names in display order. Entries may themselves hold comma-separated
    /// lists, so `--columns id,name` can be passed split or not.
    pub columns: Option<Vec<String>>,
    /// `false` for `--no-header`.
    pub header: bool,
    /// ANSI colour for the state; `false` means no escape code at all.
    pub color: bool,
    /// The terminal's width: no line of the result is wider. `None`: no limit (piped output).
    pub max_width: Option<usize>,
    /// `--showPassword`: passwords (a desktop's, a shared drive's) in full, not hidden.
    pub show_secrets: bool,
}

impl Default for TableOptions {
    fn default() -> TableOptions {
        TableOptions {
            columns: None,
            header: true,
            color: false,
            max_width: None,
            show_secrets: false,
        }
    }
}

/// The names `--columns` accepts for this view (JSON names, in the API's order); empty for
/// the views that take no columns.
pub fn column_names(view: &View) -> Vec<&'static str> {
    match view {
        View::MachineList => FIELDS
            .iter()
            .filter(|field| !field.single_machine_only)
            .map(|field| field.key)
            .collect(),
        View::Machine => FIELDS.iter().map(|field| field.key).collect(),
        View::List(resource) | View::Record(resource) => records::catalogue(*resource)
            .fields
            .iter()
            .map(|field| field.key)
            .collect(),
        _ => Vec::new(),
    }
}

/// Check `--columns` for a view without any answer at hand. Call it before sending the
/// request: a typo must not surface only after `create` or `destroy` has been done.
pub(crate) fn validate_columns(view: &View, columns: Option<&[String]>) -> Result<(), CliError> {
    match view {
        View::List(resource) | View::Record(resource) => {
            records::selected(records::catalogue(*resource), columns, false).map(|_| ())
        }
        _ => selected_fields(view, columns, &[]).map(|_| ()),
    }
}

/// Lay out the API's answer `json` for `view`. The result ends with a newline unless it is
/// empty (an empty list without a header).
pub fn render(view: View, json: &str, opts: &TableOptions) -> Result<String, CliError> {
    let table = match view {
        View::MachineList => {
            let fields = selected_fields(&view, opts.columns.as_deref(), LIST_COLUMNS)?;
            machine_list_table(&parse_list(json)?, &fields, opts)
        }
        View::Machine => {
            let fields = selected_fields(&view, opts.columns.as_deref(), SHOW_ROWS)?;
            machine_table(expect_object(parse_answer(json)?)?, &fields)
        }
        View::Utilization => {
            selected_fields(&view, opts.columns.as_deref(), &[])?;
            utilization_table(expect_object(parse_answer(json)?)?, opts)
        }
        View::Availability => {
            selected_fields(&view, opts.columns.as_deref(), &[])?;
            return Ok(availability_line(expect_object(parse_answer(json)?)?, opts));
        }
        View::Action { words, id } => {
            selected_fields(&view, opts.columns.as_deref(), &[])?;
            return Ok(fit_line(action_line(words, id), opts.max_width));
        }
        View::List(resource) => {
            let catalogue = records::catalogue(resource);
            let fields = records::selected(catalogue, opts.columns.as_deref(), false)?;
            records::list_table(&parse_list(json)?, &fields, opts)
        }
        View::Record(resource) => {
            let catalogue = records::catalogue(resource);
            let fields = records::selected(catalogue, opts.columns.as_deref(), true)?;
            records::record_table(expect_object(parse_answer(json)?)?, &fields, opts)
        }
        View::Text => {
            selected_fields(&view, opts.columns.as_deref(), &[])?;
            return views::text_answer(parse_answer(json)?);
        }
    };
    Ok(table.lay_out(opts))
}

#[cfg(test)]
mod tests {
    use super::catalogue::normalize;
    use super::cells::{bytes, human_bytes, text_width};
    use super::*;
    use crate::error::ErrorKind;

    /// The list answer of the API reference, plus the machine `create` answers with.
    const LIST: &str = r#"[
      {"id":"psec02yp2","name":"New Machine Name1","os":"","ram":"32212254720","cpus":8,
       "gpu":"Quadro P4000","storageTotal":"53687091200","storageUsed":"110080",
       "machineType":"P4000","usageRate":"P4000 hourly","shutdownTimeoutInHours":24,
       "shutdownTimeoutForces":false,"performAutoSnapshot":false,"autoSnapshotFrequency":"day",
       "autoSnapshotSaveCount":1,"dynamicPublicIp":false,"agentType":"LinuxDesktop",
       "dtCreated":"2022-03-14T15:47:53.852Z","state":"ready","updatesPending":false,
       "networkId":"nng82wb","privateIpAddress":"10.64.1.99","publicIpAddress":"172.83.15.54",
       "region":"East Coast (NY2)","scriptId":null,"dtLastRun":null,
       "restorePointSnapshotId":null,"restorePointFrequency":null,"internalId":1713423},
      {"id":"psazmnxdy","name":"My Machine 1","os":null,"ram":null,"cpus":1,"gpu":null,
       "storageTotal":null,"storageUsed":null,"machineType":"P4000","usageRate":"P4000 hourly",
       "shutdownTimeoutInHours":168,"shutdownTimeoutForces":false,"performAutoSnapshot":false,
       "autoSnapshotFrequency":null,"autoSnapshotSaveCount":null,"dynamicPublicIp":false,
       "agentType":"LinuxHeadless","dtCreated":"2022-03-14T15:09:51.974Z",
       "state":"provisioning","updatesPending":false,"networkId":null,"privateIpAddress":null,
       "publicIpAddress":null,"region":null,"scriptId":null,"dtLastRun":null,
       "restorePointSnapshotId":null,"restorePointFrequency":null}
    ]"#;

    /// The `show` answer of the API reference, events deliberately oldest first.
    const SHOW: &str = r#"{
      "id":"psec02yp2","name":"New Machine Name1","os":"","ram":"32212254720","cpus":8,
      "gpu":"Quadro P4000","storageTotal":"53687091200","storageUsed":"110080",
      "machineType":"P4000","usageRate":"P4000 hourly","shutdownTimeoutInHours":24,
      "shutdownTimeoutForces":false,"performAutoSnapshot":false,"autoSnapshotFrequency":"day",
      "autoSnapshotSaveCount":1,"dynamicPublicIp":false,"agentType":"LinuxDesktop",
      "dtCreated":"2022-03-14T15:47:53.852Z","state":"ready","updatesPending":false,
      "networkId":"nng82wb","privateIpAddress":"10.64.1.99","publicIpAddress":"172.83.15.54",
      "region":"East Coast (NY2)","scriptId":null,"dtLastRun":null,
      "restorePointSnapshotId":null,"restorePointFrequency":null,
      "events":[
        {"name":"create","state":"done","errorMsg":"","handle":"396ea947",
         "dtModified":"2022-03-14T15:48:31.026Z","dtFinished":"2022-03-14T15:48:31.026Z",
         "dtCreated":"2022-03-14T15:47:53.852Z"},
        {"name":"start","state":"done","errorMsg":"","handle":"fabd398a",
         "dtModified":"2022-03-14T15:49:00.734Z","dtFinished":"2022-03-14T15:49:00.734Z",
         "dtCreated":"2022-03-14T15:48:30.994Z"}
      ]
    }"#;

    const UTILIZATION: &str = r#"{
      "machineId":"psec02yp2",
      "utilization":{"machineId":"psec02yp2","secondsUsed":8728.27191281319,
                     "hourlyRate":"0.51","billingMonth":"2022-03"},
      "storageUtilization":{"machineId":"psec02yp2","secondsUsed":2678400,
                            "monthlyRate":"5.00","billingMonth":"2022-03"}
    }"#;

    fn plain() -> TableOptions {
        TableOptions::default()
    }

    fn with_columns(columns: &[&str]) -> TableOptions {
        TableOptions {
            columns: Some(columns.iter().map(|c| c.to_string()).collect()),
            ..plain()
        }
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                // CSI: ESC [ parameters final-byte
                chars.by_ref().find(|c| c.is_ascii_alphabetic());
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn list_shows_the_default_columns_with_dashes_for_missing_values() {
        assert_eq!(
            render(View::MachineList, LIST, &plain()).unwrap(),
            "\
ID         NAME               STATE         TYPE   REGION            PUBLIC IP     CREATED
psec02yp2  New Machine Name1  ready         P4000  East Coast (NY2)  172.83.15.54  2022-03-14 15:47
psazmnxdy  My Machine 1       provisioning  P4000  -                 -             2022-03-14 15:09
"
        );
    }

    #[test]
    fn sizes_are_in_binary_units_and_empty_strings_are_missing() {
        let out = render(
            View::MachineList,
            LIST,
            &with_columns(&["id", "ram", "storageTotal", "storage_used", "os", "cpus"]),
        )
        .unwrap();
        assert_eq!(
            out,
            "\
ID         RAM     STORAGE  STORAGE USED  OS  CPUS
psec02yp2  30 GiB  50 GiB   107.5 KiB     -   8
psazmnxdy  -       -        -             -   1
"
        );
        assert_eq!(human_bytes(512.0), "512 B");
        assert_eq!(human_bytes(1536.0 * 1024.0 * 1024.0), "1.5 GiB");
        assert_eq!(bytes(&Some("lots".into())).text, "lots");
    }

    #[test]
    fn unknown_states_and_fields_of_the_wrong_type_do_not_break_the_list() {
        let json = r#"[{"id":"ps1","state":"hibernating","cpus":"eight","name":42}]"#;
        assert_eq!(
            render(
                View::MachineList,
                json,
                &with_columns(&["id", "state", "cpus", "name"])
            )
            .unwrap(),
            "ID   STATE        CPUS  NAME\nps1  hibernating  -     42\n"
        );
    }

    #[test]
    fn columns_choose_any_field_in_the_given_order_by_json_name_title_or_alias() {
        let out = render(
            View::MachineList,
            LIST,
            &with_columns(&["STATE,id", "type", "ip", "Private IP", "usageRate"]),
        )
        .unwrap();
        assert_eq!(
            out,
            "\
STATE         ID         TYPE   PUBLIC IP     PRIVATE IP  USAGE RATE
ready         psec02yp2  P4000  172.83.15.54  10.64.1.99  P4000 hourly
provisioning  psazmnxdy  P4000  -             -           P4000 hourly
"
        );
    }

    #[test]
    fn an_unknown_column_is_a_usage_error_listing_the_valid_ones() {
        let err = render(View::MachineList, LIST, &with_columns(&["id", "foo"])).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Usage);
        assert_eq!(
            err.message,
            "unknown column 'foo' for --columns; valid columns: id, name, os, ram, cpus, gpu, \
             storageTotal, storageUsed, machineType, usageRate, shutdownTimeoutInHours, \
             shutdownTimeoutForces, performAutoSnapshot, autoSnapshotFrequency, \
             autoSnapshotSaveCount, dynamicPublicIp, agentType, dtCreated, state, updatesPending, \
             networkId, privateIpAddress, publicIpAddress, region, userId, teamId, scriptId, \
             dtLastRun, restorePointSnapshotId, restorePointFrequency"
        );
        // lastEvent needs events, which lists do not carry.
        assert!(validate_columns(&View::MachineList, Some(&["lastEvent".into()])).is_err());
        assert!(validate_columns(&View::Machine, Some(&["lastEvent".into()])).is_ok());
        assert!(validate_columns(&View::Machine, Some(&[",".into()])).is_err());
        let err = validate_columns(&View::Availability, Some(&["id".into()])).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Usage);
        assert!(validate_columns(&View::Utilization, None).is_ok());
    }

    #[test]
    fn every_column_name_and_alias_means_one_field() {
        let mut spellings: Vec<String> = Vec::new();
        for field in FIELDS {
            let mut own = vec![normalize(field.key), normalize(field.title)];
            own.extend(field.aliases.iter().map(|alias| alias.to_string()));
            own.sort();
            own.dedup();
            spellings.extend(own);
        }
        let count = spellings.len();
        spellings.sort();
        spellings.dedup();
        assert_eq!(spellings.len(), count, "a spelling is shared by two fields");
        for key in LIST_COLUMNS.iter().chain(SHOW_ROWS) {
            assert!(FIELDS.iter().any(|field| field.key == *key), "{key}");
        }
    }

    #[test]
    fn no_header_leaves_only_the_rows_and_an_empty_list_is_just_the_header() {
        let opts = TableOptions {
            header: false,
            ..with_columns(&["id", "name"])
        };
        assert_eq!(
            render(View::MachineList, LIST, &opts).unwrap(),
            "psec02yp2  New Machine Name1\npsazmnxdy  My Machine 1\n"
        );
        assert_eq!(render(View::MachineList, "[]", &opts).unwrap(), "");
        assert_eq!(
            render(View::MachineList, " [ ] ", &plain()).unwrap(),
            "ID  NAME  STATE  TYPE  REGION  PUBLIC IP  CREATED\n"
        );
    }

    #[test]
    fn colors_mark_the_state_only_when_asked() {
        let json = r#"[{"id":"a","state":"ready"},{"id":"b","state":"off"},
                       {"id":"c","state":"starting"},{"id":"d","state":"hibernating"}]"#;
        let colored = TableOptions {
            color: true,
            ..with_columns(&["state", "id"])
        };
        let out = render(View::MachineList, json, &colored).unwrap();
        assert_eq!(
            out,
            "STATE        ID\n\
             \u{1b}[32mready\u{1b}[39m        a\n\
             \u{1b}[2moff\u{1b}[22m          b\n\
             \u{1b}[33mstarting\u{1b}[39m     c\n\
             hibernating  d\n"
        );
        // Colours do not count towards widths: without them, the same layout.
        assert_eq!(
            strip_ansi(&out),
            render(View::MachineList, json, &with_columns(&["state", "id"])).unwrap()
        );
        for view in [View::MachineList, View::Machine] {
            let json = if view == View::MachineList {
                LIST
            } else {
                SHOW
            };
            assert!(!render(view, json, &plain()).unwrap().contains('\u{1b}'));
        }
        assert!(
            !render(View::Availability, r#"{"available":true}"#, &plain())
                .unwrap()
                .contains('\u{1b}')
        );
    }

    #[test]
    fn server_text_cannot_smuggle_escape_codes_or_line_breaks() {
        let json = r#"[{"id":"ps1","name":"evil\u001b[2Jname\nsecond line"}]"#;
        assert_eq!(
            render(View::MachineList, json, &with_columns(&["id", "name"])).unwrap(),
            "ID   NAME\nps1  evil?[2Jname second line\n"
        );
    }

    #[test]
    fn a_width_limit_cuts_free_text_first_and_keeps_id_and_state_whole() {
        let colored = TableOptions {
            color: true,
            ..plain()
        };
        for max_width in [1, 5, 20, 30, 40, 60, 80, 96, 120] {
            let opts = TableOptions {
                max_width: Some(max_width),
                ..colored.clone()
            };
            let out = render(View::MachineList, LIST, &opts).unwrap();
            for line in out.lines() {
                assert!(
                    text_width(&strip_ansi(line)) <= max_width,
                    "{max_width}: {line:?}"
                );
            }
            if max_width >= 30 {
                assert!(
                    out.contains("psec02yp2") && out.contains("provisioning"),
                    "{out}"
                );
            }
        }
        let at = |max_width| {
            let opts = TableOptions {
                max_width: Some(max_width),
                ..plain()
            };
            render(View::MachineList, LIST, &opts).unwrap()
        };
        // 96 columns: only Name and Region give way.
        assert_eq!(
            at(96),
            "\
ID         NAME             STATE         TYPE   REGION           PUBLIC IP     CREATED
psec02yp2  New Machine Na…  ready         P4000  East Coast (NY…  172.83.15.54  2022-03-14 15:47
psazmnxdy  My Machine 1     provisioning  P4000  -                -             2022-03-14 15:09
"
        );
        // 80 columns: even names cut to 8 would not make room for the creation time, so the
        // rightmost default column is left out and the name gives one character.
        assert_eq!(
            at(80),
            "\
ID         NAME              STATE         TYPE   REGION            PUBLIC IP
psec02yp2  New Machine Nam…  ready         P4000  East Coast (NY2)  172.83.15.54
psazmnxdy  My Machine 1      provisioning  P4000  -                 -
"
        );
        // Columns someone asked for are cut, not left out.
        let opts = TableOptions {
            max_width: Some(30),
            ..with_columns(&["id", "name", "region"])
        };
        assert_eq!(
            render(View::MachineList, LIST, &opts).unwrap(),
            "ID         NAME      REGION\npsec02yp2  New Mac…  East Coa…\npsazmnxdy  My Mach…  -\n"
        );
    }

    #[test]
    fn show_lists_fields_and_the_newest_event_by_date() {
        assert_eq!(
            render(View::Machine, SHOW, &plain()).unwrap(),
            "\
ID                psec02yp2
Name              New Machine Name1
State             ready
Type              P4000
Region            East Coast (NY2)
OS                -
CPUs              8
RAM               30 GiB
GPU               Quadro P4000
Storage           50 GiB
Storage used      107.5 KiB
Public IP         172.83.15.54
Private IP        10.64.1.99
Network           nng82wb
Agent             LinuxDesktop
Usage rate        P4000 hourly
Shutdown timeout  24 hours
Updates pending   no
Created           2022-03-14 15:47
Last event        start: done (2022-03-14 15:49)
"
        );
    }

    #[test]
    fn show_rows_follow_columns_and_failed_events_carry_their_message() {
        let json = r#"{"id":"ps1","state":"off","events":[
          {"name":"start","state":"error","errorMsg":"Uh oh. No capacity.",
           "dtModified":"2022-03-15T10:00:05Z","dtCreated":"2022-03-15T10:00:00Z"},
          {"name":"stop","state":"done","dtCreated":"2022-03-14T09:00:00Z"}]}"#;
        let opts = TableOptions {
            color: true,
            ..with_columns(&["lastEvent", "state", "id"])
        };
        assert_eq!(
            render(View::Machine, json, &opts).unwrap(),
            "Last event  \u{1b}[31mstart: error (2022-03-15 10:00): Uh oh. No capacity.\u{1b}[39m\n\
             State       \u{1b}[2moff\u{1b}[22m\n\
             ID          ps1\n"
        );
        // create answers carry no events.
        let out = render(View::Machine, r#"{"id":"ps2"}"#, &with_columns(&["event"])).unwrap();
        assert_eq!(out, "Last event  -\n");
    }

    #[test]
    fn a_narrow_show_cuts_values_not_field_names() {
        let opts = TableOptions {
            max_width: Some(30),
            ..with_columns(&["name", "lastEvent"])
        };
        assert_eq!(
            render(View::Machine, SHOW, &opts).unwrap(),
            "Name        New Machine Name1\nLast event  start: done (2022…\n"
        );
    }

    #[test]
    fn utilization_shows_machine_hours_and_storage_days_with_rates() {
        assert_eq!(
            render(View::Utilization, UTILIZATION, &plain()).unwrap(),
            "\
USAGE    TIME        RATE         MONTH
machine  2.42 hours  $0.51/hour   2022-03
storage  31.0 days   $5.00/month  2022-03
"
        );
        let opts = TableOptions {
            header: false,
            ..plain()
        };
        assert_eq!(
            render(
                View::Utilization,
                r#"{"machineId":"ps1","utilization":null}"#,
                &opts
            )
            .unwrap(),
            "machine  -  -  -\nstorage  -  -  -\n"
        );
    }

    #[test]
    fn availability_is_one_word() {
        assert_eq!(
            render(View::Availability, r#"{"available":true}"#, &plain()).unwrap(),
            "available\n"
        );
        assert_eq!(
            render(View::Availability, r#"{"available":false}"#, &plain()).unwrap(),
            "not available\n"
        );
        assert_eq!(
            render(View::Availability, "{}", &plain()).unwrap(),
            "unknown\n"
        );
        let colored = TableOptions {
            color: true,
            ..plain()
        };
        assert_eq!(
            render(View::Availability, r#"{"available":true}"#, &colored).unwrap(),
            "\u{1b}[32mavailable\u{1b}[39m\n"
        );
    }

    #[test]
    fn actions_say_what_was_requested() {
        let line = |verb| {
            let words = match crate::api::commands::find("machines", verb).unwrap().view {
                crate::api::spec::ViewKind::Action(words) => words,
                other => panic!("{other:?}"),
            };
            render(
                View::Action {
                    words,
                    id: "ps123abc",
                },
                "{}",
                &plain(),
            )
            .unwrap()
        };
        assert_eq!(line("start"), "Starting machine ps123abc.\n");
        assert_eq!(line("stop"), "Stopping machine ps123abc.\n");
        assert_eq!(line("restart"), "Restarting machine ps123abc.\n");
        assert_eq!(line("destroy"), "Destroying machine ps123abc.\n");
        assert_eq!(
            line("setAccessForUser"),
            "Updated access to machine ps123abc.\n"
        );
        // The body is not read: an empty answer is fine.
        let view = View::Action {
            words: "Stopping machine",
            id: "ps1",
        };
        assert_eq!(
            render(view, "", &plain()).unwrap(),
            "Stopping machine ps1.\n"
        );
    }

    #[test]
    fn answers_of_the_wrong_shape_are_errors_or_dashes_never_panics() {
        let err = render(View::MachineList, r#"{"id":"ps1"}"#, &plain()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Internal);
        assert_eq!(
            err.message,
            "cannot show the answer as a table: expected a list, got an object; \
             --format json shows it as sent"
        );
        let err = render(View::Machine, "not json", &plain()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Internal);
        assert!(
            err.message
                .starts_with("cannot show the answer as a table: it is not JSON ("),
            "{}",
            err.message
        );
        assert_eq!(
            render(
                View::MachineList,
                r#"[3, null, "x", {"id":"ps1"}]"#,
                &with_columns(&["id", "state"])
            )
            .unwrap(),
            "ID   STATE\n-    -\n-    -\n-    -\nps1  -\n"
        );
        let garbage = [
            "",
            "null",
            "[",
            "[[]]",
            "{}",
            "[{}]",
            "\"text\"",
            "1e999",
            r#"{"events":7}"#,
            r#"{"events":[{"dtCreated":5},{"name":null},[]]}"#,
            r#"{"utilization":[1]}"#,
            r#"[{"ram":"-5","storageTotal":"1e400","dtCreated":"yesterday"}]"#,
        ];
        for json in garbage {
            for view in [
                View::MachineList,
                View::Machine,
                View::Utilization,
                View::Availability,
            ] {
                for max_width in [None, Some(0), Some(3)] {
                    let opts = TableOptions {
                        max_width,
                        color: true,
                        ..plain()
                    };
                    let _ = render(view, json, &opts);
                }
            }
        }
    }
}
