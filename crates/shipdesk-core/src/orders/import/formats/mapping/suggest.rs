//! The suggested column mapping for a spreadsheet Shipdesk does not recognise: each of our
//! fields matched to the header that most likely holds it, for the user to review.
//!
//! Headers are compared as words, not as text: case, spacing, punctuation, `snake_case` and
//! `CamelCase` do not matter, `#`, `No.`, `Num` and `Number` are one word, and a unit or a note
//! in parentheses (`Weight (lb)`, `(optional)`) is set aside. A header matches a field only when
//! its words are exactly one of the field's names ([`FIELDS`]), so `Address 2` is never the
//! street, `Ship Date` never the name, and `Option 1 Name` nothing.
//!
//! Address and contact fields may carry whose they are: `Shipping City`, `Ship To Name`,
//! `Recipient Phone`, `First Name (Shipping)`, `Default Address Zip` are the recipient's and win;
//! a plain `City` comes next; `Customer Name` / `Buyer Email` after that. `Billing …` columns are
//! never the ship-to address (only a billing email or phone is taken, when nothing else is).
//! A header that lists alternatives with slashes (`Zip/Postal Code`, `Town/City`) matches when
//! they agree on one field; `City/State/Zip` (one column holding three fields) matches nothing.
//! Among several headers for one field, the more specific name wins (`Address Line 1` over a
//! one-line `Shipping Address`), then whose it is, then the leftmost column.

use std::collections::HashSet;

use super::{ColumnMapping, MappedField};
use crate::orders::import::table::Columns;

/// Whose a contact or address column is, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Whose {
    Recipient,
    Unqualified,
    Customer,
    Billing,
}

/// Words before or after a field's name that say whose it is.
const QUALIFIERS: &[(Whose, &str)] = &[
    (Whose::Recipient, "shipping address"),
    (Whose::Recipient, "shipping"),
    (Whose::Recipient, "ship to address"),
    (Whose::Recipient, "ship to"),
    (Whose::Recipient, "ship"),
    (Whose::Recipient, "delivery address"),
    (Whose::Recipient, "delivery"),
    (Whose::Recipient, "deliver to"),
    (Whose::Recipient, "recipient"),
    (Whose::Recipient, "recipients"),
    (Whose::Recipient, "mailing address"),
    (Whose::Recipient, "mailing"),
    (Whose::Recipient, "destination"),
    (Whose::Recipient, "default address"),
    (Whose::Customer, "customer"),
    (Whose::Customer, "customers"),
    (Whose::Customer, "buyer"),
    (Whose::Customer, "buyers"),
    (Whose::Customer, "purchaser"),
    (Whose::Customer, "client"),
    (Whose::Customer, "contact"),
    (Whose::Billing, "billing address"),
    (Whose::Billing, "billing"),
    (Whose::Billing, "bill to"),
    (Whose::Billing, "bill"),
    (Whose::Billing, "payer"),
];

/// Each field's names, as normalized words (see [`words`]), most specific first. `contact`
/// fields accept the qualifiers of [`QUALIFIERS`]; the others match only their names as listed.
struct FieldNames {
    field: MappedField,
    contact: bool,
    names: &'static [&'static str],
}

