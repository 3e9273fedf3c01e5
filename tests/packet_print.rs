//! The approval packet printed as it is signed: each example brief's packet printed to PDF by
//! headless Chromium on Letter and on A4, then read back with poppler (`pdftotext` for the text of
//! each page, `pdftoppm` for its pixels) and checked for what a signer would notice on paper:
//!
//! - the page count stays within what the README states for each example;
//! - what a signer decides comes first: page 1 holds the status, the at-a-glance table and the
//!   open risks, page 2 the sign-off; every page carries its "page N of M" footer;
//! - no page but the last is left a third full or less (sections run on; tables and figures
//!   move whole);
//! - ids, dates and checkboxes are never split across lines;
//! - no box is cut: every long horizontal border (a table's or the conditions box's edge) ends
//!   in a vertical border. On Letter, Chromium rounds the printable width down, and a box as
//!   wide as the page lost its right edge; [`a_box_as_wide_as_the_page_is_caught`] shows this
//!   check catches that.
//!
//! Chromium and poppler-utils are required (`scripts/test.sh` installs both); without them the
//! tests fail saying so rather than pass without having looked.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

#[path = "common/chromium.rs"]
mod chromium;
mod common;

const NOW: &str = "2026-11-25T12:00:00Z";

/// Pages each example prints, at most, on (Letter, A4): the figures the README states.
const STATED_PAGES: [(&str, usize, usize); 3] =
    [("enterprise-pipeline-na", 13, 13), ("partner-referrals", 12, 11), ("smb-activation", 14, 14)];

/// Papers: name for `@page size`, and the page margins of the packet's stylesheet in CSS px
/// (16mm top, 14mm sides, 18mm bottom at 96 px per inch).
const PAPERS: [&str; 2] = ["Letter", "A4"];
const TOP_PX: usize = 60;
const SIDE_PX: usize = 53;
const BOTTOM_PX: usize = 68;

/// A poppler-utils tool (`pdftotext`, `pdftoppm`), or a failure saying how to get it.
fn poppler(tool: &str) -> StdCommand {
    for dir in ["/usr/bin", "/usr/local/bin"] {
        let path = Path::new(dir).join(tool);
        if path.is_file() {
            return StdCommand::new(path);
        }
    }
    panic!(
        "{tool} is needed to read the printed packet: `apt-get install -y poppler-utils` (scripts/test.sh does this)"
    );
}

/// Print `html` (a packet with `@page { size: paper }` added, as a person picks the paper in the
/// print dialog) to a PDF in `work`; the PDF's path.
fn print(html: &str, name: &str, paper: &str, work: &Path) -> PathBuf {
    let copy = work.join(format!("{name}-{paper}.html"));
    fs::write(&copy, html.replacen("</head>", &format!("<style>@page {{ size: {paper}; }}</style></head>"), 1))
        .unwrap();
    let pdf = work.join(format!("{name}-{paper}.pdf"));
    let profile = tempfile::tempdir_in(work).unwrap();
    let mut child = chromium::headless(profile.path())
        .args(["--no-pdf-header-footer"])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", copy.canonicalize().unwrap().display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("{name} ({paper}): Chromium did not finish printing in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(pdf.is_file(), "{name} ({paper}): Chromium wrote no PDF");
    pdf
}

