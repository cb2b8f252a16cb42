"""``ogi run``: discover → normalise → identify → extract → load (→ validate → report).

Parsing fans out to worker processes and streams back; the main process alone writes to DuckDB, in
batches of one transaction each. The warehouse is locked for the whole run, validation and reports
included (a second run waits, saying so, or with --no-lock-wait exits with code 3). A run row is
written first as ``running`` and finished as ``succeeded``/``failed``; a run killed midway is found
``running`` by the next one, which marks it ``interrupted`` and redoes what it had not committed.

One file never costs the run: a file that cannot be read, decoded or identified is quarantined with
its reason; so is one an extractor crashes on, gets stuck on (a time limit), whose parser process
dies, or whose rows the warehouse refuses — those last four are ogi's bugs and make the exit code 1.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import config
from pipelines.discover import discover
from pipelines.errors import ReportError
from pipelines.load import (
    RETRIED_REASONS,
    Loaded,
    Quarantined,
    ReportRows,
    known_files,
    load_batch,
    report_rows,
)
from pipelines.lock import LOCK_WAIT_SECONDS, WarehouseLocked, warehouse_lock
from pipelines.model import SourceFile
from pipelines.parse import parse_bytes

log = logging.getLogger("ogi")

# Reports per load transaction: large enough that DuckDB's per-commit cost vanishes, small enough
# that a crash loses little work and memory stays flat. OGI_BATCH_SIZE overrides it (the crash tests
# use tiny batches to kill a run between and inside many of them).
BATCH_SIZE = 256
BATCH_SIZE_ENV = "OGI_BATCH_SIZE"
# Test hook (tests/test_crash.py): SIGKILL this process right after its Nth batch has committed.
KILL_AFTER_BATCHES_ENV = "OGI_TEST_KILL_AFTER_BATCHES"
# Test hook (tests/test_lock.py): sleep this many seconds after each committed batch (a slow run).
BATCH_DELAY_ENV = "OGI_TEST_BATCH_DELAY_SECONDS"
# Test hook (tests/test_crash.py): a parser process SIGKILLs itself on the file of this name.
KILL_PARSER_ON_ENV = "OGI_TEST_KILL_PARSER_ON"
# DuckDB threads while ingesting (see _run_locked).
INGEST_DUCKDB_THREADS = 1
# Files handed to a worker at a time.
WORKER_CHUNK = 8
# A real report parses in well under a second (a few seconds on a busy machine); one that takes this
# long has an extractor stuck in a combinatorial search or a backtracking regex. OGI_PARSE_TIMEOUT_SECONDS
# overrides it (0: no limit).
PARSE_TIME_LIMIT_SECONDS = 120.0
PARSE_TIME_LIMIT_ENV = "OGI_PARSE_TIMEOUT_SECONDS"
# A parser process dying on one file is that file's fault; dying on this many in a row is the machine's.
MAX_WORKER_DEATHS_IN_A_ROW = 3


def batch_size() -> int:
    return max(1, int(os.environ.get(BATCH_SIZE_ENV, BATCH_SIZE)))


def kill_if_asked(env: str, count: int) -> None:
    """Die like ``kill -9`` when the test hook ``env`` names this count (never set in production)."""
    wanted = os.environ.get(env)
    if wanted and int(wanted) == count:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class RunSummary:
    run_id: str
    files_seen: int = 0
    files_skipped: int = 0
    reports_loaded: int = 0
    facts_loaded: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def crashed(self) -> list[Quarantined]:
        """Files the extractor crashed or got stuck on, or the warehouse refused: bugs in ogi, not in the file."""
        return [q for q in self.quarantined if q.reason in (*RETRIED_REASONS, "parse_timeout")]


class ParseTimeout(BaseException):
    """Parsing one file ran over its time limit. A BaseException, so no ``except Exception`` in an
    extractor swallows it and carries on."""


def parse_time_limit() -> float:
    return float(os.environ.get(PARSE_TIME_LIMIT_ENV, PARSE_TIME_LIMIT_SECONDS))


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`ParseTimeout` in this (main) thread after ``seconds``; no limit elsewhere or at 0."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ParseTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_source(source: SourceFile) -> Loaded | Quarantined:
    """Parse one discovered file; never raises — a failure becomes a quarantine record."""
    if os.environ.get(KILL_PARSER_ON_ENV) == Path(source.path).name:
        os.kill(os.getpid(), signal.SIGKILL)
    limit = parse_time_limit()
    try:
        with open(source.path, "rb") as f:
            data = f.read()
        with _time_limit(limit):
            parsed = parse_bytes(data, source.suffix, source.path)
        return Loaded(source=source, parsed=parsed)
    except ParseTimeout:
        return Quarantined(source.path, source.sha256, "extract", "parse_timeout",
                           f"{source.path}: parsing took more than {limit:g}s and was stopped (an extractor "
                           "stuck on something in this file: a bug, please report it)")
    except ReportError as exc:
        return Quarantined(source.path, source.sha256, exc.stage, exc.reason, str(exc))
    except OSError as exc:
        return Quarantined(source.path, source.sha256, "discover", "unreadable", f"{source.path}: {exc}")
    except Exception as exc:  # noqa: BLE001 - one broken report must not cost the run
        return Quarantined(source.path, source.sha256, "extract", "extractor_crash",
                           f"{source.path}: the extractor failed ({type(exc).__name__}: {exc})")


def parse_source_rows(source: SourceFile) -> Loaded | Quarantined:
    """:func:`parse_source`, returning only the rows the loader writes (:class:`ReportRows`): what the
    parse workers send back, so the serial main process unpickles as little as it can."""
    result = parse_source(source)
    if not isinstance(result, Loaded):
        return result
    try:
        return Loaded(source=source, parsed=report_rows(result.parsed))  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - as when build_batch refuses a report in the loader
        return Quarantined(source.path, source.sha256, "load", "load_error",
                           f"{source.path}: the warehouse refused this report's rows ({type(exc).__name__}: {exc})")


def _parse_all(sources: Sequence[SourceFile], workers: int) -> Iterator[Loaded | Quarantined]:
    if workers <= 1 or len(sources) < 2 * WORKER_CHUNK:
        for s in sources:
            yield parse_source_rows(s)
        return
    ctx = multiprocessing.get_context("forkserver")
    # The forkserver imports the parsers once; each worker forks with them loaded instead of importing
    # (compiling, without bytecode caches) them again. Takes effect when the forkserver starts.
    ctx.set_forkserver_preload(["pipelines.pipeline"])
    done = 0
    broken = False
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    try:
        for result in pool.map(parse_source_rows, sources, chunksize=WORKER_CHUNK):
            yield result
            done += 1
    except BrokenProcessPool:
        broken = True
    finally:
        # Queued files are dropped, not parsed, when the run stops early (a load error, Ctrl-C).
        pool.shutdown(wait=True, cancel_futures=True)
    if broken:
        # A worker died (a segfault in a C parser, the OOM killer): the pool cannot say on which file.
        # Parse the rest one file per single-worker pool, so the file that kills it is the one blamed.
        log.warning("a parser process died; parsing the remaining %d file(s) one at a time", len(sources) - done)
        yield from _parse_isolated(sources[done:], ctx)


def _parse_isolated(sources: Sequence[SourceFile], ctx) -> Iterator[Loaded | Quarantined]:  # type: ignore[no-untyped-def]
    pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    deaths_in_a_row = 0
    try:
        for s in sources:
            try:
                result = pool.submit(parse_source_rows, s).result()
            except BrokenProcessPool:
                deaths_in_a_row += 1
                if deaths_in_a_row >= MAX_WORKER_DEATHS_IN_A_ROW:
                    raise RuntimeError(
                        f"parser processes died on {deaths_in_a_row} files in a row: the machine, not a file, "
                        "is the problem (out of memory? cannot start processes?); nothing of them was loaded"
                    ) from None
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
                result = Quarantined(s.path, s.sha256, "extract", "extractor_crash",
                                     f"{s.path}: the parser process died on this file (crashed or ran out of memory)")
            else:
                deaths_in_a_row = 0
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _progress(total: int, enabled: bool):  # type: ignore[no-untyped-def]
    if enabled and sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(total=total, unit="report", file=sys.stderr)
    return None




def run_pipeline(inputs: Sequence[Path], db: Path, workers: int | None = None, progress: bool = True,
                 lock_wait: float = LOCK_WAIT_SECONDS) -> RunSummary:
    """Load every new or changed report below ``inputs`` into the warehouse at ``db``."""
    from pipelines.warehouse import connect

    db = Path(db)
    with warehouse_lock(db, lock_wait):
        return _run_locked(inputs, db, workers or config.default_workers(), progress, connect)


def _run_locked(inputs, db, workers, progress, connect) -> RunSummary:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    summary = RunSummary(run_id=time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6])
    con = connect(db)
    # One DuckDB thread: the parse workers hold the cores, and a batch's inserts and commit are too
    # small to gain from more (measured: 30% less CPU per batch than with a thread per core).
    con.execute(f"set threads = {INGEST_DUCKDB_THREADS}")
    try:
        stale = con.execute("update runs set status = 'interrupted', finished_at = current_timestamp, "
                            "message = 'the run stopped before finishing (killed or crashed)' "
                            "where status = 'running' returning run_id").fetchall()
        for (rid,) in stale:
            log.warning("run %s had not finished (killed or crashed); its uncommitted work is redone now", rid)
        con.execute("insert into runs (run_id, started_at, status, inputs, extractor_version) "
                    "values (?, current_timestamp, 'running', ?, ?)",
                    [summary.run_id, " ".join(str(p) for p in inputs), config.EXTRACTOR_VERSION])
        try:
            _ingest(con, inputs, workers, progress, summary)
        except BaseException as exc:
            con.execute("update runs set status = 'failed', finished_at = current_timestamp, message = ? "
                        "where run_id = ?", [f"{type(exc).__name__}: {exc}", summary.run_id])
            raise
        summary.seconds = time.perf_counter() - t0
        con.execute(
            "update runs set status = 'succeeded', finished_at = current_timestamp, files_seen = ?, "
            "files_skipped = ?, reports_loaded = ?, facts_loaded = ?, quarantined = ? where run_id = ?",
            [summary.files_seen, summary.files_skipped, summary.reports_loaded, summary.facts_loaded,
             len(summary.quarantined), summary.run_id])
    finally:
        try:
            con.execute("reset threads")  # a database setting: leave it as found for other connections
        except Exception:  # noqa: BLE001 - a broken connection must not hide the error that broke it
            pass
        con.close()
    _release_freed_memory()
    return summary


def _release_freed_memory() -> None:
    """Give the memory ingest freed back to the system, so that validation and reports, which ``ogi run``
    runs next in this process, do not stack their peak on top of it (glibc keeps freed heap otherwise)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to trim, or it trims by itself
    # The forkserver (with the parsers preloaded: ~100 MB) is idle now; a later run starts it again.
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        stop()


