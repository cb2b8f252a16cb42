# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 跨年度比较 · Comparing years
#
# One region's own reports (its government or committee, not its departments) over every year in the
# warehouse: proactive disclosures, requests received, the outcome mix, reconsideration and litigation.
# The 2018→2019 change of report format is bridged with comparable figures only.

# %%
from IPython.display import HTML, Markdown, display

from pipelines import config
from pipelines.analysis import charts, compare, narrate

# %% tags=["parameters"]
db = str(config.WAREHOUSE_PATH)  # the warehouse to read
charts_dir = str(config.EXPORTS_DIR / "charts")  # where PNG and SVG charts are written
region = None  # region or organ; None = the region whose own reports cover the most years
lang = "zh"  # language of the written comparisons: zh or en


# %%
def t(zh: str, en: str) -> str:
    return zh if lang == "zh" else en


charts.use_cjk_font()
region = region or compare.default_region(db)
years_table = compare.region_years(region, db) if region else None
has_data = years_table is not None and not years_table.empty
if not has_data:
    display(Markdown(t("**仓库中还没有可比较的报告**（没有识别出地区的年度报告）。请先运行 `ogi run`。",
                       "**No reports to compare yet** (no region's own reports in the warehouse). Run `ogi run` first.")))
else:
    display(Markdown(f"## {region}"))

# %% [markdown]
# ## 口径说明 · What is comparable

# %%
rule = compare.comparability()
if has_data:
    display(Markdown(narrate.format_change_note(
        [compare.label(k, lang) for k in rule.everywhere], [compare.label(k, lang) for k in rule.not_everywhere],
        rule.crosswalk_source, lang)))
    display(compare.display_table(rule.table, list(rule.table.columns), lang, {
        "metric": ("指标", "metric"), "label": ("名称", "label"), "prose_to_tables": ("叙述体↔表格可比", "prose ↔ tables"),
        "trial_to_2021": ("2019↔2021模板可比", "2019 ↔ 2021 template"), "rule": ("口径", "rule")}))


def previous_if_comparable(key: str, previous: tuple[str, narrate.YearFigure] | None, current_format: str):
    """The earlier year's figure when the rule allows comparing it with this year's, else None."""
    if previous is None:
        return None
    previous_format, figure = previous
    return figure if rule.comparable(key, previous_format, current_format) else None


# %% [markdown]
# ## 各年度数字 · Figures by year

# %%
if has_data:
    organs = years_table["organ"].dropna().unique().tolist()
    main_organ = years_table["organ"].value_counts().index[0]
    if len(organs) > 1:
        display(Markdown(t(f"该地区有{len(organs)}个机关的本级报告：{'、'.join(organs)}；图表只画报告年份最多的{main_organ}。",
                           f"{len(organs)} organs of this region report on their own: {', '.join(organs)}; "
                           f"the charts show {main_organ}, which has the most years.")))
    columns = ["year", "organ", "format", "proactive_total", "proactive_via_website", "requests_received",
               *compare.OUTCOMES, "total_handled", "reconsideration_total", "litigation_total"]
    display(compare.display_table(years_table, columns, lang))
    series = years_table[years_table["organ"] == main_organ].sort_values("year")
    source = main_organ
    slug_base = charts.file_slug(region)

# %% [markdown]
# ## 主动公开 · Proactive disclosure

# %%
if has_data:
    stated = series[series["proactive_total"].notna()]
    if stated.empty:
        display(Markdown(t("没有年度报告给出主动公开总条数。", "No report states a proactive total.")))
    else:
        fig = charts.bars_by_year(
            stated["year"].tolist(), stated["proactive_total"].tolist(),
            t(f"{main_organ}主动公开政府信息条数", f"{main_organ}: items disclosed proactively"),
            source, t("条", "items"), approx=["proactive_total" in a for a in stated["approx_metrics"]], lang=lang)
        charts.save_chart(fig, charts_dir, charts.file_slug(slug_base, "proactive-by-year"))
        charts.show(fig)
        previous = None
        for _, row in stated.iterrows():
            total = compare.headline_figure(row, "proactive_total")
            display(Markdown(narrate.proactive_sentence(
                row["organ"], int(row["year"]), total, compare.headline_figure(row, "proactive_via_website"),
                previous_if_comparable("proactive_total", previous, row["format"]), lang)))
            previous = (row["format"], narrate.YearFigure(int(row["year"]), total))
        if not rule.comparable("proactive_total", "narrative", "standard_2019"):
            display(Markdown(t("叙述体报告与2019年起的表格格式报告统计主动公开的方法不同，跨越格式变化不计算增减。",
                               "Prose and standard-format reports count proactive disclosure differently: "
                               "no change is computed across the format change.")))

