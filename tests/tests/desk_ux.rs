//! The desk at a glance, in the real app: an order opens with one click and selecting never moves
//! the rows under the pointer; the whole ship flow works from the keyboard alone; and no page,
//! dialog, drawer or form is wider than the window at the two screen sizes desks use
//! (1024×768 and 1280×800), with a screenshot of each kept under `target/e2e-artifacts`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;
use shipdesk_e2e::steps::{add_ship_from, fixtures, import_shopify_sample, wait_until_gone};
use shipdesk_e2e::{App, launch};

/// Presses `key` (with Shift held when `shift`) wherever focus is, as a person would.
async fn press(app: &App, key: Key, shift: bool) {
    let key: char = key.into();
    let shift_key: char = Key::Shift.into();
    let mut keys = KeyActions::new("keyboard".to_owned());
    if shift {
        keys = keys.then(KeyAction::Down { value: shift_key });
    }
    keys = keys
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    if shift {
        keys = keys.then(KeyAction::Up { value: shift_key });
    }
    app.client.perform_actions(keys).await.unwrap();
}

/// Types `text` into whatever has focus.
async fn type_text(app: &App, text: &str) {
    let mut keys = KeyActions::new("keyboard".to_owned());
    for c in text.chars() {
        keys = keys
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    app.client.perform_actions(keys).await.unwrap();
}

/// Whether the focused element matches `css`.
async fn focused_is(app: &App, css: &str) -> bool {
    app.client
        .execute(
            "return !!document.activeElement && document.activeElement.matches(arguments[0]);",
            vec![Value::String(css.to_owned())],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}

/// Presses Tab until the focused element matches `css` (at most 40 times).
async fn tab_to(app: &App, css: &str) {
    for _ in 0..40 {
        if focused_is(app, css).await {
            return;
        }
        press(app, Key::Tab, false).await;
    }
    let at = app
        .client
        .execute(
            "const a = document.activeElement; return a ? a.outerHTML.slice(0, 200) : null;",
            vec![],
        )
        .await
        .unwrap();
    panic!("Tab never reached `{css}`; focus is on {at}");
}

async fn top_of(app: &App, css: &str) -> f64 {
    app.client
        .execute(
            "return document.querySelector(arguments[0]).getBoundingClientRect().top;",
            vec![Value::String(css.to_owned())],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

#[tokio::test]
async fn one_click_opens_an_order_and_selecting_never_moves_the_rows() {
    let Some(fixtures) = fixtures() else { return };
    let Some(app) = launch("one_click_opens_an_order_and_selecting_never_moves_the_rows").await
    else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;
    let row = "[role=row][data-order='#2002']";
    let before = top_of(&app, row).await;
    // A click on the row (not its number) selects it; the selection bar takes the hint's place.
    app.click(&format!("{row} [role=gridcell]:nth-child(3)"))
        .await;
    app.wait_for_text(".selection-bar", "1 selected").await;
    let after = top_of(&app, row).await;
    assert!(
        (after - before).abs() < 0.5,
        "the row moved from {before} to {after} when it was selected"
    );
    assert!(
        app.client
            .find(fantoccini::Locator::Css("[data-testid=order-drawer]"))
            .await
            .is_err(),
        "selecting does not open"
    );
    // One click on the number opens the order.
    app.click("[data-open-order='#2003']").await;
    app.wait_for_text("[data-testid=order-drawer] h2", "Order #2003")
        .await;
    app.screenshot("opened-with-one-click");
    app.close().await;
}

#[tokio::test]
async fn the_ship_flow_works_from_the_keyboard_alone() {
    let Some(fixtures) = fixtures() else { return };
    let Some(app) = launch("the_ship_flow_works_from_the_keyboard_alone").await else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;
    // A ship-from address is part of setting up, not of shipping: saved once, with the mouse.
    app.click("[data-open-order='#2001']").await;
    app.click("[data-action=ship-order]").await;
    add_ship_from(&app).await;
    app.click("[data-action=close-ship]").await;
    wait_until_gone(&app, "[data-testid=ship-dialog]").await;
    press(&app, Key::Escape, false).await;
    wait_until_gone(&app, "[data-testid=order-drawer]").await;

    // From here on, only keys. "/" jumps to search; Tab reaches the orders table, one stop.
    press(&app, Key::Escape, false).await;
    type_text(&app, "/").await;
    assert!(focused_is(&app, "[data-testid=orders-search]").await);
    tab_to(&app, "[data-testid=orders-scroller]").await;
    // The table keeps its place: the last opened order (#2001); down once is #2002.
    press(&app, Key::Down, false).await;
    app.wait_for_text(".selection-bar", "1 selected").await;
    press(&app, Key::Enter, false).await;
    app.wait_for_text("[data-testid=order-drawer] h2", "Order #2002")
        .await;
    assert!(
        focused_is(
            &app,
            "[data-testid=order-drawer], [data-testid=order-drawer] *"
        )
        .await,
        "the drawer takes focus"
    );
    tab_to(&app, "[data-action=ship-order]").await;
    press(&app, Key::Enter, false).await;
    app.wait_for_text("#ship-title", "Ship order #2002").await;
    // The sample carries no weights: the dialog asks for one.
    app.find("[data-testid=no-weight]").await;
    tab_to(&app, "[aria-label='Weight, pounds']").await;
    type_text(&app, "2").await;
    // The address is checked and rates arrive on their own; the safe default is preselected.
    app.find("[data-testid=rates] input[type=radio]:checked")
        .await;
    let start = Instant::now();
    while !app
        .find("[data-action=buy-label]")
        .await
        .is_enabled()
        .await
        .unwrap()
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "Buy never enabled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tab_to(&app, "[data-action=buy-label]").await;
    press(&app, Key::Enter, false).await;
    app.wait_for_text("[data-testid=bought]", "Label bought")
        .await;
    // Focus lands on Print; Escape still closes the dialog.
    let start = Instant::now();
    while !focused_is(&app, "[data-action=print-labels]").await {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "focus never reached Print after buying"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.screenshot("bought-by-keyboard");
    press(&app, Key::Escape, false).await;
    wait_until_gone(&app, "[data-testid=ship-dialog]").await;
    app.wait_for_text("[data-testid=order-drawer]", "Shipped")
        .await;
    app.close().await;
}

/// What is wider than its box or than the window: each dialog, drawer, form, fieldset, section
/// and table, and the page itself.
const OVERFLOW_PROBE: &str = r#"
const name = (el) => {
  const id = el.getAttribute('data-testid') || el.id || el.getAttribute('aria-labelledby') || '';
  return `${el.tagName.toLowerCase()}${id ? '#' + id : ''}.${[...el.classList].join('.')}`;
};
const found = [];
const page = document.documentElement;
if (page.scrollWidth > page.clientWidth + 1) found.push(`the page ${page.scrollWidth} > ${page.clientWidth}`);
for (const el of document.querySelectorAll('[role=dialog], .drawer, .modal, form, fieldset, section, table')) {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) continue;
  const scroller = el.closest('.table-scroll');
  if (el.scrollWidth > el.clientWidth + 1 && !(el.tagName === 'TABLE' && scroller)) {
    found.push(`${name(el)} ${el.scrollWidth} > ${el.clientWidth}`);
  }
  if (box.right > window.innerWidth + 1) found.push(`${name(el)} ends at ${Math.round(box.right)} of ${window.innerWidth}`);
}
return { found, width: window.innerWidth, height: window.innerHeight };
"#;

struct Walk {
    size: (u32, u32),
    problems: Vec<String>,
    shots: Vec<PathBuf>,
}

impl Walk {
    async fn check(&mut self, app: &App, what: &str) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let probe = app.client.execute(OVERFLOW_PROBE, vec![]).await.unwrap();
        let label = format!("{}x{}-{what}", self.size.0, self.size.1);
        // An X screenshot, given time to catch up with the last step: WebKitWebDriver's own
        // screenshot waits for a repaint and, on a page that does not change, may never answer.
        tokio::time::sleep(Duration::from_millis(500)).await;
        self.shots.push(app.screenshot(&label));
        for f in probe["found"].as_array().unwrap() {
            self.problems
                .push(format!("{label}: {}", f.as_str().unwrap_or_default()));
        }
    }
}

async fn resize(app: &App, (width, height): (u32, u32)) {
    app.client
        .set_window_rect(0, 0, width, height)
        .await
        .unwrap_or_else(|e| panic!("resizing the window to {width}×{height}: {e}"));
    tokio::time::sleep(Duration::from_millis(400)).await;
}

async fn walk(app: &App, size: (u32, u32), sheet: &Path) -> Walk {
    let mut w = Walk {
        size,
        problems: Vec::new(),
        shots: Vec::new(),
    };
    resize(app, size).await;
    app.click("nav a[data-nav='orders']").await;
    app.find("[data-open-order='#2001']").await;
    w.check(app, "orders").await;

    app.click("[data-open-order='#2002']").await;
    app.find("[data-testid=order-drawer]").await;
    w.check(app, "order-drawer").await;
    app.click("[data-testid=order-drawer] .drawer-actions button:first-child")
        .await;
    app.find("[data-testid=order-drawer] form.order-form").await;
    w.check(app, "order-drawer-edit").await;
    app.click("[data-testid=order-drawer] [aria-label='Close details']")
        .await;
    wait_until_gone(app, "[data-testid=order-drawer]").await;

    app.click("[data-action=new-order]").await;
    app.find("[data-testid=new-order-dialog]").await;
    w.check(app, "new-order").await;
    press(app, Key::Escape, false).await;
    wait_until_gone(app, "[data-testid=new-order-dialog]").await;

    app.click("[data-action=import]").await;
    app.answer_dialog(sheet);
    app.click("[data-action=choose-file]").await;
    app.find("[data-testid=mapping-form]").await;
    w.check(app, "import-mapping").await;
    press(app, Key::Escape, false).await;
    wait_until_gone(app, "[data-testid=import-dialog]").await;

    app.click("[data-open-order='#2001']").await;
    app.click("[data-action=ship-order]").await;
    // The sample carries no weights.
    app.find("[aria-label='Weight, pounds']")
        .await
        .send_keys("1")
        .await
        .unwrap();
    app.find("[data-testid=rates] input[type=radio]:checked")
        .await;
    app.click("[data-action=price-details]").await;
    app.client
        .execute(
            "document.querySelector('[data-testid=rates]').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await
        .unwrap();
    w.check(app, "ship-one").await;
    app.click("[data-action=close-ship]").await;
    wait_until_gone(app, "[data-testid=ship-dialog]").await;
    press(app, Key::Escape, false).await;
    wait_until_gone(app, "[data-testid=order-drawer]").await;

    for n in ["#2001", "#2002"] {
        app.click(&format!("input[aria-label='Select order {n}']"))
            .await;
    }
    app.wait_for_text(".selection-bar", "2 selected").await;
    app.click("[data-action=ship]").await;
    app.wait_for_text("#ship-title", "Ship 2 orders").await;
    w.check(app, "ship-many").await;
    app.click("[data-action=close-ship]").await;
    wait_until_gone(app, "[data-testid=ship-dialog]").await;
    for n in ["#2001", "#2002"] {
        app.click(&format!("input[aria-label='Select order {n}']"))
            .await;
    }

    for page in ["shipments", "end-of-day", "reports"] {
        if app
            .client
            .find(fantoccini::Locator::Css(&format!(
                "nav a[data-nav='{page}']"
            )))
            .await
            .is_ok()
        {
            app.click(&format!("nav a[data-nav='{page}']")).await;
            app.find(&format!("[data-page='{page}']")).await;
            w.check(app, page).await;
        }
    }
    // The `?` overlay, opened and closed from the keyboard.
    app.click("nav a[data-nav='orders']").await;
    app.find("[data-open-order='#2001']").await;
    type_text(app, "?").await;
    app.find("[data-testid=keyboard-help]").await;
    w.check(app, "keyboard-help").await;
    press(app, Key::Escape, false).await;
    wait_until_gone(app, "[data-testid=keyboard-help]").await;

    app.click("nav a[data-nav='settings']").await;
    app.find("[data-page^='settings']").await;
    w.check(app, "settings").await;
    // Every section Settings links to.
    let sections: Vec<String> = app
        .client
        .execute(
            "return [...document.querySelectorAll('main a[href^=\"#/settings\"], [data-page^=settings] a[href^=\"#/settings\"]')]
               .map((a) => a.getAttribute('href'));",
            vec![],
        )
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    for href in sections {
        app.click(&format!("a[href='{href}']")).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let label = href.trim_start_matches("#/").replace('/', "-");
        w.check(app, &label).await;
    }
    w
}

#[tokio::test]
async fn nothing_is_wider_than_the_window_at_desk_screen_sizes() {
    let Some(fixtures) = fixtures() else { return };
    let Some(app) = launch("nothing_is_wider_than_the_window_at_desk_screen_sizes").await else {
        return;
    };
    import_shopify_sample(&app, &fixtures).await;
    // A ship-from address, so the Ship dialog shows the address check and rates.
    app.click("[data-open-order='#2001']").await;
    app.click("[data-action=ship-order]").await;
    add_ship_from(&app).await;
    app.click("[data-action=close-ship]").await;
    wait_until_gone(&app, "[data-testid=ship-dialog]").await;
    press(&app, Key::Escape, false).await;
    wait_until_gone(&app, "[data-testid=order-drawer]").await;

    let scratch = tempfile::tempdir().unwrap();
    let sheet = scratch.path().join("sheet.csv");
    std::fs::write(
        &sheet,
        "Order #,Recipient,Address,Town,State Abbr,Zip Code,Item\nW-1,Cy Diaz,3 Oak Rd,Boise,ID,83702,Soap\n",
    )
    .unwrap();
    let mut problems = Vec::new();
    let mut shots = 0;
    for size in [(1024, 768), (1280, 800)] {
        let w = walk(&app, size, &sheet).await;
        problems.extend(w.problems);
        shots += w.shots.len();
    }
    assert!(shots >= 2 * 9, "only {shots} screens were walked");
    assert!(
        problems.is_empty(),
        "wider than their box or the window:\n{}",
        problems.join("\n")
    );
    app.close().await;
}
