//! Spreadsheet formula injection: every cell handoff writes to a CSV goes through [`neutralise`],
//! and every cell of a lead export is read through [`restore`], its exact inverse.
//!
//! A cell a spreadsheet would take as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return, as OWASP lists them) gets a `'` in front, which spreadsheets read as "this
//! is text". Rep names, rule ids, reasons and lead values come from a brief or an export that
//! someone else wrote; `=cmd|' /C calc'!A0` in a rep name must not run when a manager opens the
//! `--assignments` file.
//!
//! Two decisions, both in the README: a plain decimal number (`-12`, `-0.5`) is left as it is,
//! since it cannot call anything and a prefix would make it text in a sum; and cells are quoted
//! as RFC 4180 needs (any delimiter, quote or line break), not always, because a cell can only
//! start a new, unneutralised cell through one of those, and quoting every cell would change
//! every byte of existing CSVs for nothing.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as a spreadsheet will show it as text: prefixed with `'` when it starts with a
/// formula character, unless it is a plain decimal number.
#[must_use]
pub(crate) fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) && !plain_number(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// The inverse of [`neutralise`] on a cell read back: a `'` followed by a formula character is
/// dropped, so synthetic leads route exactly as the brief's values they came from.
#[must_use]
pub(crate) fn restore(cell: &[u8]) -> &[u8] {
    match cell {
        [b'\'', b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r', ..] => &cell[1..],
        _ => cell,
    }
}

/// `-`, digits, optionally `.` and digits: a number, not a formula.
fn plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        // The OWASP "CSV Injection" page's examples and the issue's.
        for (cell, safe) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+SUM(1,2)", "'+SUM(1,2)"),
            ("@HYPERLINK(\"http://x.example\",\"x\")", "'@HYPERLINK(\"http://x.example\",\"x\")"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-1e5", "'-1e5"),
            ("-.5", "'-.5"),
        ] {
            assert_eq!(neutralise(cell), safe, "{cell}");
            assert_eq!(restore(safe.as_bytes()), cell.as_bytes(), "{cell}");
        }
        for cell in ["Dana Ortiz", "-12", "-0.5", "42", "", "a=b", "'quoted already", "x-1"] {
            assert_eq!(neutralise(cell), cell);
            assert_eq!(restore(cell.as_bytes()), cell.as_bytes());
        }
    }
}
