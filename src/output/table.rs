//! Human tables for `--format table`: the API's answers laid out like `gh` or `hcloud` print
//! theirs (a header row, columns separated by spaces, no box drawing).
//!
//! Pure: the caller decides everything that depends on the terminal or the environment
//! (colour, width, header) and passes it in `TableOptions`. The answer is read through the
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

use crate::api::model::UtilizationReport;
use crate::api::model::{Availability, Machine, MachineEvent, MachineState, UsageLine};
use crate::error::CliError;
use serde_json::Value;
use tabled::grid::util::string::get_text_width;
use tabled::settings::Color;
use tabled::settings::width::Truncate;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

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
    /// `start`, `stop`, `restart`, `destroy`, `setAccessForUser`: the body (`{}`) says nothing,
    /// so the line is made from the verb and the machine id and the body is not read.
    Action { verb: &'a str, machine_id: &'a str },
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
}

impl Default for TableOptions {
    fn default() -> TableOptions {
        TableOptions {
            columns: None,
            header: true,
            color: false,
            max_width: None,
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
        _ => Vec::new(),
    }
}

/// Check `--columns` for a view without any answer at hand. Call it before sending the
/// request: a typo must not surface only after `create` or `destroy` has been done.
pub fn validate_columns(view: &View, columns: Option<&[String]>) -> Result<(), CliError> {
    selected_fields(view, columns, &[]).map(|_| ())
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
        View::Action { verb, machine_id } => {
            selected_fields(&view, opts.columns.as_deref(), &[])?;
            return Ok(fit_line(action_line(verb, machine_id), opts.max_width));
        }
    };
    Ok(table.lay_out(opts))
}

// ---------------------------------------------------------------------------------------------
// Machine fields
// ---------------------------------------------------------------------------------------------

/// `list` columns: what tells machines apart and what you need to reach one. RAM, CPUs and
/// GPU follow from the type on Paperspace, so they stay available through `--columns` only.
const LIST_COLUMNS: &[&str] = &[
    "id",
    "name",
    "state",
    "machineType",
    "region",
    "publicIpAddress",
    "dtCreated",
];

/// `show` rows: everything but the owner/script/snapshot plumbing, plus the newest event.
const SHOW_ROWS: &[&str] = &[
    "id",
    "name",
    "state",
    "machineType",
    "region",
    "os",
    "cpus",
    "ram",
    "gpu",
    "storageTotal",
    "storageUsed",
    "publicIpAddress",
    "privateIpAddress",
    "networkId",
    "agentType",
    "usageRate",
    "shutdownTimeoutInHours",
    "updatesPending",
    "dtCreated",
    "lastEvent",
];

/// One field of a machine as a column (list) or a row (show).
struct Field {
    /// JSON name, which is also the `--columns` name.
    key: &'static str,
    title: &'static str,
    /// Extra `--columns` names, already normalized (see `normalize`).
    aliases: &'static [&'static str],
    fit: Fit,
    /// Derived from `events`, which only single-machine answers carry.
    single_machine_only: bool,
    cell: fn(&Machine) -> Cell,
}

const fn field(
    key: &'static str,
    title: &'static str,
    fit: Fit,
    cell: fn(&Machine) -> Cell,
) -> Field {
    Field {
        key,
        title,
        aliases: &[],
        fit,
        single_machine_only: false,
        cell,
    }
}

impl Field {
    /// `--columns` names beyond the JSON name and the title.
    const fn also_named(mut self, aliases: &'static [&'static str]) -> Field {
        self.aliases = aliases;
        self
    }

    const fn single_machine_only(mut self) -> Field {
        self.single_machine_only = true;
        self
    }
}

