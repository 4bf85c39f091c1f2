//! The label payload the purchase journal keeps for a USPS label: the `LabelRequest` and the
//! prices its payment authorization asks for (contract prices under a `RATE_HOLDER` role, or
//! published ones), so a re-send goes out byte-identical and under the same roles. A label
//! abroad keeps its `IntlLabelRequest` (customs form included) instead.

use serde::{Deserialize, Serialize};
use usps::models::{IntlLabelRequest, LabelRequest, Pricing};

use crate::error::{AppError, AppResult};
use crate::postage::LabelPayload;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PricedLabel {
    label_request: LabelRequest,
    contract_prices: bool,
}

pub(super) fn encode(request: &LabelRequest, pricing: Pricing) -> AppResult<LabelPayload> {
    serde_json::to_value(PricedLabel {
        label_request: request.clone(),
        contract_prices: pricing == Pricing::Contract,
    })
    .map(LabelPayload)
    .map_err(|e| AppError::internal("The label request could not be prepared", &e))
}

/// What a journaled payload asks USPS for.
pub(super) enum Recorded {
    Domestic(Box<LabelRequest>, Pricing),
    International(Box<IntlLabelRequest>),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InternationalLabel {
    international_label_request: IntlLabelRequest,
}

pub(super) fn encode_international(request: &IntlLabelRequest) -> AppResult<LabelPayload> {
    serde_json::to_value(InternationalLabel {
        international_label_request: request.clone(),
    })
    .map(LabelPayload)
    .map_err(|e| AppError::internal("The label request could not be prepared", &e))
}

/// The journaled request, domestic or international.
pub(super) fn decode_any(payload: &LabelPayload) -> Result<Recorded, serde_json::Error> {
    if payload.0.get("internationalLabelRequest").is_some() {
        let intl: InternationalLabel = serde_json::from_value(payload.0.clone())?;
        return Ok(Recorded::International(Box::new(
            intl.international_label_request,
        )));
    }
    let (request, pricing) = decode(payload)?;
    Ok(Recorded::Domestic(Box::new(request), pricing))
}

/// The request and its pricing. A payload journaled before contract prices were sent is the
/// bare request, bought at published prices.
pub(super) fn decode(payload: &LabelPayload) -> Result<(LabelRequest, Pricing), serde_json::Error> {
    if payload.0.get("labelRequest").is_some() {
        let priced: PricedLabel = serde_json::from_value(payload.0.clone())?;
        let pricing = if priced.contract_prices {
            Pricing::Contract
        } else {
            Pricing::Published
        };
        return Ok((priced.label_request, pricing));
    }
    Ok((
        serde_json::from_value(payload.0.clone())?,
        Pricing::Published,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pricing_travels_with_the_request_and_old_payloads_are_published() {
        let request = LabelRequest::default();
        for pricing in [Pricing::Contract, Pricing::Published] {
            let payload = encode(&request, pricing).unwrap();
            let (back, read) = decode(&payload).unwrap();
            assert_eq!(read, pricing);
            assert_eq!(
                serde_json::to_value(&back).unwrap(),
                serde_json::to_value(&request).unwrap()
            );
        }
        let old = LabelPayload(serde_json::to_value(&request).unwrap());
        assert_eq!(decode(&old).unwrap().1, Pricing::Published);
    }
}
