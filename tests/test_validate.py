"""Validation on warehouses built from real reports' gold figures (tests/fixtures/validation).

The Pingtan zone (平潭综合实验区) reports of 2019–2023 and its 13 departments of 2021, plus narrative
reports with shares and channels. Known source errors: the zone's 2020 table 3 outcome rows add to
27 while its (七)总计 prints 21; the police bureau's 2021 table 3 does not balance (1 + 0 vs 1 + 1).
Altered copies carry one deliberate error each and must fail exactly the check it breaks.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from pipelines.validate import run_validation
from pipelines.validate.checks import refresh_reference
from pipelines.validate.reviews import ReviewFileError, load_reviews
from pipelines.validate.suites import load_suites
from tests.fixtures.validation import (
    DEPARTMENTS_2021,
    ZONE_YEARS,
    fixture,
    load_reports,
    set_value,
    warehouse,
)

NO_REVIEWS = Path("/nonexistent/reviews.csv")
NARRATIVES = ("pingtan-zone-2012", "pingtan-zone-2017", "pingtan-county-2012", "qingxin-2012")
ZONE = "平潭综合实验区管委会"
POLICE = "平潭综合实验区公安局"


def units(con: duckdb.DuckDBPyConnection, check: str) -> list[dict]:
    """The unit rows of one check view, after the reference tables are refreshed."""
    refresh_reference(con)
    cur = con.execute(f"select * from marts.check_{check} order by report_id, metric, applicant")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def failing(con: duckdb.DuckDBPyConnection, run_id: str) -> set[tuple[str, str, int]]:
    rows = con.execute(
        "select check_name, organ, year from check_results where run_id = ? and state = 'fail'", [run_id]
    ).fetchall()
    return set(rows)


# --- the real reports as published ---------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    """The zone 2019–2023, its 13 departments of 2021 and four narrative reports, validated once."""
    con, ids = warehouse(*ZONE_YEARS, *DEPARTMENTS_2021, *NARRATIVES)
    docs = tmp_path_factory.mktemp("docs")
    outcome = run_validation(con, docs_dir=docs, reviews_path=NO_REVIEWS)
    yield con, ids, outcome, docs
    con.close()


def test_published_reports_fail_only_their_known_source_errors(published) -> None:
    con, _, outcome, _ = published
    assert failing(con, outcome.run_id) == {
        ("table3_outcomes_sum", ZONE, 2020),  # outcome rows 27, (七)总计 21
        ("table3_balance", POLICE, 2021),  # 1 + 0 vs 1 + 1
    }
    assert not outcome.ok  # unreviewed error-severity fails fail the run


def test_zone_2020_table3_is_flagged_with_its_numbers_and_still_loaded(published) -> None:
    con, ids, outcome, _ = published
    rid = ids["pingtan-2020"]
    row = con.execute(
        "select state, observed from check_results where run_id = ? and check_name = 'table3_outcomes_sum' "
        "and report_id = ?",
        [outcome.run_id, rid],
    ).fetchone()
    assert row[0] == "fail"
    observed = {(u["applicant"], u["expected"], u["observed"]) for u in json.loads(row[1])}
    assert ("total", 21.0, 27.0) in observed and ("natural_person", 20.0, 26.0) in observed
    # never dropped: its figures stay, flagged in marts.quality
    assert con.execute("select count(*) from facts where report_id = ?", [rid]).fetchone()[0] > 100
    quality = con.execute(
        "select n_fail, worst_state, flagged, failed_checks from marts.quality where report_id = ?", [rid]
    ).fetchone()
    assert quality == (1, "fail", True, "table3_outcomes_sum")
    # the GE result names the report, the metric and the numbers
    vr = con.execute(
        "select severity, observed from validation_results where run_id = ? and check_name = 'table3_outcomes_sum' "
        "and report_id = ?",
        [outcome.run_id, rid],
    ).fetchone()
    assert vr[0] == "error"
    named = json.loads(vr[1])
    assert {(u["metric"], u["applicant"], u["expected"], u["observed"]) for u in named} >= {
        ("total_handled", "total", 21.0, 27.0)
    }


def test_zone_2019_to_2021_carry_over_passes(published) -> None:
    con, ids, outcome, _ = published
    rows = con.execute(
        "select report_id, state, n_units from check_results where run_id = ? and check_name = 'carry_over'",
        [outcome.run_id],
    ).fetchall()
    by_report = {r[0]: (r[1], r[2]) for r in rows}
    assert by_report[ids["pingtan-2020"]] == (
        "pass",
        7,
    )  # 2019 carried forward = 2020 carried over, 7 columns
    assert by_report[ids["pingtan-2021"]] == ("pass", 7)
    assert ids["pingtan-2023"] not in by_report  # no 2022 report loaded: nothing to compare


def test_police_balance_fails_and_zone_exceeding_its_departments_is_no_failure(published) -> None:
    con, ids, outcome, _ = published
    police = con.execute(
        "select state, observed from check_results where run_id = ? and check_name = 'table3_balance' "
        "and report_id = ?",
        [outcome.run_id, ids["pingtan-police-2021"]],
    ).fetchone()
    assert police[0] == "fail"
    assert {"applicant": "total", "expected": 2.0, "observed": 1.0} == {
        k: v for k, v in json.loads(police[1])[0].items() if k in ("applicant", "expected", "observed")
    }
    rollup = units(con, "rollup_departments")
    zone_2021 = {u["metric"]: u for u in rollup if u["report_id"] == ids["pingtan-2021"]}
    assert zone_2021["requests_received"]["observed"] == 70  # the zone's own 总计
    assert zone_2021["requests_received"]["expected"] == 61  # its 13 departments summed
    assert {u["state"] for u in zone_2021.values()} == {"pass"}


def test_negative_change_of_the_2019_table_2_is_allowed(published) -> None:
    con, ids, _, _ = published
    value = con.execute(
        "select value from facts where report_id = ? and metric = 'administrative_fees_change'",
        [ids["pingtan-2020"]],
    ).fetchone()[0]
    assert value == -15
    states = {u["report_id"]: u["state"] for u in units(con, "structure_non_negative")}
    assert states[ids["pingtan-2020"]] == "pass"


def test_every_result_is_stored_and_data_docs_are_written(published) -> None:
    con, _, outcome, docs = published
    n_expectations = sum(len(s.expectations) for s in load_suites())
    summary = con.execute(
        "select count(*) from validation_results where run_id = ? and report_id is null", [outcome.run_id]
    ).fetchone()[0]
    assert summary == n_expectations == len(outcome.outcomes)
    states = {r[0] for r in con.execute("select distinct state from check_results").fetchall()}
    assert states <= {"pass", "fail", "uncertain", "not_assessable"}
    assert {"pass", "fail", "uncertain", "not_assessable"} <= states
    index = docs / "index.html"
    assert index.is_file()
    html = index.read_text(encoding="utf-8")
    for suite in ("arithmetic", "across_years", "structure", "rollup"):
        assert suite in html
    pages = list((docs / "validations").rglob("*.html"))
    assert len(pages) == len(load_suites())
    arithmetic = next(p for p in pages if "arithmetic" in str(p)).read_text(encoding="utf-8")
    assert "table3_balance" in arithmetic  # the failing check is named on its validation page
    suite_page = (docs / "expectations" / "arithmetic.html").read_text(encoding="utf-8")
    assert "Notes:" in suite_page and "新收 + 上年结转 = 总计 + 结转下年度" in suite_page  # why, rendered


# --- altered reports: exactly the broken check fails ----------------------------------------------


@pytest.fixture(scope="module")
def altered():
    zone_2021 = fixture("pingtan-2021")
    # a broken row sum: one request moved from 部分公开 to 予以公开 in the 自然人 column only
    # (the column still adds up; the two rows' 总计 no longer do)
    set_value(zone_2021, "granted", 28, "natural_person")
    set_value(zone_2021, "partially_granted", 4, "natural_person")
    zone_2020 = fixture("pingtan-2020")
    # a wrong carry-over: 2021 opens with one request from 2020 that 2020 never carried forward
    # (2021 itself still balances: one new request fewer)
    zone_2021b = fixture("pingtan-2021")
    zone_2021b.update(name="pingtan-2021-carry", organ="平潭综合实验区管委会（改）")
    zone_2020b = fixture("pingtan-2020")
    zone_2020b.update(name="pingtan-2020-carry", organ="平潭综合实验区管委会（改）")
    for applicant in ("natural_person", "total"):
        set_value(zone_2021b, "carried_over", 1, applicant)
    set_value(zone_2021b, "new_received", 63, "natural_person")
    set_value(zone_2021b, "new_received", 69, "total")
    # a share contradicting its count: 613 of 2122 items is 28.89%, not 38.89%
    zone_2017 = fixture("pingtan-zone-2017")
    set_value(zone_2017, "proactive_by_townships_share", 38.89)
    untouched = [fixture(n) for n in ("pingtan-2019", "pingtan-2023", "pingtan-finance-2021", "qingxin-2012")]
    con = duckdb.connect(":memory:")
    ids = load_reports(con, [zone_2021, zone_2020, zone_2021b, zone_2020b, zone_2017, *untouched])
    outcome = run_validation(con, docs_dir=None, reviews_path=NO_REVIEWS)
    yield con, ids, outcome
    con.close()


def test_altered_reports_fail_exactly_the_broken_checks(altered) -> None:
    con, ids, outcome = altered
    got = con.execute(
        "select check_name, report_id from check_results where run_id = ? and state = 'fail'",
        [outcome.run_id],
    ).fetchall()
    assert set(got) == {
        ("table3_row_total", ids["pingtan-2021"]),
        ("carry_over", ids["pingtan-2021-carry"]),
        ("share_matches_count", ids["pingtan-zone-2017"]),
        # the zone's 2020 source error, in both copies
        ("table3_outcomes_sum", ids["pingtan-2020"]),
        ("table3_outcomes_sum", ids["pingtan-2020-carry"]),
    }
    assert {o.expectation for o in outcome.error_fails} == {
        f"expect_column_values_to_be_in_set({check})"
        for check in ("table3_row_total", "carry_over", "share_matches_count", "table3_outcomes_sum")
    }
    assert outcome.warning_fails == []


def test_altered_failures_name_report_metric_and_numbers(altered) -> None:
    con, ids, outcome = altered

    def named(check: str) -> list[dict]:
        rows = con.execute(
            "select report_id, observed from validation_results where run_id = ? and check_name = ? "
            "and report_id is not null",
            [outcome.run_id, check],
        ).fetchall()
        return [dict(u, report_id=r[0]) for r in rows for u in json.loads(r[1])]

    rows = named("table3_row_total")
    assert {(u["report_id"], u["metric"], u["expected"], u["observed"]) for u in rows} == {
        (ids["pingtan-2021"], "granted", 30.0, 31.0),
        (ids["pingtan-2021"], "partially_granted", 5.0, 4.0),
    }
    carry = named("carry_over")
    assert {
        (u["report_id"], u["applicant"], u["expected"], u["observed"], u["related_report_id"]) for u in carry
    } == {
        (ids["pingtan-2021-carry"], "natural_person", 0.0, 1.0, ids["pingtan-2020-carry"]),
        (ids["pingtan-2021-carry"], "total", 0.0, 1.0, ids["pingtan-2020-carry"]),
    }
    share = named("share_matches_count")
    assert [(u["report_id"], u["metric"], u["observed"]) for u in share] == [
        (ids["pingtan-zone-2017"], "proactive_by_townships_share", 38.89)
    ]
    assert share[0]["expected"] == pytest.approx(100 * 613 / 2122)


def test_untouched_reports_pass(altered) -> None:
    con, ids, outcome = altered
    for name in ("pingtan-2019", "pingtan-2023", "pingtan-finance-2021", "qingxin-2012"):
        states = {
            r[0]
            for r in con.execute(
                "select state from check_results where run_id = ? and report_id = ?",
                [outcome.run_id, ids[name]],
            ).fetchall()
        }
        assert "fail" not in states, name
        assert "pass" in states, name


# --- states: uncertain and not assessable are not fails --------------------------------------------


def test_blank_cell_makes_the_sum_uncertain_not_failed() -> None:
    report = fixture("pingtan-2021")
    set_value(report, "granted", None, "research")  # was 0: a blank cell
    con = duckdb.connect(":memory:")
    load_reports(con, [report])
    rows = {u["metric"]: u["state"] for u in units(con, "table3_row_total")}
    assert rows["granted"] == "uncertain"
    assert rows["partially_granted"] == "pass"
    cols = {u["applicant"]: u["state"] for u in units(con, "table3_outcomes_sum")}
    assert cols["research"] == "uncertain" and cols["natural_person"] == "pass"


def test_parts_above_the_total_fail_even_with_a_blank_cell() -> None:
    report = fixture("pingtan-2021")
    set_value(report, "granted", None, "research")
    set_value(report, "granted", 40, "natural_person")  # 40 + 2 + 1 > 30 whatever the blank holds
    con = duckdb.connect(":memory:")
    load_reports(con, [report])
    rows = {u["metric"]: u["state"] for u in units(con, "table3_row_total")}
    assert rows["granted"] == "fail"


def test_departments_with_partial_cells_are_not_assessable_or_uncertain() -> None:
    con, ids = warehouse("pingtan-police-2021", "pingtan-natres-eco-2021")
    balance = {(u["report_id"], u["applicant"]): u["state"] for u in units(con, "table3_balance")}
    assert balance[(ids["pingtan-police-2021"], "total")] == "fail"
    assert balance[(ids["pingtan-police-2021"], "natural_person")] == "not_assessable"  # only 新收 read
    table4 = {(u["report_id"], u["metric"]): u["state"] for u in units(con, "table4_totals")}
    assert (
        table4[(ids["pingtan-natres-eco-2021"], "reconsideration_total")] == "uncertain"
    )  # 1 + 2 of 3, 2 cells unread
    assert table4[(ids["pingtan-police-2021"], "reconsideration_total")] == "not_assessable"  # only 总计 read


# --- the other checks, one failing and one passing case each ----------------------------------------


def test_share_base_may_be_the_parts_listed() -> None:
    """平潭县 2012 states 2026 items in all but computes its shares over its two parts (2475 + 1503)."""
    con, ids = warehouse("pingtan-county-2012")
    states = {u["metric"]: u["state"] for u in units(con, "share_matches_count")}
    assert states == {"proactive_by_county_departments_share": "pass", "proactive_by_townships_share": "pass"}


def test_truncated_share_passes_within_one_unit_of_its_last_digit() -> None:
    """平潭 2012: 534 of 1913 is 27.9%, printed as 27%."""
    report = fixture("pingtan-zone-2012")
    con = duckdb.connect(":memory:")
    load_reports(con, [report])
    states = {u["metric"]: u["state"] for u in units(con, "share_matches_count")}
    assert states["proactive_by_townships_share"] == "pass"
    set_value(report, "proactive_by_townships_share", 25)
    con2 = duckdb.connect(":memory:")
    load_reports(con2, [report])
    states = {u["metric"]: u["state"] for u in units(con2, "share_matches_count")}
    assert states["proactive_by_townships_share"] == "fail"


def test_channel_above_the_total_fails() -> None:
    report = fixture("qingxin-2012")
    con = duckdb.connect(":memory:")
    load_reports(con, [report])
    assert {u["state"] for u in units(con, "proactive_channel_within_total")} == {"pass"}
    set_value(report, "proactive_via_broadcast_tv", 30000)  # more than the 27786 items in all
    con2 = duckdb.connect(":memory:")
    ids = load_reports(con2, [report])
    bad = [u for u in units(con2, "proactive_channel_within_total") if u["state"] == "fail"]
    assert [(u["report_id"], u["metric"], u["observed"], u["expected"]) for u in bad] == [
        (ids["qingxin-2012"], "proactive_via_broadcast_tv", 30000.0, 27786.0)
    ]


def test_channels_sum_is_assessed_only_where_the_report_says_they_are_the_parts() -> None:
    report = fixture("qingxin-2012")
    con = duckdb.connect(":memory:")
    load_reports(con, [report])
    assert [u["state"] for u in units(con, "proactive_channels_sum")] == ["not_assessable"]
    for f in report["facts"]:
        if f["metric"] == "proactive_total":
            f["evidence"] = (
                "全區共主動公開政府信息27786條，分別通過網站、廣播電視、公報、公開欄、政務信息公開"
            )
    con2 = duckdb.connect(":memory:")
    load_reports(con2, [report])
    (row,) = units(con2, "proactive_channels_sum")
    assert (row["state"], row["observed"], row["expected"]) == ("pass", 25477 + 2064 + 42 + 48 + 155, 27786)
    set_value(report, "proactive_via_gazette", 420)  # a misread 42
    con3 = duckdb.connect(":memory:")
    load_reports(con3, [report])
    (row,) = units(con3, "proactive_channels_sum")
    assert (row["state"], row["observed"]) == ("fail", 27786 - 42 + 420)


def test_prose_figure_must_equal_its_table_cell() -> None:
    report = fixture("pingtan-2021")
    report["facts"].append(
        {
            "metric": "requests_received",
            "applicant": None,
            "value": 70,
            "unit": "request",
            "approx": False,
            "table_no": None,
            "evidence": "全年共收到政府信息公开申请70件",
        }
    )
    wrong = fixture("pingtan-2021")
    wrong.update(name="pingtan-2021-prose", organ="另一机关")
    wrong["facts"].append(
        {
            "metric": "requests_received",
            "applicant": None,
            "value": 75,
            "unit": "request",
            "approx": False,
            "table_no": None,
            "evidence": "全年共收到政府信息公开申请75件",
        }
    )
    con = duckdb.connect(":memory:")
    ids = load_reports(con, [report, wrong])
    states = {
        (u["report_id"], u["metric"]): (u["state"], u["expected"], u["observed"])
        for u in units(con, "prose_matches_table")
    }
    assert states[(ids["pingtan-2021"], "requests_received")] == ("pass", 70.0, 70.0)
    assert states[(ids["pingtan-2021-prose"], "requests_received")] == ("fail", 70.0, 75.0)


def test_region_smaller_than_its_departments_is_flagged() -> None:
    zone = fixture("pingtan-2021")
    set_value(zone, "new_received", 50, "total")  # the 13 departments received 61
    con = duckdb.connect(":memory:")
    ids = load_reports(con, [zone] + [fixture(d) for d in DEPARTMENTS_2021])
    rows = {u["metric"]: u for u in units(con, "rollup_departments") if u["report_id"] == ids["pingtan-2021"]}
    assert rows["requests_received"]["state"] == "fail"
    assert (rows["requests_received"]["observed"], rows["requests_received"]["expected"]) == (50.0, 61.0)


def test_table2_stock_flow_between_consecutive_2021_format_years() -> None:
    """The zone's 2023 normative documents read as if they followed 2021 directly: 665 + 77 - 132 ≠ 470."""
    as_2022 = fixture("pingtan-2023")
    as_2022.update(name="pingtan-2023-as-2022", year=2022)
    con = duckdb.connect(":memory:")
    ids = load_reports(con, [fixture("pingtan-2021"), as_2022])
    rows = {u["metric"]: u for u in units(con, "table2_stock_flow")}
    assert rows["normative_documents_in_force"]["state"] == "fail"
    assert rows["normative_documents_in_force"]["expected"] == 665 + 77 - 132
    assert rows["normative_documents_in_force"]["related_report_id"] == ids["pingtan-2021"]
    assert rows["regulations_in_force"]["state"] == "pass"  # 0 + 0 - 0 = 0


