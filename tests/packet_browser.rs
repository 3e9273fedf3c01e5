//! The approval packet in a real browser: headless Chromium (Debian's `chromium` package) loads
//! each example brief's packet from a file URL, and the test checks what a person signing it
//! would notice: it shows something (the screenshot is not blank), the browser logs no console
//! message (no script error, no Content-Security-Policy violation), the page makes no network
//! request (Chromium's NetLog records every request; those the page starts carry its origin as
//! initiator, the browser's own background ones say "not an origin"), and printing gives a
//! sensible number of A4 and Letter pages.
//!
//! Chromium is required: when it is missing the tests fail with a message saying how to install
//! it (`.ci/run` does), rather than passing without having looked.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "common/chromium.rs"]
mod chromium;
mod common;

const NOW: &str = "2026-11-25T12:00:00Z";

/// What one Chromium run left behind.
struct Run {
    /// Everything Chromium logged (`--enable-logging=stderr`).
    log: String,
    /// URLs of requests the page itself started.
    page_requests: Vec<String>,
}

impl Run {
    /// Console messages: script errors, `console.*` calls and CSP violations all land here.
    fn console(&self) -> Vec<&str> {
        self.log.lines().filter(|l| l.contains(":CONSOLE")).collect()
    }
}

/// Run headless Chromium on `url` with `extra` arguments (`--screenshot=…`, `--print-to-pdf=…`).
fn run_chromium(url: &str, extra: &[String], work: &Path) -> Run {
    let profile = tempfile::tempdir_in(work).unwrap();
    let log_path = work.join(format!("chromium-{}.log", fastrand_name()));
    let netlog = work.join(format!("netlog-{}.json", fastrand_name()));
    let log = fs::File::create(&log_path).unwrap();
    let mut child = chromium::headless(profile.path())
        .args(["--hide-scrollbars", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--log-net-log={}", netlog.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("cannot start Chromium");
    // Bounded by Chromium finishing; the deadline only stops a hung browser.
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("Chromium did not finish within 180s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = fs::read_to_string(&log_path).unwrap_or_default();
    assert!(status.success(), "Chromium failed on {url}: {status}\n{log}");
    Run { log, page_requests: page_requests(&netlog) }
}

fn fastrand_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// URLs of requests started by a page, from a Chromium NetLog.
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = fs::read_to_string(netlog).unwrap_or_else(|e| panic!("no NetLog at {}: {e}", netlog.display()));
    let log: Value = serde_json::from_str(&text).expect("the NetLog is JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64().expect("NetLog constants");
    log["events"]
        .as_array()
        .expect("NetLog events")
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_owned))
        .collect()
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

/// Build every example brief into `dir/out`; the packets, by brief id.
fn build_examples(dir: &Path) -> Vec<(String, PathBuf)> {
    let briefs = common::example_briefs();
    common::handoff()
        .arg("build")
        .args(&briefs)
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--plans-dir")
        .arg(dir.join("plans"))
        .args(["--now", NOW])
        .assert()
        .success();
    let mut packets: Vec<(String, PathBuf)> = fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|d| (d.file_name().unwrap().to_string_lossy().into_owned(), d.join("approval-packet.html")))
        .collect();
    packets.sort();
    assert_eq!(packets.len(), briefs.len(), "one packet per example brief");
    packets
}

/// Share of pixels that are not (near) white in a PNG screenshot.
fn ink_share(png_path: &Path) -> f64 {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let total = pixels.len() / channels;
    let inked = pixels.chunks(channels).filter(|px| px.iter().take(3).any(|&c| c < 200)).count();
    inked as f64 / total as f64
}

/// Pages of a PDF: its `/Type /Page` objects (not `/Pages`). Chromium writes no object streams,
/// so every page object is visible.
fn pdf_pages(pdf: &[u8]) -> (usize, Vec<String>) {
    let text = String::from_utf8_lossy(pdf);
    let mut pages = 0;
    let mut rest: &str = &text;
    while let Some(at) = rest.find("/Type /Page") {
        let after = &rest[at + "/Type /Page".len()..];
        if !after.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            pages += 1;
        }
        rest = after;
    }
    let boxes = text
        .match_indices("/MediaBox [")
        .filter_map(|(at, _)| text[at + 11..].split(']').next().map(str::to_owned))
        .collect();
    (pages, boxes)
}

