"""Parser peers for attribution (framing.evaluate.baselines): scoring, shapes, and skip without the extra."""

import pandas as pd
import pytest

from framing.evaluate import baselines
from framing.evaluate.polnear import score_relations


def _gold(rows):
    out = []
    for doc_id, cue, src, con in rows:
        out.append({"doc_id": doc_id, "cue_start": cue[0], "cue_end": cue[1],
                    "source_spans": (src,) if src else (), "content_spans": (con,) if con else ()})
    return pd.DataFrame(out)


def _pred(cue, src=None, con=None):
    return {"start": cue[0], "end": cue[1], "speaker_start": src[0] if src else None,
            "speaker_end": src[1] if src else None, "content_start": con[0] if con else None,
            "content_end": con[1] if con else None}


def test_score_relations_counts_overlaps_within_matched_cues():
    gold = _gold([("a", (10, 14), (0, 9), (15, 40)), ("a", (50, 55), None, (56, 70))])
    preds = {"a": [_pred((11, 14), (0, 3), (20, 30)), _pred((80, 84), (75, 79), None)]}
    m, _ = score_relations(preds, gold)
    assert m["cue_p"] == 0.5 and m["cue_r"] == 0.5
    assert m["source_p"] == 0.5 and m["source_r"] == 1.0  # one of two predicted sources; the only gold one
    assert m["content_p"] == 1.0 and m["content_r"] == 0.5
    assert m["content_char_p"] == 1.0 and m["content_char_r"] == pytest.approx(10 / 39)
    assert m["n_pred"] == 2


def test_peer_metrics_empty_without_the_extra(monkeypatch):
    monkeypatch.setattr(baselines, "baselines_available", lambda: False)
    assert baselines.peer_metrics("/nonexistent") == {}


@pytest.mark.skipif(not baselines.baselines_available(), reason="optional extra framing-toolkit[baselines] "
                    "and the pinned spaCy model are not installed")
def test_parser_peers_find_a_quoted_statement():
    nlp = baselines._nlp()
    text = "“The talks have failed,” the minister said on Monday. Critics said that the plan would cost more."
    doc = nlp(text)
    tq = baselines.textacy_quotes(doc)
    assert tq and text[tq[0]["start"]:tq[0]["end"]] == "said"
    assert "talks have failed" in text[tq[0]["content_start"]:tq[0]["content_end"]]
    rv = baselines.spacy_reporting_verbs(doc)
    cues = [text[r["start"]:r["end"]] for r in rv]
    assert cues == ["said", "said"]
    second = rv[1]
    assert text[second["speaker_start"]:second["speaker_end"]] == "Critics"
    assert text[second["content_start"]:second["content_end"]].startswith("that the plan")
    for r in tq + rv:  # the record shape of extract_attributions
        assert 0 <= r["start"] < r["end"] <= len(text)
