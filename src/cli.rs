//! Command-line flags for every subcommand (clap derive; the doc comments are the
//! `--help` text).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::entities::Kind;
use crate::ocr::OcrMode;

/// Search a dump of public-records PDFs: ingest it once, then ask it anything.
#[derive(Debug, Parser)]
#[command(name = "foia", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Ingest(IngestArgs),
    Search(SearchArgs),
    Entities(EntitiesArgs),
    Extract(ExtractArgs),
    Status(StatusArgs),
    Serve(ServeArgs),
    Plan(PlanArgs),
    Merge(MergeArgs),
    Export(ExportArgs),
    Redactions(RedactionsArgs),
    Dups(DupsArgs),
}

/// Where the index lives; shared by every command that reads or writes it.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Index directory (created by `ingest` if missing)
    #[arg(
        long,
        env = "FOIA_INDEX",
        default_value = "foia-index",
        value_name = "DIR"
    )]
    pub index: PathBuf,
}

/// Extract the text of PDFs (found by their %PDF- header, also inside .zip archives)
/// and index it, one document per page. Unchanged files are skipped; changed files
/// replace their old pages; files that fail are listed in the index's failures.jsonl.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files and folders (walked recursively)
    #[arg(required_unless_present_any = ["retry_failed", "plan"], value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArgs,
    /// Ingest one shard of a plan made by `foia plan` (with --shard) into a standalone
    /// index, renamed into place when complete; a finished shard is not done again
    #[arg(long, value_name = "FILE", requires = "shard", conflicts_with_all = ["paths", "retry_failed"])]
    pub plan: Option<PathBuf>,
    /// The shard to ingest: K (from 0), or `env` for JOB_COMPLETION_INDEX (Kubernetes
    /// Indexed Jobs) or SLURM_ARRAY_TASK_ID (Slurm arrays)
    #[arg(long, value_name = "K", requires = "plan")]
    pub shard: Option<String>,
    /// Also try again every file listed in the index's failures.jsonl
    #[arg(long)]
    pub retry_failed: bool,
    /// Extraction threads [default: number of CPUs]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub jobs: Option<u16>,
    /// Give up on a file after this many seconds (reason `timeout`)
    #[arg(long, default_value_t = 120, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub file_timeout: u64,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub ocr: OcrArgs,
    /// Commit to the index after this many files (and at least every minute)
    #[arg(long, default_value_t = crate::pipeline::COMMIT_EVERY_FILES, value_name = "N", value_parser = parse_positive)]
    pub commit_every: usize,
    /// Memory for the index writer's buffers, in MiB
    #[arg(long, default_value_t = 128, value_name = "MIB", value_parser = clap::value_parser!(u64).range(16..=16384))]
    pub memory: u64,
    /// No progress bar
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// How progress is shown on stderr: a bar (on a terminal), or one JSON line per
    /// file outcome plus a totals line about once a second, for schedulers and scripts
    #[arg(long, value_enum, default_value_t = Progress::Bar, value_name = "HOW")]
    pub progress: Progress,
}

/// `foia ingest --progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Progress {
    /// A progress bar when stderr is a terminal; errors and the summary as lines
    Bar,
    /// JSON lines only: `file`, `warning`, `totals` and a final `summary` event
    Ndjson,
}

/// Search the index with Tantivy query syntax: words (all must match), "exact phrases",
/// AND/OR/NOT, field:value (fields: text, title, path, doc_id, page, page_count, and the
/// entity filters agency, vendor, amount (dollars, e.g. amount:>=1000000), date, exemption,
/// contract, email, phone, person; and ocr:true, ocr_confidence:<60 for pages read by OCR).
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query, e.g. '"license plate" AND ICE'
    pub query: String,
    #[command(flatten)]
    pub index: IndexArgs,
    /// Most hits to print
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Hits to skip first (for paging)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Also print the most frequent agencies, vendors, amounts... among all matching pages
    #[arg(long)]
    pub facets: bool,
    /// List near-identical pages (a page and its scan, copies in several releases) each
    /// as a hit of its own, not folded under the best-scoring one
    #[arg(long)]
    pub no_fold: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Export the entities found in the index (agencies, vendors, money, dates, exemptions,
/// contract numbers, e-mails, phones, people): one row per occurrence, or with --top
/// one row per distinct value with counts.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    #[command(flatten)]
    pub index: IndexArgs,
    /// Only these kinds (repeatable): agency, vendor, money, date, exemption, contract, email, phone, person
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Vec<Kind>,
    /// csv (RFC 4180, header row) or json (one object per line)
    #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
    pub format: String,
    /// One row per distinct value, the N most frequent of each kind
    #[arg(long, value_name = "N", conflicts_with = "group")]
    pub top: Option<usize>,
    /// One row per entity: its name, every spelling found, documents, pages, and the
    /// first and last dates on its pages
    #[arg(long)]
    pub group: bool,
}

