//! `handoff`: design, check and render the marketing-to-sales lead handoff from a YAML brief.
//!
//! Data flows one way: [`brief`] (YAML with positions) → [`schema`] + [`validate`] → [`model`]
//! (enriched by the calculators in `calc`) → `render` and `plan` → `output` (the only
//! module that writes files). [`pipeline`] holds those steps as the commands in [`cmd`] call
//! them. Every check reports a `diag::Problem`; `report` turns the located diagnostics into
//! text, JSON, GitHub or SARIF.

// The public surface is what the binary (`src/main.rs`), the integration tests and the benches
// use, declared on purpose; everything else is crate-private, so rustc reports dead code.

// Public: the tests parse briefs without the checks (`brief::yaml::parse_unchecked`).
pub mod brief;
// Public: the calculators are tested and benchmarked against independent references.
pub mod calc;
pub(crate) mod checked;
// Public: `main` parses the command line; the completions test reads the clap command.
pub mod cli;
// Public: `main` runs `cmd::run`.
pub mod cmd;
pub(crate) mod diag;
pub(crate) mod diff;
pub(crate) mod git;
// Public: tests read the Model the documents are rendered from.
pub mod model;
// Public: the monitor bench and tests measure actual first touches directly.
pub mod monitor;
pub(crate) mod output;
// Public: tests and benches load briefs and compute a build in memory.
pub mod pipeline;
pub(crate) mod plan;
pub(crate) mod preview;
// Public: tests render the packet's SVGs and read the wording.
pub mod render;
// Public: the route bench and tests drive the replay.
pub mod replay;
pub(crate) mod report;
// Public: tests validate plans and compare the embedded schemas with the committed ones.
pub mod schema;
pub(crate) mod starter;
// Public: a test checks a brief it builds from text.
pub mod validate;
pub(crate) mod watch;
