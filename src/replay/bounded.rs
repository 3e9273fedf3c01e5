//! A reader between a lead export and the CSV parser that bounds what the parser buffers: a
//! field over [`MAX_FIELD_BYTES`] or a row over [`MAX_ROW_BYTES`] is cut while it is read, so a
//! 1.5 GB field (or `--leads /dev/zero`) costs a pass over its bytes, never their memory.
//!
//! The csv crate gathers a whole record before it hands it over; a limit checked on the record
//! comes after the memory is spent. So this reader follows the same grammar as the parser
//! (fields split by `,`, records by CR or LF, `"` opening a quoted field where a `""` is one
//! quote) and passes on at most one byte past each limit. The rest of an oversized field (or
//! row) is dropped up to where it ends; a quoted field cut short gets its closing quote, so the
//! parser sees a well-formed, slightly-over-the-limit field and the row stays one row. Each cut
//! is recorded ([`Cut`]) under its record's index, so the row is reported as malformed; the line
//! breaks it dropped still count for later lines (see below).
//!
//! In the header (the first record) an oversized field or row is an error at once: nothing
//! after a header that large can be a lead export.
//!
//! The reader also tells the line each record starts on ([`Starts`]), as an editor counts
//! lines: a line break is LF, CRLF or a lone CR, inside quoted fields or not, dropped or passed.
//! (The csv crate's own line count is the line of the byte after the previous record: a line
//! early for a CRLF file or after blank lines, and it counts a quoted CRLF and a record's LF
//! alike but not a lone CR.)

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

/// Largest field accepted, in bytes; a longer one makes its row malformed.
pub(crate) const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Largest row accepted, in bytes (delimiters and quotes counted); a longer one is malformed.
pub(crate) const MAX_ROW_BYTES: usize = 1024 * 1024;

/// What was cut from one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cut {
    /// Index of the record (0 is the header), counting records the parser returns.
    pub(super) record: u64,
    /// The 0-based field that went over [`MAX_FIELD_BYTES`], or `None` for a row over
    /// [`MAX_ROW_BYTES`].
    pub(super) field: Option<usize>,
}

/// The cuts not yet matched with their records, shared with the row reader.
pub(super) type Cuts = Rc<RefCell<VecDeque<Cut>>>;

/// The line each record starts on (1-based), in record order from the header, for the records
/// the row reader has not yet taken.
pub(super) type Starts = Rc<RefCell<VecDeque<u64>>>;

/// Where in the CSV grammar the last byte left the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// At the start of a field (or of a record).
    FieldStart,
    /// In an unquoted field (or after a quoted field's closing quote).
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// A quote inside a quoted field: it closes the field, or a second one makes a `""`.
    QuoteInQuoted,
}

/// What is being dropped.
#[derive(Debug, Clone, Copy)]
struct Dropping {
    /// The rest of the row (else only the rest of the field).
    row: bool,
    /// The parser was inside quotes when bytes stopped reaching it: it needs a closing quote.
    in_quotes: bool,
}

/// The bounding reader (see the module documentation).
pub(super) struct Bounded<R> {
    inner: R,
    cuts: Cuts,
    starts: Starts,
    /// The line the next byte is on (1-based, as an editor counts).
    line: u64,
    /// The last byte seen was a CR (a LF right after it ends the same line).
    after_cr: bool,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// A drop inside quotes just ended: the parser is owed a closing quote before this byte.
    owed_quote: bool,
    /// Bytes owed to the parser that did not fit in the last read (at most two).
    held: [u8; 2],
    held_len: usize,
    at: At,
    /// Content bytes of the current field passed on.
    field: usize,
    /// Bytes of the current record passed on.
    row: usize,
    /// Index of the current field in its record.
    field_index: usize,
    /// Records completed (a run of line breaks between records is no record).
    records: u64,
    dropping: Option<Dropping>,
    /// The current record has been cut.
    cut: Option<Cut>,
}

