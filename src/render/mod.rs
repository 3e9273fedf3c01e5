//! Rendering: the Model through Tera templates into Markdown and one self-contained HTML page.
//!
//! The built-in templates are compiled into the binary (`include_str!`) so the installed tool
//! works anywhere; `--templates DIR` supplies files that replace built-in ones of the same name,
//! the way a static-site theme is overridden. Templates only present: the filters registered here
//! format numbers and escape text, nothing more.
//!
//! Markdown goes to HTML through one function, [`markdown_to_html`], which treats raw HTML in the
//! source as text and keeps only http, https and mailto links, so nothing a brief says becomes
//! live markup in the approval packet.
//!
//! Templates read the Model through `context`, which adds each fact's words from [`words`]
//! (the one place wording lives) and the numbers and ids a template would otherwise compute.
//!
//! The packet also gets what Markdown cannot carry: [`svg`] draws the routing flow, the
//! escalation tree and the SLA charts from the Model, and `packet` splits the Markdown
//! documents into sections (for the contents page and page breaks), swapping the design doc's
//! Mermaid block for the drawn tree.

mod context;
pub(crate) mod diff;
pub(crate) mod man;
pub mod monitor;
pub(crate) mod packet;
pub(crate) mod route;
pub mod svg;
pub mod words;

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result, anyhow};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use tera::{Context, Kwargs, State, Tera};

use crate::model::Model;

/// A built-in template: its name (the output file it renders) and source.
pub const TEMPLATES: [(&str, &str); 4] = [
    ("design.md", include_str!("../../templates/design.md")),
    ("checklist.md", include_str!("../../templates/checklist.md")),
    ("enablement.md", include_str!("../../templates/enablement.md")),
    ("approval-packet.html", include_str!("../../templates/approval-packet.html")),
];

/// The Markdown documents, in packet order.
const MARKDOWN_DOCS: [&str; 3] = ["design.md", "checklist.md", "enablement.md"];

/// A loaded template set.
#[derive(Debug)]
pub struct Renderer {
    tera: Tera,
}

/// One rendered file: its name relative to `out/<id>/`, and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// File name (`design.md`).
    pub name: String,
    /// Content.
    pub content: String,
}

impl Renderer {
    /// Load the built-in templates, replaced by same-named files in `overrides` when given.
    ///
    /// # Errors
    /// An override directory that cannot be read, or a template that does not parse (the
    /// message names the template file and line).
    pub fn new(overrides: Option<&Path>) -> Result<Self> {
        let mut tera = Tera::new();
        // Markdown is escaped by our own `md` filter; only HTML templates autoescape.
        tera.autoescape_on([".html"]);
        register_filters(&mut tera);
        let mut sources: Vec<(String, String)> =
            TEMPLATES.iter().map(|(name, src)| ((*name).to_owned(), (*src).to_owned())).collect();
        if let Some(dir) = overrides {
            let entries =
                fs::read_dir(dir).with_context(|| format!("cannot read templates directory {}", dir.display()))?;
            let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            names.sort();
            for path in names {
                let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
                if !path.is_file() {
                    continue;
                }
                let text =
                    fs::read_to_string(&path).with_context(|| format!("cannot read template {}", path.display()))?;
                match sources.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => sources.push((name, text)),
                }
            }
        }
        for (name, src) in &sources {
            let shown = match overrides {
                Some(dir) if !TEMPLATES.iter().any(|(n, s)| n == name && s == src) => dir.join(name),
                _ => Path::new("templates").join(name),
            };
            tera.add_raw_template(name, src).map_err(|e| anyhow!("template {}: {e}", shown.display()))?;
        }
        Ok(Self { tera })
    }

    /// Render every output document for `model`: the three Markdown files and the packet.
    ///
    /// # Errors
    /// A template error (undefined variable, wrong type), naming the template.
    pub fn render(&self, model: &Model) -> Result<Vec<Rendered>> {
        let mut context = context::context(model).map_err(|e| anyhow!("cannot build the template context: {e}"))?;
        let mut out = Vec::new();
        let mut sections = Vec::new();
        for name in MARKDOWN_DOCS {
            let content = tidy_markdown(&self.render_one(name, &context)?);
            sections.push(markdown_to_html(&content));
            out.push(Rendered { name: name.to_owned(), content });
        }
        context.insert("design_html", &sections[0]);
        context.insert("checklist_html", &sections[1]);
        context.insert("enablement_html", &sections[2]);
        let packet = packet::Packet::new(model, [&out[0].content, &out[1].content, &out[2].content]);
        context.insert("packet", &packet);
        let packet = self.render_one("approval-packet.html", &context)?;
        out.push(Rendered { name: "approval-packet.html".to_owned(), content: packet });
        Ok(out)
    }

    fn render_one(&self, name: &str, context: &Context) -> Result<String> {
        self.tera.render(name, context).map_err(|e| anyhow!("template {name}: {e}"))
    }
}

