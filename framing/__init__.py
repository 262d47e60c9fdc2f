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

from framing import _native  # first: it decides whether the compiled hot modules may load
from framing._version import __version__
from framing.analysis import Analysis
from framing.api import analyze, analyze_to_folder
from framing.corpus.reader import read_corpus
from framing.errors import ArticleError, FramingError, FramingWarning
from framing.evaluate import evaluate  # eagerly: see the note below
from framing.extractors.sentiment import sentiment_toward
from framing.options import Options

# ``evaluate`` is imported above, not on its first call: importing the subpackage
# framing.evaluate binds the attribute ``framing.evaluate`` to the package, so a lazy wrapper was
# replaced by the module after its first call ("'module' object is not callable" on the second).
# Bound after the import, the name stays the function; the subpackage's modules stay importable
# (``from framing.evaluate.polnear import evaluate_polnear``).

native_status = _native.native_status

logging.getLogger(__name__).addHandler(logging.NullHandler())


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
