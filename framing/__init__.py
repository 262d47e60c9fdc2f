"""framing: measure media bias and framing in news text.

For every article, tied to exact character spans of its text: who is quoted and
how (attribution), hedging and distancing, sentiment toward actors, the share of
the page that is not journalism (boilerplate), and readability. Then compare
outlets with statistics, classifiers and figures.

Public API
----------
read_corpus, analyze, analyze_to_folder, Analysis, Options, sentiment_toward, evaluate
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing import _native  # first: it decides whether the compiled hot modules may load
from framing._version import __version__
from framing.analysis import Analysis
from framing.api import analyze, analyze_to_folder
from framing.corpus.reader import read_corpus
from framing.errors import ArticleError, FramingError, FramingWarning
from framing.extractors.sentiment import sentiment_toward
from framing.options import Options

native_status = _native.native_status

if TYPE_CHECKING:
    import pandas as pd

logging.getLogger(__name__).addHandler(logging.NullHandler())


def evaluate(dataset: str, path: str | Path | None = None, **kwargs: Any) -> pd.DataFrame:
    """Score the toolkit (and peers) on an annotated dataset; see :mod:`framing.evaluate`."""
    from framing.evaluate import evaluate as _impl

    return _impl(dataset, path, **kwargs)


__all__ = [
    "__version__",
    "Analysis",
    "ArticleError",
    "FramingError",
    "FramingWarning",
    "Options",
    "analyze",
    "analyze_to_folder",
    "evaluate",
    "native_status",
    "read_corpus",
    "sentiment_toward",
]
