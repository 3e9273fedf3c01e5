//! The preview server behind `handoff serve`: the output directory over HTTP on localhost, with
//! pages that reload on rebuild.
//!
//! Requests are parsed by `httparse` (hyper's parser: no runtime, no dependencies); this module
//! only moves bytes and decides answers. Everything a client can make the server spend is
//! bounded: a request head over [`MAX_HEAD_BYTES`] or [`MAX_HEADERS`] headers is refused (431)
//! from a fixed buffer, a head not complete within [`HEAD_DEADLINE`] is dropped, [`WORKERS`]
//! threads (a fixed pool, started once) answer at most [`WORKERS`] + [`QUEUED`] connections and
//! later ones get 503 at once. Only `Host: 127.0.0.1[:port]` or `localhost[:port]` is answered
//! (421 otherwise), so a web page that rebinds its own name to 127.0.0.1 cannot read `out/`,
//! and only files whose canonical path is inside the canonical served directory are served or
//! listed (a symlink out of it is 403).
//!
//! Live reload is a small script that polls [`VERSION_PATH`] (a fingerprint of the output
//! directory) and reloads when it changes. The script is injected into HTML *as it is served*,
//! never into files on disk: the packet itself stays script-free. Because the packet's
//! Content-Security-Policy forbids scripts and requests, the served copy's policy is widened to
//! allow exactly that script (by nonce) and requests to this server.

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

/// The path the reload script polls.
pub(crate) const VERSION_PATH: &str = "/__handoff/version";

/// Largest request head (request line and headers) read, in bytes.
pub(crate) const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Most headers in a request.
pub(crate) const MAX_HEADERS: usize = 64;
/// Threads answering requests (started once; the accept loop is one more).
pub(crate) const WORKERS: usize = 8;
/// Connections accepted and waiting for a worker; beyond these a connection gets 503.
pub(crate) const QUEUED: usize = 64;
/// How long a client has to send its whole request head.
pub(crate) const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// What every worker needs: the canonical served directory, its port and the run's nonce.
struct Site {
    root: PathBuf,
    port: u16,
    nonce: String,
}

/// Answer requests on `listener` with the files under `root` until the process is stopped.
///
/// # Errors
/// `root` cannot be resolved to a canonical path, or a worker thread cannot be started.
pub(crate) fn serve(listener: &TcpListener, root: &Path) -> std::io::Result<()> {
    // One nonce per server run: it only has to be unguessable by content the server serves.
    let nonce = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    let port = listener.local_addr()?.port();
    let site = Arc::new(Site { root: root.canonicalize()?, port, nonce });
    let (queue, waiting): (SyncSender<TcpStream>, Receiver<TcpStream>) = sync_channel(QUEUED);
    let waiting = Arc::new(Mutex::new(waiting));
    for i in 0..WORKERS {
        let (site, waiting) = (Arc::clone(&site), Arc::clone(&waiting));
        std::thread::Builder::new().name(format!("serve-{i}")).spawn(move || worker(&site, &waiting))?;
    }
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        match queue.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(stream) | TrySendError::Disconnected(stream)) => busy(stream),
        }
    }
    Ok(())
}

/// One worker: take the next waiting connection and answer it, forever.
fn worker(site: &Site, waiting: &Mutex<Receiver<TcpStream>>) {
    loop {
        // Holding the lock while waiting is what hands each connection to one idle worker.
        let next = match waiting.lock() {
            Ok(rx) => rx.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(stream) = next else { return };
        // A client that hangs up mid-request is not the server's problem.
        let _ = handle(stream, site);
    }
}

/// Every worker is busy and the queue is full: say so without reading the request.
fn busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n",
    );
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

/// What a request head asks for.
struct Request {
    /// A HEAD request: the answer has no body.
    head_only: bool,
    /// The request target (path and query).
    target: String,
}

/// Read one request head from `stream` (at most [`MAX_HEAD_BYTES`], within [`HEAD_DEADLINE`])
/// and write its answer.
fn handle(mut stream: TcpStream, site: &Site) -> std::io::Result<()> {
    stream.set_write_timeout(Some(HEAD_DEADLINE))?;
    let (response, head_only) = match read_request(&mut stream, site)? {
        Ok(request) => (respond(site, &request.target), request.head_only),
        Err(refusal) => (refusal, false),
    };
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()?;
    // Close gently: read (and drop) a little of what the client may still be sending, so the
    // answer is not lost to a reset, then hang up.
    stream.shutdown(Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut sink = [0u8; 4096];
    for _ in 0..16 {
        if matches!(stream.read(&mut sink), Ok(0) | Err(_)) {
            break;
        }
    }
    Ok(())
}

/// Read and parse the request head; `Ok(Err(_))` is the answer refusing it.
fn read_request(stream: &mut TcpStream, site: &Site) -> std::io::Result<Result<Request, Response>> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut buf = vec![0u8; MAX_HEAD_BYTES];
    let mut filled = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        stream.set_read_timeout(Some(left))?;
        let n = stream.read(&mut buf[filled..])?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        filled += n;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buf[..filled]) {
            Ok(httparse::Status::Complete(_)) => return Ok(check(&request, site)),
            Ok(httparse::Status::Partial) if filled < buf.len() => {}
            Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
                return Ok(Err(Response::text("431 Request Header Fields Too Large", "request head too large\n")));
            }
            Err(_) => return Ok(Err(Response::text("400 Bad Request", "malformed request\n"))),
        }
    }
}

