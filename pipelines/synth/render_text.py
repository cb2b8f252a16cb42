"""Flattened text renderings: what crawlers, PDF-to-text and copy-paste make of a report.

Tables become pipe rows, space-separated cells, or a label line followed by one number per line.
Cells spanned over several rows print once, on their first row, as an HTML-to-text pass does.
"""

from __future__ import annotations

from pipelines.synth.layout import TEXT_LINES, TEXT_PIPE, TEXT_SPACES, Layout
from pipelines.synth.prose import STATISTICS_TABLE, ReportText
from pipelines.synth.tables import Grid

CRAWLER_RULE = "==================== 正文 ===================="


def _pipe_rows(grid: Grid, fill: bool) -> list[str]:
    lines = []
    for row in grid:
        cells: list[str] = []
        for cell in row:
            cells.append(cell.text)
            if fill and not cell.is_value:
                cells.extend([""] * (cell.colspan - 1))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _space_rows(grid: Grid) -> list[str]:
    lines = []
    for row in grid:
        labels = " ".join(c.text for c in row if not c.is_value)
        values = " ".join(c.text for c in row if c.is_value)
        lines.append(" ".join(x for x in (labels, values) if x))
    return lines


def _line_rows(grid: Grid) -> list[str]:
    lines = []
    for row in grid:
        for c in row:
            lines.append(c.text)
    return lines


def render_table_text(grid: Grid, layout: Layout) -> list[str]:
    if layout.text_style == TEXT_PIPE:
        return _pipe_rows(grid, layout.pipe_fill)
    if layout.text_style == TEXT_SPACES:
        return _space_rows(grid)
    if layout.text_style == TEXT_LINES:
        return _line_rows(grid)
    raise ValueError(f"unknown text style {layout.text_style!r}")


def render_text(report: ReportText, layout: Layout) -> bytes:
    """The report as a text file; tables flattened in the layout's style."""
    lines: list[str] = []
    if layout.crawler_header:
        lines += [f"标题: {report.title}", f"发布时间: {report.published} 00:00", "文号: ",
                  f"发布机构: {report.publisher}", "栏目: 政府信息公开年报", CRAWLER_RULE]
    for block in report.blocks:
        if block.kind == "table":
            for grid in block.grids:
                if block.table == STATISTICS_TABLE and layout.glued_statistics_table:
                    lines.append("".join(c.text for row in grid for c in row))
                else:
                    lines += render_table_text(grid, layout)
        elif block.kind == "signature":
            lines += block.pieces
        else:
            lines.append(block.text)
    return ("\n".join(lines) + "\n").encode(layout.encoding)
