"""``ogi export --parquet DIR``: the warehouse tables as Parquet, partitioned by year (hive layout).

One folder per table. Tables that belong to a report (``reports``, ``facts``, ``extraction_warnings``,
``report_texts`` with ``--texts``, ``validation_results`` when it names a report) are split by the
report's year into ``year=YYYY/`` folders; a report whose year could not be read goes to
``year=__HIVE_DEFAULT_PARTITION__`` (the Hive/Spark/Trino spelling of a null partition). Tables with no
year (``runs``, ``quarantine``, ``files``) are one file each::

    DIR/
      _manifest.json                     what was exported: tables, row counts, layout, source warehouse
      reports/year=2021/data_0.parquet
      facts/year=2019/data_0.parquet …
      runs/runs.parquet
      quarantine/quarantine.parquet

The export is atomic: it is written to ``DIR.tmp`` and renamed into place only when every table is
written, so a reader never sees half an export; an older export at ``DIR`` is replaced whole. JSON
columns (``location``) are written as plain strings so every reader can open them.

Reading it back (the ``year`` column comes from the folder names)::

    -- DuckDB: requests received per year, from the table 3 总计 column
    select year, sum(value) as requests_received
    from read_parquet('exports/parquet/facts/*/*.parquet', hive_partitioning = true)
    where metric = 'new_received' and applicant = 'total'
    group by year order by year;

    # pandas (pyarrow): read the year as a plain integer, not a category
    import pandas as pd, pyarrow.dataset as ds
    facts = pd.read_parquet("exports/parquet/facts",
                            partitioning=ds.HivePartitioning.discover(infer_dictionary=False))

    -- Spark: spark.read.parquet("exports/parquet/facts")
    -- Trino (hive connector): create table … with (external_location = '…/facts',
    --                         format = 'PARQUET', partitioned_by = array['year'])
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# Tables exported, in this order. report_texts is optional: the full texts are most of the bytes.
REPORT_TABLES = ("reports", "facts", "extraction_warnings", "validation_results")
TEXT_TABLE = "report_texts"
RUN_TABLES = ("runs", "quarantine", "files")
# How the small tables are ordered inside their files. The report tables are not sorted: they are
# written in the warehouse's insertion order (a report's rows together, in fact_no order), because a
# global sort holds the whole table in memory (2M facts of 10,000 reports: 1.7 GB peak, against 0.9 GB
# unsorted).
ORDER_KEYS = {
    "runs": ("started_at", "run_id"),
    "quarantine": ("quarantined_at", "source_path"),
    "files": ("source_path",),
}
PARTITION_COLUMN = "year"
# How Hive, Spark, Trino and DuckDB spell the folder of a null year.
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
# zstd: a third smaller than snappy on report texts, and read by DuckDB, pyarrow, Spark 3 and Trino.
PARQUET_COMPRESSION = "zstd"
MANIFEST_NAME = "_manifest.json"
MANIFEST_FORMAT = "ogi-parquet-export/1"
# Suffixes of the sibling folders an export is written to and moved out of the way into.
STAGING_SUFFIX = ".tmp"
PREVIOUS_SUFFIX = ".old"


class ExportError(RuntimeError):
    """The export could not be written; the message names the folder and the reason."""


@dataclass
class TableExport:
    name: str
    rows: int
    partitioned: bool
    years: list[int | None] = field(default_factory=list)


@dataclass
class ExportSummary:
    out_dir: Path
    tables: list[TableExport]
    seconds: float

    def summary_text(self) -> str:
        lines = [f"export: {len(self.tables)} table(s) written to {self.out_dir} in {self.seconds:.1f}s"]
        for t in self.tables:
            layout = f"by year ({len(t.years)} partition(s))" if t.partitioned else "one file"
            lines.append(f"  {t.name:<22} {t.rows:>10,} rows  {layout}")
        return "\n".join(lines)


def sql_string(value: str) -> str:
    """A SQL string literal for a path: COPY targets cannot be bound parameters, so quote them here."""
    if "\x00" in value:
        raise ExportError(f"{value!r}: a path with a NUL character cannot be written")
    return "'" + value.replace("'", "''") + "'"


def _table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Column name → type of every base table in the main schema."""
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'main' and table_name in "
        "(select table_name from information_schema.tables where table_schema = 'main' "
        " and table_type = 'BASE TABLE') order by table_name, ordinal_position"
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, {})[column] = dtype
    return out


def _select_for(table: str, columns: dict[str, str]) -> tuple[str, bool]:
    """The query exporting ``table`` and whether it is partitioned by year.

    Identifiers come from the warehouse's own catalogue, never from the user.
    """
    def column_expr(name: str) -> str:
        # JSON is written as text: Spark and older pyarrow do not know Parquet's JSON annotation.
        return f't."{name}"::varchar as "{name}"' if columns[name] == "JSON" else f't."{name}"'

    select = ", ".join(column_expr(c) for c in columns)
    order = [f't."{k}"' for k in ORDER_KEYS.get(table, ()) if k in columns]
    order_by = f" order by {', '.join(order)}" if order else ""
    if PARTITION_COLUMN in columns:
        return f'select {select} from main."{table}" as t{order_by}', True
    if "report_id" in columns and table not in RUN_TABLES:
        # One year per report (report_id is unique in reports; any_value guards against fan-out).
        years = "select report_id, any_value(year) as year from main.reports group by report_id"
        return (f'select {select}, y.year as year from main."{table}" as t '
                f"left join ({years}) as y on y.report_id = t.report_id{order_by}"), True
    return f'select {select} from main."{table}" as t{order_by}', False


