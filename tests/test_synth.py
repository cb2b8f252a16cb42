"""The synthetic corpus generator: its truth is internally consistent, faults are exactly those it
records, carry-overs chain, prose quotes state their values, and a seed always gives the same files.

Identities are re-checked here independently of ``pipelines.synth.figures`` so a bug there cannot
hide itself.
"""

from __future__ import annotations

import filecmp
import html
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.synth import generate
from pipelines.synth.layout import TEXT_STYLES, Layout
from pipelines.synth.numbers import chinese_numeral, say_count

PERSON_AND_ORGS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
APPLICANTS = (*PERSON_AND_ORGS, "total")
BALANCE = ("new_received", "carried_over", "total_handled", "carried_forward")
NOT_OUTCOMES = {*BALANCE}
PROCEEDINGS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
RESULTS = ("upheld", "corrected", "other", "pending")


def _golds(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) | {"_name": p.name[: -len(".gold.json")]}
            for p in sorted(folder.glob("*.gold.json"))]


def _table3(gold: dict[str, Any]) -> dict[str, dict[str, int | None]]:
    t3: dict[str, dict[str, int | None]] = defaultdict(dict)
    for f in gold["facts"]:
        if f.get("applicant"):
            t3[f["metric"]][f["applicant"]] = f["value"]
    return t3


def _violations(gold: dict[str, Any]) -> set[str]:
    """Identities the printed tables break (blank = 0), computed from the gold facts alone."""
    t3 = _table3(gold)
    values = {f["metric"]: f["value"] for f in gold["facts"] if not f.get("applicant")}

    def v(m: str, a: str) -> int:
        return t3[m][a] or 0

    outcomes = [m for m in t3 if m not in NOT_OUTCOMES]
    broken = set()
    for a in APPLICANTS:
        if v("new_received", a) + v("carried_over", a) != v("total_handled", a) + v("carried_forward", a):
            broken.add(f"balance:{a}")
        if v("total_handled", a) != sum(v(m, a) for m in outcomes):
            broken.add(f"outcomes:{a}")
    for m in t3:
        if v(m, "total") != sum(v(m, a) for a in PERSON_AND_ORGS):
            broken.add(f"row:{m}")
    for p in PROCEEDINGS:
        if sum(values[f"{p}_{r}"] or 0 for r in RESULTS) != (values[f"{p}_total"] or 0):
            broken.add(f"table4:{p}")
    return broken


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three dozen reports of every kind (PDF only when fpdf2 is installed)."""
    out = tmp_path_factory.mktemp("synth")
    generate(out, 36, seed=11, formats="html,txt,docx,narrative")
    return out


@pytest.fixture(scope="module")
def faulty_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Standard reports that all carry one injected fault."""
    out = tmp_path_factory.mktemp("faulty")
    generate(out, 30, seed=5, formats="html", fault_rate=1.0)
    return out


def test_every_report_has_its_truth_beside_it(corpus: Path) -> None:
    reports = [p for p in corpus.iterdir() if not p.name.endswith(".gold.json")]
    assert len(reports) == 36
    for report in reports:
        gold = json.loads((corpus / (report.name.rsplit(".", 1)[0] + ".gold.json")).read_text("utf-8"))
        assert gold["format"] in ("narrative", "standard_2019", "standard_2021")
        assert gold["level"] in ("province", "city", "county", "township", "department")
        assert gold["organ"] and gold["region"] and gold["facts"]
        assert gold["format"] == "narrative" if gold["year"] <= 2018 else gold["format"].startswith("standard")
        assert gold["format"] != "standard_2021" or gold["year"] >= 2021


def test_standard_tables_are_complete(corpus: Path) -> None:
    for gold in _golds(corpus):
        if gold["format"] == "narrative":
            continue
        t3 = _table3(gold)
        # 2021: 25 rows (three 其他处理 rows); 2019 trial: 23 (one)
        expected_rows = 25 if gold["format"] == "standard_2021" else 23
        assert len(t3) == expected_rows, gold["_name"]
        assert all(set(row) == set(APPLICANTS) for row in t3.values())
        t4 = [f for f in gold["facts"] if f["metric"].startswith(PROCEEDINGS) and f["unit"] == "case"]
        assert len(t4) == 15


