//! What stands between a request and the index: who may ask (the `Host` and `Origin`
//! checks and the token), how much one request may cost (its size, its time, and how
//! many heavy ones run at once), and the headers that keep a browser from running or
//! framing anything it is sent.
//!
//! The threat is a web page the reporter visits while `foia serve` runs: by DNS
//! rebinding its script can reach `127.0.0.1` under its own name, so the `Host` it
//! sends is the only thing that tells it apart. The model is Jupyter's: check `Host`
//! and `Origin`, and ask for a token that is generated when none is given.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::{url_pairs, ApiError};

/// Who may be answered.
#[derive(Debug, Clone)]
pub struct Access {
    /// When set, every request must carry it: `Authorization: Bearer T`, the cookie
    /// set by opening `/?token=T`, or `?token=T`.
    pub token: Option<String>,
    /// The address the server listens on.
    pub bound: IpAddr,
    /// Host names besides `localhost` that requests may name (`--allow-host`),
    /// lowercase.
    pub hosts: Vec<String>,
    /// The cookie that carries the token. It is named after the port, because
    /// browsers share cookies between the ports of one host.
    pub cookie: String,
}

/// How much one request may cost.
#[derive(Debug)]
pub struct Limits {
    /// Longest query string, in bytes.
    pub query_bytes: usize,
    /// Largest request body: no endpoint reads one, so anything above a stray few
    /// bytes is refused before it is read.
    pub body_bytes: u64,
    /// Time from request to answer. Work already handed to a blocking thread ends on
    /// its own; the client gets its answer at the limit.
    pub time: Duration,
    /// Exports and file reads (the requests that read a whole column or a whole PDF)
    /// that may run at once; the next waits up to `heavy_wait`, then gets 503.
    pub heavy: Arc<Semaphore>,
    pub heavy_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            query_bytes: 8 * 1024,
            body_bytes: 64 * 1024,
            time: Duration::from_secs(30),
            heavy: Arc::new(Semaphore::new(2)),
            heavy_wait: Duration::from_secs(5),
        }
    }
}

impl Access {
    /// The token's cookie for the server on `port`.
    pub fn cookie_name(port: u16) -> String {
        format!("foia-token-{port}")
    }

    /// Whether a request naming `host` (a `Host` header: name or address, maybe a
    /// port) may be answered. Loopback addresses and `localhost` always; the bound
    /// address; any address when bound to all of them (an address cannot be rebound
    /// to another server, only a name can); other names only when allowed.
    fn host_allowed(&self, host: &str) -> bool {
        let name = host_name(host).to_ascii_lowercase();
        let name = name.trim_end_matches('.');
        if name == "localhost" || self.hosts.iter().any(|allowed| allowed == name) {
            return true;
        }
        match name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            Ok(address) => {
                address.is_loopback() || address == self.bound || self.bound.is_unspecified()
            }
            Err(_) => false,
        }
    }

    /// The token a request carries, if it is the right one: from the header, the
    /// cookie or the query string, and which of them.
    fn presented(&self, request: &Request, token: &str) -> Option<Carrier> {
        let headers = request.headers();
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        if bearer.is_some_and(|given| same_secret(given, token)) {
            return Some(Carrier::Header);
        }
        if cookie(headers, &self.cookie).is_some_and(|given| same_secret(given, token)) {
            return Some(Carrier::Cookie);
        }
        let in_query = request.uri().query().is_some_and(|query| {
            url_pairs(query).any(|(key, value)| key == "token" && same_secret(&value, token))
        });
        in_query.then_some(Carrier::Query)
    }
}

/// Where a request carried its token.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Carrier {
    Header,
    Cookie,
    Query,
}

/// The name part of a `Host` value: `[::1]:8080` -> `[::1]`, `localhost:80` ->
/// `localhost`.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// Compares secrets in time that does not depend on where they differ: both are
/// hashed, and the digests compared byte by byte without stopping early.
fn same_secret(given: &str, expected: &str) -> bool {
    let (given, expected) = (Sha256::digest(given), Sha256::digest(expected));
    let difference = given
        .iter()
        .zip(expected.iter())
        .fold(0u8, |difference, (a, b)| difference | (a ^ b));
    std::hint::black_box(difference) == 0
}

/// The value of cookie `name` in a request's `Cookie` headers.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })
}

fn refuse(status: StatusCode, message: String) -> Response {
    ApiError { status, message }.into_response()
}

