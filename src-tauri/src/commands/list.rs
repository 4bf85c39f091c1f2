// The one list of the app's Tauri commands, by area. Everything else follows from it or is
// checked against it:
// - `commands::handler` registers exactly these handlers, `commands::<area>::<command>`;
// - `build.rs` includes this file and allow-lists exactly these commands (tauri-build makes an
//   `allow-<command>` permission for each);
// - `ipc_tests::commands_agree` fails unless every `#[tauri::command]` in `commands/<area>.rs`
//   is listed here under its area, `capabilities/<area>.json` (`main.json` for `app`) grants
//   exactly its area's commands, `ui/src/ipc/*.ts` invokes exactly these names, and each has an
//   IPC test.
//
// A new command: write it in `commands/<area>.rs`, name it here, grant `allow-<command>` (with
// dashes) in the area's capability file, wrap it in `ui/src/ipc/<area>.ts`, test it in
// `ipc_tests/<area>.rs`.
//
// `build.rs` includes this file as well, so it holds macros only (and plain comments).

/// Calls `$then! { area: command, …; … }` with every command.
macro_rules! with_app_commands {
    ($then:ident) => {
        $then! {
            app: app_ready, doctor;
            orders: orders_list, orders_get, orders_scan, orders_create, orders_update, orders_archive,
                orders_set_tags, orders_tags, orders_import_pick_file, orders_import_preview,
                orders_import,
                orders_import_cancel, mappings_list, mapping_save, mapping_delete;
            carriers: carriers_list, carriers_sign_in_start, carriers_sign_in_finish,
                carriers_sign_in_cancel, carriers_connect_own_app, carriers_update,
                carriers_set_default, carriers_check, carriers_onboarding,
                carriers_open_business_portal, carriers_say_contract_prices, carriers_disconnect, carriers_remove,
                carriers_snooze_prompt, carriers_connection_snapshot,
                carriers_keep_secrets_in_memory, carriers_secrets_in_memory,
                carriers_redirect_port, carriers_sandbox_info;
            shipping: ship_from_list, ship_from_add, ship_from_update, ship_from_remove,
                ship_from_set_default, package_presets_list, package_preset_add,
                package_preset_update, package_preset_set_default, package_preset_delete,
                label_layout_get, label_layout_set, address_check_order,
                rates_for_order, rates_for_orders, customs_draft, label_buy, labels_batch_preview,
                labels_buy_batch, labels_batch_retry, labels_batch_cancel, shipping_purchases_to_check,
                shipping_check_purchase_again, shipping_discard_purchase, label_preview,
                label_download_again,
                labels_print,
                pdf_pick_save_path, labels_save_pdf, packing_slips_print, packing_slips_save_pdf, shipments_list,
                shipment_get, label_void, tracking_refresh, scan_forms_create, scan_forms_list,
                scan_form_print, scan_form_save_pdf, pickup_eligibility, pickup_prefill,
                pickup_schedule, pickup_cancel, pickups_list, printing_setup,
                printing_set_choices, printing_test_page;
            postage: postage_endicia_remembered, postage_endicia_login, postage_endicia_logout,
                postage_endicia_forget, postage_endicia_account, postage_endicia_buy,
                postage_endicia_check_purchase, postage_endicia_change_pass_phrase,
                postage_endicia_challenge_question, postage_endicia_unlock,
                postage_endicia_pay_labels, postage_endicia_remind_later, postage_endicia_auto_buy;
            reports: reports_get, reports_pick_csv_path, reports_save_csv;
        }
    };
}

/// `with_app_commands!(command_names)`: the names by area, `&[("area", &["command", …]), …]`.
/// For `build.rs` and the tests; the app itself only registers the handlers.
#[allow(unused_macros)]
macro_rules! command_names {
    ($($area:ident: $($command:ident),+;)+) => {
        &[$((stringify!($area), &[$(stringify!($command)),+] as &[&str])),+]
    };
}
