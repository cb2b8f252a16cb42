"""Analyst reviews: ``data/reviews.csv``, checked in, so decisions survive re-runs.

One line per decision on a (report, check), optionally narrowed to one ``metric`` of the check's
units (a table 3 row, a channel): the report by ``report_id`` (one version) or by ``organ`` +
``year`` as identified (any version of that report, so a re-published file keeps its review).
``decision`` is ``confirmed`` (a real error, usually the publisher's: the report stays flagged but
no longer fails the run) or ``dismissed`` (a false alarm: neither flagged nor failing). ``reason``,
``who`` and ``when`` say why, by whom, when.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

REVIEW_COLUMNS = ("report_id", "organ", "year", "check", "metric", "decision", "reason", "who", "when")
DECISIONS = ("confirmed", "dismissed")


class ReviewFileError(ValueError):
    """A reviews file line that cannot be used, named by file and line."""


def load_reviews(path: Path, known_checks: set[str] | None = None) -> pd.DataFrame:
    """The reviews as a frame shaped like main.reviews (empty when the file does not exist)."""
    columns = [
        "report_id",
        "organ",
        "year",
        "check_name",
        "metric",
        "decision",
        "reason",
        "reviewer",
        "reviewed_on",
    ]
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in REVIEW_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ReviewFileError(
                f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(REVIEW_COLUMNS)}"
            )
        for line_no, r in enumerate(reader, start=2):
            where = f"{path}:{line_no}"
            report_id = (r["report_id"] or "").strip() or None
            organ = (r["organ"] or "").strip() or None
            year_text = (r["year"] or "").strip()
            if report_id is None and (organ is None or not year_text):
                raise ReviewFileError(f"{where}: name the report by report_id, or by organ and year")
            try:
                year = int(year_text) if year_text else None
            except ValueError as exc:
                raise ReviewFileError(f"{where}: year {year_text!r} is not a year") from exc
            decision = (r["decision"] or "").strip()
            if decision not in DECISIONS:
                raise ReviewFileError(
                    f"{where}: decision must be one of {', '.join(DECISIONS)}, not {decision!r}"
                )
            check = (r["check"] or "").strip()
            if known_checks is not None and check not in known_checks:
                raise ReviewFileError(
                    f"{where}: no check named {check!r} (known: {', '.join(sorted(known_checks))})"
                )
            if not (r["reason"] or "").strip():
                raise ReviewFileError(f"{where}: a review says why (reason)")
            rows.append(
                [
                    report_id,
                    organ,
                    year,
                    check,
                    (r["metric"] or "").strip() or None,
                    decision,
                    r["reason"].strip(),
                    (r["who"] or "").strip() or None,
                    (r["when"] or "").strip() or None,
                ]
            )
    frame = pd.DataFrame(rows, columns=columns)
    frame["year"] = frame["year"].astype("Int32")
    return frame
