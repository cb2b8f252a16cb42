"""Cells of the standard tables: what a printed cell means, and how glued runs split.

Cells and runs are copied from the corpus (file named in each case).
"""

from __future__ import annotations

import pytest

from pipelines.extract.table_cells import (
    KIND_UNREADABLE,
    groups_add_up,
    parse_cell,
    raw_cells,
    row_adds_up,
    split_run,
    tokens_of,
)
from pipelines.model import KIND_BLANK, KIND_NONE_STATED, KIND_NOT_APPLICABLE, KIND_NUMBER


@pytest.mark.parametrize(
    ("cell", "unit", "value", "kind"),
    [
        ("3746", "request", 3746, KIND_NUMBER),  # suqian-city-2025-testexcerpt.md, row 一
        ("", "request", None, KIND_BLANK),  # shanghai-govoffice-2019.html, empty 科研机构 cell
        ("   ", "request", None, KIND_BLANK),
        ("0", "request", 0, KIND_NUMBER),
        ("—", "request", None, KIND_NOT_APPLICABLE),
        ("-", "request", None, KIND_NOT_APPLICABLE),
        ("/", "request", None, KIND_NOT_APPLICABLE),
        ("不适用", "request", None, KIND_NOT_APPLICABLE),
        ("无", "request", None, KIND_NONE_STATED),
        ("-18", "item", -18, KIND_NUMBER),  # pingtan-2020-page.html, 行政处罚 本年增/减
        ("\u221215", "item", -15, KIND_NUMBER),  # a typeset minus sign
        ("1,234", "item", 1234, KIND_NUMBER),
        ("24252.311082", "10k_yuan", 24252.311082, KIND_NUMBER),  # pingtan-2021-page.html fee
        ("251000元", "yuan", 251000, KIND_NUMBER),  # shanghai-govoffice-2019.html 采购总金额
        ("75394432.52元", "yuan", 75394432.52, KIND_NUMBER),  # pingtan-2019-page.html
        ("160.5964万元", "yuan", 1605964, KIND_NUMBER),
        ("251000元", "10k_yuan", 25.1, KIND_NUMBER),
        ("160.5964万元", "10k_yuan", 160.5964, KIND_NUMBER),
        ("5件", "request", 5, KIND_NUMBER),
    ],
)
def test_parse_cell(cell: str, unit: str, value: float | None, kind: str) -> None:
    got_value, got_kind = parse_cell(cell, unit)
    assert got_kind == kind
    if value is None:
        assert got_value is None
    else:
        assert got_value == pytest.approx(value)


@pytest.mark.parametrize("cell", ["商业企业", "（一）予以公开", "12a", "1 2 3 件数"])
def test_parse_cell_refuses_words(cell: str) -> None:
    assert parse_cell(cell) == (None, KIND_UNREADABLE)


def test_zero_is_never_invented_for_a_blank() -> None:
    assert parse_cell("")[0] is None
    assert parse_cell("无")[0] is None


@pytest.mark.parametrize(
    ("run", "cells"),
    [
        # pingtan-2019.txt, row 一: '230 000023' = 23|0|0|0|0|0|23
        ("230 000023", ["23", "0", "0", "0", "0", "0", "23"]),
        # pingtan-2020.txt, row 一: '200 000121' = 20|0|0|0|0|1|21
        ("200 000121", ["20", "0", "0", "0", "0", "1", "21"]),
        # pingtan-natres-eco-2021.txt, row 一: '160 02 0 018' = 16|0|0|2|0|0|18
        ("160 02 0 018", ["16", "0", "0", "2", "0", "0", "18"]),
        # pingtan-govoffice-2021.txt: '300000 3' (a stray space before the total)
        ("300000 3", ["3", "0", "0", "0", "0", "0", "3"]),
    ],
)
def test_split_run_unique_by_row_total(run: str, cells: list[str]) -> None:
    assert split_run(tokens_of(run), 7, accept=row_adds_up) == [cells]


def test_split_run_lists_every_reading_when_the_row_cannot_choose() -> None:
    # pingtan-2025.txt, 予以公开 '330000033': 33|0|…|33 or 3|30|…|33 — only the columns decide.
    splits = split_run(tokens_of("330000033"), 7, accept=row_adds_up)
    assert ["33", "0", "0", "0", "0", "0", "33"] in splits
    assert ["3", "30", "0", "0", "0", "0", "33"] in splits


def test_split_run_keeps_token_boundaries() -> None:
    # A space always separates cells: '12 3' can never be the single cell 123.
    assert all("123" not in s for s in split_run(["12", "3"], 2))
    assert split_run(["12", "3"], 2) == [["12", "3"]]


def test_split_run_no_leading_zero_numbers() -> None:
    assert split_run(["05"], 1) == []
    assert split_run(["05"], 2) == [["0", "5"]]


def test_split_run_table4_groups() -> None:
    # pingtan-2025.txt table 4: 17 digits, 15 cells, each proceeding's five must add up.
    splits = split_run(["25380363300630003"], 15, accept=groups_add_up, group=5)
    assert splits == [["25", "3", "8", "0", "36", "3", "3", "0", "0", "6", "3", "0", "0", "0", "3"]]


def test_split_run_too_few_characters() -> None:
    assert split_run(["000"], 7) == []


def test_split_keeps_money_unit_on_its_piece() -> None:
    # pingtan-2019.txt 政府集中采购 '13575394432.52元': two cells, many readings.
    splits = split_run(["13575394432.52元"], 2)
    assert ["135", "75394432.52元"] in splits and ["1357", "5394432.52元"] in splits


def test_raw_cells_follow_printed_separators() -> None:
    assert raw_cells("1,605,964元 | 無", ["1605964元", "无"]) == ["1,605,964元", "無"]
    # A split by arithmetic has no separator to follow: the pieces are kept.
    assert raw_cells("230 000023", ["23", "0", "0", "0", "0", "0", "23"]) == ["23", "0", "0", "0", "0", "0", "23"]


@pytest.mark.parametrize(
    "run",
    ["230 000023", "200 000121", "160 02 0 018", "330000033", "270020130", "220000325", "15130000154",
     "0 0 0 0 0 00", "374663001923830"],  # corpus rows (pingtan-2019/2020/2021/2025, natres-eco) and a big one
)
def test_split_row_finds_what_the_full_search_finds(run: str) -> None:
    from pipelines.extract.table_cells import split_row

    # The unguided search is the oracle here, so it gets an unbounded step budget.
    full = split_run(tokens_of(run), 7, accept=row_adds_up, max_steps=10**9)
    assert sorted(split_row(tokens_of(run), 7)) == sorted(full)


def test_split_row_big_counts() -> None:
    from pipelines.extract.table_cells import split_row

    # suqian-city-2025-testexcerpt.md 新收 3746|63|0|0|19|2|3830, glued.
    assert ["3746", "63", "0", "0", "19", "2", "3830"] in split_row(["374663001923830"], 7)


def test_pipe_cells_drop_label_fillers_not_blank_values() -> None:
    from pipelines.extract.table_cells import pipe_cells

    # A label spanning fewer label columns leaves empty filler cells before the values.
    assert pipe_cells("|  |  | 9 |  |  |  |  |  | 9 |", 7) == ["9", "", "", "", "", "", "9"]
    # Exactly seven cells: a leading blank is a blank 自然人 cell and stays.
    assert pipe_cells("|  | 3 | 0 | 0 | 0 | 0 | 3 |", 7) == ["", "3", "0", "0", "0", "0", "3"]
    assert pipe_cells("| 1 | 0 |\n| 2 | 0 |") == ["1", "0", "2", "0"]
