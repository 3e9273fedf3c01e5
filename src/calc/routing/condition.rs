//! Routing conditions: the brief's condition strings parsed once into typed predicates.
//!
//! A brief writes conditions the way a RevOps lead says them (`">=1000"`, `"1000..4999"`,
//! `"~acme"`, `present`, `[us-east, canada]`). Parsing them once, up front, means a typo is
//! reported at load time with a plain message instead of silently never matching, and routing a
//! million leads compares numbers and strings without re-reading the syntax.
//!
//! Lead values are text (a CSV cell, a YAML scalar); numeric predicates parse the value as a
//! number and do not match when it is not one. Empty or whitespace-only values count as absent.

use std::fmt;

use crate::brief::{Condition, ConditionValue};

/// A numeric comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `<`
    Lt,
}

impl CmpOp {
    /// The operator as written.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Ge => ">=",
            Self::Gt => ">",
            Self::Le => "<=",
            Self::Lt => "<",
        }
    }
}

/// A literal a lead value is compared with for equality.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    /// The text as written (trimmed), for display.
    pub text: String,
    /// The text lower-cased, for case-insensitive comparison.
    pub folded: String,
    /// The value as a number, when it reads as one; numbers compare numerically (`1e3` = `1000`).
    pub number: Option<f64>,
}

impl Literal {
    /// Build a literal from text.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let text = text.trim();
        Self { text: text.to_owned(), folded: text.to_lowercase(), number: parse_number(text) }
    }

    /// Build a literal from a number.
    #[must_use]
    pub fn from_number(n: f64) -> Self {
        let text = format_number(n);
        Self { folded: text.clone(), text, number: Some(n) }
    }

    /// True when the lead value equals this literal: numerically when both are numbers,
    /// otherwise as text ignoring case.
    #[must_use]
    pub fn matches(&self, value: &str) -> bool {
        if let Some(n) = self.number
            && let Some(v) = parse_lead_number(value)
        {
            return v == n;
        }
        eq_ignore_case(value, &self.folded)
    }
}

/// A parsed condition on one lead field.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    /// The field has a non-empty value.
    Present,
    /// The field is missing or empty.
    Absent,
    /// A numeric comparison with a constant.
    Compare(CmpOp, f64),
    /// An inclusive numeric range `lo..hi`.
    Range(f64, f64),
    /// Case-insensitive substring (`~acme`); holds the lower-cased needle.
    Contains(String),
    /// Equals one of the literals (one literal for a plain value).
    OneOf(Vec<Literal>),
}

/// Why a condition was rejected: a plain message naming what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError(pub String);

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConditionError {}

impl Predicate {
    /// Parse a condition as the brief wrote it.
    ///
    /// # Errors
    /// [`ConditionError`] with a plain message when the text is not a valid condition: a
    /// comparison or range whose bounds are not numbers, a range whose low end is above its high
    /// end, an empty value, an empty `~` or `=`, or an empty list.
    pub fn parse(condition: &Condition) -> Result<Self, ConditionError> {
        match condition {
            Condition::Number(n) => finite(*n, &format_number(*n)).map(|n| Self::OneOf(vec![Literal::from_number(n)])),
            Condition::Bool(b) => Ok(Self::OneOf(vec![Literal::new(if *b { "true" } else { "false" })])),
            Condition::Text(text) => Self::parse_text(text),
            Condition::OneOf(values) => {
                if values.is_empty() {
                    return Err(ConditionError("an empty list matches nothing; list at least one value".to_owned()));
                }
                let mut literals = Vec::with_capacity(values.len());
                for value in values {
                    literals.push(match value {
                        ConditionValue::Number(n) => Literal::from_number(finite(*n, &format_number(*n))?),
                        ConditionValue::Text(t) if t.trim().is_empty() => {
                            return Err(ConditionError(
                                "an empty value in a list matches nothing; use `absent` for a missing field".to_owned(),
                            ));
                        }
                        ConditionValue::Text(t) => Literal::new(t),
                    });
                }
                Ok(Self::OneOf(literals))
            }
        }
    }

