-- Contract (NSA) prices: whether a USPS account holds a contract, so its labels are bought with
-- a RATE_HOLDER role at its contract prices, and who said so: 'detected' from USPS (the token's
-- contract claims, a contract price search) or 'entered' by the user; NULL until either has.
ALTER TABLE usps_accounts ADD COLUMN has_contract INTEGER NOT NULL DEFAULT 0
    CHECK (has_contract IN (0, 1));

ALTER TABLE usps_accounts ADD COLUMN contract_source TEXT
    CHECK (contract_source IN ('detected', 'entered'));
