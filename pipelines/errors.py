"""Errors that quarantine one input file and let the run go on.

Each names the stage and says, in words an analyst understands, what is wrong with the file.
"""

from __future__ import annotations


class ReportError(Exception):
    """A file that cannot become a report. ``stage`` is where it failed; ``reason`` is a short code."""

    stage = "unknown"

    def __init__(self, message: str, reason: str = "error") -> None:
        super().__init__(message)
        self.reason = reason


class DecodeError(ReportError):
    stage = "normalise"


class UnreadableFormatError(ReportError):
    stage = "normalise"


class NotAReportError(ReportError):
    stage = "identify"


class IdentifyError(ReportError):
    stage = "identify"


class TooLargeError(ReportError):
    stage = "discover"
