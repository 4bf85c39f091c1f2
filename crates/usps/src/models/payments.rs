//! Payments v3: payment authorization (PAYER + LABEL_OWNER, and RATE_HOLDER for an account
//! with contract prices) and payment account check.

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// Who the account is at USPS: taken from COP (or the token's claims) and kept by the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountIdentity {
    pub crid: String,
    /// Master MID.
    pub mid: String,
    /// Label MID used for manifests.
    pub manifest_mid: String,
    /// 10-digit EPS account that pays.
    pub eps_account: String,
}

/// Which prices labels bought under a payment authorization are charged at. USPS applies an
/// account's contract (NSA) prices only when the authorization names a `RATE_HOLDER` whose CRID
/// holds the contract, and refuses a label with 160255 when it names one that holds no contract
/// for the label's mail class; without one, labels are charged the published commercial prices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Pricing {
    #[default]
    Published,
    Contract,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaymentRole {
    #[serde(rename = "roleName")]
    pub role_name: String,
    #[serde(rename = "CRID", default, skip_serializing_if = "Option::is_none")]
    pub crid: Option<String>,
    #[serde(rename = "MID", default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    #[serde(
        rename = "manifestMID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub manifest_mid: Option<String>,
    #[serde(
        rename = "accountType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub account_type: Option<String>,
    #[serde(
        rename = "accountNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub account_number: Option<String>,
    #[serde(
        rename = "permitNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub permit_number: Option<String>,
    #[serde(rename = "permitZIP", default, skip_serializing_if = "Option::is_none")]
    pub permit_zip: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PaymentAuthorizationRequest {
    pub roles: Vec<PaymentRole>,
}

impl PaymentAuthorizationRequest {
    /// The roles for labels charged at `pricing`: PAYER + LABEL_OWNER, plus a RATE_HOLDER (the
    /// account's own CRID and EPS account) for contract prices.
    ///
    /// No `RETURN_LABEL_PAYER` / `RETURN_LABEL_RATE_HOLDER` / `RETURN_LABEL_OWNER`: USPS needs
    /// them only for a combined outbound + return request whose return side is paid, priced or
    /// owned by someone else, and a return label made with these roles is paid, priced (at the
    /// contract's prices when RATE_HOLDER is present) and owned by this same account.
    pub fn for_pricing(identity: &AccountIdentity, pricing: Pricing) -> Self {
        let mut request = Self::payer_and_label_owner(identity);
        if pricing == Pricing::Contract {
            request.roles.push(PaymentRole {
                role_name: "RATE_HOLDER".into(),
                crid: Some(identity.crid.clone()),
                mid: Some(identity.mid.clone()),
                manifest_mid: Some(identity.manifest_mid.clone()),
                account_type: Some("EPS".into()),
                account_number: Some(identity.eps_account.clone()),
                ..Default::default()
            });
        }
        request
    }

    /// Whether the roles ask for contract prices.
    pub fn pricing(&self) -> Pricing {
        if self.roles.iter().any(|r| r.role_name == "RATE_HOLDER") {
            Pricing::Contract
        } else {
            Pricing::Published
        }
    }

    /// The usual pair: the account pays from its EPS account and owns the labels.
    pub fn payer_and_label_owner(identity: &AccountIdentity) -> Self {
        let payer = PaymentRole {
            role_name: "PAYER".into(),
            crid: Some(identity.crid.clone()),
            mid: Some(identity.mid.clone()),
            manifest_mid: Some(identity.manifest_mid.clone()),
            account_type: Some("EPS".into()),
            account_number: Some(identity.eps_account.clone()),
            ..Default::default()
        };
        let owner = PaymentRole {
            role_name: "LABEL_OWNER".into(),
            crid: Some(identity.crid.clone()),
            mid: Some(identity.mid.clone()),
            manifest_mid: Some(identity.manifest_mid.clone()),
            ..Default::default()
        };
        Self {
            roles: vec![payer, owner],
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentAuthorizationResponse {
    pub payment_authorization_token: Secret,
    #[serde(default)]
    pub roles: Vec<PaymentRole>,
}

/// Answer of `GET /payments/v3/payment-account/{account-number}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentAccount {
    #[serde(default)]
    pub account_type: Option<String>,
    #[serde(default)]
    pub account_number: Option<String>,
    #[serde(default)]
    pub permit_number: Option<String>,
    #[serde(rename = "permitZIP", default)]
    pub permit_zip: Option<String>,
    #[serde(default, deserialize_with = "crate::wire::lenient_bool")]
    pub non_profit_status: Option<bool>,
    /// Present only when an amount was asked about.
    #[serde(default, deserialize_with = "crate::wire::lenient_bool")]
    pub sufficient_funds: Option<bool>,
}

/// Query of the payment account check.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PaymentAccountQuery {
    /// EPS or PERMIT.
    #[serde(rename = "accountType")]
    pub account_type: String,
    #[serde(rename = "permitZIPCode", skip_serializing_if = "Option::is_none")]
    pub permit_zip_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payer_and_label_owner_roles_match_the_reference() {
        let identity = AccountIdentity {
            crid: "12345678".into(),
            mid: "900000001".into(),
            manifest_mid: "900000002".into(),
            eps_account: "1000000001".into(),
        };
        let body = serde_json::to_value(PaymentAuthorizationRequest::payer_and_label_owner(
            &identity,
        ))
        .unwrap();
        let expected = serde_json::json!({"roles":[
            {"roleName":"PAYER","CRID":"12345678","MID":"900000001","manifestMID":"900000002","accountType":"EPS","accountNumber":"1000000001"},
            {"roleName":"LABEL_OWNER","CRID":"12345678","MID":"900000001","manifestMID":"900000002"}]});
        assert_eq!(body, expected);
    }

    #[test]
    fn a_rate_holder_is_named_only_for_contract_prices() {
        let identity = AccountIdentity {
            crid: "12345678".into(),
            mid: "900000001".into(),
            manifest_mid: "900000002".into(),
            eps_account: "1000000001".into(),
        };
        let published = PaymentAuthorizationRequest::for_pricing(&identity, Pricing::Published);
        assert_eq!(
            published,
            PaymentAuthorizationRequest::payer_and_label_owner(&identity)
        );
        assert_eq!(published.pricing(), Pricing::Published);
        let contract = PaymentAuthorizationRequest::for_pricing(&identity, Pricing::Contract);
        assert_eq!(contract.pricing(), Pricing::Contract);
        let names: Vec<_> = contract
            .roles
            .iter()
            .map(|r| r.role_name.as_str())
            .collect();
        assert_eq!(names, ["PAYER", "LABEL_OWNER", "RATE_HOLDER"]);
        let holder = serde_json::to_value(&contract.roles[2]).unwrap();
        assert_eq!(
            holder,
            serde_json::json!({"roleName":"RATE_HOLDER","CRID":"12345678","MID":"900000001",
                "manifestMID":"900000002","accountType":"EPS","accountNumber":"1000000001"})
        );
    }

    #[test]
    fn response_token_is_a_secret() {
        let body = r#"{"paymentAuthorizationToken":"eyJ.payment.token","roles":[{"roleName":"PAYER","CRID":"1","accountType":"EPS","accountNumber":"2"}]}"#;
        let parsed: PaymentAuthorizationResponse = serde_json::from_str(body).unwrap();
        assert_eq!(
            parsed.payment_authorization_token.expose(),
            "eyJ.payment.token"
        );
        assert!(!format!("{parsed:?}").contains("payment.token"));
        let account: PaymentAccount = serde_json::from_str(r#"{"accountType":"EPS","accountNumber":"1000000001","nonProfitStatus":false,"sufficientFunds":"true"}"#).unwrap();
        assert_eq!(account.sufficient_funds, Some(true));
    }
}
