"""Two ``ogi run`` on one warehouse: the second waits, or with --no-lock-wait exits at once (code 3)
with a clear message; neither corrupts the warehouse.

The first run is made slow (OGI_TEST_BATCH_DELAY_SECONDS after each one-report batch) so the others
start while it is in the middle of loading.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock, Timeout

from pipelines.cli import EXIT_LOCKED
from pipelines.lock import WarehouseLocked, lock_for
from pipelines.pipeline import run_pipeline

from .test_crash import _crash_inbox, assert_consistent, run_statuses

# How long the test waits for the first run to take the lock (interpreter start-up on a busy machine).
LOCK_TAKEN_TIMEOUT = 120
SLOW_RUN_ENV = {"OGI_BATCH_SIZE": "1", "OGI_TEST_BATCH_DELAY_SECONDS": "1.0"}


def _start(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", *args], env={**os.environ, **(env or {})},
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _wait_until_locked(db: Path, proc: subprocess.Popen[str]) -> None:
    lock: FileLock = lock_for(db)
    deadline = time.monotonic() + LOCK_TAKEN_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the first run ended before it was seen holding the lock"
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return  # the first run holds it
        lock.release()
        time.sleep(0.05)
    pytest.fail("the first run never took the warehouse lock")


def _run_args(inbox: Path, db: Path, *extra: str) -> list[str]:
    return ["run", str(inbox), "--db", str(db), "--workers", "1", "--no-validate", "--no-report", *extra]


def test_a_second_run_exits_or_waits_while_the_first_holds_the_warehouse(tmp_path: Path) -> None:
    inbox = _crash_inbox(tmp_path)
    db = tmp_path / "ogi.duckdb"
    first = _start(_run_args(inbox, db), env=SLOW_RUN_ENV)
    waiting: subprocess.Popen[str] | None = None
    try:
        _wait_until_locked(db, first)

        # --no-lock-wait: out at once with code 3 and a message saying why, while the first still runs.
        refused = subprocess.run([sys.executable, "-m", "pipelines.cli", *_run_args(inbox, db, "--no-lock-wait")],
                                 capture_output=True, text=True, timeout=LOCK_TAKEN_TIMEOUT)
        assert refused.returncode == EXIT_LOCKED
        assert "another ogi run is using this warehouse" in refused.stderr and str(db) in refused.stderr
        assert first.poll() is None, "the first run must still be running for this to show the lock"

        # In this process too: a run that will not wait is refused with the same error.
        with pytest.raises(WarehouseLocked, match="another ogi run"):
            run_pipeline([inbox], db, workers=1, progress=False, lock_wait=0)

        # Without --no-lock-wait: it says it waits, then runs when the first has finished.
        waiting = _start(_run_args(inbox, db))
        out, err = first.communicate(timeout=300)
        assert first.returncode == 0, err[-2000:]
        w_out, w_err = waiting.communicate(timeout=300)
        assert waiting.returncode == 0, w_err[-2000:]
        assert "waiting up to" in w_err
        assert "0 report(s) loaded" in w_out  # the first run had loaded everything
    finally:
        for proc in (first, waiting):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    assert_consistent(db)
    assert run_statuses(db) == ["succeeded", "succeeded"]  # the refused run never touched the warehouse
    con = duckdb.connect(str(db), read_only=True)
    loaded = con.execute("select count(*) from files where status = 'loaded'").fetchone()[0]
    con.close()
    assert loaded == 9  # the five good reports and their four re-encoded copies


def test_a_run_that_waits_too_long_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "ogi.duckdb"
    holder = FileLock(str(db) + ".lock")
    holder.acquire()  # another run, as far as the lock is concerned
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseLocked, match=r"still using this warehouse after 1s"):
            run_pipeline([tmp_path], db, workers=1, progress=False, lock_wait=1.0)
        assert time.monotonic() - started < 30
    finally:
        holder.release()
    assert not db.exists()  # refused before the warehouse was even opened


def test_ogi_run_holds_the_warehouse_through_validation_and_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation and reports write to the warehouse too: a second run must wait for them."""
    import argparse

    import pipelines.report
    import pipelines.validate
    from pipelines.pipeline import run_command

    held_during: list[str] = []

    def held(stage: str) -> None:
        probe = FileLock(str(db.resolve()) + ".lock")  # another process's view of the lock
        try:
            probe.acquire(timeout=0)
        except Timeout:
            held_during.append(stage)
        else:
            probe.release()

    class Outcome:
        ok = True

        def summary_text(self) -> str:
            return "validated"

    def fake_validation(db_path, fail_on_warning=False):  # type: ignore[no-untyped-def]
        held("validate")
        return Outcome()

    def fake_reports(db_path, out):  # type: ignore[no-untyped-def]
        held("report")
        return Outcome()

    monkeypatch.setattr(pipelines.validate, "run_validation", fake_validation)
    monkeypatch.setattr(pipelines.report, "build_reports", fake_reports)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "ogi.duckdb"
    args = argparse.Namespace(inputs=[inbox], db=db, workers=1, no_lock_wait=True, fail_on_warning=False,
                              out=tmp_path / "exports")
    assert run_command(args, validate=True, report=True) == 0
    assert held_during == ["validate", "report"]
