//! Small shapes shared by several APIs.

use serde::{Deserialize, Serialize};

/// A fee or extra-service price line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fee {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "SKU", default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    #[serde(default)]
    pub warning_code: Option<String>,
    #[serde(default)]
    pub warning_description: Option<String>,
}

/// A decoded image or document part (label, receipt, SCAN form).
#[derive(Clone, PartialEq, Eq)]
pub struct Document {
    /// e.g. `application/pdf`; `None` for the vendor JSON variant, where USPS sends no type.
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A response body together with the `ETag` USPS sent (carrier pickup needs it for `If-Match`).
#[derive(Clone, Debug, PartialEq)]
pub struct Tagged<T> {
    pub value: T,
    pub etag: Option<String>,
}
