//! `shipdesk purchases list | check | discard`: label purchases whose outcome USPS never
//! settled — sent (maybe charged) with no label stored, because the answer was lost, USPS was
//! unreachable or Shipdesk stopped. The same list and the same two ways out as the app's
//! Shipments › Purchases to check: *check* re-sends with the purchase's own idempotency key
//! (USPS returns the label it made, without a second charge, or makes it now); *discard* first
//! has USPS cancel whatever label the key made, then closes the purchase so the order can be
//! bought differently.

use std::io::{BufRead, IsTerminal, Write};

use clap::Subcommand;
use shipdesk_core::shipping::{PurchaseToCheck, ShippingService};
use shipdesk_core::{AppError, ErrorCode};

use crate::output::{Output, printable};

#[derive(Debug, Subcommand)]
pub enum PurchasesCommand {
    /// Purchases to check: sent to USPS (maybe charged) with no label stored.
    List,
    /// Ask USPS again with the purchase's own key: it returns the label it made (no second
    /// charge), or makes it now; the label is stored and the order marked shipped.
    Check {
        /// The purchase's ATTEMPT number from `shipdesk purchases list`.
        attempt_id: i64,
    },
    /// Close a purchase so its order can be bought again. USPS is first asked to cancel
    /// whatever label the purchase made, so nothing stays charged; if USPS cannot be asked,
    /// nothing changes.
    Discard {
        /// The purchase's ATTEMPT number from `shipdesk purchases list`.
        attempt_id: i64,
        /// Do not ask for confirmation (needed when not run in a terminal).
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(
    cmd: PurchasesCommand,
    shipping: &ShippingService,
    out: &Output,
) -> Result<(), AppError> {
    match cmd {
        PurchasesCommand::List => out.value(&shipping.purchases_to_check()?, |l| list_text(l)),
        PurchasesCommand::Check { attempt_id } => {
            let s = shipping.check_purchase_again(attempt_id).await?;
            out.value(&s, |s| {
                format!(
                    "Recovered label {} for order {}: {}, ${}",
                    s.tracking_number, s.order_number, s.service_name, s.postage
                )
            })
        }
        PurchasesCommand::Discard { attempt_id, yes } => {
            if !yes {
                let purchase = shipping
                    .purchases_to_check()?
                    .into_iter()
                    .find(|p| p.attempt_id == attempt_id);
                confirm_discard(attempt_id, purchase.as_ref())?;
            }
            let outcome = shipping.discard_purchase(attempt_id).await?;
            out.value(&outcome, |o| {
                format!(
                    "Discarded purchase {}: {}. The order can be bought again.",
                    o.attempt_id, o.message
                )
            })
        }
    }
}

/// Asks on the terminal; refuses outright when there is no one to ask.
fn confirm_discard(attempt_id: i64, purchase: Option<&PurchaseToCheck>) -> Result<(), AppError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(AppError::validation(format!(
            "Not discarding purchase {attempt_id} without confirmation: run the command in a \
             terminal to be asked, or add --yes"
        )));
    }
    let what = match purchase {
        Some(p) => format!(
            "the purchase for order {} (attempt {attempt_id})",
            p.order_number
        ),
        None => format!("purchase {attempt_id}"),
    };
    let asked = match purchase {
        Some(p) if p.sends == 0 => "It never reached USPS, so nothing was charged.".to_owned(),
        _ => "USPS is first asked to cancel whatever label it made, so nothing stays charged."
            .to_owned(),
    };
    eprint!("Discard {}? {asked} [y/N] ", printable(&what));
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| AppError::internal("Could not read the answer", &e))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::Cancelled,
            format!("Nothing was discarded; purchase {attempt_id} is still to check"),
        ))
    }
}

fn list_text(list: &[PurchaseToCheck]) -> String {
    if list.is_empty() {
        return "No purchases to check: every label purchase is settled.".into();
    }
    let mut lines = vec![format!(
        "{:>7}  {:<10} {:<16} {:<24} {:<20} {:>5}  {}",
        "ATTEMPT", "ORDER", "ACCOUNT", "SERVICE", "SENT", "TRIES", "USPS LAST SAID"
    )];
    for p in list {
        let sent = p.sent_at.as_deref().unwrap_or("never sent");
        let said = p.last_error.as_deref().unwrap_or("no answer");
        lines.push(format!(
            "{:>7}  {:<10} {:<16} {:<24} {:<20} {:>5}  {}{}",
            p.attempt_id,
            p.order_number,
            p.account_name,
            p.mail_class,
            sent,
            p.sends,
            said,
            if p.in_progress {
                "  (being bought in another window or command)"
            } else {
                ""
            }
        ));
    }
    lines.push(
        "Check one with USPS: `shipdesk purchases check ATTEMPT`; give one up (USPS cancels \
         its label first): `shipdesk purchases discard ATTEMPT`."
            .into(),
    );
    lines.join("\n")
}

/// After buying: a word on purchases still unsettled (left by an earlier run, or by this one
/// when USPS did not answer), so they are not forgotten.
pub fn mention_unsettled(shipping: &ShippingService) {
    match shipping.purchases_to_check() {
        Ok(list) if !list.is_empty() => eprintln!(
            "{} label purchase{} USPS has not settled yet: see `shipdesk purchases list`",
            list.len(),
            if list.len() == 1 { "" } else { "s" }
        ),
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(code = ?e.code, "could not list purchases to check: {}", e.message)
        }
    }
}
