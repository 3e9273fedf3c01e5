//! The command line: every command, flag and default of `handoff`, as clap derive types.
//!
//! This module only describes the command line; `cmd/*` does the work. Keeping the two apart lets
//! completions and the man page be generated from this one definition.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Design, check and render the marketing-to-sales lead handoff from a YAML brief.
#[derive(Debug, Parser)]
#[command(name = "handoff", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands of `handoff`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a starter brief that validates.
    Init(InitArgs),
    /// Check briefs and plan files; every problem with file, line, column and field.
    Validate(ValidateArgs),
    /// Validate, enrich and render briefs into design docs, a packet and a plan.
    Build(BuildArgs),
    /// For pull requests: plans valid and up to date with their briefs.
    Check(CheckArgs),
    /// What a change to a brief does to the design: attainment, reps, routing, risks, due dates.
    Diff(DiffArgs),
    /// The SLA (queueing) calculator on its own.
    Sla(SlaArgs),
    /// Replay leads through a brief's routing, or synthesize leads that cover it.
    Route(RouteArgs),
    /// Plan against actual: real first touches per pod and rep, beside the design's prediction.
    Monitor(MonitorArgs),
    /// Print a JSON Schema: the brief's or the plan's.
    Schema(SchemaArgs),
    /// Serve the output directory on localhost, reloading pages when they are rebuilt.
    Serve(ServeArgs),
    /// Work with the built-in templates.
    Templates(TemplatesArgs),
    /// Print a shell completion script (bash, zsh, fish, ...).
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory.
    Man(ManArgs),
}

/// Customer segment a brief designs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SegmentArg {
    /// Large accounts, named-account routing.
    Enterprise,
    /// Mid-sized companies.
    MidMarket,
    /// Small businesses, high volume.
    Smb,
    /// Partner-sourced leads.
    Partner,
}

/// What the handoff is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GoalArg {
    /// New pipeline from inbound demand.
    Pipeline,
    /// Expansion within existing customers.
    Expansion,
    /// Product sign-ups that should become customers.
    ProductActivation,
    /// Account-based marketing.
    Abm,
}

/// Arguments of `handoff init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the brief.
    #[arg(default_value = "briefs/new-handoff.yaml")]
    pub path: PathBuf,
    /// The segment the brief designs for.
    #[arg(long, value_enum, default_value = "mid-market")]
    pub segment: SegmentArg,
    /// The goal of the handoff.
    #[arg(long, value_enum, default_value = "pipeline")]
    pub goal: GoalArg,
    /// First-response SLA, e.g. 15m, 2h, 1d, 1h30m.
    #[arg(long, default_value = "2h")]
    pub response_sla: String,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// `FILE:LINE:COL: error: field: message`, with an excerpt of the YAML.
    Text,
    /// One JSON array of diagnostics.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
}

impl From<DiagnosticFormat> for crate::report::Format {
    fn from(format: DiagnosticFormat) -> Self {
        use DiagnosticFormat as F;
        match format {
            F::Text => Self::Text,
            F::Json => Self::Json,
            F::Github => Self::Github,
            F::Sarif => Self::Sarif,
        }
    }
}

/// Arguments of `handoff validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Brief and plan files, or directories to walk (default: `briefs/`).
    pub paths: Vec<PathBuf>,
    /// How to print diagnostics (default `text`; `github` under GitHub Actions).
    #[arg(long, value_enum)]
    pub format: Option<DiagnosticFormat>,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also report the design risks of valid briefs as warnings (builds each brief's model and
    /// runs its SLA simulation, about 25 ms a brief; `check` reports them by default).
    #[arg(long)]
    pub risks: bool,
    /// Accepted for compatibility: risks are off unless `--risks`.
    #[arg(long, hide = true, conflicts_with = "risks")]
    pub no_risks: bool,
    /// Largest file read, in bytes (suffixes KiB, MiB, GiB).
    #[arg(long, default_value = "1MiB", value_parser = parse_bytes)]
    pub max_bytes: u64,
}

/// Arguments of `handoff build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Briefs to build (default: every brief in `briefs/`).
    pub briefs: Vec<PathBuf>,
    /// Output directory for the rendered documents.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Directory of plan files.
    #[arg(long, default_value = ".claude/plans")]
    pub plans_dir: PathBuf,
    /// Directory of templates; a file there replaces the built-in one of the same name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// The build time (RFC 3339), for reproducible output; default `SOURCE_DATE_EPOCH` or now.
    #[arg(long)]
    pub now: Option<String>,
    /// After building, keep watching the briefs and templates and rebuild what changes.
    #[arg(long)]
    pub watch: bool,
    /// Largest brief read, in bytes (suffixes KiB, MiB, GiB).
    #[arg(long, default_value = "1MiB", value_parser = parse_bytes)]
    pub max_bytes: u64,
}

