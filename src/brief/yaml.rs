//! Loading YAML with source positions: the one module that knows about saphyr.
//!
//! A file is read under a size limit, checked to be UTF-8 (a byte-order mark is accepted), and
//! parsed with saphyr's parser event by event (not through `Parser::load`, whose recursion
//! follows the nesting of the input). A guard watching the events turns hostile shapes into
//! errors before they cost memory: a second document, nesting past [`MAX_DEPTH`], duplicate
//! keys (reported with both lines), non-core tags, non-text keys. The same events build the
//! `serde_json::Value` and its [`Positions`] (JSON pointer → line and column of the value, and
//! of the key for mapping members) in one pass, with no tree between (`build`); alias
//! expansion is bounded by [`ALIAS_BUDGET`] nodes. (`tree`, for tests only, is the loader
//! before it: saphyr's `MarkedYaml` tree, converted; the tests hold the two to the same
//! results.)
//!
//! Schema validation, semantic checks and every later check report a `diag::Problem` at a
//! pointer, and [`Positions::diagnostics`] places it in the file. This module knows nothing of
//! those checks: the pipeline runs them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use saphyr::ScanError;
use saphyr_parser::{Event, Marker, Parser, Span};
use serde_json::Value;

use super::Brief;

mod build;
#[cfg(test)]
mod tree;
use crate::diag::{Diagnostic, Problem, escape_pointer, field_path};

/// Default largest file accepted, in bytes (1 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 1 << 20;

/// Deepest nesting of lists and mappings accepted. A brief needs about eight levels.
pub const MAX_DEPTH: usize = 64;

/// Most nodes that alias expansion may produce in one file (the "billion laughs" guard).
pub const ALIAS_BUDGET: usize = 10_000;

/// Where a node sits in the source: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodePos {
    /// Line and column of the value.
    pub value: (usize, usize),
    /// Line and column of the key, for a member of a mapping.
    pub key: Option<(usize, usize)>,
}

/// Index from JSON pointer (`/routing/rules/1/assign/pod`) to source position.
///
/// Kept as one text of every pointer, end to end, and one entry per node (where its pointer
/// ends, its position): two allocations that grow, instead of a string and a tree node per
/// value of the file. A look-up scans the nodes, which is quick for a brief's few thousand and
/// happens only to place a diagnostic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    pointers: String,
    nodes: Vec<(usize, NodePos)>,
}

impl Positions {
    /// Record `pos` as the position of the node at `pointer`.
    fn push(&mut self, pointer: &str, pos: NodePos) {
        self.pointers.push_str(pointer);
        self.nodes.push((self.pointers.len(), pos));
    }

    /// Entries recorded.
    fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Forget the entries from index `from` on.
    fn truncate(&mut self, from: usize) {
        if let Some(&(end, _)) = from.checked_sub(1).and_then(|i| self.nodes.get(i)) {
            self.pointers.truncate(end);
        } else {
            self.pointers.clear();
        }
        self.nodes.truncate(from);
    }

    /// The entries from index `from` on: pointer and position.
    fn since(&self, from: usize) -> impl Iterator<Item = (&str, NodePos)> + '_ {
        let start = |i: usize| if i == 0 { 0 } else { self.nodes[i - 1].0 };
        (from..self.nodes.len()).map(move |i| (&self.pointers[start(i)..self.nodes[i].0], self.nodes[i].1))
    }

    /// The position recorded for exactly `pointer` (the last one, were it recorded twice).
    fn get(&self, pointer: &str) -> Option<NodePos> {
        let mut end = self.pointers.len();
        for (i, &(node_end, pos)) in self.nodes.iter().enumerate().rev() {
            let start = if i == 0 { 0 } else { self.nodes[i - 1].0 };
            debug_assert_eq!(node_end, end);
            if self.pointers.get(start..end) == Some(pointer) {
                return Some(pos);
            }
            end = start;
        }
        None
    }

    /// Line and column of the value at `pointer`, or of its nearest existing ancestor; (1, 1)
    /// when nothing matches.
    #[must_use]
    pub fn locate(&self, pointer: &str) -> (usize, usize) {
        let mut at = pointer;
        loop {
            if let Some(pos) = self.get(at) {
                return pos.value;
            }
            match at.rfind('/') {
                Some(i) => at = &at[..i],
                None => return (1, 1),
            }
        }
    }

    /// Line and column of the key at `pointer` when it is a mapping member, else as
    /// [`Positions::locate`]. A missing-key or unknown-key problem reads best at the key.
    #[must_use]
    pub fn locate_key(&self, pointer: &str) -> (usize, usize) {
        match self.get(pointer).and_then(|p| p.key) {
            Some(key) => key,
            None => self.locate(pointer),
        }
    }

    /// Place `problems` found in the document at `path`: each at its value (or its key, for a
    /// missing or unknown key), sorted by position and de-duplicated.
    #[must_use]
    pub fn diagnostics(&self, path: &Path, problems: Vec<Problem>) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = problems
            .into_iter()
            .map(|p| {
                let (line, column) = if p.at_key { self.locate_key(&p.pointer) } else { self.locate(&p.pointer) };
                Diagnostic::error(path, line, column, field_path(&p.pointer), p.message)
            })
            .collect();
        out.sort_by(|a, b| (a.line, a.column, &a.path, &a.message).cmp(&(b.line, b.column, &b.path, &b.message)));
        out.dedup();
        out
    }
}