impl<R: Read> Bounded<R> {
    /// Bound `inner`; cuts are told through the returned [`Cuts`], record lines through
    /// [`Starts`].
    pub(super) fn new(inner: R) -> (Self, Cuts, Starts) {
        let cuts = Cuts::default();
        let starts = Starts::default();
        let reader = Self {
            inner,
            cuts: Rc::clone(&cuts),
            starts: Rc::clone(&starts),
            line: 1,
            after_cr: false,
            buf: vec![0; 8 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            owed_quote: false,
            held: [0; 2],
            held_len: 0,
            at: At::FieldStart,
            field: 0,
            row: 0,
            field_index: 0,
            records: 0,
            dropping: None,
            cut: None,
        };
        (reader, cuts, starts)
    }

    /// Take in one byte: whether to pass it on, or an error for an oversized header.
    fn step(&mut self, b: u8) -> io::Result<bool> {
        let terminator = b == b'\r' || b == b'\n';
        // The line this byte is on, then the count moves past a line break.
        let line = self.line;
        if b == b'\r' || (b == b'\n' && !self.after_cr) {
            self.line += 1;
        }
        self.after_cr = b == b'\r';
        let (next, content, field_end) = match (self.at, b) {
            (At::FieldStart | At::Unquoted | At::QuoteInQuoted, b',') => (At::FieldStart, false, true),
            (At::FieldStart | At::Unquoted | At::QuoteInQuoted, _) if terminator => (At::FieldStart, false, true),
            (At::FieldStart, b'"') => (At::Quoted, false, false),
            (At::Quoted, b'"') => (At::QuoteInQuoted, false, false),
            (At::QuoteInQuoted, b'"') => (At::Quoted, true, false),
            (At::Quoted, _) => (At::Quoted, true, false),
            (At::FieldStart | At::Unquoted | At::QuoteInQuoted, _) => (At::Unquoted, true, false),
        };
        let record_end = field_end && terminator;
        self.at = next;
        if let Some(dropping) = self.dropping {
            let ends = if dropping.row { record_end } else { field_end };
            if !ends {
                return Ok(false);
            }
            self.dropping = None;
            self.owed_quote = dropping.in_quotes;
        }
        if record_end {
            // A record ends where a non-empty one was read; a bare line break is no record.
            if self.row > 0 || self.cut.is_some() {
                if let Some(cut) = self.cut.take() {
                    self.cuts.borrow_mut().push_back(cut);
                }
                self.records += 1;
            }
            (self.row, self.field, self.field_index) = (0, 0, 0);
            return Ok(true);
        }
        if self.row == 0 && self.cut.is_none() {
            self.starts.borrow_mut().push_back(line);
        }
        self.row += 1;
        if field_end {
            self.field = 0;
            self.field_index += 1;
        } else if content {
            self.field += 1;
        }
        let field_over = self.field > MAX_FIELD_BYTES;
        let row_over = self.row > MAX_ROW_BYTES;
        if field_over || row_over {
            if self.records == 0 {
                return Err(io::Error::other(if field_over {
                    format!(
                        "line 1: the header row has a field over {MAX_FIELD_BYTES} bytes (the limit): not a lead export"
                    )
                } else {
                    format!("line 1: the header row is over {MAX_ROW_BYTES} bytes (the limit): not a lead export")
                }));
            }
            // This byte is passed, one past the limit, so the parser's record shows the overrun.
            // Inside quotes only if the parser's last byte left it there for sure: after a lone
            // quote in a quoted field, the next byte it sees (`,` or a line break) closes it.
            let in_quotes = next == At::Quoted;
            self.dropping = Some(Dropping { row: row_over, in_quotes });
            let field = if row_over { None } else { Some(self.field_index) };
            match &mut self.cut {
                // A row cut supersedes a field cut of the same row.
                Some(cut) if row_over => cut.field = None,
                Some(_) => {}
                None => self.cut = Some(Cut { record: self.records, field }),
            }
            if row_over {
                self.field = 0;
            }
        }
        Ok(true)
    }
}

impl<R> Bounded<R> {
    /// Pass whole quote-free records at once: at the start of a record, the buffered bytes from
    /// `start` (at most `room`) up to the last line break before the first `"`, when every
    /// record among them is no more than [`MAX_FIELD_BYTES`] (so neither limit can be reached).
    /// Does for them what [`Bounded::step`] does byte by byte (the start line of each record,
    /// the records counted at their line breaks, blank lines no record, the line count) and
    /// returns how many bytes that is, which the caller passes on; 0 when none.
    fn plain_rows(&mut self, room: usize) -> usize {
        if self.dropping.is_some()
            || self.owed_quote
            || self.cut.is_some()
            || self.at != At::FieldStart
            || self.row != 0
        {
            return 0;
        }
        let rest = &self.buf[self.start..self.end];
        let rest = &rest[..rest.len().min(room)];
        let rest = &rest[..memchr::memchr(b'"', rest).unwrap_or(rest.len())];
        let mut starts = self.starts.borrow_mut();
        let mut passed = 0;
        for at in memchr::memchr2_iter(b'\r', b'\n', rest) {
            let content = at - passed;
            if content > MAX_FIELD_BYTES {
                break;
            }
            if content > 0 {
                starts.push_back(self.line);
                self.records += 1;
                self.after_cr = false;
            }
            let b = rest[at];
            if b == b'\r' || !self.after_cr {
                self.line += 1;
            }
            self.after_cr = b == b'\r';
            passed = at + 1;
        }
        passed
    }

