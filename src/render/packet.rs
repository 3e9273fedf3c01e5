//! What the approval packet template reads besides the Model: the Markdown documents cut into
//! sections, and the drawn diagrams.
//!
//! The packet shows the same words as the Markdown documents, so it renders them rather than
//! repeating them; but a signed document needs a contents page, page breaks between sections
//! and pictures where Markdown has a Mermaid block GitHub draws. Cutting the rendered
//! documents at their level-2 headings gives the template sections to number, list and break
//! between; the design doc's Mermaid block becomes the SVG escalation tree, since the packet
//! runs no scripts.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use super::{safe_events, svg};
use crate::model::Model;

/// Everything the packet template reads under `packet`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Packet {
    /// The design doc, its title and front matter dropped (the cover shows them).
    pub design: Document,
    /// The data and tooling checklist.
    pub checklist: Document,
    /// The enablement kit requests.
    pub enablement: Document,
    /// The diagrams and charts, as SVG markup.
    pub svg: Diagrams,
    /// Number of the checklist's part, after the sign-off and the design doc's sections.
    pub checklist_number: usize,
    /// Number of the enablement kit's part.
    pub enablement_number: usize,
    /// Number of the sign-off part: 1, right after the cover and the at-a-glance table.
    pub sign_off_number: usize,
    /// Anchor of the design doc's risks section, which the summary links to.
    pub risks_id: String,
}

/// A Markdown document as HTML, cut at its level-2 headings.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Document {
    /// HTML before the first level-2 heading (the level-1 title is dropped).
    pub intro: String,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

/// One level-2 section of a document.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Section {
    /// Anchor id, unique in the packet (`design-routing-matrix`).
    pub id: String,
    /// The heading as plain text (`Pod east-sdr`).
    pub title: String,
    /// The heading as inline HTML (`Pod <code>east-sdr</code>`).
    pub title_html: String,
    /// The section's content as HTML, without its heading.
    pub html: String,
    /// Its number in the packet (design doc sections count from 2, after the sign-off).
    pub number: usize,
    /// True when it runs on after the section before it rather than starting a page (every
    /// design section but the first).
    pub run_on: bool,
    /// True for the section the routing flow diagram heads (the routing matrix).
    pub routing_flow: bool,
    /// True for the section the SLA charts head (SLA and capacity).
    pub sla_charts: bool,
}

/// Inline SVG for the packet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Diagrams {
    /// Rules in order, each to its pod, the fallback last.
    pub routing_flow: String,
    /// The escalation ladder, stand-ins and rip-cord.
    pub escalation_tree: String,
    /// One attainment-against-reps chart per pod, in the Model's order.
    pub sla_charts: Vec<Chart>,
}

/// One pod's SLA chart.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chart {
    /// Pod id.
    pub pod: String,
    /// The SVG.
    pub svg: String,
}

impl Packet {
    /// Cut the rendered Markdown documents (`design.md`, `checklist.md`, `enablement.md`, in that
    /// order) into sections and draw the diagrams for `model`.
    #[must_use]
    pub(crate) fn new(model: &Model, [design, checklist, enablement]: [&str; 3]) -> Self {
        let escalation_tree = svg::escalation_tree(model);
        let figure = format!(
            "<figure class=\"diagram\">{escalation_tree}<figcaption>Escalation tree: each rung fires when the lead is still untouched at that multiple of the SLA.</figcaption></figure>\n"
        );
        let mut ids = Vec::new();
        let mut design = split(design, "design", Some(&figure), &mut ids);
        for (i, section) in design.sections.iter_mut().enumerate() {
            // The sign-off is part 1, right after the cover: what a signer decides comes first.
            section.number = i + 2;
            section.run_on = i > 0;
            section.routing_flow = section.id == "design-routing-matrix";
            section.sla_charts = section.id == "design-sla-and-capacity";
        }
        let parts = design.sections.len();
        Self {
            design,
            checklist: split(checklist, "checklist", None, &mut ids),
            enablement: split(enablement, "enablement", None, &mut ids),
            svg: Diagrams {
                routing_flow: svg::routing_flow(model),
                escalation_tree,
                sla_charts: model
                    .sla
                    .iter()
                    .map(|p| Chart { pod: p.pod.clone(), svg: svg::sla_chart(p, &model.brief.response_sla) })
                    .collect(),
            },
            checklist_number: parts + 2,
            enablement_number: parts + 3,
            sign_off_number: 1,
            risks_id: "design-risks".to_owned(),
        }
    }
}