    fn parse_text(raw: &str) -> Result<Self, ConditionError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(ConditionError(
                "an empty condition matches nothing; use `absent` for a missing field".to_owned(),
            ));
        }
        match text {
            "present" => return Ok(Self::Present),
            "absent" => return Ok(Self::Absent),
            _ => {}
        }
        for (prefix, op) in [(">=", CmpOp::Ge), ("<=", CmpOp::Le), (">", CmpOp::Gt), ("<", CmpOp::Lt)] {
            if let Some(rest) = text.strip_prefix(prefix) {
                let n = parse_number(rest).ok_or_else(|| {
                    ConditionError(format!("`{text}` is not a number comparison; expected e.g. `{}1000`", op.symbol()))
                })?;
                return Ok(Self::Compare(op, n));
            }
        }
        if let Some(rest) = text.strip_prefix('~') {
            let needle = rest.trim();
            if needle.is_empty() {
                return Err(ConditionError(format!("`{text}` has nothing to match; expected e.g. `~acme`")));
            }
            return Ok(Self::Contains(needle.to_lowercase()));
        }
        // `=>250000` and `=<50` are comparisons written back to front (issue 12: reported as
        // "`>250000` is not a number", quoting what the user never wrote).
        for (wrong, right) in [("=>", ">="), ("=<", "<=")] {
            if let Some(rest) = text.strip_prefix(wrong)
                && parse_number(rest).is_some()
            {
                return Err(ConditionError(format!(
                    "`{text}` is not a condition; did you mean `{right}{}`?",
                    rest.trim()
                )));
            }
        }
        if let Some(rest) = text.strip_prefix('=') {
            if rest.trim().is_empty() {
                return Err(ConditionError(format!("`{text}` has no value; expected e.g. `=acme`")));
            }
            return Ok(Self::OneOf(vec![Literal::new(rest)]));
        }
        if let Some((lo, hi)) = text.split_once("..") {
            let bad = || ConditionError(format!("`{text}` is not a number range; expected e.g. `1000..4999`"));
            let lo = parse_number(lo).ok_or_else(bad)?;
            let hi = parse_number(hi).ok_or_else(bad)?;
            if lo > hi {
                return Err(ConditionError(format!(
                    "`{text}` is an empty range: its low end is above its high end; expected e.g. `1000..4999`"
                )));
            }
            return Ok(Self::Range(lo, hi));
        }
        Ok(Self::OneOf(vec![Literal::new(text)]))
    }

    /// True when the lead's value (None when the field is missing) satisfies the predicate.
    #[must_use]
    pub fn matches(&self, value: Option<&str>) -> bool {
        let value = value.map(trim).filter(|v| !v.is_empty());
        match (self, value) {
            (Self::Present, v) => v.is_some(),
            (Self::Absent, v) => v.is_none(),
            (_, None) => false,
            (Self::Compare(op, c), Some(v)) => parse_lead_number(v).is_some_and(|n| compare(*op, n, *c)),
            (Self::Range(lo, hi), Some(v)) => parse_lead_number(v).is_some_and(|n| *lo <= n && n <= *hi),
            (Self::Contains(needle), Some(v)) => contains_ignore_case(v, needle),
            (Self::OneOf(literals), Some(v)) => literals.iter().any(|l| l.matches(v)),
        }
    }

    /// True when the predicate only makes sense on numbers.
    #[must_use]
    pub fn is_numeric(&self) -> bool {
        matches!(self, Self::Compare(..) | Self::Range(..))
    }

    /// The numbers the predicate compares against (thresholds, range ends, listed numbers).
    #[must_use]
    pub fn thresholds(&self) -> Vec<f64> {
        match self {
            Self::Compare(_, n) => vec![*n],
            Self::Range(a, b) => vec![*a, *b],
            Self::OneOf(literals) => literals.iter().filter_map(|l| l.number).collect(),
            _ => Vec::new(),
        }
    }

    /// The predicate written back in the brief's syntax (for the routing matrix).
    #[must_use]
    pub fn display(&self) -> String {
        match self {
            Self::Present => "present".to_owned(),
            Self::Absent => "absent".to_owned(),
            Self::Compare(op, n) => format!("{}{}", op.symbol(), format_number(*n)),
            Self::Range(lo, hi) => format!("{}..{}", format_number(*lo), format_number(*hi)),
            Self::Contains(needle) => format!("~{needle}"),
            Self::OneOf(literals) if literals.len() == 1 => literals[0].text.clone(),
            Self::OneOf(literals) => {
                let parts: Vec<&str> = literals.iter().map(|l| l.text.as_str()).collect();
                format!("one of {}", parts.join(", "))
            }
        }
    }
}

