"""The tables the notebooks compare, read from the marts through :func:`pipelines.warehouse.query`.

Everything here takes plain values (a warehouse path, a region, a year) and returns DataFrames or
small records; user values reach SQL only as bound parameters.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from pipelines import config
from pipelines.analysis.narrate import MIN_REQUESTS_FOR_RATE, Figure, figure
from pipelines.warehouse import query

CROSSWALK_PATH = config.REFERENCE_DIR / "crosswalk.csv"

# The figures the notebooks compare, with their Chinese and English labels.
HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "proactive_total": ("主动公开信息数", "items disclosed proactively"),
    "proactive_via_website": ("其中网站公开", "of which on the web portal"),
    "requests_received": ("收到申请数", "requests received"),
    "granted": ("予以公开", "granted"),
    "partially_granted": ("部分公开", "partly granted"),
    "denied": ("不予公开", "denied"),
    "unable": ("无法提供", "unable to provide"),
    "unable_not_held": ("其中本机关不掌握", "of which not held"),
    "not_processed": ("不予处理", "not processed"),
    "other_processing": ("其他处理", "other"),
    "total_handled": ("办理总数", "total handled"),
    "reconsideration_total": ("行政复议", "reconsideration cases"),
    "litigation_total": ("行政诉讼", "litigation cases"),
}
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "province": ("省级", "province"), "city": ("市级", "city"), "county": ("县级", "county"),
    "township": ("乡镇", "township"), "department": ("部门", "department"),
}
OUTCOMES = ("granted", "partially_granted", "denied", "unable", "not_processed", "other_processing")


# Report formats in the order they followed each other; a comparison between two years crosses every
# boundary between their formats and must pass each boundary's rule.
FORMAT_ERAS = ("narrative", "standard_2019", "standard_2021")

# Boundary 1, prose → standard tables (2018→2019): crosswalk.csv covers only the two table templates,
# so this rule is ogi's own. A figure is comparable when the prose and table 3/4 count the same thing.
PROSE_TO_TABLES: tuple[tuple[str, bool, str], ...] = (
    ("requests_received", True, "叙述体“受理/收到申请N件” ↔ 表3“一、本年新收政府信息公开申请数量”总计"),
    ("granted", True, "同意公开 ↔ （一）予以公开"),
    ("partially_granted", True, "部分公开 ↔ （二）部分公开"),
    ("denied", True, "不予公开 ↔ （三）不予公开各项之和"),
    ("unable", False, "叙述体“信息不存在”“非本机关职责”口径不一，不等同于（四）无法提供各项之和"),
    ("not_processed", False, "叙述体很少写明；（五）不予处理是2019年起的新分类"),
    ("other_processing", False, "叙述体“其他”没有固定含义"),
    ("total_handled", False, "叙述体“已答复”不等同于（七）总计"),
    ("reconsideration_total", True, "行政复议件数 ↔ 表4 行政复议 总计"),
    ("litigation_total", True, "行政诉讼件数 ↔ 表4 未经复议直接起诉 + 复议后起诉 总计"),
    ("proactive_total", False, "叙述体统计主动公开信息条数；标准格式只在正文自述条数，表2统计规章、规范性文件等件数，计数方法不同"),
)
# Boundary 2, 2019 trial → 2021 template: each headline figure is built from these table metrics (a
# trailing '_' is a prefix: the sum of those rows); it is comparable when crosswalk.csv marks every
# one of them 'yes' or 'sum'.
HEADLINE_TABLE_METRICS: dict[str, tuple[str, ...]] = {
    "requests_received": ("new_received",),
    "granted": ("granted",),
    "partially_granted": ("partially_granted",),
    "denied": ("denied_",),
    "unable": ("unable_",),
    "not_processed": ("not_processed_",),
    "other_processing": ("other_processing",),
    "total_handled": ("total_handled",),
    "reconsideration_total": ("reconsideration_total",),
    "litigation_total": ("litigation_direct_total", "litigation_after_reconsideration_total"),
}
CROSSWALK_USABLE = ("yes", "sum")


@dataclass(frozen=True)
class Comparability:
    """Which headline figures can be compared across each format boundary, and on whose word."""

    prose_to_tables: frozenset[str]
    trial_to_2021: frozenset[str]
    crosswalk_source: str
    table: pd.DataFrame

    def comparable(self, key: str, format_a: str | None, format_b: str | None) -> bool:
        """May ``key`` of a report in ``format_a`` be compared with one in ``format_b``?"""
        if format_a == format_b:
            return True
        if format_a not in FORMAT_ERAS or format_b not in FORMAT_ERAS:
            return False
        lo, hi = sorted((FORMAT_ERAS.index(format_a), FORMAT_ERAS.index(format_b)))
        if lo == 0 and key not in self.prose_to_tables:
            return False
        return not (lo <= 1 < hi and key not in self.trial_to_2021)

    @property
    def everywhere(self) -> tuple[str, ...]:
        """Headline figures comparable across both boundaries."""
        return tuple(k for k in HEADLINE_LABELS if k in self.prose_to_tables and k in self.trial_to_2021)

    @property
    def not_everywhere(self) -> tuple[str, ...]:
        return tuple(k for k, _, _ in PROSE_TO_TABLES if k not in self.everywhere)


def _crosswalk_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _usable_in_crosswalk(parts: tuple[str, ...], rows: list[dict[str, str]]) -> bool:
    for part in parts:
        if part.endswith("_"):
            matching = [r for r in rows if (r.get("metric_2019") or "").startswith(part)]
        else:
            matching = [r for r in rows if r.get("metric_2019") == part]
        if not matching or any(r.get("comparable") not in CROSSWALK_USABLE for r in matching):
            return False
    return True


def comparability(path: Path = CROSSWALK_PATH) -> Comparability:
    """ogi's prose rule for 2018→2019, and crosswalk.csv for the 2019 trial → 2021 template (when the
    file is missing, every table 3/4 row counts as the same in both templates, and the source says so)."""
    prose = frozenset(k for k, ok, _ in PROSE_TO_TABLES if ok)
    if path.is_file():
        rows = _crosswalk_rows(path)
        trial = frozenset(k for k, parts in HEADLINE_TABLE_METRICS.items() if _usable_in_crosswalk(parts, rows))
        source = f"pipelines/reference/{path.name}"
    else:
        trial = frozenset(HEADLINE_TABLE_METRICS)
        source = "crosswalk.csv not found: table 3/4 rows taken as the same in both templates"
    table = pd.DataFrame([
        {"metric": k, "label": HEADLINE_LABELS[k][0], "prose_to_tables": ok, "trial_to_2021": k in trial, "rule": rule}
        for k, ok, rule in PROSE_TO_TABLES])
    return Comparability(prose, trial, source, table)


def label(key: str, lang: str = "zh") -> str:
    zh, en = HEADLINE_LABELS.get(key) or LEVEL_LABELS.get(key) or (key, key)
    return zh if lang == "zh" else en


# ---------------------------------------------------------------------------------------------- data


def report_figures(db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """marts.report_figures with the validation failures of each report in ``failed_checks``."""
    frame = query("select * from marts.report_figures order by region, organ, year", db=db)
    failed = failed_checks(db)
    frame["failed_checks"] = [tuple(failed.get(rid, ())) for rid in frame["report_id"]]
    return frame


def default_region(db: str | Path = config.WAREHOUSE_PATH) -> str | None:
    """The region whose own (non-department) reports cover the most years."""
    rows = query(
        "select region from marts.report_figures where level <> 'department' and region is not null "
        "and year is not null group by region order by count(distinct year) desc, count(*) desc, region limit 1",
        db=db)
    return None if rows.empty else str(rows.iloc[0, 0])


def region_years(region: str, db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """The region's own reports (not its departments) over all years, one row per organ and year.

    ``region`` may also name an organ: then that organ's reports are returned.
    """
    frame = report_figures(db)
    own = frame[((frame["region"] == region) & (frame["level"] != "department")) | (frame["organ"] == region)]
    return own.sort_values(["organ", "year"]).reset_index(drop=True)


def default_department_set(db: str | Path = config.WAREHOUSE_PATH) -> tuple[str, int] | None:
    """The (region, year) with the most department reports."""
    rows = query(
        "select region, year from marts.report_figures where level = 'department' and region is not null "
        "and year is not null group by region, year order by count(*) desc, year desc, region limit 1", db=db)
    return None if rows.empty else (str(rows.iloc[0, 0]), int(rows.iloc[0, 1]))


def departments(region: str, year: int, db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """All departments of a region in one year with rates and ranks, and the region's own report.

    ``denial_rate`` and ``not_held_rate`` are shares of the total handled; ``small_base`` marks a
    department that handled fewer than MIN_REQUESTS_FOR_RATE requests (its rates are not ranked).
    ``rank`` orders by requests received (1 = most). The region's own report has ``is_region_report``.
    """
    frame = report_figures(db)
    chosen = frame[(frame["region"] == region) & (frame["year"] == year)].copy()
    chosen["is_region_report"] = chosen["level"] != "department"
    handled = chosen["total_handled"].where(chosen["total_handled"] > 0)
    chosen["denial_rate"] = 100.0 * chosen["denied"] / handled
    chosen["not_held_rate"] = 100.0 * chosen["unable_not_held"] / handled
    chosen["small_base"] = ~(chosen["total_handled"] >= MIN_REQUESTS_FOR_RATE)
    depts = ~chosen["is_region_report"]
    chosen["rank"] = pd.NA
    chosen.loc[depts, "rank"] = chosen.loc[depts, "requests_received"].rank(method="min", ascending=False)
    chosen["rank"] = chosen["rank"].astype("Int64")
    return chosen.sort_values(["is_region_report", "requests_received", "organ"],
                              ascending=[True, False, True]).reset_index(drop=True)


def default_organ(db: str | Path = config.WAREHOUSE_PATH, region: str | None = None) -> str | None:
    """The organ with reports in the most years (within ``region`` when given, or named by it)."""
    sql = ("select organ from marts.report_figures where organ is not null "
           "and ($region is null or region = $region or organ = $region) "
           "group by organ order by count(distinct year) desc, count(*) desc, organ limit 1")
    rows = query(sql, {"region": region}, db=db)
    return None if rows.empty else str(rows.iloc[0, 0])


def organ_years(organ: str, db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    frame = report_figures(db)
    return frame[frame["organ"] == organ].sort_values("year").reset_index(drop=True)


def organ_facts(organ: str, db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """Every figure of an organ's current reports, metric × year (the value, '约' for approximate)."""
    facts = query(
        "select year, metric, coalesce(applicant, '') as applicant, value, approx from marts.facts "
        "where organ = $organ and value is not null and (applicant is null or applicant = 'total') "
        "order by year, metric", {"organ": organ}, db=db)
    if facts.empty:
        return pd.DataFrame()
    facts["shown"] = [("约" if a else "") + (f"{v:g}") for v, a in zip(facts["value"], facts["approx"], strict=True)]
    return facts.pivot_table(index="metric", columns="year", values="shown", aggfunc="first").fillna("")


