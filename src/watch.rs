//! What `build --watch` watches: the briefs and the templates directory, polled for changes.
//!
//! Polling modification times and sizes (rather than OS notifications) works the same on every
//! file system, including network and container mounts, and a few hundred files cost nothing to
//! stat. This module only finds what changed and which briefs that asks to rebuild; the command
//! prints it and rebuilds.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::pipeline::{BRIEFS_DIR, is_yaml};

/// How often the watched files are looked at.
const INTERVAL: Duration = Duration::from_millis(250);

/// What is remembered of a file: modification time and size.
type Stamp = (Option<SystemTime>, u64);

/// How a watched file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// It appeared.
    Added,
    /// It is gone.
    Removed,
    /// Its modification time or size changed.
    Changed,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        })
    }
}

/// One round of changes.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// Every file that changed, in path order.
    pub(crate) files: Vec<(Change, PathBuf)>,
    /// A file in the templates directory changed: reload the templates and rebuild every brief.
    pub(crate) templates: bool,
    /// Briefs that changed or appeared.
    pub(crate) briefs: Vec<PathBuf>,
}

/// The briefs (named files or directories of YAML) and the templates directory being watched.
#[derive(Debug)]
pub(crate) struct Watcher {
    briefs: Vec<PathBuf>,
    templates: Option<PathBuf>,
    roots: Vec<PathBuf>,
    seen: BTreeMap<PathBuf, Stamp>,
}

impl Watcher {
    /// Watch `briefs` (the `briefs/` folder when empty) and the `templates` directory, from
    /// their state now.
    pub(crate) fn new(briefs: &[PathBuf], templates: Option<&Path>) -> Self {
        let mut roots: Vec<PathBuf> = if briefs.is_empty() { vec![PathBuf::from(BRIEFS_DIR)] } else { briefs.to_vec() };
        if let Some(dir) = templates {
            roots.push(dir.to_path_buf());
        }
        let seen = snapshot(&roots, templates);
        Self { briefs: briefs.to_vec(), templates: templates.map(Path::to_path_buf), roots, seen }
    }

    /// What is watched: the brief roots, then the templates directory.
    pub(crate) fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Wait until something changes, and say what.
    pub(crate) fn wait(&mut self) -> Changes {
        loop {
            std::thread::sleep(INTERVAL);
            let now = snapshot(&self.roots, self.templates.as_deref());
            if now != self.seen {
                let changes = self.changes(&now);
                self.seen = now;
                return changes;
            }
        }
    }

    fn changes(&self, now: &BTreeMap<PathBuf, Stamp>) -> Changes {
        let seen = &self.seen;
        let changed: Vec<&PathBuf> = now
            .keys()
            .chain(seen.keys().filter(|k| !now.contains_key(*k)))
            .filter(|path| now.get(*path) != seen.get(*path))
            .collect();
        let in_templates = |path: &Path| self.templates.as_deref().is_some_and(|dir| path.starts_with(dir));
        let mut out = Changes::default();
        for path in changed {
            let change = match (seen.contains_key(path), now.contains_key(path)) {
                (false, _) => Change::Added,
                (_, false) => Change::Removed,
                _ => Change::Changed,
            };
            out.files.push((change, path.clone()));
            if in_templates(path) {
                out.templates = true;
            } else if now.contains_key(path) && (is_yaml(path) || self.briefs.contains(path)) {
                out.briefs.push(path.clone());
            }
        }
        out
    }
}

/// Modification time and size of every brief under `roots` (walked like `brief_paths`: YAML
/// files in directories, named files as they are) and every file in the templates directory.
fn snapshot(roots: &[PathBuf], templates: Option<&Path>) -> BTreeMap<PathBuf, Stamp> {
    let mut out = BTreeMap::new();
    for root in roots {
        let entries = walkdir::WalkDir::new(root).follow_links(true).max_depth(8).into_iter().filter_map(Result::ok);
        for entry in entries {
            if !entry.file_type().is_file() {
                continue;
            }
            // Editors write swap and backup files beside the brief; only briefs and templates count.
            let name = entry.file_name().to_string_lossy();
            if name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            let wanted = templates == Some(root.as_path()) || entry.path() == root || is_yaml(entry.path());
            if !wanted {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                out.insert(entry.into_path(), (meta.modified().ok(), meta.len()));
            }
        }
    }
    out
}