/// Arguments of `handoff check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Briefs to check (default: every brief in `briefs/`).
    pub briefs: Vec<PathBuf>,
    /// Directory of plan files.
    #[arg(long, default_value = ".claude/plans")]
    pub plans_dir: PathBuf,
    /// How to print diagnostics (default `text`; `github` under GitHub Actions).
    #[arg(long, value_enum)]
    pub format: Option<DiagnosticFormat>,
    /// Fail on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Skip the design-risk warnings (they build the model and run the SLA simulation).
    #[arg(long)]
    pub no_risks: bool,
    /// Largest brief or plan read, in bytes (suffixes KiB, MiB, GiB).
    #[arg(long, default_value = "1MiB", value_parser = parse_bytes)]
    pub max_bytes: u64,
    /// Also require each plan's revisions at this git ref (a pull request's base) to be kept
    /// unchanged at the start of its revisions now: the history is append-only.
    #[arg(long, value_name = "GIT_REF")]
    pub base: Option<String>,
}

/// Output formats of `handoff diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A readable report for a terminal.
    Text,
    /// One JSON object (an array of them with `--base`).
    Json,
    /// A pull-request comment or `$GITHUB_STEP_SUMMARY`: headline and a table per changed area.
    Markdown,
}

/// Arguments of `handoff diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// `BASE.yaml HEAD.yaml`; with `--base`, the briefs or folders to compare (default: the
    /// briefs in `briefs/` that changed).
    #[arg(value_name = "BRIEF")]
    pub paths: Vec<PathBuf>,
    /// Compare each brief with its version at this git revision (read with `git show`).
    #[arg(long, value_name = "GIT_REF")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// The time both versions are judged at (RFC 3339); default `SOURCE_DATE_EPOCH` or now.
    #[arg(long)]
    pub now: Option<String>,
    /// Largest brief read, in bytes (suffixes KiB, MiB, GiB).
    #[arg(long, default_value = "1MiB", value_parser = parse_bytes)]
    pub max_bytes: u64,
}

/// A byte count: digits with an optional binary suffix (`K`/`KiB`, `M`/`MiB`, `G`/`GiB`).
///
/// # Errors
/// Text that is not such a count, zero, or too large.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, suffix) = t.split_at(split);
    let unit: u64 = match suffix.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        _ => return Err(format!("`{text}` is not a size; use bytes or KiB, MiB, GiB (e.g. 1048576, 512KiB, 2MiB)")),
    };
    let n: u64 = digits.parse().map_err(|_| format!("`{text}` is not a size; e.g. 1048576, 512KiB, 2MiB"))?;
    match n.checked_mul(unit) {
        Some(0) => Err("the size must be at least 1 byte".to_owned()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{text}` is too large")),
    }
}

/// Arguments of `handoff completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `handoff man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `handoff.1` and one `handoff-COMMAND.1` per command into this directory instead of
    /// printing `handoff.1`.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Text or JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// A readable table.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `handoff sla`.
#[derive(Debug, Args)]
pub struct SlaArgs {
    /// Leads arriving per hour.
    #[arg(long)]
    pub leads_per_hour: f64,
    /// Minutes of work per first touch.
    #[arg(long)]
    pub touch_minutes: f64,
    /// Reps on the pod (before shrinkage).
    #[arg(long)]
    pub reps: u32,
    /// First-touch SLA, e.g. 15m, 2h, 1h30m.
    #[arg(long)]
    pub sla: String,
    /// Target share of leads touched within the SLA (0–1).
    #[arg(long, default_value_t = 0.8)]
    pub target: f64,
    /// Share of paid time reps are not available for first touches (0–1).
    #[arg(long, default_value_t = 0.0)]
    pub shrinkage: f64,
    /// Highest acceptable occupancy (0–1).
    #[arg(long, default_value_t = 1.0)]
    pub max_occupancy: f64,
    /// Mean time a lead stays warm before it goes cold (Erlang A), e.g. 4h.
    #[arg(long)]
    pub patience: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

/// Output formats of `handoff route`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RouteFormat {
    /// A readable report.
    Text,
    /// One JSON object.
    Json,
    /// CSV summary rows.
    Csv,
}

/// Arguments of `handoff route`.
#[derive(Debug, Args)]
pub struct RouteArgs {
    /// The brief whose routing to use.
    pub brief: PathBuf,
    /// A CSV export of leads to replay.
    #[arg(long, conflicts_with = "synthesize", required_unless_present = "synthesize")]
    pub leads: Option<PathBuf>,
    /// Write N synthetic leads covering every routing path (with `--out`).
    #[arg(long, requires = "out")]
    pub synthesize: Option<u64>,
    /// Where to write synthetic leads.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write one row per lead: row number, rule, pod, rep, reason.
    #[arg(long)]
    pub assignments: Option<PathBuf>,
    /// How long a replayed lead stays open against its rep's `max_open` after assignment
    /// (e.g. `2d`, `4h`; needs `created_at`); default: leads stay open for the whole replay.
    #[arg(long)]
    pub open_for: Option<String>,
    /// Skip the SLA replay (keeps memory constant in the number of leads).
    #[arg(long)]
    pub no_sla: bool,
    /// Seed for synthetic leads and simulated replay.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: RouteFormat,
}

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The brief schema (`schemas/brief.schema.json`).
    Brief,
    /// The plan schema (`schemas/plan.schema.json`).
    Plan,
}

/// Arguments of `handoff schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema to print.
    #[arg(value_enum, default_value = "brief")]
    pub kind: SchemaKind,
}

/// Arguments of `handoff serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The directory to serve (what `build --out` writes).
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
}