const FIELDS: &[FieldNames] = &[
    FieldNames {
        field: MappedField::OrderNumber,
        contact: false,
        names: &[
            "order no",
            "order id",
            "order",
            "order ref",
            "order reference",
            "order code",
            "sales order no",
            "purchase order no",
            "po no",
            "transaction id",
            "invoice no",
            "invoice id",
            "invoice",
            "receipt no",
            "reference no",
            "reference",
            "ref no",
            "ref",
        ],
    },
    FieldNames {
        field: MappedField::OrderedAt,
        contact: false,
        names: &[
            "order date",
            "ordered at",
            "date ordered",
            "order created",
            "order time",
            "purchase date",
            "date purchased",
            "sale date",
            "date of sale",
            "created at",
            "date created",
            "created",
            "timestamp",
            "date",
            "paid at",
        ],
    },
    FieldNames {
        field: MappedField::Status,
        contact: false,
        names: &[
            "order status",
            "fulfillment status",
            "fulfilment status",
            "shipping status",
            "shipment status",
        ],
    },
    FieldNames {
        field: MappedField::Name,
        contact: true,
        names: &[
            "name",
            "full name",
            "recipient",
            "recipient name",
            "ship to",
            "ship to name",
            "addressee",
            "customer",
            "customer name",
            "contact name",
            "contact",
        ],
    },
    FieldNames {
        field: MappedField::FirstName,
        contact: true,
        names: &["first name", "given name", "forename", "first"],
    },
    FieldNames {
        field: MappedField::LastName,
        contact: true,
        names: &["last name", "surname", "family name", "last"],
    },
    FieldNames {
        field: MappedField::Company,
        contact: true,
        names: &[
            "company",
            "company name",
            "business name",
            "business",
            "organization",
            "organisation",
            "organization name",
        ],
    },
    FieldNames {
        field: MappedField::Street1,
        contact: true,
        names: &[
            "address line 1",
            "address 1",
            "street address 1",
            "street line 1",
            "street address",
            "street 1",
            "street and no",
            "street",
            "line 1",
            "address",
        ],
    },
    FieldNames {
        field: MappedField::Street2,
        contact: true,
        names: &[
            "address line 2",
            "address 2",
            "street address 2",
            "street line 2",
            "street 2",
            "line 2",
            "apt suite unit",
            "apartment suite unit",
            "apt suite",
            "apartment suite",
            "apt no",
            "apt",
            "apartment",
            "suite",
            "unit",
        ],
    },
    FieldNames {
        field: MappedField::City,
        contact: true,
        names: &[
            "city",
            "town",
            "town city",
            "city town",
            "locality",
            "suburb",
            "municipality",
        ],
    },
    FieldNames {
        field: MappedField::State,
        contact: true,
        names: &[
            "state",
            "st",
            "state code",
            "province",
            "prov",
            "province code",
            "state province",
            "province state",
            "state province region",
            "state region",
            "region",
            "territory",
        ],
    },
    FieldNames {
        field: MappedField::Zip,
        contact: true,
        names: &[
            "zip",
            "zip code",
            "zip 5",
            "postal code",
            "postal",
            "post code",
            "zip postal code",
            "zip postal",
            "postal zip code",
            "postal zip",
        ],
    },
    FieldNames {
        field: MappedField::Country,
        contact: true,
        names: &[
            "country",
            "country code",
            "country name",
            "country region",
            "nation",
        ],
    },
    FieldNames {
        field: MappedField::Phone,
        contact: true,
        names: &[
            "phone",
            "phone no",
            "telephone",
            "telephone no",
            "tel",
            "tel no",
            "mobile",
            "mobile no",
            "mobile phone",
            "cell",
            "cell phone",
            "cell no",
            "contact no",
            "contact phone",
            "contact phone no",
        ],
    },
    FieldNames {
        field: MappedField::Email,
        contact: true,
        names: &["email", "email address", "contact email"],
    },
    FieldNames {
        field: MappedField::Sku,
        contact: false,
        names: &[
            "sku",
            "item sku",
            "product sku",
            "variant sku",
            "line item sku",
            "sku no",
            "sku code",
            "product code",
            "item code",
            "product id",
            "item id",
            "item no",
            "product no",
            "part no",
            "article no",
            "style no",
        ],
    },
    FieldNames {
        field: MappedField::ItemTitle,
        contact: false,
        names: &[
            "item name",
            "item title",
            "item description",
            "product name",
            "product title",
            "product description",
            "line item name",
            "item",
            "product",
            "line item",
            "items",
            "products",
            "title",
            "description",
            "contents",
            "content",
            "goods",
        ],
    },
    FieldNames {
        field: MappedField::Quantity,
        contact: false,
        names: &[
            "quantity",
            "qty",
            "item quantity",
            "item qty",
            "line item quantity",
            "product quantity",
            "quantity ordered",
            "qty ordered",
            "quantity purchased",
            "quantity to ship",
            "no of items",
            "how many",
            "units",
            "pieces",
            "pcs",
        ],
    },
    FieldNames {
        field: MappedField::UnitPrice,
        contact: false,
        names: &[
            "unit price",
            "item price",
            "item unit price",
            "line item price",
            "product price",
            "price each",
            "price per item",
            "price per unit",
            "unit cost",
            "item cost",
            "sale price",
            "sold for",
            "price",
        ],
    },
    FieldNames {
        field: MappedField::Weight,
        contact: false,
        names: &[
            "item weight",
            "line item weight",
            "product weight",
            "unit weight",
            "weight per item",
            "weight",
            "wt",
            "shipping weight",
            "package weight",
            "parcel weight",
        ],
    },
    FieldNames {
        field: MappedField::Notes,
        contact: false,
        names: &[
            "notes",
            "note",
            "order notes",
            "order note",
            "customer notes",
            "customer note",
            "notes from buyer",
            "buyer notes",
            "buyer note",
            "comments",
            "comment",
            "order comments",
            "delivery instructions",
            "special instructions",
            "instructions",
            "gift message",
            "message",
            "remarks",
        ],
    },
    FieldNames {
        field: MappedField::Tags,
        contact: false,
        names: &["tags", "tag", "order tags"],
    },
];

