-- Scan-to-ship finds an order by the marketplace's own order id (a packing slip's barcode often
-- carries it) as well as by its number.
CREATE INDEX orders_by_source_id ON orders (source_id);
