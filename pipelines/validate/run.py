"""``ogi validate``: run every suite on the warehouse, record the results, write Data Docs.

1. the vocabulary, the suites' settings and data/reviews.csv are written to their tables;
2. the check views (DuckDB) are gathered into unit rows with each (report, check)'s review;
3. their roll-up per (check, report) goes to check_results;
4. GE validates each suite on its compact frame; every result goes to validation_results;
5. the run is recorded in validation_runs; the outcome fails when an error-severity expectation
   failed (or any, with fail_on_warning). A failing report stays in the warehouse, flagged in
   marts.quality.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipelines import config
from pipelines.validate.checks import (
    gather_units,
    refresh_reference,
    roll_up,
    suite_frame,
    write_check_results,
    write_reviews,
)
from pipelines.validate.great import ExpectationOutcome, run_suites
from pipelines.validate.reviews import ReviewFileError, load_reviews
from pipelines.validate.suites import (
    FRAME_CHECKS,
    SEVERITY_ERROR,
    SEVERITY_WARNING,
    SuiteFileError,
    SuiteSpec,
    load_suites,
)

# Validation runs whose check and validation results are kept; older ones are deleted so that a
# nightly run does not grow the warehouse without bound (about a month of nightly runs).
KEEP_VALIDATION_RUNS = 30
# Failures listed by name in the summary; the rest are in validation_results and the Data Docs.
SUMMARY_EXAMPLES = 3


@dataclass
class ValidationOutcome:
    run_id: str
    ok: bool
    fail_on_warning: bool
    n_reports: int
    n_check_results: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    states: dict[str, int] = field(default_factory=dict)
    reviewed: dict[str, int] = field(default_factory=dict)
    docs_index: Path | None = None
    seconds: float = 0.0
    stale_reviews: list[str] = field(default_factory=list)

    @property
    def error_fails(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == SEVERITY_ERROR]

    @property
    def warning_fails(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == SEVERITY_WARNING]

    def summary_text(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        lines = [
            f"validation {self.run_id} {verdict}: {len(self.outcomes)} expectation(s) over {self.n_reports} "
            f"report(s) in {self.seconds:.1f}s; {len(self.error_fails)} error-severity and "
            f"{len(self.warning_fails)} warning-severity expectation(s) failed",
            "check results per (check, report): "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.states.items())),
        ]
        if self.reviewed:
            lines.append(
                "reviewed fails (data/reviews.csv): "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.reviewed.items()))
            )
        for o in self.error_fails + self.warning_fails:
            lines.append(
                f"  [{o.severity}] {o.suite}: {o.expectation}: {o.unexpected_count} unexpected row(s) "
                f"in {len(o.unexpected_by_report)} report(s)"
            )
            for report_id, rows in list(o.unexpected_by_report.items())[:SUMMARY_EXAMPLES]:
                row = rows[0]
                what = str(
                    row.get("detail") or ", ".join(f"{k}={v}" for k, v in row.items() if k != "report_id")
                )
                metric = str(row.get("metric") or "")
                named = (
                    ""
                    if what.startswith(metric)
                    else metric + (f"[{row['applicant']}]" if row.get("applicant") else "")
                )
                where = " ".join(str(x) for x in (row.get("organ"), row.get("year"), named) if x)
                more = f" (+{len(rows) - 1} more)" if len(rows) > 1 else ""
                lines.append(f"      {report_id} {where}: {what}{more}")
        if self.stale_reviews:
            lines.append(
                f"{len(self.stale_reviews)} review(s) in data/reviews.csv match no failing figure any more "
                "(fixed, or the organ is now identified differently): " + "; ".join(self.stale_reviews)
            )
        if self.docs_index is not None:
            lines.append(f"Data Docs: {self.docs_index}")
        return "\n".join(lines)


def _frames(con: duckdb.DuckDBPyConnection, suites: list[SuiteSpec]) -> dict[str, pd.DataFrame]:
    frames = {}
    for s in suites:
        if s.frame == FRAME_CHECKS:
            frames[s.name] = suite_frame(con, s.checks)
        else:
            frames[s.name] = con.execute(
                "select * exclude (problems, measures) from marts.current_reports"
            ).df()
    return frames


def _validation_rows(run_id: str, outcomes: list[ExpectationOutcome]) -> pd.DataFrame:
    rows = []
    for o in outcomes:
        rows.append(
            [
                run_id,
                o.suite,
                o.expectation,
                o.check,
                o.severity,
                o.success,
                "pass" if o.success else "fail",
                None,
                None,
                None,
                o.element_count,
                o.unexpected_count,
                None,
            ]
        )
        for report_id, units in o.unexpected_by_report.items():
            first = units[0]
            rows.append(
                [
                    run_id,
                    o.suite,
                    o.expectation,
                    o.check,
                    o.severity,
                    False,
                    "fail",
                    report_id,
                    first.get("organ"),
                    first.get("year"),
                    len(units),
                    len(units),
                    json.dumps(units, ensure_ascii=False, default=str),
                ]
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "run_id",
            "suite",
            "expectation",
            "check_name",
            "severity",
            "success",
            "state",
            "report_id",
            "organ",
            "year",
            "element_count",
            "unexpected_count",
            "observed",
        ],
    )
    frame["year"] = frame["year"].astype("Int32")
    return frame


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, sql  # an aggregate always returns a row
    return row[0]


def _stale_reviews(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Reviews that settle no failing unit of this run, named as an analyst would find them."""
    rows = con.execute(
        """
        select coalesce(v.report_id, v.organ || ' ' || v.year) || ' ' || v.check_name || coalesce('/' || v.metric, '')
        from main.reviews as v
        where not exists (
            select 1
            from validation_units as u
            inner join main.reports as r using (report_id)
            where u.check_name = v.check_name and u.state = 'fail'
              and (v.metric is null or v.metric = u.metric)
              and (v.report_id = u.report_id or (v.report_id is null and v.organ = r.organ and v.year = r.year))
        )
        order by 1
        """
    ).fetchall()
    return [r[0] for r in rows]