fn register_filters(tera: &mut Tera) {
    // 0.853 → "85.3%"
    tera.register_filter("pct", |v: f64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
        let digits = kw.get::<usize>("digits")?.unwrap_or(1);
        Ok(if v.is_finite() { format!("{:.*}%", digits, v * 100.0) } else { "n/a".to_owned() })
    });
    // 2.345 → "2.3" with digits=1; without digits, the shortest form up to 2 decimals (80, 0.35).
    tera.register_filter("num", |v: f64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
        Ok(match kw.get::<usize>("digits")? {
            _ if !v.is_finite() => "n/a".to_owned(),
            Some(digits) => group_thousands(&format!("{v:.digits$}")),
            None => group_thousands(&short_number(v)),
        })
    });
    // 90 → "1h 30m"; 0.5 → "30s"
    tera.register_filter("minutes", |v: f64, _: Kwargs, _: &State| format_minutes(v));
    // Minutes on the business clock: days of `day` open minutes, then hours and minutes.
    tera.register_filter("business_minutes", |v: f64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
        Ok(format_business_minutes(v, kw.get::<f64>("day")?.unwrap_or(24.0 * 60.0)))
    });
    // Escape text for Markdown (tables included): no emphasis, links, HTML or cell breaks.
    tera.register_filter("md", |v: &str, _: Kwargs, _: &State| escape_markdown(v));
    // An id or name from the brief as inline code that nothing in it can leave.
    tera.register_filter("code", |v: &str, _: Kwargs, _: &State| code_span(v));
    // A link target from the brief: http, https or mailto, with what could end it encoded.
    tera.register_filter("url", |v: &str, _: Kwargs, _: &State| link_target(v));
    // A Mermaid label: quotes and brackets would end the label early.
    tera.register_filter("mermaid", |v: &str, _: Kwargs, _: &State| escape_mermaid(v));
}

/// A number in its shortest form with at most two decimals (`80`, `0.35`, `1.5`).
#[must_use]
pub fn short_number(v: f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// Commas between thousands in a formatted number's whole part (`12345.6` → `12,345.6`);
/// four-digit numbers too (`1,850`), as a report written in English does.
#[must_use]
pub fn group_thousands(number: &str) -> String {
    let (sign, rest) = number.strip_prefix('-').map_or(("", number), |r| ("-", r));
    let (whole, fraction) = rest.split_once('.').map_or((rest, None), |(w, f)| (w, Some(f)));
    if whole.len() <= 3 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_owned();
    }
    let mut out = String::with_capacity(number.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Minutes as a short human duration (`1h 30m`, `45m`, `2d 3h`).
#[must_use]
pub fn format_minutes(minutes: f64) -> String {
    if !minutes.is_finite() || minutes < 0.0 {
        return "n/a".to_owned();
    }
    if minutes < 1.0 {
        // Bounded to [0, 60), so the cast is exact.
        return format!("{}s", (minutes * 60.0).round() as u64);
    }
    // Bounded by the largest SLA × ladder multiple, far below u64::MAX.
    let total = minutes.round() as u64;
    let (d, h, m) = (total / 1440, (total % 1440) / 60, total % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d}d"));
    }
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(format!("{m}m"));
    }
    parts.join(" ")
}

