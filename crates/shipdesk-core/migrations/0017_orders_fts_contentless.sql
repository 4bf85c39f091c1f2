-- The search index keeps only its index, not a second copy of every order's text: nothing reads
-- text back out of it (a search asks it for rowids, the orders table has the text), and copying
-- the text cost a large import about a fifth of its time. `contentless_delete` lets the store
-- still delete or replace an order's entry by rowid alone.
--
-- `hashsize` is how many bytes of new entries the index gathers in memory before writing them out
-- as a segment that later merges must read back. The default (1 MiB) flushed a 100,000-order
-- import dozens of times; 64 MiB flushes it a few times. Only a transaction that writes that much
-- ever holds that much.
DROP TABLE orders_fts;

CREATE VIRTUAL TABLE orders_fts USING fts5 (
    order_number, name, company, address, skus, titles,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3',
    content = '',
    contentless_delete = 1
);

INSERT INTO orders_fts (orders_fts, rank) VALUES ('hashsize', 67108864);

-- The same text the store writes for each order (OrderWriter::index): street, city, state and
-- ZIP as the address; the items' SKUs and titles in their order.
INSERT INTO orders_fts (rowid, order_number, name, company, address, skus, titles)
SELECT o.id, o.order_number, o.ship_name, o.ship_company,
       concat_ws(' ', o.ship_street1, o.ship_street2, o.ship_city, o.ship_state, o.ship_zip5),
       (SELECT group_concat(sku, ' ') FROM
            (SELECT sku FROM order_items WHERE order_id = o.id AND sku IS NOT NULL ORDER BY position)),
       (SELECT group_concat(title, ' ') FROM
            (SELECT title FROM order_items WHERE order_id = o.id ORDER BY position))
FROM orders o;
