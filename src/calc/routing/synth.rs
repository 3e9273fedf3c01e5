//! Synthetic leads: every path through the rules first, then random leads from the demand mix.
//!
//! Before launch a team wants to push leads through the *real* router (the CRM's) and compare
//! with the design. These leads come in two parts:
//!
//! 1. **Covering leads**: one lead reaching each rule first; one that no rule catches (the routing
//!    fallback) when the rules leave a gap; for rules whose method reads a field
//!    (`account_owner`, `territory`), one whose value no rep covers, so the rule's fallback fires;
//!    then one lead for every attribute value and numeric interval not yet used.
//! 2. **Random leads**: each attribute drawn from its cell shares (see `super::coverage`) —
//!    given the drawn value of `by` when the mix's shares depend on one — numbers uniformly
//!    inside the drawn interval.
//!
//! Arrival times (`created_at`, civil time in the brief's zone) are spread over business hours
//! from the launch date: as many leads per open day as the demand gives, each at a random time
//! between opening and closing, in order. Everything is drawn from one seeded generator, so the
//! same brief, count and seed give the same file.

use std::collections::BTreeSet;

use jiff::civil::{Date, Weekday};

use super::coverage::{Cell, Dimension, DimensionKind, MAX_COMBINATIONS, dimensions};
use super::engine::{Router, assign_field};
use crate::brief::{Brief, Method, Reps};
use crate::calc::calendar::weekday;

/// Stands for an account owner who is no rep of any pod, to force the account-owner fallback.
pub const UNKNOWN_OWNER: &str = "Unknown Owner";

/// Stands for a territory no pod or rep covers, to force the territory fallback.
pub const UNMAPPED_TERRITORY: &str = "unmapped-territory";

/// A stream of synthetic leads: [`Synthesizer::columns`] then one row per `next()`.
#[derive(Debug)]
pub struct Synthesizer {
    columns: Vec<String>,
    dims: Vec<Dimension>,
    forcing: Vec<&'static str>,
    owner_names: Vec<Vec<String>>,
    covering: Vec<Vec<Option<usize>>>,
    remaining: u64,
    emitted: usize,
    rng: fastrand::Rng,
    clock: Clock,
}

#[derive(Debug)]
struct Clock {
    day: Date,
    started: bool,
    open: i64,
    close: i64,
    days: Vec<Weekday>,
    holidays: BTreeSet<Date>,
    per_day: usize,
    today: Vec<i64>,
}

impl Clock {
    fn new(brief: &Brief) -> Self {
        // Seconds after midnight, by the calendar's one HH:MM parser; a closing `00:00` is the end
        // of the day, as the calendar defines it.
        let seconds = |s: &str| {
            crate::calc::calendar::parse_time(s).map(|t| i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60)
        };
        let close = seconds(&brief.business_hours.close).map(|c| if c == 0 { 86_400 } else { c });
        let (open, close) = match (seconds(&brief.business_hours.open), close) {
            (Some(o), Some(c)) if c > o => (o, c),
            _ => (9 * 3600, 17 * 3600),
        };
        let mut days: Vec<Weekday> = brief.business_hours.days.iter().map(|d| weekday(*d)).collect();
        if days.is_empty() {
            days = vec![Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        }
        let per_week = brief.demand.leads_per_week.or(brief.demand.leads_per_day.map(|d| d * 7.0)).unwrap_or(0.0);
        let per_day = if per_week.is_finite() && per_week > 0.0 {
            ((per_week / days.len() as f64).ceil() as usize).clamp(1, 1_000_000)
        } else {
            50
        };
        Self {
            day: brief.launch.parse().unwrap_or(jiff::civil::date(2027, 1, 4)),
            started: false,
            open,
            close,
            days,
            holidays: brief.holidays.iter().filter_map(|h| h.parse().ok()).collect(),
            per_day,
            today: Vec::new(),
        }
    }

    fn is_open(&self, d: Date) -> bool {
        self.days.contains(&d.weekday()) && !self.holidays.contains(&d)
    }

    /// The next arrival, as `YYYY-MM-DD HH:MM:SS`.
    fn next(&mut self, rng: &mut fastrand::Rng) -> String {
        if self.today.is_empty() {
            if self.started {
                self.day = self.day.tomorrow().unwrap_or(self.day);
            }
            self.started = true;
            // At most a few weeks of closed days in a row; stop looking after a year.
            for _ in 0..366 {
                if self.is_open(self.day) {
                    break;
                }
                self.day = self.day.tomorrow().unwrap_or(self.day);
            }
            self.today = (0..self.per_day).map(|_| rng.i64(self.open..self.close)).collect();
            // Popped from the end: latest first in the vector, so earliest comes out first.
            self.today.sort_unstable_by(|a, b| b.cmp(a));
        }
        let s = self.today.pop().unwrap_or(self.open);
        format!("{} {:02}:{:02}:{:02}", self.day, s / 3600, (s / 60) % 60, s % 60)
    }
}

/// A covering lead as one cell index per dimension, with `None` meaning "use the forcing value"
/// (unknown owner or unmapped territory) in that dimension.
type CellPick = Vec<Option<usize>>;

impl Synthesizer {
    /// Prepare `n` leads for the brief, drawn with `seed`.
    ///
    /// # Errors
    /// The routing's compile problems (see [`Router::new`]).
    pub fn new(brief: &Brief, n: u64, seed: u64) -> Result<Self, Vec<crate::diag::Problem>> {
        let router = Router::new(brief)?;
        let dims = dimensions(brief, &router);
        // Names an account-owner field can carry so the owner is found: reps of the target pods.
        let owner_names: Vec<Vec<String>> = dims
            .iter()
            .map(|d| {
                let mut names = BTreeSet::new();
                for a in assigns(brief).filter(|a| a.method == Method::AccountOwner) {
                    if assign_field(a) == Some(d.field.as_str()) {
                        for p in brief.capacity.pods.iter().filter(|p| a.pod.as_ref().is_none_or(|id| *id == p.id)) {
                            if let Reps::Named(reps) = &p.reps {
                                names.extend(reps.iter().filter(|r| r.available).map(|r| r.name.clone()));
                            }
                        }
                    }
                }
                names.into_iter().collect()
            })
            .collect();
        let forcing: Vec<&'static str> = dims.iter().map(|d| forcing_value(brief, &d.field)).collect();
        let covering = covering(brief, &router, &dims, &forcing);
        Ok(Self {
            forcing,
            columns: std::iter::once("created_at".to_owned()).chain(dims.iter().map(|d| d.field.clone())).collect(),
            dims,
            owner_names,
            covering,
            remaining: n,
            emitted: 0,
            rng: fastrand::Rng::with_seed(seed),
            clock: Clock::new(brief),
        })
    }

