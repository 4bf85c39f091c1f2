//! One Tauri window showing one static page: the least a Tauri app on WebKitGTK costs to start
//! and to keep in memory. Like shipdesk-app, it writes `{"ready_ms":N}` to `SHIPDESK_READY_FILE`
//! once its page has loaded, N counted from the start of `main`.

use std::time::Instant;

use tauri::webview::PageLoadEvent;

fn main() {
    let started = Instant::now();
    let ready_file = std::env::var_os("SHIPDESK_READY_FILE");
    tauri::Builder::default()
        .on_page_load(move |_webview, payload| {
            if payload.event() == PageLoadEvent::Finished
                && let Some(path) = &ready_file
            {
                let ms = started.elapsed().as_millis();
                let _ = std::fs::write(path, format!("{{\"ready_ms\":{ms}}}"));
            }
        })
        .run(tauri::generate_context!())
        .expect("the bare window could not run");
}
