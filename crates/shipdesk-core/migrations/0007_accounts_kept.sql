-- A USPS account is never forgotten and its id never reused, so a purchase keeps its account
-- for good. Removing an account now marks it removed (`removed_at`) instead of deleting the row:
-- it leaves every list, the default and every picker, its nickname is free again, and its id
-- stays taken (AUTOINCREMENT: not even the highest id comes back). Purchase attempts, labels,
-- SCAN forms and pickups name their account with a real foreign key.
--
-- SQLite adds a foreign key only by rebuilding the table. Migrations run inside one transaction
-- with `foreign_keys` ON (it cannot be switched off there), so the order below keeps every
-- constraint satisfied at every step: the new child tables are created pointing at the new
-- parents' temporary names, the old tables are dropped children first, and renaming a parent
-- rewrites the references to it.
--
-- Rows that name an account deleted before this migration keep their account id: a removed
-- placeholder account ("Removed account 7") is made for each such id.

CREATE TABLE usps_accounts_kept (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Unique among live accounts only (index below): a removed account's nickname can be reused.
    nickname         TEXT    NOT NULL COLLATE NOCASE,
    environment      TEXT    NOT NULL CHECK (environment IN ('sandbox', 'tem', 'production')),
    base_url         TEXT,
    crid             TEXT,
    mid              TEXT,
    manifest_mid     TEXT,
    eps_account      TEXT,
    mode             TEXT    NOT NULL CHECK (mode IN ('sign_in', 'own_app')),
    client_id        TEXT    NOT NULL,
    is_default       INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    is_sandbox_demo  INTEGER NOT NULL DEFAULT 0 CHECK (is_sandbox_demo IN (0, 1)),
    state_json       TEXT    NOT NULL,
    last_verified_at TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    -- When the user removed it (RFC 3339); NULL while the account is in use.
    removed_at       TEXT,
    CHECK (removed_at IS NULL OR is_default = 0)
);

INSERT INTO usps_accounts_kept (id, nickname, environment, base_url, crid, mid, manifest_mid,
        eps_account, mode, client_id, is_default, is_sandbox_demo, state_json, last_verified_at,
        created_at, updated_at)
    SELECT id, nickname, environment, base_url, crid, mid, manifest_mid, eps_account, mode,
        client_id, is_default, is_sandbox_demo, state_json, last_verified_at, created_at,
        updated_at
    FROM usps_accounts;

INSERT INTO usps_accounts_kept (id, nickname, environment, mode, client_id, state_json,
        created_at, updated_at, removed_at)
    SELECT gone.account_id, 'Removed account ' || gone.account_id,
        coalesce((SELECT value FROM app_settings WHERE key = 'environment'
                  AND value IN ('sandbox', 'tem', 'production')), 'sandbox'),
        'sign_in', '', '{"state":"disconnected"}',
        strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
        strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM (SELECT account_id FROM purchase_attempts
          UNION SELECT account_id FROM shipments
          UNION SELECT account_id FROM scan_forms
          UNION SELECT account_id FROM pickups) AS gone
    WHERE gone.account_id NOT IN (SELECT id FROM usps_accounts);

DROP TABLE usps_accounts;
ALTER TABLE usps_accounts_kept RENAME TO usps_accounts;

CREATE UNIQUE INDEX usps_accounts_one_default ON usps_accounts (is_default) WHERE is_default = 1;
CREATE UNIQUE INDEX usps_accounts_live_nickname ON usps_accounts (nickname)
    WHERE removed_at IS NULL;

CREATE TABLE purchase_attempts_kept (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    account_id       INTEGER NOT NULL REFERENCES usps_accounts (id),
    idempotency_key  TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL CHECK (state IN ('intent','sent','committed','printed','failed')),
    request_json     TEXT NOT NULL,
    mail_class       TEXT NOT NULL,
    ship_from_id     INTEGER REFERENCES ship_from_addresses (id),
    package_json     TEXT NOT NULL,
    address_choice   TEXT NOT NULL CHECK (address_choice IN ('as_entered','standardized')),
    ship_to_json     TEXT NOT NULL,
    additional_label INTEGER NOT NULL DEFAULT 0 CHECK (additional_label IN (0, 1)),
    sends            INTEGER NOT NULL DEFAULT 0,
    last_error_code  TEXT,
    last_error       TEXT,
    failure_details  TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    lease_owner      TEXT,
    lease_until      INTEGER,
    sent_at          TEXT
) STRICT;

INSERT INTO purchase_attempts_kept (id, order_id, account_id, idempotency_key, state,
        request_json, mail_class, ship_from_id, package_json, address_choice, ship_to_json,
        additional_label, sends, last_error_code, last_error, failure_details, created_at,
        updated_at, lease_owner, lease_until, sent_at)
    SELECT id, order_id, account_id, idempotency_key, state, request_json, mail_class,
        ship_from_id, package_json, address_choice, ship_to_json, additional_label, sends,
        last_error_code, last_error, failure_details, created_at, updated_at, lease_owner,
        lease_until, sent_at
    FROM purchase_attempts;

