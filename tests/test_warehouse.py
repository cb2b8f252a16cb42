"""Migrations apply in order, once, in a transaction each; mart views are recreated on connect."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import connect, migrate, migration_files


def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = connect(db)
    versions = [v for v, _ in migration_files()]
    assert versions == sorted(versions) and versions[0] == 1
    applied = [r[0] for r in con.execute("select version from schema_migrations order by version").fetchall()]
    assert applied == versions
    assert migrate(con) == []  # nothing pending the second time
    con.close()
    con = connect(db)  # reopening applies nothing new and keeps one row per migration
    assert con.execute("select count(*) from schema_migrations").fetchone()[0] == len(versions)
    con.close()


def test_core_tables_and_marts_exist(memory_con: duckdb.DuckDBPyConnection) -> None:
    tables = {r[0] for r in memory_con.execute(
        "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
    assert {"reports", "facts", "report_texts", "runs", "quarantine", "files", "extraction_warnings"} <= tables
    views = {r[0] for r in memory_con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
    assert {"current_reports", "facts", "requests_by_report", "report_overview"} <= views


def test_a_failing_migration_rolls_back_and_is_not_recorded(tmp_path: Path) -> None:
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "001_ok.sql").write_text("create table a (x integer);")
    (sql_dir / "002_broken.sql").write_text("create table b (y integer); insert into nowhere values (1);")
    con = duckdb.connect(":memory:")
    with pytest.raises(duckdb.Error):
        migrate(con, sql_dir)
    assert [r[0] for r in con.execute("select version from schema_migrations").fetchall()] == [1]
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert "b" not in tables  # the broken migration left nothing behind


def test_current_reports_prefers_the_richer_version(memory_con: duckdb.DuckDBPyConnection) -> None:
    # Two versions of one report (same organ and year): the one with more figures read wins.
    for rid, kind, n in (("a" * 16, "text", 10), ("b" * 16, "html", 200)):
        memory_con.execute(
            "insert into reports (report_id, sha256, source_path, organ, year, format, kind, n_facts, loaded_at) "
            "values (?, ?, ?, '平潭综合实验区管委会', 2020, 'standard_2019', ?, ?, current_timestamp)",
            [rid, rid * 4, f"/x/{rid}", kind, n])
    rows = memory_con.execute("select report_id, n_versions from marts.current_reports").fetchall()
    assert rows == [("b" * 16, 2)]
