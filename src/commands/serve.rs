//! `foia serve [--index DIR] [--addr 127.0.0.1:8080] [--token T | --no-token]
//! [--allow-host NAME]...`
//!
//! Opens the index to a browser and to scripts: a search page at `/` and a JSON API
//! (see [`crate::serve`]). Binds loopback unless told otherwise. Every request needs a
//! token: `--token`, or one made up for this run and printed in the URL to open, as
//! Jupyter does. `--no-token` drops it, on loopback only: a server other machines can
//! reach never answers without one. Runs until Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{bail, Context};

use super::Status;
use crate::cli::ServeArgs;
use crate::hash::lower_hex;
use crate::index::search::PageSearcher;
use crate::index::FoiaIndex;
use crate::serve::guard::{Access, Limits};
use crate::serve::page_images::{self, PageImages};
use crate::serve::{router, ServeState};

pub fn run(args: &ServeArgs) -> anyhow::Result<Status> {
    let hosts = allowed_hosts(&args.allow_host)?;
    let index = FoiaIndex::open(&args.index.index)?;
    let searcher = PageSearcher::new(&index)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the HTTP runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let address = listener.local_addr()?;
        let loopback = address.ip().is_loopback();
        if args.no_token && !loopback {
            bail!(
                "--no-token is for loopback addresses only: {address} can be reached from other machines"
            );
        }
        let generated = args.token.is_none() && !args.no_token;
        let token = match &args.token {
            Some(token) if token.is_empty() => bail!("--token is empty"),
            Some(token) => Some(token.clone()),
            None if args.no_token => None,
            None => Some(random_token()?),
        };
        let access = Access {
            token: token.clone(),
            bound: address.ip(),
            hosts,
            cookie: Access::cookie_name(address.port()),
        };
        let state = Arc::new(ServeState {
            index,
            searcher,
            access: Arc::new(access),
            limits: Arc::new(Limits::default()),
            images: PageImages::new(&args.index.index, page_images::CACHE_BYTES),
        });
        let url = match (&token, generated) {
            (Some(token), true) => format!("{}?token={token}", open_url(address)),
            (Some(_), false) => format!("{} (token required)", open_url(address)),
            (None, _) => open_url(address),
        };
        eprintln!(
            "foia: serving {} at {url}; Ctrl-C stops",
            args.index.index.display()
        );
        if !loopback {
            eprintln!(
                "foia: warning: listening on {address}, which other machines can reach; \
                 only requests with the token are answered"
            );
        }
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                // Without a Ctrl-C handler the server runs until it is killed.
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
            .await
            .context("the HTTP server stopped")
    })?;
    Ok(Status::Success)
}

/// `--allow-host` names as requests spell them: lowercase, without a final dot.
fn allowed_hosts(names: &[String]) -> anyhow::Result<Vec<String>> {
    names
        .iter()
        .map(|name| {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            let plain = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
            if plain {
                Ok(name)
            } else {
                bail!("--allow-host takes a host name, without scheme or port: {name:?}")
            }
        })
        .collect()
}

/// The URL a browser on this machine opens: an address that listens on every
/// interface is reached through loopback.
fn open_url(address: SocketAddr) -> String {
    let shown = if address.ip().is_unspecified() {
        let loopback: std::net::IpAddr = if address.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        };
        SocketAddr::new(loopback, address.port())
    } else {
        address
    };
    format!("http://{shown}/")
}

/// 256 random bits from the operating system, as hex: a token for this run.
fn random_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("cannot make a token: {error}"))?;
    Ok(lower_hex(&bytes))
}
