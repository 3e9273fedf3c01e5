//! The calculators: pure functions from checked inputs to numbers and structures.
//!
//! Calculators never format text and never touch the file system; `model` calls them and
//! templates present what they return.

pub mod calendar;
pub mod duration;
pub(crate) mod enablement;
pub mod erlang;
pub(crate) mod escalation;
pub mod headcount;
pub mod routing;
pub mod simulate;
pub mod sla;
