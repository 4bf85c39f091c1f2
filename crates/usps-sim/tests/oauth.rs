//! OAuth token service and the COP consent flow, through real HTTP.

mod common;

use base64::Engine;
use common::*;
use serde_json::json;

#[tokio::test]
async fn client_credentials_token_has_usps_fields_and_business_claims() {
    let t = TestSim::start().await;
    let r = t
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
        ])
        .await;
    assert_eq!(r.status, 200);
    let j = &r.json;
    assert_eq!(j["token_type"], "Bearer");
    assert_eq!(j["expires_in"], 28799);
    assert_eq!(j["status"], "approved");
    assert_eq!(j["api_products"], "[Public Access, Shipping]");
    assert!(
        j["issued_at"].as_u64().unwrap() > 1_700_000_000_000,
        "issued_at is epoch ms"
    );
    assert!(
        j.get("refresh_token").is_none(),
        "client credentials has no refresh token"
    );
    assert!(
        j["scope"]
            .as_str()
            .unwrap()
            .split(' ')
            .any(|s| s == "labels")
    );
    // The JWT is RS256, verifiable with the advertised public key, and tied to the business.
    let token = j["access_token"].as_str().unwrap();
    let header: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    let pem = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(j["public_key"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.validate_aud = false;
    let claims = jsonwebtoken::decode::<serde_json::Value>(token, &key, &v)
        .unwrap()
        .claims;
    assert_eq!(claims["crid"], CRID);
    assert_eq!(claims["azp"], CLIENT);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        28800
    );
    assert!(claims["mail_owners"].as_str().unwrap().contains(MID));
    assert!(claims["payment_accounts"].as_str().unwrap().contains(EPS));
}

#[tokio::test]
async fn token_endpoint_accepts_json_and_narrows_scope_only() {
    let t = TestSim::start().await;
    let r = t.send(t.http.post(t.url("/oauth2/v3/token")).json(&json!({
        "grant_type": "client_credentials", "client_id": CLIENT, "client_secret": SECRET, "scope": "addresses labels made-up"
    }))).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["scope"], "addresses labels");
    let r = t
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", PUBLIC_CLIENT),
            ("client_secret", PUBLIC_SECRET),
            ("scope", "labels"),
        ])
        .await;
    assert!(
        !r.json["scope"].as_str().unwrap().contains("labels"),
        "asking for more is ignored"
    );
}

#[tokio::test]
async fn token_errors_are_rfc6749_bodies() {
    let t = TestSim::start().await;
    let r = t
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", "nope"),
            ("client_secret", "x"),
        ])
        .await;
    assert_eq!(
        (r.status, r.json["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert!(r.headers.contains_key("www-authenticate"));
    let r = t
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", "wrong"),
        ])
        .await;
    assert_eq!(r.json["error_description"], "Client authentication failed.");
    let r = t
        .token_request(&[
            ("grant_type", "password"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
        ])
        .await;
    assert_eq!(
        (r.status, r.json["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let r = t
        .token_request(&[("client_id", CLIENT), ("client_secret", SECRET)])
        .await;
    assert_eq!(r.json["error"], "invalid_request");
    let r = t
        .token_request(&[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("code", "bogus"),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.json["error_description"]
            .as_str()
            .unwrap()
            .starts_with("Authorizaton Code Error")
    );
}

#[tokio::test]
async fn consent_flow_by_forms_then_code_exchange_and_refresh_rotation() {
    let t = TestSim::start().await;
    let code = t
        .consent_code(CLIENT, "demo", "shipdesk-demo", "xyz 1&2")
        .await;
    // Wrong redirect_uri at exchange is refused and does not burn... a used code is single-use.
    let bad = t
        .token_request(&[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:1/other"),
        ])
        .await;
    assert_eq!(bad.status, 400);
    let r = t
        .token_request(&[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["refresh_count"], 0);
    assert_eq!(r.json["refresh_token_expires_in"], 604799);
    assert_eq!(r.json["refresh_token_status"], "approved");
    let again = t
        .token_request(&[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    assert_eq!(again.status, 400, "codes are one-time");

    let rt = r.json["refresh_token"].as_str().unwrap().to_string();
    let r2 = t
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", &rt),
        ])
        .await;
    assert_eq!(r2.status, 200);
    assert_eq!(r2.json["refresh_count"], 1);
    assert_ne!(
        r2.json["refresh_token"], r.json["refresh_token"],
        "refresh rotates"
    );
    let access = r2.json["access_token"].as_str().unwrap();
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=80202", access)
            .await
            .status,
        200
    );

    // Revoke (Basic auth) kills the new refresh token.
    let rt2 = r2.json["refresh_token"].as_str().unwrap();
    let rev = t
        .send(
            t.http
                .post(t.url("/oauth2/v3/revoke"))
                .basic_auth(CLIENT, Some(SECRET))
                .form(&[("token", rt2), ("token_type_hint", "refresh_token")]),
        )
        .await;
    assert_eq!(rev.status, 200);
    assert!(rev.text.is_empty());
    let dead = t
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", rt2),
        ])
        .await;
    assert_eq!(dead.status, 400);
    assert_eq!(dead.json["refresh_token_status"], "Not Found");
}

#[tokio::test]
async fn expiring_tokens_and_killing_refresh_tokens_through_controls() {
    let t = TestSim::start().await;
    let (access, refresh) = t.user_tokens(CLIENT, SECRET, "demo").await;
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=02108", &access)
            .await
            .status,
        200
    );
    assert_eq!(
        t.control("/expire-access-tokens", json!({})).await["expired"],
        1
    );
    let expired = t
        .get("/addresses/v3/city-state?ZIPCode=02108", &access)
        .await;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json["error"]["errors"][0]["title"], "invalid_token");
    // Silent refresh works, then an early invalidation (USPS issue #84) forces reconnect.
    let r = t
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", &refresh),
        ])
        .await;
    assert_eq!(r.status, 200);
    let new_rt = r.json["refresh_token"].as_str().unwrap().to_string();
    t.control("/invalidate-refresh-tokens", json!({"client_id": CLIENT}))
        .await;
    let dead = t
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", &new_rt),
        ])
        .await;
    assert_eq!(dead.status, 400);
    assert_eq!(dead.json["refresh_token_status"], "Unknown");
}

