//! Durations as briefs write them: `15m`, `2h`, `1d`, `1h30m`.
//!
//! The grammar is deliberately narrow (days, hours, minutes, in that order, whole numbers) so
//! that an SLA reads the same to everyone; jiff's friendly-format parser does the parsing once
//! the narrow shape is confirmed. A day means 24 hours on the calendar clock and one business
//! day (the length of the open hours) on the business clock, the way a team says "within one
//! business day".

use std::fmt;

use jiff::Span;
use jiff::fmt::friendly::SpanParser;

static PARSER: SpanParser = SpanParser::new();

/// A parsed duration: whole days, hours and minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    /// Whole days.
    pub days: u32,
    /// Whole hours.
    pub hours: u32,
    /// Whole minutes.
    pub minutes: u32,
}

/// Why a duration was rejected: the text and the reason, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError {
    /// The text as given.
    pub input: String,
    /// What is wrong with it.
    pub kind: DurationErrorKind,
}

/// What is wrong with a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationErrorKind {
    /// Nothing was written.
    Empty,
    /// Something other than digits and the units `d`, `h` and `m` (`2 hours`, `1.5h`, `PT2H`).
    BadShape,
    /// Digits and units, but not whole days, hours and minutes in that order, each once
    /// (`1m1h`, `1h1h`, `m`, `h1`).
    BadOrder,
    /// Every part is zero (`0m`, `0d`).
    Zero,
    /// Longer than ten years (3,650 days, 100,000 hours or 10,000,000 minutes in one part).
    TooLong,
}

impl DurationError {
    /// A text that is not of the duration's shape at all (what the schema's pattern rejects).
    #[must_use]
    pub fn bad_shape(input: impl Into<String>) -> Self {
        Self { input: input.into(), kind: DurationErrorKind::BadShape }
    }
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            DurationErrorKind::Empty | DurationErrorKind::BadShape | DurationErrorKind::BadOrder => write!(
                f,
                "`{}` is not a duration: expected whole days, hours and minutes in that order, such as `15m`, `2h`, `1d` or `1h30m`",
                self.input
            ),
            DurationErrorKind::Zero | DurationErrorKind::TooLong => {
                write!(f, "`{}` is not a usable duration: it must be more than zero and at most ten years", self.input)
            }
        }
    }
}

impl std::error::Error for DurationError {}

impl Duration {
    /// Parse `15m`, `2h`, `1d`, `1h30m`, `1d4h`; reject anything else, and zero.
    ///
    /// # Errors
    /// [`DurationError`] when the text is not of that shape or is zero.
    pub fn parse(input: &str) -> Result<Self, DurationError> {
        let err = |kind| DurationError { input: input.to_owned(), kind };
        let bytes = input.as_bytes();
        if bytes.is_empty() {
            return Err(err(DurationErrorKind::Empty));
        }
        if !bytes.iter().all(|b| b.is_ascii_digit() || matches!(b, b'd' | b'h' | b'm')) {
            return Err(err(DurationErrorKind::BadShape));
        }
        // The narrow shape: digits first, a unit last.
        if !bytes[0].is_ascii_digit() || !matches!(bytes[bytes.len() - 1], b'd' | b'h' | b'm') {
            return Err(err(DurationErrorKind::BadOrder));
        }
        // jiff checks the order of units and that none repeats; a number too big for it is
        // too long for us.
        let span: Span = PARSER.parse_span(input).map_err(|_| {
            let units: Vec<u8> = bytes.iter().copied().filter(|b| !b.is_ascii_digit()).collect();
            let rank = |u: u8| match u {
                b'd' => 0,
                b'h' => 1,
                _ => 2,
            };
            let in_order = units.windows(2).all(|w| rank(w[0]) < rank(w[1]));
            err(if in_order { DurationErrorKind::TooLong } else { DurationErrorKind::BadOrder })
        })?;
        let part = |v: i64| u32::try_from(v).map_err(|_| err(DurationErrorKind::TooLong));
        let (days, hours, minutes) =
            (part(span.get_days().into())?, part(span.get_hours().into())?, part(span.get_minutes())?);
        if span.get_years() != 0 || span.get_months() != 0 || span.get_weeks() != 0 || span.get_seconds() != 0 {
            return Err(err(DurationErrorKind::BadShape));
        }
        let parsed = Self { days, hours, minutes };
        if parsed.is_zero() {
            return Err(err(DurationErrorKind::Zero));
        }
        if days > 3650 || hours > 100_000 || minutes > 10_000_000 {
            return Err(err(DurationErrorKind::TooLong));
        }
        Ok(parsed)
    }

