//! What comes back on the loopback listener: the callback's query checked (`state` first, then
//! USPS's `error`, then the `code`), and the small page the browser shows afterwards.

use super::listener::CallbackQuery;
use crate::error::{AppError, AppResult, ErrorCode};

/// Where USPS sends the browser back on the loopback listener.
pub const CALLBACK_PATH: &str = "/usps/callback";

/// The redirect URI registered with USPS for the listener on `port` (USPS matches it exactly).
pub(crate) fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}{CALLBACK_PATH}")
}

fn param<'a>(query: &'a CallbackQuery, name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Checks `state` first (an answer to someone else's request is refused whatever it says), then
/// USPS's `error`, then takes the code.
pub(crate) fn code_from_query(query: &CallbackQuery, expected_state: &str) -> AppResult<String> {
    match param(query, "state") {
        Some(state) if state == expected_state => {}
        Some(_) => {
            return Err(AppError::validation(
                "The USPS sign-in answer did not belong to this sign-in (its state did not match), \
                 so it was refused. Start the sign-in again.",
            ));
        }
        None => {
            return Err(AppError::validation(
                "The USPS sign-in answer carried no state, so it was refused. Start the sign-in again.",
            ));
        }
    }
    if let Some(error) = param(query, "error") {
        if error == "access_denied" {
            return Err(AppError::new(
                ErrorCode::Cancelled,
                "Access was not granted at USPS (the consent was cancelled). Nothing was changed; \
                 sign in again when you are ready.",
            ));
        }
        let description = param(query, "error_description").unwrap_or("");
        return Err(AppError::validation(format!(
            "USPS did not complete the sign-in ({error}{}{description}). Start it again.",
            if description.is_empty() { "" } else { ": " }
        )));
    }
    match param(query, "code") {
        Some(code) if !code.is_empty() => Ok(code.to_owned()),
        _ => Err(AppError::validation(
            "USPS sent the browser back without an authorization code. Start the sign-in again.",
        )),
    }
}

/// The small page the browser shows after the redirect.
pub(crate) fn browser_page(query: &CallbackQuery, expected_state: &str) -> (u16, String) {
    let (status, title, text) = match code_from_query(query, expected_state) {
        Ok(_) => (
            200,
            "Signed in to USPS",
            "You can close this tab and return to Shipdesk.".to_owned(),
        ),
        Err(e) => (
            400,
            "USPS sign-in not completed",
            format!(
                "{} You can close this tab and return to Shipdesk.",
                e.message
            ),
        ),
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font:16px system-ui,sans-serif;margin:4rem auto;max-width:34rem;\
         color:#1b1b1b}}</style></head><body><h1>{title}</h1><p id=\"message\">{}</p></body></html>",
        html_escape(&text)
    );
    (status, body)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> CallbackQuery {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn state_is_checked_before_anything_else() {
        let wrong = code_from_query(&q(&[("code", "c"), ("state", "other")]), "mine").unwrap_err();
        assert_eq!(wrong.code, ErrorCode::Validation);
        assert!(wrong.message.contains("did not match"));
        let missing = code_from_query(&q(&[("code", "c")]), "mine").unwrap_err();
        assert!(missing.message.contains("no state"));
        // A forged "access_denied" with the wrong state is still a state error.
        let forged = code_from_query(&q(&[("error", "access_denied"), ("state", "x")]), "mine");
        assert_eq!(forged.unwrap_err().code, ErrorCode::Validation);
    }

    #[test]
    fn denied_and_other_errors() {
        let denied =
            code_from_query(&q(&[("error", "access_denied"), ("state", "s")]), "s").unwrap_err();
        assert_eq!(denied.code, ErrorCode::Cancelled);
        let other = code_from_query(
            &q(&[
                ("error", "server_error"),
                ("error_description", "down"),
                ("state", "s"),
            ]),
            "s",
        )
        .unwrap_err();
        assert!(other.message.contains("server_error: down"));
        let no_code = code_from_query(&q(&[("state", "s")]), "s").unwrap_err();
        assert!(no_code.message.contains("without an authorization code"));
        assert_eq!(
            code_from_query(&q(&[("code", "abc"), ("state", "s")]), "s").unwrap(),
            "abc"
        );
    }

    #[test]
    fn browser_page_says_to_return_and_escapes() {
        let (status, page) = browser_page(&q(&[("code", "c"), ("state", "s")]), "s");
        assert_eq!(status, 200);
        assert!(page.contains("You can close this tab and return to Shipdesk"));
        let (status, page) = browser_page(&q(&[("error", "<b>"), ("state", "s")]), "s");
        assert_eq!(status, 400);
        assert!(page.contains("&lt;b&gt;") && !page.contains("<b>"));
    }
}