def problems_measures(organ: str, db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """The organ's problems and measures (reports.problems / reports.measures), one row per year."""
    frame = organ_years(organ, db)
    return frame[["year", "format", "problems", "measures"]].reset_index(drop=True)


def numbered_list_html(items: object) -> str:
    items = as_list(items)
    if not items:
        return "<span style='color:#888'>—</span>"
    return "<ol style='margin:0;padding-left:1.4em'>" + "".join(
        f"<li>{html.escape(str(i))}</li>" for i in items) + "</ol>"


def side_by_side_html(frame: pd.DataFrame, lang: str = "zh") -> str:
    """Problems and measures by year as an HTML table (lists kept as numbered lists)."""
    heads = ("年度", "存在的问题", "改进措施") if lang == "zh" else ("year", "problems", "measures")
    rows = "".join(
        f"<tr><td style='vertical-align:top'>{int(r.year)}</td><td style='vertical-align:top'>"
        f"{numbered_list_html(r.problems)}</td><td style='vertical-align:top'>{numbered_list_html(r.measures)}</td></tr>"
        for r in frame.itertuples())
    head = "".join(f"<th style='text-align:left'>{h}</th>" for h in heads)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def as_list(value: object) -> list:
    """A list column's cell (a list, a numpy array, None or NaN) as a plain list."""
    if value is None or isinstance(value, float):
        return []
    return list(value)  # type: ignore[call-overload]


# Which headline figures a failed check casts doubt on, by the check's name (marts/5xx_check_*.sql);
# a check not listed (structure, year-on-year jumps, prose against table) concerns every figure.
CHECK_TOPICS: tuple[tuple[str, str], ...] = (
    ("table3_", "requests"), ("carry_over", "requests"), ("table4_", "review"), ("table2_", "proactive"),
    ("proactive_", "proactive"), ("share_matches_count", "proactive"),
)
HEADLINE_TOPICS = {"proactive_total": "proactive", "proactive_via_website": "proactive",
                   "reconsideration_total": "review", "litigation_total": "review"}  # the rest: requests


def checks_concerning(key: str, checks: Sequence[str]) -> tuple[str, ...]:
    """The failed checks that concern one headline figure."""
    topic = HEADLINE_TOPICS.get(key, "requests")
    out = []
    for check in checks:
        topics = [t for prefix, t in CHECK_TOPICS if check.startswith(prefix)]
        if not topics or topic in topics:
            out.append(check)
    return tuple(out)


def headline_figure(row: Mapping[str, object] | pd.Series, key: str) -> Figure:
    """A narrate.Figure for one headline value of a report_figures row: approximate or not, and the
    failed validation checks that concern it."""
    approx = key in set(as_list(row.get("approx_metrics")))
    return figure(row.get(key), approx, checks_concerning(key, as_list(row.get("failed_checks"))))


def plain_table(frame: pd.DataFrame) -> Styler:
    """A table as is, for analysts: no row numbers, '—' where nothing is stated."""
    return frame.style.hide(axis="index").format(na_rep="—", precision=1)


# Column names of report_figures that readers see besides the headline figures.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "year": ("年度", "year"), "organ": ("机关", "organ"), "region": ("地区", "region"), "level": ("层级", "level"),
    "format": ("格式", "format"), "failed_checks": ("未通过的校验", "failed checks"), "rank": ("排名", "rank"),
}


