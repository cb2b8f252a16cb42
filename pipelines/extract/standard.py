"""Table extractor for the standard report formats (report years 2019+). See issue 4."""

from __future__ import annotations

from pipelines.model import Document, ExtractionWarning, Fact


def extract_standard(doc: Document, fmt: str) -> tuple[list[Fact], list[ExtractionWarning]]:
    """Facts of tables 2, 3 and 4 of a standard-format report, and warnings on its identities."""
    raise NotImplementedError("standard table extraction is being built (issue 4)")
