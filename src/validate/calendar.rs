//! Checks of the brief's clock values: durations, IANA zones, `HH:MM` hours and dates.
//!
//! Each check parses its value once, reports what is wrong at the value's pointer, and hands
//! the parsed value back so the checked brief is built from it without parsing again.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use super::push;
use crate::brief::BusinessHours;
use crate::calc::calendar::{BusinessCalendar, parse_time, weekday};
use crate::calc::duration::Duration;
use crate::diag::Problem;
use crate::schema::nearest;

/// A duration, or its problem (the parser says why, as data and in words).
pub(super) fn duration(text: &str, pointer: &str, out: &mut Vec<Problem>) -> Option<Duration> {
    Duration::parse(text).map_err(|e| push(out, pointer, e.to_string())).ok()
}

/// An IANA zone, or a problem suggesting the nearest name.
pub(super) fn timezone(name: &str, pointer: &str, out: &mut Vec<Problem>) -> Option<TimeZone> {
    if !name.eq_ignore_ascii_case("Etc/Unknown")
        && let Ok(tz) = jiff::tz::db().get(name)
    {
        return Some(tz);
    }
    let names: Vec<String> = jiff::tz::db().available().map(|n| n.as_str().to_owned()).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = match nearest(name, &refs) {
        Some(best) => format!("; did you mean `{best}`?"),
        None => ", such as `America/New_York` or `Europe/London`".to_owned(),
    };
    push(out, pointer, format!("`{name}` is not an IANA time zone{hint}"));
    None
}

/// Open days and hours, checked.
#[derive(Debug, Clone)]
pub(super) struct Hours {
    days: Vec<Weekday>,
    open: Time,
    close: Time,
}

/// Minutes after midnight at which a day's hours end: a close of `00:00` is midnight at the end
/// of the day (24:00), so `open: "00:00", close: "00:00"` is open all day.
fn close_minute(close: Time) -> i32 {
    if close == Time::midnight() { 24 * 60 } else { i32::from(close.hour()) * 60 + i32::from(close.minute()) }
}

/// Open days and hours, or their problems.
pub(super) fn hours(hours: &BusinessHours, pointer: &str, out: &mut Vec<Problem>) -> Option<Hours> {
    let before = out.len();
    if hours.days.is_empty() {
        push(out, format!("{pointer}/days"), "no open day: list at least one, such as `[mon, tue, wed, thu, fri]`");
    }
    let open = parse_time(&hours.open);
    let close = parse_time(&hours.close);
    for (field, text, parsed) in [("open", &hours.open, open), ("close", &hours.close, close)] {
        if parsed.is_none() {
            push(
                out,
                format!("{pointer}/{field}"),
                format!("`{text}` is not a time: write `HH:MM` on the 24-hour clock, such as `08:30` or `17:30`"),
            );
        }
    }
    if let (Some(o), Some(c)) = (open, close)
        && close_minute(c) <= i32::from(o.hour()) * 60 + i32::from(o.minute())
    {
        push(
            out,
            format!("{pointer}/close"),
            format!("closes at {} but opens at {}: the close must come after the open", hours.close, hours.open),
        );
    }
    let (open, close) = (open?, close?);
    (out.len() == before).then(|| Hours { days: hours.days.iter().map(|d| weekday(*d)).collect(), open, close })
}

/// Parse `YYYY-MM-DD` as a real calendar date.
fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    text.parse::<Date>().ok()
}

/// A date, or its problem.
pub(super) fn date(text: &str, pointer: &str, out: &mut Vec<Problem>) -> Option<Date> {
    let parsed = parse_date(text);
    if parsed.is_none() {
        let b = text.as_bytes();
        let message = if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            format!("`{text}` is not a real date (no such day in the calendar)")
        } else {
            format!("`{text}` is not a date: write `YYYY-MM-DD`, such as `2027-02-01`")
        };
        push(out, pointer, message);
    }
    parsed
}

/// The earliest launch date accepted: due dates are counted back from the launch, and must stay
/// real dates (issue 13: `launch: 0000-01-01` gave due dates like `-000001-12-20`).
pub(crate) const FIRST_LAUNCH: Date = jiff::civil::date(1970, 1, 1);

/// The latest launch date accepted: the simulated weeks run on from the launch, in every pod's
/// zone, and must stay inside the calendar (issue 13: `launch: 9999-12-31` failed the build).
pub(crate) const LAST_LAUNCH: Date = jiff::civil::date(9000, 12, 31);

