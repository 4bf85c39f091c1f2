-- What a marketplace export says about an item for customs abroad, kept on the line: its HS
-- tariff number, the country it was made in, and the currency of its price when not dollars.
ALTER TABLE order_items ADD COLUMN hs_tariff TEXT;
ALTER TABLE order_items ADD COLUMN origin_country TEXT;
ALTER TABLE order_items ADD COLUMN currency TEXT;
