"""Make Great Expectations' Data Docs work without internet.

GE's pages load bootstrap, bootstrap-table, jQuery, Font Awesome, vega … from CDNs; offline they
are unstyled and the index's table of validation runs (drawn by bootstrap-table) stays empty.
``make_offline`` copies the vendored files (``docs_vendor/``, see its SOURCES.md) to
``<docs>/static/vendor/`` and points every page's ``href``/``src`` at them, relative to the page.
GE's logo goes to the copy GE puts in ``static/images``; the newsletter footer is removed. Plain
``<a>`` links (GE's documentation) are left as they are: they are links, not page resources.

Pure over the folder and idempotent: a second call changes nothing.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

VENDOR_SOURCE = Path(__file__).with_name("docs_vendor")
VENDOR_TARGET = ("static", "vendor")  # below the docs folder
LOGO = ("static", "images", "logo-long.png")  # GE copies it into every docs folder

# Every CDN URL Great Expectations 1.24 writes into its pages -> the file under docs_vendor/.
CDN_FILES: dict[str, str] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js-1.12.9/dist/umd/popper.min.js"
    ),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap-4.3.1/dist/css/bootstrap.min.css"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap-4.3.1/dist/js/bootstrap.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table-1.19.1/dist/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table-1.19.1/dist/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": (
        "bootstrap-table-1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    # the index names the .min.css, the other pages the .css: same rules, one (minified) file
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": (
        "bootstrap-table-1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": (
        "bootstrap-table-1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker-1.9.0/dist/css/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker-1.9.0/dist/js/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "fontawesome-free-6.6.0/css/all.min.css"
    ),
    # the minified build of the same file (883 KB -> 153 KB)
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "bootstrap-dark-1.1.0/dist/css/bootstrap-prefers-dark.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": "vega-5.33.1/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite-5.23.0/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed-6.29.0/build/vega-embed.min.js",
}
# GE's logo: <img src=".../logo-long.png?d=<timestamp>"> and, in the dark-mode CSS, full_logo_dark.png
_LOGO_URL = re.compile(
    r"https?://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/"
    r"(?:logo-long|full_logo_dark)\.png(?:\?[^\"')\s]*)?"
)
# src="…" / href="…" with an absolute http(s) URL, and the tag holding it
_TAG = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*>")
_ATTR = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])(https?://[^"']*)\2""", re.IGNORECASE)
_SRI = re.compile(r"""\s+(?:integrity|crossorigin)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)(https?://[^"')\s]*)\1\s*\)""", re.IGNORECASE)
_NEWSLETTER = re.compile(
    r"[ \t]*<footer>\s*<p>[^<]*newsletter[^<]*<a\s[^>]*greatexpectations\.io/newsletter[^>]*>[^<]*</a>\s*"
    r"</p>\s*</footer>[ \t]*\n?",
    re.IGNORECASE,
)


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def _local(url: str, page: Path, docs: Path) -> str | None:
    """The page-relative path of a CDN URL's local copy, or None for a URL not vendored."""
    if url in CDN_FILES:
        return _relative(docs.joinpath(*VENDOR_TARGET, CDN_FILES[url]), page)
    if _LOGO_URL.fullmatch(url):
        return _relative(docs.joinpath(*LOGO), page)
    return None


def _rewrite(text: str, page: Path, docs: Path, missing: set[str]) -> str:
    """A page (or stylesheet) with its vendored resources local and the newsletter footer gone."""

    def css_url(m: re.Match[str]) -> str:
        local = _local(m.group(2), page, docs)
        if local is None:
            missing.add(m.group(2))
            return m.group(0)
        return f"url({m.group(1)}{local}{m.group(1)})"

    def tag(m: re.Match[str]) -> str:
        name = m.group(1).lower()

        localised = False

        def attr(a: re.Match[str]) -> str:
            nonlocal localised
            url = a.group(3)
            local = _local(url, page, docs)
            if local is not None:
                localised = True
                return f"{a.group(1)}{a.group(2)}{local}{a.group(2)}"
            if name != "a":  # a resource the page loads: <link>, <script>, <img> …
                missing.add(url)
            return a.group(0)

        new = _ATTR.sub(attr, m.group(0))
        # crossorigin makes a CORS request, which browsers refuse for file:// (the script is then
        # not run); the integrity hashes GE pins match the vendored files (checked when vendored)
        return _SRI.sub("", new) if localised else new

    text = _NEWSLETTER.sub("", text)
    text = _CSS_URL.sub(css_url, text)
    if page.suffix == ".html":
        text = _TAG.sub(tag, text)
    return text


def make_offline(docs_dir: Path) -> list[str]:
    """Copy the vendored files into ``docs_dir`` and point its pages and GE's stylesheets at them.

    Returns the external resource URLs still left (none with the GE version the table was made
    for); each is logged as a warning.
    """
    docs = Path(docs_dir)
    target = docs.joinpath(*VENDOR_TARGET)
    shutil.copytree(VENDOR_SOURCE, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    missing: set[str] = set()
    for path in sorted(docs.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file() or target in path.parents:
            continue
        text = path.read_text(encoding="utf-8")
        new = _rewrite(text, path, docs, missing)
        if new != text:
            path.write_text(new, encoding="utf-8")
    for url in sorted(missing):
        log.warning("Data Docs still load %s from the internet (not in docs_vendor/)", url)
    return sorted(missing)