def test_year_on_year_jump_is_flagged_beyond_the_factor() -> None:
    y2020, y2021 = fixture("pingtan-2020"), fixture("pingtan-2021")
    con = duckdb.connect(":memory:")
    load_reports(con, [y2020, y2021])
    assert {u["state"] for u in units(con, "year_on_year_jump")} == {"pass"}  # 21 → 70: below the floor of 50
    set_value(y2021, "new_received", 700, "total")
    con2 = duckdb.connect(":memory:")
    load_reports(con2, [y2020, y2021])
    (row,) = units(con2, "year_on_year_jump")
    assert (row["metric"], row["expected"], row["observed"], row["state"]) == (
        "requests_received",
        21.0,
        700.0,
        "fail",
    )


def test_standard_report_without_table3_is_flagged() -> None:
    report = fixture("pingtan-2021")
    report["facts"] = [f for f in report["facts"] if f["table_no"] != 3]
    con = duckdb.connect(":memory:")
    load_reports(con, [report, fixture("pingtan-2019"), fixture("qingxin-2012")])
    states = {u["organ"] + str(u["year"]): u["state"] for u in units(con, "table3_present")}
    assert states == {f"{ZONE}2021": "fail", f"{ZONE}2019": "pass"}  # the narrative report is not assessed


def test_structure_flags_unknown_keys_negative_counts_and_impossible_years() -> None:
    report = fixture("pingtan-2021")
    report["facts"].append({"metric": "新收", "applicant": None, "value": 1, "table_no": None})
    report["facts"].append({"metric": "granted", "applicant": "citizens", "value": 1, "table_no": 3})
    set_value(report, "administrative_penalty_decisions", -5)
    report["year"] = 2031
    con = duckdb.connect(":memory:")
    ids = load_reports(con, [report, fixture("pingtan-2019")])
    rid = ids["pingtan-2021"]
    metric = {u["report_id"]: u for u in units(con, "structure_metric_known")}
    assert metric[rid]["state"] == "fail" and metric[rid]["metric"] == "新收"
    applicant = {u["report_id"]: u for u in units(con, "structure_applicant_known")}
    assert applicant[rid]["state"] == "fail" and applicant[rid]["applicant"] == "citizens"
    negative = {u["report_id"]: u for u in units(con, "structure_non_negative")}
    assert negative[rid]["state"] == "fail" and negative[rid]["metric"] == "administrative_penalty_decisions"
    fields = {u["report_id"]: u for u in units(con, "structure_report_fields")}
    assert fields[rid]["state"] == "fail" and "2031" in fields[rid]["detail"]
    for check in ("structure_metric_known", "structure_applicant_known", "structure_non_negative"):
        assert {u["report_id"]: u["state"] for u in units(con, check)}[ids["pingtan-2019"]] == "pass"