def test_identities_hold_in_reports_without_faults(corpus: Path) -> None:
    standard = [g for g in _golds(corpus) if g["format"] != "narrative"]
    assert standard
    for gold in standard:
        table_faults = {b for f in gold["faults"] for b in f["breaks"] if not b.startswith("chain:")}
        assert _violations(gold) == table_faults, gold["_name"]


def test_injected_faults_break_exactly_what_they_record(faulty_corpus: Path) -> None:
    golds = _golds(faulty_corpus)
    assert all(len(g["faults"]) == 1 for g in golds)
    kinds = {g["faults"][0]["kind"] for g in golds}
    assert kinds >= {"row_total", "outcome_cell"}
    for gold in golds:
        fault = gold["faults"][0]
        table_breaks = {b for b in fault["breaks"] if not b.startswith("chain:")}
        assert _violations(gold) == table_breaks, gold["_name"]
        if fault["kind"] != "carry_over":
            assert table_breaks, "a table fault must break an identity"
            printed = next(f["value"] for f in gold["facts"] if f["metric"] == fault["metric"]
                           and f.get("applicant") == fault["applicant"])
            assert printed == fault["printed"] != fault["expected"]


def test_fault_rate_zero_gives_clean_reports(tmp_path: Path) -> None:
    generate(tmp_path, 20, seed=3, formats="html", fault_rate=0.0)
    for gold in _golds(tmp_path):
        assert gold["faults"] == []
        assert _violations(gold) == set()


def _chain_breaks(folder: Path) -> tuple[int, list[str]]:
    """(links checked, links broken without a recorded carry_over fault)."""
    by_organ: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for gold in _golds(folder):
        if gold["format"] != "narrative":
            by_organ[gold["organ_id"]][gold["year"]] = gold
    checked, unexplained = 0, []
    for years in by_organ.values():
        for year, gold in years.items():
            previous = years.get(year - 1)
            if previous is None:
                continue
            forward = _table3(previous)["carried_forward"]
            over = _table3(gold)["carried_over"]
            faulted = {b.split(":")[1] for f in gold["faults"] for b in f["breaks"] if b.startswith("chain:")}
            for a in APPLICANTS:
                checked += 1
                if (forward[a] or 0) != (over[a] or 0) and a not in faulted:
                    unexplained.append(f"{gold['_name']}:{a}")
    return checked, unexplained


def test_carried_over_is_last_years_carried_forward(corpus: Path, faulty_corpus: Path) -> None:
    checked, unexplained = _chain_breaks(corpus)
    assert checked > 0, "the sample should hold organs reporting in consecutive years"
    assert unexplained == []
    checked, unexplained = _chain_breaks(faulty_corpus)
    assert unexplained == []


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 12, seed=4, formats="html,txt,docx,narrative")
    b = generate(tmp_path / "b", 12, seed=4, formats="html,txt,docx,narrative")
    c = generate(tmp_path / "c", 12, seed=5, formats="html,txt,docx,narrative")
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b, strict=True):
        assert filecmp.cmp(x, y, shallow=False), x.name
        gx, gy = (p.with_name(p.name.rsplit(".", 1)[0] + ".gold.json") for p in (x, y))
        assert filecmp.cmp(gx, gy, shallow=False)
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


def test_worker_processes_write_the_same_files(tmp_path: Path) -> None:
    one = generate(tmp_path / "one", 30, seed=8, formats="html,txt,narrative", workers=1)
    two = generate(tmp_path / "two", 30, seed=8, formats="html,txt,narrative", workers=2)
    assert [p.name for p in one] == [p.name for p in two]
    assert all(filecmp.cmp(x, y, shallow=False) for x, y in zip(one, two, strict=True))


# --- narrative prose --------------------------------------------------------------------------

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _parse_chinese(text: str) -> int:
    """Chinese numerals to an integer, written independently of pipelines.synth.numbers."""
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        elif ch in "万萬":
            total += (section + digit) * 10_000
            section = digit = 0
    return total + section + digit


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(万|萬)?|([零一二三四五六七八九十百千万萬]+)")


