//! Response decoding and rendering: the first bytes choose the status, the reason phrase,
//! the Location header, the table view and its options; the rest is the body. Runs
//! decode -> pretty (JSON output) and decode -> table::render (table output), plus the
//! error paths, none of which may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paperspace::api::response::{RawResponse, decode, excerpt};
use paperspace::output::pretty;
use paperspace::output::table::{TableOptions, View, render};

const STATUSES: [u16; 16] = [
    200, 201, 204, 299, 301, 302, 307, 400, 401, 403, 404, 422, 429, 500, 502, 503,
];
const COLUMNS: [&str; 8] = [
    "id",
    "name,state",
    "publicIpAddress",
    "Public IP",
    "lastEvent",
    "dtCreated,ram",
    "bogus",
    ",",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (&options, body) = rest.split_first().unwrap_or((&0, &[]));
    // selector: low 4 bits the status, bit 4 no reason phrase, bit 5 a Location header,
    // top 2 bits half the view choice.
    let status = STATUSES[usize::from(selector & 0x0f)];
    let resp = RawResponse {
        status,
        reason: if selector & 0x10 == 0 {
            "Reason".to_string()
        } else {
            String::new()
        },
        location: (selector & 0x20 != 0).then(|| "https://elsewhere.example/x".to_string()),
        body: body.to_vec(),
    };
    let _ = excerpt(body);
    let json = match decode(resp.clone()) {
        Ok(json) => json,
        Err(error) => {
            assert!(
                !error.message.contains('\n')
                    || serde_json::from_slice::<serde_json::Value>(body).is_ok()
            );
            return;
        }
    };

    // --format json
    let printed = pretty(&json);
    // --format table. options: bits 0-2 view (with selector's top bits), 3 header, 4 colour,
    // 5-7 width; columns from the view bits.
    let view = match (options & 0x07) ^ (selector >> 6) {
        0 | 5 => View::MachineList,
        1 | 6 => View::Machine,
        2 => View::Utilization,
        3 => View::Availability,
        4 => View::Action {
            words: "Starting machine",
            id: "ps1",
        },
        _ => View::List(paperspace::output::table::Resource::Script),
    };
    let widths = [
        None,
        Some(1),
        Some(20),
        Some(40),
        Some(80),
        Some(120),
        Some(8),
        None,
    ];
    let opts = TableOptions {
        columns: (options & 0x07 == 5)
            .then(|| vec![COLUMNS[usize::from(selector >> 5) & 7].to_string()]),
        header: options & 0x08 == 0,
        color: options & 0x10 != 0,
        max_width: widths[usize::from(options >> 5)],
    };
    let table = render(view, &json, &opts);
    if let (Ok(out), Some(w)) = (&table, opts.max_width) {
        if w >= 20 && !matches!(view, View::Action { .. }) {
            for line in out.lines() {
                let plain: String = strip_ansi(line);
                assert!(display_width(&plain) <= w, "line wider than {w}: {plain:?}");
            }
        }
    }
    let _ = printed;
});

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}
