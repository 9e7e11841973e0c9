//! `foia serve [--index DIR] [--addr 127.0.0.1:8080] [--token T]`
//!
//! Opens the index to a browser and to scripts: a search page at `/` and a JSON API
//! (see [`crate::serve`]). Binds loopback unless told otherwise; `--token` makes every
//! request carry a shared secret, for a server shared on a newsroom network. Runs
//! until Ctrl-C.

use std::sync::Arc;

use anyhow::Context;

use super::Status;
use crate::cli::ServeArgs;
use crate::index::search::PageSearcher;
use crate::index::FoiaIndex;
use crate::serve::{router, ServeState};

pub fn run(args: &ServeArgs) -> anyhow::Result<Status> {
    let index = FoiaIndex::open(&args.index.index)?;
    let searcher = PageSearcher::new(&index)?;
    let state = Arc::new(ServeState {
        index,
        searcher,
        token: args.token.clone(),
    });
    let runtime = tokio::runtime::Runtime::new().context("cannot start the HTTP runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let address = listener.local_addr()?;
        let access = if args.token.is_some() {
            " (token required)"
        } else {
            ""
        };
        eprintln!(
            "foia: serving {} at http://{address}/{access}; Ctrl-C stops",
            args.index.index.display()
        );
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
