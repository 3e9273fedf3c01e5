//! Business calendars: when a team is open, in its own time zone, with its holidays.
//!
//! The SLA clock, the simulation and the enablement schedule all need the same answers — is the
//! team open at this instant, when does it next open, how many open minutes lie between two
//! instants, which date is n business days before launch — and they must agree across DST
//! transitions. jiff does the time-zone arithmetic (its bundled tzdb, compatible disambiguation
//! for civil times in a gap or fold); this module only adds open days, open hours and holidays.
//!
//! Each business day has one open interval `[open, close)` in local civil time, turned into
//! absolute instants with the zone's rules for that date, so a day whose opening hours span a
//! DST change really is an hour shorter or longer. A `close` of `00:00` means the end of the day
//! (24:00), which lets a team be open around the clock.

use std::collections::BTreeSet;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use super::duration::Duration;

/// Why a calendar could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// The zone name is not in the time-zone database.
    UnknownZone {
        /// The name as given.
        name: String,
    },
    /// Closing time is not after opening time.
    CloseNotAfterOpen {
        /// Opening time.
        open: Time,
        /// Closing time.
        close: Time,
    },
    /// No weekday is open.
    NoOpenDay,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownZone { name } => {
                write!(f, "`{name}` is not an IANA time zone (expected a name such as `America/New_York`)")
            }
            Self::CloseNotAfterOpen { open, close } => write!(
                f,
                "closing time {} is not after opening time {}",
                close.strftime("%H:%M"),
                open.strftime("%H:%M")
            ),
            Self::NoOpenDay => write!(f, "business hours name no open day"),
        }
    }
}

impl std::error::Error for CalendarError {}

/// When a team is open: a time zone, open weekdays, one open interval per day, and holidays.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessCalendar {
    zone_name: String,
    tz: TimeZone,
    /// Indexed by `Weekday::to_monday_zero_offset`.
    open_days: [bool; 7],
    open: Time,
    /// `00:00` stands for 24:00 (end of the day).
    close: Time,
    holidays: BTreeSet<Date>,
}

impl BusinessCalendar {
    /// Build a calendar from an IANA zone name, the open weekdays, opening and closing times
    /// (local civil time; a `close` of `00:00` means midnight at the end of the day) and the
    /// dates the team is closed.
    ///
    /// # Errors
    /// [`CalendarError::UnknownZone`] when the zone is not in jiff's tzdb,
    /// [`CalendarError::CloseNotAfterOpen`] when `close` is not after `open`,
    /// [`CalendarError::NoOpenDay`] when `days` is empty.
    pub fn new(
        zone: &str,
        days: &[Weekday],
        open: Time,
        close: Time,
        holidays: impl IntoIterator<Item = Date>,
    ) -> Result<Self, CalendarError> {
        let tz = jiff::tz::db().get(zone).map_err(|_| CalendarError::UnknownZone { name: zone.to_owned() })?;
        if close != Time::midnight() && close <= open {
            return Err(CalendarError::CloseNotAfterOpen { open, close });
        }
        let mut open_days = [false; 7];
        for d in days {
            open_days[weekday_index(*d)] = true;
        }
        if !open_days.iter().any(|&o| o) {
            return Err(CalendarError::NoOpenDay);
        }
        Ok(Self { zone_name: zone.to_owned(), tz, open_days, open, close, holidays: holidays.into_iter().collect() })
    }

    /// A calendar open every minute of every day in UTC: the stationary case where the queueing
    /// formulas hold exactly (used to check the simulation against Erlang C).
    #[must_use]
    pub fn always_open() -> Self {
        Self {
            zone_name: "UTC".to_owned(),
            tz: TimeZone::UTC,
            open_days: [true; 7],
            open: Time::midnight(),
            close: Time::midnight(),
            holidays: BTreeSet::new(),
        }
    }

