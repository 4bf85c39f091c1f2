-- What customs needs to know about a product, saved when a label abroad is bought with it, so
-- the next order of the same SKU fills its customs form by itself.
CREATE TABLE sku_customs (
    sku            TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
    description    TEXT NOT NULL,
    hs_tariff      TEXT,
    origin_country TEXT,
    -- Ounces for one, as declared (exact decimal text); exports often carry no item weights.
    weight_oz      TEXT,
    updated_at     TEXT NOT NULL
) STRICT;
