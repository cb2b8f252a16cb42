"""The same report as HTML, DOCX and PDF extracts to the same facts.

tests/fixtures/standard/NAME.{html,docx,pdf} were rendered from the corpus page NAME.html by
render_fixtures.py (python-docx merged cells; fpdf2 ruled tables with rowspan/colspan), so the three
files print the same tables with the same spans; NAME.expected.json holds the gold table figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extract.standard import extract_standard
from pipelines.normalise import normalise

FIXTURES = Path(__file__).parent / "fixtures" / "standard"
REPORTS = ["pingtan-2021-page", "shanghai-govoffice-2019", "shuyang-fgj-2023"]


def facts_of(path: Path) -> set[tuple[int | None, str, str | None, float | int | None, str]]:
    doc = normalise(path.read_bytes(), path.suffix, str(path))
    facts, _ = extract_standard(doc, "standard_2021")
    return {(f.table, f.metric, f.applicant, f.value, f.kind) for f in facts}


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_same_facts_as_html(name: str, suffix: str) -> None:
    html = facts_of(FIXTURES / f"{name}.html")
    other = facts_of(FIXTURES / f"{name}{suffix}")
    assert len(html) > 150
    assert other == html, (sorted(other - html)[:5], sorted(html - other)[:5])


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("suffix", [".html", ".docx", ".pdf"])
def test_gold_figures_in_every_format(name: str, suffix: str) -> None:
    got = {(m, a): v for _, m, a, v, _ in facts_of(FIXTURES / f"{name}{suffix}")}
    figures = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))["figures"]
    wrong = [(g["metric"], g["applicant"], g["value"], got.get((g["metric"], g["applicant"]), "missing"))
             for g in figures if got.get((g["metric"], g["applicant"]), "missing") != g["value"]]
    assert not wrong


def test_parity_detects_a_difference() -> None:
    """The comparison is not vacuous: two different reports do not compare equal."""
    assert facts_of(FIXTURES / "shuyang-fgj-2023.docx") != facts_of(FIXTURES / "pingtan-2021-page.docx")


@pytest.mark.parametrize("name", ["shanghai-govoffice-2019", "shuyang-fgj-2023"])
def test_unruled_pdf_reads_cells_under_their_headers(name: str) -> None:
    """Tables drawn without rules reach ogi only as text lines, where an empty cell leaves no trace
    ('一、本年新收政府信息公开申请数量 26 26' for 26 | | | | | | 26). The PDF reader puts each number
    under the header word it stands below, so blanks stay blanks, also on the table's second page."""
    path = FIXTURES / f"{name}.unruled.pdf"
    doc = normalise(path.read_bytes(), path.suffix, str(path))
    assert doc.tables == []
    got = {(m, a): v for _, m, a, v, _ in facts_of(path)}
    figures = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))["figures"]
    wrong = [(g["metric"], g["applicant"], g["value"], got.get((g["metric"], g["applicant"]), "missing"))
             for g in figures if got.get((g["metric"], g["applicant"]), "missing") != g["value"]]
    assert not wrong
