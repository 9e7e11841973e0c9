"""Drive `foia plan`, `foia ingest --plan --shard` and `foia merge` over Dask."""

from .driver import ingest_shard, run

__all__ = ["ingest_shard", "run"]
