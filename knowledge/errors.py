"""Errors an operator or a trainer can act on, told plainly: the `adviser` command prints their message
(Chinese for a data file) and exits 1, without a traceback."""

from __future__ import annotations


class DataFileError(ValueError):
    """A data file a trainer owns (talk-track library, compliance data, question bank) is malformed; the
    message names the file, the entry and what to fix."""


class ServiceUnavailable(RuntimeError):
    """A service the command needs (the Chroma server) can't be reached; the message says where and what
    to do."""
