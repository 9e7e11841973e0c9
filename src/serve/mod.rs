//! `foia serve`'s HTTP side: the JSON API over the same searcher `foia search` uses,
//! the original PDFs by id, and a search page whose assets are compiled into the
//! binary (no CDN: it works offline).
//!
//! Routes: `GET /` (the page), `/api/search?q=&limit=&offset=&facets=&fold=`,
//! `/api/timeline?q=`, `/api/money?q=`, `/api/entities?kind=&top=`,
//! `/api/documents/{doc_id}`, `/api/documents/{doc_id}/pages/{n}?q=`, `/api/status`,
//! `/files/{doc_id}`, and the page view `/documents/{doc_id}/pages/{n}?q=` with its
//! image `/documents/{doc_id}/pages/{n}/image?width=`. Errors are JSON
//! `{"error": "..."}` with a fitting status. [`guard`] decides which requests are answered and how much each may cost.

pub mod guard;
pub mod page_images;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use serde_json::json;

use crate::archive;
use crate::entities::Kind;
use crate::hash::sha256_hex;
use crate::index::search::{PageSearcher, SearchError};
use crate::index::{export, FoiaIndex};
use crate::output::{hit_json, status_json};

/// Most hits one request may ask for.
const MAX_LIMIT: usize = 100;
/// Deepest hit a request may page to: the searcher keeps `offset + limit` hits in
/// memory, so an unbounded offset would let one request take the machine's memory.
const MAX_OFFSET: usize = 10_000;
/// Values per entity kind in `facets`.
const FACET_VALUES: usize = 8;

/// What every request handler shares.
pub struct ServeState {
    pub index: FoiaIndex,
    /// A reader that follows new commits, so hits include what an ingest adds.
    pub searcher: PageSearcher,
    /// Who is answered.
    pub access: Arc<guard::Access>,
    /// What one request may cost.
    pub limits: Arc<guard::Limits>,
    /// Page images drawn so far.
    pub images: page_images::PageImages,
}

/// The application: routes, then (from the inside out) who is answered, what a
/// request may cost, and the headers every answer carries.
pub fn router(state: Arc<ServeState>) -> Router {
    let heavy = Router::new()
        .route("/api/entities", get(entities))
        .route("/api/money", get(money))
        .route("/files/{doc_id}", get(file))
        .route("/documents/{doc_id}/pages/{page}/image", get(page_image))
        .route_layer(middleware::from_fn_with_state(
            state.limits.clone(),
            guard::heavy,
        ));
    Router::new()
        .route(
            "/",
            get(|| async { asset(HTML, include_str!("assets/index.html")) }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset(JAVASCRIPT, include_str!("assets/app.js")) }),
        )
        .route(
            "/assets/style.css",
            get(|| async { asset(CSS, include_str!("assets/style.css")) }),
        )
        .route(
            "/assets/common.js",
            get(|| async { asset(JAVASCRIPT, include_str!("assets/common.js")) }),
        )
        .route(
            "/assets/page.js",
            get(|| async { asset(JAVASCRIPT, include_str!("assets/page.js")) }),
        )
        .route(
            "/documents/{doc_id}/pages/{page}",
            get(|| async { asset(HTML, include_str!("assets/page.html")) }),
        )
        .route("/api/search", get(search))
        .route("/api/timeline", get(timeline))
        .route("/api/documents/{doc_id}", get(document))
        .route("/api/documents/{doc_id}/pages/{page}", get(page_json))
        .route("/api/status", get(status))
        .merge(heavy)
        .fallback(|| async { ApiError::not_found("no such page or endpoint") })
        .layer(middleware::from_fn_with_state(
            state.access.clone(),
            guard::admit,
        ))
        .layer(middleware::from_fn_with_state(
            state.limits.clone(),
            guard::bound,
        ))
        .layer(middleware::from_fn(guard::harden))
        .with_state(state)
}

/// An error answer: JSON with a message, never a stack trace.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    fn internal(message: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(&json!({ "error": self.message }));
        *response.status_mut() = self.status;
        response
    }
}

impl From<SearchError> for ApiError {
    fn from(error: SearchError) -> ApiError {
        match error {
            SearchError::Query { .. } => ApiError::bad_request(error.to_string()),
            SearchError::Index(error) => ApiError::internal(error),
        }
    }
}

/// JSON with `<`, `>` and `&` escaped, so document text in a response can never be
/// read as markup even by a client that misuses it.
fn json_response(value: &impl Serialize) -> Response {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    let escaped = text
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        escaped,
    )
        .into_response()
}

/// `key=value` pairs of a query string, percent-decoded.
fn url_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        Some((percent_decode(key)?, percent_decode(value)?))
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
                decoded.push(u8::from_str_radix(hex, 16).ok()?);
                at += 3;
            }
            b'+' => {
                decoded.push(b' ');
                at += 1;
            }
            byte => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

const HTML: &str = "text/html; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// A page or asset compiled into the binary, with its content type.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Runs index work off the async threads: a search or a file read may take a while.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ApiError::internal)?
}

