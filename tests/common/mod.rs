//! Helpers the integration tests share: the binary in a hermetic environment, the example
//! briefs, and temporary projects holding copies of them. Each test binary uses some of them.

#![allow(dead_code, clippy::unwrap_used)] // not every binary uses every helper; a failed setup should fail loudly

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The crate root: `briefs/`, `schemas/` and `tests/` are below it.
pub(crate) const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `handoff` run in `dir` as on a developer's machine, whatever runs the tests: without the
/// GitHub Actions variables (they change the default diagnostics format and append a step
/// summary), without `SOURCE_DATE_EPOCH`, without colour. Tests add what they pin.
pub(crate) fn handoff_in(dir: impl AsRef<Path>) -> Command {
    let mut cmd = Command::cargo_bin("handoff").unwrap();
    cmd.current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1");
    cmd
}

/// [`handoff_in`] the crate root, where the example briefs and fixtures are.
pub(crate) fn handoff() -> Command {
    handoff_in(ROOT)
}

/// The example briefs in `briefs/`, sorted.
pub(crate) fn example_briefs() -> Vec<PathBuf> {
    let mut briefs: Vec<PathBuf> = fs::read_dir(Path::new(ROOT).join("briefs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    briefs.sort();
    briefs
}

/// The text of the example brief `briefs/NAME`.
pub(crate) fn example(name: &str) -> String {
    fs::read_to_string(Path::new(ROOT).join("briefs").join(name)).unwrap()
}

/// A temporary project with copies of the named example briefs in its `briefs/` (every
/// example when `names` is empty).
pub(crate) fn project_with(names: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("briefs")).unwrap();
    for brief in example_briefs() {
        let name = brief.file_name().unwrap();
        if names.is_empty() || names.iter().any(|n| name == *n) {
            fs::copy(&brief, tmp.path().join("briefs").join(name)).unwrap();
        }
    }
    tmp
}

/// The Model `build` renders for the brief at `path` (relative to the crate root), as of a
/// fixed time (25 Nov 2026, 12:00 UTC) and with a placeholder digest.
pub(crate) fn model_of(path: &str) -> handoff::model::Model {
    let full = Path::new(ROOT).join(path);
    let loaded = handoff::pipeline::load(&full, 1 << 20).unwrap_or_else(|d| panic!("{path}: {d:?}"));
    handoff::model::build(&handoff::model::Inputs {
        brief: &loaded.checked,
        path: path.to_owned(),
        sha256: "0".repeat(64),
        now: "2026-11-25T12:00:00Z".parse().unwrap(),
    })
}
