"""The format readers: grids with cell owners (HTML, DOCX, PDF), tables placed in the text where
they stand, and files that cannot be read refused with a reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipelines.errors import UnreadableFormatError
from pipelines.formats.docx import render_docx
from pipelines.formats.html import render_html
from pipelines.formats.pdf import render_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "standard"


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    grid = document.add_table(rows=3, cols=3)
    grid.cell(0, 0).merge(grid.cell(1, 0)).text = "申请人情况"  # rowspan=2
    grid.cell(0, 1).merge(grid.cell(0, 2)).text = "自然人"  # colspan=2
    grid.cell(1, 1).text = "64"
    grid.cell(2, 0).text = "总计"
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_grid_owners() -> None:
    rendered = render_docx(_docx_bytes())
    table = rendered.tables[0]
    assert table.rows[0] == ["申请人情况", "自然人", "自然人"]
    assert table.rows[1][0] == "申请人情况"  # vMerge continuation repeats the cell above
    assert table.owners[0][1] == table.owners[0][2] == (0, 1)
    assert table.owners[1][0] == (0, 0)
    assert table.owners[1][1] != table.owners[1][2]


def test_docx_table_sits_between_its_paragraphs() -> None:
    lines = render_docx(_docx_bytes()).text.split("\n")
    assert lines[0].startswith("三、")
    assert lines[1].startswith("| 申请人情况 |")
    assert lines[-1].startswith("四、")


def test_html_grid_owners_for_the_misaligned_header() -> None:
    # pingtan-2021-page.html: 商业企业 values are colspan=2 cells.
    rendered = render_html((FIXTURES / "pingtan-2021-page.html").read_text(encoding="utf-8"))
    table3 = next(t for t in rendered.tables if any("本年新收" in c for c in t.rows[3]))
    row = table3.rows[3]
    assert row[3:] == ["64", "0", "0", "0", "2", "0", "4", "70"]
    assert table3.owners[3][4] == table3.owners[3][5]


def test_pdf_merged_slots_get_the_owner_of_their_cell() -> None:
    rendered = render_pdf((FIXTURES / "pingtan-2021-page.pdf").read_bytes())
    table3 = next(t for t in rendered.tables if len(t.rows) > 3 and any("本年新收" in c for c in t.rows[3]))
    row, owners = table3.rows[3], table3.owners[3]
    distinct = [row[c] for c in range(len(row)) if owners[c] not in owners[:c]]
    assert [v for v in distinct if v.isdigit()] == ["64", "0", "0", "2", "0", "4", "70"]
    assert len([v for v in row if v.isdigit()]) == 8  # the colspan=2 商业企业 value fills two slots


def test_pdf_tables_are_placed_where_they_stand() -> None:
    text = render_pdf((FIXTURES / "shuyang-fgj-2023.pdf").read_bytes()).text
    heading = text.index("二、主动公开政府信息情况")
    table2 = text.index("| 第二十条第")
    heading3 = text.index("三、收到和处理政府信息公开申请情况")
    assert heading < table2 < heading3


@pytest.mark.parametrize(
    ("reader", "data", "reason"),
    [
        (render_pdf, b"not a pdf at all", "corrupt_pdf"),
        (render_docx, b"PK\x03\x04 broken zip", "corrupt_docx"),
        (render_html, "   ", "empty"),
    ],
)
def test_unreadable_files_are_refused(reader, data, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnreadableFormatError) as err:
        reader(data)
    assert err.value.reason == reason


def test_docx_table_inside_a_content_control_is_read() -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    grid = document.add_table(rows=1, cols=2)
    grid.cell(0, 0).text = "行政许可"
    grid.cell(0, 1).text = "2293"
    tbl = grid._tbl
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtContent/></w:sdt>")
    tbl.addprevious(sdt)
    sdt[0].append(tbl)  # moves the table into the content control
    buf = io.BytesIO()
    document.save(buf)
    rendered = render_docx(buf.getvalue())
    assert rendered.tables and rendered.tables[0].rows == [["行政许可", "2293"]]


def _word(text: str, x0: float, top: float) -> dict:  # type: ignore[type-arg]
    return {"text": text, "x0": x0, "x1": x0 + 10 * len(text), "top": top, "bottom": top + 8}


def _line(words: list[dict]) -> dict:  # type: ignore[type-arg]
    return {"text": " ".join(w["text"] for w in words), "top": words[0]["top"], "bottom": words[0]["bottom"],
            "x0": words[0]["x0"], "x1": words[-1]["x1"]}


HEADER = [_word("自然人", 300, 100), _word("商业企业", 370, 100), _word("科研机构", 450, 100),
          _word("社会公益组织", 510, 100), _word("法律服务机构", 590, 100), _word("其他", 690, 100),
          _word("总计", 770, 100)]


def test_text_layer_row_keeps_its_blank_cells() -> None:
    from pipelines.formats.pdf import aligned_rows

    # shanghai-govoffice-2019: 新收 821 | 35 | | | 2 | 1 | 859, as the text layer prints it.
    row = [_word("一、本年新收政府信息公开申请数量", 50, 120), _word("821", 310, 120), _word("35", 385, 120),
           _word("2", 630, 120), _word("1", 700, 120), _word("859", 775, 120)]
    lines = [_line(HEADER), _line(row)]
    aligned, carried = aligned_rows(lines, HEADER + row)
    assert aligned == {1: "一、本年新收政府信息公开申请数量 | 821 | 35 |  |  | 2 | 1 | 859 |"}
    assert carried is not None  # no 结转下年 row yet: the table goes on on the next page


def test_text_layer_row_left_alone_when_two_numbers_share_a_column() -> None:
    from pipelines.formats.pdf import aligned_rows

    row = [_word("(一)予以公开", 50, 120), _word("3", 300, 120), _word("4", 312, 120)]
    aligned, _ = aligned_rows([_line(HEADER), _line(row)], HEADER + row)
    assert aligned == {}
