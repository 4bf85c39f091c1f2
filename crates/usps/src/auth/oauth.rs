//! OAuth 2.0 v3 wire types and the COP consent URL.
//!
//! Why not the `oauth2` crate: its standard token response types require `expires_in` to be a
//! JSON number, while USPS has sent `"expires_in": "28799"`, `issued_at` and `refresh_count` as
//! strings; its error type would also hide USPS's non-standard `invalid_refresh_token` /
//! `refresh_token_status` fields that decide "reconnect required". A custom `TokenResponse`
//! plugged into its generics would leave little of the crate in use, so the three token grants
//! and revoke are plain form posts on the shared `reqwest::Client` with a lenient response type,
//! and their failures go through the same classifier as every other call.

use serde::Deserialize;
use url::Url;

use crate::environment::Environment;
use crate::secret::Secret;
use crate::wire::lenient_u64;

/// A platform's USPS app (COP "Consumer Key" / "Consumer Secret").
#[derive(Clone, Debug)]
pub struct AppCredentials {
    pub client_id: String,
    pub client_secret: Secret,
}

impl AppCredentials {
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }
}

/// `POST /oauth2/v3/token` answer for every grant; refresh fields only for resource-owner grants.
#[derive(Clone, Debug, Deserialize)]
pub struct TokenResponse {
    pub access_token: Secret,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub expires_in: Option<u64>,
    /// Epoch milliseconds.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub issued_at: Option<u64>,
    #[serde(default)]
    pub status: Option<String>,
    /// Space-delimited, possibly with doubled spaces.
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub application_name: Option<String>,
    /// A bracketed list sent as one string, e.g. `"[Public Access I, Shipping Suite]"`.
    #[serde(default)]
    pub api_products: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub refresh_token_expires_in: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub refresh_token_issued_at: Option<u64>,
    #[serde(default)]
    pub refresh_token_status: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub refresh_count: Option<u64>,
}

impl TokenResponse {
    pub fn scopes(&self) -> Vec<String> {
        split_scopes(self.scope.as_deref().unwrap_or(""))
    }

