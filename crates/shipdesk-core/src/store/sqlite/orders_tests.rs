//! The SQLite order store through its traits: transactions, search after a replace, reads
//! while a write is open.

use std::sync::Arc;
use std::sync::mpsc::channel;

use super::*;
use crate::paths::DataDir;

const NOW: &str = "2026-11-20T12:00:00Z";

fn order(number: &str, name: &str) -> OrderData {
    OrderData {
        order_number: number.into(),
        source: OrderSource {
            kind: SourceKind::Shopify,
            source_id: None,
        },
        status: OrderStatus::AwaitingShipment,
        ship_to: Address {
            name: name.into(),
            street1: "8 Harbor Way".into(),
            city: "Seattle".into(),
            state: "WA".into(),
            zip5: "98101".into(),
            country: "US".into(),
            ..Default::default()
        },
        items: vec![LineItem {
            sku: Some("BK-9".into()),
            title: "Atlas".into(),
            quantity: 1,
            unit_price: None,
            weight_oz: None,
            hs_tariff: None,
            origin_country: None,
            currency: None,
        }],
        tags: vec!["rush".into()],
        notes: None,
        ordered_at: None,
    }
}

fn search(orders: &dyn OrderStore, text: &str) -> u32 {
    let q = OrderQuery {
        search: Some(text.into()),
        archived: Some(ArchivedFilter::All),
        ..Default::default()
    };
    orders.list(&q).unwrap().total
}

#[test]
fn search_text_becomes_a_safe_prefix_query() {
    let terms = |q: &str| SearchText::Terms(q.to_owned());
    assert_eq!(SearchText::read("rita aus"), terms("\"rita\"* \"aus\"*"));
    assert_eq!(SearchText::read("#2001"), terms("\"#2001\"*"));
    assert_eq!(
        SearchText::read("a\"b OR name:x"),
        terms("\"a\"\"b\"* \"OR\"* \"name:x\"*")
    );
    assert_eq!(
        SearchText::read("  # \" — 🙂 "),
        SearchText::NothingToSearch
    );
    assert_eq!(SearchText::read(" \t\n"), SearchText::Blank);
    assert_eq!(SearchText::read(""), SearchText::Blank);
}

/// What an import relies on: a failure after some orders were written leaves none of them,
/// in the table, the search index or the tags, and a later transaction starts clean.
#[test]
fn a_failed_transaction_leaves_nothing_behind() {
    let store = Store::open_in_memory().unwrap();
    let orders: &dyn OrderStore = &store;
    let mut written = Vec::new();
    let err = orders
        .write(NOW, |tx| {
            written.push(tx.insert(&order("#1001", "Rita Gomez"), Some("f1"))?);
            written.push(tx.insert(&order("#1002", "Sam Nguyen"), Some("f2"))?);
            // Seen inside the transaction that wrote it...
            assert!(tx.load(written[0])?.is_some());
            Err::<(), _>(AppError::validation("line 3 is broken"))
        })
        .unwrap_err();
    assert_eq!(err.message, "line 3 is broken");
    assert_eq!(written.len(), 2);
    // ...and gone after the rollback.
    for id in written {
        assert_eq!(orders.order(id).unwrap(), None);
    }
    assert_eq!(search(orders, "rita"), 0);
    assert!(orders.tags().unwrap().is_empty());
    let found = orders
        .write(NOW, |tx| tx.find_by_source(SourceKind::Shopify, "#1001"))
        .unwrap();
    assert_eq!(found, None);

    let id = orders
        .write(NOW, |tx| {
            tx.insert(&order("#1001", "Rita Gomez"), Some("f1"))
        })
        .unwrap();
    assert_eq!(orders.order(id).unwrap().unwrap().tags, ["rush"]);
    assert_eq!(search(orders, "rita"), 1);
    assert_eq!(orders.tags().unwrap(), ["rush"]);
}

#[test]
fn a_replaced_order_is_found_by_its_new_content_only() {
    let store = Store::open_in_memory().unwrap();
    let orders: &dyn OrderStore = &store;
    let id = orders
        .write(NOW, |tx| {
            tx.insert(&order("#1001", "Rita Gomez"), Some("f1"))
        })
        .unwrap();
    orders
        .write(NOW, |tx| tx.replace(id, &order("#1001", "Lena Ford"), None))
        .unwrap();
    assert_eq!((search(orders, "rita"), search(orders, "lena")), (0, 1));
    let existing = orders
        .write(NOW, |tx| tx.find_by_source(SourceKind::Shopify, "#1001"))
        .unwrap()
        .unwrap();
    // `None` kept the fingerprint of the import.
    assert_eq!(existing.import_fingerprint.as_deref(), Some("f1"));
    let missing = orders
        .write(NOW, |tx| tx.replace(id + 1, &order("#2", "X"), None))
        .unwrap_err();
    assert_eq!(missing.code, crate::error::ErrorCode::NotFound);
}

/// While a long import holds the write transaction, the Orders table still answers, with the
/// last committed state; the import's orders appear when it commits.
#[test]
fn reads_answer_while_a_write_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&DataDir::at(dir.path())).unwrap());
    let orders: Arc<dyn OrderStore> = store;
    orders
        .write(NOW, |tx| tx.insert(&order("#1", "Rita Gomez"), None))
        .unwrap();
    let (started_tx, started_rx) = channel();
    let (release_tx, release_rx) = channel::<()>();
    let importer = {
        let orders = orders.clone();
        std::thread::spawn(move || {
            orders
                .write(NOW, |tx| {
                    tx.insert(&order("#2", "Sam Nguyen"), None)?;
                    started_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    Ok(())
                })
                .unwrap()
        })
    };
    started_rx.recv().unwrap();
    let all = OrderQuery {
        archived: Some(ArchivedFilter::All),
        ..Default::default()
    };
    assert_eq!(orders.list(&all).unwrap().total, 1);
    assert_eq!(search(orders.as_ref(), "sam"), 0);
    release_tx.send(()).unwrap();
    importer.join().unwrap();
    assert_eq!(orders.list(&all).unwrap().total, 2);
    assert_eq!(search(orders.as_ref(), "sam"), 1);
}
