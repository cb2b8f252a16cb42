"""Traditional → Simplified conversion: Taiwan phrases from mirrored copies, place names untouched."""

from __future__ import annotations

import pytest

from pipelines.normalise import detect_script, to_simplified


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        # The four Taiwan phrases seen in the seed's mirrored copy (清新区 2012).
        ("通過清新入口網站及其網站群公開信息", "通过清新门户网站及其网站群公开信息"),
        ("嚴格公開程式", "严格公开程序"),
        ("公開形式需進一步最佳化", "公开形式需进一步优化"),
        ("公開區政府與區政府辦公室檔案信息42條", "公开区政府与区政府办公室文件信息42条"),
        # OpenCC's tw2sp phrase table would turn these into 蚌端口市 and 国家文件馆.
        ("蚌埠市人民政府", "蚌埠市人民政府"),
        ("國家檔案館、圖書館查閱點", "国家档案馆、图书馆查阅点"),
    ],
)
def test_taiwan_phrases_become_mainland_words(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


def test_script_detection() -> None:
    assert detect_script("全區共主動公開政府信息27786條，其中通過網站公開信息25477條。") == "traditional"
    assert detect_script("全区共主动公开政府信息27786条，其中通过网站公开信息25477条。") == "simplified"