#[tokio::test]
async fn revoked_consent_stops_both_tokens() {
    let t = TestSim::start().await;
    let (access, refresh) = t.user_tokens(CLIENT, SECRET, "demo").await;
    assert_eq!(
        t.control("/revoke-consent", json!({"username": "demo"}))
            .await["revoked"],
        1
    );
    assert_eq!(
        t.get("/addresses/v3/city-state?ZIPCode=02108", &access)
            .await
            .status,
        401
    );
    let r = t
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", &refresh),
        ])
        .await;
    assert_eq!(
        (r.status, r.json["error"].as_str()),
        (400, Some("invalid_request"))
    );
}

#[tokio::test]
async fn injected_token_endpoint_outage_uses_oauth_body_and_retry_after() {
    let t = TestSim::start().await;
    t.control(
        "/fail",
        json!({"target": "oauth2", "status": 503, "count": 1, "retry_after": 2}),
    )
    .await;
    let r = t
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
        ])
        .await;
    assert_eq!(r.status, 503);
    assert_eq!(r.headers["retry-after"], "2");
    assert_eq!(r.json["error"], "invalid_request");
    assert_eq!(
        t.token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", SECRET)
        ])
        .await
        .status,
        200
    );
    assert_eq!(t.read("/calls").await["calls"]["oauth2"], 2);
}

#[tokio::test]
async fn consent_and_refresh_token_survive_a_restart_with_a_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = || usps_sim::SimConfig {
        state_file: Some(dir.path().join("state.json")),
        ..usps_sim::SimConfig::new(demo())
    };
    let sim = usps_sim::start(config()).await.unwrap();
    let base = sim.base_url().to_string().trim_end_matches('/').to_string();
    let t = TestSim {
        sim,
        base,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    };
    let (_, refresh) = t.user_tokens(CLIENT, SECRET, "demo").await;
    t.sim.shutdown().await;

    let sim = usps_sim::start(config()).await.unwrap();
    let base = sim.base_url().to_string().trim_end_matches('/').to_string();
    let t = TestSim {
        sim,
        base,
        http: reqwest::Client::new(),
    };
    let r = t
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", &refresh),
        ])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["refresh_count"], 1);
}

#[tokio::test]
async fn a_consent_given_through_the_library_yields_a_code_the_token_endpoint_accepts() {
    let t = TestSim::start().await;
    assert_eq!(
        t.sim.consent("nobody", "demo", REDIRECT),
        Err(usps_sim::ConsentError::UnknownApp("nobody".into()))
    );
    assert_eq!(
        t.sim.consent(CLIENT, "demo", "http://127.0.0.1:1/other"),
        Err(usps_sim::ConsentError::UnregisteredRedirect(
            "http://127.0.0.1:1/other".into()
        ))
    );
    assert_eq!(
        t.sim.consent(CLIENT, "ghost", REDIRECT),
        Err(usps_sim::ConsentError::UnknownUser("ghost".into()))
    );
    let code = t.sim.consent(CLIENT, "demo", REDIRECT).unwrap();
    let exchange = [
        ("grant_type", "authorization_code"),
        ("client_id", CLIENT),
        ("client_secret", SECRET),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let r = t.token_request(&exchange).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["refresh_token_status"], "approved");
    let access = r.json["access_token"].as_str().unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(access.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["crid"], CRID, "the demo business's token");
    assert_eq!(claims["azp"], CLIENT);
    assert_eq!(
        t.token_request(&exchange).await.status,
        400,
        "codes are one-time"
    );

    // It is the same consent the pages record: revoking it ends the refresh token.
    let refresh = r.json["refresh_token"].as_str().unwrap().to_owned();
    t.control(
        "/revoke-consent",
        json!({"client_id": CLIENT, "username": "demo"}),
    )
    .await;
    let dead = t
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
            ("refresh_token", &refresh),
        ])
        .await;
    assert_eq!(dead.status, 400);
}
