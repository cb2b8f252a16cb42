"""Bad input never costs a run: one ``ogi`` run over real reports mixed with every kind of bad file
loads the good ones with their published figures and quarantines each bad one with its reason.

The good reports are real (tests/fixtures/robustness/good, copied from the shared corpus); so are the
two pages that are no report at all (bad/). Everything else — empty, binary, cut-off, mis-encoded,
mojibake, 200 MB, encrypted and image-only PDFs, corrupt DOCX, reports without year or organ — is made
from them here, at test time, so nothing large or binary is committed.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.errors import IdentifyError, ReportError
from pipelines.parse import parse_bytes
from pipelines.pipeline import run_pipeline

FIXTURES = Path(__file__).parent / "fixtures" / "robustness"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"
HUGE_BYTES = 200 * 1024 * 1024

# Who published each good report and for which year (from the pages' titles and 发布机构).
GOOD_REPORTS = {
    "shanghai-govoffice-2019.html": ("上海市人民政府办公厅", 2019),
    "pingtan-2023.txt": ("平潭综合实验区管委会", 2023),
    "pingtan-2023-page.html": ("平潭综合实验区管委会", 2023),
    "qingxin-2012.txt": ("清新区人民政府", 2012),
    "pingtan-county-2011.txt": ("平潭县人民政府", 2011),
}
# Figures copied from the published reports (metric, applicant) → value; the file named is the source.
GOLD_FIGURES = {
    "shanghai-govoffice-2019.html": {("new_received", "total"): 859, ("total_handled", "total"): 805,
                                     ("carried_forward", "total"): 72},
    "pingtan-2023.txt": {("new_received", "total"): 81, ("granted", "total"): 22,
                         ("new_received", "natural_person"): 80, ("administrative_penalty_decisions", None): 1330},
    "pingtan-2023-page.html": {("new_received", "total"): 81, ("granted", "total"): 22},
    "qingxin-2012.txt": {("proactive_total", None): 27786, ("requests_received", None): 7},
    "pingtan-county-2011.txt": {("proactive_total", None): 425},
}


@dataclass(frozen=True)
class Decoded:
    """A good report re-encoded: it must load as the original does, with the encoding recorded."""

    original: str
    encoding: str


def _text(name: str) -> str:
    return (GOOD / name).read_text(encoding="utf-8")


def _pdf(text_lines: int, password: str | None = None, image_only: bool = False) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if image_only:  # a scan: a picture of a page, no text layer
        pdf.set_fill_color(120, 120, 120)
        for i in range(20):
            pdf.rect(15, 15 + i * 12, 170, 6, style="F")
    else:
        pdf.set_font("helvetica", size=11)
        for i in range(text_lines):
            pdf.cell(0, 8, f"Government information disclosure annual report, line {i}",
                     new_x="LMARGIN", new_y="NEXT")
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(pdf.output())


def _docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("平潭综合实验区2021年度政府信息公开工作年度报告")
    d.add_table(rows=3, cols=3)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _zip_without_word_parts() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("report.txt", "平潭综合实验区2021年度政府信息公开工作年度报告")
    return buf.getvalue()


def _cut_inside_a_character(data: bytes) -> bytes:
    """The bytes up to the middle of the last multi-byte character (a download that stopped there)."""
    last = max(i for i in range(len(data)) if data[i] >= 0x80)
    return data[:last]


def _no_year(text: str) -> str:
    return re.sub(r"(?:19|20)\d\d", "", text)


def _no_organ(text: str) -> str:
    """pingtan-2023 with every name of the zone and its province removed (and the one self-reference)."""
    for name in ("平潭综合实验区管委会办公室", "平潭综合实验区管委会", "平潭综合实验区", "平潭", "福建省", "福建"):
        text = text.replace(name, "")
    return text.replace("本机关不掌握", "不掌握")


def _with_charset(page: str, charset: str) -> str:
    return re.sub(r'<meta charset="utf-8">', f'<meta charset="{charset}">', page, count=1)


def _as_html(text: str, charset: str) -> str:
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title></title></head><body>{body}</body></html>")


# Bad files made at test time: name → (bytes maker, expected stage, expected reason).
BAD_MADE: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "empty.html": (lambda: b"", "normalise", "empty"),
    "blank.txt": (lambda: b" \r\n\t\n", "normalise", "empty"),
    "junk.html": (lambda: random.Random(7).randbytes(20_000), "normalise", "binary"),
    "screenshot.html": (lambda: b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(5000), "normalise", "binary"),
    "cut-off-page.html": (lambda: _text("pingtan-2023-page.html")[:30_000].encode(), "normalise", "truncated"),
    "cut-in-a-character.txt": (lambda: _cut_inside_a_character(_text("pingtan-county-2011.txt").encode("gb18030")),
                               "normalise", "truncated"),
    "mojibake-gbk.html": (lambda: _text("shanghai-govoffice-2019.html").encode().decode("gb18030", "replace").encode(),
                          "normalise", "mojibake"),
    "mojibake-latin1.txt": (lambda: _text("pingtan-county-2011.txt").encode().decode("latin-1").encode(),
                            "normalise", "mojibake"),
    "encrypted.pdf": (lambda: _pdf(30, password="secret"), "normalise", "encrypted_pdf"),
    "scanned.pdf": (lambda: _pdf(0, image_only=True), "normalise", "image_only_pdf"),
    "cut-off.pdf": (lambda: _pdf(30)[:900], "normalise", "corrupt_pdf"),
    "corrupt.docx": (lambda: _docx()[:3000], "normalise", "corrupt_docx"),
    "not-word.docx": (_zip_without_word_parts, "normalise", "corrupt_docx"),
    "no-year.txt": (lambda: _no_year(_text("pingtan-2023.txt")).encode(), "identify", "no_year"),
    "no-organ.txt": (lambda: _no_organ(_text("pingtan-2023.txt")).encode(), "identify", "no_organ"),
}
# Committed bad files (real pages that are no disclosure report).
BAD_COMMITTED = {
    "news-page.html": ("identify", "not_a_report"),
    "fee-rules.html": ("identify", "not_a_report"),
}
# Good reports re-encoded as publishers serve them: these must decode, not be quarantined.
RE_ENCODED: dict[str, tuple[Callable[[], bytes], Decoded]] = {
    "gbk-no-charset.html": (lambda: _text("shanghai-govoffice-2019.html").encode("gbk"),
                            Decoded("shanghai-govoffice-2019.html", "gb18030")),
    "gbk-declared-utf8.html": (lambda: _text("pingtan-2023-page.html").encode("gb18030"),
                               Decoded("pingtan-2023-page.html", "gb18030 (declared utf-8)")),
    "big5-no-charset.txt": (lambda: _text("qingxin-2012.txt").encode("big5"),
                            Decoded("qingxin-2012.txt", "big5")),
    "big5-declared-gb2312.html": (lambda: _as_html(_text("qingxin-2012.txt"), "gb2312").encode("big5"),
                                  Decoded("qingxin-2012.txt", "big5 (declared gb2312)")),
}


def build_inbox(root: Path, huge: bool = True) -> Path:
    """A folder of every bad case next to the good reports (what one run is pointed at)."""
    inbox = root / "inbox"
    (inbox / "good").mkdir(parents=True)
    (inbox / "bad").mkdir()
    (inbox / "re-encoded").mkdir()
    for name in GOOD_REPORTS:
        shutil.copyfile(GOOD / name, inbox / "good" / name)
    for name in BAD_COMMITTED:
        shutil.copyfile(BAD / name, inbox / "bad" / name)
    for name, (make, _, _) in BAD_MADE.items():
        (inbox / "bad" / name).write_bytes(make())
    for name, (make, _) in RE_ENCODED.items():
        (inbox / "re-encoded" / name).write_bytes(make())
    if huge:
        with open(inbox / "bad" / "huge.html", "wb") as f:
            f.truncate(HUGE_BYTES)  # sparse: no disk space used
    return inbox


def expected_quarantine(huge: bool = True) -> dict[str, tuple[str, str]]:
    out = {name: (stage, reason) for name, (_, stage, reason) in BAD_MADE.items()}
    out.update(BAD_COMMITTED)
    if huge:
        out["huge.html"] = ("discover", "too_large")
    return out


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, object]:
    root = tmp_path_factory.mktemp("robustness")
    inbox = build_inbox(root)
    db = root / "ogi.duckdb"
    summary = run_pipeline([inbox], db, workers=1, progress=False)
    con = duckdb.connect(str(db), read_only=True)
    yield con, summary
    con.close()


def test_each_bad_file_is_quarantined_with_its_reason(loaded) -> None:  # type: ignore[no-untyped-def]
    con, _ = loaded
    rows = con.execute("select source_path, stage, reason, error from quarantine").fetchall()
    got = {Path(p).name: (stage, reason) for p, stage, reason, _ in rows}
    assert got == expected_quarantine()
    for path, _, _, error in rows:
        assert Path(path).name in error, f"the message must name the file: {error}"


def test_no_file_crashed_the_extractor(loaded) -> None:  # type: ignore[no-untyped-def]
    _, summary = loaded
    assert summary.crashed == []


def test_every_good_report_loads_with_its_organ_and_year(loaded) -> None:  # type: ignore[no-untyped-def]
    con, _ = loaded
    rows = con.execute("select source_path, organ, year from reports").fetchall()
    got = {Path(p).name: (organ, year) for p, organ, year in rows}
    expected = dict(GOOD_REPORTS)
    expected.update({name: GOOD_REPORTS[d.original] for name, (_, d) in RE_ENCODED.items()})
    assert got == expected


def test_good_reports_carry_their_published_figures(loaded) -> None:  # type: ignore[no-untyped-def]
    con, _ = loaded
    for name, figures in GOLD_FIGURES.items():
        rows = con.execute(
            "select f.metric, f.applicant, f.value from facts f join reports r using (report_id) "
            "where r.source_path like ?", ["%/good/" + name]).fetchall()
        got = {(m, a): v for m, a, v in rows}
        for key, value in figures.items():
            assert got.get(key) == value, f"{name}: {key}"


def test_re_encoded_reports_decode_to_the_same_figures(loaded) -> None:  # type: ignore[no-untyped-def]
    con, _ = loaded

    def facts_of(suffix: str) -> list[tuple]:
        return con.execute(
            "select f.metric, f.applicant, f.value, f.raw from facts f join reports r using (report_id) "
            "where r.source_path like ? order by all", ["%" + suffix]).fetchall()

    for name, (_, decoded) in RE_ENCODED.items():
        encoding = con.execute("select encoding from reports where source_path like ?", ["%/" + name]).fetchone()
        assert encoding == (decoded.encoding,), name
        if name.endswith(Path(decoded.original).suffix):  # same rendering: the very same figures
            assert facts_of("/" + name) == facts_of("/good/" + decoded.original), name
            assert facts_of("/" + name), name


def test_versions_of_one_report_are_kept_and_one_is_current(loaded) -> None:  # type: ignore[no-untyped-def]
    con, _ = loaded
    versions = con.execute("select count(*) from reports where organ = ? and year = ?",
                           ["平潭综合实验区管委会", 2023]).fetchone()
    assert versions == (3,)  # the flattened text, the page, and the page served as GBK
    current = con.execute("select n_versions from marts.current_reports where organ = ? and year = ?",
                          ["平潭综合实验区管委会", 2023]).fetchall()
    assert current == [(3,)]


def test_a_second_run_skips_everything_already_seen(tmp_path: Path) -> None:
    inbox = build_inbox(tmp_path, huge=False)
    db = tmp_path / "ogi.duckdb"
    first = run_pipeline([inbox], db, workers=1, progress=False)
    second = run_pipeline([inbox], db, workers=1, progress=False)
    assert first.files_seen == second.files_seen
    assert second.reports_loaded == 0 and second.quarantined == []
    assert second.files_skipped == first.reports_loaded + len(first.quarantined)


def test_a_disagreeing_mirror_is_flagged(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(GOOD / "pingtan-2023.txt", inbox / "pingtan-2023.txt")
    mirror = _text("pingtan-2023.txt").replace("行政处罚1330", "行政处罚1331")
    assert mirror != _text("pingtan-2023.txt")
    (inbox / "pingtan-2023-mirror.txt").write_text(mirror, encoding="utf-8")
    db = tmp_path / "ogi.duckdb"
    run_pipeline([inbox], db, workers=1, progress=False)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select metric, min_value, max_value, n_versions_stating from marts.version_conflicts "
                       "where organ = ? and year = ?", ["平潭综合实验区管委会", 2023]).fetchall()
    con.close()
    assert rows == [("administrative_penalty_decisions", 1330.0, 1331.0, 2)]


@pytest.mark.parametrize("name", sorted(BAD_MADE))
def test_parse_refuses_each_bad_file_with_a_report_error(name: str, tmp_path: Path) -> None:
    make, stage, reason = BAD_MADE[name]
    with pytest.raises(ReportError) as exc:
        parse_bytes(make(), Path(name).suffix, str(tmp_path / name))
    assert (exc.value.stage, exc.value.reason) == (stage, reason)
    assert name in str(exc.value)


def test_a_standard_report_naming_no_organ_is_refused_despite_its_template_labels() -> None:
    """The 2021 template's row label 本机关不掌握相关政府信息 is no self-reference of the organ."""
    text = _no_organ(_text("pingtan-2023.txt")).replace("不掌握", "本机关不掌握")
    with pytest.raises(IdentifyError) as exc:
        parse_bytes(text.encode(), ".txt", "no-organ-2021-template.txt")
    assert exc.value.reason == "no_organ"


