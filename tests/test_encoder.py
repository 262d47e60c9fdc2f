"""The optional contextual encoder (framing.encoder) and the sentiment it feeds.

Reference values were computed here with Hugging Face transformers 5.24 + PyTorch 2.13 (CPU) on
the same weights (all-MiniLM-L6-v2, revision 1110a243), in a scratch environment; the numpy
forward pass must reproduce them. Sentences are written for these tests.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import framing
from framing.encoder import MAX_TOKENS, MiniLMEncoder, available
from framing.errors import FramingError

needs_encoder = pytest.mark.skipif(not available(), reason="optional encoder not installed (make install)")

SENTENCE = "The mayor of Eastbrook thanked the volunteers who rebuilt the bridge."


@needs_encoder
def test_forward_pass_matches_the_reference_implementation():
    from framing.encoder import load_encoder

    enc = load_encoder()
    ids, offsets = enc.tokenize(SENTENCE)
    assert ids.tolist() == [101, 1996, 3664, 1997, 2264, 9697, 15583, 1996, 7314, 2040, 7183, 1996, 2958, 1012, 102]
    h = enc.hidden(ids)
    assert h.shape == (15, 384) and h.dtype == np.float32
    np.testing.assert_allclose(h[0, :4], [0.0333, 0.5624, 0.4008, -0.0266], atol=2e-4)
    np.testing.assert_allclose(h[3, :4], [-0.1492, 0.4138, 0.3934, -0.1106], atol=2e-4)
    assert h.mean(axis=0).sum() == pytest.approx(0.7755, abs=2e-3)
    # offsets point back into the text; [CLS] and [SEP] have none
    assert SENTENCE[offsets[2][0]:offsets[2][1]] == "mayor" and offsets[0].tolist() == [0, 0]


@needs_encoder
def test_long_text_is_cut_to_a_window_around_the_focus():
    from framing.encoder import load_encoder

    enc = load_encoder()
    text = " ".join(f"word{i}" for i in range(400)) + " Eastbrook"
    s = text.index("Eastbrook")
    ids, offsets = enc.tokenize(text, focus=(s, s + 9))
    assert len(ids) == MAX_TOKENS
    assert any(a >= s for a, _ in offsets.tolist())  # the focus is inside the window
    rows = enc.span_features(text, [(0, 5), (s, s + 9)])
    assert rows.shape == (2, 768) and np.abs(rows[:, :384]).sum(axis=1).min() > 0  # both spans found


def test_missing_or_altered_weights_are_coded_errors(tmp_path):
    with pytest.raises(FramingError, match="E150"):
        MiniLMEncoder(model_dir=tmp_path)
    if not available():
        pytest.skip("optional encoder not installed: the checksum part needs its tokenizer file")
    from framing.encoder import _model_dir

    d = _model_dir()
    assert d is not None
    shutil.copy(d / "tokenizer.json", tmp_path / "tokenizer.json")
    (tmp_path / "model.safetensors").write_bytes(b"not the official weights")
    with pytest.raises(FramingError, match="E151"):
        MiniLMEncoder(model_dir=tmp_path)


def test_encoder_option_needs_the_extra(monkeypatch):
    import framing.encoder

    monkeypatch.setattr(framing.encoder, "available", lambda: False)
    with pytest.raises(FramingError, match="E150"):
        framing.Options(encoder=True).validate()
    with pytest.raises(FramingError, match="E153"):
        framing.sentiment_toward(["a b"], [(0, 1)], model="bert")


@needs_encoder
def test_encoder_sentiment_reads_who_is_blamed():
    texts = [
        "Critics accused Senator Vale of lying to voters and wasting public money.",
        "Residents praised Dr. Osei for her tireless, generous work at the clinic.",
        "Senator Vale will speak at the conference on Tuesday.",
    ]
    spans = [(t.index(n), t.index(n) + len(n)) for t, n in zip(texts, ["Senator Vale", "Dr. Osei", "Senator Vale"])]
    labels, scores = framing.sentiment_toward(texts, spans, return_scores=True, model="encoder")
    assert labels == [-1, 1, 0]
    assert scores[0] < 0 < scores[1] and all(-1 <= s <= 1 for s in scores)
    assert framing.sentiment_toward([], [], model="encoder") == []


@needs_encoder
def test_analyze_with_encoder_matches_sentiment_toward():
    text = ("Moscow condemned the new sanctions. Officials in Washington said the measures were fair.\n\n"
            "The Kremlin called the decision hostile and dangerous.")
    a = framing.analyze([text], options=framing.Options(encoder=True))
    m = a.mentions
    assert len(m) >= 2 and m.sentiment.notna().all()
    labels, scores = framing.sentiment_toward([text] * len(m), list(zip(m.start, m.end)), return_scores=True,
                                              model="encoder")
    assert m.sentiment_label.tolist() == labels
    np.testing.assert_allclose(m.sentiment.to_numpy(), scores, atol=1e-6)
    # the default stays the fast linear model
    plain = framing.analyze([text])
    assert plain.mentions.sentiment_label.tolist() == framing.sentiment_toward(
        [text] * len(m), list(zip(m.start, m.end)), model="linear")


def test_sentiment_toward_takes_numpy_integers():
    text = "Critics accused Senator Vale of lying to voters."
    spans = [(np.int64(16), np.int64(28))]
    assert framing.sentiment_toward([text], spans) == framing.sentiment_toward([text], [(16, 28)])


@needs_encoder
def test_provenance_records_the_encoder():
    a = framing.analyze(["Moscow condemned the sanctions."], options=framing.Options(encoder=True))
    assert a.provenance["options"]["encoder"] is True
    assert a.provenance["models"]["encoder"]["sha256"] == "53aa51172d142c89"
    assert "encoder" not in framing.analyze(["Moscow condemned the sanctions."]).provenance["models"]


@needs_encoder
def test_targets_of_one_long_sentence_share_windows():
    from framing.encoder import WINDOW_STEP, load_encoder

    enc = load_encoder()
    text = "The talks in Moscow failed, and Washington blamed Moscow, " * 60  # one sentence, ~900 pieces
    starts = set()
    for k in range(10, 50):  # targets far from both ends of the sentence
        s = text.index("Washington", k * 60)
        ids, offsets = enc.tokenize(text, focus=(s, s + 10))
        inside = [i for i, (a, b) in enumerate(offsets.tolist()) if a < s + 10 and b > s]
        assert inside and 30 <= inside[0] <= MAX_TOKENS - 30  # the target keeps context on both sides
        starts.add(int(offsets[1][0]))
    assert len(starts) <= 40 * 14 // WINDOW_STEP + 1  # 40 targets about 14 pieces apart share windows


@needs_encoder
def test_cli_encoder_flag(tmp_path):
    import json

    from click.testing import CliRunner

    from framing.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Critics in Moscow condemned the plan. The Kremlin called it a ploy.\n")
    r = CliRunner().invoke(main, ["analyze", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--encoder", "--quiet"])
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "out" / "run.json").read_text())["options"]["encoder"] is True

