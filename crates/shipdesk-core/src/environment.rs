//! Which USPS a connection talks to. Sandbox is our in-process simulator and the default for a
//! new user; TEM and Production are the real USPS hosts. No other code path differs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
