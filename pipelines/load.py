"""Stage 5, load: parsed reports into DuckDB, in batches, through Arrow.

A batch is written in one transaction: every report of it with all its facts, texts and warnings, or
none of them. A changed file replaces its old version in the same transaction (the old version is
deleted when no other file still holds it). Quarantined files are recorded the same way.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from pipelines.config import EXTRACTOR_VERSION
from pipelines.model import SourceFile
from pipelines.parse import Parsed

# Quarantine reasons that are ogi's bugs, not the file's: the extractor crashed, or the warehouse
# refused the rows it produced. Such files are tried again on every run.
RETRIED_REASONS = ("extractor_crash", "load_error")


@dataclass
class ReportRows:
    """What the loader needs of one parsed report, and nothing else: built by :func:`report_rows` in the
    parse worker, so the main process (serial: it alone writes to DuckDB) unpickles a few column lists
    instead of the whole document with its table grids and one ``Fact`` object per figure.

    ``report`` holds, in order, :data:`REPORT_FIELDS`; ``facts`` and ``warnings`` one list per column
    of :data:`FACT_FIELDS` / :data:`WARNING_FIELDS` (``location`` already as JSON text).
    """

    report: tuple
    original: str
    normalised: str
    n_facts: int
    facts: tuple
    n_warnings: int
    warnings: tuple

    @property
    def organ(self) -> str | None:
        return self.report[0]

    @property
    def year(self) -> int | None:
        return self.report[4]


@dataclass
class Loaded:
    """A parsed file ready for the warehouse: the full :class:`Parsed`, or its :class:`ReportRows`."""

    source: SourceFile
    parsed: Parsed | ReportRows


@dataclass
class Quarantined:
    """A file refused at some stage, with the reason in words and as a short code."""

    path: str
    sha256: str | None
    stage: str
    reason: str
    error: str


# Test hook (tests/test_crash.py): SIGKILL this process inside its Nth load transaction, after every
# row of the batch is written and before the commit. Never set in production.
KILL_IN_BATCH_ENV = "OGI_TEST_KILL_IN_BATCH"
_transactions = itertools.count(1)


def _kill_if_asked() -> None:
    wanted = os.environ.get(KILL_IN_BATCH_ENV)
    if wanted and int(wanted) == next(_transactions):
        os.kill(os.getpid(), signal.SIGKILL)


def _now() -> datetime:
    return datetime.now()


# The same text as json.dumps(value, ensure_ascii=False, default=str), with one encoder made once
# instead of one per call (locations are flat dicts, so no check for circular references).
_encode = json.JSONEncoder(ensure_ascii=False, default=str, check_circular=False).encode


def _json(value: object) -> str | None:
    if value is None or value == {}:
        return None
    return _encode(value)


REPORT_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("sha256", pa.string()), ("source_path", pa.string()),
    ("organ", pa.string()), ("organ_as_printed", pa.string()), ("region", pa.string()), ("level", pa.string()),
    ("year", pa.int32()), ("format", pa.string()), ("title", pa.string()), ("kind", pa.string()),
    ("encoding", pa.string()), ("script", pa.string()), ("size_bytes", pa.int64()), ("n_facts", pa.int32()),
    ("n_warnings", pa.int32()), ("problems", pa.list_(pa.string())), ("measures", pa.list_(pa.string())),
    ("run_id", pa.string()), ("loaded_at", pa.timestamp("us")), ("extractor_version", pa.string()),
])
FACT_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("fact_no", pa.int32()), ("metric", pa.string()), ("applicant", pa.string()),
    ("value", pa.float64()), ("unit", pa.string()), ("approx", pa.bool_()), ("value_kind", pa.string()),
    ("raw", pa.string()), ("evidence", pa.string()), ("location", pa.string()), ("table_no", pa.int32()),
    ("extractor_version", pa.string()),
])
FILE_SCHEMA = pa.schema([
    ("source_path", pa.string()), ("sha256", pa.string()), ("report_id", pa.string()), ("size_bytes", pa.int64()),
    ("status", pa.string()), ("run_id", pa.string()), ("seen_at", pa.timestamp("us")),
])
TEXT_SCHEMA = pa.schema([("report_id", pa.string()), ("original", pa.string()), ("normalised", pa.string())])
WARNING_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("warning_no", pa.int32()), ("code", pa.string()), ("message", pa.string()),
    ("metric", pa.string()), ("applicant", pa.string()), ("location", pa.string()),
])


def _columns(schema: pa.Schema) -> dict[str, list]:
    return {name: [] for name in schema.names}


# The columns a worker fills (see ReportRows); the loader adds report_id, the row numbers, the run and
# the extractor version.
REPORT_FIELDS = ("organ", "organ_as_printed", "region", "level", "year", "format", "title", "kind", "encoding",
                 "script", "problems", "measures")
FACT_FIELDS = ("metric", "applicant", "value", "unit", "approx", "value_kind", "raw", "evidence", "location",
               "table_no")
WARNING_FIELDS = ("code", "message", "metric", "applicant", "location")


def report_rows(parsed: Parsed) -> ReportRows:
    """The rows of one parsed report, as :func:`build_batch` writes them (run in the parse worker)."""
    ext = parsed.extraction
    doc = parsed.document
    meta = ext.meta
    facts = ext.facts
    warnings = ext.warnings
    return ReportRows(
        report=(meta.organ, meta.organ_as_printed, meta.region, meta.level, meta.year, meta.format, meta.title,
                doc.kind, doc.encoding, doc.script, list(ext.problems), list(ext.measures)),
        original=doc.original,
        normalised=doc.text,
        n_facts=len(facts),
        facts=(
            [f.metric for f in facts], [f.applicant for f in facts],
            [None if f.value is None else float(f.value) for f in facts], [f.unit for f in facts],
            [bool(f.approx) for f in facts], [f.kind for f in facts], [f.raw for f in facts],
            [f.evidence for f in facts], [_json(f.location) for f in facts], [f.table for f in facts],
        ),
        n_warnings=len(warnings),
        warnings=(
            [w.code for w in warnings], [w.message for w in warnings], [w.metric for w in warnings],
            [w.applicant for w in warnings], [_json(w.location) for w in warnings],
        ),
    )


def build_batch(items: Sequence[Loaded], run_id: str) -> dict[str, pa.Table]:
    """Arrow tables for a batch of parsed reports (one row per report / fact / warning)."""
    reports, facts, texts, warnings = (_columns(s) for s in (REPORT_SCHEMA, FACT_SCHEMA, TEXT_SCHEMA, WARNING_SCHEMA))
    loaded_at = _now()
    report_cols = [reports[k] for k in REPORT_FIELDS]
    fact_cols = [facts[k] for k in FACT_FIELDS]
    warning_cols = [warnings[k] for k in WARNING_FIELDS]
    for item in items:
        rid = item.source.report_id
        rows = item.parsed if isinstance(item.parsed, ReportRows) else report_rows(item.parsed)
        for col, v in zip(report_cols, rows.report, strict=True):
            col.append(v)
        reports["report_id"].append(rid)
        reports["sha256"].append(item.source.sha256)
        reports["source_path"].append(item.source.path)
        reports["size_bytes"].append(item.source.size)
        reports["n_facts"].append(rows.n_facts)
        reports["n_warnings"].append(rows.n_warnings)
        reports["run_id"].append(run_id)
        reports["loaded_at"].append(loaded_at)
        reports["extractor_version"].append(EXTRACTOR_VERSION)
        texts["report_id"].append(rid)
        texts["original"].append(rows.original)
        texts["normalised"].append(rows.normalised)
        n = rows.n_facts
        facts["report_id"].extend([rid] * n)
        facts["fact_no"].extend(range(n))
        facts["extractor_version"].extend([EXTRACTOR_VERSION] * n)
        for col, values in zip(fact_cols, rows.facts, strict=True):
            col.extend(values)
        n = rows.n_warnings
        warnings["report_id"].extend([rid] * n)
        warnings["warning_no"].extend(range(n))
        for col, values in zip(warning_cols, rows.warnings, strict=True):
            col.extend(values)
    return {
        "reports": pa.table(reports, schema=REPORT_SCHEMA),
        "facts": pa.table(facts, schema=FACT_SCHEMA),
        "report_texts": pa.table(texts, schema=TEXT_SCHEMA),
        "extraction_warnings": pa.table(warnings, schema=WARNING_SCHEMA),
    }


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    if data.num_rows == 0:
        return
    con.register("_batch", data)
    try:
        cols = ", ".join(data.schema.names)
        casts = ", ".join(f"cast({c} as json)" if c == "location" else c for c in data.schema.names)
        con.execute(f"insert into {table} ({cols}) select {casts} from _batch")  # names from our schema only
    finally:
        con.unregister("_batch")


def _orphaned_reports(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select r.report_id from reports r where not exists "
        "(select 1 from files f where f.report_id = r.report_id)"
    ).fetchall()
    return [r[0] for r in rows]


def delete_reports(con: duckdb.DuckDBPyConnection, report_ids: Sequence[str]) -> None:
    if not report_ids:
        return
    ids = list(report_ids)
    for table in ("facts", "report_texts", "extraction_warnings", "reports"):
        con.execute(f"delete from {table} where report_id in (select unnest(?::varchar[]))", [ids])


def load_batch(con: duckdb.DuckDBPyConnection, items: Sequence[Loaded], quarantined: Sequence[Quarantined],
               run_id: str) -> int:
    """Write one batch in a single transaction; return the number of facts written."""
    existing = set()
    if items:
        rows = con.execute("select report_id from reports where report_id in (select unnest(?::varchar[]))",
                           [[i.source.report_id for i in items]]).fetchall()
        existing = {r[0] for r in rows}
    new_items = []
    seen: set[str] = set()
    for i in items:
        rid = i.source.report_id
        if rid in existing or rid in seen:
            continue  # same bytes already loaded from another path: one report, two files
        seen.add(rid)
        new_items.append(i)
    tables = build_batch(new_items, run_id)
    now = _now()
    paths = [i.source.path for i in items] + [q.path for q in quarantined]
    con.execute("begin transaction")
    try:
        con.execute("delete from files where source_path in (select unnest(?::varchar[]))", [paths])
        for name in ("reports", "facts", "report_texts", "extraction_warnings"):
            _insert(con, name, tables[name])
        if items:
            _insert(con, "files", pa.table({
                "source_path": [i.source.path for i in items], "sha256": [i.source.sha256 for i in items],
                "report_id": [i.source.report_id for i in items], "size_bytes": [i.source.size for i in items],
                "status": ["loaded"] * len(items), "run_id": [run_id] * len(items), "seen_at": [now] * len(items),
            }, schema=FILE_SCHEMA))
        if quarantined:
            con.executemany(
                "insert into files values (?, ?, null, null, 'quarantined', ?, ?)",
                [[q.path, q.sha256 or "", run_id, now] for q in quarantined],
            )
            con.executemany(
                "insert into quarantine values (?, ?, ?, ?, ?, ?, ?, ?)",
                [[q.path, q.sha256, q.stage, q.reason, q.error, run_id, now, EXTRACTOR_VERSION] for q in quarantined],
            )
        delete_reports(con, _orphaned_reports(con))
        _kill_if_asked()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return tables["facts"].num_rows


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """source_path → sha256 of every file already loaded, or quarantined by this extractor version.

    A file quarantined for one of ogi's own bugs (:data:`RETRIED_REASONS`) is tried again on every run.
    """
    rows = con.execute(
        "select f.source_path, f.sha256 from files f "
        "left join (select distinct sha256, extractor_version, reason from quarantine) q "
        "  on f.status = 'quarantined' and q.sha256 = f.sha256 "
        "where f.status = 'loaded' or (q.extractor_version = ? and q.reason <> all(?::varchar[]))",
        [EXTRACTOR_VERSION, list(RETRIED_REASONS)]
    ).fetchall()
    return {p: s for p, s in rows}
