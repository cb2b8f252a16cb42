"""Write a synthetic corpus: organs over runs of years, each report beside its truth (gold) file.

Reports are written as they are made (memory stays flat). Everything is drawn from random
generators seeded from ``seed`` and the organ's number, so a seed always gives the same files,
whatever the number of worker processes.

``NAME.gold.json`` follows the corpus gold files (organ, region, level, year, format, facts; a blank
cell is ``"value": null``; narrative facts carry ``approx`` and the ``quote`` as printed, in the
report's script) and adds:

* ``faults``: what was injected, e.g. ``{"kind": "row_total", "table": 3, "metric": "granted",
  "applicant": "total", "expected": 30, "printed": 32, "breaks": ["outcomes:total", "row:granted"]}``.
  ``breaks`` names the identities that no longer hold (``row:<metric>``, ``outcomes:<applicant>``,
  ``balance:<applicant>``, ``table4:<proceeding>``, ``chain:<applicant>`` for a carried_over that
  is not last year's carried_forward); kinds are row_total, outcome_cell, table4_total, carry_over.
* ``organ_id`` (carry-over chains link reports of one organ), ``rendering`` (html, txt, docx, pdf),
  ``layout`` (the quirks drawn, see :class:`~pipelines.synth.layout.Layout`), ``blank_style``,
  ``script`` (narrative), ``synthetic``: true and ``seed``.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines import config
from pipelines.synth.figures import DEFAULT_FAULT_RATE, OrganState, StandardFigures, standard_figures
from pipelines.synth.labels import APPLICANTS, TABLE2, TABLE4_METRICS, table2_unit, table3_metrics
from pipelines.synth.layout import (
    ALL_KINDS,
    DOCX,
    HTML,
    NARRATIVE,
    PDF,
    RENDERINGS,
    TXT,
    Layout,
    random_layout,
)
from pipelines.synth.organs import Organ, make_organ
from pipelines.synth.prose import (
    NARRATIVE_YEARS,
    STANDARD_YEARS,
    ReportText,
    narrative_report,
    standard_report,
)
from pipelines.synth.render_html import render_html
from pipelines.synth.render_office import pdf_available, render_docx, render_pdf
from pipelines.synth.render_text import render_text

log = logging.getLogger(__name__)

# Default mix of standard renderings. PDF is kept rare: fpdf2 embeds a CJK font in each, about
# 0.8 s a report against 1–2 ms for HTML.
RENDERING_WEIGHTS = {HTML: 0.7, TXT: 0.23, DOCX: 0.05, PDF: 0.02}
SUFFIX = {HTML: ".html", TXT: ".txt", DOCX: ".docx", PDF: ".pdf"}
# Narrative reports are HTML pages this often (the rest are text files).
NARRATIVE_HTML_SHARE = 0.3
# Years an organ reports in a row: geometric with this mean, so carry-over chains are common.
MEAN_RUN_YEARS = 5.0
# Draws of a new organ before giving up on a unique name (the place list is small on purpose).
MAX_NAME_DRAWS = 50
# Organs handed to a worker at a time: big enough to amortise the pickling, small enough to balance.
WORKER_CHUNK_ORGANS = 16
EXIT_OK, EXIT_USAGE = 0, 2


class SynthUsageError(ValueError):
    """A request the generator cannot satisfy (unknown format, nothing left to write)."""


def parse_formats(formats: str | Iterable[str] | None) -> tuple[str, ...]:
    """``html,txt,pdf,docx,narrative`` → kinds to generate; PDF dropped (with a message) without fpdf2."""
    if formats is None:
        kinds: tuple[str, ...] = ALL_KINDS
    else:
        items = formats.split(",") if isinstance(formats, str) else list(formats)
        kinds = tuple(dict.fromkeys(k.strip().lower() for k in items if k.strip()))
        unknown = [k for k in kinds if k not in ALL_KINDS]
        if unknown:
            raise SynthUsageError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(ALL_KINDS)}")
    if PDF in kinds and not pdf_available():
        print("ogi synth: fpdf2 is not installed (it is in the dev dependency group: uv sync --group dev); "
              "skipping PDF reports", file=sys.stderr)
        kinds = tuple(k for k in kinds if k != PDF)
    if not kinds:
        raise SynthUsageError("no format left to generate")
    return kinds


def _table_facts(fig: StandardFigures) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    for metric in table3_metrics(fig.fmt):
        for applicant in APPLICANTS:
            facts.append({"metric": metric, "applicant": applicant, "value": fig.table3[metric][applicant],
                          "unit": "request"})
    for metric in TABLE4_METRICS:
        facts.append({"metric": metric, "value": fig.table4[metric], "unit": "case"})
    for _, _, items, columns in TABLE2[fig.fmt]:
        for item, _ in items:
            for column in columns:
                metric = f"{item}_{column}"
                facts.append({"metric": metric, "value": fig.table2[metric], "unit": table2_unit(column)})
    return facts


def _gold(organ: Organ, year: int, fmt: str, rendering: str, layout: Layout, report: ReportText,
          facts: list[dict[str, Any]], faults: list[dict[str, Any]], seed: int,
          blank_style: str | None) -> dict[str, Any]:
    gold: dict[str, Any] = {
        "organ": organ.name, "region": organ.region, "level": organ.level, "year": year, "format": fmt,
        "complete": True, "synthetic": True, "organ_id": organ.organ_id, "rendering": rendering,
        "title": report.title, "published": report.published, "seed": seed,
    }
    if fmt == NARRATIVE:
        gold["script"] = "traditional" if layout.traditional else "simplified"
    if blank_style is not None:
        gold["blank_style"] = blank_style
    gold["layout"] = layout.to_json()
    gold["facts"] = facts
    gold["faults"] = faults
    return gold


# One encoder for every gold line (json.dumps with options builds a new one per call).
_encode = json.JSONEncoder(ensure_ascii=False).encode


def dump_gold(gold: dict[str, Any]) -> str:
    """A gold file, one key per line and one fact per line: readable diffs, and json's C encoder
    (``indent=`` would fall back to the pure-Python one, which took 60% of generation time)."""
    lines = []
    for key, value in gold.items():
        if isinstance(value, list) and value:
            items = ",\n".join("  " + _encode(v) for v in value)
            lines.append(f" {_encode(key)}: [\n{items}\n ]")
        else:
            lines.append(f" {_encode(key)}: {_encode(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _years(rng: random.Random, allowed: list[int], remaining: int) -> list[int]:
    """A run of consecutive report years for one organ, within the allowed years."""
    length = 1
    while rng.random() > 1 / MEAN_RUN_YEARS and length < len(allowed):
        length += 1
    length = min(length, remaining)
    # Runs are consecutive in the allowed years; pick a start such that the run fits.
    start = rng.randrange(0, len(allowed) - length + 1)
    run = allowed[start:start + length]
    # A gap in the allowed years (narrative years then standard ones) cannot break a run.
    return [y for i, y in enumerate(run) if i == 0 or y == run[i - 1] + 1] if run else []


@dataclass(frozen=True)
class OrganJob:
    """One organ's run of reports: what a worker needs to write them."""

    out: Path
    organ: Organ
    years: tuple[int, ...]
    renderings: tuple[str, ...]
    seed: int
    fault_rate: float
    layout: Layout | None


