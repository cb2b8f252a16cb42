"""extract_standard end to end on real reports copied into tests/fixtures/standard/.

Each NAME.expected.json holds the table figures of the corpus gold file NAME.gold.json (copied, so
the tests need no shared corpus). The few figures pinned in the tests below are quoted from the
report named beside them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extract.flattened import cell_run, find_table3_rows
from pipelines.extract.standard import extract_standard
from pipelines.model import KIND_BLANK, KIND_NUMBER, Document, ExtractionWarning, Fact
from pipelines.normalise import normalise

FIXTURES = Path(__file__).parent / "fixtures" / "standard"

# (file, identify's format guess). The .html files are the corpus pages reduced to their text and
# tables by tests/fixtures/standard/render_fixtures.py.
REPORTS = [
    ("pingtan-2019.txt", "standard_2019"),
    ("pingtan-2020.txt", "standard_2019"),
    ("pingtan-2021.txt", "standard_2021"),
    ("pingtan-2025.txt", "standard_2021"),
    ("suqian-city-2025-testexcerpt.md", "standard_2021"),
    ("district-audit-2020-flipbook-p9.txt", "standard_2019"),
    ("shijiazhuang-edu-2021-pagesexcerpt.txt", "standard_2021"),
    ("pingtan-natres-eco-2021.txt", "standard_2021"),
    ("pingtan-market-regulation-2021.txt", "standard_2021"),
    ("pingtan-econdev-2021.txt", "standard_2021"),
    ("pingtan-police-2021.txt", "standard_2021"),
    ("pingtan-govoffice-2021.txt", "standard_2021"),
    ("pingtan-social-affairs-2021.txt", "standard_2021"),
    ("pingtan-2021-page.html", "standard_2021"),
    ("shanghai-govoffice-2019.html", "standard_2019"),
    ("shuyang-fgj-2023.html", "standard_2021"),
]
# Gold cells the flattened text cannot settle: the gold file took them from the HTML page
# ('行政规范性文件693665' splits as 69|3|665 or 6|93|665 …). They must be warned about, never guessed.
NOT_IN_TEXT = {
    "pingtan-2021.txt": {("normative_documents_issued", None), ("normative_documents_repealed", None),
                         ("normative_documents_in_force", None)},
}


def extract(name: str, fmt: str = "standard_2021") -> tuple[list[Fact], list[ExtractionWarning], Document]:
    path = FIXTURES / name
    doc = normalise(path.read_bytes(), path.suffix, str(path))
    facts, warnings = extract_standard(doc, fmt)
    return facts, warnings, doc


def by_key(facts: list[Fact]) -> dict[tuple[str, str | None], Fact]:
    out: dict[tuple[str, str | None], Fact] = {}
    for f in facts:
        assert (f.metric, f.applicant) not in out, f"two facts for {f.metric}/{f.applicant}"
        out[(f.metric, f.applicant)] = f
    return out


def expected(name: str) -> list[dict]:
    stem = name.rsplit(".", 1)[0]
    return json.loads((FIXTURES / f"{stem}.expected.json").read_text(encoding="utf-8"))["figures"]


@pytest.mark.parametrize(("name", "fmt"), REPORTS)
def test_gold_figures(name: str, fmt: str) -> None:
    facts, warnings, _ = extract(name, fmt)
    got = by_key(facts)
    unreadable = NOT_IN_TEXT.get(name, set())
    wrong = []
    for g in expected(name):
        key = (g["metric"], g["applicant"])
        if key in unreadable:
            assert key not in got, f"{key} was guessed"
            continue
        fact = got.get(key)
        if fact is None or (fact.value != pytest.approx(g["value"]) if g["value"] is not None else fact.value is not None):
            wrong.append((key, g["value"], fact.value if fact else "missing"))
    assert not wrong
    if unreadable:
        assert any(w.code == "ambiguous_split" and w.location.get("table") == 2 for w in warnings)


@pytest.mark.parametrize(("name", "fmt"), REPORTS)
def test_every_fact_is_well_formed(name: str, fmt: str) -> None:
    facts, _, _ = extract(name, fmt)
    units = {2: {"item", "10k_yuan", "yuan"}, 3: {"request"}, 4: {"case"}}
    for f in facts:
        assert f.table in (2, 3, 4)
        assert f.unit in units[f.table]
        assert f.location["table"] == f.table and f.location.get("row") and f.location.get("column")
        assert f.raw is not None and f.evidence
        assert (f.value is None) == (f.kind != KIND_NUMBER)


def test_misaligned_header_reads_by_value_cells() -> None:
    # pingtan-2021-page.html: 自然人 is colspan=2 in the header and every 商业企业 value a colspan=2
    # cell; 新收 reads 64 | 0 | 0 | 0 | 2 | 0 | 4 | 70 with 社会公益组织 2 and 其他 4.
    got = by_key(extract("pingtan-2021-page.html")[0])
    assert [got[("new_received", a)].value for a in
            ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")] \
        == [64, 0, 0, 2, 0, 4, 70]
    assert got[("litigation_direct_upheld", None)].value == 12
    assert got[("administrative_fees_amount_10k_yuan", None)].value == pytest.approx(24252.311082)


def test_balanced_report_has_no_identity_warning() -> None:
    _, warnings, _ = extract("pingtan-2021-page.html")
    assert not [w for w in warnings if w.code.startswith(("table3_", "table4_"))]


def test_blank_cells_stay_blank() -> None:
    # shanghai-govoffice-2019.html: the (一)予以公开 总计 cell is empty in the source (258/12/1/1).
    got = by_key(extract("shanghai-govoffice-2019.html", "standard_2019")[0])
    assert got[("granted", "total")].value is None
    assert got[("granted", "total")].kind == KIND_BLANK
    assert got[("granted", "natural_person")].value == 258
    assert got[("government_procurement_amount_yuan", None)].value == 251000
    assert got[("government_procurement_amount_yuan", None)].raw == "251000元"


def test_rows_without_cells_are_blank_not_zero() -> None:
    # pingtan-market-regulation-2021.txt: '…政府信息公开申请3.其他（七）总计' — no cells at all.
    got = by_key(extract("pingtan-market-regulation-2021.txt")[0])
    for applicant in ("natural_person", "total"):
        assert got[("other_fee_unpaid", applicant)].value is None
        assert got[("other_fee_unpaid", applicant)].kind == KIND_BLANK
    assert got[("granted", "total")].value == 3


def test_table_says_2019_though_identify_said_2021() -> None:
    facts, warnings, _ = extract("shanghai-govoffice-2019.html", "standard_2021")
    metrics = {f.metric for f in facts}
    assert "other_processing" in metrics and "other_other" not in metrics
    assert "regulations_new_made" in metrics
    assert any(w.code == "format_mismatch" for w in warnings)


def test_unbalanced_source_is_warned_not_fixed() -> None:
    # pingtan-2020.txt: the 自然人 outcomes add up to 26 but (七)总计 says 20 (source inconsistency).
    facts, warnings, _ = extract("pingtan-2020.txt", "standard_2019")
    got = by_key(facts)
    assert got[("total_handled", "natural_person")].value == 20
    messages = [w.message for w in warnings if w.code == "table3_outcomes"]
    assert any("natural_person" in m and "26" in m and "20" in m for m in messages)


def test_police_balance_failure_names_the_numbers() -> None:
    # pingtan-police-2021.txt: 新收1 + 上年结转0 = 1 but 总计1 + 结转1 = 2.
    _, warnings, _ = extract("pingtan-police-2021.txt")
    balance = [w for w in warnings if w.code == "table3_balance" and w.applicant == "total"]
    assert balance and "= 1" in balance[0].message and "= 2" in balance[0].message


def test_row_with_a_missing_column_reads_only_its_total() -> None:
    # pingtan-econdev-2021.txt: '（一）予以公开 0 0 0 0 0 0' — six cells for seven columns.
    facts, warnings, _ = extract("pingtan-econdev-2021.txt")
    granted = [f for f in facts if f.metric == "granted"]
    assert [(f.applicant, f.value) for f in granted] == [("total", 0)]
    assert any(w.code == "table3_missing_cell" and w.metric == "granted" for w in warnings)


def test_ambiguous_row_is_warned_not_guessed() -> None:
    # One row glued with nothing to tell 3|30 from 33|0: no column identity can decide alone.
    text = ("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量330000033\n"
            "二、上年结转政府信息公开申请数量0000000\n三、本年度办理结果（一）予以公开0000000\n"
            "（二）部分公开0000000\n（三）不予公开1.属于国家秘密0000000\n2.其他法律行政法规禁止公开0000000\n"
            "3.危及“三安全一稳定”0000000\n4.保护第三方合法权益0000000\n")
    doc = normalise(text.encode(), ".txt", "ambiguous.txt")
    facts, warnings = extract_standard(doc, "standard_2021")
    new = {f.applicant: f.value for f in facts if f.metric == "new_received"}
    assert "natural_person" not in new and "commercial" not in new  # 33|0 or 3|30: not guessed
    assert new["total"] == 33 and new["research"] == 0  # every reading agrees on these
    assert any(w.code == "ambiguous_split" and w.metric == "new_received" for w in warnings)


def test_columns_settle_a_row_the_row_cannot() -> None:
    # pingtan-2025.txt: '330000033' (予以公开) could be 3|30|…; the 商业企业 column only has 1.
    got = by_key(extract("pingtan-2025.txt")[0])
    assert got[("granted", "natural_person")].value == 33
    assert got[("granted", "commercial")].value == 0


def test_table4_run_without_labels() -> None:
    # suqian-city-2025-testexcerpt.md: '| 119 | 25 | 91 | 24 | 259 | 7 | 0 | 15 | 6 | 28 | 21 | 1 | 7 | 9 | 38 |'
    got = by_key(extract("suqian-city-2025-testexcerpt.md")[0])
    assert got[("reconsideration_total", None)].value == 259
    assert got[("litigation_after_reconsideration_pending", None)].value == 9


def test_table4_per_proceeding_rows() -> None:
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n行政复议 1 0 2 0 3\n"
            "未经复议直接起诉 12 0 0 0 12\n复议后起诉 0 0 0 0 0\n五、存在的主要问题\n")
    facts, _ = extract_standard(normalise(text.encode(), ".txt", "t4.txt"), "standard_2021")
    got = by_key(facts)
    assert got[("reconsideration_other", None)].value == 2
    assert got[("litigation_direct_total", None)].value == 12


def test_table4_identity_failure() -> None:
    text = "行政复议 行政诉讼\n1 0 2 0 4 0 0 0 0 0 0 0 0 0 0\n五、存在的主要问题\n"
    facts, warnings = extract_standard(normalise(text.encode(), ".txt", "t4.txt"), "standard_2021")
    assert by_key(facts)[("reconsideration_total", None)].value == 4
    assert [w.metric for w in warnings if w.code == "table4_total"] == ["reconsideration_total"]


def test_negative_change_and_units_in_text_rows() -> None:
    # 2019 trial rows as a PDF text layer prints them (values from pingtan-2020-page.html).
    text = ("第二十条第（六）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n行政处罚 2648 -18 538\n"
            "第二十条第（九）项\n信息内容 采购项目数量 采购总金额\n政府集中采购 395 73802895.90元\n"
            "三、收到和处理政府信息公开申请情况\n")
    facts, _ = extract_standard(normalise(text.encode(), ".txt", "t2.txt"), "standard_2019")
    got = by_key(facts)
    assert got[("administrative_penalty_change", None)].value == -18
    assert got[("government_procurement_amount_yuan", None)].value == pytest.approx(73802895.9)
    assert got[("government_procurement_items", None)].unit == "item"


def test_prose_confirms_one_cell_of_a_glued_row() -> None:
    # pingtan-2023.txt: '行政规范性文件77132470' and the prose '动态更新本年度制发的规范性文件77件'.
    text = ("一是做好规范性文件公开。动态更新本年度制发的规范性文件77件。\n二、主动公开政府信息情况"
            "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件77132470"
            "第二十条第（五）项信息内容本年处理决定数量行政许可2629三、收到和处理政府信息公开申请情况")
    facts, warnings = extract_standard(normalise(text.encode(), ".txt", "t.txt"), "standard_2021")
    got = by_key(facts)
    assert got[("normative_documents_issued", None)].value == 77
    assert ("normative_documents_in_force", None) not in got
    assert got[("administrative_licensing_decisions", None)].value == 2629
    assert any(w.code == "ambiguous_split" for w in warnings)


def test_traditional_full_width_report() -> None:
    text = ("三、收到和處理政府資訊公開申請情況\n"
            "一、本年新收政府資訊公開申請數量\t３７４６\t63\t0\t0\t19\t2\t3830\n"
            "二、上年結轉政府資訊公開申請數量\n10 0 0 0 0 0 10\n"
            "三、本年度辦理結果\t（一）予以公開\t100\t—\t/\t無\t2\t0\t102\n"
            "（二）部分公開（區分處理的，只計這一情形，不計其他情形）\t5\t0\t0\t0\t0\t0\t5\n"
            "（三）不予公開\t1、屬於國家秘密\t0\t0\t0\t0\t0\t0\t0\n"
            "2．其他法律行政法規禁止公開\t0\t0\t0\t0\t0\t0\t0\n"
            "3.危及「三安全一穩定」\t0\t0\t0\t0\t0\t0\t0\n"
            "4.保護第三方合法權益\t0\t0\t0\t0\t0\t0\t0\n")
    facts, _ = extract_standard(normalise(text.encode(), ".txt", "tw.txt"), "standard_2021")
    got = by_key(facts)
    assert got[("new_received", "natural_person")].value == 3746
    assert got[("new_received", "natural_person")].raw == "３７４６"  # as printed
    assert got[("granted", "social_welfare")].kind == "none_stated"
    assert got[("granted", "commercial")].kind == "not_applicable"
    assert got[("carried_over", "total")].value == 10
    assert got[("denied_law_forbidden", "total")].value == 0


@pytest.mark.parametrize(
    ("segment", "run"),
    [
        ("00000002.其他法律", "0000000"),  # pingtan-2019.txt: the next label's number follows the cells
        ("500000 5(三)不予公开", "500000 5"),  # pingtan-2021.txt
        ("0 0 0 0 0 0 03.补正后", "0 0 0 0 0 0 0"),  # pingtan-social-affairs-2021.txt
        (" | 3746 | 63 | 0 |", " | 3746 | 63 | 0 |"),
        ("无 无 无(七)总计", "无 无 无"),
        ("无正当理由大量反复申请", ""),  # 无 that starts a label is no cell
    ],
)
def test_cell_run(segment: str, run: str) -> None:
    assert cell_run(segment) == run


def test_find_rows_in_concatenated_text() -> None:
    doc = normalise((FIXTURES / "pingtan-2019.txt").read_bytes(), ".txt", "pingtan-2019.txt")
    rows = {r.key: r.run for r in find_table3_rows(doc)}
    assert rows["new_received"] == "230 000023"
    assert rows["denied_law_forbidden"] == "0000000"
    assert rows["other_processing"].strip() == "0 0 0 0 0 00"
    assert "other_other" not in rows  # the 2019 trial has one 其他处理 row


def test_no_table_no_facts() -> None:
    doc = normalise("一、总体情况\n本年度共收到申请3件。".encode(), ".txt", "prose.txt")
    assert extract_standard(doc, "standard_2021") == ([], [])


@pytest.mark.parametrize("name", ["pingtan-2021-page.html", "shanghai-govoffice-2019.html", "shuyang-fgj-2023.html"])
def test_pipe_rows_read_like_the_grid(name: str) -> None:
    """The same tables rendered as pipe rows in doc.text (what a Markdown export or a crawler keeps)
    give the same facts as the grids, repeated span cells and the misaligned header included."""
    path = FIXTURES / name
    doc = normalise(path.read_bytes(), path.suffix, str(path))
    from_grid = by_key(extract_standard(doc, "standard_2021")[0])
    doc.tables = []
    from_text = by_key(extract_standard(doc, "standard_2021")[0])
    assert {k: (f.value, f.kind) for k, f in from_text.items()} == {k: (f.value, f.kind) for k, f in from_grid.items()}


def test_table2_grid_header_without_xinxi_neirong() -> None:
    # Some bodies print '项目' where the template says 信息内容; the column words make the header.
    from pipelines.model import Table

    rows = [["第二十条第(一)项"] * 4, ["项目", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "3", "0", "15"], ["行政规范性文件", "61", "59", "422"]]
    doc = normalise("二、主动公开政府信息情况".encode(), ".txt", "t.txt")
    doc.tables = [Table(index=0, rows=rows, raw_rows=rows, origin="html")]
    got = by_key(extract_standard(doc, "standard_2021")[0])
    assert got[("normative_documents_repealed", None)].value == 59
    assert got[("regulations_in_force", None)].value == 15
    assert got[("regulations_in_force", None)].location == {"table": 2, "row": "规章", "column": "现行有效件数"}


def test_table4_ambiguous_run_reads_only_agreed_cells() -> None:
    # '0011011' reads 0|0|1|10|11 or 0|0|11|0|11 (both add up); the ten litigation zeros and the
    # first, second and last cells are the same in every reading.
    text = "行政复议 行政诉讼\n0011011 0 0 0 0 0 0 0 0 0 0\n五、存在的主要问题\n"
    facts, warnings = extract_standard(normalise(text.encode(), ".txt", "t4.txt"), "standard_2021")
    got = by_key(facts)
    assert any(w.code == "ambiguous_split" for w in warnings)
    assert got[("litigation_direct_total", None)].value == 0
    assert got[("reconsideration_total", None)].value == 11
    assert ("reconsideration_other", None) not in got and ("reconsideration_pending", None) not in got


def test_an_all_blank_pipe_row_stays_blank() -> None:
    # The label must not swallow the empty cells of its own row and the table-4 header after it.
    text = ("| （七）总计 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n"
            "| 四、结转下年度继续办理 |  |  |  |  |  |  |  |\n"
            "四、政府信息公开行政复议、行政诉讼情况\n| 行政复议 | 行政诉讼 |\n"
            "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n")
    facts, _ = extract_standard(normalise(text.encode(), ".md", "t.md"), "standard_2021")
    got = by_key(facts)
    assert got[("carried_forward", "total")].value is None
    assert got[("carried_forward", "total")].kind == KIND_BLANK
    assert got[("reconsideration_total", None)].value == 1


def test_prose_summary_before_the_table_is_not_read_as_the_table() -> None:
    # The prose of many 2021 reports walks through table 3's rows in order, with numbers.
    prose = ("（二）依申请公开。本年新收政府信息公开申请23件，上年结转政府信息公开申请0件。其中予以公开7件，"
             "部分公开1件，不予公开0件，属于国家秘密0件，其他法律行政法规禁止公开0件，危及“三安全一稳定”0件，"
             "保护第三方合法权益0件，属于三类内部事务信息0件，本机关不掌握相关政府信息7件，重复申请3件。\n")
    table = (FIXTURES / "pingtan-2019.txt").read_text(encoding="utf-8")
    text = table.replace("二、主动公开政府信息情况", prose + "二、主动公开政府信息情况", 1)
    facts, _ = extract_standard(normalise(text.encode(), ".txt", "p.txt"), "standard_2019")
    got = by_key(facts)
    assert got[("new_received", "total")].value == 23
    assert got[("unable_not_held", "natural_person")].value == 7
    assert got[("other_processing", "total")].value == 0
    assert got[("regulations_new_made", None)].value == 0  # table 2 is still found before table 3


@pytest.mark.parametrize("at", [1, 6])
def test_subtotal_column_is_dropped_where_the_header_prints_it(at: int) -> None:
    from pipelines.model import Table

    orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    header = ["", "自然人", *orgs, "总计"]
    header.insert(1 + at, "法人小计")

    def row(label: str, natural: int, org: list[int]) -> list[str]:
        cells = [str(natural), *map(str, org), str(natural + sum(org))]
        cells.insert(at, str(sum(org)))
        return [label, *cells]

    rows = [header,
            row("一、本年新收政府信息公开申请数量", 10, [0, 0, 0, 0, 0]),
            row("二、上年结转政府信息公开申请数量", 0, [0, 0, 0, 0, 0]),
            row("(一)予以公开", 10, [0, 0, 0, 0, 0]),
            row("(七)总计", 10, [0, 0, 0, 0, 0]),
            row("四、结转下年度继续办理", 0, [0, 0, 0, 0, 0])]
    doc = normalise("三、收到和处理政府信息公开申请情况".encode(), ".txt", "t.txt")
    doc.tables = [Table(index=0, rows=rows, raw_rows=rows, origin="html")]
    got = by_key(extract_standard(doc, "standard_2021")[0])
    assert got[("new_received", "natural_person")].value == 10
    assert got[("new_received", "total")].value == 10
    assert got[("new_received", "other_org")].value == 0
