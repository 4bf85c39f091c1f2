//! File access from the webview only through paths the user picked in a dialog in this session.
//!
//! The page never names a file on its own authority. It asks the app to show the OS file dialog
//! (`orders_import_pick_file`, `pdf_pick_save_path`, `reports_pick_csv_path`); the app records
//! what the user picked and hands the path back, and the commands that read or write files
//! (`orders_import_preview`, `orders_import`, `labels_save_pdf`, `packing_slips_save_pdf`,
//! `scan_form_save_pdf`, `reports_save_csv`) refuse any path that was not picked for that use in
//! this session. A compromised or buggy page can then
//! neither read an arbitrary file through the importer nor overwrite one through a save. A save
//! writes only its kind's files (`.pdf`, `.csv`): a name picked without the extension gets it
//! appended.
//!
//! A pick lasts as long as the app process (an import previews and then reads the same file; a
//! failed save can be retried) and is for one use: a file picked to save to cannot be imported,
//! and a file picked to import cannot be overwritten.
//!
//! With `SHIPDESK_DIALOG_ANSWERS=<file>` no dialog is shown: each dialog answers with the first
//! line of that file and removes it; an empty line, an empty file or no file is a cancelled
//! dialog. The end-to-end tests set it because WebDriver cannot drive a native dialog, and the
//! IPC tests answer the same way. Only this binary reads the variable.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use shipdesk_core::AppError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

pub const DIALOG_ANSWERS_ENV: &str = "SHIPDESK_DIALOG_ANSWERS";

/// Receives the OS dialog's answer (None when the user cancelled).
type OnAnswer = Box<dyn FnOnce(Option<FilePath>) + Send>;

/// What a picked path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Use {
    ImportOrders,
    Save(SaveAs),
}

/// The kinds of file Shipdesk saves: each only under its own extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SaveAs {
    /// Labels, packing slips, SCAN forms.
    Pdf,
    /// A report's labels, for a spreadsheet.
    Csv,
}

impl SaveAs {
    fn extension(self) -> &'static str {
        match self {
            SaveAs::Pdf => "pdf",
            SaveAs::Csv => "csv",
        }
    }

    fn title(self) -> &'static str {
        match self {
            SaveAs::Pdf => "Save PDF",
            SaveAs::Csv => "Save CSV",
        }
    }

    fn filter(self) -> &'static str {
        match self {
            SaveAs::Pdf => "PDF",
            SaveAs::Csv => "CSV (spreadsheet)",
        }
    }
}

/// How file dialogs are answered.
#[derive(Debug, Clone)]
pub enum Dialogs {
    /// The OS dialog, through tauri's dialog plugin.
    Native,
    /// The first line of this file (see the module docs).
    Answers(PathBuf),
}

impl Dialogs {
    /// Answers from the file `SHIPDESK_DIALOG_ANSWERS` names, or the OS dialog.
    pub fn from_env() -> Self {
        match std::env::var_os(DIALOG_ANSWERS_ENV) {
            Some(file) => {
                let file = PathBuf::from(file);
                tracing::warn!(
                    "{DIALOG_ANSWERS_ENV} is set: file dialogs answer from {} instead of asking",
                    file.display()
                );
                Dialogs::Answers(file)
            }
            None => Dialogs::Native,
        }
    }
}

/// The paths picked in this session, and how to ask for more.
#[derive(Debug)]
pub struct PickedPaths {
    dialogs: Dialogs,
    picked: Mutex<HashSet<(Use, PathBuf)>>,
}

impl PickedPaths {
    pub fn new(dialogs: Dialogs) -> Self {
        Self {
            dialogs,
            picked: Mutex::default(),
        }
    }

    /// Asks for an order file to import; the path, or None when the user cancelled.
    pub async fn pick_order_file<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<Option<PathBuf>, AppError> {
        let dialog = app
            .dialog()
            .file()
            .set_title("Import orders")
            .add_filter("Order exports", &["csv", "tsv", "txt"]);
        let picked = self.ask(dialog, FileDialogBuilder::pick_file).await?;
        Ok(picked.map(|path| self.record(Use::ImportOrders, path)))
    }