    /// The header: `created_at`, then every field the rules read.
    #[must_use]
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// How many of the leads are covering leads (the rest are random).
    #[must_use]
    pub fn covering(&self) -> usize {
        usize::try_from(self.remaining).map_or(self.covering.len(), |n| n.min(self.covering.len()))
    }

    fn text(&mut self, dim: usize, cell: Option<usize>, random: bool) -> String {
        let d = &self.dims[dim];
        let Some(cell) = cell else {
            return self.forcing[dim].to_owned();
        };
        match &d.cells[cell] {
            Cell::Absent => String::new(),
            Cell::Value { value } => value.clone(),
            Cell::Other => {
                let names = &self.owner_names[dim];
                if names.is_empty() {
                    format!("{}-other", d.field)
                } else if random {
                    names[self.rng.usize(..names.len())].clone()
                } else {
                    names[0].clone()
                }
            }
            Cell::Range { interval, .. } => {
                if !random {
                    return super::condition::format_number(interval.representative());
                }
                let (lo, hi) = match (interval.lo, interval.hi) {
                    (Some((l, _)), Some((h, _))) => (l, h),
                    (Some((l, _)), None) => (l, (l * 2.0).max(l + 1000.0)),
                    (None, Some((h, _))) => (if h > 0.0 { 0.0 } else { h - 1000.0 }, h),
                    (None, None) => (0.0, 1000.0),
                };
                let point = if d.integer {
                    let (lo, hi) = (lo as i64, hi as i64);
                    // Integer cells are half-open [lo, hi); an unbounded-low cell excludes hi too.
                    if hi > lo { self.rng.i64(lo..hi) as f64 } else { lo as f64 }
                } else if hi > lo {
                    lo + self.rng.f64() * (hi - lo)
                } else {
                    lo
                };
                let point = if interval.lo.is_some_and(|(l, inc)| point < l || (!inc && point == l))
                    || interval.hi.is_some_and(|(h, inc)| point > h || (!inc && point == h))
                {
                    interval.representative()
                } else {
                    point
                };
                super::condition::format_number(point)
            }
        }
    }
}

impl Iterator for Synthesizer {
    type Item = Vec<String>;

    fn next(&mut self) -> Option<Vec<String>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let mut row = Vec::with_capacity(self.columns.len());
        row.push(self.clock.next(&mut self.rng));
        if let Some(pick) = self.covering.get(self.emitted).cloned() {
            for (dim, cell) in pick.into_iter().enumerate() {
                let t = self.text(dim, cell, false);
                row.push(t);
            }
        } else {
            // Each dimension after the one its shares depend on (`demand.mix.<field>.by`), drawn
            // from its shares given that cell; without such shares, in column order.
            let n = self.dims.len();
            let mut digits = vec![0usize; n];
            let mut texts = vec![String::new(); n];
            for &dim in &draw_order(&self.dims) {
                let cell = draw(&mut self.rng, self.dims[dim].shares_given(&digits));
                digits[dim] = cell;
                texts[dim] = self.text(dim, Some(cell), true);
            }
            row.extend(texts);
        }
        self.emitted += 1;
        Some(row)
    }
}

