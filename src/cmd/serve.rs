//! `handoff serve`: the output directory on localhost, with pages that reload on rebuild.
//!
//! Run beside `handoff build --watch`, this gives the edit-and-look loop of a static-site
//! generator. The HTTP handling, file serving and reload injection are in `crate::preview`;
//! this command checks the directory, binds 127.0.0.1 (never another interface) and says where
//! to look.

use std::io::Write as _;
use std::net::TcpListener;

use anyhow::{Context as _, Result, bail};

use crate::cli::ServeArgs;

/// Run `handoff serve` until the process is stopped.
///
/// # Errors
/// A missing output directory or a port that cannot be bound.
pub(super) fn run(args: &ServeArgs) -> Result<bool> {
    if !args.out.is_dir() {
        bail!("{} is not a directory: run `handoff build` first (or pass --out DIR)", args.out.display());
    }
    let listener = TcpListener::bind(("127.0.0.1", args.port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    println!("serving {} at http://127.0.0.1:{port}/ (Ctrl-C to stop)", args.out.display());
    std::io::stdout().flush().ok();
    crate::preview::serve(&listener, &args.out).with_context(|| format!("cannot serve {}", args.out.display()))?;
    Ok(true)
}
