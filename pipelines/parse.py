"""One file through normalise → identify → extract, with no database involved.

This is the unit of work that :mod:`pipelines.pipeline` fans out to worker processes, and what
``ogi extract FILE --json`` and ``ogi eval`` run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import NotAReportError
from pipelines.extract import extract_document
from pipelines.identify import identify
from pipelines.model import Document, Extraction
from pipelines.normalise import normalise


@dataclass
class Parsed:
    """A parsed report: the document (for its texts) and what was extracted from it."""

    document: Document
    extraction: Extraction


def parse_bytes(data: bytes, suffix: str, source: str) -> Parsed:
    """Parse one report's bytes. Raises a :class:`~pipelines.errors.ReportError` when it cannot."""
    doc = normalise(data, suffix, source)
    meta = identify(doc)
    if not meta.is_report:
        raise NotAReportError(f"{source}: this is not a government information disclosure annual report",
                              reason="not_a_report")
    return Parsed(document=doc, extraction=extract_document(doc, meta))


def parse_file(path: str | Path) -> Parsed:
    p = Path(path)
    return parse_bytes(p.read_bytes(), p.suffix.lower(), str(p))
