//! Output shapes shared by every listing: terminal tables, JSON and CSV. Writing the
//! bytes to stdout or a file happens in one place ([`write_output`]).
//!
//! User text reaches three kinds of reader here, and each is protected: terminals
//! (control characters such as ANSI escapes are replaced), spreadsheet programs
//! (cells that would start a formula are prefixed with `'`), and programs (JSON via
//! serde, which escapes everything).

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::escape;
use crate::lang::{Lang, Localize};

mod print;
mod table;

pub use print::{set_print_layout, PrintRange};
pub use table::{Colour, TextTable};

/// The format of a listing: `--format table|json|csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
    Csv,
}

/// Rows as pretty JSON, with a final newline.
pub fn json_bytes<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("our row types always serialize");
    bytes.push(b'\n');
    bytes
}

/// Rows as a pretty JSON array, the same bytes as [`json_bytes`], serialized on
/// every core when there are many (a city's status has 10,000 rows).
pub fn json_rows_bytes<T: Serialize + Sync>(rows: &[T]) -> Vec<u8> {
    json_rows_bytes_split(rows, crate::parallel::ROWS_PER_THREAD)
}

fn json_rows_bytes_split<T: Serialize + Sync>(rows: &[T], min_per_thread: usize) -> Vec<u8> {
    if rows.is_empty() {
        return json_bytes(rows);
    }
    let parts = crate::parallel::map_chunks(rows, min_per_thread, |part| {
        vec![serde_json::to_vec_pretty(part).expect("our row types always serialize")]
    });
    // Each part is `[\n  {…},\n  {…}\n]`: the others' elements are spliced into the
    // first, each part freed once copied (a province's status is 100 MB of JSON).
    let mut parts = parts.into_iter();
    let mut bytes = parts.next().expect("rows make at least one part");
    bytes.truncate(bytes.len() - 2);
    for part in parts {
        bytes.extend_from_slice(b",\n");
        bytes.extend_from_slice(&part[2..part.len() - 2]);
    }
    bytes.extend_from_slice(b"\n]\n");
    bytes
}

/// Rows as the pretty JSON array of [`json_rows_bytes`], the same bytes, written to
/// `sink` a block at a time as `blocks` makes them: only one block is ever held.
pub fn write_json_rows<T: Serialize + Sync>(
    blocks: impl IntoIterator<Item = Vec<T>>,
    sink: &mut dyn Write,
) -> std::io::Result<()> {
    let mut any = false;
    for block in blocks {
        if block.is_empty() {
            continue;
        }
        // `[\n  {…},\n  {…}\n]\n`: its elements are spliced after the others'.
        let part = json_rows_bytes(&block);
        sink.write_all(if any { b",\n" } else { b"[\n" })?;
        sink.write_all(&part[2..part.len() - 3])?;
        any = true;
    }
    sink.write_all(if any { b"\n]\n" } else { b"[]\n" })
}

/// Rows as CSV for Excel: UTF-8 with a BOM (so Excel on Chinese Windows reads the
/// Chinese), CRLF line ends, the JSON field names as headers, and every cell that
/// could start a formula neutralised.
pub fn csv_bytes<T: Serialize>(rows: &[T]) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_csv(rows, &mut bytes).expect("writing CSV to memory");
    bytes
}

/// The bytes of [`csv_bytes`] written to `sink` a row at a time, each row turned into
/// its cells only when it is written (a province's report has 100,000 rows).
pub fn write_csv<T: Serialize>(rows: impl IntoIterator<Item = T>, sink: &mut dyn Write) -> std::io::Result<()> {
    sink.write_all(&[0xEF, 0xBB, 0xBF])?;
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(sink);
    let mut first = true;
    for row in rows {
        let value = serde_json::to_value(&row).expect("rows serialize");
        if std::mem::take(&mut first) {
            if let Some(map) = value.as_object().filter(|map| !map.is_empty()) {
                writer.write_record(map.keys())?;
            }
        }
        let record: Vec<String> = match &value {
            Value::Object(map) => map.values().map(cell_text).collect(),
            other => vec![cell_text(other)],
        };
        writer.write_record(record.iter().map(|cell| escape::csv_cell(cell)))?;
    }
    writer.flush()
}

/// CSV bytes from ready headers and records (BOM, CRLF, neutralised cells).
pub fn csv_from_records(headers: &[String], records: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    if !headers.is_empty() {
        writer.write_record(headers).expect("writing CSV to memory");
    }
    for record in records {
        let cells: Vec<String> = record.iter().map(|cell| escape::csv_cell(cell)).collect();
        writer.write_record(&cells).expect("writing CSV to memory");
    }
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(writer.into_inner().expect("flushing CSV to memory"));
    bytes
}

fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// `text` cut to at most `max` characters, with "…" where it was cut: a cell echoed in a
/// message (a 30 MB value must not give 30 MB on stderr).
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// How long a value from a file may be when a message repeats it (see [`clip`]).
pub const CLIP_AT: usize = 80;

/// A plain terminal table with the given headers; cells are made terminal-safe.
pub fn table(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> TextTable {
    let mut table = TextTable::new(headers);
    for row in rows {
        table.add_row(row);
    }
    table
}

/// Output that could not be written; the operating system's reason is its source.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum OutputError {
    File { path: String, source: std::io::Error },
    Stdout { source: std::io::Error },
}

impl Localize for OutputError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            OutputError::File { path, .. } => lang.choose(format!("无法写入 {path}"), format!("cannot write {path}")),
            OutputError::Stdout { .. } => lang.pick("无法写入标准输出", "cannot write to standard output").to_string(),
        }
    }
}

/// Writes finished output bytes to a file (created or replaced whole) or to stdout.
pub fn write_output(bytes: &[u8], out: Option<&Path>) -> anyhow::Result<()> {
    match out {
        Some(path) => write_file_atomically(path, bytes)
            .map_err(|source| OutputError::File { path: path.display().to_string(), source }.into()),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                // A closed pipe (`ontrack targets | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(source) => Err(OutputError::Stdout { source }.into()),
                Ok(()) => Ok(()),
            }
        }
    }
}

/// Writes finished output bytes to stdout, or to a file that must not exist yet unless
/// `force` is given: `template`, `report`, `plan export` never replace a file (a
/// department's filled-in sheet, an edited plan) without being told to. Refused with
/// nothing written, in the user's language.
pub fn write_output_new(bytes: &[u8], out: Option<&Path>, force: bool, lang: Lang) -> anyhow::Result<()> {
    match out {
        Some(path) if !force => write_new_file(path, bytes, lang),
        _ => write_output(bytes, out),
    }
}

/// Output made while it is written: `fill` writes it, through a buffer, to stdout or
/// to a file that must not exist yet unless `force` is given — the same rules and the
/// same atomic write (a temporary file beside it, renamed or linked into place once
/// complete) as [`write_output_new`], without the whole output ever in memory (a
/// province's HTML report is gigabytes). An error from `fill` leaves no file; on
/// stdout, what was written before it stays written, as with any pipe.
pub fn stream_output_new(
    out: Option<&Path>,
    force: bool,
    lang: Lang,
    fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let Some(path) = out else {
        let mut stdout = std::io::BufWriter::with_capacity(STREAM_BUFFER, std::io::stdout().lock());
        let written = fill(&mut stdout).and_then(|()| Ok(stdout.flush()?));
        return match written {
            Err(error) => match error.downcast::<std::io::Error>() {
                // A closed pipe (`ontrack report | head`) is not an error.
                Ok(source) if source.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Ok(source) => Err(OutputError::Stdout { source }.into()),
                Err(other) => Err(other),
            },
            Ok(()) => Ok(()),
        };
    };
    if !force && path.symlink_metadata().is_ok() {
        return Err(exists_refusal(path, lang));
    }
    let existing = std::fs::symlink_metadata(path).ok().filter(|m| m.is_file()).map(|m| m.permissions());
    let cannot = |source| anyhow::Error::from(OutputError::File { path: path.display().to_string(), source });
    let file_error = |error: anyhow::Error| match error.downcast::<std::io::Error>() {
        Ok(source) => cannot(source),
        Err(other) => other,
    };
    let temp = temp_file_from(path, existing, |file| {
        let mut buffer = std::io::BufWriter::with_capacity(STREAM_BUFFER, file);
        fill(&mut buffer)?;
        buffer.flush()?;
        Ok(())
    })
    .map_err(file_error)?;
    if force {
        return temp.persist(path).map(drop).map_err(|e| cannot(e.error));
    }
    link_new_file(temp, path, lang)
}

/// How much output is gathered before each write when output is streamed.
const STREAM_BUFFER: usize = 256 * 1024;

/// Refuses early, before any work, an output file that exists when `force` is not
/// given (the write itself checks again).
pub fn refuse_existing(out: Option<&Path>, force: bool, lang: Lang) -> anyhow::Result<()> {
    match out {
        Some(path) if !force && path.symlink_metadata().is_ok() => Err(exists_refusal(path, lang)),
        _ => Ok(()),
    }
}

