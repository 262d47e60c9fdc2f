"""The seed page: attribution recall and precision against its hand annotation (gold.json).

Matching is that of :func:`framing.evaluate.seed.seed_matches`: same line, same cue, and an
overlapping speaker span or the same canonical speaker; optional gold entries are neither
required nor counted as false.

The seed's boilerplate lines are marked from gold.json (the pipeline would do this with the
boilerplate extractor), so this test measures attribution alone.
"""

from __future__ import annotations

from framing.evaluate.seed import gold_document, seed_matches
from framing.extractors.attribution import extract_attributions
from tests.conftest import need_data


def _score():
    doc, gold = gold_document(need_data("seed"))
    recs = extract_attributions(doc)
    return seed_matches(doc.text, gold, recs, []), recs, doc.text


def test_seed_attribution_recall_and_precision():
    m, _, _ = _score()
    assert m["attribution_r"] >= 0.8, f"recall {m['attribution_r']:.3f}; misses: {m['attribution_misses']}"
    assert m["attribution_p"] >= 0.8, f"precision {m['attribution_p']:.3f}; false hits: {m['attribution_false_hits']}"


def test_seed_canonical_speakers_and_kinds():
    _, recs, text = _score()
    by_cue = {
        (text[r["speaker_start"] : r["speaker_end"]] if r["speaker_start"] is not None else None, r["cue"]): r
        for r in recs
    }
    assert by_cue[("Mr Cho", "told")]["canonical_speaker"] == "Cho Tae-yul"
    assert by_cue[("the office", "said")]["canonical_speaker"] == "prosecutor general's office"
    assert by_cue[("Mr Lavrov", "acknowledged")]["canonical_speaker"] == "Sergei Lavrov"
    assert by_cue[("Police", "said")]["source_type"] == "unnamed"
    claimed = by_cue[("Russia", "has claimed")]
    assert claimed["cue_class"] == "distancing" and claimed["source_type"] == "named_org"
    alleged = by_cue[("she", "alleged")]
    assert alleged["canonical_speaker"] == "Maria Zakharova" and alleged["kind"] == "direct"
