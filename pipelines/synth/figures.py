"""The figures of a synthetic standard report (tables 2, 3, 4) and the faults injected into them.

Figures come first and are correct by construction: table 3 balances in every column
(new_received + carried_over = total_handled + carried_forward; total_handled = sum of outcomes), its
总计 column is the sum of the six applicant columns, table 4 totals are sums, and carried_over of a
year is carried_forward of the organ's previous year. A controlled share of reports then gets one
fault (as real publishers make them); every fault is recorded with the identities it breaks, so the
truth says exactly which checks must fail.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from pipelines.synth.labels import (
    APPLICANTS,
    FORMAT_2019,
    FORMAT_2021,
    ORG_APPLICANTS,
    PERSON_AND_ORGS,
    T4_PROCEEDINGS,
    T4_RESULTS,
    TABLE2,
    outcome_metrics,
    table3_metrics,
)
from pipelines.synth.organs import Organ

# Default share of standard reports that carry one injected fault (the issue asks for about 3%).
DEFAULT_FAULT_RATE = 0.03
# Requests grow year on year (the 2019 regulation widened who may ask); rate per year from 2019.
REQUEST_GROWTH = 1.08
# Share of new requests from natural persons: in the corpus they are 85–100% of the total.
NATURAL_PERSON_SHARE = 0.88
# How often each legal-person column has any requests at all in a year.
ORG_ACTIVE_PROBABILITY = {"commercial": 0.35, "research": 0.06, "social_welfare": 0.08,
                          "legal_service": 0.15, "other_org": 0.25}
# Largest share of a year's open requests carried forward into the next year.
MAX_CARRY_FORWARD_SHARE = 0.12
# Typical mix of outcomes (relative weights); each report perturbs and thins them.
OUTCOME_WEIGHTS = {
    "granted": 45.0, "partially_granted": 8.0, "denied_state_secret": 0.5, "denied_law_forbidden": 0.5,
    "denied_three_safety_one_stability": 0.4, "denied_third_party_rights": 1.5,
    "denied_internal_affairs": 1.5, "denied_process_info": 2.0, "denied_enforcement_case": 1.0,
    "denied_enforcement_query": 1.5, "unable_not_held": 20.0, "unable_needs_creation": 4.0,
    "unable_unclear_after_correction": 3.0, "not_processed_petition_complaint": 6.0,
    "not_processed_repeated": 3.0, "not_processed_publication": 0.5, "not_processed_bulk_unreasonable": 0.5,
    "not_processed_confirm_or_reissue": 1.0, "other_processing": 2.0, "other_overdue_correction": 1.5,
    "other_fee_unpaid": 0.3, "other_other": 1.0,
}
# Chance that a minor outcome row is empty for one report (most rows of most reports are zero).
OUTCOME_DROP_PROBABILITY = 0.55

# Blank-cell styles seen in the corpus: every number printed (pingtan), legal-person columns that
# are zero throughout left empty (shuyang-fgj-2023), every zero cell left empty (shanghai 2019).
BLANK_NONE = "none"
BLANK_ZERO_ORG_COLUMNS = "zero_org_columns"
BLANK_ZERO_CELLS = "zero_cells"
BLANK_STYLE_WEIGHTS = {BLANK_NONE: 0.72, BLANK_ZERO_ORG_COLUMNS: 0.16, BLANK_ZERO_CELLS: 0.12}

Table3 = dict[str, dict[str, int | None]]


@dataclass
class OrganState:
    """What one year of an organ passes to the next: printed carry-forward and table-2 stocks."""

    carried_forward: dict[str, int] | None = None
    normative_in_force: int | None = None
    regulations_in_force: int | None = None
    total_published: dict[str, int] = field(default_factory=dict)
    previous_counts: dict[str, int] = field(default_factory=dict)
    # Narrative statistics tables: 历年累计 per row, carried from year to year.
    cumulative: dict[str, int] = field(default_factory=dict)


@dataclass
class StandardFigures:
    """Everything printed in the tables of one standard report, and the faults in it."""

    fmt: str
    table2: dict[str, int | float | None]
    table2_text: dict[str, str]
    table3: Table3
    table4: dict[str, int | None]
    blank_style: str
    faults: list[dict[str, Any]] = field(default_factory=list)

    @property
    def requests_received(self) -> int:
        return self.table3["new_received"]["total"] or 0


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split a count over keys in proportion to weights (largest remainder), summing exactly."""
    keys = [k for k, w in weights.items() if w > 0]
    out = dict.fromkeys(weights, 0)
    if total <= 0 or not keys:
        if total > 0:
            out[next(iter(weights))] = total
        return out
    wsum = sum(weights[k] for k in keys)
    shares = [(k, total * weights[k] / wsum) for k in keys]
    given = 0
    for k, s in shares:
        out[k] = int(s)
        given += out[k]
    for k, _ in sorted(shares, key=lambda ks: ks[1] - int(ks[1]), reverse=True)[: total - given]:
        out[k] += 1
    return out


