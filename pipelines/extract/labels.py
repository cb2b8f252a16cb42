"""Row and column labels of the standard tables, read from ``pipelines/reference/table_labels.csv``.

A label as printed is folded (whitespace, quotes and numbering removed) and matched against the
patterns of the CSV in file order, so a new wording is a one-line data change, not a new ``if``.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass

from pipelines.config import REFERENCE_DIR

LABELS_CSV = REFERENCE_DIR / "table_labels.csv"

# Characters a label may carry that say nothing about which row it is.
_NOISE = re.compile(r"[\s\u3000“”\"'‘’「」]+")
# Leading numbering: 一、 (一) （一） 1. 1、 1． — possibly several (三、本年度办理结果 （一）…).
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d{1,2}\s*[.、．](?!\d))")

# The row order of table 3 in both formats; other_processing is the 2019 trial's single row, the
# three other_* rows after it are the 2021 split of it.
TABLE3_ROWS = (
    "new_received", "carried_over", "granted", "partially_granted",
    "denied_state_secret", "denied_law_forbidden", "denied_three_safety_one_stability",
    "denied_third_party_rights", "denied_internal_affairs", "denied_process_info",
    "denied_enforcement_case", "denied_enforcement_query",
    "unable_not_held", "unable_needs_creation", "unable_unclear_after_correction",
    "not_processed_petition_complaint", "not_processed_repeated", "not_processed_publication",
    "not_processed_bulk_unreasonable", "not_processed_confirm_or_reissue",
    "other_processing", "other_overdue_correction", "other_fee_unpaid", "other_other",
    "total_handled", "carried_forward",
)
OTHER_2021_ROWS = ("other_overdue_correction", "other_fee_unpaid", "other_other")
# Applicant columns in the order the national template prints them.
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
ORG_APPLICANTS = APPLICANTS[1:6]
PROCEEDINGS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
RESULTS = ("upheld", "corrected", "other", "pending", "total")


@dataclass(frozen=True)
class LabelPattern:
    table: int
    kind: str  # row | applicant | item | column | proceeding | result
    key: str
    pattern: re.Pattern[str]


@functools.cache
def label_patterns() -> tuple[LabelPattern, ...]:
    with open(LABELS_CSV, encoding="utf-8") as f:
        return tuple(
            LabelPattern(int(r["table"]), r["kind"], r["key"], re.compile(r["pattern"]))
            for r in csv.DictReader(f)
        )


def patterns_of(table: int, kind: str) -> tuple[LabelPattern, ...]:
    return tuple(p for p in label_patterns() if p.table == table and p.kind == kind)


def fold_label(text: str) -> str:
    """A printed label without whitespace, quotes and leading numbering (Simplified, half-width in)."""
    text = _NOISE.sub("", text).replace("（", "(").replace("）", ")")
    while True:
        stripped = _NUMBERING.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


@functools.lru_cache(maxsize=8192)
def match_label(text: str, table: int, kind: str) -> str | None:
    """The key of a printed label, or None when no pattern of that table and kind matches it."""
    folded = fold_label(text)
    if not folded:
        return None
    for p in patterns_of(table, kind):
        if p.pattern.search(folded):
            return p.key
    return None


def row_pattern(key: str) -> re.Pattern[str]:
    """One regex of all the table-3 row patterns of a key (for searching flattened text)."""
    parts = [p.pattern.pattern for p in patterns_of(3, "row") if p.key == key]
    return re.compile("|".join(f"(?:{x})" for x in parts))
