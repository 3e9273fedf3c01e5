//! Reading a lead export: the header and the columns the rules read, then every data row as a
//! lead or a malformed row with the line an editor shows for it.
//!
//! The reader streams (one reused record; memory does not grow with the file). A malformed row
//! (ragged, invalid UTF-8, an oversized field, an unreadable `created_at`) is handed over with its
//! reason so the replay can count it and go on; a column the rules read that the header lacks
//! stops the run before any row is read.

use std::io::{Read, Write};

use anyhow::{Context as _, bail};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::calc::routing::synth::Synthesizer;
use crate::calc::routing::{Router, trim};

use super::bounded::{Bounded, Cuts, MAX_FIELD_BYTES, MAX_ROW_BYTES, Starts};
use super::fields::FieldKinds;
pub(crate) use super::records::Record;
use super::records::{Fields, Records};

/// Parse `created_at`: RFC 3339 (with offset), or `YYYY-MM-DD HH:MM[:SS]` in `tz`.
#[must_use]
pub(crate) fn parse_created_at(text: &str, tz: &TimeZone) -> Option<i64> {
    let t = text.trim();
    // A timestamp needs an offset (`Z`, `+hh`, `-hh`, or a bracketed one) after its date: text
    // without any such character after the tenth byte cannot be one, so the civil time is
    // parsed directly instead of after a failed (error-building) timestamp parse.
    if might_have_offset(t)
        && let Ok(ts) = t.parse::<jiff::Timestamp>()
    {
        return Some(ts.as_second());
    }
    // A civil time needs at least `YYYY-MM-DD HH:MM`; a bare date is not an arrival time.
    if t.len() < 16 {
        return None;
    }
    let dt: DateTime = t.parse().ok()?;
    tz.to_ambiguous_timestamp(dt).compatible().ok().map(jiff::Timestamp::as_second)
}

/// Whether `t` could carry a UTC offset: any non-ASCII byte, or `Z`, `z`, `+`, `-` or `[`
/// after the first ten bytes (the date, whose own `-` do not count). `false` only for text
/// that `jiff::Timestamp` is certain to refuse.
fn might_have_offset(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_ascii() || b.len() <= 10 || b[10..].iter().any(|c| matches!(c, b'Z' | b'z' | b'+' | b'-' | b'['))
}

/// Write synthetic leads as a lead export: a header naming the columns, then one row per lead.
///
/// # Errors
/// Writing fails.
pub(crate) fn write_synthetic<W: Write>(synth: Synthesizer, w: &mut W) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    let mut write = |cells: &[String]| {
        let cells: Vec<_> = cells.iter().map(|c| super::cells::neutralise(c)).collect();
        csv.write_record(cells.iter().map(|c| c.as_bytes()))
    };
    write(synth.columns())?;
    for row in synth {
        write(&row)?;
    }
    csv.flush()?;
    Ok(())
}

/// Where the columns of a leads file are.
pub(super) struct Columns {
    /// The header.
    header: Header,
    /// Column of each field the rules read, in the router's field order (`None`: an optional
    /// field the header lacks, blank on every row).
    pub(super) fields: Vec<Option<usize>>,
    /// Column of `created_at`, when present.
    pub(super) created_at: Option<usize>,
    /// What is checked in each field (no field is checked until the replay sets it).
    pub(super) kinds: FieldKinds,
}

/// A CSV reader for a lead export: rows of any length (a ragged row is reported, not fatal),
/// the header read by [`read_header_row`], fields and rows bounded while they are read
/// ([`Bounded`]), then split into records ([`Records`]).
pub(crate) struct LeadsReader<R> {
    csv: Records<Bounded<R>>,
    cuts: Cuts,
    starts: Starts,
    /// Records whose start lines have been taken from `starts`.
    taken: u64,
}

/// A [`LeadsReader`] over `input`.
pub(crate) fn leads_reader<R: Read>(input: R) -> LeadsReader<R> {
    let (bounded, cuts, starts) = Bounded::new(input);
    LeadsReader { csv: Records::new(bounded), cuts, starts, taken: 0 }
}

/// The line an editor shows record `index` (0 is the header) starting on, from the bounding
/// reader's `starts` (of which `taken` have been dropped); earlier records' lines are dropped.
/// The bounding reader tells a line for every record it passes; 0 if it told none.
fn start_line(starts: &Starts, taken: &mut u64, index: u64) -> u64 {
    let mut starts = starts.borrow_mut();
    while *taken < index && starts.pop_front().is_some() {
        *taken += 1;
    }
    if *taken == index { starts.front().copied().unwrap_or(0) } else { 0 }
}

