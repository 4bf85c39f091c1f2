-- Labels paid from an Endicia prepaid postage account.
--
-- Shipments, purchase attempts, SCAN forms and pickups reference `usps_accounts(id)`, so the
-- Endicia account that pays for a label is a row there too, marked by `provider`. Only
-- `provider = 'usps'` rows are USPS business accounts (Carrier Settings, the connection state,
-- the default account); an `endicia` row names its account number and is never the default.
ALTER TABLE usps_accounts ADD COLUMN provider TEXT NOT NULL DEFAULT 'usps'
    CHECK (provider IN ('usps', 'endicia'));
ALTER TABLE usps_accounts ADD COLUMN endicia_account TEXT;

CREATE UNIQUE INDEX usps_accounts_one_endicia_row
    ON usps_accounts (endicia_account, environment) WHERE provider = 'endicia';

-- Endicia labels are not idempotent: ELS makes (and charges) a second label for a second
-- request. Before a label request leaves, the account's serial number (its last piece) is
-- written here under the purchase's idempotency key; a re-send after a lost answer first reads
-- the account again, and sends only when no piece was made since.
CREATE TABLE endicia_label_sends (
    idempotency_key TEXT PRIMARY KEY,
    account_number  TEXT NOT NULL,
    serial_before   INTEGER NOT NULL,
    printed_before  TEXT NOT NULL,
    sends           INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
