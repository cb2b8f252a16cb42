"""Prose extractor for narrative reports (2008–2018) and the prose of standard reports. See issue 5."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.model import Document, ExtractionWarning, Fact


@dataclass
class ProseResult:
    facts: list[Fact] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)


def extract_narrative(doc: Document) -> ProseResult:
    raise NotImplementedError("narrative extraction is being built (issue 5)")


def extract_standard_prose(doc: Document, table_facts: list[Fact]) -> ProseResult:
    """Figures stated in the prose of a standard report (fees, request totals …)."""
    return ProseResult()
