//! Records of a lead export, split from the bounded bytes: the common row (no quotes, wholly
//! buffered) by finding its commas, every other one by the CSV parser (`csv_core`, the state
//! machine under the csv crate's reader, with that reader's defaults).
//!
//! A row without a `"` has no quoted field, so its fields are the bytes between its commas and
//! its end is the first CR or LF: exactly what the parser would make of it, found with three
//! vectorised scans instead of a transition per byte, and handed over in place instead of
//! copied out field by field. A row with quotes, one not wholly in the buffer, the last row of
//! a file without a line break after it, and the header (whose byte-order mark the parser drops)
//! go through the parser. Between records both leave the parser at the start of a record, so
//! the two can take turns: a line break at the start of a record (a blank line, the LF of a
//! CRLF) is skipped by both.

use std::io::{self, Read};
use std::ops::Range;

use csv_core::ReadRecordResult;

/// The buffer's size: a row is split in place when it fits.
const CHUNK: usize = 64 * 1024;

/// One record: its bytes and where each field ends in them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'a> {
    /// The record's bytes: the fields one after the other, with `sep` bytes (the commas of a
    /// row split in place) between them.
    bytes: &'a [u8],
    /// Where each field ends in `bytes`.
    ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 1 for a row split in place, 0
    /// for one the parser wrote out.
    sep: usize,
}

impl<'a> Record<'a> {
    /// Fields in the record.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Where field `i` lies in [`Record::as_slice`].
    pub(crate) fn range(&self, i: usize) -> Option<Range<usize>> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + self.sep };
        Some(start..end)
    }

    /// Field `i`'s bytes.
    pub(crate) fn get(&self, i: usize) -> Option<&'a [u8]> {
        self.range(i).map(|r| &self.bytes[r])
    }

    /// The record's bytes, which [`Record::range`] indexes (fields with or without the commas
    /// between them).
    pub(crate) fn as_slice(&self) -> &'a [u8] {
        self.bytes
    }

    /// The fields in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Field `i` as text: sliced from `whole` (this record's bytes, checked as UTF-8 once for
    /// the record), the `'` that guards a formula-like cell dropped ([`restore`]). `None` for a
    /// field that does not start and end on a character boundary, exactly when the field alone
    /// is not valid UTF-8.
    ///
    /// [`restore`]: super::cells::restore
    pub(crate) fn text<'w>(&self, i: usize, whole: &'w str) -> Option<&'w str> {
        let range = self.range(i)?;
        let kept = super::cells::restore(self.bytes.get(range.clone())?).len();
        whole.get(range.end - kept..range.end)
    }

    /// Whether the bytes hold the commas between fields (and so may not be valid UTF-8 where
    /// the fields alone together are: a character cut by a comma).
    pub(crate) fn split_in_place(&self) -> bool {
        self.sep != 0
    }
}

/// Fields of a record written out one after the other, and where each ends: what the parser
/// fills, or a row's fields copied without their commas.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Fields {
    /// `record`'s fields, written out without anything between them.
    pub(crate) fn copy_of<'f>(&'f mut self, record: &Record<'_>) -> Record<'f> {
        self.bytes.clear();
        self.ends.clear();
        for field in record.iter() {
            self.bytes.extend_from_slice(field);
            self.ends.push(self.bytes.len());
        }
        Record { bytes: &self.bytes, ends: &self.ends, sep: 0 }
    }
}

/// The records of `R`, one at a time (see the module documentation).
pub(crate) struct Records<R> {
    src: R,
    buf: Vec<u8>,
    /// The unread bytes are `buf[pos..end]`.
    pos: usize,
    end: usize,
    /// The source has no more bytes.
    drained: bool,
    /// The parser returned its last record.
    done: bool,
    core: csv_core::Reader,
    /// Where the parser writes a record (and where a row's field ends are kept).
    out: Fields,
    /// Records returned.
    records: u64,
}

impl<R: Read> Records<R> {
    /// The records of `src`.
    pub(crate) fn new(src: R) -> Self {
        Self {
            src,
            buf: vec![0; CHUNK],
            pos: 0,
            end: 0,
            drained: false,
            done: false,
            core: csv_core::Reader::new(),
            out: Fields { bytes: vec![0; 1024], ends: vec![0; 32] },
            records: 0,
        }
    }