CREATE TABLE scan_forms_kept (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES usps_accounts (id),
    ship_from_id     INTEGER REFERENCES ship_from_addresses (id),
    manifest_number  TEXT NOT NULL,
    mailing_date     TEXT NOT NULL,
    label_count      INTEGER NOT NULL,
    pdf              BLOB NOT NULL,
    rendered_locally INTEGER NOT NULL DEFAULT 0 CHECK (rendered_locally IN (0, 1)),
    created_at       TEXT NOT NULL
) STRICT;

INSERT INTO scan_forms_kept (id, account_id, ship_from_id, manifest_number, mailing_date,
        label_count, pdf, rendered_locally, created_at)
    SELECT id, account_id, ship_from_id, manifest_number, mailing_date, label_count, pdf,
        rendered_locally, created_at
    FROM scan_forms;

CREATE TABLE pickups_kept (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES usps_accounts (id),
    ship_from_id        INTEGER REFERENCES ship_from_addresses (id),
    confirmation_number TEXT NOT NULL,
    pickup_date         TEXT NOT NULL,
    etag                TEXT,
    package_count       INTEGER NOT NULL,
    estimated_weight_lb TEXT NOT NULL,
    package_location    TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('scheduled','canceled')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

INSERT INTO pickups_kept (id, account_id, ship_from_id, confirmation_number, pickup_date, etag,
        package_count, estimated_weight_lb, package_location, status, created_at, updated_at)
    SELECT id, account_id, ship_from_id, confirmation_number, pickup_date, etag, package_count,
        estimated_weight_lb, package_location, status, created_at, updated_at
    FROM pickups;

-- Points at the new attempts and SCAN forms by their temporary names; the renames below
-- rewrite these references to the final names.
CREATE TABLE shipments_kept (
    id                  INTEGER PRIMARY KEY,
    attempt_id          INTEGER NOT NULL UNIQUE REFERENCES purchase_attempts_kept (id),
    order_id            INTEGER NOT NULL REFERENCES orders (id),
    account_id          INTEGER NOT NULL REFERENCES usps_accounts (id),
    tracking_number     TEXT NOT NULL UNIQUE,
    mail_class          TEXT NOT NULL,
    service_name        TEXT NOT NULL,
    rate_indicator      TEXT,
    postage             TEXT NOT NULL,
    zone                TEXT,
    commitment          TEXT,
    mailing_date        TEXT NOT NULL,
    weight_oz           TEXT NOT NULL,
    ship_from_id        INTEGER REFERENCES ship_from_addresses (id),
    from_json           TEXT NOT NULL,
    ship_to_json        TEXT NOT NULL,
    address_choice      TEXT NOT NULL,
    label_bytes         BLOB,
    label_content_type  TEXT,
    metadata_json       TEXT NOT NULL,
    sample              INTEGER NOT NULL CHECK (sample IN (0, 1)),
    status              TEXT NOT NULL CHECK (status IN
                            ('label_created','voided','refund_requested','in_transit','delivered')),
    dispute_id          TEXT,
    printed_at          TEXT,
    scan_form_id        INTEGER REFERENCES scan_forms_kept (id),
    tracking_status     TEXT,
    tracking_checked_at TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

INSERT INTO shipments_kept (id, attempt_id, order_id, account_id, tracking_number, mail_class,
        service_name, rate_indicator, postage, zone, commitment, mailing_date, weight_oz,
        ship_from_id, from_json, ship_to_json, address_choice, label_bytes, label_content_type,
        metadata_json, sample, status, dispute_id, printed_at, scan_form_id, tracking_status,
        tracking_checked_at, created_at, updated_at)
    SELECT id, attempt_id, order_id, account_id, tracking_number, mail_class, service_name,
        rate_indicator, postage, zone, commitment, mailing_date, weight_oz, ship_from_id,
        from_json, ship_to_json, address_choice, label_bytes, label_content_type, metadata_json,
        sample, status, dispute_id, printed_at, scan_form_id, tracking_status,
        tracking_checked_at, created_at, updated_at
    FROM shipments;

-- Children first: nothing references the old tables by the time each is dropped.
DROP TABLE shipments;
DROP TABLE pickups;
DROP TABLE scan_forms;
DROP TABLE purchase_attempts;

ALTER TABLE purchase_attempts_kept RENAME TO purchase_attempts;
ALTER TABLE scan_forms_kept RENAME TO scan_forms;
ALTER TABLE pickups_kept RENAME TO pickups;
ALTER TABLE shipments_kept RENAME TO shipments;

CREATE UNIQUE INDEX purchase_one_open_attempt ON purchase_attempts (order_id)
    WHERE state IN ('intent','sent');
CREATE INDEX purchase_attempts_by_state ON purchase_attempts (state);
-- Whether an account has unfinished purchases (it cannot be removed, nor its CRID changed).
CREATE INDEX purchase_open_by_account ON purchase_attempts (account_id)
    WHERE state IN ('intent','sent');
CREATE INDEX shipments_by_order ON shipments (order_id);
CREATE INDEX shipments_by_date ON shipments (mailing_date, ship_from_id);
CREATE INDEX shipments_by_created ON shipments (created_at);

-- No purchase starts through a removed account, whichever process removed it and whenever: the
-- store's removal checks for unfinished purchases in the same transaction, and this closes the
-- other order of events.
CREATE TRIGGER purchase_needs_live_account BEFORE INSERT ON purchase_attempts
    WHEN (SELECT removed_at FROM usps_accounts WHERE id = NEW.account_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'purchase through a removed USPS account');
END;
