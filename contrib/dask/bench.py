"""Scale-out cost on one machine: the same dump ingested by one `foia ingest`, and by
foia-dask as 8 shards on 2 local workers plus `foia merge`.

    contrib/dask/.venv/bin/python contrib/dask/bench.py [PAGES] [--foia target/release/foia]

The dump is copies of ../shared/corpus-foia (about 300 pages a copy) up to PAGES
pages (default 20,000). Prints both walls, the merge's time and the peak resident
memory of the single ingest, of the largest shard ingest and of the merge. On one
machine the sharded path can only cost more (the gain is in adding machines); the
aims are at most 15% more wall, and a merge within 10% of the ingest's wall.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from foia_dask import run  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="?", type=int, default=20_000)
    parser.add_argument("--foia", default=str(ROOT / "target" / "release" / "foia"))
    args = parser.parse_args()
    source = ROOT.parent / "shared" / "corpus-foia"
    pdfs = sorted(source.rglob("*.pdf"))
    if not pdfs:
        sys.exit(f"bench: no PDFs under {source}")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        dump = work / "dump"
        dump.mkdir()
        per_copy = 0
        for pdf in pdfs:
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            found = re.search(r"^Pages:\s+(\d+)", info, re.M)
            per_copy += int(found.group(1)) if found else 1
        copies = max(1, round(args.pages / per_copy))
        for copy in range(copies):
            folder = dump / f"copy-{copy:03}"
            folder.mkdir()
            for number, pdf in enumerate(pdfs):
                shutil.copy(pdf, folder / f"{number:03}.pdf")

        log = []
        started = time.monotonic()
        summaries = run([dump], work / "merged", foia=args.foia, local_workers=2, shards=8,
                        extra_args=["--ocr", "never"], log=log.append)
        sharded_wall = time.monotonic() - started
        merge_line = next(line for line in log if line.startswith("foia: merged"))
        merge_seconds = float(re.search(r"in ([0-9.]+) s", merge_line).group(1))
        # The merge's memory, alone: the same merge again, as the only child measured.
        shards = sorted((work / "merged.shards").glob("shard-*"))
        timed = subprocess.run(["/usr/bin/time", "-f", "%M", args.foia, "merge", *map(str, shards),
                                "--into", str(work / "merged-again")], capture_output=True, text=True)
        merge_peak = int(timed.stderr.strip().splitlines()[-1]) * 1024


        started = time.monotonic()
        single = subprocess.run([args.foia, "ingest", str(dump), "--index", str(work / "single"),
                                 "--ocr", "never", "--progress", "ndjson"],
                                capture_output=True, text=True)
        single_wall = time.monotonic() - started
        single_summary = json.loads(single.stderr.splitlines()[-1])

        mib = lambda count: f"{(count or 0) / 2**20:.0f} MiB"
        print(f"bench: {single_summary['pages_indexed']} pages in {single_summary['files_indexed']} files")
        print(f"bench: single ingest {single_wall:.1f} s, peak {mib(single_summary.get('peak_rss_bytes'))}")
        print(f"bench: 8 shards on 2 local Dask workers + merge {sharded_wall:.1f} s "
              f"({sharded_wall / single_wall - 1:+.0%}), largest shard peak "
              f"{mib(max(s.get('peak_rss_bytes') or 0 for s in summaries))}")
        print(f"bench: merge {merge_seconds:.2f} s ({merge_seconds / single_wall:.0%} of the single "
              f"ingest), peak {mib(merge_peak)}")


if __name__ == "__main__":
    main()