/// Read a text file of at most `max_bytes`, as UTF-8, without a leading byte-order mark.
///
/// # Errors
/// A diagnostic when the file cannot be read, is over the limit, or is not UTF-8 (with the
/// line and column of the first bad byte).
pub fn read_source(path: &Path, max_bytes: u64) -> Result<String, Vec<Diagnostic>> {
    let fail = |line, column, message: String| vec![Diagnostic::error(path, line, column, "", message)];
    // Look before opening: opening a FIFO blocks until a writer comes, and a device never ends.
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            return Err(fail(0, 0, "is a directory, not a file".to_owned()));
        }
        if !meta.is_file() {
            return Err(fail(0, 0, "not a regular file (a FIFO or device); a brief is a YAML file".to_owned()));
        }
    }
    let file = std::fs::File::open(path).map_err(|e| fail(0, 0, format!("cannot read the file: {e}")))?;
    let too_big = |size: u64| {
        fail(
            0,
            0,
            format!("the file is {size} bytes, over the limit of {max_bytes} bytes; split it or raise the limit"),
        )
    };
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err(fail(0, 0, "is a directory, not a file".to_owned()));
        }
        if meta.len() > max_bytes {
            return Err(too_big(meta.len()));
        }
    }
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| fail(0, 0, format!("cannot read the file: {e}")))?;
    decode_source(path, &bytes, max_bytes)
}

/// As [`read_source`], for bytes already read (a brief at a git revision): refused over
/// `max_bytes`, the byte-order mark dropped, UTF-8 checked, `path` naming it in diagnostics.
///
/// # Errors
/// Over the limit, or not UTF-8 (at the line and column of the first bad byte).
pub fn decode_source(path: &Path, bytes: &[u8], max_bytes: u64) -> Result<String, Vec<Diagnostic>> {
    let fail = |line, column, message: String| vec![Diagnostic::error(path, line, column, "", message)];
    if bytes.len() as u64 > max_bytes {
        let size = bytes.len();
        return Err(fail(
            0,
            0,
            format!("the file is {size} bytes, over the limit of {max_bytes} bytes; split it or raise the limit"),
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let good = &body[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(good).unwrap_or_default();
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let byte = body.get(e.valid_up_to()).copied().unwrap_or(0);
            Err(fail(line, column, format!("the file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8")))
        }
    }
}

/// Parse brief text into the typed brief WITHOUT the schema and semantic checks.
///
/// For tests and benchmarks of the calculators, which build deliberately odd briefs; commands
/// always load through the pipeline (`pipeline::load`).
///
/// # Errors
/// The text is not YAML, or does not fit the brief's types.
pub fn parse_unchecked(text: &str) -> Result<Brief, Vec<Diagnostic>> {
    let path = Path::new("<text>");
    let (value, _) = load_yaml_value(path, text)?;
    serde_json::from_value(value).map_err(|e| vec![Diagnostic::error(path, 1, 1, "", e.to_string())])
}

/// Parse one YAML (or JSON) document into a JSON value and the positions of its nodes.
///
/// # Errors
/// Every problem found, located: YAML syntax, tabs used for indentation, several documents,
/// duplicate keys, nesting deeper than [`MAX_DEPTH`], alias expansion past [`ALIAS_BUDGET`],
/// unsupported tags, non-text keys, numbers that are not finite, an empty file.
pub fn load_yaml_value(path: &Path, text: &str) -> Result<(Value, Positions), Vec<Diagnostic>> {
    let mut builder = build::Builder::default();
    read_events(path, text, |event, span| {
        builder
            .on_event(event, span)
            .map_err(|build::OverBudget(mark)| located(path, mark, String::new(), over_budget()))
    })?;
    let value = builder.root.ok_or_else(|| empty_file(path))?;
    if builder.errors.is_empty() {
        Ok((value, builder.positions))
    } else {
        Err(builder
            .errors
            .into_iter()
            .map(|((line, column), pointer, message)| {
                Diagnostic::error(path, line, column, field_path(&pointer), message)
            })
            .collect())
    }
}

/// Drive the parser over `text` to the end of the stream, each event through the [`Guard`]
/// and then to `take`; the first error of the parser, the guard or `take` stops it.
fn read_events<'a>(
    path: &Path,
    text: &'a str,
    mut take: impl FnMut(Event<'a>, Span) -> Result<(), Vec<Diagnostic>>,
) -> Result<(), Vec<Diagnostic>> {
    let mut parser = Parser::new_from_str(text);
    let mut guard = Guard::default();
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(path, &e))?;
        if let Err((mark, pointer, message)) = guard.watch(&event, span) {
            return Err(located(path, mark, field_path(&pointer), message));
        }
        let end = event == Event::StreamEnd;
        take(event, span)?;
        if end {
            break;
        }
    }
    Ok(())
}