/// The launch date, or its problem: a real date between [`FIRST_LAUNCH`] and [`LAST_LAUNCH`].
pub(super) fn launch(text: &str, pointer: &str, out: &mut Vec<Problem>) -> Option<Date> {
    let parsed = date(text, pointer, out)?;
    if (FIRST_LAUNCH..=LAST_LAUNCH).contains(&parsed) {
        return Some(parsed);
    }
    push(
        out,
        pointer,
        format!(
            "launch `{text}` is outside the dates handoff plans for: give a date from {FIRST_LAUNCH} to {LAST_LAUNCH}"
        ),
    );
    None
}

/// The most business days an enablement lead time may span: ten years of them, the bound
/// `Duration` puts on days. Hours count in business days of the brief's calendar, so `100000h`
/// on a one-minute day would otherwise be six million business days before launch.
pub(super) const MAX_LEAD_DAYS: u32 = 3650;

/// Each enablement lead time that spans more than [`MAX_LEAD_DAYS`] business days of the
/// calendar `hours` describes, as a problem at its pointer.
pub(super) fn lead_times(lead_times: &[Option<Duration>], hours: &Hours, out: &mut Vec<Problem>) {
    let per_day =
        f64::from(close_minute(hours.close) - (i32::from(hours.open.hour()) * 60 + i32::from(hours.open.minute())));
    for (i, lead) in lead_times.iter().enumerate() {
        let Some(d) = lead else { continue };
        let extra = f64::from(d.hours) * 60.0 + f64::from(d.minutes);
        let days = f64::from(d.days) + if per_day > 0.0 { (extra / per_day).ceil() } else { 0.0 };
        if days > f64::from(MAX_LEAD_DAYS) {
            push(
                out,
                format!("/enablement/{i}/lead_time"),
                format!("a lead time of {days} business days is more than {MAX_LEAD_DAYS}: give a shorter one"),
            );
        }
    }
}

/// Dates, or their problems (every one is checked).
pub(super) fn dates(texts: &[String], pointer: &str, out: &mut Vec<Problem>) -> Option<BTreeSet<Date>> {
    let parsed: Vec<Option<Date>> =
        texts.iter().enumerate().map(|(i, d)| date(d, &format!("{pointer}/{i}"), out)).collect();
    parsed.into_iter().collect()
}

/// The business calendar of checked parts: zone, hours and holidays.
pub(super) fn calendar(zone: &str, hours: &Hours, holidays: &BTreeSet<Date>) -> Option<BusinessCalendar> {
    BusinessCalendar::new(zone, &hours.days, hours.open, hours.close, holidays.iter().copied()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates() {
        assert_eq!(parse_time("08:30"), Some(jiff::civil::time(8, 30, 0, 0)));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("8:30"), None);
        assert_eq!(parse_time("+8:30"), None);
        assert!(parse_date("2028-02-29").is_some());
        assert!(parse_date("2027-02-29").is_none());
        assert!(parse_date("2027-02-30").is_none());
        assert!(parse_date("20270201").is_none());
    }

    #[test]
    fn time_zones() {
        let mut out = Vec::new();
        assert!(timezone("America/New_York", "/tz", &mut out).is_some());
        assert!(timezone("UTC", "/tz", &mut out).is_some());
        assert!(out.is_empty());
        assert!(timezone("America/New_Yrok", "/tz", &mut out).is_none());
        assert_eq!(out[0].message, "`America/New_Yrok` is not an IANA time zone; did you mean `America/New_York`?");
        timezone("Mars/Olympus_Mons", "/tz", &mut out);
        assert!(out[1].message.starts_with("`Mars/Olympus_Mons` is not an IANA time zone"));
    }

    /// Issue 11: `close: "00:00"` is midnight at the end of the day, as the calendar defines it;
    /// validation used to reject it, so a team open around the clock could not be written.
    #[test]
    fn a_close_of_midnight_ends_the_day() {
        let all = BusinessHours {
            days: vec![crate::brief::Day::Mon, crate::brief::Day::Sat],
            open: "00:00".to_owned(),
            close: "00:00".to_owned(),
        };
        let mut out = Vec::new();
        let checked = hours(&all, "/business_hours", &mut out);
        assert!(out.is_empty(), "{out:?}");
        let cal = calendar("Europe/London", &checked.unwrap(), &BTreeSet::new()).unwrap();
        assert_eq!(cal.open_minutes_per_day(), 1440.0);
        let evening = BusinessHours { open: "18:00".to_owned(), ..all.clone() };
        assert!(hours(&evening, "/business_hours", &mut out).is_some());
        // Only 00:00 means the end of the day: a close at or before the open is still refused.
        let backwards = BusinessHours { open: "18:00".to_owned(), close: "09:00".to_owned(), ..all };
        assert!(hours(&backwards, "/business_hours", &mut out).is_none());
        assert_eq!(out[0].message, "closes at 09:00 but opens at 18:00: the close must come after the open");
    }
}
