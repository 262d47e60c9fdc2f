"""analyze() end to end: tables, offsets, save/load, errors kept apart, engines identical."""

import json
import math

import pandas as pd
import pytest

import framing
from framing.pipeline import ARTICLE_COLUMNS, TABLE_COLUMNS

TEXTS = [
    "Talks collapse\nThe minister said on Monday that the talks had failed. "
    "“We will not give up,” she said.\nOfficials claimed the deal was dead, according to a source close to the talks.",
    "Russia warned Ukraine.\nThe Kremlin said the strike may continue. Moscow reportedly denied it.",
    "",
]


@pytest.fixture(scope="module")
def analysis():
    return framing.analyze(TEXTS)


def test_tables_have_documented_columns(analysis):
    assert list(analysis.articles.columns[: len(ARTICLE_COLUMNS)]) == ARTICLE_COLUMNS
    for name, cols in TABLE_COLUMNS.items():
        assert list(getattr(analysis, name).columns) == cols
    assert list(analysis.errors.columns) == ["doc_id", "source", "code", "severity", "reason"]


def test_empty_article_is_an_error_and_others_are_analysed(analysis):
    assert list(analysis.articles.doc_id) == ["doc1", "doc2"]
    assert analysis.errors.doc_id.tolist() == ["doc3"] and analysis.errors.code.tolist() == ["E005"]


def test_every_offset_points_into_its_text(analysis):
    texts = dict(zip(analysis.texts.doc_id, analysis.texts.text))
    for name in TABLE_COLUMNS:
        df = getattr(analysis, name)
        for r in df.itertuples():
            assert 0 <= r.start < r.end <= len(texts[r.doc_id])
    a = analysis.attributions
    for r in a.itertuples():
        t = texts[r.doc_id]
        assert t[r.start:r.end] == r.cue
        if not pd.isna(r.speaker_start):
            assert t[r.speaker_start:r.speaker_end] == r.speaker


def test_findings_on_a_small_article(analysis):
    a = analysis.spans("attributions", "doc1")
    assert {"said", "claimed"} <= set(a.cue)
    assert set(a.cue_class) <= {"neutral", "distancing", "emphatic"}
    art = analysis.articles.set_index("doc_id")
    assert art.loc["doc1", "n_attributions"] == len(a)
    assert 0 < art.loc["doc1", "share_distancing_cues"] < 1
    assert art.loc["doc2", "n_mentions"] >= 4
    assert not math.isnan(art.loc["doc1", "flesch_reading_ease"])


def test_save_and_load_round_trip(analysis, tmp_path):
    analysis.save(tmp_path / "out")
    back = framing.Analysis.load(tmp_path / "out")
    for t in ["articles", "attributions", "hedges", "mentions", "boilerplate", "errors", "texts"]:
        pd.testing.assert_frame_equal(getattr(back, t), getattr(analysis, t), check_dtype=False)
    prov = json.loads((tmp_path / "out" / "run.json").read_text())
    assert prov["version"] == framing.__version__ and "lexicons" in prov and prov["options"]["body_only"] is True


def test_repr_and_html(analysis):
    assert "2 articles" in repr(analysis)
    html = analysis._repr_html_()
    assert "<table" in html and "Per-outlet" in html


def test_two_processes_give_identical_tables():
    texts = [t for t in TEXTS if t] * 6 + [""]  # the empty one is an error record from a worker
    one = framing.analyze(texts, n_jobs=1)
    two = framing.analyze(texts, n_jobs=2)
    for t in ["articles", "attributions", "hedges", "mentions", "boilerplate", "errors", "texts"]:
        pd.testing.assert_frame_equal(getattr(one, t), getattr(two, t), check_exact=True)
    assert two.errors.code.tolist() == ["E005"]
    assert one.provenance["input_fingerprint"] == two.provenance["input_fingerprint"]


def test_options_are_validated():
    with pytest.raises(framing.FramingError, match="repetition_min_docs"):
        framing.analyze(["x said y."], repetition_min_docs=1)
    with pytest.raises(TypeError):
        framing.analyze(["x"], no_such_option=True)


def test_too_long_article_is_reported_not_analysed():
    a = framing.analyze(["Short one said.", "x " * 600], max_chars=1000)
    assert list(a.articles.doc_id) == ["doc1"]
    assert a.errors.code.tolist() == ["E202"]


def test_analyze_to_folder_resumes_and_merges(tmp_path):
    texts = [f"Story {i}\nThe minister said talks number {i} failed." for i in range(7)]
    calls = []
    framing.analyze_to_folder(texts, tmp_path / "o", chunk_size=3, on_chunk=lambda i, n: calls.append(i))
    assert calls == [0, 1, 2]
    first = framing.Analysis.load(tmp_path / "o")
    calls.clear()
    framing.analyze_to_folder(texts, tmp_path / "o", chunk_size=3, on_chunk=lambda i, n: calls.append(i))
    assert calls == []  # every chunk was done already
    again = framing.Analysis.load(tmp_path / "o")
    pd.testing.assert_frame_equal(first.articles, again.articles)
    assert len(again.articles) == 7 and again.articles.doc_id.is_unique
    mem = framing.analyze(texts)
    pd.testing.assert_frame_equal(again.attributions, mem.attributions, check_dtype=False)


def test_attribution_model_can_be_switched_off():
    text = ["The minister said talks failed. It appeared the deal was off, observers noted."]
    with_model = framing.analyze(text)
    rules_only = framing.analyze(text, attribution_model=False)
    assert "model:attribution_cues" not in set(rules_only.attributions.rule)
    assert set(rules_only.attributions.start) <= set(with_model.attributions.start)
    assert rules_only.provenance["options"]["attribution_model"] is False
    assert {"attribution_cues", "sentiment"} <= set(with_model.provenance["models"])


def test_article_without_body_text_has_nan_readability_not_zero():
    a = framing.analyze(["Subscribe to our newsletter\nJoin the conversation\nComments"])
    row = a.articles.iloc[0]
    assert row.n_words == 0
    assert math.isnan(row.flesch_reading_ease) and math.isnan(row.flesch_kincaid_grade)