/// Answers only requests that name an allowed host, come from our own pages (or no
/// page), and carry the token; a first visit with `?token=` trades it for a cookie.
pub async fn admit(State(access): State<Arc<Access>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let Some(host) = host.clone().filter(|host| access.host_allowed(host)) else {
        let named = host.as_deref().unwrap_or("(none)");
        return refuse(
            StatusCode::FORBIDDEN,
            format!(
                "Host {named:?} is not this server's; start it with --allow-host NAME to answer to that name"
            ),
        );
    };
    if let Some(reason) = cross_origin(request.headers(), &host) {
        return refuse(StatusCode::FORBIDDEN, reason);
    }
    let Some(token) = access.token.as_deref() else {
        return next.run(request).await;
    };
    match access.presented(&request, token) {
        Some(Carrier::Query) if request.method() == Method::GET && request.uri().path() == "/" => {
            // The page: keep the token in an HttpOnly cookie and take it out of the
            // address bar, the history and anything the page links to.
            let rest: Vec<String> = request
                .uri()
                .query()
                .into_iter()
                .flat_map(|query| query.split('&'))
                .filter(|pair| !pair.starts_with("token=") && !pair.is_empty())
                .map(str::to_string)
                .collect();
            let location = if rest.is_empty() {
                "/".to_string()
            } else {
                format!("/?{}", rest.join("&"))
            };
            let set_cookie = format!(
                "{}={token}; HttpOnly; SameSite=Strict; Path=/",
                access.cookie
            );
            (
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, location),
                    (header::SET_COOKIE, set_cookie),
                ],
            )
                .into_response()
        }
        Some(_) => next.run(request).await,
        None => {
            let mut response = refuse(
                StatusCode::UNAUTHORIZED,
                "this server needs its token: open the URL it printed (…/?token=…), or send Authorization: Bearer TOKEN"
                    .to_string(),
            );
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

/// Why a request from another site is refused, if it is: an `Origin` other than our
/// own (`null` included), or a cross-site request for anything but a page the user
/// navigated to (`Sec-Fetch-Site`, sent by browsers even where `Origin` is not).
fn cross_origin(headers: &HeaderMap, host: &str) -> Option<String> {
    let text = |name: HeaderName| {
        headers
            .get(name)
            .map(|value| value.to_str().unwrap_or("(not text)").to_string())
    };
    if let Some(origin) = text(header::ORIGIN) {
        let ours = format!("http://{host}");
        if !origin.eq_ignore_ascii_case(&ours) {
            return Some(format!(
                "cross-origin request from {origin:?} refused; this server answers only its own pages"
            ));
        }
    }
    let site = text(HeaderName::from_static("sec-fetch-site"));
    let mode = text(HeaderName::from_static("sec-fetch-mode"));
    if site.as_deref() == Some("cross-site") && mode.as_deref() != Some("navigate") {
        return Some("cross-site request refused; this server answers only its own pages".into());
    }
    None
}

/// Refuses requests that are too big before anything reads them, and answers with
/// an error when one takes too long.
pub async fn bound(State(limits): State<Arc<Limits>>, request: Request, next: Next) -> Response {
    let query = request.uri().query().map_or(0, str::len);
    if query > limits.query_bytes {
        return refuse(
            StatusCode::URI_TOO_LONG,
            format!(
                "the query string is {query} bytes; at most {} are read",
                limits.query_bytes
            ),
        );
    }
    let headers = request.headers();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let chunked = headers.contains_key(header::TRANSFER_ENCODING);
    if chunked || declared.is_some_and(|length| length > limits.body_bytes) {
        let mut response = refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "request bodies are limited to {} bytes; no endpoint reads one",
                limits.body_bytes
            ),
        );
        // The unread body would otherwise have to be drained before the next request.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    match tokio::time::timeout(limits.time, next.run(request)).await {
        Ok(response) => response,
        Err(_) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {} s and was given up",
                limits.time.as_secs_f32()
            ),
        ),
    }
}

