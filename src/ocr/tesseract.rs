//! Running Tesseract: its command-line program, one process per page image.
//!
//! The CLI rather than the C API (see the README): a crash or a hang in Tesseract
//! kills one child process, never the batch, a page that takes too long is killed at
//! its deadline, and foia builds and runs on machines without Tesseract's headers or
//! library. A process costs a fraction of a second to start next to a second or
//! more of OCR.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use super::{OcrWord, Recognized};
use crate::extract::scan::PageImage;
use crate::tools;

/// The Debian packages Tesseract and its English data come in.
const PACKAGES: &str = "tesseract-ocr tesseract-ocr-eng";

/// Checks, once per process, that Tesseract runs and has data for every language of
/// `languages` (`eng+spa`), saying what to install when not.
pub fn check(languages: &str) -> Result<(), String> {
    static INSTALLED: OnceLock<Result<Vec<String>, String>> = OnceLock::new();
    let installed = INSTALLED.get_or_init(|| {
        let output = tools::output("tesseract", "Tesseract", PACKAGES, &["--list-langs"])?;
        // The first line names the data folder; one language per line follows.
        Ok(String::from_utf8_lossy(&output)
            .lines()
            .skip(1)
            .map(|line| line.trim().to_string())
            .collect())
    });
    let installed = installed.as_ref().map_err(Clone::clone)?;
    for language in languages.split('+') {
        if !installed.iter().any(|known| known == language) {
            return Err(format!(
                "Tesseract has no data for language {language:?} (apt-get install tesseract-ocr-{language})"
            ));
        }
    }
    Ok(())
}

/// Reads the text of a page image. Tesseract runs single-threaded: pages run in
/// parallel in foia's own pool, and OpenMP threads on top of that only fight over
/// the cores (measured: 9.5 s a page with them on two busy cores, 1.2 s without).
pub fn read(
    image: &PageImage,
    languages: &str,
    timeout: Option<Duration>,
) -> Result<Recognized, String> {
    let tsv = run(image, &["-l", languages, "tsv"], timeout)?;
    Ok(parse_tsv(&String::from_utf8_lossy(&tsv)))
}

/// Degrees clockwise that would turn the page upright, by Tesseract's orientation
/// detection (`--psm 0`); `None` when it cannot tell.
pub fn orientation(image: &PageImage, timeout: Option<Duration>) -> Option<i32> {
    let report = run(image, &["--psm", "0"], timeout).ok()?;
    String::from_utf8_lossy(&report)
        .lines()
        .find_map(|line| line.strip_prefix("Rotate:"))
        .and_then(|degrees| degrees.trim().parse().ok())
}

/// Runs `tesseract stdin stdout --dpi N ARGUMENTS...` on the image, returning stdout.
fn run(
    image: &PageImage,
    arguments: &[&str],
    timeout: Option<Duration>,
) -> Result<Vec<u8>, String> {
    let mut child = Command::new("tesseract")
        .args(["stdin", "stdout", "--dpi", &image.dpi.to_string()])
        .args(arguments)
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot run tesseract: {error}"))?;
    let pgm = image.gray.to_pgm();
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            // A failed write shows as a failed run below.
            let _ = stdin.write_all(&pgm);
        }
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut tsv = Vec::new();
        if let Some(stdout) = stdout.as_mut() {
            let _ = stdout.read_to_end(&mut tsv);
        }
        tsv
    });
    let status = tools::wait(&mut child, "tesseract", "OCR", timeout);
    let _ = writer.join();
    let output = reader.join().unwrap_or_default();
    let status = status?;
    if !status.success() {
        return Err(format!("tesseract failed ({status})"));
    }
    Ok(output)
}

