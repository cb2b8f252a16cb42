"""Charts with Chinese labels, in one style, saved as PNG and SVG with stable file names.

The font is registered here and nowhere else: mplfonts ships Noto Sans CJK SC, which
:func:`use_cjk_font` adds to matplotlib's font manager and puts first in ``font.sans-serif``, so
Chinese labels render instead of empty boxes ("Glyph … missing from font"). Every chart carries a
title and a source line ("数据来源：…年度报告，ogi").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # headless: notebooks run under nbclient, tests without a display

import matplotlib.pyplot as plt  # noqa: E402
import mplfonts  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.layout_engine import ConstrainedLayoutEngine  # noqa: E402
from matplotlib.rcsetup import cycler  # noqa: E402

CJK_FONT_FILE = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
# Fallbacks after the CJK font, for Latin text only; the CJK font covers both scripts anyway.
LATIN_FALLBACKS = ["DejaVu Sans"]

# One palette for every chart (colour-blind safe, Okabe–Ito), outcomes always in the same colours.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]
OUTCOME_COLOURS = {
    "granted": "#009E73", "partially_granted": "#56B4E9", "denied": "#D55E00",
    "unable": "#E69F00", "not_processed": "#CC79A7", "other_processing": "#999999",
}
# Wide enough for 13 department names on one axis; exported at 150 dpi for slides and chat.
FIGURE_SIZE = (9.0, 5.0)
PNG_DPI = 150
# Reports on 2019 were the first in the standard tables (2019 trial template); earlier ones are prose.
FORMAT_CHANGE_YEAR = 2019
SOURCE_ZH = "数据来源：{source}政府信息公开工作年度报告，ogi"
SOURCE_EN = "Source: government information disclosure annual reports of {source}; ogi"
# Characters not allowed (or awkward) in file names on common systems; Chinese is kept.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\s]+')

if TYPE_CHECKING:
    import pandas as pd

_font_name: str | None = None


def use_cjk_font() -> str:
    """Register the bundled Noto Sans CJK SC font and make it the default; return its family name."""
    global _font_name
    if _font_name is None:
        font_manager.fontManager.addfont(str(CJK_FONT_FILE))
        _font_name = font_manager.FontProperties(fname=str(CJK_FONT_FILE)).get_name()
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = [_font_name, *LATIN_FALLBACKS]
    plt.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 minus glyph
    plt.rcParams["svg.fonttype"] = "path"  # SVGs look the same without the font installed
    plt.rcParams["axes.spines.top"] = False
    plt.rcParams["axes.spines.right"] = False
    plt.rcParams["axes.grid"] = True
    plt.rcParams["grid.alpha"] = 0.3
    plt.rcParams["axes.prop_cycle"] = cycler(color=PALETTE)
    return _font_name


def source_line(source: str, lang: str = "zh") -> str:
    return (SOURCE_ZH if lang == "zh" else SOURCE_EN).format(source=source)


def new_chart(title: str, source: str, lang: str = "zh", size: tuple[float, float] = FIGURE_SIZE
              ) -> tuple[Figure, Axes]:
    """A figure with the house style, its title on top and the source line at the bottom."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=size, layout=ConstrainedLayoutEngine(h_pad=0.2))  # h_pad: room for the source
    fig.suptitle(title, fontsize=14, x=0.01, ha="left")
    fig.text(0.01, 0.005, source_line(source, lang), fontsize=8, color="#555555", ha="left", va="bottom")
    return fig, ax


def file_slug(*parts: str) -> str:
    """A stable file name from meaningful parts: ('福建省平潭综合实验区', 'requests-by-year')."""
    cleaned = [_UNSAFE_IN_FILE_NAME.sub("-", p.strip()).strip("-") for p in parts if p and p.strip()]
    return "-".join(c for c in cleaned if c)


def save_chart(fig: Figure, charts_dir: str | Path, slug: str) -> list[Path]:
    """Write the chart as ``<slug>.png`` and ``<slug>.svg`` (title kept in the files' metadata)."""
    out = Path(charts_dir)
    out.mkdir(parents=True, exist_ok=True)
    title = fig.get_suptitle() or slug
    paths = []
    for suffix in ("png", "svg"):
        path = out / f"{slug}.{suffix}"
        fig.savefig(path, dpi=PNG_DPI, metadata={"Title": title})
        paths.append(path)
    return paths


