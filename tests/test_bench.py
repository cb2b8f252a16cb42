"""``ogi bench`` on a tiny synthetic corpus: every stage timed, and the summary line CI logs.

Speed targets are printed by the benchmark, not asserted here: this only checks that it measures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.bench import (
    STAGES,
    MemorySampler,
    _tree_rss_proc,
    format_bench,
    parse_stages,
    run_bench,
)
from pipelines.cli import main

TINY_N = 20
# The contract of the last line: a number followed by "reports/s".
LAST_LINE = re.compile(r"^bench: N=(\d+) .*?(\d+(?:\.\d+)?) reports/s")


def synth_or_skip() -> None:
    from pipelines.bench import synth_generator

    try:
        synth_generator()
    except ImportError as exc:
        pytest.skip(f"pipelines.synth is not importable yet ({exc})")


@pytest.mark.slow
def test_tiny_bench_times_every_stage_and_ends_with_the_summary_line(tmp_path: Path) -> None:
    synth_or_skip()
    result = run_bench(TINY_N, workers=2, keep=tmp_path, stages=("ingest", "split", "export", "rerun", "scaling"))
    ingest = result.ingest
    assert result.n == TINY_N
    assert ingest.reports == TINY_N and ingest.facts > 0
    assert ingest.seconds > 0 and all(ingest.detail[s] > 0 for s in ("discover", "parse", "load"))
    assert ingest.memory.tree_bytes >= ingest.memory.main_bytes > 0
    assert ingest.main_cpu_seconds > 0 and ingest.children_cpu_seconds > 0  # two workers parsed
    assert set(result.split_ms) == {"read", "normalise", "identify", "extract"}
    assert all(ms > 0 for ms in result.split_ms.values())
    rerun = result.phases["rerun"]
    assert rerun.reports == TINY_N and rerun.facts == 0 and not rerun.note  # nothing reloaded
    assert [p.reports for p in result.scaling] == [TINY_N, TINY_N]
    assert result.phases["export"].seconds > 0 and (tmp_path / "parquet" / "facts").is_dir()

    text = format_bench(result)
    last = text.splitlines()[-1]
    m = LAST_LINE.match(last)
    assert m, last
    assert int(m.group(1)) == TINY_N and float(m.group(2)) == pytest.approx(ingest.reports_per_second, abs=0.051)  # printed to 0.1
    assert "report " not in last  # the report stage was not asked for
    # --keep reuses the corpus of the same N and seed instead of generating it again.
    again = run_bench(TINY_N, workers=1, keep=tmp_path, stages=("ingest",))
    assert again.generate_seconds == 0.0 and again.ingest.reports == TINY_N


@pytest.mark.slow
def test_cli_bench_prints_the_contract_line_last(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    synth_or_skip()
    assert main(["bench", "--n", str(TINY_N), "--workers", "1", "--stages", "ingest",
                 "--keep", str(tmp_path)]) == 0
    last = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    assert LAST_LINE.match(last), last


def test_unknown_stage_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--n", "5", "--stages", "ingest,compile"]) == 2
    assert "compile" in capsys.readouterr().err


def test_stage_lists() -> None:
    assert "report" not in parse_stages(None)  # notebooks are opt-in
    assert parse_stages("all") == STAGES
    assert parse_stages("ingest, validate") == ("ingest", "validate")


def test_memory_sampler_sees_this_process() -> None:
    main_rss, _, tree = _tree_rss_proc()
    assert tree >= main_rss > 1024 * 1024  # a Python process with duckdb loaded is MBs, not bytes
    with MemorySampler(interval=0.01) as sampler:
        ballast = bytearray(64 * 1024 * 1024)  # 64 MB touched: the peak must notice it
        ballast[::4096] = b"x" * len(ballast[::4096])
    assert sampler.peak.main_bytes >= 64 * 1024 * 1024
    del ballast
