//! `handoff serve`: serves the output directory on 127.0.0.1, injects the live-reload script
//! only into what it serves (the files on disk stay script-free), reports a new version when a
//! build rewrites a file, and refuses paths that leave the directory.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

use std::fs;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

#[path = "common/server.rs"]
mod server;
use server::Server;

impl Server {
    /// A raw request (so paths are sent exactly as written); status line and body.
    fn request(&self, method: &str, path: &str) -> (String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        (head.lines().next().unwrap_or("").to_owned(), body.to_owned())
    }
}

fn built_out() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .current_dir(tmp.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["build", "--now", "2026-11-25T12:00:00Z", "--plans-dir", "plans", "--out", "out"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/smb-activation.yaml"))
        .status()
        .unwrap();
    assert!(status.success());
    tmp
}

#[test]
fn served_pages_reload_but_files_stay_script_free() {
    let tmp = built_out();
    let out = tmp.path().join("out");
    let server = Server::start(&out);

    let (status, index) = server.request("GET", "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(index.contains("href=\"/smb-activation/approval-packet.html\""), "{index}");

    let on_disk = fs::read_to_string(out.join("smb-activation/approval-packet.html")).unwrap();
    assert!(!on_disk.contains("<script"), "the packet file must stay script-free");
    let (status, served) = server.request("GET", "/smb-activation/approval-packet.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(served.contains("<script nonce=\""), "no reload script served");
    assert!(served.contains("connect-src 'self'"), "the served policy must allow polling");
    // Apart from the script and the widened policy, the served page is the file.
    let script_start = served.find("<script nonce=").unwrap();
    let script_end = served[script_start..].find("</script>\n").unwrap() + script_start + "</script>\n".len();
    let without_script = format!("{}{}", &served[..script_start], &served[script_end..]);
    let policy_extra_start = without_script.find("; script-src 'nonce-").unwrap();
    let policy_extra_end = without_script.find("; connect-src 'self'").unwrap() + "; connect-src 'self'".len();
    let unwidened = format!("{}{}", &without_script[..policy_extra_start], &without_script[policy_extra_end..]);
    assert_eq!(unwidened, on_disk);
    // The file is still script-free after being served.
    assert_eq!(fs::read_to_string(out.join("smb-activation/approval-packet.html")).unwrap(), on_disk);

    // Markdown is shown as text, with no script.
    let (status, design) = server.request("GET", "/smb-activation/design.md");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(design.starts_with("# ") && !design.contains("<script"), "{}", &design[..design.len().min(200)]);

    // A rebuild that rewrites a file changes the version the page polls.
    let (_, v1) = server.request("GET", "/__handoff/version");
    let (_, again) = server.request("GET", "/__handoff/version");
    assert_eq!(v1, again, "the version is stable while nothing changes");
    let design_path = out.join("smb-activation/design.md");
    let mut text = fs::read_to_string(&design_path).unwrap();
    text.push_str("\nrebuilt\n");
    fs::write(&design_path, text).unwrap();
    let (_, v2) = server.request("GET", "/__handoff/version");
    assert_ne!(v1, v2, "a rewritten output must change the version");
    assert!(served.contains(&format!("var v=\"{v1}\"")), "the page starts from the version it was served at");
}

#[test]
fn paths_outside_the_output_directory_are_refused() {
    let tmp = built_out();
    fs::write(tmp.path().join("secret.txt"), "do not serve").unwrap();
    let server = Server::start(&tmp.path().join("out"));
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/smb-activation/..%2f..%2fsecret.txt", "/..\\secret.txt"] {
        let (status, body) = server.request("GET", path);
        assert!(status.starts_with("HTTP/1.1 400") || status.starts_with("HTTP/1.1 404"), "{path}: {status}");
        assert!(!body.contains("do not serve"), "{path}");
    }
    assert!(server.request("GET", "/nope.html").0.starts_with("HTTP/1.1 404"));
    assert!(server.request("POST", "/").0.starts_with("HTTP/1.1 405"));
    let (status, body) = server.request("HEAD", "/smb-activation/approval-packet.html");
    assert_eq!((status.as_str(), body.as_str()), ("HTTP/1.1 200 OK", ""));
}

#[test]
fn serve_refuses_a_missing_output_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .args(["serve", "--port", "0", "--out"])
        .arg(tmp.path().join("missing"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("run `handoff build` first"));
}