/// The text of each page (pdftotext separates pages with form feeds).
fn page_texts(pdf: &Path) -> Vec<String> {
    let out = poppler("pdftotext").arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// A page rendered in grey at 96 dpi: one byte per CSS pixel.
struct Raster {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Raster {
    fn ink(&self, x: usize, y: usize) -> bool {
        self.pixels[y * self.width + x] < 235
    }

    /// How far down the content area the last ink is (0 = empty, 1 = full), footer excluded.
    fn fill(&self) -> f64 {
        let bottom = self.height - BOTTOM_PX;
        let last = (TOP_PX..bottom).rev().find(|&y| (0..self.width).any(|x| self.ink(x, y)));
        last.map_or(0.0, |y| (y - TOP_PX) as f64 / (bottom - TOP_PX) as f64)
    }

    /// Long 1-px horizontal borders (at least 150 px) that run to the right edge of the printable
    /// area with no vertical border meeting their end: a box whose right edge was cut off. Thick rules (headings' underlines, the
    /// cover's bar) are not box edges and are skipped. Each as (y, x from, x to).
    fn open_right_ends(&self) -> Vec<(usize, usize, usize)> {
        let mut open = Vec::new();
        for y in 9..self.height - 9 {
            let mut x = 0;
            while x < self.width {
                if !self.ink(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.ink(x, y) {
                    x += 1;
                }
                let end = x - 1;
                // Only lines reaching the printable area's right edge can have been cut there
                // (a chart's grid lines end inside it, open by design).
                if end - start < 150 || end + SIDE_PX + 4 < self.width {
                    continue;
                }
                let samples = [start + (end - start) / 4, start + (end - start) / 2, start + 3 * (end - start) / 4];
                let thick = samples.iter().all(|&sx| self.ink(sx, y - 1) || self.ink(sx, y + 1));
                if thick {
                    continue;
                }
                let vertical = (y - 8..y - 1)
                    .chain(y + 2..y + 9)
                    .filter(|&yy| (end.saturating_sub(2)..=end).any(|xx| self.ink(xx, yy)))
                    .count();
                if vertical < 5 {
                    open.push((y, start, end));
                }
            }
        }
        open
    }
}

/// Every page of `pdf` as a [`Raster`].
fn rasters(pdf: &Path, work: &Path) -> Vec<Raster> {
    let dir = tempfile::tempdir_in(work).unwrap();
    let prefix = dir.path().join("page");
    let status = poppler("pdftoppm").args(["-r", "96", "-gray"]).arg(pdf).arg(&prefix).status().unwrap();
    assert!(status.success(), "pdftoppm failed on {}", pdf.display());
    let mut files: Vec<PathBuf> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|f| read_pgm(&fs::read(f).unwrap())).collect()
}

/// A binary PGM (`P5`, 8-bit), as pdftoppm writes it.
fn read_pgm(data: &[u8]) -> Raster {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "pdftoppm -gray writes binary PGM");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = data[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height, "one byte per pixel");
    Raster { width, height, pixels }
}

/// Build every example brief; each packet's id and HTML.
fn packets(work: &Path) -> Vec<(String, String)> {
    common::handoff()
        .arg("build")
        .args(common::example_briefs())
        .arg("--out")
        .arg(work.join("out"))
        .arg("--plans-dir")
        .arg(work.join("plans"))
        .args(["--now", NOW])
        .assert()
        .success();
    let mut out: Vec<(String, String)> = fs::read_dir(work.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|d| {
            (
                d.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(d.join("approval-packet.html")).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The texts a printed packet must never split: every `<code>` in a table cell but the SHA (ids:
/// pods, rules, fields) and every date in the packet.
fn unbreakable(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in html.match_indices("<td><code>") {
        let rest = &html[at + 10..];
        if let Some(end) = rest.find("</code>") {
            found.push(rest[..end].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"));
        }
    }
    let bytes = html.as_bytes();
    for i in 0..bytes.len().saturating_sub(10) {
        let d = |k: usize| bytes[i + k].is_ascii_digit();
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if boundary
            && d(0)
            && d(1)
            && d(2)
            && d(3)
            && bytes[i + 4] == b'-'
            && d(5)
            && d(6)
            && bytes[i + 7] == b'-'
            && d(8)
            && d(9)
        {
            found.push(html[i..i + 10].to_owned());
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn every_example_prints_whole_on_letter_and_a4() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    let packets = packets(work);
    assert_eq!(packets.len(), STATED_PAGES.len(), "the README states pages for every example");
    for (id, html) in &packets {
        let &(_, letter_pages, a4_pages) =
            STATED_PAGES.iter().find(|(name, ..)| name == id).unwrap_or_else(|| panic!("{id}: no stated page count"));
        let keep_whole = unbreakable(html);
        assert!(keep_whole.iter().any(|t| t.starts_with("20")), "{id}: the packet shows dates");
        assert!(keep_whole.len() > 5, "{id}: ids and dates to look for: {keep_whole:?}");
        for (paper, stated) in PAPERS.into_iter().zip([letter_pages, a4_pages]) {
            let pdf = print(html, id, paper, work);
            let pages = page_texts(&pdf);
            let n = pages.len();
            let what = format!("{id} on {paper}");
            assert!((6..=stated).contains(&n), "{what}: {n} pages; the README states {stated}");

            for (i, page) in pages.iter().enumerate() {
                assert!(
                    page.contains(&format!("page {} of {n}", i + 1)),
                    "{what}: page {} has no footer:\n{page}",
                    i + 1
                );
                assert!(page.contains(&format!("{id} · approval packet")), "{what}: page {} footer has no id", i + 1);
            }
            // Decisions first: status, at a glance and open risks on page 1, the sign-off on 2.
            for needle in ["Status", "At a glance", "Productive"] {
                assert!(pages[0].contains(needle), "{what}: page 1 lacks {needle:?}:\n{}", pages[0]);
            }
            let risks = if html.contains("class=\"top-risks\"") { "Open risks" } else { "No open risks." };
            assert!(pages[0].contains(risks), "{what}: page 1 lacks {risks:?}:\n{}", pages[0]);
            for needle in ["Sign-off", "Signature", "approve with conditions", "Conditions and comments", "Contents"] {
                assert!(pages[1].contains(needle), "{what}: page 2 lacks {needle:?}:\n{}", pages[1]);
            }
            assert!(pages[2].contains("Summary"), "{what}: the design doc starts on page 3:\n{}", pages[2]);
            let all = pages.join("\n");
            for part in [
                "Routing matrix",
                "SLA and capacity",
                "Risks",
                "Escalation tree",
                "Data and tooling checklist",
                "Enablement kit",
            ] {
                assert!(all.contains(part), "{what}: no {part:?} printed");
            }
            // Never split: a date or id broken at its hyphen, a checkbox between its brackets.
            for token in &keep_whole {
                assert!(all.contains(token.as_str()), "{what}: {token:?} is split across lines");
            }
            assert!(!all.lines().any(|l| l.trim() == "[" || l.trim() == "☐"), "{what}: a checkbox split or alone");

            let rasters = rasters(&pdf, work);
            assert_eq!(rasters.len(), n, "{what}: one raster per page");
            for (i, page) in rasters.iter().enumerate() {
                let fill = page.fill();
                if i + 1 < n {
                    assert!(fill > 0.3, "{what}: page {} is only {:.0}% full", i + 1, fill * 100.0);
                }
                let open = page.open_right_ends();
                assert!(open.is_empty(), "{what}: page {}: a box's right edge is cut off at {open:?}", i + 1);
                let right = page.width - SIDE_PX;
                let beyond = (TOP_PX..page.height - BOTTOM_PX).any(|y| (right + 2..page.width).any(|x| page.ink(x, y)));
                assert!(!beyond, "{what}: page {} has ink in the right margin", i + 1);
            }
        }
    }
}

/// The cut-box check is not vacuous: with the packet's 2px clearance taken away, the sign-off
/// table and the conditions box are as wide as the printable area and Chromium cuts their right
/// edge on Letter (the bug this guards against); the check must say so.
#[test]
fn a_box_as_wide_as_the_page_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    let (id, html) = packets(work).into_iter().next().unwrap();
    let flush = html.replacen("</head>", "<style>@media print { body { padding: 0 !important; } }</style></head>", 1);
    let pdf = print(&flush, &format!("{id}-flush"), "Letter", work);
    let cut: usize = rasters(&pdf, work).iter().map(|p| p.open_right_ends().len()).sum();
    assert!(cut > 0, "{id}: boxes flush with the printable width print cut on Letter, and the check saw none");
}
