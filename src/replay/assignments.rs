//! Where the replay tells each row's outcome as the rows stream past: the `--assignments` file.
//!
//! The replay hands each row's [`Assignment`] (or why the row was skipped) to a [`RowSink`] it
//! is given, so the file streams and never holds a row in memory. The sink that writes the CSV,
//! with its words, is `render::route::AssignmentRows` (the command opens its file through
//! [`crate::output`], the only writer); [`io::Sink`] takes the rows and keeps none.

use std::io;

use crate::calc::routing::Router;
use crate::calc::routing::engine::Assignment;

/// Receives one call per row of the lead export, in file order.
pub trait RowSink {
    /// A well-formed row and where `router` placed it (or that it placed it nowhere).
    ///
    /// # Errors
    /// The sink cannot be written.
    fn lead(&mut self, router: &Router, row: u64, line: u64, a: &Assignment) -> anyhow::Result<()>;

    /// A malformed row, with why it was skipped.
    ///
    /// # Errors
    /// The sink cannot be written.
    fn malformed(&mut self, row: u64, line: u64, msg: &str) -> anyhow::Result<()>;

    /// The last row has been told.
    ///
    /// # Errors
    /// What is buffered cannot be written.
    fn finish(&mut self) -> anyhow::Result<()>;
}

impl RowSink for io::Sink {
    fn lead(&mut self, _: &Router, _: u64, _: u64, _: &Assignment) -> anyhow::Result<()> {
        Ok(())
    }

    fn malformed(&mut self, _: u64, _: u64, _: &str) -> anyhow::Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> anyhow::Result<()> {
        Ok(())
    }
}
