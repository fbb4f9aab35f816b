//! End to end in headless Chromium over WebDriver (plain HTTP to `chromedriver`): the story list, a story with its
//! columns and framing table, search as you type, following an entity, a hostile article that must run nothing,
//! a story read with JavaScript off, and no error in the browser's console. Screenshots at 1280 and 390 pixels wide
//! go to `target/e2e-screenshots/`. Skipped, saying so, where `chromium` or `chromedriver` is not installed
//! (`apt-get install -y chromium chromium-driver`).

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn find(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One HTTP/1.1 exchange on its own connection: the status and the body.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, Vec<u8>) {
    try_http(port, method, path, body).unwrap_or_else(|| panic!("{method} {path}: no answer"))
}

fn try_http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Option<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    // Read the head, then exactly the body its Content-Length states (a server may keep the connection open).
    let mut answer = Vec::new();
    let mut buffer = [0u8; 64 << 10];
    loop {
        let n = stream.read(&mut buffer).ok()?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..n]);
        if let Some(split) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_some_and(|length| answer.len() >= split + 4 + length) {
                break;
            }
        }
    }
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&answer[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())?;
    Some((status, answer[split + 4..].to_vec()))
}

/// A WebDriver session on a running chromedriver.
struct Browser {
    port: u16,
    session: String,
}

