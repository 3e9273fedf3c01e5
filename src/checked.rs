//! The checked brief: what validation proves about a raw brief, as typed values.
//!
//! [`crate::brief`] holds the brief as written (strings for durations, dates, zones and times);
//! `validate` turns it into this [`Brief`] once, the way ripgrep's `HiArgs` is derived from its
//! `LowArgs`. Durations are [`Duration`]s, dates [`Date`]s, zones [`TimeZone`]s, each pod has
//! one [`BusinessCalendar`] and its SLA in minutes on its clock, shares are [`Share`]s, and the
//! routing is compiled. Nothing downstream parses text again, so building the Model from a
//! checked brief cannot fail on input.
//!
//! Only `validate` builds one (the fields are crate-visible for it); everyone else reads it.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::calc::calendar::BusinessCalendar;
use crate::calc::duration::Duration;
use crate::calc::routing::Router;
use crate::calc::simulate::Clock;

/// A share of a whole: a finite number from 0 to 1 inclusive (shrinkage, availability, targets,
/// mix shares, guardrails).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Share(f64);

impl Share {
    /// The share, when `value` is finite and within 0..=1.
    #[must_use]
    pub fn new(value: f64) -> Option<Self> {
        (value.is_finite() && (0.0..=1.0).contains(&value)).then_some(Self(value))
    }

    /// The share as a number from 0 to 1.
    #[must_use]
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A brief validation has accepted, with every value typed and derived once.
#[derive(Debug, Clone)]
pub struct Brief {
    /// The brief as written, for its free-text fields (titles, names, notes) and the shapes the
    /// views print as written.
    pub(crate) raw: crate::brief::Brief,
    /// The first-response SLA.
    pub(crate) sla: Duration,
    /// The clock it runs on.
    pub(crate) clock: Clock,
    /// The SLA in minutes on its clock, on the brief's own calendar (a day is one business day
    /// on the business clock).
    pub(crate) sla_minutes: f64,
    /// The brief's zone.
    pub(crate) time_zone: TimeZone,
    /// The brief's calendar: its zone, hours and holidays.
    pub(crate) calendar: BusinessCalendar,
    /// Go-live date.
    pub(crate) launch: Date,
    /// Leads per calendar week (from `leads_per_week`, or seven times `leads_per_day`).
    pub(crate) leads_per_week: f64,
    /// Share of leads arriving outside business hours, below 1.
    pub(crate) after_hours_share: Option<Share>,
    /// The pods, in the brief's order.
    pub(crate) pods: Vec<Pod>,
    /// The rip-cord's window.
    pub(crate) rip_cord_window: Duration,
    /// Each enablement item's lead time, in the brief's order.
    pub(crate) lead_times: Vec<Duration>,
    /// Each dependency's due date when it gives one, in the brief's order.
    pub(crate) dependency_dues: Vec<Option<Date>>,
    /// Share of leads touched within the SLA the design aims for, above 0.
    pub(crate) sla_attainment: Share,
    /// Largest share of leads allowed to fall to a fallback.
    pub(crate) max_fallback_share: Share,
    /// Highest occupancy pods are planned for, when the brief sets one (above 0).
    pub(crate) max_occupancy: Option<Share>,
    /// The routing, compiled.
    pub(crate) router: Router,
}

/// One pod with its calendar and service figures, everything an SLA model or replay needs.
#[derive(Debug, Clone)]
pub struct Pod {
    /// Position in `capacity.pods` (its pointer is `/capacity/pods/{index}`).
    pub(crate) index: usize,
    /// The pod's calendar: its own zone, hours and holidays, or the brief's.
    pub(crate) calendar: BusinessCalendar,
    /// The brief's SLA in minutes on its clock and on this pod's calendar.
    pub(crate) sla_minutes: f64,
    /// Mean time a lead stays warm (on the calendar clock).
    pub(crate) patience: Option<Duration>,
    /// Share of paid time not available for first touches, below 1.
    pub(crate) shrinkage: Share,
    /// Head count (named reps, available or not).
    pub(crate) head_count: u32,
    /// Reps who take new leads (named reps marked `available: false` excluded).
    pub(crate) available_reps: u32,
    /// Mean minutes of work per first touch, positive.
    pub(crate) touch_minutes: f64,
    /// Where the pod's simulated weeks start: launch day, 00:00 in the pod's zone.
    pub(crate) start: Timestamp,
}

impl Brief {
    /// The brief as written.
    #[must_use]
    pub fn raw(&self) -> &crate::brief::Brief {
        &self.raw
    }