/// The refusal for a file that is already there: what, and what to do.
pub fn exists_refusal(path: &Path, lang: Lang) -> anyhow::Error {
    let shown = escape::terminal(&path.display().to_string());
    anyhow::anyhow!(match lang {
        Lang::Zh => format!("{shown} 已存在，未写入任何内容：如要替换它，请加 --force；或换一个文件名"),
        Lang::En => format!(
            "{shown} already exists; nothing was written. Add --force to replace it, or choose another file name"
        ),
    })
}

/// Writes a file that must not exist: the bytes go to a temporary file that is then
/// hard-linked into place, which fails if the name was taken meanwhile, so an existing
/// file is never replaced even in a race. Where hard links are not supported (FAT on
/// a USB stick), the file is created with `create_new` and written directly.
fn write_new_file(path: &Path, bytes: &[u8], lang: Lang) -> anyhow::Result<()> {
    if path.symlink_metadata().is_ok() {
        return Err(exists_refusal(path, lang));
    }
    let cannot = |source| anyhow::Error::from(OutputError::File { path: path.display().to_string(), source });
    // The temporary file is deleted when `temp` is dropped, linked or not.
    let temp = written_temp_file(path, bytes, None).map_err(cannot)?;
    link_new_file(temp, path, lang)
}

/// Puts a complete temporary file in place at `path`, which must not exist: linked, so
/// a file made meanwhile is never replaced; where the file system has no hard links,
/// copied into a file created new.
fn link_new_file(temp: tempfile::NamedTempFile, path: &Path, lang: Lang) -> anyhow::Result<()> {
    let cannot = |source| anyhow::Error::from(OutputError::File { path: path.display().to_string(), source });
    match std::fs::hard_link(temp.path(), path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists_refusal(path, lang)),
        Err(_) => {
            let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(exists_refusal(path, lang)),
                Err(e) => return Err(cannot(e)),
            };
            let copied = temp.reopen().and_then(|mut from| std::io::copy(&mut from, &mut file));
            if let Err(e) = copied.and_then(|_| file.sync_all()) {
                drop(file);
                let _ = std::fs::remove_file(path);
                return Err(cannot(e));
            }
            Ok(())
        }
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so a
/// reader never sees half a file and a failed write leaves the old one. The bytes are
/// on disk before the rename (a crash leaves the old file or the new one, never an
/// empty one), and a file that is replaced keeps its permissions.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let existing = std::fs::symlink_metadata(path).ok().filter(|m| m.is_file()).map(|m| m.permissions());
    let temp = written_temp_file(path, bytes, existing)?;
    temp.persist(path).map(drop).map_err(|e| e.error)
}

/// The marker in the names of the temporary files written beside an output file:
/// `.NAME.tmp-RANDOM`, so a leftover says which file it was for (see
/// [`remove_stale_temp_files`]).
const TEMP_MARKER: &str = ".tmp-";

/// A temporary file beside `path` holding `bytes`, flushed to disk, with the given
/// permissions or, for a new file, those of any new file (`0666` less the umask, not
/// the `0600` of a temporary file). Deleted when dropped, so a failed or interrupted
/// write (an error or a panic; not a `kill -9`) leaves nothing behind.
fn written_temp_file(
    path: &Path,
    bytes: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<tempfile::NamedTempFile> {
    temp_file_from(path, permissions, |file| Ok(file.write_all(bytes)?)).map_err(|error| match error.downcast() {
        Ok(error) => error,
        Err(other) => std::io::Error::other(other),
    })
}

/// A temporary file beside `path` that `fill` wrote, as [`written_temp_file`] makes
/// it; deleted when `fill` fails.
fn temp_file_from(
    path: &Path,
    permissions: Option<std::fs::Permissions>,
    fill: impl FnOnce(&mut std::fs::File) -> anyhow::Result<()>,
) -> anyhow::Result<tempfile::NamedTempFile> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}{TEMP_MARKER}");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    fill(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Removes, from `dir`, temporary files that a write of one of `names` left behind
/// when it was killed (`.NAME.tmp-RANDOM`) and that are older than `age`: younger ones
/// may belong to a write still under way in another process. Best effort: a file
/// that cannot be read or removed is left. Returns how many were removed.
pub fn remove_stale_temp_files(dir: &Path, age: std::time::Duration, names: impl Fn(&str) -> bool) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(for_name) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix('.'))
            .and_then(|n| n.rsplit_once(TEMP_MARKER))
            .map(|(name, _)| name)
        else {
            continue;
        };
        let stale = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|elapsed| elapsed >= age);
        if stale && names(for_name) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Progress of long work on stderr (`charts 1200/10000`), shown only when stderr is a
