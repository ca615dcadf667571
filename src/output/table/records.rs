//! Tables of the records the other namespaces answer with (templates, scripts, networks,
//! users, events, public IPs, snapshots...): each kind's fields as columns (a list) or rows
//! (one record), read straight from the answer's JSON. A field that is missing or of another
//! type shows as `-`; a key with dots reads a nested field (`user.email`); an action's
//! `{"event", "data"}` answer shows its `data`.

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
    /// A password: shown only when the command's `--showPassword` asks for it.
    Secret,
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
    list: Defaults,
    record: Defaults,
}

/// The fields shown when `--columns` is not given.
enum Defaults {
    /// Every field of the catalogue, in its order.
    Every,
    /// These, by key, in this order.
    Only(&'static [&'static str]),
}
use Defaults::{Every, Only};

impl Catalogue {
    /// The default fields of a list (`record` false) or of one record.
    fn defaults(&'static self, record: bool) -> Vec<&'static RecordField> {
        match if record { &self.record } else { &self.list } {
            Every => self.fields.iter().collect(),
            Only(keys) => keys
                .iter()
                .filter_map(|key| self.fields.iter().find(|f| f.key == *key))
                .collect(),
        }
    }
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
    list: Only(&["id", "label", "os", "region", "dtCreated"]),
    record: Only(&["id", "name", "label", "os", "teamId", "region", "dtCreated"]),
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
    list: Only(&["id", "name", "isEnabled", "runOnce", "dtCreated"]),
    record: Only(&[
        "id",
        "name",
        "description",
        "isEnabled",
        "runOnce",
        "machines",
        "dtCreated",
    ]),
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
    list: Only(&["id", "name", "region", "network", "netmask"]),
    record: Only(&[
        "id",
        "name",
        "region",
        "network",
        "netmask",
        "teamId",
        "dtCreated",
    ]),
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
    list: Only(&["id", "email", "firstname", "lastname"]),
    record: Only(&[
        "id",
        "email",
        "firstname",
        "lastname",
        "teamId",
        "dtCreated",
    ]),
};

/// v1's machine events, as `machines events` lists them (v1's own names).
const EVENTS: Catalogue = Catalogue {
    noun: "events",
    fields: &[
        field("id", "ID", Keep, Shows::Text),
        field("name", "Name", Whole, Shows::Text),
        field("state", "State", Whole, Shows::Text),
        field("machineId", "Machine", Whole, Shows::Text),
        field("dtCreated", "Created", Whole, Shows::Time),
        field("dtStarted", "Started", Whole, Shows::Time),
        field("dtFinished", "Finished", Whole, Shows::Time),
        field("error", "Error", Text, Shows::Text),
    ],
    list: Only(&["id", "name", "state", "dtCreated", "dtFinished", "error"]),
    record: Every,
};

const ACCESSORS: Catalogue = Catalogue {
    noun: "accessors",
    fields: &[
        field("user.id", "User", Keep, Shows::Text),
        field("user.email", "Email", Text, Shows::Text),
        field("user.firstName", "First name", Text, Shows::Text),
        field("user.lastName", "Last name", Text, Shows::Text),
    ],
    list: Every,
    record: Every,
};

const DESKTOP: Catalogue = Catalogue {
    noun: "desktop details",
    fields: &[
        field("vnc.hostname", "VNC host", Text, Shows::Text),
        field("vnc.port", "VNC port", Whole, Shows::Text),
        field("vnc.password", "VNC password", Whole, Shows::Secret),
        field("windows.hostname", "Windows host", Text, Shows::Text),
        field("windows.port", "Windows port", Whole, Shows::Text),
        field("windows.publicIp", "Windows public IP", Whole, Shows::Text),
    ],
    list: Only(&[]),
    record: Every,
};

const PUBLIC_IPS: Catalogue = Catalogue {
    noun: "public IPs",
    fields: &[
        field("ip", "IP", Keep, Shows::Text),
        field("region", "Region", Whole, Shows::Text),
        field("assignedMachineId", "Machine", Whole, Shows::Text),
        field("dtCreated", "Claimed", Whole, Shows::Time),
    ],
    list: Every,
    record: Every,
};

const SNAPSHOTS: Catalogue = Catalogue {
    noun: "snapshots",
    fields: &[
        field("id", "ID", Keep, Shows::Text),
        field("name", "Name", Text, Shows::Text),
        field("machineId", "Machine", Whole, Shows::Text),
        field("isAutoSnapshot", "Automatic", Whole, Shows::YesNo),
        field("dtCreated", "Created", Whole, Shows::Time),
    ],
    list: Every,
    record: Every,
};

const SHARED_DRIVES: Catalogue = Catalogue {
    noun: "shared drives",
    fields: &[
        field("id", "ID", Keep, Shows::Text),
        field("name", "Name", Text, Shows::Text),
        field("size", "Size (GB)", Whole, Shows::Text),
        field("region", "Region", Whole, Shows::Text),
        field("networkId", "Network", Whole, Shows::Text),
        field("mountPoint", "Mount point", Text, Shows::Text),
        field("username", "Username", Whole, Shows::Text),
        field("password", "Password", Whole, Shows::Secret),
        field("dtCreated", "Created", Whole, Shows::Time),
    ],
    list: Only(&["id", "name", "size", "region", "networkId", "dtCreated"]),
    record: Every,
};

pub(super) fn catalogue(resource: Resource) -> &'static Catalogue {
    match resource {
        Resource::Template => &TEMPLATES,
        Resource::Script => &SCRIPTS,
        Resource::Network => &NETWORKS,
        Resource::User => &USERS,
        Resource::Event => &EVENTS,
        Resource::Accessor => &ACCESSORS,
        Resource::Desktop => &DESKTOP,
        Resource::PublicIp => &PUBLIC_IPS,
        Resource::Snapshot => &SNAPSHOTS,
        Resource::SharedDrive => &SHARED_DRIVES,
    }
}

