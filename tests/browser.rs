//! The search page in headless Chromium, driven through its DevTools protocol: the
//! URL `foia serve` prints trades its token for a cookie the page cannot read, a
//! search lists hits, clicking a facet narrows them (and the URL keeps the new query),
//! clicking it again brings them back, a document's markup shows as text, and the
//! content security policy is never violated.
//!
//! Needs Debian's `chromium` (`.ci/run` installs it); skips, saying so, without it.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{corpus_dir, ingest, ingest_text_layers, pdf_saying, search_json, Server};
use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

const CHROMIUM: &str = "/usr/bin/chromium";

/// A headless Chromium with one page, spoken to over the DevTools WebSocket.
struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Browser {
    fn launch(profile: &Path) -> Browser {
        let mut child = Command::new(CHROMIUM)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--window-size=1280,900",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let browser_url = loop {
            let line = lines
                .next()
                .expect("chromium prints its DevTools address")
                .expect("stderr reads");
            if let Some(url) = line.strip_prefix("DevTools listening on ") {
                break url.trim().to_string();
            }
        };
        // Keep reading so Chromium never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let host = browser_url
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .expect("host:port")
            .to_string();
        let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
        let started = Instant::now();
        let page_url = loop {
            let listing = agent
                .get(format!("http://{host}/json/list"))
                .call()
                .expect("target list")
                .body_mut()
                .read_to_string()
                .expect("target list reads");
            let targets: Value = serde_json::from_str(&listing).expect("JSON targets");
            let page = targets.as_array().and_then(|targets| {
                targets
                    .iter()
                    .find(|target| target["type"] == "page")
                    .and_then(|target| target["webSocketDebuggerUrl"].as_str())
                    .map(str::to_string)
            });
            match page {
                Some(url) => break url,
                None if started.elapsed() < Duration::from_secs(10) => {
                    std::thread::sleep(Duration::from_millis(100))
                }
                None => panic!("no page target in {targets}"),
            }
        };
        let (socket, _) = tungstenite::connect(page_url.as_str()).expect("DevTools socket");
        Browser {
            child,
            socket,
            next_id: 1,
        }
    }

    /// Calls a DevTools method and returns its result, skipping events.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let request = json!({ "id": id, "method": method, "params": params });
        self.socket
            .send(Message::text(request.to_string()))
            .expect("send");
        loop {
            let message = self.socket.read().expect("DevTools answers");
            let Ok(text) = message.to_text() else {
                continue;
            };
            let Ok(reply) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            if reply["id"] == id {
                assert!(reply.get("error").is_none(), "{method}: {reply}");
                return reply["result"].clone();
            }
        }
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {result}"
        );
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is truthy in the page, returning its value.
    fn wait_for(&mut self, expression: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.eval(expression);
            let truthy = !matches!(value, Value::Null | Value::Bool(false))
                && value != json!(0)
                && value != json!("");
            if truthy {
                return value;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "timed out waiting for {expression}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
    }

    /// Makes every page record the directives its content security policy blocked,
    /// in `window.violations` (scripts added through DevTools are not subject to it).
    fn record_policy_violations(&mut self) {
        self.call("Page.enable", json!({}));
        self.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.violations = []; document.addEventListener('securitypolicyviolation', (event) => window.violations.push(event.violatedDirective));" }),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether Chromium is missing, saying so: the test then skips.
fn chromium_is_absent() -> bool {
    let absent = !Path::new(CHROMIUM).exists();
    if absent {
        eprintln!("skipping: {CHROMIUM} is absent (apt-get install chromium; .ci/run does)");
    }
    absent
}

/// "1–10 of 13 matching pages" -> 13.
const TOTAL: &str = r"(() => {
    const summary = document.querySelector('.summary');
    const match = summary && summary.textContent.match(/of (\d+) matching pages/);
    return match ? Number(match[1]) : 0;
})()";

