"""Shared fixtures: the shipped sample reports, the shared corpus (when present), fresh warehouses."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.config import PROJECT_ROOT

SAMPLE_DIR = PROJECT_ROOT / "data" / "raw" / "sample"
SEED = SAMPLE_DIR / "seed" / "qingxin-2012.txt"
# The shared corpus lies beside the checkout on developer machines and in CI; elsewhere the tests that
# score against it are skipped (the sample data in data/raw/sample is enough for the rest).
SHARED_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """A path for a new warehouse file in a temporary folder."""
    return tmp_path / "warehouse" / "ogi.duckdb"


@pytest.fixture
def memory_con():
    """A migrated in-memory warehouse."""
    from pipelines.warehouse import connect

    con = connect(":memory:")
    yield con
    con.close()


def shared_corpus_or_skip() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")
    return SHARED_CORPUS
