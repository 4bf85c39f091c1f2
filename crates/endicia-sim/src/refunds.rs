//! GetRefundXML: asks for unused labels' postage back. Each piece is judged on its own (a batch
//! is partly approved) and denied when unknown, another account's, older than 10 days, already
//! refunded or on a SCAN form. Approval does not raise the balance at once: the credit is
//! applied when the refund delay (see `Faults::set_refund_delay`) has passed, and only then
//! written to the ledger. `RefundResponse` has no `Status` element.

use time::macros::format_description;

use crate::auth;
use crate::state::{Ctx, RefundRecord};
use crate::wire::{Doc, EwsError, Node, echo, money};

/// Refunds are accepted for 10 days after printing.
pub const REFUND_WINDOW_DAYS: i64 = 10;

/// One item of the request, as the client named it.
enum Ask {
    Pic(String),
    Transaction(u64),
    Piece(u64),
}

fn asks(req: &Node) -> Result<Vec<Ask>, EwsError> {
    let mut out = Vec::new();
    let list = |group: &str, item: &str| -> Vec<String> {
        req.children_named(group)
            .flat_map(|g| g.children_named(item))
            .map(|n| n.text.trim().to_owned())
            .collect::<Vec<_>>()
    };
    for pic in list("PicNumbers", "PicNumber") {
        out.push(Ask::Pic(pic));
    }
    for (group, item, piece) in [
        ("TransactionIds", "TransactionId", false),
        ("PieceNumbers", "PieceNumber", true),
    ] {
        for t in list(group, item) {
            let n = t.parse().unwrap_or(0);
            out.push(if piece {
                Ask::Piece(n)
            } else {
                Ask::Transaction(n)
            });
        }
    }
    if out.is_empty() {
        return Err(EwsError::element("PicNumbers"));
    }
    Ok(out)
}

/// GetRefundXML. How the real service reports a login failure here is unknown; we answer the
/// usual code's message in `ErrorMessage` with no `Refund` items (the dispatcher does).
pub fn refund(ctx: &mut Ctx<'_>, req: &Node) -> Result<String, EwsError> {
    req.required("RequesterID")?;
    let id = auth::authenticate(ctx, auth::intermediary(req)?, false)?;
    let items = asks(req)?;
    let now = ctx.now;
    let due = now + ctx.refund_delay;
    let mut form_id = 0;
    let mut doc = Doc::new("RefundResponse");
    echo(&mut doc, req);
    for ask in items {
        // Transaction IDs and piece numbers are per account (the piece count), so they can only
        // name the caller's own labels; a PIC may name another account's.
        let found = ctx.d.labels.iter().position(|l| match &ask {
            Ask::Pic(p) => &l.tracking_number == p,
            Ask::Transaction(n) | Ask::Piece(n) => l.account_id == id && l.transaction_id == *n,
        });
        let (pic, txn, verdict) = match found {
            None => {
                let (pic, n) = match &ask {
                    Ask::Pic(p) => (p.clone(), 0),
                    Ask::Transaction(n) | Ask::Piece(n) => (String::new(), *n),
                };
                (
                    pic,
                    n,
                    Err("Denied - Not Found: no label with this number on the account."),
                )
            }
            Some(i) => {
                let l = &ctx.d.labels[i];
                let verdict = if l.account_id != id {
                    Err("Denied - Not Found: no label with this number on the account.")
                } else if l.refunded {
                    Err("Denied - Refund already submitted.")
                } else if l.scan_submission.is_some() {
                    Err("Denied - The piece is on a SCAN form.")
                } else if now - l.created > time::Duration::days(REFUND_WINDOW_DAYS) {
                    Err("Denied - Must be within 10 days of printing.")
                } else {
                    Ok(i)
                };
                (l.tracking_number.clone(), l.transaction_id, verdict)
            }
        };
        let (status, message) = match verdict {
            Err(why) => ("DeniedInvalid", why.to_owned()),
            Ok(i) => {
                if form_id == 0 {
                    ctx.d.last_refund_form += 1;
                    form_id = ctx.d.last_refund_form;
                }
                let label = &mut ctx.d.labels[i];
                label.refunded = true;
                let message = format!(
                    "Approved - Electronic refund of {} for {} printed {}; credited after USPS review.",
                    money(label.final_postage),
                    label.mail_service,
                    label
                        .created
                        .format(format_description!("[month]/[day]/[year]"))
                        .unwrap_or_default()
                );
                let record = RefundRecord {
                    account_id: id.clone(),
                    transaction_id: label.transaction_id,
                    tracking_number: label.tracking_number.clone(),
                    amount: label.final_postage,
                    form_id,
                    request_id: req.text_of("RequestID").map(str::to_owned),
                    credit_due: due,
                    credited: false,
                };
                ctx.d.refunds.push(record);
                ctx.dirty = true;
                ("Approved", message)
            }
        };
        doc.open(
            "Refund",
            &[
                ("PicNumber", pic),
                ("TransactionId", txn.to_string()),
                ("PieceNumber", txn.to_string()),
            ],
        )
        .leaf("RefundStatus", status)
        .leaf("RefundStatusMessage", message)
        .close();
    }
    doc.leaf("FormId", form_id);
    // A zero delay credits within this same request.
    if ctx.d.settle_refunds(now) {
        ctx.dirty = true;
    }
    Ok(doc.finish())
}
