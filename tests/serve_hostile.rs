//! `handoff serve` against a hostile client and a hostile web page (issue 13): symlinks out of
//! the served folder are refused and not listed, only `Host: 127.0.0.1` / `localhost` is
//! answered (DNS rebinding), an oversized request head is refused from a fixed buffer, and many
//! connections at once do not make threads.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

use std::fs;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;

/// Threads the server runs with: the accept loop (the main thread) and its fixed pool of 8.
const SERVER_THREADS: u64 = 1 + 8;

#[path = "common/server.rs"]
mod server;
use server::Server;

impl Server {
    /// Send `raw` as the whole request; the status line and the body of the answer.
    fn raw(&self, raw: &[u8]) -> (String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(raw).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        (head.lines().next().unwrap_or("").to_owned(), body.to_owned())
    }

    fn get(&self, path: &str) -> (String, String) {
        self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", self.port).as_bytes(),
        )
    }

    /// A line of the server's `/proc/PID/status`, as a number (kB for memory).
    fn status(&self, key: &str) -> u64 {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("no {key}"));
        line[key.len()..].trim().trim_end_matches("kB").trim().parse().unwrap()
    }
}

/// An output folder with a page, a Markdown file and a subfolder; the secrets beside it.
fn site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(out.join("pkt")).unwrap();
    fs::write(out.join("pkt/design.md"), "# design\n").unwrap();
    fs::create_dir_all(tmp.path().join("private")).unwrap();
    fs::write(tmp.path().join("private/secret.txt"), "do not serve").unwrap();
    tmp
}

#[test]
fn symlinks_out_of_the_served_folder_are_refused_and_not_listed() {
    let tmp = site();
    let out = tmp.path().join("out");
    std::os::unix::fs::symlink("/etc/passwd", out.join("passwd")).unwrap();
    std::os::unix::fs::symlink("/etc", out.join("etc")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("private"), out.join("private")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("private/secret.txt"), out.join("pkt/secret.txt")).unwrap();
    // A link that stays inside the folder is served.
    std::os::unix::fs::symlink("pkt/design.md", out.join("latest.md")).unwrap();
    let server = Server::start(&out);

    for path in ["/passwd", "/etc/", "/etc/passwd", "/etc", "/private/", "/private/secret.txt", "/pkt/secret.txt"] {
        let (status, body) = server.get(path);
        assert_eq!(status, "HTTP/1.1 403 Forbidden", "{path}");
        assert!(
            !body.contains("root:") && !body.contains("do not serve") && !body.contains("passwd"),
            "{path}: {body}"
        );
    }
    assert_eq!(server.get("/latest.md"), ("HTTP/1.1 200 OK".to_owned(), "# design\n".to_owned()));

    let (status, listing) = server.get("/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(listing.contains("href=\"/pkt/\"") && listing.contains("href=\"/latest.md\""), "{listing}");
    for name in ["passwd", "etc", "private"] {
        assert!(!listing.contains(&format!("href=\"/{name}")), "{name} is listed: {listing}");
    }
    let (_, sub) = server.get("/pkt/");
    assert!(sub.contains("design.md") && !sub.contains("secret.txt"), "{sub}");
}

#[test]
fn only_local_host_names_are_answered() {
    let tmp = site();
    let server = Server::start(&tmp.path().join("out"));
    let port = server.port;
    let ask = |host: &str| {
        server.raw(format!("GET /pkt/design.md HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
    };
    for host in
        ["127.0.0.1".to_owned(), format!("127.0.0.1:{port}"), "localhost".to_owned(), format!("localhost:{port}")]
    {
        assert_eq!(ask(&host), ("HTTP/1.1 200 OK".to_owned(), "# design\n".to_owned()), "{host}");
    }
    // A page on another name rebound to 127.0.0.1 sends its own name (and port).
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_owned(),
        format!("127.0.0.1.nip.io:{port}"),
        "localhost:1".to_owned(),
    ] {
        let (status, body) = ask(&host);
        assert_eq!(status, "HTTP/1.1 421 Misdirected Request", "{host}");
        assert!(!body.contains("# design"), "{host}");
    }
    // No Host at all, or two, is not a request this server answers either.
    assert!(server.raw(b"GET / HTTP/1.1\r\n\r\n").0.starts_with("HTTP/1.1 400"));
    let two = b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\n\r\n";
    assert!(server.raw(two).0.starts_with("HTTP/1.1 400"));
}

#[test]
fn an_oversized_request_head_is_refused_without_memory_growth() {
    let tmp = site();
    let server = Server::start(&tmp.path().join("out"));

    // Just over the 16 KiB bound: refused with 431, and the answer arrives.
    let big = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Fill: {}\r\n\r\n", "a".repeat(20 * 1024));
    assert_eq!(server.raw(big.as_bytes()).0, "HTTP/1.1 431 Request Header Fields Too Large");
    let many: String = (0..100).map(|i| format!("X-{i}: 1\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}\r\n");
    assert_eq!(server.raw(many.as_bytes()).0, "HTTP/1.1 431 Request Header Fields Too Large");

    // One 200 MiB header line (the was 300 MB and took 312 MB): the server stops
    // reading and hangs up long before it is sent, and its peak memory stays small.
    let before = server.status("VmHWM:");
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Fill: ").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut sent_mib = 0;
    while sent_mib < 200 && stream.write_all(&chunk).is_ok() {
        sent_mib += 1;
    }
    assert!(sent_mib < 200, "the server read a 200 MiB header line to the end");
    let peak = server.status("VmHWM:");
    assert!(peak < 48 * 1024, "peak RSS {peak} kB (was {before} kB before the request)");
    // And it still answers.
    assert_eq!(server.get("/pkt/design.md").0, "HTTP/1.1 200 OK");
}

#[test]
fn many_connections_at_once_use_a_fixed_pool_of_threads() {
    let tmp = site();
    let server = Server::start(&tmp.path().join("out"));
    assert_eq!(server.get("/pkt/design.md").0, "HTTP/1.1 200 OK");
    // 200 connections that never send a request: each would have been a thread.
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(TcpStream::connect(("127.0.0.1", server.port)).unwrap());
        let threads = server.status("Threads:");
        assert!(threads <= SERVER_THREADS, "{threads} threads with {} connections open", idle.len());
    }
    // Beyond the workers and the queue, a connection is told the server is busy at once.
    let mut answer = String::new();
    idle.last_mut().unwrap().read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 503 Service Unavailable"), "{answer}");
    // Once they hang up, the pool works through the queue (each gone at once) and answers
    // again; until then a request may be told 503, as a browser would be.
    drop(idle);
    let mut answer = server.get("/pkt/design.md");
    for _ in 0..500 {
        if answer.0 != "HTTP/1.1 503 Service Unavailable" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        answer = server.get("/pkt/design.md");
    }
    assert_eq!(answer, ("HTTP/1.1 200 OK".to_owned(), "# design\n".to_owned()));
    assert!(server.status("Threads:") <= SERVER_THREADS);
}
