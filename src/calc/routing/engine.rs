//! The routing engine: the brief's rules compiled once, then applied to leads as a router would.
//!
//! Rules are tried in order and the first whose conditions all hold assigns the lead. Ownership
//! is resolved against live rep state — who is available, who is at `max_open`, whose turn it is —
//! so replaying a lead export reproduces what the router would have done lead by lead. When the
//! rule's method finds nobody, the rule's fallback is tried, then the routing fallback; when that
//! finds nobody too the lead is *unrouted* with the reason, never dropped.
//!
//! Ownership methods:
//! - `account_owner`: the lead's owner field (`field`, default `account_owner`) names a rep of the
//!   target pod — of any pod when `pod` is omitted — matched ignoring case; that rep takes the
//!   lead if available and under `max_open`. Head-count pods have no names to match.
//! - `round_robin`: the pod's next rep in turn (one cursor per pod, shared by every rule that
//!   targets it), skipping unavailable and full reps.
//! - `weighted`: smooth weighted round-robin (nginx's) over the available reps with room: over any
//!   run of leads each rep is within one lead of its exact weighted share.
//! - `pod`: the pod's queue (no rep), while the pod has an available rep and the leads open in it
//!   stay under the sum of its available reps' caps.
//! - `territory`: the lead's `field` value (ignoring case) against `territories`: reps of the
//!   target pod (or of any pod) covering it, in turn within that territory (smooth weighted
//!   round-robin with one set of credits per territory value, so reps who share a territory take
//!   turns however the other territories' leads interleave); else a pod covering it, to its queue.
//!
//! Open leads: every assignment to a rep (or to a pod's queue) counts as open against `max_open`.
//! In a replay nobody works the leads, so by default they stay open for the whole run; give
//! [`Router::with_open_for`] a time (and leads their arrival times) to release each lead that long
//! after it was assigned, or call [`Router::release`] to close one explicitly.
//!
//! Leads are read through *slots*: [`Router::fields`] lists the lead fields the rules read, and a
//! lead is passed as one optional value per slot. The CSV reader maps header columns to slots once,
//! so routing a row allocates nothing.

use std::collections::{BTreeMap, VecDeque};

use super::condition::{Predicate, trim};
pub(crate) use super::outcome::{Assignment, Failure, RoutePath};
use crate::brief::{Assign, Brief, Method, Reps};
use crate::diag::Problem;

/// A rep as the engine tracks it.
#[derive(Debug, Clone)]
pub struct RepState {
    /// Name as in the brief (`east-sdr#2` for head-count pods).
    pub name: String,
    folded: String,
    /// Weight for `weighted` routing.
    pub weight: f64,
    /// Cap on open leads.
    pub max_open: Option<u32>,
    /// False when the rep takes no new leads.
    pub available: bool,
    territories: Vec<String>,
    /// Leads currently open.
    pub open: u32,
    opened_at: VecDeque<i64>,
    current: f64,
}

/// A pod as the engine tracks it.
#[derive(Debug, Clone)]
pub struct PodState {
    /// Pod id.
    pub id: String,
    /// Its reps.
    pub reps: Vec<RepState>,
    territories: Vec<String>,
    cursor: usize,
    /// Per territory value, each rep's running credit for territory turns.
    turns: BTreeMap<String, Vec<f64>>,
    /// Leads open in the pod's queue (assigned to the pod, not a rep).
    pub queue_open: u32,
    queue_opened_at: VecDeque<i64>,
}

#[derive(Debug, Clone, Copy)]
struct Target {
    method: Method,
    pod: Option<usize>,
    field: Option<usize>,
}

#[derive(Debug, Clone)]
struct CompiledRule {
    id: String,
    when: Vec<(usize, Predicate)>,
    assign: Target,
    fallback: Option<Target>,
}

/// The compiled routing of one brief, with live rep state.
#[derive(Debug, Clone)]
pub struct Router {
    fields: Vec<String>,
    rules: Vec<CompiledRule>,
    fallback: Target,
    pods: Vec<PodState>,
    open_for: Option<i64>,
}

