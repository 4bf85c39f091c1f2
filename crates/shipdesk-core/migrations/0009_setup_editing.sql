-- Settings › Ship-from addresses and Packages: an address that labels, SCAN forms or pickups
-- point at is archived instead of deleted (hidden from pickers, kept for those records), and
-- one package preset may be the default the Ship dialog starts with.

ALTER TABLE ship_from_addresses ADD COLUMN archived_at TEXT;

ALTER TABLE package_presets ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0
    CHECK (is_default IN (0, 1));

-- At most one default package preset.
CREATE UNIQUE INDEX package_presets_one_default ON package_presets (is_default)
    WHERE is_default = 1;

-- A database that already has presets keeps the box it used before there was a default: the
-- first by name.
UPDATE package_presets SET is_default = 1
    WHERE id = (SELECT id FROM package_presets ORDER BY name COLLATE NOCASE LIMIT 1);
