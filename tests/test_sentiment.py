"""Sentiment toward actors: the shipped model, its two entry points, and NewsMTSC."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Document
from framing.errors import FramingError
from framing.extractors.actors import find_mentions
from framing.extractors.sentiment import (
    _text_context,
    instance_features,
    load_model,
    score_mentions,
    sentiment_toward,
    tokenize,
)
from tests.conftest import need_data


def one(text: str, target: str) -> tuple[int, float]:
    s = text.index(target)
    labels, scores = sentiment_toward([text], [(s, s + len(target))], return_scores=True)
    return labels[0], scores[0]


def test_model_file_is_plain_json_and_loads():
    raw = resources.files("framing").joinpath("models", "sentiment.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert data["classes"] == [-1, 0, 1]
    assert len(data["coef"]) > 1000 and len(data["lexicon"]) > 5000
    model = load_model()
    assert model.pair_codes.size > 0 and np.all(np.diff(model.pair_codes) > 0)


def test_no_training_and_no_sklearn_at_run_time():
    code = (
        "import sys\n"
        "from framing.extractors.sentiment import sentiment_toward\n"
        "print(sentiment_toward(['Critics blasted Smith as a corrupt liar.'], [(15, 20)]))\n"
        "assert not any(m == 'sklearn' or m.startswith('sklearn.') for m in sys.modules), 'sklearn imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[-1]"


@pytest.mark.parametrize("text,target", [
    ("Smith was widely praised for his brilliant and successful reforms.", "Smith"),
    ("The senator thanked Smith for his excellent, honest leadership.", "Smith"),
    ("Smith is a great leader.", "Smith"),
])
def test_clearly_positive(text, target):
    label, score = one(text, target)
    assert label == 1 and score > 0.5


@pytest.mark.parametrize("text,target", [
    ("Smith was accused of fraud, corruption and lying to investigators.", "Smith"),
    ("Critics blasted Smith as a corrupt liar who betrayed voters.", "Smith"),
    ("Russia attacked Kyiv, killing civilians.", "Russia"),
])
def test_clearly_negative(text, target):
    label, score = one(text, target)
    assert label == -1 and score < -0.5


@pytest.mark.parametrize("text,target", [
    ("Smith said the meeting will take place on Tuesday in the capital.", "Smith"),
    ("Smith arrived in Boston on Monday.", "Smith"),
])
def test_neutral(text, target):
    label, score = one(text, target)
    assert label == 0 and abs(score) < 0.4


def test_negation_flips():
    pos_label, pos = one("Smith is a great leader.", "Smith")
    neg_label, neg = one("Smith is not a great leader.", "Smith")
    assert pos_label == 1 and neg_label == -1 and neg < pos - 0.8


def test_two_targets_in_one_sentence():
    text = "Jones praised Smith's brilliant work, while Brown was accused of fraud."
    s, b = text.index("Smith"), text.index("Brown")
    labels, scores = sentiment_toward([text, text], [(s, s + 5), (b, b + 5)], return_scores=True)
    assert labels == [1, -1] and scores[0] > scores[1] + 0.5


def test_toward_equals_score_mentions():
    text = ("Russia attacked Kyiv overnight, killing civilians.\n"
            "South Korea provided generous aid to Ukraine. Seoul praised Kyiv's courage.\n"
            "The Kremlin said nothing; Zelensky thanked the US.")
    doc = Document.from_text("d", text)
    ms = score_mentions(doc, find_mentions(doc))
    assert len(ms) == 9
    labels, scores = sentiment_toward([text] * len(ms), [(m["start"], m["end"]) for m in ms], return_scores=True)
    assert labels == [m["sentiment_label"] for m in ms]
    assert np.allclose(scores, [m["sentiment"] for m in ms], atol=1e-12)
    # Batching does not change a mention's score: scored alone, each gives the same.
    for m in ms:
        alone = score_mentions(doc, [{"start": m["start"], "end": m["end"], "actor": "x", "alias": "x"}])[0]
        assert alone["sentiment"] == pytest.approx(m["sentiment"], abs=1e-12)


def _reference_logits(text, s, e):
    model = load_model()
    coef = json.loads(resources.files("framing").joinpath("models", "sentiment.json").read_text("utf-8"))["coef"]
    ctx = _text_context(text, s, e)
    z = np.array(model.intercept, dtype=float)
    for name, v in instance_features(text, ctx, s, e, model.lexicon).items():
        if name in coef:
            z = z + v * np.array(coef[name])
    return ctx, z


@pytest.mark.parametrize("text,target", [
    ("He didn't win, but Smith never lost hope and isn't bitter about the great, awful result.", "Smith"),
    ("“Smith is a fraud,” Jones said. Brown agreed.", "Smith"),
    ("Smith", "Smith"),
    ("Critics said Smith's plan was not bad at all; Smith, however, was hardly happy", "Smith"),
    ("Brown, who praised the deal, said Smith was a liar - and a thief (Jones agreed).", "Smith"),
    ("According to Smith the award was great but undeserved", "Smith"),
])
def test_fast_scorer_equals_reference_features(text, target):
    s = text.index(target)
    ctx, ref = _reference_logits(text, s, s + len(target))
    fast = load_model().score_spans(text, [(ctx, s, s + len(target))])[0]
    assert np.allclose(fast, ref, atol=1e-9)


def test_tokenize_nul_token():
    # A NUL character is a token of its own: one lower-cased token per offset pair.
    toks, starts, ends = tokenize("Ab \x00 Cd\x00")
    assert toks == ["ab", "\x00", "cd", "\x00"]
    assert starts.tolist() == [0, 3, 5, 7] and ends.tolist() == [2, 4, 7, 8]


def test_bad_arguments():
    with pytest.raises(FramingError):
        sentiment_toward(["a", "b"], [(0, 1)])
    assert sentiment_toward([], []) == []
    # Spans past the end are clipped, empty spans are allowed.
    labels, scores = sentiment_toward(["Smith", ""], [(0, 99), (0, 0)], return_scores=True)
    assert all(lab in (-1, 0, 1) for lab in labels) and all(-1 <= x <= 1 for x in scores)


TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.lists(
    st.sampled_from(["Russia", "not", "great", "Smith", "“", "\"", " ", "\n", ".", "🙂", "שלום", "can't", "US", "_"]),
    max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.integers(0, 250), st.integers(0, 40))
def test_any_text_any_span(text, start, length):
    labels, scores = sentiment_toward([text], [(start, start + length)], return_scores=True)
    assert labels[0] in (-1, 0, 1) and -1.0 <= scores[0] <= 1.0


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_score_mentions_any_text(text):
    doc = Document.from_text("h", text)
    ms = score_mentions(doc, find_mentions(doc))
    for m in ms:
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert -1.0 <= m["sentiment"] <= 1.0 and m["sentiment_label"] in (-1, 0, 1)


def test_long_single_line_is_scored():
    text = "Russia attacked Kyiv and killed civilians " * 20000  # ~840 kB, one line, one sentence
    doc = Document.from_text("big", text)
    ms = score_mentions(doc, find_mentions(doc)[:50])
    assert len(ms) == 50 and all(-1 <= m["sentiment"] <= 1 for m in ms)


# -- NewsMTSC ---------------------------------------------------------------------------
def test_load_newsmtsc_missing_file(tmp_path):
    from framing.datasets.newsmtsc import load_newsmtsc

    with pytest.raises(FramingError, match="E350"):
        load_newsmtsc(tmp_path, "rw")


def test_load_newsmtsc_tidy():
    from framing.datasets.newsmtsc import load_newsmtsc

    df = load_newsmtsc(need_data("newsmtsc"), "rw")
    assert list(df.columns) == ["id", "sentence_id", "sentence", "target_start", "target_end", "target", "label"]
    assert len(df) == 343 and set(df.label) == {-1, 0, 1}
    assert all(s[a:b] == t for s, a, b, t in zip(df.sentence, df.target_start, df.target_end, df.target))


def test_newsmtsc_beats_vader():
    from framing.evaluate.newsmtsc import evaluate_newsmtsc

    m = evaluate_newsmtsc(need_data("newsmtsc"), peers=False)
    from framing.datasets.newsmtsc import load_newsmtsc
    from framing.evaluate.newsmtsc import _vader_labels, macro_f1

    rw = load_newsmtsc(need_data("newsmtsc"), "rw")
    vader = macro_f1(rw.label, _vader_labels(rw.sentence.tolist()))
    assert m["macro_f1_rw"] >= 0.64
    assert m["macro_f1_mt"] >= 0.62
    assert m["macro_f1_rw"] >= vader + 0.13


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aB_ \n1.,é\u0301²’'🙂ש-Σς")), max_size=60), st.data())
def test_tokenize_offsets_match_the_token_regex(text, data):
    from framing.extractors.sentiment import _TOKEN, tokenize

    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    toks, starts, ends = tokenize(text, a, b)
    ref = [(m.start(), m.end()) for m in _TOKEN.finditer(text, a, b)]
    assert list(zip(starts.tolist(), ends.tolist())) == ref
    assert len(toks) == len(ref) and all("_" not in t for t in toks)


# -- batches ------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.lists(TEXTS, max_size=5))
def test_batch_equals_one_document_at_a_time(texts):
    from framing.extractors.sentiment import score_mentions_batch

    docs = [Document.from_text(f"d{i}", t) for i, t in enumerate(texts)]
    alone = [score_mentions(d, find_mentions(d)) for d in docs]
    together = score_mentions_batch([(d, find_mentions(d)) for d in docs])
    assert together == alone  # exactly the same floats, not approximately


def test_batch_with_overlapping_contexts_and_empty_items():
    model = load_model()
    a = "Russia attacked Kyiv. Seoul praised Kyiv's courage, the US said."
    b = "Ukraine thanked the US. Moscow threatened it."
    items_a = [((0, 21), 15, 19), ((0, 40), 22, 27), ((22, 65), 36, 40)]  # context spans that overlap
    items_b = [((0, 23), 0, 7), ((24, 45), 24, 30)]
    together = model.score_batch([(a, items_a), ("", []), (b, items_b)])
    assert together[1].shape == (0, 3)
    assert np.array_equal(together[0], model.score_spans(a, items_a))
    assert np.array_equal(together[2], model.score_spans(b, items_b))
    assert np.array_equal(together[0][:1], model.score_spans(a, items_a[:1]))


def test_pipeline_falls_back_to_one_article_at_a_time(monkeypatch):
    import framing
    from framing import pipeline
    from framing.extractors import sentiment
    from framing.options import Options

    if framing.native_status()["modules"].get("framing.pipeline") == "compiled":
        # the compiled pipeline calls the sentiment module directly (nothing to patch here): run this test
        # again on the Python source, in a fresh process
        import os
        import subprocess
        import sys

        node = f"{__file__}::test_pipeline_falls_back_to_one_article_at_a_time"
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", node],
                             env={**os.environ, "FRAMING_PURE": "1"}, capture_output=True, text=True)
        assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout + run.stderr
        return
    texts = ["Russia attacked Kyiv overnight.", "Seoul praised Kyiv.",
             "The Kremlin said nothing; Zelensky thanked the US."]
    recs = [{"doc_id": f"r{i}", "text": t} for i, t in enumerate(texts)]
    ref = pipeline.analyze_records(recs, Options())
    batch = sentiment.score_mentions_batch

    def failing(pairs, options=None):  # a batch with r1 in it fails, as r1 alone does
        if any(d.doc_id == "r1" for d, _ in pairs):
            raise ValueError("broken")
        return batch(pairs, options)

    monkeypatch.setattr(sentiment, "score_mentions_batch", failing)
    got = pipeline.analyze_records(recs, Options())
    assert got[1].error is not None and "internal error in sentiment: ValueError: broken" in got[1].error["reason"]
    assert repr([got[0], got[2]]) == repr([ref[0], ref[2]])
