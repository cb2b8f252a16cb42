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
# # 部门比较 · Comparing departments
#
# All departments of one region in one year: requests per department, the denial and "not held"
# rates, a ranking, and the region's own report beside them. Rates of departments that handled only
# a few requests are shown but not ranked.

# %%
from IPython.display import Markdown, display

from pipelines import config
from pipelines.analysis import charts, compare, narrate

# %% tags=["parameters"]
db = str(config.WAREHOUSE_PATH)  # the warehouse to read
charts_dir = str(config.EXPORTS_DIR / "charts")  # where PNG and SVG charts are written
region = None  # region whose departments are compared; None = the region and year with most departments
year = None  # report year; None = the year with most department reports of the region
lang = "zh"  # language of the written comparisons: zh or en


# %%
def t(zh: str, en: str) -> str:
    return zh if lang == "zh" else en


charts.use_cjk_font()
if region is None or year is None:
    chosen = compare.default_department_set(db)
    if chosen is not None and region is None:
        region, year = chosen
    elif chosen is not None and year is None:
        frame = compare.report_figures(db)
        years = frame[(frame["region"] == region) & (frame["level"] == "department")]["year"]
        year = int(years.value_counts().index[0]) if not years.empty else None
table = compare.departments(region, int(year), db) if region and year else None
depts = table[~table["is_region_report"]] if table is not None else None
has_data = depts is not None and not depts.empty
if has_data:
    display(Markdown(f"## {region} · {year}"))
else:
    display(Markdown(t("**仓库中没有可比较的部门报告。**", "**No department reports to compare in the warehouse.**")))

# %% [markdown]
# ## 各部门申请数和比率 · Requests and rates per department

# %%
if has_data:
    extra = {"organ": ("部门", "department"), "denial_rate": ("不予公开率%", "denial rate %"),
             "not_held_rate": ("本机关不掌握比例%", "not held %"),
             "small_base": (f"办结不足{narrate.MIN_REQUESTS_FOR_RATE}件", f"under {narrate.MIN_REQUESTS_FOR_RATE} handled")}
    shown = compare.display_table(
        table, ["rank", "organ", "requests_received", "total_handled", "granted", "partially_granted", "denied",
                "unable_not_held", "denial_rate", "not_held_rate", "small_base"], lang, extra)
    display(shown)
    own = table[table["is_region_report"]]
    if not own.empty:
        own_row = own.iloc[0]
        own_received = compare.headline_figure(own_row, "requests_received")
        own_text = narrate.format_number(own_received.value, lang) if own_received.known else t("未给出", "not stated")
        dept_sum = narrate.format_number(depts["requests_received"].sum(), lang)
        display(Markdown(t(
            f"表末一行为{own_row['organ']}本级报告（不参与排名）：新收申请{own_text}件；{len(depts)}个部门报告合计{dept_sum}件。"
            "两者统计范围不同（本级报告可能只含本级机关，也可能汇总全区），此处不相减、不相除。",
            f"The last row is {own_row['organ']}'s own report (not ranked): {own_text} requests; the {len(depts)} "
            f"departments' reports add up to {dept_sum}. Their scopes differ, so they are not subtracted or divided.")))

# %%
if has_data:
    rows = [narrate.DepartmentRequests(
        r["organ"], compare.headline_figure(r, "requests_received"), compare.headline_figure(r, "total_handled"),
        compare.headline_figure(r, "denied"), compare.headline_figure(r, "unable_not_held"))
        for _, r in depts.iterrows()]
    display(Markdown(narrate.departments_sentence(region, int(year), rows, lang)))

# %% [markdown]
# ## 图表 · Charts

# %%
if has_data:
    slug_base = charts.file_slug(region, str(year))
    source = t(f"{region}各部门{year}年", f"the departments of {region}, {year}")
    fig = charts.outcome_mix(
        depts["organ"].tolist(), {k: depts[k].tolist() for k in compare.OUTCOMES},
        {k: compare.label(k, lang) for k in compare.OUTCOMES},
        t(f"{region}各部门{year}年依申请公开办理结果", f"{region}, {year}: outcomes of requests by department"),
        source, lang, horizontal=True)
    charts.save_chart(fig, charts_dir, charts.file_slug(slug_base, "requests-by-department"))
    charts.show(fig)

# %%
if has_data:
    rated = depts[depts["total_handled"] > 0]
    if rated.empty:
        display(Markdown(t("没有部门办结申请，无法计算比率。", "No department handled a request: no rates.")))
    else:
        fig = charts.rates_chart(
            rated["organ"].tolist(),
            {t("不予公开率", "denied"): rated["denial_rate"].tolist(),
             t("本机关不掌握比例", "not held"): rated["not_held_rate"].tolist()},
            rated["small_base"].tolist(),
            t(f"{region}各部门{year}年不予公开率和“本机关不掌握”比例", f"{region}, {year}: denial and not-held rates"),
            source, lang, narrate.MIN_REQUESTS_FOR_RATE)
        charts.save_chart(fig, charts_dir, charts.file_slug(slug_base, "rates-by-department"))
        charts.show(fig)

# %% [markdown]
# ## 数据说明 · About the data

# %%
if has_data:
    flagged = table[table["failed_checks"].map(len) > 0]
    if not compare.validation_has_run(db):
        display(Markdown(t("校验尚未运行（`ogi validate`），数字未经报告自身合计核对。",
                           "Validation has not run (`ogi validate`): figures are not yet checked against the reports' own totals.")))
    elif flagged.empty:
        display(Markdown(t("以上报告均通过校验。", "All these reports passed validation.")))
    else:
        display(Markdown(t("未通过校验的报告（数字仅供参考）：", "Reports that failed validation (treat with care):")))
        display(compare.display_table(flagged, ["organ", "failed_checks"], lang))
    display(Markdown(t(f"比率 = 该项件数 ÷ 办理总数（表3“（七）总计”）。办结不足{narrate.MIN_REQUESTS_FOR_RATE}件的部门，一件申请就会使比率变化10个百分点以上，因此不作排名；“—”表示报告未给出或无法计算。",
                       f"Rate = count ÷ total handled (table 3 row 七). Departments that handled fewer than {narrate.MIN_REQUESTS_FOR_RATE} "
                       "requests move 10 points or more with one request, so they are not ranked; “—”: not stated or not computable.")))