def _count(rng: random.Random, mean: float) -> int:
    """A non-negative count around ``mean`` with a heavy right tail."""
    if mean <= 0:
        return 0
    return int(mean * rng.lognormvariate(0.0, 0.5) + rng.random())


def table3_figures(fmt: str, scale: float, rng: random.Random,
                   carried_over: dict[str, int] | None) -> Table3:
    """A balanced table 3: every column and every row adds up."""
    outcomes = outcome_metrics(fmt)
    t3: dict[str, dict[str, int | None]] = {m: {} for m in table3_metrics(fmt)}
    new_total = _count(rng, scale)
    for a in PERSON_AND_ORGS:
        if a == "natural_person":
            share = NATURAL_PERSON_SHARE
        elif rng.random() < ORG_ACTIVE_PROBABILITY[a]:
            share = (1 - NATURAL_PERSON_SHARE) / 2
        else:
            share = 0.0
        new = _count(rng, new_total * share) if share else 0
        if carried_over is not None:
            co = carried_over.get(a, 0)
        else:  # first year on record: a small backlog of unknown origin
            co = _count(rng, new * 0.05) if rng.random() < 0.3 else 0
        open_requests = new + co
        cf = int(open_requests * rng.uniform(0, MAX_CARRY_FORWARD_SHARE)) if rng.random() < 0.5 else 0
        handled = open_requests - cf
        weights = {m: OUTCOME_WEIGHTS[m] * rng.uniform(0.3, 1.7) for m in outcomes}
        for m in outcomes[1:]:
            if rng.random() < OUTCOME_DROP_PROBABILITY:
                weights[m] = 0.0
        split = allocate(handled, weights)
        t3["new_received"][a] = new
        t3["carried_over"][a] = co
        for m in outcomes:
            t3[m][a] = split[m]
        t3["total_handled"][a] = handled
        t3["carried_forward"][a] = cf
    for m in t3:
        t3[m]["total"] = sum(t3[m][a] or 0 for a in PERSON_AND_ORGS)
    return t3


def table4_figures(scale: float, rng: random.Random) -> dict[str, int | None]:
    """Reconsideration and litigation counts: usually none, a few for busy organs."""
    t4: dict[str, int | None] = {}
    means = {"reconsideration": scale * 0.03, "litigation_direct": scale * 0.02,
             "litigation_after_reconsideration": scale * 0.005}
    for proceeding, _ in T4_PROCEEDINGS:
        total = _count(rng, means[proceeding]) if rng.random() < 0.6 else 0
        parts = allocate(total, {"upheld": rng.uniform(2, 6), "corrected": rng.uniform(0, 1),
                                 "other": rng.uniform(0, 1), "pending": rng.uniform(0, 2)})
        for result, _ in T4_RESULTS:
            t4[f"{proceeding}_{result}"] = total if result == "total" else parts[result]
    return t4


def _decimal_text(value: float, decimals: int) -> tuple[float | int, str]:
    """A number as printed with a given count of decimals, and the value that text states."""
    if decimals == 0:
        v = int(round(value))
        return v, str(v)
    text = f"{value:.{decimals}f}"
    return float(text), text


