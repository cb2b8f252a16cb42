"""Paths and settings from one place.

Every path is rooted at the project (the folder holding ``pyproject.toml``) unless overridden by a
command-line flag or an ``OGI_*`` environment variable, so nothing depends on the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = Path(os.environ.get("OGI_ROOT", PACKAGE_DIR.parent)).resolve()

REFERENCE_DIR = PACKAGE_DIR / "reference"
SQL_DIR = PACKAGE_DIR / "sql"

DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = Path(os.environ.get("OGI_RAW", DATA_DIR / "raw"))
WAREHOUSE_PATH = Path(os.environ.get("OGI_DB", DATA_DIR / "warehouse" / "ogi.duckdb"))
DOCS_DIR = Path(os.environ.get("OGI_DOCS", DATA_DIR / "docs"))
REVIEWS_PATH = Path(os.environ.get("OGI_REVIEWS", DATA_DIR / "reviews.csv"))
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
EXPORTS_DIR = Path(os.environ.get("OGI_EXPORTS", PROJECT_ROOT / "exports"))

# Files accepted by discovery, by suffix (lower case).
ACCEPTED_SUFFIXES = (".html", ".htm", ".txt", ".md", ".pdf", ".docx")

# A single report is a few hundred KB of HTML at most (the largest real page seen is ~350 KB); a file
# far beyond that is a crawl accident, not a report. Configurable for unusual archives.
MAX_FILE_BYTES = int(os.environ.get("OGI_MAX_FILE_BYTES", 50 * 1024 * 1024))

# Version of the extraction logic, stored with every fact so re-extracted figures can be told apart.
EXTRACTOR_VERSION = "0.1.0"


def default_workers() -> int:
    """Worker processes for parsing: one per core unless OGI_WORKERS says otherwise."""
    return int(os.environ.get("OGI_WORKERS", os.cpu_count() or 1))
