"""HTML pages of synthetic reports: a CMS page around the article, plain or Word-pasted markup.

Strings are built directly (no templating engine): 10,000 pages must render in seconds.
"""

from __future__ import annotations

import random
from html import escape

from pipelines.synth.layout import Layout
from pipelines.synth.prose import Block, ReportText
from pipelines.synth.tables import Cell, Grid

# Word's paragraph and run styles, as pasted into CMS editors (pingtan-2019-page, shuyang-fgj-2023).
MSO_P = ('class="MsoNormal" style="margin:0cm;margin-bottom:.0001pt;text-align:center;'
         'line-height:150%;mso-pagination:widow-orphan"')
MSO_SPAN = 'style="font-size:10.5pt;font-family:仿宋_GB2312;mso-hansi-font-family:Calibri;color:black"'
MSO_SPAN_LATIN = 'lang="EN-US" style="font-size:10.5pt;font-family:Calibri;mso-bidi-font-family:Calibri"'
MSO_TD = ('style="border:solid windowtext 1.0pt;border-top:none;mso-border-alt:solid windowtext .5pt;'
          'padding:0cm 5.4pt 0cm 5.4pt"')
MSO_BODY_P = ('class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly"')
MSO_BODY_SPAN = 'style="font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:Calibri"'
NAV = ("首页", "政务公开", "政府信息公开", "政务服务", "互动交流", "走进本地")


def _split_text(text: str, rng: random.Random) -> list[str]:
    """Break a label in two or three runs at random points, as Word runs do."""
    if len(text) < 3:
        return [text]
    cuts = sorted(rng.sample(range(1, len(text)), k=min(2, len(text) - 1)))
    parts, last = [], 0
    for c in cuts:
        parts.append(text[last:c])
        last = c
    parts.append(text[last:])
    return [p for p in parts if p]


def _word_cell_content(cell: Cell, layout: Layout, rng: random.Random) -> str:
    if cell.is_blank:
        return f'<p {MSO_P}><span {MSO_SPAN_LATIN}><o:p>&nbsp;</o:p></span></p>'
    text = escape(cell.text, quote=False)
    if cell.is_value:
        runs = [text]
        if layout.split_digits and len(text) >= 2 and rng.random() < 0.3:
            k = rng.randint(1, len(text) - 1)
            runs = [text[:k], text[k:]]
        inner = "".join(f"<span {MSO_SPAN_LATIN}>{r}</span>" for r in runs)
        if layout.nbsp_padding and rng.random() < 0.25:
            pad = f'<span {MSO_SPAN_LATIN}>{"&nbsp;" * rng.randint(1, 7)}</span>'
            inner = pad + inner if rng.random() < 0.5 else inner + pad
        return f"<p {MSO_P}>{inner}<o:p></o:p></p>"
    run = _font_run if layout.font_tags else _span_run
    if layout.split_labels and rng.random() < 0.3:
        runs = _split_text(text, rng)
        roll = rng.random()
        if roll < 0.3 and len(runs) > 1:  # a label broken over two <p>
            return "".join(f"<p {MSO_P}>{run(r)}</p>" for r in runs)
        if roll < 0.5 and len(runs) > 1:  # a line break inside the label ('结果<br/>纠正')
            return f"<p {MSO_P}>{run('<br/>'.join(runs))}</p>"
        inner = "".join(run(r) for r in runs)
    else:
        inner = run(text)
    return f"<p {MSO_P}>{inner}<span {MSO_SPAN}><o:p></o:p></span></p>"


def _span_run(text: str) -> str:
    return f"<span {MSO_SPAN}>{text}</span>"


def _font_run(text: str) -> str:
    """Older Word exports wrap runs in <font face=…> (pingtan-2021-page)."""
    return f'<font face="仿宋_GB2312" style="font-size:10.5pt">{text}</font>'


def _body_run(text: str, layout: Layout) -> str:
    if layout.font_tags:
        return f'<font face="仿宋_GB2312">{text}</font>'
    return f"<span {MSO_BODY_SPAN}>{text}</span>"


def _plain_cell_content(cell: Cell, layout: Layout, rng: random.Random) -> str:
    if cell.is_blank:
        return "&nbsp;" if rng.random() < 0.7 else ""
    text = escape(cell.text, quote=False)
    if layout.nbsp_padding and cell.is_value and rng.random() < 0.2:
        return "&nbsp;" + text
    return text


