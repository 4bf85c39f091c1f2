//! Addresses, prices, payments and carrier pickup against the simulator, through the public
//! API (labels, SCAN forms and tracking are in `labels_contract.rs`).

mod common;

use common::*;
use usps::models::*;
use usps::{Api, ErrorClass};

fn rate_list(account: Option<&str>) -> RateListQuery {
    RateListQuery {
        origin_zip_code: "63116".into(),
        destination_zip_code: "10001".into(),
        weight: 2.0,
        length: 10.0,
        width: 8.0,
        height: 4.0,
        mail_classes: vec!["PRIORITY_MAIL".into()],
        price_type: Some("COMMERCIAL".into()),
        account_type: account.map(|_| "EPS".into()),
        account_number: account.map(str::to_owned),
        ..Default::default()
    }
}

#[tokio::test]
async fn addresses_validate_and_city_state() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let query = AddressQuery {
        street_address: "4120 Bingham Ave".into(),
        city: Some("Saint Louis".into()),
        state: "MO".into(),
        ..Default::default()
    };
    let found = account.validate_address(&query).await.unwrap();
    assert_eq!(found.address.zip_code.as_deref(), Some("63116"));
    assert_eq!(
        found
            .address
            .street_address
            .as_deref()
            .map(|s| s.to_uppercase() == s),
        Some(true)
    );
    let city = account.city_state("63118").await.unwrap();
    assert_eq!(city.city.as_deref(), Some("SAINT LOUIS"));
    assert_eq!(city.state.as_deref(), Some("MO"));
    let bad = account.city_state("6311").await.unwrap_err();
    assert_eq!(bad.class(), ErrorClass::Rejected, "{bad:?}");
}

#[tokio::test]
async fn prices_base_list_total_and_contract() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let base = account
        .base_rates(&BaseRatesQuery {
            origin_zip_code: "63116".into(),
            destination_zip_code: "10001".into(),
            weight: 2.0,
            length: 10.0,
            width: 8.0,
            height: 4.0,
            mail_class: "USPS_GROUND_ADVANTAGE".into(),
            processing_category: "MACHINABLE".into(),
            rate_indicator: "SP".into(),
            destination_entry_facility_type: "NONE".into(),
            price_type: "RETAIL".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let retail = base.total_base_price.unwrap();
    assert!(retail > 0.0);
    assert!(base.rates[0].sku.is_some());

    let list = account.base_rates_list(&rate_list(None)).await.unwrap();
    assert!(!list.rate_options.is_empty());
    let commercial = list.rate_options[0].total_base_price.unwrap();

    let contract = account
        .base_rates_list(&rate_list(Some(&demo_identity().eps_account)))
        .await
        .unwrap();
    let contract_price = contract.rate_options[0].total_base_price.unwrap();
    assert!(
        contract_price <= commercial,
        "contract {contract_price} vs commercial {commercial}"
    );

    let mut total_query = rate_list(Some(&demo_identity().eps_account));
    total_query.extra_services = vec![930];
    total_query.item_value = Some(80.0);
    let total = account.total_rates(&total_query).await.unwrap();
    let option = &total.rate_options[0];
    assert!(!option.extra_services.is_empty());
    assert!(option.total_price.unwrap() > option.total_base_price.unwrap());

    let stranger = account
        .base_rates_list(&rate_list(Some("1999999999")))
        .await
        .unwrap_err();
    assert_eq!(
        stranger.class(),
        ErrorClass::AccountNotAuthorized,
        "{stranger:?}"
    );
}

#[tokio::test]
async fn payments_authorization_is_cached_and_account_check_works() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let auth = account.authorize_payment().await.unwrap();
    assert!(!auth.payment_authorization_token.is_empty());
    assert!(auth.roles.iter().any(|r| r.role_name == "PAYER"));
    assert!(auth.roles.iter().any(|r| r.role_name == "LABEL_OWNER"));

    let funded = account
        .payment_account(
            &demo_identity().eps_account,
            &PaymentAccountQuery {
                account_type: "EPS".into(),
                amount: Some(25.0),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(funded.sufficient_funds, Some(true));
    assert_eq!(
        funded.account_number.as_deref(),
        Some(demo_identity().eps_account.as_str())
    );

    // Three labels need one payment authorization between them.
    let payments_before = h.sim_calls("payments");
    for _ in 0..3 {
        account
            .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
            .await
            .unwrap();
    }
    assert_eq!(h.sim_calls("payments") - payments_before, 1);
}

fn next_pickup_day() -> String {
    let mut day = time::OffsetDateTime::now_utc().date() + time::Duration::days(2);
    while day.weekday() == time::Weekday::Sunday {
        day += time::Duration::days(1);
    }
    date_string(day)
}

#[tokio::test]
async fn carrier_pickup_eligibility_schedule_get_cancel() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    let eligible = account
        .pickup_eligibility(&PickupEligibilityQuery {
            street_address: "4120 Bingham Ave".into(),
            city: Some("Saint Louis".into()),
            state: Some("MO".into()),
            zip_code: Some("63116".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(eligible.address.zip_code.as_deref(), Some("63116"));

    let request = SchedulePickupRequest {
        pickup_date: next_pickup_day(),
        pickup_address: PickupAddress {
            first_name: "John".into(),
            last_name: "Smith".into(),
            firm: Some("ACME Widgets".into()),
            address: PickupStreetAddress {
                street_address: "4120 Bingham Ave".into(),
                city: Some("Saint Louis".into()),
                state: Some("MO".into()),
                zip_code: Some("63116".into()),
                ..Default::default()
            },
            contact: vec![PickupContact {
                email: Some("john@example.com".into()),
                ..Default::default()
            }],
        },
        packages: vec![PickupPackage {
            package_type: "USPS_GROUND_ADVANTAGE".into(),
            package_count: 3,
        }],
        estimated_weight: 6.0,
        pickup_location: PickupLocation {
            package_location: "OFFICE".into(),
            special_instructions: Some("Front desk".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let scheduled = account.schedule_pickup(&request).await.unwrap();
    let number = scheduled.value.confirmation_number.clone();
    assert!(!number.is_empty());
    let etag = scheduled.etag.clone().expect("ETag on schedule");

    let read = account.get_pickup(&number).await.unwrap();
    assert_eq!(read.value.confirmation_number, number);
    assert_eq!(
        read.value.carrier_pickup_request.as_ref().unwrap().packages[0].package_count,
        3
    );

    let stale = account
        .cancel_pickup(&number, "\"stale-etag\"")
        .await
        .unwrap_err();
    assert_eq!(stale.class(), ErrorClass::Rejected, "{stale:?}");
    account
        .cancel_pickup(&number, read.etag.as_deref().unwrap_or(&etag))
        .await
        .unwrap();
}

#[tokio::test]
async fn call_counters_match_the_simulator() {
    let h = Harness::start().await;
    let account = h.own_app_account();
    account.city_state("63116").await.unwrap();
    account
        .create_label(&label_request(), &new_key(), LabelFormat::VendorJson)
        .await
        .unwrap();
    let counts = h.client.call_counts();
    assert_eq!(counts.get(Api::Addresses), h.sim_calls("addresses"));
    assert_eq!(counts.get(Api::Labels), h.sim_calls("labels"));
    assert_eq!(counts.get(Api::Payments), h.sim_calls("payments"));
    assert_eq!(counts.get(Api::OAuth), h.sim_calls("oauth2"));
    assert_eq!(counts.total(), 4);
}
