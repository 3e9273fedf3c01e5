//! Nothing from a brief becomes live markup: every free-text field of the enterprise example is
//! replaced by script, event-handler and `javascript:` payloads, and the packet (and the
//! Markdown documents, which GitHub renders) must show them as text only.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::fs;
use std::path::Path;

use serde_json::Value;

mod common;

/// Keys whose values are free text written by people (not ids, enums, dates or numbers).
const FREE_TEXT: &[&str] = &[
    "title",
    "name",
    "entry",
    "exit",
    "description",
    "asset",
    "notes",
    "objection",
    "response",
    "proof",
    "owner",
    "label",
];

const PAYLOADS: &[&str] = &[
    "<script>alert('s')</script>",
    "<img src=x onerror=alert('i')>",
    "[click](javascript:alert('j'))",
    "<a href=\"javascript:alert('a')\">x</a>",
    "\"><svg onload=alert('v')>",
];

fn poison(value: &mut Value, key: Option<&str>, counter: &mut usize) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                poison(v, Some(k.as_str()), counter);
            }
        }
        Value::Array(items) => {
            for v in items {
                poison(v, key, counter);
            }
        }
        Value::String(s) if key.is_some_and(|k| FREE_TEXT.contains(&k)) => {
            *s = format!("{s} {}", PAYLOADS[*counter % PAYLOADS.len()]);
            *counter += 1;
        }
        _ => {}
    }
}

/// The insides of every tag (`a href="…"` for `<a href="…">`); escaped text never starts one.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').unwrap_or(after.len());
        out.push(&after[..close]);
        rest = &after[close..];
    }
    out
}

#[test]
fn every_free_text_field_is_shown_as_text_never_as_markup() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/enterprise-pipeline.yaml");
    let text = fs::read_to_string(&source).unwrap();
    let (mut value, _) = handoff::brief::yaml::load_yaml_value(&source, &text).unwrap();
    let mut poisoned = 0;
    poison(&mut value, None, &mut poisoned);
    // `role` is an enum on pods but free text on approvers.
    for approver in value["approvers"].as_array_mut().unwrap() {
        poison(approver, None, &mut poisoned);
        let role = approver["role"].as_str().unwrap().to_owned();
        approver["role"] = Value::String(format!("{role} {}", PAYLOADS[0]));
    }
    assert!(poisoned >= 40, "only {poisoned} free-text fields were poisoned");

    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("briefs")).unwrap();
    // JSON is YAML: the poisoned brief is written as JSON and read by the same loader.
    fs::write(tmp.path().join("briefs/evil.yaml"), serde_json::to_string_pretty(&value).unwrap()).unwrap();
    common::handoff_in(tmp.path()).args(["build", "--now", "2026-11-25T12:00:00Z"]).assert().success();

    let out = tmp.path().join("out/enterprise-pipeline-na");
    let packet = fs::read_to_string(out.join("approval-packet.html")).unwrap();
    let lower = packet.to_ascii_lowercase();
    for tag in tags(&lower) {
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
        assert!(
            !["script", "img", "iframe", "object", "embed"].contains(&name.as_str()),
            "the packet contains a live <{tag}>"
        );
        assert!(!tag.contains("javascript:"), "the packet contains a javascript: URL in <{tag}>");
        let attributes = tag.split_whitespace().skip(1);
        for attribute in attributes {
            assert!(!attribute.starts_with("on"), "the packet contains an event handler in <{tag}>");
        }
    }
    // The payloads are there, escaped, so reviewers see exactly what the brief says.
    assert!(packet.contains("&lt;script&gt;"), "escaped script text missing");
    assert!(packet.contains("onerror=alert") || packet.contains("onerror&#x3D;alert"), "escaped img text missing");

    // The Markdown documents are rendered by GitHub: no raw HTML tags may pass through.
    for doc in ["design.md", "checklist.md", "enablement.md"] {
        let md = fs::read_to_string(out.join(doc)).unwrap();
        // `\<script>` is Markdown for a literal `<script>`: only an unescaped `<` starts a tag.
        for live in ["<script", "<img", "<a href", "<svg"] {
            let raw = md.match_indices(live).any(|(at, _)| !md[..at].ends_with('\\'));
            assert!(!raw, "{doc} contains raw `{live}`");
        }
        let link = md.match_indices("](javascript:").any(|(at, _)| !md[..at].ends_with('\\'));
        assert!(!link, "{doc} contains a javascript: link");
    }
}
