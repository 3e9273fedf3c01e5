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

/// Why a duration was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError {
    /// The text as given.
    pub input: String,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a duration: expected whole days, hours and minutes in that order, such as `15m`, `2h`, `1d` or `1h30m`",
            self.input
        )
    }
}

impl std::error::Error for DurationError {}

impl Duration {
    /// Parse `15m`, `2h`, `1d`, `1h30m`, `1d4h`; reject anything else, and zero.
    ///
    /// # Errors
    /// [`DurationError`] when the text is not of that shape or is zero.
    pub fn parse(input: &str) -> Result<Self, DurationError> {
        let err = || DurationError { input: input.to_owned() };
        // The narrow shape first: digits followed by a unit, units among d, h, m.
        let bytes = input.as_bytes();
        if bytes.is_empty() || !bytes[0].is_ascii_digit() || !matches!(bytes[bytes.len() - 1], b'd' | b'h' | b'm') {
            return Err(err());
        }
        if !bytes.iter().all(|b| b.is_ascii_digit() || matches!(b, b'd' | b'h' | b'm')) {
            return Err(err());
        }
        // jiff checks the order of units, that none repeats, and that numbers fit.
        let span: Span = PARSER.parse_span(input).map_err(|_| err())?;
        let days = u32::try_from(span.get_days()).map_err(|_| err())?;
        let hours = u32::try_from(span.get_hours()).map_err(|_| err())?;
        let minutes = u32::try_from(span.get_minutes()).map_err(|_| err())?;
        if span.get_years() != 0 || span.get_months() != 0 || span.get_weeks() != 0 || span.get_seconds() != 0 {
            return Err(err());
        }
        let parsed = Self { days, hours, minutes };
        if parsed.is_zero() || days > 3650 || hours > 100_000 || minutes > 10_000_000 {
            return Err(err());
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
}
