//! The app's and the CLI's way to USPS: the connection service. Its `report_failure` keeps the
//! account's connection state (and the UI's banner) right for every shipping call too.

use std::sync::Arc;

use usps::UspsError;

use super::ShippingService;
use super::gateway::{AccountId, AccountSummary, SessionFuture, UspsGateway};
use super::printer::{LpPrinter, Printer};
use crate::carriers::{Connections, UspsAccountRecord};
use crate::desk::Desk;
use crate::error::AppError;
use crate::error::AppResult;
use crate::ports::{Clock, SystemClock};

fn summary(record: UspsAccountRecord) -> AccountSummary {
    AccountSummary {
        id: record.id,
        nickname: record.nickname,
        environment: record.environment,
        eps_account: record.eps_account,
    }
}

impl UspsGateway for Connections {
    fn default_account(&self) -> AppResult<AccountSummary> {
        Connections::default_account(self).map(summary)
    }

    fn account(&self, id: AccountId) -> AppResult<AccountSummary> {
        Connections::account(self, id).map(summary)
    }

    fn session(&self, id: AccountId) -> SessionFuture<'_> {
        Box::pin(Connections::session(self, id))
    }

    fn report_failure(&self, id: AccountId, error: &UspsError) -> AppError {
        Connections::report_failure(self, id, error)
    }

    fn report_success(&self, id: AccountId) {
        Connections::report_success(self, id)
    }
}

impl ShippingService {
    /// The shipping service over a desk's store and USPS connections, printing with `lp`.
    /// Keep one per desk for as long as the desk is open: it holds the rate cache and the
    /// in-flight purchase guard.
    pub fn for_desk(desk: &Desk) -> Self {
        Self::for_desk_with(desk, Arc::new(SystemClock), Arc::new(LpPrinter))
    }

    pub fn for_desk_with(desk: &Desk, clock: Arc<dyn Clock>, printer: Arc<dyn Printer>) -> Self {
        Self::new(
            desk.store().clone(),
            desk.connections().clone(),
            clock,
            printer,
        )
    }
}