/// Escape one JSON-pointer segment (RFC 6901).
#[must_use]
pub(crate) fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// The field an `account_owner` or `territory` assignment reads (`account_owner` by default for
/// the former).
#[must_use]
pub(crate) fn assign_field(assign: &Assign) -> Option<&str> {
    match assign.method {
        Method::AccountOwner => Some(assign.field.as_deref().unwrap_or("account_owner")),
        Method::Territory => assign.field.as_deref(),
        _ => None,
    }
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// A lead value to look up among [`fold`]ed names: compares as `fold(value) == folded` without
/// allocating when the trimmed value is ASCII (the usual case).
enum Lookup<'a> {
    /// Trimmed ASCII: `fold` would only lowercase its ASCII letters, and folded text holds no
    /// ASCII capitals, so an ASCII-case-insensitive comparison is the same test.
    Ascii(&'a str),
    /// Anything else, folded.
    Folded(String),
}

impl<'a> Lookup<'a> {
    fn new(s: &'a str) -> Self {
        let t = s.trim();
        if t.is_ascii() { Self::Ascii(t) } else { Self::Folded(t.to_lowercase()) }
    }

    /// `fold(value) == folded`.
    fn is(&self, folded: &str) -> bool {
        match self {
            Self::Ascii(t) => t.eq_ignore_ascii_case(folded),
            Self::Folded(f) => f == folded,
        }
    }
}

impl Router {
    /// Compile the brief's routing.
    ///
    /// # Errors
    /// Every problem that makes the routing impossible to evaluate: a condition that does not
    /// parse, an assignment naming a pod that does not exist, `round_robin`/`weighted`/`pod`
    /// without a pod, `territory` without a field.
    pub fn new(brief: &Brief) -> Result<Self, Vec<Problem>> {
        // The engine keeps state per rep: refuse head counts beyond the schema's limit before
        // allocating, even when the caller reached here without the schema (found by fuzzing:
        // `reps: 4000000000` asked for 96 GB).
        let oversized: Vec<Problem> = brief
            .capacity
            .pods
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.reps, Reps::Count(n) if n > MAX_REPS))
            .map(|(i, _)| Problem::at(format!("/capacity/pods/{i}/reps"), format!("a pod has at most {MAX_REPS} reps")))
            .collect();
        if !oversized.is_empty() {
            return Err(oversized);
        }
        let mut issues = Vec::new();
        let pods: Vec<PodState> = brief.capacity.pods.iter().map(pod_state).collect();
        let pod_index: BTreeMap<&str, usize> =
            brief.capacity.pods.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        let mut fields: Vec<String> = Vec::new();
        let mut slot = |name: &str| -> usize {
            if let Some(i) = fields.iter().position(|f| f == name) {
                i
            } else {
                fields.push(name.to_owned());
                fields.len() - 1
            }
        };
        let target = |assign: &Assign, at: String, issues: &mut Vec<Problem>, slot: &mut dyn FnMut(&str) -> usize| {
            let pod = match assign.pod.as_deref() {
                Some(id) => match pod_index.get(id) {
                    Some(&i) => Some(i),
                    None => {
                        let known: Vec<&str> = pod_index.keys().copied().collect();
                        issues.push(Problem::at(
                            format!("{at}/pod"),
                            format!("no pod `{id}` in capacity.pods (pods: {})", known.join(", ")),
                        ));
                        None
                    }
                },
                None => {
                    if matches!(assign.method, Method::RoundRobin | Method::Weighted | Method::Pod) {
                        issues.push(Problem::at(
                            at.clone(),
                            format!("`{}` needs a `pod` to assign to", method_name(assign.method)),
                        ));
                    }
                    None
                }
            };
            if assign.method == Method::Territory && assign.field.is_none() {
                issues.push(Problem::at(
                    at,
                    "`territory` needs a `field` naming the lead field to match, e.g. `field: region`",
                ));
            }
            let field = assign_field(assign).map(&mut *slot);
            Target { method: assign.method, pod, field }
        };
        let mut rules = Vec::with_capacity(brief.routing.rules.len());
        for (i, rule) in brief.routing.rules.iter().enumerate() {
            let mut when = Vec::with_capacity(rule.when.len());
            for (field, cond) in &rule.when {
                match Predicate::parse(cond) {
                    Ok(p) => when.push((slot(field), p)),
                    Err(e) => {
                        issues.push(Problem::at(format!("/routing/rules/{i}/when/{}", pointer_segment(field)), e.0));
                    }
                }
            }
            let assign = target(&rule.assign, format!("/routing/rules/{i}/assign"), &mut issues, &mut slot);
            let fallback = rule
                .fallback
                .as_ref()
                .map(|f| target(f, format!("/routing/rules/{i}/fallback"), &mut issues, &mut slot));
            rules.push(CompiledRule { id: rule.id.clone(), when, assign, fallback });
        }
        let fallback = target(&brief.routing.fallback, "/routing/fallback".to_owned(), &mut issues, &mut slot);
        if issues.is_empty() { Ok(Self { fields, rules, fallback, pods, open_for: None }) } else { Err(issues) }
    }

    /// Release each lead `seconds` after it was assigned, when leads carry arrival times.
    #[must_use]
    pub fn with_open_for(mut self, seconds: Option<i64>) -> Self {
        self.open_for = seconds;
        self
    }

    /// How long a lead stays open against its rep's `max_open`, in seconds (`None`: the whole
    /// replay).
    #[must_use]
    pub fn open_for(&self) -> Option<i64> {
        self.open_for
    }

    /// The lead fields the rules read, in slot order.
    #[must_use]
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// The pods with their live state.
    #[must_use]
    pub fn pods(&self) -> &[PodState] {
        &self.pods
    }

    /// Rule ids in order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// Number of rules.
    #[must_use]
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The slot of a lead field, when the rules read it.
    #[must_use]
    pub fn slot(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == field)
    }

    /// True when every condition of rule `rule` holds for the lead (slots as in [`Router::route`]).
    #[must_use]
    pub fn rule_matches(&self, rule: usize, lead: &[Option<&str>]) -> bool {
        let value = |slot: usize| lead.get(slot).copied().flatten();
        self.rules.get(rule).is_some_and(|r| r.when.iter().all(|(slot, p)| p.matches(value(*slot))))
    }

    /// The id of rule `i`, or `fallback` for `None`.
    #[must_use]
    pub fn rule_id(&self, rule: Option<usize>) -> &str {
        rule.and_then(|i| self.rules.get(i)).map_or("fallback", |r| r.id.as_str())
    }

    /// Close one open lead of a rep (or of the pod's queue when `rep` is `None`): the replay's
    /// release of a lead at its SLA due time (`crate::replay`).
    pub fn release(&mut self, pod: usize, rep: Option<usize>) {
        let Some(p) = self.pods.get_mut(pod) else { return };
        match rep.and_then(|r| p.reps.get_mut(r)) {
            Some(r) => {
                r.open = r.open.saturating_sub(1);
                r.opened_at.pop_front();
            }
            None if rep.is_none() => {
                p.queue_open = p.queue_open.saturating_sub(1);
                p.queue_opened_at.pop_front();
            }
            None => {}
        }
    }

    /// Route a lead given as a map of field → value (fields the rules do not read are ignored).
    pub fn route_map<S: AsRef<str>>(&mut self, lead: &BTreeMap<String, S>) -> Assignment {
        let values: Vec<Option<&str>> = self.fields.iter().map(|f| lead.get(f).map(AsRef::as_ref)).collect();
        self.route(&values, None)
    }

    /// Route one lead: `lead[slot]` is the value of [`Router::fields`]`[slot]` (missing slots
    /// count as absent); `at` is its arrival time in seconds, used only to release old leads.
    pub fn route(&mut self, lead: &[Option<&str>], at: Option<i64>) -> Assignment {
        let value = |slot: usize| lead.get(slot).copied().flatten().map(trim).filter(|v| !v.is_empty());
        let matched = self.rules.iter().position(|rule| rule.when.iter().all(|(slot, p)| p.matches(value(*slot))));
        let mut out = Assignment {
            rule: matched,
            path: RoutePath::Primary,
            pod: None,
            rep: None,
            primary_failure: None,
            rule_fallback_failure: None,
            fallback_failure: None,
        };
        if let Some(i) = matched {
            let assign = self.rules[i].assign;
            match self.take(assign, lead, at) {
                Ok((pod, rep)) => return Assignment { pod: Some(pod), rep, ..out },
                Err(f) => out.primary_failure = Some(f),
            }
            if let Some(fb) = self.rules[i].fallback {
                match self.take(fb, lead, at) {
                    Ok((pod, rep)) => return Assignment { path: RoutePath::RuleFallback, pod: Some(pod), rep, ..out },
                    Err(f) => out.rule_fallback_failure = Some(f),
                }
            }
        } else {
            out.primary_failure = Some(Failure::NoRuleMatched);
        }
        match self.take(self.fallback, lead, at) {
            Ok((pod, rep)) => Assignment { path: RoutePath::RoutingFallback, pod: Some(pod), rep, ..out },
            Err(f) => Assignment { path: RoutePath::Unrouted, fallback_failure: Some(f), ..out },
        }
    }

    fn take(&mut self, t: Target, lead: &[Option<&str>], at: Option<i64>) -> Result<(usize, Option<usize>), Failure> {
        let open_for = self.open_for;
        let field_value = |slot: Option<usize>| -> Result<&str, Failure> {
            let slot = slot.ok_or(Failure::FieldMissing(usize::MAX))?;
            lead.get(slot).copied().flatten().map(trim).filter(|v| !v.is_empty()).ok_or(Failure::FieldMissing(slot))
        };
        match t.method {
            Method::RoundRobin | Method::Weighted | Method::Pod => {
                let pod = t.pod.ok_or(Failure::NobodyFree(usize::MAX))?;
                let p = &mut self.pods[pod];
                p.expire(at, open_for);
                let rep = match t.method {
                    Method::RoundRobin => Some(p.round_robin(|_| true).ok_or(Failure::NobodyFree(pod))?),
                    Method::Weighted => Some(p.weighted().ok_or(Failure::NobodyFree(pod))?),
                    _ => {
                        if !p.queue_has_room() {
                            return Err(Failure::NobodyFree(pod));
                        }
                        None
                    }
                };
                p.open(rep, at, open_for);
                Ok((pod, rep))
            }
            Method::AccountOwner => {
                let owner = Lookup::new(field_value(t.field)?);
                let found = match t.pod {
                    Some(pod) => self.pods[pod].reps.iter().position(|r| owner.is(&r.folded)).map(|r| (pod, r)),
                    None => self
                        .pods
                        .iter()
                        .enumerate()
                        .find_map(|(pi, p)| p.reps.iter().position(|r| owner.is(&r.folded)).map(|r| (pi, r))),
                };
                let (pod, rep) = found.ok_or(Failure::OwnerNotFound)?;
                let p = &mut self.pods[pod];
                p.expire(at, open_for);
                let r = &p.reps[rep];
                if !r.available {
                    return Err(Failure::OwnerUnavailable);
                }
                if !r.has_room() {
                    return Err(Failure::OwnerFull);
                }
                p.open(Some(rep), at, open_for);
                Ok((pod, Some(rep)))
            }
            Method::Territory => {
                let value = Lookup::new(field_value(t.field)?);
                // The pods to try, in order: the named one, or every pod covering the value
                // (found again below, without collecting them).
                let (first, end) = match t.pod {
                    Some(pod) => (pod, pod + 1),
                    None => (0, self.pods.len()),
                };
                let mut covered = false;
                let mut last_full = None;
                for pod in first..end {
                    if t.pod.is_none() && !self.pods[pod].covers(&value) {
                        continue;
                    }
                    let p = &mut self.pods[pod];
                    p.expire(at, open_for);
                    let reps_cover = p.reps.iter().any(|r| r.territories.iter().any(|x| value.is(x)));
                    if reps_cover {
                        covered = true;
                        if let Some(rep) = p.territory_turn(&value) {
                            p.open(Some(rep), at, open_for);
                            return Ok((pod, Some(rep)));
                        }
                        last_full = Some(pod);
                    } else if p.territories.iter().any(|x| value.is(x)) {
                        covered = true;
                        if p.queue_has_room() {
                            p.open(None, at, open_for);
                            return Ok((pod, None));
                        }
                        last_full = Some(pod);
                    }
                }
                match last_full {
                    Some(pod) if covered => Err(Failure::NobodyFree(pod)),
                    _ => Err(Failure::NoTerritory),
                }
            }
        }
    }
}

