//! Payments v3: the payment authorization token (PAYER + LABEL_OWNER roles, 8-hour life) that
//! label calls carry in `X-Payment-Authorization-Token`, and the payment-account check.
//! Roles naming a CRID, MID or EPS account the bearer token is not tied to answer 403. A
//! `RATE_HOLDER` role is accepted for any CRID the token is tied to, as USPS does: whether that
//! CRID holds a contract for a label's mail class is decided per label (160255 otherwise).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

use super::Api;
use super::validate::json_body;
use crate::Shared;
use crate::auth::guard::{Caller, authorize};
use crate::errors::{ApiError, ErrorItem};
use crate::ids::now_ms;
use crate::rules::{self, PAYMENT_AUTHORIZATION};
use crate::scenario::PaymentAccountStatus;
use crate::state::records::{Business, PaymentAuth};

const V: &str = "/payments/v3";
pub const PAYMENT_TOKEN_LIFETIME_MS: u64 = 8 * 3600 * 1000;
const ROLE_NAMES: &[&str] = &[
    "PAYER",
    "RATE_HOLDER",
    "LABEL_OWNER",
    "SHIPPER",
    "MAIL_OWNER",
    "PLATFORM",
    "RETURN_LABEL_PAYER",
    "RETURN_LABEL_RATE_HOLDER",
    "RETURN_LABEL_OWNER",
    "LABEL_PROVIDER",
];
const ACCOUNT_TYPES: &[&str] = &["EPS", "PERMIT", "METER", "OMAS"];

fn role_error(code: &'static str, text: String) -> ErrorItem {
    ErrorItem::coded(code, text, "roles")
}

/// Schema and rule checks on the roles (400s), in USPS's wording.
fn check_roles(roles: &[Value]) -> Vec<ErrorItem> {
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    for role in roles {
        let name = role["roleName"].as_str().unwrap_or_default();
        if !ROLE_NAMES.contains(&name) {
            errors.push(ErrorItem::field(
                "roleName is required and must be a valid role.",
                "roles.roleName",
            ));
            continue;
        }
        if seen.contains(&name) {
            errors.push(ErrorItem::field(
                format!("{name} role may appear only once."),
                "roles",
            ));
        }
        seen.push(name);
        let text = |k: &str| role[k].as_str().unwrap_or_default();
        let broken =
            |k: &str| rules::broken_text(PAYMENT_AUTHORIZATION, &format!("roles[].{k}"), text(k));
        if text("CRID").chars().count() < 2 {
            errors.push(role_error("160218", format!("{name} requires CRID")));
        } else if let Some(why) = broken("CRID") {
            errors.push(ErrorItem::field(why, "roles.CRID"));
        }
        for field in ["MID", "manifestMID", "permitZIP"] {
            if let Some(why) = broken(field).filter(|_| !text(field).is_empty()) {
                errors.push(ErrorItem::field(why, &format!("roles.{field}")));
            }
        }
        if !text("accountType").is_empty() && !ACCOUNT_TYPES.contains(&text("accountType")) {
            errors.push(ErrorItem::field(
                "accountType must be one of: EPS, PERMIT, METER, OMAS.",
                "roles",
            ));
        }
        match name {
            "LABEL_OWNER" => {
                if text("MID").is_empty() {
                    errors.push(role_error("160221", format!("{name} requires MID")));
                }
                if text("manifestMID").is_empty() {
                    errors.push(role_error(
                        "160222",
                        format!("{name}  requires manifestMID"),
                    ));
                }
            }
            "PAYER" | "RATE_HOLDER" => {
                if text("accountType").is_empty() {
                    errors.push(role_error(
                        "160223",
                        format!("{name}  requires accountType"),
                    ));
                } else if text("accountType") == "EPS" && text("accountNumber").is_empty() {
                    errors.push(role_error(
                        "160224",
                        format!("{name} requires accountNumber when accountType is EPS"),
                    ));
                }
            }
            _ => {}
        }
    }
    if !seen.contains(&"PAYER") {
        errors.push(role_error("160228", "PAYER is required".into()));
    }
    if !seen.contains(&"LABEL_OWNER") {
        errors.push(role_error("160229", "LABEL_OWNER is required".into()));
    }
    errors
}

/// Ties every identifier in the roles to the token's business (403 otherwise).
fn check_ownership(shared: &Shared, business: &Business, roles: &[Value]) -> Result<(), ApiError> {
    let path = "/payments/v3/payment-authorization";
    for role in roles {
        let text = |k: &str| role[k].as_str().unwrap_or_default();
        if text("CRID") != business.crid {
            return Err(ApiError::forbidden(V, path));
        }
        for field in ["MID", "manifestMID"] {
            if !text(field).is_empty() && !business.owns_mid(text(field)) {
                return Err(ApiError::forbidden(V, path));
            }
        }
        let account = text("accountNumber");
        if text("accountType") == "EPS" && !business.eps_accounts.iter().any(|a| a == account) {
            let exists = shared
                .lock()
                .scenario
                .users
                .iter()
                .any(|u| u.eps_accounts.iter().any(|a| a == account));
            if exists {
                return Err(ApiError::forbidden(V, path));
            }
            return Err(ApiError::bad_request(
                V,
                vec![role_error(
                    "100001",
                    format!("Could not find an EPS Account with number: {account}."),
                )],
            ));
        }
    }
    Ok(())
}