fn compare(op: CmpOp, n: f64, c: f64) -> bool {
    match op {
        CmpOp::Ge => n >= c,
        CmpOp::Gt => n > c,
        CmpOp::Le => n <= c,
        CmpOp::Lt => n < c,
    }
}

/// [`str::trim`], deciding the usual case (no white space at either end) from the two end bytes:
/// a byte below 0x80 is a whole ASCII character, and the only ASCII white space `str::trim` drops
/// is `\t`, `\n`, vertical tab, form feed, `\r` and the space. A lead value is trimmed on every
/// comparison, so this is on the routing loop's path several times a row.
#[inline]
#[must_use]
pub(crate) fn trim(text: &str) -> &str {
    const fn solid(b: u8) -> bool {
        b < 0x80 && !matches!(b, b'\t'..=b'\r' | b' ')
    }
    match text.as_bytes() {
        [first, .., last] if solid(*first) && solid(*last) => text,
        [only] if solid(*only) => text,
        _ => text.trim(),
    }
}

fn finite(n: f64, text: &str) -> Result<f64, ConditionError> {
    if n.is_finite() { Ok(n) } else { Err(ConditionError(format!("`{text}` is not a finite number"))) }
}

/// Parse a lead value or a bound as a finite number (`1200`, `1.5`, `-3`, `1e3`); thousands
/// separators and words such as `inf` or `nan` are not numbers.
#[must_use]
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let t = trim(text);
    // Up to 15 digits is an integer below 2^53, which `f64` holds exactly: the value
    // `str::parse` would round to.
    if (1..=15).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        return Some(t.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64);
    }
    // `str::parse::<f64>` accepts `inf`, `nan` and `infinity`; a lead field saying so is text.
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')) {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Parse a lead's value as a number: what [`parse_number`] reads, or a number written with `,`
/// thousands separators as CRM exports and spreadsheets do (`4,621`, `-1,234,567.5`): one to
/// three digits, then groups of exactly three after each `,`, then an optional `.` fraction.
/// Anything else with a `,` (`4,62`, `1,2345`, a decimal comma) and spaces inside a number
/// (`4 621`) are not numbers: a space-grouped figure usually comes with a decimal comma
/// (`4 621,5`), which cannot be told from a list.
#[must_use]
pub(crate) fn parse_lead_number(text: &str) -> Option<f64> {
    if let Some(n) = parse_number(text) {
        return Some(n);
    }
    let t = trim(text);
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'-' | b'+') => t.split_at(1),
        _ => ("", t),
    };
    let (whole, fraction) = rest.split_once('.').unwrap_or((rest, ""));
    let mut groups = whole.split(',');
    let lead = groups.next()?;
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let grouped = (1..=3).contains(&lead.len()) && digits(lead) && whole.contains(',');
    let mut plain = String::with_capacity(t.len());
    plain.push_str(sign);
    plain.push_str(lead);
    for g in groups {
        if g.len() != 3 || !digits(g) || !grouped {
            return None;
        }
        plain.push_str(g);
    }
    if !grouped || (rest.contains('.') && (fraction.is_empty() || !digits(fraction))) {
        return None;
    }
    if !fraction.is_empty() {
        plain.push('.');
        plain.push_str(fraction);
    }
    parse_number(&plain)
}

/// Format a number without a trailing `.0` when it is whole.
#[must_use]
pub(crate) fn format_number(n: f64) -> String {
    // Rust's `Display` for `f64` already writes whole numbers without a fraction, at any size.
    n.to_string()
}