/// The fields to show: `--columns` (by JSON name or title, forgivingly spelled) or the kind's
/// defaults for a list or for one record.
pub(super) fn selected(
    catalogue: &'static Catalogue,
    columns: Option<&[String]>,
    record: bool,
) -> Result<Vec<&'static RecordField>, CliError> {
    let Some(requested) = columns else {
        return Ok(catalogue.defaults(record));
    };
    let valid: Vec<&str> = catalogue.fields.iter().map(|f| f.key).collect();
    super::catalogue::requested_names(requested, &valid)?
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

/// The field a key names: `user.email` is `email` of `user`.
fn lookup<'v>(record: &'v Value, key: &str) -> Option<&'v Value> {
    key.split('.')
        .try_fold(record, |value, part| value.get(part))
}

fn cell(record: &Value, field: &RecordField, opts: &TableOptions) -> Cell {
    let value = lookup(record, field.key);
    match (field.shows, value) {
        (_, None | Some(Value::Null)) => Cell::missing(),
        (Shows::Secret, Some(_)) if !opts.show_secrets => Cell::plain("(hidden: --showPassword)"),
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
            fields
                .iter()
                .map(|field| cell(&record, field, opts))
                .collect()
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

pub(super) fn record_table(record: Value, fields: &[&RecordField], opts: &TableOptions) -> Table {
    // An action's answer: the event that follows it, and the object it acts on.
    let record = match record {
        Value::Object(mut answer)
            if answer.contains_key("event") && answer.contains_key("data") =>
        {
            answer.remove("data").unwrap_or_default()
        }
        other => other,
    };
    Table {
        header: None,
        rows: fields
            .iter()
            .map(|field| vec![Cell::plain(field.title), cell(&record, field, opts)])
            .collect(),
        fits: vec![Fit::Keep, Fit::Text],
        may_leave_out: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_column_is_a_field_of_its_catalogue() {
        use Resource::*;
        let every = [
            Template,
            Script,
            Network,
            User,
            Event,
            Accessor,
            Desktop,
            PublicIp,
            Snapshot,
            SharedDrive,
        ];
        for resource in every {
            let catalogue = catalogue(resource);
            for defaults in [&catalogue.list, &catalogue.record] {
                if let Only(keys) = defaults {
                    for key in *keys {
                        assert!(
                            catalogue.fields.iter().any(|f| f.key == *key),
                            "{resource:?}: default column {key} is no field"
                        );
                    }
                }
            }
            // A record always shows something; only desktop details have no list.
            assert!(!catalogue.defaults(true).is_empty(), "{resource:?}");
            assert_eq!(catalogue.defaults(false).is_empty(), resource == Desktop);
        }
    }
}
