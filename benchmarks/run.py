"""Benchmark entry for CI and the task runner: ``uv run python benchmarks/run.py --n 10000``.

A thin wrapper over ``ogi bench`` (pipelines/bench.py), which holds the logic; the last line printed is
``bench: N=… <R> reports/s …`` for CI logs.
"""

from __future__ import annotations

import sys

from pipelines.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
