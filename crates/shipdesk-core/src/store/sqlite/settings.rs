//! [`SettingsStore`] over the `app_settings` table.

use rusqlite::OptionalExtension;

use crate::error::AppResult;
use crate::settings::SettingsStore;
use crate::store::Store;

impl SettingsStore for Store {
    fn setting(&self, key: &str) -> AppResult<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT value FROM app_settings WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn set_setting(&self, key: &str, value: &str) -> AppResult<()> {
        self.conn().execute(
            "INSERT INTO app_settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip() {
        let store = Store::open_in_memory().unwrap();
        let settings: &dyn SettingsStore = &store;
        assert_eq!(settings.setting("label_format").unwrap(), None);
        settings.set_setting("label_format", "4x6").unwrap();
        settings.set_setting("label_format", "letter").unwrap();
        assert_eq!(
            settings.setting("label_format").unwrap().as_deref(),
            Some("letter")
        );
    }
}
