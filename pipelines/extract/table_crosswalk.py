"""Which standard-table metrics can be compared across the 2019 trial and the 2021 template.

The two formats keep their own metrics (``other_processing`` stays 2019, ``regulations_issued``
stays 2021); ``pipelines/reference/crosswalk.csv`` says which pairs mean the same thing:
``yes`` (same cell), ``sum`` (the 2019 metric equals the sum of the '+'-joined 2021 metrics),
``partial`` (close, compare with care) or ``no`` (a column one format does not have).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from pipelines.config import REFERENCE_DIR

CROSSWALK_CSV = REFERENCE_DIR / "crosswalk.csv"
COMPARABLE = ("yes", "sum", "partial", "no")


@dataclass(frozen=True)
class CrosswalkRow:
    metric_2019: str | None
    metrics_2021: tuple[str, ...]  # one metric, or the parts of a ``sum``
    comparable: str
    note: str

    @property
    def usable(self) -> bool:
        """True where a 2019 figure may stand beside its 2021 counterpart in a comparison."""
        return self.comparable in ("yes", "sum")


@functools.cache
def crosswalk() -> tuple[CrosswalkRow, ...]:
    """The rows of ``crosswalk.csv``, for notebooks comparing years across the format change."""
    with open(CROSSWALK_CSV, encoding="utf-8") as f:
        rows = []
        for r in csv.DictReader(f):
            if r["comparable"] not in COMPARABLE:
                raise ValueError(f"{CROSSWALK_CSV}: comparable must be one of {COMPARABLE}, got {r['comparable']!r}")
            rows.append(CrosswalkRow(
                metric_2019=r["metric_2019"] or None,
                metrics_2021=tuple(m for m in r["metric_2021"].split("+") if m),
                comparable=r["comparable"], note=r["note"],
            ))
        return tuple(rows)


def comparable_metrics() -> dict[str, tuple[str, ...]]:
    """2019 metric → the 2021 metric(s) that measure the same thing (``yes`` and ``sum`` rows)."""
    return {r.metric_2019: r.metrics_2021 for r in crosswalk() if r.usable and r.metric_2019}


def to_2021_terms(values_2019: dict[str, float | int | None]) -> dict[str, float | int | None]:
    """2019 figures under the 2021 metric they match one to one (``yes`` rows only); a ``sum`` row
    has no single 2021 cell to put its figure in, so it is left out."""
    out: dict[str, float | int | None] = {}
    for r in crosswalk():
        if r.comparable == "yes" and r.metric_2019 in values_2019 and len(r.metrics_2021) == 1:
            out[r.metrics_2021[0]] = values_2019[r.metric_2019]  # type: ignore[index]
    return out
