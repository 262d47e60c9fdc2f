"""Figures: one function each, returning a labelled Figure, saved as PNG and SVG."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from framing import plots
from framing.compare import actor_framing, cross_validate, source_type_shares, summarize_outlets
from framing.errors import FramingError
from tests.compare_helpers import synthetic_analysis


@pytest.fixture(scope="module")
def a():
    return synthetic_analysis(n_stories=12)


def _labelled(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    assert visible
    assert fig.get_suptitle() or all(ax.get_title() for ax in visible)
    for ax in visible:
        assert ax.get_xlabel() and (ax.get_ylabel() or ax.get_yticklabels())


def test_every_figure_is_labelled_and_saves(a, tmp_path):
    s = summarize_outlets(a, ["share_distancing_cues", "boilerplate_share"], n_boot=200)
    cv = cross_validate(a, n_splits=3, n_repeats=2, kinds=["features"])
    figs = {
        "features": plots.plot_outlet_features(s),
        "actors": plots.plot_actor_heatmap(actor_framing(a, n_boot=200), min_articles=1),
        "sources": plots.plot_source_types(source_type_shares(a, n_boot=200)),
        "boilerplate": plots.plot_boilerplate_distribution(a.articles),
        "confusion": plots.plot_confusion_matrix(cv.confusion["features"]),
        "importance": plots.plot_feature_importance(cv.importance),
        "scores": plots.plot_classifier_scores(cv.summary),
    }
    for name, fig in figs.items():
        _labelled(fig)
        paths = plots.save_figure(fig, tmp_path / name)
        assert [p.suffix for p in paths] == [".png", ".svg"] and all(p.stat().st_size > 1000 for p in paths)


def test_outlet_colours_are_okabe_ito_and_stable():
    c = plots.outlet_colors(["b", "a", "c", "a"])
    assert c == {"a": plots.OKABE_ITO[0], "b": plots.OKABE_ITO[1], "c": plots.OKABE_ITO[2]}


def test_missing_columns_and_empty_input_are_explained():
    with pytest.raises(FramingError, match="needs columns"):
        plots.plot_outlet_features(pd.DataFrame({"outlet": ["a"]}))
    with pytest.raises(FramingError, match="E461"):
        plots.plot_boilerplate_distribution(pd.DataFrame({"outlet": [], "boilerplate_share": []}))
    with pytest.raises(FramingError, match="square"):
        plots.plot_confusion_matrix(pd.DataFrame([[1, 2]]))
