"""Discovery: which files are reports, their fingerprints, and the files refused before parsing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from pipelines import config
from pipelines.discover import discover

HUGE_BYTES = 200 * 1024 * 1024  # a crawl accident: a 200 MB "report"


def test_reports_are_found_in_a_stable_order_and_sidecars_are_not(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "r2.html").write_text("二")
    (tmp_path / "a.txt").write_text("一")
    (tmp_path / "a.gold.json").write_text("{}")
    (tmp_path / ".hidden.html").write_text("x")
    found, refused = discover([tmp_path])
    assert [Path(s.path).name for s in found] == ["a.txt", "r2.html"]
    assert found[0].sha256 == hashlib.sha256("一".encode()).hexdigest()
    assert refused == []


def test_a_200_mb_file_is_refused_without_being_read_into_memory(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as f:
        f.truncate(HUGE_BYTES)  # sparse: no disk space used
    (tmp_path / "small.html").write_text("<p>报告</p>")
    found, refused = discover([tmp_path])
    assert [Path(s.path).name for s in found] == ["small.html"]
    assert [(Path(r.path).name, r.reason) for r in refused] == [("huge.html", "too_large")]
    assert "huge.html" in refused[0].message and "209,715,200 bytes" in refused[0].message
    assert "OGI_MAX_FILE_BYTES" in refused[0].message
    assert refused[0].sha256 is not None  # fingerprinted, so an unchanged one is skipped next run


def test_the_size_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r.html").write_bytes(b"x" * 2000)
    assert discover([tmp_path])[1] == []
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 1000)
    assert [r.reason for r in discover([tmp_path])[1]] == ["too_large"]
    assert discover([tmp_path], max_bytes=5000)[1] == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_refused_not_fatal(tmp_path: Path) -> None:
    locked = tmp_path / "locked.html"
    locked.write_text("x")
    locked.chmod(0)
    found, refused = discover([tmp_path])
    assert found == [] and [r.reason for r in refused] == ["unreadable"]


def test_a_dangling_link_is_refused_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "gone.html").symlink_to(tmp_path / "nowhere.html")
    (tmp_path / "ok.txt").write_text("报告")
    found, refused = discover([tmp_path])
    assert [Path(s.path).name for s in found] == ["ok.txt"]
    assert [(Path(r.path).name, r.reason) for r in refused] == [("gone.html", "unreadable")]
    assert "gone.html" in refused[0].message


def test_the_size_limit_comes_from_the_environment() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "from pipelines import config; print(config.MAX_FILE_BYTES)"],
                         env={**os.environ, "OGI_MAX_FILE_BYTES": "1234"}, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1234"
