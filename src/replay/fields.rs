//! What the replay checks in each field the rules read: whether its value must be a number, and
//! whether a blank value is missing or simply not there (an optional field).
//!
//! - A field is *numeric* when a rule compares it as a number (`>=1000`, `1000..4999`) or the
//!   brief declares it `{ type: number }` or `{ type: integer }`. A non-empty value that does not
//!   read as a number (`5000+`, `n/a`; `4,621` does, see
//!   [`crate::calc::routing::condition::parse_lead_number`]) is an *invalid value*: counted per
//!   field, its first lines listed, and treated as absent for routing.
//! - A field is *optional* when a rule tests whether it is there (`present` or `absent`) or it
//!   names an account owner (`account_owner` assignments): a blank value is expected there (an
//!   account without an owner) and is not counted as missing. Every other field is required.

use crate::brief::{AttributeType, Method, Routing};
use crate::calc::routing::Router;
use crate::calc::routing::engine::assign_field;
use crate::calc::routing::{Predicate, condition::parse_lead_number};

/// Per slot of the router ([`Router::fields`]): what the replay checks.
#[derive(Debug, Clone, Default)]
pub(super) struct FieldKinds {
    /// The value must read as a number.
    pub(super) numeric: Vec<bool>,
    /// A blank value is expected (not counted as missing).
    pub(super) optional: Vec<bool>,
}

impl FieldKinds {
    /// The kinds of `router`'s fields under `routing`'s rules and attributes.
    pub(super) fn new(routing: &Routing, router: &Router) -> Self {
        let n = router.fields().len();
        let mut kinds = Self { numeric: vec![false; n], optional: vec![false; n] };
        let mut mark = |field: &str, numeric: bool, optional: bool| {
            if let Some(slot) = router.slot(field) {
                kinds.numeric[slot] |= numeric;
                kinds.optional[slot] |= optional;
            }
        };
        for rule in &routing.rules {
            for (field, cond) in &rule.when {
                let Ok(p) = Predicate::parse(cond) else { continue };
                mark(field, p.is_numeric(), matches!(p, Predicate::Present | Predicate::Absent));
            }
            for assign in std::iter::once(&rule.assign).chain(&rule.fallback) {
                if assign.method == Method::AccountOwner
                    && let Some(f) = assign_field(assign)
                {
                    mark(f, false, true);
                }
            }
        }
        if routing.fallback.method == Method::AccountOwner
            && let Some(f) = assign_field(&routing.fallback)
        {
            mark(f, false, true);
        }
        for (field, attribute) in &routing.attributes {
            if let crate::brief::Attribute::Typed(t) = attribute
                && matches!(t.kind, AttributeType::Number | AttributeType::Integer)
            {
                mark(field, true, false);
            }
        }
        kinds
    }

    /// Whether `value` of slot `slot` is invalid: non-empty in a numeric field and not a number.
    pub(super) fn invalid(&self, slot: usize, value: &str) -> bool {
        self.numeric.get(slot).copied().unwrap_or(false) && parse_lead_number(value).is_none()
    }
}
