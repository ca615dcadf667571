//! The other Core namespaces on v1 (templates, scripts, networks, users): the commands that
//! are more than one request there. Each planner is named by its row (`spec::V1Planner`); the
//! legacy flags' fates are their `OnV1` declarations, as for machines.

use super::PAGE_LIMIT;
use crate::api::params::{Invocation, ParamValue};
use crate::api::plan::{
    Answer, Items, ListPlan, ListSource, Paging, Prelude, Step, V1Kind, Window,
};
use crate::api::request::{ApiRequest, Auth, HttpMethod, Pairs, Retry};
use crate::api::spec::{OnV1, V1Planner, V1Value, Wire};
use crate::error::{CliError, Result};
use crate::vocab::Region;
use serde_json::{Map, Value};

pub(crate) fn step(planner: V1Planner, inv: &Invocation) -> Result<Step> {
    match planner {
        V1Planner::TemplatesList => Ok(Step::List(templates(inv))),
        V1Planner::ScriptsCreate => create_script(inv),
        V1Planner::List {
            path,
            order_by,
            kind,
        } => {
            let (query, filters) = query_and_filters(inv);
            let source = source(path, query, order_by, Items::V1(kind));
            Ok(Step::List(ListPlan::single(source, filters, Window::ALL)))
        }
        V1Planner::TeamUsers => {
            let (query, filters) = query_and_filters(inv);
            let mut list = ListPlan::single(
                source(
                    "/teams/{teamId}/users",
                    query,
                    "dtConfirmed",
                    Items::V1(V1Kind::TeamUser),
                ),
                filters,
                Window::ALL,
            );
            list.prelude = Some(Prelude {
                request: ApiRequest::get(Auth::Bearer, "/auth/session".into(), Vec::new()),
                pointer: "/team/id",
                placeholder: "{teamId}",
            });
            Ok(Step::List(list))
        }
    }
}

/// The sent flags of a list as v1 query pairs (what v1 filters on) and as legacy filters
/// applied here (the rest, and those v1 matches only loosely).
pub(crate) fn query_and_filters(inv: &Invocation) -> (Pairs, Pairs) {
    let (mut query, mut filters) = (Vec::new(), Vec::new());
    for (param, value) in &inv.values {
        if param.wire != Wire::Sent {
            continue;
        }
        let text = value.to_query_text();
        match param.v1 {
            OnV1::Same => query.push((param.name.to_string(), text)),
            OnV1::Renamed(name) => query.push((name.to_string(), text)),
            OnV1::SentAndFilteredHere => {
                query.push((param.name.to_string(), text.clone()));
                filters.push((param.name.to_string(), text));
            }
            OnV1::Converted(V1Value::RegionCode) => {
                let code = Region::find(&text).map_or(text, |r| r.code.to_string());
                query.push(("region".into(), code));
            }
            OnV1::FilteredHere => filters.push((param.name.to_string(), text)),
            OnV1::Converted(_) | OnV1::Client | OnV1::Refused(_) => {}
        }
    }
    (query, filters)
}

/// Every page of a v1 list, oldest (or first by name) first, in a fixed order so the answer is
/// stable.
pub(crate) fn source(path: &str, mut query: Pairs, order_by: &str, items: Items) -> ListSource {
    query.push(("orderBy".into(), order_by.into()));
    query.push(("order".into(), "asc".into()));
    ListSource {
        request: ApiRequest::get(Auth::Bearer, path.to_string(), query),
        paging: Paging::Cursor {
            page_size: PAGE_LIMIT,
        },
        items,
    }
}

/// `templates list`: the public OS templates, then the team's custom ones, in the legacy
/// template shape. v1 filters templates by its own `name`, the legacy label, so every legacy
/// filter is applied here.
fn templates(inv: &Invocation) -> ListPlan {
    let (_, filters) = query_and_filters(inv);
    ListPlan {
        sources: vec![
            source(
                "/os-templates",
                Vec::new(),
                "name",
                Items::V1(V1Kind::OsTemplate),
            ),
            source(
                "/custom-templates",
                Vec::new(),
                "dtCreated",
                Items::V1(V1Kind::CustomTemplate),
            ),
        ],
        filters,
        window: Window::ALL,
        prelude: None,
    }
}

/// `scripts create`: `POST /startup-scripts {name, script, isRunOnce}` (the text from
/// `--scriptText` or the file of `--scriptFile`), then `--isEnabled` with
/// `PUT /startup-scripts/{id}` and `--machineId` with `POST /startup-scripts/{id}/assign`,
/// as asked; what is printed is the script as the last answer shows it.
fn create_script(inv: &Invocation) -> Result<Step> {
    let mut body = Map::new();
    for (param, value) in &inv.values {
        let OnV1::Renamed(name) = param.v1 else {
            continue;
        };
        let json = match value {
            ParamValue::File(file) => {
                let text = String::from_utf8(file.bytes.clone()).map_err(|_| {
                    CliError::usage(format!(
                        "--{} {}: a v1 startup script is text, and this file is not UTF-8",
                        param.name, file.path
                    ))
                })?;
                Value::String(text)
            }
            other => other.to_json(),
        };
        body.insert(name.into(), json);
    }
    let retry = Retry::declared(inv);
    let first = ApiRequest {
        method: HttpMethod::Post,
        path: "/startup-scripts".into(),
        query: Vec::new(),
        body: Some(body),
        auth: Auth::Bearer,
        retry: retry.clone(),
        upload: None,
    };
    let mut then = Vec::new();
    if let Some(enabled) = inv.switch("isEnabled") {
        let mut body = Map::new();
        body.insert("isEnabled".into(), enabled.into());
        then.push(ApiRequest {
            method: HttpMethod::Put,
            path: "/startup-scripts/{id}".into(),
            body: Some(body),
            ..first.clone()
        });
    }
    if let Some(machine) = inv.text("machineId") {
        let mut body = Map::new();
        body.insert("machineId".into(), machine.into());
        then.push(ApiRequest {
            method: HttpMethod::Post,
            path: "/startup-scripts/{id}/assign".into(),
            body: Some(body),
            ..first.clone()
        });
    }
    Ok(Step::Chain {
        first,
        then,
        done: "created script",
        answer: Answer::V1(V1Kind::Script),
    })
}
