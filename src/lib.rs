//! `handoff`: design, check and render the marketing-to-sales lead handoff from a YAML brief.
//!
//! Data flows one way: [`brief`] (YAML with positions) → [`schema`] + [`validate`] → [`model`]
//! (enriched by the calculators in `calc`) → `render` and `plan` → `output` (the only
//! module that writes files). [`pipeline`] holds those steps as the commands in [`cmd`] call
//! them. Every check reports a `diag::Problem`; `report` turns the located diagnostics into
//! text, JSON, GitHub or SARIF.

pub mod brief;
pub mod calc;
pub(crate) mod checked;
pub mod cli;
pub mod cmd;
pub(crate) mod diag;
pub mod model;
pub(crate) mod output;
pub mod pipeline;
pub(crate) mod plan;
pub(crate) mod preview;
pub mod render;
pub mod replay;
pub(crate) mod report;
pub mod schema;
pub(crate) mod starter;
pub mod validate;
pub(crate) mod watch;
