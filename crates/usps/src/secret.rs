//! A string that must never reach logs, `Debug` output or error messages.
//!
//! Client secrets, access tokens, refresh tokens and payment authorization tokens all travel as
//! [`Secret`]. The only way to read the value is [`Secret::expose`], which makes every place that
//! puts a secret on the wire easy to find. There is deliberately no `Display` and no `Serialize`.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value, for building a request. Never format it into a message.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("hqhm7KuTJKzmvhCbRzKNbkgdFlw7kU18");
        let shown = format!("{secret:?} {secret:#?}");
        assert!(!shown.contains("hqhm7"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn debug_of_a_struct_holding_a_secret_is_redacted() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            client_id: String,
            client_secret: Secret,
        }
        let holder = Holder {
            client_id: "CK123".into(),
            client_secret: Secret::new("CS456-very-secret"),
        };
        let shown = format!("{holder:?}");
        assert!(shown.contains("CK123"));
        assert!(!shown.contains("CS456"), "{shown}");
    }

    #[test]
    fn expose_returns_the_value() {
        assert_eq!(Secret::from("abc").expose(), "abc");
    }
}