/// Every field of the API's machine object, in its order, then the derived `lastEvent`.
#[rustfmt::skip]
const FIELDS: &[Field] = &[
    field("id", "ID", Fit::Keep, |m| text(&m.id)).also_named(&["machineid"]),
    field("name", "Name", Fit::Text, |m| text(&m.name)),
    field("os", "OS", Fit::Text, |m| text(&m.os)),
    field("ram", "RAM", Fit::Whole, |m| bytes(&m.ram)),
    field("cpus", "CPUs", Fit::Whole, |m| number(m.cpus)),
    field("gpu", "GPU", Fit::Text, |m| text(&m.gpu)),
    field("storageTotal", "Storage", Fit::Whole, |m| bytes(&m.storage_total)),
    field("storageUsed", "Storage used", Fit::Whole, |m| bytes(&m.storage_used)),
    field("machineType", "Type", Fit::Whole, |m| text(&m.machine_type)),
    field("usageRate", "Usage rate", Fit::Text, |m| text(&m.usage_rate)),
    field("shutdownTimeoutInHours", "Shutdown timeout", Fit::Whole, |m| hours_setting(m.shutdown_timeout_in_hours)),
    field("shutdownTimeoutForces", "Forced shutdown", Fit::Whole, |m| yes_no(m.shutdown_timeout_forces)),
    field("performAutoSnapshot", "Auto snapshot", Fit::Whole, |m| yes_no(m.perform_auto_snapshot)),
    field("autoSnapshotFrequency", "Snapshot frequency", Fit::Whole, |m| text(&m.auto_snapshot_frequency)),
    field("autoSnapshotSaveCount", "Snapshots kept", Fit::Whole, |m| number(m.auto_snapshot_save_count)),
    field("dynamicPublicIp", "Dynamic IP", Fit::Whole, |m| yes_no(m.dynamic_public_ip)),
    field("agentType", "Agent", Fit::Whole, |m| text(&m.agent_type)),
    field("dtCreated", "Created", Fit::Whole, |m| time_cell(&m.dt_created)),
    field("state", "State", Fit::Keep, |m| m.state.as_ref().map_or_else(Cell::missing, state_cell)),
    field("updatesPending", "Updates pending", Fit::Whole, |m| yes_no(m.updates_pending)),
    field("networkId", "Network", Fit::Whole, |m| text(&m.network_id)),
    field("privateIpAddress", "Private IP", Fit::Whole, |m| text(&m.private_ip_address)),
    field("publicIpAddress", "Public IP", Fit::Whole, |m| text(&m.public_ip_address)).also_named(&["ip"]),
    field("region", "Region", Fit::Text, |m| text(&m.region)),
    field("userId", "User", Fit::Whole, |m| text(&m.user_id)),
    field("teamId", "Team", Fit::Whole, |m| text(&m.team_id)),
    field("scriptId", "Script", Fit::Whole, |m| text(&m.script_id)),
    field("dtLastRun", "Last run", Fit::Whole, |m| time_cell(&m.dt_last_run)),
    field("restorePointSnapshotId", "Restore point", Fit::Whole, |m| text(&m.restore_point_snapshot_id)),
    field("restorePointFrequency", "Restore frequency", Fit::Whole, |m| text(&m.restore_point_frequency)),
    field("lastEvent", "Last event", Fit::Text, |m| newest_event(m.events.as_deref()))
        .also_named(&["event"])
        .single_machine_only(),
];

/// `--columns` spelling is forgiving: `publicIpAddress`, `public_ip_address`, `Public IP`.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn matches(field: &Field, wanted: &str) -> bool {
    normalize(field.key) == wanted
        || normalize(field.title) == wanted
        || field.aliases.contains(&wanted)
}

