//! `handoff init` from anywhere: the modeline on the brief's first line resolves, from the
//! brief's own folder (where yaml-language-server resolves it), to the schema `init` wrote —
//! for a brief in a sibling folder (`init ../other/x.yaml` from `sub/` used to say
//! `../schemas/…`, which does not exist from `other/`), for an absolute path, and below the
//! current folder.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::fs;
use std::path::Path;

mod common;

/// The schema path the brief's modeline names, resolved from the brief's folder.
fn modeline_target(brief: &Path) -> std::path::PathBuf {
    let text = fs::read_to_string(brief).unwrap();
    let first = text.lines().next().unwrap();
    let path = first.strip_prefix("# yaml-language-server: $schema=").unwrap_or_else(|| panic!("no modeline: {first}"));
    brief.parent().unwrap().join(path)
}

fn assert_resolves(brief: &Path, schema: &Path) {
    let target = modeline_target(brief);
    assert!(target.is_file(), "{}: the modeline points at {}, which does not exist", brief.display(), target.display());
    assert_eq!(target.canonicalize().unwrap(), schema.canonicalize().unwrap(), "{}", brief.display());
}

#[test]
fn the_modeline_resolves_from_the_briefs_folder_for_relative_and_absolute_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::create_dir_all(root.join("other")).unwrap();
    let schema = root.join("sub/schemas/brief.schema.json");

    common::handoff_in(root.join("sub")).args(["init", "../other/x.yaml"]).assert().success();
    assert!(schema.is_file(), "init writes the schema under the current folder");
    assert_resolves(&root.join("other/x.yaml"), &schema);
    let first = fs::read_to_string(root.join("other/x.yaml")).unwrap();
    assert!(first.starts_with("# yaml-language-server: $schema=../sub/schemas/brief.schema.json\n"), "{first}");

    let absolute = root.join("other/deeper/y.yaml");
    fs::create_dir_all(absolute.parent().unwrap()).unwrap();
    common::handoff_in(root.join("sub")).arg("init").arg(&absolute).assert().success();
    assert_resolves(&absolute, &schema);

    common::handoff_in(root.join("sub")).args(["init", "./briefs/../briefs/z.yaml"]).assert().success();
    assert_resolves(&root.join("sub/briefs/z.yaml"), &schema);
    let z = fs::read_to_string(root.join("sub/briefs/z.yaml")).unwrap();
    assert!(z.starts_with("# yaml-language-server: $schema=../schemas/brief.schema.json\n"), "{z}");

    // And each still validates where it is.
    common::handoff_in(root.join("sub")).args(["validate", "../other/x.yaml", "briefs/z.yaml"]).assert().success();
}
