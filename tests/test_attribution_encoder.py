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
    assert {"mix_weight", "threshold", "cv", "encoder", "tagger_weight", "propose_threshold"} <= set(data)
    head = load_cue_head()
    assert head.coef.shape == (768,)
    assert 0.0 <= head.weight < 1.0 and 0.0 < head.threshold < 1.0 and head.tagger_weight > 0.0
    if head.weight == 0.0:  # the tagger made the head on frozen vectors redundant (chosen by CV)
        assert "coef" not in data and not head.coef.any()


def test_encoder_off_never_encodes(monkeypatch):
    def boom(*_a, **_k):
        raise AssertionError("the encoder ran with the option off")

    from framing.extractors import attribution_encoder as AE

    monkeypatch.setattr(AE, "cue_rows", boom)
    monkeypatch.setattr(AE.CueHead, "log_odds", boom)
    monkeypatch.setattr(AE.CueTagger, "scores", boom)
    text = "The governor appeared to suggest that the election was rigged, aides said."
    assert A.extract_attributions(Document.from_text("t", text), Options(body_only=False))
    assert A.extract_attributions(Document.from_text("t", text), opts(False))


def test_mix_is_the_weighted_sum_of_log_odds():
    from framing.extractors.attribution_encoder import CueHead

    coef = np.linspace(-1.0, 1.0, 768)
    head = CueHead({**load_cue_head().data, "mix_weight": 0.4, "intercept": 0.1, "coef": coef.tolist()})
    rows = np.zeros((2, 768), dtype=np.float32)
    rows[1, :5] = 1.0
    got = head.mix(np.array([0.5, -2.0]), rows)
    want = 0.4 * (rows.astype(np.float64) @ coef + 0.1) + 0.6 * np.array([0.5, -2.0])
    assert np.allclose(got, want)
    with pytest.raises(ValueError):
        head.mix(np.array([0.5, -2.0]), None)
    # weight 0: the linear log-odds (plus the tagger's share), no rows needed
    plain = CueHead({k: v for k, v in head.data.items() if k not in ("coef", "intercept")} | {"mix_weight": 0.0})
    assert np.allclose(plain.mix(np.array([0.5, -2.0]), None), [0.5, -2.0])


@needs_encoder
def test_shipped_head_reads_no_frozen_rows(monkeypatch):
    from framing.extractors import attribution_encoder as AE

    if load_cue_head().weight:
        pytest.skip("the shipped head mixes frozen-vector rows")

    def boom(*_a, **_k):
        raise AssertionError("frozen-vector rows computed for a head of weight 0")

    monkeypatch.setattr(AE, "cue_rows", boom)
    assert model_cues("The governor appeared to suggest that the election was rigged.", True)


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
    # (the cue tagger may add the auxiliary, as PolNeAR's annotators often do: "has said", "is expected")
    assert [c.removeprefix("have ") for c in model_cues(
        "Critics have voiced concerns about the cost of the new bridge.", True)] == ["voiced concerns"]


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
        CueHead({**data, "mix_weight": 0.5, "intercept": 0.0, "coef": [0.0] * 10})
    with pytest.raises(FramingError, match="E155"):
        CueHead({**data, "vocabulary": ["fine", "not fine"]})


@needs_encoder
def test_extra_candidates_found_with_the_encoder():
    text = "The mayor is advocating a new tax on sugary drinks."
    assert model_cues(text, False) == []
    assert [c.removeprefix("is ") for c in model_cues(text, True)] == ["advocating"]
    cues = model_cues("The council was appealing to residents to conserve water.", True)
    assert len(cues) == 1 and "appealing" in cues[0].split()


# -- the cue tagger (LoRA-fine-tuned MiniLM, framing/models/cue_tagger.npz) -------------------------

# Logits of the shipped tagger for the word pieces of REF_SENTENCE, computed with PyTorch 2.13 by
# scripts/train_cue_tagger.py's own forward pass from the same float16 adapters (scratch venv).
REF_SENTENCE = "Officials said the plan, which critics denounced, would go ahead, the minister told reporters."
REF_LOGITS = [-3.0266, -7.4914, -0.6386, -7.7719, -7.5724, -7.7687, -7.5747, -7.4492, -7.3572, -7.7656, -7.7378,
              -7.4936, -7.2977, -7.5329, -7.5209, -6.3933, 3.4298, -2.5159, -7.5647, -7.6205]


@needs_encoder
def test_tagger_matches_the_training_forward_pass():
    from framing.extractors.attribution_encoder import load_cue_tagger

    logits, offs = load_cue_tagger().piece_logits(REF_SENTENCE)
    assert logits.shape == (len(REF_LOGITS),) and offs.shape == (len(REF_LOGITS), 2)
    assert np.allclose(logits, REF_LOGITS, atol=2e-3)