/// One diagnostic at a parser mark.
fn located(path: &Path, mark: Marker, field: String, message: String) -> Vec<Diagnostic> {
    vec![Diagnostic::error(path, mark.line().max(1), mark.col() + 1, field, message)]
}

fn empty_file(path: &Path) -> Vec<Diagnostic> {
    vec![Diagnostic::error(path, 1, 1, "", "the file is empty; a brief is a YAML mapping that starts with `id:`")]
}

fn over_budget() -> String {
    format!(
        "aliases here expand to more than {ALIAS_BUDGET} values (the \"billion laughs\" shape); write the values out instead"
    )
}

fn scan_error(path: &Path, e: &ScanError) -> Vec<Diagnostic> {
    let info = e.info();
    let message = if info.contains("alias expansion") {
        over_budget()
    } else if info.contains("recursion limit") {
        format!("nested deeper than {MAX_DEPTH} levels")
    } else if info.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == "tab" || w == "tabs") {
        "a tab is used for indentation; indent YAML with spaces only".to_owned()
    } else {
        format!("invalid YAML: {info}")
    };
    vec![Diagnostic::error(path, e.marker().line().max(1), e.marker().col() + 1, "", message)]
}

/// A container open in the event stream.
#[derive(Debug)]
struct Frame<'a> {
    /// Keys seen so far with the position of each (mappings only). Keys borrow the source
    /// where the parser does (plain and simply quoted scalars), so a key costs no copy.
    seen: Option<BTreeMap<Cow<'a, str>, Marker>>,
    /// For a mapping: true when the next node is a key.
    expecting_key: bool,
    /// The child being read (key or index), for error paths.
    current: Segment<'a>,
    /// Next index (sequences only).
    next_index: usize,
}

/// A step of a JSON pointer, written out only when an error needs the pointer.
#[derive(Debug)]
enum Segment<'a> {
    /// Nothing read yet (an empty step).
    None,
    /// A mapping key.
    Key(Cow<'a, str>),
    /// A list index.
    Index(usize),
}

/// Watches the parser's events for shapes the loader must refuse before they cost memory.
#[derive(Debug, Default)]
struct Guard<'a> {
    documents: usize,
    stack: Vec<Frame<'a>>,
}

type GuardError = (Marker, String, String);

impl<'a> Guard<'a> {
    /// Pointer of the node being read, or with `leave_last`, of the innermost open container.
    fn pointer_of(&self, leave_last: bool) -> String {
        let n = if leave_last { self.stack.len().saturating_sub(1) } else { self.stack.len() };
        let mut p = String::new();
        for frame in &self.stack[..n] {
            match &frame.current {
                Segment::None => p.push('/'),
                Segment::Key(key) => push_key(&mut p, key),
                Segment::Index(i) => push_index(&mut p, *i),
            }
        }
        p
    }

    fn pointer(&self) -> String {
        self.pointer_of(false)
    }

