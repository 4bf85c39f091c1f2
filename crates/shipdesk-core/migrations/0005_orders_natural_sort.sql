-- Order numbers sort the way people count them: a shorter number first, so #999 comes before
-- #1000 (text order would put #1000 first). The index serves that ORDER BY for the Orders table's
-- pages and replaces the plain one, which nothing sorts by any more.
DROP INDEX orders_by_number;
CREATE INDEX orders_by_number_natural ON orders (archived, length(order_number), order_number);