    /// Asks where to save a PDF, suggesting the file name of `default_name`; the path (ending
    /// in `.pdf`), or None when the user cancelled.
    pub async fn pick_pdf_save_path<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        default_name: &str,
    ) -> Result<Option<PathBuf>, AppError> {
        self.pick_save_path(app, SaveAs::Pdf, default_name).await
    }

    /// Asks where to save a file of `kind`, suggesting the file name of `default_name`; the
    /// path (ending in the kind's extension), or None when the user cancelled.
    pub async fn pick_save_path<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        kind: SaveAs,
        default_name: &str,
    ) -> Result<Option<PathBuf>, AppError> {
        let suggested = Path::new(default_name).file_name().map_or_else(
            || PathBuf::from(format!("document.{}", kind.extension())),
            |name| with_extension(PathBuf::from(name), kind),
        );
        let dialog = app
            .dialog()
            .file()
            .set_title(kind.title())
            .set_file_name(suggested.to_string_lossy())
            .add_filter(kind.filter(), &[kind.extension()]);
        let picked = self.ask(dialog, FileDialogBuilder::save_file).await?;
        Ok(picked.map(|path| self.record(Use::Save(kind), with_extension(path, kind))))
    }

    /// `path`, if the user picked it to import in this session.
    pub fn to_import<'p>(&self, path: &'p Path) -> Result<&'p Path, AppError> {
        match self.was_picked(Use::ImportOrders, path) {
            true => Ok(path),
            false => Err(AppError::validation(
                "Shipdesk only imports a file chosen with \u{201c}Choose file\u{2026}\u{201d} in \
                 this session; choose the file again",
            )),
        }
    }

    /// `path`, if it names a PDF and the user picked it to save to in this session.
    pub fn to_save_pdf<'p>(&self, path: &'p Path) -> Result<&'p Path, AppError> {
        self.to_save(SaveAs::Pdf, path)
    }

    /// `path`, if it names a file of `kind` and the user picked it to save to in this session.
    pub fn to_save<'p>(&self, kind: SaveAs, path: &'p Path) -> Result<&'p Path, AppError> {
        if !has_extension(path, kind) {
            return Err(AppError::validation(format!(
                "This is saved as a .{ext} file only; choose a file name ending in .{ext}",
                ext = kind.extension()
            )));
        }
        match self.was_picked(Use::Save(kind), path) {
            true => Ok(path),
            false => Err(AppError::validation(
                "Shipdesk only saves to a file chosen in its Save dialog in this session; \
                 choose where to save again",
            )),
        }
    }

    fn record(&self, use_: Use, path: PathBuf) -> PathBuf {
        let mut picked = self.picked.lock().unwrap_or_else(|p| p.into_inner());
        picked.insert((use_, path.clone()));
        path
    }

    fn was_picked(&self, use_: Use, path: &Path) -> bool {
        let picked = self.picked.lock().unwrap_or_else(|p| p.into_inner());
        picked.contains(&(use_, path.to_path_buf()))
    }

    /// Shows `dialog` with `show` (its pick or save method), or takes the next written answer.
    async fn ask<R: Runtime>(
        &self,
        dialog: FileDialogBuilder<R>,
        show: fn(FileDialogBuilder<R>, OnAnswer),
    ) -> Result<Option<PathBuf>, AppError> {
        let answers = match &self.dialogs {
            Dialogs::Answers(answers) => answers,
            Dialogs::Native => {
                let (answer, answered) = tokio::sync::oneshot::channel();
                show(
                    dialog,
                    Box::new(move |file| {
                        let _ = answer.send(file);
                    }),
                );
                let file = answered.await.unwrap_or(None);
                return file
                    .map(|file| {
                        file.into_path().map_err(|e| {
                            AppError::internal("The file dialog answered with no usable path", &e)
                        })
                    })
                    .transpose();
            }
        };
        // One answer per dialog, even when two are asked for at once.
        let _one_at_a_time = self.picked.lock().unwrap_or_else(|p| p.into_inner());
        next_answer(answers)
    }
}

/// Takes the first line of `answers` (see the module docs).
fn next_answer(answers: &Path) -> Result<Option<PathBuf>, AppError> {
    let failed = |e: &std::io::Error| AppError::internal("Could not read the dialog answers", e);
    let text = match std::fs::read_to_string(answers) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(failed(&e)),
    };
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    std::fs::write(answers, rest).map_err(|e| failed(&e))?;
    let first = first.trim_end_matches('\r');
    Ok((!first.is_empty()).then(|| PathBuf::from(first)))
}

fn has_extension(path: &Path, kind: SaveAs) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(kind.extension()))
}

/// `path` itself when it already ends in the kind's extension, else `path` with it appended.
fn with_extension(path: PathBuf, kind: SaveAs) -> PathBuf {
    if has_extension(&path, kind) {
        return path;
    }
    let mut name = path.into_os_string();
    name.push(".");
    name.push(kind.extension());
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_is_kept_or_appended() {
        assert_eq!(
            with_extension("a/labels.pdf".into(), SaveAs::Pdf),
            Path::new("a/labels.pdf")
        );
        assert_eq!(
            with_extension("a/labels.PDF".into(), SaveAs::Pdf),
            Path::new("a/labels.PDF")
        );
        assert_eq!(
            with_extension("a/labels".into(), SaveAs::Pdf),
            Path::new("a/labels.pdf")
        );
        assert_eq!(
            with_extension("a/notes.txt".into(), SaveAs::Pdf),
            Path::new("a/notes.txt.pdf")
        );
        assert_eq!(
            with_extension("a/november".into(), SaveAs::Csv),
            Path::new("a/november.csv")
        );
        assert!(!has_extension(Path::new("a/november.csv"), SaveAs::Pdf));
    }

    #[test]
    fn answers_are_taken_one_line_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let answers = dir.path().join("answers.txt");
        assert_eq!(next_answer(&answers).unwrap(), None, "no file: cancelled");
        std::fs::write(&answers, "/tmp/a.csv\r\n\n/tmp/b.pdf").unwrap();
        assert_eq!(next_answer(&answers).unwrap(), Some("/tmp/a.csv".into()));
        assert_eq!(
            next_answer(&answers).unwrap(),
            None,
            "an empty line: cancelled"
        );
        assert_eq!(next_answer(&answers).unwrap(), Some("/tmp/b.pdf".into()));
        assert_eq!(next_answer(&answers).unwrap(), None, "all used up");
    }
}
