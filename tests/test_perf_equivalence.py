"""Speed-ups that must not change results: batched forms equal the plain definitions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Document
from framing.extractors import readability, sentiment

_CHARS = st.sampled_from(list("abcXYZ  \n\t.,!?“”’'_-0123456789ΣςΟΔ") + ["don't", "Mr. ", "U.S. "])
_TEXT = st.lists(_CHARS, max_size=80).map("".join)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.data())
def test_tokenize_spans_equals_tokenize_span_by_span(text, data):
    doc = Document.from_text("d", text)
    spans = data.draw(st.lists(st.sampled_from(doc.sentences), unique=True).map(sorted)) if doc.sentences else []
    toks, starts, ends, bounds = sentiment._tokenize_spans(text, spans)
    ref_toks, ref_s, ref_e, ref_b = [], [], [], []
    for sp in spans:
        t, s, e = sentiment.tokenize(text, *sp)
        ref_b.append((len(ref_toks), len(ref_toks) + len(t)))
        ref_toks += t
        ref_s.append(s)
        ref_e.append(e)
    assert toks == ref_toks and bounds == ref_b
    assert np.array_equal(starts, np.concatenate(ref_s) if ref_s else np.zeros(0, dtype=np.int64))
    assert np.array_equal(ends, np.concatenate(ref_e) if ref_e else np.zeros(0, dtype=np.int64))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["the", "minister", "said", "extraordinary", "well-known", "U", "Σ", "a"]),
                max_size=60).map(" ".join))
def test_readability_counts_equal_the_word_by_word_definition(text):
    got = readability._fast(text, 3)
    words = readability._WORD.findall(text)
    syl = [readability.syllables(w) for w in words]
    if not words:
        assert got["n_words"] == 0
        return
    assert got["avg_syllables_per_word"] == sum(syl) / len(words)
    complex_words = sum(1 for s, w in zip(syl, words) if s >= 3 and "-" not in w)
    assert got["gunning_fog"] == 0.4 * (len(words) / 3 + 100.0 * complex_words / len(words))


def test_parallel_repetition_equals_serial():
    from pathlib import Path

    from framing.corpus.reader import iter_corpus
    from framing.engines.local import LocalRun
    from framing.options import Options
    from framing.pipeline import outlet_repetition

    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    records = [r for r in iter_corpus(demo) if isinstance(r, dict)]
    opts = Options()
    serial = outlet_repetition(records, opts)
    assert any(serial.values()), "the demo corpus has blocks repeated within an outlet"
    for jobs in (1, 2):
        with LocalRun(opts, jobs) as run:
            assert run.count(records, chunk=8) == serial


def test_batch_equals_record_by_record_including_stage_errors(monkeypatch):
    from framing.extractors import hedging
    from framing.options import Options
    from framing.pipeline import analyze_record, analyze_records

    real = hedging.extract_hedges

    def flaky(doc, options=None):
        if "BOOM" in doc.text:
            raise RuntimeError("hedging failed on purpose")
        return real(doc, options)

    monkeypatch.setattr(hedging, "extract_hedges", flaky)
    recs = [{"doc_id": "a", "text": "The minister said the talks may have failed."},
            {"doc_id": "b", "text": "BOOM. Critics claimed the plan was a disaster."},
            {"doc_id": "c", "text": "   "},
            {"doc_id": "d", "text": "Officials allegedly misled voters, a source close to the talks said."}]
    opts = Options()
    batch = analyze_records(recs, opts)
    single = [analyze_record(r, opts) for r in recs]
    assert repr(batch) == repr(single)  # repr: NaN features compare equal
    assert batch[1].error["code"] == "E201" and "hedging" in batch[1].error["reason"]
    assert batch[2].error["code"] == "E005" and batch[0].error is None and batch[3].tables["hedges"]


def test_tapering_batches_cover_every_record_once_in_order():
    from framing.engines.local import _tapering_batches

    for n in (0, 1, 5, 31, 741):
        records = [{"doc_id": str(i)} for i in range(n)]
        batches = list(_tapering_batches(records, 32, 2))
        assert [r for b in batches for r in b] == records
        assert all(1 <= len(b) <= 32 for b in batches)
        if n > 200:
            assert len(batches[0]) == 32 and len(batches[-1]) <= 4  # large tasks first, a small one last


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.integers(0, 80), st.integers(0, 80))
def test_quote_positions_and_possessive_tokens_equal_the_regex_scans(text, a, b):
    a, b = min(a, b), max(a, b)
    ref = [m.start() for m in sentiment._QUOTE_RE.finditer(text, a, b)]
    assert sentiment._quote_positions(text, a, b) == ref
    # The possessive gap+token pattern finds the same tokens as the plain token pattern.
    assert [t for _, t in sentiment._GAP_TOKEN.findall(text, a, b)] == sentiment._TOKEN.findall(text, a, b)


def test_two_process_run_equals_one_process_on_the_demo_corpus():
    """Both passes in workers (repetition + digests, then analysis as columns, chunk after chunk) give what
    one process gives, and what analysing record by record gives."""
    from pathlib import Path

    import pandas as pd

    import framing
    from framing.analysis import TABLES
    from framing.api import _record_digest
    from framing.corpus.reader import iter_corpus
    from framing.engines.local import LocalRun
    from framing.options import Options
    from framing.pipeline import analyze_record, outlet_repetition

    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    records = [r for r in iter_corpus(demo) if isinstance(r, dict)]
    records.append({"doc_id": "empty", "text": "  "})  # an analysis error inside a worker's batch
    opts = Options()
    texts = {r["doc_id"]: r["text"] for r in records}
    chunks = [(k, records[i:i + 13]) for k, i in enumerate(range(0, len(records), 13))]
    got = {}
    for jobs in (1, 2):
        digests: list[bytes] = []
        with LocalRun(opts, jobs, digest=_record_digest) as run:
            repetition = run.count(records, on_digest=digests.append, chunk=5)
            keys, frames = [], []
            for key, rows in run.analyse(chunks, repetition, batch=3):
                keys.append(key)
                frames.append(framing.Analysis(rows.frames(texts=texts)))
        assert keys == [k for k, _ in chunks]
        assert repetition == outlet_repetition(records, opts) and any(repetition.values())
        assert digests == [_record_digest(r) for r in records]
        got[jobs] = {t: pd.concat([getattr(f, t) for f in frames], ignore_index=True) for t in TABLES}
    reps = outlet_repetition(records, opts)
    one_by_one = framing.Analysis.from_results(
        [analyze_record(r, opts, reps.get(r.get("outlet") or "", frozenset())) for r in records], (), texts)
    for t in TABLES:
        pd.testing.assert_frame_equal(got[2][t], got[1][t], check_exact=True)
        if t != "errors":
            pd.testing.assert_frame_equal(got[1][t].reset_index(drop=True), getattr(one_by_one, t), check_exact=True,
                                          check_dtype=False)
    assert got[2]["errors"].doc_id.tolist() == ["empty"]


def test_table_rows_keep_a_table_with_a_missing_column_as_rows():
    """Rows that lack a column (not what the pipeline gives) come out as the general path builds them."""
    import pandas as pd

    from framing.analysis import TableRows, table_frame
    from framing.pipeline import TABLE_COLUMNS, DocResult

    cols = TABLE_COLUMNS["hedges"]
    full = {c: (1 if c in ("start",) else 5 if c == "end" else "x") for c in cols}
    partial = {k: v for k, v in full.items() if k != cols[-1]}
    first = TableRows().add_results([DocResult("a", article={"doc_id": "a"}, tables={"hedges": [dict(full)]})])
    second = TableRows().add_results([DocResult("b", article={"doc_id": "b"}, tables={"hedges": [dict(partial)]})])
    first.extend(second)
    got = first.frames()["hedges"]
    pd.testing.assert_frame_equal(got, table_frame("hedges", [full, partial]), check_exact=True)
    pd.testing.assert_frame_equal(first.frames()["hedges"], got, check_exact=True)  # frames() changes nothing
    assert got[cols[-1]].tolist()[0] == "x" and pd.isna(got[cols[-1]].tolist()[1])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["said", "“No", "(Reuters)", "U.S.", "well-known", "it’s", "’90s", "x²", "½",
                                 "naïve", "İstanbul", "e-mail,", "…", "--", "a_b", "l'été", "ǅemal", "...", "5th",
                                 "‘quote’", "[a]", "{b}", "*c*", "/d/", "Ⅻ", "ß"]), min_size=1, max_size=4)
       .map("".join))
def test_token_counts_fast_path_equals_the_regex_definition(token):
    from framing.extractors import readability

    words = readability._WORD.findall(token)
    syl = [readability.syllables(w) for w in words]
    expected = (len(words), sum(map(len, words)), sum(syl),
                sum(1 for n, w in zip(syl, words) if n >= 3 and "-" not in w))
    assert readability._token_counts(token) == expected


def test_table_rows_frames_can_be_built_twice_when_a_value_is_not_plain():
    """A table held as columns whose values are not all plain (here a numpy integer) goes the general
    way; building the frames must not use up the rows."""
    import numpy as np
    import pandas as pd

    from framing.analysis import TableRows, table_frame
    from framing.pipeline import TABLE_COLUMNS, DocResult

    cols = TABLE_COLUMNS["hedges"]
    row = {c: (np.int64(1) if c == "start" else 5 if c == "end" else "x") for c in cols}
    rows = TableRows().add_results([DocResult("a", article={"doc_id": "a"}, tables={"hedges": [dict(row)]})])
    first, second = rows.frames()["hedges"], rows.frames()["hedges"]
    pd.testing.assert_frame_equal(first, table_frame("hedges", [row]), check_exact=True)
    pd.testing.assert_frame_equal(second, first, check_exact=True)


def test_collector_freeze_is_shared_by_nested_and_concurrent_runs():
    """The old objects stay frozen until the last run leaves, whichever run entered first."""
    import gc

    from framing.engines.local import collector_skips_old_objects

    assert gc.get_freeze_count() == 0
    gc.collect()
    a, b = collector_skips_old_objects(), collector_skips_old_objects()
    a.__enter__()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    b.__enter__()  # a second run (another thread, or a nested call)
    a.__exit__(None, None, None)  # the first run ends while the second goes on
    assert gc.get_freeze_count() >= frozen
    b.__exit__(None, None, None)
    assert gc.get_freeze_count() == 0


def test_shared_records_travel_by_position_and_unpickle_as_the_workers_records():
    import pickle

    from framing.engines import local

    corpus = [{"doc_id": str(i), "text": "x" * 1000} for i in range(10)]
    shared = local.SharedRecords(corpus, range(2, 9))
    assert len(shared) == 7 and shared[0] is corpus[2] and list(shared[1:3]) == corpus[3:5]
    assert isinstance(shared[1:3], local.SharedRecords)
    blob = pickle.dumps(shared)
    assert len(blob) < 200  # positions, not 7,000 characters of text
    saved = dict(local._WORKER)
    try:
        local._WORKER["corpus"] = [dict(r) for r in corpus]  # a worker's own copy
        assert pickle.loads(blob) == corpus[2:9]
        local._WORKER["corpus"] = None  # a process that does not hold the corpus must not guess
        with pytest.raises(RuntimeError, match="does not hold the corpus"):
            pickle.loads(blob)
    finally:
        local._WORKER.clear()
        local._WORKER.update(saved)


def test_records_at_needs_a_corpus_and_is_a_plain_list_in_one_process():
    from framing.engines.local import LocalRun
    from framing.options import Options

    corpus = [{"doc_id": "a", "text": "One said."}, {"doc_id": "b", "text": "Two said."}]
    with LocalRun(Options(), n_jobs=1, corpus=corpus) as run:
        assert run.records_at([1, 0]) == [corpus[1], corpus[0]]
    with LocalRun(Options(), n_jobs=1) as run, pytest.raises(ValueError, match="corpus="):
        run.records_at([0])


def test_read_errors_between_records_keep_two_processes_identical(tmp_path):
    """Pass 2 skips read errors by position: the tables and fingerprint must not depend on n_jobs."""
    import pandas as pd

    import framing

    for i in range(40):
        (tmp_path / f"a{i:02d}.txt").write_text(f"Article {i}. The minister said on Monday that talk {i} had failed.\n"
                                                 "Officials claimed the deal may collapse.", encoding="utf-8")
        if i % 9 == 4:
            (tmp_path / f"a{i:02d}b.txt").write_bytes(b"\x00\xff\xfe binary \x00" * 20)  # a read error
    one, two = framing.analyze(tmp_path, n_jobs=1), framing.analyze(tmp_path, n_jobs=2)
    assert len(one.errors) >= 4 and len(one.articles) == 40
    for t in ["articles", "attributions", "hedges", "mentions", "boilerplate", "errors", "texts"]:
        pd.testing.assert_frame_equal(getattr(one, t), getattr(two, t), check_exact=True)
    assert one.provenance["input_fingerprint"] == two.provenance["input_fingerprint"]
