"""Coded, explanatory errors and warnings (after spaCy's ``errors.py``).

Codes group by area: E0xx corpus reading, E1xx lexicons and options, E2xx
analysis and engines, E3xx evaluation data. A code lets a user search the
docs and the issue tracker for the exact problem.
"""

from __future__ import annotations

__all__ = ["FramingError", "FramingWarning", "ArticleError"]


class FramingError(ValueError):
    """An error the user can fix; ``code`` identifies it (e.g. ``E001``)."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(f"[{code}] {message}")


class ArticleError(FramingError):
    """A problem with one article: it is recorded in ``Analysis.errors`` and the run goes on."""

    def __init__(self, code: str, message: str, doc_id: str | None = None, source: str | None = None):
        self.doc_id = doc_id
        self.source = source
        super().__init__(code, message)


class FramingWarning(UserWarning):
    """Something worked but deserves the user's attention."""
