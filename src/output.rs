//! The only module that writes files.
//!
//! Every file is written to a temporary file in the same directory and renamed over the target,
//! so a reader (or a build killed half-way) sees either the old complete file or the new one,
//! never a torn one. Plans are read-modify-written under an advisory lock on a sidecar lock file,
//! so concurrent builds append their revisions in turn instead of overwriting each other.

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
    let mut tmp = temp_beside(path)?;
    {
        let mut writer = io::BufWriter::new(TempWriter { file: tmp.as_file_mut(), pause: slow_write_pause() });
        body(&mut writer)?;
        writer.flush().with_context(|| format!("cannot write {}", path.display()))?;
    }
    tmp.as_file().sync_all().with_context(|| format!("cannot flush {}", tmp.path().display()))?;
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot replace {}", path.display()))?;
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
/// exclusive advisory lock, and write what it returns atomically.
///
/// The lock is taken on `.<file name>.lock` beside the plan (the plan itself is replaced by
/// rename, so it cannot carry the lock). `update` returns the new content, or `None` to leave
/// the file as it is.
///
/// # Errors
/// I/O errors, or the error `update` returns.
pub(crate) fn update_locked<F>(path: &Path, update: F) -> Result<()>
where
    F: FnOnce(Option<String>) -> Result<Option<String>>,
{
    let dir = parent_dir(path);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create directory {}", dir.display()))?;
    let lock_path = lock_path(path);
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open lock file {}", lock_path.display()))?;
    lock.lock().with_context(|| format!("cannot lock {}", lock_path.display()))?;
    let current = match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let result = update(current).and_then(|new| match new {
        Some(text) => write_atomic(path, text.as_bytes()),
        None => Ok(()),
    });
    unlock(&lock);
    result
}

/// The sidecar lock file of a plan.
#[must_use]
pub(crate) fn lock_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    parent_dir(path).join(format!(".{name}.lock"))
}

/// A temporary file in `path`'s directory (created if missing), so the final rename is atomic.
fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = parent_dir(path);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create directory {}", dir.display()))?;
    temp_builder().tempfile_in(&dir).with_context(|| format!("cannot create a temporary file in {}", dir.display()))
}

/// Temporary files are readable like any generated file (tempfile's default is owner-only).
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".handoff-").suffix(".tmp");
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
            Ok(Some("1".into()))
        })
        .unwrap();
        update_locked(&path, |old| Ok(Some(format!("{}2", old.unwrap())))).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "12");
    }
}
