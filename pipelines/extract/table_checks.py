"""The identities a standard table states about itself, checked after extraction.

A failure is a warning naming the row, the column and the numbers; no number is ever changed.
(vocabulary.md, table 3 and table 4.)
"""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.extract.labels import APPLICANTS, PROCEEDINGS
from pipelines.extract.table3 import OUTCOME_ROWS
from pipelines.extract.table_cells import all_numbers
from pipelines.model import KIND_NUMBER, ExtractionWarning, Fact


def _cells(facts: Sequence[Fact], table: int) -> dict[tuple[str, str | None], float | int]:
    return {(f.metric, f.applicant): f.value for f in facts
            if f.table == table and f.kind == KIND_NUMBER and f.value is not None}


def _fmt(x: float | int) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def check_table3(facts: Sequence[Fact]) -> list[ExtractionWarning]:
    """Per column: new + carried over = handled + carried forward; handled = sum of outcomes.
    Per row: 总计 = the six applicant columns. Checks with a missing cell are skipped."""
    cells = _cells(facts, 3)
    if not cells:
        return []
    warnings: list[ExtractionWarning] = []
    rows = dict.fromkeys(m for m, _ in cells)
    present_outcomes = [m for m in OUTCOME_ROWS if m in rows]
    for applicant in APPLICANTS:
        nr, co = cells.get(("new_received", applicant)), cells.get(("carried_over", applicant))
        th, cf = cells.get(("total_handled", applicant)), cells.get(("carried_forward", applicant))
        if nr is not None and co is not None and th is not None and cf is not None:
            if nr + co != th + cf:
                warnings.append(ExtractionWarning(
                    code="table3_balance",
                    message=f"table 3 column {applicant}: 新收 {_fmt(nr)} + 上年结转 {_fmt(co)} = {_fmt(nr + co)} "
                            f"but 总计 {_fmt(th)} + 结转下年 {_fmt(cf)} = {_fmt(th + cf)}",
                    metric="total_handled", applicant=applicant, location={"table": 3, "column": applicant},
                ))
        handled = cells.get(("total_handled", applicant))
        outcomes = all_numbers([cells.get((m, applicant)) for m in present_outcomes])
        if handled is not None and outcomes:
            total = sum(outcomes)
            if total != handled:
                warnings.append(ExtractionWarning(
                    code="table3_outcomes",
                    message=f"table 3 column {applicant}: the outcome rows add up to {_fmt(total)} "
                            f"but (七)总计 says {_fmt(handled)}",
                    metric="total_handled", applicant=applicant, location={"table": 3, "column": applicant},
                ))
    for metric in rows:
        values = all_numbers([cells.get((metric, a)) for a in APPLICANTS])
        if values is None:
            continue
        total = sum(values[:-1])
        if total != values[-1]:
            warnings.append(ExtractionWarning(
                code="table3_row_total",
                message=f"table 3 row {metric}: the six applicant columns add up to {_fmt(total)} "
                        f"but 总计 says {_fmt(values[-1])}",
                metric=metric, applicant="total", location={"table": 3, "row": metric},
            ))
    return warnings


def check_table4(facts: Sequence[Fact]) -> list[ExtractionWarning]:
    """Per proceeding: upheld + corrected + other + pending = total."""
    cells = _cells(facts, 4)
    warnings: list[ExtractionWarning] = []
    for p in PROCEEDINGS:
        parts = all_numbers([cells.get((f"{p}_{r}", None)) for r in ("upheld", "corrected", "other", "pending", "total")])
        if parts is None:
            continue
        total = sum(parts[:4])
        if total != parts[4]:
            warnings.append(ExtractionWarning(
                code="table4_total",
                message=f"table 4 {p}: 维持+纠正+其他+尚未审结 = {_fmt(total)} but 总计 says {_fmt(parts[4])}",
                metric=f"{p}_total", location={"table": 4, "row": p},
            ))
    return warnings
