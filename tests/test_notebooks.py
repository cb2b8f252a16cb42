"""The notebooks run headless against the warehouse built from data/raw/sample and export for sharing.

One ``build_reports`` run (module fixture) executes every notebook in notebooks/ with papermill-style
parameters on the sample as `ogi ingest` loads it; the tests then read what it wrote: HTML reports
without code, PNG/SVG charts with stable names, the index, and the sentences, whose figures are the
published ones (gold files of the sample reports, quoted beside each assertion).
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import jupytext
import pytest
from PIL import Image

from pipelines import config
from pipelines.pipeline import run_pipeline
from pipelines.report import ReportOutcome, build_reports, notebook_files
from pipelines.warehouse import connect, query

SAMPLE_DIR = config.PROJECT_ROOT / "data" / "raw" / "sample"
ZONE = "福建省平潭综合实验区"
ZONE_ORGAN = "平潭综合实验区管委会"
QUARANTINED = "data/raw/sample/broken/not-a-report.txt"


def _fake_validation(db: Path) -> None:
    """Record a validation run that failed the zone's 2020 report on table3_outcomes_sum, as `ogi validate`
    does on the real sample (its table 3 lists outcomes adding up to 27 against a total of 21)."""
    con = connect(db)
    try:
        report_id = con.execute("select report_id from reports where organ = ? and year = 2020", [ZONE_ORGAN]).fetchone()[0]
        con.execute("insert into validation_runs (run_id, started_at, finished_at, status) "
                    "values ('v1', current_timestamp, current_timestamp, 'failed')")
        con.execute("insert into check_results (run_id, suite, check_name, severity, report_id, organ, year, state, "
                    "n_units, n_pass, n_fail, outcome) values ('v1', 'arithmetic', 'table3_outcomes_sum', 'error', ?, ?, "
                    "2020, 'fail', 7, 6, 1, 'fail')", [report_id, ZONE_ORGAN])
        con.execute("insert into files values (?, 'abc', null, null, 'quarantined', 'r1', current_timestamp)",
                    [QUARANTINED])
        con.execute("insert into quarantine values (?, 'abc', 'identify', 'not_a_report', ?, 'r1', current_timestamp, 'x')",
                    [QUARANTINED, f"{QUARANTINED}: no report title or disclosure tables found"])
    finally:
        con.close()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "ogi.duckdb"
    summary = run_pipeline([SAMPLE_DIR], db, workers=1, progress=False)
    assert summary.reports_loaded > 0
    _fake_validation(db)
    return db


@pytest.fixture(scope="module")
def exported(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportOutcome:
    return build_reports(sample_db, tmp_path_factory.mktemp("report") / "exports")


def _html(outcome: ReportOutcome, stem: str) -> str:
    path = outcome.out / "reports" / f"{stem}.html"
    return path.read_text(encoding="utf-8")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_every_notebook_ran_and_was_exported(exported: ReportOutcome) -> None:
    assert exported.ok, exported.failures
    assert sorted(p.path.name for p in exported.of_kind("report")) == [
        f"10-compare-years-{ZONE}.html", f"20-compare-departments-{ZONE}-2021.html",
        f"30-profile-organ-{ZONE_ORGAN}.html", "40-check-quality.html"]
    assert "4 HTML report(s)" in exported.summary_text()


def test_charts_have_stable_meaningful_names(exported: ReportOutcome) -> None:
    charts_dir = exported.out / "charts"
    names = {p.name for p in charts_dir.iterdir()}
    for stem in (f"{ZONE}-requests-by-year", f"{ZONE}-proactive-by-year", f"{ZONE}-outcomes-by-year",
                 f"{ZONE}-reviews-by-year", f"{ZONE}-2021-requests-by-department",
                 f"{ZONE}-2021-rates-by-department", f"{ZONE_ORGAN}-profile-requests-by-year",
                 "quality-coverage-by-year"):
        assert {f"{stem}.png", f"{stem}.svg"} <= names, stem
    with Image.open(charts_dir / f"{ZONE}-requests-by-year.png") as png:
        assert png.info["Title"] == f"{ZONE_ORGAN}收到政府信息公开申请数"
        assert png.size[0] >= 1000


def test_index_lists_exactly_the_exported_files(exported: ReportOutcome) -> None:
    with open(exported.out / "index.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    listed = {r["path"] for r in rows}
    on_disk = {p.relative_to(exported.out).as_posix() for p in exported.out.rglob("*")
               if p.is_file() and p.name != "index.csv"}
    assert listed == on_disk
    chart = next(r for r in rows if r["path"] == f"charts/{ZONE}-2021-requests-by-department.png")
    assert chart["notebook"] == "20-compare-departments.py" and chart["status"] == "ok"
    assert '"year": 2021' in chart["parameters"] and "db" not in chart["parameters"]


def test_html_hides_code_and_shows_the_written_comparisons(exported: ReportOutcome) -> None:
    html = _html(exported, f"10-compare-years-{ZONE}")
    assert "from pipelines" not in html and "compare.region_years" not in html  # code cells hidden
    text = _text(html)
    # gold: pingtan-zone-2011 425, pingtan-zone-2012 1913 items; pingtan-2019/2020 pages 23 → 21 requests
    assert "2012年平潭综合实验区管委会主动公开政府信息1913条，较上年增长350.1%" in text
    assert "2020年平潭综合实验区管委会新收政府信息公开申请21件，较上年下降8.7%" in text
    assert "（27件）与其总计（21件）不符" in text
    assert "该报告未通过校验（table3_outcomes_sum）" in text
    assert "2021年平潭综合实验区管委会因政府信息公开被申请行政复议3件、被提起行政诉讼12件。" in text
    # across the prose → tables change, proactive totals are not compared
    assert "2019年平潭综合实验区管委会主动公开政府信息" not in text or "较2017年" not in text
    assert "<img" in html  # charts embedded


def test_departments_report(exported: ReportOutcome) -> None:
    text = _text(_html(exported, f"20-compare-departments-{ZONE}-2021"))
    # gold: new_received 总计 of the 13 pingtan-*-2021 department reports adds up to 61
    assert "2021年福建省平潭综合实验区13个部门共新收政府信息公开申请61件" in text
    assert "平潭综合实验区管委会办公室最多（23件，占37.7%）" in text
    assert "不予公开率最高的是平潭综合实验区自然资源与生态环境局（4/18，22.2%）" in text
    assert "另有11个部门办结不足10件" in text


def test_profile_report_shows_problems_and_measures_by_year(exported: ReportOutcome, sample_db: Path) -> None:
    text = _text(_html(exported, f"30-profile-organ-{ZONE_ORGAN}"))
    listed = query("select year, problems, measures from marts.current_reports where organ = ? order by year",
                   [ZONE_ORGAN], db=sample_db)
    assert sum(len(p) for p in listed["problems"]) >= 10  # the zone reports its problems in most years
    for row in listed.itertuples():
        assert all(problem in text for problem in row.problems), row.year
        assert all(measure in text for measure in row.measures), row.year
    assert "存在的问题" in text and "改进措施" in text


def test_quality_report_lists_failures_warnings_and_quarantine(exported: ReportOutcome, sample_db: Path) -> None:
    text = _text(_html(exported, "40-check-quality"))
    assert "table3_outcomes_sum" in text
    codes = query("select distinct code from extraction_warnings", db=sample_db)["code"].tolist()
    assert all(code in text for code in codes) if codes else "没有提取警告" in text
    assert QUARANTINED in text and "not_a_report" in text
    assert "校验尚未运行" not in text


def test_english_report_for_the_seed_region(sample_db: Path, tmp_path: Path) -> None:
    only_years = tmp_path / "notebooks"
    only_years.mkdir()
    shutil.copy(config.NOTEBOOKS_DIR / "10-compare-years.py", only_years)
    outcome = build_reports(sample_db, tmp_path / "exports", region="广东省清远市清新区", lang="en",
                            notebooks_dir=only_years)
    assert outcome.ok, outcome.failures
    text = _text((tmp_path / "exports" / "reports" / "10-compare-years-广东省清远市清新区.html").read_text("utf-8"))
    # seed/qingxin-2012.txt: 全區共主動公開政府信息27786條 … 入口網站 … 25477條，占信息總數的91.7%
    assert ("In 2012 清新区人民政府 proactively disclosed 27,786 items of government information, "
            "25,477 items of them on its web portal (91.7%).") in text
    assert "Reports that failed validation: 0" in text
    assert (tmp_path / "exports" / "charts" / "广东省清远市清新区-proactive-by-year.png").is_file()


@pytest.mark.parametrize("notebook", notebook_files(), ids=lambda p: p.name)
def test_notebooks_are_paired_parameterised_and_read_only_the_package(notebook: Path) -> None:
    source = notebook.read_text(encoding="utf-8")
    assert re.match(r"\d\d-[a-z]+-[a-z]+\.py$", notebook.name)
    assert "formats: ipynb,py:percent" in source
    nb = jupytext.read(notebook)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "db = str(config.WAREHOUSE_PATH)" in tagged[0].source
    for forbidden in ("sys.path", "data/raw", "read_csv", "open(", "duckdb.connect", "os.chdir"):
        assert forbidden not in source, forbidden
