"""Charts render Chinese with the bundled Noto Sans CJK SC font: no missing glyphs, title and source line."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from pipelines.analysis import charts

CHINESE_TITLE = "平潭综合实验区管委会收到政府信息公开申请数"


def _render(fig) -> list[str]:  # type: ignore[no-untyped-def]
    """Draw the figure to PNG bytes; return the warnings matplotlib raised while drawing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught]


def test_cjk_font_is_registered_and_used() -> None:
    name = charts.use_cjk_font()
    assert plt.rcParams["font.sans-serif"][0] == name
    used = font_manager.findfont(font_manager.FontProperties(family=plt.rcParams["font.family"]))
    assert Path(used).name == charts.CJK_FONT_FILE.name


def test_chinese_chart_has_no_missing_glyphs(tmp_path: Path) -> None:
    fig = charts.bars_by_year([2017, 2019, 2020], [0, 23, 21], CHINESE_TITLE, "平潭综合实验区管委会", "件",
                              approx=[False, False, True])
    messages = _render(fig)
    assert not [m for m in messages if "missing from font" in m], messages
    texts = [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]
    assert CHINESE_TITLE in texts
    assert "数据来源：平潭综合实验区管委会政府信息公开工作年度报告，ogi" in texts
    assert "约21" in texts  # approximate value marked on its bar
    written = charts.save_chart(fig, tmp_path, charts.file_slug("福建省平潭综合实验区", "requests-by-year"))
    assert [p.name for p in written] == ["福建省平潭综合实验区-requests-by-year.png",
                                         "福建省平潭综合实验区-requests-by-year.svg"]
    assert all(p.stat().st_size > 1000 for p in written)
    plt.close(fig)


def test_without_the_cjk_font_the_glyph_check_fails() -> None:
    """The check above can fail: with a Latin-only font matplotlib warns about every hanzi."""
    with plt.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title(CHINESE_TITLE)
        messages = _render(fig)
        plt.close(fig)
    assert any("missing from font" in m for m in messages)


@pytest.mark.parametrize(("parts", "slug"), [
    (("福建省平潭综合实验区", "2021", "rates-by-department"), "福建省平潭综合实验区-2021-rates-by-department"),
    (("平潭县 / 平潭综合实验区", "requests"), "平潭县-平潭综合实验区-requests"),
    (("", "quality-coverage-by-year"), "quality-coverage-by-year"),
])
def test_file_slug_keeps_chinese_and_drops_unsafe_characters(parts: tuple[str, ...], slug: str) -> None:
    assert charts.file_slug(*parts) == slug