# Folders of real reports: synthetic ones must never mix with them (ogi run ingests data/raw/).
SHARED_CORPUS_DIR = config.PROJECT_ROOT.parent / "shared" / "corpus"


def _refuse_real_data_folders(out: Path) -> None:
    target = out.resolve()
    for real in (config.RAW_DIR, config.DATA_DIR / "raw", SHARED_CORPUS_DIR):
        if target == real.resolve() or target.is_relative_to(real.resolve()):
            raise SynthUsageError(f"{out} is inside {real}, a folder of real reports; synthetic reports are "
                                  "built on demand elsewhere (e.g. /tmp)")


def plan_organs(n: int, seed: int, allowed: list[int]) -> Iterator[tuple[Organ, tuple[int, ...]]]:
    """Organs with unique names and their runs of years, until ``n`` reports are planned."""
    used_names: set[str] = set()
    planned = 0
    organ_id = 0
    while planned < n:
        organ_rng = random.Random(f"{seed}:organ:{organ_id}")
        organ = make_organ(organ_id, organ_rng)
        for _ in range(MAX_NAME_DRAWS):
            if organ.name not in used_names:
                break
            organ = make_organ(organ_id, organ_rng)
        else:
            organ_id += 1
            continue  # this draw found no free name; the next organ number draws afresh
        used_names.add(organ.name)
        years = tuple(_years(random.Random(f"{seed}:years:{organ_id}"), allowed, n - planned))
        planned += len(years)
        yield organ, years
        organ_id += 1


