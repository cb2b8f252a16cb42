"""Offsets in normalised text map back to the original script, so evidence is quoted as printed."""

from __future__ import annotations

from pipelines.normalise import normalise

from .conftest import SEED


def test_seed_evidence_is_quoted_in_traditional_script() -> None:
    doc = normalise(SEED.read_bytes(), ".txt", str(SEED))
    assert doc.script == "traditional"
    i = doc.text.index("全区共主动公开政府信息27786条")
    sentence = doc.evidence(i, i + 5)
    # The gold quote of the seed, in the original (Traditional) characters.
    assert "全區共主動公開政府信息27786條" in sentence
    assert "通過清新入口網站及其網站群公開信息25477條" in sentence


def test_phrase_conversion_changes_length_but_maps_to_the_same_line() -> None:
    # 最佳化 → 优化 shortens the line; offsets after it must still land on the original line.
    original = "公開形式需進一步最佳化,信息公開的有效性需提高。\n第二行共公開信息48條。"
    doc = normalise(original.encode("utf-8"), ".txt", "fragment")
    assert "优化" in doc.text
    i = doc.text.index("48")
    a, b = doc.to_original(i, i + 2)
    assert doc.original[a:b] == "48"
    first = doc.text.index("有效性")
    assert "有效性" in doc.evidence(first, first + 3)


def test_sentence_span_stops_at_chinese_full_stop() -> None:
    doc = normalise("甲公開信息3條。乙公開信息4條。".encode(), ".txt", "x")
    i = doc.text.index("4")
    assert doc.evidence(i, i + 1) == "乙公開信息4條。"
