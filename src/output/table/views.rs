//! Each kind of answer as rows: a machine list, one machine, a utilization report, and the
//! one-line answers (availability, actions).

use super::TableOptions;
use super::catalogue::Field;
use super::cells::*;
use super::layout::{Fit, Table};
use crate::api::model::{Availability, Machine, UsageLine, UtilizationReport};
use crate::error::CliError;
use serde_json::Value;

/// A list answer as the raw text of each item: each machine is then read straight into the
/// model, so a list of 10 000 never exists as a tree of generic JSON values (memory).
pub(super) fn parse_list(json: &str) -> Result<Vec<&serde_json::value::RawValue>, CliError> {
    serde_json::from_str(json).map_err(|e| match parse_answer(json) {
        Ok(other) => unreadable(format_args!("expected a list, got {}", kind_of(&other))),
        Err(_) => unreadable(format_args!("it is not JSON ({e})")),
    })
}

pub(super) fn machine_list_table(
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

pub(super) fn machine_table(object: Value, fields: &[&Field]) -> Table {
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

pub(super) fn utilization_table(object: Value, opts: &TableOptions) -> Table {
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

pub(super) fn availability_line(object: Value, opts: &TableOptions) -> String {
    let availability: Availability = serde_json::from_value(object).unwrap_or_default();
    let cell = match availability.available {
        Some(true) => Cell::toned("available", Tone::Good),
        Some(false) => Cell::toned("not available", Tone::Bad),
        None => Cell::plain("unknown"),
    };
    format!("{}\n", cell.painted(opts.color))
}

/// A one-line answer cut to the terminal's width (with an ellipsis), like the tables.
pub(super) fn fit_line(line: String, max_width: Option<usize>) -> String {
    let text = line.trim_end_matches('\n');
    let Some(width) = max_width.map(|w| w.max(1)) else {
        return line;
    };
    if text_width(text) <= width {
        return line;
    }
    let mut cut = String::new();
    for ch in text.chars() {
        let candidate = format!("{cut}{ch}…");
        if text_width(&candidate) > width {
            break;
        }
        cut.push(ch);
    }
    format!("{cut}…\n")
}

pub(super) fn action_line(words: &str, id: &str) -> String {
    format!("{} {}.\n", sanitize(words), sanitize(id))
}

/// A JSON string as the text it holds, ending with one newline, made inert (line breaks and
/// tabs kept, other control characters as `?`); anything else is not text.
pub(super) fn text_answer(answer: Value) -> Result<String, CliError> {
    match answer {
        Value::String(text) => {
            let mut text: String = text
                .chars()
                .map(|c| match c {
                    '\n' | '\t' => c,
                    c if c.is_control() => '?',
                    c => c,
                })
                .collect();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            Ok(text)
        }
        other => Err(unreadable(format_args!(
            "expected a text, got {}",
            kind_of(&other)
        ))),
    }
}

fn unreadable(detail: impl std::fmt::Display) -> CliError {
    CliError::internal(format!(
        "cannot show the answer as a table: {detail}; --format json shows it as sent"
    ))
}

pub(super) fn parse_answer(json: &str) -> Result<Value, CliError> {
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

pub(super) fn expect_object(value: Value) -> Result<Value, CliError> {
    match value {
        Value::Object(_) => Ok(value),
        other => Err(unreadable(format_args!(
            "expected an object, got {}",
            kind_of(&other)
        ))),
    }
}