    /// The first-response SLA.
    #[must_use]
    pub fn sla(&self) -> Duration {
        self.sla
    }

    /// The clock the SLA runs on.
    #[must_use]
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The SLA in minutes on its clock and the brief's calendar.
    #[must_use]
    pub fn sla_minutes(&self) -> f64 {
        self.sla_minutes
    }

    /// The brief's zone.
    #[must_use]
    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// The brief's calendar.
    #[must_use]
    pub fn calendar(&self) -> &BusinessCalendar {
        &self.calendar
    }

    /// Go-live date.
    #[must_use]
    pub fn launch(&self) -> Date {
        self.launch
    }

    /// Leads per calendar week.
    #[must_use]
    pub fn leads_per_week(&self) -> f64 {
        self.leads_per_week
    }

    /// Share of leads arriving outside business hours, when given.
    #[must_use]
    pub fn after_hours_share(&self) -> Option<Share> {
        self.after_hours_share
    }

    /// The pods, in the brief's order (the raw pod is `raw().capacity.pods[pod.index()]`).
    #[must_use]
    pub fn pods(&self) -> &[Pod] {
        &self.pods
    }

    /// The rip-cord's window.
    #[must_use]
    pub fn rip_cord_window(&self) -> Duration {
        self.rip_cord_window
    }

    /// Each enablement item's lead time, in the brief's order.
    #[must_use]
    pub fn lead_times(&self) -> &[Duration] {
        &self.lead_times
    }

    /// Each dependency's due date when it gives one, in the brief's order.
    #[must_use]
    pub fn dependency_dues(&self) -> &[Option<Date>] {
        &self.dependency_dues
    }

    /// Target share of leads touched within the SLA (above 0).
    #[must_use]
    pub fn sla_attainment(&self) -> Share {
        self.sla_attainment
    }

    /// Largest share of leads allowed to fall to a fallback.
    #[must_use]
    pub fn max_fallback_share(&self) -> Share {
        self.max_fallback_share
    }

    /// Highest occupancy pods are planned for, when the brief sets one.
    #[must_use]
    pub fn max_occupancy(&self) -> Option<Share> {
        self.max_occupancy
    }

    /// The compiled routing (clone it to route leads: it keeps live rep state).
    #[must_use]
    pub fn router(&self) -> &Router {
        &self.router
    }
}

impl Pod {
    /// Position in `capacity.pods`.
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// The pod's calendar.
    #[must_use]
    pub fn calendar(&self) -> &BusinessCalendar {
        &self.calendar
    }

    /// The SLA in minutes on its clock and this pod's calendar.
    #[must_use]
    pub fn sla_minutes(&self) -> f64 {
        self.sla_minutes
    }

    /// Mean time a lead stays warm.
    #[must_use]
    pub fn patience(&self) -> Option<Duration> {
        self.patience
    }

    /// Share of paid time not available for first touches (below 1).
    #[must_use]
    pub fn shrinkage(&self) -> Share {
        self.shrinkage
    }

    /// Head count.
    #[must_use]
    pub fn head_count(&self) -> u32 {
        self.head_count
    }

    /// Reps who take new leads.
    #[must_use]
    pub fn available_reps(&self) -> u32 {
        self.available_reps
    }

    /// Mean minutes of work per first touch.
    #[must_use]
    pub fn touch_minutes(&self) -> f64 {
        self.touch_minutes
    }

    /// Launch day, 00:00 in the pod's zone.
    #[must_use]
    pub fn start(&self) -> Timestamp {
        self.start
    }
}
