"""``ogi report``: execute the notebooks headless and export HTML reports and charts for sharing.

Each notebook in ``notebooks/`` (a jupytext py:percent file, ``NN-verb-noun.py``) is read, given its
parameters (papermill-style ``parameters`` cell: the warehouse path, the charts folder, region, language),
executed by nbclient on an ipykernel running this very Python (``sys.executable``, so the venv's
packages), and exported with nbconvert as HTML with the code hidden. The output folder gets:

    reports/NN-verb-noun[-subject].html   what readers open
    notebooks/NN-verb-noun[-subject].ipynb the executed notebook (outputs kept, for analysts)
    charts/<subject>-<what>.png|.svg       every chart, named by what it shows
    index.csv                              one row per file above: kind, path, title, notebook, params
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import multiprocessing
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter
from papermill.parameterize import parameterize_notebook

from pipelines import config

log = logging.getLogger("ogi")

KERNEL_NAME = "python3"
# A notebook cell that runs longer than this is stuck (the slowest cell draws one chart, < 5 s).
CELL_TIMEOUT_SECONDS = 300
# Kernel start-up can be slow on a cold machine (imports of pandas and matplotlib).
KERNEL_START_TIMEOUT_SECONDS = 120
# Kernels started at once: each takes a core and ~200 MB while importing pandas and matplotlib.
MAX_PARALLEL_KERNELS = 4
INDEX_COLUMNS = ("kind", "path", "title", "notebook", "parameters", "status")
CHART_SUFFIXES = (".png", ".svg")
# Fonts that hold Chinese on the readers' systems (the charts are images and need none of them).
READER_CSS = ('body, .jp-RenderedHTMLCommon { font-family: "Noto Sans CJK SC", "Source Han Sans SC", '
              '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }')
_ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class NotebookRun:
    """One notebook to execute with its parameters; ``subject`` names the output files."""

    notebook: Path
    parameters: dict[str, object]
    subject: str = ""

    @property
    def stem(self) -> str:
        from pipelines.analysis.charts import file_slug

        return file_slug(self.notebook.stem, self.subject)


@dataclass
class ExportedFile:
    kind: str  # report | notebook | chart
    path: Path
    title: str
    notebook: str
    parameters: str
    status: str = "ok"


@dataclass
class ReportOutcome:
    """What ``build_reports`` wrote and what failed."""

    out: Path
    files: list[ExportedFile] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def of_kind(self, kind: str) -> list[ExportedFile]:
        return [f for f in self.files if f.kind == kind]

    def summary_text(self) -> str:
        reports, charts = self.of_kind("report"), self.of_kind("chart")
        lines = [f"report: {len(reports)} HTML report(s) and {len(charts)} chart file(s) in {self.out} "
                 f"({self.seconds:.1f}s); index: {self.out / 'index.csv'}"]
        lines += [f"  {f.path.relative_to(self.out)}" for f in reports]
        lines += [f"  FAILED {msg}" for msg in self.failures]
        return "\n".join(lines)


class _ThisPythonKernelSpecs(KernelSpecManager):
    """The python3 kernel, always run by the interpreter running ogi (the project's venv)."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        from ipykernel.kernelspec import RESOURCES

        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                          display_name=f"Python ({sys.executable})", language="python",
                          resource_dir=RESOURCES, metadata={})


