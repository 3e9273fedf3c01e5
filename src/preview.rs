//! The preview server behind `handoff serve`: the output directory over HTTP on localhost, with
//! pages that reload on rebuild.
//!
//! The server is deliberately tiny (std `TcpListener`, one thread per request, GET and HEAD
//! only; the command binds it to 127.0.0.1): it only ever shows a person their own files.
//!
//! Live reload is a small script that polls [`VERSION_PATH`] (a fingerprint of the output
//! directory) and reloads when it changes. The script is injected into HTML *as it is served*,
//! never into files on disk: the packet itself stays script-free. Because the packet's
//! Content-Security-Policy forbids scripts and requests, the served copy's policy is widened to
//! allow exactly that script (by nonce) and requests to this server.

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

/// The path the reload script polls.
pub(crate) const VERSION_PATH: &str = "/__handoff/version";

/// Answer requests on `listener` with the files under `root`, one thread per request, until the
/// process is stopped.
pub(crate) fn serve(listener: &TcpListener, root: &Path) {
    // One nonce per server run: it only has to be unguessable by content the server serves.
    let nonce = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = root.to_path_buf();
        let nonce = nonce.clone();
        std::thread::spawn(move || {
            // A client that hangs up mid-request is not the server's problem.
            let _ = handle(stream, &root, &nonce);
        });
    }
}

/// A response: status, content type, body.
struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Response {
    fn text(status: &'static str, body: &str) -> Self {
        Self { status, content_type: "text/plain; charset=utf-8", body: body.as_bytes().to_vec() }
    }
}

/// Read one request from `stream` and write its answer.
fn handle(stream: TcpStream, root: &Path, nonce: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes the answer.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = match method {
        "GET" | "HEAD" => respond(root, target, nonce),
        _ => Response::text("405 Method Not Allowed", "only GET and HEAD\n"),
    };
    let mut out = stream;
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    out.write_all(head.as_bytes())?;
    if method != "HEAD" {
        out.write_all(&response.body)?;
    }
    out.flush()
}

/// The answer to a GET of `target` (a request path with optional query).
fn respond(root: &Path, target: &str, nonce: &str) -> Response {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == VERSION_PATH {
        return Response::text("200 OK", &version(root));
    }
    let Some(relative) = safe_relative(path) else {
        return Response::text("400 Bad Request", "bad path\n");
    };
    let full = root.join(&relative);
    if full.is_dir() {
        let index = full.join("index.html");
        if index.is_file() {
            return file(&index, root, nonce);
        }
        return listing(&full, path, root, nonce);
    }
    if full.is_file() {
        return file(&full, root, nonce);
    }
    Response::text("404 Not Found", "not found\n")
}

/// A request path as a relative path inside the served directory: percent-decoded, with no
/// `..`, no absolute parts and no backslashes; `None` when it tries to leave.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut out = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => out.push(s),
        }
    }
    out.components().all(|c| matches!(c, Component::Normal(_))).then_some(out)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("css") => "text/css; charset=utf-8",
        // Markdown, CSV and YAML read best as plain text in a browser.
        Some("md" | "csv" | "yaml" | "yml" | "txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn file(path: &Path, root: &Path, nonce: &str) -> Response {
    let Ok(bytes) = std::fs::read(path) else {
        return Response::text("404 Not Found", "not found\n");
    };
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        match String::from_utf8(bytes) {
            Ok(html) => with_reload(&html, &version(root), nonce).into_bytes(),
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    Response { status: "200 OK", content_type, body }
}

/// A page listing a directory, newest packets easy to find.
fn listing(dir: &Path, shown: &str, root: &Path, nonce: &str) -> Response {
    let mut names: Vec<(String, bool)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path().is_dir()))
                .filter(|(name, _)| !name.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let base = if shown.ends_with('/') { shown.to_owned() } else { format!("{shown}/") };
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>{0}</title><style>body{{font:15px/1.6 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}</style></head><body><h1>{0}</h1><ul>\n",
        html_escape(shown)
    );
    for (name, is_dir) in &names {
        let slash = if *is_dir { "/" } else { "" };
        let packet = if *is_dir && dir.join(name).join("approval-packet.html").is_file() {
            format!(
                " — <a href=\"{}{}/approval-packet.html\">approval packet</a>",
                html_escape(&base),
                html_escape(name)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            html,
            "<li><a href=\"{0}{1}{2}\">{1}{2}</a>{3}</li>",
            html_escape(&base),
            html_escape(name),
            slash,
            packet
        );
    }
    html.push_str("</ul></body></html>\n");
    Response {
        status: "200 OK",
        content_type: "text/html; charset=utf-8",
        body: with_reload(&html, &version(root), nonce).into_bytes(),
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// A fingerprint of the served directory: every file's path, size and modification time. It
/// changes whenever a build rewrites an output (builds leave identical files untouched).
#[must_use]
pub(crate) fn version(root: &Path) -> String {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    let entries = walkdir::WalkDir::new(root).sort_by_file_name().max_depth(6).into_iter().filter_map(Result::ok);
    for entry in entries {
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
        hasher.update(entry.path().to_string_lossy().as_bytes());
        hasher.update(meta.len().to_le_bytes());
        hasher.update(modified.as_nanos().to_le_bytes());
    }
    hasher.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// `html` with the live-reload script added before `</body>` and its Content-Security-Policy
/// (if any) widened to allow that one script and requests back to this server.
#[must_use]
pub(crate) fn with_reload(html: &str, version: &str, nonce: &str) -> String {
    let script = format!(
        "<script nonce=\"{nonce}\">(function(){{var v=\"{version}\";function poll(){{fetch(\"{VERSION_PATH}\",{{cache:\"no-store\"}}).then(function(r){{return r.text()}}).then(function(t){{if(t!==v){{location.reload()}}else{{setTimeout(poll,700)}}}}).catch(function(){{setTimeout(poll,2000)}})}}poll()}})();</script>\n"
    );
    let html = widen_csp(html, nonce);
    match html.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

/// Add `script-src 'nonce-…'` and `connect-src 'self'` to the page's CSP meta element.
fn widen_csp(html: &str, nonce: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let Some(meta) = lower.find("http-equiv=\"content-security-policy\"") else { return html.to_owned() };
    let Some(tag_end) = lower[meta..].find('>').map(|i| meta + i) else { return html.to_owned() };
    let Some(content) = lower[meta..tag_end].find("content=\"").map(|i| meta + i + "content=\"".len()) else {
        return html.to_owned();
    };
    let Some(close) = html[content..tag_end].find('"').map(|i| content + i) else { return html.to_owned() };
    let policy = html[content..close].trim_end().trim_end_matches(';');
    format!("{}{policy}; script-src 'nonce-{nonce}'; connect-src 'self'{}", &html[..content], &html[close..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_served_directory() {
        assert_eq!(safe_relative("/a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(safe_relative("/"), Some(PathBuf::new()));
        assert_eq!(safe_relative("/../etc/passwd"), None);
        assert_eq!(safe_relative("/a/%2e%2e/%2e%2e/x"), None);
        assert_eq!(safe_relative("/a\\..\\x"), None);
        assert_eq!(safe_relative("/%zz"), None);
    }

    #[test]
    fn reload_goes_in_with_a_widened_policy() {
        let page = "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"></head><body>x</body></html>";
        let served = with_reload(page, "abc", "n0nce");
        assert!(
            served.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-n0nce'; connect-src 'self'\""),
            "{served}"
        );
        assert!(served.contains("<script nonce=\"n0nce\">"), "{served}");
        assert!(served.find("<script").unwrap() < served.find("</body>").unwrap());
    }
}