def _stated_value(quote: str) -> float | None:
    """The last number a quote states (skipping the year), in its unit's base (万 × 10,000)."""
    found = [m for m in _NUMBER.finditer(quote) if not quote[m.end():m.end() + 1] == "年"]
    if not found:
        return None
    m = found[-1]
    if m.group(3):
        return _parse_chinese(m.group(3))
    value = float(m.group(1))
    return value * 10_000 if m.group(2) else value


@pytest.fixture(scope="module")
def narrative_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("narrative")
    generate(out, 60, seed=21, formats="narrative")
    return out


def _report_text(folder: Path, name: str) -> str:
    """A report's text; for HTML the text between tags (Word splits labels over runs)."""
    for suffix in (".txt", ".html"):
        path = folder / (name + suffix)
        if path.exists():
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
            return html.unescape(re.sub(r"<[^>]+>", "", text)) if suffix == ".html" else text
    raise AssertionError(f"no report file for {name}")


def test_narrative_quotes_are_verbatim_and_state_their_values(narrative_corpus: Path) -> None:
    scripts = set()
    for gold in _golds(narrative_corpus):
        assert gold["format"] == "narrative" and 2008 <= gold["year"] <= 2018
        scripts.add(gold["script"])
        text = _report_text(narrative_corpus, gold["_name"])
        metrics = {f["metric"] for f in gold["facts"]}
        assert {"proactive_total", "requests_received", "fees_collected_yuan", "reconsideration_total"} <= metrics
        for fact in gold["facts"]:
            assert fact["quote"] in text, (gold["_name"], fact["quote"])
            if fact.get("from_table"):  # quoted by its row label; the value is in the row's cells
                continue
            stated = _stated_value(fact["quote"])
            if fact["value"] == 0 and stated is None:
                assert re.search("未|没有|免|無|沒有", fact["quote"]), fact["quote"]
                continue
            assert stated == pytest.approx(fact["value"]), (gold["_name"], fact)
            approx_words = re.search("余|餘|多|约|約|近", fact["quote"]) is not None
            assert fact["approx"] == approx_words, fact
    assert scripts == {"simplified", "traditional"}


def test_channels_do_not_exceed_the_total(narrative_corpus: Path) -> None:
    for gold in _golds(narrative_corpus):
        facts = {f["metric"]: f for f in gold["facts"]}
        total = facts["proactive_total"]
        if total["approx"]:
            continue
        via = sum(f["value"] for m, f in facts.items() if m.startswith("proactive_via_") and not f["approx"])
        assert via <= total["value"], gold["_name"]


def test_statistics_tables_accumulate_year_on_year(narrative_corpus: Path) -> None:
    """历年累计 of a year is last year's plus this year's; a part never exceeds its whole."""
    tables: dict[tuple[int, int], dict[str, float]] = {}
    for gold in _golds(narrative_corpus):
        figures = {f["metric"]: f["value"] for f in gold["facts"] if f.get("from_table")}
        if figures:
            tables[(gold["organ_id"], gold["year"])] = figures
            for suffix in ("", "_cumulative"):
                assert figures[f"table_proactive_via_website{suffix}"] <= figures[f"table_proactive_total{suffix}"]
                assert figures[f"table_requests_granted{suffix}"] <= figures[f"table_requests_received{suffix}"]
    assert tables, "the sample should hold reports with an appended statistics table"
    linked = 0
    for (organ_id, year), figures in tables.items():
        previous = tables.get((organ_id, year - 1))
        if previous is None:
            continue
        linked += 1
        for metric, value in figures.items():
            if not metric.endswith("_cumulative"):
                total = f"{metric}_cumulative"
                assert figures[total] == previous[total] + value, (organ_id, year, metric)
    assert linked > 0


@pytest.mark.parametrize(("n", "text"), [
    (0, "零"), (7, "七"), (10, "十"), (15, "十五"), (105, "一百零五"), (110, "一百一十"),
    (1010, "一千零一十"), (2300, "二千三百"), (12000, "一万二千"), (20500, "二万零五百"), (100000, "十万"),
])
def test_chinese_numerals(n: int, text: str) -> None:
    assert chinese_numeral(n) == text
    assert _parse_chinese(text) == n


