//! The loader as it was before the event-driven builder (`build`): saphyr's `YamlLoader` makes
//! a `MarkedYaml` tree, which is converted to JSON. Kept as the reference the builder is
//! compared with, file by file (tests only).

use saphyr::{MarkedYaml, Scalar, YamlData, YamlLoader};
use saphyr_parser::SpannedEventReceiver;
use serde_json::{Map, Number, Value};

use super::{
    ALIAS_BUDGET, GuardError, MAX_DEPTH, NodePos, Positions, empty_file, marker_pos, push_index, push_key, read_events,
    scan_error, show_tag,
};
use crate::diag::{Diagnostic, escape_pointer, field_path};
use std::path::Path;

/// `load_yaml_value` through the tree.
pub(super) fn load(path: &Path, text: &str) -> Result<(Value, Positions), Vec<Diagnostic>> {
    let mut loader: YamlLoader<'_, MarkedYaml<'_>> = YamlLoader::default();
    loader.allow_duplicate_keys(true);
    loader.alias_limit(ALIAS_BUDGET);
    read_events(path, text, |event, span| {
        loader.on_event(event, span);
        loader.error().map_or(Ok(()), |e| Err(scan_error(path, e)))
    })?;
    let docs = loader.into_documents();
    let doc = docs.first().ok_or_else(|| empty_file(path))?;
    let mut positions = Positions::default();
    let mut errors = Vec::new();
    let mut pointer = String::new();
    let value = convert(doc, &mut pointer, None, 0, &mut positions, &mut errors);
    if errors.is_empty() {
        Ok((value, positions))
    } else {
        Err(errors
            .into_iter()
            .map(|(mark, pointer, message)| {
                Diagnostic::error(path, mark.line().max(1), mark.col() + 1, field_path(&pointer), message)
            })
            .collect())
    }
}

/// Convert the marked tree to JSON, recording each node's position under its pointer.
fn convert(
    node: &MarkedYaml<'_>,
    pointer: &mut String,
    key: Option<(usize, usize)>,
    depth: usize,
    positions: &mut Positions,
    errors: &mut Vec<GuardError>,
) -> Value {
    positions.push(pointer, NodePos { value: marker_pos(node.span.start), key });
    if depth > MAX_DEPTH {
        errors.push((node.span.start, pointer.clone(), format!("nested deeper than {MAX_DEPTH} levels")));
        return Value::Null;
    }
    match &node.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Number(Number::from(*i)),
            Scalar::FloatingPoint(f) => match Number::from_f64(f.into_inner()) {
                Some(n) => Value::Number(n),
                None => {
                    errors.push((
                        node.span.start,
                        pointer.clone(),
                        "not a finite number (`.inf` and `.nan` are not allowed); quote it for text".to_owned(),
                    ));
                    Value::Null
                }
            },
            Scalar::String(s) => Value::String(s.to_string()),
        },
        YamlData::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                push_index(pointer, i);
                out.push(convert(item, pointer, None, depth + 1, positions, errors));
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        YamlData::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let Some(name) = key_text(k) else {
                    errors.push((k.span.start, pointer.clone(), "a key must be plain text".to_owned()));
                    continue;
                };
                if out.contains_key(&name) {
                    // `1` and `01` are different YAML keys but the same text.
                    let first =
                        map.keys().find(|k| key_text(k).as_ref() == Some(&name)).map_or(k.span.start, |k| k.span.start);
                    errors.push((
                        k.span.start,
                        format!("{pointer}/{}", escape_pointer(&name)),
                        format!(
                            "duplicate key `{name}`: first at line {}, again at line {}; keep one",
                            first.line(),
                            k.span.start.line()
                        ),
                    ));
                    continue;
                }
                let len = pointer.len();
                push_key(pointer, &name);
                let value = convert(v, pointer, Some(marker_pos(k.span.start)), depth + 1, positions, errors);
                pointer.truncate(len);
                out.insert(name, value);
            }
            Value::Object(out)
        }
        YamlData::Tagged(tag, _) => {
            errors.push((
                node.span.start,
                pointer.clone(),
                format!("the YAML tag `{}` is not supported; remove it", show_tag(tag)),
            ));
            Value::Null
        }
        YamlData::BadValue | YamlData::Alias(_) | YamlData::Representation(..) => {
            errors.push((
                node.span.start,
                pointer.clone(),
                "this value cannot be read: its `!!` tag does not fit it".to_owned(),
            ));
            Value::Null
        }
    }
}

/// A mapping key as text; `None` for null keys and non-scalars.
fn key_text(key: &MarkedYaml<'_>) -> Option<String> {
    match &key.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.into_inner().to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        _ => None,
    }
}
