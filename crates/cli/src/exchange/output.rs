//! Where `export --output PATH` writes, decided by what `PATH` is now.
//!
//! An export must never destroy what the user pointed it at, and a failed export must
//! not leave half a file where a whole one was. The rule, by what is at `PATH`:
//!
//! * nothing, or a regular file with one link: the export goes to a temporary file
//!   beside it, which is renamed over it when complete (a failed export changes nothing).
//!   An existing file's permissions (and, where allowed, its owner) are kept.
//! * a regular file with several hard links: the export goes to a temporary file first,
//!   then is copied into the file itself, so that every link sees the new content.
//! * a symbolic link: the rules apply to the file it points at; the link stays. A link
//!   to nothing is refused.
//! * a FIFO, a device or a socket: written straight into, without a temporary file.
//! * a directory: refused.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// What is at the output path.
#[derive(Debug)]
enum Target {
    /// Write a temporary file and rename it over `path`; `like` is the file replaced.
    Replace { path: PathBuf, like: Option<Metadata> },
    /// Write a temporary file, then copy it into `path` (a file with several links).
    CopyInto { path: PathBuf },
    /// Write straight into `path` (a FIFO or a device).
    Stream { path: PathBuf },
}

#[cfg(unix)]
fn n_links(meta: &Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn n_links(_: &Metadata) -> u64 {
    1
}

fn target(path: &Path) -> Result<Target> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target::Replace { path: path.to_path_buf(), like: None })
        }
        Err(e) => return Err(e).with_context(|| format!("cannot look at {}", path.display())),
    };
    let (path, meta) = if meta.file_type().is_symlink() {
        let resolved = std::fs::canonicalize(path).with_context(|| {
            let to = std::fs::read_link(path).map(|p| p.display().to_string()).unwrap_or_default();
            format!(
                "{} is a symbolic link to {to}, which cannot be opened: create its target or give another --output",
                path.display()
            )
        })?;
        let meta = std::fs::metadata(&resolved).with_context(|| format!("cannot look at {}", resolved.display()))?;
        (resolved, meta)
    } else {
        (path.to_path_buf(), meta)
    };
    Ok(if meta.is_dir() {
        bail!("{} is a directory: give --output a file name", path.display())
    } else if meta.is_file() && n_links(&meta) > 1 {
        Target::CopyInto { path }
    } else if meta.is_file() {
        Target::Replace { path, like: Some(meta) }
    } else {
        Target::Stream { path }
    })
}

/// A new file beside `path`, named after it, that nothing else uses.
fn temporary_beside(path: &Path) -> Result<(PathBuf, File)> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".to_string());
    let mut attempt = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.{}.{attempt}.partial", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e).with_context(|| format!("cannot create a temporary file {}", tmp.display())),
        }
    }
}

/// Gives the temporary file the permissions (and, when allowed, the owner) of the file
/// it replaces.
fn take_after(tmp: &Path, file: &File, like: &Metadata) -> Result<()> {
    file.set_permissions(like.permissions())
        .with_context(|| format!("cannot set the permissions of {}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let now = file.metadata()?;
        if (now.uid(), now.gid()) != (like.uid(), like.gid()) {
            // Only the superuser may give a file away; others keep their own ownership.
            let _ = std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid()));
        }
    }
    Ok(())
}

/// Runs `write` into a temporary file beside `path`; removes it if anything fails.
fn to_temporary<T>(
    path: &Path,
    like: Option<&Metadata>,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<(PathBuf, T)> {
    let (tmp, file) = temporary_beside(path)?;
    let written = (|| -> Result<T> {
        if let Some(like) = like {
            take_after(&tmp, &file, like)?;
        }
        let mut out = BufWriter::new(file);
        let value = write(&mut out)?;
        let file =
            out.into_inner().map_err(|e| e.into_error()).with_context(|| format!("writing {}", tmp.display()))?;
        file.sync_all().with_context(|| format!("writing {}", tmp.display()))?;
        Ok(value)
    })();
    match written {
        Ok(value) => Ok((tmp, value)),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Writes an export to `path` by the rule in the module docs.
pub fn write_to<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    match target(path)? {
        Target::Replace { path, like } => {
            let (tmp, value) = to_temporary(&path, like.as_ref(), write)?;
            std::fs::rename(&tmp, &path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                anyhow::Error::from(e).context(format!("cannot write {}", path.display()))
            })?;
            Ok(value)
        }
        Target::CopyInto { path } => {
            let (tmp, value) = to_temporary(&path, None, write)?;
            let copied = (|| -> Result<()> {
                let mut from = File::open(&tmp)?;
                let mut into = OpenOptions::new().write(true).truncate(true).open(&path)?;
                std::io::copy(&mut from, &mut into)?;
                into.sync_all()?;
                Ok(())
            })();
            let _ = std::fs::remove_file(&tmp);
            copied.with_context(|| format!("cannot write into {}", path.display()))?;
            Ok(value)
        }
        Target::Stream { path } => {
            let file = OpenOptions::new()
                .write(true)
                .open(&path)
                .with_context(|| format!("cannot open {} for writing", path.display()))?;
            let mut out = BufWriter::new(file);
            let value = write(&mut out)?;
            out.flush().with_context(|| format!("writing {}", path.display()))?;
            Ok(value)
        }
    }
}
