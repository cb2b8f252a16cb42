"""The metric vocabulary as data: ``pipelines/reference/metrics.csv`` and ``applicants.csv``.

The CSVs follow ``pipelines/reference/vocabulary.md`` (the project's copy of the shared spec). Keys of
shares (``<metric>_share``), channels and descriptive narrative figures follow the patterns the spec
allows; :func:`is_known_metric` accepts those patterns too.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass

from pipelines.config import REFERENCE_DIR


@dataclass(frozen=True)
class Metric:
    key: str
    table: int | None
    group: str
    label_zh: str
    unit: str
    formats: tuple[str, ...]
    core: bool


@functools.cache
def metrics() -> dict[str, Metric]:
    with open(REFERENCE_DIR / "metrics.csv", encoding="utf-8") as f:
        return {
            r["metric"]: Metric(
                key=r["metric"], table=int(r["table"]) if r["table"] else None, group=r["group"],
                label_zh=r["label_zh"], unit=r["unit"], formats=tuple(r["formats"].split(";")),
                core=r["core"] == "1",
            )
            for r in csv.DictReader(f)
        }


@functools.cache
def applicants() -> tuple[str, ...]:
    with open(REFERENCE_DIR / "applicants.csv", encoding="utf-8") as f:
        return tuple(r["applicant"] for r in csv.DictReader(f))


def table_metrics(table: int) -> list[str]:
    return [m.key for m in metrics().values() if m.table == table]


def core_metrics() -> list[str]:
    return [m.key for m in metrics().values() if m.core]


# Descriptive keys for figures outside the core list: lower-case words joined by underscores.
_PLAIN_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def is_known_metric(key: str) -> bool:
    """A vocabulary key, a share of one, or a plain descriptive key in the vocabulary's style."""
    if key in metrics():
        return True
    if key.endswith("_share") and key[: -len("_share")] in metrics():
        return True
    return bool(_PLAIN_KEY.match(key))
