//! The one [`PostageProvider`] shipping is given: it sends each call to whoever the account
//! pays — USPS-direct ([`Connections`]) or an Endicia prepaid account ([`EndiciaAccounts`]).
//!
//! Address checks, tracking and carrier pickups are USPS's services whoever sells the label, so
//! for an Endicia account they go through the desk's default USPS account.

use std::sync::Arc;

use super::Connections;
use super::endicia::EndiciaAccounts;
use crate::error::{AppError, AppResult};
use crate::orders::Address;
use crate::postage::model::{AddressCheck, PickupEligibility};
use crate::postage::{
    AccountId, AccountSummary, BoughtLabel, CallNeeds, CallWait, KeyCancel, LabelDocument,
    LabelOrder, LabelPayload, Payer, PickupBooked, PickupOrder, PostageBalance, PostageProvider,
    PricesFound, ProviderFuture, PurchaseFailure, RateRequest, ScanFormMade, ScanFormOrder,
    TrackingAnswer, VoidAnswer,
};

pub(crate) struct PostageRouter {
    usps: Arc<Connections>,
    endicia: Arc<EndiciaAccounts>,
}

impl PostageRouter {
    pub(crate) fn new(usps: Arc<Connections>, endicia: Arc<EndiciaAccounts>) -> Self {
        Self { usps, endicia }
    }

    /// USPS-direct, as the seam sees it (no inherent `Connections` method in the way).
    fn usps(&self) -> &dyn PostageProvider {
        self.usps.as_ref()
    }

    /// The USPS account that checks addresses, tracks and books pickups for an Endicia label.
    fn usps_for(&self, what: &str) -> AppResult<AccountSummary> {
        self.usps().default_account().map_err(|_| {
            AppError::validation(format!(
                "{what} is a USPS service Endicia does not offer: add a USPS account in \
                 Settings › Carrier Settings to use it."
            ))
        })
    }
}

/// Shipdesk buys Endicia labels for US addresses only.
fn endicia_abroad(account: &AccountSummary) -> AppError {
    AppError::validation(format!(
        "{} pays for US labels only: buy labels abroad from a USPS account (choose it in the \
         Ship dialog, or make it pay in Settings › Postage accounts)",
        account.nickname
    ))
}

fn is_endicia(account: &AccountSummary) -> bool {
    matches!(account.payer, Payer::Endicia { .. })
}

impl PostageProvider for PostageRouter {
    fn default_account(&self) -> AppResult<AccountSummary> {
        match self.endicia.paying_account()? {
            Some(endicia) => Ok(endicia),
            None => self.usps().default_account(),
        }
    }

    fn account(&self, id: AccountId) -> AppResult<AccountSummary> {
        match self.endicia.payer_account(id)? {
            Some(endicia) => Ok(endicia),
            None => self.usps().account(id),
        }
    }

