"""The opt-in encoder head of the attribution-cue stage (``Options(encoder=True)``).

Sentences written for these tests. The encoder is an optional extra: the tests that run it are
skipped when :func:`framing.encoder.available` is false.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from framing.document import Document
from framing.extractors import attribution as A
from framing.extractors.attribution_encoder import HEAD_FILE, cue_rows, load_cue_head
from framing.extractors.attribution_model import MODEL_RULE
from framing.options import Options

needs_encoder = pytest.mark.skipif(
    not __import__("framing.encoder", fromlist=["available"]).available(),
    reason="the optional encoder (all-MiniLM-L6-v2 weights, tokenizers, safetensors) is not installed",
)


def opts(encoder: bool) -> Options:
    o = Options(body_only=False)
    o.encoder = encoder  # a field of Options on main; set as an attribute where it is not (yet) one
    return o


def model_cues(text: str, encoder: bool) -> list[str]:
    recs = A.extract_attributions(Document.from_text("t", text), opts(encoder))
    return [r["cue"] for r in recs if r["rule"] == MODEL_RULE]


def test_head_ships_as_plain_json():
    raw = resources.files("framing.models").joinpath(HEAD_FILE).read_text(encoding="utf-8")
    data = json.loads(raw)  # weights as numbers, no pickle
    assert {"coef", "intercept", "mix_weight", "threshold", "cv", "encoder"} <= set(data)
    head = load_cue_head()
    assert head.coef.shape == (768,)
    assert 0.0 < head.weight < 1.0 and 0.0 < head.threshold < 1.0


def test_encoder_off_never_encodes(monkeypatch):
    def boom(*_a, **_k):
        raise AssertionError("the encoder ran with the option off")

    monkeypatch.setattr(A, "cue_rows", boom)
    text = "The governor appeared to suggest that the election was rigged, aides said."
    assert A.extract_attributions(Document.from_text("t", text), Options(body_only=False))
    assert A.extract_attributions(Document.from_text("t", text), opts(False))


def test_mix_is_the_weighted_sum_of_log_odds():
    head = load_cue_head()
    rows = np.zeros((2, 768), dtype=np.float32)
    rows[1, :5] = 1.0
    got = head.mix(np.array([0.5, -2.0]), rows)
    want = head.weight * (rows.astype(np.float64) @ head.coef + head.intercept) + (1 - head.weight) * np.array(
        [0.5, -2.0])
    assert np.allclose(got, want)


@needs_encoder
def test_rows_are_word_and_sentence_means():
    text = "Intro line.\nThe mayor praised the new bridge on Friday."
    ss = text.index("The")
    se = len(text)
    w1 = text.index("praised")
    w2 = text.index("bridge")
    rows = cue_rows(text, [(w1, w1 + 7, ss, se), (w2, w2 + 6, ss, se)])
    assert rows.shape == (2, 768) and rows.dtype == np.float32
    assert np.allclose(rows[0, 384:], rows[1, 384:])  # the same sentence
    assert not np.allclose(rows[0, :384], rows[1, :384])
    cache: dict = {}
    again = cue_rows(text, [(w1, w1 + 7, ss, se)], cache)
    assert np.allclose(again[0], rows[0], atol=1e-5) and len(cache) == 1
    assert np.array_equal(cue_rows(text, [(w1, w1 + 7, ss, se)], cache)[0], again[0])  # read from the cache


@needs_encoder
def test_rule_records_do_not_change():
    text = ("Officials said the talks had failed. “We are done,” the mayor told reporters. "
            "The governor appeared to suggest that the election was rigged.")
    doc = Document.from_text("t", text)
    off = [r for r in A.extract_attributions(doc, opts(False)) if r["rule"] != MODEL_RULE]
    on = [r for r in A.extract_attributions(doc, opts(True)) if r["rule"] != MODEL_RULE]
    assert off == on


@needs_encoder
def test_context_tells_uses_of_the_same_word_apart():
    # non-report uses the linear model accepts from their neighbouring words
    assert "show" in model_cues("The senator will show up at the rally in Ohio on Tuesday.", False)
    assert "show" not in model_cues("The senator will show up at the rally in Ohio on Tuesday.", True)
    assert "hit" not in model_cues("The truck was backing out of the driveway when it hit the fence.", True)
    # report uses stay
    assert model_cues("The governor appeared to suggest that the election was rigged.", True) == [
        "appeared to suggest"]
    assert model_cues("Critics have voiced concerns about the cost of the new bridge.", True) == ["voiced concerns"]


def test_extra_candidates_join_only_the_mixed_stage():
    # forms the linear model's pruning dropped (it alone rarely accepts them) are candidates of the
    # mixed stage only: the linear model itself is not changed
    from framing.extractors.attribution_model import load_model

    head = load_cue_head()
    model = load_model()
    assert head.extra and not head.extra & model.vocab
    wide = head.candidates_of(model)
    assert wide.vocab == model.vocab | head.extra and wide.weights is model.weights
    assert head.candidates_of(model) is wide  # built once
    assert "advocating" in head.extra and "advocating" not in load_model().vocab


def test_head_file_errors():
    from framing.errors import FramingError
    from framing.extractors.attribution_encoder import CueHead

    data = dict(load_cue_head().data)
    with pytest.raises(FramingError, match="E154"):
        CueHead({**data, "coef": [0.0] * 10})
    with pytest.raises(FramingError, match="E155"):
        CueHead({**data, "vocabulary": ["fine", "not fine"]})


@needs_encoder
def test_extra_candidates_found_with_the_encoder():
    text = "The mayor is advocating a new tax on sugary drinks."
    assert model_cues(text, False) == []
    assert model_cues(text, True) == ["advocating"]
    assert model_cues("The council was appealing to residents to conserve water.", True) == ["appealing"]