    /// Move the unread bytes to the front and read more after them; `false` once the source is
    /// drained (or when the unread bytes fill the buffer: a row that long goes to the parser,
    /// which takes its bytes as they come).
    fn refill(&mut self) -> io::Result<bool> {
        if self.drained {
            return Ok(false);
        }
        self.buf.copy_within(self.pos..self.end, 0);
        (self.end, self.pos) = (self.end - self.pos, 0);
        if self.end == self.buf.len() {
            return Ok(false);
        }
        let got = loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                got => break got?,
            }
        };
        self.end += got;
        self.drained = got == 0;
        Ok(got > 0)
    }

    /// The next record, or `None` after the last.
    ///
    /// # Errors
    /// Reading the source fails.
    pub(crate) fn next_record(&mut self) -> io::Result<Option<Record<'_>>> {
        if self.done {
            return Ok(None);
        }
        // The header goes through the parser, which drops a byte-order mark before it.
        if self.records > 0 {
            loop {
                let rest = &self.buf[self.pos..self.end];
                match memchr::memchr2(b'\r', b'\n', rest) {
                    // A line break at the start of a record ends nothing: the parser skips it too.
                    Some(0) => self.pos += 1,
                    Some(k) if memchr::memchr(b'"', &rest[..k]).is_none() => {
                        let start = self.pos;
                        self.pos += k + 1;
                        self.records += 1;
                        let row = &self.buf[start..start + k];
                        self.out.ends.clear();
                        self.out.ends.extend(memchr::memchr_iter(b',', row));
                        self.out.ends.push(k);
                        return Ok(Some(Record { bytes: row, ends: &self.out.ends, sep: 1 }));
                    }
                    Some(_) => break,
                    // The row goes on past the buffer: read more if that can bring its end in.
                    None if self.pos > 0 || self.end < self.buf.len() => {
                        if !self.refill()? {
                            break;
                        }
                    }
                    None => break,
                }
            }
        }
        self.parse()
    }

    /// The next record through the parser.
    fn parse(&mut self) -> io::Result<Option<Record<'_>>> {
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            if self.pos == self.end && !self.drained {
                self.refill()?;
            }
            let input = &self.buf[self.pos..self.end];
            let (res, nin, nout, nend) =
                self.core.read_record(input, &mut self.out.bytes[outlen..], &mut self.out.ends[endlen..]);
            self.pos += nin;
            outlen += nout;
            endlen += nend;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let grown = self.out.bytes.len().max(64) * 2;
                    self.out.bytes.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.out.ends.len().max(8) * 2;
                    self.out.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    self.records += 1;
                    let ends = &self.out.ends[..endlen];
                    return Ok(Some(Record { bytes: &self.out.bytes[..outlen], ends, sep: 0 }));
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes a call, to cut rows across refills.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.data.len().min(self.step).min(out.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Every record's fields, as the splitter gives them.
    fn split(data: &[u8], step: usize) -> Vec<Vec<Vec<u8>>> {
        let mut records = Records::new(Trickle { data, step });
        let mut all = Vec::new();
        while let Some(rec) = records.next_record().unwrap() {
            assert_eq!(rec.iter().count(), rec.len());
            all.push(rec.iter().map(<[u8]>::to_vec).collect());
        }
        assert!(records.next_record().unwrap().is_none());
        all
    }

    /// Every record's fields, as the csv crate's reader gives them (flexible, no headers: how
    /// the lead export was read before this splitter), from the same reads.
    fn csv_crate(data: &[u8], step: usize) -> Vec<Vec<Vec<u8>>> {
        let data = Trickle { data, step };
        let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(data);
        rdr.byte_records().map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect()).collect()
    }

    #[test]
    fn records_are_what_the_csv_reader_reads() {
        let cases: [&[u8]; 14] = [
            b"a,b,c\n1,2,3\n4,5,6\n",
            b"\xEF\xBB\xBFa,b\n1,2\n",
            b"a,b\r\n1,2\r\n\r\n\n3,4\r\n",
            b"a,b\r1,2\r3,4",
            b"a,b\n1,2\n3,4",
            b"a,b\n\"x,y\",2\n3,\"q\"\"uote\"\n5,6\n",
            b"a,b\n\"multi\nline\",2\n7,8\n",
            b"a,b\n1,2,3\n4\n,\n,,\n",
            b"a\n\n\n\n",
            b"",
            b"\n\n",
            b"a,b\nx\"y,2\n",
            b"a,b\n1,\"open quote never closed\n2,3\n",
            b"a,b\nx\xC3,\xA9y\n\xFF,\xFE\n",
        ];
        for data in cases {
            for step in [1, 2, 3, 7, 4096] {
                assert_eq!(
                    split(data, step),
                    csv_crate(data, step),
                    "{:?} in steps of {step}",
                    String::from_utf8_lossy(data)
                );
            }
        }
    }

    #[test]
    fn rows_longer_than_the_buffer_and_many_rows_split_alike() {
        // Rows across many refills, some longer than a chunk, with quoted ones among them.
        let mut data = b"id,name,note\n".to_vec();
        for i in 0..5000 {
            let note = if i % 97 == 0 { "x".repeat(CHUNK + 10 * i) } else { format!("n{i}") };
            let name = if i % 13 == 0 { format!("\"q,{i}\"") } else { format!("p{i}") };
            data.extend_from_slice(format!("{i},{name},{note}\n").as_bytes());
        }
        assert_eq!(split(&data, 8192), csv_crate(&data, 8192));
        assert_eq!(split(&data, 100_000), csv_crate(&data, 100_000));
    }

    /// A reader that hands out `data` and then fails, after an interruption at the start.
    struct Flaky<'a> {
        data: &'a [u8],
        interrupted: bool,
    }

    impl Read for Flaky<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if !std::mem::replace(&mut self.interrupted, true) {
                return Err(io::Error::from(io::ErrorKind::Interrupted));
            }
            if self.data.is_empty() {
                return Err(io::Error::other("the disk went away"));
            }
            let n = self.data.len().min(out.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn an_interrupted_read_is_retried_and_a_failed_one_is_an_error() {
        let mut records = Records::new(Flaky { data: b"a,b\n1,2\n3,4", interrupted: false });
        let fields = |r: Option<Record<'_>>| r.map(|r| r.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
        assert_eq!(fields(records.next_record().unwrap()), Some(vec![b"a".to_vec(), b"b".to_vec()]));
        assert_eq!(fields(records.next_record().unwrap()), Some(vec![b"1".to_vec(), b"2".to_vec()]));
        // The last row has no line break: reading on for it meets the failure, which is told.
        let err = records.next_record().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("the disk went away"));
    }

    #[test]
    fn rows_cut_by_a_read_are_still_split_in_place() {
        // Reads of 4 bytes cut every row; the splitter reads on until a row's line break is in
        // its buffer, so each quote-free data row is split in place, not left to the parser.
        let data = b"h1,h2\nab,cd\nefg,h\n\"q\",r\nst,uv\n";
        let mut records = Records::new(Trickle { data, step: 4 });
        let mut seen = Vec::new();
        while let Some(rec) = records.next_record().unwrap() {
            seen.push((rec.iter().map(<[u8]>::to_vec).collect::<Vec<_>>().concat(), rec.split_in_place()));
        }
        let expect: [(&[u8], bool); 5] =
            [(b"h1h2", false), (b"abcd", true), (b"efgh", true), (b"qr", false), (b"stuv", true)];
        assert_eq!(seen, expect.map(|(f, s)| (f.to_vec(), s)));
    }

    #[test]
    fn a_quoted_row_wider_and_longer_than_the_parsers_first_buffers_is_read_whole() {
        // 300 fields of 20 bytes, one quoted: the parser's output (1 KiB) and field ends (32)
        // must both grow, several times.
        let fields: Vec<String> = (0..300).map(|i| format!("{i:020}")).collect();
        let data = format!("h\n\"{}\",{}\n", fields[0], fields[1..].join(","));
        assert_eq!(split(data.as_bytes(), 4096), csv_crate(data.as_bytes(), 4096));
        assert_eq!(split(data.as_bytes(), 4096)[1].len(), 300);
    }

    #[test]
    fn a_row_split_in_place_indexes_its_own_bytes() {
        let data = b"h1,h2,h3\nab,,cde\n";
        let mut records = Records::new(&data[..]);
        let header = records.next_record().unwrap().unwrap();
        assert!(!header.split_in_place());
        assert_eq!(header.as_slice(), b"h1h2h3");
        let row = records.next_record().unwrap().unwrap();
        assert!(row.split_in_place());
        assert_eq!(row.as_slice(), b"ab,,cde");
        assert_eq!(
            (row.range(0), row.range(1), row.range(2), row.range(3)),
            (Some(0..2), Some(3..3), Some(4..7), None)
        );
        let mut fields = Fields::default();
        let copy = fields.copy_of(&row);
        assert_eq!((copy.as_slice(), copy.range(2)), (&b"abcde"[..], Some(2..5)));
    }
}
