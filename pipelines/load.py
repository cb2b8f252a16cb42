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
class Loaded:
    """A parsed file ready for the warehouse."""

    source: SourceFile
    parsed: Parsed


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


def _json(value: object) -> str | None:
    if value is None or value == {}:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


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
TEXT_SCHEMA = pa.schema([("report_id", pa.string()), ("original", pa.string()), ("normalised", pa.string())])
WARNING_SCHEMA = pa.schema([
    ("report_id", pa.string()), ("warning_no", pa.int32()), ("code", pa.string()), ("message", pa.string()),
    ("metric", pa.string()), ("applicant", pa.string()), ("location", pa.string()),
])


def _columns(schema: pa.Schema) -> dict[str, list]:
    return {name: [] for name in schema.names}


def build_batch(items: Sequence[Loaded], run_id: str) -> dict[str, pa.Table]:
    """Arrow tables for a batch of parsed reports (one row per report / fact / warning)."""
    reports, facts, texts, warnings = (_columns(s) for s in (REPORT_SCHEMA, FACT_SCHEMA, TEXT_SCHEMA, WARNING_SCHEMA))
    loaded_at = _now()
    for item in items:
        rid = item.source.report_id
        ext = item.parsed.extraction
        doc = item.parsed.document
        meta = ext.meta
        row = {
            "report_id": rid, "sha256": item.source.sha256, "source_path": item.source.path,
            "organ": meta.organ, "organ_as_printed": meta.organ_as_printed, "region": meta.region,
            "level": meta.level, "year": meta.year, "format": meta.format, "title": meta.title,
            "kind": doc.kind, "encoding": doc.encoding, "script": doc.script, "size_bytes": item.source.size,
            "n_facts": len(ext.facts), "n_warnings": len(ext.warnings), "problems": list(ext.problems),
            "measures": list(ext.measures), "run_id": run_id, "loaded_at": loaded_at,
            "extractor_version": EXTRACTOR_VERSION,
        }
        for k, v in row.items():
            reports[k].append(v)
        texts["report_id"].append(rid)
        texts["original"].append(doc.original)
        texts["normalised"].append(doc.text)
        for i, f in enumerate(ext.facts):
            value = None if f.value is None else float(f.value)
            fact_row: tuple[tuple[str, object], ...] = (
                ("report_id", rid), ("fact_no", i), ("metric", f.metric), ("applicant", f.applicant),
                ("value", value), ("unit", f.unit), ("approx", bool(f.approx)), ("value_kind", f.kind),
                ("raw", f.raw), ("evidence", f.evidence), ("location", _json(f.location)),
                ("table_no", f.table), ("extractor_version", EXTRACTOR_VERSION))
            for k, cell in fact_row:
                facts[k].append(cell)
        for i, w in enumerate(ext.warnings):
            warning_row: tuple[tuple[str, object], ...] = (
                ("report_id", rid), ("warning_no", i), ("code", w.code), ("message", w.message),
                ("metric", w.metric), ("applicant", w.applicant), ("location", _json(w.location)))
            for k, cell in warning_row:
                warnings[k].append(cell)
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
            con.executemany(
                "insert into files values (?, ?, ?, ?, 'loaded', ?, ?)",
                [[i.source.path, i.source.sha256, i.source.report_id, i.source.size, run_id, now] for i in items],
            )
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
