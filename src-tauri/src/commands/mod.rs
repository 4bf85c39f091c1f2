//! Tauri commands: each takes state, calls core, and returns core's result. No logic here; if a
//! command needs more than a line, that logic belongs in `shipdesk-core`.
//!
//! The commands are named once, in `list.rs`: [`handler`] registers them from there and
//! `build.rs` allow-lists them from the same list.

pub mod app;
pub mod carriers;
pub mod orders;
pub mod postage;
pub mod reports;
pub mod shipping;

include!("list.rs");

/// Every command's name, by area, as `list.rs` gives them.
#[cfg(test)]
pub const COMMANDS_BY_AREA: &[(&str, &[&str])] = with_app_commands!(command_names);

/// The invoke handler for every command in `list.rs`.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    macro_rules! register {
        ($($area:ident: $($command:ident),+;)+) => {
            tauri::generate_handler![$($(crate::commands::$area::$command),+),+]
        };
    }
    with_app_commands!(register)
}