/// Which qualifiers a contact field accepts: anything of the recipient's, a plain column, the
/// customer's; billing only for how to reach the customer.
fn accepts(field: MappedField, whose: Whose) -> bool {
    match whose {
        Whose::Recipient | Whose::Unqualified | Whose::Customer => true,
        Whose::Billing => matches!(field, MappedField::Email | MappedField::Phone),
    }
}

/// Words written as one that match as two (or more).
const COMPOUNDS: &[(&str, &str)] = &[
    ("zipcode", "zip code"),
    ("postcode", "post code"),
    ("postalcode", "postal code"),
    ("firstname", "first name"),
    ("lastname", "last name"),
    ("fullname", "full name"),
    ("lineitem", "line item"),
    ("shipto", "ship to"),
    ("billto", "bill to"),
    ("phonenumber", "phone no"),
    ("ordernumber", "order no"),
    ("orderno", "order no"),
    ("orderid", "order id"),
    ("emailaddress", "email address"),
    ("streetaddress", "street address"),
    ("companyname", "company name"),
    ("countrycode", "country code"),
    ("unitprice", "unit price"),
    ("itemname", "item name"),
    ("productname", "product name"),
];

const UNITS: &[&str] = &[
    "lb",
    "lbs",
    "oz",
    "ozs",
    "g",
    "gr",
    "kg",
    "kgs",
    "grams",
    "pounds",
    "ounces",
    "kilograms",
];

/// The header's words: `Ship-To ZIPCode #` → `ship to zip code no`. Splits `CamelCase` and
/// letters from digits, reads `#`/`No.`/`Num`/`Number` as `no`, `Addr` as `address`, `E-mail`
/// as `email`, drops `'s`, and fillers (`your`, `optional`, `etc`) and a weight's unit.
fn words(text: &str) -> Vec<String> {
    let text = text.replace("'s", "").replace("’s", "").replace("'S", "");
    let mut spaced = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase() && c.is_uppercase() && next_lower)
                || (prev.is_alphabetic() && c.is_ascii_digit())
                || (prev.is_ascii_digit() && c.is_alphabetic());
            if boundary {
                spaced.push(' ');
            }
        }
        match c {
            '#' => spaced.push_str(" no "),
            '&' => spaced.push_str(" and "),
            c if c.is_alphanumeric() => spaced.extend(c.to_lowercase()),
            _ => spaced.push(' '),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for w in spaced.split_whitespace() {
        let w = match w {
            "number" | "num" | "nbr" | "nr" => "no",
            "addr" => "address",
            w => w,
        };
        if matches!(w, "your" | "optional" | "required" | "etc") {
            continue;
        }
        if w == "mail" && out.last().is_some_and(|p| p == "e") {
            out.pop();
            out.push("email".to_owned());
            continue;
        }
        match COMPOUNDS.iter().find(|(one, _)| *one == w) {
            Some((_, split)) => out.extend(split.split(' ').map(str::to_owned)),
            None => out.push(w.to_owned()),
        }
    }
    let weighs = out.iter().any(|w| w == "weight" || w == "wt");
    while weighs && out.len() > 1 && out.last().is_some_and(|w| UNITS.contains(&w.as_str())) {
        out.pop();
    }
    out
}

