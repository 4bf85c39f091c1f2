-- The Endicia postage purchase journal: one row per "Buy Postage", written before the request
-- leaves, so a purchase Endicia carried out is never lost and never sent twice.
-- `intent` is committed before anything is sent and `sent` just before the request leaves;
-- the answer moves it to `done` (bought), `refused` (Endicia said no) or `not_applied` (it never
-- arrived, or the account's registers prove it was not applied). A row left in `intent` or
-- `sent` is open: at most one per account (the index), so a second click or a second process
-- cannot buy again until it is settled from the account's registers.
-- Amounts are decimal text (dollars and cents), never floating point.
CREATE TABLE endicia_recredits (
    id             INTEGER PRIMARY KEY,
    account_number TEXT NOT NULL,
    amount         TEXT NOT NULL,
    request_id     TEXT NOT NULL UNIQUE,
    state          TEXT NOT NULL CHECK (state IN ('intent','sent','done','refused','not_applied')),
    -- The account's balance + postage printed before the purchase: a purchase is the only
    -- thing that raises it, so after = before + amount proves it was applied.
    funded_before  TEXT NOT NULL,
    balance_after  TEXT,
    transaction_id TEXT,
    message        TEXT,
    created_at     TEXT NOT NULL,
    sent_at        TEXT,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX endicia_one_open_recredit ON endicia_recredits (account_number)
    WHERE state IN ('intent','sent');