/// Case-insensitive equality of a lead value with an already lower-cased literal.
fn eq_ignore_case(value: &str, folded: &str) -> bool {
    let value = value.trim();
    if value.is_ascii() && folded.is_ascii() {
        value.eq_ignore_ascii_case(folded)
    } else {
        value.to_lowercase() == folded
    }
}

/// Case-insensitive substring search with an already lower-cased needle.
fn contains_ignore_case(value: &str, needle: &str) -> bool {
    if value.is_ascii() && needle.is_ascii() {
        let (hay, pin) = (value.as_bytes(), needle.as_bytes());
        if pin.len() > hay.len() {
            return false;
        }
        hay.windows(pin.len()).any(|w| w.eq_ignore_ascii_case(pin))
    } else {
        value.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Result<Predicate, ConditionError> {
        Predicate::parse(&Condition::Text(s.to_owned()))
    }

    fn ok(s: &str) -> Predicate {
        text(s).unwrap()
    }

    /// The two-byte shortcut trims what `str::trim` (Unicode `White_Space`) trims: every
    /// character below U+0100 and the wider white space at either end, alone, doubled, around a
    /// word and inside one (kept).
    #[test]
    fn trim_is_str_trim() {
        let mut ends: Vec<String> = (0u32..0x100).filter_map(char::from_u32).map(String::from).collect();
        ends.extend(
            ["\u{1680}", "\u{2000}", "\u{200b}", "\u{2028}", "\u{3000}", "\u{feff}", "é", ""].map(String::from),
        );
        let mut checked = 0;
        for a in &ends {
            for b in &ends {
                for mid in ["", "x", "a b", "\u{a0}", "é"] {
                    let s = format!("{a}{mid}{b}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 60_000);
    }

    /// The integer shortcut gives what `str::parse::<f64>` gives, up to 15 digits and past them.
    #[test]
    fn integers_parse_as_str_parse_does() {
        for t in ["0", "7", "007", "1000", "999999999999999", "9007199254740993", "12345678901234567890", " 42 "] {
            assert_eq!(parse_number(t), t.trim().parse::<f64>().ok(), "{t}");
        }
        assert_eq!(parse_number("999999999999999"), Some(999_999_999_999_999.0));
    }

    /// What the routing matrix and the coverage analysis read off a predicate.
    #[test]
    fn kinds_thresholds_and_display() {
        for (t, numeric, thresholds, shown) in [
            (">=1000", true, vec![1000.0], ">=1000"),
            ("<2.5", true, vec![2.5], "<2.5"),
            ("5..5", true, vec![5.0, 5.0], "5..5"),
            ("1000..4999", true, vec![1000.0, 4999.0], "1000..4999"),
            ("~Acme", false, vec![], "~acme"),
            ("present", false, vec![], "present"),
            ("absent", false, vec![], "absent"),
            ("us-east", false, vec![], "us-east"),
            ("=77", false, vec![77.0], "77"),
        ] {
            let p = ok(t);
            assert_eq!((p.is_numeric(), p.thresholds(), p.display()), (numeric, thresholds, shown.to_owned()), "{t}");
        }
        let list = Predicate::parse(&Condition::OneOf(vec![
            ConditionValue::Number(5.0),
            ConditionValue::Text("x".to_owned()),
            ConditionValue::Number(1e20),
        ]))
        .unwrap();
        assert!(!list.is_numeric());
        assert_eq!(list.thresholds(), [5.0, 1e20]);
        assert_eq!(list.display(), "one of 5, x, 100000000000000000000");
    }

    /// Each refusal says what was written and what was expected.
    #[test]
    fn refusals_say_what_was_written() {
        let msg = |c: Condition| Predicate::parse(&c).unwrap_err().to_string();
        assert_eq!(
            msg(Condition::Text("  ".to_owned())),
            "an empty condition matches nothing; use `absent` for a missing field"
        );
        assert_eq!(
            msg(Condition::OneOf(vec![ConditionValue::Text("a".to_owned()), ConditionValue::Text(" ".to_owned())])),
            "an empty value in a list matches nothing; use `absent` for a missing field"
        );
        assert_eq!(msg(Condition::OneOf(vec![])), "an empty list matches nothing; list at least one value");
        assert_eq!(
            msg(Condition::Text("6..5".to_owned())),
            "`6..5` is an empty range: its low end is above its high end; expected e.g. `1000..4999`"
        );
    }

    /// Thousands separators are read in groups of exactly three after one to three digits.
    #[test]
    fn lead_numbers_with_thousands_separators() {
        for (t, want) in [
            ("4,621", Some(4621.0)),
            ("-1,234,567.5", Some(-1_234_567.5)),
            ("+12,345", Some(12345.0)),
            ("4,62", None),
            ("1,2345", None),
            ("12,345,67", None),
            ("1234,567", None),
            ("4 621", None),
            ("1,234.", None),
            ("1,234.5x", None),
            // A group of three that is not three digits is not one, even where the digits
            // around it would parse (`12e3`).
            ("1,2e3", None),
            ("1,234e3", None),
            ("inf", None),
            ("1e3", Some(1000.0)),
        ] {
            assert_eq!(parse_lead_number(t), want, "{t}");
        }
    }

    /// Whole numbers print without `.0`, at any size; others as Rust prints them.
    #[test]
    fn numbers_print_as_written() {
        for (n, t) in
            [(1000.0, "1000"), (-3.0, "-3"), (1.5, "1.5"), (1e15, "1000000000000000"), (1e20, "100000000000000000000")]
        {
            assert_eq!(format_number(n), t);
        }
    }

    /// Case is ignored beyond ASCII: the Kelvin sign lowercases to an ASCII `k`, so it must go
    /// the Unicode way even against an ASCII literal; a needle as long as the value can match.
    #[test]
    fn case_is_ignored_beyond_ascii() {
        assert!(ok("kelvin").matches(Some("\u{212A}elvin")));
        assert!(ok("école").matches(Some("École")));
        assert!(!ok("école").matches(Some("Ecole")));
        assert!(ok("~kelvin").matches(Some("\u{212A}ELVIN")));
        assert!(ok("~acme").matches(Some("ACME")));
        assert!(!ok("~acmes").matches(Some("acme")));
        assert!(ok("~éco").matches(Some("L'École")));
    }

    #[test]
    fn present_and_absent() {
        let p = ok("present");
        assert!(p.matches(Some("Lee Park")));
        assert!(!p.matches(Some("   ")));
        assert!(!p.matches(None));
        let a = ok("absent");
        assert!(a.matches(None));
        assert!(a.matches(Some("")));
        assert!(!a.matches(Some("x")));
    }

    #[test]
    fn comparisons() {
        let ge = ok(">=1000");
        assert_eq!(ge, Predicate::Compare(CmpOp::Ge, 1000.0));
        assert!(ge.matches(Some("1000")));
        assert!(ge.matches(Some(" 1200 ")));
        assert!(!ge.matches(Some("999")));
        assert!(!ge.matches(Some("lots")));
        assert!(!ge.matches(None));
        assert!(ok(">1000").matches(Some("1000.5")));
        assert!(!ok(">1000").matches(Some("1000")));
        assert!(ok("<50").matches(Some("49")));
        assert!(!ok("<50").matches(Some("50")));
        assert!(ok("<=50").matches(Some("50")));
        assert!(!ok("<=50").matches(Some("50.01")));
        assert!(ok(">= 10").matches(Some("10")));
        assert!(!ok(">=0").matches(Some("nan")));
    }

    #[test]
    fn ranges_are_inclusive() {
        let r = ok("1000..4999");
        assert_eq!(r, Predicate::Range(1000.0, 4999.0));
        assert!(r.matches(Some("1000")));
        assert!(r.matches(Some("4999")));
        assert!(!r.matches(Some("999")));
        assert!(!r.matches(Some("5000")));
        assert!(!r.matches(Some("x")));
    }

    #[test]
    fn contains_ignores_case() {
        let c = ok("~acme");
        assert!(c.matches(Some("ACME Corp")));
        assert!(c.matches(Some("The Acme")));
        assert!(!c.matches(Some("acm")));
        assert!(!c.matches(None));
        assert!(ok("~ÉCOLE").matches(Some("grande école")));
    }

    #[test]
    fn equals_ignores_case_and_compares_numbers() {
        let e = ok("us-east");
        assert!(e.matches(Some("US-East")));
        assert!(!e.matches(Some("us-east-2")));
        assert!(ok("=Canada").matches(Some("canada")));
        let n = Predicate::parse(&Condition::Number(1000.0)).unwrap();
        assert!(n.matches(Some("1000")));
        assert!(n.matches(Some("1e3")));
        assert!(!n.matches(Some("1001")));
        let b = Predicate::parse(&Condition::Bool(true)).unwrap();
        assert!(b.matches(Some("TRUE")));
        assert!(!b.matches(Some("false")));
    }

    #[test]
    fn one_of_lists() {
        let l = Predicate::parse(&Condition::OneOf(vec![
            ConditionValue::Text("us-east".to_owned()),
            ConditionValue::Text("Canada".to_owned()),
            ConditionValue::Number(7.0),
        ]))
        .unwrap();
        assert!(l.matches(Some("CANADA")));
        assert!(l.matches(Some("us-east")));
        assert!(l.matches(Some("7.0")));
        assert!(!l.matches(Some("us-west")));
        assert!(!l.matches(None));
    }

    #[test]
    fn errors_are_plain() {
        assert_eq!(text(">=abc").unwrap_err().0, "`>=abc` is not a number comparison; expected e.g. `>=1000`");
        assert_eq!(text("<").unwrap_err().0, "`<` is not a number comparison; expected e.g. `<1000`");
        assert_eq!(text("1000..x").unwrap_err().0, "`1000..x` is not a number range; expected e.g. `1000..4999`");
        assert!(text("5000..1000").unwrap_err().0.contains("empty range"));
        // Issue 12: quote what the user wrote, and suggest the operator they meant.
        assert_eq!(text("=>250000").unwrap_err().0, "`=>250000` is not a condition; did you mean `>=250000`?");
        assert_eq!(text(" =< 50 ").unwrap_err().0, "`=< 50` is not a condition; did you mean `<=50`?");
        assert!(text("~").is_err());
        assert!(text("=").is_err());
        assert!(text("  ").is_err());
        assert!(text(">=inf").is_err());
        assert!(Predicate::parse(&Condition::OneOf(vec![])).is_err());
        assert!(Predicate::parse(&Condition::Number(f64::NAN)).is_err());
    }

    /// Issue 12 item 4: `"4,621"` in `employees` failed `>=1000`. Each value below is read by
    /// hand; a malformed grouping stays text.
    #[test]
    fn lead_numbers_may_have_thousands_separators() {
        for (text, n) in [
            ("4,621", 4621.0),
            (" 1,234,567.25 ", 1_234_567.25),
            ("-12,000", -12_000.0),
            ("+1,000", 1000.0),
            ("999", 999.0),
            ("1e3", 1000.0),
        ] {
            assert_eq!(parse_lead_number(text), Some(n), "{text}");
        }
        for text in [
            "5000+",
            "4,62",
            "1,2345",
            "12,34,567",
            ",123",
            "1,",
            "1,000.",
            "1,000.5e3",
            "4 621",
            "4,621,5",
            "1.000,5",
            "abc",
            "",
        ] {
            assert_eq!(parse_lead_number(text), None, "{text}");
        }
        assert!(ok(">=1000").matches(Some("4,621")));
        assert!(ok("1000..4999").matches(Some("4,621")));
        assert!(!ok(">=1000").matches(Some("5000+")));
        assert!(Predicate::parse(&Condition::Number(4621.0)).unwrap().matches(Some("4,621")));
        // Bounds in the brief are not lead values: `>=1,000` is still refused there.
        assert!(text(">=1,000").is_err());
    }

    #[test]
    fn display_round_trips() {
        for s in ["present", "absent", ">=1000", "<50", "1000..4999", "~acme", "us-east"] {
            assert_eq!(ok(s).display(), s);
            assert_eq!(ok(&ok(s).display()), ok(s));
        }
    }
}