impl Browser {
    fn start(port: u16, profile: &Path, javascript: bool) -> Browser {
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--hide-scrollbars".into(),
            format!("--user-data-dir={}", profile.display()),
            "--window-size=1280,1000".into(),
        ];
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        let mut options = json!({ "args": args });
        if let Some(binary) = find("chromium") {
            options["binary"] = json!(binary);
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": { "browser": "ALL" },
        }}});
        let (status, body) = http(port, "POST", "/session", Some(&capabilities));
        let value: Value = serde_json::from_slice(&body).expect("session JSON");
        assert_eq!(status, 200, "no session: {value}");
        Browser {
            port,
            session: value["value"]["sessionId"]
                .as_str()
                .expect("session id")
                .to_owned(),
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let (status, bytes) = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        );
        let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value["value"].clone())
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, value) = self.call(method, path, body);
        assert_eq!(status, 200, "{method} {path}: {value}");
        value
    }

    fn go(&self, url: &str) {
        self.ok("POST", "/url", Some(json!({ "url": url })));
    }

    fn script(&self, script: &str) -> Value {
        self.ok(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    fn count(&self, css: &str) -> usize {
        self.ok(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )
        .as_array()
        .map_or(0, Vec::len)
    }

    fn element(&self, css: &str) -> String {
        let found = self.ok(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element id")
            .to_owned()
    }

    fn url(&self) -> String {
        self.ok("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn resize(&self, width: u32) {
        self.ok(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": 1000 })),
        );
    }

    /// A screenshot of the whole page at the window's width.
    fn screenshot(&self, name: &str) {
        let dir = screenshots();
        let height = self
            .script("return Math.min(document.documentElement.scrollHeight, 6000);")
            .as_u64()
            .unwrap_or(1000);
        let width = self
            .script("return window.innerWidth;")
            .as_u64()
            .unwrap_or(1280);
        // Headless Chromium captures the viewport: make it as tall as the page.
        self.ok(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height.max(600) })),
        );
        let data = self.ok("GET", "/screenshot", None);
        self.ok(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": 1000 })),
        );
        let png = base64_decode(data.as_str().expect("base64"));
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// The console's errors since the last call (Chromium's log endpoint).
    /// A screenshot of one element (a section of a page too long for a whole-page screenshot).
    fn element_screenshot(&self, css: &str, name: &str) {
        let element = self.element(css);
        let data = self.ok("GET", &format!("/element/{element}/screenshot"), None);
        let png = base64_decode(data.as_str().expect("base64"));
        std::fs::write(screenshots().join(format!("{name}.png")), png).expect("write screenshot");
    }

    fn console_errors(&self) -> Vec<String> {
        let (status, entries) = self.call("POST", "/se/log", Some(json!({ "type": "browser" })));
        if status != 200 {
            eprintln!("the browser's console log cannot be read here ({status}); not checked");
            return Vec::new();
        }
        entries
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    fn alert_open(&self) -> bool {
        self.call("GET", "/alert/text", None).0 == 200
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
    }
}

fn screenshots() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for chunk in sextets.chunks(4) {
        let mut n = 0u32;
        for (i, s) in chunk.iter().enumerate() {
            n |= u32::from(*s) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_reader_in_chromium() {
    let (Some(driver), Some(_)) = (find("chromedriver"), find("chromium")) else {
        eprintln!(
            "SKIPPED: chromium or chromedriver is not installed (apt-get install -y chromium chromium-driver)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let state = common::state(dir.path(), None);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let server = listener.local_addr().expect("addr").port();
    runtime.spawn(async move {
        let _ = axum::serve(listener, parallax_server::app(state)).await;
    });
    let base = format!("http://127.0.0.1:{server}");

    let port = free_port();
    let _driver = Driver(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver"),
    );
    wait_until("chromedriver", || {
        try_http(port, "GET", "/status", None).is_some_and(|(status, _)| status == 200)
    });

    let profile = tempfile::tempdir().expect("profile");
    let browser = Browser::start(port, profile.path(), true);
    for width in [1280, 390] {
        browser.resize(width);
        // The story list.
        browser.go(&format!("{base}/"));
        assert!(browser.count("li.story") >= 10);
        browser.screenshot(&format!("stories-{width}"));

        // The largest story: one column per outlet and the framing table.
        browser.go(&format!("{base}/?sort=largest"));
        let first = browser.element("li.story a.headline");
        browser.ok("POST", &format!("/element/{first}/click"), Some(json!({})));
        wait_until("the story page", || browser.url().contains("/stories/"));
        assert!(browser.count("table.columns th.outlet") >= 3);
        assert!(browser.count("table.columns tbody tr") >= 5);
        assert!(browser.count("table.framing tbody tr") >= 1);
        browser.screenshot(&format!("story-{width}"));

        // The storylines, one of them, and back to one of its stories.
        browser.go(&format!("{base}/storylines"));
        assert!(browser.count("li.story") >= 2);
        let line = browser.element("li.story a.headline");
        browser.ok("POST", &format!("/element/{line}/click"), Some(json!({})));
        wait_until("the storyline page", || {
            browser.url().contains("/storylines/")
        });
        assert!(browser.count("#stories li.story") >= 2);
        assert!(browser.count("#timeline li") >= 2);
        browser.screenshot(&format!("storyline-{width}"));
        let story = browser.element("#stories li.story a.headline");
        browser.ok("POST", &format!("/element/{story}/click"), Some(json!({})));
        wait_until("a story of the storyline", || {
            browser.url().contains("/stories/")
        });
        assert!(browser.count("#storyline li.story") >= 2);
        browser.screenshot(&format!("storyline-story-{width}"));
        browser.element_screenshot("#framing", &format!("storyline-story-framing-{width}"));
        browser.element_screenshot("#storyline", &format!("storyline-story-section-{width}"));

        // Search as you type.
        browser.go(&format!("{base}/search"));
        let q = browser.element("#q");
        browser.ok(
            "POST",
            &format!("/element/{q}/value"),
            Some(json!({ "text": "Millbridge" })),
        );
        // The empty search lists every article; typing narrows it without a page load.
        wait_until("results as one types", || {
            browser.url().contains("q=Millbridge")
        });
        let hits = browser.count("#results li.hit");
        assert!((2..=10).contains(&hits), "{hits} hits");
        assert!(browser.count("#results mark") >= 1);
        browser.screenshot(&format!("search-{width}"));

        // An article, then an entity named in it.
        let hit = browser.element("#results li.hit a.headline");
        browser.ok("POST", &format!("/element/{hit}/click"), Some(json!({})));
        wait_until("the article page", || browser.url().contains("/articles/"));
        assert!(browser.count(".text a.mark.entity") >= 1);
        browser.screenshot(&format!("article-{width}"));
        let entity = browser.element(".text a.mark.entity");
        browser.ok("POST", &format!("/element/{entity}/click"), Some(json!({})));
        wait_until("the entity page", || browser.url().contains("/entities/"));
        assert!(browser.count("article.entity h1") == 1);
        browser.screenshot(&format!("entity-{width}"));
    }

    // A hostile article: its script, handlers and links must not run.
    browser.resize(1280);
    browser.go(&format!("{base}/search?q=quayport"));
    let hit = browser.element("#results li.hit a.headline");
    browser.ok("POST", &format!("/element/{hit}/click"), Some(json!({})));
    wait_until("the hostile article", || {
        browser.url().contains("/articles/")
    });
    assert!(!browser.alert_open(), "a script of the article ran");
    assert_eq!(
        browser.count(".text img, .text script, .text svg, .text iframe, h1 img"),
        0
    );
    let links = browser.script(
        "return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href')).filter(h => /^\\s*(javascript|data):/i.test(h));",
    );
    assert_eq!(links, json!([]));
    browser.screenshot("hostile-article-1280");
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    drop(browser);

    // JavaScript off: the story still reads whole.
    let profile = tempfile::tempdir().expect("profile");
    let plain = Browser::start(port, profile.path(), false);
    plain.go(&format!("{base}/?sort=largest"));
    let first = plain.element("li.story a.headline");
    plain.ok("POST", &format!("/element/{first}/click"), Some(json!({})));
    wait_until("the story page", || plain.url().contains("/stories/"));
    assert!(plain.count("table.columns th.outlet") >= 3);
    assert!(plain.count("#quotes .quote-group") >= 1);
    plain.go(&format!("{base}/search?q=harbour"));
    assert!(plain.count("#results li.hit") >= 1);
    plain.resize(390);
    plain.go(&format!("{base}/?sort=largest"));
    plain.screenshot("stories-nojs-390");
}
