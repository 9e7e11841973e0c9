//! foia: turn a dump of released public-records PDFs into something a reporter can
//! search in seconds.
//!
//! Data flows one way: files -> pages ([`extract`]) -> index ([`index`]) -> answers
//! ([`index::search`], printed by [`output`]); [`pipeline`] runs the first steps in
//! parallel. The binary is a thin shell over [`commands`], so tests and benchmarks
//! use exactly the code users run.

pub mod archive;
pub mod cli;
pub mod commands;
pub mod entities;
pub mod extract;
pub mod index;
pub mod isolation;
pub mod ocr;
pub mod output;
pub mod pipeline;
pub mod quality;
pub mod serve;
pub mod tools;