/// Minutes on the business clock as business days of `day` open minutes, then hours and
/// minutes: over 8h 30m days, 1,020 minutes is `2d` and 765 is `1d 4h 15m` (issue 12).
#[must_use]
pub fn format_business_minutes(minutes: f64, day: f64) -> String {
    if !minutes.is_finite() || minutes < 0.0 || !day.is_finite() || day < 1.0 {
        return format_minutes(minutes);
    }
    // Bounded by the largest SLA × ladder multiple, far below u64::MAX.
    let (total, day) = (minutes.round() as u64, day.round() as u64);
    let (d, rest) = (total / day, total % day);
    match (d, rest) {
        (0, _) => format_minutes(minutes),
        (d, 0) => format!("{d}d"),
        (d, rest) => format!("{d}d {}", format_minutes(rest as f64)),
    }
}

/// Escape text so Markdown shows it literally, on one line (safe inside table cells).
#[must_use]
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '<' | '>' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            // Block markers only mean something at the start of a line or cell.
            '#' | '+' | '-' | '!' | '=' | '.' | ')' if out.trim().is_empty() => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A rendered Markdown document as markdownlint's defaults want it: no run of blank lines
/// (MD012; a template's optional blocks leave them), no blank lines at the start and one
/// newline at the end (MD047). Blank lines inside fenced code blocks are kept.
#[must_use]
pub fn tidy_markdown(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut fence: Option<&str> = None;
    let mut blank = true; // at the start, as after a blank line: leading blanks are dropped
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m && trimmed.trim_end().chars().all(|c| c == m.as_bytes()[0] as char) => {
                fence = None;
            }
            _ => {}
        }
        let is_blank = line.trim().is_empty();
        if is_blank && blank && fence.is_none() {
            continue;
        }
        out.push_str(if is_blank && fence.is_none() { "" } else { line });
        out.push('\n');
        blank = is_blank;
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// `text` as a Markdown code span that it cannot leave: fenced with one more backtick than its
/// longest run of backticks (padded with spaces when it starts or ends with one), on one line.
/// A `|` would end a table cell even inside a code span, so text holding one is escaped as plain
/// text instead ([`escape_markdown`]). Inside a code span `<`, `*` and `[` are literal.
#[must_use]
pub fn code_span(text: &str) -> String {
    let line: String =
        text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).filter(|c| !c.is_control()).collect();
    if line.contains('|') || line.trim().is_empty() {
        return escape_markdown(&line);
    }
    let longest = line.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if line.starts_with('`') || line.ends_with('`') || (line.starts_with(' ') && line.ends_with(' ')) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{line}{pad}{fence}")
}

/// A link target for Markdown's `[text](target)`: http, https and mailto only (anything else
/// becomes `#`), with every byte outside a conservative URL set percent-encoded, so `)`, `<`,
/// spaces or quotes cannot end the link and start markup (`https://ok.example/)<style>` stays
/// one URL).
#[must_use]
pub fn link_target(url: &str) -> String {
    if !safe_url(url) || url.trim_start().starts_with('#') {
        return "#".to_owned();
    }
    let mut out = String::with_capacity(url.len());
    for byte in url.trim().bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:/?#@!$&*+,;=%".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn escape_mermaid(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => "#quot;".to_owned(),
            '<' => "#lt;".to_owned(),
            '>' => "#gt;".to_owned(),
            '\n' | '\r' | '\t' => " ".to_owned(),
            c if c.is_control() => String::new(),
            c => c.to_string(),
        })
        .collect()
}

/// Markdown to HTML, the one entry point: tables, strikethrough and task lists on; raw HTML
/// shown as text; links and images kept only for http, https and mailto (others become text).
#[must_use]
pub fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, safe_events(markdown).into_iter());
    html
}

