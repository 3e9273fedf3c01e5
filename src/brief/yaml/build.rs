//! The JSON value and its positions, built straight from the parser's events.
//!
//! One pass, no intermediate tree: each scalar is resolved by saphyr's core-schema rules
//! (`Scalar::parse_from_cow_and_metadata`, what saphyr's own loader calls) and placed in the
//! list or mapping being read, and each node's position is recorded under its JSON pointer as
//! it starts. An anchored node is kept (value, the positions below it, its size) so that an
//! alias can place a copy; alias expansion is charged against [`ALIAS_BUDGET`] nodes as saphyr
//! charges it (a node, plus one per mapping member).
//!
//! The [`Guard`](super::Guard) sees every event first and stops the load at shapes that must
//! not cost memory (a second document, nesting, duplicate keys by their text as written, tags,
//! non-text keys). What the builder finds it collects, in document order, for the caller to
//! report together: numbers that are not finite, values whose `!!` tag does not fit, null keys,
//! keys that are distinct in YAML but the same text (`1` and `"1"`).

use std::collections::HashMap;

use saphyr::Scalar;
use saphyr_parser::{Event, Marker, Span};
use serde_json::{Map, Number, Value};

use super::{ALIAS_BUDGET, MAX_DEPTH, NodePos, Positions, marker_pos, push_index, push_key};
use crate::diag::escape_pointer;

/// A problem at a position (line, column), a JSON pointer and a message.
pub(super) type Located = ((usize, usize), String, String);

/// A node kept for its aliases.
struct Anchored {
    /// The value, or why it cannot be read (said again where an alias places it).
    value: Result<Value, &'static str>,
    /// The positions below the node: pointer relative to the node's own, and position.
    below: Vec<(String, NodePos)>,
    /// What an alias of it costs against the budget.
    nodes: usize,
    /// Levels below the node (0 for a scalar).
    depth: usize,
}

/// What a mapping expects next.
enum Next {
    /// A key.
    Key,
    /// The value of the member `name`, whose key is at `key` (on line `line`).
    Value { name: String, key: (usize, usize), line: usize },
    /// The value of a member already reported (null key, repeated text): read, then dropped.
    Skip,
}

enum Body {
    List(Vec<Value>),
    Mapping { members: Map<String, Value>, key_lines: Vec<usize>, next: Next },
}

/// A list or mapping being read.
struct Open {
    body: Body,
    anchor: usize,
    /// Where it started.
    start: Start,
    /// Budget cost so far (itself, its members, what is below).
    nodes: usize,
    /// Levels below it so far.
    depth: usize,
}

/// Where a node that starts goes: the pointer length to return to, and where its positions
/// and errors start (to drop them if it is skipped).
struct Start {
    /// Length of the pointer before the node's own step.
    parent_pointer: usize,
    /// Index of the node's own entry in the positions.
    position: usize,
    /// Errors recorded before the node.
    errors: usize,
}

/// Builds the document from events; see the module documentation.
pub(super) struct Builder {
    stack: Vec<Open>,
    pointer: String,
    pub(super) positions: Positions,
    pub(super) errors: Vec<Located>,
    anchors: HashMap<usize, Anchored>,
    budget: usize,
    pub(super) root: Option<Value>,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            stack: Vec::new(),
            pointer: String::new(),
            positions: Positions::default(),
            errors: Vec::new(),
            anchors: HashMap::new(),
            budget: ALIAS_BUDGET,
            root: None,
        }
    }
}

/// The one error that stops the builder at once: an alias past the budget, at the alias.
pub(super) struct OverBudget(pub(super) Marker);

