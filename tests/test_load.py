"""The batch loader: one transaction per batch, versions of one report, conflicting figures."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from pipelines.load import Loaded, Quarantined, known_files, load_batch
from pipelines.model import Document, Extraction, Fact, ReportMeta, SourceFile
from pipelines.parse import Parsed

ORGAN = "平潭综合实验区管委会"


def _loaded(path: str, content: str, kind: str, facts: dict[tuple[str, str | None], float | None],
            organ: str = ORGAN, year: int = 2020) -> Loaded:
    data = content.encode()
    source = SourceFile(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), suffix="." + kind)
    doc = Document(source=path, kind=kind, encoding="utf-8", script="simplified", original=content, text=content,
                   norm_line_starts=[0], orig_line_starts=[0])
    meta = ReportMeta(organ=organ, organ_as_printed=organ, year=year, format="standard_2019")
    ext = Extraction(meta=meta, facts=[
        Fact(metric=m, applicant=a, value=v, unit="request", raw="" if v is None else str(v), table=3)
        for (m, a), v in facts.items()
    ])
    return Loaded(source=source, parsed=Parsed(document=doc, extraction=ext))


FIGURES = {("new_received", "total"): 23.0, ("new_received", "natural_person"): 23.0,
           ("granted", "total"): 10.0, ("carried_forward", "total"): 0.0}


def test_a_batch_is_all_or_nothing(memory_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _loaded("/in/a.html", "report a", "html", FIGURES)
    load_batch(memory_con, [good], [], "run-1")
    # The second batch fails half-way (its facts table is gone): nothing of it may remain.
    import pipelines.load as load

    real_insert = load._insert

    def failing_insert(con, table, data):  # type: ignore[no-untyped-def]
        if table == "facts":
            raise duckdb.IOException("disk full")
        real_insert(con, table, data)

    monkeypatch.setattr(load, "_insert", failing_insert)
    other = _loaded("/in/b.html", "report b", "html", FIGURES, organ="平潭县人民政府")
    with pytest.raises(duckdb.IOException):
        load_batch(memory_con, [other], [Quarantined("/in/c.html", "c" * 64, "normalise", "binary", "junk")], "run-2")
    assert memory_con.execute("select source_path from files").fetchall() == [("/in/a.html",)]
    assert memory_con.execute("select count(*) from reports").fetchone() == (1,)
    assert memory_con.execute("select count(*) from quarantine").fetchone() == (0,)
    assert memory_con.execute("select count(*) from facts").fetchone() == (len(FIGURES),)


def test_a_changed_file_replaces_its_old_version(memory_con: duckdb.DuckDBPyConnection) -> None:
    load_batch(memory_con, [_loaded("/in/a.html", "first", "html", FIGURES)], [], "run-1")
    changed = _loaded("/in/a.html", "second", "html", {("new_received", "total"): 24.0})
    load_batch(memory_con, [changed], [], "run-2")
    assert memory_con.execute("select report_id from reports").fetchall() == [(changed.source.report_id,)]
    assert memory_con.execute("select value from facts").fetchall() == [(24.0,)]
    assert known_files(memory_con) == {"/in/a.html": changed.source.sha256}


def test_a_loaded_file_that_turns_bad_is_quarantined_and_its_version_removed(
        memory_con: duckdb.DuckDBPyConnection) -> None:
    load_batch(memory_con, [_loaded("/in/a.html", "first", "html", FIGURES)], [], "run-1")
    load_batch(memory_con, [], [Quarantined("/in/a.html", "f" * 64, "normalise", "truncated", "/in/a.html: cut")],
               "run-2")
    assert memory_con.execute("select count(*) from reports").fetchone() == (0,)
    assert memory_con.execute("select count(*) from facts").fetchone() == (0,)
    assert memory_con.execute("select status from files").fetchall() == [("quarantined",)]


def test_two_sources_of_one_report_are_both_kept_and_one_is_current(memory_con: duckdb.DuckDBPyConnection) -> None:
    page = _loaded("/mirror-a/pingtan-2020-page.html", "<html>page</html>", "html", FIGURES)
    text = _loaded("/mirror-b/pingtan-2020.txt", "flattened text", "text", FIGURES)
    load_batch(memory_con, [page, text], [], "run-1")
    rows = memory_con.execute("select report_id, kind from reports order by kind").fetchall()
    assert rows == [(page.source.report_id, "html"), (text.source.report_id, "text")]
    current = memory_con.execute("select report_id, n_versions from marts.current_reports").fetchall()
    # Same number of figures read: the published page beats the flattened text (010_current_reports).
    assert current == [(page.source.report_id, 2)]
    assert memory_con.execute("select count(*) from marts.version_conflicts").fetchone() == (0,)


def test_same_bytes_under_two_paths_are_one_version(memory_con: duckdb.DuckDBPyConnection) -> None:
    a = _loaded("/mirror-a/r.html", "same bytes", "html", FIGURES)
    b = _loaded("/mirror-b/r.html", "same bytes", "html", FIGURES)
    load_batch(memory_con, [a, b], [], "run-1")
    assert memory_con.execute("select count(*) from reports").fetchone() == (1,)
    assert memory_con.execute("select count(*) from files where status = 'loaded'").fetchone() == (2,)


def test_disagreeing_versions_are_flagged_figure_by_figure(memory_con: duckdb.DuckDBPyConnection) -> None:
    page = _loaded("/a/pingtan-2020-page.html", "<html>page</html>", "html", FIGURES)
    disagreeing = dict(FIGURES)
    disagreeing[("granted", "total")] = 11.0           # a different number
    disagreeing[("carried_forward", "total")] = None   # blank where the page says 0
    disagreeing[("denied_state_secret", "total")] = 1.0  # only this version states it: not a conflict
    text = _loaded("/b/pingtan-2020.txt", "flattened", "text", disagreeing)
    other_year = _loaded("/b/pingtan-2021.txt", "another year", "text", {("granted", "total"): 99.0}, year=2021)
    load_batch(memory_con, [page, text, other_year], [], "run-1")
    rows = memory_con.execute(
        "select metric, applicant, n_versions_stating, n_values, current_report_id, current_value, min_value, "
        "max_value from marts.version_conflicts order by metric").fetchall()
    # The text version states one figure more, so it is the current one (010_current_reports).
    rid = text.source.report_id
    assert rows == [
        ("carried_forward", "total", 2, 2, rid, None, 0.0, 0.0),
        ("granted", "total", 2, 2, rid, 11.0, 10.0, 11.0),
    ]
    versions = memory_con.execute(
        "select versions from marts.version_conflicts where metric = 'granted'").fetchone()[0]
    assert sorted((v["kind"], v["value"]) for v in versions) == [("html", 10.0), ("text", 11.0)]
