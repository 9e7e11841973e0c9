#!/usr/bin/env bash
# Regenerates corpus/*.pdf from corpus/src with three different PDF producers, so that
# fonts and encodings differ the way they do in real releases:
#   *.html -> LibreOffice headless (embedded TrueType subsets, WinAnsi, ToUnicode)
#   *.ms   -> groff -ms | ps2pdf (Type 1C fonts, custom encodings, no ToUnicode)
#   *.txt  -> examples/make_type0_pdf.rs with lopdf (Type0 Identity-H, glyph-id codes,
#             ToUnicode CMap only, no space glyphs)
# Needs: libreoffice-writer-nogui, groff, ghostscript, fonts-liberation, fonts-dejavu-core.
# Labels in labels.json are written by hand; tests/corpus_labels.rs checks each against
# the extracted text, so a regenerated corpus that moves a fact to another page fails.
set -euo pipefail
cd "$(dirname "$0")"
font=/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for source in src/*.html; do
  # The StarWriter filter lays HTML out as a document (Writer/Web adds a blank first page).
  soffice --headless --infilter="HTML (StarWriter)" --convert-to pdf:writer_pdf_Export --outdir "$work" "$source" >/dev/null 2>&1
  mv "$work/$(basename "${source%.html}").pdf" .
done
for source in src/*.ms; do
  groff -t -ms -Tps "$source" | ps2pdf - "$(basename "${source%.ms}").pdf"
done
(cd .. && cargo build --quiet --release --example make_type0_pdf)
for source in src/*.txt; do
  ../target/release/examples/make_type0_pdf "$source" "$font" "$(basename "${source%.txt}").pdf"
done
ls -1 ./*.pdf | wc -l | xargs printf '%s PDFs written\n'