def _ingest(con, inputs, workers, progress, summary: RunSummary) -> None:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    sources, refused = discover(inputs)
    summary.files_seen = len(sources) + len(refused)
    known = known_files(con)
    todo = [s for s in sources if known.get(s.path) != s.sha256]
    summary.files_skipped = len(sources) - len(todo)
    quarantine = [Quarantined(r.path, r.sha256, "discover", r.reason, r.message) for r in refused
                  if known.get(r.path) != r.sha256]
    summary.stage_seconds["discover"] = time.perf_counter() - t
    for s in sources:
        if s.path in known and known[s.path] != s.sha256:
            log.info("changed since last load, reloading: %s", s.path)
    if not todo and not quarantine:
        log.info("nothing new to load: %d file(s) unchanged since they were loaded", summary.files_skipped)
        return

    t = time.perf_counter()
    bar = _progress(len(todo), progress)
    batch: list[Loaded] = []
    held: list[Quarantined] = list(quarantine)
    load_seconds = 0.0
    size = batch_size()
    batches = 0

    def flush() -> None:
        nonlocal load_seconds, batch, held, batches
        t_load = time.perf_counter()
        facts, batch, held = load_isolating_failures(con, batch, held, summary.run_id)
        summary.facts_loaded += facts
        batches += 1
        kill_if_asked(KILL_AFTER_BATCHES_ENV, batches)
        time.sleep(float(os.environ.get(BATCH_DELAY_ENV, 0)))
        load_seconds += time.perf_counter() - t_load
        summary.reports_loaded += len(batch)
        summary.quarantined.extend(held)
        for q in held:
            log.warning("quarantined %s [%s/%s]: %s", q.path, q.stage, q.reason, q.error)
        batch, held = [], []

    for result in _parse_all(todo, workers):
        if isinstance(result, Loaded):
            batch.append(result)
            if log.isEnabledFor(logging.DEBUG):
                rows = result.parsed if isinstance(result.parsed, ReportRows) else report_rows(result.parsed)
                log.debug("parsed %s: %s %s, %d facts", result.source.path, rows.organ, rows.year, rows.n_facts)
        else:
            held.append(result)
        if bar is not None:
            bar.update(1)
        if len(batch) + len(held) >= size:
            flush()
    if batch or held:
        flush()
    if bar is not None:
        bar.close()
    summary.stage_seconds["parse"] = time.perf_counter() - t - load_seconds
    summary.stage_seconds["load"] = load_seconds