/// The cut made to record `index` (0 is the header), if any; earlier cuts are dropped.
fn cut_of(cuts: &Cuts, index: u64) -> Option<super::bounded::Cut> {
    let mut cuts = cuts.borrow_mut();
    while cuts.front().is_some_and(|c| c.record < index) {
        cuts.pop_front();
    }
    cuts.front().filter(|c| c.record == index).copied()
}

/// The header row of an export: its names, trimmed (a byte-order mark dropped).
pub(crate) struct Header {
    /// The header's names.
    pub(crate) names: Vec<String>,
}

impl Header {
    /// The column named `name`: an exact match, else one that differs only in ASCII case.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        let header = &self.names;
        header.iter().position(|h| h == name).or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)))
    }
}

/// Read the header row of an export; two columns of one name are refused.
///
/// # Errors
/// The file is empty, its first row cannot be read, or two columns share a name.
pub(crate) fn read_header_row<R: Read>(rdr: &mut LeadsReader<R>) -> anyhow::Result<Header> {
    let Some(rec) = rdr.csv.next_record().context("cannot read the header row")? else {
        bail!("the file is empty: expected a header row naming the lead fields");
    };
    let names: Vec<String> = rec
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = if i == 0 { f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f) } else { f };
            String::from_utf8_lossy(super::cells::restore(f)).trim().to_owned()
        })
        .collect();
    refuse_duplicates(&names)?;
    Ok(Header { names })
}

/// Read the header row and find the columns the rules read; a missing one is an error before
/// any row is routed, unless its field is optional (`kinds`): then every row has it blank.
pub(super) fn read_header<R: Read>(
    rdr: &mut LeadsReader<R>,
    router: &Router,
    kinds: FieldKinds,
) -> anyhow::Result<Columns> {
    let head = read_header_row(rdr)?;
    let columns: Vec<Option<usize>> = router.fields().iter().map(|f| head.find(f)).collect();
    let required = |i: usize| !kinds.optional.get(i).copied().unwrap_or(false);
    let missing: Vec<&str> = router
        .fields()
        .iter()
        .zip(&columns)
        .enumerate()
        .filter(|(i, (_, c))| c.is_none() && required(*i))
        .map(|(_, (f, _))| f.as_str())
        .collect();
    if !missing.is_empty() {
        let header = &head.names;
        bail!(
            "line 1: missing column{} {} that the routing rules read; the header has {} column{}: {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
            header.len(),
            if header.len() == 1 { "" } else { "s" },
            header_excerpt(header)
        );
    }
    let created_at = head.find("created_at");
    Ok(Columns { fields: columns, created_at, header: head, kinds })
}

/// Header names shown in an error, at most; longer names are cut at [`SHOWN_NAME_CHARS`].
const SHOWN_COLUMNS: usize = 20;
/// Characters of one header name shown in an error, at most.
const SHOWN_NAME_CHARS: usize = 40;

/// The first [`SHOWN_COLUMNS`] header names, each cut to [`SHOWN_NAME_CHARS`], and how many more.
pub(crate) fn header_excerpt(header: &[String]) -> String {
    let shown: Vec<String> = header.iter().take(SHOWN_COLUMNS).map(|h| format!("`{}`", shown_name(h))).collect();
    let more = header.len().saturating_sub(SHOWN_COLUMNS);
    if more == 0 { shown.join(", ") } else { format!("{} … and {more} more", shown.join(", ")) }
}

/// A header name cut to [`SHOWN_NAME_CHARS`] characters.
fn shown_name(name: &str) -> String {
    match name.char_indices().nth(SHOWN_NAME_CHARS) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_owned(),
    }
}

/// Two header columns of the same name (ignoring ASCII case, as columns are looked up) make it
/// ambiguous which one a rule reads: refuse the file, naming both (1-based, as a spreadsheet
/// counts). Empty names are not looked up and may repeat.
fn refuse_duplicates(header: &[String]) -> anyhow::Result<()> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, name) in header.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        if let Some(first) = seen.insert(name.to_ascii_lowercase(), i) {
            bail!(
                "line 1: columns {} `{}` and {} `{}` have the same name; each column needs its own (rename or drop one)",
                first + 1,
                shown_name(&header[first]),
                i + 1,
                shown_name(name)
            );
        }
    }
    Ok(())
}

/// One data row as [`for_each_row`] hands it over.
pub(super) enum Row<'a> {
    /// A well-formed lead: the fields the rules read (trimmed; `None` when empty, or when the
    /// value is invalid), the slots whose values were invalid (not numbers in a numeric field,
    /// see [`FieldKinds`]), and its arrival (seconds since the epoch) when it has one.
    Lead { slots: &'a [Option<&'a str>], invalid: &'a [(usize, &'a str)], at: Option<i64> },
    /// A row that cannot be routed, and why.
    Malformed(String),
}