    pub fn products(&self) -> Vec<String> {
        let raw = self.api_products.as_deref().unwrap_or("");
        raw.trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

pub(crate) fn split_scopes(raw: &str) -> Vec<String> {
    raw.split_whitespace().map(str::to_owned).collect()
}

/// The parameters of the COP deep link a business follows to grant the platform access.
#[derive(Clone, Debug)]
pub struct ConsentRequest {
    pub client_id: String,
    /// Unguessable per attempt; checked when the browser comes back.
    pub state: String,
    /// Must equal a redirect URI registered on the app, byte for byte.
    pub redirect_uri: String,
    /// Shown to the user: "authorizing <platform> to access my USPS business account".
    pub platform: String,
}

/// `{portal}/cop-navigator?wf=apis_merchant_user&client_id&state&redirect_uri&platform&reauth=true`.
pub fn consent_url(environment: &Environment, request: &ConsentRequest) -> Url {
    let mut url = environment
        .portal_base()
        .join("cop-navigator")
        .expect("relative path joins");
    url.query_pairs_mut()
        .append_pair("wf", "apis_merchant_user")
        .append_pair("client_id", &request.client_id)
        .append_pair("state", &request.state)
        .append_pair("redirect_uri", &request.redirect_uri)
        .append_pair("platform", &request.platform)
        .append_pair("reauth", "true");
    url
}

/// The form fields of each grant, with the secret exposed only here, at the wire.
pub(crate) enum GrantRequest<'a> {
    ClientCredentials {
        scope: Option<&'a str>,
    },
    AuthorizationCode {
        code: &'a str,
        redirect_uri: &'a str,
    },
    RefreshToken {
        refresh_token: &'a Secret,
    },
}

impl GrantRequest<'_> {
    pub(crate) fn form<'a>(
        &'a self,
        credentials: &'a AppCredentials,
    ) -> Vec<(&'static str, &'a str)> {
        let mut form = vec![
            ("client_id", credentials.client_id.as_str()),
            ("client_secret", credentials.client_secret.expose()),
        ];
        match self {
            GrantRequest::ClientCredentials { scope } => {
                form.push(("grant_type", "client_credentials"));
                if let Some(scope) = scope {
                    form.push(("scope", scope));
                }
            }
            GrantRequest::AuthorizationCode { code, redirect_uri } => {
                form.push(("grant_type", "authorization_code"));
                form.push(("code", code));
                form.push(("redirect_uri", redirect_uri));
            }
            GrantRequest::RefreshToken { refresh_token } => {
                form.push(("grant_type", "refresh_token"));
                form.push(("refresh_token", refresh_token.expose()));
            }
        }
        form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_cloud_client_credentials_response() {
        let body = r#"{"access_token":"eyJraWQiOi.x.y","token_type":"Bearer","issued_at":1755725196947,"expires_in":28799,
 "status":"approved","scope":"addresses domestic-prices  international-prices locations shipments service-standards",
 "issuer":"https://keyc.usps.com/realms/USPS","client_id":"CK123","application_name":"MyShipApp",
 "api_products":"[Public Access I]","public_key":"LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0K"}"#;
        let token: TokenResponse = serde_json::from_str(body).unwrap();
        assert_eq!(token.expires_in, Some(28799));
        assert_eq!(token.issued_at, Some(1755725196947));
        assert!(token.refresh_token.is_none());
        assert_eq!(token.scopes().len(), 6);
        assert!(token.scopes().contains(&"domestic-prices".to_owned()));
        assert_eq!(token.products(), vec!["Public Access I"]);
    }

    #[test]
    fn parses_numbers_sent_as_strings_and_refresh_fields() {
        let body = r#"{"access_token":"a.b.c","token_type":"Bearer","expires_in":"14399","issued_at":"1755725196947",
 "refresh_token":"hqhm7KuTJKzmvhCbRzKNbkgdFlw7kU18","refresh_token_expires_in":"604799","refresh_count":"0",
 "refresh_token_status":"approved","api_products":"[Shipping Version 3, Public Access]"}"#;
        let token: TokenResponse = serde_json::from_str(body).unwrap();
        assert_eq!(token.expires_in, Some(14399));
        assert_eq!(token.refresh_token_expires_in, Some(604799));
        assert_eq!(token.refresh_count, Some(0));
        assert_eq!(
            token.refresh_token.as_ref().unwrap().expose(),
            "hqhm7KuTJKzmvhCbRzKNbkgdFlw7kU18"
        );
        assert_eq!(
            token.products(),
            vec!["Shipping Version 3", "Public Access"]
        );
        let shown = format!("{token:?}");
        assert!(
            !shown.contains("hqhm7") && !shown.contains("a.b.c"),
            "{shown}"
        );
    }

    #[test]
    fn consent_url_on_the_portal_host() {
        let request = ConsentRequest {
            client_id: "CK123".into(),
            state: "s t&ate".into(),
            redirect_uri: "http://127.0.0.1:53682/callback".into(),
            platform: "Shipdesk".into(),
        };
        let url = consent_url(&Environment::Production, &request);
        assert_eq!(url.host_str(), Some("cop.usps.com"));
        assert_eq!(url.path(), "/cop-navigator");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let expected = [
            ("wf", "apis_merchant_user"),
            ("client_id", "CK123"),
            ("state", "s t&ate"),
            ("redirect_uri", "http://127.0.0.1:53682/callback"),
            ("platform", "Shipdesk"),
            ("reauth", "true"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, expected);
        let sandbox = Environment::sandbox(Url::parse("http://127.0.0.1:4010").unwrap());
        assert_eq!(
            consent_url(&sandbox, &request).as_str().split('?').next(),
            Some("http://127.0.0.1:4010/cop-navigator")
        );
    }

    #[test]
    fn grant_forms() {
        let creds = AppCredentials::new("CK123", "CS456");
        let refresh = Secret::new("rt");
        let grant = GrantRequest::RefreshToken {
            refresh_token: &refresh,
        };
        let form = grant.form(&creds);
        assert!(form.contains(&("grant_type", "refresh_token")));
        assert!(form.contains(&("refresh_token", "rt")));
        assert!(form.contains(&("client_secret", "CS456")));
        let grant = GrantRequest::AuthorizationCode {
            code: "EyQP",
            redirect_uri: "https://x/cb",
        };
        let form = grant.form(&creds);
        assert!(
            form.contains(&("code", "EyQP")) && form.contains(&("redirect_uri", "https://x/cb"))
        );
        let grant = GrantRequest::ClientCredentials { scope: None };
        let form = grant.form(&creds);
        assert!(form.contains(&("grant_type", "client_credentials")));
        assert!(!form.iter().any(|(k, _)| *k == "scope"));
    }
}
