//! The consent pages in a real headless Chromium (WebDriver via chromedriver): a user signs in,
//! is stopped by the unticked terms box, ticks it, authorizes, and the success page takes the
//! browser back to the app's loopback callback on its own. Skipped (with the reason printed)
//! when chromedriver or Chromium is not installed. chromedriver is reached over plain HTTP on
//! loopback, so no TLS stack is involved.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn installed(bin: &str) -> bool {
    Command::new(bin)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Accepts one HTTP request on `listener` and returns its request line.
async fn one_request(listener: tokio::net::TcpListener) -> String {
    let (mut sock, _) = listener.accept().await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = sock.read(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf[..n]).to_string();
    let _ = sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 9\r\nConnection: close\r\n\r\nconnected").await;
    text.lines().next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn consent_flow_in_headless_chromium_returns_to_the_app_by_itself() {
    if !installed("chromedriver") || !installed("chromium") {
        println!("SKIPPED: chromedriver or chromium not installed");
        return;
    }
    let callback = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let redirect = format!(
        "http://127.0.0.1:{}/usps/callback",
        callback.local_addr().unwrap().port()
    );
    let arrived = tokio::spawn(one_request(callback));
    let scenario = usps_sim::Scenario::demo().with_redirect_uri(redirect.clone());
    let sim = usps_sim::start(usps_sim::SimConfig::new(scenario))
        .await
        .unwrap();

    let port = free_port();
    let _driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), serde_json::json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}));
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session");

    let start = url::Url::parse_with_params(
        &format!("{}cop-navigator", sim.base_url()),
        &[
            ("wf", "apis_merchant_user"),
            ("client_id", "shipdesk-sandbox"),
            ("state", "browser-state"),
            ("redirect_uri", redirect.as_str()),
            ("platform", "Shipdesk"),
            ("reauth", "true"),
        ],
    )
    .unwrap();
    client.goto(start.as_str()).await.unwrap();
    client
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys("demo")
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("shipdesk-demo")
        .await
        .unwrap();
    client
        .find(Locator::Id("sign-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id("authorize"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let error = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id("error"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(error.contains("You must agree"), "{error}");
    let terms = client
        .find(Locator::Css("#consent-form label"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(terms.contains("authorizing Shipdesk to access my USPS business account"));
    client
        .find(Locator::Id("agree"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id("authorize"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let button = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id("go-to-platform"))
        .await
        .unwrap();
    assert_eq!(button.text().await.unwrap(), "Go to Shipdesk");
    // Nobody clicks: the page must take the browser back on its own.
    let request_line = tokio::time::timeout(Duration::from_secs(15), arrived)
        .await
        .expect("browser came back by itself")
        .unwrap();
    assert!(
        request_line.starts_with("GET /usps/callback?code="),
        "{request_line}"
    );
    assert!(
        request_line.contains("state=browser-state"),
        "{request_line}"
    );
    client.close().await.unwrap();
    sim.shutdown().await;
}