def render_grid(grid: Grid, layout: Layout, rng: random.Random) -> str:
    content = _word_cell_content if layout.word_markup else _plain_cell_content
    attrs = (' class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
             'style="border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt"'
             if layout.word_markup else ' border="1" cellspacing="0" cellpadding="2" '
             'style="border-collapse:collapse" bordercolor="#000000"')
    td_style = " " + MSO_TD if layout.word_markup else ""
    out = [f"<table{attrs}><tbody>"]
    for row in grid:
        out.append("<tr>")
        for cell in row:
            span = ""
            if cell.rowspan > 1:
                span += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            out.append(f"<td{span}{td_style}>{content(cell, layout, rng)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _paragraph(block: Block, layout: Layout, rng: random.Random) -> str:
    text = escape(block.text, quote=False)
    if block.kind == "heading":
        if layout.word_markup:
            return (f'<p {MSO_BODY_P}><span style="font-size:16.0pt;font-family:黑体">{text}</span>'
                    f"<o:p></o:p></p>")
        return f'<p style="text-indent:2em;"><strong>{text}</strong></p>'
    if block.kind == "signature":
        return "".join(f'<p style="text-align:right">{escape(p, quote=False)}</p>' for p in block.pieces)
    if layout.word_markup:
        # Word splits runs mid-sentence (pingtan-2021-page: '按照</font><font …>“公开为常态').
        pieces = [escape(p, quote=False) for p in block.pieces]
        runs = "".join(_body_run(p, layout) for p in pieces if p)
        return f"<p {MSO_BODY_P}>{runs}<span {MSO_BODY_SPAN}><o:p></o:p></span></p>"
    return f'<p style="text-indent:2em;">{text}</p>'


def render_html(report: ReportText, layout: Layout, rng: random.Random) -> bytes:
    """The whole page: head, optional site chrome, the article with its tables, footer."""
    title = escape(report.title, quote=False)
    charset = "gb2312" if layout.encoding == "gb18030" else "utf-8"
    out = [f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; '
           f'charset={charset}">\n<title>{title}_{escape(report.publisher)}</title>\n'
           f'<meta name="ArticleTitle" content="{escape(report.title)}">\n'
           f'<meta name="PubDate" content="{report.published}">\n</head>\n<body>\n']
    if layout.chrome:
        nav = "".join(f'<li><a href="/{i}/">{n}</a></li>' for i, n in enumerate(NAV))
        out.append(f'<div class="header"><div class="logo">{escape(report.publisher)}门户网站</div>'
                   f'<ul class="nav">{nav}</ul></div>\n'
                   '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
                   '<a href="/zwgk/ndbg/">政府信息公开年报</a></div>\n')
    out.append('<div class="article">\n')
    if layout.chrome:
        out.append(f'<h1 class="article-title">{title}</h1>\n<div class="article-info">来源：'
                   f'{escape(report.publisher)}&nbsp;&nbsp;时间：{report.published}&nbsp;&nbsp;'
                   '【字体：<a>大</a> <a>中</a> <a>小</a>】</div>\n')
    out.append('<div class="TRS_Editor">\n' if layout.word_markup else '<div class="article-content">\n')
    for block in report.blocks:
        if block.kind == "title":
            out.append(f'<p style="text-align:center"><strong>{title}</strong></p>\n')
        elif block.kind == "table":
            for i, grid in enumerate(block.grids):
                if i:  # the page break between the two halves of a split table
                    out.append('<p class="MsoNormal">&nbsp;</p>\n' if layout.word_markup else "<p>&nbsp;</p>\n")
                out.append('<div align="center">' + render_grid(grid, layout, rng) + "</div>\n")
        else:
            out.append(_paragraph(block, layout, rng) + "\n")
    out.append("</div>\n</div>\n")
    if layout.chrome:
        out.append('<div class="share">分享到：微信 微博 QQ空间</div>\n<div class="footer">'
                   f'<p>主办：{escape(report.publisher)}办公室　版权所有</p><p>网站标识码：3500000001　'
                   '闽ICP备00000000号</p></div>\n')
    out.append("</body>\n</html>\n")
    return "".join(out).encode(layout.encoding)