#[test]
fn search_page_searches_filters_by_facet_and_escapes_text() {
    if chromium_is_absent() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let hostile = work.path().join("hostile.pdf");
    std::fs::write(
        &hostile,
        pdf_saying(
            "Hostile <b>title</b>",
            "Memo <script>window.pwned=1</script> <img src=x onerror=window.pwned=2> zebra",
        ),
    )
    .expect("write");
    let index = work.path().join("index");
    assert_eq!(
        ingest_text_layers(&index, &[&corpus_dir(), &hostile]).code,
        0
    );
    let server = Server::start(&index, &[]);
    let mut browser = Browser::launch(&work.path().join("profile"));
    browser.record_policy_violations();

    // The printed URL, with the generated token: the page comes back without it, and
    // the cookie that now carries it is out of the page's reach.
    browser.open(&server.url_to_open("/?q=license"));
    let total = browser.wait_for(TOTAL).as_u64().expect("a total");
    assert_eq!(browser.eval("location.search"), json!("?q=license"));
    assert_eq!(browser.eval("document.cookie"), json!(""));
    assert!(total > 2, "license is on several pages: {total}");
    let shown = browser.eval("document.querySelectorAll('.hit').length");
    assert_eq!(shown.as_u64(), Some(total.min(20)));

    // Click the first facet that matches fewer pages than the search.
    let narrowed = browser.eval(&format!(
        r"(() => {{
            const facet = [...document.querySelectorAll('.facet')]
                .find(button => Number(button.querySelector('.count').textContent) < {total});
            facet.click();
            return Number(facet.querySelector('.count').textContent);
        }})()"
    ));
    let narrowed = narrowed.as_u64().expect("facet count");
    browser.wait_for(&format!("{TOTAL} === {narrowed}"));
    let query = browser.eval("new URLSearchParams(location.search).get('q')");
    let query = query.as_str().expect("q in the URL");
    assert!(
        query.starts_with("license ") && query.contains(':'),
        "{query}"
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('.facet.active').length"),
        json!(1)
    );
    assert_eq!(
        browser.eval("document.getElementById('q').value"),
        json!(query)
    );

    // Clicking the active facet removes the filter again.
    browser.eval("document.querySelector('.facet.active').click()");
    browser.wait_for(&format!("{TOTAL} === {total}"));
    assert_eq!(
        browser.eval("new URLSearchParams(location.search).get('q')"),
        json!("license")
    );

    // Markup in a document is text on the page, and its script never runs.
    browser.open(&format!("{}/?q=zebra", server.base));
    browser.wait_for(&format!("{TOTAL} === 1"));
    let snippet = browser.eval("document.querySelector('.snippet').textContent");
    assert!(
        snippet
            .as_str()
            .is_some_and(|text| text.contains("<script>window.pwned=1</script>")),
        "{snippet}"
    );
    assert_eq!(
        browser.eval("document.querySelector('.hit h2 a').textContent"),
        json!("Hostile <b>title</b>")
    );
    assert_eq!(
        browser
            .eval("document.querySelectorAll('#results script, #results img, #results b').length"),
        json!(0)
    );
    assert_eq!(browser.eval("typeof window.pwned"), json!("undefined"));
    assert_eq!(browser.eval("window.violations"), json!([]));

    // The policy is in force: an image from elsewhere is refused, and recorded.
    browser.eval(
        "document.body.insertAdjacentHTML('beforeend', '<img src=\"http://evil.example/x.png\">')",
    );
    assert_eq!(browser.wait_for("window.violations.length"), json!(1));
    assert_eq!(browser.eval("window.violations"), json!(["img-src"]));
}