# %% [markdown]
# ## 依申请公开 · Requests

# %%
if has_data:
    asked = series[series["requests_received"].notna()]
    if asked.empty:
        display(Markdown(t("没有年度报告给出收到申请数。", "No report states the requests received.")))
    else:
        fig = charts.bars_by_year(
            asked["year"].tolist(), asked["requests_received"].tolist(),
            t(f"{main_organ}收到政府信息公开申请数", f"{main_organ}: requests for government information"),
            source, t("件", "requests"), approx=["requests_received" in a for a in asked["approx_metrics"]], lang=lang)
        charts.save_chart(fig, charts_dir, charts.file_slug(slug_base, "requests-by-year"))
        charts.show(fig)
        previous = None
        for _, row in asked.iterrows():
            received = compare.headline_figure(row, "requests_received")
            outcomes = {k: compare.headline_figure(row, k) for k in compare.OUTCOMES}
            display(Markdown(narrate.requests_sentence(
                row["organ"], int(row["year"]), received, outcomes, compare.headline_figure(row, "total_handled"),
                previous_if_comparable("requests_received", previous, row["format"]), row["format"] != "narrative",
                lang)))
            previous = (row["format"], narrate.YearFigure(int(row["year"]), received))

# %%
if has_data:
    mixed = series[(series["format"] != "narrative") & series[list(compare.OUTCOMES)].notna().any(axis=1)]
    if mixed.empty:
        display(Markdown(t("没有表格格式的年度报告给出办理结果。", "No standard-format report states the outcomes of requests.")))
    else:
        fig = charts.outcome_mix(
            [str(y) for y in mixed["year"]], {k: mixed[k].tolist() for k in compare.OUTCOMES},
            {k: compare.label(k, lang) for k in compare.OUTCOMES},
            t(f"{main_organ}依申请公开办理结果", f"{main_organ}: outcomes of requests"), source, lang)
        charts.save_chart(fig, charts_dir, charts.file_slug(slug_base, "outcomes-by-year"))
        charts.show(fig)
        display(Markdown(t("图中只画2019年起表格格式报告（表3总计列）的办理结果；叙述体报告只零散写明部分结果，见上表，不画入图中，也不当作0。",
                           "Only the standard-format reports (table 3, total column) are drawn; prose reports "
                           "state some outcomes only (see the table above), which are neither drawn nor taken as 0.")))

# %% [markdown]
# ## 行政复议和行政诉讼 · Reconsideration and litigation

# %%
if has_data:
    reviewed = series[series[["reconsideration_total", "litigation_total"]].notna().any(axis=1)]
    if reviewed.empty:
        display(Markdown(t("没有年度报告给出行政复议或行政诉讼数。", "No report states reconsideration or litigation.")))
    else:
        fig = charts.grouped_bars_by_year(
            reviewed["year"].tolist(),
            {compare.label("reconsideration_total", lang): reviewed["reconsideration_total"].tolist(),
             compare.label("litigation_total", lang): reviewed["litigation_total"].tolist()},
            t(f"{main_organ}因政府信息公开引起的行政复议和行政诉讼", f"{main_organ}: reconsideration and litigation"),
            source, t("件", "cases"), lang)
        charts.save_chart(fig, charts_dir, charts.file_slug(slug_base, "reviews-by-year"))
        charts.show(fig)
        for _, row in reviewed.iterrows():
            display(Markdown(narrate.review_sentence(
                row["organ"], int(row["year"]), compare.headline_figure(row, "reconsideration_total"),
                compare.headline_figure(row, "litigation_total"), lang)))

# %% [markdown]
# ## 数据说明 · About the data

# %%
if has_data:
    flagged = series[series["failed_checks"].map(len) > 0]
    if compare.validation_has_run(db):
        display(Markdown(t(f"未通过校验的报告：{len(flagged)}份，句中已注明，数字仅供参考。",
                           f"Reports that failed validation: {len(flagged)}, marked in the sentences above.")))
        if not flagged.empty:
            display(compare.display_table(flagged, ["year", "organ", "failed_checks"], lang))
    else:
        display(Markdown(t("校验尚未运行（`ogi validate`），数字未经报告自身合计核对。",
                           "Validation has not run (`ogi validate`): figures are not yet checked against the reports' own totals.")))
    display(HTML(t("<p>“约”：报告原文为约数（多、余、约、近）。数字来自各年度报告，ogi 提取。</p>",
                   "<p>“about”: the report gives an approximate figure. Figures as extracted by ogi from the reports.</p>")))
