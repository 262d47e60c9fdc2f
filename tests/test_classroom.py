"""Classroom notebooks run headless on the demo corpus, and the points they teach hold there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CLASSROOM = REPO / "notebooks" / "classroom"
DEMO = REPO / "corpora" / "demo"
NOTEBOOKS = sorted(CLASSROOM.glob("*.ipynb"))


def test_at_least_three_notebooks_and_a_guide():
    assert len(NOTEBOOKS) >= 3
    guide = (CLASSROOM / "TEACHER_GUIDE.md").read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        assert nb.name in guide, f"{nb.name} is not covered by the teacher's guide"
    for heading in ("Learning goals", "Timing", "Answers"):
        assert heading.lower() in guide.lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, cell["source"][:80]
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown").lower()
    assert "predict" in text and "reveal" in text and "discuss" in text


@pytest.fixture(scope="module")
def kernel_name():
    nbclient = pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if "python3" not in specs:
        pytest.skip("no 'python3' Jupyter kernel (pip install ipykernel)")
    return nbclient and "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_headless(path, kernel_name, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    if not DEMO.is_dir():
        pytest.fail(f"demo corpus missing at {DEMO}")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name=kernel_name, timeout=180,
                   resources={"metadata": {"path": str(CLASSROOM)}}).execute()
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "data" in o and "text/html" in o["data"]]
    views = [h for h in html if 'class="fv"' in h]
    assert views, "the notebook should display at least one annotated view"
    assert all("<script" not in h.lower() for h in views)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    nbformat.write(nb, tmp_path / path.name)  # executed copy, for inspection on failure


@pytest.fixture(scope="module")
def demo():
    import framing

    return framing.analyze(DEMO)


def _story(a, outlet, story="eu-mercosur-beef-deal"):
    ids = a.articles.doc_id
    return ids[ids.str.startswith(outlet + "/") & ids.str.endswith(story)].iloc[0]


def test_the_points_the_exercises_make_hold_on_the_demo(demo):
    """If an extractor change breaks what a notebook asks students to discover, this fails."""
    a = demo.articles.set_index("doc_id")
    ledger, courier, buzz = (_story(demo, o) for o in ("the-daily-ledger", "the-evening-courier", "metro-buzz"))
    # Who gets to speak: the Ledger quotes named people; the Courier leans on unnamed sources.
    assert a.loc[ledger, "n_attributions"] >= 3
    assert a.loc[courier, "share_unnamed_sources"] > a.loc[ledger, "share_unnamed_sources"]
    # Said or claimed: the Courier uses distancing cues and hedges, the Ledger hardly.
    assert a.loc[courier, "share_distancing_cues"] > a.loc[ledger, "share_distancing_cues"]
    assert a.loc[courier, "hedges_per_1k_words"] > 2 * a.loc[ledger, "hedges_per_1k_words"]
    means = demo.articles.groupby("outlet")[["share_distancing_cues", "boilerplate_share"]].mean()
    assert means["share_distancing_cues"].idxmax() == "the-evening-courier"
    # How much is news: Metro Buzz's page is far more boilerplate than the others.
    assert a.loc[buzz, "boilerplate_share"] > 0.15 > a.loc[ledger, "boilerplate_share"]
    assert means["boilerplate_share"].idxmax() == "metro-buzz"
    kinds = set(demo.spans("boilerplate", buzz).kind)
    assert {"donation_appeal", "newsletter_prompt"} <= kinds or len(kinds) >= 3, kinds


def test_worksheets_for_each_exercise(demo, tmp_path):
    from framing.view import EXERCISES, write_worksheet

    buzz = _story(demo, "metro-buzz")
    for name, ex in EXERCISES.items():
        p = write_worksheet(demo, buzz, tmp_path / f"{name}.html", exercise=name)
        page = p.read_text(encoding="utf-8")
        assert ex.title in page and "@media print" in page and "Sign up for our free Morning Buzz" in page
        assert 'class="fv-text"' not in page  # the student copy reveals nothing
        p2 = write_worksheet(demo, buzz, tmp_path / f"{name}-answers.html", exercise=name, answers=True)
        assert 'class="fv-text"' in p2.read_text(encoding="utf-8")
