"""kill -9 at any point of a run leaves the warehouse consistent, and the next run completes the work.

Real ``ogi`` processes load the robustness inbox (good reports, re-encoded copies and bad files) in
batches of two (OGI_BATCH_SIZE) and are killed with SIGKILL: right after a batch commits
(OGI_TEST_KILL_AFTER_BATCHES), inside a batch's transaction before it commits (OGI_TEST_KILL_IN_BATCH),
and at random moments. After every kill no report has half its facts and no run is marked finished;
the next run marks the killed one interrupted, and the last one leaves exactly what an uninterrupted
run leaves.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.pipeline import run_pipeline

from .test_robustness import BAD_MADE, GOOD, GOOD_REPORTS, RE_ENCODED

KILLED = -signal.SIGKILL
# Seconds a killed-at-random run is given before the kill: from interpreter start-up to well past
# the end of loading on a slow machine, so kills land before, during and after the load.
RANDOM_KILL_WINDOW = (0.5, 6.0)
RUN_TIMEOUT = 300


def ogi(args: list[str], env: dict[str, str] | None = None, kill_after: float | None = None
        ) -> subprocess.CompletedProcess[str]:
    """Run ``ogi`` in its own session; with ``kill_after``, SIGKILL it then (and whatever it started)."""
    full_env = {**os.environ, "OGI_BATCH_SIZE": "2", **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", *args], env=full_env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        if kill_after is not None:
            try:
                proc.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # parser processes it left behind (its own session)
        except ProcessLookupError:
            pass
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def assert_consistent(db: Path) -> None:
    """No report with half its facts, texts or warnings; files, reports and quarantine agree."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        if not _migrated(con):
            return  # killed before the first migration committed: an empty warehouse

        def rows(sql: str) -> list[tuple]:
            return con.execute(sql).fetchall()

        assert rows("""
            select r.report_id, r.n_facts, count(f.report_id) from reports r
            left join facts f using (report_id) group by all having r.n_facts <> count(f.report_id)""") == []
        assert rows("""
            select r.report_id from reports r left join extraction_warnings w using (report_id)
            group by r.report_id, r.n_warnings having r.n_warnings <> count(w.report_id)""") == []
        assert rows("""
            select r.report_id from reports r left join report_texts t using (report_id)
            group by r.report_id having count(t.report_id) <> 1""") == []
        assert rows("select report_id from reports group by all having count(*) > 1") == []
        for table in ("facts", "report_texts", "extraction_warnings"):
            assert rows(f"select report_id from {table} anti join reports using (report_id)") == [], table
        assert rows("select source_path from files group by all having count(*) > 1") == []
        assert rows("""select source_path from files f where status = 'loaded'
                       and not exists (select 1 from reports r where r.report_id = f.report_id)""") == []
        assert rows("select report_id from reports r anti join files f using (report_id)") == []
        assert rows("""select source_path from files f where status = 'quarantined' and not exists
                       (select 1 from quarantine q where q.source_path = f.source_path)""") == []
        assert rows("select source_path from quarantine group by all having count(*) > 1") == []
    finally:
        con.close()


