//! The brief as its author wrote it: serde types that mirror `schemas/brief.schema.json`.
//!
//! These are the *raw* values (ripgrep's `lowargs`): strings for dates, zones and durations, as
//! typed. `validate` checks them against each other and derives the checked brief
//! ([`crate::checked::Brief`], ripgrep's `hiargs`) that `model` reads. Every struct denies unknown fields so a typo never passes silently, even when the
//! schema is bypassed (for example a template override that reads the brief directly).
//!
//! Loading with source positions lives in [`yaml`]; this file only declares the shape.

pub mod yaml;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One handoff design: the whole YAML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brief {
    /// Slug naming the outputs, `^[a-z0-9][a-z0-9-]{0,62}$`.
    pub id: String,
    /// The design's name as people say it.
    pub title: String,
    /// Customer segment.
    pub segment: Segment,
    /// What the handoff is for.
    pub goal: Goal,
    /// First-touch SLA as a duration string (`15m`, `2h`, `1d`, `1h30m`); checked, it is
    /// [`crate::checked::Brief::sla`] and its minutes on the SLA clock.
    pub response_sla: String,
    /// Which clock the SLA runs on.
    #[serde(default)]
    pub sla_clock: SlaClock,
    /// IANA time zone of the team (`America/New_York`).
    pub timezone: String,
    /// Open days and hours.
    pub business_hours: BusinessHours,
    /// Dates the team is closed (`YYYY-MM-DD`).
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Go-live date (`YYYY-MM-DD`).
    pub launch: String,
    /// Funnel stages, qualification and score bands.
    pub funnel: Funnel,
    /// Inbound volume reaching the handoff.
    pub demand: Demand,
    /// The pods that take leads.
    pub capacity: Capacity,
    /// Ordered routing rules.
    pub routing: Routing,
    /// Escalation ladder and rip-cord.
    #[serde(default)]
    pub escalation: Escalation,
    /// Systems and content that must be ready.
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// Assets each pod needs.
    #[serde(default)]
    pub enablement: Vec<EnablementItem>,
    /// Retry limits for automation.
    #[serde(default)]
    pub guardrails: Guardrails,
    /// Targets the design is judged by.
    #[serde(default)]
    pub success_metrics: SuccessMetrics,
    /// Who signs the approval packet.
    #[serde(default = "default_approvers")]
    pub approvers: Vec<Approver>,
}

/// Customer segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Segment {
    /// Large accounts.
    Enterprise,
    /// Mid-sized companies.
    MidMarket,
    /// Small businesses.
    Smb,
    /// Partner-sourced.
    Partner,
}

/// What the handoff is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    /// New pipeline.
    Pipeline,
    /// Expansion.
    Expansion,
    /// Product activation.
    ProductActivation,
    /// Account-based marketing.
    Abm,
}

/// Which clock the SLA runs on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlaClock {
    /// Only business hours count; leads arriving while closed wait for opening.
    #[default]
    Business,
    /// Every minute counts.
    Calendar,
}

/// Day of the week, as written in briefs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

/// Open days and hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// Open days.
    pub days: Vec<Day>,
    /// Opening time, `HH:MM` (24h).
    pub open: String,
    /// Closing time, `HH:MM` (24h), after `open`; `00:00` is midnight at the end of the day, so
    /// `open: "00:00", close: "00:00"` is open around the clock.
    pub close: String,
}

/// Funnel stages, qualification and score bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funnel {
    /// Stages in order (MQL, SAL, SQL …).
    pub stages: Vec<Stage>,
    /// Qualification criteria (BANT, MEDDIC …).
    #[serde(default)]
    pub qualification: Vec<String>,
    /// Score bands, highest first; each lead falls in the first band whose `min` it reaches.
    #[serde(default)]
    pub score_bands: Vec<ScoreBand>,
}

/// A funnel stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Short id (`mql`).
    pub id: String,
    /// Name as people say it.
    pub name: String,
    /// Entry criteria.
    pub entry: String,
    /// Exit criteria (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<String>,
    /// Who owns leads in this stage (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// What a score band does with a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BandAction {
    /// Straight to an account executive.
    RouteToAe,
    /// SDR follows up.
    SdrFollowUp,
    /// Marketing nurture.
    Nurture,
    /// Back to marketing to recycle.
    Recycle,
    /// Disqualify.
    Disqualify,
}