/// Arguments of `handoff templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// What to do with the templates.
    #[command(subcommand)]
    pub command: TemplatesCommand,
}

/// Subcommands of `handoff templates`.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the built-in templates to a directory, for editing and `build --templates DIR`.
    Export(TemplatesExportArgs),
}

/// Arguments of `handoff templates export`.
#[derive(Debug, Args)]
pub struct TemplatesExportArgs {
    /// Directory to write the templates into (created if missing).
    pub dir: PathBuf,
    /// Overwrite templates already there.
    #[arg(long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::parse_bytes;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_bytes("1048576"), Ok(1 << 20));
        assert_eq!(parse_bytes("512KiB"), Ok(512 * 1024));
        assert_eq!(parse_bytes("2M"), Ok(2 << 20));
        assert_eq!(parse_bytes("1gib"), Ok(1 << 30));
        assert!(parse_bytes("0").is_err());
        assert!(parse_bytes("1.5MiB").is_err());
        assert!(parse_bytes("MiB").is_err());
        assert!(parse_bytes("99999999999999999999GiB").is_err());
        assert!(parse_bytes("18446744073709551615GiB").is_err());
    }
}

/// Output formats of `handoff monitor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MonitorFormat {
    /// A readable report.
    Text,
    /// One JSON object.
    Json,
    /// Markdown for a pull request or a chat message.
    Markdown,
    /// A self-contained HTML page with the attainment chart.
    Html,
}

/// The window of `handoff monitor`'s attainment series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WindowArg {
    /// Local days.
    #[value(name = "24h")]
    Day,
    /// Weeks from Monday.
    #[value(name = "7d")]
    Week,
    /// Calendar months.
    #[value(name = "30d")]
    Month,
}

/// A CRM export's headers for `handoff monitor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PresetArg {
    /// A Salesforce Lead export (CreatedDate, First_Touch__c, Id, OwnerId, IsConverted).
    Salesforce,
    /// A HubSpot contact export (createdate, hs_sa_first_engagement_date, hs_object_id, hubspot_owner_id).
    Hubspot,
}

/// Arguments of `handoff monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The brief the design comes from.
    pub brief: PathBuf,
    /// A CSV export with one row per lead: `created_at` and `first_touch_at` (blank: not touched).
    #[arg(long)]
    pub actuals: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: MonitorFormat,
    /// The time the backlog is aged to (RFC 3339, or a date); default `SOURCE_DATE_EPOCH`, else now.
    #[arg(long)]
    pub now: Option<String>,
    /// Only leads created on or after this date (or RFC 3339 time; dates in the brief's zone).
    #[arg(long)]
    pub since: Option<String>,
    /// Only leads created on or before this date (or before this RFC 3339 time).
    #[arg(long)]
    pub until: Option<String>,
    /// Window of the attainment series.
    #[arg(long, value_enum, default_value = "7d")]
    pub window: WindowArg,
    /// Exit 1 when attainment (overall, or the `--pod`'s) is under this share (0–1).
    #[arg(long)]
    pub fail_under: Option<f64>,
    /// The pod `--fail-under` gates.
    #[arg(long, requires = "fail_under")]
    pub pod: Option<String>,
    /// Map a field to the export's header, e.g. `created_at=CreatedDate` (repeatable).
    #[arg(long = "column", value_name = "NAME=HEADER")]
    pub columns: Vec<String>,
    /// Read a CRM's export headers: a Salesforce Lead or a HubSpot contact export (`--column` overrides).
    #[arg(long, value_enum)]
    pub preset: Option<PresetArg>,
    /// Write the report to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}
