"""``ogi export --parquet``: a hand-built warehouse out as hive-partitioned Parquet, read back as-is.

Figures are the table 3 总计 column of the Pingtan reports (/work/shared/corpus/standard/
pingtan-2019-page.html and pingtan-2020-page.html): 23 and 21 new requests, 7 granted in each year.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from pipelines import export
from pipelines.cli import main
from pipelines.export import ExportError, export_parquet, sql_string
from pipelines.warehouse import connect

ORGAN = "平潭综合实验区管委会"
RID_2019, RID_2020, RID_NO_YEAR = "a" * 16, "b" * 16, "c" * 16
# (report_id, metric, value) from table 3, applicant 总计.
PINGTAN_FIGURES = [
    (RID_2019, "new_received", 23.0), (RID_2019, "carried_over", 0.0), (RID_2019, "granted", 7.0),
    (RID_2020, "new_received", 21.0), (RID_2020, "carried_over", 0.0), (RID_2020, "granted", 7.0),
]


def build_warehouse(db: Path) -> None:
    con = connect(db)
    for rid, year, fmt in ((RID_2019, 2019, "standard_2019"), (RID_2020, 2020, "standard_2019"),
                           (RID_NO_YEAR, None, "narrative")):
        con.execute(
            "insert into reports (report_id, sha256, source_path, organ, region, level, year, format, kind, "
            "n_facts, problems, loaded_at) values (?, ?, ?, ?, '福建省平潭综合实验区', 'city', ?, ?, 'html', ?, "
            "['申请人对公开方式提出异议'], current_timestamp)",
            [rid, rid * 4, f"/raw/{rid}.html", ORGAN, year, fmt, 3 if year else 1])
        con.execute("insert into report_texts values (?, ?, ?)", [rid, f"原文 {rid}", f"正文 {rid}"])
    for no, (rid, metric, value) in enumerate(PINGTAN_FIGURES):
        con.execute(
            "insert into facts (report_id, fact_no, metric, applicant, value, unit, approx, value_kind, raw, "
            "evidence, location, table_no) values (?, ?, ?, 'total', ?, 'request', false, 'number', ?, ?, ?, 3)",
            [rid, no, metric, value, str(int(value)), str(int(value)),
             json.dumps({"table": 3, "row": no, "column": 7})])
    con.execute("insert into facts (report_id, fact_no, metric, value, unit) "
                "values (?, 0, 'requests_received', 5, 'request')", [RID_NO_YEAR])
    con.execute("insert into runs (run_id, started_at, status, reports_loaded) "
                "values ('r1', current_timestamp, 'succeeded', 3)")
    con.execute("insert into quarantine values ('/raw/empty.html', null, 'discover', 'empty', "
                "'/raw/empty.html: the file is empty', 'r1', current_timestamp, '0.1.0')")
    con.close()


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "ogi.duckdb"
    build_warehouse(db)
    return db


def read_table(out: Path, table: str) -> duckdb.DuckDBPyRelation:
    return duckdb.sql(f"select * from read_parquet({sql_string(str(out / table / '**' / '*.parquet'))}, "
                      "hive_partitioning = true)")


def test_facts_are_partitioned_by_the_report_year(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    summary = export_parquet(warehouse, out)
    assert sorted(p.name for p in (out / "facts").iterdir()) == [
        "year=2019", "year=2020", "year=__HIVE_DEFAULT_PARTITION__"]
    got = read_table(out, "facts").filter("metric = 'new_received'").aggregate(
        "year, sum(value) as received", "year").order("year").fetchall()
    assert got == [(2019, 23.0), (2020, 21.0)]
    assert read_table(out, "facts").filter("year is null").fetchall()[0][2] == "requests_received"
    rows = {t.name: t.rows for t in summary.tables}
    assert rows["facts"] == 7 and rows["reports"] == 3 and rows["runs"] == 1 and rows["quarantine"] == 1
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["facts"]["years"] == [2019, 2020, None]


def test_pandas_reads_the_export_with_year_as_integer(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    export_parquet(warehouse, out)
    facts = pd.read_parquet(out / "facts", partitioning=ds.HivePartitioning.discover(infer_dictionary=False))
    granted = facts[facts.metric == "granted"].set_index("year")["value"].to_dict()
    assert granted == {2019: 7.0, 2020: 7.0}
    assert json.loads(facts.location.dropna().iloc[0]) == {"table": 3, "row": 0, "column": 7}
    reports = pd.read_parquet(out / "reports", partitioning=ds.HivePartitioning.discover(infer_dictionary=False))
    assert list(reports.sort_values("report_id").problems.iloc[0]) == ["申请人对公开方式提出异议"]
    runs = pd.read_parquet(out / "runs")
    assert runs.run_id.tolist() == ["r1"]


def test_texts_only_with_the_flag_and_empty_tables_stay_readable(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    export_parquet(warehouse, out)
    assert not (out / "report_texts").exists()
    assert read_table(out, "extraction_warnings").count("*").fetchone() == (0,)  # no warnings loaded
    export_parquet(warehouse, out, include_texts=True)
    texts = read_table(out, "report_texts").filter("year = 2020").fetchall()
    assert [t[1] for t in texts] == [f"原文 {RID_2020}"]


def test_a_failed_export_leaves_the_previous_one_whole(warehouse: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "parquet"
    export_parquet(warehouse, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    real = export._export_table

    def fail_on_facts(con, table, columns, target):  # type: ignore[no-untyped-def]
        if table == "facts":
            raise OSError("disk full")
        return real(con, table, columns, target)

    monkeypatch.setattr(export, "_export_table", fail_on_facts)
    with pytest.raises(OSError):
        export_parquet(warehouse, out)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert not out.with_name("parquet.tmp").exists()


def test_refuses_to_replace_a_folder_that_is_not_an_export(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="other than an ogi export"):
        export_parquet(warehouse, out)
    assert (out / "keep.txt").read_text() == "mine"


def test_paths_with_quotes_are_written_safely(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "it's an export"
    export_parquet(warehouse, out)
    assert read_table(out, "reports").count("*").fetchone() == (3,)
    assert sql_string("a'b") == "'a''b'"
    with pytest.raises(ExportError):
        sql_string("a\x00b")


def test_cli_slice(warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli-export"
    assert main(["export", "--db", str(warehouse), "--parquet", str(out)]) == 0
    assert "facts" in capsys.readouterr().out
    assert read_table(out, "facts").count("*").fetchone() == (7,)
    assert main(["export", "--db", str(tmp_path / "missing.duckdb"), "--parquet", str(out)]) == 2