/// The request a parsed head makes, if the server answers it.
fn check(request: &httparse::Request<'_, '_>, site: &Site) -> Result<Request, Response> {
    let mut hosts = request.headers.iter().filter(|h| h.name.eq_ignore_ascii_case("host"));
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => std::str::from_utf8(h.value).unwrap_or(""),
        _ => return Err(Response::text("400 Bad Request", "exactly one Host header is needed\n")),
    };
    if !local_host(host, site.port) {
        return Err(Response::text(
            "421 Misdirected Request",
            "this server answers only Host 127.0.0.1 or localhost\n",
        ));
    }
    let head_only = match request.method {
        Some("GET") => false,
        Some("HEAD") => true,
        _ => return Err(Response::text("405 Method Not Allowed", "only GET and HEAD\n")),
    };
    Ok(Request { head_only, target: request.path.unwrap_or("/").to_owned() })
}

/// Whether a `Host` header names this server: `127.0.0.1` or `localhost`, with no port or this
/// server's own port. Anything else is a name the browser resolved for another site (DNS
/// rebinding) or a proxy's request.
fn local_host(host: &str, port: u16) -> bool {
    let (name, given_port) = match host.rsplit_once(':') {
        Some((name, p)) => (name, Some(p)),
        None => (host, None),
    };
    let name_ok = name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost");
    name_ok && given_port.is_none_or(|p| p.parse::<u16>().ok() == Some(port))
}

/// The answer to a GET of `target` (a request path with optional query).
fn respond(site: &Site, target: &str) -> Response {
    let root = site.root.as_path();
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == VERSION_PATH {
        return Response::text("200 OK", &version(root));
    }
    let Some(relative) = safe_relative(path) else {
        return Response::text("400 Bad Request", "bad path\n");
    };
    let Some(full) = inside(root, &root.join(&relative)) else {
        return Response::text("404 Not Found", "not found\n");
    };
    let Ok(full) = full else {
        return Response::text("403 Forbidden", "outside the served directory\n");
    };
    if full.is_dir() {
        let index = full.join("index.html");
        return match inside(root, &index) {
            Some(Ok(index)) if index.is_file() => file(&index, site),
            _ => listing(&full, path, site),
        };
    }
    if full.is_file() {
        return file(&full, site);
    }
    Response::text("404 Not Found", "not found\n")
}

/// `path` resolved (every symlink followed): `None` when it does not exist, `Some(Err(()))`
/// when its real path is outside `root` (itself canonical).
fn inside(root: &Path, path: &Path) -> Option<Result<PathBuf, ()>> {
    let real = path.canonicalize().ok()?;
    Some(if real.starts_with(root) { Ok(real) } else { Err(()) })
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

/// A file's answer; HTML gets the reload script.
fn file(path: &Path, site: &Site) -> Response {
    let Ok(bytes) = std::fs::read(path) else {
        return Response::text("404 Not Found", "not found\n");
    };
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        match String::from_utf8(bytes) {
            Ok(html) => with_reload(&html, &version(&site.root), &site.nonce).into_bytes(),
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    Response { status: "200 OK", content_type, body }
}

/// A page listing a directory, newest packets easy to find. Entries whose real path is outside
/// the served directory (symlinks out) are not listed.
fn listing(dir: &Path, shown: &str, site: &Site) -> Response {
    let mut names: Vec<(String, bool)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| matches!(inside(&site.root, &e.path()), Some(Ok(_))))
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
        body: with_reload(&html, &version(&site.root), &site.nonce).into_bytes(),
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
    fn only_this_servers_own_names_are_answered() {
        for host in ["127.0.0.1", "127.0.0.1:8123", "localhost", "LocalHost:8123"] {
            assert!(local_host(host, 8123), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8123",
            "127.0.0.1:80",
            "localhost:",
            "127.0.0.1.evil.example",
            "[::1]:8123",
            "",
        ] {
            assert!(!local_host(host, 8123), "{host}");
        }
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
