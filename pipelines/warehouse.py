"""The DuckDB warehouse: connecting, migrating, and reading marts.

Schema changes are numbered SQL files in ``pipelines/sql`` applied in order and recorded in
``schema_migrations``; mart views live one per file in ``pipelines/sql/marts`` and are recreated on
every connect, so a view change needs no migration. Notebooks read marts through :func:`query`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from pipelines.config import SQL_DIR, WAREHOUSE_PATH

_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migration_files(sql_dir: Path = SQL_DIR) -> list[tuple[int, Path]]:
    files = []
    for p in sorted(sql_dir.iterdir()):
        m = _MIGRATION.match(p.name)
        if m:
            files.append((int(m.group(1)), p))
    return files


def migrate(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[int]:
    """Apply pending migrations in order, each in its own transaction; recreate the mart views.

    Returns the versions applied by this call.
    """
    con.execute(
        "create table if not exists schema_migrations (version integer, name varchar, applied_at timestamp)"
    )
    done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    applied = []
    for version, path in migration_files(sql_dir):
        if version in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations values (?, ?, current_timestamp)", [version, path.name])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(version)
    create_marts(con, sql_dir / "marts")
    return applied


def create_marts(con: duckdb.DuckDBPyConnection, marts_dir: Path) -> None:
    con.execute("create schema if not exists marts")
    if marts_dir.is_dir():
        for path in sorted(marts_dir.glob("*.sql")):
            con.execute(path.read_text(encoding="utf-8"))


def connect(db: str | Path = WAREHOUSE_PATH, read_only: bool = False, migrate_schema: bool = True,
            settings: dict[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (created and migrated when missing, unless read-only).

    ``settings`` are DuckDB configuration options (e.g. ``{"memory_limit": "600MB"}``), passed through
    the driver's config, never spliced into SQL.
    """
    path = Path(db)
    if str(db) != ":memory:":
        if read_only and not path.exists():
            raise FileNotFoundError(f"{path}: no warehouse here yet; run 'ogi run' first")
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=read_only, config=dict(settings or {}))
    if migrate_schema and not read_only:
        migrate(con)
    return con


def query(sql: str, params: Sequence[Any] | dict[str, Any] | None = None, db: str | Path = WAREHOUSE_PATH):
    """Run a read-only query against the warehouse and return a pandas DataFrame.

    Values from users (organ names, years) must come in ``params`` as bound parameters.
    """
    con = connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()
