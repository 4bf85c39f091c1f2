//! How the app prints. By default PDFs go to the OS print system (`lp`, core's `LpPrinter`).
//! `SHIPDESK_PRINT_COMMAND` names another program instead — a kiosk's own spooler, or an
//! end-to-end test that must never reach a real printer. It is read here, in the binary's
//! start-up, and nowhere else: core takes the printer by constructor.
//!
//! The program is run as `PROGRAM JOB_NAME [PRINTER]` with the PDF on standard input; a
//! non-zero exit is reported to the user as the printer refusing the job.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use shipdesk_core::AppError;
use shipdesk_core::shipping::{LpPrinter, Printer, SystemPrinter};

pub const PRINT_COMMAND_ENV: &str = "SHIPDESK_PRINT_COMMAND";

/// Hands each PDF to a configured program instead of `lp`.
#[derive(Debug, Clone)]
pub struct CommandPrinter {
    program: PathBuf,
}

impl CommandPrinter {
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
        }
    }
}

impl Printer for CommandPrinter {
    fn print_pdf(&self, pdf: &[u8], job_name: &str, printer: Option<&str>) -> Result<(), AppError> {
        let mut cmd = Command::new(&self.program);
        cmd.arg(job_name);
        if let Some(p) = printer.filter(|p| !p.trim().is_empty()) {
            cmd.arg(p);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                AppError::validation(format!(
                    "Could not start the print command {} ({e}); save the labels as a PDF instead",
                    self.program.display()
                ))
            })?;
        // A program that exits early closes its input: its exit status says more than the
        // broken pipe does, so it is read first.
        let sent = match child.stdin.take() {
            Some(mut stdin) => stdin.write_all(pdf),
            None => Ok(()),
        };
        let out = child
            .wait_with_output()
            .map_err(|e| AppError::internal("The print command failed", &e))?;
        if !out.status.success() {
            return Err(AppError::validation(format!(
                "The printer refused the job: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        sent.map_err(|e| AppError::internal("Could not send the document to the printer", &e))
    }

    fn printers(&self) -> Result<Vec<SystemPrinter>, AppError> {
        Err(AppError::validation(format!(
            "Documents go to the print command {} ({PRINT_COMMAND_ENV}), which chooses the printer itself.",
            self.program.display()
        )))
    }
}

/// The printer this run uses: the configured command, else `lp`.
pub fn printer_from_env() -> Arc<dyn Printer> {
    match std::env::var_os(PRINT_COMMAND_ENV).filter(|v| !v.is_empty()) {
        Some(program) => {
            tracing::info!(program = ?program, "printing through {PRINT_COMMAND_ENV}");
            Arc::new(CommandPrinter::new(program))
        }
        None => Arc::new(LpPrinter),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_command_gets_the_job_name_and_the_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("print.sh");
        std::fs::write(&script, "#!/bin/sh\ncat > \"$(dirname \"$0\")/$1.pdf\"\n").unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        CommandPrinter::new(&script)
            .print_pdf(b"%PDF-1.7 test", "label-1", None)
            .unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("label-1.pdf")).unwrap(),
            b"%PDF-1.7 test"
        );
    }

    #[test]
    fn a_failing_command_is_reported_as_a_refused_job() {
        let err = CommandPrinter::new("/bin/false")
            .print_pdf(b"%PDF", "x", None)
            .unwrap_err();
        assert_eq!(err.code, shipdesk_core::ErrorCode::Validation);
        assert!(err.message.contains("refused"), "{}", err.message);
    }
}
