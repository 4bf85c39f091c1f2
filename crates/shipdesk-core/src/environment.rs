//! Which USPS a connection talks to. Sandbox is our in-process simulator and the default for a
//! new user; TEM and Production are the real USPS hosts. No other code path differs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppResult;
use crate::settings::SettingsStore;

/// The setting that keeps the desk-wide environment choice.
const DESK_ENVIRONMENT: &str = "environment";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Environment {
    #[default]
    Sandbox,
    Tem,
    Production,
}

impl Environment {
    /// The desk's environment: the user's choice, Sandbox until they make one.
    pub fn of_desk(settings: &dyn SettingsStore) -> AppResult<Environment> {
        match settings.setting(DESK_ENVIRONMENT)? {
            Some(s) => s.parse(),
            None => Ok(Environment::default()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Environment::Sandbox => "Sandbox",
            Environment::Tem => "USPS Test (TEM)",
            Environment::Production => "Production",
        }
    }
}

impl std::str::FromStr for Environment {
    type Err = crate::AppError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sandbox" => Ok(Self::Sandbox),
            "tem" | "test" => Ok(Self::Tem),
            "production" | "prod" => Ok(Self::Production),
            other => Err(crate::AppError::validation(format!(
                "Unknown environment '{other}': use sandbox, tem or production"
            ))),
        }
    }
}