def write_organ(job: OrganJob) -> list[Path]:
    """Write one organ's reports in year order (carry-overs flow from one year to the next)."""
    rng = random.Random(f"{job.seed}:reports:{job.organ.organ_id}")
    state = OrganState()
    return [_write_report(job.out, job.organ, year, rng, state, list(job.renderings), job.seed,
                          job.fault_rate, job.layout) for year in job.years]


def generate(out_dir: str | Path, n: int, seed: int = 0, formats: str | Iterable[str] | None = None,
             fault_rate: float = DEFAULT_FAULT_RATE, layout: Layout | None = None,
             workers: int = 1) -> list[Path]:
    """Write ``n`` synthetic reports and their ``NAME.gold.json`` into ``out_dir``; return the reports.

    ``formats`` picks renderings (html, txt, pdf, docx) of standard reports (years 2019–2025) and
    ``narrative`` reports (2008–2018); default all. ``layout`` fixes the layout of every report
    (tests vary it); by default each report draws its own. ``workers`` > 1 writes organs in that
    many processes; the files are the same whatever the count.
    """
    if n < 0:
        raise SynthUsageError(f"cannot write {n} reports")
    kinds = parse_formats(formats)
    renderings = tuple(k for k in RENDERINGS if k in kinds)
    allowed = ([*NARRATIVE_YEARS] if NARRATIVE in kinds else []) + ([*STANDARD_YEARS] if renderings else [])
    out = Path(out_dir)
    _refuse_real_data_folders(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = (OrganJob(out, organ, years, renderings, seed, fault_rate, layout)
            for organ, years in plan_organs(n, seed, allowed))
    written: list[Path] = []
    if workers <= 1:
        for job in jobs:
            written.extend(write_organ(job))
        return written
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for paths in pool.imap(write_organ, jobs, chunksize=WORKER_CHUNK_ORGANS):
            written.extend(paths)
    return written


def _write_report(out: Path, organ: Organ, year: int, rng: random.Random, state: OrganState,
                  renderings: list[str], seed: int, fault_rate: float, fixed: Layout | None) -> Path:
    name = f"synth-{organ.organ_id:05d}-{year}"
    if year in NARRATIVE_YEARS:
        rendering = HTML if rng.random() < NARRATIVE_HTML_SHARE else TXT
        layout = fixed or random_layout(rng, NARRATIVE)
        report = narrative_report(organ, year, layout, rng, state.cumulative)
        data = render_html(report, layout, rng) if rendering == HTML else render_text(report, layout)
        gold = _gold(organ, year, NARRATIVE, rendering, layout, report, report.facts, [], seed, None)
    else:
        weights = [RENDERING_WEIGHTS[r] for r in renderings]
        rendering = rng.choices(renderings, weights=weights)[0]
        layout = fixed or random_layout(rng, rendering)
        text_like = rendering == TXT
        fig = standard_figures(organ, year, rng, state, fault_rate,
                               allow_blanks=layout.allows_blank_cells or not text_like)
        report = standard_report(organ, year, fig, layout, rng)
        if rendering == HTML:
            data = render_html(report, layout, rng)
        elif rendering == TXT:
            data = render_text(report, layout)
        elif rendering == DOCX:
            data = render_docx(report)
        else:
            data = render_pdf(report)
        gold = _gold(organ, year, fig.fmt, rendering, layout, report, _table_facts(fig) + report.facts,
                     fig.faults, seed, fig.blank_style)
    path = out / (name + SUFFIX[rendering])
    path.write_bytes(data)
    (out / (name + ".gold.json")).write_text(dump_gold(gold), encoding="utf-8")
    return path


def synth_command(args: argparse.Namespace) -> int:
    """``ogi synth OUT_DIR --n N [--seed S] [--formats …]``."""
    started = time.perf_counter()
    try:
        paths = generate(args.out_dir, args.n, seed=args.seed, formats=args.formats,
                         workers=config.default_workers())
    except SynthUsageError as exc:
        print(f"ogi synth: {exc}", file=sys.stderr)
        return EXIT_USAGE
    elapsed = time.perf_counter() - started
    kinds = Counter(p.suffix.lstrip(".") for p in paths)
    mix = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    rate = len(paths) / elapsed if elapsed > 0 else float("inf")
    print(f"wrote {len(paths)} synthetic reports ({mix or 'none'}) with truth files to {args.out_dir} "
          f"in {elapsed:.1f} s ({rate:.0f} reports/s)")
    return EXIT_OK