/// Name of a method as the brief writes it.
#[must_use]
pub(crate) fn method_name(m: Method) -> &'static str {
    match m {
        Method::AccountOwner => "account_owner",
        Method::RoundRobin => "round_robin",
        Method::Weighted => "weighted",
        Method::Pod => "pod",
        Method::Territory => "territory",
    }
}

/// Most reps a pod may have (the brief schema's limit).
pub(crate) const MAX_REPS: u32 = 10_000;

/// Rep names of a pod as the engine and reports use them (`pod#1` … for head counts).
#[must_use]
pub(crate) fn rep_names(pod: &crate::brief::Pod) -> Vec<String> {
    match &pod.reps {
        Reps::Count(n) => (1..=*n).map(|i| format!("{}#{i}", pod.id)).collect(),
        Reps::Named(reps) => reps.iter().map(|r| r.name.clone()).collect(),
    }
}

fn pod_state(pod: &crate::brief::Pod) -> PodState {
    let reps = match &pod.reps {
        Reps::Count(_) => rep_names(pod)
            .into_iter()
            .map(|name| RepState {
                folded: fold(&name),
                name,
                weight: 1.0,
                max_open: pod.max_open,
                available: true,
                territories: Vec::new(),
                open: 0,
                opened_at: VecDeque::new(),
                current: 0.0,
            })
            .collect(),
        Reps::Named(reps) => reps
            .iter()
            .map(|r| RepState {
                name: r.name.clone(),
                folded: fold(&r.name),
                weight: r.weight.filter(|w| w.is_finite() && *w > 0.0).unwrap_or(1.0),
                max_open: r.max_open.or(pod.max_open),
                available: r.available,
                territories: r.territories.iter().map(|t| fold(t)).collect(),
                open: 0,
                opened_at: VecDeque::new(),
                current: 0.0,
            })
            .collect(),
    };
    PodState {
        id: pod.id.clone(),
        reps,
        territories: pod.territories.iter().map(|t| fold(t)).collect(),
        cursor: 0,
        turns: BTreeMap::new(),
        queue_open: 0,
        queue_opened_at: VecDeque::new(),
    }
}