def export_parquet(db: Path, out_dir: Path, include_texts: bool = False) -> ExportSummary:
    """Write the warehouse at ``db`` to ``out_dir`` as Parquet, atomically (see the module docstring)."""
    from pipelines.warehouse import connect

    t0 = time.perf_counter()
    out_dir = Path(out_dir).absolute()
    if out_dir.exists() and not (out_dir / MANIFEST_NAME).is_file() and any(out_dir.iterdir()):
        raise ExportError(f"{out_dir}: the folder exists and holds something other than an ogi export; "
                          "choose an empty or new folder (an older export there would be replaced)")
    staging = out_dir.with_name(out_dir.name + STAGING_SUFFIX)
    previous = out_dir.with_name(out_dir.name + PREVIOUS_SUFFIX)
    if staging.exists():
        shutil.rmtree(staging)  # left by an export that was killed midway
    staging.mkdir(parents=True)

    try:
        con = connect(db, read_only=True)
    except duckdb.IOException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(f"{db}: cannot open the warehouse for reading ({exc}); "
                          "is an ogi run writing to it? Try again when it has finished") from exc
    written: list[TableExport] = []
    try:
        catalogue = _table_columns(con)
        wanted = [*REPORT_TABLES, *((TEXT_TABLE,) if include_texts else ()), *RUN_TABLES]
        for table in wanted:
            if table not in catalogue:
                continue  # validation_results exists only once validation has run
            written.append(_export_table(con, table, catalogue[table], staging / table))
    except BaseException:
        con.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    con.close()

    manifest = {
        "format": MANIFEST_FORMAT,
        "source": str(Path(db).absolute()),
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "partitioning": {"flavor": "hive", "column": PARTITION_COLUMN,
                         "null_partition": NULL_PARTITION},
        "compression": PARQUET_COMPRESSION,
        "tables": {t.name: {"rows": t.rows, "partitioned": t.partitioned, "years": t.years} for t in written},
    }
    (staging / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")

    # Swap in: the old export moves aside first, so DIR is always either the old or the new export.
    if previous.exists():
        shutil.rmtree(previous)
    if out_dir.exists():
        out_dir.rename(previous)
    staging.rename(out_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return ExportSummary(out_dir=out_dir, tables=written, seconds=time.perf_counter() - t0)


def _export_table(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str],
                  target: Path) -> TableExport:
    query, partitioned = _select_for(table, columns)
    rows = con.execute(f"select count(*) from main.\"{table}\"").fetchone()[0]  # type: ignore[index]
    if partitioned:
        years = [r[0] for r in con.execute(
            f"select distinct year from ({query}) order by year nulls last").fetchall()]
        if rows == 0:
            # COPY … PARTITION_BY writes no file for no rows; one empty file keeps the table readable.
            folder = target / f"{PARTITION_COLUMN}={NULL_PARTITION}"
            folder.mkdir(parents=True)
            con.execute(f"copy (select * exclude ({PARTITION_COLUMN}) from ({query}) limit 0) "
                        f"to {sql_string(str(folder / 'data_0.parquet'))} "
                        f"(format parquet, compression {PARQUET_COMPRESSION})")
        else:
            con.execute(f"copy ({query}) to {sql_string(str(target))} "
                        f"(format parquet, compression {PARQUET_COMPRESSION}, "
                        f"partition_by ({PARTITION_COLUMN}), overwrite_or_ignore)")
        return TableExport(table, rows, True, years)
    target.mkdir(parents=True)
    con.execute(f"copy ({query}) to {sql_string(str(target / f'{table}.parquet'))} "
                f"(format parquet, compression {PARQUET_COMPRESSION})")
    return TableExport(table, rows, False)


def export_command(args: argparse.Namespace) -> int:
    from pipelines.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE

    db = Path(args.db)
    if not db.is_file():
        print(f"ogi export: {db}: no warehouse here yet; run 'ogi run' first", file=sys.stderr)
        return EXIT_USAGE
    from pipelines.cli import EXIT_LOCKED
    from pipelines.lock import WarehouseLocked, warehouse_lock

    try:
        # A run writing the warehouse keeps other processes out of the DuckDB file: wait for it.
        with warehouse_lock(db):
            summary = export_parquet(db, Path(args.parquet), include_texts=getattr(args, "texts", False))
    except WarehouseLocked as exc:
        print(f"ogi export: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except ExportError as exc:
        print(f"ogi export: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(summary.summary_text())
    return EXIT_OK