    /// Pointer of the innermost open container.
    fn container_pointer(&self) -> String {
        self.pointer_of(true)
    }

    fn watch(&mut self, event: &Event<'a>, span: Span) -> Result<(), GuardError> {
        let mark = span.start;
        let tag = match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err((
                        mark,
                        String::new(),
                        "a second YAML document starts here; a brief is one document per file".to_owned(),
                    ));
                }
                return Ok(());
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
                return Ok(());
            }
            Event::Scalar(_, _, _, tag) | Event::SequenceStart(_, tag) | Event::MappingStart(_, tag) => tag.as_ref(),
            Event::Alias(_) => None,
            _ => return Ok(()),
        };
        // Is this node a key, a value in a mapping, or an item of a list?
        let reading_key = self.stack.last().is_some_and(|top| top.seen.is_some() && top.expecting_key);
        if reading_key {
            return self.key(event, mark, tag.is_some_and(|t| !is_supported_tag(t)));
        }
        if let Some(top) = self.stack.last_mut() {
            if top.seen.is_some() {
                top.expecting_key = true;
            } else {
                top.current = Segment::Index(top.next_index);
                top.next_index += 1;
            }
        }
        if let Some(tag) = tag
            && !is_supported_tag(tag)
        {
            return Err((
                mark,
                self.pointer(),
                format!("the YAML tag `{}` is not supported; remove it", show_tag(tag)),
            ));
        }
        let seen = match event {
            Event::MappingStart(..) => Some(BTreeMap::new()),
            Event::SequenceStart(..) => None,
            _ => return Ok(()),
        };
        if self.stack.len() >= MAX_DEPTH {
            return Err((mark, self.pointer(), format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.stack.push(Frame { seen, expecting_key: true, current: Segment::None, next_index: 0 });
        Ok(())
    }

    /// A key of the innermost mapping: text, without an unsupported tag, not seen before in it.
    fn key(&mut self, event: &Event<'a>, mark: Marker, bad_tag: bool) -> Result<(), GuardError> {
        let Event::Scalar(text, ..) = event else {
            return Err((
                mark,
                self.container_pointer(),
                "a key must be plain text, not a list, mapping or alias".to_owned(),
            ));
        };
        let first = self.stack.last().and_then(|top| top.seen.as_ref()?.get(text.as_ref()).copied());
        if first.is_some() || bad_tag {
            let mut pointer = self.container_pointer();
            push_key(&mut pointer, text);
            let message = match first {
                Some(first) => format!(
                    "duplicate key `{text}`: first at line {}, again at line {}; keep one",
                    first.line(),
                    mark.line()
                ),
                None => "a key must be plain text, without a YAML tag".to_owned(),
            };
            return Err((mark, pointer, message));
        }
        if let Some(top) = self.stack.last_mut()
            && let Some(seen) = top.seen.as_mut()
        {
            seen.insert(text.clone(), mark);
            top.current = Segment::Key(text.clone());
            top.expecting_key = false;
        }
        Ok(())
    }
}

/// Append `/key` to a JSON pointer, escaping `~` and `/` (RFC 6901) without a copy of the key
/// when it has neither.
fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    if key.contains(['~', '/']) {
        pointer.push_str(&escape_pointer(key));
    } else {
        pointer.push_str(key);
    }
}

/// Append `/index` to a JSON pointer.
fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = write!(pointer, "/{index}");
}

/// Only the core schema's own tags (`!!str`, `!!int` …) are accepted; anything else (`!custom`,
/// `!!python/object`) would ask for a type a brief does not have.
fn is_supported_tag(tag: &saphyr::Tag) -> bool {
    tag.is_yaml_core_schema()
        && matches!(tag.suffix.as_str(), "str" | "int" | "float" | "bool" | "null" | "map" | "seq")
}