/// A header split into what it says: its words, the alternatives its slashes list, and whose it
/// says it is in parentheses (`First Name (Shipping)`).
struct Header {
    phrase: String,
    alternatives: Vec<String>,
    whose: Option<Whose>,
}

fn read_header(raw: &str) -> Header {
    let mut outside = String::new();
    let mut inside = String::new();
    let mut depth = 0u32;
    for c in raw.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                inside.push(' ');
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                outside.push(' ');
            }
            c if depth > 0 => inside.push(c),
            c => outside.push(c),
        }
    }
    let inside = words(&inside);
    let whose = if inside.iter().any(|w| w == "billing") {
        Some(Whose::Billing)
    } else if inside
        .iter()
        .any(|w| matches!(w.as_str(), "shipping" | "delivery" | "recipient"))
    {
        Some(Whose::Recipient)
    } else {
        None
    };
    let alternatives = if outside.contains('/') {
        outside.split('/').map(|a| words(a).join(" ")).collect()
    } else {
        Vec::new()
    };
    Header {
        phrase: words(&outside).join(" "),
        alternatives,
        whose,
    }
}

/// How well a header names a field: lower is better (the name's place in the field's list,
/// then whose it is).
type Rank = (usize, Whose);

/// The fields `phrase` names, each with its rank.
fn phrase_matches(phrase: &str, paren: Option<Whose>) -> Vec<(MappedField, Rank)> {
    if phrase.is_empty() {
        return Vec::new();
    }
    // The phrase as it stands, and without each qualifier it starts or ends with.
    let mut readings = vec![(paren.unwrap_or(Whose::Unqualified), phrase)];
    for (whose, q) in QUALIFIERS {
        let rest = phrase
            .strip_prefix(*q)
            .and_then(|r| r.strip_prefix(' '))
            .or_else(|| phrase.strip_suffix(*q).and_then(|r| r.strip_suffix(' ')));
        if let Some(rest) = rest.filter(|r| !r.is_empty()) {
            readings.push((*whose, rest));
        }
    }
    let mut found: Vec<(MappedField, Rank)> = Vec::new();
    for f in FIELDS {
        let best = readings
            .iter()
            .filter(|(whose, _)| {
                if f.contact {
                    accepts(f.field, *whose)
                } else {
                    // A qualifier in parentheses does not stop `Weight (Shipping)` being a weight.
                    *whose == Whose::Unqualified || Some(*whose) == paren
                }
            })
            .filter_map(|(whose, words)| {
                let at = f.names.iter().position(|n| n == words)?;
                Some((at, *whose))
            })
            .min();
        if let Some(rank) = best {
            found.push((f.field, rank));
        }
    }
    found
}

/// The fields a header names, with their ranks; a header whose slash-separated alternatives
/// name different fields names none.
fn header_matches(raw: &str) -> Vec<(MappedField, Rank)> {
    let h = read_header(raw);
    let whole = phrase_matches(&h.phrase, h.whose);
    if !whole.is_empty() || h.alternatives.is_empty() {
        return whole;
    }
    let mut found: Vec<(MappedField, Rank)> = Vec::new();
    for alternative in &h.alternatives {
        for (field, rank) in phrase_matches(alternative, h.whose) {
            match found.iter_mut().find(|(f, _)| *f == field) {
                Some((_, best)) => *best = (*best).min(rank),
                None => found.push((field, rank)),
            }
        }
    }
    if found.len() > 1 { Vec::new() } else { found }
}