#[test]
fn a_bad_redaction_shows_a_badge_its_boxes_and_its_words_as_text() {
    use common::redaction_fixtures::{pdf, text, Extras, VISIBLE};
    if chromium_is_absent() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let docs = work.path().join("docs");
    std::fs::create_dir_all(&docs).expect("docs");
    // Words under the box that are markup; a proper box beside them.
    let content = format!(
        "{VISIBLE}0 g {}0 g 70 695 300 18 re f\n0 g 72 640 120 14 re f\n",
        text(72.0, 700.0, "<img src=x onerror=window.pwned=3> Jane")
    );
    std::fs::write(docs.join("failed.pdf"), pdf(&content, Extras::default())).expect("write");
    let index = work.path().join("index");
    assert_eq!(ingest_text_layers(&index, &[&docs]).code, 0);
    let server = Server::start(&index, &[]);
    let mut browser = Browser::launch(&work.path().join("profile"));
    browser.record_policy_violations();

    browser.open(&server.url_to_open("/?q=redaction%3Abad"));
    browser.wait_for(&format!("{TOTAL} === 1"));
    assert_eq!(
        browser.eval("document.querySelector('.badge.bad').textContent"),
        json!("bad redaction")
    );
    browser.eval("document.querySelector('details.redactions').open = true");
    // The page drawn to scale: the paper, the proper box, the failed one outlined.
    assert_eq!(
        browser.eval("document.querySelectorAll('.page-map rect.box').length"),
        json!(1)
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('.page-map rect.bad').length"),
        json!(1)
    );
    let words = browser.eval("document.querySelector('.recovered .words').textContent");
    assert_eq!(words, json!("<img src=x onerror=window.pwned=3> Jane"));
    assert_eq!(
        browser.eval("document.querySelectorAll('#results img').length"),
        json!(0)
    );
    assert_eq!(browser.eval("typeof window.pwned"), json!("undefined"));
    assert_eq!(browser.eval("window.violations"), json!([]));
}