def load_isolating_failures(con, batch: list[Loaded], held: list[Quarantined], run_id: str  # type: ignore[no-untyped-def]
                            ) -> tuple[int, list[Loaded], list[Quarantined]]:
    """Load a batch; should it fail, load its reports one by one and quarantine the ones that fail.

    Returns the facts written, the reports loaded and the files quarantined. A failure that is not
    one report's (every report of the batch fails alone too, or the quarantine rows cannot be
    written: a full disk, a broken warehouse) is raised and fails the run.
    """
    try:
        return load_batch(con, batch, held, run_id), batch, held
    except Exception as batch_error:  # noqa: BLE001 - decided below: one report's fault, or the run's
        if not batch:
            raise
        loaded: list[Loaded] = []
        refused: list[Quarantined] = []
        facts = 0
        for item in batch:
            try:
                facts += load_batch(con, [item], [], run_id)
                loaded.append(item)
            except Exception as exc:  # noqa: BLE001
                refused.append(Quarantined(item.source.path, item.source.sha256, "load", "load_error",
                                           f"{item.source.path}: the warehouse refused this report's rows "
                                           f"({type(exc).__name__}: {exc})"))
        if not loaded and len(batch) > 1:
            raise batch_error
        load_batch(con, [], [*held, *refused], run_id)
        return facts, loaded, [*held, *refused]