def notebook_files(notebooks_dir: Path = config.NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks (``NN-verb-noun.py``), in order."""
    return sorted(p for p in notebooks_dir.glob("[0-9][0-9]-*.py"))


def plan_runs(db: Path, charts_dir: Path, region: str | None = None, lang: str = "zh",
              notebooks_dir: Path = config.NOTEBOOKS_DIR) -> list[NotebookRun]:
    """Which notebooks run with which parameters: the region chosen (or the one covering most years)."""
    from pipelines.analysis import compare

    base = {"db": str(db), "charts_dir": str(charts_dir), "lang": lang}
    chosen_region = region or compare.default_region(db)
    organ = compare.default_organ(db, chosen_region) if chosen_region else None
    departments = compare.default_department_set(db)
    runs = []
    for nb in notebook_files(notebooks_dir):
        params: dict[str, object] = dict(base)
        subject = ""
        if nb.stem.startswith("10-"):
            params["region"] = chosen_region
            subject = chosen_region or ""
        elif nb.stem.startswith("20-"):
            dept_region, dept_year = (region, None) if region else (departments or (None, None))
            params.update(region=dept_region, year=dept_year)
            subject = "-".join(str(x) for x in (dept_region, dept_year) if x)
        elif nb.stem.startswith("30-"):
            params["organ"] = organ
            subject = organ or ""
        runs.append(NotebookRun(nb, params, subject))
    return runs


def execute_notebook(run: NotebookRun, workdir: Path) -> tuple[nbformat.NotebookNode, str | None]:
    """Execute one notebook; return it (outputs kept, up to the failing cell) and the error, if any."""
    nb = jupytext.read(run.notebook)
    for cell in nb.cells:  # papermill looks for the parameters tag in every cell's metadata
        cell.metadata.setdefault("tags", [])
    nb.metadata.setdefault("papermill", {})
    nb = parameterize_notebook(nb, run.parameters, kernel_name=KERNEL_NAME, language="python")
    km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=_ThisPythonKernelSpecs())
    client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_SECONDS, startup_timeout=KERNEL_START_TIMEOUT_SECONDS,
                            kernel_name=KERNEL_NAME, resources={"metadata": {"path": str(workdir)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        last_line = _ANSI_COLOUR.sub("", str(exc)).strip().splitlines()[-1]
        return nb, f"{run.notebook.name}: a cell failed: {last_line}"
    except Exception as exc:  # noqa: BLE001 - a kernel that dies must not cost the other notebooks
        return nb, f"{run.notebook.name}: could not run ({type(exc).__name__}: {exc})"
    finally:
        if km.has_kernel:  # nbclient leaves a kernel it did not create running: stop it here
            km.shutdown_kernel(now=True)
    return nb, None


def to_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The executed notebook as a reader's HTML page: outputs and text, no code, no prompts."""
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return body.replace("</head>", f"<style>{READER_CSS}</style>\n</head>", 1)


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _chart_title(path: Path) -> str:
    """The chart's title, from the PNG's metadata (written by charts.save_chart)."""
    if path.suffix == ".png" and path.exists():
        from PIL import Image

        with Image.open(path) as img:
            return str(img.info.get("Title", path.stem))
    return path.stem


def export_run(run: NotebookRun, workdir: Path, reports_dir: Path, executed_dir: Path
               ) -> tuple[list[ExportedFile], str | None]:
    """Execute one notebook and write its executed .ipynb and reader's HTML; return them and the error."""
    log.info("executing %s %s", run.notebook.name, json.dumps(
        {k: v for k, v in run.parameters.items() if k != "charts_dir"}, ensure_ascii=False))
    nb, error = execute_notebook(run, workdir)
    params = json.dumps({k: v for k, v in run.parameters.items() if k not in ("db", "charts_dir")},
                        ensure_ascii=False)
    status = "ok" if error is None else "failed"
    title = _title(nb, run.notebook.stem) + (f" — {run.subject}" if run.subject else "")
    html_path = reports_dir / f"{run.stem}.html"
    html_path.write_text(to_html(nb, title), encoding="utf-8")
    executed = executed_dir / f"{run.stem}.ipynb"
    nbformat.write(nb, executed)
    return [ExportedFile("report", html_path, title, run.notebook.name, params, status),
            ExportedFile("notebook", executed, title, run.notebook.name, params, status)], error


def _execute_all(runs: Sequence[NotebookRun], workdir: Path, reports_dir: Path, executed_dir: Path,
                 workers: int | None) -> list[tuple[list[ExportedFile], str | None]]:
    n = min(len(runs), workers or config.default_workers(), MAX_PARALLEL_KERNELS)
    if n <= 1:
        return [export_run(r, workdir, reports_dir, executed_dir) for r in runs]
    ctx = multiprocessing.get_context("spawn")  # a clean interpreter per worker: no inherited threads or sockets
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
        futures = [pool.submit(export_run, r, workdir, reports_dir, executed_dir) for r in runs]
        results = []
        for run, future in zip(runs, futures, strict=True):
            try:
                results.append(future.result())
            except Exception as exc:  # noqa: BLE001 - a worker that dies costs its notebook only
                results.append(([], f"{run.notebook.name}: the worker running it failed ({type(exc).__name__}: {exc})"))
        return results


def write_index(outcome: ReportOutcome) -> Path:
    path = outcome.out / "index.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(INDEX_COLUMNS)
        for item in outcome.files:
            writer.writerow([item.kind, item.path.relative_to(outcome.out).as_posix(), item.title, item.notebook,
                             item.parameters, item.status])
    return path


def refresh_marts(db: Path) -> None:
    """Recreate the mart views (a warehouse built before a new view was added lacks it)."""
    from pipelines.warehouse import connect

    connect(db).close()


def build_reports(db: Path | str = config.WAREHOUSE_PATH, out: Path | str = config.EXPORTS_DIR,
                  region: str | None = None, lang: str = "zh",
                  notebooks_dir: Path = config.NOTEBOOKS_DIR, workers: int | None = None) -> ReportOutcome:
    """Execute every notebook against ``db`` and export HTML reports, charts and index into ``out``.

    Notebooks run side by side in ``workers`` processes (default: one per core, at most one per
    notebook); each has its own kernel, so they cannot see each other's variables.
    """
    t0 = time.perf_counter()
    db, out = Path(db), Path(out)
    outcome = ReportOutcome(out=out)
    if not db.exists():
        outcome.failures.append(f"{db}: no warehouse here yet; run 'ogi run' first")
        return outcome
    refresh_marts(db)
    reports_dir, executed_dir, charts_dir = out / "reports", out / "notebooks", out / "charts"
    for folder, suffixes in ((reports_dir, (".html",)), (executed_dir, (".ipynb",)), (charts_dir, CHART_SUFFIXES)):
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.iterdir():  # last run's files: the index must list exactly what is there
            if stale.is_file() and stale.suffix in suffixes:
                stale.unlink()
    runs = plan_runs(db, charts_dir, region, lang, notebooks_dir)
    with tempfile.TemporaryDirectory(prefix="ogi-report-") as tmp:
        workdir = Path(tmp)
        # each notebook draws into its own folder, so its charts are known without guessing
        runs = [NotebookRun(r.notebook, {**r.parameters, "charts_dir": str(workdir / f"charts-{i}")}, r.subject)
                for i, r in enumerate(runs)]
        for run, (files, error) in zip(runs, _execute_all(runs, workdir, reports_dir, executed_dir, workers),
                                       strict=True):
            if error:
                outcome.failures.append(error)
            outcome.files.extend(files)
            if not files:
                continue
            own_charts = Path(str(run.parameters["charts_dir"]))
            drawn = sorted(p for p in own_charts.glob("*") if p.suffix in CHART_SUFFIXES) if own_charts.is_dir() else []
            titles = {chart: _chart_title(chart.with_suffix(".png")) for chart in drawn}
            for chart in drawn:
                target = charts_dir / chart.name
                shutil.move(chart, target)
                outcome.files.append(ExportedFile("chart", target, titles[chart], run.notebook.name,
                                                  files[0].parameters, files[0].status))
    write_index(outcome)
    outcome.seconds = time.perf_counter() - t0
    return outcome


def report_command(args: argparse.Namespace) -> int:
    from pipelines.cli import EXIT_FAILED, EXIT_LOCKED, EXIT_OK
    from pipelines.lock import WarehouseLocked, warehouse_lock

    db = Path(args.db)
    if not db.is_file():
        print(f"ogi report: {db}: no warehouse here yet; run 'ogi run' first", file=sys.stderr)
        return EXIT_FAILED
    try:
        # A run writing the warehouse keeps other processes out of the DuckDB file: wait for it.
        with warehouse_lock(db):
            outcome = build_reports(db, Path(args.out), region=args.region, lang=args.lang)
    except WarehouseLocked as exc:
        print(f"ogi report: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    print(outcome.summary_text())
    if not outcome.ok:
        print(f"ogi report: {len(outcome.failures)} notebook(s) failed; their HTML shows the error",
              file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


__all__: Sequence[str] = ("build_reports", "report_command", "ReportOutcome", "plan_runs", "notebook_files")