@needs_encoder
def test_tagger_marks_reporting_words():
    from framing.extractors.attribution_encoder import load_cue_tagger

    tagger = load_cue_tagger()
    got = {}
    for text, words in (("The mayor said the bridge would open in May.", ("said", "mayor", "bridge", "open")),
                        ("The bridge is safe, aides told reporters on Friday.", ("told", "bridge", "safe", "Friday"))):
        items = [(text.index(w), text.index(w) + len(w), 0, len(text)) for w in words]
        got.update(zip(words, tagger.scores(text, items)))
    assert min(got["said"], got["told"]) > 0.0 > max(got["mayor"], got["bridge"], got["open"], got["safe"],
                                                       got["Friday"])
    # a long sentence is read window by window: a cue after the first 128 word pieces is found
    filler = " ".join(["the bridge over the river"] * 40)
    long = f"On Friday, {filler}, the mayor said."
    at = long.rindex("said")
    assert tagger.scores(long, [(at, at + 4, 0, len(long))])[0] > 0.0
    assert (at, at + 4) in tagger.words_above(long, [(0, len(long))], 0.0)
    # more sentences than the tagger keeps: the older ones are forgotten, the asked ones all scored
    keep, tagger.keep = tagger.keep, 2
    try:
        text = "Aides told reporters. The mayor said so. Critics claimed otherwise."
        sents = [(0, 21), (22, 40), (41, len(text))]
        assert tagger.scores(text, [(6, 10, 0, 21)])[0] > 0.0
        assert len(tagger.words_above(text, sents, 0.0)) == 3
    finally:
        tagger.keep = keep

@needs_encoder
def test_head_mixes_the_tagger_score():
    from framing.extractors.attribution_encoder import CueHead

    head = CueHead({**load_cue_head().data, "tagger_weight": 0.5})
    rows = np.zeros((2, 768), dtype=np.float32)
    base = head.mix([0.0, 1.0], rows)
    assert np.allclose(head.mix([0.0, 1.0], rows, [2.0, -4.0]), base + 0.5 * np.array([2.0, -4.0]))
    assert np.allclose(CueHead({**head.data, "tagger_weight": 0.0}).mix([0.0, 1.0], rows, [2.0, -4.0]), base)
    assert CueHead({**head.data, "tagger_weight": 0.0}).tagger is None


def test_tagger_file_errors(tmp_path):
    from framing.errors import FramingError
    from framing.extractors.attribution_encoder import CueTagger

    bad = tmp_path / "cue_tagger.npz"
    bad.write_bytes(b"not a zip archive")
    with pytest.raises(FramingError, match="E157"):
        CueTagger(bad)
    np.savez(bad, meta=np.frombuffer(b"{}", dtype=np.uint8))
    with pytest.raises(FramingError, match="E157"):
        CueTagger(bad)


@needs_encoder
def test_weight_delta_must_name_a_weight():
    from framing.encoder import MiniLMEncoder
    from framing.errors import FramingError

    with pytest.raises(FramingError, match="E156"):
        MiniLMEncoder(deltas={"encoder.layer.9.output.dense.weight": np.zeros((384, 1536), dtype=np.float32)})
    with pytest.raises(FramingError, match="E156"):
        MiniLMEncoder(deltas={"encoder.layer.0.output.dense.weight": np.zeros((2, 2), dtype=np.float32)})


@needs_encoder
def test_tagger_proposes_words_outside_the_candidate_forms():
    from framing.extractors.attribution_encoder import CueHead

    text = "The bridge is safe, aides told reporters on Friday."
    told = (text.index("told"), text.index("told") + 4)
    head = CueHead({**load_cue_head().data, "tagger_weight": 0.5, "propose_threshold": 0.0})
    assert head.proposed(text, [(0, len(text))], []) == [(*told, None)]
    # a word some candidate already covers is not proposed again
    assert head.proposed(text, [(0, len(text))], [(*told, None)]) == [(*told, None)]
    assert CueHead({**head.data, "propose_threshold": None}).proposed(text, [(0, len(text))], []) == []


def test_tagger_proposes_whole_words():
    # a word is proposed whole when only a later word piece of it scores ("aide" "##s" -> "aides");
    # the logits here are made up (no encoder needed), the word logic is the tagger's own
    from framing.extractors.attribution_encoder import CueTagger

    class NoEncoder:
        def prime(self, texts):
            pass

    text = "The aides told."
    offs = np.array([[0, 0], [0, 3], [4, 8], [8, 9], [10, 14], [14, 15], [0, 0]])
    logits = np.array([-5.0, -5.0, -5.0, 3.0, -5.0, -5.0, -5.0])
    tagger = CueTagger.__new__(CueTagger)
    tagger.encoder, tagger._kept, tagger.keep = NoEncoder(), {}, 8
    tagger.piece_logits = lambda t, focus=None: (logits, offs)
    assert tagger.words_above(text, [(0, len(text))], 0.0) == [(4, 9)]
    assert tagger.scores(text, [(4, 9, 0, len(text)), (10, 14, 0, len(text))]).tolist() == [3.0, -5.0]
