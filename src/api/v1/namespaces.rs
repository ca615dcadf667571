//! The other Core namespaces on v1 (templates, scripts, networks, users): the commands that
//! are more than one request there. Each planner is named by its row (`spec::V1Planner`); the
//! legacy flags' fates are their `OnV1` declarations, as for machines.

use super::PAGE_LIMIT;
use crate::api::params::Invocation;
use crate::api::plan::{
    Answer, Items, ListPlan, ListSource, Paging, Prelude, Step, V1Kind, Window,
};
use crate::api::request::{ApiRequest, Auth, HttpMethod, MADE_ID, Pairs, Retry};
use crate::api::spec::{OnV1, Route, V1Planner, V1Value, Wire};
use crate::error::Result;
use crate::vocab::Region;
use serde_json::Map;

pub(crate) fn step(planner: V1Planner, inv: &Invocation) -> Result<Step> {
    match planner {
        V1Planner::TemplatesList => Ok(Step::List(templates(inv))),
        V1Planner::ScriptsCreate => create_script(inv),
        V1Planner::List {
            path,
            order_by,
            newest_first,
            items,
        } => {
            let (query, filters) = query_and_filters(inv);
            let path = inv.path(&Route::get(path));
            let mut source = source(&path, query, order_by, newest_first, items);
            // `--limit`, where the command has it: no more pages than it takes to fill it.
            let limit = inv.count("limit");
            if let Some(limit) = limit {
                source.paging = Paging::Cursor {
                    page_size: limit.clamp(1, PAGE_LIMIT),
                };
            }
            let window = Window { skip: 0, limit };
            Ok(Step::List(ListPlan::single(source, filters, window)))
        }
        V1Planner::TeamUsers => {
            let (query, filters) = query_and_filters(inv);
            let mut list = ListPlan::single(
                source(
                    "/teams/{teamId}/users",
                    query,
                    "dtConfirmed",
                    false,
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
                query.push(("region".into(), Region::code_of(&text)));
            }
            OnV1::FilteredHere => filters.push((param.name.to_string(), text)),
            OnV1::Converted(_) | OnV1::Client | OnV1::Refused(_) => {}
        }
    }
    (query, filters)
}

/// Every page of a v1 list in a fixed order, so the answer is stable: oldest (or first by
/// name) first, or newest first.
pub(crate) fn source(
    path: &str,
    mut query: Pairs,
    order_by: &str,
    newest_first: bool,
    items: Items,
) -> ListSource {
    let order = if newest_first { "desc" } else { "asc" };
    query.push(("orderBy".into(), order_by.into()));
    query.push(("order".into(), order.into()));
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
                false,
                Items::V1(V1Kind::OsTemplate),
            ),
            source(
                "/custom-templates",
                Vec::new(),
                "dtCreated",
                false,
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
        body.insert(name.into(), super::plan::json_value(param.name, value)?);
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
            path: format!("/startup-scripts/{MADE_ID}"),
            body: Some(body),
            ..first.clone()
        });
    }
    if let Some(machine) = inv.text("machineId") {
        let mut body = Map::new();
        body.insert("machineId".into(), machine.into());
        then.push(ApiRequest {
            method: HttpMethod::Post,
            path: format!("/startup-scripts/{MADE_ID}/assign"),
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
