//! Printing goes through a port so tests can fake it: [`LpPrinter`] hands PDFs to the OS print
//! system with `lp` (CUPS, Linux and macOS); other platforms plug in their own [`Printer`].

use std::io::Write;
use std::process::{Command, Stdio};

use super::printing::SystemPrinter;
use crate::error::{AppError, AppResult};

pub trait Printer: Send + Sync {
    /// Sends one PDF to `printer` (the system default when `None`) as a job named `job_name`.
    fn print_pdf(&self, pdf: &[u8], job_name: &str, printer: Option<&str>) -> AppResult<()>;

    /// The printers the system knows; an error says why they cannot be listed (no print
    /// system). A printer port that cannot choose among printers lists none.
    fn printers(&self) -> AppResult<Vec<SystemPrinter>> {
        Ok(Vec::new())
    }
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

    /// `lpstat -e` (one destination per line) and `lpstat -d` (the default).
    fn printers(&self) -> AppResult<Vec<SystemPrinter>> {
        let run = |arg: &str| {
            Command::new("lpstat")
                .arg(arg)
                .stdin(Stdio::null())
                .output()
        };
        let listed = run("-e").map_err(|e| {
            AppError::validation(if e.kind() == std::io::ErrorKind::NotFound {
                "The system print service (CUPS) is not installed: there is no `lpstat` command."
                    .to_owned()
            } else {
                format!("The system print service (CUPS) did not answer: `lpstat` could not start ({e}).")
            })
        })?;
        let stderr = String::from_utf8_lossy(&listed.stderr);
        if !listed.status.success() && !stderr.contains("No destinations") {
            return Err(AppError::validation(format!(
                "The system print service did not list its printers: {}.",
                stderr.trim().trim_end_matches('.')
            )));
        }
        let default = run("-d")
            .ok()
            .and_then(|o| default_destination(&String::from_utf8_lossy(&o.stdout)));
        Ok(destinations(
            &String::from_utf8_lossy(&listed.stdout),
            default.as_deref(),
        ))
    }
}

/// The printers of `lpstat -e`'s output, the default marked.
fn destinations(listed: &str, default: Option<&str>) -> Vec<SystemPrinter> {
    listed
        .lines()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| SystemPrinter {
            name: name.to_owned(),
            is_default: Some(name) == default,
        })
        .collect()
}

/// The name in `lpstat -d`'s "system default destination: NAME" (none: "no system default").
fn default_destination(answer: &str) -> Option<String> {
    answer
        .lines()
        .find_map(|l| l.trim().strip_prefix("system default destination:"))
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lpstat_answers_are_read_as_printers_and_the_default() {
        let default = default_destination("system default destination: Rollo_X1040\n");
        assert_eq!(default.as_deref(), Some("Rollo_X1040"));
        assert_eq!(default_destination("no system default destination\n"), None);
        let printers = destinations("HP_LaserJet\nRollo_X1040\n\n", default.as_deref());
        assert_eq!(
            printers,
            [
                SystemPrinter {
                    name: "HP_LaserJet".into(),
                    is_default: false
                },
                SystemPrinter {
                    name: "Rollo_X1040".into(),
                    is_default: true
                },
            ]
        );
        assert!(destinations("", None).is_empty());
    }
}