impl RepState {
    fn has_room(&self) -> bool {
        self.max_open.is_none_or(|m| self.open < m)
    }

    fn eligible(&self) -> bool {
        self.available && self.has_room()
    }
}

impl PodState {
    fn covers(&self, value: &Lookup<'_>) -> bool {
        self.territories.iter().any(|t| value.is(t))
            || self.reps.iter().any(|r| r.territories.iter().any(|t| value.is(t)))
    }

    /// Next eligible rep in turn among those `filter` accepts, advancing the pod's cursor.
    fn round_robin(&mut self, filter: impl Fn(&RepState) -> bool) -> Option<usize> {
        let n = self.reps.len();
        for k in 0..n {
            let i = (self.cursor + k) % n;
            let r = &self.reps[i];
            if r.eligible() && filter(r) {
                self.cursor = (i + 1) % n;
                return Some(i);
            }
        }
        None
    }

    /// The next eligible rep covering territory `value`: smooth weighted round-robin among them
    /// with credits kept per territory value, so a lead of one territory never moves the turn of
    /// another (issue 12: Ann `[GB]`, Ben and Cem `[DE]` on alternating GB/DE leads).
    fn territory_turn(&mut self, value: &Lookup<'_>) -> Option<usize> {
        let n = self.reps.len();
        // The territory as the reps list it (folded) keys its turns.
        let key = self.reps.iter().flat_map(|r| &r.territories).find(|t| value.is(t))?;
        if !self.turns.contains_key(key.as_str()) {
            self.turns.insert(key.clone(), vec![0.0; n]);
        }
        let credits = self.turns.get_mut(key.as_str())?;
        let mut total = 0.0;
        let mut best: Option<usize> = None;
        for (i, r) in self.reps.iter().enumerate() {
            if !r.eligible() || !r.territories.iter().any(|t| t == key) {
                continue;
            }
            credits[i] += r.weight;
            total += r.weight;
            if best.is_none_or(|b| credits[i] > credits[b]) {
                best = Some(i);
            }
        }
        let b = best?;
        credits[b] -= total;
        Some(b)
    }

