"""End-to-end slices through the ``ogi`` command on the real seed report (清新区 2012)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.pipeline import run_pipeline

from .conftest import SAMPLE_DIR, SEED

COMMANDS = ("run", "ingest", "extract", "eval", "validate", "report", "status", "synth", "bench", "export")

# Figures of the seed report, read by hand from the published text (issue 3's acceptance list).
SEED_FIGURES = {
    "proactive_total": 27786,
    "proactive_via_website": 25477,
    "proactive_via_broadcast_tv": 2064,
    "proactive_via_gazette": 42,
    "proactive_via_bulletin_board": 48,
    "requests_received": 7,
    "fees_collected_yuan": 0,
    "reconsideration_total": 0,
    "litigation_total": 0,
}


def ogi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True,
                          timeout=300)


def test_help_documents_every_command() -> None:
    out = ogi("--help")
    assert out.returncode == 0
    for command in COMMANDS:
        assert command in out.stdout
    for command in COMMANDS:
        sub = ogi(command, "--help")
        assert sub.returncode == 0, command
        assert "usage: ogi " + command in sub.stdout
    assert "--db" in ogi("run", "--help").stdout


def test_extract_json_on_the_seed() -> None:
    out = ogi("extract", str(SEED), "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["organ"].startswith("清新区")
    assert report["year"] == 2012
    assert report["format"] == "narrative"
    got = {f["metric"]: f["value"] for f in report["facts"]}
    for metric, value in SEED_FIGURES.items():
        assert got.get(metric) == value, metric
    for f in report["facts"]:
        assert set(f) >= {"metric", "applicant", "value", "unit", "approx", "evidence", "location"}
    website = next(f for f in report["facts"] if f["metric"] == "proactive_via_website")
    # Evidence is quoted as printed: Traditional script, Taiwan phrasing.
    assert "通過清新入口網站及其網站群公開信息25477條" in website["evidence"]


def test_extract_names_a_missing_file() -> None:
    out = ogi("extract", "/nonexistent/report.html", "--json")
    assert out.returncode == 2
    assert "/nonexistent/report.html" in out.stderr


def _seed_folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    shutil.copy(SAMPLE_DIR / "pingtan-departments-2021" / "pingtan-police-2021.txt", inbox / "police.txt")
    return inbox


def test_run_is_incremental_and_reloads_only_a_changed_file(tmp_path: Path, fresh_db: Path) -> None:
    inbox = _seed_folder(tmp_path)
    first = run_pipeline([inbox], fresh_db, workers=1, progress=False)
    assert first.reports_loaded == 2 and not first.quarantined

    second = run_pipeline([inbox], fresh_db, workers=1, progress=False)
    assert second.reports_loaded == 0 and second.files_skipped == 2

    seed_copy = inbox / SEED.name
    seed_copy.write_text(seed_copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = run_pipeline([inbox], fresh_db, workers=1, progress=False)
    assert third.reports_loaded == 1 and third.files_skipped == 1

    con = duckdb.connect(str(fresh_db), read_only=True)
    # The edited file replaced its old version: still two reports, and no orphan facts.
    assert con.execute("select count(*) from reports").fetchone()[0] == 2
    assert con.execute("select count(*) from facts where report_id not in (select report_id from reports)"
                       ).fetchone()[0] == 0
    assert con.execute("select count(*) from runs where status = 'succeeded'").fetchone()[0] == 3
    con.close()


def test_seed_figures_are_queryable_with_their_evidence(tmp_path: Path, fresh_db: Path) -> None:
    inbox = _seed_folder(tmp_path)
    run_pipeline([inbox], fresh_db, workers=1, progress=False)
    con = duckdb.connect(str(fresh_db), read_only=True)
    rows = con.execute(
        "select f.metric, f.value, f.evidence from facts f join reports r using (report_id) "
        "where r.year = ? and r.organ like ?", [2012, "清新区%"]).fetchall()
    con.close()
    got = {m: (v, e) for m, v, e in rows}
    for metric, value in SEED_FIGURES.items():
        assert got[metric][0] == value, metric
    assert "全區共主動公開政府信息27786條" in got["proactive_total"][1]


def test_a_broken_file_is_quarantined_and_the_others_load(tmp_path: Path, fresh_db: Path) -> None:
    inbox = _seed_folder(tmp_path)
    (inbox / "broken.html").write_bytes(b"\x00\x01\x02PK\x03\x04 binary junk" * 50)
    summary = run_pipeline([inbox], fresh_db, workers=1, progress=False)
    assert summary.reports_loaded == 2
    assert [(Path(q.path).name, q.stage) for q in summary.quarantined] == [("broken.html", "normalise")]
    assert "broken.html" in summary.quarantined[0].error
    con = duckdb.connect(str(fresh_db), read_only=True)
    assert con.execute("select reason from quarantine").fetchall() == [("binary",)]
    con.close()
    status = ogi("status", "--db", str(fresh_db))
    assert status.returncode == 0
    assert "broken.html" in status.stdout and "2 report versions" in status.stdout