# --- analyst reviews --------------------------------------------------------------------------------


def write_reviews(path: Path, *lines: str) -> Path:
    path.write_text(
        "report_id,organ,year,check,metric,decision,reason,who,when\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    return path


def test_confirmed_source_errors_keep_the_flag_but_do_not_fail_the_run(tmp_path: Path) -> None:
    reviews = write_reviews(
        tmp_path / "reviews.csv",
        f",{ZONE},2020,table3_outcomes_sum,,confirmed,the published table does not add up,analyst,2026-11-25",
        f",{POLICE},2021,table3_balance,,confirmed,the published table does not balance,analyst,2026-11-25",
    )
    con, ids = warehouse(*ZONE_YEARS, *DEPARTMENTS_2021)
    outcome = run_validation(con, docs_dir=None, reviews_path=reviews)
    assert outcome.ok, outcome.summary_text()
    assert outcome.reviewed == {"confirmed": 2}
    q = con.execute(
        "select n_fail, n_confirmed, confirmed_checks, flagged from marts.quality where report_id = ?",
        [ids["pingtan-2020"]],
    ).fetchone()
    assert q == (1, 1, "table3_outcomes_sum", True)  # still flagged: a real error of the source
    # decisions survive re-runs: the same file applies on the next validation
    again = run_validation(con, docs_dir=None, reviews_path=reviews)
    assert again.ok and again.run_id != outcome.run_id
    # without the reviews the same warehouse fails
    assert not run_validation(con, docs_dir=None, reviews_path=NO_REVIEWS).ok


def test_dismissed_fail_neither_fails_nor_flags(tmp_path: Path) -> None:
    con, ids = warehouse("pingtan-police-2021")
    reviews = write_reviews(
        tmp_path / "reviews.csv",
        f"{ids['pingtan-police-2021']},,,table3_balance,,dismissed,false alarm for the test,analyst,2026-11-25",
    )
    outcome = run_validation(con, docs_dir=None, reviews_path=reviews)
    assert outcome.ok and outcome.stale_reviews == []
    row = con.execute(
        "select state, outcome, review_reason from check_results where run_id = ? and check_name = 'table3_balance'",
        [outcome.run_id],
    ).fetchone()
    assert row == ("fail", "dismissed", "false alarm for the test")
    q = con.execute("select n_fail, n_dismissed, flagged from marts.quality").fetchone()
    assert q == (0, 1, False)


def test_review_file_errors_name_the_line(tmp_path: Path) -> None:
    bad = write_reviews(tmp_path / "r.csv", ",平潭,2020,table3_balance,,maybe,unsure,analyst,2026-11-25")
    with pytest.raises(ReviewFileError, match=r"r\.csv:2: decision"):
        load_reviews(bad, {"table3_balance"})
    unknown = write_reviews(tmp_path / "u.csv", ",平潭,2020,no_such_check,,confirmed,x,analyst,2026-11-25")
    with pytest.raises(ReviewFileError, match="no check named 'no_such_check'"):
        load_reviews(unknown, {"table3_balance"})
    anonymous = write_reviews(tmp_path / "a.csv", ",,,table3_balance,,confirmed,x,analyst,2026-11-25")
    with pytest.raises(ReviewFileError, match="report_id, or by organ and year"):
        load_reviews(anonymous, {"table3_balance"})


def test_shipped_reviews_confirm_the_known_source_errors() -> None:
    from pipelines.config import REVIEWS_PATH

    checks = {c.check for s in load_suites() for c in s.checks}
    reviews = load_reviews(REVIEWS_PATH, checks)
    confirmed = set(
        zip(reviews["organ"], reviews["year"], reviews["check_name"], reviews["decision"], strict=True)
    )
    assert (ZONE, 2020, "table3_outcomes_sum", "confirmed") in confirmed
    assert (POLICE, 2021, "table3_balance", "confirmed") in confirmed
    assert "dismissed" not in set(reviews["decision"])  # the sample ships no hidden false alarms


# --- severity and the command line ------------------------------------------------------------------


def test_warning_fails_the_run_only_with_fail_on_warning() -> None:
    as_2022 = fixture("pingtan-2023")
    as_2022.update(name="pingtan-2023-as-2022", year=2022)
    # carry 2021's one open request over (and receive one fewer) so only the stock-flow warning fails
    for applicant in ("natural_person", "total"):
        set_value(as_2022, "carried_over", 1, applicant)
        cell = next(
            f for f in as_2022["facts"] if f["metric"] == "new_received" and f["applicant"] == applicant
        )
        cell["value"] -= 1
    con = duckdb.connect(":memory:")
    load_reports(con, [fixture("pingtan-2021"), as_2022])
    lenient = run_validation(con, docs_dir=None, reviews_path=NO_REVIEWS)
    assert lenient.ok and [o.expectation for o in lenient.warning_fails] == [
        "expect_column_values_to_be_in_set(table2_stock_flow)"
    ]
    strict = run_validation(con, fail_on_warning=True, docs_dir=None, reviews_path=NO_REVIEWS)
    assert not strict.ok
    assert con.execute("select status from validation_runs where run_id = ?", [strict.run_id]).fetchone() == (
        "failed",
    )


def test_cli_validate_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.cli import main

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    report = fixture("pingtan-2021")
    set_value(report, "granted", 31, "total")  # the 总计 column no longer adds up
    load_reports(con, [report, fixture("pingtan-2019")])
    con.close()
    docs = tmp_path / "docs"
    assert main(["validate", "--db", str(db), "--docs", str(docs)]) == 1
    assert (docs / "index.html").is_file()
    out = tmp_path / "missing.duckdb"
    assert main(["validate", "--db", str(out)]) == 2
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute("select count(*) from validation_results where not success").fetchone()[0]
    con.close()
    assert n >= 2  # the summary row and the report's row


def test_review_naming_a_metric_settles_only_that_unit(tmp_path: Path) -> None:
    report = fixture("qingxin-2012")
    set_value(report, "proactive_via_broadcast_tv", 30000)
    set_value(report, "proactive_via_gazette", 40000)
    con = duckdb.connect(":memory:")
    load_reports(con, [report])
    organ = "清新区人民政府"
    one = write_reviews(
        tmp_path / "one.csv",
        f",{organ},2012,proactive_channel_within_total,proactive_via_broadcast_tv,confirmed,misprint,analyst,2026-11-25",
    )
    outcome = run_validation(con, docs_dir=None, reviews_path=one)
    assert not outcome.ok  # the gazette figure is still open
    (failed,) = outcome.error_fails
    assert [u["metric"] for u in failed.unexpected_by_report.popitem()[1]] == ["proactive_via_gazette"]
    both = write_reviews(
        tmp_path / "both.csv",
        f",{organ},2012,proactive_channel_within_total,proactive_via_broadcast_tv,confirmed,misprint,analyst,2026-11-25",
        f",{organ},2012,proactive_channel_within_total,proactive_via_gazette,dismissed,misread,analyst,2026-11-25",
    )
    outcome = run_validation(con, docs_dir=None, reviews_path=both)
    assert outcome.ok
    row = con.execute(
        "select state, outcome, review_decision from check_results where run_id = ? "
        "and check_name = 'proactive_channel_within_total'",
        [outcome.run_id],
    ).fetchone()
    assert row == ("fail", "confirmed", "confirmed")  # confirmed outweighs dismissed: still flagged


def test_reviews_that_settle_nothing_are_reported(tmp_path: Path) -> None:
    con, _ = warehouse("pingtan-2019")
    reviews = write_reviews(
        tmp_path / "reviews.csv",
        f",{ZONE},2019,table3_balance,,confirmed,no longer fails,analyst,2026-11-25",
    )
    outcome = run_validation(con, docs_dir=None, reviews_path=reviews)
    assert outcome.ok
    assert outcome.stale_reviews == [f"{ZONE} 2019 table3_balance"]
    assert "match no failing figure" in outcome.summary_text()


def test_report_year_beyond_the_current_year_fails_the_native_structure_suite() -> None:
    future = fixture("pingtan-2021")
    future.update(name="pingtan-2021-future", organ="未来机关", year=2099)
    con = duckdb.connect(":memory:")
    ids = load_reports(con, [future, fixture("pingtan-2019")])
    outcome = run_validation(con, docs_dir=None, reviews_path=NO_REVIEWS)
    assert not outcome.ok
    by_expectation = {o.expectation: o for o in outcome.error_fails}
    year_range = by_expectation["expect_column_values_to_be_between(year)"]
    assert year_range.suite == "structure_reports"
    assert list(year_range.unexpected_by_report) == [ids["pingtan-2021-future"]]
    assert set(by_expectation) == {
        "expect_column_values_to_be_between(year)",  # GE-native, on marts.current_reports
        "expect_column_values_to_be_in_set(structure_report_fields)",  # the per-report check view
    }


def test_jump_factor_is_tunable_in_the_suite_settings() -> None:
    con, _ = warehouse("pingtan-2020", "pingtan-2021")  # requests 21 → 70: ×3.3
    refresh_reference(con, {"jump_factor": 3.0, "jump_min_count": 50})
    (row,) = con.execute("select state from marts.check_year_on_year_jump").fetchall()
    assert row == ("fail",)
    refresh_reference(con, {"jump_factor": 4.0, "jump_min_count": 50})
    (row,) = con.execute("select state from marts.check_year_on_year_jump").fetchall()
    assert row == ("pass",)
    across_years = next(s for s in load_suites() if s.name == "across_years")
    assert across_years.settings == {"jump_factor": 10.0, "jump_min_count": 50.0}


def test_every_check_view_is_expected_once_and_documented() -> None:
    from pipelines.config import SQL_DIR

    files = {p.stem.split("_", 2)[2]: p for p in (SQL_DIR / "marts").glob("5??_check_*.sql")}
    expected = [c.check for s in load_suites() for c in s.checks]
    assert sorted(expected) == sorted(files)  # one view per check, one expectation per view
    for check, path in files.items():
        sql = path.read_text(encoding="utf-8")
        assert sql.startswith(f"-- marts.check_{check}:"), path.name  # header comment naming the view
        assert f"create or replace view marts.check_{check} as" in sql
        assert "final as (" in sql and sql.rstrip().endswith("select * from final"), path.name
    for suite in load_suites():
        for e in suite.expectations:
            assert len(e["meta"]["why"]) > 40, (suite.name, e["type"])


def test_a_suite_that_would_let_fails_through_is_refused(tmp_path: Path) -> None:
    from pipelines.validate.suites import SuiteFileError, load_suite

    doc = json.loads(
        (Path(__file__).parents[1] / "expectations" / "arithmetic.json").read_text(encoding="utf-8")
    )
    doc["expectations"][0]["kwargs"]["value_set"].append("fail")
    bad = tmp_path / "arithmetic.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SuiteFileError, match="outcomes accepted are exactly"):
        load_suite(bad)
    del doc["expectations"][0]["meta"]["why"]
    doc["expectations"][0]["kwargs"]["value_set"].remove("fail")
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SuiteFileError, match="meta.why"):
        load_suite(bad)