/// The fields to show: `--columns` when given, else `defaults`. For views without columns
/// this only checks that none were asked for.
fn selected_fields(
    view: &View,
    columns: Option<&[String]>,
    defaults: &[&str],
) -> Result<Vec<&'static Field>, CliError> {
    let valid = column_names(view);
    let Some(requested) = columns else {
        return Ok(defaults
            .iter()
            .filter_map(|key| FIELDS.iter().find(|field| field.key == *key))
            .collect());
    };
    if valid.is_empty() {
        return Err(CliError::usage(
            "--columns applies only to machine tables (list, show, create, update, waitfor)",
        ));
    }
    let names: Vec<&str> = requested
        .iter()
        .flat_map(|entry| entry.split(','))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect();
    if names.is_empty() {
        return Err(CliError::usage(format!(
            "--columns needs at least one column; valid columns: {}",
            valid.join(", ")
        )));
    }
    names
        .into_iter()
        .map(|name| {
            let wanted = normalize(name);
            FIELDS
                .iter()
                .find(|field| valid.contains(&field.key) && matches(field, &wanted))
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "unknown column '{name}' for --columns; valid columns: {}",
                        valid.join(", ")
                    ))
                })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// A list answer as the raw text of each item: each machine is then read straight into the
/// model, so a list of 10 000 never exists as a tree of generic JSON values (memory).
fn parse_list(json: &str) -> Result<Vec<&serde_json::value::RawValue>, CliError> {
    serde_json::from_str(json).map_err(|e| match parse_answer(json) {
        Ok(other) => unreadable(format_args!("expected a list, got {}", kind_of(&other))),
        Err(_) => unreadable(format_args!("it is not JSON ({e})")),
    })
}

fn machine_list_table(
    items: &[&serde_json::value::RawValue],
    fields: &[&Field],
    opts: &TableOptions,
) -> Table {
    let rows = items
        .iter()
        .map(|item| match item.get().starts_with('{') {
            true => {
                let machine: Machine = serde_json::from_str(item.get()).unwrap_or_default();
                fields.iter().map(|field| (field.cell)(&machine)).collect()
            }
            // Not a machine at all: keep the row so counts match, but claim nothing about it.
            false => fields.iter().map(|_| Cell::missing()).collect(),
        })
        .collect();
    Table {
        header: opts.header.then(|| {
            fields
                .iter()
                .map(|field| field.title.to_uppercase())
                .collect()
        }),
        rows,
        fits: fields.iter().map(|field| field.fit).collect(),
        // The default columns are a suggestion; columns someone asked for are cut, never left out.
        may_leave_out: opts.columns.is_none(),
    }
}

fn machine_table(object: Value, fields: &[&Field]) -> Table {
    let machine: Machine = serde_json::from_value(object).unwrap_or_default();
    Table {
        header: None,
        rows: fields
            .iter()
            .map(|field| vec![Cell::plain(field.title), (field.cell)(&machine)])
            .collect(),
        fits: vec![Fit::Keep, Fit::Text],
        may_leave_out: false,
    }
}

fn utilization_table(object: Value, opts: &TableOptions) -> Table {
    let report: UtilizationReport = serde_json::from_value(object).unwrap_or_default();
    let line = |kind: &str, usage: Option<&UsageLine>, time_used: fn(f64) -> String, rate: Cell| {
        vec![
            Cell::plain(kind),
            usage
                .and_then(|usage| usage.seconds_used)
                .map_or_else(Cell::missing, |seconds| Cell::plain(time_used(seconds))),
            rate,
            text(&usage.and_then(|usage| usage.billing_month.clone())),
        ]
    };
    let machine = report.utilization.as_ref();
    let storage = report.storage_utilization.as_ref();
    Table {
        header: opts.header.then(|| {
            ["USAGE", "TIME", "RATE", "MONTH"]
                .map(String::from)
                .to_vec()
        }),
        rows: vec![
            line(
                "machine",
                machine,
                hours,
                price(machine.and_then(|m| m.hourly_rate.as_deref()), "hour"),
            ),
            line(
                "storage",
                storage,
                hours_or_days,
                price(storage.and_then(|s| s.monthly_rate.as_deref()), "month"),
            ),
        ],
        fits: vec![Fit::Keep, Fit::Whole, Fit::Text, Fit::Whole],
        may_leave_out: false,
    }
}

