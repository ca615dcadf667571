//! Tables of the records the other namespaces answer with (templates, scripts, networks,
//! users): each kind's fields as columns (a list) or rows (one record), read straight from the
//! answer's JSON. A field that is missing or of another type shows as `-`.

use super::TableOptions;
use super::catalogue::normalize;
use super::cells::{Cell, compact_time, yes_no};
use super::layout::{Fit, Table};
use crate::api::spec::Resource;
use crate::error::CliError;
use serde_json::Value;

/// How a field's value reads in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shows {
    /// As text (numbers as written).
    Text,
    /// An API instant, as `2022-03-14 15:47` (UTC).
    Time,
    /// `yes` / `no`.
    YesNo,
    /// A list: its items' `machineId`s (or the items), comma-separated.
    Ids,
}

pub(super) struct RecordField {
    /// JSON name, also the `--columns` name.
    pub(super) key: &'static str,
    pub(super) title: &'static str,
    fit: Fit,
    shows: Shows,
}

const fn field(key: &'static str, title: &'static str, fit: Fit, shows: Shows) -> RecordField {
    RecordField {
        key,
        title,
        fit,
        shows,
    }
}

/// A kind of record: every field, the list's default columns and one record's default rows.
pub(super) struct Catalogue {
    pub(super) noun: &'static str,
    pub(super) fields: &'static [RecordField],
    list: &'static [&'static str],
    record: &'static [&'static str],
}

use Fit::{Keep, Text, Whole};

const TEMPLATES: Catalogue = Catalogue {
    noun: "templates",
    fields: &[
        field("id", "ID", Keep, Shows::Text),
        field("name", "Name", Text, Shows::Text),
        field("label", "Label", Text, Shows::Text),
        field("os", "OS", Text, Shows::Text),
        field("teamId", "Team", Whole, Shows::Text),
        field("userId", "User", Whole, Shows::Text),
        field("region", "Region", Text, Shows::Text),
        field("dtCreated", "Created", Whole, Shows::Time),
    ],
    list: &["id", "label", "os", "region", "dtCreated"],
    record: &["id", "name", "label", "os", "teamId", "region", "dtCreated"],
};

const SCRIPTS: Catalogue = Catalogue {
    noun: "scripts",
    fields: &[
        field("id", "ID", Keep, Shows::Text),
        field("ownerType", "Owner type", Whole, Shows::Text),
        field("ownerId", "Owner", Whole, Shows::Text),
        field("name", "Name", Text, Shows::Text),
        field("description", "Description", Text, Shows::Text),
        field("dtCreated", "Created", Whole, Shows::Time),
        field("isEnabled", "Enabled", Whole, Shows::YesNo),
        field("runOnce", "Run once", Whole, Shows::YesNo),
        field("machines", "Machines", Text, Shows::Ids),
    ],
    list: &["id", "name", "isEnabled", "runOnce", "dtCreated"],
    record: &[
        "id",
        "name",
        "description",
        "isEnabled",
        "runOnce",
        "machines",
        "dtCreated",
    ],
};

const NETWORKS: Catalogue = Catalogue {
    noun: "networks",
    fields: &[
        field("id", "ID", Keep, Shows::Text),
        field("name", "Name", Text, Shows::Text),
        field("region", "Region", Text, Shows::Text),
        field("dtCreated", "Created", Whole, Shows::Time),
        field("network", "Network", Whole, Shows::Text),
        field("netmask", "Netmask", Whole, Shows::Text),
        field("teamId", "Team", Whole, Shows::Text),
    ],
    list: &["id", "name", "region", "network", "netmask"],
    record: &[
        "id",
        "name",
        "region",
        "network",
        "netmask",
        "teamId",
        "dtCreated",
    ],
};

const USERS: Catalogue = Catalogue {
    noun: "users",
    fields: &[
        field("id", "ID", Keep, Shows::Text),
        field("email", "Email", Text, Shows::Text),
        field("firstname", "First name", Text, Shows::Text),
        field("lastname", "Last name", Text, Shows::Text),
        field("dtCreated", "Created", Whole, Shows::Time),
        field("teamId", "Team", Whole, Shows::Text),
    ],
    list: &["id", "email", "firstname", "lastname"],
    record: &[
        "id",
        "email",
        "firstname",
        "lastname",
        "teamId",
        "dtCreated",
    ],
};

pub(super) fn catalogue(resource: Resource) -> &'static Catalogue {
    match resource {
        Resource::Template => &TEMPLATES,
        Resource::Script => &SCRIPTS,
        Resource::Network => &NETWORKS,
        Resource::User => &USERS,
    }
}

/// The fields to show: `--columns` (by JSON name or title, forgivingly spelled) or the kind's
/// defaults for a list or for one record.
pub(super) fn selected(
    catalogue: &'static Catalogue,
    columns: Option<&[String]>,
    record: bool,
) -> Result<Vec<&'static RecordField>, CliError> {
    let by_key = |key: &&str| catalogue.fields.iter().find(|f| f.key == *key);
    let Some(requested) = columns else {
        let defaults = if record {
            catalogue.record
        } else {
            catalogue.list
        };
        return Ok(defaults.iter().filter_map(by_key).collect());
    };
    let valid: Vec<&str> = catalogue.fields.iter().map(|f| f.key).collect();
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
            catalogue
                .fields
                .iter()
                .find(|f| normalize(f.key) == wanted || normalize(f.title) == wanted)
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "unknown column '{name}' for --columns of {}; valid columns: {}",
                        catalogue.noun,
                        valid.join(", ")
                    ))
                })
        })
        .collect()
}

fn cell(record: &Value, field: &RecordField) -> Cell {
    let value = record.get(field.key);
    match (field.shows, value) {
        (_, None | Some(Value::Null)) => Cell::missing(),
        (Shows::Time, Some(Value::String(raw))) => Cell::plain(compact_time(raw)),
        (Shows::YesNo, Some(Value::Bool(b))) => yes_no(Some(*b)),
        (Shows::Ids, Some(Value::Array(items))) => Cell::plain(
            items
                .iter()
                .map(|item| match item.get("machineId").unwrap_or(item) {
                    Value::String(id) => id.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (_, Some(Value::String(text))) => Cell::plain(text),
        (_, Some(Value::Number(n))) => Cell::plain(n.to_string()),
        (_, Some(Value::Bool(b))) => Cell::plain(b.to_string()),
        (_, Some(other)) => Cell::plain(other.to_string()),
    }
}

pub(super) fn list_table(
    items: &[&serde_json::value::RawValue],
    fields: &[&RecordField],
    opts: &TableOptions,
) -> Table {
    let rows = items
        .iter()
        .map(|item| {
            let record: Value = serde_json::from_str(item.get()).unwrap_or(Value::Null);
            fields.iter().map(|field| cell(&record, field)).collect()
        })
        .collect();
    Table {
        header: opts
            .header
            .then(|| fields.iter().map(|f| f.title.to_uppercase()).collect()),
        rows,
        fits: fields.iter().map(|f| f.fit).collect(),
        may_leave_out: opts.columns.is_none(),
    }
}

pub(super) fn record_table(record: Value, fields: &[&RecordField]) -> Table {
    Table {
        header: None,
        rows: fields
            .iter()
            .map(|field| vec![Cell::plain(field.title), cell(&record, field)])
            .collect(),
        fits: vec![Fit::Keep, Fit::Text],
        may_leave_out: false,
    }
}