/// A tag as it was written: `!!str`, `!custom`.
fn show_tag(tag: &saphyr::Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

fn marker_pos(mark: Marker) -> (usize, usize) {
    (mark.line().max(1), mark.col() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<(Value, Positions), Vec<Diagnostic>> {
        load_yaml_value(Path::new("t.yaml"), text)
    }

    fn first_error(text: &str) -> (usize, usize, String, String) {
        let errs = load(text).unwrap_err();
        let d = &errs[0];
        (d.line, d.column, d.path.clone(), d.message.clone())
    }

    /// Every YAML file of the repository, whole, cut short at each line and with each line
    /// left out in turn, and snippets of the shapes briefs rarely use (anchors, aliases, tags,
    /// flow style, keys that are numbers), load exactly as through saphyr's own tree (the
    /// loader before `build`): the same value, the same positions, the same errors.
    #[test]
    fn the_event_builder_loads_what_the_tree_loaded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = Vec::new();
        for dir in ["briefs", "tests/invalid", "tests", "examples"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().flatten().map(|e| e.path()).collect();
            files.sort();
            for f in files {
                if f.extension().is_some_and(|e| e == "yaml" || e == "yml")
                    && let Ok(text) = std::fs::read_to_string(&f)
                {
                    texts.push(text);
                }
            }
        }
        assert!(texts.len() >= 40, "{}", texts.len());
        let mut variants = Vec::new();
        for text in texts.iter().take(12) {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            for i in 0..lines.len() {
                variants.push(lines[..i].concat());
                variants.push([&lines[..i], &lines[i + 1..]].concat().concat());
            }
        }
        texts.extend(variants);
        for snippet in [
            "a: &x { b: 1, c: [2, 3] }\nd: *x\ne: [*x, *x]\n",
            "a: &s text\nb: *s\n&k key: 1\nc: *k\n",
            "a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!null ''\ne: !!bool true\nf: !!map {}\ng: !!seq []\n",
            "a: !!int abc\n",
            "1: a\n\"1\": b\n",
            "~: a\nb: 1\n",
            "true: 1\n1.5: 2\n.inf: 3\n",
            "a: [.inf, 1, {b: .nan}]\nc: 1\n\"c\": {d: .inf}\n",
            "a: {x: 1, x: 2}\n",
            "- a\n- [b, {c: d}]\n- ? e\n  : f\n",
            "---\n",
            "--- ~\n",
            "...\n",
            "a: 'it''s'\nb: \"tab\\there\"\nc: |\n  block\n  text\nd: >\n  folded\n  text\n",
            "a:\n  b:\n    c: &deep\n      d: [1, 2]\n  e: *deep\n",
            "[1, 2, 3]\n",
            "plain\n",
            "a: 1\n---\nb: 2\n",
            "a: *missing\n",
            "{a: 1, b: [x, y], c: {d: e}}\n",
            "a/b: 1\nc~d: 2\n",
        ] {
            texts.push(snippet.to_owned());
        }
        let mut loaded = 0;
        for text in &texts {
            let new = load(text);
            let old = tree::load(Path::new("t.yaml"), text);
            assert_eq!(new, old, "{text}");
            loaded += usize::from(new.is_ok());
        }
        assert!(loaded >= texts.len() / 4, "{loaded} of {}", texts.len());
    }

    /// The other places the builder and the tree part, on purpose: an anchored value that cannot
    /// be read is reported once, where it is written (the tree said it again at each alias); an
    /// alias inside the node it names says so (the tree called it a misfitting tag); an alias
    /// placing a node too deep is reported at the alias (the tree named the deepest copy).
    #[test]
    fn anchors_and_aliases_are_reported_where_they_are_written() {
        let errors = |t: &str| -> Vec<(usize, usize, String, String)> {
            load(t).unwrap_err().into_iter().map(|d| (d.line, d.column, d.path, d.message)).collect()
        };
        let inf = "not a finite number (`.inf` and `.nan` are not allowed); quote it for text".to_owned();
        assert_eq!(errors("a: &x [.inf]\nb: *x\n"), [(1, 8, "a[0]".to_owned(), inf.clone())]);
        assert_eq!(tree::load(Path::new("t.yaml"), "a: &x [.inf]\nb: *x\n").unwrap_err().len(), 2);
        let inside = "an alias cannot stand for the list or mapping it is inside".to_owned();
        assert_eq!(errors("a: &x [*x]\n"), [(1, 8, "a[0]".to_owned(), inside.clone())]);
        assert_eq!(errors("a: &x {b: *x}\n"), [(1, 11, "a.b".to_owned(), inside)]);
        let deep = format!("a: &x {}1{}\nb: {{c: {{d: {{e: {{f: *x}}}}}}}}\n", "[".repeat(62), "]".repeat(62));
        assert_eq!(errors(&deep), [(2, 20, "b.c.d.e.f".to_owned(), "nested deeper than 64 levels".to_owned())]);
        // A scalar anchored on a key is a value for its aliases, checked there.
        assert_eq!(load("&x a: 1\nb: *x\n").unwrap().0, serde_json::json!({"a": 1, "b": "a"}));
        assert_eq!(errors("&x .inf: 1\nb: *x\n"), [(2, 4, "b".to_owned(), inf)]);
    }

    /// Where the builder and the tree part, the builder is right: saphyr's tree merged `1` and
    /// `01` (the same integer) into one member keeping the second value at the first key's
    /// position; the builder reports the repeated key as it reports `1` and `"1"`.
    #[test]
    fn keys_of_the_same_number_are_duplicates() {
        let old = tree::load(Path::new("t.yaml"), "1: a\n01: b\n").unwrap().0;
        assert_eq!(old, serde_json::json!({"1": "b"}));
        let (line, column, path, message) = first_error("1: a\n01: b\n");
        assert_eq!((line, column, path.as_str()), (2, 1, "[1]"));
        assert_eq!(message, "duplicate key `1`: first at line 1, again at line 2; keep one");
    }

    #[test]
    fn positions_of_values_and_keys() {
        let (value, pos) = load("a: 1\nb:\n  - x\n  - { c: 2.5 }\n").unwrap();
        assert_eq!(value, serde_json::json!({"a": 1, "b": ["x", {"c": 2.5}]}));
        assert!(value["a"].is_i64());
        assert_eq!(pos.get("/a").unwrap(), NodePos { value: (1, 4), key: Some((1, 1)) });
        assert_eq!(pos.locate("/b/1/c"), (4, 10));
        assert_eq!(pos.locate_key("/b/1/c"), (4, 7));
        assert_eq!(pos.locate("/b/1/missing/deeper"), pos.locate("/b/1"));
        assert_eq!(pos.locate("/b/0"), (3, 5));
    }

    #[test]
    fn core_schema_scalars() {
        let (v, _) = load("a: 2027-02-01\nb: 08:30\nc: yes\nd: ~\ne: 0x1F\nf: '12'\ng: 1e3\n").unwrap();
        assert_eq!(v["a"], "2027-02-01");
        assert_eq!(v["b"], "08:30");
        assert_eq!(v["c"], "yes"); // YAML 1.2: not a boolean
        assert_eq!(v["d"], Value::Null);
        assert_eq!(v["e"], 31);
        assert_eq!(v["f"], "12");
        assert_eq!(v["g"], 1000.0);
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let (line, col, path, msg) = first_error("id: a\ntitle: x\nid: b\n");
        assert_eq!((line, col, path.as_str()), (3, 1, "id"));
        assert_eq!(msg, "duplicate key `id`: first at line 1, again at line 3; keep one");
        let (line, _, path, _) = first_error("a:\n  - { x: 1, x: 2 }\n");
        assert_eq!((line, path.as_str()), (2, "a[0].x"));
    }

    #[test]
    fn several_documents_empty_files_and_depth() {
        assert_eq!(
            first_error("a: 1\n---\nb: 2\n"),
            (2, 1, String::new(), "a second YAML document starts here; a brief is one document per file".to_owned())
        );
        assert!(first_error("").3.contains("empty"));
        assert!(first_error("# only a comment\n").3.contains("empty"));
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(first_error(&deep).3.contains("nested deeper than 64"));
        let mut block = String::new();
        for i in 0..100 {
            block.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
        }
        assert_eq!(first_error(&block).2.matches('.').count(), 63);
        let deep_ok = format!("{}{}", "[".repeat(60), "]".repeat(60));
        assert!(load(&deep_ok).is_ok());
    }

    #[test]
    fn billion_laughs_stops() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let msg = first_error(&text).3;
        assert!(msg.contains("billion laughs"), "{msg}");
    }

    #[test]
    fn tabs_and_tags() {
        let (_, _, _, msg) = first_error("a:\n\tb: 1\n");
        assert!(msg.starts_with("a tab is used for indentation"), "{msg}");
        // "unprintable" contains "tab" but is not about tabs.
        assert_eq!(first_error("id: x\u{0}y\n").3, "invalid YAML: found unprintable character");
        assert!(first_error("a: !custom 1\n").3.contains("`!custom`"));
        assert!(first_error("a: .inf\n").3.contains("finite"));
        assert_eq!(load("a: !!str 12\n").unwrap().0["a"], "12");
        assert!(first_error("a: !!int abc\n").3.contains("tag"));
    }
}