#[test]
fn a_scan_is_folded_under_its_page_and_expands_to_a_link_to_it() {
    if chromium_is_absent() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let docs = work.path().join("docs");
    std::fs::create_dir_all(&docs).expect("docs");
    // The invoice and its scan (read by OCR), and a page that shares only words.
    for name in [
        "invoice.pdf",
        "scans/scan-invoice.pdf",
        "purchase-order.pdf",
    ] {
        let from = corpus_dir().join(name);
        std::fs::copy(&from, docs.join(from.file_name().expect("a name"))).expect("copy");
    }
    let index = work.path().join("index");
    let run = ingest(&index, &[&docs]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start(&index, &[]);
    let mut browser = Browser::launch(&work.path().join("profile"));
    browser.record_policy_violations();

    browser.open(&server.url_to_open("/?q=%22VS-2018-0412%22"));
    browser.wait_for("document.querySelectorAll('.hit').length === 1");
    assert_eq!(
        browser.eval("document.querySelector('.summary').textContent"),
        json!("1–1 of 1 (2 matching pages, near-identical ones folded)")
    );
    assert_eq!(
        browser.eval("document.querySelector('details.near summary').textContent"),
        json!("+1 near-identical page")
    );
    browser.eval("document.querySelector('details.near').open = true");
    let link = browser.eval(
        "(() => { const a = document.querySelector('details.near a'); \
         return [a.textContent, a.checkVisibility(), new URL(a.href).pathname]; })()",
    );
    let link = link.as_array().expect("text, shown, path");
    let shown_name = if link[0].as_str().unwrap_or("").starts_with("invoice.pdf") {
        "scan-invoice.pdf"
    } else {
        "invoice.pdf"
    };
    let heading = browser.eval("document.querySelector('.hit .where').textContent");
    assert!(
        heading
            .as_str()
            .is_some_and(|where_| where_.contains(shown_name)),
        "the hit is the other page: {heading}"
    );
    assert!(
        link[0]
            .as_str()
            .is_some_and(|text| text.ends_with("· page 1")),
        "{link:?}"
    );
    assert_eq!(link[1], json!(true));
    assert!(
        link[2]
            .as_str()
            .is_some_and(|path| path.starts_with("/documents/")),
        "{link:?}"
    );

    // fold=false lists both pages.
    browser.open(&server.url_to_open("/"));
    let unfolded = browser.eval(
        "fetch('api/search?q=%22VS-2018-0412%22&fold=false').then(r => r.json()).then(b => [b.total, b.folded_total, b.hits.length])",
    );
    assert_eq!(unfolded, json!([2, 2, 2]));

    // The scan's hit is boxed from Tesseract's word boxes: where poppler puts the
    // word on the born-digital invoice the scan was printed from.
    let scan_box = browser.eval(
        "fetch('api/search?q=%22VS-2018-0412%22&fold=false').then(r => r.json()) \
         .then(b => b.hits.find(h => h.path.endsWith('scan-invoice.pdf'))) \
         .then(h => fetch(`api/documents/${h.doc_id}/pages/1?q=%22VS-2018-0412%22`)) \
         .then(r => r.json()).then(v => v.boxes)",
    );
    let boxes = scan_box.as_array().expect("boxes");
    assert_eq!(boxes.len(), 1, "{scan_box}");
    let (word, size) = poppler_word_box(&docs.join("invoice.pdf"), "VS-2018-0412");
    let expected = [
        word[0] / size[0],
        word[1] / size[1],
        word[2] / size[0],
        word[3] / size[1],
    ];
    let found: Vec<f64> = boxes[0]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    // Within 1% of the page: the scan was printed at a slight skew and offset.
    for (found, expected) in found.iter().zip(expected) {
        assert!(
            (found - expected).abs() < 0.01,
            "OCR box {found:?} against poppler's {expected:?}"
        );
    }
    assert_eq!(browser.eval("window.violations"), json!([]));
}

/// The box poppler gives `word` on page 1 of `pdf`, and the page's size, in points.
fn poppler_word_box(pdf: &Path, word: &str) -> ([f64; 4], [f64; 2]) {
    let output = Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let html = String::from_utf8_lossy(&output.stdout);
    let number = |line: &str, name: &str| -> f64 {
        let from = line.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        line[from..]
            .split('"')
            .next()
            .expect("value")
            .parse()
            .expect("a number")
    };
    let page = html
        .lines()
        .find(|line| line.contains("<page "))
        .expect("a page");
    let size = [number(page, "width"), number(page, "height")];
    let line = html
        .lines()
        .find(|line| line.contains(&format!(">{word}</word>")))
        .unwrap_or_else(|| panic!("poppler finds {word}"));
    let bbox = ["xMin", "yMin", "xMax", "yMax"].map(|name| number(line, name));
    (bbox, size)
}

#[test]
fn a_hit_opens_its_page_view_boxed_on_the_image_and_arrow_keys_turn_pages() {
    if chromium_is_absent() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let docs = work.path().join("docs");
    std::fs::create_dir_all(&docs).expect("docs");
    for name in ["invoice.pdf", "contract-award.pdf"] {
        std::fs::copy(corpus_dir().join(name), docs.join(name)).expect("copy");
    }
    std::fs::write(
        docs.join("hostile.pdf"),
        pdf_saying(
            "Hostile <b>title</b>",
            "Memo <script>window.pwned=1</script> <img src=x onerror=window.pwned=2> zebra",
        ),
    )
    .expect("write");
    let index = work.path().join("index");
    assert_eq!(ingest_text_layers(&index, &[&docs]).code, 0);
    let server = Server::start(&index, &[]);
    let mut browser = Browser::launch(&work.path().join("profile"));
    browser.record_policy_violations();

    // A hit's title opens its page view.
    browser.open(&server.url_to_open("/?q=%22VS-2018-0412%22"));
    browser.wait_for("document.querySelectorAll('.hit').length === 1");
    // Clicked after the call returns: the navigation would cut the call short.
    browser.eval("setTimeout(() => document.querySelector('.hit h2 a.page-link').click())");
    browser.wait_for(
        "(() => { const image = document.getElementById('image'); \
         return image && image.complete && image.naturalWidth > 0 \
           && document.querySelectorAll('.hit-box').length > 0; })()",
    );
    assert!(browser
        .eval("location.pathname")
        .as_str()
        .is_some_and(|path| path.starts_with("/documents/") && path.ends_with("/pages/1")));
    assert_eq!(
        browser.eval("[...document.querySelectorAll('#text mark')].map(m => m.textContent)"),
        json!(["VS-2018-0412"])
    );

    // The box lies over the word where poppler (pdftoppm's engine) puts it.
    let (word, size) = poppler_word_box(&docs.join("invoice.pdf"), "VS-2018-0412");
    let drawn = browser.eval(
        "(() => { const image = document.getElementById('image').getBoundingClientRect(); \
         return [image.width, ...[...document.querySelectorAll('.hit-box')].map(box => { \
           const r = box.getBoundingClientRect(); \
           return [r.left - image.left, r.top - image.top, r.right - image.left, r.bottom - image.top]; })]; })()",
    );
    let drawn = drawn.as_array().expect("width and boxes");
    let scale = drawn[0].as_f64().expect("image width") / size[0];
    let expected = word.map(|edge| edge * scale);
    let boxes: Vec<[f64; 4]> = drawn[1..]
        .iter()
        .map(|edges| {
            let edges: Vec<f64> = edges
                .as_array()
                .expect("edges")
                .iter()
                .filter_map(Value::as_f64)
                .collect();
            [edges[0], edges[1], edges[2], edges[3]]
        })
        .collect();
    assert_eq!(boxes.len(), 1, "{boxes:?}");
    let hit = boxes[0];
    let overlap = (hit[2].min(expected[2]) - hit[0].max(expected[0])).max(0.0)
        * (hit[3].min(expected[3]) - hit[1].max(expected[1])).max(0.0);
    let area = |b: [f64; 4]| (b[2] - b[0]) * (b[3] - b[1]);
    let union = area(hit) + area(expected) - overlap;
    let (centre_x, centre_y) = ((hit[0] + hit[2]) / 2.0, (hit[1] + hit[3]) / 2.0);
    assert!(
        (expected[0]..expected[2]).contains(&centre_x)
            && (expected[1]..expected[3]).contains(&centre_y)
            && overlap / union > 0.6,
        "hit box {hit:?} against poppler's {expected:?} (pixels)"
    );
    let original = browser.eval("new URL(document.getElementById('original').href).pathname");
    assert!(original
        .as_str()
        .is_some_and(|path| path.starts_with("/files/")));

    // Arrow keys turn the pages of a two-page document; there is no page before 1.
    browser.open(&format!("{}/?q=award", server.base));
    browser.wait_for(
        "[...document.querySelectorAll('.hit .where')].some(w => w.textContent.includes('contract-award.pdf · page 1'))",
    );
    browser.eval(
        "setTimeout(() => [...document.querySelectorAll('.hit')].find(h => h.querySelector('.where').textContent.includes('contract-award.pdf · page 1')).querySelector('a.page-link').click())",
    );
    browser.wait_for("document.getElementById('where')?.textContent.includes('page 1 of 2')");
    assert_eq!(
        browser.eval("document.getElementById('previous').getAttribute('aria-disabled')"),
        json!("true")
    );
    let key = |browser: &mut Browser, key: &str, code: u32| {
        for kind in ["keyDown", "keyUp"] {
            browser.call(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code }),
            );
        }
    };
    key(&mut browser, "ArrowRight", 39);
    browser.wait_for("document.getElementById('where')?.textContent.includes('page 2 of 2')");
    assert!(browser
        .eval("location.href")
        .as_str()
        .is_some_and(|url| url.contains("/pages/2?q=award")));
    key(&mut browser, "ArrowLeft", 37);
    browser.wait_for("document.getElementById('where')?.textContent.includes('page 1 of 2')");

    // Markup in a document is text in the page view too.
    browser.open(&format!("{}/?q=zebra", server.base));
    browser.wait_for("document.querySelectorAll('.hit').length === 1");
    browser.eval("setTimeout(() => document.querySelector('.hit h2 a.page-link').click())");
    browser.wait_for("document.querySelectorAll('#text mark').length === 1");
    let text = browser.eval("document.getElementById('text').textContent");
    assert!(
        text.as_str()
            .is_some_and(|text| text.contains("<script>window.pwned=1</script>")),
        "{text}"
    );
    assert_eq!(
        browser.eval("document.getElementById('title').textContent"),
        json!("Hostile <b>title</b>")
    );
    assert_eq!(
        browser.eval(
            "document.querySelectorAll('.page-side script, .page-side img, .page-bar b').length"
        ),
        json!(0)
    );
    assert_eq!(browser.eval("typeof window.pwned"), json!("undefined"));

    // Pages that are not there are 404s, for the view and the image.
    let statuses = browser.eval(
        "(() => { const doc = location.pathname.replace(/\\/pages\\/1$/, ''); \
         return Promise.all([`/api${doc}/pages/2`, `/api${doc}/pages/0`, `${doc}/pages/2/image`, \
           `${doc}/pages/1/image?width=x`].map(path => fetch(path).then(r => r.status))); })()",
    );
    assert_eq!(statuses, json!([404, 404, 404, 400]));
    assert_eq!(browser.eval("window.violations"), json!([]));
}

