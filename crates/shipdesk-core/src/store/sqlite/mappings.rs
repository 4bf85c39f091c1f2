//! [`MappingStore`] over the `import_mappings` table: each mapping as JSON, so a mapping can gain
//! fields without a migration. `name` is `COLLATE NOCASE`, and names are trimmed before use.

use rusqlite::{OptionalExtension, params};

use crate::error::{AppError, AppResult};
use crate::orders::MappingStore;
use crate::orders::import::ColumnMapping;
use crate::store::Store;

fn decode(json: &str) -> AppResult<ColumnMapping> {
    serde_json::from_str(json)
        .map_err(|e| AppError::internal("A saved column mapping is damaged", &e))
}

impl MappingStore for Store {
    fn save_mapping(&self, mapping: &ColumnMapping, now: &str) -> AppResult<()> {
        let json = serde_json::to_string(mapping)
            .map_err(|e| AppError::internal("Could not save the column mapping", &e))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO import_mappings (name, mapping_json, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO UPDATE SET name = excluded.name,
                    mapping_json = excluded.mapping_json, updated_at = excluded.updated_at",
                params![mapping.name.trim(), json, now],
            )?;
            Ok(())
        })
    }

    fn mapping(&self, name: &str) -> AppResult<Option<ColumnMapping>> {
        let json: Option<String> = self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT mapping_json FROM import_mappings WHERE name = ?1",
                    [name.trim()],
                    |r| r.get(0),
                )
                .optional()?)
        })?;
        json.as_deref().map(decode).transpose()
    }

    fn mappings(&self) -> AppResult<Vec<ColumnMapping>> {
        let all: Vec<String> = self.read(|conn| {
            let mut stmt = conn
                .prepare("SELECT mapping_json FROM import_mappings ORDER BY name COLLATE NOCASE")?;
            let rows = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })?;
        all.iter().map(|j| decode(j)).collect()
    }

    fn delete_mapping(&self, name: &str) -> AppResult<bool> {
        self.write(|tx| {
            Ok(tx.execute("DELETE FROM import_mappings WHERE name = ?1", [name.trim()])? > 0)
        })
    }
}