/// The PAYER's EPS account must be active and have a payment method, as the business portal
/// shows it: 100002 for one still pending (an ACH account not verified yet), 100003 for one
/// without a payment method.
fn check_payer_can_pay(shared: &Shared, roles: &[Value]) -> Result<(), ApiError> {
    let Some(payer) = roles.iter().find(|r| r["roleName"] == "PAYER") else {
        return Ok(());
    };
    if payer["accountType"] != "EPS" {
        return Ok(());
    }
    let account = payer["accountNumber"].as_str().unwrap_or_default();
    let status = shared
        .lock()
        .scenario
        .users
        .iter()
        .find(|u| u.eps_accounts.iter().any(|a| a == account))
        .map(|u| u.payment_account);
    let refusal = match status {
        Some(PaymentAccountStatus::Pending) => {
            role_error("100002", format!("EPS account {account} is not active."))
        }
        Some(PaymentAccountStatus::NoPaymentMethod) => role_error(
            "100003",
            format!("EPS account {account} has no primary payment method."),
        ),
        Some(PaymentAccountStatus::Active) | None => return Ok(()),
    };
    Err(ApiError::bad_request(V, vec![refusal]))
}

pub async fn authorize_payment(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Payments)?;
        let body = json_body(&headers, &body, V)?;
        let roles = match body.get("roles") {
            // A member sent as `null` is one not sent (as USPS's JSON binding reads it), so it
            // is neither checked as a value nor echoed back as `null`.
            Some(Value::Array(r)) if !r.is_empty() => {
                r.iter().map(without_nulls).collect::<Vec<Value>>()
            }
            _ => {
                return Err(ApiError::bad_request(
                    V,
                    vec![ErrorItem::field(
                        "roles is required and must contain at least one role.",
                        "roles",
                    )],
                ));
            }
        };
        let errors = check_roles(&roles);
        if !errors.is_empty() {
            return Err(ApiError::bad_request(V, errors));
        }
        let business = caller.business(Api::Payments, "/payments/v3/payment-authorization")?;
        check_ownership(&shared, business, &roles)?;
        check_payer_can_pay(&shared, &roles)?;
        Ok(issue(&shared, &caller, business, roles))
    })();
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn without_nulls(role: &Value) -> Value {
    match role {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn issue(shared: &Shared, caller: &Caller, business: &Business, mut roles: Vec<Value>) -> Value {
    let find = |name: &str| {
        roles
            .iter()
            .find(|r| r["roleName"] == name)
            .cloned()
            .unwrap_or_default()
    };
    let payer = find("PAYER");
    let owner = find("LABEL_OWNER");
    let rate_holder = roles
        .iter()
        .find(|r| r["roleName"] == "RATE_HOLDER")
        .and_then(|r| r["CRID"].as_str())
        .map(str::to_string);
    let now = now_ms();
    let jti = uuid::Uuid::new_v4().to_string();
    // USPS normalises the echo: the label owner is shown with the payer's account.
    for role in roles.iter_mut().filter(|r| r["roleName"] == "LABEL_OWNER") {
        if role.get("accountType").is_none() {
            role["accountType"] = payer["accountType"].clone();
            // A PERMIT payer has no account number: none is echoed (never `null`).
            if let Some(number) = payer.get("accountNumber").filter(|n| n.is_string()) {
                role["accountNumber"] = number.clone();
            }
        }
    }
    let claims = json!({
        "sub": business.crid,
        "aud": ["labels", "international-labels"],
        "azp": caller.client_id,
        "roles": roles,
        "manifest_type": "",
        "source": "",
        "iss": shared.issuer,
        "iat": now / 1000,
        "exp": (now + PAYMENT_TOKEN_LIFETIME_MS) / 1000,
        "jti": jti,
    });
    let token = shared.keys.sign(&claims);
    let mut st = shared.lock();
    st.durable.payment_auths.retain(|_, p| p.expires_ms > now);
    st.durable.payment_auths.insert(
        jti,
        PaymentAuth {
            client_id: caller.client_id.clone(),
            crid: business.crid.clone(),
            label_owner_mid: owner["MID"].as_str().unwrap_or_default().to_string(),
            manifest_mid: owner["manifestMID"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            payer_eps: payer["accountNumber"].as_str().map(str::to_string),
            rate_holder_crid: rate_holder,
            expires_ms: now + PAYMENT_TOKEN_LIFETIME_MS,
        },
    );
    shared.persist(&st);
    json!({ "paymentAuthorizationToken": token, "roles": roles })
}

/// Validates `X-Payment-Authorization-Token` for a label call by `caller`.
pub fn payment_auth(
    shared: &Shared,
    headers: &HeaderMap,
    caller: &Caller,
    api_version: &'static str,
) -> Result<PaymentAuth, ApiError> {
    let header = "X-Payment-Authorization-Token";
    let token = headers
        .get(header)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if token.is_empty() {
        return Err(ApiError::bad_request(
            api_version,
            vec![ErrorItem::field(
                format!("{header} header is required."),
                header,
            )],
        ));
    }
    let invalid = |detail: &str| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            api_version,
            "Invalid payment authorization token.",
        )
        .with_item(ErrorItem {
            code: None,
            title: "invalid_token".into(),
            detail: detail.into(),
            parameter: Some(header.into()),
        })
    };
    let claims = shared
        .keys
        .verify(token)
        .ok_or_else(|| invalid("The payment authorization token is missing or malformed."))?;
    let jti = claims["jti"].as_str().unwrap_or_default();
    let auth = shared
        .lock()
        .durable
        .payment_auths
        .get(jti)
        .cloned()
        .ok_or_else(|| invalid("The payment authorization token is missing or malformed."))?;
    if now_ms() >= auth.expires_ms {
        return Err(invalid("The payment authorization token has expired."));
    }
    let same_business = caller
        .business
        .as_ref()
        .is_some_and(|b| b.crid == auth.crid);
    if auth.client_id != caller.client_id || !same_business {
        return Err(ApiError::forbidden(api_version, "/labels/v3/label"));
    }
    Ok(auth)
}

pub async fn payment_account(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(account): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = (|| {
        let caller = authorize(&shared, &headers, Api::Payments)?;
        let account_type = q.get("accountType").map(String::as_str).unwrap_or_default();
        let mut errors = Vec::new();
        match account_type {
            "" => errors.push(ErrorItem::field("accountType is required.", "accountType")),
            "EPS" | "PERMIT" => {}
            _ => errors.push(ErrorItem::field(
                "accountType must be one of: EPS, PERMIT.",
                "accountType",
            )),
        }
        if account_type == "PERMIT" && q.get("permitZIPCode").is_none_or(|z| z.is_empty()) {
            errors.push(ErrorItem::coded(
                "160215",
                "permitZIPCode is required for an accountType of 'PERMIT'",
                "permitZIPCode",
            ));
        }
        let amount = match q.get("amount").map(|a| a.parse::<f64>()) {
            Some(Ok(a)) if a >= 0.0 => Some(a),
            Some(_) => {
                errors.push(ErrorItem::field(
                    "amount must be a non-negative number.",
                    "amount",
                ));
                None
            }
            None => None,
        };
        if !errors.is_empty() {
            return Err(ApiError::bad_request(V, errors));
        }
        let path = format!("/payments/v3/payment-account/{account}");
        let business = caller.business(Api::Payments, &path)?;
        let st = shared.lock();
        let holder = st
            .scenario
            .users
            .iter()
            .find(|u| account_type == "EPS" && u.eps_accounts.contains(&account));
        let Some(holder) = holder else {
            return Err(ApiError::not_found(V, "Payment account not found."));
        };
        if !business.eps_accounts.contains(&account) {
            return Err(ApiError::forbidden(V, &path));
        }
        let mut v =
            json!({ "accountType": "EPS", "accountNumber": account, "nonProfitStatus": false });
        if amount.is_some() {
            v["sufficientFunds"] = json!(holder.funded);
        }
        Ok(v)
    })();
    match result {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the schema fuzzer: a `null` member was echoed back as `null`, which the
    /// response schema does not allow.
    #[test]
    fn null_members_of_a_role_are_members_not_sent() {
        let role = json!({"roleName": "PAYER", "CRID": "56982563", "manifestMID": null});
        assert_eq!(
            without_nulls(&role),
            json!({"roleName": "PAYER", "CRID": "56982563"})
        );
        assert_eq!(without_nulls(&json!("PAYER")), json!("PAYER"));
    }

    #[test]
    fn roles_rules_use_usps_codes() {
        let roles = vec![json!({"roleName": "LABEL_OWNER", "CRID": "1"})];
        let codes: Vec<_> = check_roles(&roles).iter().filter_map(|e| e.code).collect();
        assert!(codes.contains(&"160218"));
        assert!(codes.contains(&"160221"));
        assert!(codes.contains(&"160222"));
        assert!(codes.contains(&"160228"));
        let ok = vec![
            json!({"roleName":"PAYER","CRID":"12345678","accountType":"EPS","accountNumber":"1000000001"}),
            json!({"roleName":"LABEL_OWNER","CRID":"12345678","MID":"900000001","manifestMID":"900000002"}),
        ];
        assert!(check_roles(&ok).is_empty());
    }
}
