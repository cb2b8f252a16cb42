"""The checks that span rows, computed in DuckDB: the ``marts.check_*`` views, their units and states.

Every check view returns unit rows of the same shape (check_name, report_id, organ, year, metric,
applicant, related_report_id, expected, observed, state, detail), state being pass | fail |
uncertain | not_assessable. Here they are gathered into one temporary table with the analyst's
review beside each (report, check), and rolled up to one row per (check, report): what check_results
records and what GE is handed (a compact frame, not the million facts).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from pipelines.validate.suites import CheckSpec
from pipelines.vocabulary import applicants, is_known_metric, metrics

UNIT_COLUMNS = (
    "check_name",
    "report_id",
    "organ",
    "year",
    "metric",
    "applicant",
    "related_report_id",
    "expected",
    "observed",
    "state",
    "detail",
)
STATES = ("pass", "fail", "uncertain", "not_assessable")


def refresh_reference(con: duckdb.DuckDBPyConnection, settings: dict[str, float] | None = None) -> None:
    """Write the vocabulary, the verdict on every metric key in facts, and the suites' settings."""
    vocab = pd.DataFrame(
        [(m.key, m.table, m.group, m.unit, list(m.formats)) for m in metrics().values()],
        columns=["metric", "table_no", "grp", "unit", "formats"],
    )
    vocab["table_no"] = vocab["table_no"].astype("Int32")
    seen = [r[0] for r in con.execute("select distinct metric from main.facts").fetchall()]
    keys = pd.DataFrame(
        {
            "metric": pd.Series(seen, dtype="object"),
            "known": pd.Series([is_known_metric(m) for m in seen], dtype="bool"),
        }
    )
    apps = pd.DataFrame({"applicant": list(applicants())})
    sets = pd.DataFrame(
        {
            "name": list((settings or {}).keys()),
            "value": pd.Series(list((settings or {}).values()), dtype="float64"),
        }
    )
    for table, frame in (
        ("reference_metrics", vocab),
        ("reference_metric_keys", keys),
        ("reference_applicants", apps),
        ("validation_settings", sets),
    ):
        con.execute(f"delete from main.{table}")  # table names from this module only
        con.register("_ref", frame)
        try:
            con.execute(f"insert into main.{table} by name select * from _ref")
        finally:
            con.unregister("_ref")


def write_reviews(con: duckdb.DuckDBPyConnection, reviews: pd.DataFrame) -> None:
    con.execute("delete from main.reviews")
    if len(reviews):
        con.register("_reviews", reviews)
        try:
            con.execute("insert into main.reviews by name select * from _reviews")
        finally:
            con.unregister("_reviews")


def gather_units(con: duckdb.DuckDBPyConnection, checks: Sequence[CheckSpec]) -> None:
    """Fill the temporary table ``validation_units``: every check's unit rows, reviewed.

    A fail an analyst reviewed takes the decision as its outcome (confirmed / dismissed); any other
    unit's outcome is its state. A review matches the report by report_id, or else by organ and
    year, and the unit by its metric when it names one; the most specific review wins.
    """
    catalog = pd.DataFrame(
        [(c.check, c.suite, c.severity) for c in checks], columns=["check_name", "suite", "severity"]
    )
    cols = ", ".join(UNIT_COLUMNS)
    selects = [f"select {cols} from {c.view}" for c in checks]  # view names checked by suites.load_suite
    units_sql = (
        " union all ".join(selects)
        if selects
        else ("select " + ", ".join(f"null as {c}" for c in UNIT_COLUMNS) + " where false")
    )
    con.register("_catalog", catalog)
    try:
        con.execute(f"""
            create or replace temp table validation_units as
            with units as (select *, row_number() over () as unit_no from ({units_sql})),

            matched_reviews as (
                select r.report_id, v.check_name, v.metric, v.decision, v.reason, v.reviewed_on,
                       v.report_id is not null as by_report_id
                from main.reports as r
                inner join main.reviews as v
                    on v.report_id = r.report_id
                    or (v.report_id is null and v.organ = r.organ and v.year = r.year)
            ),

            reviewed as (
                select u.*, m.decision as review_decision, m.reason as review_reason
                from units as u
                left join matched_reviews as m
                    on m.report_id = u.report_id and m.check_name = u.check_name
                   and (m.metric is null or m.metric = u.metric)
                qualify row_number() over (
                    partition by u.unit_no
                    order by m.metric is not null desc, m.by_report_id desc, m.reviewed_on desc nulls last) = 1
            ),

            final as (
                select
                    u.* exclude (unit_no), c.suite, c.severity,
                    case when u.state = 'fail' and u.review_decision is not null then u.review_decision
                         else u.state end as outcome
                from reviewed as u
                inner join _catalog as c using (check_name)
            )

            select * from final
        """)
    finally:
        con.unregister("_catalog")


