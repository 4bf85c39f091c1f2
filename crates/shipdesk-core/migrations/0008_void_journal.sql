-- The void journal: one row per attempt to void a label, written before the cancel request
-- leaves, so a void USPS carried out is never lost to a failed local write or a crash.
-- `intent` is committed before anything is sent, `sent` (one more send counted) just before the
-- request leaves; the label's new status and `done` are committed in one transaction. A row
-- left in `intent` or `sent` is open: the label may already be canceled at USPS, so it is not
-- printed, and the next void of the label (or start-up) re-sends it — USPS's "already
-- canceled" then settles it. A row that never left (`intent`, no send) is closed at start-up.
-- `failed` means USPS refused the only send: nothing changed there.
CREATE TABLE void_attempts (
    id              INTEGER PRIMARY KEY,
    shipment_id     INTEGER NOT NULL REFERENCES shipments (id),
    state           TEXT NOT NULL CHECK (state IN ('intent','sent','done','failed')),
    sends           INTEGER NOT NULL DEFAULT 0 CHECK (sends >= 0),
    last_error_code TEXT,
    last_error      TEXT,
    -- How it ended at USPS, set with `done` and only then.
    result          TEXT CHECK (result IN ('voided','refund_requested')),
    dispute_id      TEXT,
    -- USPS's own word for the result (`CANCELED`, `DISPUTED`).
    provider_status TEXT,
    -- The process working on it (a store's owner id) and until when (unix seconds): another
    -- process leaves it alone while that owner is alive and the lease unexpired.
    lease_owner     TEXT,
    lease_until     INTEGER,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    updated_at      TEXT NOT NULL,
    CHECK ((state = 'done') = (result IS NOT NULL))
) STRICT;

-- At most one open void per label: a second void of the same label finishes the first.
CREATE UNIQUE INDEX void_one_open_attempt ON void_attempts (shipment_id)
    WHERE state IN ('intent','sent');
CREATE INDEX void_attempts_by_state ON void_attempts (state);