def _migrated(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select count(*) from information_schema.tables where table_name = 'runs'").fetchone()[0] > 0


def row_counts(db: Path) -> list[int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("reports", "facts", "report_texts", "files", "quarantine")]
    finally:
        con.close()


def run_statuses(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        if not _migrated(con):
            return []
        return [r[0] for r in con.execute("select status from runs order by started_at, run_id").fetchall()]
    finally:
        con.close()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """What a finished warehouse holds, independent of run ids and timestamps."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "files": con.execute("select source_path, sha256, report_id, status from files order by all").fetchall(),
            "reports": con.execute("select report_id, organ, year, n_facts from reports order by all").fetchall(),
            "facts": con.execute("select report_id, fact_no, metric, applicant, value from facts order by all"
                                 ).fetchall(),
            "quarantine": con.execute("select source_path, stage, reason from quarantine order by all").fetchall(),
        }
    finally:
        con.close()


# Bad files in the crash inbox: quarantine rows are written in the same batches as reports.
CRASH_BAD = ("empty.html", "junk.html", "no-year.txt")
# Copies of the good reports under other names: enough files for the parser process pool (16+).
POOL_COPIES = 8


def _crash_inbox(root: Path, copies: int = 0) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    for name in GOOD_REPORTS:
        shutil.copyfile(GOOD / name, inbox / name)
    for name, (make, _) in RE_ENCODED.items():
        (inbox / name).write_bytes(make())
    for name in CRASH_BAD:
        (inbox / name).write_bytes(BAD_MADE[name][0]())
    for i in range(copies):
        name = sorted(GOOD_REPORTS)[i % len(GOOD_REPORTS)]
        shutil.copyfile(GOOD / name, inbox / f"copy-{i}-{name}")
    return inbox


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _crash_inbox(tmp_path_factory.mktemp("crash"))


@pytest.fixture(scope="module")
def uninterrupted(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    db = tmp_path_factory.mktemp("reference") / "ogi.duckdb"
    summary = run_pipeline([inbox], db, workers=1, progress=False)
    assert summary.reports_loaded > 5 and summary.quarantined and not summary.crashed
    return snapshot(db)


# Each scenario: the kills of successive runs, then a run left alone. ("after", n): SIGKILL right
# after the nth batch commits; ("inside", n): inside the nth batch's transaction, before its commit.
SCENARIOS = {
    "after-commit-then-inside-transaction": [("after", 1), ("inside", 3)],
    "inside-first-transaction-then-after-commit": [("inside", 1), ("after", 2)],
}


def _command(inbox: Path, db: Path, step: int) -> list[str]:
    # Alternate the two entry points: ogi ingest, and ogi run without validation and reports.
    if step % 2:
        return ["run", str(inbox), "--db", str(db), "--workers", "1", "--no-validate", "--no-report"]
    return ["ingest", str(inbox), "--db", str(db), "--workers", "1"]


@pytest.mark.parametrize("kills", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_killed_runs_leave_a_consistent_warehouse_and_the_next_run_completes(
        kills: list[tuple[str, int]], inbox: Path, uninterrupted: dict[str, list[tuple]], tmp_path: Path) -> None:
    db = tmp_path / "ogi.duckdb"
    for step, (where, n) in enumerate(kills):
        hook = {"after": "OGI_TEST_KILL_AFTER_BATCHES", "inside": "OGI_TEST_KILL_IN_BATCH"}[where]
        killed = ogi(_command(inbox, db, step), env={hook: str(n)})
        assert killed.returncode == KILLED, killed.stderr[-2000:]
        assert_consistent(db)
        if step == 0 and (where, n) == ("inside", 1):
            assert row_counts(db) == [0, 0, 0, 0, 0]  # nothing of the uncommitted batch remains
        # The killed run is still 'running' (nobody could mark it); every earlier one was found and
        # marked interrupted by its successor; none is marked finished.
        assert run_statuses(db) == ["interrupted"] * step + ["running"]
    done = ogi(_command(inbox, db, len(kills)))
    assert done.returncode == 0, done.stderr[-2000:]
    assert_consistent(db)
    assert run_statuses(db) == ["interrupted"] * len(kills) + ["succeeded"]
    assert snapshot(db) == uninterrupted


@pytest.mark.parametrize("seed", [1])
def test_random_kills_leave_a_consistent_warehouse(seed: int, inbox: Path, uninterrupted: dict[str, list[tuple]],
                                                   tmp_path: Path) -> None:
    rng = random.Random(seed)
    db = tmp_path / "ogi.duckdb"
    statuses: list[str] = []
    for step in range(2):
        result = ogi(_command(inbox, db, step), kill_after=rng.uniform(*RANDOM_KILL_WINDOW))
        if not db.exists():
            continue  # killed before the warehouse was created: nothing to check
        assert_consistent(db)
        statuses = run_statuses(db)
        assert "running" not in statuses[:-1], statuses  # earlier killed runs were marked interrupted
        if result.returncode == KILLED and statuses:
            assert statuses[-1] in ("running", "succeeded"), statuses  # a kill after the commit of 'succeeded'
    done = ogi(_command(inbox, db, 2))
    assert done.returncode == 0, done.stderr[-2000:]
    assert_consistent(db)
    final = run_statuses(db)
    assert final[-1] == "succeeded" and "running" not in final and "failed" not in final
    assert snapshot(db) == uninterrupted


def test_a_parser_process_dying_on_one_file_costs_only_that_file(tmp_path: Path) -> None:
    # Two workers and enough files to use the process pool; one file kills its worker outright
    # (as a segfault in a C parser or the OOM killer would).
    inbox = _crash_inbox(tmp_path, copies=POOL_COPIES)
    loadable = len(GOOD_REPORTS) + len(RE_ENCODED) + POOL_COPIES
    db = tmp_path / "ogi.duckdb"
    poison = "pingtan-county-2011.txt"
    started = time.monotonic()
    result = ogi(["ingest", str(inbox), "--db", str(db), "--workers", "2"], env={"OGI_TEST_KILL_PARSER_ON": poison})
    assert time.monotonic() - started < RUN_TIMEOUT
    assert result.returncode == 1  # a crash is reported as a failure to look at …
    assert f"{poison}: the parser process died on this file" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    crashed = con.execute("select source_path from quarantine where reason = 'extractor_crash'").fetchall()
    loaded = con.execute("select count(*) from files where status = 'loaded'").fetchone()[0]
    status = con.execute("select status from runs").fetchall()
    con.close()
    assert [Path(p).name for (p,) in crashed] == [poison]
    assert loaded == loadable - 1  # … but every other report was loaded
    assert status == [("succeeded",)]