/// Read every data row after the header, handing `each` its 1-based row number, the line an
/// editor shows for it, and the record when it is well formed (as many fields as the header,
/// valid UTF-8, no field over [`MAX_FIELD_BYTES`], no row over [`MAX_ROW_BYTES`]) or why it is
/// not. One record is reused, and fields and rows are bounded while read: memory does not grow
/// with the file. With a well-formed record come its bytes as the `&str` its UTF-8 check
/// produced, so that fields are sliced from it (a field that does not start and end on a
/// character boundary is not valid UTF-8 on its own) instead of checked again.
///
/// # Errors
/// Reading fails, or `each` fails.
pub(crate) fn for_each_checked<R: Read>(
    rdr: &mut LeadsReader<R>,
    header: &Header,
    mut each: impl FnMut(u64, u64, Result<(&Record<'_>, &str), String>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let names = &header.names;
    // A row's fields without the commas between them, when only that is valid UTF-8.
    let mut joined = Fields::default();
    let mut row: u64 = 0;
    while let Some(rec) = rdr.csv.next_record().context("cannot read the leads file")? {
        row += 1;
        let line = start_line(&rdr.starts, &mut rdr.taken, row);
        if let Some(cut) = cut_of(&rdr.cuts, row) {
            let msg = match cut.field {
                Some(i) => format!(
                    "field `{}` is over {MAX_FIELD_BYTES} bytes (the limit)",
                    names.get(i).map_or_else(|| format!("column {}", i + 1), String::clone)
                ),
                None => format!("row is over {MAX_ROW_BYTES} bytes (the limit)"),
            };
            each(row, line, Err(msg))?;
            continue;
        }
        if rec.len() != names.len() {
            each(row, line, Err(format!("row has {} fields, the header has {}", rec.len(), names.len())))?;
            continue;
        }
        // The fields together must be UTF-8 (a row split in place holds its commas too, which
        // cut a character that spans two fields: then the fields alone are checked).
        let checked = match std::str::from_utf8(rec.as_slice()) {
            Ok(whole) => Some((rec, whole)),
            Err(_) if rec.split_in_place() => {
                let rec = joined.copy_of(&rec);
                std::str::from_utf8(rec.as_slice()).ok().map(|whole| (rec, whole))
            }
            Err(_) => None,
        };
        let Some((rec, whole)) = checked else {
            each(row, line, Err("row is not valid UTF-8".to_owned()))?;
            continue;
        };
        if let Some((i, f)) = rec.iter().enumerate().find(|(_, f)| f.len() > MAX_FIELD_BYTES) {
            each(row, line, Err(format!("field `{}` is {} bytes (limit {MAX_FIELD_BYTES})", names[i], f.len())))?;
            continue;
        }
        each(row, line, Ok((&rec, whole)))?;
    }
    Ok(())
}

/// Read every data row after the header, handing `each` its 1-based row number, the line an
/// editor shows for it, and the row. One record is reused: memory does not grow with the file.
pub(super) fn for_each_row<R: Read>(
    rdr: &mut LeadsReader<R>,
    columns: &Columns,
    tz: &TimeZone,
    mut each: impl FnMut(u64, u64, Row<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut times = super::times::Times::new(tz);
    for_each_checked(rdr, &columns.header, |row, line, rec| {
        let (rec, whole) = match rec {
            Ok(rec) => rec,
            Err(msg) => return each(row, line, Row::Malformed(msg)),
        };
        // A cell neutralised against formulas (as handoff writes synthetic leads) reads as its
        // value.
        let text = |i: usize| rec.text(i, whole);
        let at = match columns.created_at.and_then(text).map(trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => match times.parse(t) {
                Some(s) => Some(s),
                None => {
                    let msg = format!("`created_at` `{t}` is not RFC 3339 or `YYYY-MM-DD HH:MM[:SS]`");
                    return each(row, line, Row::Malformed(msg));
                }
            },
        };
        // Slots borrow this row's record: on the stack for the usual handful of fields.
        let mut stack_slots: [Option<&str>; 32] = [None; 32];
        let mut heap_slots: Vec<Option<&str>> = Vec::new();
        let slots: &mut [Option<&str>] = if columns.fields.len() <= stack_slots.len() {
            &mut stack_slots[..columns.fields.len()]
        } else {
            heap_slots.resize(columns.fields.len(), None);
            &mut heap_slots[..]
        };
        let (mut invalid_stack, mut invalid_len) = ([(0usize, ""); 32], 0);
        let mut invalid_heap: Vec<(usize, &str)> = Vec::new();
        for (i, (slot, &col)) in slots.iter_mut().zip(&columns.fields).enumerate() {
            *slot = col.and_then(text).map(trim).filter(|v| !v.is_empty());
            if let Some(v) = *slot
                && columns.kinds.invalid(i, v)
            {
                // Treated as absent for routing; the replay counts it.
                *slot = None;
                if invalid_len < invalid_stack.len() {
                    invalid_stack[invalid_len] = (i, v);
                    invalid_len += 1;
                } else {
                    invalid_heap.push((i, v));
                }
            }
        }
        let invalid: &[(usize, &str)] = if invalid_heap.is_empty() {
            &invalid_stack[..invalid_len]
        } else {
            invalid_heap.splice(0..0, invalid_stack.iter().copied());
            &invalid_heap
        };
        each(row, line, Row::Lead { slots, invalid, at })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_at_is_rfc3339_or_a_civil_time_in_the_zone() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let utc = "2027-02-01T14:30:00Z".parse::<jiff::Timestamp>().unwrap().as_second();
        assert_eq!(parse_created_at("2027-02-01T14:30:00Z", &ny), Some(utc));
        assert_eq!(parse_created_at(" 2027-02-01T09:30:00-05:00 ", &ny), Some(utc));
        assert_eq!(parse_created_at("2027-02-01 09:30", &ny), Some(utc));
        assert_eq!(parse_created_at("2027-02-01 09:30:00", &ny), Some(utc));
        // A bare date is not an arrival time.
        assert_eq!(parse_created_at("2027-02-01", &ny), None);
        assert_eq!(parse_created_at("yesterday", &ny), None);
    }

    /// `parse_created_at` as it was before the shape check: a timestamp parse first, always.
    fn parse_created_at_reference(text: &str, tz: &TimeZone) -> Option<i64> {
        let t = text.trim();
        if let Ok(ts) = t.parse::<jiff::Timestamp>() {
            return Some(ts.as_second());
        }
        if t.len() < 16 {
            return None;
        }
        let dt: DateTime = t.parse().ok()?;
        tz.to_ambiguous_timestamp(dt).compatible().ok().map(jiff::Timestamp::as_second)
    }

    #[test]
    fn the_shape_check_changes_no_parse() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let texts = [
            "2027-02-01T14:30:00Z",
            "2027-02-01t14:30:00z",
            "2027-02-01 14:30:00Z",
            "2027-02-01T09:30:00-05:00",
            "2027-02-01T09:30:00+01",
            "2027-02-01T09:30:00.123456789-05:00",
            "2027-02-01T09:30:00\u{2212}05:00",
            "2027-02-01T09:30:00-05:00[America/New_York]",
            "2027-02-01T09:30:00[America/New_York]",
            "2027-02-01T09:30:00[+05:00]",
            "2027-02-01T09:30:00",
            "2027-02-01T09:30",
            "2027-02-01 09:30",
            "2027-02-01 09:30:00.5",
            "2027-03-14 02:30:00",
            "2027-11-07 01:30:00",
            "20270201T093000",
            "20270201T093000Z",
            "+002027-02-01T09:30:00",
            "+002027-02-01T09:30:00Z",
            "2027-02-01",
            "2027-02-01T",
            "2027-02-01T25:00:00",
            "2027-02-30 09:30",
            "yesterday at noon, ok",
            "",
            " ",
        ];
        for t in texts {
            assert_eq!(parse_created_at(t, &ny), parse_created_at_reference(t, &ny), "{t:?}");
        }
    }

    #[test]
    fn a_field_cut_inside_a_character_reads_as_empty_as_before() {
        // "x\xC3" and "\xA9y": the record's bytes are valid UTF-8 ("xéy") but neither field is
        // on its own, so both read as empty (the per-field check did the same).
        let data = b"a,b\nx\xC3,\xA9y\nv,w\n".to_vec();
        let mut rdr = leads_reader(&data[..]);
        let header = read_header_row(&mut rdr).unwrap();
        let columns =
            Columns { fields: vec![Some(0), Some(1)], created_at: None, header, kinds: FieldKinds::default() };
        let mut seen = Vec::new();
        let utc = TimeZone::UTC;
        for_each_row(&mut rdr, &columns, &utc, |_, _, row| {
            if let Row::Lead { slots, .. } = row {
                seen.push(slots.iter().map(|s| s.map(str::to_owned)).collect::<Vec<_>>());
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![vec![None, None], vec![Some("v".to_owned()), Some("w".to_owned())]]);
    }
}