def format_summary(s: RunSummary, db: Path) -> str:
    lines = [
        f"run {s.run_id}: {s.files_seen} file(s) seen, {s.reports_loaded} report(s) loaded "
        f"({s.facts_loaded} facts), {s.files_skipped} unchanged and skipped, {len(s.quarantined)} quarantined "
        f"in {s.seconds:.1f}s",
        f"warehouse: {db}",
    ]
    if s.reports_loaded == 0 and not s.quarantined:
        lines.append("nothing new to load: every file is already in the warehouse with the same sha256")
    for q in s.quarantined:
        lines.append(f"  quarantined [{q.stage}/{q.reason}] {q.error}")
    return "\n".join(lines)


def run_command(args: argparse.Namespace, validate: bool, report: bool) -> int:
    from pipelines.cli import EXIT_LOCKED

    inputs = [Path(p) for p in (args.inputs or [config.RAW_DIR])]
    missing = [p for p in inputs if not p.exists()]
    if missing:
        print(f"ogi run: {', '.join(map(str, missing))}: no such file or folder", file=sys.stderr)
        return 2
    db = Path(args.db)
    try:
        # The lock is held through validation and reports too: they write to the warehouse (and
        # DuckDB lets one process at a time open it), so a second run must wait for them as well.
        with warehouse_lock(db, 0 if args.no_lock_wait else LOCK_WAIT_SECONDS):
            return _run_and_check(args, inputs, db, validate, report)
    except WarehouseLocked as exc:
        print(f"ogi run: {exc}; try again when it has finished", file=sys.stderr)
        return EXIT_LOCKED


def _run_and_check(args: argparse.Namespace, inputs: list[Path], db: Path, validate: bool, report: bool) -> int:
    from pipelines.cli import EXIT_FAILED, EXIT_OK

    summary = run_pipeline(inputs, db, workers=args.workers)
    print(format_summary(summary, db))
    code = EXIT_OK
    if summary.crashed:
        print(f"ogi run: ogi failed on {len(summary.crashed)} file(s) (an extractor crashed or got stuck, or the "
              "warehouse refused its rows: a bug, please report it); the other files were loaded", file=sys.stderr)
        code = EXIT_FAILED
    if validate:
        from pipelines.validate import run_validation

        # Validation opens its own connection under a DuckDB memory limit (OGI_VALIDATE_MEMORY_LIMIT).
        outcome = run_validation(db, fail_on_warning=getattr(args, "fail_on_warning", False))
        print(outcome.summary_text())
        if not outcome.ok:
            code = EXIT_FAILED
    if report:
        from pipelines.report import build_reports

        out = Path(getattr(args, "out", config.EXPORTS_DIR))
        reports = build_reports(db, out)
        print(reports.summary_text())
        if not reports.ok:
            print(f"ogi run: {len(reports.failures)} notebook(s) failed; their HTML shows the error", file=sys.stderr)
            code = EXIT_FAILED
    return code
