//! The `foia` binary: parse flags, run the subcommand, turn its outcome into an exit
//! code (0 success, 1 some files failed, 2 usage or fatal error).

use std::process::ExitCode;

use clap::Parser;
use foia::cli::{Cli, Command};
use foia::commands::{self, Status};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Search(args) => commands::search::run(args),
        Command::Entities(args) => commands::entities::run(args),
        Command::Extract(args) => commands::extract::run(args),
        Command::Status(args) => commands::status::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Plan(args) => commands::plan::run(args),
        Command::Merge(args) => commands::merge::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Redactions(args) => commands::redactions::run(args),
        Command::Dups(args) => commands::dups::run(args),
    };
    match result {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::Partial) => ExitCode::from(1),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("foia: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// `foia search ... | head` closes stdout early: that is the reader's choice, not an
/// error (as grep and ripgrep treat it).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