def table2_figures(fmt: str, organ: Organ, rng: random.Random, state: OrganState
                   ) -> tuple[dict[str, int | float | None], dict[str, str]]:
    """Table 2 values and their printed texts; stocks (现行有效件数, 对外公开总数量) carry over."""
    values: dict[str, int | float | None] = {}
    texts: dict[str, str] = {}

    def put(metric: str, value: int | float, text: str | None = None) -> None:
        values[metric] = value
        texts[metric] = str(value) if text is None else text

    issues_rules = organ.level in ("province", "city") and rng.random() < 0.7
    activity = organ.scale
    if fmt == FORMAT_2021:
        for item, stock_attr in (("regulations", "regulations_in_force"), ("normative_documents",
                                                                             "normative_in_force")):
            if item == "regulations" and not issues_rules:
                issued = repealed = 0
                stock = getattr(state, stock_attr) or 0
            else:
                issued = _count(rng, activity * (0.05 if item == "regulations" else 0.4))
                previous = getattr(state, stock_attr)
                if previous is None:
                    previous = _count(rng, issued * 6 + 3)
                repealed = min(previous, _count(rng, issued * 0.4)) if rng.random() < 0.5 else 0
                stock = previous + issued - repealed
            setattr(state, stock_attr, stock)
            put(f"{item}_issued", issued)
            put(f"{item}_repealed", repealed)
            put(f"{item}_in_force", stock)
        for item, mean in (("administrative_licensing", 20.0), ("administrative_penalty", 12.0),
                           ("administrative_coercion", 1.0)):
            put(f"{item}_decisions", _count(rng, activity * mean) if rng.random() < 0.7 else 0)
        if rng.random() < 0.45:
            fee, text = _decimal_text(rng.lognormvariate(3, 2), rng.choice((0, 2, 4, 6)))
        else:
            fee, text = 0, "0"
        put("administrative_fees_amount_10k_yuan", fee, text)
        return values, texts
    for item in ("regulations", "normative_documents"):
        made = _count(rng, activity * (0.05 if item == "regulations" else 0.4))
        if item == "regulations" and not issues_rules:
            made = 0
        published = made if rng.random() < 0.8 else max(made - rng.randint(0, 2), 0)
        total = state.total_published.get(item, _count(rng, made * 5)) + published
        state.total_published[item] = total
        put(f"{item}_new_made", made)
        put(f"{item}_new_published", published)
        put(f"{item}_total_published", total)
    for item, mean in (("administrative_licensing", 20.0), ("other_external_services", 5.0),
                       ("administrative_penalty", 12.0), ("administrative_coercion", 1.0),
                       ("administrative_fees", 0.0)):
        previous = state.previous_counts.get(item, _count(rng, 30) if rng.random() < 0.6 else 0)
        change = rng.randint(-min(previous, 20), 20) if rng.random() < 0.3 else 0
        state.previous_counts[item] = previous + change
        put(f"{item}_previous_year_count", previous)
        put(f"{item}_change", change)
        if item != "administrative_fees":
            put(f"{item}_decisions", _count(rng, activity * mean) if rng.random() < 0.7 else 0)
    items = _count(rng, activity * 0.5) if rng.random() < 0.6 else 0
    put("government_procurement_items", items)
    if items:
        amount, text = _decimal_text(items * rng.lognormvariate(12, 1), rng.choice((0, 2)))
        suffix = "元" if rng.random() < 0.7 else ""
        put("government_procurement_amount_yuan", amount, text + suffix)
    else:
        put("government_procurement_amount_yuan", 0, "0")
    return values, texts


def table3_violations(t3: Table3, fmt: str) -> set[str]:
    """Identities of table 3 that do not hold (blank cells count as 0)."""
    def v(m: str, a: str) -> int:
        return t3[m][a] or 0

    broken: set[str] = set()
    outcomes = outcome_metrics(fmt)
    for a in APPLICANTS:
        if v("new_received", a) + v("carried_over", a) != v("total_handled", a) + v("carried_forward", a):
            broken.add(f"balance:{a}")
        if v("total_handled", a) != sum(v(m, a) for m in outcomes):
            broken.add(f"outcomes:{a}")
    for m in table3_metrics(fmt):
        if v(m, "total") != sum(v(m, a) for a in PERSON_AND_ORGS):
            broken.add(f"row:{m}")
    return broken


def table4_violations(t4: dict[str, int | None]) -> set[str]:
    broken: set[str] = set()
    for p, _ in T4_PROCEEDINGS:
        parts = sum(t4[f"{p}_{r}"] or 0 for r, _ in T4_RESULTS if r != "total")
        if parts != (t4[f"{p}_total"] or 0):
            broken.add(f"table4:{p}")
    return broken


def apply_blanks(t3: Table3, t4: dict[str, int | None], style: str) -> None:
    """Print some zero cells as empty, as the publisher did; the truth then holds None."""
    if style == BLANK_ZERO_ORG_COLUMNS:
        for a in ORG_APPLICANTS:
            if all(not t3[m][a] for m in t3):
                for m in t3:
                    t3[m][a] = None
    elif style == BLANK_ZERO_CELLS:
        for row in t3.values():
            for a, value in row.items():
                if value == 0:
                    row[a] = None
        for k, value in t4.items():
            if value == 0:
                t4[k] = None


