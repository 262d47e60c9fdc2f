"""Interrupted runs: SIGKILL in the middle, run again, and nothing is lost or counted twice.

Also: outputs are written atomically (a reader polling the folder during a run can open every
``*.parquet`` it sees), leftover temporary files are never read, and a re-run after the input,
the options or the chunking changed starts afresh instead of mixing old and new parts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import framing
from framing.analysis import TABLES, atomic_write_parquet, atomic_write_text
from framing.api import analyze_to_folder
from framing.options import Options

REPO = Path(__file__).resolve().parents[1]
OUTLETS = ["ledger", "courier", "buzz"]
APPEAL = "Harbour tides this week run high in the mornings and low by the late afternoon."  # repeated, no pattern


def write_corpus(path: Path, n: int, outlet_of=None) -> Path:
    """``n`` short, distinct articles (JSON Lines), a repeated block in every third, two bad lines."""
    lines = []
    for i in range(n):
        outlet = outlet_of(i) if outlet_of else OUTLETS[i % 3]
        text = (f"Story {i}\nThe minister said on Monday that talks number {i} had failed.\n"
                f"Officials claimed the port {i} may close, according to a source close to the talks.\n"
                + (APPEAL if i % 3 == 0 else f"Mayor Anna Berger told reporters that road {i} would reopen."))
        lines.append(json.dumps({"doc_id": f"a{i:04d}", "outlet": outlet, "text": text}))
        if i in (5, n // 2):
            lines.append("{broken json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def norm(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True).astype(object)
    return df.where(df.notna(), None)


def assert_same_analysis(a: framing.Analysis, b: framing.Analysis) -> None:
    for t in TABLES:
        pd.testing.assert_frame_equal(norm(getattr(a, t)), norm(getattr(b, t)), check_dtype=False, obj=t)


def _cli(corpus: Path, out: Path, chunk: int) -> list[str]:
    return [sys.executable, "-m", "framing.cli", "analyze", str(corpus), "-o", str(out), "--quiet",
            "--chunk-size", str(chunk)]


def _readable_now(out: Path) -> int:
    """Open every visible Parquet file in ``out`` (a reader during the run); return how many were read."""
    n = 0
    for p in list(out.rglob("*.parquet")):
        try:
            pq.read_table(p)
        except FileNotFoundError:  # replaced or removed between listing and opening: fine
            continue
        n += 1
    return n


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("resume") / "corpus.jsonl", 300)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> framing.Analysis:
    out = tmp_path_factory.mktemp("reference") / "out"
    analyze_to_folder(corpus, out, chunk_size=25)
    return framing.Analysis.load(out)


def test_sigkill_then_rerun_gives_every_article_once(corpus, reference, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(_cli(corpus, out, 25), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    texts = out / "parts" / "texts"
    reads = 0
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            reads += _readable_now(out)  # never a half-written file
            if texts.is_dir() and len(list(texts.glob("part-*.parquet"))) >= 2:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "run.json").exists()
    done = sorted(p.name for p in texts.glob("part-*.parquet"))
    assert 2 <= len(done) < 13  # 300 records + 2 bad lines in chunks of 25 -> 13 chunks
    # a temporary file as a killed writer leaves it: must be ignored and cleaned up
    junk = out / "parts" / "articles" / ".part-000000.parquet.abc123.tmp"
    junk.write_bytes(b"PAR1 half a file")
    mtimes = {n: (texts / n).stat().st_mtime_ns for n in done}

    r = subprocess.run(_cli(corpus, out, 25), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert not junk.exists() and not list(out.rglob("*.tmp"))
    # the finished chunks were not redone
    assert all((texts / n).stat().st_mtime_ns == m for n, m in mtimes.items())
    a = framing.Analysis.load(out)
    assert len(a.articles) == 300 and a.articles.doc_id.is_unique
    assert sorted(a.articles.doc_id) == [f"a{i:04d}" for i in range(300)]
    assert a.texts.doc_id.tolist() == a.articles.doc_id.tolist()
    assert (a.errors.code == "E011").sum() == 2
    assert_same_analysis(a, reference)
    assert reads > 0


def _interrupt_after(n_chunks: int):
    def hook(i, _n):
        if i + 1 >= n_chunks:
            raise KeyboardInterrupt  # like Ctrl-C between two chunks

    return hook


def test_resume_in_process_equals_uninterrupted(corpus, reference, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        analyze_to_folder(corpus, out, chunk_size=25, on_chunk=_interrupt_after(4))
    counts = analyze_to_folder(corpus, out, chunk_size=25)
    assert counts["skipped_chunks"] == 4
    assert (reference.boilerplate.kind == "repeated").sum() == 100  # the cross-article pass took part
    assert_same_analysis(framing.Analysis.load(out), reference)
    again = analyze_to_folder(corpus, out, chunk_size=25)  # a finished run re-run: nothing redone
    assert again["skipped_chunks"] == 13
    assert_same_analysis(framing.Analysis.load(out), reference)


def test_changed_options_or_chunking_start_afresh(corpus, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        analyze_to_folder(corpus, out, chunk_size=25, on_chunk=_interrupt_after(3))
    opts = Options(repetition_min_docs=200)  # the block (in the 100 "ledger" articles) is no longer "repeated"
    counts = analyze_to_folder(corpus, out, chunk_size=25, options=opts)
    assert counts["skipped_chunks"] == 0
    fresh = tmp_path / "fresh"
    analyze_to_folder(corpus, fresh, chunk_size=25, options=opts)
    assert_same_analysis(framing.Analysis.load(out), framing.Analysis.load(fresh))
    counts = analyze_to_folder(corpus, out, chunk_size=40, options=opts)
    assert counts["skipped_chunks"] == 0
    assert_same_analysis(framing.Analysis.load(out), framing.Analysis.load(fresh))


def test_changed_input_metadata_starts_afresh(tmp_path):
    """Only an outlet changes (same ids, same texts): the stale parts must not be reused."""
    path = write_corpus(tmp_path / "c.jsonl", 60)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        analyze_to_folder(path, out, chunk_size=10, on_chunk=_interrupt_after(3))
    write_corpus(path, 60, outlet_of=lambda i: "renamed")
    counts = analyze_to_folder(path, out, chunk_size=10)
    assert counts["skipped_chunks"] == 0
    a = framing.Analysis.load(out)
    assert set(a.articles.outlet) == {"renamed"} and len(a.articles) == 60
    assert json.loads((out / "run.json").read_text())["input_fingerprint"] == \
        framing.analyze(path).provenance["input_fingerprint"]


def test_atomic_writes_leave_the_old_file_or_the_new_one(tmp_path, monkeypatch):
    target = tmp_path / "t.parquet"
    atomic_write_parquet(pd.DataFrame({"x": [1, 2]}), target)

    def broken(self, path, *a, **k):
        Path(path).write_bytes(b"PAR1 half written")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken)
    with pytest.raises(OSError):
        atomic_write_parquet(pd.DataFrame({"x": [3]}), target)
    monkeypatch.undo()
    assert pd.read_parquet(target).x.tolist() == [1, 2]  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]  # no temporary left
    atomic_write_text(tmp_path / "run.json", "{}")
    assert json.loads((tmp_path / "run.json").read_text()) == {}


def test_two_processes_stream_the_same_folder_as_one(tmp_path):
    """``--jobs 2`` on the streaming path (one pool, the next chunk analysed while one is written)
    writes exactly the tables of a one-process run, read errors and repeated blocks included."""
    corpus = write_corpus(tmp_path / "c.jsonl", 40)
    calls = []
    analyze_to_folder(corpus, tmp_path / "one", chunk_size=7)
    analyze_to_folder(corpus, tmp_path / "two", chunk_size=7, n_jobs=2, on_chunk=lambda i, n: calls.append((i, n)))
    one, two = framing.Analysis.load(tmp_path / "one"), framing.Analysis.load(tmp_path / "two")
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(one, t), getattr(two, t), check_exact=True)
    assert [i for i, _ in calls] == list(range(len(calls))) and sum(n for _, n in calls) == 40
    assert (one.boilerplate.kind == "repeated").any() and len(one.errors) == 2
    fp = [json.loads((tmp_path / d / "run.json").read_text())["input_fingerprint"] for d in ("one", "two")]
    assert fp[0] == fp[1]


def test_streamed_count_equals_one_process_counts_and_digests(tmp_path):
    from framing.api import _record_digest
    from framing.corpus.reader import ErrorRecord, iter_corpus
    from framing.engines.local import LocalRun
    from framing.pipeline import outlet_repetition

    items = list(iter_corpus(write_corpus(tmp_path / "c.jsonl", 30)))
    assert any(isinstance(it, ErrorRecord) for it in items)
    records = [it for it in items if not isinstance(it, ErrorRecord)]
    got: list[bytes] = []
    with LocalRun(Options(), 2, digest=_record_digest) as run:
        rep = run.count((it.as_dict() if isinstance(it, ErrorRecord) else it for it in items), on_digest=got.append,
                        chunk=4)
    assert rep == outlet_repetition(records, Options()) and any(rep.values())
    assert got == [_record_digest(it) for it in items]
