"""Encyclopedic-register hedge weighting (framing.extractors.weasel) and its WikiWeasel evaluation."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Document
from framing.errors import FramingError
from framing.extractors.hedging import extract_hedges
from framing.extractors.weasel import (
    HedgeModel,
    cross_validated_probabilities,
    load_hedge_model,
    score_sentences,
    sentence_features,
    text_features,
    text_hashes,
)
from framing.options import Options

REPO = Path(__file__).resolve().parents[1]


def _ww_dir() -> Path:
    root = os.environ.get("FRAMING_DATA")
    base = Path(root) if root else REPO / ".." / "shared" / "data"
    return base / "wikiweasel"


def test_features_name_hedge_rules_and_weasel_cues() -> None:
    f = text_features(["Some critics argue that it is one of the most influential albums ever made."])[0]
    assert f["h:quant_group"] == 1.0 and f["c:unnamed_attribution"] == 1.0
    assert f["w:peacock:influential"] == 1.0 and f["g:superlative"] >= 1.0
    assert f["initial_quantifier"] == 1.0
    plain = text_features(["The bridge opened in 1932."])[0]
    assert not any(k.startswith(("h:", "g:peacock", "g:vague")) for k in plain)


def test_sentence_features_reads_only_rule_and_category() -> None:
    f = sentence_features("plain words", [{"rule": "hedges/may", "category": "uncertainty"}])
    assert f == {"h:may": 1.0, "c:uncertainty": 1.0}


def test_shipped_model_separates_weasels_from_plain_facts() -> None:
    model = load_hedge_model()
    assert model.meta["register"] == "encyclopedic" and 0 < model.threshold < 1
    assert model.meta["cv"]["uncertain_f1"] > 0.6
    weasel, fact = text_features(
        ["It is widely believed that many scholars consider him the greatest poet.", "The river flows north."]
    )
    assert model.probability(weasel) >= model.threshold > model.probability(fact)


def test_model_card_states_the_shipped_cv_score() -> None:
    data = json.loads((REPO / "framing" / "models" / "hedge_weights.json").read_text(encoding="utf-8"))
    card = (REPO / "framing" / "models" / "hedge_weights_card.md").read_text(encoding="utf-8")
    assert f"{data['cv']['uncertain_f1']:.3f}" in card


def test_bad_model_file_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(FramingError, match="E132"):
        load_hedge_model(bad)


def test_train_hashes_round_trip() -> None:
    from framing.extractors.weasel import encode_hashes

    hs = text_hashes(["A b.", "  a   B. ", "other"])
    assert hs[0] == hs[1] != hs[2]
    m = HedgeModel({}, 0.0, 0.5, {"train_hashes": encode_hashes(hs)})
    assert m.train_hashes() == frozenset(hs)


def test_cross_validation_never_scores_a_sentence_with_weights_fitted_on_it() -> None:
    # A feature that marks exactly one sentence each: a model fitted on a sentence would learn its label.
    feats = [{f"id{i}": 1.0} for i in range(60)]
    labels = [i % 2 for i in range(60)]
    probs, preds = cross_validated_probabilities(feats, labels, C=10.0)
    assert all(abs(p - probs[0]) < 0.2 for p in probs)  # no sentence's own feature was seen
    assert sum(p == y for p, y in zip(preds, labels)) <= 45


def test_score_sentences_on_a_document() -> None:
    doc = Document.from_text("d", "The river flows north.\nMany people believe it is haunted.")
    out = score_sentences(doc, Options(body_only=False))
    assert [r["uncertain"] for r in out] == [False, True]
    assert all(0 <= r["start"] < r["end"] <= len(doc.text) for r in out)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_scores_without_crashing(text: str) -> None:
    doc = Document.from_text("h", text)
    out = score_sentences(doc, Options(body_only=False))
    for r in out:
        assert 0 <= r["start"] < r["end"] <= len(text) and 0.0 <= r["probability"] <= 1.0


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("The rally was attended by some 10,000 people.", "hedges/by_some"),
        ("The gap predates the law by several years.", "hedges/by_some"),
        ("Several hundred members attended.", "hedges/quant_group"),
        ("He was an Italian composer most noted for his operas.", "hedges/group_say"),
    ],
)
def test_amounts_and_adjectives_are_not_weasels(text: str, absent: str) -> None:
    rules = {r["rule"] for r in extract_hedges(Document.from_text("t", text))}
    assert absent not in rules


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("It is also said to ward off colds.", "hedges/it_is_said"),
        ("The state is now considered one of the worst hotspots.", "hedges/passive_considered"),
        ("Tradition holds that the pasty was made for miners.", "hedges/tradition_holds"),
        ("Gun control advocates say the law failed.", "hedges/group_say"),
    ],
)
def test_general_weasel_frames(text: str, rule: str) -> None:
    assert rule in {r["rule"] for r in extract_hedges(Document.from_text("t", text))}


def test_foreign_file_uses_shipped_weights_and_dev_file_is_cross_validated(tiny_wikiweasel_csv) -> None:
    from framing.evaluate.wikiweasel import evaluate_wikiweasel

    f = tiny_wikiweasel_csv
    out = evaluate_wikiweasel(f, peers=False)
    assert out["uncertain_weighted_cv"] == 0.0 and out["train_overlap"] == 0.0
    assert out["uncertain_f1"] == out["uncertain_weighted_f1"] == 1.0
    news = evaluate_wikiweasel(f, peers=False, register="news")
    assert news["uncertain_f1"] == news["uncertain_news_f1"]
    with pytest.raises(FramingError, match="E332"):
        evaluate_wikiweasel(f, peers=False, register="poetry")


@pytest.mark.slow
def test_dev_score_is_cross_validated_and_beats_the_peers() -> None:
    path = _ww_dir() / "wikiweasel_dev.csv"
    if not path.is_file():
        pytest.skip(f"WikiWeasel data not found at {path} (set FRAMING_DATA)")
    from framing.evaluate.wikiweasel import evaluate_wikiweasel

    out = evaluate_wikiweasel(path)
    assert out["uncertain_weighted_cv"] == 1.0 and out["train_overlap"] > 0.99
    assert out["uncertain_f1"] >= 0.63
    assert out["uncertain_f1"] > out["peer_tfidf_lr_f1"] and out["uncertain_f1"] > out["peer_keywords_f1"]
