"""Stage 2, normalise: bytes → :class:`~pipelines.model.Document`.

Decodes the bytes (UTF-8, GB18030/GBK, Big5 — detected, never guessed silently), renders HTML/DOCX/
PDF to text that keeps table structure, converts Traditional to Simplified Chinese with OpenCC
(characters with ``tw2s``, then the Taiwan phrases of ``reference/taiwan_phrases.csv``: 入口網站→门户网站,
程式→程序, 最佳化→优化, 檔案→文件, with place names left alone) and full-width
digits and punctuation to half-width. The original text is kept beside the normalised one, with a
line-level offset map between them.
"""

from __future__ import annotations

import codecs
import functools
import re

from pipelines.errors import DecodeError, UnreadableFormatError
from pipelines.formats import RawTable, Rendered
from pipelines.model import Document, Table

# Share of CJK characters that must change under Traditional→Simplified conversion before a text is
# treated as Traditional: Simplified text has a handful of such characters (于/於, 里/裡 pairs in
# names), a converted text has one in four or more.
TRADITIONAL_SHARE = 0.04
# Minimum plausibility (see :func:`plausibility`) of a decoding: real reports score 0.998 or more,
# the same text read with the wrong codec (GBK as Big5, UTF-8 as GBK) 0.71 at most.
PLAUSIBLE_SHARE = 0.9
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

    return opencc.OpenCC("tw2s")


@functools.lru_cache(maxsize=1)
def _taiwan_phrases() -> tuple[re.Pattern[str], dict[str, str]]:
    import csv

    from pipelines.config import REFERENCE_DIR

    with open(REFERENCE_DIR / "taiwan_phrases.csv", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")][1:]
    mapping = {taiwan: mainland for taiwan, mainland in rows}
    pattern = re.compile("|".join(sorted(map(re.escape, mapping), key=len, reverse=True)))
    return pattern, mapping


def to_simplified(text: str) -> str:
    """Traditional → Simplified characters, then Taiwan vocabulary → mainland (longest phrase first)."""
    converted = _converter().convert(text)
    pattern, mapping = _taiwan_phrases()
    return pattern.sub(lambda m: mapping[m.group(0)], converted)


def detect_script(text: str) -> str:
    """``traditional`` when a noticeable share of CJK characters changes under conversion."""
    sample = text[:20000]
    cjk = _CJK.findall(sample)
    if not cjk:
        return "simplified"
    converted = to_simplified(sample)
    if converted == sample:  # Simplified text, as most reports: nothing changed, no need to count
        return "simplified"
    if len(converted) != len(sample):
        changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    else:
        changed = sum(1 for a, b in zip(sample, converted, strict=True) if a != b)
    return "traditional" if changed / len(cjk) >= TRADITIONAL_SHARE else "simplified"


def _two_byte_hanzi(encoding: str, leads: range, trails: list[int]) -> frozenset[str]:
    chars = set()
    for lead in leads:
        for trail in trails:
            try:
                ch = bytes((lead, trail)).decode(encoding)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and "\u4e00" <= ch <= "\u9fff":
                chars.add(ch)
    return frozenset(chars)


@functools.lru_cache(maxsize=1)
def common_hanzi() -> frozenset[str]:
    """The hanzi ordinary text is written in: GB2312 (6,763 Simplified) and Big5 level 1 (5,401
    Traditional 常用字). Real reports use them for 99.8% of their characters or more; a text decoded
    with the wrong codec only for about 60–70% (measured on the shared corpus)."""
    gb2312 = _two_byte_hanzi("gb2312", range(0xB0, 0xF8), list(range(0xA1, 0xFF)))
    big5_common = _two_byte_hanzi("big5", range(0xA4, 0xC7), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))
    return gb2312 | big5_common


# Non-hanzi characters at home in Chinese text: CJK and general punctuation, full-width forms, circled
# and enclosed numbers (①, ㈠), number forms (Ⅱ), letterlike (℃, №), arrows, maths, boxes and shapes,
# the radicals PDF text layers print for 一/二/人 (⼀, ⼆, ⼈), and stray byte-order marks.
_EXPECTED_BLOCKS = (
    (0x2000, 0x27BF), (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3200, 0x32FF), (0xFE30, 0xFE4F),
    (0xFEFF, 0xFEFF), (0xFF00, 0xFFEF),
)
# Latin-1 symbols that appear in Chinese text (·, ×, °, §, ±, ÷ …); Latin-1 *letters* do not: a run
# of them is UTF-8 read as Latin-1 (å¹³æ½­ for 平潭).
_LATIN1_SYMBOLS = frozenset("\u00a0¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")
# What UTF-8's replacement character U+FFFD (EF BF BD) or uninitialised memory (0xCC, 0xCD) look like
# when decoded as GBK: common hanzi, but the classic signs that a page was mangled before it was saved.
MANGLED_RUNS = ("锟斤拷", "烫烫烫", "屯屯屯")
# Below this many non-ASCII characters a text is too short to call mojibake (an English page with one
# "café" is no report, and identify says so).
MIN_CHARACTERS_TO_JUDGE = 20
# Characters sampled to judge a decoding: enough to be sure, few enough to stay cheap on large pages.
PLAUSIBILITY_SAMPLE = 20000