/// A whole number parameter, `default` when absent.
fn number(params: &HashMap<String, String>, name: &str, default: usize) -> Result<usize, ApiError> {
    match params.get(name) {
        None => Ok(default),
        Some(text) => text.parse().map_err(|_| {
            ApiError::bad_request(format!("{name} must be a whole number, not {text:?}"))
        }),
    }
}

async fn search(
    State(state): State<Arc<ServeState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let query = required_query(&params)?;
    let limit = number(&params, "limit", 10)?.min(MAX_LIMIT);
    let offset = number(&params, "offset", 0)?;
    if offset > MAX_OFFSET {
        return Err(ApiError::bad_request(format!(
            "offset is at most {MAX_OFFSET}; narrow the query instead"
        )));
    }
    let flag = |name: &str, default: bool| {
        params.get(name).map_or(default, |value| {
            matches!(value.as_str(), "true" | "1" | "yes")
        })
    };
    let facets = flag("facets", false);
    let fold = flag("fold", true);
    blocking(move || {
        let results = if fold {
            state.searcher.search_folded(&query, limit, offset)?
        } else {
            state.searcher.search(&query, limit, offset)?
        };
        let mut body = json!({
            "query": query,
            "total": results.total,
            "folded_total": results.folded_total.unwrap_or(results.total),
            "offset": offset,
            "limit": limit,
            "hits": results.hits.iter().map(hit_json).collect::<Vec<_>>(),
        });
        if facets {
            let counts: serde_json::Map<String, serde_json::Value> = state
                .searcher
                .facets(&query, FACET_VALUES)?
                .into_iter()
                .map(|counts| {
                    let values: Vec<_> = counts
                        .values
                        .iter()
                        .map(|(value, pages)| json!({ "value": value, "pages": pages }))
                        .collect();
                    (counts.kind.as_str().to_string(), json!(values))
                })
                .collect();
            body["facets"] = json!(counts);
        }
        Ok(json_response(&body))
    })
    .await
}

/// The `q` parameter, required and not blank.
fn required_query(params: &HashMap<String, String>) -> Result<String, ApiError> {
    params
        .get("q")
        .filter(|query| !query.trim().is_empty())
        .cloned()
        .ok_or_else(|| ApiError::bad_request("q (the query) is required"))
}

/// Pages matching `q` by the months of the dates on them.
async fn timeline(
    State(state): State<Arc<ServeState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let query = required_query(&params)?;
    blocking(move || {
        let months = state.searcher.timeline(&query)?;
        Ok(json_response(&json!({ "query": query, "months": months })))
    })
    .await
}

/// The amounts on pages matching `q`, by vendor and by agency.
async fn money(
    State(state): State<Arc<ServeState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let query = required_query(&params)?;
    blocking(move || {
        let view = state.searcher.money(&query)?;
        let mut body = json!(view);
        body["query"] = json!(query);
        Ok(json_response(&body))
    })
    .await
}

async fn entities(
    State(state): State<Arc<ServeState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let top = number(&params, "top", 20)?;
    let kinds = match params.get("kind") {
        None => Vec::new(),
        Some(names) => names
            .split(',')
            .map(|name| {
                Kind::parse(name.trim())
                    .ok_or_else(|| ApiError::bad_request(format!("unknown kind {name:?}")))
            })
            .collect::<Result<Vec<Kind>, ApiError>>()?,
    };
    blocking(move || {
        let snapshot = state.searcher.snapshot();
        let rows =
            export::occurrences_at(&state.index, &snapshot, &kinds).map_err(ApiError::internal)?;
        Ok(json_response(
            &json!({ "rows": export::top_values(&rows, top) }),
        ))
    })
    .await
}

/// A `doc_id` is a sha256 in lowercase hex; anything else names no document.
fn valid_doc_id(doc_id: &str) -> Result<(), ApiError> {
    let valid = doc_id.len() == 64
        && doc_id
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if valid {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("no document {doc_id:?}")))
    }
}

async fn document(
    State(state): State<Arc<ServeState>>,
    UrlPath(doc_id): UrlPath<String>,
) -> Result<Response, ApiError> {
    valid_doc_id(&doc_id)?;
    blocking(move || match state.searcher.document(&doc_id) {
        Ok(Some(view)) => Ok(json_response(&view)),
        Ok(None) => Err(ApiError::not_found(format!("no document {doc_id:?}"))),
        Err(error) => Err(ApiError::internal(error)),
    })
    .await
}

async fn status(State(state): State<Arc<ServeState>>) -> Result<Response, ApiError> {
    blocking(move || {
        let status = state
            .index
            .status_at(&state.searcher.snapshot())
            .map_err(ApiError::internal)?;
        Ok(json_response(&status_json(&status)))
    })
    .await
}

