//! How one value reads in a table (sizes in binary units, UTC times, yes/no, prices) and the
//! tone it is coloured in; server text made inert.

use crate::api::model::{MachineEvent, newest_event};
use crate::vocab::{MachineState, event_state, parse_timestamp};
use time::macros::format_description;
use unicode_width::UnicodeWidthChar;

/// How many terminal columns `text` takes.
pub(super) fn text_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// The longest start of `text` at most `width` columns wide.
pub(super) fn truncate_to_width(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (index, ch) in text.char_indices() {
        used += ch.width().unwrap_or(0);
        if used > width {
            return &text[..index];
        }
    }
    text
}

/// What a cell's colour means; the escape codes are only decided when printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tone {
    Plain,
    Good,
    Busy,
    Idle,
    Bad,
}

impl Tone {
    /// The ANSI codes that start and end this tone (`None`: printed plain).
    fn codes(self) -> Option<(&'static str, &'static str)> {
        match self {
            Tone::Plain => None,
            Tone::Good => Some(("\u{1b}[32m", "\u{1b}[39m")),
            Tone::Busy => Some(("\u{1b}[33m", "\u{1b}[39m")),
            Tone::Idle => Some(("\u{1b}[2m", "\u{1b}[22m")),
            Tone::Bad => Some(("\u{1b}[31m", "\u{1b}[39m")),
        }
    }

    /// `text` in this tone when `color`, else as it is. Widths are always measured on the text
    /// alone, so escape codes never count.
    pub(super) fn paint(self, text: &str, color: bool) -> String {
        match self.codes().filter(|_| color) {
            Some((start, end)) => format!("{start}{text}{end}"),
            None => text.to_string(),
        }
    }
}

/// Plain text (one line, no control characters) and the tone to print it in. Widths are
/// measured on the text alone; the layout paints the tone around it after measuring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cell {
    pub(super) text: String,
    pub(super) tone: Tone,
}

impl Cell {
    pub(super) fn plain(text: impl AsRef<str>) -> Cell {
        Cell::toned(text, Tone::Plain)
    }

    pub(super) fn toned(text: impl AsRef<str>, tone: Tone) -> Cell {
        let text = sanitize(text.as_ref().trim());
        if text.trim().is_empty() {
            Cell::missing()
        } else {
            Cell { text, tone }
        }
    }

    pub(super) fn missing() -> Cell {
        Cell {
            text: "-".to_string(),
            tone: Tone::Plain,
        }
    }

    pub(super) fn painted(&self, color: bool) -> String {
        self.tone.paint(&self.text, color)
    }
}

/// One line of inert text: line breaks and tabs become spaces, other control characters
/// (escape sequences included) become `?`.
pub(super) fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '?',
            c => c,
        })
        .collect()
}

pub(super) fn text(value: &Option<String>) -> Cell {
    value.as_deref().map_or_else(Cell::missing, Cell::plain)
}

pub(super) fn number(value: Option<u64>) -> Cell {
    value.map_or_else(Cell::missing, |n| Cell::plain(n.to_string()))
}

pub(super) fn hours_setting(value: Option<u64>) -> Cell {
    value.map_or_else(Cell::missing, |hours| Cell::plain(format!("{hours} hours")))
}

pub(super) fn yes_no(value: Option<bool>) -> Cell {
    value.map_or_else(Cell::missing, |b| Cell::plain(if b { "yes" } else { "no" }))
}

/// Sizes arrive as byte counts in strings (`"32212254720"`); shown in binary units, whole
/// when exact (`30 GiB`), else with one decimal. Anything else is shown as sent.
pub(super) fn bytes(value: &Option<String>) -> Cell {
    let Some(raw) = value.as_deref() else {
        return Cell::missing();
    };
    match raw.trim().parse::<f64>() {
        Ok(count) if count.is_finite() && count >= 0.0 => Cell::plain(human_bytes(count)),
        _ => Cell::plain(raw),
    }
}

pub(super) fn human_bytes(count: f64) -> String {
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

/// `2022-03-14T15:47:53.852Z` → `2022-03-14 15:47` (UTC); unparseable text as sent.
pub(super) fn compact_time(raw: &str) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]");
    parse_timestamp(Some(raw))
        // checked: an instant near the end of year 9999 may not exist in UTC.
        .and_then(|instant| instant.checked_to_offset(time::UtcOffset::UTC))
        .and_then(|instant| instant.format(&format).ok())
        .unwrap_or_else(|| raw.to_string())
}

pub(super) fn time_cell(value: &Option<String>) -> Cell {
    value
        .as_deref()
        .map_or_else(Cell::missing, |raw| Cell::plain(compact_time(raw)))
}

pub(super) fn state_cell(state: &MachineState) -> Cell {
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

/// `start: done (2022-03-14 15:49)`, with the error message when there is one: the newest
/// event (`model::newest_event`), so an unsorted list still shows the right one.
pub(super) fn last_event(events: Option<&[MachineEvent]>) -> Cell {
    let Some(event) = newest_event(events.unwrap_or_default()) else {
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
        Some(event_state::DONE) => Tone::Plain,
        Some(event_state::ERROR) => Tone::Bad,
        _ => Tone::Busy,
    };
    Cell::toned(line, tone)
}

pub(super) fn hours(seconds: f64) -> String {
    format!("{:.2} hours", seconds / 3600.0)
}

/// Storage is billed by the month, so a month's worth reads better in days.
pub(super) fn hours_or_days(seconds: f64) -> String {
    const DAY: f64 = 24.0 * 3600.0;
    if seconds >= DAY {
        format!("{:.1} days", seconds / DAY)
    } else {
        hours(seconds)
    }
}

/// `"0.51"` per `hour` → `$0.51/hour`; a rate that is not a number is shown as sent.
pub(super) fn price(rate: Option<&str>, per: &str) -> Cell {
    match rate.map(str::trim) {
        None | Some("") => Cell::missing(),
        Some(rate) if rate.parse::<f64>().is_ok() => Cell::plain(format!("${rate}/{per}")),
        Some(rate) => Cell::plain(rate),
    }
}
