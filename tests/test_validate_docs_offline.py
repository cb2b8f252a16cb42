"""Data Docs work without internet: every stylesheet, script, font and image a page loads is a
local file (pipelines/validate/docs_offline.py, files vendored in pipelines/validate/docs_vendor/).

Allowed to stay external: plain ``<a href>`` links to Great Expectations' site and documentation
(navigation, not page resources). The GE newsletter footer is removed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipelines.validate import run_validation
from pipelines.validate.docs_offline import CDN_FILES, VENDOR_SOURCE, make_offline
from tests.fixtures.validation import warehouse

NO_REVIEWS = Path("/nonexistent/reviews.csv")
LINK_HOSTS = {"greatexpectations.io", "docs.greatexpectations.io"}  # <a> links that may stay
CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)""")


class Refs(HTMLParser):
    """(tag, attribute, value) of every src/href in a page; the attributes of every tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.refs += [(tag, k, v) for k, v in attrs if k in ("src", "href") and v]


def refs_of(page: Path) -> Refs:
    parser = Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def pages_of(docs: Path) -> list[Path]:
    return sorted(p for p in docs.rglob("*.html") if "vendor" not in p.relative_to(docs).parts)


def snapshot(docs: Path) -> dict[str, bytes]:
    return {str(p.relative_to(docs)): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Data Docs of a two-report warehouse (the zone's 2020 table 3 fails, so pages list failures)."""
    con, _ = warehouse("pingtan-2020", "pingtan-2021")
    folder = tmp_path_factory.mktemp("docs")
    run_validation(con, docs_dir=folder, reviews_path=NO_REVIEWS)
    con.close()
    return folder


def test_pages_load_nothing_from_the_internet(docs: Path) -> None:
    pages = pages_of(docs)
    assert (docs / "index.html") in pages and any("validations" in p.parts for p in pages)
    for page in pages:
        parsed = refs_of(page)
        for tag, attr, value in parsed.refs:
            if value.startswith(("http://", "https://", "//")):
                assert tag == "a" and attr == "href", (
                    f"{page}: <{tag} {attr}={value}> loads from the internet"
                )
                assert urlsplit(value).hostname in LINK_HOSTS, f"{page}: unexpected link {value}"
                assert "newsletter" not in value, f"{page}: newsletter link left"
        text = page.read_text(encoding="utf-8")
        assert not [u for u in CSS_URL.findall(text) if u.startswith(("http", "//"))], page
        assert "newsletter" not in text.lower(), page
        # crossorigin would make browsers refuse the local scripts on file:// pages
        assert not [a for _, a in parsed.tags if "crossorigin" in a or "integrity" in a], page
    for css in docs.rglob("*.css"):
        if "vendor" not in css.relative_to(docs).parts:
            assert not [
                u for u in CSS_URL.findall(css.read_text(encoding="utf-8")) if u.startswith("http")
            ], css


def test_every_local_asset_a_page_names_exists(docs: Path) -> None:
    for page in pages_of(docs):
        local = [
            v
            for tag, attr, v in refs_of(page).refs
            if "static/vendor/" in v or v.endswith("static/images/logo-long.png")
        ]
        # jquery, popper, bootstrap ×2, bootstrap-table ×3, datepicker ×2, font awesome, dark theme,
        # filter-control css, vega ×3, logo
        assert len(local) >= 16, f"{page}: only {len(local)} local assets"
        for value in local:
            assert not value.startswith("/"), value  # relative, so the folder can move
            assert (page.parent / value).resolve().is_file(), f"{page}: {value} does not exist"
        text = page.read_text(encoding="utf-8")
        for value in CSS_URL.findall(text):
            if not value.startswith("data:"):
                assert (page.parent / value).resolve().is_file(), f"{page}: url({value}) does not exist"
    default_css = docs / "static" / "styles" / "data_docs_default_styles.css"
    for value in CSS_URL.findall(default_css.read_text(encoding="utf-8")):
        assert (default_css.parent / value).resolve().is_file(), value
    # the fonts Font Awesome's stylesheet loads first (woff2) are there
    fa_css = docs / "static" / "vendor" / "fontawesome-free-6.6.0" / "css" / "all.min.css"
    woff2 = [u for u in CSS_URL.findall(fa_css.read_text(encoding="utf-8")) if u.endswith(".woff2")]
    assert len(set(woff2)) == 4
    assert all((fa_css.parent / u).resolve().is_file() for u in woff2)


