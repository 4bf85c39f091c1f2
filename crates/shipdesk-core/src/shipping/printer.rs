//! Printing goes through a port so tests can fake it: [`LpPrinter`] hands PDFs to the OS print
//! system with `lp` (CUPS, Linux and macOS); other platforms plug in their own [`Printer`].

use std::io::Write;
use std::process::{Command, Stdio};

use crate::error::{AppError, AppResult};

pub trait Printer: Send + Sync {
    /// Sends one PDF to `printer` (the system default when `None`) as a job named `job_name`.
    fn print_pdf(&self, pdf: &[u8], job_name: &str, printer: Option<&str>) -> AppResult<()>;
}

/// `lp [-d PRINTER] -t JOB -` with the PDF on standard input.
#[derive(Debug, Default, Clone)]
pub struct LpPrinter;

impl Printer for LpPrinter {
    fn print_pdf(&self, pdf: &[u8], job_name: &str, printer: Option<&str>) -> AppResult<()> {
        let mut cmd = Command::new("lp");
        if let Some(p) = printer.filter(|p| !p.trim().is_empty()) {
            // A printer name never starts with '-'; refuse what could be read as an option.
            if p.starts_with('-') {
                return Err(AppError::validation(format!(
                    "\"{p}\" is not a printer name"
                )));
            }
            cmd.arg("-d").arg(p);
        }
        cmd.arg("-t")
            .arg(job_name)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| {
            AppError::validation(format!(
                "Could not start the system print command `lp` ({e}); save the labels as a PDF instead"
            ))
        })?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(pdf)
                .map_err(|e| AppError::internal("Could not send the labels to the printer", &e))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| AppError::internal("The print command failed", &e))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(AppError::validation(format!(
                "The printer refused the job: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )))
        }
    }
}
