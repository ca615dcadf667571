//! Wall-clock helpers. The emulator keeps every instant as milliseconds since the Unix epoch
//! (cheap to store, compare and persist) and formats them only at the edge.

use time::{Date, Month, OffsetDateTime, Time};

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> i64 {
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    (nanos / 1_000_000) as i64
}

/// RFC 3339 in the API's style: UTC, milliseconds, `Z` (`2022-03-14T15:49:00.734Z`). Every
/// rendered machine and event has a few, so this is written out by hand rather than through
/// a format description (several times slower on a 10 000-machine list).
pub(crate) fn format_ms(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .filter(|t| (0..=9999).contains(&t.year()))
        .map(|t| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.millisecond()
            )
        })
        // Out of range only for absurd persisted values; never panic on them.
        .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".to_string())
}

/// A billing month `YYYY-MM` as the half-open interval `[start, end)` in epoch milliseconds,
/// or `None` when the text is not a real month.
pub(crate) fn month_bounds(text: &str) -> Option<(i64, i64)> {
    let bytes = text.as_bytes();
    if bytes.len() != 7 || bytes[4] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &text[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = u8::try_from(digits(5..7)?).ok()?;
    let month = Month::try_from(month).ok()?;
    let start = month_start_ms(year, month)?;
    let (next_year, next_month) = if month == Month::December {
        (year + 1, Month::January)
    } else {
        (year, month.next())
    };
    Some((start, month_start_ms(next_year, next_month)?))
}

fn month_start_ms(year: i32, month: Month) -> Option<i64> {
    let date = Date::from_calendar_date(year, month, 1).ok()?;
    let instant = date.with_time(Time::MIDNIGHT).assume_utc();
    Some(instant.unix_timestamp() * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_milliseconds_and_z() {
        assert_eq!(format_ms(1_647_272_940_734), "2022-03-14T15:49:00.734Z");
        assert_eq!(format_ms(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn months_are_half_open_intervals() {
        let (start, end) = month_bounds("2022-03").unwrap();
        assert_eq!(format_ms(start), "2022-03-01T00:00:00.000Z");
        assert_eq!(format_ms(end), "2022-04-01T00:00:00.000Z");
        let (_, end) = month_bounds("2021-12").unwrap();
        assert_eq!(format_ms(end), "2022-01-01T00:00:00.000Z");
        for bad in [
            "2022-13", "2022-00", "22-03", "2022-3", "2022/03", "", "2022-0a", "+202-03",
        ] {
            assert_eq!(month_bounds(bad), None, "{bad}");
        }
    }
}
