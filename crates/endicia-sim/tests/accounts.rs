//! Account status, pass-phrase rules, lock-out and recovery, temporary pass phrases.

mod common;

use common::*;
use endicia_sim::{
    AccountStatus, DEMO_ACCOUNT_ID, DEMO_CHALLENGE_ANSWER, DEMO_EMAIL, DEMO_PASS_PHRASE,
};

fn change_xml(account: &str, old: &str, new: &str, token: bool) -> String {
    format!(
        "<ChangePassPhraseRequest TokenRequested=\"{token}\"><RequesterID>lxxx</RequesterID><RequestID>c1</RequestID>{}<NewPassPhrase>{}</NewPassPhrase></ChangePassPhraseRequest>",
        ci(account, old),
        esc(new)
    )
}

async fn change(sim: &endicia_sim::EndiciaSimHandle, old: &str, new: &str) -> String {
    call(
        sim,
        "ChangePassPhraseXML",
        "changePassPhraseRequestXML",
        &change_xml(DEMO_ACCOUNT_ID, old, new, false),
    )
    .await
}

#[tokio::test]
async fn account_status_reports_the_meter() {
    let sim = sandbox().await;
    let body = account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await;
    assert_eq!(status(&body), 0, "{body}");
    assert_eq!(tag(&body, "RequesterID").as_deref(), Some("lxxx"));
    assert_eq!(tag(&body, "RequestID").as_deref(), Some("s1"));
    assert_eq!(tag(&body, "AccountID").as_deref(), Some(DEMO_ACCOUNT_ID));
    assert_eq!(tag(&body, "SerialNumber").as_deref(), Some("0"));
    assert_eq!(tag(&body, "PostageBalance").as_deref(), Some("100.00"));
    assert_eq!(tag(&body, "AscendingBalance").as_deref(), Some("0.00"));
    assert_eq!(tag(&body, "AccountStatus").as_deref(), Some("A"));
    assert_eq!(tag(&body, "DeviceID").as_deref(), Some("071S02500123"));

    let unknown = account_status(&sim, "9999999", "whatever").await;
    assert_eq!(status(&unknown), 12101);
    assert!(tag(&unknown, "RequesterID").is_none(), "no echo on errors");
    let msg = tag(&unknown, "ErrorMessage").unwrap();
    assert!(msg.contains("Error encountered (Log ID: "), "{msg}");

    let missing = call(
        &sim,
        "GetAccountStatusXML",
        "accountStatusRequestXML",
        "<AccountStatusRequest><RequesterID>lxxx</RequesterID></AccountStatusRequest>",
    )
    .await;
    assert_eq!(status(&missing), 1001);
    assert!(
        tag(&missing, "ErrorMessage")
            .unwrap()
            .starts_with("Missing or invalid element: CertifiedIntermediary.")
    );
    let garbage = call(
        &sim,
        "GetAccountStatusXML",
        "accountStatusRequestXML",
        "<Acc",
    )
    .await;
    assert_eq!(status(&garbage), 12201);
    sim.shutdown().await;
}

