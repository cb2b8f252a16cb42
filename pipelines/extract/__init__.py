"""Stage 4, extract: figures of one report as :class:`~pipelines.model.Fact` in the vocabulary.

Standard reports (2019+) go to the table extractor, narrative reports to the prose extractor; the
prose of standard reports is read too for figures stated there (fees, totals in sentences).
"""

from __future__ import annotations

from pipelines.model import Document, Extraction, ReportMeta


def extract_document(doc: Document, meta: ReportMeta) -> Extraction:
    """All facts, warnings, problems and measures of one identified document."""
    result = Extraction(meta=meta)
    if meta.format in ("standard_2019", "standard_2021"):
        from pipelines.extract.standard import extract_standard

        facts, warnings = extract_standard(doc, meta.format)
        result.facts.extend(facts)
        result.warnings.extend(warnings)
        from pipelines.extract.narrative import extract_standard_prose

        prose = extract_standard_prose(doc, result.facts)
        result.facts.extend(prose.facts)
        result.warnings.extend(prose.warnings)
        result.problems, result.measures = prose.problems, prose.measures
    else:
        from pipelines.extract.narrative import extract_narrative

        prose = extract_narrative(doc)
        result.facts.extend(prose.facts)
        result.warnings.extend(prose.warnings)
        result.problems, result.measures = prose.problems, prose.measures
    return result