    /// True when every part is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.days == 0 && self.hours == 0 && self.minutes == 0
    }

    /// Length in minutes with a day of 24 hours (the calendar clock).
    #[must_use]
    pub fn calendar_minutes(&self) -> f64 {
        self.in_minutes(24.0 * 60.0)
    }

    /// Length in minutes with a day of `business_day_minutes` (the business clock).
    #[must_use]
    pub fn in_minutes(&self, day_minutes: f64) -> f64 {
        f64::from(self.days) * day_minutes + f64::from(self.hours) * 60.0 + f64::from(self.minutes)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.days > 0 {
            write!(f, "{}d", self.days)?;
        }
        if self.hours > 0 {
            write!(f, "{}h", self.hours)?;
        }
        if self.minutes > 0 {
            write!(f, "{}m", self.minutes)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Duration {
    type Err = DurationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_shapes() {
        assert_eq!(Duration::parse("15m").unwrap().calendar_minutes(), 15.0);
        assert_eq!(Duration::parse("2h").unwrap().calendar_minutes(), 120.0);
        assert_eq!(Duration::parse("1d").unwrap().calendar_minutes(), 1440.0);
        assert_eq!(Duration::parse("1h30m").unwrap().calendar_minutes(), 90.0);
        assert_eq!(Duration::parse("1d4h").unwrap().in_minutes(540.0), 780.0);
        assert_eq!(Duration::parse("90m").unwrap().to_string(), "90m");
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "0m",
            "15",
            "m",
            "1.5h",
            "2 h",
            "2hours",
            "1m1h",
            "1h1h",
            "PT2H",
            "-1h",
            "1w",
            "2s",
            "1mo",
            "h1",
            "99999999999999999999m",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn errors_carry_their_reason() {
        let kind = |s: &str| Duration::parse(s).map_err(|e| e.kind).err();
        assert_eq!(kind(""), Some(DurationErrorKind::Empty));
        for shape in ["2 hours", "1.5h", "PT2H", "-1h", "1w", "2s", "1mo"] {
            assert_eq!(kind(shape), Some(DurationErrorKind::BadShape), "{shape}");
        }
        for order in ["15", "m", "h1", "1m1h", "1h1h"] {
            assert_eq!(kind(order), Some(DurationErrorKind::BadOrder), "{order}");
        }
        assert_eq!(kind("0m"), Some(DurationErrorKind::Zero));
        assert_eq!(kind("0d0h"), Some(DurationErrorKind::Zero));
        assert_eq!(kind("3651d"), Some(DurationErrorKind::TooLong));
        assert_eq!(kind("99999999999999999999m"), Some(DurationErrorKind::TooLong));
        // The schema's pattern message and the parser's are the same words.
        assert_eq!(
            DurationError::bad_shape("2 hours").to_string(),
            Duration::parse("2 hours").unwrap_err().to_string()
        );
        assert_eq!(
            Duration::parse("0d").unwrap_err().to_string(),
            "`0d` is not a usable duration: it must be more than zero and at most ten years"
        );
    }

    #[test]
    fn the_ten_year_limits_are_inclusive_for_each_part() {
        // The limits as `DurationErrorKind::TooLong` states them: 3,650 days, 100,000 hours or
        // 10,000,000 minutes in one part; one more is too long, whatever the other parts hold.
        let kind = |s: &str| Duration::parse(s).map_err(|e| e.kind).err();
        for ok in ["3650d", "100000h", "10000000m", "3650d100000h10000000m"] {
            assert_eq!(kind(ok), None, "{ok}");
        }
        for long in ["3651d", "100001h", "10000001m", "1d100001h", "1h10000001m", "3651d1m"] {
            assert_eq!(kind(long), Some(DurationErrorKind::TooLong), "{long}");
        }
    }

    #[test]
    fn a_number_too_big_to_parse_is_too_long_when_its_units_are_in_order() {
        // Units in the order days, hours, minutes (the module's grammar) make a huge number a
        // duration that is too long; out of order, the order is what is wrong.
        let kind = |s: &str| Duration::parse(s).map_err(|e| e.kind).err();
        let huge = "99999999999999999999";
        for long in [format!("{huge}d1h"), format!("{huge}h1m"), format!("1d{huge}m"), format!("{huge}d1m")] {
            assert_eq!(kind(&long), Some(DurationErrorKind::TooLong), "{long}");
        }
        for order in [format!("{huge}h1d"), format!("{huge}m1h"), format!("1m{huge}d")] {
            assert_eq!(kind(&order), Some(DurationErrorKind::BadOrder), "{order}");
        }
    }

    #[test]
    fn display_writes_the_parts_that_are_not_zero() {
        // Written back the way a brief writes them: each non-zero part once, zero parts left out.
        for text in ["15m", "2h", "1d", "1h30m", "1d4h", "1d30m", "1d4h30m"] {
            assert_eq!(Duration::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Duration { days: 0, hours: 1, minutes: 0 }.to_string(), "1h");
        assert_eq!(Duration::parse("0d2h0m").unwrap().to_string(), "2h");
    }
}
