//! Shared fixtures and the external-tool plumbing (poppler-utils, zbar-tools) for the PDF tests.
//! Tests that need a missing tool print "SKIPPED: <tool> not installed" and return.

#![allow(dead_code)]

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use labels::LabelSpec;
use tempfile::TempDir;

/// Returns from the calling test, saying so, when a command-line tool is absent.
#[macro_export]
macro_rules! require_tools {
    ($($tool:expr),+) => {
        $(
            if !common::has_tool($tool) {
                println!("SKIPPED: {} not installed", $tool);
                return;
            }
        )+
    };
}

pub fn has_tool(name: &str) -> bool {
    match Command::new(name).arg("-h").output() {
        Ok(_) => true,
        Err(error) => error.kind() != ErrorKind::NotFound,
    }
}

pub fn label(index: usize) -> LabelSpec {
    LabelSpec {
        tracking_number: format!("9405 5118 9922 3197 42{:04}", 8490 + index),
        service_name: "USPS Ground Advantage".into(),
        from_address: vec![
            "ACME WIDGETS LLC".into(),
            "1 INDUSTRIAL PKWY".into(),
            "DAYTON OH 45402-1111".into(),
        ],
        to_address: vec![
            format!("RECIPIENT NUMBER {index}"),
            "742 EVERGREEN TER".into(),
            "SPRINGFIELD OR 97477-2222".into(),
        ],
        to_zip5: "97477".into(),
        weight: "2 lb 3 oz".into(),
        postage: Some("$11.27".into()),
        ship_date: "2026-11-21".into(),
        zone: Some("7".into()),
        sample: false,
    }
}

pub fn digits(tracking: &str) -> String {
    tracking.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A PDF written to a temporary directory (kept alive by `_dir`). With `LABELS_TEST_OUT` set,
/// a copy also goes to that folder for a human to look at.
pub struct PdfFile {
    _dir: TempDir,
    pub path: PathBuf,
}

pub fn write_pdf(name: &str, bytes: &[u8]) -> PdfFile {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    keep_copy(&path);
    PdfFile { _dir: dir, path }
}

/// With `LABELS_TEST_OUT` set, copies a test artefact there for a human to look at.
pub fn keep_copy(path: &Path) {
    if let (Ok(out), Some(name)) = (std::env::var("LABELS_TEST_OUT"), path.file_name()) {
        let _ = std::fs::create_dir_all(&out);
        let _ = std::fs::copy(path, Path::new(&out).join(name));
    }
}

/// Page sizes in points, read back by printpdf's own parser (no external tools needed).
pub fn page_sizes(bytes: &[u8]) -> Vec<(f32, f32)> {
    let mut warnings = Vec::new();
    let doc = printpdf::PdfDocument::parse(bytes, &Default::default(), &mut warnings)
        .expect("the PDF parses");
    doc.pages
        .iter()
        .map(|page| (page.media_box.width.0, page.media_box.height.0))
        .collect()
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("tool runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `pdftotext` of the given page (1-based), or of the whole file when `page` is None.
pub fn pdf_text(pdf: &PdfFile, page: Option<usize>, layout: bool) -> String {
    let mut command = Command::new("pdftotext");
    if layout {
        command.arg("-layout");
    }
    if let Some(page) = page {
        command.args(["-f", &page.to_string(), "-l", &page.to_string()]);
    }
    command.arg(&pdf.path).arg("-");
    run(&mut command)
}

/// Every barcode zbarimg finds on the page (1-based) rendered at 300 dpi, sorted.
pub fn decode_barcodes(pdf: &PdfFile, page: usize) -> Vec<String> {
    let dir = pdf.path.parent().expect("pdf has a folder");
    let prefix = dir.join(format!("page{page}"));
    run(Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile"])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(&pdf.path)
        .arg(&prefix));
    decode_image(&prefix.with_extension("png"))
}

/// Every barcode zbarimg finds in an image, sorted. Exit code 4 means "none found".
pub fn decode_image(image: &Path) -> Vec<String> {
    let output = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(image)
        .output()
        .expect("zbarimg runs");
    assert!(
        output.status.success() || output.status.code() == Some(4),
        "zbarimg failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut found: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect();
    found.sort();
    found
}