impl Builder {
    /// Take one event (after the guard has passed it).
    pub(super) fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), OverBudget> {
        let mark = span.start;
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let scalar = Scalar::parse_from_cow_and_metadata(text, style, tag.as_ref());
                if self.expecting_key() {
                    self.key(scalar, anchor, mark);
                    return Ok(());
                }
                let start = self.begin(mark);
                let value = scalar.as_ref().map_or(Err(UNREADABLE), scalar_value);
                if anchor > 0 {
                    self.anchors.insert(anchor, Anchored::scalar(value.clone()));
                }
                let value = self.or_error(value, mark);
                self.finish(start, value, 1, 0);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let start = self.begin(mark);
                let body = match event {
                    Event::SequenceStart(..) => Body::List(Vec::new()),
                    _ => Body::Mapping { members: Map::new(), key_lines: Vec::new(), next: Next::Key },
                };
                self.stack.push(Open { body, anchor, start, nodes: 1, depth: 0 });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else { return Ok(()) };
                let value = match open.body {
                    Body::List(items) => Value::Array(items),
                    Body::Mapping { members, .. } => Value::Object(members),
                };
                if open.anchor > 0 {
                    let own = self.pointer.len();
                    let below = self
                        .positions
                        .since(open.start.position + 1)
                        .map(|(p, pos)| (p[own..].to_owned(), pos))
                        .collect();
                    self.anchors.insert(
                        open.anchor,
                        Anchored { value: Ok(value.clone()), below, nodes: open.nodes, depth: open.depth },
                    );
                }
                self.finish(open.start, value, open.nodes, open.depth);
            }
            Event::Alias(id) => {
                let start = self.begin(mark);
                let depth_here = self.stack.len();
                let Some(anchored) = self.anchors.get(&id) else {
                    // An alias of a list or mapping it is itself inside (saphyr-parser refuses an
                    // alias of an anchor never defined).
                    self.errors.push((
                        marker_pos(mark),
                        self.pointer.clone(),
                        "an alias cannot stand for the list or mapping it is inside".to_owned(),
                    ));
                    self.finish(start, Value::Null, 1, 0);
                    return Ok(());
                };
                if anchored.nodes > self.budget {
                    return Err(OverBudget(mark));
                }
                self.budget -= anchored.nodes;
                let len = self.pointer.len();
                for (suffix, pos) in &anchored.below {
                    self.pointer.push_str(suffix);
                    self.positions.push(&self.pointer, *pos);
                    self.pointer.truncate(len);
                }
                if depth_here + anchored.depth > MAX_DEPTH {
                    self.errors.push((
                        marker_pos(mark),
                        self.pointer.clone(),
                        format!("nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let (value, nodes, depth) = (anchored.value.clone(), anchored.nodes, anchored.depth);
                let value = self.or_error(value, mark);
                self.finish(start, value, nodes, depth);
            }
            Event::DocumentEnd if self.root.is_none() => {
                self.positions.push("", NodePos { value: marker_pos(mark), key: None });
                self.errors.push((marker_pos(mark), String::new(), UNREADABLE.to_owned()));
                self.root = Some(Value::Null);
            }
            _ => {}
        }
        Ok(())
    }

    /// A node starts at `mark`: step the pointer to it and record its position.
    fn begin(&mut self, mark: Marker) -> Start {
        let parent_pointer = self.pointer.len();
        let key = match self.stack.last() {
            None => None,
            Some(Open { body: Body::List(items), .. }) => {
                push_index(&mut self.pointer, items.len());
                None
            }
            Some(Open { body: Body::Mapping { next, .. }, .. }) => match next {
                Next::Value { name, key, .. } => {
                    push_key(&mut self.pointer, name);
                    Some(*key)
                }
                // A skipped value's positions are dropped with it; its step is a placeholder.
                Next::Skip | Next::Key => {
                    self.pointer.push('/');
                    None
                }
            },
        };
        let start = Start { parent_pointer, position: self.positions.len(), errors: self.errors.len() };
        self.positions.push(&self.pointer, NodePos { value: marker_pos(mark), key });
        start
    }

    /// The node that `start` began is `value`: place it in its list or mapping (or as the
    /// document), and step the pointer back.
    fn finish(&mut self, start: Start, value: Value, nodes: usize, depth: usize) {
        self.pointer.truncate(start.parent_pointer);
        let Some(parent) = self.stack.last_mut() else {
            self.root.get_or_insert(value);
            return;
        };
        parent.depth = parent.depth.max(depth + 1);
        match &mut parent.body {
            Body::List(items) => {
                parent.nodes += nodes;
                items.push(value);
            }
            Body::Mapping { members, key_lines, next } => {
                parent.nodes += 1 + nodes;
                match std::mem::replace(next, Next::Key) {
                    Next::Value { name, line, .. } => {
                        members.insert(name, value);
                        key_lines.push(line);
                    }
                    Next::Skip | Next::Key => {
                        self.positions.truncate(start.position);
                        self.errors.truncate(start.errors);
                    }
                }
            }
        }
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Open { body: Body::Mapping { next: Next::Key, .. }, .. }))
    }

    /// A key of the innermost mapping (the guard lets only scalars through): its text, unless
    /// it is null or repeats the text of an earlier key, which are reported and their values
    /// dropped.
    fn key(&mut self, scalar: Option<Scalar<'_>>, anchor: usize, mark: Marker) {
        if anchor > 0 {
            let value = scalar.as_ref().map_or(Err(UNREADABLE), scalar_value);
            self.anchors.insert(anchor, Anchored::scalar(value));
        }
        let at = marker_pos(mark);
        let Some(Open { body: Body::Mapping { members, key_lines, next }, .. }) = self.stack.last_mut() else {
            return;
        };
        *next = match scalar.as_ref().and_then(key_text) {
            None => {
                self.errors.push((at, self.pointer.clone(), "a key must be plain text".to_owned()));
                Next::Skip
            }
            // `1` and `"1"` are different YAML keys but the same text.
            Some(name) if members.contains_key(&name) => {
                let first = members.keys().position(|k| *k == name).and_then(|i| key_lines.get(i).copied());
                self.errors.push((
                    at,
                    format!("{}/{}", self.pointer, escape_pointer(&name)),
                    format!(
                        "duplicate key `{name}`: first at line {}, again at line {}; keep one",
                        first.unwrap_or(mark.line()),
                        mark.line()
                    ),
                ));
                Next::Skip
            }
            Some(name) => Next::Value { name, key: at, line: mark.line() },
        };
    }

    /// `value`, or null with its error recorded at `mark` under the current pointer.
    fn or_error(&mut self, value: Result<Value, &'static str>, mark: Marker) -> Value {
        value.unwrap_or_else(|message| {
            self.errors.push((marker_pos(mark), self.pointer.clone(), message.to_owned()));
            Value::Null
        })
    }
}

/// What a value whose `!!` tag does not fit it reads as.
const UNREADABLE: &str = "this value cannot be read: its `!!` tag does not fit it";

impl Anchored {
    fn scalar(value: Result<Value, &'static str>) -> Self {
        Self { value, below: Vec::new(), nodes: 1, depth: 0 }
    }
}

/// A scalar as JSON: numbers must be finite.
fn scalar_value(scalar: &Scalar<'_>) -> Result<Value, &'static str> {
    Ok(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Number(Number::from(*i)),
        Scalar::FloatingPoint(f) => match Number::from_f64(f.into_inner()) {
            Some(n) => Value::Number(n),
            None => return Err("not a finite number (`.inf` and `.nan` are not allowed); quote it for text"),
        },
        Scalar::String(s) => Value::String(s.to_string()),
    })
}

/// A mapping key as text; `None` for a null key.
fn key_text(scalar: &Scalar<'_>) -> Option<String> {
    match scalar {
        Scalar::String(s) => Some(s.to_string()),
        Scalar::Integer(i) => Some(i.to_string()),
        Scalar::FloatingPoint(f) => Some(f.into_inner().to_string()),
        Scalar::Boolean(b) => Some(b.to_string()),
        Scalar::Null => None,
    }
}
