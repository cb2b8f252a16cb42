"""Decoding report bytes: detect the encoding, correct a wrong declaration, refuse what cannot be read.

Texts are real reports from tests/fixtures/robustness/good, re-encoded here the way publishers'
servers and crawlers mangle them.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipelines.errors import DecodeError, UnreadableFormatError
from pipelines.normalise import PLAUSIBLE_SHARE, decode_bytes, normalise, plausibility

GOOD = Path(__file__).parent / "fixtures" / "robustness" / "good"
SIMPLIFIED = (GOOD / "pingtan-county-2011.txt").read_text(encoding="utf-8")
TRADITIONAL = (GOOD / "qingxin-2012.txt").read_text(encoding="utf-8")
PAGE = (GOOD / "pingtan-2023-page.html").read_text(encoding="utf-8")


def _html(body: str, charset: str | None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(("text", "encoding", "charset", "expected"), [
    (SIMPLIFIED, "gb18030", None, "gb18030"),
    (SIMPLIFIED, "gbk", "gbk", "gb18030"),
    (SIMPLIFIED, "gbk", "utf-8", "gb18030 (declared utf-8)"),
    (SIMPLIFIED, "gbk", "big5", "gb18030 (declared big5)"),
    (TRADITIONAL, "big5", None, "big5"),
    (TRADITIONAL, "big5", "gb2312", "big5 (declared gb2312)"),
    (TRADITIONAL, "big5", "utf-8", "big5 (declared utf-8)"),
    (SIMPLIFIED, "utf-8", "gbk", "utf-8 (declared gbk)"),
])
def test_chinese_encodings_decode_whatever_the_page_declares(text: str, encoding: str, charset: str | None,
                                                              expected: str) -> None:
    page = _html(text, charset)
    decoded, used = decode_bytes(page.encode(encoding), "r.html")
    assert decoded == page
    assert used == expected


def test_a_real_page_re_encoded_as_gbk_keeps_its_text() -> None:
    data = PAGE.encode("gb18030")  # the page still says charset=utf-8
    text, used = decode_bytes(data, "pingtan-2023-page.html")
    assert text == PAGE and used == "gb18030 (declared utf-8)"


@pytest.mark.parametrize("mangle", [
    pytest.param(lambda t: t.encode("utf-8").decode("gb18030", errors="replace").encode("utf-8"), id="utf8-read-as-gbk"),
    pytest.param(lambda t: t.encode("utf-8").decode("latin-1").encode("utf-8"), id="utf8-read-as-latin1"),
    pytest.param(lambda t: t.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"), id="utf8-read-as-cp1252"),
    pytest.param(lambda t: t.encode("big5").decode("gbk", errors="replace").encode("gb18030"), id="big5-read-as-gbk"),
    pytest.param(lambda t: ("锟斤拷" * 400 + t[:200]).encode("utf-8"), id="replacement-chars-read-as-gbk"),
    pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8").decode("latin-1").encode("utf-8"), id="bom-then-mojibake"),
])
def test_mojibake_is_refused_not_loaded(mangle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DecodeError) as exc:
        decode_bytes(mangle(TRADITIONAL), "garbled.html")
    assert exc.value.reason == "mojibake"
    assert "garbled.html" in str(exc.value)


def test_plausibility_separates_real_text_from_a_wrong_codec() -> None:
    assert plausibility(SIMPLIFIED) > 0.99 and plausibility(TRADITIONAL) > 0.99
    wrong = TRADITIONAL.encode("big5").decode("gb18030", errors="replace")
    assert plausibility(wrong) < PLAUSIBLE_SHARE
    assert plausibility("plain ASCII") == 1.0


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary"),
    (random.Random(9).randbytes(3000), "binary"),
    (bytes(range(1, 32)) * 40, "binary"),
])
def test_empty_and_binary_files_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as exc:
        decode_bytes(data, "junk.html")
    assert exc.value.reason == reason and "junk.html" in str(exc.value)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_a_file_cut_inside_a_character_is_truncated(encoding: str) -> None:
    data = TRADITIONAL.encode(encoding)
    cut = next(i for i in range(len(data) // 2, len(data)) if data[i] >= 0x80) + 1  # inside a character
    with pytest.raises(DecodeError) as exc:
        decode_bytes(data[:cut], "cut.txt")
    assert exc.value.reason == "truncated"


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_a_cut_off_html_page_is_refused_as_truncated(cut: float) -> None:
    data = PAGE.encode("utf-8")
    data = data[: int(len(data) * cut)]
    data = data[: len(data.decode("utf-8", errors="ignore").encode("utf-8"))]  # cut between characters
    with pytest.raises(UnreadableFormatError) as exc:
        normalise(data, ".html", "cut.html")
    assert exc.value.reason == "truncated" and "cut.html" in str(exc.value)


def test_a_complete_page_and_a_fragment_are_not_truncated() -> None:
    assert normalise(PAGE.encode(), ".html", "p.html").text
    fragment = "<p>平潭县人民政府2011年政府信息公开工作年度报告</p><table><tr><td>1</td></tr></table>"
    assert "2011" in normalise(fragment.encode(), ".html", "f.html").text


@pytest.mark.parametrize("data", [b"   \n\t\r\n ", "\u3000\u3000\n".encode()])
def test_a_file_of_only_whitespace_is_empty(data: bytes) -> None:
    with pytest.raises(UnreadableFormatError) as exc:
        normalise(data, ".txt", "blank.txt")
    assert exc.value.reason == "empty"


def test_a_few_accented_letters_are_not_mojibake() -> None:
    text, used = decode_bytes("Annual report, café edition, naïve résumé".encode(), "en.html")
    assert used == "utf-8" and "café" in text


def test_pdf_radicals_and_stray_marks_count_as_chinese_text() -> None:
    # PDF text layers print Kangxi radicals for 一/二/人; Word leaves U+FEFF and U+200B in pages.
    text = SIMPLIFIED[:3000].replace("一", "⼀").replace("人", "⼈") + "\ufeff\u200b" * 30
    assert plausibility(text) >= PLAUSIBLE_SHARE