HOSTILE = ("平潭综合实验区管委会' or '1'='1", "x'; drop table reports; --", '"; delete from facts; --', "%", "$organ")


def test_user_values_reach_sql_only_as_values(tmp_path: Path) -> None:
    """Organ and region names from notebook parameters and CLI flags are bound, never spliced."""
    from pipelines.analysis import compare

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(GOOD / "pingtan-2023.txt", inbox / "pingtan-2023.txt")
    db = tmp_path / "ogi.duckdb"
    run_pipeline([inbox], db, workers=1, progress=False)
    for value in HOSTILE:
        assert compare.organ_facts(value, db=db).empty, value
        assert compare.default_organ(db=db, region=value) is None, value
    assert not compare.organ_facts("平潭综合实验区管委会", db=db).empty  # the real name does match
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from reports").fetchone() == (1,)
    assert con.execute("select count(*) > 0 from facts").fetchone() == (True,)
    con.close()


def _small_inbox(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    for name in ("pingtan-2023.txt", "qingxin-2012.txt", "pingtan-county-2011.txt"):
        shutil.copyfile(GOOD / name, inbox / name)
    (inbox / "empty.html").write_bytes(b"")
    return inbox


def test_a_report_the_warehouse_refuses_is_quarantined_and_the_batch_loads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipelines.load as load

    real_build = load.build_batch

    def refuse_qingxin(items, run_id):  # type: ignore[no-untyped-def]
        if any(i.source.path.endswith("qingxin-2012.txt") for i in items):
            raise ValueError("a value Arrow cannot hold")
        return real_build(items, run_id)

    monkeypatch.setattr(load, "build_batch", refuse_qingxin)
    db = tmp_path / "ogi.duckdb"
    summary = run_pipeline([_small_inbox(tmp_path)], db, workers=1, progress=False)
    assert summary.reports_loaded == 2
    assert [(Path(q.path).name, q.stage, q.reason) for q in summary.crashed] == [
        ("qingxin-2012.txt", "load", "load_error")]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from reports").fetchone() == (2,)
    assert sorted(r for (r,) in con.execute("select reason from quarantine").fetchall()) == ["empty", "load_error"]
    assert con.execute("select status from runs").fetchall() == [("succeeded",)]
    con.close()
    # ogi's bug, not the file's: the next run tries it again (and, fixed, loads it).
    monkeypatch.setattr(load, "build_batch", real_build)
    again = run_pipeline([tmp_path / "inbox"], db, workers=1, progress=False)
    assert again.reports_loaded == 1 and again.crashed == []


def test_a_warehouse_refusing_everything_fails_the_run_instead_of_blaming_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipelines.load as load

    real_build = load.build_batch

    def refuse_all(items, run_id):  # type: ignore[no-untyped-def]
        if items:
            raise duckdb.IOException("No space left on device")
        return real_build(items, run_id)

    monkeypatch.setattr(load, "build_batch", refuse_all)
    db = tmp_path / "ogi.duckdb"
    with pytest.raises(duckdb.IOException):
        run_pipeline([_small_inbox(tmp_path)], db, workers=1, progress=False)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from quarantine where reason = 'load_error'").fetchone() == (0,)
    assert con.execute("select status from runs").fetchall() == [("failed",)]
    con.close()


def test_a_file_an_extractor_gets_stuck_on_is_stopped_and_quarantined(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report followed by a 100,000-digit line once kept the prose extractor busy for half an hour."""
    import time

    import pipelines.parse

    def stuck(data, suffix, source):  # type: ignore[no-untyped-def]
        if source.endswith("stuck.txt"):
            while True:  # an extractor in a combinatorial search; any ``except Exception`` inside won't help
                try:
                    time.sleep(0.05)
                except Exception:  # noqa: BLE001
                    continue
        return real_parse(data, suffix, source)

    real_parse = pipelines.parse.parse_bytes
    monkeypatch.setattr("pipelines.pipeline.parse_bytes", stuck)
    monkeypatch.setenv("OGI_PARSE_TIMEOUT_SECONDS", "1.5")
    inbox = _small_inbox(tmp_path)
    (inbox / "stuck.txt").write_text(_text("pingtan-2023.txt"), encoding="utf-8")
    started = time.monotonic()
    summary = run_pipeline([inbox], tmp_path / "ogi.duckdb", workers=1, progress=False)
    assert time.monotonic() - started < 60
    assert summary.reports_loaded == 3
    assert [(Path(q.path).name, q.reason) for q in summary.crashed] == [("stuck.txt", "parse_timeout")]
    assert "more than 1.5s" in summary.crashed[0].error