/// terminal and the work has lasted a moment; silent when stderr is piped or a file,
/// so scripts and logs see only the result. Safe to update from several threads.
pub struct Progress {
    what: &'static str,
    total: usize,
    enabled: bool,
    started: std::time::Instant,
    /// When the line was last drawn, `None` before the first time.
    drawn: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Progress {
    /// Work shorter than this shows no progress at all.
    const QUIET_FOR: std::time::Duration = std::time::Duration::from_millis(300);
    const REDRAW_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

    pub fn new(what: &'static str, total: usize) -> Progress {
        use std::io::IsTerminal as _;
        Progress {
            what,
            total,
            enabled: std::io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            drawn: std::sync::Mutex::new(None),
        }
    }

    /// `done` of `total` items are finished.
    pub fn set(&self, done: usize) {
        if !self.enabled || self.started.elapsed() < Self::QUIET_FOR {
            return;
        }
        let Ok(mut drawn) = self.drawn.try_lock() else { return };
        if drawn.is_some_and(|at| at.elapsed() < Self::REDRAW_EVERY) {
            return;
        }
        *drawn = Some(std::time::Instant::now());
        if self.total > 0 {
            eprint!("\r{} {done}/{} ({}%)", self.what, self.total, done * 100 / self.total);
        } else {
            eprint!("\r{} {done}", self.what);
        }
    }

    /// Clears the progress line, if one was drawn.
    pub fn finish(&self) {
        if self.drawn.lock().is_ok_and(|drawn| drawn.is_some()) {
            eprint!("\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_spliced_from_parts_are_the_bytes_of_one_array() {
        #[derive(Serialize)]
        struct Row {
            code: String,
            value: Option<f64>,
            names: Vec<&'static str>,
        }
        let rows: Vec<Row> = (0..25)
            .map(|i| Row {
                code: format!("t{i}\n\"x\""),
                value: (i % 3 > 0).then_some(f64::from(i) / 7.0),
                names: vec!["甲"; i as usize % 3],
            })
            .collect();
        for count in [0, 1, 2, 3, 25] {
            for min_per_thread in [1, 2, 5, 100] {
                assert_eq!(
                    String::from_utf8(json_rows_bytes_split(&rows[..count], min_per_thread)).unwrap(),
                    String::from_utf8(json_bytes(&rows[..count])).unwrap(),
                    "{count} rows, {min_per_thread} per thread"
                );
            }
        }
    }

    /// Rows written a block at a time are the bytes of one array of them all, whatever
    /// the blocks (empty ones too), and so is CSV written a row at a time.
    #[test]
    fn rows_written_in_blocks_are_the_bytes_of_all_of_them() {
        #[derive(Serialize, Clone)]
        struct Row {
            code: String,
            value: Option<f64>,
        }
        let rows: Vec<Row> = (0..25)
            .map(|i| Row { code: format!("=t{i}\n\"x\""), value: (i % 3 > 0).then_some(f64::from(i) / 7.0) })
            .collect();
        for count in [0, 1, 2, 25] {
            for block in [1, 2, 7, 100] {
                let blocks = || rows[..count].chunks(block).flat_map(|b| [Vec::new(), b.to_vec()]);
                let mut json = Vec::new();
                write_json_rows(blocks(), &mut json).unwrap();
                assert_eq!(
                    String::from_utf8(json).unwrap(),
                    String::from_utf8(json_bytes(&rows[..count])).unwrap(),
                    "{count} rows in blocks of {block}"
                );
                let mut csv = Vec::new();
                write_csv(blocks().flatten(), &mut csv).unwrap();
                let whole: Vec<Vec<String>> = rows[..count]
                    .iter()
                    .map(|r| vec![r.code.clone(), r.value.map(|v| Value::from(v).to_string()).unwrap_or_default()])
                    .collect();
                let expected = if count == 0 {
                    vec![0xEF, 0xBB, 0xBF]
                } else {
                    csv_from_records(&["code".to_string(), "value".to_string()], whole)
                };
                assert_eq!(csv, expected, "{count} rows in blocks of {block}");
            }
        }
    }

    #[test]
    fn messages_keep_their_lines_and_lose_their_escapes() {
        let hostile = "line 2 (gdp\u{1b}[2J\u{1b}]0;pwn\u{7}x): bad\r\n  - \u{9b}31m\u{202E}txt\rover\tok";
        assert_eq!(
            escape::terminal_lines(hostile),
            "line 2 (gdp\u{FFFD}[2J\u{FFFD}]0;pwn\u{FFFD}x): bad\n  - \u{FFFD}31m\u{FFFD}txt\u{FFFD}over\tok"
        );
    }

    #[test]
    fn long_values_are_clipped_by_characters() {
        assert_eq!(clip("gdp-growth", 80), "gdp-growth");
        assert_eq!(clip(&"增".repeat(100), 3), "增增增…");
        assert_eq!(clip("abcd", 4), "abcd");
    }

    #[test]
    fn csv_has_bom_headers_and_crlf() {
        #[derive(Serialize)]
        struct Row {
            code: &'static str,
            value: Option<f64>,
        }
        let bytes = csv_bytes(&[Row { code: "=1+1", value: Some(6.5) }, Row { code: "b", value: None }]);
        assert_eq!(bytes, "\u{feff}code,value\r\n'=1+1,6.5\r\nb,\r\n".as_bytes());
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_usual_ones() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_file_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        // A new file is readable by others as any file the user makes (umask 022 or
        // 002 here), not private as a temporary file is.
        for (name, write) in [("chart.svg", true), ("template.csv", false)] {
            let path = dir.path().join(name);
            if write {
                write_file_atomically(&path, b"x").unwrap();
            } else {
                write_new_file(&path, b"x", Lang::En).unwrap();
            }
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o044, 0o044, "{name}");
        }
        assert_eq!(names_in(dir.path()), ["chart.svg", "report.md", "template.csv"]);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should go: the rename (or link) fails.
        let taken = dir.path().join("charts");
        std::fs::create_dir(&taken).unwrap();
        assert!(write_file_atomically(&taken, b"x").is_err());
        assert!(write_new_file(&taken, b"x", Lang::En).is_err());
        // A folder that does not exist: the temporary file cannot be made.
        let nowhere = dir.path().join("missing").join("a.svg");
        assert!(write_file_atomically(&nowhere, b"x").is_err());
        assert!(write_new_file(&nowhere, b"x", Lang::En).is_err());
        assert_eq!(names_in(dir.path()), ["charts"]);
        assert!(names_in(&taken).is_empty());
    }

    /// Streamed output is a file whole or no file: a failure halfway through leaves
    /// neither the file nor its temporary file, an existing file is refused (and kept)
    /// unless forced, and the bytes are those written.
    #[test]
    fn streamed_output_is_whole_or_absent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        let half = stream_output_new(Some(&path), false, Lang::En, |sink| {
            sink.write_all(b"<!DOCTYPE html>")?;
            anyhow::bail!("the report could not be made")
        });
        assert_eq!(half.unwrap_err().to_string(), "the report could not be made");
        assert!(names_in(dir.path()).is_empty(), "{:?}", names_in(dir.path()));
        let write = |force: bool, text: &'static str| {
            stream_output_new(Some(&path), force, Lang::En, |sink| Ok(sink.write_all(text.as_bytes())?))
        };
        write(false, "first").unwrap();
        let refused = write(false, "second").unwrap_err().to_string();
        assert!(refused.contains("already exists"), "{refused}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        write(true, "third").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "third");
        assert_eq!(names_in(dir.path()), ["report.html"]);
        // A folder that does not exist: the operating system's reason, with the path.
        let nowhere = dir.path().join("missing").join("r.md");
        let error = stream_output_new(Some(&nowhere), false, Lang::En, |_| Ok(())).unwrap_err();
        assert!(error.to_string().starts_with("cannot write "), "{error}");
    }

    #[test]
    fn only_old_temporary_files_of_the_named_outputs_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for name in [".a.svg.tmp-x1", ".b.svg.tmp-x2", ".notes.txt.tmp-x3", "a.svg", ".young.svg.tmp-x4"] {
            let file = std::fs::File::create(dir.path().join(name)).unwrap();
            if name != ".young.svg.tmp-x4" {
                file.set_modified(old).unwrap();
            }
        }
        let charts = |name: &str| name.ends_with(".svg");
        let removed = remove_stale_temp_files(dir.path(), std::time::Duration::from_secs(600), charts);
        assert_eq!(removed, 2);
        assert_eq!(names_in(dir.path()), [".notes.txt.tmp-x3", ".young.svg.tmp-x4", "a.svg"]);
    }
}
