-- What customs needs to know about a product, saved when a label abroad is bought with it, so
-- the next order of the same SKU fills its customs form by itself.
CREATE TABLE sku_customs (
    sku            TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    description    TEXT NOT NULL,
    hs_tariff      TEXT,
    origin_country TEXT,
    updated_at     TEXT NOT NULL
) STRICT;
