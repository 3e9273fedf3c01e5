//! The Markdown documents are as inert as the packet, and clean: `design.md`, `checklist.md` and
//! `enablement.md` are read in pull requests, where GitHub renders them, so they are checked
//! here the way a CommonMark renderer with raw HTML *on* sees them (pulldown-cmark's default
//! HTML output passes raw HTML through): nothing from the brief may become a tag or a link.
//!
//! The hostile brief is the enterprise example with an attribute name holding backticks around
//! an `<img onerror>` (it used to leave its code span), an enablement link
//! `https://ok.example/)<style>…</style>` (which matched the schema and closed the link early),
//! and a script payload in the title. And the documents leave no double blank line
//! (markdownlint's MD012).

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::fs;
use std::path::Path;

mod common;

const NOW: &str = "2026-11-25T12:00:00Z";
const ATTRIBUTE: &str = "a`<img src=x onerror=alert(1)>`b";
const LINK: &str = "https://ok.example/)<style>body{display:none}</style>";

/// Tags the documents' own Markdown produces; anything else came from the brief.
const OWN_TAGS: &[&str] = &[
    "p", "h1", "h2", "h3", "table", "thead", "tbody", "tr", "th", "td", "code", "strong", "em", "ul", "ol", "li",
    "pre", "hr", "a", "input", "del", "br",
];

/// Build `brief` (YAML text) in a fresh project; the three Markdown documents by name.
fn build(brief: &str) -> Vec<(&'static str, String)> {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("briefs")).unwrap();
    fs::write(tmp.path().join("briefs/hostile.yaml"), brief).unwrap();
    common::handoff_in(tmp.path()).args(["build", "--now", NOW]).assert().success();
    let out = fs::read_dir(tmp.path().join("out")).unwrap().next().unwrap().unwrap().path();
    ["design.md", "checklist.md", "enablement.md"]
        .into_iter()
        .map(|doc| (doc, fs::read_to_string(out.join(doc)).unwrap()))
        .collect()
}

/// Every tag in `html` as (name, the whole tag).
fn tags(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').map_or(after.len(), |c| c + 1);
        let tag = &after[..close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        out.push((name, format!("<{tag}")));
        rest = &after[close.min(after.len())..];
    }
    out
}

fn hostile_brief() -> String {
    let text = common::example("enterprise-pipeline.yaml");
    assert!(text.contains("region") && text.contains("link: https://wiki.example.com/"), "the example changed");
    text.replace("region", &format!("'{ATTRIBUTE}'"))
        .replacen("link: https://wiki.example.com/enablement/enterprise-collateral", &format!("link: '{LINK}'"), 1)
        .replacen("title: ", "title: <script>alert(2)</script> ", 1)
}

#[test]
fn brief_text_never_becomes_html_under_a_raw_html_renderer() {
    for (doc, md) in build(&hostile_brief()) {
        let mut html = String::new();
        let options = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_TASKLISTS;
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&md, options));
        for (name, tag) in tags(&html) {
            assert!(OWN_TAGS.contains(&name.as_str()), "{doc}: raw HTML from the brief: {tag}\n{md}");
            assert!(!tag.to_lowercase().contains(" on"), "{doc}: an event handler: {tag}");
            if name == "a" && !tag.starts_with("</") {
                let href = tag.split("href=\"").nth(1).and_then(|h| h.split('"').next()).unwrap_or("");
                assert!(
                    ["https://", "http://", "mailto:", "#"].iter().any(|p| href.starts_with(p)),
                    "{doc}: a link to {href}"
                );
                assert!(!href.contains(['<', '>', '(', ')']), "{doc}: the link target ends early: {tag}");
            }
        }
        // What the brief says is still there, as text, for reviewers to see.
        if doc != "enablement.md" {
            assert!(html.contains("onerror=alert(1)&gt;"), "{doc}: the attribute's name is not shown:\n{html}");
        }
    }
    let enablement = build(&hostile_brief()).into_iter().find(|(d, _)| *d == "enablement.md").unwrap().1;
    assert!(
        enablement.contains("(https://ok.example/%29%3Cstyle%3Ebody%7Bdisplay:none%7D%3C/style%3E)"),
        "the link target is encoded whole:\n{enablement}"
    );
}

#[test]
fn no_double_blank_lines_in_any_example_document() {
    // markdownlint MD012 (no multiple consecutive blank lines), on every example and on a brief
    // with every optional section (the hostile one has tests, gaps and objection tables).
    let mut briefs: Vec<String> =
        common::example_briefs().iter().map(|p| fs::read_to_string(Path::new(p)).unwrap()).collect();
    briefs.push(hostile_brief());
    for brief in briefs {
        for (doc, md) in build(&brief) {
            if let Some(at) = md.find("\n\n\n") {
                let line = md[..at].lines().count() + 1;
                panic!(
                    "{doc}: two blank lines after line {line}:\n{}",
                    &md[at.saturating_sub(200)..(at + 100).min(md.len())]
                );
            }
            assert!(
                !md.starts_with('\n') && md.ends_with('\n') && !md.ends_with("\n\n"),
                "{doc}: blank lines at an end"
            );
            assert!(!md.lines().any(|l| l.ends_with(' ') || l.ends_with('\t')), "{doc}: trailing whitespace (MD009)");
        }
    }
}
