-- Orders, their line items and tags, a full-text index for search-as-you-type, and the column
-- mappings users save for files Shipdesk does not recognise.

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    order_number       TEXT NOT NULL,
    source_kind        TEXT NOT NULL CHECK (source_kind IN
                           ('shopify','etsy','ebay','amazon','woocommerce','file','manual')),
    -- The marketplace's own id when it has one, else the order number: with source_kind it is
    -- what makes a re-import find the same order instead of adding a duplicate.
    source_key         TEXT NOT NULL,
    source_id          TEXT,
    status             TEXT NOT NULL CHECK (status IN
                           ('awaiting_shipment','shipped','cancelled','on_hold')),
    ship_name          TEXT NOT NULL,
    ship_company       TEXT,
    ship_street1       TEXT NOT NULL,
    ship_street2       TEXT,
    ship_city          TEXT NOT NULL,
    ship_state         TEXT NOT NULL,
    ship_zip5          TEXT NOT NULL,
    ship_zip4          TEXT,
    ship_country       TEXT NOT NULL,
    ship_phone         TEXT,
    ship_email         TEXT,
    notes              TEXT,
    archived           INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    ordered_at         TEXT,
    -- Hash of the fields as last imported: a re-import of unchanged data is "unchanged" and does
    -- not clobber edits made in Shipdesk since.
    import_fingerprint TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (source_kind, source_key)
) STRICT;

CREATE INDEX orders_by_number ON orders (archived, order_number);
CREATE INDEX orders_by_date   ON orders (archived, ordered_at);
CREATE INDEX orders_by_name   ON orders (archived, ship_name);
CREATE INDEX orders_by_status ON orders (archived, status, order_number);
CREATE INDEX orders_number    ON orders (order_number);

CREATE TABLE order_items (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    sku        TEXT,
    title      TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    -- Exact decimals as text (never floating point): dollars, and ounces.
    unit_price TEXT,
    weight_oz  TEXT
) STRICT;

CREATE INDEX order_items_by_order ON order_items (order_id, position);

CREATE TABLE order_tags (
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (order_id, tag)
) STRICT, WITHOUT ROWID;

CREATE INDEX order_tags_by_tag ON order_tags (tag, order_id);

-- rowid = orders.id; the store rewrites an order's row whenever the order or its items change.
CREATE VIRTUAL TABLE orders_fts USING fts5 (
    order_number, name, company, address, skus, titles,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TABLE import_mappings (
    name         TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    mapping_json TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
