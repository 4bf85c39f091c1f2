//! GetSCANXML: the end-of-day manifest. Gathers the account's eligible pieces — live, not
//! refunded, not already on a form — that share one label date and one origin ZIP, puts them on
//! a new form, and returns its SubmissionID and image; or reprints an earlier form by
//! SubmissionID. `SCANResponse` has no `Status` element.
//!
//! Which pieces: those listed (PicNumbers / TransactionIds / PieceNumbers), else all of the
//! account's. A `SearchZip` attribute or `FromZip` element limits them to that origin ZIP.
//! When the pieces span several dates or ZIPs, one group goes on the form — today's first, then
//! the oldest date, then the lowest ZIP — and the rest wait for another form (the real service's
//! choice is not documented).

use time::macros::format_description;

use crate::auth;
use crate::images;
use crate::pricing;
use crate::state::{Ctx, LabelRecord, ScanRecord};
use crate::wire::{Doc, EwsError, Node, echo, enum_value};

fn listed(req: &Node) -> (Vec<String>, Vec<u64>) {
    let mut pics = Vec::new();
    let mut ids = Vec::new();
    for g in req.children_named("PicNumbers") {
        pics.extend(
            g.children_named("PicNumber")
                .map(|n| n.text.trim().to_owned()),
        );
    }
    for (group, item) in [
        ("TransactionIds", "TransactionId"),
        ("PieceNumbers", "PieceNumber"),
    ] {
        for g in req.children_named(group) {
            ids.extend(
                g.children_named(item)
                    .filter_map(|n| n.text.trim().parse::<u64>().ok()),
            );
        }
    }
    (pics, ids)
}

fn form_spec(record: &ScanRecord, pieces: &[&LabelRecord]) -> ::labels::ScanFormSpec {
    ::labels::ScanFormSpec {
        form_id: record.submission_id.clone(),
        mailer_name: format!("Endicia account {}", record.account_id),
        from_address: vec![format!("ZIP {}", record.from_zip5)],
        date: record.postmark_date.clone(),
        packages: pieces
            .iter()
            .map(|l| ::labels::ScanFormPackage {
                tracking_number: l.tracking_number.clone(),
                service_name: l.mail_service.clone(),
                weight: pricing::weight_text(l.weight_oz),
            })
            .collect(),
    }
}

fn no_shipments() -> EwsError {
    EwsError::new(
        102,
        "Error 102: No shipments added to SCAN form (no eligible pieces).",
    )
}

/// GetSCANXML.
pub fn scan(ctx: &mut Ctx<'_>, req: &Node) -> Result<String, EwsError> {
    req.required("RequesterID")?;
    let id = auth::authenticate(ctx, auth::intermediary(req)?, false)?;
    let params = req.child("GetSCANRequestParameters");
    let attr = |name: &str| params.and_then(|p| p.attr(name));
    // The main service's default format is not documented; PDF is the richest we draw.
    let format = match attr("ImageFormat") {
        None => "PDF",
        Some(f) => enum_value(f, &["PDF", "PNG", "GIF", "JPG", "JPEG"])
            .ok_or_else(|| EwsError::element("ImageFormat"))?,
    };

    if let Some(sub) = attr("SubmissionID") {
        let record = ctx
            .d
            .scan_forms
            .iter()
            .find(|f| f.submission_id == sub && f.account_id == id)
            .cloned()
            .ok_or_else(|| EwsError::new(105, "Error 105: SCAN Form Not Found."))?;
        return Ok(answer(ctx, req, &record, format));
    }

    let zip = attr("SearchZip")
        .or_else(|| params.and_then(|p| p.text_of("FromZip")))
        .map(|z| {
            pricing::zip5(z)
                .map(str::to_owned)
                .ok_or_else(|| EwsError::code(307))
        })
        .transpose()?;
    let (pics, ids) = listed(req);
    let any_listed = !pics.is_empty() || !ids.is_empty();
    let eligible: Vec<&LabelRecord> = ctx
        .d
        .labels
        .iter()
        .filter(|l| l.account_id == id && !l.refunded && l.scan_submission.is_none())
        .filter(|l| {
            !any_listed || pics.contains(&l.tracking_number) || ids.contains(&l.transaction_id)
        })
        .filter(|l| zip.as_ref().is_none_or(|z| &l.from_zip5 == z))
        .collect();
    let today = ctx
        .now
        .format(format_description!("[year][month][day]"))
        .unwrap_or_default();
    let Some(group) = eligible
        .iter()
        .map(|l| {
            (
                l.postmark_date != today,
                l.postmark_date.clone(),
                l.from_zip5.clone(),
            )
        })
        .min()
    else {
        return Err(no_shipments());
    };
    let pieces: Vec<u64> = eligible
        .iter()
        .filter(|l| l.postmark_date == group.1 && l.from_zip5 == group.2)
        .map(|l| l.transaction_id)
        .collect();

    ctx.d.last_submission += 1;
    let record = ScanRecord {
        submission_id: ctx.d.last_submission.to_string(),
        account_id: id.clone(),
        from_zip5: group.2,
        postmark_date: group.1,
        pieces,
        created: ctx.now,
    };
    for l in ctx.d.labels.iter_mut() {
        if l.account_id == id && record.pieces.contains(&l.transaction_id) {
            l.scan_submission = Some(record.submission_id.clone());
        }
    }
    ctx.d.scan_forms.push(record.clone());
    ctx.dirty = true;
    Ok(answer(ctx, req, &record, format))
}

fn answer(ctx: &Ctx<'_>, req: &Node, record: &ScanRecord, format: &str) -> String {
    let pieces: Vec<&LabelRecord> = ctx
        .d
        .labels
        .iter()
        .filter(|l| l.account_id == record.account_id && record.pieces.contains(&l.transaction_id))
        .collect();
    let image = images::scan_form(
        if format == "PDF" { "PDF" } else { "PNG" },
        &form_spec(record, &pieces),
    );
    let mut doc = Doc::new("SCANResponse");
    echo(&mut doc, req);
    doc.leaf("SubmissionID", &record.submission_id)
        .leaf("SCANForm", images::b64(&image));
    doc.finish()
}