    fn check_address<'a>(
        &'a self,
        account: &'a AccountSummary,
        address: &'a Address,
    ) -> ProviderFuture<'a, AppResult<AddressCheck>> {
        Box::pin(async move {
            if !is_endicia(account) {
                return self.usps().check_address(account, address).await;
            }
            match self.usps_for("The address check") {
                Ok(usps) => self.usps().check_address(&usps, address).await,
                Err(e) => Ok(EndiciaAccounts::unchecked(address, &e.message)),
            }
        })
    }

    fn rates<'a>(
        &'a self,
        account: &'a AccountSummary,
        request: &'a RateRequest,
    ) -> ProviderFuture<'a, AppResult<PricesFound>> {
        if is_endicia(account) && request.is_international() {
            return Box::pin(async move { Err(endicia_abroad(account)) });
        }
        if is_endicia(account) {
            Box::pin(self.endicia.endicia_rates(account, request))
        } else {
            self.usps().rates(account, request)
        }
    }

    fn label_payload(
        &self,
        account: &AccountSummary,
        order: &LabelOrder<'_>,
    ) -> AppResult<LabelPayload> {
        if is_endicia(account) && !order.to.is_domestic() {
            return Err(endicia_abroad(account));
        }
        if is_endicia(account) {
            self.endicia.endicia_label_payload(account, order)
        } else {
            self.usps().label_payload(account, order)
        }
    }

    fn prepare_purchase<'a>(
        &'a self,
        account: &'a AccountSummary,
    ) -> ProviderFuture<'a, AppResult<()>> {
        if is_endicia(account) {
            Box::pin(self.endicia.endicia_prepare(account))
        } else {
            self.usps().prepare_purchase(account)
        }
    }

    fn buy_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        payload: &'a LabelPayload,
        idempotency_key: &'a str,
    ) -> ProviderFuture<'a, Result<BoughtLabel, PurchaseFailure>> {
        if is_endicia(account) {
            Box::pin(self.endicia.endicia_buy(account, payload, idempotency_key))
        } else {
            self.usps().buy_label(account, payload, idempotency_key)
        }
    }

    fn cancel_by_key<'a>(
        &'a self,
        account: &'a AccountSummary,
        idempotency_key: &'a str,
    ) -> ProviderFuture<'a, AppResult<KeyCancel>> {
        if is_endicia(account) {
            Box::pin(self.endicia.endicia_cancel_by_key(account, idempotency_key))
        } else {
            self.usps().cancel_by_key(account, idempotency_key)
        }
    }

    fn void_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<VoidAnswer>> {
        if is_endicia(account) {
            Box::pin(self.endicia.endicia_refund(account, tracking_number))
        } else {
            self.usps().void_label(account, tracking_number)
        }
    }

    fn reprint_label<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<LabelDocument>> {
        if is_endicia(account) {
            Box::pin(async { EndiciaAccounts::endicia_no_reprint() })
        } else {
            self.usps().reprint_label(account, tracking_number)
        }
    }

    fn track<'a>(
        &'a self,
        account: &'a AccountSummary,
        tracking_number: &'a str,
    ) -> ProviderFuture<'a, AppResult<TrackingAnswer>> {
        Box::pin(async move {
            if !is_endicia(account) {
                return self.usps().track(account, tracking_number).await;
            }
            let usps = self.usps_for("Tracking")?;
            self.usps().track(&usps, tracking_number).await
        })
    }

    fn create_scan_form<'a>(
        &'a self,
        account: &'a AccountSummary,
        order: &'a ScanFormOrder<'a>,
    ) -> ProviderFuture<'a, AppResult<ScanFormMade>> {
        if is_endicia(account) {
            Box::pin(self.endicia.endicia_scan_form(account, order))
        } else {
            self.usps().create_scan_form(account, order)
        }
    }

    fn pickup_eligibility<'a>(
        &'a self,
        account: &'a AccountSummary,
        at: &'a Address,
    ) -> ProviderFuture<'a, AppResult<PickupEligibility>> {
        Box::pin(async move {
            if !is_endicia(account) {
                return self.usps().pickup_eligibility(account, at).await;
            }
            let usps = self.usps_for("A carrier pickup")?;
            self.usps().pickup_eligibility(&usps, at).await
        })
    }

    fn schedule_pickup<'a>(
        &'a self,
        account: &'a AccountSummary,
        order: &'a PickupOrder<'a>,
    ) -> ProviderFuture<'a, AppResult<PickupBooked>> {
        Box::pin(async move {
            if !is_endicia(account) {
                return self.usps().schedule_pickup(account, order).await;
            }
            let usps = self.usps_for("A carrier pickup")?;
            self.usps().schedule_pickup(&usps, order).await
        })
    }

    fn cancel_pickup<'a>(
        &'a self,
        account: &'a AccountSummary,
        confirmation_number: &'a str,
        etag: Option<&'a str>,
    ) -> ProviderFuture<'a, AppResult<()>> {
        Box::pin(async move {
            if !is_endicia(account) {
                return self
                    .usps
                    .cancel_pickup(account, confirmation_number, etag)
                    .await;
            }
            let usps = self.usps_for("A carrier pickup")?;
            self.usps()
                .cancel_pickup(&usps, confirmation_number, etag)
                .await
        })
    }

    fn balance<'a>(
        &'a self,
        account: &'a AccountSummary,
    ) -> ProviderFuture<'a, AppResult<Option<PostageBalance>>> {
        if is_endicia(account) {
            Box::pin(self.endicia.endicia_balance(account))
        } else {
            self.usps().balance(account)
        }
    }

    fn call_wait<'a>(
        &'a self,
        account: &'a AccountSummary,
        needs: CallNeeds,
    ) -> ProviderFuture<'a, AppResult<CallWait>> {
        if !is_endicia(account) {
            return self.usps().call_wait(account, needs);
        }
        // Endicia's label server sets no hourly allowance; the address checks are USPS's.
        Box::pin(async move {
            let Ok(usps) = self.usps_for("The address check") else {
                return Ok(CallWait::default());
            };
            let checks = CallNeeds {
                address_checks: needs.address_checks,
                ..CallNeeds::default()
            };
            self.usps().call_wait(&usps, checks).await
        })
    }
}