def roll_up(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the temporary table ``validation_report_checks``: one row per (check, report) with the
    worst state of its units, their counts, the failing and uncertain units (JSON) and the metrics
    that failed."""
    con.execute(
        """
        create or replace temp table validation_report_checks as
        with ranked as (
            select
                *,
                case state when 'fail' then 3 when 'uncertain' then 2 when 'not_assessable' then 1 else 0 end
                    as state_rank
            from validation_units
        ),

        grouped as (
            select
                suite, check_name, report_id,
                any_value(severity) as severity,
                any_value(organ) as organ,
                any_value(year) as year,
                max(state_rank) as worst_rank,
                count(*) as n_units,
                count(*) filter (where state = 'pass') as n_pass,
                count(*) filter (where state = 'fail') as n_fail,
                count(*) filter (where state = 'uncertain') as n_uncertain,
                count(*) filter (where state = 'not_assessable') as n_not_assessable,
                count(*) filter (where state = 'fail' and review_decision is null) as n_open_fails,
                count(*) filter (where state = 'fail' and review_decision = 'confirmed') as n_confirmed,
                string_agg(distinct review_reason, ' | ') filter (where state = 'fail') as review_reason
            from ranked
            group by suite, check_name, report_id
        ),

        -- the units that failed or are uncertain, apart: most units pass (their details are not kept)
        -- and not_assessable ones have no figures to show; unordered, as an ordered list() is slow
        not_passed as (
            select
                check_name, report_id,
                to_json(list({'metric': metric, 'applicant': applicant, 'expected': expected,
                              'observed': observed, 'related_report_id': related_report_id,
                              'state': state, 'review': review_decision, 'detail': detail})) as observed,
                string_agg(distinct metric || coalesce('[' || applicant || ']', ''), ', ')
                    filter (where state = 'fail') as failing_metrics,
                arg_max(detail, state_rank) as detail
            from ranked
            where state in ('fail', 'uncertain')
            group by check_name, report_id
        ),

        final as (
            select
                g.* exclude (worst_rank, n_open_fails, n_confirmed), n.observed, n.failing_metrics, n.detail,
                case worst_rank when 3 then 'fail' when 2 then 'uncertain'
                                when 1 then 'not_assessable' else 'pass' end as state,
                -- a fail is settled when every failing unit was reviewed; confirmed outweighs dismissed
                case when worst_rank = 3 and n_open_fails = 0
                     then case when n_confirmed > 0 then 'confirmed' else 'dismissed' end end as review_decision,
                case when worst_rank = 3 and n_open_fails = 0
                     then case when n_confirmed > 0 then 'confirmed' else 'dismissed' end
                     else case worst_rank when 3 then 'fail' when 2 then 'uncertain'
                                          when 1 then 'not_assessable' else 'pass' end end as outcome
            from grouped as g
            left join not_passed as n using (check_name, report_id)
        )

        select * from final
        """
    )


def write_check_results(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Record this run's roll-up in check_results; return its number of rows."""
    con.execute(
        """
        insert into main.check_results
        select
            ? as run_id, suite, check_name, severity, report_id, organ, year, state, n_units, n_pass, n_fail,
            n_uncertain, n_not_assessable, observed, review_decision, review_reason, outcome
        from validation_report_checks
        """,
        [run_id],
    )
    row = con.execute("select count(*) from main.check_results where run_id = ?", [run_id]).fetchone()
    assert row is not None  # a count always returns a row
    return int(row[0])


def suite_frame(con: duckdb.DuckDBPyConnection, checks: Sequence[CheckSpec]) -> pd.DataFrame:
    """The compact frame a suite over checks is validated on: one row per (check, report) it assessed,
    naming the failing metrics and holding the units' numbers (JSON), with one column per check
    holding that check's outcome (null on the other checks' rows)."""
    names = [c.check for c in checks]
    frame = con.execute(
        "select check_name, report_id, organ, year, failing_metrics as metric, detail, "
        "cast(observed as varchar) as observed, outcome "
        "from validation_report_checks where check_name in (select unnest(?::varchar[])) "
        "order by check_name, report_id",
        [names],
    ).df()
    for name in names:
        frame[name] = frame["outcome"].where(frame["check_name"] == name, None)
    return frame.drop(columns=["outcome"])
