-- Shipping: saved ship-from addresses and package presets, the purchase journal (one row per
-- attempt to buy a label, written before any request leaves), the labels bought (shipments),
-- End of Day SCAN forms and carrier pickups. Money and weights are exact decimals as text.

CREATE TABLE ship_from_addresses (
    id           INTEGER PRIMARY KEY,
    nickname     TEXT NOT NULL,
    name         TEXT NOT NULL,
    company      TEXT,
    street1      TEXT NOT NULL,
    street2      TEXT,
    city         TEXT NOT NULL,
    state        TEXT NOT NULL,
    zip5         TEXT NOT NULL,
    zip4         TEXT,
    phone        TEXT,
    email        TEXT,
    is_default   INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

-- At most one default ship-from address.
CREATE UNIQUE INDEX ship_from_one_default ON ship_from_addresses (is_default) WHERE is_default = 1;

CREATE TABLE package_presets (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    length_in  TEXT NOT NULL,
    width_in   TEXT NOT NULL,
    height_in  TEXT NOT NULL,
    -- Empty weight of the box, or the usual weight of what ships in it; NULL = weigh each time.
    weight_oz  TEXT,
    created_at TEXT NOT NULL
) STRICT;

-- The purchase journal. `intent` is committed before the request is sent, `sent`
-- before the answer is awaited; a row left in either state is re-sent with the SAME idempotency
-- key (USPS then returns the label it already made, without a second charge).
CREATE TABLE purchase_attempts (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    account_id       INTEGER NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL CHECK (state IN ('intent','sent','committed','printed','failed')),
    -- The exact LabelRequest JSON: a retry must send the identical payload with the same key.
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
    updated_at       TEXT NOT NULL
) STRICT;

-- One unfinished attempt per order at a time: a second buyer (another window, the CLI) must
-- wait for or resume the first, never start a parallel purchase.
CREATE UNIQUE INDEX purchase_one_open_attempt ON purchase_attempts (order_id)
    WHERE state IN ('intent','sent');
CREATE INDEX purchase_attempts_by_state ON purchase_attempts (state);

CREATE TABLE scan_forms (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL,
    ship_from_id    INTEGER REFERENCES ship_from_addresses (id),
    manifest_number TEXT NOT NULL,
    mailing_date    TEXT NOT NULL,
    label_count     INTEGER NOT NULL,
    pdf             BLOB NOT NULL,
    -- 1 when USPS sent no image and Shipdesk drew the form from USPS's answer.
    rendered_locally INTEGER NOT NULL DEFAULT 0 CHECK (rendered_locally IN (0, 1)),
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE shipments (
    id                 INTEGER PRIMARY KEY,
    attempt_id         INTEGER NOT NULL UNIQUE REFERENCES purchase_attempts (id),
    order_id           INTEGER NOT NULL REFERENCES orders (id),
    account_id         INTEGER NOT NULL,
    tracking_number    TEXT NOT NULL UNIQUE,
    mail_class         TEXT NOT NULL,
    service_name       TEXT NOT NULL,
    rate_indicator     TEXT,
    postage            TEXT NOT NULL,
    zone               TEXT,
    commitment         TEXT,
    mailing_date       TEXT NOT NULL,
    weight_oz          TEXT NOT NULL,
    ship_from_id       INTEGER REFERENCES ship_from_addresses (id),
    from_json          TEXT NOT NULL,
    ship_to_json       TEXT NOT NULL,
    address_choice     TEXT NOT NULL,
    -- The label exactly as USPS returned it (decoded from USPS's base64 transfer encoding).
    label_bytes        BLOB,
    label_content_type TEXT,
    metadata_json      TEXT NOT NULL,
    sample             INTEGER NOT NULL CHECK (sample IN (0, 1)),
    status             TEXT NOT NULL CHECK (status IN
                           ('label_created','voided','refund_requested','in_transit','delivered')),
    dispute_id         TEXT,
    printed_at         TEXT,
    scan_form_id       INTEGER REFERENCES scan_forms (id),
    tracking_status    TEXT,
    tracking_checked_at TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;

CREATE INDEX shipments_by_order ON shipments (order_id);
CREATE INDEX shipments_by_date ON shipments (mailing_date, ship_from_id);
CREATE INDEX shipments_by_created ON shipments (created_at);

CREATE TABLE pickups (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL,
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