def test_make_offline_is_idempotent(docs: Path) -> None:
    before = snapshot(docs)
    assert make_offline(docs) == []
    assert snapshot(docs) == before


def test_rewrite_is_relative_to_the_page_depth_and_reports_what_it_cannot_localise(tmp_path: Path) -> None:
    page = tmp_path / "validations" / "suite" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>\n'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"'
        ' integrity="sha384-x" crossorigin="anonymous"></script>\n'
        '<img class="NO-CACHE" src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/'
        'logo-long.png?d=20261125T191001.783978Z" alt="GE"/>\n'
        '<script src="https://cdn.example.org/new.js"></script>\n'
        '<a href="https://docs.greatexpectations.io/docs/x">docs</a>\n'
        "<footer>\n  <p>Stay current on everything GX with our newsletter "
        '<a href="https://greatexpectations.io/newsletter?utm_source=datadocs">Subscribe</a></p>\n</footer>\n',
        encoding="utf-8",
    )
    assert make_offline(tmp_path) == ["https://cdn.example.org/new.js"]
    html = page.read_text(encoding="utf-8")
    assert 'href="../../static/vendor/bootstrap-4.3.1/dist/css/bootstrap.min.css"' in html
    assert '<script src="../../static/vendor/popper.js-1.12.9/dist/umd/popper.min.js"></script>' in html
    assert 'src="../../static/images/logo-long.png"' in html
    assert '<script src="https://cdn.example.org/new.js"></script>' in html  # left, and reported
    assert '<a href="https://docs.greatexpectations.io/docs/x">docs</a>' in html
    assert "newsletter" not in html
    assert (tmp_path / "static" / "vendor" / "jquery-3.7.1" / "dist" / "jquery.min.js").is_file()
    again = page.read_text(encoding="utf-8")
    make_offline(tmp_path)
    assert page.read_text(encoding="utf-8") == again


def test_vendored_set_is_exactly_what_the_pages_need() -> None:
    named = {VENDOR_SOURCE / f for f in CDN_FILES.values()}
    assert all(p.is_file() for p in named)
    fonts = set((VENDOR_SOURCE / "fontawesome-free-6.6.0" / "webfonts").glob("*.woff2"))
    licences = {p for p in VENDOR_SOURCE.rglob("*") if p.name in ("LICENSE", "LICENSE.txt", "SOURCES.md")}
    files = {p for p in VENDOR_SOURCE.rglob("*") if p.is_file()}
    assert files == named | fonts | licences
    assert sum(p.stat().st_size for p in files) < 2_200_000


def test_vendored_scripts_are_the_bytes_great_expectations_pins() -> None:
    """GE's templates carry SRI hashes for two of the scripts; the vendored copies must match them."""
    import great_expectations

    template = (
        Path(great_expectations.__file__).parent / "render" / "view" / "templates" / "js_script_imports.j2"
    )
    pinned = dict(re.findall(r'src="([^"]+)"\s+integrity="([^"]+)"', template.read_text(encoding="utf-8")))
    assert len(pinned) == 2
    for url, sri in pinned.items():
        algorithm, _, digest = sri.partition("-")
        data = (VENDOR_SOURCE / CDN_FILES[url]).read_bytes()
        assert base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest, url


def test_every_cdn_url_in_great_expectations_templates_is_vendored() -> None:
    """After a GE upgrade, a new CDN file fails here before a page goes unstyled offline."""
    import great_expectations

    templates = Path(great_expectations.__file__).parent / "render" / "view" / "templates"
    urls = set()
    for template in templates.rglob("*.j2"):
        urls |= set(re.findall(r'(?:src|href)="(https?://[^"{]+)"', template.read_text(encoding="utf-8")))
    resources = {u for u in urls if urlsplit(u).hostname not in LINK_HOSTS}
    assert resources and resources <= set(CDN_FILES), sorted(resources - set(CDN_FILES))
