//! Tracking in the app's terms: USPS's status category as how far the package got.

use crate::postage::TrackingProgress;

/// Maps a tracking answer's category onto the shipment's status.
pub(super) fn progress_from_tracking(
    category: Option<&str>,
    summary_events: usize,
) -> Option<TrackingProgress> {
    let c = category.unwrap_or("").to_ascii_lowercase();
    if c.contains("delivered") && !c.contains("not") {
        Some(TrackingProgress::Delivered)
    } else if c.contains("pre-shipment") || c.contains("label") {
        None
    } else if !c.is_empty() || summary_events > 0 {
        Some(TrackingProgress::InTransit)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_categories_map_to_statuses() {
        assert_eq!(
            progress_from_tracking(Some("Delivered"), 3),
            Some(TrackingProgress::Delivered)
        );
        assert_eq!(
            progress_from_tracking(Some("Accepted"), 1),
            Some(TrackingProgress::InTransit)
        );
        assert_eq!(progress_from_tracking(Some("Pre-Shipment"), 1), None);
        assert_eq!(progress_from_tracking(None, 0), None);
    }
}