/// A lead-score band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreBand {
    /// Lowest score in the band (inclusive).
    pub min: f64,
    /// What the band does.
    pub action: BandAction,
    /// Optional label (`hot`, `warm` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Inbound volume reaching the handoff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Leads per (calendar) day; give this or `leads_per_week`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leads_per_day: Option<f64>,
    /// Leads per (calendar) week; give this or `leads_per_day`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leads_per_week: Option<f64>,
    /// Share of leads arriving outside business hours (0–1); default: spread by the calendar,
    /// i.e. 0 (all arrivals inside business hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_hours_share: Option<f64>,
    /// Mix by attribute: attribute → value (or numeric range such as `1000-4999`, `5000+`,
    /// `<1000`) → share. Shares of one attribute sum to 1.
    #[serde(default)]
    pub mix: BTreeMap<String, BTreeMap<String, f64>>,
}

/// The pods that take leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// Pods, each a team of reps with one role.
    pub pods: Vec<Pod>,
}

/// Role of a pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Sales development rep.
    #[serde(rename = "SDR")]
    Sdr,
    /// Business development rep.
    #[serde(rename = "BDR")]
    Bdr,
    /// Account executive.
    #[serde(rename = "AE")]
    Ae,
    /// Account manager.
    #[serde(rename = "AM")]
    Am,
    /// Partner manager.
    #[serde(rename = "PM")]
    PartnerManager,
    /// Customer success manager.
    #[serde(rename = "CSM")]
    Csm,
}

/// A pod: a team of reps sharing a queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pod {
    /// Slug id, used by routing rules.
    pub id: String,
    /// Display name (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Role of the reps.
    pub role: Role,
    /// Head count, or the named reps.
    pub reps: Reps,
    /// Share of paid time not available for first touches (0–1). Give this or `availability`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shrinkage: Option<f64>,
    /// Share of paid time available for first touches (0–1) = 1 − shrinkage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<f64>,
    /// Mean minutes of work per first touch.
    pub touch_minutes: f64,
    /// Default cap on open leads per rep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_open: Option<u32>,
    /// Mean time a lead stays warm (duration string); enables the Erlang A model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patience: Option<String>,
    /// Pod's own IANA zone (follow-the-sun); default the brief's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Pod's own hours; default the brief's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<BusinessHours>,
    /// Pod's own holidays; default the brief's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays: Option<Vec<String>>,
    /// Territory values this pod covers, for `territory` routing (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub territories: Vec<String>,
}

/// Head count or named reps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Reps {
    /// Anonymous head count.
    Count(u32),
    /// Named reps.
    Named(Vec<Rep>),
}

/// A named rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rep {
    /// Name as in the CRM.
    pub name: String,
    /// Relative share for `weighted` routing (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Cap on open leads (default the pod's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_open: Option<u32>,
    /// False when the rep takes no new leads (leave, ramp-down).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub available: bool,
    /// Territory values this rep covers, for `territory` routing (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub territories: Vec<String>,
}

/// Ordered routing rules and the fallback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// Lead attributes the rules use: name → list of values, or `{ type: number|text }`.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// Fields that enrichment must fill before routing.
    #[serde(default)]
    pub enrichment: Vec<String>,
    /// Rules in order; the first match assigns.
    pub rules: Vec<Rule>,
    /// Where a lead goes when no rule matches.
    pub fallback: Assign,
    /// Sample leads and where each must land.
    #[serde(default)]
    pub tests: Vec<RoutingTest>,
}

/// A lead attribute declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Attribute {
    /// A closed list of values.
    Values(Vec<String>),
    /// A typed open attribute.
    Typed(TypedAttribute),
}

/// A typed attribute: numbers or free text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypedAttribute {
    /// Value type.
    #[serde(rename = "type")]
    pub kind: AttributeType,
    /// Optional closed list of values (text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// Attribute value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttributeType {
    /// Numbers (`employees`, `score`).
    Number,
    /// Free text (`account_owner`, `country`).
    Text,
}

/// One routing rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Unique slug.
    pub id: String,
    /// What the rule is for, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Conditions, all of which must hold: field → condition.
    #[serde(default)]
    pub when: BTreeMap<String, Condition>,
    /// Who gets the lead.
    pub assign: Assign,
    /// Where the lead goes when the assignment finds nobody.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Assign>,
}

