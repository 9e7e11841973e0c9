//! Pages drawn as a reader sees them, for the pages whose words are not in their text
//! layer or their images (fonts without a mapping, text drawn as outlines).
//!
//! The rasterizer is poppler's `pdftoppm`, run like Tesseract: one process per page,
//! killed at its deadline, the package named when it is missing. Poppler draws every
//! font, shading and blend mode that real releases use, and a crash or hang in it costs
//! one page, never the batch. (The pure-Rust `hayro` was the other candidate; a
//! maintained C renderer that the machine already needs for `pdftotext`-grade
//! fidelity won over a young one, and over a long compile.)

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use super::images::{parse_netpbm, Gray};
use super::scan::PageImage;
use crate::tools;

/// Pages are rendered at the resolution Tesseract reads best.
pub const RENDER_DPI: u32 = 300;

/// The Debian package `pdftoppm` comes in.
const PACKAGE: &str = "poppler-utils";

/// One document's bytes, written to a temporary file the first time one of its pages
/// is rendered (`pdftoppm` reads files, not pipes) and removed with the renderer.
pub struct Renderer {
    bytes: Vec<u8>,
    /// The password the document was opened with, if it needed one.
    password: Option<String>,
    file: OnceLock<Result<tempfile::NamedTempFile, String>>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Renderer")
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Renderer {
    pub fn new(bytes: Vec<u8>, password: Option<String>) -> Renderer {
        Renderer {
            bytes,
            password,
            file: OnceLock::new(),
        }
    }

    /// Page `number` (1-based) as an 8-bit gray image at [`RENDER_DPI`], turned by its
    /// `/Rotate` as a viewer shows it.
    pub fn page(&self, number: u32, timeout: Option<Duration>) -> Result<PageImage, String> {
        let dpi = RENDER_DPI.to_string();
        let bytes = self.draw(number, &["-r", &dpi, "-gray"], "pgm", timeout)?;
        let gray: Gray =
            parse_netpbm(&bytes).ok_or_else(|| "pdftoppm wrote an unreadable image".to_string())?;
        Ok(PageImage {
            gray,
            dpi: RENDER_DPI,
        })
    }

    /// Page `number` (1-based) as a colour PNG `width` pixels wide, turned by its
    /// `/Rotate`: what the page view shows.
    pub fn png(
        &self,
        number: u32,
        width: u32,
        timeout: Option<Duration>,
    ) -> Result<Vec<u8>, String> {
        let width = width.to_string();
        let args = ["-png", "-scale-to-x", &width, "-scale-to-y", "-1"];
        self.draw(number, &args, "png", timeout)
    }

    /// Runs `pdftoppm` with `args` on page `number` and reads the image it writes
    /// with extension `extension`.
    fn draw(
        &self,
        number: u32,
        args: &[&str],
        extension: &str,
        timeout: Option<Duration>,
    ) -> Result<Vec<u8>, String> {
        let file = self
            .file
            .get_or_init(|| {
                let mut file = tempfile::Builder::new()
                    .prefix("foia-render-")
                    .suffix(".pdf")
                    .tempfile()
                    .map_err(|error| format!("cannot write a file to render: {error}"))?;
                file.write_all(&self.bytes)
                    .map_err(|error| format!("cannot write a file to render: {error}"))?;
                Ok(file)
            })
            .as_ref()
            .map_err(Clone::clone)?;
        let output = tempfile::Builder::new()
            .prefix("foia-page-")
            .tempdir()
            .map_err(|error| format!("cannot make a folder to render into: {error}"))?;
        let root = output.path().join("page");
        let page = number.to_string();
        let mut command = Command::new("pdftoppm");
        if let Some(password) = &self.password {
            // pdftoppm takes passwords only as arguments; either kind opens the file.
            command.args(["-opw", password, "-upw", password]);
        }
        let mut child = command
            .args(args)
            .args(["-singlefile", "-f", &page, "-l", &page])
            .arg(file.path())
            .arg(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| tools::not_started(&error, "pdftoppm", "pdftoppm", PACKAGE))?;
        let status = tools::wait(&mut child, "pdftoppm", "rendering", timeout)?;
        if !status.success() {
            return Err(format!("pdftoppm failed ({status})"));
        }
        let image: PathBuf = root.with_extension(extension);
        std::fs::read(&image).map_err(|error| format!("pdftoppm wrote no image: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_drawn_at_300_dpi() {
        let pdf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/invoice.pdf"))
            .expect("corpus invoice");
        let image = Renderer::new(pdf, None)
            .page(1, Some(Duration::from_secs(60)))
            .expect("pdftoppm renders the invoice");
        // An A4 page: 210 x 297 mm.
        assert_eq!((image.gray.width, image.gray.height), (2481, 3508));
        assert!(image.gray.pixels.iter().any(|&pixel| pixel < 128), "ink");
        let error = Renderer::new(b"%PDF-1.4 not really".to_vec(), None)
            .page(1, Some(Duration::from_secs(60)))
            .expect_err("a broken file does not render");
        assert!(error.contains("pdftoppm"), "{error}");
    }
}