def display_table(frame: pd.DataFrame, columns: Sequence[str], lang: str = "zh",
                  extra_labels: Mapping[str, tuple[str, str]] | None = None) -> Styler:
    """Columns picked and renamed for readers: counts without '.0', '—' where nothing is stated,
    flags as 是/否, lists joined, no row numbers."""
    labels = {**HEADLINE_LABELS, **COLUMN_LABELS, **(extra_labels or {})}
    out = frame[list(columns)].copy()
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]) and c in HEADLINE_LABELS:
            out[c] = out[c].astype("Int64")
        elif pd.api.types.is_bool_dtype(out[c]):
            out[c] = out[c].map({True: yes, False: no})
        elif out[c].map(lambda v: isinstance(v, tuple | list)).any():
            out[c] = out[c].map(lambda v: "、".join(map(str, as_list(v))))
    out = out.rename(columns={c: (labels[c][0] if lang == "zh" else labels[c][1]) for c in columns if c in labels})
    return out.style.hide(axis="index").format(na_rep="—", precision=1)


# ------------------------------------------------------------------------------- quality and coverage

# Validation (``ogi validate``) writes main.validation_runs and main.check_results; marts.quality sums
# them per report. Until validation has run these are empty (or, in an older warehouse, absent).
QUALITY_VIEW = ("marts", "quality")
VALIDATION_RUNS = ("main", "validation_runs")
CHECK_RESULTS = ("main", "check_results")


