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
    assert_eq!(
        env.search("\"").len(),
        3,
        "an empty search lists everything"
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
