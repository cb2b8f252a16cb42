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
# # 机关概况 · Profile of an organ
#
# Everything the warehouse knows about one reporting organ, year by year: its headline figures in
# words and charts, the problems it reported and the measures it promised side by side, and every
# figure extracted from its reports.

# %%
from IPython.display import HTML, Markdown, display

from pipelines import config
from pipelines.analysis import charts, compare, narrate

# %% tags=["parameters"]
db = str(config.WAREHOUSE_PATH)  # the warehouse to read
charts_dir = str(config.EXPORTS_DIR / "charts")  # where PNG and SVG charts are written
organ = None  # the organ as identified (e.g. 平潭综合实验区管委会); None = the organ with most years
lang = "zh"  # language of the written comparisons: zh or en


# %%
def t(zh: str, en: str) -> str:
    return zh if lang == "zh" else en


charts.use_cjk_font()
organ = organ or compare.default_organ(db)
years_table = compare.organ_years(organ, db) if organ else None
has_data = years_table is not None and not years_table.empty
if has_data:
    first = years_table.iloc[0]
    display(Markdown(f"## {organ}"))
    display(Markdown(t(f"地区：{first['region'] or '未识别'}；层级：{compare.label(first['level'] or '', lang)}；"
                       f"年度报告：{len(years_table)}份（{', '.join(str(int(y)) for y in years_table['year'])}）。",
                       f"Region: {first['region'] or 'not identified'}; level: {first['level']}; "
                       f"{len(years_table)} reports ({', '.join(str(int(y)) for y in years_table['year'])}).")))
else:
    display(Markdown(t("**仓库中没有该机关的报告。**", "**No reports of this organ in the warehouse.**")))

# %% [markdown]
# ## 逐年概况 · Year by year

# %%
rule = compare.comparability()


def previous_if_comparable(key: str, previous: tuple[str, narrate.YearFigure] | None, current_format: str):
    """The earlier year's figure when the comparability rule allows it (see 10-compare-years), else None."""
    if previous is None:
        return None
    previous_format, figure = previous
    return figure if rule.comparable(key, previous_format, current_format) else None


if has_data:
    previous_proactive = previous_requests = None
    for _, row in years_table.iterrows():
        year, report_format = int(row["year"]), row["format"]
        display(Markdown(f"### {year}（{report_format}）"))
        total = compare.headline_figure(row, "proactive_total")
        received = compare.headline_figure(row, "requests_received")
        sentences = [
            narrate.proactive_sentence(organ, year, total, compare.headline_figure(row, "proactive_via_website"),
                                       previous_if_comparable("proactive_total", previous_proactive, report_format),
                                       lang),
            narrate.requests_sentence(organ, year, received, {k: compare.headline_figure(row, k) for k in compare.OUTCOMES},
                                      compare.headline_figure(row, "total_handled"),
                                      previous_if_comparable("requests_received", previous_requests, report_format),
                                      report_format != "narrative", lang),
            narrate.review_sentence(organ, year, compare.headline_figure(row, "reconsideration_total"),
                                    compare.headline_figure(row, "litigation_total"), lang),
        ]
        written = [s for s in sentences if s]
        display(Markdown("\n\n".join(written) if written else t("该年报告未给出主要数字。", "No headline figures stated.")))
        if total.known:
            previous_proactive = (report_format, narrate.YearFigure(year, total))
        if received.known:
            previous_requests = (report_format, narrate.YearFigure(year, received))

# %%
if has_data and years_table["requests_received"].notna().sum() >= 1:
    asked = years_table[years_table["requests_received"].notna()]
    fig = charts.bars_by_year(asked["year"].tolist(), asked["requests_received"].tolist(),
                              t(f"{organ}收到政府信息公开申请数", f"{organ}: requests for government information"),
                              organ, t("件", "requests"),
                              approx=["requests_received" in a for a in asked["approx_metrics"]], lang=lang)
    charts.save_chart(fig, charts_dir, charts.file_slug(organ, "profile-requests-by-year"))
    charts.show(fig)

# %% [markdown]
# ## 存在的问题和改进措施 · Problems and measures

# %%
if has_data:
    side_by_side = compare.problems_measures(organ, db)
    if side_by_side[["problems", "measures"]].map(len).sum().sum() == 0:
        display(Markdown(t("该机关的报告中没有提取到“存在的问题”和“改进措施”。",
                           "No problems or measures were extracted from this organ's reports.")))
    else:
        display(HTML(compare.side_by_side_html(side_by_side, lang)))

# %% [markdown]
# ## 全部数字 · Every figure
#
# Each figure extracted from the organ's current reports (总计 column for table figures); “约” marks
# an approximate figure.

# %%
if has_data:
    every = compare.organ_facts(organ, db)
    if every.empty:
        display(Markdown(t("没有提取到数字。", "No figures extracted.")))
    else:
        display(every)

# %% [markdown]
# ## 数据说明 · About the data

# %%
if has_data:
    flagged = years_table[years_table["failed_checks"].map(len) > 0]
    if not compare.validation_has_run(db):
        display(Markdown(t("校验尚未运行（`ogi validate`），数字未经报告自身合计核对。",
                           "Validation has not run (`ogi validate`): figures are not yet checked against the reports' own totals.")))
    elif flagged.empty:
        display(Markdown(t("该机关各年度报告均通过校验。", "All this organ's reports passed validation.")))
    else:
        display(Markdown(t("未通过校验的年度（数字仅供参考）：", "Years that failed validation (treat with care):")))
        display(compare.display_table(flagged, ["year", "failed_checks"], lang))
