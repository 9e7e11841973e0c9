"""foia-dask on a local cluster of two workers on 127.0.0.1: six shards of corpus/
plus copies, one task killed once and retried, the merged index equal to a
single-process ingest; a shard foia refuses (exit 2) is not retried."""

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from foia_dask import run

ROOT = Path(__file__).resolve().parents[3]
FOIA = Path(os.environ.get("FOIA_BIN", ROOT / "target" / "release" / "foia"))


def wrapper(tmp_path, body):
    """A stand-in for the foia binary that runs `body` (shell) before the real one."""
    script = tmp_path / "foia-wrapper"
    script.write_text(f"#!/bin/sh\n{body}\nexec '{FOIA}' \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def foia(*args):
    return subprocess.run([str(FOIA), *map(str, args)], capture_output=True, text=True)


@pytest.fixture
def dump(tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    for number, pdf in enumerate(sorted((ROOT / "corpus").glob("*.pdf"))):
        shutil.copy(pdf, folder / pdf.name)
        shutil.copy(pdf, folder / f"copy-{number}.pdf")
    return folder


def pages(index, query):
    hits = foia("search", query, "--index", index, "--json", "--limit", "100", "--no-fold")
    assert hits.returncode == 0, hits.stderr
    return sorted((hit["path"], hit["page"]) for hit in map(json.loads, hits.stdout.splitlines()))


def test_six_shards_on_two_workers_equal_a_single_ingest(tmp_path, dump):
    if not FOIA.exists():
        pytest.skip(f"{FOIA} is not built (cargo build --release)")
    marker = tmp_path / "killed-once"
    killer = wrapper(tmp_path, f"""case " $* " in *" --shard 2 "*)
  if [ ! -e '{marker}' ]; then touch '{marker}'; exit 137; fi;;
esac""")
    log = []
    merged = tmp_path / "merged"
    summaries = run([dump], merged, foia=killer, local_workers=2, shards=6,
                    extra_args=["--ocr", "never"], log=log.append)
    assert marker.exists(), "shard 2 was killed once"
    assert [summary["shard"] for summary in summaries] == list(range(6))
    addresses = [word for line in log for word in line.replace(",", " ").split()
                 if word.startswith("tcp://")]
    assert len(addresses) == 3, log
    assert all(address.startswith("tcp://127.0.0.1:") for address in addresses), addresses

    single = tmp_path / "single"
    assert foia("ingest", dump, "--index", single, "--ocr", "never").returncode == 0
    status = lambda index: json.loads(foia("status", "--index", index, "--json").stdout)
    for key in ("documents", "pages"):
        assert status(merged)[key] == status(single)[key]
    for query in ("license", "invoice", "amount:>=1000000"):
        assert pages(merged, query) == pages(single, query)
    assert sum(summary["pages_indexed"] for summary in summaries) == status(single)["pages"]


def test_a_shard_foia_refuses_is_not_retried(tmp_path, dump):
    if not FOIA.exists():
        pytest.skip(f"{FOIA} is not built (cargo build --release)")
    tries = tmp_path / "tries"
    refuser = wrapper(tmp_path, f"""case " $* " in *" --shard 1 "*)
  echo x >> '{tries}'; echo "foia: error: refused on purpose" >&2; exit 2;;
esac""")
    with pytest.raises(SystemExit, match="refused on purpose"):
        run([dump], tmp_path / "merged", foia=refuser, local_workers=2, shards=2,
            extra_args=["--ocr", "never"], log=lambda line: None)
    assert tries.read_text().count("x") == 1
    assert not (tmp_path / "merged").exists()
