//! Time to first touch on a pod's calendar, against elapsed times worked out by hand (the
//! arithmetic is in each comment): across a weekend, a holiday, the US spring-forward change of
//! Sunday 14 March 2027 (02:00 EST → 03:00 EDT, America/New_York) and for leads created while the
//! team was closed; and the SLA deadline, the instant a breach happens.

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use handoff::calc::calendar::BusinessCalendar;
use handoff::calc::simulate::Clock;
use handoff::monitor::{deadline, elapsed};
use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday, date};

const WEEKDAYS: [Weekday; 5] =
    [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];

fn ny(holidays: &[Date]) -> BusinessCalendar {
    BusinessCalendar::new(
        "America/New_York",
        &WEEKDAYS,
        Time::new(9, 0, 0, 0).unwrap(),
        Time::new(17, 0, 0, 0).unwrap(),
        holidays.to_vec(),
    )
    .unwrap()
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn a_weekend_adds_no_business_minutes() {
    let cal = ny(&[]);
    // Fri 5 March 2027 16:30 EST (21:30Z) → Mon 8 March 09:45 EST (14:45Z):
    // Friday 16:30–17:00 = 30, Monday 09:00–09:45 = 45 → 75 business minutes.
    let (a, b) = (ts("2027-03-05T21:30:00Z"), ts("2027-03-08T14:45:00Z"));
    assert_eq!(elapsed(&cal, Clock::Business, a, b), 75.0);
    // Wall time: 2 days 17h15m = 48·60 + 17·60 + 15 = 3915 minutes.
    assert_eq!(elapsed(&cal, Clock::Calendar, a, b), 3915.0);
}

#[test]
fn a_holiday_adds_no_business_minutes() {
    // Monday 5 July 2027 is closed (the brief's Independence Day, observed).
    let cal = ny(&[date(2027, 7, 5)]);
    // Fri 2 July 16:00 EDT (20:00Z) → Tue 6 July 10:00 EDT (14:00Z): Friday 60 + Tuesday 60 = 120.
    let (a, b) = (ts("2027-07-02T20:00:00Z"), ts("2027-07-06T14:00:00Z"));
    assert_eq!(elapsed(&cal, Clock::Business, a, b), 120.0);
    // Without the holiday Monday's 480 minutes count: 600.
    assert_eq!(elapsed(&ny(&[]), Clock::Business, a, b), 600.0);
}

#[test]
fn spring_forward_on_14_march_2027() {
    let cal = ny(&[]);
    // Fri 12 March 16:00 EST (UTC−5: 21:00Z) → Mon 15 March 10:00 EDT (UTC−4: 14:00Z).
    // Business: Friday 16:00–17:00 = 60 + Monday 09:00–10:00 = 60 → 120 (the lost hour falls
    // on a closed Sunday night).
    let (a, b) = (ts("2027-03-12T21:00:00Z"), ts("2027-03-15T14:00:00Z"));
    assert_eq!(elapsed(&cal, Clock::Business, a, b), 120.0);
    // Calendar: 66 hours on the wall clock less the hour that does not exist = 65 h = 3900.
    assert_eq!(elapsed(&cal, Clock::Calendar, a, b), 3900.0);
    // Open around the clock, Sunday 14 March has 23 hours: 00:00 EST (05:00Z) → Monday 00:00
    // EDT (04:00Z) = 1380 minutes.
    let days = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
    let always = BusinessCalendar::new("America/New_York", &days, Time::midnight(), Time::midnight(), []).unwrap();
    assert_eq!(elapsed(&always, Clock::Business, ts("2027-03-14T05:00:00Z"), ts("2027-03-15T04:00:00Z")), 1380.0);
}

#[test]
fn leads_created_while_closed_start_at_the_opening() {
    let cal = ny(&[]);
    // Tue 16 March 06:00 EDT (10:00Z) → 09:30 EDT (13:30Z): open from 09:00, so 30 minutes on
    // the business clock, 210 on the calendar clock.
    let (a, b) = (ts("2027-03-16T10:00:00Z"), ts("2027-03-16T13:30:00Z"));
    assert_eq!(elapsed(&cal, Clock::Business, a, b), 30.0);
    assert_eq!(elapsed(&cal, Clock::Calendar, a, b), 210.0);
    // Saturday 13 March 11:00 EST (16:00Z) → Monday 15 March 09:50 EDT (13:50Z): 50 minutes.
    assert_eq!(elapsed(&cal, Clock::Business, ts("2027-03-13T16:00:00Z"), ts("2027-03-15T13:50:00Z")), 50.0);
    // Touched before opening: no business time at all.
    assert_eq!(elapsed(&cal, Clock::Business, ts("2027-03-13T16:00:00Z"), ts("2027-03-15T12:00:00Z")), 0.0);
}

#[test]
fn the_deadline_is_the_sla_added_on_the_same_clock() {
    let cal = ny(&[date(2027, 3, 17)]);
    // Fri 12 March 16:00 EST + 120 business minutes: 60 on Friday, then Monday 09:00 EDT + 60 =
    // Mon 15 March 10:00 EDT = 14:00Z (across the DST change).
    assert_eq!(deadline(&cal, Clock::Business, ts("2027-03-12T21:00:00Z"), 120.0), ts("2027-03-15T14:00:00Z"));
    // Created Saturday: Monday 09:00 EDT + 120 = 11:00 EDT = 15:00Z.
    assert_eq!(deadline(&cal, Clock::Business, ts("2027-03-13T16:00:00Z"), 120.0), ts("2027-03-15T15:00:00Z"));
    // Tue 16 March 16:10 EDT + 60: 50 on Tuesday, Wednesday 17 is a holiday, Thursday 09:00 +
    // 10 = 09:10 EDT = 13:10Z.
    assert_eq!(deadline(&cal, Clock::Business, ts("2027-03-16T20:10:00Z"), 60.0), ts("2027-03-18T13:10:00Z"));
    // Exactly at closing: the whole SLA fits in the day, the deadline is 17:00 EST.
    assert_eq!(deadline(&cal, Clock::Business, ts("2027-03-12T21:00:00Z"), 60.0), ts("2027-03-12T22:00:00Z"));
    // Calendar clock: wall time, 120 minutes later whatever the hours.
    assert_eq!(deadline(&cal, Clock::Calendar, ts("2027-03-13T16:00:00Z"), 120.0), ts("2027-03-13T18:00:00Z"));
    // The deadline and elapsed agree: at the deadline exactly the SLA has elapsed.
    let a = ts("2027-03-12T21:00:00Z");
    assert_eq!(elapsed(&cal, Clock::Business, a, deadline(&cal, Clock::Business, a, 120.0)), 120.0);
}