def _has_relation(db: str | Path, schema: str, name: str) -> bool:
    rows = query("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                 [schema, name], db=db)
    return bool(rows.iloc[0, 0])


def validation_has_run(db: str | Path = config.WAREHOUSE_PATH) -> bool:
    """True when a validation run finished (passed or failed) on this warehouse."""
    if not (_has_relation(db, *VALIDATION_RUNS) and _has_relation(db, *QUALITY_VIEW)):
        return False
    rows = query("select count(*) from main.validation_runs where status in ('passed', 'failed')", db=db)
    return bool(rows.iloc[0, 0])


def quality(db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """marts.quality (one row per current report: failing checks, worst state), or empty."""
    if not validation_has_run(db):
        return pd.DataFrame()
    return query("select * from marts.quality order by flagged desc, year, organ", db=db)


def failed_check_results(db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """The latest validation's failing checks, one row per (check, report), with what was observed."""
    if not validation_has_run(db) or not _has_relation(db, *CHECK_RESULTS):
        return pd.DataFrame()
    return query(
        "with latest as (select run_id from main.validation_runs where status in ('passed', 'failed') "
        "order by started_at desc limit 1) "
        "select c.severity, c.check_name, c.organ, c.year, c.n_fail, c.n_units, c.outcome, "
        "cast(c.observed as varchar) as observed, c.review_reason "
        "from main.check_results as c where c.run_id = (select run_id from latest) "
        "and c.state = 'fail' order by c.severity, c.check_name, c.year, c.organ", db=db)


def failed_checks(db: str | Path = config.WAREHOUSE_PATH) -> dict[str, tuple[str, ...]]:
    """report_id → names of the checks its report fails (empty when validation has not run)."""
    flagged = quality(db)
    if flagged.empty:
        return {}
    flagged = flagged[flagged["flagged"] & flagged["failed_checks"].notna()]
    return {str(r.report_id): tuple(c.strip() for c in str(r.failed_checks).split(",") if c.strip())
            for r in flagged.itertuples()}


def coverage(db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """Current reports by year (rows) and level (columns); 0 where there is none."""
    frame = query("select year, coalesce(level, '未识别') as level, count(*) as n from marts.current_reports "
                  "group by all order by year", db=db)
    if frame.empty:
        return frame
    return frame.pivot_table(index="year", columns="level", values="n", aggfunc="sum", fill_value=0)


def missing_core(db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """Reports lacking a headline figure their format should state (metadata or requests received)."""
    return query(
        "select organ, region, level, year, format, "
        "organ is null as no_organ, year is null as no_year, region is null as no_region, "
        "requests_received is null as no_requests_received, "
        "(format = 'narrative' and proactive_total is null) as no_proactive_total "
        "from marts.report_figures where organ is null or year is null or region is null "
        "or requests_received is null or (format = 'narrative' and proactive_total is null) "
        "order by year, organ", db=db)


def extraction_warnings(db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    return query(
        "select r.organ, r.year, r.format, w.code, w.message, w.metric, w.applicant "
        "from main.extraction_warnings as w left join marts.current_reports as r using (report_id) "
        "order by r.year, r.organ, w.warning_no", db=db)


def quarantine(db: str | Path = config.WAREHOUSE_PATH) -> pd.DataFrame:
    """Files refused and still refused (a file loaded since is not listed), latest reason first."""
    return query(
        "with latest as (select *, row_number() over (partition by source_path order by quarantined_at desc) "
        "as n from main.quarantine) "
        "select source_path, stage, reason, error from latest where n = 1 and source_path in "
        "(select source_path from main.files where status = 'quarantined') order by stage, reason, source_path",
        db=db)
