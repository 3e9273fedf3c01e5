//! The committed schemas are the ones the binary embeds and prints (typos' `dump_schema` test).

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use assert_cmd::Command;

fn printed(kind: &str) -> Vec<u8> {
    let out = Command::cargo_bin("handoff").unwrap().args(["schema", kind]).output().unwrap();
    assert!(out.status.success(), "handoff schema {kind} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn brief_schema_printed_is_the_committed_file() {
    let committed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/brief.schema.json")).unwrap();
    assert_eq!(printed("brief"), committed);
    assert_eq!(handoff::schema::BRIEF_SCHEMA.as_bytes(), committed.as_slice());
}

#[test]
fn plan_schema_printed_is_the_committed_file() {
    let committed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/plan.schema.json")).unwrap();
    assert_eq!(printed("plan"), committed);
}

#[test]
fn default_kind_is_brief() {
    let out = Command::cargo_bin("handoff").unwrap().arg("schema").output().unwrap();
    assert_eq!(out.stdout, printed("brief"));
}

#[test]
fn brief_schema_is_draft_2020_12_with_a_description_on_every_property() {
    let schema: serde_json::Value = serde_json::from_str(handoff::schema::BRIEF_SCHEMA).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    // Walk every `properties` map and check each property documents itself.
    fn walk(node: &serde_json::Value, at: &str, missing: &mut Vec<String>) {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    for (name, prop) in props {
                        if prop.get("description").is_none() {
                            missing.push(format!("{at}/properties/{name}"));
                        }
                    }
                }
                for (k, v) in map {
                    walk(v, &format!("{at}/{k}"), missing);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{at}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    walk(&schema, "", &mut missing);
    assert!(missing.is_empty(), "properties without a description: {missing:?}");
    // Every object with fixed keys closes itself against typos.
    fn closed(node: &serde_json::Value, at: &str, open: &mut Vec<String>) {
        if let serde_json::Value::Object(map) = node {
            // `additionalProperties` either `false` or a schema the other keys must meet (a
            // conditional mix's `by` beside value keys); missing or `true` lets typos through.
            if map.contains_key("properties")
                && matches!(map.get("additionalProperties"), None | Some(serde_json::Value::Bool(true)))
            {
                open.push(at.to_owned());
            }
            for (k, v) in map {
                closed(v, &format!("{at}/{k}"), open);
            }
        } else if let serde_json::Value::Array(items) = node {
            for (i, v) in items.iter().enumerate() {
                closed(v, &format!("{at}/{i}"), open);
            }
        }
    }
    let mut open = Vec::new();
    closed(&schema, "", &mut open);
    assert!(open.is_empty(), "objects with fixed keys but open to others: {open:?}");
}
