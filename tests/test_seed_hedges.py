"""Hedge recall and precision on the seed page (The Independent live blog, hand-annotated).

A gold hedge counts as found when a cue on the same line overlaps the gold cue text
(:func:`framing.evaluate.seed.seed_matches`). Gold boilerplate lines are marked as boilerplate
first, as the pipeline's boilerplate step would.
"""

from __future__ import annotations

from framing.evaluate.seed import gold_document, seed_matches
from framing.extractors.hedging import extract_hedges
from tests.conftest import need_data


def _score() -> tuple[float, float, list, list]:
    doc, gold = gold_document(need_data("seed"))
    m = seed_matches(doc.text, gold, [], extract_hedges(doc))
    return m["hedge_r"], m["hedge_p"], m["hedge_misses"], m["hedge_false_hits"]


def test_seed_hedge_recall() -> None:
    recall, precision, missed, false = _score()
    print(f"seed hedges: recall={recall:.3f} precision={precision:.3f}; missed={missed}; false={false}")
    assert recall >= 0.8, missed


def test_seed_hedge_precision_floor() -> None:
    _, precision, _, false = _score()
    # Not a stated target; a floor that catches a lexicon change flooding the page with cues.
    assert precision >= 0.7, false
