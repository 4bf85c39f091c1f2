//! The wire (form field names, encodings, GET, unknown paths), fault injection over the handle
//! and over `/__sim/...`, and the state file across a restart.

mod common;

use std::time::{Duration, Instant};

use common::*;
use endicia_sim::{AccountStatus, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE, EndiciaSimConfig, LedgerKind};

fn status_xml(pass: &str) -> String {
    format!(
        "<AccountStatusRequest><RequesterID>lxxx</RequesterID>{}</AccountStatusRequest>",
        ci(DEMO_ACCOUNT_ID, pass)
    )
}

#[tokio::test]
async fn field_names_encodings_and_http_edges() {
    let sim = sandbox().await;
    let ok = call(
        &sim,
        "GetAccountStatusXML",
        "AccountStatusRequestXML",
        &status_xml(DEMO_PASS_PHRASE),
    )
    .await;
    assert_eq!(status(&ok), 0, "{ok}");
    let upper = call(
        &sim,
        "getaccountstatusxml",
        "ACCOUNTSTATUSREQUESTXML",
        &status_xml(DEMO_PASS_PHRASE),
    )
    .await;
    assert_eq!(status(&upper), 0, "{upper}");

    // A pass phrase with '+' and '&' survives form encoding and XML escaping.
    let tricky = "one+two & three";
    let change = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><ChangePassPhraseRequest><RequesterID>lxxx</RequesterID>{}<NewPassPhrase>{}</NewPassPhrase></ChangePassPhraseRequest>",
        ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE),
        esc(tricky)
    );
    let changed = call(
        &sim,
        "ChangePassPhraseXML",
        "changePassPhraseRequestXML",
        &change,
    )
    .await;
    assert_eq!(status(&changed), 0, "{changed}");
    let body = call(
        &sim,
        "GetAccountStatusXML",
        "accountStatusRequestXML",
        &status_xml(tricky),
    )
    .await;
    assert_eq!(status(&body), 0, "{body}");

    let client = reqwest::Client::new();
    // Raw, unencoded XML as the vendor's samples post it (fine while it has no & + %).
    let raw = format!(
        "accountStatusRequestXML=<AccountStatusRequest><RequesterID>lxxx</RequesterID><CertifiedIntermediary><AccountID>{}</AccountID><PassPhrase>wrong</PassPhrase></CertifiedIntermediary></AccountStatusRequest>",
        endicia_sim::DEMO_TEMP_ACCOUNT_ID
    );
    let resp = client
        .post(sim.service_url().join("GetAccountStatusXML").unwrap())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(raw)
        .send()
        .await
        .unwrap();
    assert_eq!(status(&resp.text().await.unwrap()), 12507);

    // GET with the field in the query string.
    let resp = client
        .get(sim.service_url().join("GetAccountStatusXML").unwrap())
        .query(&[("accountStatusRequestXML", status_xml(tricky))])
        .send()
        .await
        .unwrap();
    assert_eq!(status(&resp.text().await.unwrap()), 0);

    let version = client
        .get(sim.service_url().join("GetVersionXML").unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(version.contains("<GetVersionResults"), "{version}");
    assert_eq!(status(&version), 0);

    let unknown = client
        .post(sim.service_url().join("GetTeleportXML").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(
        unknown.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let no_field = client
        .post(sim.service_url().join("GetAccountStatusXML").unwrap())
        .form(&[("somethingElse", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_field.status(), 500);
    sim.shutdown().await;
}

#[tokio::test]
async fn fail_next_answers_the_code_and_changes_nothing() {
    let sim = sandbox().await;
    sim.faults().fail_next("BuyPostageXML", 12133);
    let busy = buy(&sim, "25").await;
    assert_eq!(status(&busy), 12133);
    assert!(tag(&busy, "ErrorMessage").unwrap().contains("Log ID"));
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, dec("100"));
    assert_eq!(status(&buy(&sim, "25").await), 0);

    // The same over HTTP, for a SCAN request (no Status: the code is in the text).
    let client = reqwest::Client::new();
    let r = client
        .post(sim.base_url().join("__sim/fail-next").unwrap())
        .json(&serde_json::json!({"method": "GetSCANXML", "code": 12130}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let scan = call(
        &sim,
        "GetSCANXML",
        "scanRequestXML",
        &format!(
            "<SCANRequest><RequesterID>lxxx</RequesterID>{}</SCANRequest>",
            ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE)
        ),
    )
    .await;
    assert!(
        tag(&scan, "ErrorMessage")
            .unwrap()
            .starts_with("Error 12130:"),
        "{scan}"
    );
    let bad = client
        .post(sim.base_url().join("__sim/fail-next").unwrap())
        .json(&serde_json::json!({"method": "NoSuchXML", "code": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_answer_after_commit_still_moves_money() {
    let sim = sandbox().await;
    sim.faults().drop_answer_after_commit("BuyPostageXML");
    let xml = format!(
        "<RecreditRequest><RequesterID>lxxx</RequesterID><RequestID>lost-1</RequestID>{}<RecreditAmount>50</RecreditAmount></RecreditRequest>",
        ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE)
    );
    let sent = try_call(&sim, "BuyPostageXML", "recreditRequestXML", &xml).await;
    assert!(sent.is_err(), "no answer expected, got {sent:?}");
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().balance, dec("150"));
    let ledger = sim.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].request_id.as_deref(), Some("lost-1"));
    // Reconciliation by status shows the money arrived; the next call is answered again.
    let st = account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await;
    assert_eq!(tag(&st, "PostageBalance").as_deref(), Some("150.00"));

    // Over HTTP, for a label: the piece exists although the client never saw it.
    let client = reqwest::Client::new();
    client
        .post(sim.base_url().join("__sim/drop-answer").unwrap())
        .json(&serde_json::json!({"method": "GetPostageLabelXML"}))
        .send()
        .await
        .unwrap();
    let lost = try_call(
        &sim,
        "GetPostageLabelXML",
        "labelRequestXML",
        &label_xml("", "Priority", "8", ""),
    )
    .await;
    assert!(lost.is_err());
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().piece_count, 1);
    assert_eq!(sim.ledger().last().unwrap().kind, LedgerKind::Label);
    sim.shutdown().await;
}

#[tokio::test]
async fn delay_next_slows_one_call() {
    let sim = sandbox().await;
    sim.faults()
        .delay_next("GetAccountStatusXML", Duration::from_millis(300));
    let t = Instant::now();
    account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await;
    assert!(t.elapsed() < Duration::from_millis(300));
    sim.shutdown().await;
}

#[tokio::test]
async fn control_routes_show_and_suspend() {
    let sim = sandbox().await;
    buy(&sim, "20").await;
    let client = reqwest::Client::new();
    let ledger: serde_json::Value = client
        .get(sim.base_url().join("__sim/ledger").unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ledger[0]["kind"], "Purchase");
    assert_eq!(ledger[0]["amount"], "20");
    let acct: serde_json::Value = client
        .get(
            sim.base_url()
                .join(&format!("__sim/accounts/{DEMO_ACCOUNT_ID}"))
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(acct["balance"], "120.00");
    let r = client
        .post(
            sim.base_url()
                .join(&format!("__sim/accounts/{DEMO_ACCOUNT_ID}/suspend"))
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        status(&account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await),
        2012
    );
    assert_eq!(
        sim.account(DEMO_ACCOUNT_ID).unwrap().status,
        AccountStatus::SuspendedBadLogins
    );
    let none = client
        .get(sim.base_url().join("__sim/accounts/1").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn state_file_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = EndiciaSimConfig {
        state_file: Some(dir.path().join("endicia.json")),
        ..EndiciaSimConfig::sandbox()
    };
    let sim = endicia_sim::start(config.clone()).await.unwrap();
    assert_eq!(status(&buy(&sim, "25").await), 0);
    let pic = tag(&buy_label(&sim).await, "TrackingNumber").unwrap();
    let balance = sim.account(DEMO_ACCOUNT_ID).unwrap().balance;
    sim.shutdown().await;

    let sim = endicia_sim::start(config).await.unwrap();
    let snap = sim.account(DEMO_ACCOUNT_ID).unwrap();
    assert_eq!((snap.balance, snap.piece_count), (balance, 1));
    assert_eq!(sim.ledger().len(), 2);
    let st = account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await;
    assert_eq!(tag(&st, "PostageBalance"), Some(format!("{balance:.2}")));
    // The label is still known after the restart: it can be refunded.
    let refund = call(
        &sim,
        "GetRefundXML",
        "refundRequestXML",
        &format!(
            "<RefundRequest><RequesterID>lxxx</RequesterID>{}<PicNumbers><PicNumber>{pic}</PicNumber></PicNumbers></RefundRequest>",
            ci(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE)
        ),
    )
    .await;
    assert!(
        refund.contains("<RefundStatus>Approved</RefundStatus>"),
        "{refund}"
    );
    sim.shutdown().await;

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{ not json").unwrap();
    let err = endicia_sim::start(EndiciaSimConfig {
        state_file: Some(broken),
        ..EndiciaSimConfig::sandbox()
    })
    .await
    .err()
    .expect("a corrupt state file is refused");
    assert!(matches!(err, endicia_sim::SimError::StateFormat { .. }));
}

/// Two processes on one data directory (the app and a CLI command) run a simulator each on one
/// state file: they are one Endicia. Purchases through either land in one balance and one
/// ledger, and concurrent ones never overwrite each other.
#[tokio::test]
async fn two_simulators_on_one_state_file_are_one_endicia() {
    let dir = tempfile::tempdir().unwrap();
    let config = EndiciaSimConfig {
        state_file: Some(dir.path().join("endicia.json")),
        ..EndiciaSimConfig::sandbox()
    };
    let app = endicia_sim::start(config.clone()).await.unwrap();
    let cli = endicia_sim::start(config).await.unwrap();
    assert_eq!(status(&buy(&app, "25").await), 0);
    let seen = account_status(&cli, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await;
    assert_eq!(tag(&seen, "PostageBalance").as_deref(), Some("125.00"));

    // At once, through both.
    let (a, b) = tokio::join!(buy(&app, "10"), buy(&cli, "20"));
    assert_eq!((status(&a), status(&b)), (0, 0));
    let balance =
        |sim: &endicia_sim::EndiciaSimHandle| sim.account(DEMO_ACCOUNT_ID).unwrap().balance;
    assert_eq!(balance(&app), dec("155"));
    assert_eq!(balance(&cli), dec("155"));
    assert_eq!(app.ledger().len(), 3);
    assert_eq!(cli.ledger(), app.ledger());
    app.shutdown().await;
    cli.shutdown().await;
}