    /// Smooth weighted round-robin (nginx's algorithm) over the eligible reps: each adds its
    /// weight to its running credit, the largest credit wins and pays back the eligible total.
    fn weighted(&mut self) -> Option<usize> {
        let mut total = 0.0;
        let mut best: Option<usize> = None;
        for i in 0..self.reps.len() {
            if !self.reps[i].eligible() {
                continue;
            }
            let r = &mut self.reps[i];
            r.current += r.weight;
            total += r.weight;
            let credit = r.current;
            if best.is_none_or(|b| credit > self.reps[b].current) {
                best = Some(i);
            }
        }
        let b = best?;
        self.reps[b].current -= total;
        Some(b)
    }

    /// The pod's queue has room while the leads open in the pod stay under the sum of the caps
    /// of its available reps (no cap when any available rep has none); a pod with no available
    /// rep has no queue.
    fn queue_has_room(&self) -> bool {
        let mut cap: Option<u64> = Some(0);
        let mut any = false;
        for r in self.reps.iter().filter(|r| r.available) {
            any = true;
            cap = match (cap, r.max_open) {
                (Some(c), Some(m)) => Some(c + u64::from(m)),
                _ => None,
            };
        }
        let open: u64 = u64::from(self.queue_open) + self.reps.iter().map(|r| u64::from(r.open)).sum::<u64>();
        any && cap.is_none_or(|c| open < c)
    }

