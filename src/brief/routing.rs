//! Where leads go: the declared attributes, the ordered rules with their conditions and
//! assignments, the fallback, and the sample leads the routing must place.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Ordered routing rules and the fallback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// Lead attributes the rules use: name → list of values, or `{ type: number|integer|text }`.
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
    /// Numbers, any real value (`deal_size`, `score`).
    Number,
    /// Whole numbers only (`employees`, `seats`): coverage then leaves no gap between `40..69`
    /// and `70..100`.
    Integer,
    /// Free text (`account_owner`, `country`).
    Text,
}

impl AttributeType {
    /// True for `number` and `integer`.
    #[must_use]
    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Number | Self::Integer)
    }
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
