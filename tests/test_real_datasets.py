"""Loaders of the shared annotated corpora (skipped when ../shared/data is absent) and the loaded-language measure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.errors import FramingError
from framing.loaded_language import PUBLISHED_MACRO_F1, LoadedLexicon, evaluate_babe
from tests.conftest import need_data


def test_basil_loader_gives_triplets():
    from framing.datasets.basil import load_basil

    arts, spans = load_basil(need_data("basil"))
    assert set(arts.outlet) == {"Fox News", "New York Times", "HuffPost"}
    assert arts.groupby("story").outlet.nunique().eq(3).all()
    assert arts.doc_id.is_unique and arts.text.str.len().gt(200).all()
    assert set(spans.bias) <= {"lex", "inf"} and spans.doc_id.isin(arts.doc_id).all()


def test_abp_and_babe_loaders():
    from framing.datasets.article_bias_prediction import load_article_bias_prediction
    from framing.datasets.babe import babe_articles, load_babe

    abp = load_article_bias_prediction(need_data("article_bias_prediction"), limit=50)
    assert len(abp) == 50 and set(abp.leaning) <= {"left", "center", "right"} and abp.outlet.notna().all()
    s = load_babe(need_data("babe"))
    assert s.biased.dtype == bool and 0.3 < s.biased.mean() < 0.7
    assert s.biased_words.map(lambda w: isinstance(w, list)).all()
    arts = babe_articles(s)
    assert arts.url.is_unique and len(arts) == s.article.nunique()


def test_loader_errors_name_the_file(tmp_path):
    from framing.datasets.babe import load_babe
    from framing.datasets.basil import load_basil

    with pytest.raises(FramingError, match="BASIL file not found"):
        load_basil(tmp_path)
    (tmp_path / "babe_sg2_dev.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(FramingError, match="lacks column"):
        load_babe(tmp_path)


def test_lexicon_learns_marked_words_only_from_training_sentences():
    texts = ["The radical plan failed.", "The radical group met.", "The plan passed.", "A vote was held."] * 3
    words = [["radical"], ["radical"], [], []] * 3
    y = [True, True, False, False] * 3
    lex = LoadedLexicon(min_marked=2, min_precision=0.5).fit(texts, words, y)
    assert lex.words_ == {"radical"}
    assert lex.predict(["A radical idea.", "A calm idea."]).tolist() == [True, False]
    with pytest.raises(FramingError, match="not fitted"):
        LoadedLexicon().predict(["x"])


def test_loaded_language_on_babe_beats_majority_and_sits_below_published_bert():
    s = load_babe_or_skip()
    r = evaluate_babe(s, n_splits=5).set_index("method")
    lex, model = r.loc["loaded-word lexicon", "macro_f1_mean"], r.loc["TF-IDF + logistic regression", "macro_f1_mean"]
    base = r.loc["majority baseline", "macro_f1_mean"]
    assert lex > base + 0.15 and model > base + 0.2
    assert model < PUBLISHED_MACRO_F1 + 0.05  # a bag of words should not beat a fine-tuned transformer
    assert np.isfinite(r.macro_f1_sd.iloc[:3]).all()


def load_babe_or_skip() -> pd.DataFrame:
    from framing.datasets.babe import load_babe

    return load_babe(need_data("babe"))


@pytest.mark.slow
def test_real_report_runs_end_to_end_on_a_small_sample(tmp_path):
    """The one-command real-data report (here on a few articles per dataset; figures not meaningful)."""
    from framing.real_report import build_real_report
    from tests.conftest import data_root

    for name in ("basil", "polnear", "article_bias_prediction", "babe"):
        need_data(name)
    page = build_real_report(data_root(), tmp_path, n_boot=200, n_perm=200, limit=60)
    html = page.read_text(encoding="utf-8")
    for title in ("BASIL", "PolNeAR", "Article-Bias-Prediction", "BABE"):
        assert title in html
    import json

    head = json.loads((tmp_path / "headline.json").read_text(encoding="utf-8"))
    assert {"outlet held out", "random split"} <= set(head["abp"]["macro_f1"])
    assert "<script" not in html
