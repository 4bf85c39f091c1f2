-- One owner per purchase attempt. A process takes an attempt's lease (its owner id and an
-- expiry, unix milliseconds) in an IMMEDIATE transaction before it sends or closes it; another
-- process leaves a leased attempt alone while the owner is alive and the lease unexpired.
-- `sent_at` is when the request last left (shown under "Purchases to check").
ALTER TABLE purchase_attempts ADD COLUMN lease_owner TEXT;
ALTER TABLE purchase_attempts ADD COLUMN lease_until INTEGER;
ALTER TABLE purchase_attempts ADD COLUMN sent_at TEXT;