/// Cut `markdown` at its level-2 headings. Level-1 headings are dropped; a fenced `mermaid`
/// block becomes `mermaid_html` when given (else it stays a code block). `used` collects the
/// ids handed out, so ids stay unique across documents.
#[must_use]
pub(crate) fn split(markdown: &str, prefix: &str, mermaid_html: Option<&str>, used: &mut Vec<String>) -> Document {
    enum Mode {
        Body,
        Title,
        Heading,
        Mermaid,
        Footer,
    }
    let mut intro: Vec<Event<'_>> = Vec::new();
    let mut sections: Vec<(Vec<Event<'_>>, String, Vec<Event<'_>>)> = Vec::new();
    let mut mode = Mode::Body;
    for event in safe_events(markdown) {
        match (&mode, event) {
            (Mode::Body, Event::Start(Tag::Heading { level: HeadingLevel::H1, .. })) => mode = Mode::Title,
            (Mode::Title, Event::End(TagEnd::Heading(HeadingLevel::H1))) => mode = Mode::Body,
            (Mode::Title, _) => {}
            (Mode::Body, Event::Start(Tag::Heading { level: HeadingLevel::H2, .. })) => {
                sections.push((Vec::new(), String::new(), Vec::new()));
                mode = Mode::Heading;
            }
            (Mode::Heading, Event::End(TagEnd::Heading(HeadingLevel::H2))) => mode = Mode::Body,
            (Mode::Heading, event) => {
                if let Some((heading, text, _)) = sections.last_mut() {
                    if let Event::Text(t) | Event::Code(t) = &event {
                        text.push_str(t);
                    }
                    heading.push(event);
                }
            }
            (Mode::Body, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))))
                if mermaid_html.is_some() && lang.trim() == "mermaid" =>
            {
                mode = Mode::Mermaid;
            }
            (Mode::Mermaid, Event::End(TagEnd::CodeBlock)) => {
                mode = Mode::Body;
                let html = Event::Html(mermaid_html.unwrap_or_default().to_owned().into());
                match sections.last_mut() {
                    Some((_, _, body)) => body.push(html),
                    None => intro.push(html),
                }
            }
            (Mode::Mermaid, _) => {}
            // A horizontal rule closes the Markdown documents before their footer ("Generated
            // by …"): the packet says that once, in the sign-off, so the footer is dropped (else
            // it can be all a printed page holds).
            (Mode::Body, Event::Rule) => mode = Mode::Footer,
            (Mode::Footer, _) => {}
            (Mode::Body, event) => match sections.last_mut() {
                Some((_, _, body)) => body.push(event),
                None => intro.push(event),
            },
        }
    }
    let html = |events: Vec<Event<'_>>| {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, keep_cells_whole(events).into_iter());
        out
    };
    Document {
        intro: html(intro),
        sections: sections
            .into_iter()
            .map(|(heading, title, body)| {
                let id = unique_id(&format!("{prefix}-{}", slugify(&title)), used);
                Section {
                    id,
                    title,
                    title_html: html(heading),
                    html: html(body),
                    number: 0,
                    run_on: false,
                    routing_flow: false,
                    sla_charts: false,
                }
            })
            .collect(),
    }
}

/// Table cells holding one short token — a date, a number, a duration, a checkbox, an id —
/// wrapped in `<span class="nb">` so the packet's stylesheet keeps them on one line
/// (`2027-02-01` would otherwise break after its hyphen, `[ ]` between its brackets). Only the
/// cell's own text goes in the span; the markup added is ours, after the sanitiser.
fn keep_cells_whole(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut cell: Option<Vec<Event<'_>>> = None;
    for event in events {
        match (&mut cell, event) {
            (None, Event::Start(Tag::TableCell)) => {
                out.push(Event::Start(Tag::TableCell));
                cell = Some(Vec::new());
            }
            (Some(inner), Event::End(TagEnd::TableCell)) => {
                let text: Option<String> = inner
                    .iter()
                    .map(|e| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let whole = text.is_some_and(|t| is_token(t.trim()));
                if whole {
                    out.push(Event::InlineHtml("<span class=\"nb\">".into()));
                }
                out.append(inner);
                if whole {
                    out.push(Event::InlineHtml("</span>".into()));
                }
                out.push(Event::End(TagEnd::TableCell));
                cell = None;
            }
            (Some(inner), event) => inner.push(event),
            (None, event) => out.push(event),
        }
    }
    if let Some(inner) = cell {
        out.extend(inner);
    }
    out
}

/// A cell's text that must not break: a checkbox, one word, or a short figure (`12 business
/// days`, `3 (2)`, `1h 30m`).
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && (text == "[ ]"
            || text == "[x]"
            || !text.contains(char::is_whitespace)
            || (text.starts_with(|c: char| c.is_ascii_digit()) && text.chars().count() <= 24))
}

/// Lowercase ASCII letters and digits joined by single hyphens (`Pod east-sdr` → `pod-east-sdr`).
fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() { "section".to_owned() } else { trimmed.to_owned() }
}

fn unique_id(base: &str, used: &mut Vec<String>) -> String {
    let mut id = base.to_owned();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.push(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_level_two_and_drops_the_title() {
        let mut used = Vec::new();
        let doc = split(
            "# Title\n\nintro text\n\n## First `part`\n\nbody one\n\n## First part\n\nbody two\n",
            "d",
            None,
            &mut used,
        );
        assert!(!doc.intro.contains("Title"), "{}", doc.intro);
        assert!(doc.intro.contains("intro text"));
        assert_eq!(doc.sections.len(), 2);
        assert_eq!(doc.sections[0].id, "d-first-part");
        assert_eq!(doc.sections[0].title, "First part");
        assert_eq!(doc.sections[0].title_html, "First <code>part</code>");
        assert_eq!(doc.sections[1].id, "d-first-part-2");
        assert!(doc.sections[1].html.contains("body two"));
    }

    #[test]
    fn mermaid_becomes_the_figure_and_other_code_stays() {
        let mut used = Vec::new();
        let md = "## Tree\n\n```mermaid\nflowchart TD\n  a --> b\n```\n\n```text\nkeep\n```\n";
        let doc = split(md, "d", Some("<svg>tree</svg>"), &mut used);
        let html = &doc.sections[0].html;
        assert!(html.contains("<svg>tree</svg>"), "{html}");
        assert!(!html.contains("flowchart"), "{html}");
        assert!(html.contains("keep"), "{html}");
    }

    #[test]
    fn raw_html_in_headings_and_bodies_stays_text() {
        let mut used = Vec::new();
        let doc = split("## <b>x</b>\n\n<script>y</script>\n", "d", None, &mut used);
        assert!(!doc.sections[0].title_html.contains("<b>"), "{}", doc.sections[0].title_html);
        assert!(!doc.sections[0].html.contains("<script"), "{}", doc.sections[0].html);
    }
}
