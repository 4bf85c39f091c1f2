//! Text for people, JSON for scripts: one place decides which. A reader that stops early
//! (`shipdesk orders list | head -1`) ends the command quietly, as for any Unix tool.

use std::io::Write;

use serde::Serialize;
use shipdesk_core::AppError;

/// Writes one block to standard output; a closed pipe ends the process with success.
fn emit(text: &str) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(AppError::internal("Could not write the output", &e)),
    }
}

pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints `value` as JSON, or as the text `human` renders.
    pub fn value<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce(&T) -> String,
    ) -> Result<(), AppError> {
        if self.json {
            let s = serde_json::to_string_pretty(value)
                .map_err(|e| AppError::internal("Could not write JSON output", &e))?;
            emit(&s)
        } else {
            emit(&human(value))
        }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn error(&self, e: &AppError) {
        if self.json {
            let _ = emit(&serde_json::to_string(e).unwrap_or_else(|_| e.message.clone()));
        } else {
            eprintln!("error: {}", e.message);
        }
    }
}