def test_say_count_states_what_it_prints() -> None:
    import random

    rng = random.Random(0)
    styles = set()
    for n in [3, 47, 380, 1873, 12345, 56000, 250000] * 40:
        text, value, approx = say_count(n, rng, "条")
        styles.add("wan" if "万" in text else "cn" if re.search("[一二三四五六七八九十]", text) else
                   "approx" if approx else "arabic")
        assert _stated_value(text) == pytest.approx(value)
        assert approx or value == n
    assert styles == {"wan", "cn", "approx", "arabic"}


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    from pipelines.synth.generate import SynthUsageError

    with pytest.raises(SynthUsageError, match="xls"):
        generate(tmp_path, 2, formats="html,xls")


def test_real_report_folders_are_refused() -> None:
    from pipelines import config
    from pipelines.synth.generate import SynthUsageError

    with pytest.raises(SynthUsageError, match="real reports"):
        generate(config.RAW_DIR / "synthetic", 1)


def test_synth_command_writes_and_summarises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipelines.cli import main

    assert main(["synth", str(tmp_path / "out"), "--n", "5", "--seed", "2", "--formats", "html"]) == 0
    assert len(list((tmp_path / "out").glob("*.html"))) == 5
    assert "wrote 5 synthetic reports (5 html)" in capsys.readouterr().out
    assert main(["synth", str(tmp_path / "bad"), "--n", "5", "--formats", "xls"]) == 2


# --- layouts: the HTML a reader sees matches the truth, whatever the options -----------------

def _html_cells(path: Path) -> dict[tuple[str, str], str]:
    """Table-3 values read back from the HTML grids: (metric label, applicant) → cell text."""
    from pipelines.formats.html import render_html

    data = path.read_bytes()
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        html = data.decode("gb18030")
    rendered = render_html(html, str(path))
    cells: dict[tuple[str, str], str] = {}
    for table in rendered.tables:
        for r, row in enumerate(table.rows):
            # Each cell once, on the row it starts in (a colspan or rowspan cell fills several slots).
            own = [text for c, text in enumerate(row)
                   if table.owners[r][c] == (r, c)]
            if len(own) >= 8:  # table-3 rows: a label, then the seven applicant columns
                label = re.sub(r"\s+", "", own[-8])
                for applicant, text in zip(APPLICANTS, own[-7:], strict=True):
                    cells[(label, applicant)] = re.sub(r"[\s\u00a0]+", "", text)
    return cells


LABEL_OF = {
    "new_received": "一、本年新收政府信息公开申请数量", "granted": "（一）予以公开",
    "denied_state_secret": "1.属于国家秘密", "unable_not_held": "1.本机关不掌握相关政府信息",
    "not_processed_repeated": "2.重复申请", "total_handled": "（七）总计", "carried_forward": "四、结转下年度继续办理",
}

layouts = st.builds(
    Layout, word_markup=st.booleans(), split_table3=st.booleans(), results_label_twice=st.booleans(),
    wide_commercial_column=st.booleans(), font_tags=st.booleans(),
    split_labels=st.booleans(), nbsp_padding=st.booleans(), split_digits=st.booleans(), chrome=st.booleans(),
    normative_label=st.sampled_from(("行政规范性文件", "规范性文件")), encoding=st.sampled_from(("utf-8", "gb18030")),
    text_style=st.sampled_from(TEXT_STYLES), pipe_fill=st.booleans(), crawler_header=st.booleans(),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts, seed=st.integers(0, 10_000))
def test_html_tables_read_back_as_the_truth(tmp_path_factory: pytest.TempPathFactory, layout: Layout,
                                            seed: int) -> None:
    out = tmp_path_factory.mktemp("layout")
    for path in generate(out, 3, seed=seed, formats="html", layout=layout):
        gold = json.loads(path.with_name(path.stem + ".gold.json").read_text("utf-8"))
        cells = _html_cells(path)
        t3 = _table3(gold)
        for metric, label in LABEL_OF.items():
            for applicant in APPLICANTS:
                value = t3[metric][applicant]
                assert cells[(label, applicant)] == ("" if value is None else str(value)), (
                    path.name, metric, applicant, layout)
        html = path.read_bytes()
        assert (b"MsoNormal" in html) == layout.word_markup
        assert html.count(b"<table") == (4 if layout.split_table3 else 3)