fn availability_line(object: Value, opts: &TableOptions) -> String {
    let availability: Availability = serde_json::from_value(object).unwrap_or_default();
    let cell = match availability.available {
        Some(true) => Cell::toned("available", Tone::Good),
        Some(false) => Cell::toned("not available", Tone::Bad),
        None => Cell::plain("unknown"),
    };
    format!("{}\n", cell.painted(opts.color))
}

/// A one-line answer cut to the terminal's width (with an ellipsis), like the tables.
fn fit_line(line: String, max_width: Option<usize>) -> String {
    let text = line.trim_end_matches('\n');
    let Some(width) = max_width.map(|w| w.max(1)) else {
        return line;
    };
    if get_text_width(text) <= width {
        return line;
    }
    let mut cut = String::new();
    for ch in text.chars() {
        let candidate = format!("{cut}{ch}…");
        if get_text_width(&candidate) > width {
            break;
        }
        cut.push(ch);
    }
    format!("{cut}…\n")
}

fn action_line(verb: &str, machine_id: &str) -> String {
    let machine_id = sanitize(machine_id);
    match verb.to_ascii_lowercase().as_str() {
        "start" => format!("Starting machine {machine_id}.\n"),
        "stop" => format!("Stopping machine {machine_id}.\n"),
        "restart" => format!("Restarting machine {machine_id}.\n"),
        "destroy" => format!("Destroying machine {machine_id}.\n"),
        "setaccessforuser" => format!("Updated access to machine {machine_id}.\n"),
        _ => format!("Requested {} for machine {machine_id}.\n", sanitize(verb)),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the answer
// ---------------------------------------------------------------------------------------------

fn unreadable(detail: impl std::fmt::Display) -> CliError {
    CliError::internal(format!(
        "cannot show the answer as a table: {detail}; --format json shows it as sent"
    ))
}

fn parse_answer(json: &str) -> Result<Value, CliError> {
    serde_json::from_str(json).map_err(|e| unreadable(format_args!("it is not JSON ({e})")))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expect_object(value: Value) -> Result<Value, CliError> {
    match value {
        Value::Object(_) => Ok(value),
        other => Err(unreadable(format_args!(
            "expected an object, got {}",
            kind_of(&other)
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------------

/// What a cell's colour means; the escape codes are only decided when printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Plain,
    Good,
    Busy,
    Idle,
    Bad,
}

impl Tone {
    fn color(self) -> Option<Color> {
        match self {
            Tone::Plain => None,
            Tone::Good => Some(Color::FG_GREEN),
            Tone::Busy => Some(Color::FG_YELLOW),
            Tone::Idle => Some(Color::DIMMED),
            Tone::Bad => Some(Color::FG_RED),
        }
    }
}

/// Plain text (one line, no control characters) and the tone to print it in. Widths are
/// measured on the text alone; tabled wraps the colour around it after layout.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cell {
    text: String,
    tone: Tone,
}

impl Cell {
    fn plain(text: impl AsRef<str>) -> Cell {
        Cell::toned(text, Tone::Plain)
    }

    fn toned(text: impl AsRef<str>, tone: Tone) -> Cell {
        let text = sanitize(text.as_ref().trim());
        if text.trim().is_empty() {
            Cell::missing()
        } else {
            Cell { text, tone }
        }
    }

    fn missing() -> Cell {
        Cell {
            text: "-".to_string(),
            tone: Tone::Plain,
        }
    }

    fn painted(&self, color: bool) -> String {
        match self.tone.color().filter(|_| color) {
            Some(color) => color.colorize(&self.text),
            None => self.text.clone(),
        }
    }
}

/// One line of inert text: line breaks and tabs become spaces, other control characters
/// (escape sequences included) become `?`.
fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '?',
            c => c,
        })
        .collect()
}

fn text(value: &Option<String>) -> Cell {
    value.as_deref().map_or_else(Cell::missing, Cell::plain)
}

fn number(value: Option<u64>) -> Cell {
    value.map_or_else(Cell::missing, |n| Cell::plain(n.to_string()))
}

fn hours_setting(value: Option<u64>) -> Cell {
    value.map_or_else(Cell::missing, |hours| Cell::plain(format!("{hours} hours")))
}

fn yes_no(value: Option<bool>) -> Cell {
    value.map_or_else(Cell::missing, |b| Cell::plain(if b { "yes" } else { "no" }))
}

/// Sizes arrive as byte counts in strings (`"32212254720"`); shown in binary units, whole
/// when exact (`30 GiB`), else with one decimal. Anything else is shown as sent.
fn bytes(value: &Option<String>) -> Cell {
    let Some(raw) = value.as_deref() else {
        return Cell::missing();
    };
    match raw.trim().parse::<f64>() {
        Ok(count) if count.is_finite() && count >= 0.0 => Cell::plain(human_bytes(count)),
        _ => Cell::plain(raw),
    }
}

fn human_bytes(count: f64) -> String {
    const UNITS: &[&str] = &["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut size = count;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    if size.fract() == 0.0 {
        format!("{size} {}", UNITS[unit])
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

fn parse_time(text: Option<&str>) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text?.trim(), &Rfc3339).ok()
}

/// `2022-03-14T15:47:53.852Z` → `2022-03-14 15:47` (UTC); unparseable text as sent.
fn compact_time(raw: &str) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]");
    parse_time(Some(raw))
        // checked: an instant near the end of year 9999 may not exist in UTC.
        .and_then(|instant| instant.checked_to_offset(time::UtcOffset::UTC))
        .and_then(|instant| instant.format(&format).ok())
        .unwrap_or_else(|| raw.to_string())
}

fn time_cell(value: &Option<String>) -> Cell {
    value
        .as_deref()
        .map_or_else(Cell::missing, |raw| Cell::plain(compact_time(raw)))
}

fn state_cell(state: &MachineState) -> Cell {
    let tone = match state {
        MachineState::Ready | MachineState::ServiceReady => Tone::Good,
        MachineState::Off => Tone::Idle,
        MachineState::Starting
        | MachineState::Stopping
        | MachineState::Restarting
        | MachineState::Provisioning
        | MachineState::Upgrading => Tone::Busy,
        MachineState::Unknown(other) if other.eq_ignore_ascii_case("stopped") => Tone::Idle,
        MachineState::Unknown(_) => Tone::Plain,
    };
    Cell::toned(state.as_str(), tone)
}

/// `start: done (2022-03-14 15:49)`, with the error message when there is one. The API lists
/// events newest first, but the newest is picked by `dtCreated` so an unsorted list still
/// shows the right one; the list order only breaks ties.
fn newest_event(events: Option<&[MachineEvent]>) -> Cell {
    let newest = events
        .unwrap_or_default()
        .iter()
        .enumerate()
        .max_by_key(|(index, event)| {
            (
                parse_time(event.dt_created.as_deref()),
                std::cmp::Reverse(*index),
            )
        });
    let Some((_, event)) = newest else {
        return Cell::missing();
    };
    let present = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    let state = present(&event.state);
    let mut line = format!(
        "{}: {}",
        present(&event.name).as_deref().unwrap_or("-"),
        state.as_deref().unwrap_or("-")
    );
    if let Some(when) = present(&event.dt_finished)
        .or_else(|| present(&event.dt_modified))
        .or_else(|| present(&event.dt_created))
    {
        line.push_str(&format!(" ({})", compact_time(&when)));
    }
    if let Some(message) = present(&event.error_msg) {
        line.push_str(&format!(": {message}"));
    }
    let tone = match state.as_deref() {
        Some("done") => Tone::Plain,
        Some("error") => Tone::Bad,
        _ => Tone::Busy,
    };
    Cell::toned(line, tone)
}

fn hours(seconds: f64) -> String {
    format!("{:.2} hours", seconds / 3600.0)
}

/// Storage is billed by the month, so a month's worth reads better in days.
fn hours_or_days(seconds: f64) -> String {
    const DAY: f64 = 24.0 * 3600.0;
    if seconds >= DAY {
        format!("{:.1} days", seconds / DAY)
    } else {
        hours(seconds)
    }
}

/// `"0.51"` per `hour` → `$0.51/hour`; a rate that is not a number is shown as sent.
fn price(rate: Option<&str>, per: &str) -> Cell {
    match rate.map(str::trim) {
        None | Some("") => Cell::missing(),
        Some(rate) if rate.parse::<f64>().is_ok() => Cell::plain(format!("${rate}/{per}")),
        Some(rate) => Cell::plain(rate),
    }
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/// Spaces between columns.
const GAP: usize = 2;
/// Free text is not cut shorter than this while other columns can give way (`New Mac…`).
const SHORTEST_CUT: usize = 8;

/// How a column gives way when the table is wider than the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Cut only when nothing else is left to cut: the handle people copy (ID) and the thing
    /// they came to see (State).
    Keep,
    /// Useless when cut (an IP, a date, a size): shown whole or, if it is a default column,
    /// left out.
    Whole,
    /// Still reads when cut with an ellipsis: names, regions, messages.
    Text,
}

struct Table {
    header: Option<Vec<String>>,
    rows: Vec<Vec<Cell>>,
    fits: Vec<Fit>,
    /// Whether columns may be dropped (rightmost first) before text is cut below
    /// `SHORTEST_CUT`.
    may_leave_out: bool,
}

impl Table {
    fn lay_out(self, opts: &TableOptions) -> String {
        let header = self
            .header
            .iter()
            .map(|titles| titles.iter().map(String::as_str).collect());
        let body = self
            .rows
            .iter()
            .map(|row| row.iter().map(|cell| cell.text.as_str()).collect());
        let lines: Vec<Vec<&str>> = header.chain(body).collect();

        let mut natural = vec![0; self.fits.len()];
        for line in &lines {
            for (column, text) in line.iter().enumerate() {
                natural[column] = natural[column].max(get_text_width(text));
            }
        }
        let widths = match opts.max_width {
            Some(max_width) => fit_widths(&natural, &self.fits, self.may_leave_out, max_width),
            None => natural.iter().map(|&width| Some(width)).collect(),
        };

        // Written directly (not through a grid): widths are known, and a list of thousands
        // of machines should not be copied cell by cell again.
        let shown: Vec<(usize, usize)> = widths
            .iter()
            .enumerate()
            .filter_map(|(column, width)| width.map(|width| (column, width)))
            .collect();
        let first_row = usize::from(self.header.is_some());
        let mut out = String::with_capacity(lines.len() * (total_width(&widths) + 1));
        for (line_index, line) in lines.iter().enumerate() {
            let start = out.len();
            let mut padding = 0;
            for &(column, width) in &shown {
                let text = cut(line[column], width);
                out.extend(std::iter::repeat_n(' ', padding));
                padding = width.saturating_sub(get_text_width(&text)) + GAP;
                let tone = match line_index.checked_sub(first_row) {
                    Some(row) if opts.color => self.rows[row][column].tone,
                    _ => Tone::Plain,
                };
                match tone.color() {
                    Some(color) => out.push_str(&color.colorize(&text)),
                    None => out.push_str(&text),
                }
            }
            // Lines end at their last character.
            let end = start + out[start..].trim_end().len();
            out.truncate(end);
            out.push('\n');
        }
        if self.header.is_none() && self.rows.is_empty() {
            out.clear();
        }
        out
    }
}

/// `text` no wider than `width`, an ellipsis marking a cut.
fn cut(text: &str, width: usize) -> String {
    if get_text_width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut kept = Truncate::truncate(text, width - 1).trim_end().to_string();
    kept.push('…');
    kept
}

fn total_width(widths: &[Option<usize>]) -> usize {
    let shown: Vec<usize> = widths.iter().flatten().copied().collect();
    shown.iter().sum::<usize>() + GAP * shown.len().saturating_sub(1)
}

/// Column widths (`None`: column left out) for a table at most `max_width` wide. In order,
/// until it fits: leave out default columns, rightmost first, that even cut text cannot make
/// room for; cut free text, widest first, down to `SHORTEST_CUT`; then the whole-value
/// columns; then free text and whole values to one character; then ID and State; last, leave
/// out columns from the right (one always stays, so a 1-column terminal still gets `…`).
fn fit_widths(
    natural: &[usize],
    fits: &[Fit],
    may_leave_out: bool,
    max_width: usize,
) -> Vec<Option<usize>> {
    let max_width = max_width.max(1);
    let mut widths: Vec<Option<usize>> = natural.iter().map(|&width| Some(width)).collect();
    if total_width(&widths) <= max_width {
        return widths;
    }
    if may_leave_out {
        // How narrow each column may get before anything is left out.
        let floor = |column: usize| match fits[column] {
            Fit::Text => natural[column].min(SHORTEST_CUT),
            Fit::Keep | Fit::Whole => natural[column],
        };
        let floor_total = |widths: &[Option<usize>]| {
            let floors: Vec<Option<usize>> = (0..widths.len())
                .map(|column| widths[column].map(|_| floor(column)))
                .collect();
            total_width(&floors)
        };
        let mut optional = (0..widths.len())
            .rev()
            .filter(|&column| fits[column] != Fit::Keep);
        while floor_total(&widths) > max_width {
            let Some(column) = optional.next() else {
                break;
            };
            widths[column] = None;
        }
    }
    let is_text = |fit: Fit| fit == Fit::Text;
    let not_kept = |fit: Fit| fit != Fit::Keep;
    shrink(&mut widths, fits, max_width, is_text, SHORTEST_CUT);
    shrink(&mut widths, fits, max_width, not_kept, SHORTEST_CUT);
    shrink(&mut widths, fits, max_width, not_kept, 1);
    shrink(&mut widths, fits, max_width, |_| true, 1);
    while total_width(&widths) > max_width {
        match widths.iter().rposition(Option::is_some) {
            Some(last) if widths.iter().flatten().count() > 1 => widths[last] = None,
            _ => break,
        }
    }
    widths
}

/// Narrow the widest eligible column (leftmost on ties, so Name before Region) one character
/// at a time until the table fits or every eligible column is at `floor`.
fn shrink(
    widths: &mut [Option<usize>],
    fits: &[Fit],
    max_width: usize,
    eligible: impl Fn(Fit) -> bool,
    floor: usize,
) {
    let mut excess = total_width(widths).saturating_sub(max_width);
    while excess > 0 {
        let widest = (0..widths.len())
            .filter(|&column| eligible(fits[column]))
            .filter_map(|column| {
                widths[column]
                    .filter(|&width| width > floor)
                    .map(|width| (width, column))
            })
            .max_by_key(|&(width, column)| (width, std::cmp::Reverse(column)));
        let Some((width, column)) = widest else {
            break;
        };
        widths[column] = Some(width - 1);
        excess -= 1;
    }
}

#[cfg(test)]
mod tests {
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
                    get_text_width(&strip_ansi(line)) <= max_width,
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
            render(
                View::Action {
                    verb,
                    machine_id: "ps123abc",
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
        assert_eq!(line("reboot"), "Requested reboot for machine ps123abc.\n");
        // The body is not read: an empty answer is fine.
        let view = View::Action {
            verb: "stop",
            machine_id: "ps1",
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
