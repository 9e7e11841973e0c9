//! foia: turn a dump of released public-records PDFs into something a reporter can
//! search in seconds.
//!
//! Data flows one way: files -> pages ([`extract`]) -> index ([`index`]) -> answers
//! ([`index::search`], printed by [`output`]); [`pipeline`] runs the first steps in
//! parallel. The binary is a thin shell over [`commands`], so tests and benchmarks
//! use exactly the code users run.

/// mimalloc instead of the system allocator, for every program built on this crate
/// (the binary, its tests and benchmarks alike): the entity pass allocates a string or
/// two per entity found, and with glibc's malloc those allocations cost an eighth of
/// the pass (`cargo bench --bench entities`: 21 ns per byte of text with mimalloc, 24
/// with glibc). It is built with `no_thp`: with transparent huge pages an ingest of
/// the real corpus peaked at 180-200 MiB (glibc: 85 MiB); without them, at 120-150.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod archive;
pub mod cli;
pub mod commands;
pub mod entities;
pub mod extract;
pub mod fuzzing;
pub mod hash;
pub mod index;
pub mod isolation;
pub mod ocr;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod quality;
pub mod serve;
pub mod similarity;
pub mod tools;