/// Print the text of a PDF, pages separated by form feeds (as pdftotext does), using
/// the same extraction as `ingest`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The PDF, or a member of a zip archive as `dump.zip!/folder/file.pdf`
    pub file: PathBuf,
    /// Pages to print: N, A-B or A- (1-based)
    #[arg(long, value_name = "A-B", value_parser = parse_page_range)]
    pub pages: Option<PageRange>,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub ocr: OcrArgs,
}

/// Show what an index holds: documents, pages, failed files by reason, and when the
/// last ingest finished.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub index: IndexArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Serve the index to a browser (a search page at /) and to scripts (a JSON API under
/// /api), with the original PDFs under /files.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub index: IndexArgs,
    /// Address to listen on; loopback by default (port 0 picks a free port)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: String,
    /// Require this token on every request [default: a new random one per run,
    /// printed in the URL to open]
    #[arg(long, env = "FOIA_TOKEN", hide_env_values = true, value_name = "T")]
    pub token: Option<String>,
    /// Answer without a token (loopback addresses only)
    #[arg(long, conflicts_with = "token")]
    pub no_token: bool,
    /// Also answer requests that name this host (a name colleagues use to reach
    /// this machine); repeatable. Loopback names and addresses are always answered.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

/// Split the files of a dump into shards for separate `foia ingest` runs (on several
/// machines): every file once, shards balanced by bytes, the same plan for the same
/// files. Use about 8 shards per worker, so a slow shard does not hold up the end.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Files and folders (walked recursively)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Number of shards
    #[arg(long, value_name = "N", value_parser = parse_positive)]
    pub shards: usize,
    /// Write the plan here instead of to stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Join shard indexes made by `foia ingest --plan P --shard K` into one ordinary
/// index, after checking they are one plan's, complete, made by this foia, and hold no
/// document twice
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard indexes
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,
    /// The index to merge into: a new folder, or an existing index, which the shards add
    /// to as an ingest would (files already indexed with the same bytes are kept, files
    /// whose bytes changed are replaced)
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// Merge even when shards of the plan are missing (they are named)
    #[arg(long)]
    pub allow_partial: bool,
}

/// Write every indexed page as a JSON line (ids, path, page, text, entities by kind,
/// amounts, dates, OCR fields), for other engines; `bulk` adds the action lines of an
/// OpenSearch/Elasticsearch `_bulk` load
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub index: IndexArgs,
    /// `ndjson`: one page per line; `bulk`: each page after `{"index":{"_id":ID}}`
    #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
    pub format: ExportFormat,
}

/// List redactions page by page: proper boxes with their exemption labels, bad
/// redactions (boxes over words still in the file, with those words) and text no
/// reader sees; from the index, or from the PDFs named
#[derive(Debug, Args)]
pub struct RedactionsArgs {
    /// PDFs to examine instead of the index (zip members as `dump.zip!/file.pdf`)
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArgs,
    /// `json`: one line per page with findings; `csv`: one row per finding
    #[arg(long, value_enum, default_value_t = RowsFormat::Json)]
    pub format: RowsFormat,
    /// Only pages with bad redactions
    #[arg(long)]
    pub bad: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
}

