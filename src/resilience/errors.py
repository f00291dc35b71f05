"""Errors that name the file, the field and what was expected.

Every bad input the pipeline can meet ends in one of these, never in a traceback from deep
inside pandas, so a user knows which file (or config key) to fix.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a problem a user can fix, stated in one sentence."""


class InputError(PipelineError):
    """A raw or intermediate file does not have the content its format promises."""

    def __init__(self, path, problem: str, *, field: str | None = None, row: int | None = None,
                 expected: str | None = None):
        self.path, self.field, self.row, self.expected = str(path), field, row, expected
        where = self.path
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field '{field}'"
        message = f"{where}: {problem}"
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)


class ConfigError(PipelineError):
    """The configuration is wrong; raised before any job runs."""


class DownloadError(PipelineError):
    """A raw file could not be obtained from the publisher or the mirror."""


class ChecksumError(DownloadError):
    """A raw file's sha256 differs from the one recorded for it."""