    /// The IANA zone name the calendar was built from.
    #[must_use]
    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }

    /// The time zone.
    #[must_use]
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// True when the calendar is open around the clock on every day with no holidays.
    #[must_use]
    pub fn is_always_open(&self) -> bool {
        self.open_days.iter().all(|&o| o)
            && self.open == Time::midnight()
            && self.close == Time::midnight()
            && self.holidays.is_empty()
    }

    /// True when `date` is an open weekday and not a holiday.
    #[must_use]
    pub fn is_business_day(&self, date: Date) -> bool {
        self.open_days[weekday_index(date.weekday())] && !self.holidays.contains(&date)
    }

    /// The date `n` business days before `date` (the date itself does not count; `n = 0` gives
    /// `date`). Weekends and holidays are skipped. Saturates at the earliest date jiff supports.
    #[must_use]
    pub fn business_days_before(&self, date: Date, n: u32) -> Date {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            match d.yesterday() {
                Ok(y) => d = y,
                Err(_) => return d,
            }
            if self.is_business_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Nominal open minutes in one business day (`close − open` on the wall clock; a day whose
    /// open hours span a DST change is really an hour shorter or longer). This is the length of
    /// one business day on the business SLA clock (`1d`).
    #[must_use]
    pub fn open_minutes_per_day(&self) -> f64 {
        let open = minute_of_day(self.open);
        let close = if self.close == Time::midnight() { 24.0 * 60.0 } else { minute_of_day(self.close) };
        close - open
    }

    /// Length of `d` in minutes when a day is one business day of this calendar (`1d` is
    /// [`open_minutes_per_day`](Self::open_minutes_per_day) minutes): the one place that says
    /// what a business day is.
    #[must_use]
    pub fn business_minutes(&self, d: Duration) -> f64 {
        d.in_minutes(self.open_minutes_per_day())
    }

    /// Whole business days in `d`, its hours and minutes rounded up to a business day (an
    /// enablement lead time of `1d1h` needs two business days).
    #[must_use]
    pub fn business_days(&self, d: Duration) -> u32 {
        let extra = f64::from(d.hours) * 60.0 + f64::from(d.minutes);
        let per_day = self.open_minutes_per_day();
        let extra_days = if extra > 0.0 && per_day > 0.0 {
            // Bounded by Duration::parse (hours ≤ 100,000), so the cast cannot overflow.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let days = (extra / per_day).ceil() as u32;
            days
        } else {
            0
        };
        d.days.saturating_add(extra_days)
    }

    /// Open minutes in a typical week (no holidays, no DST change).
    #[must_use]
    pub fn open_minutes_in_week(&self) -> f64 {
        let days = self.open_days.iter().filter(|&&o| o).count();
        // At most 7, exact in f64.
        f64::from(u8::try_from(days).unwrap_or(7)) * self.open_minutes_per_day()
    }

    /// The open interval of `date` as instants `[start, end)`, or `None` when the date is not a
    /// business day (or lies at the edge of jiff's range).
    #[must_use]
    pub fn open_interval(&self, date: Date) -> Option<(Timestamp, Timestamp)> {
        if !self.is_business_day(date) {
            return None;
        }
        let start = self.tz.to_timestamp(date.to_datetime(self.open)).ok()?;
        let end = if self.close == Time::midnight() {
            self.tz.to_timestamp(date.tomorrow().ok()?.to_datetime(Time::midnight())).ok()?
        } else {
            self.tz.to_timestamp(date.to_datetime(self.close)).ok()?
        };
        (end > start).then_some((start, end))
    }

    /// True when the team is open at instant `at` (open time inclusive, close exclusive).
    #[must_use]
    pub fn is_open(&self, at: Timestamp) -> bool {
        let date = self.tz.to_datetime(at).date();
        // A day's interval starts on that local date, so only this date and (around a fold)
        // the previous one can contain `at`.
        [Some(date), date.yesterday().ok()]
            .into_iter()
            .flatten()
            .filter_map(|d| self.open_interval(d))
            .any(|(s, e)| s <= at && at < e)
    }

    /// The first instant at or after `at` when the team is open (`at` itself when open).
    /// Saturates at [`Timestamp::MAX`] at the far edge of jiff's range.
    #[must_use]
    pub fn next_open(&self, at: Timestamp) -> Timestamp {
        let mut date = self.tz.to_datetime(at).date();
        if let Ok(y) = date.yesterday() {
            date = y;
        }
        // Each holiday closes at most one day and some weekday is open, so an open day comes
        // within the holidays plus two weeks.
        let limit = self.holidays.len() + 16;
        for _ in 0..limit {
            if let Some((s, e)) = self.open_interval(date)
                && at < e
            {
                return if at >= s { at } else { s };
            }
            match date.tomorrow() {
                Ok(t) => date = t,
                Err(_) => return Timestamp::MAX,
            }
        }
        Timestamp::MAX
    }

    /// Open minutes between `from` and `to` (zero when `to` is not after `from`): only minutes
    /// inside open intervals count, so nights, weekends and holidays add nothing, and DST
    /// changes inside open hours are respected.
    #[must_use]
    pub fn business_minutes_between(&self, from: Timestamp, to: Timestamp) -> f64 {
        let mut sum = 0.0;
        self.each_open_interval(from, to, |s, e| {
            sum += minutes(s, e);
            true
        });
        sum
    }

    /// The open intervals between `from` and `to`, clipped to `[from, to)`, in order.
    #[must_use]
    pub fn open_intervals(&self, from: Timestamp, to: Timestamp) -> Vec<(Timestamp, Timestamp)> {
        let mut out = Vec::new();
        self.each_open_interval(from, to, |s, e| {
            out.push((s, e));
            true
        });
        out
    }

    /// Hand `each` the open intervals between `from` and `to`, clipped to `[from, to)`, in
    /// order, until it returns false (no allocation: the monitor measures a million leads).
    fn each_open_interval(&self, from: Timestamp, to: Timestamp, mut each: impl FnMut(Timestamp, Timestamp) -> bool) {
        if to <= from {
            return;
        }
        let mut date = self.tz.to_datetime(from).date();
        if let Ok(y) = date.yesterday() {
            date = y;
        }
        let last = self.tz.to_datetime(to).date();
        while date <= last {
            if let Some((s, e)) = self.open_interval(date) {
                let (s, e) = (s.max(from), e.min(to));
                if s < e && !each(s, e) {
                    return;
                }
            }
            match date.tomorrow() {
                Ok(t) => date = t,
                Err(_) => break,
            }
        }
    }

    /// The instant at which `minutes` open minutes have passed since `from` (the SLA deadline
    /// of a lead created at `from` on the business clock): `from` itself for zero minutes when
    /// open, else counted from the next opening. Saturates at [`Timestamp::MAX`] when the
    /// calendar has no more open time within jiff's range.
    #[must_use]
    pub fn add_business_minutes(&self, from: Timestamp, minutes: f64) -> Timestamp {
        let start = self.next_open(from);
        if minutes.is_nan() || minutes <= 0.0 || start == Timestamp::MAX {
            return start;
        }
        let mut left = minutes;
        let mut date = self.tz.to_datetime(start).date();
        if let Ok(y) = date.yesterday() {
            date = y;
        }
        // Each holiday closes at most one day; beyond that every week has an open day, so the
        // loop ends (bounded by jiff's range).
        loop {
            if let Some((s, e)) = self.open_interval(date) {
                let s = s.max(start);
                if s < e {
                    let span = self::minutes(s, e);
                    if span >= left {
                        // Whole milliseconds: the deadline is compared with CRM timestamps.
                        #[allow(clippy::cast_possible_truncation)]
                        let ms = (left * 60_000.0).round() as i64;
                        return s.checked_add(jiff::SignedDuration::from_millis(ms)).unwrap_or(Timestamp::MAX);
                    }
                    left -= span;
                }
            }
            match date.tomorrow() {
                Ok(t) => date = t,
                Err(_) => return Timestamp::MAX,
            }
        }
    }
}

/// A time of day written `HH:MM` on the 24-hour clock (`08:30`), the one parser of the brief's
/// opening and closing times; `None` for anything else (`8:30`, `24:00`, `9am`). As a closing
/// time `00:00` means the end of the day (see [`BusinessCalendar::new`]).
#[must_use]
pub fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i8 = h.parse().ok()?;
    let m: i8 = m.parse().ok()?;
    Time::new(h, m, 0, 0).ok()
}