#[tokio::test]
async fn five_wrong_pass_phrases_suspend_until_reset() {
    let sim = sandbox().await;
    for i in 1..=5 {
        let body = account_status(&sim, DEMO_ACCOUNT_ID, "wrong one").await;
        assert_eq!(status(&body), 12507, "attempt {i}: {body}");
    }
    let snap = sim.account(DEMO_ACCOUNT_ID).unwrap();
    assert_eq!(snap.status, AccountStatus::SuspendedBadLogins);
    assert_eq!(snap.bad_attempts, 5);
    // Suspended is checked before the pass phrase: the right one does not help.
    let body = account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await;
    assert_eq!(status(&body), 2012, "{body}");

    let question = |email: &str| {
        format!(
            "<ChallengeQuestionRequest><RequesterID>lxxx</RequesterID><RequestID>q</RequestID><AccountID>{DEMO_ACCOUNT_ID}</AccountID><EMail>{email}</EMail></ChallengeQuestionRequest>"
        )
    };
    let wrong = call(
        &sim,
        "GetChallengeQuestionXML",
        "challengeQuestionRequestXML",
        &question("someone@else.example"),
    )
    .await;
    assert_eq!(status(&wrong), 12508);
    let right = call(
        &sim,
        "GetChallengeQuestionXML",
        "challengeQuestionRequestXML",
        &question(&DEMO_EMAIL.to_uppercase()),
    )
    .await;
    assert_eq!(status(&right), 0, "{right}");
    assert_eq!(
        tag(&right, "Question").as_deref(),
        Some("Name of your first pet?")
    );

    let reset = |answer: &str, new: &str| {
        format!(
            "<ResetSuspendedAccountRequest><RequesterID>lxxx</RequesterID><RequestID>r</RequestID><AccountID>{DEMO_ACCOUNT_ID}</AccountID><ChallengeAnswer>{answer}</ChallengeAnswer><NewPassPhrase>{new}</NewPassPhrase></ResetSuspendedAccountRequest>"
        )
    };
    let field = "resetSuspendedAccountRequestXML";
    let bad = call(
        &sim,
        "ResetSuspendedAccountXML",
        field,
        &reset("Fido", "brand new one"),
    )
    .await;
    assert_eq!(status(&bad), 12509, "{bad}");
    let reuse = call(
        &sim,
        "ResetSuspendedAccountXML",
        field,
        &reset(" rex ", DEMO_PASS_PHRASE),
    )
    .await;
    assert_eq!(status(&reuse), 12669, "{reuse}");
    let ok = call(
        &sim,
        "ResetSuspendedAccountXML",
        field,
        &reset(
            &format!(" {} ", DEMO_CHALLENGE_ANSWER.to_lowercase()),
            "brand new one",
        ),
    )
    .await;
    assert_eq!(status(&ok), 0, "{ok}");
    let snap = sim.account(DEMO_ACCOUNT_ID).unwrap();
    assert_eq!((snap.status, snap.bad_attempts), (AccountStatus::Active, 0));
    assert_eq!(
        status(&account_status(&sim, DEMO_ACCOUNT_ID, "brand new one").await),
        0
    );
    assert_eq!(
        status(&account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await),
        12507
    );
    // Not suspended any more: reset is refused.
    let again = call(
        &sim,
        "ResetSuspendedAccountXML",
        field,
        &reset("Rex", "another one"),
    )
    .await;
    assert_eq!(status(&again), 2010, "{again}");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_correct_pass_phrase_resets_the_counter() {
    let sim = sandbox().await;
    for _ in 0..4 {
        account_status(&sim, DEMO_ACCOUNT_ID, "nope nope").await;
    }
    assert_eq!(
        status(&account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await),
        0
    );
    assert_eq!(sim.account(DEMO_ACCOUNT_ID).unwrap().bad_attempts, 0);
    assert_eq!(
        status(&account_status(&sim, DEMO_ACCOUNT_ID, "nope nope").await),
        12507
    );
    assert_eq!(
        sim.account(DEMO_ACCOUNT_ID).unwrap().status,
        AccountStatus::Active
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn change_pass_phrase_rules() {
    let sim = sandbox().await;
    let short = change(&sim, DEMO_PASS_PHRASE, "abcd").await;
    assert_eq!(status(&short), 1001);
    assert!(
        tag(&short, "ErrorMessage")
            .unwrap()
            .contains("NewPassPhrase")
    );
    let long = change(&sim, DEMO_PASS_PHRASE, &"x".repeat(65)).await;
    assert_eq!(status(&long), 1001);
    let same = change(&sim, DEMO_PASS_PHRASE, DEMO_PASS_PHRASE).await;
    assert_eq!(status(&same), 12669, "{same}");

    let ok = change(&sim, DEMO_PASS_PHRASE, "second & <best>").await;
    assert_eq!(status(&ok), 0, "{ok}");
    assert_eq!(tag(&ok, "RequestID").as_deref(), Some("c1"));
    assert!(tag(&ok, "Token").is_none());
    // The old one stops working at once.
    assert_eq!(
        status(&account_status(&sim, DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE).await),
        12507
    );
    assert_eq!(
        status(&account_status(&sim, DEMO_ACCOUNT_ID, "second & <best>").await),
        0
    );
    // Cycling back to the original takes four changes (current + three before are refused).
    assert_eq!(
        status(&change(&sim, "second & <best>", "third one").await),
        0
    );
    assert_eq!(
        status(&change(&sim, "third one", DEMO_PASS_PHRASE).await),
        12669
    );
    assert_eq!(status(&change(&sim, "third one", "fourth one").await), 0);
    assert_eq!(
        status(&change(&sim, "fourth one", DEMO_PASS_PHRASE).await),
        12669
    );
    assert_eq!(status(&change(&sim, "fourth one", "fifth one").await), 0);
    assert_eq!(
        status(&change(&sim, "fifth one", DEMO_PASS_PHRASE).await),
        0
    );
    assert_eq!(
        sim.account(DEMO_ACCOUNT_ID)
            .unwrap()
            .pass_phrase_history_len,
        4
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn tokens_work_until_the_pass_phrase_changes() {
    let sim = sandbox().await;
    let body = call(
        &sim,
        "ChangePassPhraseXML",
        "changePassPhraseRequestXML",
        &change_xml(DEMO_ACCOUNT_ID, DEMO_PASS_PHRASE, "token era 1", true),
    )
    .await;
    let token = tag(&body, "Token").expect("token issued");
    let with_token = |t: &str| {
        format!(
            "<AccountStatusRequest><RequesterID>lxxx</RequesterID><CertifiedIntermediary><Token>{t}</Token></CertifiedIntermediary></AccountStatusRequest>"
        )
    };
    let ok = call(
        &sim,
        "GetAccountStatusXML",
        "accountStatusRequestXML",
        &with_token(&token),
    )
    .await;
    assert_eq!(status(&ok), 0, "{ok}");
    assert_eq!(status(&change(&sim, "token era 1", "token era 2").await), 0);
    let stale = call(
        &sim,
        "GetAccountStatusXML",
        "accountStatusRequestXML",
        &with_token(&token),
    )
    .await;
    assert_eq!(status(&stale), 12507);
    sim.shutdown().await;
}

#[tokio::test]
async fn temporary_pass_phrase_must_be_changed_first() {
    let sim = sandbox().await;
    let id = endicia_sim::DEMO_TEMP_ACCOUNT_ID;
    let body = account_status(&sim, id, "temporary-1").await;
    assert_eq!(status(&body), 2011, "{body}");
    assert_eq!(
        sim.account(id).unwrap().status,
        AccountStatus::NeedsPassPhraseReset
    );
    let ok = call(
        &sim,
        "ChangePassPhraseXML",
        "changePassPhraseRequestXML",
        &change_xml(id, "temporary-1", "permanent one", false),
    )
    .await;
    assert_eq!(status(&ok), 0, "{ok}");
    let body = account_status(&sim, id, "permanent one").await;
    assert_eq!(status(&body), 0, "{body}");
    assert_eq!(tag(&body, "PostageBalance").as_deref(), Some("0.00"));
    assert!(!sim.account(id).unwrap().temporary);
    sim.shutdown().await;
}
