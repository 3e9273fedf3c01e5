//! What the engine says about one lead, as data: the step that placed it ([`RoutePath`]), why a
//! step could not ([`Failure`]) and where it went ([`Assignment`]).
//!
//! The engine keeps these by index, so routing a row allocates nothing. A report or a failing
//! routing test needs the names instead: [`Router::explain`] turns an assignment into an
//! [`Explanation`] with the rule, field and pod named ([`NamedFailure`]). Neither says a word:
//! the sentences are written once, in `render::words`.

use super::engine::Router;

/// Which step of the chain placed (or failed to place) a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RoutePath {
    /// The matched rule's own method.
    Primary,
    /// The matched rule's `fallback`.
    RuleFallback,
    /// The routing-level fallback (no rule matched, or the rule's chain found nobody).
    RoutingFallback,
    /// Nobody could take the lead.
    Unrouted,
}

impl RoutePath {
    /// `primary`, `rule-fallback`, `fallback`, `unrouted`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::RuleFallback => "rule-fallback",
            Self::RoutingFallback => "fallback",
            Self::Unrouted => "unrouted",
        }
    }
}

/// Why one step of the chain could not place a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Failure {
    /// No rule's conditions held.
    NoRuleMatched,
    /// The lead has no value in the field the method reads (slot index).
    FieldMissing(usize),
    /// The account owner named on the lead is not a rep of the pod (or of any pod).
    OwnerNotFound,
    /// The account owner is marked unavailable.
    OwnerUnavailable,
    /// The account owner is at `max_open`.
    OwnerFull,
    /// No pod or rep covers the lead's territory value.
    NoTerritory,
    /// Every rep who could take it (of this pod) is unavailable or at `max_open`.
    NobodyFree(usize),
}

/// Where one lead went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    /// Index of the matched rule; `None` when no rule matched.
    pub rule: Option<usize>,
    /// Which step placed it.
    pub path: RoutePath,
    /// Pod index (into [`Router::pods`]); `None` when unrouted.
    pub pod: Option<usize>,
    /// Rep index within the pod; `None` for pod-queue assignments and unrouted leads.
    pub rep: Option<usize>,
    /// Why the rule's own method failed, when it did.
    pub primary_failure: Option<Failure>,
    /// Why the rule's fallback failed, when it did.
    pub rule_fallback_failure: Option<Failure>,
    /// Why the routing fallback failed, when it did (the lead is then unrouted).
    pub fallback_failure: Option<Failure>,
}

/// A [`Failure`] with the field and pod it concerns named, for reports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NamedFailure {
    /// No rule's conditions held.
    NoRuleMatched,
    /// The lead has no value in this field (`None`: the method names no field).
    FieldMissing {
        /// The lead field the method reads.
        field: Option<String>,
    },
    /// The account owner named on the lead is not a rep of the pod (or of any pod).
    OwnerNotFound,
    /// The account owner is marked unavailable.
    OwnerUnavailable,
    /// The account owner is at `max_open`.
    OwnerFull,
    /// No pod or rep covers the lead's territory value.
    NoTerritory,
    /// Every rep who could take it, of this pod, is unavailable or at `max_open` (`None`: the
    /// method names no pod).
    NobodyFree {
        /// The pod's id.
        pod: Option<String>,
    },
}

/// Why a lead went where it did: the rule it matched and each step that failed, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// Id of the matched rule; `None` when no rule matched.
    pub rule: Option<String>,
    /// Why the rule's own method failed, when a rule matched and it did.
    pub primary: Option<NamedFailure>,
    /// Why the rule's fallback failed, when it did.
    pub rule_fallback: Option<NamedFailure>,
    /// Why the routing fallback failed, when it did.
    pub fallback: Option<NamedFailure>,
    /// Which step placed it.
    pub path: RoutePath,
}

impl Router {
    /// One failure with its field and pod named.
    #[must_use]
    pub fn name_failure(&self, f: Failure) -> NamedFailure {
        match f {
            Failure::NoRuleMatched => NamedFailure::NoRuleMatched,
            Failure::FieldMissing(slot) => NamedFailure::FieldMissing { field: self.fields().get(slot).cloned() },
            Failure::OwnerNotFound => NamedFailure::OwnerNotFound,
            Failure::OwnerUnavailable => NamedFailure::OwnerUnavailable,
            Failure::OwnerFull => NamedFailure::OwnerFull,
            Failure::NoTerritory => NamedFailure::NoTerritory,
            Failure::NobodyFree(pod) => NamedFailure::NobodyFree { pod: self.pods().get(pod).map(|p| p.id.clone()) },
        }
    }

    /// Why `a` went where it did, by name ("no rule matched" is the absence of a rule, not a
    /// failure of the rule's method).
    #[must_use]
    pub fn explain(&self, a: &Assignment) -> Explanation {
        let rule = a.rule.map(|i| self.rule_id(Some(i)).to_owned());
        let named = |f: Option<Failure>| f.map(|f| self.name_failure(f));
        Explanation {
            rule,
            primary: named(a.primary_failure.filter(|f| *f != Failure::NoRuleMatched)),
            rule_fallback: named(a.rule_fallback_failure),
            fallback: named(a.fallback_failure),
            path: a.path,
        }
    }
}
