"""End to end through the CLI on the shipped sample (data/raw/sample): ingest, then validate.

The run stays green honestly: the sample's known errors are error-severity fails, and
data/reviews.csv confirms each after an analyst looked at it (the source's own arithmetic, or a
figure the extractor files under the wrong key), so they show as confirmed, stay flagged in
marts.quality, and no longer fail the run. Any new fail does.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.cli import main
from pipelines.config import RAW_DIR

ZONE = "平潭综合实验区管委会"
POLICE = "平潭综合实验区公安局"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("sample")
    db, docs = tmp / "sample.duckdb", tmp / "docs"
    assert main(["ingest", str(RAW_DIR / "sample"), "--db", str(db), "--workers", "1"]) == 0
    code = main(["validate", "--db", str(db), "--docs", str(docs)])
    con = duckdb.connect(str(db), read_only=True)
    run_id = con.execute("select run_id from validation_runs order by started_at desc limit 1").fetchone()[0]
    yield code, con, run_id, docs
    con.close()


def result(con: duckdb.DuckDBPyConnection, run_id: str, check: str, organ: str, year: int) -> tuple:
    return con.execute(
        "select state, outcome, observed from check_results where run_id = ? and check_name = ? "
        "and organ = ? and year = ?",
        [run_id, check, organ, year],
    ).fetchone()


@pytest.mark.slow
def test_sample_validates_green_with_its_known_errors_confirmed(sample) -> None:
    code, con, run_id, docs = sample
    assert code == 0
    assert con.execute("select status from validation_runs where run_id = ?", [run_id]).fetchone() == ("passed",)
    assert (docs / "index.html").is_file()
    assert con.execute("select count(*) from validation_results where run_id = ?", [run_id]).fetchone()[0] > 20
    open_fails = con.execute(
        "select count(*) from check_results where run_id = ? and outcome = 'fail'", [run_id]
    ).fetchone()[0]
    assert open_fails == 0


@pytest.mark.slow
def test_sample_zone_2020_table3_is_flagged_named_and_still_loaded(sample) -> None:
    _, con, run_id, _ = sample
    state, outcome, observed = result(con, run_id, "table3_outcomes_sum", ZONE, 2020)
    assert (state, outcome) == ("fail", "confirmed")
    units = {(u["applicant"], u["expected"], u["observed"]) for u in json.loads(observed)}
    assert ("total", 21.0, 27.0) in units
    n_fail, flagged = con.execute(
        "select n_fail, flagged from marts.quality where organ = ? and year = 2020", [ZONE]
    ).fetchone()
    assert n_fail >= 1 and flagged


@pytest.mark.slow
def test_sample_zone_carry_over_2019_to_2021_passes(sample) -> None:
    _, con, run_id, _ = sample
    assert result(con, run_id, "carry_over", ZONE, 2020)[0] == "pass"
    assert result(con, run_id, "carry_over", ZONE, 2021)[0] == "pass"


@pytest.mark.slow
def test_sample_police_balance_fails_and_zone_rollup_does_not(sample) -> None:
    _, con, run_id, _ = sample
    state, outcome, _ = result(con, run_id, "table3_balance", POLICE, 2021)
    assert (state, outcome) == ("fail", "confirmed")
    n_departments = con.execute(
        "select count(*) from marts.current_reports where level = 'department' and year = 2021"
    ).fetchone()[0]
    assert n_departments == 13
    assert result(con, run_id, "rollup_departments", ZONE, 2021)[0] == "pass"