    /// How many of the buffered bytes, from `start`, are ordinary bytes of the current field
    /// that [`Bounded::step`] would pass on one by one changing only the counts: bytes other
    /// than `,`, CR and LF in an unquoted field (one just starting, if it starts with none of
    /// those nor `"`), bytes other than `"` in a quoted one; at most `room`, and never the byte
    /// that would go over a limit. `None` when no such run starts here (or a drop is under way):
    /// `step` handles that byte.
    fn plain_run(&self, room: usize) -> Option<usize> {
        if self.dropping.is_some() || self.owed_quote {
            return None;
        }
        let rest = &self.buf[self.start..self.end];
        let limit = room
            .min(rest.len())
            .min(MAX_FIELD_BYTES.saturating_sub(self.field))
            .min(MAX_ROW_BYTES.saturating_sub(self.row));
        let rest = &rest[..limit];
        let k = match self.at {
            At::Unquoted => memchr::memchr3(b',', b'\r', b'\n', rest).unwrap_or(rest.len()),
            At::FieldStart if rest.first().is_some_and(|b| *b != b'"') => {
                memchr::memchr3(b',', b'\r', b'\n', rest).unwrap_or(rest.len())
            }
            At::Quoted => memchr::memchr(b'"', rest).unwrap_or(rest.len()),
            At::FieldStart | At::QuoteInQuoted => 0,
        };
        (k > 0).then_some(k)
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        loop {
            // First what is owed: a closing quote and the byte that ended the drop.
            while n < out.len() && self.held_len > 0 {
                out[n] = self.held[0];
                self.held[0] = self.held[1];
                self.held_len -= 1;
                n += 1;
            }
            while n < out.len() && self.held_len == 0 && self.start < self.end {
                let k = self.plain_rows(out.len() - n);
                if k > 0 {
                    out[n..n + k].copy_from_slice(&self.buf[self.start..self.start + k]);
                    (self.start, n) = (self.start + k, n + k);
                    continue;
                }
                if let Some(k) = self.plain_run(out.len() - n) {
                    // What `step` would do, byte by byte, for a run of ordinary field bytes.
                    let run = &self.buf[self.start..self.start + k];
                    if self.row == 0 {
                        self.starts.borrow_mut().push_back(self.line);
                    }
                    if self.at == At::Quoted {
                        // Only a quoted run holds line breaks.
                        (self.line, self.after_cr) = count_breaks(run, self.line, self.after_cr);
                    } else {
                        self.after_cr = false;
                    }
                    out[n..n + k].copy_from_slice(run);
                    (self.start, n, self.field, self.row) = (self.start + k, n + k, self.field + k, self.row + k);
                    self.at = if self.at == At::Quoted { At::Quoted } else { At::Unquoted };
                    continue;
                }
                let b = self.buf[self.start];
                self.start += 1;
                if !self.step(b)? {
                    continue;
                }
                if std::mem::take(&mut self.owed_quote) {
                    out[n] = b'"';
                    n += 1;
                    if n == out.len() {
                        (self.held, self.held_len) = ([b, 0], 1);
                        break;
                    }
                }
                out[n] = b;
                n += 1;
            }
            if n > 0 || out.is_empty() {
                return Ok(n);
            }
            if self.start == self.end {
                let got = self.inner.read(&mut self.buf)?;
                if got == 0 {
                    // A last record with no line break after it ends here.
                    if let Some(cut) = self.cut.take() {
                        self.cuts.borrow_mut().push_back(cut);
                    }
                    return Ok(0);
                }
                (self.start, self.end) = (0, got);
            }
        }
    }
}

/// The line after `bytes`, starting on `line` (`after_cr`: the byte before them was a CR), and
/// whether they end with a CR: LF, CRLF and a lone CR are each one line break.
fn count_breaks(bytes: &[u8], mut line: u64, mut after_cr: bool) -> (u64, bool) {
    let mut from = 0;
    for i in memchr::memchr2_iter(b'\r', b'\n', bytes) {
        let b = bytes[i];
        let joined = b == b'\n' && after_cr && i == from;
        if !joined {
            line += 1;
        }
        after_cr = b == b'\r';
        from = i + 1;
    }
    (line, after_cr && from == bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(input: &[u8]) -> (io::Result<Vec<u8>>, Vec<Cut>) {
        let (mut r, cuts, _) = Bounded::new(input);
        let mut out = Vec::new();
        let result = r.read_to_end(&mut out).map(|_| out);
        let cuts = cuts.borrow().iter().copied().collect();
        (result, cuts)
    }

    /// The same input read through `out` buffers of `chunk` bytes.
    fn through_in(input: &[u8], chunk: usize) -> (Vec<u8>, Vec<Cut>) {
        let (mut r, cuts, _) = Bounded::new(input);
        let (mut out, mut buf) = (Vec::new(), vec![0; chunk]);
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        let cuts = cuts.borrow().iter().copied().collect();
        (out, cuts)
    }

    /// What [`Bounded::step`] alone passes on for `input`, byte by byte (with the closing quote a
    /// drop inside quotes is owed), the cuts and the start lines: the reference the fast paths
    /// of `read` must agree with.
    fn stepped(input: &[u8]) -> (Vec<u8>, Vec<Cut>, Vec<u64>) {
        let (mut r, cuts, starts) = Bounded::new(&b""[..]);
        let mut out = Vec::new();
        for &b in input {
            if r.step(b).unwrap() {
                if std::mem::take(&mut r.owed_quote) {
                    out.push(b'"');
                }
                out.push(b);
            }
        }
        if let Some(cut) = r.cut.take() {
            cuts.borrow_mut().push_back(cut);
        }
        let (cuts, starts) = (cuts.borrow().iter().copied().collect(), starts.borrow().iter().copied().collect());
        (out, cuts, starts)
    }

    #[test]
    fn runs_skipped_at_once_give_what_single_steps_give() {
        // Reading one byte at a time leaves the fast path runs of one byte, i.e. `step`'s
        // behaviour; every other buffer size must give the same bytes and the same cuts.
        let mut text = String::from("h1,h2,\"h 3\"\n");
        for i in 0..400 {
            text.push_str(&format!("plain {i},\"q,\n\"\"{i}\"\"\",x\"y\r\n,,\"\"\n"));
            // Rows without quotes, which pass whole: a trailing comma, a lone CR, a blank line.
            text.push_str(&format!("{i},no quotes,\r{i},\n\nend {i}\r\n"));
        }
        // Runs of quote-free rows, which pass many at a time: LF, CRLF, lone CR, blank lines.
        for i in 0..300 {
            text.push_str(&[format!("{i},a,b\n"), format!("{i},a,b\r\n"), format!("{i},c\r"), "\n".to_owned()][i % 4]);
        }
        // A quote-free field of exactly the limit passes whole; one byte more is cut.
        text.push_str(&format!("{}\n{}\n", "f".repeat(MAX_FIELD_BYTES), "g".repeat(MAX_FIELD_BYTES + 1)));
        text.push_str(&format!(
            "1,{},\"{}\"\n2,ok,\"a\nb\"\n",
            "x".repeat(MAX_FIELD_BYTES + 3),
            "q".repeat(MAX_FIELD_BYTES + 2)
        ));
        text.push_str(&"a,".repeat(MAX_ROW_BYTES / 2 + 5));
        text.push_str("\nlast,1,2");
        let (single, single_cuts) = through_in(text.as_bytes(), 1);
        // The `g` row's field, the `x` field (one cut a record: the `q` field after it adds
        // none) and the long row. Records before the `g` row: the header, five a round (the
        // quoted line break and the blank line make no record of their own), three of every four
        // lines of the quote-free run, the `f` row.
        let g = 1 + 400 * 5 + 225 + 1;
        assert_eq!(
            single_cuts,
            [
                Cut { record: g, field: Some(0) },
                Cut { record: g + 1, field: Some(1) },
                Cut { record: g + 3, field: None }
            ],
            "{single_cuts:?}"
        );
        let single_starts = starts_in(text.as_bytes(), 1);
        assert!(
            stepped(text.as_bytes()) == (single.clone(), single_cuts.clone(), single_starts.clone()),
            "reads of one byte differ from step alone"
        );
        for chunk in [2, 3, 7, 64, 8 * 1024, 100_000] {
            let (out, cuts) = through_in(text.as_bytes(), chunk);
            assert!(out == single, "chunk {chunk}: {} bytes vs {}", out.len(), single.len());
            assert_eq!(cuts, single_cuts, "chunk {chunk}");
            assert_eq!(starts_in(text.as_bytes(), chunk), single_starts, "chunk {chunk}");
        }
        // Within the limits nothing changes.
        let small = &text[..text.find("ggg").unwrap()];
        assert_eq!(through_in(small.as_bytes(), 8 * 1024), (small.as_bytes().to_vec(), vec![]));
    }

    /// The start line of every record, read through `out` buffers of `chunk` bytes.
    fn starts_in(input: &[u8], chunk: usize) -> Vec<u64> {
        let (mut r, _, starts) = Bounded::new(input);
        let mut buf = vec![0; chunk];
        while r.read(&mut buf).unwrap() > 0 {}
        starts.borrow().iter().copied().collect()
    }

    #[test]
    fn records_start_on_the_line_an_editor_shows() {
        // Counted by hand, numbering lines as an editor does (LF, CRLF and a lone CR each end
        // one); blank lines are no record.
        let big = "q\n".repeat(MAX_FIELD_BYTES);
        for (text, lines) in [
            ("h\na\nb\n".to_owned(), vec![1, 2, 3]),
            ("h\r\na\r\nb".to_owned(), vec![1, 2, 3]),
            ("h\ra\rb\r".to_owned(), vec![1, 2, 3]),
            ("\n\nh\n\na\r\n\r\nb\n".to_owned(), vec![3, 5, 7]),
            // Quoted line breaks: the record after one starts a line later per break.
            ("h\n\"x\ny\",1\nb\n\"\r\n\r\n\",2\nc".to_owned(), vec![1, 2, 4, 5, 8]),
            ("h\n\"a\rb\"\nc".to_owned(), vec![1, 2, 4]),
            // A field cut while read: the line breaks dropped with it still count.
            (format!("h\n1,\"{big}\"\nnext\n"), vec![1, 2, 2 + MAX_FIELD_BYTES as u64 + 1]),
        ] {
            for chunk in [1, 2, 3, 8 * 1024] {
                assert_eq!(
                    starts_in(text.as_bytes(), chunk),
                    lines,
                    "chunk {chunk}: {:?}",
                    &text[..text.len().min(40)]
                );
            }
        }
    }

    #[test]
    fn a_file_within_the_limits_passes_unchanged() {
        let text = b"a,\"b\"\"c\",d\r\n\n\"x\ny\",,z\n1,2,3";
        let (out, cuts) = through(text);
        assert_eq!(out.unwrap(), text);
        assert!(cuts.is_empty());
    }

    #[test]
    fn an_oversized_field_is_cut_one_byte_past_the_limit() {
        let big = "x".repeat(MAX_FIELD_BYTES + 5000);
        let quoted = format!("\"{}qq\nqq\"", "q".repeat(MAX_FIELD_BYTES));
        let text = format!("h1,h2\n1,{big}\n2,{quoted},tail\n3,ok\n");
        let (out, cuts) = through(text.as_bytes());
        let out = String::from_utf8(out.unwrap()).unwrap();
        let expected = format!(
            "h1,h2\n1,{}\n2,\"{}\",tail\n3,ok\n",
            "x".repeat(MAX_FIELD_BYTES + 1),
            "q".repeat(MAX_FIELD_BYTES + 1)
        );
        // Not `assert_eq!`: a failure would print 200 KB.
        assert!(out == expected, "cut to {} bytes, expected {}", out.len(), expected.len());
        assert_eq!(cuts, [Cut { record: 1, field: Some(1) }, Cut { record: 2, field: Some(1) }]);
    }

    #[test]
    fn an_oversized_row_is_cut_and_an_oversized_header_is_an_error() {
        let many = "a,".repeat(MAX_ROW_BYTES);
        let text = format!("h\n{many}\nnext\n");
        let (out, cuts) = through(text.as_bytes());
        let out = out.unwrap();
        assert_eq!(out.len(), "h\n".len() + MAX_ROW_BYTES + 1 + "\nnext\n".len());
        assert_eq!(cuts, [Cut { record: 1, field: None }]);
        // A last row with no line break after it is cut too.
        let (out, cuts) = through(format!("h\n{}", "x".repeat(MAX_FIELD_BYTES + 9)).as_bytes());
        assert_eq!(out.unwrap().len(), "h\n".len() + MAX_FIELD_BYTES + 1);
        assert_eq!(cuts, [Cut { record: 1, field: Some(0) }]);
        let (out, _) = through(&vec![0u8; MAX_FIELD_BYTES + 1]);
        assert!(out.unwrap_err().to_string().contains("header row has a field over 65536 bytes"));
    }
}
