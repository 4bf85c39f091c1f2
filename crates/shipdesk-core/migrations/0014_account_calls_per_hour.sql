-- How many calls an hour USPS allows the account's app per API. NULL: the default product's
-- allowance (60). A business whose quota USPS raised says so here, so long batches are paced to
-- what its app may really send.
ALTER TABLE usps_accounts ADD COLUMN calls_per_hour INTEGER
    CHECK (calls_per_hour IS NULL OR calls_per_hour BETWEEN 1 AND 1000000);