/// The original PDF's path and bytes. The path comes from the index entry for the
/// id, never from the request, and the bytes must still hash to the id: a file
/// changed or replaced since it was indexed is not served in its place.
fn original(state: &ServeState, doc_id: &str) -> Result<(String, Vec<u8>), ApiError> {
    let path = state
        .searcher
        .path_of(doc_id)
        .ok_or_else(|| ApiError::not_found(format!("no document {doc_id:?}")))?;
    let gone = || ApiError::not_found(format!("{path} is no longer on disk as indexed"));
    let bytes = archive::read_path(Path::new(&path)).map_err(|_| gone())?;
    if sha256_hex(&bytes) != doc_id {
        return Err(gone());
    }
    Ok((path, bytes))
}

/// A page number from a URL: 1 or more.
fn page_number(text: &str) -> Result<u64, ApiError> {
    text.parse()
        .ok()
        .filter(|&page| page >= 1)
        .ok_or_else(|| ApiError::not_found(format!("no page {text:?}")))
}

/// One page for the page view: its text with the matches of `q` marked, their
/// boxes, its entities.
async fn page_json(
    State(state): State<Arc<ServeState>>,
    UrlPath((doc_id, page)): UrlPath<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    valid_doc_id(&doc_id)?;
    let page = page_number(&page)?;
    let query = params.get("q").filter(|q| !q.trim().is_empty()).cloned();
    blocking(
        move || match state.searcher.page_view(&doc_id, page, query.as_deref())? {
            Some(view) => Ok(json_response(&view)),
            None => Err(ApiError::not_found(format!(
                "no page {page} in document {doc_id:?}"
            ))),
        },
    )
    .await
}

/// A page's image as PNG, `width` pixels wide (one of [`page_images::WIDTHS`]).
async fn page_image(
    State(state): State<Arc<ServeState>>,
    UrlPath((doc_id, page)): UrlPath<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    valid_doc_id(&doc_id)?;
    let page = page_number(&page)?;
    let width = params
        .contains_key("width")
        .then(|| number(&params, "width", 0))
        .transpose()?;
    let width = page_images::PageImages::width(width);
    blocking(move || {
        let count = state
            .searcher
            .page_count_of(&doc_id)
            .ok_or_else(|| ApiError::not_found(format!("no document {doc_id:?}")))?;
        if page > count {
            return Err(ApiError::not_found(format!(
                "no page {page} in document {doc_id:?}"
            )));
        }
        let png = state
            .images
            .png(&doc_id, page, width, || {
                original(&state, &doc_id).map(|(_, bytes)| bytes)
            })
            .map_err(|unavailable| match unavailable {
                page_images::Unavailable::Original(error) => error,
                page_images::Unavailable::Drawing(reason) => {
                    ApiError::internal(format!("page {page} could not be drawn: {reason}"))
                }
            })?;
        Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
    })
    .await
}

/// The original PDF (see [`original`]).
async fn file(
    State(state): State<Arc<ServeState>>,
    UrlPath(doc_id): UrlPath<String>,
) -> Result<Response, ApiError> {
    valid_doc_id(&doc_id)?;
    blocking(move || {
        let (path, bytes) = original(&state, &doc_id)?;
        Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, disposition(&path)),
            ],
            bytes,
        )
            .into_response())
    })
    .await
}

/// `Content-Disposition` for an original: shown by the browser's viewer, saved under
/// its own name. The plain `filename` keeps only characters that are safe in any
/// header and any file system; `filename*` (RFC 6266, RFC 8187) carries the real name.
fn disposition(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = name
        .strip_suffix(".pdf")
        .or_else(|| name.strip_suffix(".PDF"))
        .unwrap_or(name);
    let safe: String = stem
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' | ' ' => c,
            _ => '_',
        })
        .collect();
    let safe = match safe.trim_matches(['.', ' ']) {
        "" => "document".to_string(),
        trimmed => trimmed.to_string(),
    };
    let encoded: String = format!("{stem}.pdf")
        .bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect();
    format!("inline; filename=\"{safe}.pdf\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode() {
        let pairs: Vec<(String, String)> = url_pairs("token=a%2Fb+c&q=x").collect();
        assert_eq!(
            pairs,
            [
                ("token".to_string(), "a/b c".to_string()),
                ("q".to_string(), "x".to_string())
            ]
        );
        assert_eq!(percent_decode("%zz"), None);
    }

    #[test]
    fn file_names_are_safe_in_headers() {
        assert_eq!(
            disposition("/dump/Mémo \"draft\";\r\nX-Evil: 1.pdf"),
            "inline; filename=\"M_mo _draft____X-Evil_ 1.pdf\"; \
             filename*=UTF-8''M%C3%A9mo%20%22draft%22%3B%0D%0AX-Evil%3A%201.pdf"
        );
        assert_eq!(
            disposition("/dump/release.zip!/scans/page.PDF"),
            "inline; filename=\"page.pdf\"; filename*=UTF-8''page.pdf"
        );
        assert_eq!(
            disposition("/dump/..."),
            "inline; filename=\"document.pdf\"; filename*=UTF-8''....pdf"
        );
    }

    #[test]
    fn only_hex_sha256_ids_name_documents() {
        assert!(valid_doc_id(&"a".repeat(64)).is_ok());
        assert!(valid_doc_id("../../etc/passwd").is_err());
        assert!(valid_doc_id(&"A".repeat(64)).is_err());
    }
}
