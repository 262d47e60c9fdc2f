"""Leakage-safe classifiers: grouped folds never split a story (or a near-duplicate); random folds do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.analysis import Analysis
from framing.compare import cross_validate, feature_frame, leakage_report, make_classifier
from framing.compare.classify import make_splitter, near_duplicate_pairs, story_groups
from framing.errors import FramingError
from tests.compare_helpers import demo_analysis, demo_slug, synthetic_analysis


def _with_reprints(a: Analysis, n: int = 20) -> Analysis:
    """The demo corpus plus ``n`` syndicated reprints: another outlet runs a copy with one line changed."""
    arts, texts = a.articles.copy(), dict(zip(a.texts.doc_id, a.texts.text))
    outlets = sorted(arts.outlet.unique())
    new_arts, new_texts, new_bp = [], [], []
    prefix = "Reprinted with permission.\n"
    for k, r in enumerate(arts.iloc[::max(1, len(arts) // n)].head(n).itertuples()):
        other = outlets[(outlets.index(r.outlet) + 1) % len(outlets)]
        did = f"{other}/reprint-{k}-{r.doc_id.split('/')[1]}"
        new_arts.append({**arts.loc[r.Index].to_dict(), "doc_id": did, "outlet": other})
        new_texts.append({"doc_id": did, "text": prefix + texts[r.doc_id]})
        bp = a.boilerplate[a.boilerplate.doc_id == r.doc_id]
        new_bp.append(bp.assign(doc_id=did, start=bp.start + len(prefix), end=bp.end + len(prefix)))
    tables = {t: getattr(a, t) for t in ("attributions", "hedges", "mentions", "errors")}
    tables["boilerplate"] = pd.concat([a.boilerplate, *new_bp], ignore_index=True)
    tables["articles"] = pd.concat([arts, pd.DataFrame(new_arts)], ignore_index=True)
    tables["texts"] = pd.concat([a.texts, pd.DataFrame(new_texts)], ignore_index=True)
    return Analysis(tables, a.provenance)


def test_random_split_leaks_duplicates_grouped_split_never_does():
    a = _with_reprints(demo_analysis())
    texts = feature_frame(a, features=[]).text.tolist()
    y = a.articles.outlet.to_numpy()
    pairs = near_duplicate_pairs(texts, 0.8)
    assert len(pairs) >= 20  # the reprints (at least) are near-duplicates
    random_folds = make_splitter(y, None, 5, seed=0)
    leaky = leakage_report(texts, random_folds, pairs=pairs)
    assert leaky.n_leaking_pairs.sum() > 0
    groups = story_groups(a)
    grouped = make_splitter(y, groups, 5, seed=0)
    assert leakage_report(texts, grouped, pairs=pairs).n_leaking_pairs.sum() == 0
    # and no demo story (same slug across outlets) is ever on both sides
    slugs = a.articles.doc_id.map(lambda d: demo_slug(d.replace("reprint-", "")) if "reprint-" not in d
                                  else d.split("/", 1)[1].split("-", 2)[2][11:]).to_numpy()
    for tr, te in grouped:
        assert not set(slugs[tr]) & set(slugs[te])
    assert any(set(slugs[tr]) & set(slugs[te]) for tr, te in random_folds)


def test_grouped_cv_beats_majority_baseline_on_demo():
    cv = cross_validate(demo_analysis(), "outlet", group_by="story", n_splits=5, n_repeats=2)
    s = cv.summary.set_index("model")
    base = s.loc["majority baseline", "f1_mean"]
    for kind in ("features", "tfidf", "both"):
        assert s.loc[kind, "f1_mean"] > base + 0.3, cv.table()
    assert s.loc["stratified baseline", "n_folds"] == s.loc["features", "n_folds"] >= 3
    cm = cv.confusion["features"]
    assert cm.to_numpy().sum() == len(demo_analysis().articles)
    assert set(cv.importance.feature) <= set(feature_frame(demo_analysis()).columns)
    assert "±" in cv.table().iloc[0, 0]


def test_cv_argument_errors():
    a = synthetic_analysis(n_stories=8)
    with pytest.raises(FramingError, match="E446"):
        cross_validate(a, "outlet", group_by="outlet")
    with pytest.raises(FramingError, match="E445"):
        cross_validate(a, "no_such_column")
    with pytest.raises(FramingError, match="E444"):
        cross_validate(a, "outlet", group_by=[1, 2])
    with pytest.raises(FramingError, match="E441"):
        make_classifier("bert")


def test_outlet_held_out_split_for_an_outlet_level_label():
    a = synthetic_analysis(n_stories=10)
    arts = a.articles.assign(leaning=a.articles.outlet.map({"a-neutral": "x", "b-hedgy": "y", "c-buzz": "y"}))
    a2 = Analysis({**{t: getattr(a, t) for t in ("attributions", "hedges", "mentions", "boilerplate", "errors",
                                                   "texts")}, "articles": arts}, {})
    cv = cross_validate(a2, "leaning", group_by="outlet", kinds=["features"], n_splits=3, importance=False)
    outl = arts.outlet.to_numpy()
    for tr, te in cv.folds:
        assert not set(outl[tr]) & set(outl[te])
    assert np.isfinite(cv.summary.f1_mean).all()
