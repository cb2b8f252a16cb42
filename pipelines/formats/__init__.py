"""Readers for the ways reports are published: HTML, DOCX and PDF (plain text needs none).

Each reader turns bytes into text as printed (tables rendered as ``| a | b |`` rows) plus the tables
as grids; normalisation (script, width) happens afterwards in :mod:`pipelines.normalise`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawTable:
    """A table grid as printed, spans expanded; ``owners`` gives the (row, col) of each slot's cell."""

    rows: list[list[str]]
    owners: list[list[tuple[int, int]]] = field(default_factory=list)


@dataclass
class Rendered:
    """What a format reader returns: the text as printed and the tables found in it."""

    text: str
    tables: list[RawTable] = field(default_factory=list)
    title: str = ""


def render_table_rows(rows: list[list[str]]) -> str:
    """Render a grid as pipe rows, one line per table row, as a flattened table would read."""
    lines = []
    for row in rows:
        cells = [" ".join(c.split()) for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
