-- USPS accounts. No secret ever lives here: client secrets and refresh tokens are in
-- the OS keyring under keys derived from `app_settings.usps_secret_namespace` and the account id.
CREATE TABLE usps_accounts (
    id               INTEGER PRIMARY KEY,
    nickname         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    environment      TEXT    NOT NULL CHECK (environment IN ('sandbox', 'tem', 'production')),
    -- A custom host (a local simulator, a proxy); NULL means the environment's own host.
    base_url         TEXT,
    crid             TEXT,
    mid              TEXT,
    manifest_mid     TEXT,
    eps_account      TEXT,
    mode             TEXT    NOT NULL CHECK (mode IN ('sign_in', 'own_app')),
    client_id        TEXT    NOT NULL,
    is_default       INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    -- The Sandbox demo account a fresh data directory starts with.
    is_sandbox_demo  INTEGER NOT NULL DEFAULT 0 CHECK (is_sandbox_demo IN (0, 1)),
    -- ConnectionState as JSON ({"state":"connected"}, {"state":"needs_reconnect","reason":...}).
    state_json       TEXT    NOT NULL,
    last_verified_at TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE UNIQUE INDEX usps_accounts_one_default ON usps_accounts (is_default) WHERE is_default = 1;