/// Lets at most `Limits::heavy` exports and file reads run at once.
pub async fn heavy(State(limits): State<Arc<Limits>>, request: Request, next: Next) -> Response {
    let permit =
        tokio::time::timeout(limits.heavy_wait, limits.heavy.clone().acquire_owned()).await;
    match permit {
        Ok(Ok(_permit)) => next.run(request).await,
        _ => {
            let mut response = refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy: other exports or file reads are running; try again shortly".to_string(),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}

/// The content security policy of the search page: our own scripts, styles and
/// images only, no plugins, no frames, no inline script, nowhere else to send data.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; \
    frame-ancestors 'none'";

/// For an original PDF: the browser's own viewer shows it, nothing may frame it.
const FILE_POLICY: &str = "frame-ancestors 'none'";

/// Headers every answer carries, errors included.
pub async fn harden(request: Request, next: Next) -> Response {
    let is_file = request.uri().path().starts_with("/files/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let policy = if is_file { FILE_POLICY } else { PAGE_POLICY };
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, policy),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        // The answers are a leaked or sensitive release: keep them out of caches.
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::get;
    use axum::{middleware, Router};
    use tower::ServiceExt;

    use super::*;

    fn access(bound: &str, hosts: &[&str]) -> Access {
        Access {
            token: None,
            bound: bound.parse().expect("address"),
            hosts: hosts.iter().map(|host| host.to_string()).collect(),
            cookie: Access::cookie_name(8080),
        }
    }

    #[test]
    fn hosts_are_loopback_the_bound_address_or_allowed_names() {
        let loopback = access("127.0.0.1", &[]);
        for host in [
            "localhost",
            "localhost:8080",
            "LOCALHOST.",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::1]",
        ] {
            assert!(loopback.host_allowed(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "10.0.0.5:8080",
            "",
        ] {
            assert!(!loopback.host_allowed(host), "{host}");
        }
        let named = access("127.0.0.1", &["newsroom.example"]);
        assert!(named.host_allowed("newsroom.example:8080"));
        let everywhere = access("0.0.0.0", &[]);
        assert!(everywhere.host_allowed("10.0.0.5:8080"));
        assert!(!everywhere.host_allowed("evil.example:8080"));
        let lan = access("10.0.0.5", &[]);
        assert!(lan.host_allowed("10.0.0.5:8080"));
        assert!(!lan.host_allowed("10.0.0.6:8080"));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("ab", "abc"));
        assert!(!same_secret("", "abc"));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("other=1; foia-token-8080=secret"),
        );
        assert_eq!(cookie(&headers, "foia-token-8080"), Some("secret"));
        assert_eq!(cookie(&headers, "foia-token-9090"), None);
    }

    #[test]
    fn only_our_own_origin_and_same_site_requests_pass() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        let host = "127.0.0.1:8080";
        assert_eq!(cross_origin(&headers(&[]), host), None);
        assert_eq!(
            cross_origin(&headers(&[("origin", "http://127.0.0.1:8080")]), host),
            None
        );
        for refused in [
            headers(&[("origin", "http://evil.example")]),
            headers(&[("origin", "null")]),
            headers(&[("origin", "http://127.0.0.1:9090")]),
            headers(&[
                ("sec-fetch-site", "cross-site"),
                ("sec-fetch-mode", "no-cors"),
            ]),
        ] {
            assert!(cross_origin(&refused, host).is_some(), "{refused:?}");
        }
        let navigation = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "navigate"),
        ]);
        assert_eq!(cross_origin(&navigation, host), None);
    }

    fn slow_app(limits: &Arc<Limits>) -> Router {
        let slow = || async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            "done"
        };
        Router::new()
            .route("/slow", get(slow))
            .route(
                "/heavy",
                get(slow).route_layer(middleware::from_fn_with_state(limits.clone(), heavy)),
            )
            .layer(middleware::from_fn_with_state(limits.clone(), bound))
    }

    async fn status(app: Router, path: &str) -> (StatusCode, HeaderMap) {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = app.oneshot(request).await.expect("answer");
        (response.status(), response.headers().clone())
    }

    #[tokio::test]
    async fn a_request_past_its_time_gets_an_error_at_the_limit() {
        let limits = Arc::new(Limits {
            time: Duration::from_millis(50),
            ..Limits::default()
        });
        let (code, _) = status(slow_app(&limits), "/slow").await;
        assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
        let patient = Arc::new(Limits::default());
        assert_eq!(status(slow_app(&patient), "/slow").await.0, StatusCode::OK);
    }

    #[tokio::test]
    async fn heavy_requests_beyond_the_bound_are_told_to_retry() {
        let limits = Arc::new(Limits {
            heavy: Arc::new(Semaphore::new(1)),
            heavy_wait: Duration::from_millis(50),
            ..Limits::default()
        });
        let running = limits.heavy.clone().try_acquire_owned().expect("a permit");
        let (code, headers) = status(slow_app(&limits), "/heavy").await;
        assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(headers[header::RETRY_AFTER], "5");
        assert_eq!(status(slow_app(&limits), "/slow").await.0, StatusCode::OK);
        drop(running);
        assert_eq!(status(slow_app(&limits), "/heavy").await.0, StatusCode::OK);
    }
}
