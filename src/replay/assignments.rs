//! The `--assignments` file: one CSV row per row of the lead export, saying where it went.
//!
//! The replay writes to a sink it is given (the command opens it through [`crate::output`], the
//! only writer), so the file streams and never holds a row in memory.

use std::io::Write;

use crate::calc::routing::Router;
use crate::calc::routing::engine::Assignment;

/// The assignment rows of a replay, written as the rows stream past.
pub(super) struct Assignments<W: Write>(csv::Writer<W>);

impl<W: Write> Assignments<W> {
    /// Start the file with its header row.
    pub(super) fn new(sink: W) -> anyhow::Result<Self> {
        let mut w = csv::Writer::from_writer(sink);
        w.write_record(["row", "line", "rule", "path", "pod", "rep", "reason"])?;
        Ok(Self(w))
    }

    /// The row of a routed (or unrouted) lead.
    pub(super) fn lead(&mut self, router: &Router, row: u64, line: u64, a: &Assignment) -> anyhow::Result<()> {
        let pod = a.pod.map_or("", |p| router.pods()[p].id.as_str());
        let rep = a.pod.zip(a.rep).map_or("", |(p, r)| router.pods()[p].reps[r].name.as_str());
        self.0.write_record([
            row.to_string().as_str(),
            line.to_string().as_str(),
            router.rule_id(a.rule),
            a.path.as_str(),
            pod,
            rep,
            router.reason(a).as_str(),
        ])?;
        Ok(())
    }

    /// The row of a malformed row, with why it was skipped.
    pub(super) fn malformed(&mut self, row: u64, line: u64, msg: &str) -> anyhow::Result<()> {
        self.0.write_record([row.to_string().as_str(), line.to_string().as_str(), "", "malformed", "", "", msg])?;
        Ok(())
    }

    /// Flush what is buffered.
    pub(super) fn finish(mut self) -> anyhow::Result<()> {
        self.0.flush()?;
        Ok(())
    }
}