/// "… (15 matching pages, …)" or "… of 15 matching pages" -> 15.
const MATCHING: &str = r"(() => {
    const summary = document.querySelector('.summary');
    const match = summary && summary.textContent.match(/(\d+) matching pages/);
    return match ? Number(match[1]) : 0;
})()";

#[test]
fn a_timeline_bar_narrows_the_search_to_its_month_as_foia_search_does() {
    if chromium_is_absent() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let index = work.path().join("index");
    assert_eq!(ingest_text_layers(&index, &[&corpus_dir()]).code, 0);
    let server = Server::start(&index, &[]);
    let mut browser = Browser::launch(&work.path().join("profile"));
    browser.record_policy_violations();

    browser.open(&server.url_to_open("/?q=vigilant"));
    let before = browser.wait_for(MATCHING).as_u64().expect("a count");
    browser.wait_for("document.querySelectorAll('.timeline .month').length > 0");
    // The busiest month: its bar says how many pages, and clicking it filters.
    let (month, pages) = {
        let busiest = browser.eval(
            "(() => { const bars = [...document.querySelectorAll('.timeline .month:not(:disabled)')]; \
             const counts = bars.map(bar => Number(bar.title.match(/: (\\d+) page/)[1])); \
             const most = Math.max(...counts); \
             const bar = bars[counts.indexOf(most)]; \
             setTimeout(() => bar.click()); \
             return [bar.dataset.month, most]; })()",
        );
        (
            busiest[0].as_str().expect("month").to_string(),
            busiest[1].as_u64().expect("pages"),
        )
    };
    let query = format!("vigilant date:{month}");
    browser.wait_for(&format!(
        "new URLSearchParams(location.search).get('q') === {}",
        json!(query)
    ));
    let narrowed = browser.wait_for(MATCHING).as_u64().expect("a count");
    let cli = search_json(&index, &query).len() as u64;
    assert_eq!(narrowed, cli, "the page and foia search agree on {query:?}");
    assert_eq!(narrowed, pages, "the bar told the count");
    assert!(narrowed < before, "{narrowed} of {before}");

    // A money bar filters by its vendor.
    browser.open(&format!("{}/?q=vigilant", server.base));
    browser.wait_for("document.querySelectorAll('.money .money-bar').length > 0");
    let vendor = browser.eval(
        "(() => { const bar = document.querySelector('.money .money-bar'); \
         setTimeout(() => bar.click()); return bar.dataset.name; })()",
    );
    let vendor = vendor.as_str().expect("a name").to_string();
    browser.wait_for(&format!(
        "(new URLSearchParams(location.search).get('q') || '').includes({})",
        json!(format!("vendor:\"{vendor}\""))
    ));
    assert!(browser.wait_for(MATCHING).as_u64().unwrap_or(0) > 0);
    assert_eq!(browser.eval("window.violations"), json!([]));
}