/// The events of `markdown` with raw HTML turned into text and unsafe links and images dropped
/// (the one sanitiser every Markdown → HTML path goes through).
fn safe_events(markdown: &str) -> Vec<Event<'_>> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut drop_link_end = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { dest_url, link_type, title, id }) => {
            let safe = safe_url(&dest_url);
            drop_link_end.push(!safe);
            safe.then_some(Event::Start(Tag::Link { dest_url, link_type, title, id }))
        }
        Event::End(pulldown_cmark::TagEnd::Link) => {
            if drop_link_end.pop().unwrap_or(false) {
                None
            } else {
                Some(Event::End(pulldown_cmark::TagEnd::Link))
            }
        }
        Event::Start(Tag::Image { dest_url, .. }) if !safe_url(&dest_url) => {
            Some(Event::Text(CowStr::from(format!("[image: {dest_url}]"))))
        }
        other => Some(other),
    });
    // Images with unsafe URLs were turned into text, but their alt text and end tag remain;
    // drop those end tags by re-filtering with a small state machine.
    let mut in_bad_image = 0usize;
    events
        .filter_map(|e| match &e {
            Event::Text(t) if t.starts_with("[image: ") => {
                in_bad_image += 1;
                Some(e)
            }
            Event::End(pulldown_cmark::TagEnd::Image) if in_bad_image > 0 => {
                in_bad_image -= 1;
                None
            }
            _ => Some(e),
        })
        .collect()
}

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_never_become_markup() {
        let html = markdown_to_html(
            "<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://a.example)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<a href=\"https://a.example\">ok</a>"), "{html}");
    }

    #[test]
    fn escaped_markdown_round_trips_as_text() {
        let nasty = "a|b *c* [d](javascript:x) <b>e</b> # f\nline";
        let html = markdown_to_html(&format!("| h |\n|---|\n| {} |\n", escape_markdown(nasty)));
        assert!(html.contains("a|b *c* [d](javascript:x) &lt;b&gt;e&lt;/b&gt; # f line"), "{html}");
        assert!(!html.contains("<a "), "{html}");
    }

    #[test]
    fn minutes_read_like_a_person_would_write_them() {
        assert_eq!(format_minutes(90.0), "1h 30m");
        assert_eq!(format_minutes(45.0), "45m");
        assert_eq!(format_minutes(1440.0 + 180.0), "1d 3h");
        assert_eq!(format_minutes(0.5), "30s");
        assert_eq!(format_minutes(f64::INFINITY), "n/a");
    }

    #[test]
    fn short_numbers_drop_trailing_zeros() {
        assert_eq!(short_number(80.0), "80");
        assert_eq!(short_number(0.35), "0.35");
        assert_eq!(short_number(1.5), "1.5");
        assert_eq!(short_number(-0.001), "0");
    }

    #[test]
    fn code_spans_hold_their_backticks() {
        assert_eq!(code_span("east-sdr"), "`east-sdr`");
        assert_eq!(code_span("a`<img src=x>`b"), "``a`<img src=x>`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span("a|b"), "a\\|b");
        let html = markdown_to_html(&format!("x {} y", code_span("a``<b>``c")));
        assert!(html.contains("<code>a``&lt;b&gt;``c</code>"), "{html}");
    }

    #[test]
    fn link_targets_cannot_end_early() {
        assert_eq!(link_target("https://ok.example/a?b=1#c"), "https://ok.example/a?b=1#c");
        assert_eq!(link_target("https://ok.example/)<style>"), "https://ok.example/%29%3Cstyle%3E");
        assert_eq!(link_target("javascript:alert(1)"), "#");
        assert_eq!(link_target("https://ok.example/é"), "https://ok.example/%C3%A9");
    }

    #[test]
    fn blank_line_runs_collapse_outside_code() {
        assert_eq!(tidy_markdown("\n# a\n\n\n\nb\n\n"), "# a\n\nb\n");
        assert_eq!(tidy_markdown("```\nx\n\n\ny\n```\n\n\nz"), "```\nx\n\n\ny\n```\n\nz\n");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands("1850"), "1,850");
        assert_eq!(group_thousands("1234567.25"), "1,234,567.25");
        assert_eq!(group_thousands("-40000"), "-40,000");
        assert_eq!(group_thousands("999.5"), "999.5");
        assert_eq!(group_thousands("n/a"), "n/a");
    }

    #[test]
    fn block_markers_are_escaped_only_at_the_start() {
        assert_eq!(escape_markdown("- a-b"), "\\- a-b");
        assert_eq!(escape_markdown("# x"), "\\# x");
        assert_eq!(escape_markdown("mid-market"), "mid-market");
    }
}
