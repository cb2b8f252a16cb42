"""The expectation suites: versioned JSON files in ``expectations/``, one per kind of check.

A suite file is Great Expectations' own suite JSON (``name``, ``expectations`` with ``type``,
``kwargs``, ``severity`` and ``meta``) plus two keys of ours in its ``meta``:

- ``frame``: what the suite is validated on: ``checks`` (the unit rows of the SQL check views its
  expectations name) or ``reports`` (marts.current_reports, one row per report);
- ``settings``: tunable thresholds the check views read (main.validation_settings), e.g. the
  year-on-year jump factor.

Every expectation says in ``meta.why`` why it exists (shown in Data Docs as its notes, with the
suite's ``meta.outcomes``); one over check rows names its check in ``meta.check`` (the view
``marts.check_<check>``) and reads the column of that name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.config import EXPECTATIONS_DIR

FRAME_CHECKS = "checks"
FRAME_REPORTS = "reports"
FRAMES = (FRAME_CHECKS, FRAME_REPORTS)

# GE's severities and ours: a failing "critical" expectation fails the run, a "warning" only with
# --fail-on-warning.
SEVERITY_ERROR = "error"
SEVERITY_WARNING = "warning"
GE_SEVERITY = {"critical": SEVERITY_ERROR, "warning": SEVERITY_WARNING}

# Outcomes of a check unit that do not make an expectation fail: the identity holds, cannot be
# judged (a blank cell, absent figures), or an analyst reviewed the fail (data/reviews.csv).
ACCEPTED_OUTCOMES = ("pass", "uncertain", "not_assessable", "confirmed", "dismissed")

_CHECK_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class SuiteFileError(ValueError):
    """A suite file that cannot be used, named with the reason."""


@dataclass(frozen=True)
class CheckSpec:
    """One expectation over check rows: the check it reads and how bad its failure is."""

    check: str
    suite: str
    severity: str

    @property
    def view(self) -> str:
        return f"marts.check_{self.check}"


@dataclass
class SuiteSpec:
    name: str
    frame: str
    path: Path
    document: dict[str, Any]
    settings: dict[str, float] = field(default_factory=dict)

    @property
    def expectations(self) -> list[dict[str, Any]]:
        return self.document["expectations"]

    @property
    def checks(self) -> list[CheckSpec]:
        return [
            CheckSpec(e["meta"]["check"], self.name, severity_of(e))
            for e in self.expectations
            if "check" in e.get("meta", {})
        ]


def severity_of(expectation: dict[str, Any]) -> str:
    return GE_SEVERITY[expectation.get("severity", "critical")]


def load_suite(path: Path) -> SuiteSpec:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SuiteFileError(f"{path}: not a readable suite file ({exc})") from exc
    meta = doc.get("meta", {})
    frame = meta.get("frame")
    if frame not in FRAMES:
        raise SuiteFileError(f"{path}: meta.frame must be one of {', '.join(FRAMES)}, not {frame!r}")
    for i, e in enumerate(doc.get("expectations", [])):
        where = f"{path}: expectation {i} ({e.get('type')})"
        if not e.get("meta", {}).get("why"):
            raise SuiteFileError(f"{where}: meta.why must say why the expectation exists")
        if e.get("severity", "critical") not in GE_SEVERITY:
            raise SuiteFileError(f"{where}: severity must be critical or warning")
        check = e.get("meta", {}).get("check")
        if frame == FRAME_CHECKS and not (isinstance(check, str) and _CHECK_NAME.match(check)):
            raise SuiteFileError(f"{where}: meta.check must name a check view (lower-case key)")
        if check is not None and e.get("kwargs", {}).get("column") != check:
            raise SuiteFileError(
                f"{where}: an expectation over check rows reads the column named after its check"
            )
        if check is not None and sorted(e["kwargs"].get("value_set") or []) != sorted(ACCEPTED_OUTCOMES):
            # a 'fail' let through here would silence the check
            raise SuiteFileError(f"{where}: the outcomes accepted are exactly {', '.join(ACCEPTED_OUTCOMES)}")
        # GE renders an expectation's notes in Data Docs: the reason, then what its outcomes mean
        e["notes"] = [e["meta"]["why"]] + ([meta["outcomes"]] if "outcomes" in meta and check else [])
    settings = {str(k): float(v) for k, v in meta.get("settings", {}).items()}
    return SuiteSpec(name=doc["name"], frame=frame, path=path, document=doc, settings=settings)


def load_suites(directory: Path = EXPECTATIONS_DIR) -> list[SuiteSpec]:
    """Every ``*.json`` suite of ``directory``, in file-name order."""
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise SuiteFileError(f"{directory}: no expectation suites (*.json) here")
    suites = [load_suite(p) for p in paths]
    seen: dict[str, Path] = {}
    for s in suites:
        for c in s.checks:
            if c.check in seen:
                raise SuiteFileError(f"{s.path}: check {c.check} is already expected in {seen[c.check]}")
            seen[c.check] = s.path
    return suites
