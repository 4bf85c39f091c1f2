//! Text for people, JSON for scripts: one place decides which.

use serde::Serialize;
use shipdesk_core::AppError;

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
            println!("{s}");
        } else {
            println!("{}", human(value));
        }
        Ok(())
    }

    pub fn error(&self, e: &AppError) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string(e).unwrap_or_else(|_| e.message.clone())
            );
        } else {
            eprintln!("error: {}", e.message);
        }
    }
}