/// Text and mean word confidence from Tesseract's TSV: one row per layout element,
/// level 5 being words, numbered by block, paragraph and line.
fn parse_tsv(tsv: &str) -> Recognized {
    let mut text = String::new();
    let mut tops = Vec::new();
    // Per line: the sum and count of its words' confidences.
    let mut lines: Vec<(f32, usize)> = Vec::new();
    let (mut width, mut height) = (0.0_f32, 0.0_f32);
    let mut words = Vec::new();
    let mut confidences = Vec::new();
    let mut current_line = None;
    let mut current_block = None;
    for row in tsv.lines().skip(1) {
        let columns: Vec<&str> = row.split('\t').collect();
        let [level, _page, block, paragraph, line, _word, left, top, row_width, row_height, confidence, word] =
            columns[..]
        else {
            continue;
        };
        // Level 1 is the page: its size scales the lines' tops and the words' boxes.
        if level == "1" {
            width = row_width.parse().unwrap_or(0.0);
            height = row_height.parse().unwrap_or(0.0);
        }
        let word = word.trim();
        if level != "5" || word.is_empty() {
            continue;
        }
        if width > 0.0 && height > 0.0 {
            let number = |value: &str| value.parse::<f32>().unwrap_or(0.0);
            let (x, y) = (number(left) / width, number(top) / height);
            words.push(OcrWord {
                text: word.to_string(),
                bbox: [
                    x,
                    y,
                    x + number(row_width) / width,
                    y + number(row_height) / height,
                ],
            });
        }
        let line_key = (block, paragraph, line);
        if current_line != Some(line_key) {
            if current_line.is_some() {
                text.push('\n');
                // A blank line between blocks keeps separate columns and boxes apart.
                if current_block != Some(block) {
                    text.push('\n');
                }
            }
            current_line = Some(line_key);
            current_block = Some(block);
            let top: f32 = top.parse().unwrap_or(0.0);
            tops.push(if height > 0.0 { top / height } else { 0.0 });
            lines.push((0.0, 0));
        } else {
            text.push(' ');
        }
        text.push_str(word);
        if let Ok(confidence) = confidence.parse::<f32>() {
            if confidence >= 0.0 {
                confidences.push(confidence);
                if let Some((sum, count)) = lines.last_mut() {
                    *sum += confidence;
                    *count += 1;
                }
            }
        }
    }
    let confidence = if confidences.is_empty() {
        0.0
    } else {
        confidences.iter().sum::<f32>() / confidences.len() as f32
    };
    Recognized {
        text,
        confidence,
        tops,
        line_confidences: lines
            .into_iter()
            .map(|(sum, count)| if count > 0 { sum / count as f32 } else { 0.0 })
            .collect(),
        words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_become_lines_and_confidences_average() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t2480\t3509\t-1\t\n\
            4\t1\t1\t1\t1\t0\t838\t388\t723\t41\t-1\t\n\
            5\t1\t1\t1\t1\t1\t838\t388\t77\t32\t90\tU.S.\n\
            5\t1\t1\t1\t1\t2\t931\t389\t215\t40\t80\tDepartment\n\
            5\t1\t1\t1\t2\t1\t918\t442\t66\t32\t70\t500\n\
            5\t1\t1\t1\t2\t2\t918\t442\t66\t32\t95\t \n\
            5\t1\t2\t1\t1\t1\t918\t442\t66\t32\t60\tSW\n";
        let recognized = parse_tsv(tsv);
        assert_eq!(recognized.text, "U.S. Department\n500\n\nSW");
        assert_eq!(recognized.confidence, 75.0);
        let tops: Vec<f32> = [388.0, 442.0, 442.0].map(|top| top / 3509.0).to_vec();
        assert_eq!(recognized.tops, tops);
        assert_eq!(recognized.line_confidences, [85.0, 70.0, 60.0]);
        // Words keep their boxes, as shares of the page image.
        assert_eq!(recognized.words.len(), 4);
        assert_eq!(recognized.words[1].text, "Department");
        assert_eq!(
            recognized.words[1].bbox,
            [
                931.0 / 2480.0,
                389.0 / 3509.0,
                1146.0 / 2480.0,
                429.0 / 3509.0
            ]
        );
    }

    #[test]
    fn no_words_is_empty_text_with_zero_confidence() {
        let recognized = parse_tsv("level\tpage_num\n");
        assert_eq!(recognized.text, "");
        assert_eq!(recognized.confidence, 0.0);
    }
}