/// A condition on one lead field, as written.
///
/// A string is an operator expression: `present`, `absent`, `>=1000`, `<50`, `1000..4999`
/// (inclusive range), `~acme` (case-insensitive contains), `=value` or a plain value (equals,
/// case-insensitive). A number equals; a list is "one of".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Condition {
    /// A number: equals.
    Number(f64),
    /// A boolean: equals `true`/`false`.
    Bool(bool),
    /// An operator expression or a plain value.
    Text(String),
    /// One of these values.
    OneOf(Vec<ConditionValue>),
}

/// A value in a "one of" list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConditionValue {
    /// A number.
    Number(f64),
    /// A text value.
    Text(String),
}

/// Ownership logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The lead's existing account owner, when that owner is on the pod.
    AccountOwner,
    /// Next rep in turn.
    RoundRobin,
    /// Reps in proportion to their weights.
    Weighted,
    /// Any rep of the pod (the pod's queue).
    Pod,
    /// By a field such as region or country, to the pod or rep covering it.
    Territory,
}

/// An assignment: method and pod.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assign {
    /// Ownership logic.
    pub method: Method,
    /// Target pod (for `territory`, optional: the pod covering the value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// Field for `territory` routing (`region`, `country`) or `account_owner`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A sample lead and where it must land.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingTest {
    /// Name of the test (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Lead fields.
    pub lead: BTreeMap<String, serde_json::Value>,
    /// Where it must land.
    pub expect: Expectation,
}

/// Where a test lead must land.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// Rule id, or `fallback`.
    pub rule: String,
    /// Pod id.
    pub pod: String,
    /// Rep name, where determined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep: Option<String>,
}

/// Escalation ladder, fallbacks and rip-cord.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// Steps in order of `at`.
    #[serde(default = "default_ladder")]
    pub ladder: Vec<LadderStep>,
    /// Stand-ins for absent owners: role → stand-in.
    #[serde(default)]
    pub fallbacks: BTreeMap<String, String>,
    /// When to pull leadership in.
    #[serde(default)]
    pub rip_cord: RipCord,
}

impl Default for Escalation {
    fn default() -> Self {
        Self { ladder: default_ladder(), fallbacks: BTreeMap::new(), rip_cord: RipCord::default() }
    }
}

/// What a ladder step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepAction {
    /// Remind the owner.
    Remind,
    /// Reassign within the pod.
    Reassign,
    /// Escalate to the named person or role.
    Escalate,
    /// Notify without changing ownership.
    Notify,
}

/// One ladder step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderStep {
    /// SLA multiple at which the step fires (1.0 = at the SLA).
    pub at: f64,
    /// What happens.
    pub action: StepAction,
    /// Who: `owner`, `pod`, or a role or person.
    pub to: String,
}

/// The rip-cord: repeated breaches pull leadership in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RipCord {
    /// Breaches or routing failures over the guardrail that pull it.
    #[serde(default = "two")]
    pub breaches: u32,
    /// Window they must fall in (duration string).
    #[serde(default = "default_window")]
    pub window: String,
    /// Who is told.
    #[serde(default = "default_notify")]
    pub notify: Vec<String>,
}

impl Default for RipCord {
    fn default() -> Self {
        Self { breaches: 2, window: default_window(), notify: default_notify() }
    }
}

/// Kind of dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DependencyKind {
    /// Lead scoring model.
    Scoring,
    /// System integration.
    Integration,
    /// Outreach sequence.
    Sequence,
    /// Talk track or script.
    TalkTrack,
    /// Enrichment provider.
    Enrichment,
    /// Report or dashboard.
    Dashboard,
    /// Automation flow.
    Automation,
    /// Anything else.
    Other,
}

/// Readiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not started.
    NotStarted,
    /// Being built.
    InProgress,
    /// Blocked.
    Blocked,
    /// Ready.
    Ready,
}

/// A system or content that must be ready.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    /// What it is.
    pub name: String,
    /// Kind.
    pub kind: DependencyKind,
    /// Who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Readiness.
    #[serde(default = "not_started")]
    pub status: Status,
    /// Due date (`YYYY-MM-DD`); default the launch date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
}

