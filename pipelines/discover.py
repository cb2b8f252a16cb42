"""Stage 1, discover: walk the input folders, fingerprint each report file.

Accepts .html/.htm/.txt/.md/.pdf/.docx; hidden files and gold/meta sidecars (``*.gold.json``) are
not reports. A file above the size limit (``OGI_MAX_FILE_BYTES``) is refused here, before it is read
into memory (it is fingerprinted by streaming, so an unchanged one is not re-recorded every run); a file
that cannot be read (permissions, a dangling link, gone since the folder was listed) is refused too.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines import config
from pipelines.config import ACCEPTED_SUFFIXES
from pipelines.model import SourceFile

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Refused:
    """A file discovery would not pass on, with its reason (it goes to quarantine)."""

    path: str
    sha256: str | None
    reason: str
    message: str


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def iter_candidates(inputs: Iterable[Path]) -> Iterator[Path]:
    """Report files below the inputs, in a stable (sorted) order; files named directly are taken as is."""
    for root in inputs:
        root = Path(root)
        if root.is_file():
            yield root
            continue
        if not root.is_dir():
            raise FileNotFoundError(f"{root}: no such file or folder")
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or not name.lower().endswith(ACCEPTED_SUFFIXES):
                    continue
                yield Path(dirpath) / name


def discover(inputs: Iterable[Path], max_bytes: int | None = None) -> tuple[list[SourceFile], list[Refused]]:
    """Fingerprint every candidate file; refuse the unreadable ones and the ones over the size limit.

    ``max_bytes`` defaults to ``config.MAX_FILE_BYTES`` as it is when called.
    """
    limit = config.MAX_FILE_BYTES if max_bytes is None else max_bytes
    found: list[SourceFile] = []
    refused: list[Refused] = []
    seen: set[str] = set()
    for path in iter_candidates(inputs):
        key = str(path.resolve())
        if key in seen:
            continue
        seen.add(key)
        try:
            size = path.stat().st_size
            sha256 = sha256_of(path)
        except OSError as exc:
            refused.append(Refused(str(path), None, "unreadable",
                                   f"{path}: cannot be read ({exc.strerror or exc})"))
            continue
        if size > limit:
            refused.append(Refused(str(path), sha256, "too_large",
                                   f"{path}: {size:,} bytes is over the size limit of {limit:,} bytes "
                                   "(a report is at most a few MB; raise OGI_MAX_FILE_BYTES if this one is real)"))
            continue
        found.append(SourceFile(path=str(path), sha256=sha256, size=size, suffix=path.suffix.lower()))
    return found, refused
