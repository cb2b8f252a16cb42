"""The shape every reader of a standard table hands to the extractors: printed rows of cells.

A row comes from a table grid (cells known) or from flattened text (a run of cell text that may
still need splitting). Labels and cell texts are kept both normalised and as printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PrintedCell:
    text: str  # normalised (Simplified, half-width)
    raw: str  # as printed
    slot: int = -1  # grid column of the cell's first slot (-1 for text)


@dataclass
class PrintedRow:
    label: str  # normalised label text (the most specific label cell for a grid row)
    raw_label: str  # the row's label cells as printed, joined by a space
    cells: list[PrintedCell] = field(default_factory=list)
    run: str | None = None  # flattened text: the cell text still to split (normalised)
    raw_run: str | None = None
    key: str | None = None
    label_cells: list[str] = field(default_factory=list)  # grid: every distinct label cell (normalised)
    start: int = -1  # flattened text: where the row's label starts and its cells end in doc.text
    end: int = -1

    @property
    def evidence(self) -> str:
        if self.run is not None:
            return f"{self.raw_label} {self.raw_run or ''}".strip()
        return " | ".join([self.raw_label] + [c.raw for c in self.cells])