/// Kind of enablement asset (the shape of an enablement kit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetKind {
    /// Context brief: who the leads are and why they came.
    ContextBrief,
    /// Talk track.
    TalkTrack,
    /// Call or email script.
    Script,
    /// Objection → response → proof table.
    ObjectionTable,
    /// Collateral (one-pagers, case studies).
    Collateral,
    /// Outreach sequence.
    Sequence,
    /// System instructions (CRM workflow, sequence enrolment, logging).
    SystemInstructions,
    /// Dashboard.
    Dashboard,
    /// Playbook.
    Playbook,
    /// Feedback channel.
    FeedbackChannel,
    /// Training session.
    Training,
}

/// An objection with its response and proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objection {
    /// What the lead says.
    pub objection: String,
    /// What the rep answers.
    pub response: String,
    /// The proof (case study, metric, reference).
    pub proof: String,
}

/// An asset a pod needs before launch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnablementItem {
    /// Name of the asset.
    pub asset: String,
    /// Kind.
    pub kind: AssetKind,
    /// Pods that need it.
    pub pods: Vec<String>,
    /// Who produces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Lead time before launch, in business days (`10d`).
    pub lead_time: String,
    /// Notes (Markdown, raw HTML not rendered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Objections, for `objection-table` assets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections: Vec<Objection>,
    /// Link to the asset (http, https or mailto).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// Guardrails for automation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardrails {
    /// Retries for automation/build failures before escalation (default 2).
    #[serde(default = "two")]
    pub retry_limit: u32,
    /// Largest share of leads allowed to fall to the fallback or go unrouted (default 0.05).
    #[serde(default = "default_max_fallback")]
    pub max_fallback_share: f64,
    /// Highest occupancy pods are planned for (default 0.85).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_occupancy: Option<f64>,
}

impl Default for Guardrails {
    fn default() -> Self {
        Self { retry_limit: 2, max_fallback_share: default_max_fallback(), max_occupancy: None }
    }
}

/// Targets the design is judged by (shares as fractions 0–1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessMetrics {
    /// Share of leads touched within the SLA.
    #[serde(default = "default_attainment")]
    pub sla_attainment: f64,
    /// Share of handed-off leads that sales accepts.
    #[serde(default = "default_acceptance")]
    pub acceptance_rate: f64,
    /// Relative lift in lead-to-opportunity conversion.
    #[serde(default = "default_lift")]
    pub conversion_lift: f64,
}

impl Default for SuccessMetrics {
    fn default() -> Self {
        Self {
            sla_attainment: default_attainment(),
            acceptance_rate: default_acceptance(),
            conversion_lift: default_lift(),
        }
    }
}

/// Someone who signs the packet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approver {
    /// Role.
    pub role: String,
    /// Name (optional until known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn two() -> u32 {
    2
}

fn not_started() -> Status {
    Status::NotStarted
}

fn default_window() -> String {
    "48h".to_owned()
}

fn default_notify() -> Vec<String> {
    vec!["Sales leadership".to_owned(), "Marketing leadership".to_owned()]
}

fn default_max_fallback() -> f64 {
    0.05
}

fn default_attainment() -> f64 {
    0.9
}

fn default_acceptance() -> f64 {
    0.8
}

fn default_lift() -> f64 {
    0.1
}

/// The default ladder of DESIGN.md: remind at 1×, reassign at 1.5×, escalate at 2× up the
/// RevOps Director → Sales Manager → CRO chain.
#[must_use]
pub fn default_ladder() -> Vec<LadderStep> {
    let step = |at: f64, action: StepAction, to: &str| LadderStep { at, action, to: to.to_owned() };
    vec![
        step(1.0, StepAction::Remind, "owner"),
        step(1.5, StepAction::Reassign, "pod"),
        step(2.0, StepAction::Escalate, "RevOps Director"),
        step(3.0, StepAction::Escalate, "Sales Manager"),
        step(4.0, StepAction::Escalate, "CRO"),
    ]
}

/// The default approvers of DESIGN.md: the RevOps Director and sales leadership.
#[must_use]
pub fn default_approvers() -> Vec<Approver> {
    vec![
        Approver { role: "RevOps Director".to_owned(), name: None },
        Approver { role: "VP Sales".to_owned(), name: None },
    ]
}
