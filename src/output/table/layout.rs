//! Laying a table out: column widths, what gives way when the terminal is narrow, and the
//! lines themselves.

use super::TableOptions;
use super::cells::{Cell, Tone, text_width, truncate_to_width};

/// Spaces between columns.
const GAP: usize = 2;
/// Free text is not cut shorter than this while other columns can give way (`New Mac…`).
const SHORTEST_CUT: usize = 8;

/// How a column gives way when the table is wider than the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fit {
    /// Cut only when nothing else is left to cut: the handle people copy (ID) and the thing
    /// they came to see (State).
    Keep,
    /// Useless when cut (an IP, a date, a size): shown whole or, if it is a default column,
    /// left out.
    Whole,
    /// Still reads when cut with an ellipsis: names, regions, messages.
    Text,
}

pub(super) struct Table {
    pub(super) header: Option<Vec<String>>,
    pub(super) rows: Vec<Vec<Cell>>,
    pub(super) fits: Vec<Fit>,
    /// Whether columns may be dropped (rightmost first) before text is cut below
    /// `SHORTEST_CUT`.
    pub(super) may_leave_out: bool,
}

impl Table {
    pub(super) fn lay_out(self, opts: &TableOptions) -> String {
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
                natural[column] = natural[column].max(text_width(text));
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
                padding = width.saturating_sub(text_width(&text)) + GAP;
                let tone = match line_index.checked_sub(first_row) {
                    Some(row) if opts.color => self.rows[row][column].tone,
                    _ => Tone::Plain,
                };
                out.push_str(&tone.paint(&text, true));
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
    if text_width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut kept = truncate_to_width(text, width - 1).trim_end().to_string();
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