def plausibility(text: str) -> float:
    """Share of a text's non-ASCII characters that belong in a Chinese report (1.0 when it has too few
    to judge).

    Common hanzi, CJK punctuation and the symbols reports use count; rare or unassigned hanzi, Latin
    letters with accents, private-use and replacement characters, and mojibake markers do not.
    """
    sample = text[:PLAUSIBILITY_SAMPLE]
    skipped, expected = _plausibility_classes()
    rest = skipped.sub("", sample)  # the characters judged: neither ASCII nor whitespace
    judged = len(rest)
    good = judged - len(expected.sub("", rest))
    if judged < MIN_CHARACTERS_TO_JUDGE:
        return 1.0
    mangled = sum(sample.count(run) * len(run) for run in MANGLED_RUNS)
    return max(0, good - mangled) / judged


@functools.lru_cache(maxsize=1)
def _plausibility_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two character classes for :func:`plausibility`, which counts with them in C instead of looping
    in Python: characters not judged (ASCII, or whitespace as ``str.isspace`` says: ``\\s`` is the same
    test), and the judged ones that belong in a Chinese report."""
    chars = "".join(re.escape(ch) for ch in sorted(common_hanzi() | _LATIN1_SYMBOLS))
    blocks = "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in _EXPECTED_BLOCKS)
    expected = chars + blocks
    return re.compile(r"[\x00-\x7f\s]+"), re.compile(f"[{expected}]+")


# Kept for callers of the old name.
_plausibility = plausibility

# Declared charsets mapped to the codec that decodes every page so labelled (GB2312/GBK pages routinely
# hold characters only GB18030 has; Big5 pages HKSCS ones).
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
    "big5-hkscs": "big5hkscs", "x-x-big5": "big5", "utf8": "utf-8",
}
# Codecs tried when the bytes are not UTF-8, after the declared one.
FALLBACK_ENCODINGS = ("gb18030", "big5", "big5hkscs")
# Two decodings closer than this in plausibility cannot be told apart; neither is chosen.
AMBIGUITY_MARGIN = 0.02
# Bytes inspected for binary content and a declared charset.
_HEAD_BYTES = 4096
# C0 control characters other than tab, newline, carriage return, form feed and escape: text has none.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_CONTROL_BYTES_DELETE = bytes(sorted(_CONTROL_BYTES))  # for bytes.translate: counts them in C
# Share of control bytes in the head above which a file is binary (a stray one in text is tolerated).
MAX_CONTROL_SHARE = 0.01
# Magic numbers of the binary files most often found under a report's name.
_MAGIC = (
    (b"%PDF-", "a PDF file"), (b"PK\x03\x04", "a ZIP/DOCX/XLSX file"), (b"\xd0\xcf\x11\xe0", "an old Word/Excel file"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its head, as printed (lower case), if any."""
    m = _META_CHARSET.search(data[:_HEAD_BYTES])
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def codec_for(charset: str) -> str:
    """The Python codec that decodes every page labelled ``charset``."""
    return _CHARSET_ALIASES.get(charset, charset)


def _refuse_binary(data: bytes, source: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"{source}: binary data, not text: this is {what} under a text file's name",
                              reason="binary")
    head = data[:_HEAD_BYTES]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES_DELETE))
    if b"\x00" in head or controls > MAX_CONTROL_SHARE * len(head):
        raise DecodeError(f"{source}: binary data, not text (control bytes where text should be)",
                          reason="binary")


def _refuse_mojibake(text: str, encoding: str, score: float, source: str) -> None:
    raise DecodeError(
        f"{source}: the text decodes as {encoding} but reads as mojibake (only {score:.0%} of its "
        f"non-ASCII characters are ones Chinese text uses; need {PLAUSIBLE_SHARE:.0%}): it was mangled "
        "by a wrong conversion before it was saved; refusing to load garbled text",
        reason="mojibake",
    )


# Longest multi-byte character of the codecs tried (GB18030 has four-byte sequences).
_MAX_CHAR_BYTES = 4


def _cut_off_in_a_character(data: bytes, declared: str | None) -> str | None:
    """The codec under which ``data`` is plausible text up to a last, incomplete character, if any."""
    for enc in dict.fromkeys(["utf-8", *([declared] if declared else []), *FALLBACK_ENCODINGS]):
        for cut in range(1, _MAX_CHAR_BYTES):
            try:
                text = data[:-cut].decode(enc)
            except (UnicodeDecodeError, LookupError):
                continue
            if plausibility(text) >= PLAUSIBLE_SHARE:
                return enc
    return None


