"""``ogi status``: what the warehouse holds — reports by year and format, the last run, quarantine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def warehouse_status(db: Path) -> dict:
    from pipelines.warehouse import connect

    con = connect(db, read_only=True)
    try:
        by_year = con.execute(
            "select year, format, count(*) as reports, sum(n_facts) as facts from reports "
            "group by all order by year nulls last, format").fetchall()
        last = con.execute(
            "select run_id, started_at, finished_at, status, files_seen, files_skipped, reports_loaded, "
            "facts_loaded, quarantined, message from runs order by started_at desc limit 1").fetchone()
        quarantine = con.execute(
            "select source_path, stage, reason, error from quarantine q where quarantined_at = "
            "(select max(quarantined_at) from quarantine q2 where q2.source_path = q.source_path) "
            "and exists (select 1 from files f where f.source_path = q.source_path and f.status = 'quarantined') "
            "order by source_path").fetchall()
        totals = con.execute("select count(*), coalesce(sum(n_facts), 0) from reports").fetchone() or (0, 0)
    finally:
        con.close()
    run_cols = ("run_id", "started_at", "finished_at", "status", "files_seen", "files_skipped",
                "reports_loaded", "facts_loaded", "quarantined", "message")
    return {
        "warehouse": str(db),
        "reports": totals[0], "facts": int(totals[1]),
        "by_year_format": [dict(zip(("year", "format", "reports", "facts"), r, strict=True)) for r in by_year],
        "last_run": dict(zip(run_cols, [str(v) if v is not None else None for v in last], strict=True)) if last else None,
        "quarantine": [dict(zip(("source_path", "stage", "reason", "error"), r, strict=True)) for r in quarantine],
    }


def status_command(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if not db.exists():
        print(f"ogi status: {db}: no warehouse here yet; run 'ogi run' first", file=sys.stderr)
        return 1
    import duckdb

    try:
        st = warehouse_status(db)
    except duckdb.IOException as exc:
        # DuckDB lets one process at a time open the file while it is written.
        print(f"ogi status: {db}: the warehouse is busy (an ogi run is writing it); try again when it has "
              f"finished ({exc})", file=sys.stderr)
        return 3
    if args.json:
        json.dump(st, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
        return 0
    print(f"warehouse {st['warehouse']}: {st['reports']} report versions, {st['facts']} facts")
    print(f"{'year':>6}  {'format':<15}{'reports':>8}{'facts':>9}")
    for r in st["by_year_format"]:
        print(f"{str(r['year']):>6}  {str(r['format']):<15}{r['reports']:>8}{int(r['facts'] or 0):>9}")
    run = st["last_run"]
    if run:
        print(f"last run {run['run_id']}: {run['status']}, started {run['started_at']}, finished {run['finished_at']}; "
              f"{run['reports_loaded']} loaded, {run['files_skipped']} unchanged, {run['quarantined']} quarantined")
        if run["message"]:
            print(f"  {run['message']}")
    print(f"quarantine: {len(st['quarantine'])} file(s)")
    for q in st["quarantine"]:
        print(f"  [{q['stage']}/{q['reason']}] {q['error']}")
    return 0
