"""foia-dask: a foia ingest spread over a Dask cluster.

`foia plan` splits the inputs into shards, each shard is one Dask task running
`foia ingest --plan P --shard K` on whichever worker takes it, and `foia merge` joins
the finished shards into one index. The workers need the same `foia` binary and the
same view of the files and of the work folder (a shared filesystem).

A task that dies (a lost worker, a killed process) is retried; a shard that foia
refuses with exit code 2 (do not retry) is not, and the run fails naming it. A shard
finished before is not done again, so rerunning the whole command after a failure
only does what is left.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from dask.distributed import Client, LocalCluster, as_completed

#: Shards per worker when --shards is not given: small enough that a slow shard does
#: not hold up the end, large enough that per-task overhead stays small.
SHARDS_PER_WORKER = 8


def ingest_shard(foia, plan, shard, index, extra_args=()):
    """Run one shard on a worker. Returns foia's summary event for it, or, when foia
    refused the shard (exit code 2: running it again would fail again), `refused`
    with its message: returned, not raised, because Dask retries every exception."""
    command = [
        str(foia), "ingest", "--plan", str(plan), "--shard", str(shard),
        "--index", str(index), "--progress", "ndjson", *extra_args,
    ]
    finished = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in finished.stderr.splitlines() if line.startswith("{")]
    if finished.returncode == 2:
        return {"shard": shard, "exit_code": 2, "refused": f"shard {shard}: {finished.stderr.strip()}"}
    if finished.returncode not in (0, 1):
        # Killed or crashed: worth another try, possibly on another worker.
        raise RuntimeError(f"shard {shard}: foia exited with {finished.returncode}: "
                           f"{finished.stderr.strip()[-500:]}")
    summary = json.loads(lines[-1]) if lines else {"event": "summary"}
    summary["shard"] = shard
    summary["exit_code"] = finished.returncode
    return summary


def _foia(foia, *args):
    finished = subprocess.run([str(foia), *map(str, args)], capture_output=True, text=True)
    if finished.returncode == 2:
        raise SystemExit(f"foia-dask: {' '.join(map(str, args[:1]))} failed: {finished.stderr.strip()}")
    return finished


def run(paths, index, *, foia="foia", scheduler=None, local_workers=2, shards=None,
        work_dir=None, retries=2, extra_args=(), log=print):
    """Plan, ingest every shard as a Dask task, merge. Returns the shard summaries."""
    index = Path(index)
    work = Path(work_dir) if work_dir else index.parent / f"{index.name}.shards"
    work.mkdir(parents=True, exist_ok=True)
    if scheduler:
        client, cluster = Client(scheduler), None
    else:
        # Loopback only: a local run opens nothing to the network.
        cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1,
                               host="127.0.0.1", dashboard_address=None, processes=True)
        client = Client(cluster)
    try:
        addresses = sorted(client.scheduler_info()["workers"])
        log(f"foia-dask: scheduler {client.scheduler.address}, workers {', '.join(addresses)}")
        workers = max(1, len(addresses))
        count = shards or SHARDS_PER_WORKER * workers
        plan = work / "plan.jsonl"
        planned = _foia(foia, "plan", *paths, "--shards", count, "--out", plan)
        log(planned.stderr.strip())
        count = json.loads(plan.read_text().splitlines()[0])["shards"]
        started = time.monotonic()
        futures = [
            client.submit(ingest_shard, str(foia), str(plan), shard, str(work / f"shard-{shard}"),
                          tuple(extra_args), key=f"foia-shard-{shard}-{plan.stat().st_mtime_ns}",
                          retries=retries, pure=False)
            for shard in range(count)
        ]
        summaries, refused = [], []
        for done, future in enumerate(as_completed(futures), start=1):
            summary = future.result()
            if "refused" in summary:
                refused.append(summary["refused"])
                log(f"foia-dask: {done}/{count} shards: {summary['refused']}")
                continue
            summaries.append(summary)
            log(f"foia-dask: {done}/{count} shards, shard {summary['shard']}: "
                f"{summary.get('files_indexed', 0)} files, {summary.get('pages_indexed', 0)} pages, "
                f"{summary.get('failed', 0)} failed ({time.monotonic() - started:.1f} s)")
        if refused:
            raise SystemExit("foia-dask: shards refused, not merged:\n" + "\n".join(refused))
        merged = _foia(foia, "merge", *(work / f"shard-{shard}" for shard in range(count)),
                       "--into", index)
        log(merged.stderr.strip())
        return sorted(summaries, key=lambda summary: summary["shard"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="foia-dask", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="files and folders to ingest")
    parser.add_argument("--index", required=True, help="the merged index (a new folder)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="a running Dask scheduler, e.g. tcp://host:8786")
    where.add_argument("--local-workers", type=int, default=2,
                       help="workers of a cluster on this machine, on 127.0.0.1 (default 2)")
    parser.add_argument("--shards", type=int, help=f"default: {SHARDS_PER_WORKER} per worker")
    parser.add_argument("--foia", default="foia", help="the foia binary, the same on every worker")
    parser.add_argument("--work-dir", help="where the plan and shards go (default INDEX.shards)")
    parser.add_argument("--retries", type=int, default=2, help="tries again per shard (default 2)")
    args, extra = parser.parse_known_args(argv)
    run(args.paths, args.index, foia=args.foia, scheduler=args.scheduler,
        local_workers=args.local_workers, shards=args.shards, work_dir=args.work_dir,
        retries=args.retries, extra_args=extra, log=lambda line: print(line, file=sys.stderr))


if __name__ == "__main__":
    main()