def decode_bytes(data: bytes, source: str = "") -> tuple[str, str]:
    """Decode report bytes; return (text, encoding).

    Order: a BOM; strict UTF-8; the charset an HTML page declares, if it decodes strictly and
    plausibly; then GB18030 and Big5, strictly, keeping the most plausible. A text that decodes under
    none of them, or only to mojibake, is refused (the file is quarantined) instead of being guessed.
    When the page declares a charset that is wrong, the encoding returned says so
    (``gb18030 (declared utf-8)``), so the correction is recorded, not silent.
    """
    if not data:
        raise DecodeError(f"{source}: the file is empty (0 bytes)", reason="empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc, errors="strict")
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{source}: starts with a {enc} byte-order mark but is not valid {enc} "
                                  f"(byte {exc.start})", reason="undecodable") from exc
            score = plausibility(text)
            if score < PLAUSIBLE_SHARE:
                _refuse_mojibake(text, enc, score, source)
            return text, enc
    _refuse_binary(data, source)
    declared = declared_charset(data)
    declared_codec = codec_for(declared) if declared else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        score = plausibility(text)
        if score < PLAUSIBLE_SHARE:
            _refuse_mojibake(text, "UTF-8", score, source)
        return text, "utf-8" if declared_codec in (None, "utf-8") else f"utf-8 (declared {declared})"
    scored: list[tuple[float, str, str]] = []
    for enc in dict.fromkeys([*([declared_codec] if declared_codec and declared_codec != "utf-8" else []),
                              *FALLBACK_ENCODINGS]):
        try:
            candidate = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((plausibility(candidate), enc, candidate))
    if not scored:
        cut_off = _cut_off_in_a_character(data, declared_codec)
        if cut_off:
            raise DecodeError(f"{source}: the file ends in the middle of a {cut_off} character: it was cut off "
                              "(a truncated download or copy)", reason="truncated")
        raise DecodeError(
            f"{source}: the bytes are neither UTF-8, GB18030 nor Big5"
            + (f" (nor the declared {declared})" if declared else "") + "; refusing to guess",
            reason="undecodable",
        )
    best_score = max(s for s, _, _ in scored)
    if best_score < PLAUSIBLE_SHARE:
        _, enc, candidate = max(scored, key=lambda s: s[0])
        _refuse_mojibake(candidate, enc, best_score, source)
    # Decodings as good as the best (within the margin), in order of preference: declared first.
    top = [(s, enc, t) for s, enc, t in scored if s >= best_score - AMBIGUITY_MARGIN]
    if len({t for _, _, t in top}) > 1 and not (declared_codec and top[0][1] == declared_codec):
        raise DecodeError(f"{source}: the bytes read equally well as {' and '.join(e for _, e, _ in top)}; "
                          "declare the charset in the page to load it", reason="ambiguous_encoding")
    _, enc, text = top[0]
    if declared_codec and declared_codec != enc:
        return text, f"{enc} (declared {declared})"
    return text, enc


_HTML_OPEN = re.compile(r"<html[\s>]", re.I)
_TABLE_OPEN = re.compile(r"<table[\s>]", re.I)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.I)


def check_complete_html(text: str, source: str = "") -> None:
    """Refuse a page that was cut off: it opens <html> but never closes it, or leaves a table open.

    A truncated page still parses (HTML parsers forgive), so without this it would load with its
    later tables and figures silently missing.
    """
    if _HTML_OPEN.search(text[:_HEAD_BYTES]) and "</html" not in text.lower():
        raise UnreadableFormatError(f"{source}: the page stops before its end (no closing </html>): the "
                                    "file was cut off (a truncated download or copy)", reason="truncated")
    opened, closed = len(_TABLE_OPEN.findall(text)), len(_TABLE_CLOSE.findall(text))
    if opened > closed:
        raise UnreadableFormatError(f"{source}: the page stops inside a table ({opened} <table> opened, "
                                    f"{closed} closed): the file was cut off (a truncated download or copy)",
                                    reason="truncated")


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

        check_complete_html(text, source)
        return render_html(text, source), encoding
    return Rendered(text=text), encoding


def kind_of(suffix: str) -> str:
    return {".html": "html", ".htm": "html", ".txt": "text", ".md": "markdown", ".pdf": "pdf",
            ".docx": "docx"}.get(suffix.lower(), "text")


# Unicode category Cc (U+0000–U+001F, U+007F–U+009F) except tab and newline: dropped from the text.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]+")


def _clean_original(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return _CONTROL_CHARS.sub("", text)


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
    if not data:
        raise DecodeError(f"{source}: the file is empty (0 bytes)", reason="empty")
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