    fn open(&mut self, rep: Option<usize>, at: Option<i64>, open_for: Option<i64>) {
        let track = open_for.is_some() && at.is_some();
        match rep {
            Some(i) => {
                let r = &mut self.reps[i];
                r.open = r.open.saturating_add(1);
                if track && r.max_open.is_some() {
                    r.opened_at.push_back(at.unwrap_or_default());
                }
            }
            None => {
                self.queue_open = self.queue_open.saturating_add(1);
                if track {
                    self.queue_opened_at.push_back(at.unwrap_or_default());
                }
            }
        }
    }

    /// Release leads opened more than `open_for` before `at`.
    fn expire(&mut self, at: Option<i64>, open_for: Option<i64>) {
        let (Some(now), Some(span)) = (at, open_for) else { return };
        let cutoff = now.saturating_sub(span);
        for r in &mut self.reps {
            while r.opened_at.front().is_some_and(|&t| t <= cutoff) {
                r.opened_at.pop_front();
                r.open = r.open.saturating_sub(1);
            }
        }
        while self.queue_opened_at.front().is_some_and(|&t| t <= cutoff) {
            self.queue_opened_at.pop_front();
            self.queue_open = self.queue_open.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod fold_tests {
    use super::{Lookup, fold};

    #[test]
    fn lookup_compares_as_the_allocating_fold() {
        let folded: Vec<String> =
            ["us-east", "US-East", "aisha bello", "Ünïcode", "ΣΑΣ", "straße", "İstanbul", "\u{212A}elvin", "", "x-1_2"]
                .iter()
                .map(|s| fold(s))
                .collect();
        let values = [
            "us-east",
            " US-East ",
            "US-EAST",
            "Aisha Bello",
            "aisha  bello",
            "ÜNÏCODE",
            "σας",
            "ΣΑΣ",
            "STRASSE",
            "straße",
            "İstanbul",
            "istanbul",
            "kelvin",
            "\u{212A}elvin",
            "",
            "  ",
            "x-1_2",
            "X-1_2",
        ];
        for v in values {
            for f in &folded {
                assert_eq!(Lookup::new(v).is(f), fold(v) == *f, "{v:?} vs {f:?}");
            }
        }
        // ASCII is compared in place, not copied.
        assert!(matches!(Lookup::new(" US-East "), Lookup::Ascii("US-East")));
    }
}