/// The dimensions in an order where each comes after the one its shares depend on (column order
/// otherwise; a cycle, which validation refuses, is broken in column order).
fn draw_order(dims: &[Dimension]) -> Vec<usize> {
    let mut order = Vec::with_capacity(dims.len());
    let mut placed = vec![false; dims.len()];
    for _ in 0..dims.len() {
        for (i, d) in dims.iter().enumerate() {
            let ready = d.given.as_ref().is_none_or(|g| placed.get(g.dimension).copied().unwrap_or(true));
            if !placed[i] && ready {
                placed[i] = true;
                order.push(i);
            }
        }
    }
    order.extend((0..dims.len()).filter(|&i| !placed[i]));
    order
}

fn draw(rng: &mut fastrand::Rng, shares: &[f64]) -> usize {
    let total: f64 = shares.iter().sum();
    if shares.is_empty() {
        return 0;
    }
    if total <= 0.0 {
        return rng.usize(..shares.len());
    }
    let mut x = rng.f64() * total;
    for (i, s) in shares.iter().enumerate() {
        if x < *s {
            return i;
        }
        x -= s;
    }
    shares.iter().rposition(|s| *s > 0.0).unwrap_or(0)
}

fn assigns(brief: &Brief) -> impl Iterator<Item = &crate::brief::Assign> {
    brief
        .routing
        .rules
        .iter()
        .flat_map(|r| std::iter::once(&r.assign).chain(r.fallback.as_ref()))
        .chain(std::iter::once(&brief.routing.fallback))
}

/// The covering picks: first a combination reaching each rule first (and one reaching no rule),
/// then forced-fallback variants, then every unused cell.
/// The value that makes a method reading `field` find nobody.
fn forcing_value(brief: &Brief, field: &str) -> &'static str {
    if assigns(brief).any(|a| a.method == Method::AccountOwner && assign_field(a) == Some(field)) {
        UNKNOWN_OWNER
    } else {
        UNMAPPED_TERRITORY
    }
}

fn covering(brief: &Brief, router: &Router, dims: &[Dimension], forcing: &[&str]) -> Vec<CellPick> {
    let n_rules = router.rule_count();
    let radices: Vec<usize> = dims.iter().map(|d| d.cells.len().max(1)).collect();
    let slots: Vec<usize> = dims.iter().map(|d| router.slot(&d.field).unwrap_or(usize::MAX)).collect();
    let lead_of = |pick: &CellPick| -> Vec<Option<String>> {
        let mut values = vec![None; router.fields().len()];
        for (((d, cell), &slot), force) in dims.iter().zip(pick).zip(&slots).zip(forcing) {
            if let Some(v) = values.get_mut(slot) {
                *v = match cell {
                    Some(c) => d.cells[*c].representative(),
                    None => Some((*force).to_owned()),
                };
            }
        }
        values
    };
    let first_match = |pick: &CellPick| -> Option<usize> {
        let values = lead_of(pick);
        let lead: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
        (0..n_rules).find(|&r| router.rule_matches(r, &lead))
    };
    // Prefer combinations with the most common cells: walk cells ordered by share.
    let order: Vec<Vec<usize>> = dims
        .iter()
        .map(|d| {
            let mut idx: Vec<usize> = (0..d.cells.len()).collect();
            idx.sort_by(|&a, &b| d.shares[b].total_cmp(&d.shares[a]).then(a.cmp(&b)));
            idx
        })
        .collect();
    let mut found: Vec<Option<CellPick>> = vec![None; n_rules + 1];
    let total: u64 = radices.iter().fold(1u64, |acc, &r| acc.saturating_mul(r as u64));
    let limit = usize::try_from(total).unwrap_or(usize::MAX).min(MAX_COMBINATIONS);
    let mut digits = vec![0usize; dims.len()];
    for _ in 0..limit {
        let pick: CellPick = digits.iter().zip(&order).map(|(&d, o)| o.get(d).copied()).collect();
        let slot = first_match(&pick).unwrap_or(n_rules);
        if found[slot].is_none() {
            found[slot] = Some(pick);
            if found.iter().all(Option::is_some) {
                break;
            }
        }
        for i in (0..digits.len()).rev() {
            digits[i] += 1;
            if digits[i] < radices[i] {
                break;
            }
            digits[i] = 0;
        }
    }
    let mut picks: Vec<CellPick> = found.iter().flatten().cloned().collect();
    // Forced fallbacks: the rule's own method reads a field; give it a value nobody covers.
    for (r, rule) in brief.routing.rules.iter().enumerate() {
        let Some(base) = &found[r] else { continue };
        let Some(field) = assign_field(&rule.assign) else { continue };
        let Some(dim) = dims.iter().position(|d| d.field == field) else { continue };
        let mut pick = base.clone();
        pick[dim] = None;
        if first_match(&pick) == Some(r) {
            picks.push(pick);
        }
    }
    // Every cell of every dimension at least once.
    let base = picks.first().cloned().unwrap_or_else(|| order.iter().map(|o| o.first().copied()).collect());
    for (dim, d) in dims.iter().enumerate() {
        for cell in 0..d.cells.len() {
            if !picks.iter().any(|p| p[dim] == Some(cell)) {
                let mut pick = base.clone();
                pick[dim] = Some(cell);
                picks.push(pick);
            }
        }
    }
    debug_assert!(dims.iter().all(|d| d.kind != DimensionKind::List || !d.cells.is_empty()));
    picks
}
