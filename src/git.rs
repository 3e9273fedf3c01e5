//! Reading briefs as they were at a git revision, for `handoff diff --base REF`.
//!
//! The `git` program does the work (`git show REF:./PATH`, `git diff --name-only`), run with
//! `std::process::Command`: no git library to build, and the user's own git configuration
//! (worktrees, safe directories, partial clones) applies unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why git could not answer.
#[derive(Debug)]
pub(crate) enum GitError {
    /// `git` could not be started.
    NotFound(std::io::Error),
    /// git ran and failed: the revision and what git said.
    Failed {
        /// The revision asked about.
        git_ref: String,
        /// git's own message (its stderr, trimmed).
        message: String,
    },
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound(e) => write!(f, "cannot run git: {e}"),
            Self::Failed { git_ref, message } => write!(f, "git cannot read revision `{git_ref}`: {message}"),
        }
    }
}

impl std::error::Error for GitError {}

fn git(args: &[&str]) -> Result<std::process::Output, GitError> {
    Command::new("git").args(args).output().map_err(GitError::NotFound)
}

fn failed(git_ref: &str, output: &std::process::Output) -> GitError {
    GitError::Failed { git_ref: git_ref.to_owned(), message: String::from_utf8_lossy(&output.stderr).trim().to_owned() }
}

/// Check that `git_ref` names a commit.
fn verify(git_ref: &str) -> Result<(), GitError> {
    let spec = format!("{git_ref}^{{commit}}");
    let out = git(&["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])?;
    if out.status.success() {
        Ok(())
    } else {
        Err(GitError::Failed { git_ref: git_ref.to_owned(), message: "no such commit".to_owned() })
    }
}

/// The object name of `path` at `git_ref`: relative paths are taken from the current
/// directory (`REF:./PATH`), as the user typed them.
fn object(git_ref: &str, path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text);
    format!("{git_ref}:./{text}")
}

/// The content of `path` at `git_ref`, `None` when the path does not exist at that revision.
///
/// # Errors
/// git cannot be run, or `git_ref` is not a commit (the error names it).
pub(crate) fn show(git_ref: &str, path: &Path) -> Result<Option<Vec<u8>>, GitError> {
    verify(git_ref)?;
    let path = relative_to_cwd(path);
    let name = object(git_ref, &path);
    let exists = git(&["cat-file", "-e", &name])?;
    if !exists.status.success() {
        return Ok(None);
    }
    let out = git(&["show", &name])?;
    if out.status.success() { Ok(Some(out.stdout)) } else { Err(failed(git_ref, &out)) }
}

/// An absolute path inside the working directory, made relative to it (git resolves `./` from
/// there); any other path as it is.
fn relative_to_cwd(path: &Path) -> PathBuf {
    if path.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rest) = path.strip_prefix(&cwd)
    {
        return rest.to_path_buf();
    }
    path.to_path_buf()
}

/// Briefs (`*.yaml`, `*.yml`) under `dir` that differ between `git_ref` and the working tree:
/// changed, added (tracked or not yet) and deleted ones, relative to the current directory,
/// sorted.
///
/// # Errors
/// git cannot be run, `git_ref` is not a commit, or this is not a git work tree.
pub(crate) fn changed_briefs(git_ref: &str, dir: &Path) -> Result<Vec<PathBuf>, GitError> {
    verify(git_ref)?;
    let dir = dir.to_string_lossy().into_owned();
    let changed = git(&["diff", "--name-only", "--no-renames", "--relative", git_ref, "--", &dir])?;
    if !changed.status.success() {
        return Err(failed(git_ref, &changed));
    }
    let untracked = git(&["ls-files", "--others", "--exclude-standard", "--", &dir])?;
    if !untracked.status.success() {
        return Err(failed(git_ref, &untracked));
    }
    let mut paths: Vec<PathBuf> = [changed.stdout, untracked.stdout]
        .iter()
        .flat_map(|out| String::from_utf8_lossy(out).lines().map(PathBuf::from).collect::<Vec<_>>())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}