#[test]
fn every_example_packet_loads_cleanly_shows_content_and_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    for (id, packet) in build_examples(work) {
        let html = fs::read_to_string(&packet).unwrap();
        // Self-contained by construction: no scripts, nothing loaded from anywhere.
        assert!(!html.contains("<script"), "{id}: the packet must have no script");
        assert!(!html.contains(" src="), "{id}: the packet must load nothing");
        for (at, _) in html.match_indices(" href=\"") {
            let target = &html[at + 7..];
            assert!(
                ["#", "https://", "http://", "mailto:"].iter().any(|p| target.starts_with(p)),
                "{id}: unexpected link {}",
                &target[..target.find('"').unwrap_or(40).min(80)]
            );
        }

        let url = file_url(&packet);
        let shot = work.join(format!("{id}.png"));
        let run =
            run_chromium(&url, &[format!("--screenshot={}", shot.display()), "--window-size=1200,1600".into()], work);
        assert!(run.console().is_empty(), "{id}: console messages:\n{}", run.console().join("\n"));
        assert!(run.page_requests.is_empty(), "{id}: the page made requests: {:?}", run.page_requests);
        let ink = ink_share(&shot);
        assert!(ink > 0.02, "{id}: the screenshot is blank ({:.2}% inked)", ink * 100.0);

        // Letter (Chromium's default paper) and A4 (set by the print stylesheet of a copy).
        let letter = work.join(format!("{id}-letter.pdf"));
        let run = run_chromium(
            &url,
            &["--no-pdf-header-footer".into(), format!("--print-to-pdf={}", letter.display())],
            work,
        );
        assert!(run.console().is_empty(), "{id}: console messages when printing:\n{}", run.console().join("\n"));
        let a4_copy = work.join(format!("{id}-a4.html"));
        fs::write(&a4_copy, html.replacen("</head>", "<style>@page { size: A4; }</style></head>", 1)).unwrap();
        let a4 = work.join(format!("{id}-a4.pdf"));
        run_chromium(
            &file_url(&a4_copy),
            &["--no-pdf-header-footer".into(), format!("--print-to-pdf={}", a4.display())],
            work,
        );

        // Letter is 612 × 792 pt; A4 is 595.3 × 841.9 pt.
        for (paper, pdf, size) in [("Letter", &letter, (612.0, 792.0)), ("A4", &a4, (595.3, 841.9))] {
            let (pages, boxes) = pdf_pages(&fs::read(pdf).unwrap());
            // Cover, contents, one page or more per design section, checklist, kit, sign-off: well
            // over 6 pages; a packet past 40 would mean tables or diagrams blew up.
            assert!((6..=40).contains(&pages), "{id}: {pages} {paper} pages");
            assert_eq!(boxes.len(), pages, "{id}: one media box per page");
            let fits = |b: &String| {
                let n: Vec<f64> = b.split_whitespace().filter_map(|v| v.parse().ok()).collect();
                n.len() == 4 && (n[2] - size.0).abs() < 1.5 && (n[3] - size.1).abs() < 1.5
            };
            assert!(boxes.iter().all(fits), "{id}: {paper} pages are {boxes:?}");
        }
    }
}

#[test]
fn the_checks_catch_console_errors_and_requests() {
    // The checks above could pass by looking at nothing; here a page that logs and loads must
    // trip both.
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("bad.html");
    fs::write(
        &page,
        "<!DOCTYPE html><html><body><p>bad</p><img src=\"http://127.0.0.1:9/pixel.png\"><script>console.error(\"boom\")</script></body></html>",
    )
    .unwrap();
    let run = run_chromium(
        &file_url(&page),
        &["--screenshot=".to_owned() + &tmp.path().join("bad.png").display().to_string()],
        tmp.path(),
    );
    assert!(run.console().iter().any(|l| l.contains("boom")), "console not seen:\n{}", run.log);
    assert!(
        run.page_requests.iter().any(|u| u.contains("127.0.0.1:9/pixel.png")),
        "request not seen: {:?}",
        run.page_requests
    );
    // And a CSP violation is a console message too.
    let csp = tmp.path().join("csp.html");
    fs::write(
        &csp,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>",
    )
    .unwrap();
    let run = run_chromium(
        &file_url(&csp),
        &["--screenshot=".to_owned() + &tmp.path().join("csp.png").display().to_string()],
        tmp.path(),
    );
    assert!(
        run.console().iter().any(|l| l.contains("Content Security Policy")),
        "CSP violation not seen:\n{}",
        run.log
    );
    assert!(run.page_requests.is_empty(), "CSP let a request through: {:?}", run.page_requests);
}

#[test]
fn a_served_packet_polls_for_rebuilds_without_policy_violations() {
    use std::io::{BufRead as _, BufReader};
    let tmp = tempfile::tempdir().unwrap();
    let packets = build_examples(tmp.path());
    let mut server = StdCommand::new(env!("CARGO_BIN_EXE_handoff"))
        .args(["serve", "--port", "0", "--out"])
        .arg(tmp.path().join("out"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).map(str::to_owned);
    let (id, _) = &packets[0];
    let run = base.map(|base| {
        let url = format!("{base}{id}/approval-packet.html");
        run_chromium(&url, &[format!("--screenshot={}", tmp.path().join("served.png").display())], tmp.path())
    });
    server.kill().ok();
    server.wait().ok();
    let run = run.unwrap_or_else(|| panic!("no address in {line:?}"));
    // The injected script ran (its first poll is in the NetLog) and broke no policy.
    assert!(run.console().is_empty(), "console messages:\n{}", run.console().join("\n"));
    assert!(
        run.page_requests.iter().any(|u| u.ends_with("/__handoff/version")),
        "no poll seen: {:?}",
        run.page_requests
    );
}
