"""The benchmark script's helpers (benchmarks/run_benchmark.py); the timed run itself is never a test."""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rb():
    spec = importlib.util.spec_from_file_location("run_benchmark", REPO / "benchmarks" / "run_benchmark.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _result():
    return {
        "date": "2026-01-01 00:00 UTC", "command": "python benchmarks/run_benchmark.py",
        "machine": {"cpu": "Test CPU", "cores": 2, "ram_gib": 8.0, "os": "Linux", "python": "3.11",
                    "packages": {"pandas": "3"}},
        "distinct_articles": 2, "mean_words": 700.0,
        "framing": {"articles": 4, "per_core": 300.0},
        "stages": {"attribution": {"per_core": 900.0, "ms_per_article": 1.1}},
        "spacy_model": "en_core_web_sm", "spacy": {"per_core": 6.0}, "ratio": 50.0,
        "jobs": {"articles": 4, "wall_s_1": 2.0, "wall_s_2": 1.1, "speedup": 2.0 / 1.1, "identical": True,
                 "cpu_s_1": 2.0, "cpu_s_2": 2.1, "cpu_overhead": 1.05},
        "dask": {"skipped": "--no-dask"},
        "load_average": [0.5, 1.0],
        "memory": {"runs": [{"articles": 1000, "peak_rss_mib": 200.0, "ratio_to_smallest": 1.0, "wall_s": 10.0},
                            {"articles": 100000, "peak_rss_mib": 220.0, "ratio_to_smallest": 1.1, "wall_s": 900.0}]},
    }


def test_repeated_copies_get_their_own_outlet(rb):
    arts = [{"doc_id": "a", "outlet": "nyt", "text": "x"}, {"doc_id": "b", "outlet": "nyt", "text": "y"}]
    df = rb.repeat_articles(arts, 3)
    assert len(df) == 6 and df.doc_id.is_unique
    assert df.outlet.tolist() == ["nyt", "nyt", "nyt #1", "nyt #1", "nyt #2", "nyt #2"]


def test_table_reports_ratio_speedup_and_memory(rb):
    md = rb.table_markdown(_result())
    assert "**300.0**" in md and "6.00" in md and "50x faster" in md and "meets the 50x target" in md
    assert "1.82x" in md and "| yes |" in md and "at most 1.90x" in md
    assert "| 100,000 | 220.0 | 1.10x | 900.0 |" in md
    assert "not measured: --no-dask" in md


def test_table_without_reference_says_why(rb):
    res = _result()
    del res["spacy"], res["ratio"]
    res["spacy_skipped"] = "not installed (spacy)"
    assert "Reference pipeline not measured: not installed (spacy)." in rb.table_markdown(res)


def test_docs_block_is_replaced_between_markers(rb, tmp_path):
    page = tmp_path / "benchmarks.md"
    rb.update_docs(page, "first\n")
    assert rb.BEGIN in page.read_text() and "first" in page.read_text()
    page.write_text(f"# B\n\nintro\n\n{rb.BEGIN}\nold\n{rb.END}\n\nafter\n")
    rb.update_docs(page, "new table\n")
    text = page.read_text()
    assert "old" not in text and "new table" in text and text.startswith("# B\n\nintro") and "after" in text


def test_outputs_written(rb, tmp_path):
    rb.write_outputs(_result(), tmp_path / "out", None)
    out = tmp_path / "out"
    assert (out / "benchmark.png").stat().st_size > 1000
    assert "Test CPU" in (out / "benchmark.md").read_text()
    assert '"ratio": 50.0' in (out / "benchmark.json").read_text()


def test_scale_block_regenerated(rb, tmp_path):
    res = _result()
    res["framing"]["per_wall_s"] = 250.0
    page = tmp_path / "scale.md"
    page.write_text("# Scale\n\n<!-- scale:begin -->\nold\n<!-- scale:end -->\n\nmore\n")
    rb.write_outputs(res, tmp_path / "out", None, page)
    text = page.read_text()
    assert "old" not in text and "| one core, full analysis (CPU time) | 300.0 |" in text and "more" in text


def test_cold_first_pass_row_and_its_ratio(rb):
    res = _result()
    res["framing_cold"] = {"articles": 2, "per_core": 240.0, "cpu_s": 2 / 240.0}
    md = rb.table_markdown(res)
    assert "first pass over the 2 distinct articles in a fresh process (caches cold) | 240.0 | 4.17 |" in md
    assert "On a first pass with every cache cold it is 40x" in md


def test_cold_first_pass_runs_in_a_fresh_process(rb):
    arts = [{"doc_id": "a", "outlet": "x", "text": "The minister said the talks had failed."},
            {"doc_id": "b", "outlet": "x", "text": "Officials claimed, reportedly, that it may rain."}]
    got = rb.bench_framing_cold(arts)
    assert got["articles"] == 2 and got["cpu_s"] > 0 and got["per_core"] == 2 / got["cpu_s"]


def test_streaming_jobs_row(rb):
    res = _result()
    res["jobs_streaming"] = {"articles": 1482, "chunk_size": 1000, "wall_s_1": 5.4, "wall_s_2": 3.1,
                             "speedup": 5.4 / 3.1, "identical": True}
    md = rb.table_markdown(res)
    assert "`framing analyze FILE -o OUT --jobs k` (streaming, 1,482 articles, chunks of 1,000) | 5.40 s | 3.10 s" in md
    assert "**1.74x** | yes |" in md


def test_larger_corpus_rows_follow_the_short_ones(rb):
    res = _result()
    res["jobs_streaming"] = {"articles": 1482, "chunk_size": 1000, "wall_s_1": 5.4, "wall_s_2": 3.1,
                             "speedup": 5.4 / 3.1, "identical": True}
    res["jobs_large"] = {"articles": 7410, "wall_s_1": 15.0, "wall_s_2": 8.0, "speedup": 15 / 8, "identical": True}
    res["jobs_streaming_large"] = {"articles": 7410, "chunk_size": 1000, "wall_s_1": 17.0, "wall_s_2": 10.0,
                                   "speedup": 1.7, "identical": False}
    md = rb.table_markdown(res)
    assert "| `n_jobs` processes (7,410 articles) | 15.00 s | 8.00 s | **1.88x** | yes |" in md
    assert "(streaming, 7,410 articles, chunks of 1,000) | 17.00 s | 10.00 s | **1.70x** | NO |" in md
    assert md.index("(streaming, 1,482 articles") < md.index("(streaming, 7,410 articles")
    assert "The larger rows analyse the same texts repeated" in md
    assert "The larger rows" not in rb.table_markdown(_result())


def test_streaming_jobs_bench_on_a_tiny_corpus(rb):
    import pandas as pd

    corpus = pd.DataFrame([{"doc_id": f"d{i}", "outlet": "x", "text": f"The minister said talks {i} failed."}
                           for i in range(6)])
    got = rb.bench_jobs_streaming(corpus, rounds=1, times=2, chunk_size=4)
    assert got["articles"] == 12 and got["identical"] is True and got["speedup"] > 0


def test_plot_with_every_row(rb, tmp_path):
    res = _result()
    res["jobs_streaming"] = {"articles": 12, "chunk_size": 4, "wall_s_1": 1.0, "wall_s_2": 0.6, "speedup": 1.67,
                             "identical": True}
    res["framing_cold"] = {"articles": 2, "per_core": 240.0, "cpu_s": 2 / 240.0}
    rb.plot(res, tmp_path / "b.png")
    assert (tmp_path / "b.png").stat().st_size > 1000


def test_encoder_speed_script_writes_its_table(tmp_path):
    """A smoke run of benchmarks/encoder_speed.py on two articles (its figures are not checked here)."""
    from framing.encoder import available
    from tests.conftest import need_data

    if not available():
        pytest.skip("optional encoder not installed (make install)")
    need_data("polnear")
    import subprocess
    import sys

    r = subprocess.run([sys.executable, str(REPO / "benchmarks" / "encoder_speed.py"), "--articles", "2",
                        "--rounds", "1", "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "encoder.md").read_text()
    assert "| default |" in text and "| encoder |" in text
