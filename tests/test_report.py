"""The comparison tables read from the marts give the published figures (gold files of the sample).

The warehouse is built from tests/fixtures/report/gold (copies of the shared corpus's gold figures for
the reports in data/raw/sample), so these tests check the analysis, not the extractors.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

from pipelines.analysis import compare
from pipelines.report import notebook_files, plan_runs, report_command
from tests.fixtures.report.gold_warehouse import build_gold_warehouse

ZONE = "福建省平潭综合实验区"
ZONE_ORGAN = "平潭综合实验区管委会"


@pytest.fixture(scope="module")
def gold_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_gold_warehouse(tmp_path_factory.mktemp("gold") / "ogi.duckdb")


def test_report_figures_seed_2012(gold_db: Path) -> None:
    frame = compare.report_figures(gold_db)
    seed = frame[frame["organ"] == "清新区人民政府"].iloc[0]
    assert (seed["year"], seed["proactive_total"], seed["proactive_via_website"]) == (2012, 27786, 25477)
    assert seed["requests_received"] == 7 and seed["denied"] == 0
    assert seed["failed_checks"] == ()  # validation has not run on this warehouse


def test_default_region_is_the_zone_with_ten_years(gold_db: Path) -> None:
    assert compare.default_region(gold_db) == ZONE
    years = compare.region_years(ZONE, gold_db)
    assert set(years["organ"]) == {ZONE_ORGAN}  # departments are not the region's own reports
    assert years["year"].tolist() == [2011, 2012, 2014, 2016, 2017, 2019, 2020, 2021, 2023, 2025]
    by_year = years.set_index("year")
    assert by_year.loc[2012, "proactive_total"] == 1913
    assert by_year.loc[2021, "requests_received"] == 70  # pingtan-2021-page: 一、本年新收 总计
    assert by_year.loc[2021, "denied"] == 8  # sum of the 不予公开 rows
    assert by_year.loc[2021, "litigation_total"] == 12  # direct 12 + after reconsideration 0
    assert by_year.loc[2020, "total_handled"] == 21


def test_region_may_name_an_organ(gold_db: Path) -> None:
    assert compare.region_years("清新区人民政府", gold_db)["year"].tolist() == [2012]


def test_departments_2021_ranked_with_small_bases_marked(gold_db: Path) -> None:
    assert compare.default_department_set(gold_db) == (ZONE, 2021)
    table = compare.departments(ZONE, 2021, gold_db)
    depts = table[~table["is_region_report"]]
    assert len(depts) == 13
    assert table["is_region_report"].iloc[-1] and table["organ"].iloc[-1] == ZONE_ORGAN
    top = depts.iloc[0]
    assert (top["organ"], top["requests_received"], top["rank"]) == ("平潭综合实验区管委会办公室", 23, 1)
    natres = depts.set_index("organ").loc["平潭综合实验区自然资源与生态环境局"]
    assert natres["denial_rate"] == pytest.approx(100 * 4 / 18)
    assert not natres["small_base"]
    police = depts.set_index("organ").loc["平潭综合实验区公安局"]
    assert police["small_base"]
    assert pd.isna(depts.set_index("organ").loc["平潭综合实验区财政金融局", "denial_rate"])  # 0 handled: no rate


def test_organ_profile_has_problems_and_measures_by_year(gold_db: Path) -> None:
    assert compare.default_organ(gold_db) == ZONE_ORGAN
    side = compare.problems_measures(ZONE_ORGAN, gold_db)
    first = side[side["year"] == 2012].iloc[0]
    assert len(first["problems"]) == 4 and len(first["measures"]) == 5
    html = compare.side_by_side_html(side)
    assert "<th style='text-align:left'>存在的问题</th>" in html and "依申请公开工作机制仍需进一步规范" in html
    facts = compare.organ_facts(ZONE_ORGAN, gold_db)
    assert facts.loc["proactive_total", 2012] == "1913"


def test_comparability_bridges_both_format_changes() -> None:
    rule = compare.comparability()
    assert rule.comparable("requests_received", "narrative", "standard_2021")
    assert not rule.comparable("proactive_total", "narrative", "standard_2019")
    assert rule.comparable("proactive_total", "standard_2021", "standard_2021")
    assert not rule.comparable("unable", "narrative", "standard_2019")


def test_comparability_reads_the_crosswalk(tmp_path: Path) -> None:
    crosswalk = tmp_path / "crosswalk.csv"
    crosswalk.write_text("metric_2019,metric_2021,comparable,note\n"
                         "new_received,new_received,yes,same\n"
                         "granted,granted,no,pretend the row changed\n", encoding="utf-8")
    rule = compare.comparability(crosswalk)
    assert rule.comparable("requests_received", "standard_2019", "standard_2021")
    assert not rule.comparable("granted", "standard_2019", "standard_2021")
    assert rule.comparable("granted", "standard_2021", "standard_2021")
    assert rule.crosswalk_source.endswith("crosswalk.csv")


def test_checks_concern_only_their_figures() -> None:
    checks = ("proactive_channel_within_total", "table3_outcomes_sum", "structure_non_negative")
    assert compare.checks_concerning("proactive_total", checks) == ("proactive_channel_within_total",
                                                                    "structure_non_negative")
    assert compare.checks_concerning("requests_received", checks) == ("table3_outcomes_sum", "structure_non_negative")
    assert compare.checks_concerning("litigation_total", checks) == ("structure_non_negative",)


def test_quality_without_validation(gold_db: Path) -> None:
    assert not compare.validation_has_run(gold_db)
    assert compare.quality(gold_db).empty and compare.failed_checks(gold_db) == {}
    cover = compare.coverage(gold_db)
    assert cover.loc[2021, "department"] == 13 and cover.loc[2011, "department"] == 7  # six 平潭县 bureaus and 南京市公安局
    assert compare.quarantine(gold_db).empty


def test_plan_runs_each_notebook_with_its_parameters(gold_db: Path, tmp_path: Path) -> None:
    names = [p.name for p in notebook_files()]
    assert names == ["10-compare-years.py", "20-compare-departments.py", "30-profile-organ.py",
                     "40-check-quality.py"]
    runs = {r.notebook.stem: r for r in plan_runs(gold_db, tmp_path)}
    assert runs["10-compare-years"].parameters["region"] == ZONE
    assert (runs["20-compare-departments"].parameters["region"], runs["20-compare-departments"].parameters["year"]) \
        == (ZONE, 2021)
    assert runs["30-profile-organ"].parameters["organ"] == ZONE_ORGAN
    assert runs["10-compare-years"].stem == f"10-compare-years-{ZONE}"
    assert all(r.parameters["db"] == str(gold_db) for r in runs.values())


def test_report_command_without_a_warehouse_fails_clearly(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    args = argparse.Namespace(db=tmp_path / "none.duckdb", out=tmp_path / "exports", region=None, lang="zh")
    assert report_command(args) == 1
    captured = capsys.readouterr()
    assert "no warehouse here yet" in captured.err and str(args.db) in captured.err


def test_an_empty_warehouse_gives_empty_answers_not_errors(fresh_db: Path) -> None:
    """Before anything is loaded (or when every file was quarantined) the notebooks show a message."""
    from pipelines.warehouse import connect

    connect(fresh_db).close()
    assert compare.default_region(fresh_db) is None
    assert compare.default_department_set(fresh_db) is None
    assert compare.default_organ(fresh_db) is None
    assert compare.region_years(ZONE, fresh_db).empty
    assert compare.coverage(fresh_db).empty and compare.missing_core(fresh_db).empty
    assert compare.failed_checks(fresh_db) == {}
