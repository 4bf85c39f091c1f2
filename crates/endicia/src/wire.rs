//! The XML that crosses the wire: request bodies (serialized with their root element) and the
//! one answer shape every account method shares (read by element name; the rest is ignored).

use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub(crate) struct CertifiedIntermediary<'a> {
    #[serde(rename = "AccountID")]
    pub account_id: &'a str,
    #[serde(rename = "PassPhrase")]
    pub pass_phrase: &'a str,
}

#[derive(Serialize)]
pub(crate) struct AccountStatusRequest<'a> {
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "RequestID")]
    pub request_id: &'a str,
    #[serde(rename = "CertifiedIntermediary")]
    pub credentials: CertifiedIntermediary<'a>,
}

#[derive(Serialize)]
pub(crate) struct RecreditRequest<'a> {
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "RequestID")]
    pub request_id: &'a str,
    #[serde(rename = "CertifiedIntermediary")]
    pub credentials: CertifiedIntermediary<'a>,
    #[serde(rename = "RecreditAmount")]
    pub amount: String,
}

#[derive(Serialize)]
pub(crate) struct ChangePassPhraseRequest<'a> {
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "RequestID")]
    pub request_id: &'a str,
    #[serde(rename = "CertifiedIntermediary")]
    pub credentials: CertifiedIntermediary<'a>,
    #[serde(rename = "NewPassPhrase")]
    pub new_pass_phrase: &'a str,
}

#[derive(Serialize)]
pub(crate) struct ChallengeQuestionRequest<'a> {
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "RequestID")]
    pub request_id: &'a str,
    #[serde(rename = "AccountID")]
    pub account_id: &'a str,
    #[serde(rename = "EMail")]
    pub email: &'a str,
}

#[derive(Serialize)]
pub(crate) struct ResetSuspendedAccountRequest<'a> {
    #[serde(rename = "RequesterID")]
    pub requester_id: &'a str,
    #[serde(rename = "RequestID")]
    pub request_id: &'a str,
    #[serde(rename = "AccountID")]
    pub account_id: &'a str,
    #[serde(rename = "ChallengeAnswer")]
    pub challenge_answer: &'a str,
    #[serde(rename = "NewPassPhrase")]
    pub new_pass_phrase: &'a str,
}

/// The account block of status and purchase answers.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CertifiedIntermediaryOut {
    #[serde(rename = "AccountID", default)]
    pub account_id: Option<String>,
    #[serde(rename = "SerialNumber", default)]
    pub serial_number: Option<String>,
    #[serde(rename = "PostageBalance", default)]
    pub postage_balance: Option<String>,
    #[serde(rename = "AscendingBalance", default)]
    pub ascending_balance: Option<String>,
    #[serde(rename = "AccountStatus", default)]
    pub account_status: Option<String>,
    #[serde(rename = "DeviceID", default)]
    pub device_id: Option<String>,
}

/// Every account method's answer: `Status` first, then whatever the method adds.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Answer {
    #[serde(rename = "Status", default)]
    pub status: Option<String>,
    #[serde(rename = "ErrorMessage", default)]
    pub error_message: Option<String>,
    #[serde(rename = "CertifiedIntermediary", default)]
    pub account: Option<CertifiedIntermediaryOut>,
    #[serde(rename = "TransactionID", default)]
    pub transaction_id: Option<String>,
    #[serde(rename = "Question", default)]
    pub question: Option<String>,
}

pub(crate) fn to_xml<T: Serialize>(root: &str, body: &T) -> Result<String, String> {
    quick_xml::se::to_string_with_root(root, body).map_err(|e| e.to_string())
}

pub(crate) fn from_xml(text: &str) -> Result<Answer, String> {
    quick_xml::de::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_read_by_name_with_unknown_elements_ignored() {
        let text = r#"<?xml version="1.0" encoding="utf-8"?>
<RecreditRequestResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="www.envmgr.com/LabelService">
  <Status>0</Status><RequesterID>lxxx</RequesterID><RequestID>a1</RequestID>
  <SomethingNew>x</SomethingNew>
  <CertifiedIntermediary><AccountID>2500123</AccountID><SerialNumber>41</SerialNumber>
    <PostageBalance>212.37</PostageBalance><AscendingBalance>287.630</AscendingBalance>
    <AccountStatus>A</AccountStatus><DeviceID>071V02500123</DeviceID></CertifiedIntermediary>
</RecreditRequestResponse>"#;
        let a = from_xml(text).unwrap();
        assert_eq!(a.status.as_deref(), Some("0"));
        let ci = a.account.unwrap();
        assert_eq!(ci.postage_balance.as_deref(), Some("212.37"));
        assert_eq!(ci.ascending_balance.as_deref(), Some("287.630"));
    }

    #[test]
    fn requests_carry_their_root_and_escape_text() {
        let xml = to_xml(
            "RecreditRequest",
            &RecreditRequest {
                requester_id: "lxxx",
                request_id: "r-1",
                credentials: CertifiedIntermediary {
                    account_id: "2500123",
                    pass_phrase: "a&b <c>",
                },
                amount: "25.00".into(),
            },
        )
        .unwrap();
        assert!(xml.starts_with("<RecreditRequest>"), "{xml}");
        assert!(
            xml.contains("<PassPhrase>a&amp;b &lt;c&gt;</PassPhrase>"),
            "{xml}"
        );
        assert!(
            xml.contains("<RecreditAmount>25.00</RecreditAmount>"),
            "{xml}"
        );
    }
}