def _prune(con: duckdb.DuckDBPyConnection) -> None:
    old = con.execute(
        "select run_id from main.validation_runs order by started_at desc offset ?", [KEEP_VALIDATION_RUNS]
    ).fetchall()
    if old:
        ids = [r[0] for r in old]
        for table in ("check_results", "validation_results"):
            con.execute(f"delete from main.{table} where run_id in (select unnest(?::varchar[]))", [ids])


# DuckDB's cache would otherwise grow to 80% of the machine's memory during the check views; under a
# limit it evicts and spills instead (10,000 reports: 0.9 instead of 1.4 GB peak, no slower).
# OGI_VALIDATE_MEMORY_LIMIT overrides it ('' for no limit).
VALIDATE_MEMORY_LIMIT = "600MB"
VALIDATE_MEMORY_LIMIT_ENV = "OGI_VALIDATE_MEMORY_LIMIT"


def validation_settings() -> dict[str, str]:
    """DuckDB settings for the connection validation opens."""
    limit = os.environ.get(VALIDATE_MEMORY_LIMIT_ENV, VALIDATE_MEMORY_LIMIT)
    return {"memory_limit": limit} if limit else {}


def run_validation(
    db: str | Path | duckdb.DuckDBPyConnection = config.WAREHOUSE_PATH,
    fail_on_warning: bool = False,
    docs_dir: Path | None = config.DOCS_DIR,
    reviews_path: Path = config.REVIEWS_PATH,
    expectations_dir: Path = config.EXPECTATIONS_DIR,
) -> ValidationOutcome:
    """Validate the warehouse at ``db`` (a path, or an open connection) and record the results."""
    from pipelines.warehouse import connect, migrate

    t0 = time.perf_counter()
    suites = load_suites(expectations_dir)
    known_checks = {c.check for s in suites for c in s.checks}
    reviews = load_reviews(reviews_path, known_checks)
    own = not isinstance(db, duckdb.DuckDBPyConnection)
    if isinstance(db, duckdb.DuckDBPyConnection):
        con = db
        migrate(con)
    else:
        con = connect(db, settings=validation_settings())
    run_id = datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    try:
        con.execute(
            "insert into main.validation_runs (run_id, started_at, status, fail_on_warning, docs_path) "
            "values (?, current_timestamp, 'running', ?, ?)",
            [run_id, fail_on_warning, str(docs_dir) if docs_dir else None],
        )
        try:
            settings = {k: v for s in suites for k, v in s.settings.items()}
            refresh_reference(con, settings)
            write_reviews(con, reviews)
            checks = [c for s in suites for c in s.checks]
            gather_units(con, checks)
            roll_up(con)
            stale = _stale_reviews(con)
            n_results = write_check_results(con, run_id)
            frames = _frames(con, suites)
            outcomes = run_suites(suites, frames, docs_dir, {"current_year": date.today().year})
            vr = _validation_rows(run_id, outcomes)
            con.register("_vr", vr)
            try:
                con.execute("insert into main.validation_results by name select * from _vr")
            finally:
                con.unregister("_vr")
        except BaseException as exc:
            con.execute(
                "update main.validation_runs set status = 'crashed', finished_at = current_timestamp, "
                "message = ? where run_id = ?",
                [f"{type(exc).__name__}: {exc}", run_id],
            )
            raise
        n_reports = _scalar(con, "select count(*) from marts.current_reports")
        states = dict(
            con.execute(
                "select state, count(*) from main.check_results where run_id = ? group by state", [run_id]
            ).fetchall()
        )
        reviewed = dict(
            con.execute(
                "select outcome, count(*) from main.check_results where run_id = ? "
                "and outcome in ('confirmed', 'dismissed') group by outcome",
                [run_id],
            ).fetchall()
        )
        outcome = ValidationOutcome(
            run_id=run_id,
            ok=True,
            fail_on_warning=fail_on_warning,
            n_reports=n_reports,
            n_check_results=n_results,
            outcomes=outcomes,
            states=states,
            reviewed=reviewed,
            docs_index=(docs_dir / "index.html") if docs_dir else None,
            stale_reviews=stale,
        )
        outcome.ok = not outcome.error_fails and not (fail_on_warning and outcome.warning_fails)
        outcome.seconds = time.perf_counter() - t0
        con.execute(
            "update main.validation_runs set status = ?, finished_at = current_timestamp, n_reports = ?, n_checks = ?, "
            "n_error_fails = ?, n_warning_fails = ?, seconds = ? where run_id = ?",
            [
                "passed" if outcome.ok else "failed",
                n_reports,
                len(outcomes),
                len(outcome.error_fails),
                len(outcome.warning_fails),
                outcome.seconds,
                run_id,
            ],
        )
        _prune(con)
        return outcome
    finally:
        if own:
            con.close()


def validate_command(args: argparse.Namespace) -> int:
    """``ogi validate [--db] [--fail-on-warning] [--docs DIR]``: 0 passed, 1 failed, 2 usage, 3 locked."""
    from pipelines.cli import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_USAGE
    from pipelines.lock import WarehouseLocked, warehouse_lock

    db = Path(args.db)
    if not db.exists():
        print(
            f"ogi validate: {db}: no warehouse here yet; run 'ogi run' or 'ogi ingest' first", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        # validation writes its results to the warehouse: one writer at a time, like ogi run
        with warehouse_lock(db):
            outcome = run_validation(
                db,
                fail_on_warning=bool(getattr(args, "fail_on_warning", False)),
                docs_dir=Path(getattr(args, "docs", config.DOCS_DIR)),
            )
    except WarehouseLocked as exc:
        print(f"ogi validate: {exc}; try again when it has finished", file=sys.stderr)
        return EXIT_LOCKED
    except (SuiteFileError, ReviewFileError) as exc:
        print(f"ogi validate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(outcome.summary_text())
    return EXIT_OK if outcome.ok else EXIT_FAILED
