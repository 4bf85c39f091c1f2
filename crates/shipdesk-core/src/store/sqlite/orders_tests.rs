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

fn order_indexes(store: &Store) -> Vec<String> {
    store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'orders'
                 AND sql IS NOT NULL ORDER BY name",
            )?;
            Ok(stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .unwrap()
}

/// Raw entries in the search index matching `word`, duplicates included.
fn entries(store: &Store, word: &str) -> i64 {
    store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH ?1",
                [word],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

/// An import larger than the table drops the orders' secondary indexes and writes the new
/// orders' search entries at the end: afterwards every index is back as it was, every order is
/// found once by its final content (replaced ones too, whether they were there before or added
/// by the same load), and a load that fails leaves the indexes and the search index untouched.
#[test]
fn a_bulk_load_ends_with_the_same_indexes_and_every_order_searchable_once() {
    let store = Store::open_in_memory().unwrap();
    let orders: &dyn OrderStore = &store;
    let indexes = order_indexes(&store);
    assert!(indexes.len() >= 5, "{indexes:?}");
    let old = orders
        .write(NOW, |tx| tx.insert(&order("#1", "Rita Gomez"), Some("f")))
        .unwrap();

    let failed = orders.write(NOW, |tx| {
        tx.expect_bulk_load(2_000)?;
        for i in 0..1_500 {
            tx.insert(&order(&format!("#F{i}"), &format!("Zf{i}x")), Some("f"))?;
        }
        Err::<(), _>(AppError::validation("cancelled"))
    });
    assert!(failed.is_err());
    assert_eq!(order_indexes(&store), indexes);
    assert_eq!(search(orders, "zf7x"), 0);

    let (first_new, replaced_new) = orders
        .write(NOW, |tx| {
            tx.expect_bulk_load(1_500)?;
            let mut ids = Vec::new();
            for i in 0..1_500 {
                ids.push(tx.insert(&order(&format!("#B{i}"), &format!("Zq{i}x")), Some("f"))?);
            }
            tx.replace(old, &order("#1", "Lena Ford"), None)?;
            tx.replace(ids[7], &order("#B7", "Omar Haddad"), None)?;
            Ok((ids[0], ids[7]))
        })
        .unwrap();
    assert_eq!(order_indexes(&store), indexes);
    assert_eq!(search(orders, "zq0x"), 1);
    assert_eq!(search(orders, "zq1499x"), 1);
    assert_eq!((search(orders, "rita"), search(orders, "lena")), (0, 1));
    assert_eq!((search(orders, "zq7x"), search(orders, "omar")), (0, 1));
    assert_eq!(search(orders, "atlas"), 1_501);
    assert_eq!(entries(&store, "atlas"), 1_501);
    assert_eq!((entries(&store, "omar"), entries(&store, "lena")), (1, 1));
    assert!(orders.order(first_new).unwrap().is_some());
    assert_eq!(
        orders.order(replaced_new).unwrap().unwrap().ship_to.name,
        "Omar Haddad"
    );
    // A load no larger than the table keeps its indexes and indexes as it goes.
    orders
        .write(NOW, |tx| {
            tx.expect_bulk_load(1_200)?;
            tx.insert(&order("#C1", "Yuki Tanaka"), Some("f"))
        })
        .unwrap();
    assert_eq!(search(orders, "yuki"), 1);
}
