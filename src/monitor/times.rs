//! The export's timestamps, fast: the two shapes CRM exports write — `YYYY-MM-DDTHH:MM:SSZ`
//! (or with a `±HH:MM` offset) and `YYYY-MM-DD HH:MM[:SS]` in the brief's zone — read by hand,
//! and the zone's offset kept per local hour, instead of a full temporal parse and a zone lookup
//! per field. Anything else goes to [`parse_created_at`], the parser `route` uses, and every
//! answer equals its answer (a property test below checks this over the shapes and the DST
//! changes).
//!
//! The same cache gives a creation instant's local date and hour (windows and busiest hours).

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

use crate::replay::leads::parse_created_at;

/// One local hour whose offset is constant: `[start, start + 3600)` in seconds since the epoch.
#[derive(Debug, Clone, Copy)]
struct Hour {
    /// The local civil hour, as seconds since 0000-01-01 read as if UTC (`civil_seconds`).
    civil: i64,
    /// Its first instant.
    start: i64,
    date: Date,
    hour: i8,
}

/// Timestamps of one zone, with its last local hour cached.
#[derive(Debug)]
pub(crate) struct Times<'a> {
    tz: &'a TimeZone,
    last: Option<Hour>,
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian; Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(b: &[u8]) -> Option<i64> {
    let mut v = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Year, month, day, hour, minute, second, and the text after them.
type Civil<'a> = (i64, i64, i64, i64, i64, i64, &'a [u8]);

/// `YYYY-MM-DD?HH:MM[:SS]` with `?` = `T`, `t` or a space: year, month, day, hour, minute,
/// second, and the rest of the text. `None` for anything else, or out of range.
fn civil(b: &[u8]) -> Option<Civil<'_>> {
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi) = (digits(&b[11..13])?, digits(&b[14..16])?);
    let (s, rest) = if b.len() >= 19 && b[16] == b':' { (digits(&b[17..19])?, &b[19..]) } else { (0, &b[16..]) };
    // A leap second (60), fractions and the like go to the full parser.
    // Years 1–9998 only: at the ends of jiff's range an offset can push an instant out of it.
    if !(1..=9998).contains(&y) || !(1..=12).contains(&mo) || d < 1 || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let idx = usize::try_from(mo - 1).ok()?;
    if d > month_days[idx] {
        return None;
    }
    Some((y, mo, d, h, mi, s, rest))
}

impl<'a> Times<'a> {
    /// Timestamps in `tz`.
    pub(crate) fn new(tz: &'a TimeZone) -> Self {
        Self { tz, last: None }
    }

    /// Seconds since the epoch of `text`, exactly as [`parse_created_at`] reads it.
    pub(crate) fn parse(&mut self, text: &str) -> Option<i64> {
        let t = text.trim();
        self.fast(t.as_bytes()).or_else(|| parse_created_at(t, self.tz))
    }

    fn fast(&mut self, b: &[u8]) -> Option<i64> {
        let (y, mo, d, h, mi, s, rest) = civil(b)?;
        let local = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
        match rest {
            [] if b.len() == 16 || b.len() == 19 => {
                // A civil time in the zone: its hour's offset, when constant over the hour.
                let hour_civil = local - mi * 60 - s;
                let hour = match self.last {
                    Some(c) if c.civil == hour_civil => c,
                    _ => {
                        let c = self.hour_of_civil(y, mo, d, h, hour_civil)?;
                        self.last = Some(c);
                        c
                    }
                };
                Some(hour.start + mi * 60 + s)
            }
            [b'Z' | b'z'] => Some(local),
            [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
                let (oh, om) = (digits(&[*oh1, *oh2])?, digits(&[*om1, *om2])?);
                // jiff refuses offsets of 25 hours and more, and minutes over 59.
                if oh > 24 || om > 59 || (oh == 24 && om > 0) {
                    return None;
                }
                let off = oh * 3600 + om * 60;
                Some(if *sign == b'+' { local - off } else { local + off })
            }
            _ => None,
        }
    }

    /// The local hour `y-mo-d h:00`, when the zone's offset is the same at its first and last
    /// second and neither is in a gap or a fold (else `None`: the full parser decides).
    fn hour_of_civil(&self, y: i64, mo: i64, d: i64, h: i64, civil: i64) -> Option<Hour> {
        let date = Date::new(i16::try_from(y).ok()?, i8::try_from(mo).ok()?, i8::try_from(d).ok()?).ok()?;
        let hour = i8::try_from(h).ok()?;
        let at = |m: i8, s: i8| -> Option<i64> {
            let dt = DateTime::from_parts(date, Time::new(hour, m, s, 0).ok()?);
            let amb = self.tz.to_ambiguous_timestamp(dt);
            amb.unambiguous().ok().map(jiff::Timestamp::as_second)
        };
        let (first, last) = (at(0, 0)?, at(59, 59)?);
        (last - first == 3599).then_some(Hour { civil, start: first, date, hour })
    }

