//! CalculatePostageRateXML and CalculatePostageRatesXML: the label price without buying, from
//! the same pricing function. Unlike a label, a rate call prices only the services asked for
//! (no default Delivery Confirmation), so quote and label agree only when the same services
//! are sent — as the guide warns.

use crate::auth;
use crate::labels::check_shape;
use crate::pricing::{self, DOMESTIC, MailClass, Quote, Services};
use crate::state::Ctx;
use crate::wire::{Doc, EwsError, Node, echo, flag_or, money};

struct Common {
    zone: u8,
    services: Services,
}

fn common(ctx: &mut Ctx<'_>, req: &Node) -> Result<Common, EwsError> {
    req.required("RequesterID")?;
    auth::authenticate(ctx, auth::intermediary(req)?, false)?;
    req.required("MailClass")?;
    check_shape(req)?;
    let from = pricing::zip5(req.required("FromPostalCode")?).ok_or_else(|| EwsError::code(307))?;
    let to = pricing::zip5(req.required("ToPostalCode")?).ok_or_else(|| EwsError::code(308))?;
    Ok(Common {
        zone: pricing::zone(from, to).unwrap_or(1),
        services: Services::parse(req)?,
    })
}

fn price(
    req: &Node,
    class: MailClass,
    c: &Common,
    pricing: Option<&str>,
) -> Result<Quote, EwsError> {
    let weight = pricing::weight(req, Some(class))?;
    let insured = req
        .text_of("InsuredValue")
        .and_then(crate::wire::parse_decimal);
    pricing::quote(class, weight, c.zone, pricing, &c.services, insured)
}

/// CalculatePostageRateXML: one mail class. `Postage {MailService, Rate}` unless
/// `ResponseOptions@PostagePrice` asks for the itemised `PostagePrice`.
pub fn single(ctx: &mut Ctx<'_>, req: &Node) -> Result<String, EwsError> {
    let c = common(ctx, req)?;
    let class = MailClass::parse(req.required("MailClass")?)?;
    let quote = price(req, class, &c, req.text_of("Pricing"))?;
    let itemised = flag_or(
        req.child("ResponseOptions")
            .and_then(|o| o.attr("PostagePrice")),
        false,
        "ResponseOptions",
    )?;
    let mut doc = Doc::new("PostageRateResponse");
    doc.leaf("Status", 0);
    echo(&mut doc, req);
    doc.leaf("Zone", c.zone);
    if itemised {
        quote.write(&mut doc);
    } else {
        doc.open("Postage", &[])
            .leaf("MailService", class.service())
            .leaf("Rate", money(quote.total()))
            .close();
    }
    Ok(doc.finish())
}

/// CalculatePostageRatesXML: `MailClass` is `Domestic` (every domestic class that takes a piece
/// of this weight, one `PostagePrice` each). `International` is answered 404: the simulator
/// has no international rates.
pub fn multiple(ctx: &mut Ctx<'_>, req: &Node) -> Result<String, EwsError> {
    let c = common(ctx, req)?;
    let group = req.required("MailClass")?;
    if group.eq_ignore_ascii_case("International") {
        return Err(EwsError::new(
            404,
            "International rates are not supported by the simulator.",
        ));
    }
    if !group.eq_ignore_ascii_case("Domestic") {
        return Err(EwsError::code(405));
    }
    // The weight must be valid for parcels at all; then classes whose maximum it exceeds are
    // left out rather than failing the whole list.
    pricing::weight(req, None)?;
    let quotes: Vec<Quote> = DOMESTIC
        .iter()
        .filter_map(|&class| price(req, class, &c, None).ok())
        .collect();
    let mut doc = Doc::new("PostageRatesResponse");
    doc.leaf("Status", 0);
    echo(&mut doc, req);
    for q in &quotes {
        q.write(&mut doc);
    }
    Ok(doc.finish())
}
