//! Tracking v3: `GET /tracking/v3/tracking/{trackingNumber}?expand=SUMMARY|DETAIL`.
//! One lenient struct covers both expansions; booleans that real responses send as strings are
//! accepted either way.

use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TrackingExpand {
    #[default]
    Summary,
    Detail,
}

impl TrackingExpand {
    pub(crate) fn as_query(self) -> &'static str {
        match self {
            TrackingExpand::Summary => "SUMMARY",
            TrackingExpand::Detail => "DETAIL",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingResponse {
    #[serde(default)]
    pub tracking_number: String,
    #[serde(default)]
    pub expected_delivery_date: Option<String>,
    #[serde(default)]
    pub expected_delivery_time: Option<String>,
    #[serde(default)]
    pub guaranteed_delivery_date: Option<String>,
    /// SUMMARY: newest first.
    #[serde(default)]
    pub event_summaries: Vec<String>,
    #[serde(default)]
    pub mail_class: Option<String>,
    #[serde(default)]
    pub mail_type: Option<String>,
    #[serde(default)]
    pub origin_city: Option<String>,
    #[serde(default)]
    pub origin_state: Option<String>,
    #[serde(rename = "originZIP", default)]
    pub origin_zip: Option<String>,
    #[serde(default)]
    pub destination_city: Option<String>,
    #[serde(default)]
    pub destination_state: Option<String>,
    #[serde(rename = "destinationZIP", default)]
    pub destination_zip: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    /// e.g. "Accepted", "In Transit", "Delivered".
    #[serde(default)]
    pub status_category: Option<String>,
    #[serde(default)]
    pub status_summary: Option<String>,
    #[serde(default)]
    pub service_type_code: Option<String>,
    #[serde(default, deserialize_with = "crate::wire::lenient_bool")]
    pub email_enabled: Option<bool>,
    #[serde(default, deserialize_with = "crate::wire::lenient_bool")]
    pub proof_of_delivery_enabled: Option<bool>,
    /// DETAIL: newest first.
    #[serde(default)]
    pub tracking_events: Vec<TrackingEvent>,
    #[serde(flatten, default)]
    pub other: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingEvent {
    #[serde(default)]
    pub event_type: Option<String>,
    #[serde(default)]
    pub event_timestamp: Option<String>,
    #[serde(rename = "GMTTimestamp", default)]
    pub gmt_timestamp: Option<String>,
    #[serde(default)]
    pub event_city: Option<String>,
    #[serde(default)]
    pub event_state: Option<String>,
    #[serde(rename = "eventZIP", default)]
    pub event_zip: Option<String>,
    #[serde(default)]
    pub event_country: Option<String>,
    #[serde(default)]
    pub event_code: Option<String>,
    #[serde(default, deserialize_with = "crate::wire::lenient_bool")]
    pub authorized_agent: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_reference_detail() {
        let body = r#"{"trackingNumber":"9400","mailClass":"Priority Mail<SUP>&reg;</SUP>","mailType":"DM",
 "originCity":"RICHMOND","originState":"VA","originZIP":"23227","destinationCity":"CEDAR RAPIDS",
 "destinationState":"IA","destinationZIP":"52404","status":"USPS in possession of item",
 "statusCategory":"Accepted","statusSummary":"USPS is now in possession of your item.",
 "serviceTypeCode":"14","emailEnabled":"true","proofOfDeliveryEnabled":"false",
 "trackingEvents":[{"eventType":"USPS in possession of item","eventTimestamp":"2023-08-02T07:31:00Z",
   "eventCity":"RICHMOND","eventState":"VA","eventZIP":"23227","eventCountry":null,"firm":null,"name":null,
   "authorizedAgent":"false","eventCode":"03"}], "accessControl":"FREE"}"#;
        let t: TrackingResponse = serde_json::from_str(body).unwrap();
        assert_eq!(t.status_category.as_deref(), Some("Accepted"));
        assert_eq!(t.email_enabled, Some(true));
        assert_eq!(t.proof_of_delivery_enabled, Some(false));
        assert_eq!(t.tracking_events[0].event_code.as_deref(), Some("03"));
        assert_eq!(t.tracking_events[0].authorized_agent, Some(false));
        assert_eq!(
            t.other.get("accessControl").and_then(|v| v.as_str()),
            Some("FREE")
        );
    }
}
