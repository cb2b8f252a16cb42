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
# # 数据质量 · Checking quality
#
# What failed validation and where, what the extractors warned about, which files were refused
# (quarantine), and what is missing: reports by year and level, and reports without a headline figure.

# %%
from IPython.display import Markdown, display

from pipelines import config
from pipelines.analysis import charts, compare

# %% tags=["parameters"]
db = str(config.WAREHOUSE_PATH)  # the warehouse to read
charts_dir = str(config.EXPORTS_DIR / "charts")  # where PNG and SVG charts are written
lang = "zh"  # language of the text: zh or en


# %%
def t(zh: str, en: str) -> str:
    return zh if lang == "zh" else en


charts.use_cjk_font()
figures = compare.report_figures(db)
display(Markdown(t(f"仓库：{len(figures)}份当前报告。", f"Warehouse: {len(figures)} current reports.")))

# %% [markdown]
# ## 校验结果 · Validation

# %%
if not compare.validation_has_run(db):
    display(Markdown(t("**校验尚未运行**（`ogi validate`）：下面只列出覆盖情况、提取警告和隔离文件。",
                       "**Validation has not run** (`ogi validate`): shown below are coverage, extraction "
                       "warnings and quarantine only.")))
else:
    per_report = compare.quality(db)
    flagged = per_report[per_report["flagged"]]
    display(Markdown(t(f"最近一次校验：{len(per_report)}份报告中{len(flagged)}份未通过。",
                       f"Latest validation: {len(flagged)} of {len(per_report)} reports fail a check.")))
    if not flagged.empty:
        display(compare.plain_table(flagged[["organ", "year", "format", "n_fail", "n_warn", "worst_state",
                                             "failed_checks", "confirmed_checks"]]))
        failures = compare.failed_check_results(db)
        by_check = failures.groupby(["severity", "check_name"]).size().rename(t("报告数", "reports")).reset_index()
        display(compare.plain_table(by_check))
        display(Markdown(t("### 未通过的检查明细", "### Failing checks in detail")))
        display(compare.plain_table(failures))

# %% [markdown]
# ## 覆盖情况 · Coverage by year and level

# %%
cover = compare.coverage(db)
if cover.empty:
    display(Markdown(t("仓库中还没有报告。", "No reports in the warehouse yet.")))
else:
    cover = cover.rename(columns={c: compare.label(c, lang) for c in cover.columns})
    display(cover)
    fig = charts.coverage_chart(cover, t("各年度、各层级的年度报告数", "Reports by year and level"),
                                t("ogi 仓库中各机关的", "the organs in the ogi warehouse"), lang)
    charts.save_chart(fig, charts_dir, "quality-coverage-by-year")
    charts.show(fig)

# %%
missing = compare.missing_core(db)
if missing.empty:
    display(Markdown(t("每份报告都有机关、地区、年度和主要数字。", "Every report has its organ, region, year and headline figures.")))
else:
    display(Markdown(t(f"**{len(missing)}份报告缺少元数据或主要数字**（True 表示缺少）：",
                       f"**{len(missing)} reports lack metadata or a headline figure** (True = missing):")))
    display(compare.plain_table(missing))

# %% [markdown]
# ## 提取警告 · Extraction warnings

# %%
warnings = compare.extraction_warnings(db)
if warnings.empty:
    display(Markdown(t("没有提取警告。", "No extraction warnings.")))
else:
    display(warnings.groupby("code").size().rename(t("警告数", "warnings")).sort_values(ascending=False).to_frame())
    display(compare.plain_table(warnings))

# %% [markdown]
# ## 隔离的文件 · Quarantine

# %%
refused = compare.quarantine(db)
if refused.empty:
    display(Markdown(t("没有被隔离的文件。", "No file is in quarantine.")))
else:
    display(Markdown(t(f"**{len(refused)}个文件被隔离**（未入库），按阶段和原因：",
                       f"**{len(refused)} files are in quarantine** (not loaded), by stage and reason:")))
    display(refused.groupby(["stage", "reason"]).size().rename(t("文件数", "files")).to_frame())
    display(compare.plain_table(refused))