/// The suggested mapping for a file's header row (see the module docs). It may leave fields
/// out; the import dialog shows it for review before anything is imported.
pub(crate) fn suggest_mapping(columns: &Columns) -> ColumnMapping {
    let matches: Vec<Vec<(MappedField, Rank)>> =
        columns.names.iter().map(|h| header_matches(h)).collect();
    let mut taken = HashSet::new();
    let mut mapping = ColumnMapping {
        name: String::new(),
        columns: Default::default(),
        weight_unit: None,
    };
    for f in FIELDS {
        let best = matches
            .iter()
            .enumerate()
            .filter(|(column, _)| !taken.contains(column))
            .filter_map(|(column, found)| {
                found
                    .iter()
                    .find(|(field, _)| *field == f.field)
                    .map(|(_, rank)| (*rank, column))
            })
            .min();
        if let Some((_, column)) = best {
            taken.insert(column);
            mapping
                .columns
                .insert(f.field, columns.names[column].clone());
        }
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;
    use MappedField::*;

    fn suggest(headers: &str) -> Vec<(MappedField, String)> {
        let cols = Columns::new(headers.split(',').map(|h| h.trim().to_owned()).collect());
        suggest_mapping(&cols).columns.into_iter().collect()
    }

    fn expect(headers: &str, expected: &[(MappedField, &str)]) {
        let got = suggest(headers);
        let mut want: Vec<(MappedField, String)> = expected
            .iter()
            .map(|(f, h)| (*f, (*h).to_owned()))
            .collect();
        want.sort();
        assert_eq!(got, want, "headers: {headers}");
    }

    #[test]
    fn words_ignore_case_spacing_punctuation_and_units() {
        let w = |s: &str| words(s).join(" ");
        assert_eq!(w("Ship-To ZIPCode #"), "ship to zip code no");
        assert_eq!(w("shipping_address1"), "shipping address 1");
        assert_eq!(w("ShipToName"), "ship to name");
        assert_eq!(w("  ORDER   No. "), "order no");
        assert_eq!(w("E-mail Address"), "email address");
        assert_eq!(w("Buyer's Email"), "buyer email");
        assert_eq!(w("Addr2"), "address 2");
        assert_eq!(w("weight_kg"), "weight");
        assert_eq!(w("Pounds"), "pounds");
        assert_eq!(w("Your Phone Number"), "phone no");
        assert_eq!(read_header("Weight (lb)").phrase, "weight");
        assert_eq!(
            read_header("Apt / Suite / Unit (optional)").phrase,
            "apt suite unit"
        );
        assert_eq!(
            read_header("First Name (Shipping)").whose,
            Some(Whose::Recipient)
        );
    }

    #[test]
    fn every_usual_short_form_and_synonym_is_known() {
        let cases: &[(&str, MappedField)] = &[
            ("ST", State),
            ("St", State),
            ("st.", State),
            ("Prov", State),
            ("Province", State),
            ("Region", State),
            ("State/Province", State),
            ("State / Province / Region", State),
            ("Zip", Zip),
            ("ZIP Code", Zip),
            ("zip_code", Zip),
            ("ZipCode", Zip),
            ("Postal", Zip),
            ("Postal Code", Zip),
            ("Postcode", Zip),
            ("Post Code", Zip),
            ("Zip/Postal Code", Zip),
            ("Recipient", Name),
            ("Ship To", Name),
            ("Ship To Name", Name),
            ("Customer", Name),
            ("Customer Name", Name),
            ("Full Name", Name),
            ("Name", Name),
            ("Address", Street1),
            ("Address 1", Street1),
            ("Address1", Street1),
            ("Addr 1", Street1),
            ("Street", Street1),
            ("Street Address", Street1),
            ("Address Line 1", Street1),
            ("Address 2", Street2),
            ("Addr 2", Street2),
            ("Apt", Street2),
            ("Suite", Street2),
            ("Unit", Street2),
            ("Apt/Suite", Street2),
            ("City", City),
            ("Town", City),
            ("Town/City", City),
            ("Country", Country),
            ("Country Code", Country),
            ("Country/Region", Country),
            ("Phone", Phone),
            ("Tel", Phone),
            ("Telephone", Phone),
            ("Mobile", Phone),
            ("Phone #", Phone),
            ("Email", Email),
            ("E-mail", Email),
            ("Email Address", Email),
            ("Order", OrderNumber),
            ("Order #", OrderNumber),
            ("Order No", OrderNumber),
            ("Order No.", OrderNumber),
            ("Order Number", OrderNumber),
            ("order_number", OrderNumber),
            ("Order ID", OrderNumber),
            ("Ref", OrderNumber),
            ("Reference", OrderNumber),
            ("SKU", Sku),
            ("Item SKU", Sku),
            ("Item", ItemTitle),
            ("Product Name", ItemTitle),
            ("Description", ItemTitle),
            ("Qty", Quantity),
            ("Quantity", Quantity),
            ("Price", UnitPrice),
            ("Unit Price", UnitPrice),
            ("Weight", Weight),
            ("Weight (oz)", Weight),
            ("weight_lbs", Weight),
            ("Notes", Notes),
            ("Tags", Tags),
            ("First Name", FirstName),
            ("Last Name", LastName),
            ("Surname", LastName),
            ("Company", Company),
            ("Business Name", Company),
            ("Order Date", OrderedAt),
        ];
        for (header, field) in cases {
            let found: Vec<MappedField> = header_matches(header).into_iter().map(|m| m.0).collect();
            assert_eq!(found, [*field], "{header}");
        }
    }

    #[test]
    fn near_misses_match_nothing() {
        for header in [
            "Ship Date",
            "Shipping",
            "Shipping Method",
            "Shipping Cost",
            "Billing Name",
            "Billing Address 1",
            "Billing City",
            "Option 1 Name",
            "Username",
            "Buyer Username",
            "Address Status",
            "Address Type",
            "Tracking Number",
            "Order Total",
            "Name Prefix",
            "City, State ZIP",
            "City/State/Zip",
            "Pounds",
            "Status",
            "Payment Status",
            "Customer ID",
            "Gross",
            "Accepts Email Marketing",
            "Zip+4",
        ] {
            assert_eq!(header_matches(header), [], "{header}");
        }
    }

    #[test]
    fn the_recipients_column_wins_over_the_customers_and_billing_never_ships() {
        expect(
            "Customer Name,Billing Name,Shipping Name,Billing Address1,Address,Shipping Address1,\
             Billing Phone,Phone,Buyer Email,Billing Email",
            &[
                (Name, "Shipping Name"),
                (Street1, "Shipping Address1"),
                (Phone, "Phone"),
                (Email, "Buyer Email"),
            ],
        );
        // Only a billing email: better than none.
        expect(
            "Name,Billing Email",
            &[(Name, "Name"), (Email, "Billing Email")],
        );
    }

    /// Header rows as real sheets and exports have them, and what each field should map to.
    #[test]
    fn real_world_header_sets() {
        // A plain address list typed in a spreadsheet.
        expect(
            "Name,Address,City,ST,Zip",
            &[
                (Name, "Name"),
                (Street1, "Address"),
                (City, "City"),
                (State, "ST"),
                (Zip, "Zip"),
            ],
        );
        // A mail-merge list (labels for a holiday mailing).
        expect(
            "First Name,Last Name,Company,Address 1,Address 2,City,State,Zip Code,Country,Phone,Email",
            &[
                (FirstName, "First Name"),
                (LastName, "Last Name"),
                (Company, "Company"),
                (Street1, "Address 1"),
                (Street2, "Address 2"),
                (City, "City"),
                (State, "State"),
                (Zip, "Zip Code"),
                (Country, "Country"),
                (Phone, "Phone"),
                (Email, "Email"),
            ],
        );
        // A Google Forms order form's responses sheet.
        expect(
            "Timestamp,Email Address,Your Name,Street Address,Apt / Suite / Unit (optional),City,\
             State / Province,ZIP / Postal Code,Country,Phone Number,What would you like to order?,\
             How many?",
            &[
                (OrderedAt, "Timestamp"),
                (Email, "Email Address"),
                (Name, "Your Name"),
                (Street1, "Street Address"),
                (Street2, "Apt / Suite / Unit (optional)"),
                (City, "City"),
                (State, "State / Province"),
                (Zip, "ZIP / Postal Code"),
                (Country, "Country"),
                (Phone, "Phone Number"),
                (Quantity, "How many?"),
            ],
        );
        // PayPal's activity download (a one-line "Shipping Address" and its parts).
        expect(
            "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,From Email Address,\
             To Email Address,Transaction ID,Shipping Address,Address Status,Item Title,Item ID,\
             Shipping and Handling Amount,Insurance Amount,Sales Tax,Option 1 Name,Option 1 Value,\
             Reference Txn ID,Invoice Number,Custom Number,Quantity,Receipt ID,Balance,\
             Address Line 1,Address Line 2/District/Neighborhood,Town/City,\
             State/Province/Region/County/Territory/Prefecture/Republic,Zip/Postal Code,Country,\
             Contact Phone Number,Subject,Note,Country Code,Balance Impact",
            &[
                (OrderNumber, "Transaction ID"),
                (OrderedAt, "Date"),
                (Name, "Name"),
                (Street1, "Address Line 1"),
                (Street2, "Address Line 2/District/Neighborhood"),
                (City, "Town/City"),
                (
                    State,
                    "State/Province/Region/County/Territory/Prefecture/Republic",
                ),
                (Zip, "Zip/Postal Code"),
                (Country, "Country"),
                (Phone, "Contact Phone Number"),
                (Sku, "Item ID"),
                (ItemTitle, "Item Title"),
                (Quantity, "Quantity"),
                (Notes, "Note"),
            ],
        );
        // A Squarespace-style orders export (billing and shipping columns side by side).
        expect(
            "Order ID,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,\
             Subtotal,Shipping,Discount Code,Discount Amount,Shipping Method,Taxes,Amount Refunded,\
             Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,\
             Lineitem variant,Lineitem requires shipping,Lineitem weight,Billing Name,\
             Billing Address1,Billing Address2,Billing City,Billing Zip,Billing Province,\
             Billing Country,Billing Phone,Shipping Name,Shipping Address1,Shipping Address2,\
             Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,\
             Cancelled at,Private Notes,Payment Method,Payment Reference,Channel",
            &[
                (OrderNumber, "Order ID"),
                (OrderedAt, "Created at"),
                (Status, "Fulfillment Status"),
                (Name, "Shipping Name"),
                (Street1, "Shipping Address1"),
                (Street2, "Shipping Address2"),
                (City, "Shipping City"),
                (State, "Shipping Province"),
                (Zip, "Shipping Zip"),
                (Country, "Shipping Country"),
                (Phone, "Shipping Phone"),
                (Email, "Email"),
                (Sku, "Lineitem sku"),
                (ItemTitle, "Lineitem name"),
                (Quantity, "Lineitem quantity"),
                (UnitPrice, "Lineitem price"),
                (Weight, "Lineitem weight"),
            ],
        );
        // A Wix-style orders export ("Delivery …" is the ship-to side).
        expect(
            "Order #,Date Created,Time,Billing Customer,Billing Company Name,Billing Country,\
             Billing State,Billing City,Billing Address,Billing Zip Code,Billing Phone,\
             Delivery Customer,Delivery Company Name,Delivery Country,Delivery State,Delivery City,\
             Delivery Address,Delivery Zip Code,Delivery Phone,Delivery Method,Item,Variant,SKU,\
             Qty,Price,Weight,Order Total,Payment Method,Payment Status,Fulfillment Status,\
             Buyer's Email,Notes to Seller",
            &[
                (OrderNumber, "Order #"),
                (OrderedAt, "Date Created"),
                (Status, "Fulfillment Status"),
                (Name, "Delivery Customer"),
                (Company, "Delivery Company Name"),
                (Street1, "Delivery Address"),
                (City, "Delivery City"),
                (State, "Delivery State"),
                (Zip, "Delivery Zip Code"),
                (Country, "Delivery Country"),
                (Phone, "Delivery Phone"),
                (Email, "Buyer's Email"),
                (Sku, "SKU"),
                (ItemTitle, "Item"),
                (Quantity, "Qty"),
                (UnitPrice, "Price"),
                (Weight, "Weight"),
            ],
        );
        // A Pirate Ship-style spreadsheet upload.
        expect(
            "Name,Company,Address,Address Line 2,City,State,Zipcode,Country,Email,Phone,Order ID,\
             Rubber Stamp 1,Rubber Stamp 2,Pounds,Ounces,Length,Width,Height,Description",
            &[
                (Name, "Name"),
                (Company, "Company"),
                (Street1, "Address"),
                (Street2, "Address Line 2"),
                (City, "City"),
                (State, "State"),
                (Zip, "Zipcode"),
                (Country, "Country"),
                (Email, "Email"),
                (Phone, "Phone"),
                (OrderNumber, "Order ID"),
                (ItemTitle, "Description"),
            ],
        );
        // A ShipStation-style orders CSV (buyer and recipient columns side by side).
        expect(
            "Order #,Order Date,Order Total,Amount Paid,Tax,Shipping Paid,Shipping Service,\
             Height(in),Length(in),Width(in),Weight(oz),Custom Field 1,Order Source,\
             Notes from Buyer,Internal Notes,Gift Message,Buyer Full Name,Buyer Email,Buyer Phone,\
             Buyer Username,Recipient Full Name,Recipient Company,Recipient Phone,Address Line 1,\
             Address Line 2,Address Line 3,City,State,Postal Code,Country Code,Item SKU,Item Name,\
             Item Quantity,Item Unit Price,Item Weight(oz)",
            &[
                (OrderNumber, "Order #"),
                (OrderedAt, "Order Date"),
                (Name, "Recipient Full Name"),
                (Company, "Recipient Company"),
                (Street1, "Address Line 1"),
                (Street2, "Address Line 2"),
                (City, "City"),
                (State, "State"),
                (Zip, "Postal Code"),
                (Country, "Country Code"),
                (Phone, "Recipient Phone"),
                (Email, "Buyer Email"),
                (Sku, "Item SKU"),
                (ItemTitle, "Item Name"),
                (Quantity, "Item Quantity"),
                (UnitPrice, "Item Unit Price"),
                (Weight, "Item Weight(oz)"),
                (Notes, "Notes from Buyer"),
            ],
        );
        // Shopify's customers export: an address list with "Default Address" columns.
        expect(
            "First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,\
             Default Address Address1,Default Address Address2,Default Address City,\
             Default Address Province Code,Default Address Country Code,Default Address Zip,\
             Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,\
             Tax Exempt,Tags",
            &[
                (FirstName, "First Name"),
                (LastName, "Last Name"),
                (Email, "Email"),
                (Company, "Default Address Company"),
                (Street1, "Default Address Address1"),
                (Street2, "Default Address Address2"),
                (City, "Default Address City"),
                (State, "Default Address Province Code"),
                (Country, "Default Address Country Code"),
                (Zip, "Default Address Zip"),
                (Phone, "Default Address Phone"),
                (Notes, "Note"),
                (Tags, "Tags"),
            ],
        );
        // An export in snake_case, with the recipient in a suffix.
        expect(
            "order_no,first_name_shipping,last_name_shipping,address_1_shipping,\
             address_2_shipping,city_shipping,state_shipping,postcode_shipping,country_shipping,\
             product_name,qty,item_price,weight_lb",
            &[
                (OrderNumber, "order_no"),
                (FirstName, "first_name_shipping"),
                (LastName, "last_name_shipping"),
                (Street1, "address_1_shipping"),
                (Street2, "address_2_shipping"),
                (City, "city_shipping"),
                (State, "state_shipping"),
                (Zip, "postcode_shipping"),
                (Country, "country_shipping"),
                (ItemTitle, "product_name"),
                (Quantity, "qty"),
                (UnitPrice, "item_price"),
                (Weight, "weight_lb"),
            ],
        );
    }
}
