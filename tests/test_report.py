"""`framing report corpora/demo` executes the notebooks headless and writes a self-contained HTML report."""

from __future__ import annotations

import json
import re
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

from framing.cli import main
from framing.report import NOTEBOOKS, render_html
from tests.compare_helpers import DEMO, REPO, synthetic_analysis

FIGURES = {"outlet_features", "source_types", "boilerplate", "same_story", "actor_sentiment", "classifier_scores",
           "confusion_matrix", "feature_importance"}


def test_notebooks_are_tracked_as_percent_scripts_without_outputs():
    tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=REPO, capture_output=True, text=True).stdout.split()
    for nb in NOTEBOOKS:
        assert f"notebooks/{nb}.py" in tracked
        assert "format_name: percent" in (REPO / "notebooks" / f"{nb}.py").read_text(encoding="utf-8")
        assert f"notebooks/{nb}.ipynb" not in tracked


@pytest.mark.slow
def test_framing_report_on_the_demo_corpus(tmp_path):
    out = tmp_path / "demo-report"
    res = CliRunner().invoke(main, ["report", str(DEMO), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = (out / "report.html").read_text(encoding="utf-8")
    # corpus, date range, counts, version, parameters
    assert "demo" in html and "2026-01-" in html and "96 from 3 outlet(s)" in html
    assert "framing 0." in html and "n_boot" in html
    manifest = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert {f["name"] for f in manifest} >= FIGURES
    for f in manifest:
        assert (out / f["png"]).is_file() and (out / f["svg"]).is_file()
    assert html.count("data:image/png;base64,") >= len(FIGURES)  # self-contained
    assert html.count("<mark>") >= 10  # sentence-level evidence with highlights
    assert not re.search(r"<script", html, re.I)
    # every notebook was executed and kept its outputs
    for nb in NOTEBOOKS:
        cells = json.loads((out / "notebooks" / f"{nb}.ipynb").read_text(encoding="utf-8"))["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert code and all(c.get("execution_count") for c in code)
    summary = pd.read_csv(out / "tables" / "outlet_summary.csv")
    assert set(summary.outlet) == {"the-daily-ledger", "the-evening-courier", "metro-buzz"}


def test_report_html_escapes_all_text(tmp_path):
    a = synthetic_analysis(n_stories=3)
    evil = "<script>alert(1)</script>"
    (tmp_path / "figures.json").write_text(json.dumps([{
        "name": "x", "title": evil, "caption": evil, "png": "none.png", "svg": "none.svg",
        "evidence": [{"sentence": f"He said {evil}.", "mark_start": 3, "mark_end": 7, "outlet": evil,
                      "doc_id": evil, "start": 0, "end": 4, "what": "cue", "label": evil}]}]), encoding="utf-8")
    html = render_html(a, tmp_path, {"corpus": evil, "source": evil}, [{"name": evil, "file": None, "seconds": 1}])
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<mark>said</mark>" in html


def test_report_errors_are_clear(tmp_path):
    res = CliRunner().invoke(main, ["report", str(tmp_path / "nothing")])
    assert res.exit_code != 0
    from framing.errors import FramingError
    from framing.report import build_report

    with pytest.raises(FramingError, match="unknown report parameter"):
        build_report(DEMO, tmp_path / "r", params={"n_bootstrap": 10})