def show(fig: Figure) -> None:
    """Show a chart in the notebook as the same PNG that is exported, then free it.

    The Agg backend (set above, so the kernel never needs a display) does not hook into IPython's
    rich display, so the PNG is handed over explicitly.
    """
    from io import BytesIO

    from IPython.display import Image, display

    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI)
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png"))


def label_bars(ax: Axes, bars, values: Sequence[float | None], approx: Sequence[bool] | None = None,
               lang: str = "zh") -> None:
    """Write each bar's value above it ('约' / '~' before an approximate one)."""
    for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
        if value is None or value != value:
            continue
        mark = ("约" if lang == "zh" else "~") if approx is not None and approx[i] else ""
        text = f"{mark}{int(value)}" if float(value).is_integer() else f"{mark}{value:.1f}"
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                    fontsize=8, xytext=(0, 2), textcoords="offset points")


def mark_format_change(ax: Axes, years: Sequence[int], lang: str = "zh",
                       change_year: int = FORMAT_CHANGE_YEAR) -> None:
    """A dashed line before 2019 where the report format changed (prose → standard tables).

    The x axis holds the years themselves, so the line sits at 2018.5 and a year without a report
    shows as a gap rather than being closed up.
    """
    if not (any(y < change_year for y in years) and any(y >= change_year for y in years)):
        return
    x = change_year - 0.5
    ax.axvline(x, color="#555555", linestyle="--", linewidth=1)
    ax.annotate("2019年起统一表格格式" if lang == "zh" else "standard tables from 2019", (x, 1.0),
                xycoords=("data", "axes fraction"), xytext=(4, -4), textcoords="offset points",
                fontsize=8, color="#555555", va="top")


def _year_axis(ax: Axes, years: Sequence[int], lang: str) -> None:
    ax.set_xticks(list(years), [str(y) for y in years])
    ax.set_xlabel("年度" if lang == "zh" else "year")
    ax.grid(axis="x", visible=False)


# ------------------------------------------------------------------------------------ chart builders


def bars_by_year(years: Sequence[int], values: Sequence[float | None], title: str, source: str,
                 ylabel: str, approx: Sequence[bool] | None = None, lang: str = "zh",
                 mark_change: bool = True) -> Figure:
    """One figure over years (a year without a report is a gap), the 2019 format change marked."""
    fig, ax = new_chart(title, source, lang)
    heights = [0.0 if v is None or v != v else float(v) for v in values]
    bars = ax.bar(list(years), heights, color=PALETTE[0])
    label_bars(ax, bars, values, approx, lang)
    ax.set_ylabel(ylabel)
    _year_axis(ax, years, lang)
    if mark_change:
        mark_format_change(ax, list(years), lang)
    return fig


def grouped_bars_by_year(years: Sequence[int], series: dict[str, Sequence[float | None]], title: str,
                         source: str, ylabel: str, lang: str = "zh") -> Figure:
    """Several figures side by side per year (e.g. reconsideration and litigation cases)."""
    fig, ax = new_chart(title, source, lang)
    n = max(len(series), 1)
    width = 0.8 / n
    for i, (name, values) in enumerate(series.items()):
        xs = [year + (i - (n - 1) / 2) * width for year in years]
        heights = [0.0 if v is None or v != v else float(v) for v in values]
        bars = ax.bar(xs, heights, width=width, label=name, color=PALETTE[i % len(PALETTE)])
        label_bars(ax, bars, values, None, lang)
    ax.set_ylabel(ylabel)
    _year_axis(ax, years, lang)
    ax.legend(frameon=False)
    mark_format_change(ax, list(years), lang)
    return fig


