//! The only module that writes files.
//!
//! Every file is written to a temporary file in the same directory and renamed over the target,
//! so a reader (or a build killed half-way) sees either the old complete file or the new one,
//! never a torn one. A brief's outputs are written as one set ([`write_set`]): every file is
//! staged to a temporary file first, and only when all are staged are they renamed, in the
//! order given; a failure while staging removes the staged files and changes nothing.
//!
//! Plans are read-modify-written under an advisory lock on the plans folder itself (not on a
//! sidecar file, which would be left where people commit), so concurrent builds append their
//! revisions in turn instead of overwriting each other. Temporary files a killed build left
//! (`.handoff-*.tmp`, not modified for [`STALE_AFTER`]) are removed by the next set written
//! to their folder.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Write `bytes` to `path` atomically (temporary file in the same directory, then rename).
///
/// Creates missing parent directories. Leaves `path` untouched when the content is already
/// identical, so an unchanged rebuild does not even touch modification times.
///
/// # Errors
/// Any I/O error, with the path in its context.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if is_device(path) {
        return write_through(path, |w| w.write_all(bytes).with_context(|| format!("cannot write {}", path.display())));
    }
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    write_streaming(path, |w| w.write_all(bytes).with_context(|| format!("cannot write {}", path.display())))
}

/// Stream a file into place: `body` writes to a buffered temporary file in the same directory,
/// which is renamed over `path` only when `body` succeeds (for outputs too large to hold in
/// memory, such as `route --assignments` on a million leads).
///
/// # Errors
/// The error `body` returns, or an I/O error; `path` is then left as it was.
pub(crate) fn write_streaming<F>(path: &Path, body: F) -> Result<()>
where
    F: FnOnce(&mut io::BufWriter<TempWriter<'_>>) -> Result<()>,
{
    if is_device(path) {
        return write_through(path, body);
    }
    let tmp = stage(path, body)?;
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// `path` exists and is neither a regular file nor a folder: a device such as `/dev/null` or
/// `/dev/stdout`, or a FIFO. Renaming over it would replace the device with a regular file
/// (as root, `--out /dev/null` would break `/dev/null` for the whole machine), so such a path
/// is written into, not replaced.
fn is_device(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Write what `body` writes straight into the device or FIFO at `path` (see [`is_device`]):
/// there is no old content to keep, and nothing to rename.
fn write_through<F>(path: &Path, body: F) -> Result<()>
where
    F: FnOnce(&mut io::BufWriter<TempWriter<'_>>) -> Result<()>,
{
    let mut file =
        OpenOptions::new().write(true).open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut writer = io::BufWriter::new(TempWriter { file: &mut file, pause: None });
    body(&mut writer)?;
    writer.flush().with_context(|| format!("cannot write {}", path.display()))
}

/// Write a temporary file beside `path` with what `body` writes, flushed to disk, ready to be
/// renamed over `path`. Dropping it removes it.
fn stage<F>(path: &Path, body: F) -> Result<tempfile::NamedTempFile>
where
    F: FnOnce(&mut io::BufWriter<TempWriter<'_>>) -> Result<()>,
{
    let mut tmp = temp_beside(path)?;
    {
        let mut writer = io::BufWriter::new(TempWriter { file: tmp.as_file_mut(), pause: slow_write_pause() });
        body(&mut writer)?;
        writer.flush().with_context(|| format!("cannot write {}", path.display()))?;
    }
    injected_fault(path)?;
    tmp.as_file().sync_all().with_context(|| format!("cannot flush {}", tmp.path().display()))?;
    Ok(tmp)
}

/// Write a set of files so that they change together or not at all: remove stale temporary
/// files from their folders, stage every file whose content differs, then rename the staged
/// files in the order of `files`. A failure while staging (a full disk, a read-only folder)
/// removes what was staged and leaves every file as it was. Renames within a folder need no
/// space; should one still fail, the files before it in `files` are already replaced and the
/// rest keep their old content (so callers put first the file the others must never be ahead
/// of: the plan).
///
/// # Errors
/// An I/O error, naming the file.
pub(crate) fn write_set(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let mut swept: Vec<PathBuf> = Vec::new();
    for (path, _) in files {
        let dir = parent_dir(path);
        if !swept.contains(&dir) {
            sweep_stale(&dir);
            swept.push(dir);
        }
    }
    let mut staged = Vec::new();
    for (path, bytes) in files {
        if fs::read(path).is_ok_and(|old| old == *bytes) {
            continue;
        }
        // On error, `staged` is dropped and its temporary files removed.
        let tmp = stage(path, |w| w.write_all(bytes).with_context(|| format!("cannot write {}", path.display())))?;
        staged.push((path, tmp));
    }
    for (path, tmp) in staged {
        tmp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot replace {}", path.display()))?;
    }
    Ok(())
}

/// How long a temporary file of ours must have gone unmodified before a later build removes
/// it. A live write modifies its temporary file continuously and renames it within moments of
/// its last byte, so an hour-old one belongs to a build that was killed. Age rather than a pid
/// check: a folder can be shared by machines whose process ids mean nothing to each other.
pub(crate) const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Remove the temporary files of killed builds from `dir`: regular files named
/// `.handoff-*.tmp` (the names [`temp_builder`] gives) not modified for [`STALE_AFTER`].
/// Best effort: a file that cannot be inspected or removed is left alone.
fn sweep_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta.modified().ok().and_then(|m| now.duration_since(m).ok()).is_some_and(|age| age >= STALE_AFTER);
        if meta.file_type().is_file() && old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The test-only fault hook: in debug builds, `HANDOFF_TEST_FAIL_WRITE=N` makes the N-th file
/// staged by this process fail as a full disk would, after its bytes were written, so
/// `tests/robustness.rs` can show that a failed set changes nothing. Release builds never read
/// the variable.
fn injected_fault(path: &Path) -> Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static STAGED: AtomicUsize = AtomicUsize::new(0);
    if !cfg!(debug_assertions) {
        return Ok(());
    }
    let Some(n) = std::env::var("HANDOFF_TEST_FAIL_WRITE").ok().and_then(|v| v.trim().parse::<usize>().ok()) else {
        return Ok(());
    };
    if STAGED.fetch_add(1, Ordering::SeqCst) + 1 == n {
        let e = io::Error::new(io::ErrorKind::StorageFull, "injected by HANDOFF_TEST_FAIL_WRITE");
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// The temporary file [`write_streaming`] writes to. In release builds it is the file itself;
/// in debug builds (the ones tests run) it can be slowed by the test-only hook of
/// [`slow_write_pause`], so a crash test can kill a build while a file is being written.
pub(crate) struct TempWriter<'a> {
    file: &'a mut File,
    /// Pause after each chunk of at most [`SLOW_WRITE_CHUNK`] bytes (the test hook), or none.
    pause: Option<std::time::Duration>,
}

/// Bytes written between two pauses of the test hook.
const SLOW_WRITE_CHUNK: usize = 4096;

impl Write for TempWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.pause {
            None => self.file.write(buf),
            Some(pause) => {
                let n = self.file.write(&buf[..buf.len().min(SLOW_WRITE_CHUNK)])?;
                std::thread::sleep(pause);
                Ok(n)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// The test-only hook: in debug builds, `HANDOFF_TEST_SLOW_WRITE_MS=N` makes every temporary
/// file be written in chunks of 4 KiB with a pause of N milliseconds after each, so
/// `tests/robustness.rs` can kill a build while a temporary file is half written. Release builds
/// never read the variable.
fn slow_write_pause() -> Option<std::time::Duration> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let ms: u64 = std::env::var("HANDOFF_TEST_SLOW_WRITE_MS").ok()?.trim().parse().ok()?;
    Some(std::time::Duration::from_millis(ms))
}

/// Append to a file another tool owns and reads as a log (GitHub's `$GITHUB_STEP_SUMMARY`):
/// appending is that file's protocol, so it is the one write here that is not a rename.
///
/// # Errors
/// The file cannot be opened or written.
pub(crate) fn append(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(bytes)
}

/// Create a file that must not exist yet (for `init` without `--force`), atomically.
///
/// # Errors
/// The file exists, or an I/O error.
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes).with_context(|| format!("cannot write {}", tmp.path().display()))?;
    tmp.persist_noclobber(path).map_err(|e| e.error).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(())
}

/// Run `update` on the current content of the plan at `path` (or `None`) while holding an
/// exclusive advisory lock on the plan's folder, and write the files it returns as one set
/// ([`write_set`], in its order).
///
/// The lock is on the folder (the plan itself is replaced by rename, so it cannot carry the
/// lock), which leaves no lock file behind. A plan that is not a regular file (a FIFO, a
/// device) is refused without being opened, so it cannot hang the build.
///
/// # Errors
/// I/O errors, or the error `update` returns.
pub(crate) fn update_locked<F>(path: &Path, update: F) -> Result<()>
where
    F: FnOnce(Option<String>) -> Result<Vec<(PathBuf, Vec<u8>)>>,
{
    let dir = parent_dir(path);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create directory {}", dir.display()))?;
    let lock = lock_dir(&dir)?;
    let result = read_regular(path).and_then(update).and_then(|files| write_set(&files));
    unlock(&lock);
    result
}

/// The text of `path`, `None` when it does not exist; an error when it is not a regular file.
fn read_regular(path: &Path) -> Result<Option<String>> {
    match fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        Ok(meta) if !meta.is_file() => {
            anyhow::bail!("{} is not a regular file; remove it and build again", path.display())
        }
        Ok(_) => {}
    }
    fs::read_to_string(path).map(Some).with_context(|| format!("cannot read {}", path.display()))
}

/// Take the exclusive lock of `dir`: on the directory itself where the platform can (Unix
/// `flock` works on a directory), else on a file named after the directory in the system's
/// temporary folder. Released when the returned file is closed.
fn lock_dir(dir: &Path) -> Result<File> {
    #[cfg(unix)]
    let file = File::open(dir).with_context(|| format!("cannot open {} to lock it", dir.display()))?;
    #[cfg(not(unix))]
    let file = {
        let real = fs::canonicalize(dir).with_context(|| format!("cannot resolve {}", dir.display()))?;
        let name = crate::plan::sha256_hex(real.to_string_lossy().as_bytes());
        let lock_path = std::env::temp_dir().join(format!("handoff-{}.lock", &name[..32]));
        OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot open lock file {}", lock_path.display()))?
    };
    file.lock().with_context(|| format!("cannot lock {}", dir.display()))?;
    Ok(file)
}

/// A temporary file in `path`'s directory (created if missing), so the final rename is atomic.
fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = parent_dir(path);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create directory {}", dir.display()))?;
    temp_builder().tempfile_in(&dir).with_context(|| format!("cannot create a temporary file in {}", dir.display()))
}

/// How the names of our temporary files start (the sweep removes only these).
const TEMP_PREFIX: &str = ".handoff-";
/// How the names of our temporary files end.
const TEMP_SUFFIX: &str = ".tmp";

/// Temporary files are readable like any generated file (tempfile's default is owner-only).
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    builder
}

fn unlock(file: &File) {
    // Closing the file releases the lock too; an explicit unlock just makes it prompt.
    let _ = file.unlock();
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("b.txt")]);
    }

    #[test]
    fn the_slow_write_hook_writes_whole_content_in_4_kib_chunks() {
        // The test hook of tests/robustness.rs: each write reaches the file in at most 4,096
        // bytes, and the file ends with every byte (10,000 = 4,096 + 4,096 + 1,808).
        let dir = tempfile::tempdir().unwrap();
        let mut file = File::create(dir.path().join("t")).unwrap();
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut w = TempWriter { file: &mut file, pause: Some(std::time::Duration::ZERO) };
        assert_eq!(w.write(&bytes).unwrap(), 4096);
        w.write_all(&bytes[4096..]).unwrap();
        drop(file);
        assert_eq!(fs::read(dir.path().join("t")).unwrap(), bytes);
        // Without the hook a write goes to the file whole.
        let mut file = File::create(dir.path().join("u")).unwrap();
        let mut w = TempWriter { file: &mut file, pause: None };
        assert_eq!(w.write(&bytes).unwrap(), 10_000);
    }

    #[test]
    fn a_device_is_written_into_not_replaced() {
        // Guards against `--out /dev/null` renaming a regular file over the device (found when
        // a run as root turned this machine's /dev/null into a file). A FIFO stands in for a
        // device: creating one needs no privileges, and it must stay a FIFO.
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write_streaming(&fifo, |w| w.write_all(b"leads\n").map_err(Into::into)).unwrap();
        // Checked before joining: a replaced FIFO would leave the reader waiting for a writer.
        let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind), "the FIFO was replaced by {kind:?}");
        assert_eq!(reader.join().unwrap(), b"leads\n");
    }

    #[test]
    fn create_new_refuses_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.yaml");
        create_new(&path, b"1").unwrap();
        assert!(create_new(&path, b"2").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"1");
    }

    #[test]
    fn update_locked_sees_the_previous_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan-x.json");
        update_locked(&path, |old| {
            assert!(old.is_none());
            Ok(vec![(path.clone(), b"1".to_vec())])
        })
        .unwrap();
        update_locked(&path, |old| Ok(vec![(path.clone(), format!("{}2", old.unwrap()).into_bytes())])).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "12");
        // The lock is on the folder: nothing but the plan is left in it.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("plan-x.json")]);
    }

    #[test]
    fn a_plan_that_is_not_a_regular_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan-x.json");
        fs::create_dir(&path).unwrap();
        let err = update_locked(&path, |_| Ok(vec![])).unwrap_err();
        assert!(err.to_string().contains("is not a regular file"), "{err:#}");
    }

    #[test]
    fn the_sweep_removes_only_our_old_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - STALE_AFTER - std::time::Duration::from_secs(60);
        for name in [".handoff-killed.tmp", ".handoff-fresh.tmp", ".other-killed.tmp", "handoff-x.tmp"] {
            let file = File::create(dir.path().join(name)).unwrap();
            if name != ".handoff-fresh.tmp" {
                file.set_modified(old).unwrap();
            }
        }
        write_set(&[(dir.path().join("a.md"), b"a".to_vec())]).unwrap();
        let mut names: Vec<_> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, [".handoff-fresh.tmp", ".other-killed.tmp", "a.md", "handoff-x.tmp"]);
    }

    /// The inode of `path`: a rename puts a new one in place, an untouched file keeps its own.
    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(path).unwrap())
    }

    #[cfg(unix)]
    #[test]
    fn a_changed_file_is_renamed_into_place_and_an_identical_one_left_alone() {
        // Shorter content over longer: a write into the old file without truncating would leave
        // "threeee" + the tail; replaced by rename, the file is exactly the new bytes and a new
        // inode. Rewritten with the same bytes, it is not touched at all (same inode).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("design.md");
        write_atomic(&path, b"a longer first version").unwrap();
        let first = inode(&path);
        write_atomic(&path, b"short").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"short");
        let second = inode(&path);
        assert_ne!(second, first, "replaced in place instead of renamed over");
        write_atomic(&path, b"short").unwrap();
        assert_eq!(inode(&path), second, "identical content was rewritten");
    }

    #[cfg(unix)]
    #[test]
    fn a_set_replaces_the_changed_files_and_leaves_the_identical_ones() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("sub/b.md"));
        write_set(&[(a.clone(), b"a1".to_vec()), (b.clone(), b"b1".to_vec())]).unwrap();
        let (ia, ib) = (inode(&a), inode(&b));
        write_set(&[(a.clone(), b"a1".to_vec()), (b.clone(), b"b2".to_vec())]).unwrap();
        assert_eq!((fs::read(&a).unwrap(), fs::read(&b).unwrap()), (b"a1".to_vec(), b"b2".to_vec()));
        assert_eq!(inode(&a), ia, "a.md did not change and must not be rewritten");
        assert_ne!(inode(&b), ib, "b.md changed and is renamed into place");
    }

    #[cfg(unix)]
    #[test]
    fn generated_files_are_readable_by_group_and_others() {
        // tempfile creates owner-only (0600) files; outputs are ordinary files (0644 before the
        // umask, which on any usual setting keeps the read bits for group and others).
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        write_atomic(&path, b"{}").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
        assert_eq!(mode & 0o111, 0, "mode {mode:o}");
    }

    #[test]
    fn append_creates_then_appends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        append(&path, b"one\n").unwrap();
        append(&path, b"two\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "one\ntwo\n");
    }
}
