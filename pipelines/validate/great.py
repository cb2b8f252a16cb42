"""Great Expectations over compact pandas frames: one ephemeral context, one pandas data source,
one dataframe asset per suite, the frame passed as batch parameter; Data Docs written as HTML.

GE's SQL data source over duckdb-engine fails here (SQLAlchemy 2.x reflection errors), so the heavy
lifting stays in DuckDB and GE sees only the frames the check views produce.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.validate.docs_offline import make_offline
from pipelines.validate.suites import FRAME_CHECKS, GE_SEVERITY, SEVERITY_ERROR, SuiteSpec

# Columns GE reports for every unexpected row, so a failure names the report, metric and numbers
# (observed: the JSON list of the report's units that did not pass, with expected and observed values).
INDEX_COLUMNS = {
    FRAME_CHECKS: ["report_id", "organ", "year", "metric", "detail", "observed"],
    "reports": ["report_id", "organ", "year", "format"],
}
DOCS_SITE = "ogi"
# What GE's site builder writes below the docs folder (besides index.html, which it rewrites).
DOCS_GENERATED = ("validations", "expectations", "static")


@dataclass
class ExpectationOutcome:
    """One expectation's result over its frame, with the unexpected rows grouped by report."""

    suite: str
    expectation: str
    check: str | None
    severity: str
    success: bool
    element_count: int
    unexpected_count: int
    unexpected_by_report: dict[str, list[dict[str, Any]]]


def _failing_units(row: dict[str, Any]) -> list[dict[str, Any]]:
    """A check row's failing units not yet reviewed (from its observed JSON), each with the report's
    organ and year; a row of another frame as it is."""
    if not isinstance(row.get("observed"), str):
        return [row]
    units = [u for u in json.loads(row["observed"]) if u.get("state") == "fail" and not u.get("review")] or [
        {}
    ]
    return [{"organ": row.get("organ"), "year": row.get("year"), **u} for u in units]


def _quiet_ge() -> None:
    """No usage analytics, no INFO chatter (some GE modules set their logger to INFO on import)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations  # noqa: F401 - the import registers the loggers silenced below

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("great_expectations"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def run_suites(
    suites: Sequence[SuiteSpec],
    frames: dict[str, pd.DataFrame],
    docs_dir: Path | None,
    parameters: dict[str, Any],
) -> list[ExpectationOutcome]:
    """Validate every suite on its frame; write Data Docs under ``docs_dir`` (when given)."""
    _quiet_ge()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
        # Data Docs show the latest validation (history is in validation_results): the pages GE wrote
        # for earlier runs are removed, or a nightly run would pile them up
        for generated in DOCS_GENERATED:
            shutil.rmtree(docs_dir / generated, ignore_errors=True)
        context.add_data_docs_site(
            site_name=DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                # No "how to" tutorial buttons: they link to GE's website, which an offline reader lacks.
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "show_how_to_buttons": False},
            },
        )
    source = context.data_sources.add_pandas(name="ogi_warehouse")
    outcomes: list[ExpectationOutcome] = []
    for spec in suites:
        asset = source.add_dataframe_asset(name=spec.name)
        batch_definition = asset.add_batch_definition_whole_dataframe(f"{spec.name}_frame")
        suite = context.suites.add(
            gx.ExpectationSuite(
                name=spec.name, expectations=spec.expectations, meta=spec.document.get("meta", {})
            )
        )
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
        )
        result = validation.run(
            batch_parameters={"dataframe": frames[spec.name]},
            expectation_parameters=parameters,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": INDEX_COLUMNS[spec.frame],
                "return_unexpected_index_query": False,
            },
        )
        for r in result.results:
            config = r.expectation_config
            if config is None:  # GE attaches the configuration to every result it returns
                continue
            check = (config.meta or {}).get("check")
            severity = GE_SEVERITY.get(
                str(getattr(config.severity, "value", config.severity)), SEVERITY_ERROR
            )
            column = config.kwargs.get("column") or ",".join(config.kwargs.get("column_list", []) or [])
            by_report: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in (r.result or {}).get("unexpected_index_list") or []:
                if isinstance(row, dict):
                    clean = {k: _clean(v) for k, v in row.items()}
                    by_report[str(clean.get("report_id"))].extend(_failing_units(clean))
            outcomes.append(
                ExpectationOutcome(
                    suite=spec.name,
                    expectation=f"{config.type}({column})" if column else config.type,
                    check=check,
                    severity=severity,
                    success=bool(r.success),
                    element_count=int((r.result or {}).get("element_count") or 0),
                    unexpected_count=int((r.result or {}).get("unexpected_count") or 0),
                    unexpected_by_report=dict(by_report),
                )
            )
    if docs_dir is not None:
        context.build_data_docs(site_names=[DOCS_SITE])
        make_offline(docs_dir)  # CDN assets -> static/vendor/, so the pages work without internet
    return outcomes