def outcome_mix(categories: Sequence[str], outcomes: dict[str, Sequence[float | None]],
                outcome_labels: dict[str, str], title: str, source: str, lang: str = "zh",
                horizontal: bool = False) -> Figure:
    """Stacked bars of request outcomes (counts) per year or department, one colour per outcome."""
    size = (FIGURE_SIZE[0], max(FIGURE_SIZE[1], 0.42 * len(categories) + 1.5)) if horizontal else FIGURE_SIZE
    fig, ax = new_chart(title, source, lang, size=size)
    by_year = not horizontal and all(str(c).isdigit() for c in categories)
    # years stand at their own position (a year without a report is a gap); departments one after another
    positions = [int(c) for c in categories] if by_year else list(range(len(categories)))
    base = [0.0] * len(categories)
    for key, values in outcomes.items():
        heights = [0.0 if v is None or v != v else float(v) for v in values]
        if horizontal:
            ax.barh(positions, heights, left=base, label=outcome_labels.get(key, key),
                    color=OUTCOME_COLOURS.get(key))
        else:
            ax.bar(positions, heights, bottom=base, label=outcome_labels.get(key, key),
                   color=OUTCOME_COLOURS.get(key))
        base = [b + h for b, h in zip(base, heights, strict=True)]
    for pos, total in zip(positions, base, strict=True):
        if total:
            xy = (total, pos) if horizontal else (pos, total)
            ax.annotate(f"{int(total) if float(total).is_integer() else total}", xy,
                        xytext=(3, 0) if horizontal else (0, 2), textcoords="offset points",
                        ha="left" if horizontal else "center", va="center" if horizontal else "bottom", fontsize=8)
    unit = "件" if lang == "zh" else "requests"
    if horizontal:
        ax.set_yticks(positions, list(categories))
        ax.invert_yaxis()
        ax.set_xlabel(unit)
        ax.grid(axis="y", visible=False)
    else:
        ax.set_xticks(positions, list(categories))
        ax.set_ylabel(unit)
        ax.grid(axis="x", visible=False)
        if by_year:
            mark_format_change(ax, positions, lang)
    ax.legend(frameon=False, ncols=3, fontsize=8, loc="lower right" if horizontal else "upper left")
    return fig


def rates_chart(names: Sequence[str], rates: dict[str, Sequence[float | None]], small_base: Sequence[bool],
                title: str, source: str, lang: str = "zh", min_base: int = 10) -> Figure:
    """Horizontal bars of rates (%) per department; small bases greyed and marked as not ranked."""
    size = (FIGURE_SIZE[0], max(FIGURE_SIZE[1], 0.42 * len(names) + 1.5))
    fig, ax = new_chart(title, source, lang, size=size)
    n = max(len(rates), 1)
    height = 0.8 / n
    for i, (label, values) in enumerate(rates.items()):
        ys = [j + (i - (n - 1) / 2) * height for j in range(len(names))]
        widths = [0.0 if v is None or v != v else float(v) for v in values]
        colours = ["#BBBBBB" if small else PALETTE[(i + 3) % len(PALETTE)] for small in small_base]
        ax.barh(ys, widths, height=height, color=colours, label=label, hatch=["", "//"][i % 2],
                edgecolor="white")
        for y, v, small in zip(ys, values, small_base, strict=True):
            if v is not None and v == v:
                ax.annotate(f"{v:.0f}%" + ("*" if small else ""), (float(v), y), xytext=(3, 0),
                            textcoords="offset points", va="center", fontsize=7)
    ax.set_yticks(range(len(names)), list(names))
    ax.invert_yaxis()
    ax.set_xlabel("%")
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    note = (f"* 灰色：办结不足{min_base}件，比率受个别申请影响大，不作排名" if lang == "zh"
            else f"* grey: fewer than {min_base} handled; rates swing with one case and are not ranked")
    ax.set_title(note, fontsize=8, loc="left", color="#555555")
    return fig


def coverage_chart(coverage: pd.DataFrame, title: str, source: str, lang: str = "zh") -> Figure:
    """Reports per year, stacked by level (the coverage table of marts.current_reports)."""
    fig, ax = new_chart(title, source, lang)
    years = [str(y) for y in coverage.index]
    base = [0.0] * len(years)
    for i, level in enumerate(coverage.columns):
        heights = [float(v) for v in coverage[level]]
        ax.bar(years, heights, bottom=base, label=str(level), color=PALETTE[i % len(PALETTE)])
        base = [b + h for b, h in zip(base, heights, strict=True)]
    ax.set_ylabel("报告数" if lang == "zh" else "reports")
    ax.set_xlabel("年度" if lang == "zh" else "year")
    ax.grid(axis="x", visible=False)
    ax.legend(frameon=False, fontsize=8)
    return fig
