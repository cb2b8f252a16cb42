"""Stage 2, normalise: bytes → :class:`~pipelines.model.Document`.

Decodes the bytes (UTF-8, GB18030/GBK, Big5 — detected, never guessed silently), renders HTML/DOCX/
PDF to text that keeps table structure, converts Traditional to Simplified Chinese with OpenCC
(``tw2sp``: Taiwan phrases too, 入口網站→门户网站, 程式→程序, 最佳化→优化, 檔案→文件) and full-width
digits and punctuation to half-width. The original text is kept beside the normalised one, with a
line-level offset map between them.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

from pipelines.errors import DecodeError, UnreadableFormatError
from pipelines.formats import RawTable, Rendered
from pipelines.model import Document, Table

# Share of CJK characters that must change under Traditional→Simplified conversion before a text is
# treated as Traditional: Simplified text has a handful of such characters (于/於, 里/裡 pairs in
# names), a converted text has one in four or more.
TRADITIONAL_SHARE = 0.04
# Minimum share of decoded characters that must be CJK or ASCII for a candidate decoding to count as
# plausible; mojibake from a wrong codec is mostly rare symbols and private-use characters.
PLAUSIBLE_SHARE = 0.85

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Full-width ASCII (U+FF01–U+FF5E) to half-width, and the ideographic space to a plain space.
# A 1:1 character table keeps offsets aligned (NFKC would not: ㈠ becomes three characters).
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
# Chinese punctuation that the extractors treat like ASCII. Kept 1:1.
_WIDTH.update({ord("，"): ord(","), ord("："): ord(":"), ord("；"): ord(";"), ord("（"): ord("("), ord("）"): ord(")")})


def half_width(text: str) -> str:
    """Full-width digits, letters and punctuation to half-width, character for character."""
    return text.translate(_WIDTH)


@functools.lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("tw2sp")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def detect_script(text: str) -> str:
    """``traditional`` when a noticeable share of CJK characters changes under conversion."""
    sample = text[:20000]
    cjk = _CJK.findall(sample)
    if not cjk:
        return "simplified"
    converted = to_simplified(sample)
    if len(converted) != len(sample):
        changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    else:
        changed = sum(1 for a, b in zip(sample, converted, strict=True) if a != b)
    return "traditional" if changed / len(cjk) >= TRADITIONAL_SHARE else "simplified"


def _plausibility(text: str) -> float:
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
               or "\uff00" <= ch <= "\uffef")
    return good / len(text)


def decode_bytes(data: bytes, source: str = "") -> tuple[str, str]:
    """Decode report bytes; return (text, encoding).

    Order: a BOM; strict UTF-8; the charset an HTML page declares, if it decodes strictly and
    plausibly; then GB18030 and Big5, strictly, keeping the most plausible. A text that decodes under
    none of them is refused (the file is quarantined) instead of being guessed.
    """
    if not data:
        raise DecodeError(f"{source}: the file is empty", reason="empty")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DecodeError(f"{source}: binary data, not text (NUL bytes)", reason="binary")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="strict"), enc
    try:
        text = data.decode("utf-8")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        declared = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5-hkscs": "big5hkscs"}.get(
            declared, declared
        )
        candidates.append(declared)
    candidates += ["gb18030", "big5", "big5hkscs"]
    best: tuple[float, str, str] | None = None
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text)
        if best is None or score > best[0] + 0.02:
            best = (score, text, enc)
    if best is None or best[0] < PLAUSIBLE_SHARE:
        raise DecodeError(
            f"{source}: the text is neither UTF-8, GB18030 nor Big5 (or is mojibake); refusing to guess",
            reason="undecodable",
        )
    return best[1], best[2]


def _render(data: bytes, kind: str, source: str) -> tuple[Rendered, str]:
    if kind == "pdf":
        from pipelines.formats.pdf import render_pdf

        return render_pdf(data, source), "binary"
    if kind == "docx":
        from pipelines.formats.docx import render_docx

        return render_docx(data, source), "binary"
    text, encoding = decode_bytes(data, source)
    if kind == "html":
        from pipelines.formats.html import render_html

        return render_html(text, source), encoding
    return Rendered(text=text), encoding


def kind_of(suffix: str) -> str:
    return {".html": "html", ".htm": "html", ".txt": "text", ".md": "markdown", ".pdf": "pdf",
            ".docx": "docx"}.get(suffix.lower(), "text")


def _clean_original(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return text


def normalise_text(original: str, script: str) -> tuple[str, list[int], list[int]]:
    """Normalise line by line; return the text and the start offsets of each line in both texts."""
    norm_lines: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    n = o = 0
    for line in original.split("\n"):
        converted = half_width(line)
        if script == "traditional":
            converted = to_simplified(converted)
        norm_starts.append(n)
        orig_starts.append(o)
        norm_lines.append(converted)
        n += len(converted) + 1
        o += len(line) + 1
    return "\n".join(norm_lines), norm_starts, orig_starts


def _normalise_table(index: int, raw: RawTable, script: str, origin: str) -> Table:
    def norm(cell: str) -> str:
        cell = half_width(cell)
        return to_simplified(cell) if script == "traditional" else cell

    rows = [[norm(c) for c in row] for row in raw.rows]
    return Table(index=index, rows=rows, raw_rows=[list(r) for r in raw.rows], origin=origin, spans=raw.owners)


def normalise(data: bytes, suffix: str, source: str = "") -> Document:
    """Turn one file's bytes into a :class:`Document` (raises a ReportError subclass when it cannot)."""
    kind = kind_of(suffix)
    rendered, encoding = _render(data, kind, source)
    original = _clean_original(rendered.text)
    if not original.strip():
        raise UnreadableFormatError(f"{source}: no text in the file", reason="empty")
    script = detect_script(original)
    text, norm_starts, orig_starts = normalise_text(original, script)
    tables = [_normalise_table(i, t, script, kind) for i, t in enumerate(rendered.tables)]
    title = rendered.title
    if title and script == "traditional":
        title = to_simplified(half_width(title))
    return Document(
        source=source, kind=kind, encoding=encoding, script=script, original=original, text=text,
        tables=tables, norm_line_starts=norm_starts, orig_line_starts=orig_starts, title=title,
    )
