"""The seed page (a real live blog with a hand annotation): the core issue's acceptance check."""

import pytest

from framing.evaluate.seed import evaluate_seed


@pytest.fixture(scope="module")
def seed_metrics(seed_dir):
    return evaluate_seed(seed_dir)


def test_attribution_precision_and_recall(seed_metrics):
    assert seed_metrics["attribution_r"] >= 0.8
    assert seed_metrics["attribution_p"] >= 0.8


def test_hedge_recall(seed_metrics):
    assert seed_metrics["hedge_r"] >= 0.8


def test_boilerplate_share(seed_metrics):
    assert 0.13 <= seed_metrics["boilerplate_share"] <= 0.17


def test_glued_sentence_split(seed_metrics):
    assert seed_metrics["glued_sentence_split"] == 1.0


def test_actor_expectations(seed_metrics):
    assert seed_metrics["actor_ranking_ok"] == 1.0
    assert seed_metrics["russia_below_south_korea_sentiment"] == 1.0