/// Minutes from `a` to `b` as a float (negative when `b` is before `a`).
#[must_use]
pub fn minutes(a: Timestamp, b: Timestamp) -> f64 {
    b.duration_since(a).as_secs_f64() / 60.0
}

/// The jiff weekday of a brief's day.
#[must_use]
pub fn weekday(d: crate::brief::Day) -> Weekday {
    use crate::brief::Day;
    match d {
        Day::Mon => Weekday::Monday,
        Day::Tue => Weekday::Tuesday,
        Day::Wed => Weekday::Wednesday,
        Day::Thu => Weekday::Thursday,
        Day::Fri => Weekday::Friday,
        Day::Sat => Weekday::Saturday,
        Day::Sun => Weekday::Sunday,
    }
}

fn weekday_index(d: Weekday) -> usize {
    // to_monday_zero_offset is in 0..=6.
    usize::try_from(d.to_monday_zero_offset()).unwrap_or(0)
}

fn minute_of_day(t: Time) -> f64 {
    f64::from(t.hour()) * 60.0 + f64::from(t.minute()) + f64::from(t.second()) / 60.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    const WEEKDAYS: [Weekday; 5] =
        [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
    const ALL_DAYS: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    fn ny_9_to_5(holidays: &[Date]) -> BusinessCalendar {
        BusinessCalendar::new("America/New_York", &WEEKDAYS, time(9, 0, 0, 0), time(17, 0, 0, 0), holidays.to_vec())
            .unwrap()
    }

    fn at(cal: &BusinessCalendar, d: Date, h: i8, m: i8) -> Timestamp {
        cal.time_zone().to_timestamp(d.at(h, m, 0, 0)).unwrap()
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(
            BusinessCalendar::new("Mars/Olympus", &WEEKDAYS, time(9, 0, 0, 0), time(17, 0, 0, 0), []),
            Err(CalendarError::UnknownZone { name: "Mars/Olympus".into() })
        );
        assert!(matches!(
            BusinessCalendar::new("UTC", &WEEKDAYS, time(17, 0, 0, 0), time(9, 0, 0, 0), []),
            Err(CalendarError::CloseNotAfterOpen { .. })
        ));
        assert!(matches!(
            BusinessCalendar::new("UTC", &WEEKDAYS, time(9, 0, 0, 0), time(9, 0, 0, 0), []),
            Err(CalendarError::CloseNotAfterOpen { .. })
        ));
        assert_eq!(
            BusinessCalendar::new("UTC", &[], time(9, 0, 0, 0), time(17, 0, 0, 0), []),
            Err(CalendarError::NoOpenDay)
        );
        // 00:00 as close means 24:00 and is accepted.
        assert!(BusinessCalendar::new("UTC", &WEEKDAYS, time(9, 0, 0, 0), Time::midnight(), []).is_ok());
    }

    /// The refusals read as the brief's author needs them: the name given, the times as written.
    #[test]
    fn errors_say_what_was_given() {
        let msg = |e: CalendarError| e.to_string();
        assert_eq!(
            msg(CalendarError::UnknownZone { name: "Mars/Olympus".into() }),
            "`Mars/Olympus` is not an IANA time zone (expected a name such as `America/New_York`)"
        );
        assert_eq!(
            msg(CalendarError::CloseNotAfterOpen { open: time(17, 0, 0, 0), close: time(9, 5, 0, 0) }),
            "closing time 09:05 is not after opening time 17:00"
        );
        assert_eq!(msg(CalendarError::NoOpenDay), "business hours name no open day");
    }

    /// Round the clock means every day, 00:00 to 00:00, no holiday: take any one away and the
    /// calendar closes sometimes. The zone is the one named.
    #[test]
    fn always_open_needs_every_day_every_minute_and_no_holiday() {
        let all = ALL_DAYS;
        let cal = |days: &[Weekday], open, close, holidays: Vec<Date>| {
            BusinessCalendar::new("Europe/Berlin", days, open, close, holidays).unwrap()
        };
        let round = cal(&all, Time::midnight(), Time::midnight(), vec![]);
        assert!(round.is_always_open());
        assert_eq!(round.zone_name(), "Europe/Berlin");
        assert_eq!(round.time_zone().iana_name(), Some("Europe/Berlin"));
        assert!(!cal(&all[..6], Time::midnight(), Time::midnight(), vec![]).is_always_open());
        assert!(!cal(&all, time(0, 1, 0, 0), Time::midnight(), vec![]).is_always_open());
        assert!(!cal(&all, Time::midnight(), time(23, 59, 0, 0), vec![]).is_always_open());
        assert!(!cal(&all, Time::midnight(), Time::midnight(), vec![date(2027, 1, 1)]).is_always_open());
        let utc = BusinessCalendar::always_open();
        assert_eq!((utc.zone_name(), utc.open_minutes_in_week()), ("UTC", 10080.0));
        // Business minutes of a duration: a day is the open day's 480 minutes.
        let ny = ny_9_to_5(&[]);
        assert_eq!(ny.business_minutes(Duration::parse("1d2h").unwrap()), 600.0);
        let monday = date(2026, 11, 30);
        let intervals = ny.open_intervals(at(&ny, monday, 16, 0), at(&ny, monday.tomorrow().unwrap(), 10, 0));
        assert_eq!(
            intervals,
            [
                (at(&ny, monday, 16, 0), at(&ny, monday, 17, 0)),
                (at(&ny, date(2026, 12, 1), 9, 0), at(&ny, date(2026, 12, 1), 10, 0))
            ]
        );
    }

    /// `HH:MM`, two digits each, on the 24-hour clock; nothing else.
    #[test]
    fn times_are_two_digit_hours_and_minutes() {
        assert_eq!(parse_time("08:30"), Some(time(8, 30, 0, 0)));
        assert_eq!(parse_time("00:00"), Some(Time::midnight()));
        assert_eq!(parse_time("23:59"), Some(time(23, 59, 0, 0)));
        for bad in ["8:30", "08:3", "24:00", "12:60", "9am", "08-30", "+8:30", "08:+3", " 8:30", "0830", ""] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        use crate::brief::Day;
        let days = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri, Day::Sat, Day::Sun].map(weekday);
        assert_eq!(days.map(weekday_index), [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(days[6], Weekday::Sunday);
        let t = Timestamp::UNIX_EPOCH;
        assert_eq!(minutes(t, t + jiff::SignedDuration::from_secs(90)), 1.5);
        assert_eq!(minutes(t + jiff::SignedDuration::from_secs(90), t), -1.5);
    }

    #[test]
    fn minutes_per_day_and_week() {
        let cal = ny_9_to_5(&[]);
        assert_eq!(cal.open_minutes_per_day(), 480.0);
        assert_eq!(cal.open_minutes_in_week(), 2400.0);
        let all = BusinessCalendar::always_open();
        assert_eq!(all.open_minutes_per_day(), 1440.0);
        assert_eq!(all.open_minutes_in_week(), 10080.0);
        assert!(all.is_always_open());
        assert!(!cal.is_always_open());
    }

    #[test]
    fn business_days_before_skips_weekends_and_holidays() {
        // 2026-12-25 is a Friday (Christmas).
        let cal = ny_9_to_5(&[date(2026, 12, 25)]);
        // One business day before Monday 28 Dec: Sun 27, Sat 26 are weekend, Fri 25 a holiday,
        // so Thursday 24 Dec.
        assert_eq!(cal.business_days_before(date(2026, 12, 28), 1), date(2026, 12, 24));
        // Five business days before Monday 16 March 2026: Fri 13, Thu 12, Wed 11, Tue 10, Mon 9.
        assert_eq!(cal.business_days_before(date(2026, 3, 16), 5), date(2026, 3, 9));
        assert_eq!(cal.business_days_before(date(2026, 3, 16), 0), date(2026, 3, 16));
        // Ten business days before Thu 31 Dec 2026 with the Christmas holiday:
        // Wed 30, Tue 29, Mon 28, Thu 24, Wed 23, Tue 22, Mon 21, Fri 18, Thu 17, Wed 16.
        assert_eq!(cal.business_days_before(date(2026, 12, 31), 10), date(2026, 12, 16));
        assert!(!cal.is_business_day(date(2026, 12, 25)));
        assert!(!cal.is_business_day(date(2026, 12, 26)));
        assert!(cal.is_business_day(date(2026, 12, 24)));
        // Saturates rather than failing at the start of jiff's range.
        assert_eq!(cal.business_days_before(Date::MIN, 3), Date::MIN);
    }

    #[test]
    fn closing_time_is_closed_for_every_clock_function() {
        // Close is exclusive (`is_open` says so at 17:00): Friday 6 March 2026 at 16:59, 17:00
        // and 17:01 in New York. At 16:59 the team is open; at 17:00 and after, the next opening
        // is Monday 9 March 09:00, and the open intervals from then on start there.
        let cal = ny_9_to_5(&[]);
        let friday = date(2026, 3, 6);
        let monday_9 = at(&cal, date(2026, 3, 9), 9, 0);
        assert_eq!(cal.next_open(at(&cal, friday, 16, 59)), at(&cal, friday, 16, 59));
        assert_eq!(cal.next_open(at(&cal, friday, 17, 0)), monday_9);
        assert_eq!(cal.next_open(at(&cal, friday, 17, 1)), monday_9);
        let monday_10 = at(&cal, date(2026, 3, 9), 10, 0);
        assert_eq!(cal.open_intervals(at(&cal, friday, 17, 0), monday_10), vec![(monday_9, monday_10)]);
        assert_eq!(
            cal.open_intervals(at(&cal, friday, 16, 59), monday_10),
            vec![(at(&cal, friday, 16, 59), at(&cal, friday, 17, 0)), (monday_9, monday_10)]
        );
        assert_eq!(cal.business_minutes_between(at(&cal, friday, 17, 0), monday_10), 60.0);
        // No time to add (zero, negative or NaN minutes): the deadline is the next opening,
        // never before it.
        let evening = at(&cal, friday, 20, 0);
        for m in [0.0, -5.0, f64::NAN] {
            assert_eq!(cal.add_business_minutes(evening, m), monday_9, "{m}");
        }
        assert_eq!(cal.add_business_minutes(evening, 30.0), at(&cal, date(2026, 3, 9), 9, 30));
    }

    #[test]
    fn business_days_round_hours_up_to_whole_days() {
        // 09:00–17:00 is 480 open minutes a day, so by hand: 1d → 1; 1d1h (the enablement
        // example) → 1 + ⌈60/480⌉ = 2; 8h = 480 minutes → 1; 8h1m → 2; 16h → 2; 16h1m → 3;
        // 30m → 1; 2d4h → 3; nothing → 0.
        let cal = ny_9_to_5(&[]);
        let days = |s: &str| cal.business_days(Duration::parse(s).unwrap());
        for (text, want) in
            [("1d", 1), ("1d1h", 2), ("8h", 1), ("8h1m", 2), ("16h", 2), ("16h1m", 3), ("30m", 1), ("2d4h", 3)]
        {
            assert_eq!(days(text), want, "{text}");
        }
        assert_eq!(cal.business_days(Duration { days: 0, hours: 0, minutes: 0 }), 0);
        // A half-hour day (09:00–09:30): 30m is one business day, 1h two, 1h1m three, 2h30m five.
        let short = BusinessCalendar::new("UTC", &WEEKDAYS, time(9, 0, 0, 0), time(9, 30, 0, 0), Vec::new()).unwrap();
        let days = |s: &str| short.business_days(Duration::parse(s).unwrap());
        assert_eq!([days("30m"), days("1h"), days("1h1m"), days("2h30m")], [1, 2, 3, 5]);
    }

    #[test]
    fn deadlines_count_only_open_minutes() {
        // By hand on New York 09:00–17:00, Mon–Fri, with Christmas (Friday 25 Dec 2026) closed:
        // Friday 6 March 16:30 + 60 open minutes = 30 on Friday + 30 on Monday → Mon 09:30.
        // Thursday 24 Dec 16:00 + 600 = 60 on Thursday, none on Christmas or the weekend, 480 on
        // Monday 28, 60 on Tuesday → Tue 29 Dec 10:00. A whole day from the opening ends at the
        // close: Mon 9 March 09:00 + 480 → 17:00. Half a minute → 30 s after the opening.
        let cal = ny_9_to_5(&[date(2026, 12, 25)]);
        let friday = date(2026, 3, 6);
        let monday = date(2026, 3, 9);
        assert_eq!(cal.add_business_minutes(at(&cal, friday, 16, 30), 60.0), at(&cal, monday, 9, 30));
        assert_eq!(
            cal.add_business_minutes(at(&cal, date(2026, 12, 24), 16, 0), 600.0),
            at(&cal, date(2026, 12, 29), 10, 0)
        );
        assert_eq!(cal.add_business_minutes(at(&cal, monday, 9, 0), 480.0), at(&cal, monday, 17, 0));
        assert_eq!(cal.add_business_minutes(at(&cal, monday, 9, 0), 0.5).to_string(), "2026-03-09T13:00:30Z");
        // And back: the open minutes between each start and its deadline are the minutes added.
        let from = at(&cal, date(2026, 12, 24), 16, 0);
        assert_eq!(cal.business_minutes_between(from, cal.add_business_minutes(from, 600.0)), 600.0);
    }

    #[test]
    fn open_and_next_open() {
        let cal = ny_9_to_5(&[date(2026, 12, 25)]);
        // Friday 6 March 2026.
        assert!(cal.is_open(at(&cal, date(2026, 3, 6), 9, 0)));
        assert!(cal.is_open(at(&cal, date(2026, 3, 6), 16, 59)));
        assert!(!cal.is_open(at(&cal, date(2026, 3, 6), 17, 0)));
        assert!(!cal.is_open(at(&cal, date(2026, 3, 6), 8, 59)));
        // Friday 17:30 → Monday 9 March 09:00 (EDT from Sunday 8 March).
        let next = cal.next_open(at(&cal, date(2026, 3, 6), 17, 30));
        assert_eq!(next, at(&cal, date(2026, 3, 9), 9, 0));
        assert_eq!(next.to_string(), "2026-03-09T13:00:00Z"); // 09:00 EDT = UTC−4
        // Open: returns the instant itself.
        let t = at(&cal, date(2026, 3, 6), 10, 15);
        assert_eq!(cal.next_open(t), t);
        // Before opening on a business day: that morning.
        assert_eq!(cal.next_open(at(&cal, date(2026, 3, 6), 3, 0)), at(&cal, date(2026, 3, 6), 9, 0));
        // Thursday 24 Dec 18:00 → Monday 28 Dec 09:00 (Fri 25 holiday, then weekend).
        assert_eq!(cal.next_open(at(&cal, date(2026, 12, 24), 18, 0)), at(&cal, date(2026, 12, 28), 9, 0));
    }

    #[test]
    fn business_minutes_across_spring_forward() {
        let cal = ny_9_to_5(&[]);
        // Fri 6 March 16:00 EST → Mon 9 March 10:00 EDT: 60 open minutes on Friday (16–17) and
        // 60 on Monday (9–10) = 120, although 65 real hours pass (66 on the wall clock minus the
        // hour lost on Sunday 8 March at 02:00).
        let a = at(&cal, date(2026, 3, 6), 16, 0);
        let b = at(&cal, date(2026, 3, 9), 10, 0);
        assert_eq!(cal.business_minutes_between(a, b), 120.0);
        assert_eq!(minutes(a, b), 65.0 * 60.0);
        assert_eq!(cal.business_minutes_between(b, a), 0.0);
    }

    #[test]
    fn round_the_clock_days_have_23_and_25_hours_at_dst() {
        let all_days = ALL_DAYS;
        let ny = BusinessCalendar::new("America/New_York", &all_days, Time::midnight(), Time::midnight(), []).unwrap();
        // Sunday 8 March 2026: 02:00 EST jumps to 03:00 EDT, the day has 23 hours = 1380 minutes.
        let a = at(&ny, date(2026, 3, 8), 0, 0);
        let b = at(&ny, date(2026, 3, 9), 0, 0);
        assert_eq!(ny.business_minutes_between(a, b), 1380.0);
        // Sunday 1 November 2026: 02:00 EDT falls back to 01:00 EST, 25 hours = 1500 minutes.
        let a = at(&ny, date(2026, 11, 1), 0, 0);
        let b = at(&ny, date(2026, 11, 2), 0, 0);
        assert_eq!(ny.business_minutes_between(a, b), 1500.0);
        // London falls back on Sunday 25 October 2026 (last Sunday of October).
        let lon = BusinessCalendar::new("Europe/London", &all_days, Time::midnight(), Time::midnight(), []).unwrap();
        let a = at(&lon, date(2026, 10, 25), 0, 0);
        let b = at(&lon, date(2026, 10, 26), 0, 0);
        assert_eq!(lon.business_minutes_between(a, b), 1500.0);
        assert!(lon.is_open(a));
        assert_eq!(lon.next_open(a), a);
    }

    #[test]
    fn opening_hours_that_span_the_dst_change() {
        // Open 01:00–04:00 on Sundays only: on 8 March 2026 in New York 02:00–03:00 does not
        // exist, so only 2 real hours are open (01:00 EST → 04:00 EDT is 06:00Z → 08:00Z).
        let cal = BusinessCalendar::new("America/New_York", &[Weekday::Sunday], time(1, 0, 0, 0), time(4, 0, 0, 0), [])
            .unwrap();
        let a = at(&cal, date(2026, 3, 7), 0, 0);
        let b = at(&cal, date(2026, 3, 9), 0, 0);
        assert_eq!(cal.business_minutes_between(a, b), 120.0);
        // On 1 November 2026, 01:00 EDT → 04:00 EST is 05:00Z → 09:00Z: 4 real hours.
        let a = at(&cal, date(2026, 10, 31), 0, 0);
        let b = at(&cal, date(2026, 11, 2), 0, 0);
        assert_eq!(cal.business_minutes_between(a, b), 240.0);
        assert_eq!(cal.open_minutes_per_day(), 180.0);
    }

    #[test]
    fn holidays_add_no_minutes() {
        let cal = ny_9_to_5(&[date(2026, 12, 25)]);
        // Thu 24 Dec 16:00 → Mon 28 Dec 10:00: 60 + 60 minutes; Friday is a holiday.
        let a = at(&cal, date(2026, 12, 24), 16, 0);
        let b = at(&cal, date(2026, 12, 28), 10, 0);
        assert_eq!(cal.business_minutes_between(a, b), 120.0);
        // A whole ordinary week Monday 00:00 → next Monday 00:00: 5 × 480.
        let a = at(&cal, date(2026, 3, 9), 0, 0);
        let b = at(&cal, date(2026, 3, 16), 0, 0);
        assert_eq!(cal.business_minutes_between(a, b), 2400.0);
        assert_eq!(cal.open_intervals(a, b).len(), 5);
    }
}
