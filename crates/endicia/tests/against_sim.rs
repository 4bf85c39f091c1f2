//! The client against the Endicia simulator, one call per operation and each documented
//! refusal it can meet: the typed answer or error kind it turns each into.

mod common;

use std::str::FromStr;
use std::time::Duration;

use common::{demo_with, sim};
use endicia::{ClientConfig, Credentials, ElsErrorKind, EndiciaClient, EndiciaError, Secret};
use endicia_sim::{DEMO_ACCOUNT_ID, DEMO_EMAIL, DEMO_PASS_PHRASE};
use rust_decimal::Decimal;

fn demo(pass: &str) -> Credentials {
    demo_with(pass)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn kind<T: std::fmt::Debug>(r: Result<T, EndiciaError>) -> ElsErrorKind {
    r.unwrap_err().kind().expect("an ELS refusal")
}

#[tokio::test]
async fn status_and_purchases_with_every_limit() {
    let (sim, client) = sim().await;
    let status = client
        .account_status(&demo(DEMO_PASS_PHRASE), "r1")
        .await
        .unwrap();
    assert_eq!(status.postage_balance, dec("100"));
    assert!(status.is_active());
    let before = status.funded_total();

    let bought = client
        .buy_postage(&demo(DEMO_PASS_PHRASE), dec("25.00"), "r2")
        .await
        .unwrap();
    assert_eq!(bought.account.postage_balance, dec("125"));
    assert_eq!(bought.account.funded_total(), before + dec("25"));

    // Checked before sending: nothing reaches Endicia.
    let low = client
        .buy_postage(&demo(DEMO_PASS_PHRASE), dec("5"), "r3")
        .await;
    assert!(matches!(low, Err(EndiciaError::Invalid(_))), "{low:?}");
    // The account's own limits are Endicia's to enforce.
    assert_eq!(
        kind(
            client
                .buy_postage(&demo(DEMO_PASS_PHRASE), dec("600"), "r4")
                .await
        ),
        ElsErrorKind::PurchaseTooHigh
    );
    sim.faults().fail_next("BuyPostageXML", 12133);
    assert_eq!(
        kind(
            client
                .buy_postage(&demo(DEMO_PASS_PHRASE), dec("10"), "r5")
                .await
        ),
        ElsErrorKind::AccountBusy
    );
    sim.faults().fail_next("BuyPostageXML", 12120);
    assert_eq!(
        kind(
            client
                .buy_postage(&demo(DEMO_PASS_PHRASE), dec("10"), "r6")
                .await
        ),
        ElsErrorKind::PaymentRefused
    );

    // Applied, answer dropped: the client reports the answer lost, not a refusal.
    sim.faults().drop_answer_after_commit("BuyPostageXML");
    let lost = client
        .buy_postage(&demo(DEMO_PASS_PHRASE), dec("10"), "r7")
        .await;
    assert!(matches!(lost, Err(EndiciaError::AnswerLost(_))), "{lost:?}");
    let after = client
        .account_status(&demo(DEMO_PASS_PHRASE), "r8")
        .await
        .unwrap();
    assert_eq!(
        after.funded_total(),
        before + dec("35"),
        "the dropped purchase was applied"
    );
}

#[tokio::test]
async fn pass_phrases_lock_out_and_unlock() {
    let (_sim, client) = sim().await;
    assert_eq!(
        kind(
            client
                .account_status(
                    &Credentials {
                        account_id: "9999999".into(),
                        pass_phrase: Secret::new("x")
                    },
                    "a"
                )
                .await
        ),
        ElsErrorKind::AccountNotFound
    );
    for _ in 0..5 {
        let wrong = client.account_status(&demo("wrong one"), "b").await;
        assert!(matches!(
            kind(wrong),
            ElsErrorKind::WrongPassPhrase | ElsErrorKind::SuspendedBadLogins
        ));
    }
    let suspended = client.account_status(&demo(DEMO_PASS_PHRASE), "c").await;
    assert_eq!(kind(suspended), ElsErrorKind::SuspendedBadLogins);

    assert_eq!(
        kind(
            client
                .challenge_question(DEMO_ACCOUNT_ID, "nobody@example.com", "d")
                .await
        ),
        ElsErrorKind::IncorrectEmail
    );
    let question = client
        .challenge_question(DEMO_ACCOUNT_ID, DEMO_EMAIL, "e")
        .await
        .unwrap();
    assert!(!question.is_empty());
    let new = Secret::new("Unlocked pass phrase 1");
    assert_eq!(
        kind(
            client
                .reset_suspended_account(DEMO_ACCOUNT_ID, "Fido", &new, "f")
                .await
        ),
        ElsErrorKind::IncorrectChallengeAnswer
    );
    client
        .reset_suspended_account(DEMO_ACCOUNT_ID, "rex", &new, "g")
        .await
        .unwrap();
    client
        .account_status(&demo(new.expose()), "h")
        .await
        .unwrap();

    // Reuse is Endicia's rule; the length is checked before sending.
    assert_eq!(
        kind(
            client
                .change_pass_phrase(&demo(new.expose()), &new, "i")
                .await
        ),
        ElsErrorKind::PassPhraseReused
    );
    let short = client
        .change_pass_phrase(&demo(new.expose()), &Secret::new("abc"), "j")
        .await;
    assert!(matches!(short, Err(EndiciaError::Invalid(_))), "{short:?}");
    let next = Secret::new("Second pass phrase 2");
    client
        .change_pass_phrase(&demo(new.expose()), &next, "k")
        .await
        .unwrap();
    assert_eq!(
        kind(client.account_status(&demo(new.expose()), "l").await),
        ElsErrorKind::WrongPassPhrase,
        "the old pass phrase stops working at once"
    );
}

#[tokio::test]
async fn a_temporary_pass_phrase_must_be_changed_first() {
    let (_sim, client) = sim().await;
    let temp = Credentials {
        account_id: endicia_sim::DEMO_TEMP_ACCOUNT_ID.into(),
        pass_phrase: Secret::new(endicia_sim::DEMO_TEMP_PASS_PHRASE),
    };
    assert_eq!(
        kind(client.account_status(&temp, "a").await),
        ElsErrorKind::PassPhraseResetNeeded
    );
    let permanent = Secret::new("A permanent one 3");
    client
        .change_pass_phrase(&temp, &permanent, "b")
        .await
        .unwrap();
    let status = client
        .account_status(
            &Credentials {
                account_id: temp.account_id.clone(),
                pass_phrase: permanent,
            },
            "c",
        )
        .await
        .unwrap();
    assert!(status.is_active());
}

#[tokio::test]
async fn an_unreachable_service_sent_nothing() {
    let client = EndiciaClient::new(ClientConfig {
        service_url: url::Url::parse("http://127.0.0.1:9/LabelService/EwsLabelService.asmx/")
            .unwrap(),
        requester_id: "lxxx".into(),
        timeout: Duration::from_secs(5),
    })
    .unwrap();
    let r = client.account_status(&demo(DEMO_PASS_PHRASE), "a").await;
    assert!(matches!(r, Err(EndiciaError::Unreachable(_))), "{r:?}");
}
