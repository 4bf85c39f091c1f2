//! OrdersService after the import: manual entry and editing, the list (filters, sorting, paging,
//! archive, tags) and search.

use super::service_tests::{Env, GENERIC_HEADER, fixtures, generic_env};
use super::*;
use crate::error::ErrorCode;

#[test]
fn manual_orders_validate_and_conflict() {
    let env = Env::new();
    let svc = env.svc();
    let input = OrderInput {
        order_number: "M-1".into(),
        status: None,
        ship_to: Address {
            name: "Lena Ford".into(),
            street1: "8 Harbor Way".into(),
            city: "Seattle".into(),
            state: "wa".into(),
            zip5: "981011234".into(),
            ..Default::default()
        },
        items: vec![LineItem {
            sku: Some("BK-9".into()),
            title: "Atlas".into(),
            quantity: 1,
            unit_price: Some("19.99".parse().unwrap()),
            weight_oz: Some("40".parse().unwrap()),
            hs_tariff: None,
            origin_country: None,
            currency: None,
        }],
        tags: vec!["rush".into()],
        notes: None,
    };
    let o = svc.create(input.clone()).unwrap();
    assert_eq!(
        (o.ship_to.state.as_str(), o.ship_to.zip4.as_deref()),
        ("WA", Some("1234"))
    );
    assert_eq!(o.status, OrderStatus::AwaitingShipment);
    assert_eq!(
        svc.create(input.clone()).unwrap_err().code,
        ErrorCode::Conflict
    );
    let mut bad = input.clone();
    bad.ship_to.zip5 = "9810".into();
    let e = svc.update(o.id, bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    let Some(crate::ErrorDetails::OrderProblems { problems }) = e.details.as_deref() else {
        panic!("order problems expected");
    };
    assert_eq!(problems[0].field, "ship_to.zip");
    let mut edit = input;
    edit.tags = vec!["gift".into()];
    edit.ship_to.street2 = Some("Apt 4".into());
    let saved = svc.update(o.id, edit).unwrap();
    assert_eq!(saved.tags, ["gift"]);
    assert_eq!(env.search("apt"), ["M-1"]);
    assert_eq!(svc.get(999).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn list_filters_sorts_pages_archives_and_tags() {
    let env = generic_env();
    let mut text = String::from(GENERIC_HEADER);
    let names = ["Zed Ames", "Amy Cole", "Bob Diaz", "Cat Ruiz", "Dan Wu"];
    for (i, n) in names.iter().enumerate() {
        text.push_str(&format!(
            "\nL-{i},{n},{i} Main St,,Austin,TX,78701,1,Widget {i}"
        ));
    }
    env.import(&env.write("l.csv", text), Some("Generic sheet"))
        .unwrap();
    let svc = env.svc();
    let by_name = svc
        .list(&OrderQuery {
            sort: Some(OrderSort::Name),
            limit: Some(2),
            offset: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_name.total, 5);
    let got: Vec<&str> = by_name
        .orders
        .iter()
        .map(|o| o.ship_to.name.as_str())
        .collect();
    assert_eq!(got, ["Bob Diaz", "Cat Ruiz"]);
    let desc = svc
        .list(&OrderQuery {
            descending: Some(true),
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(desc.orders[0].order_number, "L-4");

    let ids: Vec<i64> = ["L-0", "L-1"]
        .iter()
        .map(|n| svc.get_by_number(n).unwrap().id)
        .collect();
    assert_eq!(svc.archive(&ids, true).unwrap(), 2);
    assert_eq!(svc.archive(&ids, true).unwrap(), 0);
    assert_eq!(env.svc().list(&OrderQuery::default()).unwrap().total, 3);
    let archived = OrderQuery {
        archived: Some(ArchivedFilter::Archived),
        ..Default::default()
    };
    assert_eq!(svc.list(&archived).unwrap().total, 2);
    assert!(
        env.search("zed").is_empty(),
        "archived orders are hidden from search too"
    );
    assert_eq!(
        svc.archive(&[ids[0], 424242], false).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        svc.list(&archived).unwrap().total,
        2,
        "nothing changed on error"
    );

    let l3 = svc.get_by_number("L-3").unwrap().id;
    let l4 = svc.get_by_number("L-4").unwrap().id;
    svc.set_tags(&[l3, l4], &["Priority".into(), "gift".into()], &[])
        .unwrap();
    svc.set_tags(&[l4], &[], &["gift".into()]).unwrap();
    let tagged = |t: &str| {
        svc.list(&OrderQuery {
            tag: Some(t.into()),
            ..Default::default()
        })
        .unwrap()
        .orders
        .into_iter()
        .map(|o| o.order_number)
        .collect::<Vec<_>>()
    };
    assert_eq!(tagged("priority"), ["L-3", "L-4"]);
    assert_eq!(tagged("gift"), ["L-3"]);
    assert_eq!(svc.tags().unwrap(), ["gift", "Priority"]);
    let status = OrderQuery {
        status: Some(OrderStatus::Shipped),
        ..Default::default()
    };
    assert_eq!(svc.list(&status).unwrap().total, 0);
}

#[test]
fn search_covers_number_name_address_sku_and_title() {
    let Some(dir) = fixtures() else { return };
    let env = Env::new();
    env.import(&dir.join("shopify_sample.csv"), None).unwrap();
    assert_eq!(env.search("rita"), ["#2001"]);
    assert_eq!(env.search("2002"), ["#2002"]);
    assert_eq!(env.search("congress aus"), ["#2001"]);
    assert_eq!(env.search("LB-1"), ["#2001"]);
    assert_eq!(env.search("bath"), ["#2001"]);
    assert_eq!(env.search("acme"), ["#2003"]);
    assert_eq!(env.search("bost"), ["#2002"]);
    assert!(env.search("nothing-like-this").is_empty());
    assert_eq!(env.search("  ").len(), 3, "a blank search lists everything");
    assert!(
        env.search("\"").is_empty(),
        "a search with nothing to look for lists nothing"
    );
}

/// Five orders with the names, punctuation and scripts the hostile searches below aim at.
fn hostile_search_fixture(env: &Env) {
    let orders = [
        (
            "#1001",
            "Seán O'Brien",
            None,
            "12 Elm St",
            "Boston",
            "MA",
            "02110",
            "MUG-1",
            "The \"Quoted\" Mug",
        ),
        (
            "#1002",
            "Jürgen Müller",
            Some("Müller & Söhne"),
            "5 Oak Ave",
            "Austin",
            "TX",
            "78701",
            "NF-5",
            "Near Field Tag",
        ),
        (
            "#1003",
            "José Núñez",
            None,
            "77 Pine Rd",
            "Denver",
            "CO",
            "80202",
            "TEA-3",
            "東京 Green Tea",
        ),
        (
            "#2001",
            "Xavier Ortiz",
            None,
            "9 Lake Dr",
            "Austin",
            "TX",
            "78702",
            "HAT-9",
            "Wool Hat",
        ),
        (
            "A-77",
            "Ann Lee",
            None,
            "1 Main St",
            "Seattle",
            "WA",
            "98101",
            "BOX-1",
            "Plain Box",
        ),
    ];
    for (number, name, company, street1, city, state, zip5, sku, title) in orders {
        env.svc()
            .create(OrderInput {
                order_number: number.into(),
                status: None,
                ship_to: Address {
                    name: name.into(),
                    company: company.map(Into::into),
                    street1: street1.into(),
                    city: city.into(),
                    state: state.into(),
                    zip5: zip5.into(),
                    ..Default::default()
                },
                items: vec![LineItem {
                    sku: Some(sku.into()),
                    title: title.into(),
                    quantity: 1,
                    unit_price: None,
                    weight_oz: None,
                    hs_tariff: None,
                    origin_country: None,
                    currency: None,
                }],
                tags: vec![],
                notes: None,
            })
            .unwrap();
    }
}

/// Whatever is typed, search reads it as text: FTS5 operators, column filters, quotes and
/// prefixes never act as syntax (an injected `OR`, `NOT`, `NEAR` or `name:` would change these
/// results, a syntax error would fail the list), and a search without a letter or number
/// matches nothing and says so instead of listing every order.
#[test]
fn hostile_searches_are_text_and_punctuation_alone_matches_nothing() {
    let env = Env::new();
    hostile_search_fixture(&env);
    const NOTHING_TO_SEARCH: Option<&[&str]> = None;
    let none: &[&str] = &[];
    let austin: &[&str] = &["#1002", "#2001"];
    let long_and = "austin ".repeat(1000);
    let long_word = "x".repeat(100_000);
    let cases: Vec<(&str, Option<&[&str]>)> = vec![
        // Apostrophes, hashes and hyphens are word breaks in the text and in the search alike.
        ("O'Brien", Some(&["#1001"])),
        ("o'brien", Some(&["#1001"])),
        ("brien", Some(&["#1001"])),
        ("#1001", Some(&["#1001"])),
        ("1001", Some(&["#1001"])),
        ("#10", Some(&["#1001", "#1002", "#1003"])),
        ("MUG-1", Some(&["#1001"])),
        ("a-77", Some(&["A-77"])),
        // Quotes: text to find, not phrase syntax; alone, nothing to find.
        ("\"quoted\"", Some(&["#1001"])),
        ("\"quoted mug\"", Some(&["#1001"])),
        ("\"", NOTHING_TO_SEARCH),
        ("\"\"", NOTHING_TO_SEARCH),
        // Column filters.
        ("name:x", Some(none)),
        ("{name}:x", Some(none)),
        ("name : xavier", Some(none)),
        // Boolean and proximity operators are words like any other.
        ("austin OR boston", Some(none)),
        ("austin AND oak", Some(none)),
        ("austin NOT müller", Some(none)),
        ("NOT", Some(none)),
        ("OR", Some(&["#2001"])), // Ortiz
        ("NEAR(müller austin)", Some(none)),
        ("near", Some(&["#1002"])),
        // Prefix, initial-token, negation and plus marks.
        ("jose*", Some(&["#1003"])),
        ("^jose", Some(&["#1003"])),
        ("-x", Some(&["#2001"])),
        ("+austin", Some(austin)),
        ("' OR 1=1 --", Some(none)),
        // Punctuation, symbols and emoji alone.
        ("*", NOTHING_TO_SEARCH),
        ("-", NOTHING_TO_SEARCH),
        ("(", NOTHING_TO_SEARCH),
        (")", NOTHING_TO_SEARCH),
        ("()", NOTHING_TO_SEARCH),
        ("#", NOTHING_TO_SEARCH),
        ("^", NOTHING_TO_SEARCH),
        (":", NOTHING_TO_SEARCH),
        ("+", NOTHING_TO_SEARCH),
        ("%", NOTHING_TO_SEARCH),
        ("_", NOTHING_TO_SEARCH),
        ("\\", NOTHING_TO_SEARCH),
        ("—", NOTHING_TO_SEARCH),
        ("🙂", NOTHING_TO_SEARCH),
        ("* - ( \" # — 🙂", NOTHING_TO_SEARCH),
        ("\u{0}", NOTHING_TO_SEARCH),
        ("🙂 austin", Some(austin)),
        // Letters beyond ASCII, with and without their accents, in any case.
        ("Müller", Some(&["#1002"])),
        ("muller", Some(&["#1002"])),
        ("MÜLLER", Some(&["#1002"])),
        ("söhne", Some(&["#1002"])),
        ("José", Some(&["#1003"])),
        ("jose", Some(&["#1003"])),
        ("núñez", Some(&["#1003"])),
        ("nunez", Some(&["#1003"])),
        ("東京", Some(&["#1003"])),
        ("東", Some(&["#1003"])),
        // Control characters and other whitespace.
        ("jose\tnunez\n", Some(&["#1003"])),
        ("\u{1b}]0;pwned\u{7}", Some(none)),
        // Sizes far beyond anything typed.
        (&long_and, Some(austin)),
        (&long_word, Some(none)),
    ];
    assert!(cases.len() >= 25);
    for (query, expected) in cases {
        let page = env
            .svc()
            .list(&OrderQuery {
                search: Some(query.into()),
                ..Default::default()
            })
            .unwrap_or_else(|e| panic!("search {query:?} failed: {e:?}"));
        let mut got: Vec<String> = page.orders.into_iter().map(|o| o.order_number).collect();
        got.sort();
        let shown: String = query.chars().take(40).collect();
        match expected {
            None => {
                assert!(page.nothing_to_search, "{shown:?} has nothing to search");
                assert_eq!((got.len(), page.total), (0, 0), "{shown:?} matches nothing");
            }
            Some(numbers) => {
                assert!(!page.nothing_to_search, "{shown:?} has words to search");
                assert_eq!(got, numbers, "search {shown:?}");
                assert_eq!(page.total as usize, numbers.len(), "count for {shown:?}");
            }
        }
    }
    let blank = env
        .svc()
        .list(&OrderQuery {
            search: Some(" \t ".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (blank.total, blank.nothing_to_search),
        (5, false),
        "a blank search is no search"
    );
}

#[test]
fn broad_and_narrow_searches_page_the_same_way() {
    // More matches than the store sorts directly, so both query shapes are exercised.
    let env = generic_env();
    let mut text = String::from(GENERIC_HEADER);
    for i in 0..5200 {
        let name = if i % 1000 == 7 {
            "Zora Quill"
        } else {
            "Ann Lee"
        };
        text.push_str(&format!(
            "\nN-{i:05},{name},{i} Main St,,Austin,TX,78701,1,Mug"
        ));
    }
    env.import(&env.write("many.csv", text), Some("Generic sheet"))
        .unwrap();
    let svc = env.svc();
    let page = |search: &str, offset: u32, desc: bool| {
        svc.list(&OrderQuery {
            search: Some(search.into()),
            offset: Some(offset),
            limit: Some(3),
            descending: Some(desc),
            ..Default::default()
        })
        .unwrap()
    };
    let broad = page("ann main", 10, false);
    assert_eq!(broad.total, 5194);
    let numbers: Vec<&str> = broad
        .orders
        .iter()
        .map(|o| o.order_number.as_str())
        .collect();
    assert_eq!(numbers, ["N-00011", "N-00012", "N-00013"]);
    let last = page("ann", 0, true);
    assert_eq!(last.orders[0].order_number, "N-05199");
    let narrow = page("zora", 1, false);
    assert_eq!(narrow.total, 6);
    let numbers: Vec<&str> = narrow
        .orders
        .iter()
        .map(|o| o.order_number.as_str())
        .collect();
    assert_eq!(numbers, ["N-01007", "N-02007", "N-03007"]);
    assert_eq!(narrow.orders[0].items.len(), 1);
    // With a filter on top of the search, in both shapes.
    let id = svc.get_by_number("N-00011").unwrap().id;
    svc.archive(&[id], true).unwrap();
    assert_eq!(
        page("ann main", 10, false).orders[0].order_number,
        "N-00012"
    );
    assert_eq!(page("ann", 0, false).total, 5193);
}

#[test]
fn order_numbers_sort_the_way_people_count() {
    let env = generic_env();
    let mut text = String::from(GENERIC_HEADER);
    for n in ["#1000", "#999", "#10", "#1001"] {
        text.push_str(&format!("\n{n},Ann Lee,1 Main St,,Austin,TX,78701,1,Mug"));
    }
    env.import(&env.write("n.csv", text), Some("Generic sheet"))
        .unwrap();
    let sorted = |descending| {
        env.svc()
            .list(&OrderQuery {
                descending: Some(descending),
                ..Default::default()
            })
            .unwrap()
            .orders
            .into_iter()
            .map(|o| o.order_number)
            .collect::<Vec<_>>()
    };
    assert_eq!(sorted(false), ["#10", "#999", "#1000", "#1001"]);
    assert_eq!(sorted(true), ["#1001", "#1000", "#999", "#10"]);
}
