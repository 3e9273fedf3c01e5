//! Files as a git revision has them, for what a pull request runs against its base
//! (`check --base REF`, `diff --base REF`): the one module that runs `git`.
//!
//! It runs the `git` on `PATH` rather than linking a git library: a pull request's checkout
//! always has git, and `git show REF:PATH` is exactly the question asked.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Why a file could not be read at a git revision.
#[derive(Debug)]
pub(crate) enum GitError {
    /// `git` could not be run at all.
    Spawn(std::io::Error),
    /// The ref is not a commit of the repository (or there is no repository); git's words.
    UnknownRef {
        /// The ref as given.
        git_ref: String,
        /// What git said.
        detail: String,
    },
    /// `git show` failed for another reason; git's words.
    Failed(String),
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spawn(e) => write!(f, "cannot run git: {e}"),
            Self::UnknownRef { git_ref, detail } if detail.is_empty() => {
                write!(f, "`{}` is not a commit of this repository", git_ref.escape_debug())
            }
            Self::UnknownRef { git_ref, detail } => {
                write!(f, "`{}` is not a commit of this repository: {detail}", git_ref.escape_debug())
            }
            Self::Failed(detail) => write!(f, "git show failed: {detail}"),
        }
    }
}

impl std::error::Error for GitError {}

/// The content of `path` (a file of the working tree, relative to the working directory or
/// absolute) at `git_ref`, as `git show REF:PATH` prints it; `None` when the path does not
/// exist at that ref.
///
/// # Errors
/// git cannot run, the ref is not a commit (or names an option), or `git show` fails.
pub(crate) fn show(git_ref: &str, path: &Path) -> Result<Option<Vec<u8>>, GitError> {
    if git_ref.is_empty() || git_ref.starts_with('-') || git_ref.contains(':') {
        return Err(GitError::UnknownRef { git_ref: git_ref.to_owned(), detail: String::new() });
    }
    let (dir, relative) = anchor(path);
    let verify = run(&dir, &["rev-parse", "--verify", "--quiet", &format!("{git_ref}^{{commit}}")])?;
    if !verify.status.success() {
        return Err(GitError::UnknownRef { git_ref: git_ref.to_owned(), detail: stderr(&verify) });
    }
    // `./` makes the path relative to `dir` rather than to the top of the repository.
    let spec = format!("{git_ref}:./{relative}");
    if !run(&dir, &["cat-file", "-e", &spec])?.status.success() {
        return Ok(None);
    }
    let shown = run(&dir, &["show", &spec])?;
    if shown.status.success() { Ok(Some(shown.stdout)) } else { Err(GitError::Failed(stderr(&shown))) }
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
    let changed = run(Path::new("."), &["diff", "--name-only", "--no-renames", "--relative", git_ref, "--", &dir])?;
    if !changed.status.success() {
        return Err(failed(&changed));
    }
    let untracked = run(Path::new("."), &["ls-files", "--others", "--exclude-standard", "--", &dir])?;
    if !untracked.status.success() {
        return Err(failed(&untracked));
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

/// Check that `git_ref` names a commit (and cannot be read as an option).
fn verify(git_ref: &str) -> Result<(), GitError> {
    let unknown = |detail: String| GitError::UnknownRef { git_ref: git_ref.to_owned(), detail };
    if git_ref.is_empty() || git_ref.starts_with('-') || git_ref.contains(':') {
        return Err(unknown(String::new()));
    }
    let verify = run(Path::new("."), &["rev-parse", "--verify", "--quiet", &format!("{git_ref}^{{commit}}")])?;
    if verify.status.success() { Ok(()) } else { Err(unknown(stderr(&verify))) }
}

fn failed(output: &Output) -> GitError {
    GitError::Failed(stderr(output))
}

/// The nearest existing folder of `path` and the rest of the path below it, with forward
/// slashes (git's separator), so a file whose folder no longer exists can still be asked for.
fn anchor(path: &Path) -> (PathBuf, String) {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    };
    let mut dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    while !dir.as_os_str().is_empty() && !dir.is_dir() {
        dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    if dir.as_os_str().is_empty() {
        dir = PathBuf::from(".");
    }
    let rest = absolute.strip_prefix(&dir).map_or_else(|_| absolute.clone(), Path::to_path_buf);
    (dir, rest.to_string_lossy().replace('\\', "/"))
}

fn run(dir: &Path, args: &[&str]) -> Result<Output, GitError> {
    Command::new("git").arg("-C").arg(dir).args(args).output().map_err(GitError::Spawn)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

    use super::*;

    #[test]
    fn refs_that_could_be_options_are_refused_before_git_runs() {
        for bad in ["", "--output=/tmp/x", "-p", "HEAD:secret"] {
            assert!(matches!(show(bad, Path::new("x.json")), Err(GitError::UnknownRef { .. })), "{bad}");
        }
    }

    #[test]
    fn a_missing_folder_anchors_at_the_nearest_existing_one() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, rest) = anchor(&tmp.path().join("gone/plans/plan-x.json"));
        assert_eq!(dir, tmp.path());
        assert_eq!(rest, "gone/plans/plan-x.json");
    }
}
