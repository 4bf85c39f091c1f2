//! Server-rendered pages of the simulated Customer Onboarding Portal. Plain HTML forms that post
//! back to the simulator, so a headless browser and a plain HTTP client can both get through.
//!
//! Stable element ids/names (documented for tests):
//! - sign-in: form `#sign-in-form` → `POST /cop-navigator/sign-in`, hidden `flow`, inputs
//!   `#username`/`username`, `#password`/`password`, submit `#sign-in`;
//! - MFA: form `#mfa-form` → `POST /cop-navigator/mfa`, input `#mfa_code`/`mfa_code`,
//!   submit `#verify`;
//! - consent: form `#consent-form` → `POST /cop-navigator/authorize`, checkbox `#agree`/`agree`
//!   (value `on`), submit `#authorize` (`action=authorize`, "Authorize & Continue") and
//!   `#cancel` (`action=cancel`);
//! - success: link `#go-to-platform` ("Go to `<platform>`") to the redirect URI with `code` and
//!   `state`, and a meta refresh that follows it after 3 seconds;
//! - any error: `#error` (role=alert) on the page that failed.

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn page(title: &str, head_extra: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{head_extra}\
         <title>{title}</title><style>{STYLE}</style></head>\
         <body><header><strong>USPS</strong> Customer Onboarding Portal \
         <span class=\"sim\">(simulator)</span></header><main>{body}</main></body></html>\n",
        title = escape(title),
    )
}

const STYLE: &str = "body{font-family:sans-serif;margin:0;background:#f4f4f4}\
header{background:#333366;color:#fff;padding:12px 20px}.sim{opacity:.7;font-size:.85em}\
main{max-width:480px;margin:32px auto;background:#fff;padding:24px;border-radius:6px}\
label{display:block;margin:12px 0 4px}input[type=text],input[type=password]{width:100%;padding:8px}\
button,.button{margin-top:16px;padding:10px 18px;background:#333366;color:#fff;border:0;\
border-radius:4px;text-decoration:none;display:inline-block;cursor:pointer}\
#cancel{background:#888}#error{color:#b00020;font-weight:bold}";

fn error_block(error: Option<&str>) -> String {
    error
        .map(|e| format!("<p id=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default()
}

pub fn sign_in(flow: &str, platform: &str, username: &str, error: Option<&str>) -> String {
    page(
        "Sign In | USPS",
        "",
        &format!(
            "<h1>Sign in</h1><p>Sign in with your USPS business account to connect it to \
             {platform}.</p>{err}\
             <form id=\"sign-in-form\" method=\"post\" action=\"/cop-navigator/sign-in\">\
             <input type=\"hidden\" name=\"flow\" value=\"{flow}\">\
             <label for=\"username\">Username</label>\
             <input type=\"text\" id=\"username\" name=\"username\" value=\"{username}\" autocomplete=\"username\">\
             <label for=\"password\">Password</label>\
             <input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">\
             <button type=\"submit\" id=\"sign-in\">Sign In</button></form>",
            platform = escape(platform),
            err = error_block(error),
            flow = escape(flow),
            username = escape(username),
        ),
    )
}

pub fn mfa(flow: &str, error: Option<&str>) -> String {
    page(
        "Verify Your Identity | USPS",
        "",
        &format!(
            "<h1>Verify your identity</h1><p>Enter the verification code we sent you.</p>{err}\
             <form id=\"mfa-form\" method=\"post\" action=\"/cop-navigator/mfa\">\
             <input type=\"hidden\" name=\"flow\" value=\"{flow}\">\
             <label for=\"mfa_code\">Verification code</label>\
             <input type=\"text\" id=\"mfa_code\" name=\"mfa_code\" inputmode=\"numeric\" autocomplete=\"one-time-code\">\
             <button type=\"submit\" id=\"verify\">Verify</button></form>",
            err = error_block(error),
            flow = escape(flow),
        ),
    )
}

/// The sentence the user agrees to (also checked by tests).
pub fn terms_text(platform: &str) -> String {
    format!(
        "I have read, understand, and agree to the USPS Terms and Conditions for authorizing {platform} to access my USPS business account"
    )
}

pub fn consent(flow: &str, platform: &str, username: &str, error: Option<&str>) -> String {
    page(
        "Authorize Access | USPS",
        "",
        &format!(
            "<h1>Authorize {platform}</h1><p>Signed in as <strong>{user}</strong>. {platform} \
             asks to create labels, pay postage and manage shipments for your business (CRID, \
             Mailer IDs and payment accounts).</p>{err}\
             <form id=\"consent-form\" method=\"post\" action=\"/cop-navigator/authorize\">\
             <input type=\"hidden\" name=\"flow\" value=\"{flow}\">\
             <label><input type=\"checkbox\" id=\"agree\" name=\"agree\" value=\"on\"> {terms}</label>\
             <button type=\"submit\" id=\"authorize\" name=\"action\" value=\"authorize\">Authorize &amp; Continue</button> \
             <button type=\"submit\" id=\"cancel\" name=\"action\" value=\"cancel\">Cancel</button></form>",
            platform = escape(platform),
            user = escape(username),
            err = error_block(error),
            flow = escape(flow),
            terms = escape(&terms_text(platform)),
        ),
    )
}

pub fn success(platform: &str, target: &str) -> String {
    let target = escape(target);
    page(
        "Authorization Complete | USPS",
        &format!("<meta http-equiv=\"refresh\" content=\"3;url={target}\">"),
        &format!(
            "<h1>You're all set</h1><p id=\"redirect-note\">Your USPS business account is now \
             connected to {platform}. You will be taken back in a few seconds.</p>\
             <a class=\"button\" id=\"go-to-platform\" href=\"{target}\">Go to {platform}</a>",
            platform = escape(platform),
        ),
    )
}

/// A page for requests that cannot proceed (bad client, redirect URI, expired session).
pub fn problem(title: &str, message: &str) -> String {
    page(
        &format!("{title} | USPS"),
        "",
        &format!("<h1>{}</h1>{}", escape(title), error_block(Some(message))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped() {
        let html = sign_in("f\"1", "<script>", "a&b", Some("bad <b>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("value=\"f&quot;1\""));
        assert!(html.contains("bad &lt;b&gt;"));
    }

    #[test]
    fn consent_page_has_terms_and_button() {
        let html = consent("f", "Shipdesk", "demo", None);
        assert!(html.contains(&terms_text("Shipdesk")));
        assert!(html.contains("id=\"authorize\""));
        assert!(html.contains("Authorize &amp; Continue"));
    }
}