    /// The local date and hour of instant `t` (seconds) in the zone.
    pub(crate) fn local(&mut self, t: i64) -> (Date, i8) {
        if let Some(c) = self.last
            && (c.start..c.start + 3600).contains(&t)
        {
            return (c.date, c.hour);
        }
        let dt = self.tz.to_datetime(jiff::Timestamp::from_second(t).unwrap_or(jiff::Timestamp::MIN));
        let start = t - i64::from(dt.minute()) * 60 - i64::from(dt.second());
        let civil = days_from_civil(i64::from(dt.year()), i64::from(dt.month()), i64::from(dt.day())) * 86_400
            + i64::from(dt.hour()) * 3600;
        // Cache the hour only when its first and last second read as this hour (no change of
        // offset inside it).
        let read = |s: i64| self.tz.to_datetime(jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::MIN));
        let (begin, end) = (read(start), read(start + 3599));
        let this_hour = |x: DateTime, m: i8, s: i8| {
            x.date() == dt.date() && x.hour() == dt.hour() && x.minute() == m && x.second() == s
        };
        if this_hour(begin, 0, 0) && this_hour(end, 59, 59) {
            self.last = Some(Hour { civil, start, date: dt.date(), hour: dt.hour() });
        }
        (dt.date(), dt.hour())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_agrees_with_jiff() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2027, 3, 14), (1, 1, 1), (9998, 12, 31), (1969, 12, 31)] {
            let want = TimeZone::UTC
                .to_timestamp(jiff::civil::date(y, m, d).to_datetime(Time::midnight()))
                .unwrap()
                .as_second()
                / 86_400;
            assert_eq!(days_from_civil(i64::from(y), i64::from(m), i64::from(d)), want, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn every_answer_equals_the_route_parser() {
        let zones = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];
        let mut rng = fastrand::Rng::with_seed(17);
        for zone in zones {
            let tz = TimeZone::get(zone).unwrap();
            let mut times = Times::new(&tz);
            // Around both DST changes of 2027 (New York: 14 March, 7 November; London: 28
            // March, 31 October), every 7 minutes, and random times and shapes elsewhere.
            let mut texts: Vec<String> = Vec::new();
            for (m, d) in [(3, 14), (11, 7), (3, 28), (10, 31), (4, 4), (10, 3)] {
                for k in 0..(3 * 24 * 60 / 7) {
                    let min = k * 7;
                    let (day, h, mi) = (d - 1 + min / 1440, (min / 60) % 24, min % 60);
                    if day > 28 {
                        continue;
                    }
                    texts.push(format!("2027-{m:02}-{day:02} {h:02}:{mi:02}:{:02}", k % 60));
                    texts.push(format!("2027-{m:02}-{day:02} {h:02}:{mi:02}"));
                }
            }
            for _ in 0..3_000 {
                let (y, mo, d) = (rng.i32(1900..2100), rng.u8(0..14), rng.u8(0..33));
                let (h, mi, s) = (rng.u8(0..25), rng.u8(0..61), rng.u8(0..62));
                texts.push(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"));
                texts.push(format!("{y:04}-{mo:02}-{d:02}t{h:02}:{mi:02}:{s:02}z"));
                texts.push(format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"));
                texts.push(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}"));
                let (oh, om) = (rng.u8(0..26), rng.u8(0..61));
                texts.push(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+{oh:02}:{om:02}"));
                texts.push(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}-{oh:02}:{om:02}"));
            }
            for t in [
                "2027-02-01T14:30:00.5Z",
                "2027-02-01T14:30:00+0500",
                "2027-02-01T14:30:00-05",
                " 2027-02-01 09:30 ",
                "2027-02-01",
                "2027-02-01T",
                "20270201T093000Z",
                "2027-02-29 10:00",
                "2028-02-29 10:00",
                "2027-02-01T09:30:00-05:00[America/New_York]",
                "2027-02-01T09:30:00\u{2212}05:00",
                "yesterday at noon, ok",
                "",
            ] {
                texts.push(t.to_owned());
            }
            for t in &texts {
                assert_eq!(times.parse(t), parse_created_at(t, &tz), "{zone}: {t:?}");
            }
            // Local date and hour of instants around the same changes.
            let base = TimeZone::UTC
                .to_timestamp(jiff::civil::date(2027, 3, 13).to_datetime(Time::midnight()))
                .unwrap()
                .as_second();
            for k in 0..(300 * 24 * 4) {
                let t = base + k * 900 + rng.i64(0..900);
                let dt = tz.to_datetime(jiff::Timestamp::from_second(t).unwrap());
                assert_eq!(times.local(t), (dt.date(), dt.hour()), "{zone}: {t}");
            }
        }
    }
}