def _inject_table_fault(fig: StandardFigures, rng: random.Random) -> dict[str, Any] | None:
    """Change one printed cell so that an identity breaks; return the fault record."""
    fmt, t3 = fig.fmt, fig.table3
    delta = rng.randint(1, 3)
    kind = rng.choice(("row_total", "outcome_cell", "table4_total"))
    before3, before4 = table3_violations(t3, fmt), table4_violations(fig.table4)
    if kind == "table4_total":
        proceeding = rng.choice(T4_PROCEEDINGS)[0]
        metric = f"{proceeding}_total"
        expected = fig.table4[metric] or 0
        fig.table4[metric] = expected + delta
        record = {"kind": kind, "table": 4, "metric": metric, "applicant": None,
                  "expected": expected, "printed": expected + delta}
    else:
        candidates = ["new_received", *outcome_metrics(fmt), "total_handled"]
        metric = rng.choice(candidates if kind == "row_total" else outcome_metrics(fmt))
        applicant = "total" if kind == "row_total" else rng.choice(PERSON_AND_ORGS)
        expected = t3[metric][applicant] or 0
        t3[metric][applicant] = expected + delta
        record = {"kind": kind, "table": 3, "metric": metric, "applicant": applicant,
                  "expected": expected, "printed": expected + delta}
    breaks = (table3_violations(t3, fmt) - before3) | (table4_violations(fig.table4) - before4)
    record["breaks"] = sorted(breaks)
    return record


def standard_figures(organ: Organ, year: int, rng: random.Random, state: OrganState,
                     fault_rate: float = DEFAULT_FAULT_RATE, allow_blanks: bool = True) -> StandardFigures:
    """One year of an organ in the standard format; updates ``state`` for the next year.

    ``allow_blanks`` False prints every zero (renderings that cannot show an empty cell).
    """
    fmt = FORMAT_2021 if year >= 2021 else FORMAT_2019
    scale = organ.scale * REQUEST_GROWTH ** (year - 2019) * rng.lognormvariate(0.0, 0.35)
    faulty = rng.random() < fault_rate
    fault_kind = None
    if faulty:
        kinds = ["table"] + (["carry_over"] if state.carried_forward is not None else [])
        fault_kind = rng.choice(kinds)
    carried_over = state.carried_forward
    carry_fault: dict[str, Any] | None = None
    if fault_kind == "carry_over" and carried_over is not None:
        applicant = rng.choice(("natural_person", "natural_person", "commercial", "other_org"))
        delta = rng.randint(1, 4)
        carried_over = dict(carried_over)
        expected = carried_over.get(applicant, 0)
        carried_over[applicant] = expected + delta
        carry_fault = {"kind": "carry_over", "table": 3, "metric": "carried_over", "applicant": applicant,
                       "expected": expected, "printed": expected + delta,
                       "breaks": sorted({f"chain:{applicant}", "chain:total"})}
    t3 = table3_figures(fmt, scale, rng, carried_over)
    t4 = table4_figures(scale, rng)
    t2, t2_text = table2_figures(fmt, organ, rng, state)
    styles = list(BLANK_STYLE_WEIGHTS)
    style = rng.choices(styles, weights=[BLANK_STYLE_WEIGHTS[s] for s in styles])[0]
    if not allow_blanks or fault_kind == "table":
        # A faulty table prints every cell: to a validator a blank is unknown, not zero, so a sum
        # over blanks cannot be shown wrong and the fault would be invisible.
        style = BLANK_NONE
    fig = StandardFigures(fmt=fmt, table2=t2, table2_text=t2_text, table3=t3, table4=t4, blank_style=style)
    if carry_fault:
        fig.faults.append(carry_fault)
    elif fault_kind == "table":
        record = _inject_table_fault(fig, rng)
        if record:
            fig.faults.append(record)
    apply_blanks(t3, t4, style)
    state.carried_forward = {a: t3["carried_forward"][a] or 0 for a in APPLICANTS}
    return fig


def table2_metric_order(fmt: str) -> list[str]:
    """Table-2 metrics in printed order."""
    return [f"{item}_{col}" for _, _, items, cols in TABLE2[fmt] for item, _ in items for col in cols]
