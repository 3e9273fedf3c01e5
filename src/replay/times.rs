//! Lead timestamps, fast: the two shapes CRM exports write — `YYYY-MM-DDTHH:MM:SSZ` (or with
//! a `±HH:MM` offset) and `YYYY-MM-DD HH:MM[:SS]` in the brief's zone — read by hand, and the
//! zone's offset kept for the whole stretch between two of its transitions (half a year between
//! DST changes), instead of a full temporal parse and a zone lookup per field. Anything else
//! goes to [`parse_created_at`], and every answer equals its answer (a property test below
//! checks this over the shapes and the DST changes). `route` reads `created_at` with it;
//! `monitor` reads `created_at` and `first_touch_at`, and a creation instant's local date and
//! hour (windows and busiest hours).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::leads::parse_created_at;

/// Instants before and after every zone transition (jiff's range is ±10,000 years).
const FAR: i64 = 1 << 40;

/// A transition this close to a span's own (3 days) keeps the span out of the cache: a civil
/// time near it could belong to a span beyond the neighbours checked.
const GUARD: i64 = 3 * 86_400;

/// A stretch of instants `[start, end)` over which the zone's offset is `off` (seconds east of
/// UTC), with the offsets just before (`off_prev`) and from `end` on (`off_next`).
#[derive(Debug, Clone, Copy)]
struct Span {
    start: i64,
    end: i64,
    off: i64,
    off_prev: i64,
    off_next: i64,
}

impl Span {
    /// The instant of civil time `local` (seconds since 1970-01-01 read as if UTC) when it lies
    /// in this span and in neither neighbour (so it is neither in a gap nor in a fold).
    fn civil(&self, local: i64) -> Option<i64> {
        let t = local - self.off;
        (self.start <= t && t < self.end && local - self.off_prev >= self.start && local - self.off_next < self.end)
            .then_some(t)
    }

    fn contains(&self, t: i64) -> bool {
        self.start <= t && t < self.end
    }
}

/// Timestamps of one zone, with the span of the last one read cached.
#[derive(Debug)]
pub(crate) struct Times<'a> {
    tz: &'a TimeZone,
    last: Option<Span>,
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

/// The civil date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
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
        let t = crate::calc::routing::trim(text);
        self.fast(t.as_bytes()).or_else(|| parse_created_at(t, self.tz))
    }

    fn fast(&mut self, b: &[u8]) -> Option<i64> {
        let (y, mo, d, h, mi, s, rest) = civil(b)?;
        let local = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
        match rest {
            [] if b.len() == 16 || b.len() == 19 => {
                if let Some(t) = self.last.and_then(|span| span.civil(local)) {
                    return Some(t);
                }
                // Outside the cached span: the zone decides, and its span is cached when the
                // answer is unambiguous (a gap or a fold goes to the full parser).
                let dt = jiff::civil::DateTime::new(
                    i16::try_from(y).ok()?,
                    i8::try_from(mo).ok()?,
                    i8::try_from(d).ok()?,
                    i8::try_from(h).ok()?,
                    i8::try_from(mi).ok()?,
                    i8::try_from(s).ok()?,
                    0,
                )
                .ok()?;
                let t = self.tz.to_ambiguous_timestamp(dt).unambiguous().ok()?.as_second();
                self.remember(t);
                Some(t)
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

    /// Cache the span of instant `t`, unless a transition lies within [`GUARD`] of one of its
    /// ends (then civil times near it are left to the zone every time).
    fn remember(&mut self, t: i64) {
        self.last = self.span_at(t).or(self.last);
    }

    fn span_at(&self, t: i64) -> Option<Span> {
        let tz = self.tz;
        let offset = |at: i64| Timestamp::from_second(at).ok().map(|ts| i64::from(tz.to_offset(ts).seconds()));
        let off = offset(t)?;
        // The transition at or before `t` (`preceding` is strictly before its argument).
        let (start, off_prev) = match tz.preceding(Timestamp::from_second(t + 1).ok()?).next() {
            None => (-FAR, off),
            Some(p) => {
                let start = p.timestamp().as_second();
                if tz.preceding(p.timestamp()).next().is_some_and(|q| start - q.timestamp().as_second() < GUARD) {
                    return None;
                }
                (start, offset(start - 1)?)
            }
        };
        let (end, off_next) = match tz.following(Timestamp::from_second(t).ok()?).next() {
            None => (FAR, off),
            Some(n) => {
                let end = n.timestamp().as_second();
                if tz.following(n.timestamp()).next().is_some_and(|q| q.timestamp().as_second() - end < GUARD) {
                    return None;
                }
                (end, i64::from(n.offset().seconds()))
            }
        };
        if start > -FAR && end - start < GUARD {
            return None;
        }
        Some(Span { start, end, off, off_prev, off_next })
    }

    /// The local date and hour of instant `t` (seconds) in the zone.
    pub(crate) fn local(&mut self, t: i64) -> (Date, i8) {
        if !self.last.is_some_and(|span| span.contains(t)) {
            self.remember(t);
        }
        if let Some(span) = self.last.filter(|span| span.contains(t)) {
            let local = t + span.off;
            let (y, m, d) = civil_from_days(local.div_euclid(86_400));
            let hour = local.rem_euclid(86_400) / 3600;
            if let (Ok(y), Ok(m), Ok(d), Ok(h)) =
                (i16::try_from(y), i8::try_from(m), i8::try_from(d), i8::try_from(hour))
                && let Ok(date) = Date::new(y, m, d)
            {
                return (date, h);
            }
        }
        let dt = self.tz.to_datetime(Timestamp::from_second(t).unwrap_or(Timestamp::MIN));
        (dt.date(), dt.hour())
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::Time;

    use super::*;

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        for days in (-800_000..3_000_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{days}: {y}-{m}-{d}");
        }
    }

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
        // Lord Howe moves by 30 minutes, Troll by two hours, Dublin's "summer" offset is its
        // standard one (negative DST), Apia skipped 30 December 2011.
        let zones = [
            "America/New_York",
            "Europe/London",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
            "UTC",
            "Antarctica/Troll",
            "Europe/Dublin",
            "Pacific/Apia",
        ];
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
            // As an export reads: a creation time and a first touch hours later, row after
            // row, and the local hour of the creation, across two years and their changes.
            let from = TimeZone::UTC
                .to_timestamp(jiff::civil::date(2010, 12, 1).to_datetime(Time::midnight()))
                .unwrap()
                .as_second();
            for k in 0..(2 * 366 * 24 * 60 / 37) {
                let created = from + k * 37 * 60 + rng.i64(0..60);
                let touched = created + rng.i64(0..6 * 3600);
                for t in [created, touched] {
                    let text =
                        tz.to_datetime(Timestamp::from_second(t).unwrap()).strftime("%Y-%m-%d %H:%M:%S").to_string();
                    assert_eq!(times.parse(&text), parse_created_at(&text, &tz), "{zone}: {text:?}");
                }
                let dt = tz.to_datetime(Timestamp::from_second(created).unwrap());
                assert_eq!(times.local(created), (dt.date(), dt.hour()), "{zone}: {created}");
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