/// List the documents that repeat each other: pairs of documents with near-identical
/// pages (the same page in a born-digital file and its scan, one e-mail chain in
/// several releases), most shared pages first
#[derive(Debug, Args)]
pub struct DupsArgs {
    #[command(flatten)]
    pub index: IndexArgs,
    /// `json`: one line per pair of documents; `csv`: one row per pair
    #[arg(long, value_enum, default_value_t = RowsFormat::Json)]
    pub format: RowsFormat,
}

/// `--format` of the commands that list rows: `foia redactions`, `foia dups`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RowsFormat {
    Json,
    Csv,
}

/// `foia export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Ndjson,
    Bulk,
}

/// The password flag, shared by every command that opens PDFs.
#[derive(Debug, Args)]
pub struct PasswordArgs {
    /// Password for encrypted PDFs that do not open with the empty password
    #[arg(
        long,
        env = "FOIA_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    pub password: Option<String>,
}

/// OCR flags, shared by every command that reads PDFs.
#[derive(Debug, Args)]
pub struct OcrArgs {
    /// OCR scanned pages with Tesseract: auto (pages that are mostly image and have
    /// almost no text), always (also pages with a text layer, replacing it), never
    #[arg(long, value_enum, default_value_t = OcrMode::Auto, value_name = "WHEN")]
    pub ocr: OcrMode,
    /// Tesseract languages, joined by + (e.g. eng+spa)
    #[arg(long, default_value = "eng", value_name = "LANGS", value_parser = parse_languages)]
    pub ocr_lang: String,
}

/// Output format flags, worded the same for every command that prints rows.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// One JSON object per line instead of text
    #[arg(long)]
    pub json: bool,
}

/// An inclusive, 1-based page range; `last` is `None` for "to the end".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRange {
    pub first: u32,
    pub last: Option<u32>,
}

impl PageRange {
    /// Whether 1-based page `number` is in the range.
    pub fn contains(&self, number: u32) -> bool {
        number >= self.first && self.last.is_none_or(|last| number <= last)
    }
}

fn parse_positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) | Err(_) => Err(format!("{text:?} is not a positive whole number")),
        Ok(number) => Ok(number),
    }
}

fn parse_languages(text: &str) -> Result<String, String> {
    let valid = |language: &str| {
        !language.is_empty()
            && language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if text.split('+').all(valid) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "{text:?} is not a list of Tesseract languages (e.g. eng or eng+spa)"
        ))
    }
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    Kind::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|kind| kind.as_str()).collect();
        format!("unknown kind {text:?} (one of {})", names.join(", "))
    })
}

fn parse_page_range(text: &str) -> Result<PageRange, String> {
    let page = |part: &str| -> Result<u32, String> {
        match part.trim().parse::<u32>() {
            Ok(0) | Err(_) => Err(format!("{part:?} is not a page number (pages start at 1)")),
            Ok(number) => Ok(number),
        }
    };
    let range = match text.split_once('-') {
        None => {
            let number = page(text)?;
            PageRange {
                first: number,
                last: Some(number),
            }
        }
        Some((first, "")) => PageRange {
            first: page(first)?,
            last: None,
        },
        Some((first, last)) => PageRange {
            first: page(first)?,
            last: Some(page(last)?),
        },
    };
    match range.last {
        Some(last) if last < range.first => Err(format!("range {text} ends before it starts")),
        _ => Ok(range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_parse() {
        assert_eq!(
            parse_page_range("3"),
            Ok(PageRange {
                first: 3,
                last: Some(3)
            })
        );
        assert_eq!(
            parse_page_range("2-5"),
            Ok(PageRange {
                first: 2,
                last: Some(5)
            })
        );
        assert_eq!(
            parse_page_range("4-"),
            Ok(PageRange {
                first: 4,
                last: None
            })
        );
        assert!(parse_page_range("0").is_err());
        assert!(parse_page_range("5-2").is_err());
        assert!(parse_page_range("x").is_err());
    }

    #[test]
    fn open_range_contains_later_pages() {
        let range = PageRange {
            first: 2,
            last: None,
        };
        assert!(!range.contains(1));
        assert!(range.contains(900));
    }

    #[test]
    fn flags_are_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
